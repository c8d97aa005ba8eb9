"""Saving what a page's user typed: bounded, masked, honest, and shared by the
devices of one workspace. Every page saves through here.

- **Bounded**: :func:`check_length` refuses a text over its limit before it is
  masked or stored (:data:`TEXT_MAX` for a note, :data:`LINE_MAX` for a line).
- **Masked**: :func:`mask_for_saving` hides personal data (``kit.masking``) in
  every free text before it reaches the store, and :func:`masked_notice` shows
  the user what was hidden and what was stored instead.
- **Honest**: :func:`attempt` runs a write; a store that cannot be written, a
  masking engine that is down or a text that is too long is said on the page,
  and nothing claims a save that did not happen.
- **Shared**: :class:`PageSync` looks at the workspace every few seconds, so a
  page follows what another device saved; :class:`SyncedText` saves a box only
  over the text it was loaded with, and asks when someone else saved in between.

Masking meets typing here: a box is saved once typing pauses (:data:`PAUSE`
seconds), masked, and the box is *not* rewritten under the cursor; the status
under it says what was hidden and shows the text as stored, which is what the
box holds after a reload.

The browser side (``kit/jupyter/share/voila/templates/kit/connection.js``) keeps
what was typed in a ``kit-keep`` box until the kernel marks it saved, and shows
a banner when the connection is lost. The classes set by :func:`mark_saved` are
the contract between the two.
"""

from __future__ import annotations

import asyncio
import difflib
import html
import time
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

import ipywidgets as widgets

from kit.masking import KINDS, Masked, MaskingUnavailable, MaskResult, summary
from kit.saving import (  # the rules without widgets, for models; re-exported for the pages
    LINE_MAX,
    SAVE_ERRORS,
    TEXT_MAX,
    Stale,
    TooLong,
    check_length,
    mask_for_saving,
)
from kit.store import StoreError
from kit.ui.common import message

__all__ = ["TEXT_MAX", "LINE_MAX", "PAUSE", "TooLong", "Stale", "SAVE_ERRORS", "check_length",
           "mask_for_saving", "failure_html", "saved_html", "followed_html", "masked_notice", "attempt", "text_hash",
           "keep", "mark_saved", "later", "Slot", "PageSync", "Choice", "SyncedText"]

# Seconds without typing after which a box is masked and saved.
PAUSE = 1.0
# A box typed in this recently is being edited: another device's save is not put
# into it. Input arriving this soon after the page put another device's text into
# a box may have been typed over the old text (it is checked which one it edits).
GRACE = 2.0

T = TypeVar("T")


def failure_html(error: BaseException) -> str:
    """What the page says when a save failed; nothing was stored."""
    if isinstance(error, MaskingUnavailable):
        return message("error", error.message)
    if isinstance(error, TooLong):
        return message("error", str(error))
    return message("error", f"保存できませんでした。入力した内容は保存されていません。控えを取ってください。（{error}）")


def saved_html(note: str = "") -> str:
    return (f'<span class="kit-saved">保存しました ({datetime.now():%H:%M:%S})'
            f'{html.escape(note)}</span>')


def followed_html() -> str:
    """A field now shows what another PC of the team saved (hidden while disconnected)."""
    return f'<span class="kit-followed">別のPCで保存された内容を表示しています ({datetime.now():%H:%M:%S})</span>'


