"""Maps drawn offline: the town's areas as a choropleth, and Japan by municipality.

The town map is small and goes through ``charts.to_svg`` like any chart. The national
map has 1,900 municipal outlines: as SVG it weighs 3 MB, too much for a page, so it
is drawn once per metric as a PNG, and the municipality being compared is drawn on
top as a small SVG in the same fixed projection (both share ``JAPAN``), which keeps
switching the comparison instant.
"""

from __future__ import annotations

import base64
import html
import json
import math
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd

from kit import chart_cache
from kit.paths import REFERENCE

__all__ = ["Projection", "JAPAN", "area_map", "national_map", "highlight_svg",
           "national_map_html", "municipal_feature", "warm_up"]

_MUNICIPAL_DATA = "municipalities"
_PREFECTURE_DATA = "prefectures"
_VALUES_DATA = "values"


@dataclass(frozen=True)
class Projection:
    """A Mercator view fixed by its bounds, so that separately drawn layers align."""

    west: float
    east: float
    south: float
    north: float
    width: int

    @staticmethod
    def _y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    @property
    def scale(self) -> float:
        return self.width / math.radians(self.east - self.west)

    @property
    def height(self) -> int:
        return round(self.scale * (self._y(self.north) - self._y(self.south)))

    def params(self) -> dict:
        return {"type": "mercator", "scale": self.scale,
                "translate": [-self.scale * math.radians(self.west), self.scale * self._y(self.north)]}

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        """Pixel position of a longitude/latitude, as Vega's mercator with ``params()``."""
        x0, y0 = self.params()["translate"]
        return x0 + self.scale * math.radians(lon), y0 - self.scale * self._y(lat)

    def sized(self, chart: alt.Chart) -> alt.Chart:
        return chart.project(**self.params()).properties(width=self.width, height=self.height)


# 与那国島 to 根室, 波照間島 to 宗谷岬; 南鳥島 and 沖ノ鳥島 fall outside.
JAPAN = Projection(west=122.9, east=146.0, south=24.0, north=45.6, width=460)


@lru_cache(maxsize=1)
def _topologies() -> dict[str, dict]:
    def read(name: str) -> dict:
        return json.loads((REFERENCE / name).read_text(encoding="utf-8"))

    return {_MUNICIPAL_DATA: read("municipalities.topojson"), _PREFECTURE_DATA: read("prefectures.topojson")}


def _topo(name: str) -> alt.NamedData:
    return alt.NamedData(name=name, format=alt.DataFormat(type="topojson", feature=name))


def _colour_scale(values: pd.Series, midpoint: float | None) -> alt.Scale:
    """Colours spread over the middle 90% of values, so a few extreme
    municipalities do not wash out the rest; ``midpoint`` makes it diverging."""
    low, high = values.quantile([0.05, 0.95]).tolist()
    if midpoint is None:
        return alt.Scale(scheme="orangered", domain=[low, high], clamp=True)
    return alt.Scale(scheme="blueorange", domain=[min(low, midpoint), midpoint, max(high, midpoint)],
                     clamp=True)


def national_map(values: pd.DataFrame, column: str, code: str | None = None,
                 title: str | None = None, midpoint: float | None = None) -> tuple[alt.LayerChart, dict]:
    """(chart, datasets) of municipalities coloured by ``values[column]`` (keyed by
    市区町村コード), prefecture borders and ``code`` outlined; pass both to
    ``charts.to_png``. Without a title the chart is exactly ``JAPAN``'s size.
    Municipalities without a value are grey."""
    # Values travel as a named dataset too: Altair validates inline rows one by one.
    lookup = alt.LookupData(alt.NamedData(name=_VALUES_DATA), "市区町村コード", ["値"])
    records = values[["市区町村コード", column]].rename(columns={column: "値"})
    datasets = {**_topologies(), _VALUES_DATA: json.loads(records.to_json(orient="records", force_ascii=False))}
    # Grey land underneath (47 prefecture shapes, cheap to draw): the coloured layer
    # leaves out municipalities without a value.
    blank = alt.Chart(_topo(_PREFECTURE_DATA)).mark_geoshape(stroke=None, fill="#bdbdbd")
    fill = alt.Chart(_topo(_MUNICIPAL_DATA)).mark_geoshape(stroke=None).encode(
        color=alt.Color("値:Q", title=None, scale=_colour_scale(values[column], midpoint),
                        legend=alt.Legend(orient="bottom-right", gradientLength=120)),
    ).transform_lookup(lookup="properties.市区町村コード", from_=lookup)
    borders = alt.Chart(_topo(_PREFECTURE_DATA)).mark_geoshape(
        filled=False, stroke="#555555", strokeWidth=0.5)
    layers = [JAPAN.sized(blank), JAPAN.sized(fill), JAPAN.sized(borders)]
    if code:
        layers += _highlight(code)
    if title:
        return alt.layer(*layers).properties(title=title), datasets
    return alt.layer(*layers).properties(padding=0, autosize="none"), datasets


@lru_cache(maxsize=1)
def _decoded_arcs() -> list[np.ndarray]:
    """Arcs of the municipal topology in longitude/latitude (quantised, delta-coded)."""
    topology = _topologies()[_MUNICIPAL_DATA]
    scale, translate = np.array(topology["transform"]["scale"]), np.array(topology["transform"]["translate"])
    return [np.cumsum(np.array(arc, dtype=float), axis=0) * scale + translate for arc in topology["arcs"]]


