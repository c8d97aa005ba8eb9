"""Read a user's file (CSV/TSV text or a workbook) into a raw table of strings.

Workbooks (.xlsx, .xlsm, .xls, .xlsb, .ods) are read with python-calamine.
The reader finds the header row itself (statistics exports put a title and
notes above it), names the columns of a header spanning two rows (男 / 女 over
age columns), keeps the row number Excel shows for every data row, and refuses
anything that is not a table with one Japanese sentence (``TableError``). A
large CSV is streamed: its bytes are checked in chunks and parsed once by pandas.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import itertools
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pandas as pd

from kit.io.normalize import cell_text
from kit.limits import DEFAULT_TABLE_LIMITS, TableLimits

__all__ = ["DEFAULT_MAX_BYTES", "RawTable", "TableError", "Source", "read_table"]

DEFAULT_MAX_BYTES = 100 * 1024 * 1024

Source = str | os.PathLike | bytes | bytearray | memoryview

# Joins the upper and lower label of a two-row header: 「男／0～4歳」.
_GROUP_SEPARATOR = "／"
_CHUNK = 1 << 20
_HEAD_BYTES = 256 * 1024
_HEADER_SEARCH_ROWS = 30
_TEXT_SUFFIXES = {".csv", ".txt", ".tsv", ""}
_WORKBOOK_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}
_SAVE_AS = "Excel で開き「名前を付けて保存」で .xlsx か CSV（UTF-8 か Shift_JIS）にしてから読み込んでください"
_READABLE = "CSV か Excel（.xlsx・.xls・.xlsb）、OpenDocument（.ods）のファイルを選んでください"
_MAGIC = (
    (b"\x89PNG", "画像（PNG）"), (b"\xff\xd8\xff", "画像（JPEG）"), (b"GIF8", "画像（GIF）"),
    (b"BM", "画像（BMP）"), (b"II*\x00", "画像（TIFF）"), (b"MM\x00*", "画像（TIFF）"),
    (b"%PDF", "PDF"), (b"\x1f\x8b", "圧縮ファイル（gzip）"), (b"Rar!", "圧縮ファイル（RAR）"),
    (b"7z\xbc\xaf", "圧縮ファイル（7z）"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = (b"PK\x03\x04", b"PK\x05\x06")
# Lines statistics tables print below the data (注1) …, 資料: …).
_NOTE_START = re.compile(r"^\s*[(（]?(注|※|資料|出典|出所|備考|\*)")
_TAIL_ROWS = 20


class TableError(Exception):
    """The file cannot be read as a table; ``message`` is Japanese, for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class RawTable:
    frame: pd.DataFrame            # header text → column; a cell is a str, or missing when blank
    rows: np.ndarray               # Excel row number of each frame row
    header_row: int                # Excel row number of the header
    notes: list[tuple[int | None, str]] = field(default_factory=list)  # layout warnings
    sheet: str | None = None


@contextlib.contextmanager
def _opened(source: Source) -> Iterator[BinaryIO]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        yield io.BytesIO(source)
    else:
        with open(source, "rb") as handle:
            yield handle


def _size(source: Source) -> int:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return len(source)
    path = Path(source)
    if not path.is_file():
        raise TableError("ファイルが見つかりません")
    return path.stat().st_size


def _megabytes(size: int) -> str:
    megabytes = size / (1024 * 1024)
    return f"{megabytes:.1f} MB" if megabytes < 10 else f"{megabytes:.0f} MB"


def _zip_kind(source: Source) -> str:
    try:
        with _opened(source) as handle, zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except Exception:  # a damaged archive fails in many ways (BadZipFile, NotImplementedError, …)
        raise TableError("ファイルが壊れているため読めません") from None
    if names & {"xl/workbook.xml", "xl/workbook.bin", "content.xml"}:
        return "workbook"
    raise TableError("ZIP 形式の圧縮ファイルで、表のファイルではありません。中の CSV か .xlsx を取り出して読み込んでください")


