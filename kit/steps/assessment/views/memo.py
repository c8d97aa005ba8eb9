"""Tab 気づきメモ・書き出し: the 気づきメモ of the chosen area (saved as typed), every
area's memos, and the exports (the tables and memos as Excel, a chart as PNG)."""

from __future__ import annotations

import html
from datetime import date

import ipywidgets as widgets

from kit import charts
from kit.export import export_filename
from kit.steps.assessment import charts as ac
from kit.steps.assessment.model import MEMO_PROMPTS, memo_key
from kit.steps.assessment.views import TabView, row, table
from kit.ui.common import autosave_claim, download_link
from kit.ui.saving import Slot, SyncedText
from kit.ui.town import XLSX_MIME

__all__ = ["MemoView"]


class MemoView(TabView):
    title = "気づきメモ・書き出し"
    follows = ("version", "area")

    def __init__(self, model):
        super().__init__(model)
        self._workspace = self._page_sync = None
        self._memos: dict[str, list[SyncedText]] = {}        # area → its boxes, made when first shown
        self._pages: dict[tuple[str, str], widgets.VBox] = {}  # (area, name) → heading and boxes
        self._shown = widgets.VBox()
        self._all = widgets.HTML()
        self._xlsx_button = widgets.Button(description="表とメモをExcelに書き出す", icon="download",
                                           layout=widgets.Layout(width="18em"))
        self._png_choice = widgets.Dropdown(options=ac.PNG_CHARTS, value=ac.PNG_CHARTS[0], description="図",
                                            style={"description_width": "2em"}, layout=widgets.Layout(width="30em"))
        self._png_button = widgets.Button(description="PNGを作る", icon="image")
        self._xlsx_link, self._png_link = widgets.HTML(), widgets.HTML()
        self._xlsx_button.on_click(lambda _: self.export_xlsx())
        self._png_button.on_click(lambda _: self.export_png(self._png_choice.value))
        self.children = [
            widgets.HTML("<p>上で選んだ地区について、データから気づいたことを書き留めます。"
                         + autosave_claim("手を止めると保存されます。") + "</p>"),
            self._shown,
            widgets.HTML("<h4>書き出す</h4><p>Excelには、表と、全地区の気づきメモが入ります"
                         "（メモの中の氏名・電話番号などは伏せ字にします）。</p>"),
            self._xlsx_button, self._xlsx_link,
            row(self._png_choice, self._png_button), self._png_link,
            widgets.HTML("<h4>全地区のメモ</h4>"), self._all,
        ]
        model.observe(self._show, names=["version", "area"])

    def bind(self, workspace, page_sync) -> None:
        """Save the memos in ``workspace``, following other devices through ``page_sync``."""
        self._workspace, self._page_sync = workspace, page_sync
        self._show()

    def memo(self, prompt: str) -> SyncedText:
        """The box of one prompt (a key of MEMO_PROMPTS) for the chosen area."""
        keys = [key for key, _heading, _placeholder in MEMO_PROMPTS]
        return self._boxes(self._model.area)[keys.index(prompt)]

    def _boxes(self, area: str) -> list[SyncedText]:
        if area not in self._memos:
            memos = []
            for key, _heading, placeholder in MEMO_PROMPTS:
                text = widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height="4.5em"))
                text.add_class(f"kit-memo-{key}")
                memos.append(SyncedText(text, Slot(self._workspace, memo_key(area, key)), sync=self._page_sync,
                                        on_saved=lambda _text: self.render()))
            self._memos[area] = memos
        return self._memos[area]

    def _show(self, _change=None) -> None:
        if self._workspace is None:
            return
        area = self._model.area
        name = self._model.area_names()[area]
        if (area, name) not in self._pages:
            # The heading travels with the area's text boxes in one widget, so the page
            # never shows one area's name above another area's memo.
            rows = [widgets.HTML(f"<h4>気づきメモ: {html.escape(name)}</h4>")]
            for (_key, heading, _placeholder), memo in zip(MEMO_PROMPTS, self._boxes(area)):
                rows += [widgets.HTML(f"<b>{html.escape(heading)}</b>"), *memo.widgets]
            self._pages[area, name] = widgets.VBox(rows)
        self._shown.children = [self._pages[area, name]]

    def render(self) -> None:
        memos = self._model.memo_table()
        self._all.value = table(memos.drop(columns="地区コード")) if len(memos) else "<p>まだメモはありません。</p>"

    def export_xlsx(self) -> bytes:
        data = self._model.export_xlsx()
        name = export_filename("地域診断", "xlsx", date.today())
        self._xlsx_link.value = download_link(data, name, f"{name} を保存", XLSX_MIME)
        return data

    def export_png(self, name: str) -> bytes:
        chart, datasets = ac.png_chart(self._model, name)
        data = charts.to_png(chart, datasets=datasets)
        filename = export_filename(f"地域診断_{name}", "png", date.today())
        self._png_link.value = download_link(data, filename, f"{filename} を保存", "image/png")
        return data
