"""Cells as users type them read as the values they mean."""

import datetime as dt

import pytest

from kit import vocab
from kit.io import normalize as nz


@pytest.mark.parametrize("raw, expected", [
    ("１２３", "123"),
    ("ｻﾛﾝ", "サロン"),
    ("　中央地区　", "中央地区"),
    ("Ｅ－ｍａｉｌ", "E-mail"),
    (None, ""),
    (12.0, "12"),
])
def test_text_is_nfkc_and_trimmed(raw, expected):
    assert nz.normalize_text(raw) == expected


def test_header_ignores_spaces_and_line_breaks():
    assert nz.normalize_header(" 地区\nコード ") == "地区コード"


@pytest.mark.parametrize("raw, expected", [
    ("1,234", 1234), ("１，２３４", 1234), ("1234", 1234), ("12.5", 12.5), (" 7 ", 7),
    ("-5", -5), ("－５", -5), ("−5", -5), ("△5", -5), ("▲1,000", -1000), (3, 3), (2.5, 2.5),
])
def test_numbers(raw, expected):
    assert nz.parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", None, "-", "…", "x", "***"])
def test_empty_and_statistics_marks_are_missing_not_zero(raw):
    assert nz.parse_number(raw) is None
    assert nz.parse_count(raw) is None


@pytest.mark.parametrize("raw", ["abc", "1,23", "12,34,5", "1.2.3", "12人"])
def test_unreadable_numbers_are_refused_with_the_value(raw):
    with pytest.raises(ValueError, match=f"「{raw}」は数として読めません"):
        nz.parse_number(raw)


def test_counts_refuse_negatives_and_fractions():
    with pytest.raises(ValueError, match="負の数"):
        nz.parse_count("-3")
    with pytest.raises(ValueError, match="整数ではありません"):
        nz.parse_count("2.5")
    assert nz.parse_count("１，０２０") == 1020
    assert nz.parse_count("7.0") == 7


@pytest.mark.parametrize("raw, expected", [
    ("2025", 2025), ("2025年", 2025), ("2025年度", 2025), ("２０２５年", 2025),
    ("令和7年", 2025), ("令和7年度", 2025), ("令和元年", 2019), ("R7", 2025), ("r7", 2025),
    ("R07", 2025), ("H31", 2019), ("平成31年", 2019), ("平成元年", 1989), ("昭和64年", 1989),
    ("S50", 1975), ("㋿7年", 2025), (2025, 2025), (2025.0, 2025),
])
def test_years_western_and_japanese_eras(raw, expected):
    assert nz.parse_year(raw) == expected


@pytest.mark.parametrize("raw", ["令和x年", "2025-04-01", "25", "R0", "3000"])
def test_unreadable_years_are_refused(raw):
    with pytest.raises(ValueError, match=f"「{raw}」は年"):
        nz.parse_year(raw)


@pytest.mark.parametrize("raw", [
    "2025-04-01", "2025/4/1", "2025.4.1", "2025年4月1日", "令和7年4月1日", "R7.4.1", "R7/4/1",
    "20250401", "2025-04-01 00:00:00", "２０２５／４／１",
    dt.datetime(2025, 4, 1, 9, 30), dt.date(2025, 4, 1),
])
def test_dates(raw):
    assert nz.parse_date(raw) == dt.date(2025, 4, 1)


def test_excel_serial_numbers_are_dates():
    # 45658 is 2025-01-01 in Excel's 1900 date system; 90 days later is 1 April.
    assert nz.parse_date(45658) == dt.date(2025, 1, 1)
    assert nz.parse_date("45748") == dt.date(2025, 4, 1)
    assert nz.parse_date(45748.75) == dt.date(2025, 4, 1)


def test_first_day_of_reiwa_and_missing_dates():
    assert nz.parse_date("令和元年5月1日") == dt.date(2019, 5, 1)
    assert nz.parse_date("") is None


@pytest.mark.parametrize("raw, message", [
    ("2025/2/30", "存在しない日付"), ("来週", "日付として読めません"), (12, "日付として読めません"),
])
def test_bad_dates_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        nz.parse_date(raw)


