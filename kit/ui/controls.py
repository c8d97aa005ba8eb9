"""Small controls every screen uses: a group of check boxes, a section heading,
escaping for cells a table shows, and the big countdown face. The look is in
kit/ui/style.css (class names)."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence

import ipywidgets as widgets
import pandas as pd
import traitlets

__all__ = ["CheckGroup", "heading", "esc", "linked_texts", "timer_state", "timer_face"]


def esc(value: object) -> str:
    """A cell as HTML text: missing values (None, NaN, NA) are empty."""
    if value is None or (not isinstance(value, (str, tuple, list)) and pd.isna(value)):
        return ""
    return html.escape(str(value))


def heading(text: str, note: str = "", extra_html: str = "") -> widgets.HTML:
    """A section heading, with a short note under it (``extra_html`` is trusted HTML
    appended to the note, e.g. an autosave claim)."""
    under = f"{html.escape(note)}{extra_html}"
    return widgets.HTML(f'<h4 class="kit-heading">{html.escape(text)}</h4>'
                        + (f'<div class="kit-heading-note">{under}</div>' if under else ""))


class CheckGroup(widgets.GridBox):
    """Check boxes in a grid; ``value`` is the tuple of ticked options, in option
    order. Options are (label, value) pairs; ``add`` appends options later (a
    team's own tags) and ``labels`` relabels them (a ★ for a suggestion)."""

    value = traitlets.Tuple()

    def __init__(self, options: Sequence[tuple[str, str]] = (), columns: int = 3, css: str = ""):
        self._boxes: dict[str, widgets.Checkbox] = {}
        super().__init__(layout=widgets.Layout(grid_template_columns=f"repeat({columns}, minmax(0, 1fr))",
                                               width="100%"))
        self.add_class("kit-check-group")
        if css:
            self.add_class(css)
        self.add(options)
        self.observe(self._show_value, "value")

    @property
    def options(self) -> tuple[str, ...]:
        return tuple(self._boxes)

    def add(self, options: Iterable[tuple[str, str]]) -> None:
        new = [(label, value) for label, value in options if value not in self._boxes]
        for label, value in new:
            box = widgets.Checkbox(description=label, indent=False, layout=widgets.Layout(width="auto"))
            box.observe(self._read_boxes, "value")
            self._boxes[value] = box
        if new:
            self.children = list(self._boxes.values())

    def labels(self, labels: dict[str, str]) -> None:
        for value, label in labels.items():
            if value in self._boxes:
                self._boxes[value].description = label

    def on_change(self, callback: Callable) -> None:
        """``callback(change)`` after the user ticks or unticks a box."""
        self.observe(callback, "value")

    def _read_boxes(self, _change) -> None:
        self.value = tuple(value for value, box in self._boxes.items() if box.value)

    def _show_value(self, change) -> None:
        wanted = set(change["new"])
        with self.hold_trait_notifications():
            for value, box in self._boxes.items():
                if box.value != (value in wanted):
                    box.unobserve(self._read_boxes, "value")
                    box.value = value in wanted
                    box.observe(self._read_boxes, "value")


def linked_texts(model, fields, layout: widgets.Layout, style: dict) -> list[widgets.Text]:
    """One text box per ``(trait, label, placeholder)`` of ``fields``, each linked both
    ways to that trait of ``model`` (a form whose state the model owns)."""
    boxes = []
    for name, label, placeholder in fields:
        box = widgets.Text(description=label, placeholder=placeholder, layout=layout, style=style)
        widgets.link((model, name), (box, "value"))
        boxes.append(box)
    return boxes


def timer_state(left: int) -> str:
    """``run``, ``last`` (the last minute) or ``up``: the class a countdown is drawn with."""
    return "up" if left <= 0 else "last" if left <= 60 else "run"


def timer_face(elapsed: int, total: int) -> str:
    """Big digits of the time left, for a projector; amber in the last minute, red
    when time is up."""
    left = max(total - elapsed, 0)
    note = {"run": "残り時間", "last": "残り1分", "up": "時間です"}[timer_state(left)]
    return (f'<div class="kit-timer kit-timer-{timer_state(left)}" data-left="{left}">'
            f'<div class="kit-timer-note">{note}</div>'
            f'<div class="kit-timer-digits">{left // 60}:{left % 60:02d}</div></div>')
