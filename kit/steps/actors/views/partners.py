"""Tab 「5 課題とのマッチング」, the exercise's answer: for the issue in view, the
partners the team chooses (three at most, each with why) and what the team can
offer them. Reasons and offers are masked before the model stores them."""

from __future__ import annotations

import ipywidgets as widgets

from kit.io.normalize import normalize_text
from kit.steps.actors import domain as act
from kit.steps.actors.model import OFFERS_KEY, PARTNERS_MAX, ActorsModel, PartnerRefused
from kit.ui.common import autosave_claim, message
from kit.ui.controls import esc, heading
from kit.ui.saving import SAVE_ERRORS, Slot, SyncedText, failure_html, mask_for_saving, masked_notice

__all__ = ["PartnersView"]

PICK_LIMIT = 50   # actors offered at once in the partner picker


class PartnersView(widgets.VBox):
    """The chosen partners with a button to take each off, a picker (the issue's
    candidates first) with the reason, and the offer to the partners."""

    def __init__(self):
        self.model: ActorsModel | None = None
        self._chosen = widgets.VBox()
        self._chosen.add_class("kit-chosen-partners")
        self._query = widgets.Text(placeholder="名称・IDで探す", layout=widgets.Layout(width="14em"))
        self._pick = widgets.Dropdown(description="相手", layout=widgets.Layout(width="32em"),
                                      style={"description_width": "3em"})
        self._pick.add_class("kit-partner-pick")
        self._reason = widgets.Textarea(placeholder="例: 困っていることが課題と重なり、本業の延長で送迎を始められる",
                                        layout=widgets.Layout(width="100%", height="3.5em"))
        self._add = widgets.Button(description="相手に選ぶ", icon="star", button_style="primary")
        self._add.on_click(lambda _b: self.choose(self._pick.value, self._reason.value))
        self._status = widgets.HTML()
        self._offer = widgets.Textarea(layout=widgets.Layout(width="100%", height="4em"), placeholder=act.DEFAULT_OFFER)
        self._offer_box = widgets.VBox([self._offer])
        self._offer_text: SyncedText | None = None
        super().__init__([
            heading(f"声をかける相手（この課題で{PARTNERS_MAX}者まで）",
                    "候補の一覧と対話のメモを見比べて選び、なぜその相手なのかを書きます。"
                    "順位の高い順でなくてかまいません。04「提案準備」では、選んだ相手が先に並びます。"),
            self._chosen, widgets.HBox([self._query, self._pick]), self._reason, self._add, self._status,
            heading("この課題で、私たちが提供できること",
                    "相手へのメッセージになります（書き出しのマッチングリストに入ります）。",
                    autosave_claim("自動で保存されます。")),
            self._offer_box])

    def bind(self, model: ActorsModel, sync) -> None:
        self.model = model
        self._offer_text = SyncedText(self._offer, Slot(model.workspace, OFFERS_KEY, model.issue),
                                      label="私たちが提供できること", sync=sync, on_saved=self._offered)
        self._offer_box.children = self._offer_text.widgets
        self._offer.disabled = not model.issue
        self._query.observe(self._fill_picker, "value")
        model.observe(self._on_issue, "issue")
        model.observe(self._render, ["chosen", "revision"])
        self._render()

    @property
    def status_html(self) -> str:
        return self._status.value

    @property
    def chosen_html(self) -> str:
        return "".join(row.children[0].value for row in self._chosen.children)

    @property
    def partner_options(self) -> list[tuple[str, str]]:
        return list(self._pick.options)

    @property
    def offer_text(self) -> str:
        return self._offer.value

    @property
    def offer_status_html(self) -> str:
        return self._offer_text.status.value

    def write_offer(self, text: str) -> None:
        """What typing into the offer box does."""
        self._offer.value = text

    def search(self, text: str) -> None:
        self._query.value = text

    def _offered(self, text: str) -> None:
        self.model.offers = {**self.model.offers, self._offer_text.slot.entry: text}

    def _on_issue(self, _change) -> None:
        self._offer_text.bind(Slot(self.model.workspace, OFFERS_KEY, self.model.issue))
        self._status.value = ""
        self._render()

    def _render(self, _change=None) -> None:
        rows = []
        for partner in self.model.partners(self.model.issue):
            remove = widgets.Button(description="外す", icon="times", layout=widgets.Layout(width="6em"))
            remove.on_click(lambda _b, gone=partner.actor_id: self.remove(gone))
            rows.append(widgets.HBox([widgets.HTML(
                f'<div class="kit-partner">★ <b>{esc(partner.name)}</b>（{esc(partner.actor_id)}）'
                f"<br>選んだ理由: {esc(partner.reason)}</div>"), remove]))
        if not rows:
            rows.append(widgets.HTML('<div class="kit-partner">まだ選んでいません。</div>'))
        self._chosen.children = rows
        self._fill_picker()

    def _fill_picker(self, _change=None) -> None:
        """The issue's candidates in rank order, then (when searching) the others."""
        found = self.model.candidates(self.model.issue)
        needle = normalize_text(self._query.value).casefold()
        others: list[tuple[str, str]] = []
        if needle:
            actors = self.model.actors
            hits = actors[actors["名称"].fillna("").str.casefold().str.contains(needle, regex=False)
                          | actors["主体ID"].str.casefold().str.contains(needle, regex=False)]
            found = found[found["主体ID"].isin(hits["主体ID"])]
            rest = hits[~hits["主体ID"].isin(found["主体ID"])].head(PICK_LIMIT)
            others = [(f"候補外 {act.text(name)}（{actor_id}）", actor_id)
                      for actor_id, name in zip(rest["主体ID"], rest["名称"])]
        listed = [(f"{row.順位}位 {row.名称}（{row.主体ID}）", row.主体ID)
                  for row in found.head(PICK_LIMIT).itertuples(index=False)] + others
        self._pick.options = listed[:PICK_LIMIT]
        self._add.disabled = not listed

    def choose(self, actor_id: str | None, reason: str) -> bool:
        """Record ``actor_id`` as a partner for the issue in view with ``reason``,
        masked; True when it was stored."""
        if not actor_id or not self.model.issue:
            self._status.value = message("warning", "相手を選んでください。")
            return False
        try:
            masked = mask_for_saving(reason, label="選んだ理由")
            partner = self.model.choose(self.model.issue, actor_id, masked.text)
        except SAVE_ERRORS as error:
            self._status.value = failure_html(error)
            return False
        except PartnerRefused as refused:
            self._status.value = message("warning", str(refused))
            return False
        self._reason.value = ""
        self._status.value = (message("ok", f"「{partner.name}」を相手に選びました。")
                              + masked_notice(masked.found, masked.text))
        return True

    def remove(self, actor_id: str) -> None:
        try:
            self.model.unchoose(self.model.issue, actor_id)
        except SAVE_ERRORS as error:
            self._status.value = failure_html(error)
            return
        self._status.value = message("info", f"{actor_id} を相手から外しました。")