def masked_notice(found: Iterable[Masked | tuple[str, Masked]], stored: str | None = None) -> str:
    """What masking hid, as 02's import shows it (a summary and each original), and
    the text as stored. Empty when nothing was hidden. For the page only: the
    originals are never stored."""
    items = [item if isinstance(item, tuple) else ("", item) for item in found]
    if not items:
        return ""
    counted = Counter(item.kind for _, item in items)
    counts = {kind: counted[kind] for kind in KINDS if counted[kind]}
    labelled = any(label for label, _ in items)
    head = ("<th>欄</th>" if labelled else "") + "<th>種類</th><th>元の文字列</th>"
    rows = "".join("<tr>" + (f"<td>{html.escape(label)}</td>" if labelled else "")
                   + f"<td>{html.escape(item.kind)}</td><td>{html.escape(item.original)}</td></tr>"
                   for label, item in items)
    shown = ("" if stored is None else
             '<div class="kit-masked-text" style="font-size:12px;color:#555;max-height:8em;overflow:auto;'
             f'white-space:pre-wrap">保存した文章: {html.escape(stored)}</div>')
    return (message("warning", f"{summary(counts)}（元の文字は保存していません）")
            + f'<table class="kit-table kit-masked"><tr>{head}</tr>{rows}</table>{shown}')


def attempt(status: widgets.HTML, action: Callable[[], T]) -> tuple[bool, T | None]:
    """Run ``action`` (which writes); ``(True, its result)``, or ``(False, None)``
    with the reason shown in ``status`` when the store, the masking engine or a
    length limit refused it."""
    try:
        return True, action()
    except SAVE_ERRORS as error:
        status.value = failure_html(error)
        return False, None


def later(delay: float, callback: Callable[[], None]) -> asyncio.TimerHandle | None:
    """Call ``callback`` after ``delay`` seconds on the kernel's event loop (no thread);
    at once outside a kernel (tests, scripts), where nothing would run the loop."""
    from ipykernel.kernelbase import Kernel

    if not Kernel.initialized():
        callback()
        return None
    return Kernel.instance().io_loop.call_later(delay, callback)


# --- the browser's side of keeping unsent typing ---------------------------------------------

def text_hash(text: str) -> str:
    """FNV-1a (32 bits) over UTF-16 code units, as ``connection.js`` computes it."""
    value = 0x811C9DC5
    data = text.encode("utf-16-le")
    for i in range(0, len(data), 2):
        value = ((value ^ (data[i] | data[i + 1] << 8)) * 0x01000193) & 0xFFFFFFFF
    return f"{value:08x}"


def keep(box: widgets.Widget, name: str) -> None:
    """Have the browser keep what is typed in ``box`` until it is saved (``name``: the
    slot it is saved in, stable across reloads)."""
    box.add_class("kit-keep")
    box.add_class("kit-keep-" + text_hash(name))


def mark_saved(box: widgets.Widget, sent: str, stored: str) -> None:
    """Tell the browser that ``sent`` (as typed) is saved and that ``stored`` is the
    text the box's next edit is made on. One message, so both change together."""
    classes = [c for c in box._dom_classes if not c.startswith(("kit-sent-", "kit-base-"))]
    box._dom_classes = (*classes, "kit-sent-" + text_hash(sent), "kit-base-" + text_hash(stored))


# --- where a text is stored -----------------------------------------------------------------

@dataclass(frozen=True)
class Slot:
    """Where one text is saved: a key of a workspace, or one entry of the dict stored
    under the key (03's offers per issue)."""

    workspace: Any
    key: str
    entry: str | None = None

    @property
    def name(self) -> str:
        return self.key if self.entry is None else f"{self.key}#{self.entry}"

    def get(self) -> str:
        value = self.workspace.get(self.key)
        if self.entry is not None:
            value = value.get(self.entry) if isinstance(value, dict) else None
        return value if isinstance(value, str) else ""

    def update(self, change: Callable[[str], str]) -> str:
        """Store ``change(current text)`` in one transaction; returns what was stored."""
        if self.entry is None:
            return self.workspace.update(self.key, lambda v: change(v if isinstance(v, str) else ""))

        def apply(stored):
            entries = dict(stored) if isinstance(stored, dict) else {}
            current = entries.get(self.entry)
            entries[self.entry] = change(current if isinstance(current, str) else "")
            return entries
        return self.workspace.update(self.key, apply)[self.entry]


# --- following other devices ---------------------------------------------------------------------

