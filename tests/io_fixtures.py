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
