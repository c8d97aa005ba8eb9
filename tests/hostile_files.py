"""Files made to cost a reader far more than their size: the ones a security test
brought against the kit (issue 20), made in code. Shared by tests and bench/."""

from __future__ import annotations

import zipfile
from pathlib import Path

# The smallest parts of a valid .xlsx besides its one sheet.
_XLSX_PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        "</Types>"),
    "_rels/.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'),
    "xl/workbook.xml": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'),
    "xl/_rels/workbook.xml.rels": (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
}
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
_SHEET_END = "</sheetData></worksheet>"


def _xlsx(path: Path, rows) -> Path:
    """An .xlsx whose sheet's rows are the strings ``rows`` yields, streamed."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        for name, text in _XLSX_PARTS.items():
            book.writestr(name, text)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(_SHEET_START.encode())
            for row in rows:
                sheet.write(row.encode())
            sheet.write(_SHEET_END.encode())
    return path


def xlsx_bomb(path: Path, rows: int = 20_000, columns: int = 1_000) -> Path:
    """A valid workbook of ``rows`` × ``columns`` numbers that compresses about
    300:1 (the defaults: 20 million cells, 300 MB unpacked, about 1 MB on disk)."""
    row = "<row>" + "<c><v>1</v></c>" * columns + "</row>"
    return _xlsx(path, (row for _ in range(rows)))


def xlsx_cell_bomb(path: Path, cells: int) -> Path:
    """A workbook of ``cells`` empty cells, small even unpacked (4 bytes a cell)."""
    row = "<row>" + "<c/>" * 1_000 + "</row>"
    return _xlsx(path, (row for _ in range(cells // 1_000)))


def xlsx_far_corner(path: Path, column: str = "XFD", row: int = 1_048_576) -> Path:
    """Two cells, A1 and one far away (by default the last cell a sheet can have,
    XFD1048576): a reader that lays the sheet out as a grid allocates 17 billion cells."""
    return _xlsx(path, ['<row r="1"><c r="A1" t="inlineStr"><is><t>地区コード</t></is></c></row>',
                        f'<row r="{row}"><c r="{column}{row}"><v>1</v></c></row>'])


def areas_csv(path: Path, count: int) -> Path:
    """A valid areas file of ``count`` areas (907,775: 25 MB)."""
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write("地区コード,地区名\r\n")
        out.writelines(f"A{number:07d},第{number}地区\r\n" for number in range(count))
    return path


def wide_csv(path: Path, columns: int = 100_000) -> Path:
    """An areas file with ``columns`` columns: its header line alone is over 256 KB."""
    header = ["地区コード", "地区名", *(str(number) for number in range(1, columns - 1))]
    row = ["01", "中央", *("1" for _ in range(columns - 2))]
    path.write_text(",".join(header) + "\r\n" + ",".join(row) + "\r\n", encoding="utf-8")
    return path
