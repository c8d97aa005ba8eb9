"""Excel and CSV downloads open cleanly in Excel and never run a formula."""

from __future__ import annotations

import io
from datetime import date, datetime

import numpy as np
import openpyxl
import pandas as pd
import pytest

from kit.export import (
    FORMULA_TRIGGERS,
    REPLACEMENT,
    export_filename,
    is_formula_like,
    neutralise,
    to_csv,
    to_xlsx,
)

FORMULA_LIKE = ["=HYPERLINK(\"http://example.com\",\"開く\")", "+81-90", "-見守りが必要",
                "@SUM(A1:A3)", "\t=1+1", "\r=1+1"]


def actors() -> pd.DataFrame:
    return pd.DataFrame({
        "名称": ["みどり食堂", "髙橋商店", "=1+1", "-送迎あり"],
        "人数": [12, -3, 0, 7],
        "割合": [0.5, np.nan, -1.25, 2.0],
        "生活課題": [["買物", "移動"], None, "見守り", "@居場所"],
        "更新日": pd.to_datetime(["2025-04-01 00:00", None, "2025-05-10 14:30", "2025-06-01 00:00"]),
    })


def read_book(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def all_cells(book: openpyxl.Workbook):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


# --- neutralise ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_neutralised(text):
    assert is_formula_like(text)
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["みどり食堂", "1+1=2", "メール a@b.jp", "", -5, -1.5, None, 0])
def test_plain_text_and_numbers_are_left_alone(value):
    assert not is_formula_like(value)
    assert neutralise(value) == value


def test_triggers_are_owasps_list():
    assert set(FORMULA_TRIGGERS) == {"=", "+", "-", "@", "\t", "\r"}


# --- xlsx ----------------------------------------------------------------------------------

