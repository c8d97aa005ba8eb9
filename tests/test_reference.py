"""The national reference tables derived from the public sources (data/reference)."""

import json

import pandas as pd
import pytest
from data_scripts import load_script

from kit.paths import REFERENCE

make_reference = load_script("make_reference")
SOURCE = make_reference.DEFAULT_SOURCE


@pytest.fixture(scope="module")
def municipalities() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "municipalities.csv", encoding="utf-8-sig",
                       dtype={"市区町村コード": str, "都道府県コード": str})


def test_one_row_per_current_municipality(municipalities):
    assert len(municipalities) == 1741
    assert municipalities["市区町村コード"].is_unique
    assert municipalities["市区町村コード"].str.fullmatch(r"\d{5}").all()
    assert (municipalities["市区町村コード"].str[:2] == municipalities["都道府県コード"]).all()
    assert municipalities["都道府県"].nunique() == 47
    assert not municipalities["市区町村名"].str.contains("旧：|市.+区$").any()


def test_national_2020_totals_match_the_census(municipalities):
    # Official figures (SOURCES.md, verification of file 1).
    assert municipalities["総数_2020"].sum() == 126_146_099
    assert municipalities["65歳以上_2020"].sum() == 35_335_805


@pytest.mark.parametrize("code, name, total, older", [
    ("01100", "札幌市", 1_973_395, 541_242),
    ("46303", "三島村", 405, None),
])
def test_sample_rows(municipalities, code, name, total, older):
    row = municipalities.set_index("市区町村コード").loc[code]
    assert row["市区町村名"] == name
    assert row["総数_2020"] == total
    if older is not None:
        assert row["65歳以上_2020"] == older


def test_projections_are_blank_only_for_fukushima_and_cover_nakagawa(municipalities):
    blank = municipalities[municipalities["総数_2040"].isna()]
    assert set(blank["都道府県"]) == {"福島県"} and len(blank) == 59
    nakagawa = municipalities.set_index("市区町村コード").loc["40231"]
    assert nakagawa["市区町村名"] == "那珂川市" and nakagawa["総数_2040"] > 0


def test_age_groups_nest(municipalities):
    for year in (2020, *make_reference.PROJECTION_YEARS):
        rows = municipalities.dropna(subset=[f"総数_{year}"])
        assert (rows[f"総数_{year}"] >= rows[f"65歳以上_{year}"]).all()
        assert (rows[f"65歳以上_{year}"] >= rows[f"75歳以上_{year}"]).all()
        assert (rows[f"75歳以上_{year}"] >= rows[f"85歳以上_{year}"]).all()


def test_national_ageing_rises_to_2040(municipalities):
    projected = municipalities.dropna(subset=["総数_2040"])
    share = lambda group, year: projected[f"{group}_{year}"].sum() / projected[f"総数_{year}"].sum()  # noqa: E731
    assert share("65歳以上", 2040) > share("65歳以上", 2025)
    assert share("85歳以上", 2040) > 1.5 * share("85歳以上", 2025)


def test_national_bands_add_up_to_the_known_ages():
    bands = pd.read_csv(REFERENCE / "national_age_bands.csv", encoding="utf-8-sig")
    census = bands[(bands["区分"] == "実績") & (bands["性別"] == "計")]
    # 126,146,099 minus 2,931,838 of unknown age (SOURCES.md).
    assert census["人口"].sum() == 126_146_099 - 2_931_838


def test_boundaries_join_on_the_code(municipalities):
    topology = json.loads((REFERENCE / "municipalities.topojson").read_text(encoding="utf-8"))
    codes = {g["properties"]["市区町村コード"] for g in topology["objects"]["municipalities"]["geometries"]}
    assert set(municipalities["市区町村コード"]) <= codes
    prefectures = json.loads((REFERENCE / "prefectures.topojson").read_text(encoding="utf-8"))
    pref_codes = [g["properties"]["都道府県コード"] for g in prefectures["objects"]["prefectures"]["geometries"]]
    assert sorted(pref_codes) == [f"{i:02d}" for i in range(1, 48)]


def test_reference_folder_stays_small():
    # The tables by age band (issue 13) brought it from 2.1 MB to 4.4 MB.
    assert sum(p.stat().st_size for p in REFERENCE.iterdir()) < 5_000_000


@pytest.mark.skipif(not SOURCE.is_dir(), reason=f"public source files not present at {SOURCE}")
def test_regenerating_from_the_sources_reproduces_the_committed_files(tmp_path):
    written = make_reference.write_reference(SOURCE, tmp_path)
    assert sorted(p.name for p in written) == sorted(p.name for p in REFERENCE.iterdir())
    for path in written:
        assert path.read_bytes() == (REFERENCE / path.name).read_bytes(), path.name
