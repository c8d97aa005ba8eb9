"""2 タグ付け: one case at a time, the kit's suggestions with the words behind them,
and a box per 生活課題 that saves as it is ticked."""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from functools import lru_cache

import ipywidgets as widgets

from kit import vocab
from kit.steps.cases.tagging import Suggestion, case_text, is_own_tag, own_tags, suggest
from kit.steps.cases.views import link_choice, refill
from kit.steps.cases.views.cards import LABEL_CHARS, case_card_html
from kit.ui.common import autosave_claim
from kit.ui.controls import CheckGroup
from kit.ui.saving import attempt, saved_html

__all__ = ["TaggingView"]


def _box_label(tag: str, suggested: bool) -> str:
    return f"{tag}（独自）" if is_own_tag(tag) else f"{tag} ★" if suggested else tag


@lru_cache(maxsize=64)
def _suggest(text: str) -> tuple[Suggestion, ...]:
    """Suggestions for a case's text, read once while the page re-draws around it."""
    return tuple(suggest(text))


def _suggestions_html(found: Sequence[Suggestion], chosen: Iterable[str]) -> str:
    if not found:
        return "<p>本文から提案できる生活課題は見つかりませんでした。下から選んでください。</p>"
    chosen = set(chosen)
    items = "".join(f"<li>{'✓ ' if s.tag in chosen else ''}<b>{html.escape(s.tag)}</b> "
                    f"<small>（{html.escape('・'.join(s.words))}）</small></li>" for s in found)
    return (f"<p>本文の言葉から、次の生活課題を提案します（かっこ内が手がかりの言葉）。"
            f"確かめてから付けてください。</p><ul class='kit-suggestions'>{items}</ul>")


class TaggingView(widgets.VBox):
    """The case ``model.tag_case``, its suggestions and its tags."""

    def __init__(self):
        self._model = None
        self._suggested: tuple[str, ...] = ()
        self._pick = widgets.Dropdown(description="事例", layout=widgets.Layout(width="min(100%, 48em)"))
        self._text = widgets.HTML()
        self._suggest = widgets.HTML()
        accept = widgets.Button(description="提案をすべて付ける", icon="magic", layout=widgets.Layout(width="auto"))
        after = widgets.Button(description="次の事例へ", icon="arrow-right", layout=widgets.Layout(width="auto"))
        self._boxes = CheckGroup([(_box_label(tag, False), tag) for tag in vocab.LIFE_ISSUES], columns=4,
                                 css="kit-tag-boxes")
        self._status = widgets.HTML()
        accept.on_click(lambda _b: self.accept_suggestions())
        after.on_click(lambda _b: self.next_case())
        super().__init__([
            widgets.HTML("<p>事例ごとに、困っている<b>生活課題</b>に印を付けます。キットが本文から提案します（★）。"
                         "提案は手がかりにすぎません。本人の望みに照らして確かめ、付け外ししてください。"
                         + autosave_claim("付けた印はすぐに保存されます。") + "</p>"),
            self._pick, self._text, self._suggest, widgets.HBox([accept, after]), self._boxes, self._status])

    def bind(self, model) -> None:
        self._model = model
        self._pick.options = self._options()
        self._link = link_choice(model, "tag_case", self._pick)
        model.observe(lambda _change: self.render(), "tag_case")
        model.observe(lambda _change: self._refresh(), "revision")
        self._boxes.on_change(self._ticked)
        self._refresh()

    def _options(self) -> list[tuple[str, str]]:
        model, tags = self._model, self._model.tags
        return [(f"{r['事例ID']} {model.area_names.get(r['地区コード'], r['地区コード'])} "
                 f"{'✓' if tags.get(r['事例ID']) else '・'} {str(r['困りごと'])[:LABEL_CHARS]}", r["事例ID"])
                for r in model.cases.to_dict("records")]

    def _refresh(self) -> None:
        refill(self._link, self._options())
        self.render()

    def render(self) -> None:
        case = self._model.case(self._model.tag_case)
        if case is None:
            return
        found = _suggest(case_text(case))
        tags = self._model.tags.get(case["事例ID"], ())
        self._text.value = case_card_html(case, tags, self._model.area_names)
        self._suggest.value = _suggestions_html(found, tags)
        self._suggested = tuple(s.tag for s in found)
        # A box for each of the team's own tags in use, before the case's are ticked.
        self._boxes.add((_box_label(tag, False), tag) for tag in own_tags(self._model.tags))
        self._boxes.labels({tag: _box_label(tag, tag in self._suggested) for tag in self._boxes.options})
        self._boxes.value = tuple(tag for tag in self._boxes.options if tag in set(tags))

    def _ticked(self, change) -> None:
        case_id = self._model.tag_case
        if not case_id or set(change["new"]) == set(self._model.tags.get(case_id, ())):
            return  # the boxes show what is stored
        if attempt(self._status, lambda: self._model.set_tags(case_id, change["new"]))[0]:
            self._status.value = saved_html(f" {case_id} の生活課題: {'・'.join(self._model.tags[case_id]) or 'なし'}")

    def accept_suggestions(self) -> None:
        case_id = self._model.tag_case
        tags = (*self._model.tags.get(case_id, ()), *self._suggested)
        if attempt(self._status, lambda: self._model.set_tags(case_id, tags))[0]:
            self._status.value = saved_html(f" {case_id} に提案を付けました: {'・'.join(self._model.tags[case_id]) or 'なし'}")

    def next_case(self) -> None:
        ids = [value for _, value in self._pick.options]
        if self._model.tag_case in ids:
            self._model.tag_case = ids[(ids.index(self._model.tag_case) + 1) % len(ids)]

    def tick(self, tag: str, ticked: bool = True) -> None:
        """What a click on a tag's box does."""
        chosen = set(self._boxes.value) | {tag} if ticked else set(self._boxes.value) - {tag}
        self._boxes.value = tuple(t for t in self._boxes.options if t in chosen)

    @property
    def labels(self) -> dict[str, str]:
        """Each tag's box as labelled on the page (★ suggested, （独自） the team's own)."""
        return dict(zip(self._boxes.options, (box.description for box in self._boxes.children)))

    @property
    def ticked(self) -> tuple[str, ...]:
        return self._boxes.value

    @property
    def status(self) -> str:
        return self._status.value
