"""The actors step's charts: where the actors are, as points over the town's areas
or, for a long list, as counts per area."""

from __future__ import annotations

import json
from functools import lru_cache

import altair as alt
import pandas as pd

from kit import maps, vocab
from kit.paths import SAMPLE_TOWN
from kit.steps.actors import domain as act

__all__ = ["area_points_chart", "area_count_chart", "sample_geojson"]


@lru_cache(maxsize=1)
def sample_geojson() -> dict:
    """The sample town's area boundaries (a town's own areas come without a map)."""
    return json.loads((SAMPLE_TOWN / "areas.geojson").read_text(encoding="utf-8"))


def area_points_chart(actors: pd.DataFrame, geojson: dict | None) -> alt.LayerChart | alt.Chart:
    """Actors with coordinates as points, over the town's areas when they are known."""
    points = actors.dropna(subset=["緯度", "経度"]).assign(
        主なカテゴリ=lambda d: d["カテゴリ"].map(lambda c: c[0] if c else "未分類"))[
        ["名称", "主体種別", "主なカテゴリ", "緯度", "経度"]]
    dots = alt.Chart(points).mark_circle(size=70, opacity=0.85, stroke="#fff", strokeWidth=0.5).encode(
        longitude="経度:Q", latitude="緯度:Q",
        color=alt.Color("主なカテゴリ:N", title="主なカテゴリ",
                        scale=alt.Scale(domain=[*vocab.ACTOR_CATEGORIES, "未分類"])),
        tooltip=["名称:N", "主体種別:N"])
    if geojson is None:
        return dots.project("mercator").properties(width=460, height=360)
    data = alt.Data(values=geojson["features"])
    shapes = alt.Chart(data).mark_geoshape(fill="#eef3ea", stroke="#8a9a8a", strokeWidth=1)
    labels = alt.Chart(data).transform_calculate(
        lon="geoCentroid(null, datum)[0]", lat="geoCentroid(null, datum)[1]",
        name="datum.properties.地区名").mark_text(fontSize=13, fontWeight="bold", color="#555").encode(
        longitude="lon:Q", latitude="lat:Q", text="name:N")
    return alt.layer(shapes, labels, dots).project("mercator").properties(width=460, height=360)


def area_count_chart(actors: pd.DataFrame, areas: pd.DataFrame, geojson: dict) -> alt.LayerChart:
    """The areas shaded by how many of ``actors`` work in each (全域 counts everywhere)."""
    codes = areas["地区コード"].tolist()
    counts = pd.Series([c for cell in actors["活動地区"] for c in act.covered_areas(cell, codes)],
                       dtype=object).value_counts()
    values = areas[["地区コード", "地区名"]].assign(主体数=areas["地区コード"].map(counts).fillna(0).astype(int))
    return maps.area_map(geojson, values, "主体数", "地区ごとの主体数")
