"""What a file may cost to read, checked before a parser spends it.

A file's size on disk says little about what reading it costs: a workbook is a
zip archive whose members can unpack a thousandfold, a CSV's header line can
name 100,000 columns, and a valid file can hold far more rows than any town
has. :func:`check_source` looks at the raw bytes (the archive's directory and
a streamed count of the sheets' cells, or one pass over a text file) and
refuses such a file in well under a second, before pandas or a workbook reader
allocates anything; :func:`check_shape` bounds the rows and columns a file of
one kind may have once it is read. Both raise :class:`~kit.io.tables.TableError`
with a Japanese sentence. The limits are in :mod:`kit.limits`.
"""

from __future__ import annotations

import codecs
import re
import zipfile

import numpy as np

from kit.io.tables import (
    _CHUNK,
    _ZIP,
    RawTable,
    Source,
    TableError,
    _file_format,
    _megabytes,
    _opened,
)
from kit.limits import (
    DEFAULT_TABLE_LIMITS,
    MAX_WORKBOOK_CELLS,
    MAX_WORKBOOK_MEMBERS,
    MAX_WORKBOOK_UNPACKED,
    TableLimits,
)

__all__ = ["check_shape", "check_source"]

# Title and note rows a statistics table prints around its data.
_LAYOUT_ROWS = 100
_AS_CSV = "CSV（UTF-8 か Shift_JIS）で保存すると大きなファイルも速く読めます"
# A worksheet's XML: cells (<c r="B2" …>, <c/>, or <x:c …> with a namespace prefix),
# rows (<row r="2" …>) and the references they carry.
_SHEET = re.compile(r"^xl/worksheets/[^/]+\.xml$")
_CELL_TAGS = (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/")
_ROW_TAGS = (b"<row ", b"<row>", b":row ", b":row>")
_ROW_REF = re.compile(rb"\brow\s[^>]*?\br=\"(\d+)\"")
_REF = np.frombuffer(b' r="', np.uint8)
_CARRY_MAX = 4096


def _last_column(data: bytes) -> int:
    """The largest column of the cell references (r="XFD9") in ``data``, vectorised:
    a sheet holds millions of them."""
    text = np.frombuffer(data, np.uint8)
    if len(text) < 8:
        return 0
    starts = np.flatnonzero((text[:-7] == _REF[0]) & (text[1:-6] == _REF[1])
                            & (text[2:-5] == _REF[2]) & (text[3:-4] == _REF[3]))
    letters = text[starts[:, None] + np.arange(4, 7)].astype(np.int64) - 64
    is_letter = (letters >= 1) & (letters <= 26)
    one = is_letter[:, 0]
    two, three = one & is_letter[:, 1], one & is_letter[:, 1] & is_letter[:, 2]
    number = np.where(three, letters[:, 0] * 676 + letters[:, 1] * 26 + letters[:, 2],
                      np.where(two, letters[:, 0] * 26 + letters[:, 1], letters[:, 0]))
    number = number[one]  # row references carry digits, not letters
    return int(number.max()) if number.size else 0


def _too_many(count: int, limit: int, what: str, unit: str) -> str:
    return f"{what}が多すぎます（{count:,}{unit}。この種類のファイルで読めるのは{limit:,}{unit}まで）"


def _check_sheet(stream, limits: TableLimits) -> None:
    """Count a worksheet's cells and find its last row and column, streaming.
    Readers lay a sheet out as a grid up to its last row and column, so that
    grid is bounded too (two cells, A1 and XFD1048576, make 17 billion)."""
    cells = rows = tagged_rows = columns = 0
    carry = b""
    while chunk := stream.read(_CHUNK):
        # Tags never contain '>': cut after the last one so that no tag is split.
        data = carry + chunk
        cut = data.rfind(b">") + 1
        data, carry = data[:cut], data[cut:][-_CARRY_MAX:]
        cells += sum(data.count(tag) for tag in _CELL_TAGS)
        tagged_rows += sum(data.count(tag) for tag in _ROW_TAGS)
        if (last := data.rfind(b"row ")) >= 0 and (found := _ROW_REF.match(data, last)):
            rows = max(rows, int(found.group(1)))  # rows come in order: the last is the largest
        columns = max(columns, _last_column(data))
        extent_rows = max(rows, tagged_rows)
        if extent_rows > limits.rows + _LAYOUT_ROWS:
            raise TableError(_too_many(extent_rows, limits.rows, "行", "行"))
        if columns > limits.columns:
            raise TableError(_too_many(columns, limits.columns, "列", "列"))
        if cells > MAX_WORKBOOK_CELLS:
            raise TableError(f"Excel ファイルのセルが多すぎます（{MAX_WORKBOOK_CELLS:,}個を超えています）。{_AS_CSV}")
        if extent_rows * columns > MAX_WORKBOOK_CELLS:
            raise TableError(f"Excel ファイルのシートで使われている範囲が広すぎます（{extent_rows:,}行 × {columns:,}列）。"
                             "離れた場所に値が入っていないか確かめるか、" + _AS_CSV)


def _check_archive(source: Source, limits: TableLimits) -> None:
    try:
        with _opened(source) as handle, zipfile.ZipFile(handle) as archive:
            members = archive.infolist()
            if len(members) > MAX_WORKBOOK_MEMBERS:
                raise TableError(f"圧縮ファイルの中身が多すぎます（{len(members):,}個）。表のファイルではないようです")
            # A member is never read past its declared size, so the directory bounds the work.
            unpacked = sum(member.file_size for member in members)
            if unpacked > MAX_WORKBOOK_UNPACKED:
                raise TableError(f"Excel ファイルを展開すると大きすぎます（{_megabytes(unpacked)}。"
                                 f"読めるのは {_megabytes(MAX_WORKBOOK_UNPACKED)} まで）。{_AS_CSV}")
            for member in members:
                if _SHEET.match(member.filename):
                    with archive.open(member) as stream:
                        _check_sheet(stream, limits)
    except TableError:
        raise
    except Exception:  # a damaged archive: the reader says so in its own words
        return


def _line_widths(chunk: np.ndarray, separator: int, carry: int) -> tuple[int, int]:
    """(most separators on a line ending in ``chunk``, separators on its unfinished last line)."""
    marks = np.cumsum(chunk == separator)
    ends = np.flatnonzero(chunk == 0x0A)
    if not ends.size:
        return 0, carry + int(marks[-1])
    per_line = np.diff(marks[ends], prepend=0)
    per_line[0] += carry
    return int(per_line.max()), int(marks[-1] - marks[ends[-1]])


def _check_text(source: Source, head: bytes, limits: TableLimits) -> None:
    """NUL bytes anywhere, and lines naming more columns than the kind has."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return  # two bytes a character: NUL bytes are part of the text
    lines = 1
    carry = {ord(","): 0, ord("\t"): 0}
    with _opened(source) as handle:
        while chunk := handle.read(_CHUNK):
            if (nul := chunk.find(b"\x00")) >= 0:
                line = lines + chunk.count(b"\n", 0, nul)
                raise TableError(f"{line:,}行目に文字ではないデータ（NUL）があり、表として読めません。"
                                 "表計算ソフトで CSV として保存し直してください")
            bytes_ = np.frombuffer(chunk, np.uint8)
            for separator in carry:
                widest, carry[separator] = _line_widths(bytes_, separator, carry[separator])
                if max(widest, carry[separator]) + 1 > limits.columns:
                    raise TableError(_too_many(max(widest, carry[separator]) + 1, limits.columns, "1行の列", "列"))
            lines += chunk.count(b"\n")


def check_source(source: Source, head: bytes, suffix: str, limits: TableLimits = DEFAULT_TABLE_LIMITS) -> None:
    """Refuse a file whose reading would cost far more than its size: a workbook
    that unpacks too large or holds too many cells, rows or columns, or a text
    file with NUL bytes or too many columns on a line. ``head`` is the file's
    first bytes, ``suffix`` its extension (what is not a table is refused by
    the reader, with what it seems to be)."""
    if head.startswith(_ZIP):
        _check_archive(source, limits)
    elif _file_format(source, suffix, head) == "text":
        _check_text(source, head, limits)


def check_shape(table: RawTable, limits: TableLimits) -> None:
    """Refuse a table read with more data rows or columns than its kind allows."""
    if len(table.frame) > limits.rows:
        raise TableError(_too_many(len(table.frame), limits.rows, "データの行", "行"))
    if len(table.frame.columns) > limits.columns:
        raise TableError(_too_many(len(table.frame.columns), limits.columns, "列", "列"))
