"""Users' files load into the canonical tables, or are refused with every
problem named by file, Excel row and column."""

import datetime as dt
import io
import random
import zipfile

import pandas as pd
import pytest
from io_fixtures import PNG_BYTES, as_xlsx, encoded, fixture, fixture_text, records
from openpyxl import Workbook

from kit import vocab
from kit.io import KINDS, load
from kit.io.schema import SPECS

VALID = {
    "areas": "areas.csv", "population": "population_long.csv", "certification": "certification.csv",
    "needs_survey": "needs_survey.csv", "resources": "resources.csv", "cases": "cases.csv",
    "actors": "actors.csv", "area_map": "area_map.csv",
}


def places(result):
    """(row, column) of each error, the way a user would look them up."""
    return {(p.row, p.column) for p in result.errors}


def load_bytes(kind, content, filename="upload.csv", **kwargs):
    return load(kind, content, filename=filename, **kwargs)


# ----------------------------------------------------------------- every kind, every encoding


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_loads_with_canonical_columns_first(kind):
    result = load(kind, fixture(VALID[kind]))
    assert result.ok, result.report()
    names = list(SPECS[kind].names)
    assert list(result.data.columns[:len(names)]) == names
    assert result.data.index.name == "行"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_bom_and_shift_jis_read_the_same_as_utf8(tmp_path, kind, encoding):
    expected = load(kind, fixture(VALID[kind])).data
    result = load(kind, encoded(tmp_path, VALID[kind], encoding))
    assert result.ok, result.report()
    pd.testing.assert_frame_equal(result.data, expected)


@pytest.mark.parametrize("kind", ["areas", "certification", "cases", "actors", "needs_survey"])
def test_xlsx_reads_the_same_values_as_csv(tmp_path, kind):
    expected = load(kind, fixture(VALID[kind])).data
    result = load(kind, as_xlsx(tmp_path, VALID[kind]))
    assert result.ok, result.report()
    pd.testing.assert_frame_equal(result.data, expected, check_dtype=False)


def test_excel_unicode_text_export_is_read(tmp_path):
    # Excel's 「Unicode テキスト」: UTF-16 with a BOM, tab separated.
    path = tmp_path / "cases.txt"
    path.write_bytes(fixture_text("cases.csv").replace(",", "\t").encode("utf-16"))
    result = load("cases", path)
    assert result.ok, result.report()
    assert list(result.data["事例ID"]) == ["C001", "C002", "C003"]


# ------------------------------------------------------------------------- what values mean


def test_population_long_form_with_eras_full_width_numbers_and_synonyms():
    result = load("population", fixture("population_long.csv"))
    assert result.ok, result.report()
    data = result.data
    assert result.mapping["圏域コード"] == "地区コード"
    assert result.mapping["年度"] == "年"
    man = data.loc[2]
    assert (man["年"], man["年齢階級"], man["人口"]) == (2025, "65-69", 1234)   # 令和7年, 65～69歳, １，２３４
    assert data.loc[3, "年齢階級"] == "65-69"                                  # ６５～６９歳
    assert data.loc[3, "年"] == 2025                                           # R7
    assert data.loc[4, "年齢階級"] == "100+"                                   # 100歳以上
    assert data.loc[6, "年"] == 2030                                           # 令和12年
    assert "備考" in result.unmapped and data.loc[6, "備考"] == "社人研の推計"


def test_population_total_rows_are_skipped_with_a_warning_naming_them():
    result = load("population", fixture("population_long.csv"))
    assert 5 not in result.data.index
    assert any("5行目" in p.message and "総数" in p.message for p in result.warnings)


def test_sex_as_e_stat_writes_it_is_read_and_numeric_codes_are_not():
    content = ("地区コード,年,性別,年齢階級,人口,区分\n"
               "A01,2020,男性,65-69,10,実績\nA01,2020,女性,65-69,12,実績\nA01,2020,総数,65-69,22,実績\n")
    result = load_bytes("population", content.encode())
    assert result.ok, result.report()
    assert list(result.data["性別"]) == ["男", "女", "計"]

    coded = load_bytes("population", content.replace("男性", "1").encode())
    assert places(coded) == {(2, "性別")}
    # 計 is no answer in a survey: its spellings are refused there as 計 is.
    survey = fixture_text("needs_survey.csv").replace(",男,", ",総数,", 1)
    assert not load_bytes("needs_survey", survey.encode()).ok


