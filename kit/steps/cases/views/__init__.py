"""The tabs and panels of page 02, one module each; each is a widget built before
the request and bound to a :class:`kit.steps.cases.model.CasesModel` by ``bind``.

A selection widget shows a choice of the model through :func:`link_choice`; its
options follow the model's ``revision`` through :func:`refill`."""

from __future__ import annotations

import traitlets

__all__ = ["link_choice", "refill"]


def link_choice(model: traitlets.HasTraits, name: str, widget) -> traitlets.link:
    """Link ``model.name`` (a value, or a tuple of values) with a selection widget
    whose options are (label, value) pairs. A choice the widget does not offer yet
    shows as none: the model settles its choices before ``revision`` brings the
    widget its new options."""
    def shown(value):
        offered = {option for _label, option in widget.options}
        if isinstance(value, tuple):
            return tuple(option for option in value if option in offered)
        return value if value in offered else None

    return traitlets.link((model, name), (widget, "value"), (shown, lambda value: "" if value is None else value))


def refill(link: traitlets.link, options) -> None:
    """Give the selection widget of ``link`` new options and leave the choice to the
    model: ipywidgets selects the first option whenever the options change, a
    passing choice the model must not take."""
    widget = link.target[0]
    link.unlink()
    try:
        widget.options = options
    finally:
        link.link()
