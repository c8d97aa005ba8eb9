"""The facilitator's dashboard (09): open a workshop, watch every team's progress
live, show the teams' work in plenary, run the countdown shown on the teams'
pages, compare the 理解度チェック before and after, manage teams, export it all.

Access: the page asks for the passphrase the server was started with
(``--facilitator-passphrase`` / ``KIT_FACILITATOR_PASSPHRASE``). Until it is
given, the kernel holds no dashboard widget at all, and every action of
:class:`DashboardModel` refuses to run: a participant who opens this page, or
sends widget messages to its kernel by hand, reaches nothing.
"""

from __future__ import annotations

import html
import logging
import sys
from datetime import date, datetime

import ipywidgets as widgets

from kit import attempts
from kit import workshop as wk
from kit.facilitator.progress import (
    STATUSES,
    GalleryEntry,
    TeamProgress,
    gallery_entry,
    team_progress,
)
from kit.masking import MaskingUnavailable
from kit.pages import LANDING, STEPS
from kit.start import self_assessment as sa
from kit.steps.pitch.screen import timer_face
from kit.store import StoreError, open_store
from kit.ui.common import download_link, message, page_style
from kit.workspace import page_link

__all__ = ["MAX_TIMER_MINUTES", "REFRESH_SECONDS", "DashboardModel", "FacilitatorScreen",
           "gallery_html", "progress_html", "teams_html", "understanding_html"]

REFRESH_SECONDS = 10     # automatic refresh of the dashboard
MAX_TIMER_MINUTES = 180
_ALL = "*"
# Where wrong passphrases are counted: a workspace no workshop code can name.
_ATTEMPTS = (f"{wk.RESERVED_PREFIX}kit", "facilitator/passphrase_attempts")
# The server's console: a kernel's own stderr goes there (and never to the page,
# kit.kernels.QuietChannels), so the facilitator sees the guesses.
_console = logging.getLogger("kit.facilitator")
if not _console.handlers:
    _handler = logging.StreamHandler(sys.__stderr__)
    _handler.setFormatter(logging.Formatter("[kit %(asctime)s] %(message)s", "%H:%M:%S"))
    _console.addHandler(_handler)
    _console.propagate = False
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_STATUS_COLOURS = dict(zip(STATUSES, ("#eeeeee", "#fff0c2", "#cdebd3")))
_ACTIONS = (("リセット（このチームの入力をすべて消す）", "reset"),
            ("ワークスペースの内容を複製して始める", "seed"),
            ("合言葉を作り直す（まちがいの待ち時間も解除）", "pin"))


