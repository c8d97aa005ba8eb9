"""The tabs of page 03, one module each; small helpers they share."""

from __future__ import annotations

import html
from collections.abc import Iterable

from kit.steps.actors import domain as act
from kit.ui.controls import esc

__all__ = ["options", "joined", "cell_html"]


def options(values: Iterable[str], blank: str) -> list[tuple[str, str]]:
    """Dropdown options with a first one meaning none chosen."""
    return [(blank, "")] + [(value, value) for value in values]


def joined(cell: object, sep: str = "・") -> str:
    """A multi-valued cell as escaped text."""
    return html.escape(sep.join(act.terms(cell)))


def cell_html(value: object) -> str:
    """A value of a record in a comparison table; an empty one says so."""
    if isinstance(value, (tuple, list)):
        return joined(value) or '<span class="kit-blank">（空欄）</span>'
    return esc(value) if act.text(value).strip() else '<span class="kit-blank">（空欄）</span>'
