"""A real municipality as the town, with no file: the shipped census and projection
tables by age band (data/reference) and the API built on them (kit.reference).

The shipped files are compared with the public source files, read here on their own
(csv / json, not through make_reference.py or kit.reference); the national figures
are the official ones quoted in shared/data-public/SOURCES.md.
"""

import csv
import json
import subprocess
import sys
from collections import defaultdict

import numpy as np
import pandas as pd
import pytest
from data_scripts import load_script

from kit import reference
from kit.io import load
from kit.paths import REFERENCE
from kit.vocab import WHOLE_TOWN

make_reference = load_script("make_reference")
SOURCE = make_reference.DEFAULT_SOURCE
needs_source = pytest.mark.skipif(not SOURCE.is_dir(), reason=f"public source files not present at {SOURCE}")

CENSUS_BANDS = [f"{a}～{a + 4}歳" for a in range(0, 100, 5)] + ["100歳以上"]
IPSS_BANDS = [f"{a}～{a + 4}歳" for a in range(0, 90, 5)] + ["90歳以上"]
SEXES = {"総数": "計", "男": "男", "女": "女"}


def _count(text: str) -> int:
    return 0 if text == "-" else int(text.replace(",", ""))


def _rows(path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as file:
        return list(csv.DictReader(file))


@pytest.fixture(scope="module")
def shipped_census() -> dict[tuple[str, str], dict[str, str]]:
    """(市区町村コード, 性別) → row of census2020_age_bands.csv, as text."""
    return {(row["市区町村コード"], row["性別"]): row for row in _rows(REFERENCE / "census2020_age_bands.csv")}


@pytest.fixture(scope="module")
def shipped_projection() -> dict[tuple[str, int], dict[str, str]]:
    """(市区町村コード, 年) → row of ipss2018_age_bands.csv, as text."""
    return {(row["市区町村コード"], int(row["年"])): row for row in _rows(REFERENCE / "ipss2018_age_bands.csv")}


@pytest.fixture(scope="module")
def source_census() -> dict[tuple[str, str], dict[str, int]]:
    """(地域コード, 性別) → counts of the e-Stat table, every area of it."""
    with open(SOURCE / make_reference.CENSUS_FILE, encoding="utf-8-sig", newline="") as file:
        records = list(csv.reader(file))
    header = next(i for i, record in enumerate(records) if record[:1] == ["表章事項 コード"])
    names = records[header]
    table = {}
    for record in records[header + 1:]:
        row = dict(zip(names, record))
        code = row["全国，都道府県，市区町村（2000年市区町村含む） コード"]
        counts = {name: _count(row[name]) for name in ["総数", *CENSUS_BANDS, "年齢「不詳」"]}
        counts["地域名"] = row["全国，都道府県，市区町村（2000年市区町村含む）"]
        table[code, SEXES[row["男女"]]] = counts
    return table


@pytest.fixture(scope="module")
def source_projection() -> dict[str, list[list[int]]]:
    """5-digit code → [total, bands…] × 7 years (2015 … 2045) of the IPSS JSON."""
    records = json.loads((SOURCE / make_reference.PROJECTION_FILE).read_text(encoding="utf-8"))
    return {f"{record['Code']:05d}": [series["Population"] for series in record["PopulationList"]]
            for record in records}


def _municipal(shipped_census, sex="計"):
    return [row for (code, s), row in shipped_census.items() if s == sex and row["種別"] != "政令市の区"]


# ------------------------------------------------------------------ the census file


def test_census_file_holds_every_municipality_and_ward_by_sex(shipped_census):
    kinds = defaultdict(set)
    for (code, sex), row in shipped_census.items():
        kinds[row["種別"]].add(code)
    assert len(kinds["市区町村"]) + len(kinds["政令市"]) == 1741
    assert len(kinds["政令市"]) == 20 and len(kinds["政令市の区"]) == 175
    assert len(shipped_census) == (1741 + 175) * 3
    assert "13100" not in kinds["市区町村"] and not any("旧：" in row["市区町村名"] for row in shipped_census.values())
    municipalities = set(reference.municipalities()["市区町村コード"])
    assert kinds["市区町村"] | kinds["政令市"] == municipalities
    assert {row["政令市コード"] for row in shipped_census.values() if row["種別"] == "政令市の区"} == kinds["政令市"]


def test_national_totals_are_the_official_ones(shipped_census):
    rows = _municipal(shipped_census)
    assert sum(int(row["総数"]) for row in rows) == 126_146_099
    assert sum(int(row[band]) for row in rows for band in CENSUS_BANDS[13:]) == 35_335_805  # 65歳以上
    assert sum(int(row["年齢不詳"]) for row in rows) == 2_931_838


def test_every_area_bands_and_unknown_add_up_to_the_total(shipped_census):
    for key, row in shipped_census.items():
        assert sum(int(row[band]) for band in CENSUS_BANDS) + int(row["年齢不詳"]) == int(row["総数"]), key


def test_men_and_women_add_up_to_both(shipped_census):
    for (code, sex), row in shipped_census.items():
        if sex == "計":
            for column in ["総数", *CENSUS_BANDS, "年齢不詳"]:
                assert int(shipped_census[code, "男"][column]) + int(shipped_census[code, "女"][column]) \
                    == int(row[column]), (code, column)


def test_wards_add_up_to_their_city(shipped_census):
    by_city = defaultdict(lambda: defaultdict(int))
    for (code, sex), row in shipped_census.items():
        if row["種別"] == "政令市の区":
            assert row["市区町村名"].startswith(row["政令市"])
            for column in ["総数", *CENSUS_BANDS, "年齢不詳"]:
                by_city[row["政令市コード"], sex][column] += int(row[column])
    assert len(by_city) == 20 * 3
    for key, sums in by_city.items():
        assert sums == {column: int(shipped_census[key][column]) for column in sums}, key


@needs_source
def test_every_shipped_census_row_is_the_source_row(shipped_census, source_census):
    for key, row in shipped_census.items():
        source = source_census[key]
        assert row["市区町村名"] == source["地域名"]
        assert {c: int(row[c]) for c in ["総数", *CENSUS_BANDS]} == {c: source[c] for c in ["総数", *CENSUS_BANDS]}, key
        assert int(row["年齢不詳"]) == source["年齢「不詳」"], key


# ------------------------------------------------------------- the projection file


def test_projection_covers_all_but_fukushima_under_todays_codes(shipped_projection):
    codes = {code for code, _ in shipped_projection}
    assert len(codes) == 1682
    assert "40231" in codes and "40305" not in codes
    assert not any(code.startswith("07") for code in codes)
    assert {year for _, year in shipped_projection} == {2020, 2025, 2030, 2035, 2040, 2045}
    assert all(row["区分"] == "推計" for row in shipped_projection.values())


def test_projection_sums_and_yubari(shipped_projection):
    assert sum(int(row["総数"]) for (_, year), row in shipped_projection.items() if year == 2045) == 105_106_282
    assert int(shipped_projection["01209", 2045]["総数"]) == 2_253      # 夕張市 (SOURCES.md)
    for key, row in shipped_projection.items():
        assert sum(int(row[band]) for band in IPSS_BANDS) == int(row["総数"]), key


@needs_source
def test_every_shipped_projection_row_is_the_source_record(shipped_projection, source_projection):
    # The source's own sum for 2015, which is not shipped (SOURCES.md).
    assert sum(series[0][0] for series in source_projection.values()) == 125_180_706
    for (code, year), row in shipped_projection.items():
        series = source_projection["40305" if code == "40231" else code]
        at = (2015, 2020, 2025, 2030, 2035, 2040, 2045).index(year)
        assert [int(row[band]) for band in IPSS_BANDS] == [values[at] for values in series[1:]], (code, year)
    assert len(shipped_projection) == len(source_projection) * 6


# ------------------------------------------------------------------------ the API


@needs_source
@pytest.mark.parametrize("code", ["01100", "13101", "46303", "47329", "01209"])
def test_town_population_is_the_census_and_the_projection(code, source_census, source_projection):
    town = reference.town_tables(code)
    assert town.code == code and town.name == source_census[code, "計"]["地域名"]
    assert town.designated == (code == "01100")
    assert town.areas[["地区コード", "地区名"]].values.tolist() == [[code, town.name]]
    counted = town.population[town.population["区分"] == "実績"]
    assert set(counted["年"]) == {2020}
    shared = {}
    for sex in ("男", "女"):
        rows = counted[counted["性別"] == sex].set_index("年齢階級")["人口"]
        known = [source_census[code, sex][header] for header in CENSUS_BANDS]
        unknown = source_census[code, sex]["年齢「不詳」"]
        # The unknown ages are shared out: the bands add up to the census total, each
        # within one person of its proportional share.
        assert rows.sum() == source_census[code, sex]["総数"] and rows.index[-1] == "100+"
        for band, count, base in zip(rows.index, rows, known, strict=True):
            exact = base + (unknown * base / sum(known) if sum(known) else 0)
            assert abs(count - exact) < 1, (sex, band)
        shared[sex] = rows
    assert counted[counted["性別"] == "計"].set_index("年齢階級")["人口"].equals(shared["男"] + shared["女"])
    assert town.unknown_age.to_dict() == {code: source_census[code, "計"]["年齢「不詳」"]}
    projected = town.population[town.population["区分"] == "推計"]
    assert set(projected["性別"]) == {"計"} and set(projected["地区コード"]) == {code}
    series = source_projection[code]
    for at, year in enumerate((2025, 2030, 2035, 2040, 2045), start=2):
        of_year = projected[projected["年"] == year]
        assert list(of_year["年齢階級"]) == [f"{a}-{a + 4}" for a in range(0, 90, 5)] + ["90+"]
        assert list(of_year["人口"]) == [values[at] for values in series[1:]]


def test_the_projection_starts_after_the_counted_2020():
    population = reference.town_tables("01209").population
    assert sorted(set(population["年"])) == [2020, 2025, 2030, 2035, 2040, 2045]
    assert set(population.loc[population["年"] == 2020, "区分"]) == {"実績"}
    assert int(population.loc[population["年"] == 2045, "人口"].sum()) == 2_253
    assert not population.duplicated(["地区コード", "年", "性別", "年齢階級", "区分"]).any()


@needs_source
def test_wards_as_areas(source_census, source_projection):
    town = reference.town_tables("14100", use_wards=True)       # 横浜市, 18 wards
    assert town.designated
    wards = reference.wards_of("14100")
    assert len(wards) == 18 and wards.iloc[0].tolist() == ["14101", "鶴見区"]
    assert town.areas["地区コード"].tolist() == wards["区コード"].tolist()
    assert town.areas["地区名"].tolist() == wards["区名"].tolist()
    counted = town.population[town.population["区分"] == "実績"]
    assert set(counted["地区コード"]) == set(wards["区コード"])
    aoba = counted[(counted["地区コード"] == "14117") & (counted["性別"] == "女")]
    assert aoba["人口"].tolist() == reference.allocate_unknown(
        np.array([[source_census["14117", "女"][band] for band in CENSUS_BANDS]]),
        np.array([source_census["14117", "女"]["年齢「不詳」"]]))[0].tolist()
    assert set(aoba["地区名"]) == {"青葉区"}
    assert int(counted.loc[counted["性別"] == "計", "人口"].sum()) == source_census["14100", "計"]["総数"]
    projected = town.population[town.population["区分"] == "推計"]
    assert set(projected["地区コード"]) == {WHOLE_TOWN}
    assert int(projected.loc[projected["年"] == 2040, "人口"].sum()) == source_projection["14100"][0][5]
    assert any("区ごとの人口は2020年" in note and "市全体" in note for note in town.notes)


def test_wards_only_for_designated_cities():
    assert reference.wards_of("13101").empty                   # 千代田区 is a municipality, not a ward
    assert list(reference.wards_of("13101").columns) == ["区コード", "区名"]
    town = reference.town_tables("13101", use_wards=True)
    assert not town.designated and town.areas["地区コード"].tolist() == ["13101"]
    assert town.population.equals(reference.town_tables("13101").population)


def test_fukushima_has_only_2020_and_the_note_says_so():
    town = reference.town_tables("07201")                       # 福島市
    assert set(town.population["区分"]) == {"実績"}
    assert any("福島県" in note and "将来推計がありません" in note for note in town.notes)
    assert not any("福島県" in note for note in reference.town_tables("01209").notes)


def test_notes_state_the_unknown_age_and_the_sources():
    town = reference.town_tables("01100")
    unknown = int(town.unknown_age.sum())
    assert unknown == 31_063
    (note,) = [note for note in town.notes if "年齢「不詳」の人は" in note]
    assert f"{unknown:,}人" in note and "振り分け" in note
    assert any("平成30(2018)年推計" in note and "令和5(2023)年推計" in note for note in town.notes)
    assert any(note.startswith("出典") and "令和2年国勢調査" in note and "平成30" in note for note in town.notes)
    assert any("政令指定都市" in note for note in town.notes)


def test_a_large_unknown_age_does_not_inflate_growth():
    # 所沢市: 14% of age unknown in 2020. The projections count everyone; counting
    # only the known ages in 2020 made the total seem to grow 13% by 2025.
    town = reference.town_tables("11208")
    population = town.population[town.population["性別"] == "計"].groupby("年")["人口"].sum()
    assert 0.95 < population[2025] / population[2020] < 1.01


def test_allocating_unknown_ages_keeps_totals_and_proportions():
    known = np.array([[10, 30, 60], [0, 0, 0], [1, 1, 1]])
    shared = reference.allocate_unknown(known, np.array([10, 5, 2]))
    assert shared.sum(axis=1).tolist() == [110, 0, 5]
    assert shared[0].tolist() == [11, 33, 66]
    assert shared[1].tolist() == [0, 0, 0]          # no known age: nothing to share out over
    assert sorted(shared[2].tolist()) == [1, 2, 2]


@pytest.mark.parametrize("code, use_wards", [("01100", True), ("07201", False), ("47329", False)])
def test_town_frames_are_what_the_readers_give_for_the_same_file(tmp_path, code, use_wards):
    town = reference.town_tables(code, use_wards)
    for kind, frame in (("areas", town.areas), ("population", town.population)):
        path = tmp_path / f"{kind}.csv"
        frame.to_csv(path, index=False, encoding="utf-8-sig")
        result = load(kind, path)
        assert result.ok, result.report()
        pd.testing.assert_frame_equal(frame, result.data)


def test_the_shipped_projection_table_reads_as_a_population_file(tmp_path):
    # Wide, one column per band up to 90歳以上: the layout of the IPSS tables themselves.
    rows = pd.read_csv(REFERENCE / "ipss2018_age_bands.csv", encoding="utf-8-sig", dtype=str)
    path = tmp_path / "projection.csv"
    rows[(rows["市区町村コード"] == "01209") & (rows["年"] != "2020")].to_csv(path, index=False, encoding="utf-8-sig")
    result = load("population", path, mapping={"市区町村コード": "地区コード"})
    assert result.ok, result.report()
    expected = reference.town_tables("01209").population.query("区分 == '推計'")
    columns = ["地区コード", "年", "性別", "年齢階級", "人口", "区分"]
    pd.testing.assert_frame_equal(result.data[columns].reset_index(drop=True), expected[columns].reset_index(drop=True))


def test_town_tables_hands_out_copies():
    town = reference.town_tables("46303")
    town.population["人口"] = 0
    assert reference.town_tables("46303").population["人口"].sum() > 0


@pytest.mark.parametrize("text, prefecture, expected", [
    ("那珂川", None, ["09411", "40231"]),             # 那珂川町 (栃木) and 那珂川市 (福岡)
    ("那珂川", "40", ["40231"]),
    ("那珂川市", None, ["40231"]),
    ("福岡県 那珂川", None, ["40231"]),
    ("ｻｲﾀﾏ", None, ["11100"]),                        # さいたま市, a city with wards
    ("浜松", None, ["22130"]),
    ("札幌町", None, ["01100"]),                      # a wrong suffix is dropped when nothing matches
    ("にせこ", None, ["01395"]),                      # kana names in either kana
    ("鎌ヶ谷", None, ["12224"]),                      # 鎌ケ谷市
])
def test_find_municipalities_by_part_of_the_name(text, prefecture, expected):
    found = reference.find_municipalities(text, prefecture)
    assert list(found.columns) == ["市区町村コード", "都道府県", "市区町村名"]
    assert found["市区町村コード"].tolist() == expected


def test_find_municipalities_puts_the_name_itself_first():
    found = reference.find_municipalities("大和")["市区町村名"].tolist()
    # the name itself (大和町・大和市・大和村), then names beginning with it, then the rest
    assert found[:3] == ["大和町", "大和市", "大和村"]
    assert found.index("大和高田市") < found.index("東大和市")
    assert reference.find_municipalities("", "47")["市区町村コード"].str.startswith("47").all()


def test_importing_reads_no_reference_file():
    # An audit hook records every file opened while the module is imported.
    script = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda event, args: event == 'open' and opened.append(str(args[0])))\n"
        "import kit.reference\n"
        f"print([p for p in opened if {str(REFERENCE)!r} in p])\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_new_reference_files_stay_within_budget():
    added = sum((REFERENCE / name).stat().st_size
                for name in (make_reference.CENSUS_AGE_BANDS, make_reference.PROJECTION_AGE_BANDS))
    assert added <= 5_000_000
