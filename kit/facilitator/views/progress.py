"""進み具合: one row per team, one coloured cell per step of the registry."""

from __future__ import annotations

import html
from datetime import datetime

import ipywidgets as widgets

from kit import pages
from kit.facilitator.model import DashboardModel
from kit.facilitator.progress import STATUSES, TeamProgress

__all__ = ["ProgressPanel", "progress_html", "clock"]


def clock(moment: datetime | None) -> str:
    return moment.astimezone().strftime("%H:%M") if moment else "—"


def progress_html(progress: list[TeamProgress]) -> str:
    """The progress table: one row per team, one coloured cell per step."""
    if not progress:
        return "<p>まだどのチームも参加していません。参加者に研修コードを伝えてください。</p>"
    steps = pages.STEPS
    titles = {page.file: page.title for page in steps}
    head = "".join(f"<th>{html.escape(page.title)}</th>" for page in steps)
    rows = []
    for p in progress:
        cells = "".join(
            f'<td class="kit-step-{p.status[page.file]}">'
            f"<b>{p.status[page.file]}</b><br><small>{html.escape(p.detail(page.file))}</small></td>"
            for page in steps)
        rows.append(f"<tr><th>{html.escape(p.team)}</th>"
                    f"<td>{html.escape(titles.get(p.current_step, '—'))}</td>{cells}"
                    f'<td class="kit-answers">{p.pre} / {p.post}</td>'
                    f"<td>{clock(p.last_activity)}</td></tr>")
    finished = {page.file: sum(p.status[page.file] == STATUSES[2] for p in progress) for page in steps}
    counts = "、".join(f"{page.title} {finished[page.file]}" for page in steps)
    return (f"<p>参加 <b>{len(progress)}</b> チーム ／ 済のチーム数: {html.escape(counts)}</p>"
            '<table class="kit-table kit-progress">'
            f"<tr><th>チーム</th><th>いまのステップ</th>{head}<th>理解度<br>事前 / 事後</th><th>最終更新</th></tr>"
            + "".join(rows) + "</table>")


class ProgressPanel(widgets.HTML):
    def __init__(self, model: DashboardModel):
        super().__init__()
        self.model = model

    def refresh(self) -> None:
        self.value = progress_html(self.model.progress())
