"""The 理解度チェック form: each member of a team rates the statements in turn on
the team's PC; answers are anonymous and saved per person (kit.start.model)."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.start import self_assessment as sa
from kit.start.model import SelfAssessmentModel
from kit.store import StoreError
from kit.ui.common import message

__all__ = ["SelfAssessmentForm"]

_INTRO = {
    "pre": "はじめる前に、いまの自分に近いものを選んでください。正解はありません。研修の終わりにもう一度答えて、変化を見ます。",
    "post": "研修を終えたいまの自分に近いものを選んでください。はじめの回答と比べて、どこが伸びたかを全体で振り返ります。",
}


class SelfAssessmentForm(widgets.VBox):
    """One phase (``"pre"`` or ``"post"``) of the self-assessment for a workspace;
    :attr:`model` holds the answers being chosen."""

    def __init__(self, workspace, phase: str):
        self.model = SelfAssessmentModel(workspace, phase)
        levels = [(f"{n} {text}", n) for n, text in sa.SCALE.items()]
        self._choices = {key: widgets.ToggleButtons(options=levels, value=None, style={"button_width": "8.5em"})
                         for key, _, _ in sa.QUESTIONS}
        for key, toggle in self._choices.items():
            toggle.observe(lambda change, key=key: self.model.choose(key, change["new"]), "value")
        self.model.observe(self._show_answers, "answers")
        submit = widgets.Button(description="回答を送る", icon="check", button_style="primary")
        submit.on_click(lambda _b: self.submit())
        self._status = widgets.HTML()
        rows = []
        for i, (key, text, _step) in enumerate(sa.QUESTIONS, 1):
            rows += [widgets.HTML(f"<b>問{i}</b> {html.escape(text)}"), self._choices[key]]
        super().__init__([widgets.HTML(f"<p>{_INTRO[phase]}</p>"), *rows, submit, self._status])
        self.add_class(f"kit-self-assessment-{phase}")
        if self.model.count:
            self._status.value = message("info", f"このチームでは{self.model.count}人が回答しました。"
                                                 "まだの方は回答してください。")

    def submit(self) -> None:
        try:
            count = self.model.submit()
        except ValueError as error:
            self._status.value = message("warning", str(error))
            return
        except StoreError as error:
            self._status.value = message("error", f"保存できませんでした（{error}）。")
            return
        self._status.value = message("ok", f"回答を受け付けました（このチームで{count}人目）。"
                                           "同じチームの次の方も、続けて回答できます。")

    def _show_answers(self, change) -> None:
        for key, toggle in self._choices.items():
            toggle.value = change["new"].get(key)
