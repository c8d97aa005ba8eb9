"""Landing page: choose the workspace, see the four steps, bring your own town's data."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import datasets
from kit.io import KINDS
from kit.pages import LANDING, STEPS, available_steps
from kit.store import normalise_workspace_name, open_store, Workspace
from kit.ui.common import autosaved_text, link_button, message, page_style
from kit.ui.upload import UploadBox
from kit.workspace import DEFAULT_WORKSPACE, page_link

__all__ = ["StartScreen"]

MEMO_KEY = "start/memo"
# Kinds read on their own page, where they get what a plain upload would skip:
# cases are masked before storing (02), actors are checked for duplicates (03).
UPLOADED_ON_STEP_PAGE = {"cases": STEPS[1], "actors": STEPS[2]}


class StartScreen:
    """Built before the request (preheat); :meth:`open` binds it to a workspace and
    returns the view to display. (Not a widget subclass: ``Widget.open`` is taken.)"""

    def __init__(self, store=None):
        self.view = widgets.VBox()
        self.view.add_class("kit-start")
        self._store = store if store is not None else open_store()
        self.workspace: Workspace | None = None
        self._name = widgets.Text(placeholder="例: 3班、みどり野市 佐藤",
                                  description="名前", layout=widgets.Layout(width="24em"))
        self._go = widgets.HTML()
        self._name.observe(self._on_name, "value")
        self._heading = widgets.HTML()
        self._steps = widgets.HTML()
        self._memo = widgets.Textarea(placeholder="例: 自分の圏域の課題を、データと事例で説明できるようになりたい",
                                      layout=widgets.Layout(width="100%", height="6em"))
        self._memo_status = widgets.HTML()
        self._data_rows = widgets.VBox()
        self._style = page_style()

    # -- phase 2 ---------------------------------------------------------------
    def open(self, requested: str | None) -> widgets.VBox:
        """Bind to the workspace named in the URL (``None`` when the URL names none)."""
        chooser = widgets.VBox([
            widgets.HTML("<b>チーム名またはお名前を入力して、ワークスペースを選んでください。</b>"
                         "同じ名前で開けば、どのPCからでも続きから作業できます。"),
            widgets.HBox([self._name, self._go]),
        ])
        if requested is None:
            self._heading.value = message(
                "info", "まだワークスペースを選んでいません。下で選ぶと、入力した内容が保存されます。"
                f"選ばずに各ステップへ進むと「{DEFAULT_WORKSPACE}」に保存されます。")
            self._render_steps(None)
            self.view.children = [self._style, self._heading, chooser, self._steps]
            return self.view
        try:
            name = normalise_workspace_name(requested)
        except ValueError as error:
            self._heading.value = message("error", str(error))
            self.view.children = [self._style, self._heading, chooser]
            return self.view
        self.workspace = Workspace(self._store, name)
        self._heading.value = message(
            "ok", f"ワークスペース「{name}」で作業中です。入力した内容は自動で保存されます。")
        self._render_steps(name)
        autosaved_text(self._memo, self._memo_status, self.workspace, MEMO_KEY)
        self._render_data()
        switch = widgets.Accordion([chooser], titles=("別のワークスペースに切り替える",))
        switch.selected_index = None
        self.view.children = [
            self._style, self._heading, self._steps,
            widgets.HTML("<h3>この研修で持ち帰りたいこと</h3>"), self._memo, self._memo_status,
            widgets.HTML("<h3>自分のまちのデータを使う</h3>"
                         "<p>何もしなければ見本のまち「みどり野市」のデータで学べます。"
                         "自分のまちの CSV や Excel を読み込むと、すべてのステップでそのデータを使います。</p>"),
            self._data_rows, switch,
        ]
        return self.view

    # -- pieces ----------------------------------------------------------------
    def _on_name(self, change) -> None:
        try:
            name = normalise_workspace_name(change["new"])
        except ValueError as error:
            self._go.value = message("error", str(error)) if change["new"].strip() else ""
            return
        self._go.value = link_button(page_link(LANDING.file, name), f"「{name}」で始める")

    def _render_steps(self, name: str | None) -> None:
        items = "".join(
            f'<li><a href="{html.escape(page_link(page.file, name))}">'
            f"<b>{html.escape(page.title)}</b></a> — {html.escape(page.summary)}</li>"
            for page in available_steps())
        self._steps.value = (f"<h3>4つのステップ</h3><ol class='kit-steps'>{items}</ol>" if items
                             else "<p>ステップのページはまだありません。</p>")

    def _render_data(self) -> None:
        self._data_rows.children = [self._data_row(kind) for kind in KINDS]

    def _data_row(self, kind: str) -> widgets.Widget:
        if kind in UPLOADED_ON_STEP_PAGE:
            page = UPLOADED_ON_STEP_PAGE[kind]
            href = html.escape(page_link(page.file, self.workspace.name))
            body = widgets.HTML(f'{html.escape(self._data_status(kind))}<br>このデータは'
                                f'<a href="{href}">「{html.escape(page.title)}」</a>のページで読み込みます。')
            row = widgets.Accordion([body], titles=(datasets.KIND_LABELS[kind],))
            row.selected_index = None
            return row
        status = widgets.HTML(self._data_status(kind))
        reset = widgets.Button(description="見本のデータに戻す", icon="undo",
                               disabled=not datasets.is_uploaded(self.workspace, kind))

        def loaded(result) -> None:
            self.workspace.put_table(datasets.table_key(kind), result.data)
            status.value = self._data_status(kind)
            reset.disabled = False

        def back_to_sample(_button) -> None:
            self.workspace.delete(datasets.table_key(kind))
            status.value = self._data_status(kind)
            reset.disabled = True

        reset.on_click(back_to_sample)
        upload = UploadBox(kind, on_loaded=loaded)
        body = widgets.VBox([status, upload, reset])
        row = widgets.Accordion([body], titles=(datasets.KIND_LABELS[kind],))
        row.selected_index = None
        return row

    def _data_status(self, kind: str) -> str:
        if not datasets.is_uploaded(self.workspace, kind):
            return "使用中: 見本のまち (みどり野市)"
        table = self.workspace.get_table(datasets.table_key(kind))
        return f"使用中: 読み込んだデータ ({len(table):,}行)"
