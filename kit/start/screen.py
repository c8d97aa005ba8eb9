"""Landing page: join a workshop as a team or choose a self-study workspace, see the
steps, answer the 理解度チェック, bring your own town's data."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import datasets
from kit import town as tw
from kit import workshop as wk
from kit.pages import OWN_TOWN
from kit.start.model import MEMO_KEY, UPLOADED_ON_STEP_PAGE, StartModel, upload_page
from kit.start.views.self_assessment import SelfAssessmentForm
from kit.start.views.choose import JoinForm, NameChooser
from kit.start.views.steps import steps_html
from kit.steps.assessment import domain as asm
from kit.ui.common import (
    Screen,
    autosave_claim,
    link_button,
    message,
    resolve_workspace,
    town_line,
    workshop_clock,
)
from kit.ui.saving import PageSync, Slot, SyncedText
from kit.ui.town import DataRow, TownPicker
from kit.workspace import DEFAULT_WORKSPACE, page_link

__all__ = ["StartScreen"]

# The kinds a workspace keeps, in page order; the 町丁字 → 圏域 table sums the files read after it.
_DATA_KINDS = ("areas", "area_map", *list(datasets.KIND_LABELS)[1:])


class StartScreen(Screen):
    """The landing page. Unlike the steps it also opens without a workspace (it is
    where one is chosen), and its banner greets rather than reports."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-start")
        self.model = StartModel(self._store)
        self._join = JoinForm(self.model)
        self._chooser = NameChooser(self.model)
        self._steps = widgets.HTML()
        self._memo = widgets.Textarea(placeholder="例: 自分の圏域の課題を、データと事例で説明できるようになりたい",
                                      layout=widgets.Layout(width="100%", height="6em"))
        self._memo_status = widgets.HTML()
        self._data_rows = widgets.VBox()
        self.town_picker = TownPicker()

    # -- phase 2 ---------------------------------------------------------------
    def open(self, requested: str | None) -> "StartScreen":
        """Bind to the workspace named in the URL (``None`` when the URL names none)."""
        if requested is None:
            self._banner.value = message(
                "info", "まだワークスペースを選んでいません。研修では研修コードとチーム名で参加し、"
                "ひとりで学ぶときは名前を入れてください。入力した内容はそこに保存されます。"
                f"選ばずに各ステップへ進むと「{DEFAULT_WORKSPACE}」に保存されます。")
            self._steps.value = steps_html(None)
            self.view.children = [self._style, self._banner, self._join, self._chooser, self._steps]
            return self
        workspace, banner = resolve_workspace(self._store, requested)
        if workspace is None:
            self._banner.value = banner
            self.view.children = [self._style, self._banner, self._join, self._chooser]
            return self
        self.workspace = workspace
        self.sync = PageSync(workspace)
        self._steps.value = steps_html(wk.link_value(workspace))
        memo = SyncedText(self._memo, Slot(workspace, MEMO_KEY), status=self._memo_status, sync=self.sync)
        self._render_data()
        switch = widgets.Accordion([widgets.VBox([self._join, self._chooser])],
                                   titles=("別の研修・ワークスペースに切り替える",))
        switch.selected_index = None
        body = [self._steps,
                widgets.HTML("<h3>この研修で持ち帰りたいこと</h3>"), *memo.widgets,
                widgets.HTML("<h3>自分のまちで使う</h3>"
                             "<p>何もしなければ見本のまち「みどり野市」のデータで学べます。"
                             "自分の市区町村を選ぶと、ファイルがなくても人口と高齢化の見通し（2045年まで）を"
                             "地域診断で見られます。圏域ごとの人口や要介護認定、ニーズ調査などは、"
                             "ファイル（CSV・Excel）を読み込むと、すべてのステップでそのデータを使います。</p>"
                             + self._own_town_link(workspace)),
                self.town_picker, self._data_rows]
        claim = autosave_claim("入力した内容は自動で保存されます。")
        if isinstance(workspace, wk.TeamWorkspace):
            self._banner.value = message(
                "ok", f"研修「{workspace.title}」に、チーム「{workspace.team}」として参加しています。", claim)
            before, after = self._self_assessment(workspace)
            body = [self._team_note(workspace), before, *body, after]
        else:
            self._banner.value = message("ok", f"ワークスペース「{workspace.name}」で作業中です。", claim)
        self._mismatch.show(workspace)
        self._town_line.value = town_line(tw.current(workspace))
        self.view.children = [self._style, self._banner, workshop_clock(workspace), self._town_line,
                              self._mismatch, *body, switch, self.sync]
        return self

    # -- pieces ----------------------------------------------------------------
    def _team_note(self, workspace: wk.TeamWorkspace) -> widgets.HTML:
        # The 合言葉 is kept only as a hash: it was shown once, when the team joined.
        return widgets.HTML(
            f'<p class="kit-team-note">別のPCで続けるときは、このページのアドレスをそのまま開くか、'
            f"「はじめに」で研修コード <b>{html.escape(workspace.code)}</b>・チーム名 "
            f"<b>{html.escape(workspace.team)}</b>・合言葉（参加したときに表示されたもの）を入れてください。"
            "合言葉を忘れたときは、ファシリテーターが新しく作れます。合言葉はチームの外に見せないでください。</p>")

    def _self_assessment(self, workspace) -> tuple[widgets.Accordion, widgets.Accordion]:
        """The 理解度チェック before (open until someone has answered) and after."""
        parts = []
        for phase, title in (("pre", "はじめる前に: 理解度チェック（事前）"), ("post", "研修の終わりに: 理解度チェック（事後）")):
            form = SelfAssessmentForm(workspace, phase)
            part = widgets.Accordion([form], titles=(f"{title}　回答 {form.model.count}人",))
            part.selected_index = 0 if phase == "pre" and not form.model.count else None
            parts.append(part)
        return parts[0], parts[1]

    @staticmethod
    def _own_town_link(workspace) -> str:
        button = link_button(page_link(OWN_TOWN.file, wk.link_value(workspace)), f"{OWN_TOWN.title} →")
        return (f'<p class="kit-own-town-link">自分のまちのデータを、どの部署に何を頼めばよいか'
                f'（ひな型・依頼文・チェックリスト）: {button}</p>')

    def _render_data(self) -> None:
        workspace = self.workspace
        self.town_picker.bind(workspace, lambda _town: self._data_changed())
        rows = []
        for kind in _DATA_KINDS:
            if kind in UPLOADED_ON_STEP_PAGE:
                page = upload_page(kind)
                href = html.escape(page_link(page.file, wk.link_value(workspace)))
                row = widgets.Accordion([widgets.HTML(
                    f'このデータは<a href="{href}">「{html.escape(page.title)}」</a>のページで読み込みます。')],
                    titles=(datasets.KIND_LABELS[kind],))
                row.selected_index = None
            else:
                row = DataRow(kind, workspace, self._data_changed, check=asm.check_upload,
                              known_areas=None if kind == "areas" else self._known_areas)
            rows.append(row)
        self._data_rows.children = rows

    @property
    def data_rows(self) -> dict[str, widgets.Accordion]:
        """Kind → its row: a :class:`DataRow`, or a note naming the step page that reads it."""
        return dict(zip(_DATA_KINDS, self._data_rows.children))

    def _known_areas(self) -> list[str]:
        return list(datasets.for_workspace(self.workspace, "areas")["地区コード"])

    def _data_changed(self) -> None:
        """A town chosen or a file read: every status on the page follows."""
        for row in self._data_rows.children:
            if isinstance(row, DataRow):
                row.refresh()
        self._mismatch.show(self.workspace)
        self._town_line.value = town_line(tw.current(self.workspace))

    _data_fixed = _data_changed
