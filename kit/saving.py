"""What every save obeys, without widgets: a text is bounded before it is masked,
masked before it is stored, and never written over an edit another device saved in
between. Models (``kit/steps/*/model.py``) raise these; the pages' widgets in
:mod:`kit.ui.saving` say on screen what they mean."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kit import masking
from kit.limits import MAX_LINE_CHARS, MAX_TEXT_CHARS
from kit.masking import MaskingUnavailable, MaskResult
from kit.store import StoreError

__all__ = ["TEXT_MAX", "LINE_MAX", "TooLong", "Stale", "SAVE_ERRORS", "check_length", "mask_for_saving"]

# A note, a canvas box, a case text; a name, a label, a title (kit.limits holds every bound).
TEXT_MAX, LINE_MAX = MAX_TEXT_CHARS, MAX_LINE_CHARS


class TooLong(ValueError):
    """A text over its limit; the message (Japanese) is for the page."""


class Stale(Exception):
    """Raised inside a store update when the stored value is not the one the edit
    was made on; ``current`` is what the store holds. Nothing is written."""

    def __init__(self, current: Any):
        super().__init__("stale edit")
        self.current = current


# What a save may meet that the page says in words (nothing was stored).
SAVE_ERRORS = (StoreError, MaskingUnavailable, TooLong)


def check_length(text: str, limit: int = TEXT_MAX, label: str = "") -> str:
    """``text`` when it fits, else TooLong with a message naming the field."""
    if isinstance(text, str) and len(text) > limit:
        raise TooLong(f"{label or 'この欄'}は{limit:,}文字までです（いまは{len(text):,}文字）。"
                      "長すぎるため保存していません。短くしてから、もう一度入力してください。")
    return text


def mask_for_saving(text: str, limit: int = TEXT_MAX, label: str = "",
                    mask: Callable[[str], MaskResult] | None = None) -> MaskResult:
    """``text`` masked (by ``mask``, else :func:`kit.masking.mask_text`) for the
    store, after its length is checked: an overlong text never reaches the masking
    engine. Raises TooLong or MaskingUnavailable."""
    return (mask or masking.mask_text)(check_length(text or "", limit, label))
