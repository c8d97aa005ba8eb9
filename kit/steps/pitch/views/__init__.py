"""The tabs of page 04, one module each, and what they share: the page's status
line and the way a list shows the model's choice.

Each view observes :class:`kit.steps.pitch.model.PitchModel` and shows what it
publishes; what the user does goes to the model's methods, whose saves the status
line reports."""

from __future__ import annotations

from collections.abc import Callable, Iterable

import ipywidgets as widgets

from kit.ui.saving import attempt, failure_html, followed_html, masked_notice, saved_html

__all__ = ["StatusLine", "button", "show_choice"]


def button(label: str, icon: str, primary: bool = False) -> widgets.Button:
    """A button as wide as its Japanese label (the default width cuts it off)."""
    return widgets.Button(description=label, icon=icon, button_style="primary" if primary else "",
                          layout=widgets.Layout(width="auto"))


def show_choice(select: widgets.Widget, on_pick: Callable, options: list, value) -> None:
    """Put the model's options and choice into ``select`` without calling ``on_pick``
    (which saves what the user picks): ipywidgets resets the choice whenever the
    options change, and that reset is nobody's pick."""
    select.unobserve(on_pick, "value")
    try:
        select.options = options
        select.value = value
    finally:
        select.observe(on_pick, "value")


class StatusLine(widgets.HTML):
    """The page's line under the prompts: what the last save did (saved, and what
    was masked) or why it did not happen."""

    def __init__(self):
        super().__init__()
        self.add_class("kit-pitch-status")

    def saving(self, action: Callable[[], object], found: Iterable = ()) -> bool:
        """Run ``action`` (a save); True when it saved."""
        if not attempt(self, action)[0]:
            return False
        self.value = saved_html() + masked_notice(found)
        return True

    def failed(self, error: BaseException) -> None:
        self.value = failure_html(error)

    def followed(self) -> None:
        self.value = followed_html()
