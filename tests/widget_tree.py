"""Reading a screen's widget tree as a user reads the page: the HTML it shows, and
the controls by their visible label or placeholder."""

from __future__ import annotations

from collections.abc import Iterator


def walk(view) -> Iterator:
    """Every widget under ``view`` (itself included), depth first."""
    stack = [view]
    while stack:
        widget = stack.pop()
        yield widget
        stack.extend(reversed(getattr(widget, "children", ())))


def _shown(view) -> list[str]:
    """The text values of the widgets under ``view``, without the page's stylesheet
    (which names every class)."""
    return [w.value for w in walk(view)
            if isinstance(getattr(w, "value", None), str) and not w.value.startswith("<style>")]


def html_of(view) -> str:
    """All HTML shown in a widget tree, to search for what the user would read."""
    return "\n".join(_shown(view))


def html_with(view, marker: str) -> str:
    """The one HTML widget under ``view`` whose content holds ``marker`` (a class name)."""
    found = [value for value in _shown(view) if marker in value]
    assert len(found) == 1, f"{len(found)} widgets show {marker!r}"
    return found[0]


def control(view, label: str = "", *, placeholder: str = "", kind: type | None = None):
    """The one control under ``view`` with this description (button or field label)
    or placeholder, optionally of a widget class."""
    found = [w for w in walk(view)
             if (not label or getattr(w, "description", None) == label)
             and (not placeholder or getattr(w, "placeholder", None) == placeholder)
             and (kind is None or isinstance(w, kind))]
    assert len(found) == 1, f"{len(found)} controls labelled {label or placeholder!r}"
    return found[0]


def classed(view, css_class: str):
    """The one widget under ``view`` carrying the CSS class (as the browser tests find it)."""
    found = [w for w in walk(view) if css_class in getattr(w, "_dom_classes", ())]
    assert len(found) == 1, f"{len(found)} widgets of class {css_class!r}"
    return found[0]
