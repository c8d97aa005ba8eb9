"""Cross-sector effect and the standard amounts of 生活支援体制整備事業."""

import math

import pytest

from kit import charts, datasets
from kit.steps.pitch.cross_sector import (
    FUKUSAKI,
    CrossSector,
    StandardAmounts,
    SubstituteCost,
    area_count,
)
from kit.steps.pitch.charts import effect_chart


def test_fukusaki_example_gives_about_7_million_yen_a_year():
    assert FUKUSAKI.spending == 1_600 and FUKUSAKI.substitutes == 2_330
    assert round(FUKUSAKI.effect, -2) == 700  # the seed rounds 730 to 「約700万円」
    assert "クロスセクター効果は 730万円/年" in FUKUSAKI.summary()
    assert "安く済んで" in FUKUSAKI.summary()


def test_substitutes_are_summed_per_sector_and_the_effect_can_be_negative():
    cross = CrossSector(service="移動販売への補助", spending=500, items=(
        SubstituteCost("商業", "買物のためのタクシー券", 120),
        SubstituteCost("医療", "通院のためのタクシー券", 80),
        SubstituteCost("商業", "買物代行の委託", 60),
    ))
    assert cross.by_field().to_dict() == {"医療": 80, "商業": 180}
    assert cross.substitutes == 260 and cross.effect == -240
    assert "上回っています" in cross.summary()


def test_an_empty_calculator_asks_for_numbers_instead_of_claiming_an_effect():
    assert not CrossSector().is_filled
    assert "入れると" in CrossSector().summary()
    assert not CrossSector(spending=100).is_filled


@pytest.mark.parametrize("amount", [-1, math.nan])
def test_a_negative_or_missing_cost_is_refused_in_japanese(amount):
    with pytest.raises(ValueError, match="0以上の数"):
        SubstituteCost("医療", "送迎バス", amount)


def test_an_unknown_sector_is_refused_naming_the_choices():
    with pytest.raises(ValueError, match="医療・福祉・商業"):
        SubstituteCost("交通", "バス", 10)


def test_round_trip_through_the_store_format_keeps_the_items():
    assert CrossSector.from_dict(FUKUSAKI.to_dict()) == FUKUSAKI


def test_standard_amounts_for_five_areas_total_32_million_yen():
    amounts = StandardAmounts(areas=5)
    assert (amounts.tier1, amounts.tier2, amounts.partnership) == (8_000, 20_000, 4_000)
    assert amounts.total == 32_000


def test_sample_town_has_five_areas():
    assert area_count(datasets.sample("areas")) == 5


def test_a_designated_city_counts_its_wards_instead_of_one_municipality():
    amounts = StandardAmounts(areas=40, wards=7)
    assert amounts.total == 8_000 * 7 + 4_000 * 40 + 4_000 * 7
    assert "× 7行政区" in amounts.lines()[0][1]


def test_a_union_counts_its_member_municipalities():
    assert StandardAmounts(areas=6, members=3).tier1 == 24_000


@pytest.mark.parametrize("kwargs, message", [
    ({"areas": 0}, "日常生活圏域の数が0"),
    ({"areas": 5, "wards": 3, "members": 2}, "同時に選べません"),
    ({"areas": -1}, "0以上の整数"),
])
def test_impossible_inputs_are_explained(kwargs, message):
    with pytest.raises(ValueError, match=message):
        StandardAmounts(**kwargs)


def test_effect_chart_draws_spending_and_every_sector():
    cross = CrossSector(spending=100, items=(SubstituteCost("医療", "a", 50), SubstituteCost("教育", "b", 70)))
    values = effect_chart(cross).to_dict()["datasets"]
    rows = next(iter(values.values()))
    assert {row["分野"] for row in rows} == {"財政支出", "医療", "教育"}
    assert charts.to_png(effect_chart(cross)).startswith(b"\x89PNG")
