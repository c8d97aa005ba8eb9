"""Excel and CSV files that every notebook offers for download.

Formula injection: text beginning with ``= + - @``, tab or CR (OWASP's CSV
injection list) could run as a formula when the file is opened. The two formats
are protected differently, each the only way that keeps the text intact:

- xlsx: such a cell is stored with the string type and Excel's "quote prefix"
  flag, as Excel itself does when someone types ``'=1+1``: the cell shows the
  exact text and stays text even when edited.
- CSV has no types, so the text is written with a leading ``'`` (:func:`neutralise`);
  Excel shows that apostrophe.

Numbers are never touched: a negative number stays a number. The DataFrame index
is not written; callers who want it call ``reset_index()`` first. This module
does not mask personal data: callers pass tables that are already safe to share.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import pandas as pd

__all__ = [
    "CSV_ENCODINGS",
    "FORMULA_TRIGGERS",
    "LIST_SEPARATOR",
    "REPLACEMENT",
    "CsvExport",
    "CsvProblem",
    "export_filename",
    "is_formula_like",
    "neutralise",
    "to_csv",
    "to_xlsx",
]

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# 〓 (geta) is the traditional Japanese mark for a character that cannot be printed;
# it exists in CP932, so a replaced file is still valid CP932.
REPLACEMENT = "〓"
CSV_ENCODINGS = ("utf-8-sig", "cp932")
LIST_SEPARATOR = "、"  # multi-valued cells, one of the separators the kit's readers accept

_SHEET_NAME_MAX = 31  # Excel counts UTF-16 code units
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")
_CELL_MAX = 32767
_TRUNCATED = "…（以下省略）"
_WIDTH_MIN, _WIDTH_MAX = 6, 50
# Python's cp932 codec already maps 〜 − ‖ ¢ £ ¬ to their CP932 look-alikes; the
# em dash is the one common Japanese punctuation mark it refuses.
_CP932_EQUIVALENTS = str.maketrans({"\u2014": "\u2015"})
_FILENAME_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f\s]+')
_FILENAME_STEM_MAX = 60


def is_formula_like(value: Any) -> bool:
    """True for text that a spreadsheet could take for a formula."""
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


def neutralise(value: Any) -> Any:
    """``value`` made safe for a CSV cell: formula-like text gets a leading ``'``;
    anything else (numbers included) is returned unchanged."""
    return "'" + value if is_formula_like(value) else value


def _plain(value: Any) -> Any:
    """A cell as None, bool, int, float, date, datetime or str."""
    if pd.api.types.is_list_like(value):
        return LIST_SEPARATOR.join(str(item) for item in value)
    if value is None or pd.isna(value):
        return None
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)  # Excel has no time zones: keep the wall-clock time
    if isinstance(value, float) and math.isinf(value):
        return "∞" if value > 0 else "-∞"
    if isinstance(value, (bool, int, float, date, str)):
        return value
    return str(value)


def _rows(df: pd.DataFrame) -> list[list[Any]]:
    """Header then data rows, as plain values; row ``i`` is Excel's row ``i + 1``."""
    header = [str(name) for name in df.columns]
    return [header] + [[_plain(v) for v in row] for row in df.itertuples(index=False, name=None)]


# --- xlsx ---------------------------------------------------------------------------------

def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _clip_utf16(text: str, limit: int) -> str:
    while _utf16_len(text) > limit:
        text = text[:-1]
    return text


def _sheet_names(names: list[Any]) -> list[str]:
    """Excel-valid, unique sheet names: ≤31 characters, none of ``[]:*?/\\``,
    no apostrophe at either end, not ``History``; duplicates get ``(2)``, ``(3)``…
    Uniqueness ignores case and width, as Excel's does."""
    result: list[str] = []
    seen: set[str] = set()
    for position, raw in enumerate(names, start=1):
        base = _SHEET_FORBIDDEN.sub("_", str(raw)).strip(" '") or f"表{position}"
        if base.casefold() == "history":  # reserved by Excel
            base += "_"
        name, number = _clip_utf16(base, _SHEET_NAME_MAX), 1
        while unicodedata.normalize("NFKC", name).casefold() in seen:
            number += 1
            suffix = f"({number})"
            name = _clip_utf16(base, _SHEET_NAME_MAX - len(suffix)) + suffix
        seen.add(unicodedata.normalize("NFKC", name).casefold())
        result.append(name)
    return result


def _display_width(value: Any) -> int:
    """Widest line in Excel width units: full-width characters count two."""
    if value is None:
        return 0
    text = value.isoformat(sep=" ") if isinstance(value, datetime) else str(value)
    return max(sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in line)
               for line in text.split("\n"))


