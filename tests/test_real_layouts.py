"""Real files as municipalities and e-Stat hand them out, read unedited.

Each layout here is built to the real one: the e-Stat database download of the
2020 census (an excerpt of the real file, byte for byte, and the whole national
file when ``shared/data-public`` is beside the repository), its .xlsx form, a
町丁・字 table in the same layout, 住民基本台帳 tables by 町丁字 with single
years or with a two-row merged header, in every workbook format. Expected
numbers come from reading the file independently (the csv module) or from the
formula that made it, never from the reader under test.
"""

import csv
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from io_fixtures import (
    JUKI_AREAS,
    JUKI_BANDS,
    JUKI_SEXES,
    fixture,
    juki_count,
    juki_xlsx,
)
from openpyxl import Workbook

from kit import vocab
from kit.io import load, sum_by_area
from kit.steps.assessment import domain as assessment

E_STAT = fixture("estat_census2020_excerpt.csv")
NATIONAL = Path(__file__).resolve().parents[2] / "shared" / "data-public" / "census2020_table2-7-1_age5_by_municipality.csv"
AREA_CODE = "全国，都道府県，市区町村（2000年市区町村含む） コード"
SEX = {"総数": "計", "男": "男", "女": "女"}


def e_stat_rows(path):
    """The data rows of an e-Stat download, read with the csv module: header on line 11."""
    with open(path, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    header = records[10]
    return header, [dict(zip(header, record)) for record in records[11:]]


def count(text):
    return 0 if text == "-" else int(text.replace(",", ""))


def band_name(header):
    return header.replace("～", "-").replace("歳以上", "+").replace("歳", "")


def validate(kind, path):
    return subprocess.run([sys.executable, "-m", "kit", "validate", kind, str(path)],
                          capture_output=True, text=True, encoding="utf-8")


def check_against_file(result, header, rows, codes):
    """Every band of every sex of ``codes`` as in the file; 年齢「不詳」 apart."""
    data = result.data.set_index(["地区コード", "性別", "年齢階級"])["人口"]
    unknown = result.unknown_age.set_index(["地区コード", "性別"])["不詳"]
    bands = header[header.index("0～4歳"):header.index("100歳以上") + 1]
    checked = 0
    for row in rows:
        code = row[AREA_CODE]
        if code not in codes:
            continue
        sex = SEX[row["男女"]]
        for band in bands:
            assert data[(code, sex, band_name(band))] == count(row[band]), (code, sex, band)
        assert unknown[(code, sex)] == count(row["年齢「不詳」"])
        summed = sum(data[(code, sex, band_name(band))] for band in bands) + unknown[(code, sex)]
        assert summed == count(row["総数"])
        checked += 1
    assert checked == 3 * len(codes)


# ---------------------------------------------------------------- e-Stat census download


def test_e_stat_census_download_loads_unedited_with_its_numbers():
    result = load("population", E_STAT)
    assert result.ok, result.report()
    header, rows = e_stat_rows(E_STAT)
    check_against_file(result, header, rows, {"00000", "01100", "0120B", "01340", "13101", "46303"})
    data = result.data
    assert set(data["年"]) == {2020} and set(data["区分"]) == {"実績"}
    assert set(data["年齢階級"]) == set(vocab.AGE_BANDS)
    assert data.loc[data["地区コード"] == "13101", "地区名"].iloc[0] == "千代田区"


def test_e_stat_summary_names_unknown_age_repeat_columns_and_marks():
    result = load("population", E_STAT)
    summary = result.summary()
    # 年齢「不詳」: in 総数, in no band, with its count (the largest row: 全国).
    assert "年齢「不詳」は総数に含み、どの年齢階級にも入れていません" in summary and "全国 計 2,931,838人" in summary
    repeats = [h for h in e_stat_rows(E_STAT)[0] if h.startswith("（再掲）")]
    assert result.ignored == repeats and len(repeats) == 6
    assert all(header in summary for header in repeats[:3])
    assert not set(repeats) & set(result.data.columns)
    dashes = sum(cell == "-" for row in e_stat_rows(E_STAT)[1] for h, cell in row.items() if not h.startswith("（再掲）"))
    assert dashes > 0 and f"「-」{dashes}か所を0として読みました" in summary
    assert not result.errors


def test_validate_accepts_the_e_stat_download():
    run = validate("population", E_STAT)
    assert run.returncode == 0, run.stdout
    assert run.stdout.startswith(f"{E_STAT.name}: 24行を読み込みました")


@pytest.mark.skipif(not NATIONAL.is_file(), reason="shared/data-public is not beside this checkout")
def test_the_real_national_file_validates_and_gives_its_numbers():
    run = validate("population", NATIONAL)
    assert run.returncode == 0, run.stdout[:2000]
    assert run.stdout.startswith(f"{NATIONAL.name}: 12258行を読み込みました")
    result = load("population", NATIONAL)
    header, rows = e_stat_rows(NATIONAL)
    # Areas the tests name nowhere else: a prefecture, a ward, a town, a former village.
    codes = {"00000", "01100", "04101", "13101", "27128", "46303", "47382"}
    check_against_file(result, header, rows, codes)
    municipalities = result.data[result.data["地区コード"].str.fullmatch(r"\d{5}")
                                 & ~result.data["地区名"].str.startswith("（旧：")
                                 & (result.data["性別"] == "計")]
    assert municipalities["地区コード"].nunique() > 1741   # with wards and prefectures: all are areas


def test_e_stat_xlsx_download_reads_as_its_csv(tmp_path):
    # e-Stat's .xlsx: the same block and header, numbers stored as numbers, 「-」 as text.
    with open(E_STAT, encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    book = Workbook()
    for number, record in enumerate(records):
        book.active.append([int(cell.replace(",", "")) if number > 10 and cell.replace(",", "").isdigit()
                            and position > 10 else (cell or None) for position, cell in enumerate(record)])
    path = tmp_path / "e-stat.xlsx"
    book.save(path)
    expected = load("population", E_STAT)
    result = load("population", path)
    assert result.ok, result.report()
    pd.testing.assert_frame_equal(result.data, expected.data, check_dtype=False)
    pd.testing.assert_frame_equal(result.unknown_age, expected.unknown_age, check_dtype=False)
    assert result.ignored == expected.ignored


# --------------------------------------------------------------- 町丁・字 in the same layout

SMALL_AREAS = (("131010010", "丸の内一丁目"), ("131010020", "丸の内二丁目"), ("131010030", "大手町一丁目"),
               ("131010040", "皇居外苑"))


def small_area_download(tmp_path):
    """An e-Stat download by 町丁・字等: a withheld area prints ***, an empty band -."""
    bands = [f"{age}～{age + 4}歳" for age in range(0, 100, 5)] + ["100歳以上"]
    lines = ['"統計名：","令和２年国勢調査 小地域集計"', '"表題：","男女，年齢（5歳階級）別人口－町丁・字等"', "",
             '"***","秘匿"', '"-","該当数値なし"', "",
             ",".join(f'"{h}"' for h in ["町丁・字等 コード", "町丁・字等", "時間軸（年次） コード", "時間軸（年次）",
                                         "男女 コード", "男女", "総数", *bands, "年齢「不詳」", "（再掲）65歳以上"])]
    expected = {}
    for a, (code, name) in enumerate(SMALL_AREAS):
        cells = [str(a * 3 + b % 7) if b < 18 else "-" for b in range(len(bands))]
        unknown = a % 2
        if name == "皇居外苑":
            cells = ["***"] * len(bands)
            unknown = "***"
        total = "***" if unknown == "***" else f"{sum(int(c) for c in cells if c != '-') + unknown:,}"
        expected[code] = cells
        lines.append(",".join(f'"{v}"' for v in [code, name, "2020000000", "2020年", "0", "総数", total,
                                                  *cells, unknown, "0"]))
    path = tmp_path / "小地域.csv"
    path.write_text("\n".join(lines) + "\n", encoding="cp932")
    return path, bands, expected


def test_small_area_download_reads_codes_names_and_marks(tmp_path):
    path, bands, expected = small_area_download(tmp_path)
    result = load("population", path)
    assert result.ok, result.report()
    data = result.data.set_index(["地区コード", "年齢階級"])["人口"]
    for code, cells in expected.items():
        for band, cell in zip(bands, cells):
            value = data[(code, band_name(band))]
            if cell == "***":
                assert pd.isna(value)                 # withheld: missing, never 0
            else:
                assert value == (0 if cell == "-" else int(cell))
    assert result.mapping["町丁・字等 コード"] == "地区コード" and result.mapping["町丁・字等"] == "地区名"
    assert "「***」「x」「…」など" in result.summary()


def test_small_areas_summed_into_areas_through_an_area_map(tmp_path):
    path, bands, expected = small_area_download(tmp_path)
    population = load("population", path).data
    area_map = tmp_path / "対応表.csv"
    area_map.write_text("町丁字コード,町丁字名,圏域コード,圏域名\n131010010,丸の内一丁目,K1,丸の内\n"
                        "131010020,丸の内二丁目,K1,丸の内\n131010050,大手町二丁目,K2,大手町\n", encoding="utf-8")
    mapping = load("area_map", area_map, known_areas={"K1", "K2"})
    assert mapping.ok, mapping.report()
    summed = sum_by_area(population, mapping.data)
    table = summed.data.set_index(["地区コード", "年齢階級"])
    for band in bands:
        cells = [expected[code][bands.index(band)] for code in ("131010010", "131010020")]
        assert table.loc[("K1", band_name(band)), "人口"] == sum(0 if c == "-" else int(c) for c in cells)
    assert set(table.loc["K1", "地区名"]) == {"丸の内"}
    assert summed.unmatched == ["大手町一丁目", "皇居外苑"]       # not in the map: left out, said
    assert summed.unused == ["131010050"]                         # in the map, not in the data
    text = summed.summary()
    assert "町丁字 2 を地区 1 にまとめました（町丁字コードで対応）" in text and "大手町一丁目" in text


# ----------------------------------------------------------- 住民基本台帳 tables by 町丁字


def juki_expected(area, sex, band):
    return juki_count(area, JUKI_SEXES.index(sex), list(JUKI_BANDS).index(band))


@pytest.mark.parametrize("suffix", ["xlsx", "xls", "xlsb", "ods"])
def test_two_row_merged_header_in_every_workbook_format(tmp_path, suffix):
    path = juki_xlsx(tmp_path / "juki.xlsx") if suffix == "xlsx" else fixture(f"juki_two_row.{suffix}")
    result = load("population", path)
    assert result.ok, result.report()
    data = result.data.set_index(["地区コード", "性別", "年齢階級"])["人口"]
    assert len(data) == len(JUKI_AREAS) * len(JUKI_SEXES) * len(JUKI_BANDS)
    for a, area in enumerate(JUKI_AREAS):
        for sex in JUKI_SEXES:
            for band in JUKI_BANDS:
                assert data[(area, sex, band_name(band))] == juki_expected(a, sex, band)
    assert list(result.data.index[:1]) == [5]     # Excel's row: title, blank, two header rows
    assert "「男／総数」「女／総数」は年齢階級の合計と照合済み" in result.summary()


def test_an_open_band_before_100_keeps_the_kits_age_groups_whole(tmp_path):
    data = load("population", juki_xlsx(tmp_path / "juki.xlsx")).data
    assert "85+" in set(data["年齢階級"])
    groups = assessment.age_groups(data).set_index(["地区コード", "年齢区分"])["人口"]
    for a, area in enumerate(JUKI_AREAS):
        from_85 = sum(juki_expected(a, sex, "85歳以上") for sex in JUKI_SEXES)
        from_75 = from_85 + sum(juki_expected(a, sex, band) for sex in JUKI_SEXES for band in ("75～79歳", "80～84歳"))
        assert groups[(area, "85歳以上")] == from_85 and groups[(area, "75歳以上")] == from_75


def test_an_open_band_cutting_an_age_group_is_refused_naming_the_column(tmp_path):
    path = tmp_path / "pop.csv"
    bands = [f"{age}～{age + 4}歳" for age in range(0, 70, 5)] + ["70歳以上"]
    path.write_text("地区コード,年,性別," + ",".join(bands) + "\n01,2025,計," + ",".join("5" for _ in bands) + "\n",
                    encoding="utf-8")
    result = load("population", path)
    assert not result.ok
    refusal = next(p for p in result.errors if p.column == "70歳以上")
    assert "75歳以上" in refusal.message and "85歳以上" in refusal.message


def test_ipss_style_long_table_ending_at_90_or_more(tmp_path):
    path = tmp_path / "推計.csv"
    rows = [f"01,2040,計,{age}～{age + 4}歳,{100 + age},推計" for age in range(0, 90, 5)]
    path.write_text("地区コード,年,性別,年齢階級,人口,区分\n" + "\n".join(rows) + "\n01,2040,計,90歳以上,77,推計\n",
                    encoding="utf-8")
    result = load("population", path)
    assert result.ok, result.report()
    groups = assessment.age_groups(result.data).set_index(["地区コード", "年齢区分"])["人口"]
    assert groups[("01", "85歳以上")] == 185 + 77


def single_year_wide(tmp_path):
    ages = [f"{age}歳" for age in range(100)] + ["100歳以上"]
    lines = ["町丁字,性別,年,総数," + ",".join(ages)]
    counts = {}
    for a, area in enumerate(JUKI_AREAS):
        for s, sex in enumerate(JUKI_SEXES):
            cells = [(a * 7 + s * 3 + age) % 9 for age in range(len(ages))]
            counts[(area, sex)] = cells
            lines.append(f"{area},{sex},令和7年3月末,{sum(cells)}," + ",".join(map(str, cells)))
    path = tmp_path / "住基_各歳.csv"
    path.write_text("\n".join(lines).replace("令和7年3月末", "令和7年") + "\n", encoding="cp932")
    return path, counts


def test_single_years_wide_are_summed_into_five_year_bands(tmp_path):
    path, counts = single_year_wide(tmp_path)
    result = load("population", path)
    assert result.ok, result.report()
    data = result.data.set_index(["地区コード", "性別", "年齢階級"])["人口"]
    for (area, sex), cells in counts.items():
        for low in range(0, 100, 5):
            assert data[(area, sex, f"{low}-{low + 4}")] == sum(cells[low:low + 5])
        assert data[(area, sex, "100+")] == cells[100]
    assert len(result.data) == len(counts) * len(vocab.AGE_BANDS)
    assert "1歳ごとの列を5歳階級にまとめて" in result.summary()


def test_single_years_wide_with_an_age_missing_is_refused_naming_it(tmp_path):
    path, _ = single_year_wide(tmp_path)
    text = path.read_text(encoding="cp932").splitlines()
    drop = text[0].split(",").index("7歳")
    path.write_text("\n".join(",".join(c for i, c in enumerate(line.split(",")) if i != drop) for line in text) + "\n",
                    encoding="cp932")
    result = load("population", path)
    assert not result.ok and any("5-9歳" in p.message and "7歳" in p.message for p in result.errors)


def test_single_years_long_are_summed_into_five_year_bands(tmp_path):
    lines = ["町丁字名,年,性別,年齢,人数"]
    counts = {}
    for a, area in enumerate(JUKI_AREAS):
        lines.append(f"{area},2025,計,総数,99999")
        for age in range(0, 101):
            counts[(area, age)] = (a + age) % 6
            label = f"{age}歳" if age < 100 else "100歳以上"
            lines.append(f"{area},2025,計,{label},{counts[(area, age)]}")
    path = tmp_path / "住基_縦.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = load("population", path)
    assert result.ok, result.report()
    data = result.data.set_index(["地区コード", "年齢階級"])["人口"]
    for area in JUKI_AREAS:
        for low in range(0, 100, 5):
            assert data[(area, f"{low}-{low + 4}")] == sum(counts[(area, age)] for age in range(low, low + 5))
        assert data[(area, "100+")] == counts[(area, 100)]
    assert len(result.data) == len(JUKI_AREAS) * len(vocab.AGE_BANDS)
    assert any("総数" in p.message and "読み飛ばしました" in p.message for p in result.warnings)


def test_juki_table_by_name_summed_through_a_map_written_differently(tmp_path):
    population = load("population", juki_xlsx(tmp_path / "juki.xlsx")).data
    area_map = tmp_path / "対応表.csv"
    # The map writes 丁目 in digits, the 住基 table in kanji: one 町丁字 all the same.
    area_map.write_text("町丁字名,地区コード,地区名\n本町1丁目,01,中央\n本町２丁目,01,中央\n大字奥沢,03,山間\n",
                        encoding="utf-8")
    summed = sum_by_area(population, load("area_map", area_map).data)
    assert summed.matched_by == "町丁字名" and summed.unmatched == [] and summed.unused == []
    table = summed.data.set_index(["地区コード", "性別", "年齢階級"])["人口"]
    assert table[("01", "女", "85+")] == juki_expected(0, "女", "85歳以上") + juki_expected(1, "女", "85歳以上")
    assert len(summed.data) == 2 * len(JUKI_SEXES) * len(JUKI_BANDS)


# ---------------------------------------------------------------------------- area_map


def test_area_map_validates_from_the_terminal():
    run = validate("area_map", fixture("area_map.csv"))
    assert run.returncode == 0, run.stdout
    assert run.stdout.startswith("area_map.csv: 5行を読み込みました")


def test_area_map_with_a_small_area_in_two_areas_is_refused_at_its_row(tmp_path):
    path = tmp_path / "map.csv"
    path.write_text("町丁字名,地区コード\n本町,01\n桜台,02\n本町,02\n桜台,02\n", encoding="utf-8")
    result = load("area_map", path)
    assert [(p.row, p.column) for p in result.errors] == [(4, "町丁字名")]
    assert "2行目" in result.errors[0].message
    assert [(p.row, p.column) for p in result.warnings] == [(5, "町丁字名")]   # the same pair twice: said


def test_area_map_needs_a_small_area_column():
    result = load("area_map", "地区コード,地区名\n01,中央\n".encode(), filename="m.csv")
    assert not result.ok and "「町丁字コード」か「町丁字名」" in result.errors[0].message


def test_long_table_with_ages_beyond_100_in_bands_sums_them_into_100_or_more(tmp_path):
    rows = [f"01,2025,計,{age}～{age + 4}歳,{age}" for age in range(0, 110, 5)] + ["01,2025,計,110歳以上,3"]
    path = tmp_path / "住基.csv"
    path.write_text("地区コード,年,性別,年齢階級,人口\n" + "\n".join(rows) + "\n", encoding="utf-8")
    result = load("population", path)
    assert result.ok, result.report()
    data = result.data.set_index("年齢階級")["人口"]
    assert data["100+"] == 100 + 105 + 3 and data["95-99"] == 95
    assert not result.warnings or all("そろっていません" not in p.message for p in result.warnings)


def test_long_single_years_with_an_age_row_missing_are_summed_and_said(tmp_path):
    rows = [f"01,2025,計,{age}歳,1" for age in range(101) if age != 7]
    path = tmp_path / "住基.csv"
    path.write_text("地区コード,年,性別,年齢,人口\n" + "\n".join(rows).replace("100歳", "100歳以上") + "\n",
                    encoding="utf-8")
    result = load("population", path)
    assert result.ok, result.report()
    assert result.data.set_index("年齢階級").loc["5-9", "人口"] == 4
    assert any("1組は5歳分の行がそろっていません" in p.message and "5-9" in p.message for p in result.warnings)


def test_five_year_columns_win_over_single_years_beside_them(tmp_path):
    bands = [f"{age}～{age + 4}歳" for age in range(0, 100, 5)] + ["100歳以上"]
    singles = [f"{age}歳" for age in range(5)]
    path = tmp_path / "住基.csv"
    path.write_text("地区コード,年," + ",".join(singles + bands) + "\n01,2025," + ",".join(
        ["1"] * 5 + ["5"] * len(bands)) + "\n", encoding="utf-8")
    result = load("population", path)
    assert result.ok, result.report()
    assert set(result.data["人口"]) == {5} and set(result.ignored) == set(singles)


def test_certification_counts_read_a_dash_as_zero(tmp_path):
    path = tmp_path / "認定.csv"
    path.write_text("地区コード,年,要支援1,要支援2,要介護1,要介護2,要介護3,要介護4,要介護5\n"
                    "01,2024,10,-,8,7,6,***,4\n", encoding="utf-8")
    data = load("certification", path).data
    assert data.loc[2, "要支援2"] == 0 and pd.isna(data.loc[2, "要介護4"])


def test_e_stat_download_with_ages_in_rows(tmp_path):
    # The same table downloaded with 年齢 as a row dimension: one count column per row.
    header, rows = e_stat_rows(E_STAT)
    ages = ["総数", *header[header.index("0～4歳"):header.index("100歳以上") + 1], "年齢「不詳」"]
    lines = ['"統計名：","令和２年国勢調査"', "",
             '"全国，都道府県，市区町村（2000年市区町村含む） コード","全国，都道府県，市区町村（2000年市区町村含む）",'
             '"時間軸（年次）","男女","年齢（5歳階級） コード","年齢（5歳階級）","人口【人】"']
    for row in rows[:6]:
        lines += [f'"{row[AREA_CODE]}","{row[AREA_CODE[:-4]]}","2020年","{row["男女"]}","{i:02d}","{age}","{row[age]}"'
                  for i, age in enumerate(ages)]
    path = tmp_path / "e-stat_long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8-sig")
    result = load("population", path)
    assert result.ok, result.report()
    check = result.data.set_index(["地区コード", "性別", "年齢階級"])["人口"]
    for row in rows[:6]:
        for age in ages[1:-1]:
            assert check[(row[AREA_CODE], SEX[row["男女"]], band_name(age))] == count(row[age])
    assert "年齢「不詳」の行（6行、最も多い行 2,931,838人）" in result.summary()


def test_a_hidden_first_sheet_is_passed_over(tmp_path):
    book = Workbook()
    book.active.title = "作業用"
    book.active.append(["メモ"])
    book.active.sheet_state = "hidden"
    sheet = book.create_sheet("地区")
    for row in (["地区コード", "地区名"], ["01", "中央"]):
        sheet.append(row)
    path = tmp_path / "areas.xlsx"
    book.save(path)
    result = load("areas", path)
    assert result.ok, result.report()
    assert list(result.data["地区名"]) == ["中央"]