class PageSync(widgets.Box):
    """A page's look at its workspace every ``INTERVAL_MS``: when anything in it
    changed, each watcher is called to compare what it shows with the store.

    The browser keeps time (a hidden Play widget started by the page template's
    ``kit-autoplay`` script), so a page nobody has open costs nothing; one query
    per tick (the workspace's last write) decides whether to look further."""

    INTERVAL_MS = 3000

    def __init__(self, workspace):
        self._workspace = workspace
        self._watchers: list[Callable[[], None]] = []
        self._stamp = self._last_write()
        self._play = widgets.Play(min=0, max=1, interval=self.INTERVAL_MS, repeat=True, show_repeat=False,
                                  layout=widgets.Layout(display="none"))
        self._play.add_class("kit-autoplay")
        self._play.observe(lambda _change: self.tick(), "value")
        super().__init__([self._play], layout=widgets.Layout(display="none"))
        self.add_class("kit-page-sync")

    def _last_write(self):
        try:
            return self._workspace.last_updated()
        except StoreError:
            return None

    def watch(self, callback: Callable[[], None]) -> None:
        self._watchers.append(callback)

    def tick(self) -> None:
        stamp = self._last_write()
        if stamp is None or stamp == self._stamp:
            return
        self._stamp = stamp
        for callback in list(self._watchers):
            try:
                callback()
            except StoreError:  # the store is unreachable: the next tick tries again
                return


def _closer(text: str, old: str, new: str) -> bool:
    """True when ``text`` looks more like an edit of ``old`` than of ``new``."""
    return (difflib.SequenceMatcher(None, text, old).quick_ratio()
            > difflib.SequenceMatcher(None, text, new).quick_ratio())


class Choice(widgets.HBox):
    """Two buttons for a conflict: keep what I typed, or take what the other device
    saved. Hidden until :meth:`show`."""

    def __init__(self, on_mine: Callable[[], None], on_theirs: Callable[[], None], what: str = "文章"):
        mine = widgets.Button(description=f"自分の{what}で上書きする", icon="save", layout=widgets.Layout(width="auto"))
        theirs = widgets.Button(description=f"別のPCの{what}にする", icon="exchange",
                                layout=widgets.Layout(width="auto"))
        mine.on_click(lambda _b: on_mine())
        theirs.on_click(lambda _b: on_theirs())
        super().__init__([mine, theirs], layout=widgets.Layout(display="none"))
        self.add_class("kit-conflict-choice")

    def show(self, shown: bool) -> None:
        self.layout.display = None if shown else "none"