def _set_cell(cell, value: Any, illegal: re.Pattern) -> None:
    if isinstance(value, str):
        value = illegal.sub(REPLACEMENT, value)  # characters XML cannot hold
        if len(value) > _CELL_MAX:
            value = value[:_CELL_MAX - len(_TRUNCATED)] + _TRUNCATED
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"  # openpyxl would otherwise write "=…" as a formula
        cell.quotePrefix = True


def _write_sheet(sheet, df: pd.DataFrame) -> None:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    rows = _rows(df)
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            _set_cell(sheet.cell(row=r, column=c), value, ILLEGAL_CHARACTERS_RE)
    bold = Font(bold=True)
    for cell in sheet[1]:
        cell.font = bold
    sheet.freeze_panes = "A2"
    wrap = Alignment(wrap_text=True, vertical="top")
    for c in range(1, len(rows[0]) + 1):
        widths = [_display_width(row[c - 1]) for row in rows]
        sheet.column_dimensions[get_column_letter(c)].width = \
            min(max(max(widths) + 2, _WIDTH_MIN), _WIDTH_MAX)
        for r, row in enumerate(rows, start=1):  # long or multi-line text wraps instead of spilling
            if isinstance(row[c - 1], str) and (widths[r - 1] > _WIDTH_MAX or "\n" in row[c - 1]):
                sheet.cell(row=r, column=c).alignment = wrap


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """An .xlsx workbook with one sheet per table, in the order given: bold frozen
    header, widths fitted to Japanese text, formula-like text kept as text."""
    if not sheets:
        raise ValueError("書き出す表がありません。")
    # Imported here, not with this module: every page imports this module, and a
    # kernel that never writes a workbook need not hold openpyxl (13 MiB).
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, df in zip(_sheet_names(list(sheets)), sheets.values()):
        _write_sheet(book.create_sheet(name), df)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- CSV ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class CsvProblem:
    """A character the chosen encoding cannot hold, replaced by ``REPLACEMENT``."""

    row: int  # as Excel shows it: the header is row 1
    column: str
    char: str

    @property
    def message(self) -> str:
        return (f"{self.row}行目の「{self.column}」列にある「{self.char}」(U+{ord(self.char):04X}) は"
                f"この文字コードで書き出せないため「{REPLACEMENT}」に置き換えました。")


@dataclass(frozen=True)
class CsvExport:
    data: bytes
    encoding: str
    problems: list[CsvProblem] = field(default_factory=list)


def _csv_text(value: Any, encoding: str) -> tuple[str, list[str]]:
    """A cell's CSV text and the characters that had to be replaced."""
    if value is None:
        return "", []
    if isinstance(value, datetime):
        return value.isoformat(sep=" "), []
    if isinstance(value, float) and value.is_integer():
        return str(int(value)), []  # a count that became float through a missing value
    if not isinstance(value, str):
        return str(value), []
    text = neutralise(value)
    if encoding == "cp932":
        text = text.translate(_CP932_EQUIVALENTS)
    try:
        text.encode(encoding)
        return text, []
    except UnicodeEncodeError:
        bad = [char for char in text if not _encodable(char, encoding)]
        return "".join(REPLACEMENT if char in bad else char for char in text), bad


def _encodable(char: str, encoding: str) -> bool:
    try:
        char.encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def to_csv(df: pd.DataFrame, encoding: str = "utf-8-sig") -> CsvExport:
    """CSV bytes for Excel on Windows: CRLF line ends, formula-like text neutralised,
    characters the encoding cannot hold replaced and reported (never an error)."""
    if encoding not in CSV_ENCODINGS:
        raise ValueError(f"CSV の文字コードは {' / '.join(CSV_ENCODINGS)} から選んでください。")
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    problems: list[CsvProblem] = []
    rows = _rows(df)
    header = rows[0]
    for r, row in enumerate(rows, start=1):
        cells = []
        for column, value in zip(header, row):
            text, bad = _csv_text(value, encoding)
            problems.extend(CsvProblem(r, column, char) for char in bad)
            cells.append(text)
        writer.writerow(cells)
    return CsvExport(buffer.getvalue().encode(encoding), encoding, problems)


def export_filename(stem: str, ext: str, day: date) -> str:
    """``地域診断_2026-11-22.xlsx``: characters Windows or macOS refuse in file names
    (and spaces) become ``_``; the date is passed in, never read from the clock."""
    clean = _FILENAME_UNSAFE.sub("_", unicodedata.normalize("NFKC", stem)).strip("._")
    clean = clean[:_FILENAME_STEM_MAX] or "書き出し"
    suffix = ext.lstrip(".").lower()
    if not re.fullmatch(r"[a-z0-9]{1,8}", suffix):
        raise ValueError(f"拡張子「{ext}」はファイル名に使えません。")
    return f"{clean}_{day:%Y-%m-%d}.{suffix}"
