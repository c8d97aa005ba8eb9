"""Comparing the town with Japan: profiles of any municipality, prefecture or the
nation, the rank among similar-sized municipalities, and the national map."""

from __future__ import annotations

import math
import re

import altair as alt
import pytest

from kit import charts, datasets, maps, reference
from kit.steps.assessment import domain as assessment


def value(profile, year: int, group: str, column: str) -> float:
    row = profile[(profile["年"] == year) & (profile["区分"] == group)]
    return float(row[column].iloc[0])


def test_the_reference_covers_every_municipality_and_prefecture():
    assert len(reference.municipalities()) == 1741
    assert len(reference.prefectures()) == 47
    assert reference.profile_label("M:01100") == "北海道 札幌市"
    assert reference.profile_label("P:13") == "東京都"


def test_nation_profile_matches_the_census_ageing_rate_and_says_what_it_leaves_out():
    nation, note = reference.profile(reference.NATION)
    assert 28.0 < value(nation, 2020, "65歳以上", "割合") < 29.5   # 2020 census: 28.6%
    assert value(nation, 2020, "85歳以上", "伸び") == pytest.approx(100)
    assert value(nation, 2040, "85歳以上", "伸び") > 150            # the 2040 problem
    assert value(nation, 2040, "総数", "伸び") < 100
    assert "福島県" in note


def test_a_prefecture_is_the_sum_of_its_municipalities():
    tokyo, _ = reference.profile("P:13")
    table = reference.municipalities()
    assert value(tokyo, 2020, "総数", "人口") == table.loc[table["都道府県コード"] == "13", "総数_2020"].sum()


def test_fukushima_has_no_projection_and_the_page_says_so():
    fukushima, note = reference.profile("P:07")
    assert not math.isnan(value(fukushima, 2020, "65歳以上", "割合"))
    assert fukushima[fukushima["年"] == 2040]["人口"].isna().all()
    assert "推計がない" in note
    code = reference.municipalities_of("07")["市区町村コード"].iloc[0]
    assert math.isnan(reference.metric_values(reference.profile(f"M:{code}")[0], "growth75_2040"))


def test_indicators_agree_with_the_profiles():
    indicators = reference.indicators().set_index("市区町村コード")
    sapporo, _ = reference.profile("M:01100")
    assert indicators.loc["01100", "growth75_2040"] == pytest.approx(value(sapporo, 2040, "75歳以上", "伸び"))
    assert indicators.loc["01100", "share65_2020"] == pytest.approx(value(sapporo, 2020, "65歳以上", "割合"))


def test_rank_among_similar_sized_municipalities():
    top = reference.peer_rank(60_000, 10_000.0, "growth75_2040")
    assert top.rank == 1
    assert top.peers["総数_2020"].between(30_000, 120_000).all()
    bottom = reference.peer_rank(60_000, -1.0, "growth75_2040")
    assert bottom.rank == bottom.of == len(bottom.peers) + 1
    assert "番目" in bottom.sentence
    excluded = reference.peer_rank(60_000, 100.0, "growth75_2040", exclude=top.peers["市区町村コード"].iloc[0])
    assert len(excluded.peers) == len(top.peers) - 1


def test_the_sample_town_is_ranked_with_its_own_figures():
    population = assessment.population_table(datasets.sample("population"), datasets.sample("areas"))
    town = assessment.town_profile(population)
    growth = reference.metric_values(town, "growth75_2040")
    assert growth == pytest.approx(value(town, 2040, "75歳以上", "伸び"))
    total = value(town, 2020, "総数", "人口")
    rank = reference.peer_rank(total, growth, "growth75_2040")
    assert 1 < rank.rank < rank.of
    assert (rank.peers["growth75_2040"] > growth).sum() == rank.rank - 1


def test_a_municipality_outline_lies_where_it_is_and_fits_the_map():
    feature = maps.municipal_feature("01100")  # 札幌市
    points = [p for polygon in feature["geometry"]["coordinates"] for ring in polygon for p in ring]
    lons, lats = [p[0] for p in points], [p[1] for p in points]
    assert 140.9 < min(lons) and max(lons) < 141.6 and 42.7 < min(lats) and max(lats) < 43.3
    assert maps.municipal_feature("99999") is None
    overlay = maps.highlight_svg("01100")
    assert f'width="{maps.JAPAN.width}"' in overlay and f'height="{maps.JAPAN.height}"' in overlay


def test_the_page_overlay_lands_where_the_drawn_map_puts_a_place():
    """The compared municipality is drawn over the cached map image by the kit's own
    projection; it must agree with the drawing engine's, or the outline would float."""
    point = alt.Chart(alt.Data(values=[{"lon": 141.35, "lat": 43.06}])).mark_point().encode(
        longitude="lon:Q", latitude="lat:Q")
    svg = charts.to_svg(maps.JAPAN.sized(point).properties(padding=0, autosize="none"))
    drawn = re.search(r'roledescription="point" transform="translate\(([\d.]+),([\d.]+)\)', svg)
    x, y = maps.JAPAN.point(141.35, 43.06)
    assert float(drawn[1]) == pytest.approx(x, abs=0.5) and float(drawn[2]) == pytest.approx(y, abs=0.5)