def _ring(indices: list[int], arcs: list[np.ndarray]) -> list[list[float]]:
    points: list[list[float]] = []
    for index in indices:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:].tolist() if points else arc.tolist())
    return points


def warm_up() -> None:
    """Read and decode the national boundaries (a second or two) before any request."""
    _decoded_arcs()


def municipal_feature(code: str) -> dict | None:
    """The outline of one municipality as a GeoJSON Feature, or None if it has none."""
    topology = _topologies()[_MUNICIPAL_DATA]
    arcs = _decoded_arcs()
    for geometry in topology["objects"][_MUNICIPAL_DATA]["geometries"]:
        if geometry["properties"].get("市区町村コード") != code:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        coordinates = [[_ring(ring, arcs) for ring in polygon] for polygon in polygons]
        return {"type": "Feature", "properties": {"市区町村コード": code},
                "geometry": {"type": "MultiPolygon", "coordinates": coordinates}}
    return None


def _highlight(code: str) -> list[alt.Chart]:
    """The municipality outlined, and ringed at its centre (a ward is a few pixels
    wide), for the exported map; :func:`highlight_svg` draws the same on the page."""
    feature = municipal_feature(code)
    data = alt.Data(values=[feature] if feature else [])
    outline = alt.Chart(data).mark_geoshape(
        filled=False, stroke="#111111", strokeWidth=2)
    ring = alt.Chart(data).transform_calculate(
        lon="geoCentroid(null, datum)[0]", lat="geoCentroid(null, datum)[1]",
    ).mark_point(shape="circle", size=500, stroke="#111111", strokeWidth=2.5, filled=False).encode(
        longitude="lon:Q", latitude="lat:Q")
    return [JAPAN.sized(outline), JAPAN.sized(ring)]


def highlight_svg(code: str) -> str:
    """The compared municipality outlined and ringed, as SVG the size of the map,
    projected here (no drawing engine: it changes with every choice)."""
    feature = municipal_feature(code)
    if feature is None:
        return ""
    polygons = [[[JAPAN.point(lon, lat) for lon, lat in ring] for ring in polygon]
                for polygon in feature["geometry"]["coordinates"]]
    path = " ".join("M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in ring) + " Z"
                    for polygon in polygons for ring in polygon)
    largest = max((polygon[0] for polygon in polygons), key=len)
    xs, ys = [x for x, _ in largest], [y for _, y in largest]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="kit-highlight" width="{JAPAN.width}" '
            f'height="{JAPAN.height}" viewBox="0 0 {JAPAN.width} {JAPAN.height}">'
            f'<path d="{path}" fill="none" stroke="#111111" stroke-width="2"/>'
            f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="12" fill="none" stroke="#111111" stroke-width="2.5"/></svg>')


def national_map_html(values: pd.DataFrame, column: str, label: str, code: str | None,
                      midpoint: float | None = None) -> str:
    """The national map as an image with the compared municipality drawn over it.
    The image is drawn once per metric (and kept by ``chart_cache``), so changing
    ``code`` costs one small SVG."""
    parts = ("national-map", column, midpoint, chart_cache.fingerprint(values[["市区町村コード", column]]))
    png = chart_cache.png(parts, lambda: national_map(values, column, midpoint=midpoint))
    overlay = highlight_svg(code) if code else ""
    image = base64.b64encode(png).decode("ascii")
    return (f'<div class="kit-national-map" style="position:relative;width:{JAPAN.width}px;'
            f'height:{JAPAN.height}px"><img alt="{html.escape(label)}" src="data:image/png;base64,{image}" '
            f'style="width:{JAPAN.width}px;height:{JAPAN.height}px;display:block">'
            f'<div style="position:absolute;left:0;top:0;pointer-events:none">{overlay}</div></div>')


def area_map(geojson: dict, values: pd.DataFrame, column: str, title: str,
             selected: str | None = None) -> alt.LayerChart:
    """The town's areas coloured by ``values[column]`` (keyed by 地区コード, with 地区名),
    each labelled with its name; ``selected`` is outlined."""
    data = alt.Data(values=geojson["features"])
    lookup = alt.LookupData(values[["地区コード", "地区名", column]].rename(columns={column: "値"}),
                            "地区コード", ["地区名", "値"])
    base = alt.Chart(data).transform_lookup(lookup="properties.地区コード", from_=lookup)
    fill = base.mark_geoshape(stroke="#ffffff", strokeWidth=1).encode(
        color=alt.Color("値:Q", title=None, scale=alt.Scale(scheme="orangered")),
        tooltip=[alt.Tooltip("地区名:N"), alt.Tooltip("値:Q", format=".1f")])
    labels = base.transform_calculate(
        lon="geoCentroid(null, datum)[0]", lat="geoCentroid(null, datum)[1]",
    ).mark_text(fontSize=12, fontWeight="bold").encode(
        longitude="lon:Q", latitude="lat:Q", text="地区名:N")
    layers = [fill, labels]
    if selected:
        layers.insert(1, base.transform_filter(alt.datum["properties"]["地区コード"] == selected).mark_geoshape(
            filled=False, stroke="#111111", strokeWidth=3))
    return alt.layer(*layers).project("mercator").properties(width=360, height=300, title=title)