def test_xlsx_keeps_japanese_text_numbers_dates_and_empty_cells():
    sheet = read_book(to_xlsx({"主体": actors()}))["主体"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == ["名称", "人数", "割合", "生活課題", "更新日"]
    assert rows[1] == ["みどり食堂", 12, 0.5, "買物、移動", datetime(2025, 4, 1)]
    assert rows[2] == ["髙橋商店", -3, None, None, None]
    assert rows[3][1:3] == [0, -1.25]
    assert rows[3][4] == datetime(2025, 5, 10, 14, 30)
    assert sheet["B3"].data_type == "n" and sheet["C4"].data_type == "n"  # negatives stay numbers


def test_xlsx_formula_like_text_is_text_not_a_formula():
    table = pd.DataFrame({"メモ": FORMULA_LIKE, "=見出し": range(len(FORMULA_LIKE))})
    book = read_book(to_xlsx({"メモ": table}))
    assert not [cell.coordinate for cell in all_cells(book) if cell.data_type == "f"]
    sheet = book["メモ"]
    assert [sheet.cell(row=r, column=1).value for r in range(2, len(FORMULA_LIKE) + 2)] == FORMULA_LIKE
    assert sheet["B1"].value == "=見出し"
    # Excel's own mark for "typed with a leading apostrophe": stays text when edited
    assert all(sheet.cell(row=r, column=1).quotePrefix for r in range(2, len(FORMULA_LIKE) + 2))


def test_xlsx_header_is_bold_and_frozen():
    sheet = read_book(to_xlsx({"主体": actors()}))["主体"]
    assert all(cell.font.b for cell in sheet[1])
    assert not sheet["A2"].font.b
    assert sheet.freeze_panes == "A2"


def test_xlsx_columns_are_wide_enough_for_japanese_text():
    table = pd.DataFrame({"ascii": ["abcdefghij"], "日本語": ["あいうえおかきくけこ"],
                          "長文": ["とても長いメモ" * 30]})
    sheet = read_book(to_xlsx({"s": table}))["s"]
    widths = {col: sheet.column_dimensions[col].width for col in "ABC"}
    assert widths["B"] > widths["A"] >= 10  # ten full-width characters need about twice the room
    assert widths["C"] <= 60 and sheet["C2"].alignment.wrap_text  # long notes wrap, not sprawl


def test_xlsx_sheet_names_follow_excels_rules():
    names = ["地区別/年齢[2025]", "地区別:年齢*2025?", "History", "'引用'", "",
             "とても長いシート名になってしまった地域診断の結果一覧表その一", "SHEET", "sheet"]
    book = read_book(to_xlsx({name: pd.DataFrame({"a": [i]}) for i, name in enumerate(names)}))
    result = book.sheetnames
    assert len(result) == len(names)
    assert all(1 <= len(name) <= 31 for name in result)
    assert not any(set(name) & set("[]:*?/\\") for name in result)
    assert not any(name.startswith("'") or name.endswith("'") for name in result)
    assert len({name.casefold() for name in result}) == len(result)
    assert "history" not in {name.casefold() for name in result}
    assert result[0].startswith("地区別") and result[5].startswith("とても長い")
    # the order of the sheets is the order given
    assert [book[name]["A2"].value for name in result] == list(range(len(names)))


def test_xlsx_survives_characters_xml_cannot_hold():
    table = pd.DataFrame({"メモ": ["改行\nあり", "制御\x01文字"]})
    sheet = read_book(to_xlsx({"s": table}))["s"]
    assert sheet["A2"].value == "改行\nあり"
    assert sheet["A3"].value == f"制御{REPLACEMENT}文字"


def test_xlsx_needs_at_least_one_table():
    with pytest.raises(ValueError, match="表がありません"):
        to_xlsx({})


# --- CSV -----------------------------------------------------------------------------------

def test_utf8_csv_starts_with_bom_and_reads_back():
    export = to_csv(actors())
    assert export.data.startswith(b"\xef\xbb\xbf")
    assert export.problems == []
    back = pd.read_csv(io.BytesIO(export.data), encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert back["名称"].tolist() == ["みどり食堂", "髙橋商店", "'=1+1", "'-送迎あり"]
    assert back["人数"].tolist() == ["12", "-3", "0", "7"]  # negative numbers are not neutralised
    assert back["割合"].tolist() == ["0.5", "", "-1.25", "2"]
    assert back["生活課題"].tolist() == ["買物、移動", "", "見守り", "'@居場所"]
    assert back["更新日"].tolist()[:2] == ["2025-04-01 00:00:00", ""]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_csv_lines_end_with_crlf(encoding):
    data = to_csv(actors(), encoding).data
    assert data.count(b"\r\n") == len(actors()) + 1
    assert data.count(b"\n") == data.count(b"\r\n")


def test_cp932_csv_keeps_what_shift_jis_can_hold():
    table = pd.DataFrame({"名称": ["髙橋商店", "①番地の〜サロン", "㈱みどり"]})
    export = to_csv(table, "cp932")
    assert export.problems == []
    text = export.data.decode("cp932")
    assert "髙橋商店" in text and "①番地の" in text and "㈱みどり" in text


def test_cp932_csv_reports_and_replaces_what_it_cannot_hold():
    table = pd.DataFrame({"名称": ["みどり食堂", "𠮷野家の隣🙂"], "メモ": ["ok", "—"]})
    export = to_csv(table, "cp932")
    text = export.data.decode("cp932")  # valid CP932 despite the replacements
    assert f"{REPLACEMENT}野家の隣{REPLACEMENT}" in text
    assert [(p.row, p.column, p.char) for p in export.problems] == [(3, "名称", "𠮷"), (3, "名称", "🙂")]
    assert "3行目" in export.problems[0].message and "名称" in export.problems[0].message
    assert "―" in text  # the em dash has a CP932 look-alike and is not a problem


def test_cp932_csv_reports_a_header_character_on_row_1():
    export = to_csv(pd.DataFrame({"🙂": ["a"]}), "cp932")
    assert [(p.row, p.char) for p in export.problems] == [(1, "🙂")]


def test_csv_refuses_an_unknown_encoding():
    with pytest.raises(ValueError, match="文字コード"):
        to_csv(actors(), "latin-1")


# --- file names ----------------------------------------------------------------------------

def test_export_filename_has_stem_and_date():
    assert export_filename("地域診断", "xlsx", date(2026, 11, 22)) == "地域診断_2026-11-22.xlsx"
    assert export_filename("主体一覧", ".CSV", datetime(2026, 1, 2, 15, 4)) == "主体一覧_2026-01-02.csv"


def test_export_filename_removes_what_file_systems_refuse():
    name = export_filename('3班/地域診断: "案"?', "xlsx", date(2026, 11, 22))
    assert not set(name) & set('\\/:*?"<>| ')
    assert name.startswith("3班_地域診断") and name.endswith("_2026-11-22.xlsx")
    assert export_filename("///", "xlsx", date(2026, 11, 22)) == "書き出し_2026-11-22.xlsx"


def test_export_filename_refuses_a_strange_extension():
    with pytest.raises(ValueError, match="拡張子"):
        export_filename("地域診断", "xlsx/../x", date(2026, 11, 22))
