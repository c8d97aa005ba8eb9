"""4 グループ化: issue cards (one person's one 生活課題) gathered into named groups,
KJ-style; groups renamed, added to, dissolved."""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as widgets
import pandas as pd
import traitlets

from kit.steps.cases import domain as cs
from kit.steps.cases.views import link_choice, refill
from kit.steps.cases.views.cards import card_label
from kit.ui.common import message
from kit.ui.controls import heading
from kit.ui.saving import SAVE_ERRORS, failure_html, masked_notice

__all__ = ["GroupingView"]

_ALL = ""


class GroupingView(widgets.VBox):
    """The loose cards (filtered by ``model.group_tag`` and ``model.group_area``, chosen
    in ``model.selected_cards``), the name of a new group (``model.group_name``) and
    the groups made so far."""

    def __init__(self):
        self._model = None
        self._tag = widgets.Dropdown(description="生活課題", options=[("（すべて）", _ALL)])
        self._area = widgets.Dropdown(description="地区", options=[("（すべて）", _ALL)])
        self._loose = widgets.SelectMultiple(rows=12, layout=widgets.Layout(width="100%"))
        self._loose.add_class("kit-loose-cards")
        self._name = widgets.Text(placeholder="グループの名前（例: 坂の上の買物）", layout=widgets.Layout(width="24em"))
        make = widgets.Button(description="選んだカードでグループをつくる", icon="object-group",
                              button_style="primary", layout=widgets.Layout(width="auto"))
        self._status = widgets.HTML()
        self._groups = widgets.VBox()
        make.on_click(lambda _b: self.make_group())
        row = widgets.Layout(flex_flow="row wrap")
        super().__init__([
            widgets.HTML("<p>1枚のカードは「ある人の、ある生活課題」です。似たカードを集めて名前を付けます（KJ法）。"
                         "Ctrl（Mac は ⌘）や Shift を押しながらクリックすると、何枚も選べます。"
                         "1枚だけのグループ（その人だけの課題）があってもかまいません。</p>"),
            widgets.HBox([self._tag, self._area], layout=row),
            heading("まだグループにしていないカード"), self._loose,
            widgets.HBox([self._name, make], layout=row),
            self._status, heading("グループ"), self._groups])

    def bind(self, model) -> None:
        self._model = model
        self._links = {name: link_choice(model, name, widget) for name, widget in
                       (("group_tag", self._tag), ("group_area", self._area), ("selected_cards", self._loose))}
        traitlets.link((model, "group_name"), (self._name, "value"))
        model.observe(lambda _change: self._show_loose(), ["group_tag", "group_area"])
        model.observe(lambda _change: self.render(), "revision")
        self.render()

    def render(self) -> None:
        cards = self._model.cards()
        for name, column, label in (("group_tag", "生活課題", "生活課題"), ("group_area", "地区コード", "地区名")):
            names = dict(zip(cards[column], cards[label]))
            refill(self._links[name], [("（すべて）", _ALL), *((names[v], v) for v in names)])
        self._show_loose()
        self._groups.children = [self._group_box(group, cards) for group in self._model.groups["groups"]
                                 if group["cards"]]

    def _show_loose(self) -> None:
        refill(self._links["selected_cards"],
               [(card_label(card), card["カード"]) for _, card in self._model.loose_cards().iterrows()])

    def _group_box(self, group: dict, cards: pd.DataFrame) -> widgets.Widget:
        mine = cards[cards["カード"].isin(group["cards"])]
        profile = cs.group_profile(cards, group)
        items = "".join(f"<li>{html.escape(card_label(card))}</li>" for _, card in mine.iterrows())
        head = widgets.HTML(
            f'<div class="kit-group" data-group="{html.escape(group["id"])}"><b class="kit-group-name">'
            f'{html.escape(group["name"])}</b> — {html.escape(cs.evidence_text(cards, group))} ｜ '
            f'<span class="kit-scope-{profile["範囲"]}">{profile["範囲"]}</span><ul>{items}</ul></div>')
        name = widgets.Text(value=group["name"], layout=widgets.Layout(width="18em"))
        rename = widgets.Button(description="名前を変える", layout=widgets.Layout(width="auto"))
        add = widgets.Button(description="選んだカードを加える", layout=widgets.Layout(width="auto"))
        dissolve = widgets.Button(description="グループを解く", icon="unlink", layout=widgets.Layout(width="auto"))
        rename.on_click(lambda _b: self.rename(group["id"], name.value))
        add.on_click(lambda _b: self.add_selected(group["id"]))
        dissolve.on_click(lambda _b: self.dissolve(group["id"]))
        box = widgets.VBox([head, widgets.HBox([name, rename, add, dissolve], layout=widgets.Layout(flex_flow="row wrap"))])
        box.add_class("kit-group-box")
        return box

    def _safely(self, action: Callable[[], list]) -> bool:
        """Run a change of the groups; show why it failed, or what masking hid."""
        try:
            found = action()
        except SAVE_ERRORS as error:
            self._status.value = failure_html(error)
            return False
        except ValueError as error:
            self._status.value = message("error", str(error))
            return False
        self._status.value = masked_notice(found)
        return True

    def make_group(self) -> None:
        """A group of the chosen cards, named ``model.group_name``."""
        model = self._model
        if self._safely(lambda: model.group(model.selected_cards, model.group_name)):
            self._status.value = (message("ok", f"グループ「{model.groups['groups'][-1]['name']}」をつくりました。")
                                  + self._status.value)

    def rename(self, group_id: str, name: str) -> None:
        self._safely(lambda: self._model.rename(group_id, name))

    def add_selected(self, group_id: str) -> None:
        self._safely(lambda: self._model.add_to_group(group_id, self._model.selected_cards))

    def dissolve(self, group_id: str) -> None:
        self._safely(lambda: self._model.ungroup(group_id))

    @property
    def loose(self) -> list[tuple[str, str]]:
        """The loose cards offered, as (label, card)."""
        return list(self._loose.options)

    @property
    def status(self) -> str:
        return self._status.value
