"""事例を追加・編集する: one case typed in, its free text masked and shown before
anything is stored; a conflict with another device is said and chosen."""

from __future__ import annotations

import html
from collections.abc import Iterable

import ipywidgets as widgets
import traitlets

from kit.masking import MaskingUnavailable
from kit.steps.cases import domain as cs
from kit.steps.cases.views import link_choice, refill
from kit.ui.common import message
from kit.ui.controls import esc
from kit.ui.saving import Choice, Stale, TooLong, attempt, failure_html

__all__ = ["CaseForm", "masked_items_html"]

_NEW = ""
_CHOICE_LABELS = {"地区コード": "地区", "緊急度": "緊急度", "年齢階級": "年齢階級", "性別": "性別", "世帯": "世帯",
                  "要介護度": "要介護度"}
_PLACEHOLDERS = {"本人の望み": "例: 自分で選んだ物を食べて暮らしたい", "困りごと": "例: 移動販売は週1回で、重い物が買えない",
                 "経過": "例: 商店の配達と移動販売を組み合わせている",
                 "本人の資源": "例: 場所:移動販売の停車場所; 人:商店の店主"}


def masked_items_html(items: Iterable[tuple[str, object]]) -> str:
    """What masking replaced, shown before saving: 列, 種類, 元の文字列."""
    rows = "".join(f"<tr><td>{html.escape(column)}</td><td>{html.escape(m.kind)}</td>"
                   f"<td>{html.escape(m.original)}</td></tr>" for column, m in items)
    if not rows:
        return message("ok", "個人情報は見つかりませんでした。このまま保存できます。")
    return (message("warning", "次の個人情報を伏せてから保存します（元の文字は保存されません）。"
                               "もれがあれば、本文を直してからもう一度確かめてください。")
            + f'<table class="kit-table kit-masked"><tr><th>列</th><th>種類</th><th>元の文字列</th></tr>{rows}</table>')


def _texts_html(case: dict, css: str) -> str:
    items = "".join(f"<li><b>{html.escape(c)}</b>: {esc(case.get(c))}</li>" for c in cs.MASKED_COLUMNS if esc(case.get(c)))
    return f"<ul class='{css}'>{items}</ul>"


class CaseForm(widgets.Accordion):
    """The form, folded under the cards. Its fields are ``model.draft``; the case in it
    is ``model.form_case``; saving is possible once ``model.pending`` holds the case
    as masked and shown."""

    def __init__(self):
        self._model = None
        wide = widgets.Layout(width="100%", height="4.5em")
        self._pick = widgets.Dropdown(description="事例", options=[("新しい事例を追加", _NEW)])
        self._fields: dict[str, widgets.ValueWidget] = {
            column: widgets.Dropdown(description=label, options=[("（選ぶ）", "")] if column == "地区コード" else [""])
            for column, label in _CHOICE_LABELS.items()}
        self._fields.update({column: widgets.Textarea(placeholder=text, layout=wide)
                             for column, text in _PLACEHOLDERS.items()})
        self._check = widgets.Button(description="伏せ字を確かめる", icon="eye-slash", button_style="info")
        self._save = widgets.Button(description="この内容で保存", icon="save", button_style="primary", disabled=True)
        self._preview = widgets.HTML()
        self._status = widgets.HTML()
        self._choice = Choice(lambda: self.save(force=True), self.take_theirs, what="内容")
        self._check.on_click(lambda _b: self.check())
        self._save.on_click(lambda _b: self.save())
        fields = self._fields
        row = widgets.Layout(flex_flow="row wrap")
        box = widgets.VBox([
            widgets.HTML("<p>事例を書き足したり直したりします。名前・電話番号・住所・生年月日などは、"
                         "<b>保存する前に</b>伏せ字（〇〇 など）に置き換え、何を伏せたかをここに表示します。</p>"),
            self._pick, widgets.HBox([fields["地区コード"], fields["緊急度"]], layout=row),
            widgets.HBox([fields[c] for c in ("年齢階級", "性別", "世帯", "要介護度")], layout=row),
            *(widgets.VBox([widgets.HTML(f"<b>{html.escape(c)}</b>"), fields[c]]) for c in _PLACEHOLDERS),
            widgets.HBox([self._check, self._save]), self._preview, self._status, self._choice])
        super().__init__([box], titles=("事例を追加・編集する",))
        self.selected_index = None

    def bind(self, model) -> None:
        self._model = model
        for column, field in self._fields.items():
            choices = model.form_choices(column)
            if column == "地区コード":
                field.options = [("（選ぶ）", ""), *((model.area_names[c], c) for c in choices if c)]
            elif choices:
                field.options = choices
            field.observe(lambda change, column=column: model.set_draft(**{column: change["new"]}), "value")
        self._pick.options = self._pick_options()
        self._pick_link = link_choice(model, "form_case", self._pick)
        traitlets.dlink((model, "pending"), (self._save, "disabled"), lambda pending: pending is None)
        model.observe(self._show_draft, "draft")
        model.observe(lambda _change: self._choice.show(False), "form_case")
        model.observe(lambda _change: refill(self._pick_link, self._pick_options()), "revision")
        self._show_draft()

    def _pick_options(self) -> list[tuple[str, str]]:
        return [("新しい事例を追加", _NEW), *((i, i) for i in self._model.cases["事例ID"])]

    def _show_draft(self, _change=None) -> None:
        """The draft into the fields (a field's own change writes back the same draft)."""
        for column, value in self._model.draft.items():
            self._fields[column].value = value
        self._preview.value = ""

    def check(self) -> None:
        """Mask the form's text and show what will be stored; saving is possible when complete."""
        try:
            masked, found, problems = self._model.check_draft()
        except (TooLong, MaskingUnavailable) as error:
            self._preview.value = failure_html(error)
            return
        self._preview.value = (masked_items_html(found) + "<p>保存される文章:</p>" + _texts_html(masked, "kit-preview")
                               + "".join(message("error", p) for p in problems))

    def save(self, force: bool = False) -> None:
        """Store the checked case; ``force`` overwrites what another device saved
        meanwhile (after the page showed it)."""
        pending = self._model.pending
        if pending is None:
            return
        self._choice.show(False)
        try:
            saved, case_id = attempt(self._status, lambda: self._model.save_pending(force))
        except Stale as stale:
            self._status.value = (message("warning", f"{pending['事例ID']} は、別のPCで先に書き換えられていました。"
                                                     "この内容はまだ保存していません。どちらを残すか選んでください。")
                                  + "<p>別のPCで保存された内容:</p>" + _texts_html(stale.current, "kit-theirs"))
            self._choice.show(True)
            return
        if not saved:
            return
        self._preview.value = ""
        self._status.value = message("ok", f"{case_id} を保存しました（伏せ字にした文章だけを保存しています）。")

    def take_theirs(self) -> None:
        """Take the other device's version of the case into the form."""
        self._model.take_stored()
        self._status.value = message("info", "別のPCで保存された内容を読み込みました。")

    @property
    def preview(self) -> str:
        return self._preview.value

    @property
    def status(self) -> str:
        return self._status.value

    @property
    def can_save(self) -> bool:
        return not self._save.disabled