@pytest.mark.parametrize("raw, expected", [
    ("65～69歳", "65-69"), ("６５～６９歳", "65-69"), ("65〜69歳", "65-69"), ("65-69", "65-69"),
    ("0～4歳", "0-4"), ("100歳以上", "100+"), ("100+", "100+"), ("95歳～99歳", "95-99"),
])
def test_age_bands(raw, expected):
    assert nz.parse_age_band(raw) == expected
    assert expected in vocab.AGE_BANDS


@pytest.mark.parametrize("raw, message", [
    ("65～74歳", "5歳刻みの年齢階級ではありません"), ("高齢者", "年齢として読めません"),
    ("65歳", "1歳ごとの年齢"), ("100～104歳", "100歳以上"),
])
def test_age_groups_other_than_5_year_bands_are_refused(raw, message):
    with pytest.raises(ValueError, match=message):
        nz.parse_age_band(raw)


@pytest.mark.parametrize("raw, expected", [("85歳以上", "85+"), ("90歳以上", "90+"), ("95+", "95+")])
def test_open_bands_that_keep_the_kits_age_groups_whole_are_bands(raw, expected):
    assert nz.parse_age_band(raw) == expected
    assert expected in vocab.OPEN_AGE_BANDS


@pytest.mark.parametrize("raw", ["70歳以上", "80歳以上", "65+", "87歳以上"])
def test_open_bands_cutting_an_age_group_the_kit_computes_are_refused(raw):
    # 70歳以上 holds people of 70-74 and of 75+: 75歳以上 could no longer be counted.
    with pytest.raises(ValueError, match="85歳以上か、それより上"):
        nz.parse_age_band(raw)


def test_the_open_band_limit_is_the_oldest_group_the_assessment_computes():
    from kit.steps.assessment import domain as assessment

    lowest = sorted({low for low, high in assessment._BOUNDS.values() if high >= 120})
    assert lowest[-1] == vocab.AGE_GROUP_STARTS[-1] == int(vocab.OPEN_AGE_BANDS[0][:-1])


@pytest.mark.parametrize("raw, expected", [
    ("0歳", (0, 0)), ("６５歳", (65, 65)), ("100歳以上", (100, None)), ("95～99歳", (95, 99)),
])
def test_age_spans(raw, expected):
    assert nz.parse_age_span(raw) == expected


def test_a_bare_number_is_an_age_only_in_a_column_of_ages():
    assert nz.parse_age_span("65", bare=True) == (65, 65)
    with pytest.raises(ValueError):
        nz.parse_age_span("65")


@pytest.mark.parametrize("raw, expected", [("-", 0), ("－", 0), ("―", 0), ("1,234", 1234), ("***", None),
                                           ("x", None), ("…", None), ("", None)])
def test_tallies_read_a_dash_as_zero_and_other_marks_as_missing(raw, expected):
    assert nz.parse_tally(raw) == expected


@pytest.mark.parametrize("raw", ["年齢「不詳」", "不詳", "年齢不詳", "年齢（不詳）"])
def test_unknown_age_labels(raw):
    assert nz.is_unknown_age(raw)


@pytest.mark.parametrize("raw, expected", [
    ("1", True), ("0", False), ("該当", True), ("非該当", False), ("１", True), (1, True),
    ("1.0", True), ("TRUE", True), ("", None),
])
def test_flags(raw, expected):
    assert nz.parse_flag(raw) is expected


def test_other_flag_values_are_refused():
    with pytest.raises(ValueError, match="使える値: 1、0、該当、非該当"):
        nz.parse_flag("はい")


@pytest.mark.parametrize("raw", [
    "買物;移動", "買物、移動", "買物，移動", "買物/移動", "買物／移動", "買物\n移動", " 買物 ; 移動 ;", "買物;移動;買物",
])
def test_multi_valued_cells(raw):
    assert nz.split_multi(raw) == ("買物", "移動")


def test_a_middle_dot_joins_words_rather_than_separating_them():
    assert nz.split_multi("文化・芸術") == ("文化・芸術",)
    assert nz.split_multi("") == ()


def test_names_compare_without_legal_form_or_spacing():
    assert nz.normalize_name("株式会社 みどり商店") == nz.normalize_name("(株)みどり商店")
    assert nz.normalize_name("㈱みどり商店") == nz.normalize_name("みどり商店")
    assert nz.normalize_name("みどり商店") != nz.normalize_name("みどり薬局")


def test_phones_compare_by_digits():
    assert nz.normalize_phone("0120(000)002") == nz.normalize_phone("０１２０－０００－００２")
