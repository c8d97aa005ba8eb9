"""3 積み上げ: the tagged cases counted by 生活課題 × 地区 (特異的・普遍的), and by
緊急度 × 地区."""

from __future__ import annotations

import html

import ipywidgets as widgets
import pandas as pd

from kit.steps.cases import domain as cs
from kit.ui.common import message
from kit.ui.controls import heading

__all__ = ["StackingView", "tags_by_area_html", "urgency_html"]

_SHADES = 4    # a count of 4 cases or more is shaded darkest (kit-shade-1 … kit-shade-4)


def tags_by_area_html(table: pd.DataFrame) -> str:
    if table.empty:
        return message("info", "まだタグの付いた事例がありません。「2 タグ付け」で生活課題を付けると、ここに積み上がります。")
    areas = [c for c in table.columns if c not in ("生活課題", "計", "地区数", "範囲")]

    def count(value: int, shaded: bool) -> str:
        shade = f" kit-shade-{min(value, _SHADES)}" if shaded and value else ""
        return f'<td class="kit-num{shade}">{value or ""}</td>'

    rows = "".join(
        f"<tr><td>{html.escape(row['生活課題'])}</td>"
        + "".join(count(int(row[a]), True) for a in areas)
        + count(int(row["計"]), False) + count(int(row["地区数"]), False)
        + f'<td class="kit-scope-{row["範囲"]}"><b>{html.escape(row["範囲"])}</b></td></tr>'
        for row in table.to_dict("records"))
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in table.columns)
    return (f'<table class="kit-table kit-tags-by-area"><tr>{head}</tr>{rows}</table>'
            "<p><small>数字は事例の数です。<b>特異的</b>＝この人だけの課題（1件）、<b>普遍的</b>＝ほかの人にも"
            "くり返し現れる課題（2件以上）。普遍的な課題が地区にかたよっていれば地区の課題、"
            "多くの地区にあれば市全体の課題の候補です。</small></p>")


def urgency_html(cells: pd.DataFrame, matrix: pd.DataFrame) -> str:
    """緊急度 × 地区: each cell the number of cases and their main life issues."""
    if matrix.to_numpy().sum() == 0:
        return message("info", "事例がありません。")
    detail = {(r["緊急度"], r["地区名"]): r["主な生活課題"] for r in cells.to_dict("records")}
    head = "".join(f"<th>{html.escape(c)}</th>" for c in matrix.columns)
    rows = []
    for urgency, counts in matrix.iterrows():
        tds = "".join(
            f'<td class="kit-urgency-{html.escape(urgency)}"><b>{n}</b><br><small>'
            f'{html.escape(detail.get((urgency, area), ""))}</small></td>' if n else "<td></td>"
            for area, n in counts.items())
        rows.append(f"<tr><th>{html.escape(urgency)}</th>{tds}</tr>")
    return (f'<table class="kit-table kit-urgency"><tr><th>緊急度 ＼ 地区</th>{head}</tr>{"".join(rows)}'
            "</table><p><small>数字は事例の数、小さな字はその事例に多い生活課題（数字は件数）です。"
            "緊急度の高い事例が集まる地区と課題から、話し合いの順番を決めます。</small></p>")


class StackingView(widgets.VBox):
    """The two tables, drawn again whenever the team's tags change."""

    def __init__(self):
        self._model = None
        self._by_area = widgets.HTML()
        self._urgency = widgets.HTML()
        super().__init__([
            heading("生活課題 × 地区", "タグを付けた事例を、地区ごと・市全体で数えます。"), self._by_area,
            heading("緊急度 × 地区", "事例の緊急度と地区で並べます（課題の構造化）。"), self._urgency])

    def bind(self, model) -> None:
        self._model = model
        model.observe(lambda _change: self.render(), "revision")
        self.render()

    def render(self) -> None:
        model = self._model
        self._by_area.value = tags_by_area_html(cs.tags_by_area(model.cards(), model.areas))
        cells = cs.urgency_by_area(model.cases, model.tags, model.areas)
        self._urgency.value = urgency_html(cells, cs.urgency_matrix(cells, model.areas))

    @property
    def by_area(self) -> str:
        return self._by_area.value

    @property
    def by_urgency(self) -> str:
        return self._urgency.value