def _file_format(source: Source, suffix: str, head: bytes) -> str:
    """"workbook" or "text", judged by the content first: a renamed file is read
    for what it is, and a non-table is refused with what it seems to be."""
    if head.startswith(_OLE):
        return "workbook"   # .xls; an encrypted workbook is refused when opened
    if head.startswith(_ZIP):
        return _zip_kind(source)
    for magic, label in _MAGIC:
        if head.startswith(magic):
            raise TableError(f"{label}のファイルで、表ではありません。{_READABLE}")
    if suffix in _WORKBOOK_SUFFIXES:
        # Web systems often save an HTML page as .xls.
        raise TableError(f"拡張子は Excel（{suffix}）ですが、中身が Excel ファイルではありません。{_SAVE_AS}")
    if suffix not in _TEXT_SUFFIXES:
        raise TableError(f"「{suffix}」のファイルは読めません。{_READABLE}")
    if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and b"\x00" in head:
        raise TableError(f"文字ではないデータ（バイナリ）を含むため、表として読めません。{_READABLE}")
    return "text"


def _first_bad_byte(source: Source, encoding: str) -> int | None:
    """Offset of the first byte ``encoding`` cannot decode, or None."""
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    with _opened(source) as handle:
        while chunk := handle.read(_CHUNK):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as error:
                return offset + error.start
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError as error:
            return offset + error.start
    return None


def _line_of(source: Source, offset: int) -> int:
    with _opened(source) as handle:
        return handle.read(offset).count(b"\n") + 1


def _encoding(source: Source, head: bytes) -> str:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    failures = {}
    for encoding in ("utf-8", "cp932"):
        bad = _first_bad_byte(source, encoding)
        if bad is None:
            return encoding
        failures[encoding] = bad
    line = _line_of(source, max(failures.values()))
    raise TableError(
        f"{line}行目付近に文字として読めないデータがあります（UTF-8 でも Shift_JIS でもありません）。"
        "表計算ソフトで CSV（UTF-8）として保存し直してください"
    )


def _head_text(source: Source, encoding: str) -> str:
    with _opened(source) as handle:
        return codecs.getincrementaldecoder(encoding)(errors="replace").decode(handle.read(_HEAD_BYTES))


def _head_records(text: str, delimiter: str) -> list[list[str]]:
    records = []
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    with contextlib.suppress(csv.Error):
        records.extend(itertools.islice(reader, _HEADER_SEARCH_ROWS))
    return records


def _find_header(records: list[list[str | None]], is_header: Callable[[str], bool]) -> int:
    """Index of the header among the first records: the one naming most known
    columns; if none does, the first record as wide as the widest."""
    scores = [sum(is_header(cell) for cell in record if cell) for record in records]
    if scores and max(scores) > 0:
        return scores.index(max(scores))
    widths = [sum(bool(cell and cell.strip()) for cell in record) for record in records]
    if not widths or max(widths) == 0:
        raise TableError("ファイルが空です（表がありません）")
    return widths.index(max(widths))


def _max_width(source: Source, encoding: str, delimiter: str) -> int:
    with _opened(source) as handle:
        text = io.TextIOWrapper(handle, encoding=encoding, newline="")
        return max((len(record) for record in csv.reader(text, delimiter=delimiter)), default=0)


def _read_csv(source: Source, encoding: str, delimiter: str, skip: int, width: int) -> pd.DataFrame:
    # Blank cells (spaces only, too) become missing here, in C: checking them
    # afterwards cell by cell would cost more than the parse.
    with _opened(source) as handle:
        return pd.read_csv(
            handle, sep=delimiter, header=None, names=list(range(width)), skiprows=skip,
            dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=True,
            skip_blank_lines=False, encoding=encoding, quotechar='"', engine="c",
        )


