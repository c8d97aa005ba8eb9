"""The 理解度チェック form: each member of a team rates the statements in turn on
the team's PC; answers are anonymous and saved per person (kit.start.self_assessment)."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.start import self_assessment as sa
from kit.store import StoreError
from kit.ui.common import message

__all__ = ["SelfAssessmentForm"]

_INTRO = {
    "pre": "はじめる前に、いまの自分に近いものを選んでください。正解はありません。研修の終わりにもう一度答えて、変化を見ます。",
    "post": "研修を終えたいまの自分に近いものを選んでください。はじめの回答と比べて、どこが伸びたかを全体で振り返ります。",
}


class SelfAssessmentForm(widgets.VBox):
    """One phase (``"pre"`` or ``"post"``) of the self-assessment for a workspace."""

    def __init__(self, workspace, phase: str):
        self._workspace, self._phase = workspace, phase
        levels = [(f"{n} {text}", n) for n, text in sa.SCALE.items()]
        self._choices = {key: widgets.ToggleButtons(options=levels, value=None, style={"button_width": "8.5em"})
                         for key, _, _ in sa.QUESTIONS}
        self._submit = widgets.Button(description="回答を送る", icon="check", button_style="primary")
        self._submit.on_click(self.submit)
        self._status = widgets.HTML()
        rows = []
        for i, (key, text, _step) in enumerate(sa.QUESTIONS, 1):
            rows += [widgets.HTML(f"<b>問{i}</b> {html.escape(text)}"), self._choices[key]]
        super().__init__([widgets.HTML(f"<p>{_INTRO[phase]}</p>"), *rows, self._submit, self._status])
        self.add_class(f"kit-self-assessment-{phase}")
        self._show_count(len(sa.responses(workspace, phase)))

    def set_answers(self, answers: dict[str, int]) -> None:
        for key, value in answers.items():
            self._choices[key].value = value

    def submit(self, _button=None) -> None:
        answers = {key: toggle.value for key, toggle in self._choices.items()}
        try:
            count = sa.record(self._workspace, self._phase, answers)
        except ValueError as error:
            self._status.value = message("warning", str(error))
            return
        except StoreError as error:
            self._status.value = message("error", f"保存できませんでした（{error}）。")
            return
        for toggle in self._choices.values():
            toggle.value = None
        self._show_count(count, just_sent=True)

    def _show_count(self, count: int, just_sent: bool = False) -> None:
        if just_sent:
            self._status.value = message("ok", f"回答を受け付けました（このチームで{count}人目）。"
                                               "同じチームの次の方も、続けて回答できます。")
        elif count:
            self._status.value = message("info", f"このチームでは{count}人が回答しました。まだの方は回答してください。")
        else:
            self._status.value = ""