class DashboardModel:
    """What the dashboard does, without widgets. Every method but :meth:`unlock`
    needs the passphrase first."""

    def __init__(self, store, passphrase: str | None):
        self.store = store
        self._passphrase = passphrase
        self.unlocked = False
        self.workshop: wk.Workshop | None = None
        self.earlier_failures = 0  # wrong passphrases in a row before the right one

    @property
    def configured(self) -> bool:
        return self._passphrase is not None

    @property
    def too_weak(self) -> str | None:
        """Why the configured passphrase cannot open this page, or None."""
        return wk.passphrase_problem(self._passphrase) if self.configured else None

    def wait(self) -> int:
        """Seconds before a passphrase is heard again, after wrong ones (from any page)."""
        return attempts.wait(self.store.get(*_ATTEMPTS))

    def unlock(self, given: str) -> bool:
        """Check ``given``. Wrong passphrases are counted in the store: after a few,
        each next try must wait longer, whichever page or reload it comes from."""
        if self.unlocked:
            return True
        if not self.configured or self.too_weak:
            return False
        tried = attempts.attempt(self.store, *_ATTEMPTS, lambda: wk.passphrase_matches(given, self._passphrase))
        if tried.right:
            self.unlocked, self.earlier_failures = True, tried.failures
        elif tried.heard:
            _console.warning("ファシリテーター用の合言葉がまちがっていました（続けて%d回目%s）。", tried.failures,
                             f"、次は{tried.wait}秒後から" if tried.wait else "")
        else:
            _console.warning("ファシリテーター用の合言葉が、待ち時間中に入れられました（あと%d秒。確かめていません）。",
                             tried.wait)
        return self.unlocked

    def _require(self, workshop: bool = True) -> None:
        if not self.unlocked:
            raise PermissionError("合言葉で開いてから操作してください。")
        if workshop and self.workshop is None:
            raise ValueError("研修を選ぶか、新しく作ってください。")

    # -- workshops ---------------------------------------------------------------
    def workshops(self) -> list[wk.Workshop]:
        self._require(workshop=False)
        return wk.list_workshops(self.store)

    def create(self, title: str) -> wk.Workshop:
        self._require(workshop=False)
        self.workshop = wk.create_workshop(self.store, title)
        return self.workshop

    def select(self, code: str) -> None:
        self._require(workshop=False)
        self.workshop = wk.find_workshop(self.store, code)

    def reload(self) -> None:
        """Read the workshop again (teams join, the timer changes)."""
        self._require()
        self.workshop = wk.find_workshop(self.store, self.workshop.code)

    # -- watching ---------------------------------------------------------------------
    def progress(self) -> list[TeamProgress]:
        self._require()
        return [team_progress(ws, ws.team, self.workshop.joined(ws.team))
                for ws in self.workshop.workspaces(self.store)]

    def gallery(self) -> list[GalleryEntry]:
        self._require()
        return [gallery_entry(ws, ws.team) for ws in self.workshop.workspaces(self.store)]

    def answers(self) -> dict[str, list[dict[str, int]]]:
        """Everyone's 理解度チェック answers, per phase, over all teams."""
        self._require()
        teams = self.workshop.workspaces(self.store)
        return {phase: [person for ws in teams for person in sa.responses(ws, phase)] for phase in sa.PHASES}

    # -- timer ------------------------------------------------------------------------
    def start_timer(self, minutes: float, label: str) -> None:
        self._require()
        wk.set_timer(self.store, self.workshop.code, minutes, label)
        self.reload()

    def extend_timer(self, minutes: float) -> None:
        self._require()
        wk.set_timer(self.store, self.workshop.code, minutes, extend=True)
        self.reload()

    def stop_timer(self) -> None:
        self._require()
        wk.set_timer(self.store, self.workshop.code, None)
        self.reload()

    # -- teams ------------------------------------------------------------------------
    def _targets(self, team: str) -> list[str]:
        names = self.workshop.team_names()
        if team != _ALL and team not in names:
            raise ValueError(f"「{team}」というチームはこの研修にいません。")
        return names if team == _ALL else [team]

    def reset(self, team: str) -> int:
        """Empty the team's workspace (its 理解度チェック answers stay); entries deleted."""
        self._require()
        return sum(wk.clear_workspace(self.store, wk.team_workspace_name(self.workshop.code, name))
                   for name in self._targets(team))

    def seed(self, team: str, source: str) -> int:
        """Replace the team's work with a copy of workspace ``source`` (e.g. one the
        facilitator prepared with the host town's data); entries copied."""
        self._require()
        source = source.strip()
        if not source or not self.store.keys(source):
            raise ValueError(f"ワークスペース「{source}」には何も保存されていません。名前を確かめてください。")
        copied = 0
        for name in self._targets(team):
            target = wk.team_workspace_name(self.workshop.code, name)
            if target == source:
                raise ValueError("複製元と複製先が同じチームです。")
            wk.clear_workspace(self.store, target)
            copied += wk.copy_workspace(self.store, source, target)
        return copied

    def new_pin(self, team: str) -> str:
        self._require()
        pin = wk.reissue_pin(self.store, self.workshop.code, self._targets(team)[0])
        self.reload()
        return pin

    # -- after the session ------------------------------------------------------------
    def purge(self, typed_code: str) -> int:
        """Delete the chosen workshop and all its teams' work, once its code is typed
        again; entries deleted."""
        self._require()
        from kit.purge import purge_workshop

        try:
            same = wk.normalise_code(typed_code) == self.workshop.code
        except wk.JoinError:
            same = False
        if not same:
            raise ValueError("確認のための研修コードが一致しません。何も削除していません。")
        deleted = purge_workshop(self.store, self.workshop.code)
        self.workshop = None
        return deleted

    def export_xlsx(self) -> bytes:
        self._require()
        from kit.facilitator.export import workshop_xlsx

        return workshop_xlsx(self.store, self.workshop)

    def export_pitches(self, day: date) -> tuple[bytes, list[str]]:
        self._require()
        from kit.facilitator.export import pitch_files

        return pitch_files(self.store, self.workshop, day)


