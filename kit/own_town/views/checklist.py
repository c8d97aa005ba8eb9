"""1 チェックリスト: what was asked for and received, ticked per kind and saved at
once; what was loaded is read from the workspace."""

from __future__ import annotations

import html
from datetime import datetime
from functools import partial

import ipywidgets as widgets

from kit.own_town import domain as ot
from kit.own_town.model import CHECKLIST_KEY, OwnTownModel
from kit.start.model import upload_page
from kit.store import StoreError
from kit.ui.common import message
from kit.ui.saving import saved_html
from kit.workspace import page_link

__all__ = ["ChecklistPanel", "last_saved_html"]


def last_saved_html(moment: datetime | None) -> str:
    """When a part of the page was saved before this visit ("" when never)."""
    if moment is None:
        return ""
    return f'<span class="kit-saved kit-saved-earlier">前回の保存: {moment.astimezone():%m/%d %H:%M}</span>'


class ChecklistPanel(widgets.VBox):
    def __init__(self, model: OwnTownModel):
        self.model = model
        self._ticks = {(kind, step): widgets.Checkbox(description=label, indent=False,
                                                      layout=widgets.Layout(width="auto"))
                       for kind in ot.KIND_GUIDES for step, label in ot.CHECK_STEPS.items()}
        for (kind, step), box in self._ticks.items():
            box.observe(partial(self._on_tick, kind, step), "value")
            box.add_class(f"kit-check-{kind}-{step}")
        self._loaded = {kind: widgets.HTML() for kind in ot.KIND_GUIDES}
        for kind, cell in self._loaded.items():
            cell.add_class(f"kit-loaded-{kind}")
        self._status = widgets.HTML()
        model.observe(lambda _change: self._show_ticks(), "checks")
        cells: list[widgets.Widget] = [widgets.HTML(f'<span class="kit-check-head">{text}</span>')
                                       for text in ("データ", *ot.CHECK_STEPS.values(), "キットでは")]
        for kind, guide in ot.KIND_GUIDES.items():
            cells += [widgets.HTML(html.escape(guide.label)),
                      *(self._ticks[kind, step] for step in ot.CHECK_STEPS), self._loaded[kind]]
        grid = widgets.Box(cells)
        grid.add_class("kit-check-grid")
        super().__init__([
            widgets.HTML("<h3>1 チェックリスト</h3><p>どのデータを頼んだか、受け取ったかに印を付けます。"
                         "印はこのワークスペースに保存され、次に開いたときも残っています。"
                         "「キットでは」の欄は、このワークスペースに自分のデータを読み込んだかどうかです。</p>"),
            grid, self._status])

    def bind(self, link: str | None) -> None:
        """Show the loaded model; ``link`` is the workspace as links carry it."""
        self._show_ticks()
        self._status.value = last_saved_html(self.model.saved_at(CHECKLIST_KEY))
        for kind in ot.KIND_GUIDES:
            page = upload_page(kind)
            if self.model.loaded(kind):
                self._loaded[kind].value = '<span class="kit-loaded">✓ 読み込み済み</span>'
            else:
                self._loaded[kind].value = (f'まだ（見本のまち）— <a href="{html.escape(page_link(page.file, link))}">'
                                            f"「{html.escape(page.title)}」で読み込む</a>")

    def _show_ticks(self) -> None:
        for (kind, step), box in self._ticks.items():
            box.value = self.model.checks.get(kind, {}).get(step, False)

    def _on_tick(self, kind: str, step: str, change) -> None:
        try:
            saved = self.model.tick(kind, step, change["new"])
        except StoreError as error:
            self._status.value = message(
                "error", f"印を保存できませんでした。もう一度押すか、紙に控えてください。（{error}）")
            return
        if saved:
            self._status.value = saved_html()