def test_population_wide_form_becomes_one_row_per_band():
    result = load("population", fixture("population_wide.csv"))
    assert result.ok, result.report()
    data = result.data
    assert len(data) == 4 * len(vocab.AGE_BANDS)
    assert list(data.columns[:6]) == ["地区コード", "年", "性別", "年齢階級", "人口", "区分"]
    header = records("population_wide.csv")[3]
    first = records("population_wide.csv")[4]
    in_file = int(first[header.index("65～69歳")])
    row = data[(data["地区コード"] == "01") & (data["性別"] == "男") & (data["年齢階級"] == "65-69")]
    assert list(row["人口"]) == [in_file]
    assert list(row.index) == [5]                   # header on Excel row 4, under a title and a blank line
    assert set(data["年"]) == {2020}                 # 令和2年
    assert set(data["区分"]) == {"実績"}             # no 区分 column: read as 実績, with a warning
    # An overlapping subtotal is no band, nor kept as a column: it is named in the summary.
    assert result.ignored == ["15～64歳（再掲）"] and "15～64歳（再掲）" not in data.columns
    assert "15～64歳（再掲）" in result.summary()


def test_population_wide_total_that_disagrees_with_the_bands_is_an_error(tmp_path):
    text = fixture_text("population_wide.csv").replace('"4,221"', '"4,999"')
    path = tmp_path / "wide.csv"
    path.write_text(text, encoding="utf-8")
    result = load("population", path)
    assert not result.ok
    assert places(result) == {(6, "総数")}
    assert "4,999" in result.errors[0].message and "4,221" in result.errors[0].message


def test_notes_under_a_statistics_table_are_skipped_and_said():
    result = load("population", fixture("population_wide.csv"))
    assert any("10～11行目" in p.message for p in result.warnings)


def test_certification_synonyms_full_width_headers_and_missing_is_not_zero():
    result = load("certification", fixture("certification.csv"))
    assert result.ok, result.report()
    data = result.data
    assert data.loc[2, "要支援1"] == 1020 and data.loc[2, "要介護1"] == 1200
    assert data.loc[2, "第1号被保険者数"] == 23456
    assert list(data["年"]) == [2024, 2024, 2024]   # 令和6年度, R6, 2024年度
    assert pd.isna(data.loc[4, "要介護5"])          # empty cell: missing, never 0


def test_certification_bad_values_are_reported_at_their_cells():
    result = load("certification", fixture("certification_bad.csv"))
    assert result.data is None
    assert places(result) == {(3, "要介護2"), (4, "要支援1"), (5, "年"), (6, None)}
    by_place = {(p.row, p.column): p.message for p in result.errors}
    assert "負の数" in by_place[(3, "要介護2")]
    assert "2行目" in by_place[(6, None)]           # same 地区コード and 年 as row 2


def test_needs_survey_flags_and_questionnaire_columns_are_kept():
    result = load("needs_survey", fixture("needs_survey.csv"))
    assert result.ok, result.report()
    data = result.data
    assert list(data["運動器機能低下"]) == [True, True, False]      # 1 / 該当 / 0
    assert pd.isna(data.loc[4, "低栄養"])                          # unanswered
    assert data.loc[4, "年齢"] == 70                               # ７０
    assert list(data["問1(1)家族構成"].iloc[:2]) == ["1", "2"]
    assert result.unmapped == ["問1(1)家族構成"]


def test_needs_survey_with_some_flags_missing_is_warned(tmp_path):
    path = tmp_path / "survey.csv"
    path.write_text("回答者ID,地区コード,性別,年齢,低栄養\nR1,01,女,80,1\n", encoding="utf-8")
    result = load("needs_survey", path)
    assert result.ok
    assert any("運動器機能低下" in p.message for p in result.warnings)


def test_resources_coordinates_and_their_range(tmp_path):
    result = load("resources", fixture("resources.csv"))
    assert result.ok, result.report()
    assert result.data.loc[2, "緯度"] == pytest.approx(35.6812)
    assert pd.isna(result.data.loc[4, "経度"])
    swapped = tmp_path / "swapped.csv"
    swapped.write_text("資源ID,名称,種別,地区コード,緯度,経度\nS1,体操,通いの場,01,139.76,35.68\n", encoding="utf-8")
    assert places(load("resources", swapped)) == {(2, "緯度"), (2, "経度")}


def test_cases_multi_valued_tags_and_synonyms():
    result = load("cases", fixture("cases.csv"))
    assert result.ok, result.report()
    data = result.data
    assert data.loc[2, "生活課題"] == ("買物", "移動")
    assert data.loc[3, "生活課題"] == ("移動", "農地")
    assert data.loc[2, "要介護度"] == "要支援1"                   # 要支援１
    assert data.loc[2, "年齢階級"] == "80-84"                     # 80～84歳
    assert result.mapping["要介護状態区分"] == "要介護度"
    assert pd.isna(data.loc[4, "緊急度"])


