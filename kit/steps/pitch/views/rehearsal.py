"""Tab 「5 リハーサル」: a presentation timer big enough for a projector, reviews sent
to other teams and the reviews this team received."""

from __future__ import annotations

import html

import ipywidgets as widgets

from kit.steps.pitch.domain import RUBRIC, RUBRIC_LEVELS, review_summary
from kit.steps.pitch.model import PitchModel
from kit.steps.pitch.views import button
from kit.ui.common import message
from kit.ui.controls import heading, timer_face
from kit.ui.saving import SAVE_ERRORS, TEXT_MAX, failure_html, mask_for_saving, masked_notice

__all__ = ["TIMER_CHOICES", "RehearsalView"]

TIMER_CHOICES = (("3分", 180), ("5分", 300))


class RehearsalView(widgets.VBox):
    """The timer, the review form and the reviews received."""

    def __init__(self, model: PitchModel):
        self._model = model
        self._timer_length = widgets.ToggleButtons(options=TIMER_CHOICES, value=TIMER_CHOICES[0][1])
        # The browser ticks the Play widget once a second: time is kept without kernel threads.
        self._play = widgets.Play(min=0, max=TIMER_CHOICES[0][1], step=1, interval=1000, show_repeat=False)
        self._face = widgets.HTML(timer_face(0, TIMER_CHOICES[0][1]))
        self._play.observe(lambda change: self._tick(change["new"]), "value")
        self._timer_length.observe(self._on_timer_length, "value")

        self._team = widgets.Text(placeholder="例: 2班", description="評価するチーム",
                                  style={"description_width": "8em"}, layout=widgets.Layout(width="26em"))
        levels = [(f"{n} {label}", n) for n, label in RUBRIC_LEVELS.items()]
        self._scores = {key: widgets.ToggleButtons(options=levels, value=None, style={"button_width": "9em"})
                        for key, _ in RUBRIC}
        self._comment = widgets.Textarea(placeholder="よかった点と、もっとよくなる点を1つずつ",
                                         layout=widgets.Layout(width="100%", height="4em"))
        send = button("評価を送る", "paper-plane", primary=True)
        send.on_click(lambda _: self.send())
        self._sent = widgets.HTML()
        self._received = widgets.HTML()
        refresh = button("受け取った評価を更新", "refresh")
        refresh.on_click(lambda _: model.refresh_reviews())
        rubric = []
        for key, question in RUBRIC:
            rubric += [widgets.HTML(f"<b>{html.escape(question)}</b>"), self._scores[key]]

        super().__init__([
            heading("発表タイマー", "▶ で開始、■ で最初に戻ります。残り1分で黄色、時間切れで赤になります。"
                              "プロジェクターに映すと、会場の後ろからも見えます。"),
            widgets.HBox([self._timer_length, self._play]), self._face,
            heading("相互評価", "ほかのチームの発表を聞いて、4つの観点を1〜4で評価します。"
                            "評価は相手のチームのワークスペースに保存されます。"),
            self._team, *rubric, widgets.HTML("<b>コメント</b>"), self._comment, send, self._sent,
            heading("このチームが受け取った評価"), refresh, self._received,
        ])
        widgets.dlink((model, "reviews"), (self._received, "value"), transform=_received_html)

    # -- timer -----------------------------------------------------------------------------
    def _tick(self, elapsed: int) -> None:
        self._face.value = timer_face(elapsed, self._play.max)

    def _on_timer_length(self, change) -> None:
        self._play.playing = False
        self._play.value = 0
        self._play.max = change["new"]
        self._tick(0)

    # -- reviews ---------------------------------------------------------------------------
    def send(self) -> None:
        """Send the review in the form to the team typed; the form is cleared once it is saved."""
        if self._model.workspace is None:
            return
        scores = {key: toggle.value for key, toggle in self._scores.items()}
        try:
            comment = mask_for_saving(self._comment.value, TEXT_MAX, "コメント")
            self._model.send_review(self._team.value, scores, comment.text)
        except SAVE_ERRORS as error:
            self._sent.value = failure_html(error)
            return
        except ValueError as error:
            self._sent.value = message("warning", str(error))
            return
        self._sent.value = (message("ok", f"「{self._team.value.strip()}」への評価を保存しました。")
                            + masked_notice(comment.found, comment.text.strip()))
        for toggle in self._scores.values():
            toggle.value = None
        self._comment.value = ""


def _received_html(reviews: dict) -> str:
    """The average score per question over the reviews received, and their comments."""
    if not reviews:
        return "<p>まだ評価は届いていません。</p>"
    rows = "".join(f'<tr><td>{html.escape(row.観点)}</td><td class="kit-number">{row.平均:.1f}</td></tr>'
                   for row in review_summary(reviews).itertuples(index=False))
    comments = "".join(f"<li><b>{html.escape(team)}</b>: {html.escape(entry['comment'] or '（コメントなし）')}</li>"
                       for team, entry in sorted(reviews.items()))
    return (f'<table class="kit-table kit-reviews"><tr><th>観点</th>'
            f"<th>平均（{len(reviews)}チーム）</th></tr>{rows}</table><ul>{comments}</ul>")