def _time(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M") if moment else "—"


def progress_html(progress: list[TeamProgress]) -> str:
    """The progress table: one row per team, one coloured cell per step."""
    if not progress:
        return "<p>まだどのチームも参加していません。参加者に研修コードを伝えてください。</p>"
    titles = {page.file: page.title for page in STEPS}
    head = "".join(f"<th>{html.escape(page.title)}</th>" for page in STEPS)
    rows = []
    for p in progress:
        cells = "".join(
            f'<td class="kit-step-{p.status[page.file]}" style="background:{_STATUS_COLOURS[p.status[page.file]]}">'
            f"<b>{p.status[page.file]}</b><br><small>{html.escape(p.detail(page.file))}</small></td>"
            for page in STEPS)
        rows.append(f"<tr><th style='text-align:left'>{html.escape(p.team)}</th>"
                    f"<td>{html.escape(titles.get(p.current_step, '—'))}</td>{cells}"
                    f"<td style='text-align:center'>{p.pre} / {p.post}</td>"
                    f"<td>{_time(p.last_activity)}</td></tr>")
    finished = {page.file: sum(p.status[page.file] == STATUSES[2] for p in progress) for page in STEPS}
    counts = "、".join(f"{page.title} {finished[page.file]}" for page in STEPS)
    return (f"<p>参加 <b>{len(progress)}</b> チーム ／ 済のチーム数: {html.escape(counts)}</p>"
            '<table class="kit-progress" style="border-collapse:collapse;width:100%" border="1" cellpadding="4">'
            f"<tr><th>チーム</th><th>いまのステップ</th>{head}<th>理解度<br>事前 / 事後</th><th>最終更新</th></tr>"
            + "".join(rows) + "</table>")


def gallery_html(entries: list[GalleryEntry], team: str = _ALL) -> str:
    """Each team's regional issues and pitch in large type, for the projector;
    one team (with what each party gains) or all of them."""
    shown = [entry for entry in entries if team in (_ALL, entry.team)]
    if not shown:
        return "<p>まだ表示するチームがありません。</p>"
    single = team != _ALL
    cards = []
    for entry in shown:
        issues = "".join(f"<li>{html.escape(text)}</li>" for text in entry.issues) or \
            "<li><i>地域課題はまだ保存されていません</i></li>"
        pitch = "<p><i>提案はまだ書かれていません</i></p>"
        if entry.pitch is not None:
            lines = [(part, text) for part, _role, text in entry.pitch.parts()]
            lines += entry.pitch.gains() if single else []
            items = "".join(f"<li><b>{html.escape(head)}</b> {html.escape(text.strip() or '（未記入）')}</li>"
                            for head, text in lines)
            pitch = (f"<p style='font-size:1.2em'><b>提案: {html.escape(entry.pitch.title_text)}</b></p>"
                     f"<ul>{items}</ul>")
        cards.append(f'<div class="kit-gallery-card" style="border:2px solid #1f5f99;border-radius:10px;'
                     f'padding:0.6em 1em;margin:0.5em 0;font-size:{"1.5em" if single else "1.1em"}">'
                     f"<h2 style='margin:0.2em 0'>{html.escape(entry.team)}</h2>"
                     f"<p><b>見つけた地域課題</b></p><ul>{issues}</ul>{pitch}</div>")
    return "".join(cards)


def _number(value: float, signed: bool = False) -> str:
    if value != value:  # NaN: nobody answered this phase yet
        return "—"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def understanding_html(answers: dict[str, list[dict[str, int]]]) -> str:
    """Before/after per question: people, mean (1–4), change and the spread over the levels."""
    table = sa.summary(answers)
    spread = sa.distribution(answers)
    before, after = sa.PHASES.values()

    def counts(question: str, phase: str) -> str:
        chosen = spread[(spread["質問"] == question) & (spread["時期"] == phase)]["人数"]
        return " ".join(f"{level}:{count}" for level, count in zip(sa.SCALE, chosen))

    rows = "".join(
        f"<tr><td>問{i}</td><td>{html.escape(row['質問'])}</td>"
        f"<td>{row[f'{before} 人数']}</td><td>{_number(row[f'{before} 平均'])}</td>"
        f"<td>{row[f'{after} 人数']}</td><td>{_number(row[f'{after} 平均'])}</td>"
        f"<td><b>{_number(row['変化'], signed=True)}</b></td>"
        f"<td><small>事前 {counts(row['質問'], before)}<br>事後 {counts(row['質問'], after)}</small></td></tr>"
        for i, row in enumerate(table.to_dict("records"), 1))
    scale = "、".join(f"{n} {text}" for n, text in sa.SCALE.items())
    return ('<table class="kit-understanding" border="1" cellpadding="4" style="border-collapse:collapse;width:100%">'
            "<tr><th></th><th>質問</th><th>事前 人数</th><th>事前 平均</th><th>事後 人数</th><th>事後 平均</th>"
            f"<th>変化</th><th>内訳（段階:人数）</th></tr>{rows}</table>"
            f"<p><small>段階: {html.escape(scale)}。平均は1〜4。</small></p>")


def teams_html(workshop: wk.Workshop) -> str:
    """Each team's state and a link to its pages: for the facilitator's eyes only.
    合言葉 are stored as hashes, so they are not listed: a new one is shown once when made."""
    if not workshop.teams:
        return "<p>まだどのチームも参加していません。</p>"
    rows = "".join(
        f"<tr><th style='text-align:left'>{html.escape(team)}</th>"
        f"<td>{f'{workshop.pin_failures(team)}回' if workshop.pin_failures(team) else '—'}</td>"
        f"<td>{_time(workshop.joined(team))}</td>"
        f'<td><a class="kit-team-link" href="{html.escape(page_link(LANDING.file, wk.facilitator_access(workshop, team)))}" '
        f'target="_blank">チームのページを開く</a></td></tr>'
        for team in workshop.team_names())
    return ('<table class="kit-teams" border="1" cellpadding="4" style="border-collapse:collapse">'
            "<tr><th>チーム</th><th>合言葉のまちがい</th><th>参加</th><th>リンク</th></tr>"
            f"{rows}</table>")


class FacilitatorScreen:
    """Phase 1 builds only the passphrase form; :meth:`open` shows it (or how to
    set a passphrase); the dashboard is built once the passphrase is right."""

    def __init__(self, store=None, environ=None):
        self._store = store if store is not None else open_store()
        self.model = DashboardModel(self._store, wk.facilitator_passphrase(environ))
        self.view = widgets.VBox()
        self.view.add_class("kit-facilitator")
        self._heading = widgets.HTML()
        self._password = widgets.Password(placeholder="合言葉", layout=widgets.Layout(width="20em"))
        self._enter = widgets.Button(description="開く", icon="unlock", button_style="primary")
        self._enter.on_click(self._on_enter)
        self._login_status = widgets.HTML()

    def _repr_mimebundle_(self, **kwargs):
        return self.view._repr_mimebundle_(**kwargs)

    # -- phase 2 ----------------------------------------------------------------------
    def open(self) -> "FacilitatorScreen":
        if not self.model.configured or self.model.too_weak:
            problem = self.model.too_weak or "ファシリテーター用の合言葉が設定されていないため、このページは開けません。"
            self._heading.value = message(
                "warning", f"{problem}"
                "サーバーを止めて、python -m kit serve --facilitator-passphrase 合言葉 のように起動し直すか、"
                "環境変数 KIT_FACILITATOR_PASSPHRASE に合言葉を入れてから起動してください。")
            self.view.children = [page_style(), self._heading]
            return self
        self._heading.value = ("<p>研修を運営する方のページです。サーバーを起動したときに決めた"
                               "<b>合言葉</b>を入れてください。</p>")
        self.view.children = [page_style(), self._heading,
                              widgets.HBox([self._password, self._enter]), self._login_status]
        if wait := self.model.wait():
            self._say_wait(wait)
        return self

    def _say_wait(self, wait: int) -> None:
        self._login_status.value = message(
            "error", f"合言葉のまちがいが続いたため、{attempts.wait_text(wait)}は受け付けません。"
                     "時間をおいてから、もう一度入れてください。")

    def unlock(self, given: str) -> bool:
        """Check ``given``; on success the dashboard replaces the form."""
        ok = self.model.unlock(given)
        self._password.value = ""  # never keep the passphrase in the page's state
        if ok:
            self._build()
        elif wait := self.model.wait():
            self._say_wait(wait)
        else:
            self._login_status.value = message("warning", "合言葉がちがいます。")
        return ok

    def _on_enter(self, _widget=None) -> None:
        self.unlock(self._password.value)

    # -- the dashboard ------------------------------------------------------------------
    def _build(self) -> None:
        self._choose = widgets.Dropdown(description="研修", layout=widgets.Layout(width="34em"))
        self._choose.observe(self._on_choose, "value")
        self._new_title = widgets.Text(placeholder="例: 令和7年度 SC研修（午後）", layout=widgets.Layout(width="24em"))
        create = widgets.Button(description="新しい研修を作る", icon="plus")
        create.on_click(self._on_create)
        self._code = widgets.HTML()
        refresh = widgets.Button(description="更新", icon="refresh")
        refresh.on_click(lambda _b: self.refresh())
        self._auto = widgets.Checkbox(value=True, description=f"自動更新（{REFRESH_SECONDS}秒ごと）", indent=False)
        self._updated = widgets.HTML()
        # Ticks once a second in the browser (started by the page template); the timer
        # face follows every tick, the rest every REFRESH_SECONDS.
        self._play = widgets.Play(min=0, max=REFRESH_SECONDS - 1, interval=1000, repeat=True, show_repeat=False,
                                  layout=widgets.Layout(display="none"))
        self._play.add_class("kit-autoplay")
        self._play.observe(self._on_tick, "value")
        self._action_status = widgets.HTML()

        self._progress = widgets.HTML()
        self._gallery_team = widgets.Dropdown(description="表示", options=[("すべてのチーム", _ALL)])
        self._gallery_team.observe(lambda _c: self._show_gallery(), "value")
        self._gallery = widgets.HTML()
        self._build_timer()
        self._understanding = widgets.HTML()
        self._build_teams()
        self._build_export()
        self._tabs = widgets.Tab(
            [self._progress, widgets.VBox([self._gallery_team, self._gallery]), self._timer_panel,
             self._understanding, self._teams_panel, self._export_panel],
            titles=("進み具合", "ギャラリー", "タイマー", "理解度", "チームの管理", "書き出し"))
        self._tabs.observe(lambda _c: self.refresh(), "selected_index")
        guesses = (f"開く前に、合言葉のまちがいが続けて{self.model.earlier_failures}回ありました"
                   "（サーバーの画面に記録があります）。" if self.model.earlier_failures else "")
        self._heading.value = message("warning" if guesses else "ok", f"ファシリテーター用ダッシュボードを開きました。{guesses}")
        self.view.add_class("kit-dashboard")
        self.view.children = [
            page_style(), self._heading,
            widgets.HBox([self._choose, self._new_title, create]), self._code,
            widgets.HBox([refresh, self._auto, self._updated]), self._action_status, self._tabs, self._play]
        self._fill_workshops()

    def _fill_workshops(self, select: str | None = None) -> None:
        found = self.model.workshops()
        self._choose.options = [(f"{w.code} — {w.title}（{w.created.astimezone():%m/%d %H:%M} 作成）", w.code)
                                for w in found]
        if found:
            self._choose.value = select or found[0].code
        self._on_choose()

    def _on_choose(self, _change=None) -> None:
        if self._choose.value:
            self.model.select(self._choose.value)
        self.refresh()

    def _on_create(self, _button=None) -> None:
        try:
            created = self.model.create(self._new_title.value)
        except StoreError as error:
            self._action_status.value = message("error", str(error))
            return
        self._new_title.value = ""
        self._fill_workshops(select=created.code)

    def _on_tick(self, change) -> None:
        if self.model.workshop is None:
            return
        if change["new"] == 0 and self._auto.value:
            self.refresh()
        else:
            self._show_timer_face()

    def refresh(self) -> None:
        """Read the store again and redraw the open tab."""
        workshop = self.model.workshop
        if workshop is None:
            self._code.value = message("info", "研修を作ると、参加者に伝える研修コードが出ます。")
            return
        self.model.reload()
        workshop = self.model.workshop
        self._code.value = (
            f'<div class="kit-workshop-code" style="font-size:1.6em">研修コード '
            f'<b style="font-size:1.6em;letter-spacing:0.15em">{html.escape(workshop.code)}</b>'
            f"　{html.escape(workshop.title)}</div>"
            "<p>参加者は「はじめに」のページ（00_start.ipynb）で、この研修コードとチーム名を入れて参加します。</p>")
        index = self._tabs.selected_index
        if index == 0:
            self._progress.value = progress_html(self.model.progress())
        elif index == 1:
            self._show_gallery()
        elif index == 3:
            self._understanding.value = understanding_html(self.model.answers())
        elif index == 4:
            self._teams.value = teams_html(workshop)
            self._fill_team_choices()
        self._show_timer_face()
        self._updated.value = f"<small>{datetime.now():%H:%M:%S} 更新</small>"

    # -- gallery ----------------------------------------------------------------------
    def _show_gallery(self) -> None:
        if self.model.workshop is None:
            return
        teams = self.model.workshop.team_names()
        options = [("すべてのチーム", _ALL)] + [(team, team) for team in teams]
        if list(self._gallery_team.options) != options:
            current = self._gallery_team.value
            self._gallery_team.options = options
            self._gallery_team.value = current if current in dict(options).values() else _ALL
        try:
            self._gallery.value = gallery_html(self.model.gallery(), self._gallery_team.value)
        except MaskingUnavailable:  # shown masked or not at all
            self._gallery.value = message("warning", "個人情報を伏せる仕組みが今は使えないため、ギャラリーを表示できません。"
                                                     "しばらくしてから「更新」を押してください。")

    # -- timer ------------------------------------------------------------------------
    def _build_timer(self) -> None:
        self._minutes = widgets.BoundedIntText(value=10, min=1, max=MAX_TIMER_MINUTES, description="分",
                                               layout=widgets.Layout(width="10em"))
        self._timer_label = widgets.Text(placeholder="例: 02 グループ化", description="いまの作業",
                                         layout=widgets.Layout(width="24em"))
        start = widgets.Button(description="開始", icon="play", button_style="primary")
        start.on_click(lambda _b: self._timer_action(self.model.start_timer, self._minutes.value,
                                                     self._timer_label.value))
        buttons = [start]
        for minutes in (1, 5):
            more = widgets.Button(description=f"+{minutes}分", icon="plus")
            more.on_click(lambda _b, m=minutes: self._timer_action(self.model.extend_timer, m))
            buttons.append(more)
        stop = widgets.Button(description="止める", icon="stop")
        stop.on_click(lambda _b: self._timer_action(self.model.stop_timer))
        self._timer_face = widgets.HTML()
        self._timer_panel = widgets.VBox([
            widgets.HTML("<p>分を入れて「開始」を押すと、すべてのチームのページの上に残り時間が出ます"
                         "（数秒で反映）。延長や停止もすぐに伝わります。</p>"),
            self._minutes, self._timer_label, widgets.HBox(buttons), self._timer_face])

    def _timer_action(self, action, *args) -> None:
        try:
            action(*args)
        except (ValueError, StoreError) as error:
            self._action_status.value = message("error", str(error))
            return
        self._show_timer_face()

    def _show_timer_face(self) -> None:
        workshop = self.model.workshop
        timer = workshop.timer if workshop else None
        left = wk.timer_remaining(timer)
        if left is None:
            self._timer_face.value = "<p>タイマーは止まっています。</p>"
            return
        total = max(int(timer.minutes * 60), left)
        self._timer_face.value = (f"<h3>{html.escape(timer.label or 'いまの作業')}</h3>"
                                  + timer_face(total - left, total))

    # -- teams --------------------------------------------------------------------------
    def _build_teams(self) -> None:
        self._teams = widgets.HTML()
        self._team_pick = widgets.Dropdown(description="チーム")
        self._action = widgets.RadioButtons(options=_ACTIONS, layout=widgets.Layout(width="auto"))
        self._source = widgets.Text(placeholder="複製元のワークスペース名（例: 講師見本）", description="複製元",
                                    layout=widgets.Layout(width="28em"))
        self._confirm = widgets.Checkbox(description="取り消せないことを確かめました", indent=False)
        self._run = widgets.Button(description="実行する", icon="exclamation-triangle", button_style="danger",
                                   disabled=True)
        self._confirm.observe(lambda c: setattr(self._run, "disabled", not c["new"]), "value")
        self._run.on_click(self._on_team_action)
        self._team_result = widgets.HTML()
        self._teams_panel = widgets.VBox([
            widgets.HTML(message("warning", "このタブには各チームのページへのリンクが出ます。プロジェクターに映さないでください。"
                                            "合言葉は保存していないため表示できません。忘れたチームには作り直してください。")),
            self._teams,
            widgets.HTML("<h3>チームのワークスペースを操作する</h3><p>リセットと複製は、そのチームのこれまでの入力を消します"
                         "（理解度チェックの回答は残ります）。複製は、あらかじめ用意したワークスペース"
                         "（例: 開催地のデータを読み込んだ「講師見本」）の内容を、そのチームに写します。</p>"),
            self._team_pick, self._action, self._source, self._confirm, self._run, self._team_result])

    def _fill_team_choices(self) -> None:
        options = [(team, team) for team in self.model.workshop.team_names()] + [("（すべてのチーム）", _ALL)]
        if list(self._team_pick.options) != options:
            self._team_pick.options = options

    def _on_team_action(self, _button=None) -> None:
        team, action = self._team_pick.value, self._action.value
        target = "すべてのチーム" if team == _ALL else f"「{team}」"
        try:
            if team is None:
                raise ValueError("チームを選んでください。")
            if action == "reset":
                done = f"{target}をリセットしました（{self.model.reset(team)}件を消去）。"
            elif action == "seed":
                done = f"{target}に「{self._source.value.strip()}」の内容を複製しました（{self.model.seed(team, self._source.value)}件）。"
            else:
                if team == _ALL:
                    raise ValueError("合言葉は1チームずつ作り直します。チームを選んでください。")
                done = f"{target}の新しい合言葉は {self.model.new_pin(team)} です。チームに伝えてください。"
        except (ValueError, StoreError) as error:
            self._team_result.value = message("error", str(error))
            return
        self._confirm.value = False
        self._team_result.value = message("ok", done)
        self.refresh()

    # -- export ---------------------------------------------------------------------------
    def _build_export(self) -> None:
        book = widgets.Button(description="全チームの作業を Excel に", icon="file-excel-o", button_style="primary")
        files = widgets.Button(description="提案ファイル一式（.zip）", icon="file-archive-o")
        book.on_click(lambda _b: self._export("xlsx"))
        files.on_click(lambda _b: self._export("zip"))
        self._export_out = widgets.HTML()
        self._export_panel = widgets.VBox([
            widgets.HTML("<p>研修が終わったら、全チームの作業（進み具合、気づきメモ、地域課題、タグ、グループ、"
                         "提供できること、主体リスト、提案、相互評価、理解度）を1つの Excel に、各チームの提案を"
                         "スライドと1枚まとめにして書き出します。自由記述の名前・電話番号・住所などは伏せ、"
                         "主体リストの担当者・電話・メール・住所は含めません。</p>"),
            widgets.HBox([book, files]), self._export_out, self._build_purge()])

    def _build_purge(self) -> widgets.VBox:
        self._purge_code = widgets.Text(placeholder="研修コード", description="確認", layout=widgets.Layout(width="16em"))
        purge = widgets.Button(description="この研修のデータをすべて削除", icon="trash", button_style="danger",
                               layout=widgets.Layout(width="auto"))
        purge.on_click(self._on_purge)
        self._purge_result = widgets.HTML()
        return widgets.VBox([
            widgets.HTML("<h3>研修のデータを削除する</h3><p>書き出しが済み、参加者が持ち帰るものを保存し終えたら、"
                         "この研修のチーム・合言葉・入力内容（メモ、事例、主体リスト、提案、評価）を"
                         "サーバーから削除してください。元に戻せません。確認のため研修コードを入れてから押します。</p>"),
            widgets.HBox([self._purge_code, purge]), self._purge_result])

    def _on_purge(self, _button=None) -> None:
        code = self.model.workshop.code if self.model.workshop else ""
        try:
            deleted = self.model.purge(self._purge_code.value)
        except (ValueError, StoreError) as error:
            self._purge_result.value = message("error", str(error))
            return
        self._purge_code.value = ""
        self._purge_result.value = message("ok", f"研修 {code} のデータを削除しました（{deleted}件）。")
        self._fill_workshops()  # the deleted workshop leaves the list

    def _export(self, kind: str) -> None:
        from kit.export import export_filename

        self._export_out.value = message("info", "作成中です…（提案ファイルはチーム数×数秒かかります）")
        day = date.today()
        stem = f"研修_{self.model.workshop.code}" if self.model.workshop else "研修"
        try:
            if kind == "xlsx":
                link = download_link(self.model.export_xlsx(), export_filename(stem, "xlsx", day),
                                     "Excel を保存する", _XLSX)
                self._export_out.value = f"<p>{link}</p>"
                return
            data, teams = self.model.export_pitches(day)
        except Exception as error:  # an export failure must reach the facilitator, never a traceback
            self._export_out.value = message("error", f"書き出せませんでした（{error}）。")
            return
        if not teams:
            self._export_out.value = message("warning", "まだ提案を書き始めたチームがありません。")
            return
        link = download_link(data, export_filename(f"{stem}_提案", "zip", day),
                             f"提案ファイル一式を保存する（{len(teams)}チーム）", "application/zip")
        self._export_out.value = f"<p>{link}</p>"
