"""Landing page: join a workshop as a team or choose a self-study workspace, see the
four steps, answer the 理解度チェック, bring your own town's data."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit import datasets
from kit import town as tw
from kit import workshop as wk
from kit.pages import LANDING, OWN_TOWN, STEPS, available_steps
from kit.start.model import MEMO_KEY
from kit.start.self_assessment import responses
from kit.start.self_assessment_view import SelfAssessmentForm
from kit.steps.assessment import domain as asm
from kit.store import StoreError
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

# Kinds read on their own page, where they get what a plain upload would skip:
# cases are masked before storing (02), actors are checked for duplicates (03).
UPLOADED_ON_STEP_PAGE = {"cases": STEPS[1], "actors": STEPS[2]}
_WIDE = widgets.Layout(width="24em")


class StartScreen(Screen):
    """The landing page. Unlike the steps it also opens without a workspace (it is
    where one is chosen), and its banner greets rather than reports."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-start")
        self._name = widgets.Text(placeholder="例: 3班、みどり野市 佐藤", description="名前", layout=_WIDE)
        self._go = widgets.HTML()
        self._name.observe(self._on_name, "value")
        self._code = widgets.Text(placeholder="例: K7MPA", description="研修コード", layout=_WIDE,
                                  style={"description_width": "6em"})
        self._team = widgets.Text(placeholder="例: A班、高知チーム", description="チーム名", layout=_WIDE,
                                  style={"description_width": "6em"})
        self._pin = widgets.Text(placeholder="2台目から入るときだけ", description="合言葉", layout=_WIDE,
                                 style={"description_width": "6em"})
        self._join_button = widgets.Button(description="参加する", icon="sign-in", button_style="primary")
        self._join_button.on_click(self.join)
        self._joined = widgets.HTML()
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
            self._render_steps(None)
            self.view.children = [self._style, self._banner, self._join_box(), self._chooser(), self._steps]
            return self
        workspace, banner = resolve_workspace(self._store, requested)
        if workspace is None:
            self._banner.value = banner
            self.view.children = [self._style, self._banner, self._join_box(), self._chooser()]
            return self
        self.workspace = workspace
        self.sync = PageSync(workspace)
        self._render_steps(wk.link_value(workspace))
        memo = SyncedText(self._memo, Slot(workspace, MEMO_KEY), status=self._memo_status, sync=self.sync)
        self._render_data()
        switch = widgets.Accordion([widgets.VBox([self._join_box(), self._chooser()])],
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

    def join(self, _button=None) -> None:
        """Join the workshop typed in the form and offer the team's link."""
        try:
            member = wk.join(self._store, self._code.value, self._team.value, self._pin.value)
        except ValueError as error:
            self._joined.value = message("error", str(error))
            return
        except StoreError as error:
            self._joined.value = message("error", f"参加の記録を保存できませんでした（{error}）。")
            return
        done = "参加しました" if member.created else "入り直しました"
        self._pin.value = ""
        self._joined.value = (
            message("ok", f"研修「{member.title}」にチーム「{member.team}」として{done}。"
                          f"合言葉は {member.pin} です。別のPCから同じチームに入るときに使うので、控えてください。")
            + link_button(page_link(LANDING.file, member.access), f"「{member.team}」で始める"))

    # -- pieces ----------------------------------------------------------------
    def _join_box(self) -> widgets.VBox:
        return widgets.VBox([
            widgets.HTML("<h3>研修に参加する</h3><p>ファシリテーターが示す<b>研修コード</b>と、"
                         "自分たちの<b>チーム名</b>を入れてください。同じチームの2台目のPCからは、"
                         "最初のPCに出る<b>合言葉</b>も入れます。</p>"),
            self._code, self._team, self._pin, self._join_button, self._joined])

    def _chooser(self) -> widgets.VBox:
        return widgets.VBox([
            widgets.HTML("<h3>ひとりで学ぶ</h3><b>お名前などを入力して、ワークスペースを選んでください。</b>"
                         "同じ名前で開けば、どのPCからでも続きから作業できます。"),
            widgets.HBox([self._name, self._go]),
        ])

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
            answered = len(responses(workspace, phase))
            part = widgets.Accordion([SelfAssessmentForm(workspace, phase)],
                                     titles=(f"{title}　回答 {answered}人",))
            part.selected_index = 0 if phase == "pre" and not answered else None
            parts.append(part)
        return parts[0], parts[1]

    def _on_name(self, change) -> None:
        try:
            name = wk.check_personal_name(change["new"])
        except ValueError as error:
            self._go.value = message("error", str(error)) if change["new"].strip() else ""
            return
        self._go.value = link_button(page_link(LANDING.file, name), f"「{name}」で始める")

    @staticmethod
    def _own_town_link(workspace) -> str:
        button = link_button(page_link(OWN_TOWN.file, wk.link_value(workspace)), f"{OWN_TOWN.title} →")
        return (f'<p class="kit-own-town-link">自分のまちのデータを、どの部署に何を頼めばよいか'
                f'（ひな型・依頼文・チェックリスト）: {button}</p>')

    def _render_steps(self, link: str | None) -> None:
        items = "".join(
            f'<li><a href="{html.escape(page_link(page.file, link))}">'
            f"<b>{html.escape(page.title)}</b></a> — {html.escape(page.summary)}</li>"
            for page in available_steps())
        self._steps.value = (f"<h3>4つのステップ</h3><ol class='kit-steps'>{items}</ol>" if items
                             else "<p>ステップのページはまだありません。</p>")

    def _render_data(self) -> None:
        workspace = self.workspace
        self.town_picker.bind(workspace, lambda _town: self._data_changed())
        rows = []
        # The kinds a workspace keeps; the 町丁字 → 圏域 table sums the files read after it.
        for kind in ("areas", "area_map", *list(datasets.KIND_LABELS)[1:]):
            if kind in UPLOADED_ON_STEP_PAGE:
                page = UPLOADED_ON_STEP_PAGE[kind]
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