def _text_table(source: Source, head: bytes, is_header: Callable[[str], bool]):
    encoding = _encoding(source, head)
    text = _head_text(source, encoding)
    delimiter = "\t" if text.count("\t") > text.count(",") else ","
    records = _head_records(text, delimiter)
    index = _find_header(records, is_header)
    header = records[index]
    above = records[index - 1] if index else []
    try:
        try:
            frame = _read_csv(source, encoding, delimiter, index + 1, len(header))
        except pd.errors.ParserError:
            # Some rows are wider than the header: read again with room for them.
            width = _max_width(source, encoding, delimiter)
            frame = _read_csv(source, encoding, delimiter, index + 1, width)
    except pd.errors.EmptyDataError:
        frame = pd.DataFrame(columns=list(range(len(header))), dtype=str)
    except (ValueError, csv.Error):  # ParserError and UnicodeError are ValueErrors
        raise TableError("CSV の形が崩れています（\" で始まる値が閉じられていないなど）。表計算ソフトで保存し直してください") from None
    return header, above, index, frame


def _sheet_name(book, sheet: str | None) -> str:
    """The named sheet, else the first visible worksheet (not a chart sheet)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    names = list(book.sheet_names)
    if sheet is not None:
        if sheet not in names:
            raise TableError(f"シート「{sheet}」がありません（あるシート: {'、'.join(names)}）")
        return sheet
    for meta in book.sheets_metadata:
        if meta.visible == SheetVisibleEnum.Visible and meta.typ == SheetTypeEnum.WorkSheet:
            return meta.name
    if not names:
        raise TableError("Excel ファイルにシートがありません")
    return names[0]


def _fill_merged(records: list[list], merged, header_rows: int) -> None:
    """Give every cell of a merged range the value of its top-left cell, as
    the eye reads it: across and down in the header area (男 over its age
    columns), and down only in the data (an area name merged over its rows)."""
    for (top, left), (bottom, right) in merged or ():
        if top >= len(records) or left >= len(records[top]):
            continue
        value = records[top][left]
        if value is None:
            continue
        if top >= header_rows:
            right = left
        for row in records[top:bottom + 1]:
            for column in range(left, min(right, len(row) - 1) + 1):
                row[column] = value


def _workbook_cell(value: object) -> str | None:
    """A cell's text, None when blank. Text and whole numbers, most of a large
    sheet, take the short way."""
    kind = type(value)
    if kind is str:
        return value.strip() or None
    if kind is float and value.is_integer():
        return str(int(value))
    return cell_text(value).strip() or None


def _workbook_table(source: Source, suffix: str, sheet: str | None, is_header: Callable[[str], bool]):
    # Imported when a workbook is read: a page's kernel that never reads one
    # need not hold the reader.
    from python_calamine import CalamineWorkbook, PasswordError

    with _opened(source) as handle:
        try:
            book = CalamineWorkbook.from_filelike(handle)
        except PasswordError:
            raise TableError("パスワードの付いた Excel ファイルは読めません。パスワードを外して保存し直してください") from None
        except Exception:
            raise TableError(f"Excel ファイル（{suffix or 'ブック'}）を開けません。壊れているか、Excel 以外のファイルです。"
                             f"{_SAVE_AS}") from None
    try:
        title = _sheet_name(book, sheet)
        worksheet = book.get_sheet_by_name(title)
        # Empty leading rows and columns are kept, so positions are Excel's.
        records = [[_workbook_cell(value) for value in row] for row in worksheet.to_python(skip_empty_area=False)]
        merged = worksheet.merged_cell_ranges
    except TableError:
        raise
    except Exception:
        raise TableError("Excel ファイルの中身が壊れているため読めません") from None
    finally:
        book.close()
    head = [list(record) for record in records[:_HEADER_SEARCH_ROWS]]
    _fill_merged(head, merged, len(head))
    index = _find_header(head, is_header)
    _fill_merged(records, merged, index + 1)
    header = records[index]
    above = records[index - 1] if index else []
    body = records[index + 1:]
    width = max([len(header), *map(len, body)])
    for row in body:
        # NaN for a blank cell, as pandas gives for a blank CSV cell.
        row[:] = [np.nan if cell is None else cell for cell in row] + [np.nan] * (width - len(row))
    frame = pd.DataFrame(body, columns=list(range(width)), dtype=object)
    return header, above, index, frame, title


def _group_labels(header: list[str | None], above: list[str | None]) -> list[str] | None:
    """For a header spanning two rows (男 / 女 over repeated age columns): the
    upper label of each column, carried right over the blanks of a merged
    cell. None when the header needs no upper label (its names are unique)."""
    names = [(cell or "").strip() for cell in header]
    filled = [name for name in names if name]
    if len(set(filled)) == len(filled) or not any(above):
        return None
    labels, current = [], ""
    for position, name in enumerate(names):
        upper = (above[position] or "").strip() if position < len(above) else ""
        current = upper or (current if name else "")
        labels.append(current)
    return labels


def _column_letter(position: int) -> str:
    """Excel's letter for a 0-based column: 0 → A, 26 → AA."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _column_names(header: list[str], above: list[str], frame: pd.DataFrame) -> tuple[list[str], list[int]]:
    """Header text per column and the positions to keep. A blank header takes
    the text above it (a header cell merged over two rows); a blank column
    with data is named by its letter, as Excel shows it; a blank empty one is dropped."""
    names, keep, seen = [], [], {}
    groups = _group_labels(header, above)
    for position in frame.columns:
        name = (header[position] or "").strip() if position < len(header) else ""
        if name and groups and groups[position] and groups[position] != name:
            name = f"{groups[position]}{_GROUP_SEPARATOR}{name}"
        if not name and position < len(above):
            name = (above[position] or "").strip()
        if not name:
            if not frame[position].notna().any():
                continue
            name = f"列{_column_letter(position)}"
        seen[name] = seen.get(name, 0) + 1
        names.append(name if seen[name] == 1 else f"{name}({seen[name]})")
        keep.append(position)
    return names, keep


