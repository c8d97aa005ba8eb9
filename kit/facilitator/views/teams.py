"""チームの管理: each team's link (for the facilitator's eyes only), and the actions
on a team's workspace: reset, seed from a prepared workspace, a new 合言葉."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets

from kit import workshop as wk
from kit.facilitator.model import ALL, DashboardModel
from kit.facilitator.views.progress import clock
from kit.pages import LANDING
from kit.store import StoreError
from kit.ui.common import message
from kit.workspace import page_link

__all__ = ["TeamsPanel", "teams_html"]

_ACTIONS = (("リセット（このチームの入力をすべて消す）", "reset"),
            ("ワークスペースの内容を複製して始める", "seed"),
            ("合言葉を作り直す（まちがいの待ち時間も解除）", "pin"))


def teams_html(workshop: wk.Workshop) -> str:
    """Each team's state and a link to its pages: for the facilitator's eyes only.
    合言葉 are stored as hashes, so they are not listed: a new one is shown once when made."""
    if not workshop.teams:
        return "<p>まだどのチームも参加していません。</p>"
    rows = "".join(
        f"<tr><th>{html.escape(team)}</th>"
        f"<td>{f'{workshop.pin_failures(team)}回' if workshop.pin_failures(team) else '—'}</td>"
        f"<td>{clock(workshop.joined(team))}</td>"
        f'<td><a class="kit-team-link" href="{html.escape(page_link(LANDING.file, wk.facilitator_access(workshop, team)))}" '
        f'target="_blank">チームのページを開く</a></td></tr>'
        for team in workshop.team_names())
    return ('<table class="kit-table kit-teams">'
            "<tr><th>チーム</th><th>合言葉のまちがい</th><th>参加</th><th>リンク</th></tr>"
            f"{rows}</table>")


class TeamsPanel(widgets.VBox):
    """``done()`` is called after an action changed a team (the dashboard reads again)."""

    def __init__(self, model: DashboardModel, done: Callable[[], None]):
        self.model, self._done = model, done
        self._teams = widgets.HTML()
        self._pick = widgets.Dropdown(description="チーム")
        self._action = widgets.RadioButtons(options=_ACTIONS, layout=widgets.Layout(width="auto"))
        self._source = widgets.Text(placeholder="複製元のワークスペース名（例: 講師見本）", description="複製元",
                                    layout=widgets.Layout(width="28em"))
        self._confirm = widgets.Checkbox(description="取り消せないことを確かめました", indent=False)
        self._run = widgets.Button(description="実行する", icon="exclamation-triangle", button_style="danger",
                                   disabled=True)
        widgets.dlink((self._confirm, "value"), (self._run, "disabled"), transform=lambda sure: not sure)
        self._run.on_click(lambda _b: self._on_run())
        self._result = widgets.HTML()
        super().__init__([
            widgets.HTML(message("warning", "このタブには各チームのページへのリンクが出ます。プロジェクターに映さないでください。"
                                            "合言葉は保存していないため表示できません。忘れたチームには作り直してください。")),
            self._teams,
            widgets.HTML("<h3>チームのワークスペースを操作する</h3><p>リセットと複製は、そのチームのこれまでの入力を消します"
                         "（理解度チェックの回答は残ります）。複製は、あらかじめ用意したワークスペース"
                         "（例: 開催地のデータを読み込んだ「講師見本」）の内容を、そのチームに写します。</p>"),
            self._pick, self._action, self._source, self._confirm, self._run, self._result])

    def refresh(self) -> None:
        workshop = self.model.workshop
        self._teams.value = teams_html(workshop)
        options = [(team, team) for team in workshop.team_names()] + [("（すべてのチーム）", ALL)]
        if list(self._pick.options) != options:
            self._pick.options = options

    def _on_run(self) -> None:
        """Do the chosen action on the chosen team (after the confirmation is ticked)."""
        team, action = self._pick.value, self._action.value
        target = "すべてのチーム" if team == ALL else f"「{team}」"
        try:
            if team is None:
                raise ValueError("チームを選んでください。")
            if action == "reset":
                done = f"{target}をリセットしました（{self.model.reset(team)}件を消去）。"
            elif action == "seed":
                done = f"{target}に「{self._source.value.strip()}」の内容を複製しました（{self.model.seed(team, self._source.value)}件）。"
            else:
                if team == ALL:
                    raise ValueError("合言葉は1チームずつ作り直します。チームを選んでください。")
                done = f"{target}の新しい合言葉は {self.model.new_pin(team)} です。チームに伝えてください。"
        except (ValueError, StoreError) as error:
            self._result.value = message("error", str(error))
            return
        self._confirm.value = False
        self._result.value = message("ok", done)
        self._done()