def test_cases_problems_name_file_excel_row_and_column():
    result = load("cases", fixture("cases_bad.csv"))
    assert result.data is None
    assert places(result) == {(3, "要介護度"), (4, "事例ID"), (5, "世帯"), (6, "地区コード")}
    lines = result.report().splitlines()
    assert any(line.startswith("cases_bad.csv 3行目「要介護度」: 「要介護６」は使えない値です（使える値: 自立、事業対象者、要支援1")
               for line in lines)


def test_duplicate_id_names_both_rows():
    result = load("cases", fixture("cases_bad.csv"))
    duplicate = next(p for p in result.errors if p.column == "事例ID")
    assert duplicate.row == 4 and "2行目" in duplicate.message and "C001" in duplicate.message


def test_out_of_vocabulary_terms_get_the_closest_term():
    result = load("cases", fixture("cases_bad.csv"))
    # A tag is never refused: one close to the vocabulary is kept, and asked about.
    tag = next(p for p in result.warnings if p.column == "生活課題")
    assert tag.row == 5 and "「居場所づくり」" in tag.message and "「居場所」のことですか" in tag.message
    household = next(p for p in result.errors if p.column == "世帯")
    assert "ひとり暮らし" in household.message and "独居" in household.message


def test_actor_sub_items_point_to_their_category():
    result = load("actors", fixture("actors_bad.csv"))
    category = next(p for p in result.errors if p.column == "カテゴリ")
    assert category.row == 2 and "「買物」の中の項目" in category.message


def test_actors_duplicates_by_name_or_phone_are_warnings_not_refusals():
    result = load("actors", fixture("actors.csv"))
    assert result.ok, result.report()
    warned = {(p.row, p.column) for p in result.warnings}
    assert warned == {(4, "団体名"), (5, "TEL")}
    phone = next(p for p in result.warnings if p.column == "TEL")
    assert "3行目" in phone.message and "0120" not in phone.message    # contact data is not repeated


def test_actors_values():
    data = load("actors", fixture("actors.csv")).data
    assert data.loc[2, "カテゴリ"] == ("買物", "宅配・デリバリー")
    assert data.loc[2, "活動地区"] == ("01", "02")
    assert data.loc[3, "活動地区"] == (vocab.WHOLE_TOWN,)
    assert data.loc[3, "本業との関わり"] == "社会貢献(CSR)"               # 社会貢献（CSR）
    assert list(data["更新日"].dt.date.iloc[:3]) == [dt.date(2025, 4, 1), dt.date(2025, 5, 10), dt.date(2025, 4, 1)]
    assert data.loc[5, "対応できる生活課題"] == ("居場所", "多世代交流")


def test_known_areas_check_codes_and_notice_a_lost_leading_zero(tmp_path):
    result = load("cases", fixture("cases.csv"), known_areas={"01", "02"})
    assert places(result) == {(4, "地区コード")}
    path = tmp_path / "cases.csv"
    path.write_text(fixture_text("cases.csv").replace("\nC002,02,", "\nC002,2,"), encoding="utf-8")
    lost_zero = load("cases", path, known_areas={"01", "02", "03"})
    assert "「02」のことですか" in lost_zero.errors[0].message
    actors = load("actors", fixture("actors_bad.csv"), known_areas={"01"})
    assert (3, "活動地区") in places(actors)


# ----------------------------------------------------------------------------- columns


def test_missing_required_column_is_named_and_nothing_is_loaded():
    result = load("actors", fixture("actors_bad.csv"))
    assert result.data is None and not result.ok
    assert result.missing == ["名称"]
    assert any("「名称」" in p.message and p.row is None for p in result.errors)


def test_extra_columns_are_kept_and_never_an_error():
    result = load("resources", fixture("resources.csv"))
    assert result.unmapped == ["メモ"]
    assert result.data.loc[2, "メモ"] == "公民館で実施"


