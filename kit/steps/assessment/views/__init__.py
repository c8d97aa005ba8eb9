"""The tabs of the 地域診断 page, one module each, and what they share.

A tab is a :class:`TabView`: it draws itself from the
:class:`~kit.steps.assessment.model.AssessmentModel` in :meth:`TabView.render`
(the screen calls it when the tab is visible and the choices it follows,
:attr:`TabView.follows`, changed), and its controls show the model in one
``_sync`` and set the model when the user chooses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ipywidgets as widgets
import pandas as pd

from kit import chart_cache, charts

__all__ = ["TabView", "table", "offer", "row"]


def table(df: pd.DataFrame, formats: dict[str, str] | None = None) -> str:
    """A small HTML table: numbers formatted per column, everything escaped."""
    shown = df.copy()
    shown.columns.name = None  # a pivot's column title would add an empty header cell
    for column, spec in (formats or {}).items():
        if column in shown:
            shown[column] = shown[column].map(lambda v, spec=spec: "—" if pd.isna(v) else format(v, spec))
    return shown.to_html(index=False, escape=True, na_rep="—", border=0, classes="kit-table")


def offer(control: widgets.Widget, options: Iterable, value) -> None:
    """Show ``options`` with ``value`` chosen; the options are replaced only when
    they differ, as replacing them chooses the first one for a moment."""
    options = list(options)
    if list(control.options) != options:
        control.options = options
    control.value = value


def row(*children: widgets.Widget) -> widgets.HBox:
    """Widgets side by side, wrapping on a narrow screen (class kit-row in style.css)."""
    box = widgets.HBox(list(children))
    box.add_class("kit-row")
    return box


class TabView(widgets.VBox):
    """One tab of the page, drawn from the model."""

    title = ""
    needs: tuple[str, ...] = ()               # kinds of data the tab shows (missing ones are named instead)
    follows: tuple[str, ...] = ("version",)   # model traits whose change redraws the tab

    def __init__(self, model, children: Iterable[widgets.Widget] = ()):
        super().__init__(list(children))
        self._model = model
        self._images: list[widgets.HTML] = []

    def state(self) -> tuple:
        """What the tab was drawn for: the values of the traits it follows."""
        return tuple(getattr(self._model, name) for name in self.follows)

    def lacking(self) -> str:
        """What stands in for the tab's content when the town has its data but the
        tab still cannot show it ("" when it can)."""
        return ""

    def render(self) -> None:
        """Draw the tab for the model's current choices."""

    def forget(self) -> None:
        """Empty the tab's images (the page travels lighter; :meth:`render` brings them back)."""
        for image in self._images:
            image.value = ""

    def _chart(self) -> charts.ChartView:
        view = charts.ChartView()
        view.add_class("kit-chart")
        self._images.append(view)
        return view

    def _draw(self, view: charts.ChartView, parts: tuple, make: Callable) -> None:
        """Show a chart, drawn only the first time these choices and data are seen
        on the server (``kit.chart_cache``)."""
        view.value = chart_cache.svg((*parts, self._model.fingerprint), make)