def _note_rows(frame: pd.DataFrame) -> int:
    """How many rows at the end are notes (注1) …) rather than data."""
    count = 0
    for _, row in frame.iloc[::-1].head(_TAIL_ROWS).iterrows():
        filled = [value for value in row if isinstance(value, str) and value.strip()]
        if len(filled) != 1 or not _NOTE_START.match(filled[0]):
            break
        count += 1
    return count


def _finish(header, above, index, frame, sheet=None) -> RawTable:
    names, keep = _column_names(header, above, frame)
    frame = frame[keep]
    frame.columns = names
    header_row = index + 1
    rows = np.arange(header_row + 1, header_row + 1 + len(frame))
    data = frame.notna().any(axis=1).to_numpy()
    frame, rows = frame[data].reset_index(drop=True), rows[data]
    notes = []
    if len(frame.columns) > 1 and (count := _note_rows(frame)):
        first, last = rows[-count], rows[-1]
        span = f"{first}行目" if count == 1 else f"{first}～{last}行目"
        notes.append((None, f"表の下の注記（{span}）はデータではないので読み飛ばしました"))
        frame, rows = frame.iloc[:-count], rows[:-count]
    return RawTable(frame=frame, rows=rows, header_row=header_row, notes=notes, sheet=sheet)


def read_table(
    source: Source,
    *,
    filename: str | None = None,
    is_header: Callable[[str], bool] = lambda cell: False,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    limits: TableLimits = DEFAULT_TABLE_LIMITS,
) -> RawTable:
    """Read ``source`` (a path or the file's bytes) into a ``RawTable``.
    ``filename`` gives the extension when ``source`` is bytes; ``is_header``
    tells whether a cell text names a known column, to find the header row;
    ``limits`` bounds what the file may unpack to before it is parsed.
    Raises ``TableError`` with a Japanese message when the file is no table."""
    name = filename if filename is not None else ("" if isinstance(source, (bytes, bytearray, memoryview)) else str(source))
    suffix = Path(name).suffix.lower()
    size = _size(source)
    if size == 0:
        raise TableError("ファイルが空です")
    if size > max_bytes:
        raise TableError(f"ファイルが大きすぎます（{_megabytes(size)}。読めるのは {_megabytes(max_bytes)} まで）")
    with _opened(source) as handle:
        head = handle.read(8192)
    from kit.io.bounds import check_source  # bounds builds on this module

    check_source(source, head, suffix, limits)
    if _file_format(source, suffix, head) == "workbook":
        *parts, title = _workbook_table(source, suffix, sheet, is_header)
        return _finish(*parts, sheet=title)
    return _finish(*_text_table(source, head, is_header))
