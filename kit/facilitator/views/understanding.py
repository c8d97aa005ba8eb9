"""理解度: the 理解度チェック before and after, per question, over all teams."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.facilitator.model import DashboardModel
from kit.start import self_assessment as sa

__all__ = ["UnderstandingPanel", "understanding_html"]


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
    return ('<table class="kit-table kit-understanding">'
            "<tr><th></th><th>質問</th><th>事前 人数</th><th>事前 平均</th><th>事後 人数</th><th>事後 平均</th>"
            f"<th>変化</th><th>内訳（段階:人数）</th></tr>{rows}</table>"
            f"<p><small>段階: {html.escape(scale)}。平均は1〜4。</small></p>")


class UnderstandingPanel(widgets.HTML):
    def __init__(self, model: DashboardModel):
        super().__init__()
        self.model = model

    def refresh(self) -> None:
        self.value = understanding_html(self.model.answers())
