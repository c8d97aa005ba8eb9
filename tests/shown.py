"""Reading a screen's widget tree as its user does, without a browser: the text it
shows (hidden parts left out) and a control found by its visible label."""

from __future__ import annotations

import ipywidgets as widgets

__all__ = ["shown_html", "control", "with_class", "of_type"]


def _visible(widget: widgets.Widget):
    if getattr(getattr(widget, "layout", None), "display", None) == "none":
        return
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _visible(child)


def shown_html(widget: widgets.Widget) -> str:
    """All HTML the widget shows, hidden widgets left out."""
    return "\n".join(w.value for w in _visible(widget)
                     if isinstance(w, (widgets.HTML, widgets.HTMLMath)) and isinstance(w.value, str))


def control(widget: widgets.Widget, label: str) -> widgets.Widget:
    """The one control labelled ``label`` (its description) among the shown ones."""
    [found] = [w for w in _visible(widget) if getattr(w, "description", None) == label]
    return found


def with_class(widget: widgets.Widget, css_class: str) -> list[widgets.Widget]:
    """The shown widgets carrying ``css_class``."""
    return [w for w in _visible(widget) if css_class in getattr(w, "_dom_classes", ())]


def of_type(widget: widgets.Widget, kind: type) -> list[widgets.Widget]:
    """The shown widgets of one kind (e.g. the answer buttons a user can click now)."""
    return [w for w in _visible(widget) if isinstance(w, kind)]
