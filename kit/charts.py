"""Charts that work offline: Altair specs rendered to SVG in the kernel.

Altair's default renderer loads vega from a CDN, so charts would vanish in a
training room without internet. Here every chart is turned into SVG by
vl-convert (its JavaScript engine ships inside the Python wheel) and shown in an
``HTML`` widget; PNG export uses the same engine with a Japanese font, so the
glyphs in a downloaded image match the page.
"""

from __future__ import annotations

import altair as alt
import ipywidgets as widgets
import vl_convert

__all__ = ["FONT", "styled", "to_svg", "to_png", "ChartView", "warm_up"]

# Noto Sans CJK JP is what CI and the Debian image install (fonts-noto-cjk); the
# others are what municipal Windows and Mac PCs have, for the SVG shown in a browser.
FONT = "Noto Sans CJK JP, Yu Gothic, Meiryo, Hiragino Sans, sans-serif"
_PNG_FONT = "Noto Sans CJK JP"


def styled(chart: alt.TopLevelMixin, font: str = FONT) -> alt.TopLevelMixin:
    """The chart with the kit's fonts and sizes; apply once, at the top level."""
    return chart.configure(font=font).configure_axis(
        labelFontSize=12, titleFontSize=13).configure_legend(
        labelFontSize=12, titleFontSize=13).configure_title(fontSize=15, anchor="start")


def _spec(chart: alt.TopLevelMixin, font: str, datasets: dict | None) -> dict:
    """The Vega-Lite spec; ``datasets`` (name → inline values, read by
    ``alt.NamedData``) join after Altair's validation, which takes seconds on a
    large inline map topology."""
    spec = styled(chart, font).to_dict()
    if datasets:
        spec.setdefault("datasets", {}).update(datasets)
    return spec


def to_svg(chart: alt.TopLevelMixin, datasets: dict | None = None) -> str:
    return vl_convert.vegalite_to_svg(_spec(chart, FONT, datasets))


def to_png(chart: alt.TopLevelMixin, scale: float = 2, datasets: dict | None = None) -> bytes:
    """PNG for reports and slides, drawn with a font that has Japanese glyphs."""
    return vl_convert.vegalite_to_png(_spec(chart, _PNG_FONT, datasets), scale=scale)


def warm_up() -> None:
    """Start vl-convert's engine (about a second, and some 60 MiB, the first time).
    Benches call it to leave that out of their timings; pages do not, as a kernel
    whose charts all come from ``kit.chart_cache`` never needs the engine."""
    to_svg(alt.Chart(alt.Data(values=[{"x": 0}])).mark_point().encode(x="x:Q"))


class ChartView(widgets.HTML):
    """An HTML widget showing one chart as inline SVG; call :meth:`show` to replace it."""

    def show(self, chart: alt.TopLevelMixin) -> None:
        self.value = to_svg(chart)