class SyncedText:
    """A text box saved under one :class:`Slot`, as typing pauses.

    Each save is bounded, masked and checked against the text the box was loaded
    with (or last saved): if another device saved in between, nothing is written
    and the status shows both texts with a choice. With a :class:`PageSync`, a box
    the user is not editing follows the other device's saves. ``widgets`` are the
    box, its status line and the (hidden) choice, in the order a page shows them."""

    def __init__(self, box: widgets.Textarea | widgets.Text, slot: Slot, *, status: widgets.HTML | None = None,
                 limit: int = TEXT_MAX, label: str = "", sync: PageSync | None = None,
                 on_saved: Callable[[str], None] | None = None, mask: Callable[[str], MaskResult] | None = None):
        self.box = box
        self.status = status if status is not None else widgets.HTML()
        self.choice = Choice(self.keep_mine, self.take_theirs)
        self._limit, self._label, self._on_saved, self._mask = limit, label, on_saved, mask
        self._quiet = False
        self._timer: asyncio.TimerHandle | None = None
        self._typed_at = self._pushed_at = -1e9
        self._theirs: str | None = None
        keep(box, slot.name)
        self.bind(slot)
        box.observe(self._on_typed, "value")
        if sync is not None:
            sync.watch(self.follow)

    @property
    def widgets(self) -> list[widgets.Widget]:
        return [self.box, self.status, self.choice]

    def bind(self, slot: Slot) -> None:
        """Show and save the text of ``slot`` (03's offer box moves between issues)."""
        self.flush()
        self.slot = slot
        self._show(slot.get())
        self.status.value = ""
        self.choice.show(False)

    def _show(self, text: str) -> None:
        """Put stored ``text`` in the box, as the base of the next edit."""
        self._quiet = True
        try:
            self.box.value = text
        finally:
            self._quiet = False
        self._base = self._sent = text
        mark_saved(self.box, text, text)

    def _on_typed(self, change) -> None:
        if self._quiet:
            return
        now = time.monotonic()
        if (now - self._pushed_at < GRACE and len(change["new"]) <= self._limit
                and _closer(change["new"], self._before_push, self._base)):
            # Sent before the browser showed the other device's text: an edit of the old one.
            self._base = self._before_push
        self._typed_at = now
        if self._timer is not None:
            self._timer.cancel()
        self._timer = later(PAUSE, self._paused)

    def _paused(self) -> None:
        self._timer = None
        try:
            self.save()
        except Exception as error:  # runs outside any cell: the page must still say it failed
            self.status.value = message("error", f"保存できませんでした（予期しない問題: {type(error).__name__}）。")

    def flush(self) -> None:
        """Save now what waits for a pause in typing."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
            self.save()

    def save(self, force: bool = False) -> bool:
        """Mask and store the box's text; True when stored (or nothing was new)."""
        text = self.box.value
        if text == self._sent and self._theirs is None and not force:
            return True
        base = self._base

        def replace(current: str) -> str:
            if current != base and current != masked.text:
                raise Stale(current)
            return masked.text

        try:
            masked = mask_for_saving(text, self._limit, self._label, self._mask)
            stored = self.slot.update(replace)
        except Stale as stale:
            self._ask(stale.current)
            return False
        except SAVE_ERRORS as error:
            self.status.value = failure_html(error)
            return False
        self._base, self._sent, self._theirs = stored, text, None
        self.choice.show(False)
        mark_saved(self.box, text, stored)
        self.status.value = saved_html() + masked_notice(masked.found, stored)
        if self._on_saved is not None:
            self._on_saved(stored)
        return True

    def _ask(self, theirs: str) -> None:
        self._theirs = theirs
        shown = html.escape(theirs) if theirs else "（空欄）"
        self.status.value = (
            message("warning", "この欄は、別のPC（または別のタブ）で先に保存されていました。"
                               "あなたの入力はまだ保存していません。どちらを残すか選んでください。")
            + f'<div class="kit-theirs" style="border-left:4px solid #8a5a00;padding:0.2em 0.6em;'
              f'white-space:pre-wrap">別のPCで保存された文章: {shown}</div>')
        self.choice.show(True)

    def keep_mine(self) -> None:
        """Overwrite the other device's text with this box's, having seen it."""
        if self._theirs is not None:
            self._base = self._theirs
        self._theirs = None
        self.save(force=True)

    def take_theirs(self) -> None:
        theirs = self.slot.get()
        self._theirs = None
        self._show(theirs)
        self.choice.show(False)
        self.status.value = message("info", "別のPCで保存された文章にしました。")
        if self._on_saved is not None:
            self._on_saved(theirs)

    def follow(self) -> None:
        """Compare with the store: show another device's save, unless this box holds
        typing of its own (then its save will ask)."""
        current = self.slot.get()
        if current == self._base:
            return
        busy = (self._theirs is not None or self.box.value != self._sent or self._timer is not None
                or time.monotonic() - self._typed_at < GRACE)
        if busy:
            if current != self._theirs:
                self._ask(current)
            return
        self._before_push, self._pushed_at = self._base, time.monotonic()
        self._show(current)
        self.status.value = followed_html()
        if self._on_saved is not None:
            self._on_saved(current)

