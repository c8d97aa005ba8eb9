"""6 答え合わせ: on the sample town's cases, the learner's tags and groups compared
with the model answer; or the answer's tags put in, to practise grouping."""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets

from kit.steps.cases import domain as cs
from kit.steps.cases.issues import sample_issues
from kit.steps.cases.views import link_choice, refill
from kit.ui.common import message
from kit.ui.saving import attempt

__all__ = ["ExerciseView"]

_ALL = ""


def _model_answer_html(scope: Sequence[str], areas) -> str:
    rows = "".join(
        f"<tr><td>{html.escape(i.id)}</td><td>{html.escape(i.statement)}</td>"
        f"<td>{html.escape(cs.issue_label(i, areas))}</td><td>{html.escape(i.urgency)}</td>"
        f"<td>{html.escape(i.scope)}</td><td>{html.escape('・'.join(i.case_ids))}</td>"
        f"<td>{html.escape(i.evidence)}</td></tr>"
        for i in sample_issues() if set(i.case_ids) & set(scope))
    return ("<details class='kit-model-answer'><summary>模範解答の地域課題を見る</summary>"
            "<table class='kit-table'><tr><th>ID</th><th>地域課題</th><th>地区と生活課題</th><th>緊急度</th>"
            f"<th>範囲</th><th>事例</th><th>根拠</th></tr>{rows}</table></details>")


class ExerciseView(widgets.VBox):
    """The check over the cases of ``model.exercise_area``, and the answer's tags."""

    def __init__(self):
        self._model = None
        self._scope = widgets.Dropdown(description="範囲", options=[("すべての事例", _ALL)])
        check = widgets.Button(description="答え合わせ", icon="check", button_style="primary")
        fill = widgets.Button(description="タグ付けを飛ばす（模範解答のタグを付ける）", icon="forward",
                              layout=widgets.Layout(width="auto"))
        self._result = widgets.HTML()
        self._answer = widgets.HTML()
        check.on_click(lambda _b: self.check())
        fill.on_click(lambda _b: self.fill_answers())
        super().__init__([
            widgets.HTML("<p>見本のまち「みどり野市」の事例で練習します。「2 タグ付け」と「4 グループ化」をしてから"
                         "答え合わせをすると、模範解答と比べて、付けたタグと見つけた地域課題を教えてくれます。"
                         "まず1つの地区だけで試すこともできます。</p>"),
            widgets.HBox([self._scope, check]), self._result, self._answer,
            widgets.HTML("<p><small>タグ付けに時間をかけずにグループ化を練習したいときは、模範解答のタグを付けてから"
                         "「4 グループ化」に進めます。</small></p>"), widgets.HBox([fill])])

    def bind(self, model) -> None:
        self._model = model
        self._link = link_choice(model, "exercise_area", self._scope)
        model.observe(lambda _change: self._offer_areas(), "revision")
        self._offer_areas()

    def _offer_areas(self) -> None:
        model = self._model
        codes = dict.fromkeys(model.cases["地区コード"])
        refill(self._link, [("すべての事例", _ALL), *((f"{model.area_names.get(c, c)}の事例", c) for c in codes)])

    def check(self) -> None:
        feedback = self._model.exercise_feedback()
        if feedback is None:
            self._result.value = message(
                "info", "答え合わせは見本のまちの事例で行います。いまは自分のまちの事例を使っているため比べられません"
                        "（はじめに のページで事例を見本のデータに戻すと練習できます）。")
            return
        tagging, grouping, scope = feedback
        self._result.value = (message("info", "タグ付け: " + tagging)
                              + message("ok" if not grouping.missed else "warning", "グループ化: " + grouping.text))
        self._answer.value = _model_answer_html(scope, self._model.areas)

    def fill_answers(self) -> None:
        """Give the untagged sample cases the model answer's tags."""
        saved, count = attempt(self._result, self._model.fill_answer_tags)
        if not saved:
            return
        self._result.value = message("ok" if count else "info",
                                     f"{count}件の事例に模範解答のタグを付けました。「4 グループ化」に進めます。"
                                     if count else "タグのない見本の事例はありません。")

    @property
    def result(self) -> str:
        return self._result.value

    @property
    def model_answer(self) -> str:
        return self._answer.value