def test_mapping_names_unknown_headers(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("番号,なまえ\nA,中央\nB,北部\n", encoding="utf-8")
    refused = load("areas", path)
    assert refused.missing == ["地区コード", "地区名"] and refused.unmapped == ["番号", "なまえ"]
    result = load("areas", path, mapping={"番号": "地区コード", "なまえ": "地区名"})
    assert result.ok, result.report()
    assert list(result.data["地区名"]) == ["中央", "北部"]
    assert result.mapping == {"番号": "地区コード", "なまえ": "地区名"}


def test_mapping_to_a_column_the_kind_lacks_is_an_error(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("地区コード,地区名,番号\n01,中央,1\n", encoding="utf-8")
    result = load("areas", path, mapping={"番号": "人口"})
    assert places(result) == {(None, "番号")}


def test_two_columns_for_one_canonical_column_use_the_exact_one_and_warn(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("地区コード,圏域,地区名\n01,第1圏域,中央\n", encoding="utf-8")
    result = load("areas", path)
    assert result.ok
    assert result.data.loc[2, "地区名"] == "中央"
    assert [p.column for p in result.warnings] == ["圏域"]
    assert result.data.loc[2, "圏域"] == "第1圏域"


def test_header_synonyms_are_matched_after_nfkc_and_case(tmp_path):
    path = tmp_path / "actors.csv"
    path.write_text("主体ID,企業名,Ｅ－ｍａｉｌ,ｔｅｌ\nA1,みどり商店,a@example.jp,000\n", encoding="utf-8")
    result = load("actors", path)
    assert result.ok, result.report()
    assert result.mapping == {"主体ID": "主体ID", "企業名": "名称", "Ｅ－ｍａｉｌ": "メール", "ｔｅｌ": "電話"}


# ------------------------------------------------------------------------ table layout


def test_xlsx_title_rows_shift_the_reported_rows(tmp_path):
    path = as_xlsx(tmp_path, "cases_bad.csv", above=[["令和7年度 個別事例"], []])
    result = load("cases", path)
    assert places(result) == {(5, "要介護度"), (6, "事例ID"), (7, "世帯"), (8, "地区コード")}


def test_xlsx_header_cell_merged_over_two_rows(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.append(["地区コード", "地区の情報", None])
    sheet.append([None, "地区名", "地域特性"])
    sheet.merge_cells("A1:A2")
    sheet.merge_cells("B1:C1")
    sheet.append(["01", "中央", "都市部"])
    sheet.append(["02", "北部", "山奥"])
    path = tmp_path / "areas.xlsx"
    book.save(path)
    result = load("areas", path)
    assert result.mapping == {"地区コード": "地区コード", "地区名": "地区名", "地域特性": "地域特性"}
    assert places(result) == {(4, "地域特性")}


def test_xlsx_named_sheet(tmp_path):
    path = as_xlsx(tmp_path, "areas.csv", sheet="地区", first_sheet="表紙")
    assert load("areas", path, sheet="地区").ok
    missing = load("areas", path, sheet="人口")
    assert "シート「人口」がありません" in missing.errors[0].message and "地区" in missing.errors[0].message


def test_xlsx_renamed_csv_is_read_as_excel(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_bytes(as_xlsx(tmp_path, "areas.csv").read_bytes())
    assert load("areas", path).ok


def test_csv_metadata_lines_above_the_header(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("地区一覧（令和7年4月1日現在）\n作成: 高齢福祉課\n\n" + fixture_text("areas.csv"), encoding="cp932")
    result = load("areas", path)
    assert result.ok, result.report()
    assert list(result.data.index) == [5, 6, 7]


def test_blank_lines_between_rows_keep_excel_row_numbers(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("地区コード,地区名,地域特性\n01,中央,都市部\n\n,,\n02,北部,田舎\n", encoding="utf-8")
    result = load("areas", path)
    assert places(result) == {(5, "地域特性")}


def test_quoted_cells_with_line_breaks_count_as_one_row(tmp_path):
    path = tmp_path / "cases.csv"
    text = fixture_text("cases_bad.csv").replace("散歩を続けたい", '"散歩を\n続けたい"')
    path.write_text(text, encoding="utf-8")
    assert (3, "要介護度") in places(load("cases", path))


def test_rows_wider_than_the_header_keep_their_cells_as_a_lettered_column(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("地区コード,地区名\n01,中央\n02,北部,メモ書き\n", encoding="utf-8")
    result = load("areas", path)
    assert result.ok, result.report()
    assert result.unmapped == ["列C"]
    assert result.data.loc[3, "列C"] == "メモ書き"


def test_header_only_file_is_refused():
    result = load_bytes("areas", "地区コード,地区名\n".encode())
    assert not result.ok and "データの行がありません" in result.report()


# --------------------------------------------------------------------- files that are no table


def _zip_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize("filename, content, expected", [
    ("cases.csv", b"", "ファイルが空です"),
    ("cases.csv", b"\r\n \r\n", "ファイルが空です"),
    ("photo.csv", PNG_BYTES, "画像（PNG）"),
    ("archive.csv", _zip_bytes(), "ZIP 形式"),
    ("binary.csv", "事例ID,地区コード\nC1,\x00\x00\x01\n".encode(), "バイナリ"),
    ("old.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), ".xls"),
    ("report.xls", b"<html><table><tr><td>1</td></tr></table></html>", ".xls"),
    ("cases.xlsx", "事例ID\nC1\n".encode(), "中身が Excel ファイルではありません"),
    ("notes.docx", "事例ID\nC1\n".encode(), "「.docx」のファイルは読めません"),
])
def test_files_that_are_no_table_are_refused_in_one_sentence(filename, content, expected):
    result = load_bytes("cases", content, filename=filename)
    assert not result.ok
    assert len(result.problems) == 1
    assert expected in result.problems[0].message
    assert result.problems[0].file == filename


def test_undecodable_bytes_name_the_line():
    content = "事例ID,地区コード\nC1,01\nC2,02\n".encode() + b"C3,\xff\xfe\x80\n"
    result = load_bytes("cases", content)
    assert "4行目付近" in result.errors[0].message


def test_file_over_the_size_limit_is_refused_unread():
    content = fixture("cases.csv").read_bytes()
    result = load_bytes("cases", content, max_bytes=len(content) - 1)
    assert not result.ok and "大きすぎます" in result.errors[0].message
    assert load_bytes("cases", content, max_bytes=len(content)).ok


def test_missing_path_is_a_problem_not_an_exception(tmp_path):
    result = load("cases", tmp_path / "nothing.csv")
    assert "見つかりません" in result.errors[0].message


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError):
        load("people", b"a\n1\n", filename="a.csv")


# ------------------------------------------------------------------------------- reporting


def test_report_caps_the_list_and_counts_the_rest(tmp_path):
    path = tmp_path / "areas.csv"
    path.write_text("地区コード,地区名,地域特性\n" + "".join(f"{i:03d},地区{i},山奥\n" for i in range(120)), encoding="utf-8")
    result = load("areas", path)
    lines = result.report(limit=50).splitlines()
    assert len(lines) == 1 + 50 + 1
    assert lines[-1] == "他に70件"
    assert "120件" in result.summary()


def test_problems_beyond_the_cap_are_counted(tmp_path, monkeypatch):
    monkeypatch.setattr("kit.io.readers.MAX_PROBLEMS", 10)
    path = tmp_path / "areas.csv"
    path.write_text("地区コード,地区名,地域特性\n" + "".join(f"{i:03d},地区{i},山奥\n" for i in range(30)), encoding="utf-8")
    result = load("areas", path)
    assert len(result.problems) == 10 and result.omitted == 20
    assert result.report(limit=5).splitlines()[-1] == "他に25件"


def test_summary_of_a_good_load_says_rows_and_renamed_columns():
    summary = load("cases", fixture("cases.csv")).summary()
    assert summary.startswith("cases.csv: 3行を読み込みました")
    assert "「要介護状態区分」→要介護度" in summary


def test_bytes_source_uses_the_given_file_name():
    result = load_bytes("cases", fixture("cases_bad.csv").read_bytes(), filename="アップロード.csv")
    assert all(str(p).startswith("アップロード.csv") for p in result.problems)


def test_wide_population_from_excel_reads_as_from_csv(tmp_path):
    expected = load("population", fixture("population_wide.csv")).data
    result = load("population", as_xlsx(tmp_path, "population_wide.csv"))
    assert result.ok, result.report()
    pd.testing.assert_frame_equal(result.data, expected, check_dtype=False)


def test_wide_population_lacking_bands_is_warned(tmp_path):
    path = tmp_path / "wide.csv"
    path.write_text("地区コード,年,性別,65～69歳,70～74歳\n01,2025,計,10,20\n", encoding="utf-8")
    result = load("population", path)
    assert result.ok
    assert list(result.data["年齢階級"]) == ["65-69", "70-74"]
    assert any("ない階級" in p.message and "0-4" in p.message for p in result.warnings)


def test_whatever_the_bytes_load_answers_without_raising():
    rng = random.Random(20250401)
    sources = [path.read_bytes() for path in sorted(fixture("areas.csv").parent.glob("*.csv"))]
    for _ in range(300):
        data = bytearray(rng.choice(sources))
        for _ in range(rng.randrange(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        data = data[:rng.randrange(len(data) + 1)]
        result = load(rng.choice(KINDS), bytes(data), filename=rng.choice(["f.csv", "f.xlsx", "f.txt"]))
        assert result.ok or result.errors
