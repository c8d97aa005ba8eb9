"""Input files for the reader tests: the UTF-8 CSVs in ``fixtures/io`` and the
variants users bring of them (BOM, Shift_JIS, Excel), made in code."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

from openpyxl import Workbook

FIXTURES = Path(__file__).parent / "fixtures" / "io"

PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def fixture(name: str) -> Path:
    return FIXTURES / name


def fixture_text(name: str) -> str:
    return fixture(name).read_text(encoding="utf-8")


def records(name: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(fixture_text(name))))


def encoded(tmp_path: Path, name: str, encoding: str) -> Path:
    """The fixture saved in ``encoding`` (``utf-8-sig`` = with BOM, ``cp932`` = Shift_JIS)."""
    path = tmp_path / f"{encoding}_{name}"
    path.write_bytes(fixture_text(name).encode(encoding))
    return path


def excel_value(text: str) -> object:
    """What Excel would store for a typed cell: numbers as numbers, dates as
    dates; codes with a leading 0 stay text, as a text-formatted column keeps them."""
    if re.fullmatch(r"[1-9]\d*", text):
        return int(text)
    if match := re.fullmatch(r"(\d{4})/(\d{1,2})/(\d{1,2})", text):
        return dt.datetime(*map(int, match.groups()))
    return text or None


def as_xlsx(tmp_path: Path, name: str, *, above: list[list[str]] = (), sheet: str = "Sheet1",
            first_sheet: str | None = None) -> Path:
    """The fixture as an .xlsx, with ``above`` rows (a title, notes) over the
    header; ``first_sheet`` adds an unrelated sheet before the data's."""
    book = Workbook()
    if first_sheet:
        book.active.title = first_sheet
        book.active.append(["この表ではありません"])
        sheet_ = book.create_sheet(sheet)
    else:
        sheet_ = book.active
        sheet_.title = sheet
    for row in above:
        sheet_.append(row)
    for row in records(name):
        sheet_.append([excel_value(cell) for cell in row])
    path = tmp_path / Path(name).with_suffix(".xlsx").name
    book.save(path)
    return path


# --- a 住民基本台帳 table as municipalities print it: areas by 町丁字, a title
# above, a header over two rows with 男 / 女 merged over their age columns, the
# last band open at 85歳以上. Its counts are a formula, so tests know them
# without reading the file.
JUKI_AREAS = ("本町一丁目", "本町二丁目", "大字奥沢")
JUKI_BANDS = tuple(f"{age}～{age + 4}歳" for age in range(0, 85, 5)) + ("85歳以上",)
JUKI_SEXES = ("男", "女")


def juki_count(area: int, sex: int, band: int) -> int:
    return 7 + 11 * area + 5 * sex + 3 * band + (band * band) % 13


def juki_records() -> list[list[object]]:
    """The sheet's rows: title, blank, upper header, lower header, data."""
    upper, lower = ["町丁字", "年"], [None, None]
    for sex in JUKI_SEXES:
        upper += [sex] + [None] * len(JUKI_BANDS)
        lower += ["総数", *JUKI_BANDS]
    rows = [["町丁字別 男女別 年齢（5歳階級）別人口（令和7年3月末日現在）"], [], upper, lower]
    for a, area in enumerate(JUKI_AREAS):
        row = [area, "令和7年"]
        for s in range(len(JUKI_SEXES)):
            counts = [juki_count(a, s, b) for b in range(len(JUKI_BANDS))]
            row += [sum(counts), *counts]
        rows.append(row)
    return rows


def juki_xlsx(path: Path) -> Path:
    """The table as an .xlsx with its header cells merged, as Excel users make it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "町丁字別"
    for row in juki_records():
        sheet.append(row)
    sheet.merge_cells("A3:A4")
    sheet.merge_cells("B3:B4")
    width = len(JUKI_BANDS) + 1
    for s in range(len(JUKI_SEXES)):
        first = 3 + s * width
        sheet.merge_cells(start_row=3, start_column=first, end_row=3, end_column=first + width - 1)
    book.save(path)
    return path
