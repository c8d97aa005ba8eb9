"""Tab 「3 数字で示す」: the cross-sector effect of the proposed service and the
standard amounts of 生活支援体制整備事業, in the municipality's own terms.

The inputs are an editor of what the pitch holds: they are filled from the model
when it holds what this page did not save (on opening the page, when another PC
saved), under held notifications, so that the inputs' observers see them filled
at once and find nothing new to save."""

from __future__ import annotations

import html
from contextlib import ExitStack
from dataclasses import replace

import ipywidgets as widgets

from kit import charts
from kit.steps.pitch.charts import effect_chart
from kit.steps.pitch.cross_sector import FUKUSAKI, MEASURE_EXAMPLES, CrossSector, StandardAmounts, SubstituteCost
from kit.steps.pitch.model import PitchModel
from kit.steps.pitch.views import StatusLine, button
from kit.ui.common import message
from kit.ui.controls import heading
from kit.ui.saving import LINE_MAX, PAUSE, SAVE_ERRORS, later, mask_for_saving
from kit.vocab import CROSS_SECTOR_FIELDS

__all__ = ["NumbersView"]

_UNIT_KINDS = ("市町村", "指定都市（行政区の数）", "一部事務組合・広域連合（構成市町村の数）")


def _held(*controls: widgets.Widget) -> ExitStack:
    """Hold the notifications of several controls until all of them are set."""
    stack = ExitStack()
    for control in controls:
        stack.enter_context(control.hold_trait_notifications())
    return stack


class _ItemRow(widgets.HBox):
    """One substitute measure of the cross-sector calculator."""

    def __init__(self, item: SubstituteCost | None, on_change, on_remove):
        self.field = widgets.Dropdown(options=CROSS_SECTOR_FIELDS, value=item.field if item else "医療",
                                      layout=widgets.Layout(width="7em"))
        self.measure = widgets.Text(value=item.measure if item else "", placeholder="例: 通院のためのタクシー券",
                                    layout=widgets.Layout(width="24em"))
        self.amount = widgets.FloatText(value=item.amount if item else 0.0, layout=widgets.Layout(width="8em"))
        self.amount.add_class("kit-cs-amount")
        remove = button("削除", "trash")
        remove.on_click(lambda _: on_remove(self))
        for control in (self.field, self.measure, self.amount):
            control.observe(lambda _: on_change(), "value")
        super().__init__([self.field, self.measure, self.amount, widgets.Label("万円/年"), remove])

    def item(self) -> SubstituteCost:
        return SubstituteCost(self.field.value, self.measure.value.strip(), self.amount.value)


class NumbersView(widgets.VBox):
    """The cross-sector calculator and the standard amounts."""

    def __init__(self, model: PitchModel, status: StatusLine):
        self._model, self._status = model, status
        self._saved: dict[str, object] = {}  # what the inputs show, as stored: cross_sector, standard
        self._cs_timer = None

        self._cs_service = widgets.Text(placeholder="例: 奥沢への移動販売", description="事業",
                                        layout=widgets.Layout(width="28em"))
        self._cs_spending = widgets.FloatText(description="財政支出", layout=widgets.Layout(width="16em"))
        self._cs_rows = widgets.VBox()
        add = button("代替費用の行を追加", "plus")
        add.on_click(lambda _: self.add_row())
        example = button("福崎町の例を入れる", "book")
        example.on_click(lambda _: self.use_example())
        self._cs_result = widgets.HTML()
        self._cs_chart = charts.ChartView()
        for control in (self._cs_service, self._cs_spending):
            control.observe(lambda _: self._cross_edited(), "value")
        examples = "".join(f"<li><b>{html.escape(field)}</b>: {html.escape('、'.join(items))}</li>"
                           for field, items in MEASURE_EXAMPLES.items())

        self._std_areas = widgets.BoundedIntText(min=1, max=999, description="日常生活圏域",
                                                 style={"description_width": "7em"})
        self._std_kind = widgets.RadioButtons(options=_UNIT_KINDS, value=_UNIT_KINDS[0])
        self._std_units = widgets.BoundedIntText(value=1, min=1, max=999, description="数", disabled=True)
        self._std_result = widgets.HTML()
        self._std_include = widgets.Checkbox(description="この標準額を提案（スライド・1枚まとめ）に入れる", indent=False,
                                             layout=widgets.Layout(width="auto"))
        for control in (self._std_areas, self._std_kind, self._std_units, self._std_include):
            control.observe(lambda _: self._standard_edited(), "value")

        super().__init__([
            heading("クロスセクター効果", "市町村がこの事業に出しているお金（財政支出）と、事業がなくなったら"
                                  "他の分野（医療・商業・教育・福祉…）で必要になる費用（分野別代替費用）を比べます。"
                                  "代替費用が支出より大きければ、その差が事業の効果です。金額は万円/年。"),
            widgets.HTML(f"<details><summary>代替費用の例（福崎町のコミュニティバスの算出より）</summary><ul>{examples}</ul>"
                         "<p>同じ人の同じ外出を、バスとタクシー券の両方で数えないようにします。</p></details>"),
            widgets.HBox([self._cs_service, self._cs_spending, widgets.Label("万円/年"), example]),
            self._cs_rows, add, self._cs_result, self._cs_chart,
            heading("生活支援体制整備事業の標準額", "第1層 8,000千円 × 市町村数、第2層 4,000千円 × 日常生活圏域の数、"
                                        "住民参画・官民連携推進事業 4,000千円 × 市町村数（令和6年度要綱改正）。"
                                        "指定都市は行政区の数、一部事務組合・広域連合は構成市町村の数で数えます。"
                                        "圏域の数は地区の表から入れてあります。"),
            self._std_areas, self._std_kind, self._std_units, self._std_result, self._std_include,
        ])
        model.observe(self._show_pitch, "pitch")

    # -- what the user does ----------------------------------------------------------------
    def use_example(self) -> None:
        """Fill the calculator with 福崎町's community bus, and keep it as this pitch's."""
        self._fill_cross_sector(FUKUSAKI)
        self._cross_edited()

    def add_row(self) -> None:
        """A new substitute measure (医療, 0万円) to fill in."""
        self._cs_rows.children = (*self._cs_rows.children, self._row(None))
        self._cross_edited()

    def _row(self, item: SubstituteCost | None) -> _ItemRow:
        return _ItemRow(item, self._cross_edited, self._remove_row)

    def _remove_row(self, row: _ItemRow) -> None:
        self._cs_rows.children = tuple(r for r in self._cs_rows.children if r is not row)
        self._cross_edited()

    def _cross_edited(self) -> None:
        try:
            cross = CrossSector(service=self._cs_service.value.strip(), spending=self._cs_spending.value,
                                items=tuple(row.item() for row in self._cs_rows.children))
        except ValueError as error:
            self._cs_result.value = message("warning", str(error))
            return
        self._show_cross_sector(cross)
        if self._cs_timer is not None:
            self._cs_timer.cancel()
            self._cs_timer = None
        # The inputs have no source: a worked example's is not to be saved again.
        if cross != replace(self._saved.get("cross_sector") or CrossSector(), source=""):
            self._cs_timer = later(PAUSE, lambda: self._save_cross_sector(cross))

    def _save_cross_sector(self, cross: CrossSector) -> None:
        """Typed names of the service and its measures are masked like the canvas."""
        self._cs_timer = None
        try:
            service = mask_for_saving(cross.service, LINE_MAX, "事業", self._model.mask)
            measures = [mask_for_saving(item.measure, LINE_MAX, "代替費用の内容", self._model.mask)
                        for item in cross.items]
        except SAVE_ERRORS as error:
            self._status.failed(error)
            return
        saved = replace(cross, service=service.text, items=tuple(
            replace(item, measure=measure.text) for item, measure in zip(cross.items, measures)))
        self._status.saving(lambda: self._save("cross_sector", saved),
                            [*service.found, *(item for measure in measures for item in measure.found)])

    def _standard_edited(self) -> None:
        self._std_units.disabled = self._std_kind.value == _UNIT_KINDS[0]
        units = 0 if self._std_units.disabled else self._std_units.value
        amounts = StandardAmounts(areas=self._std_areas.value,
                                  wards=units if self._std_kind.value == _UNIT_KINDS[1] else 0,
                                  members=units if self._std_kind.value == _UNIT_KINDS[2] else 0)
        self._show_standard(amounts)
        wanted = amounts if self._std_include.value else None
        if wanted != self._saved.get("standard"):
            self._status.saving(lambda: self._save("standard", wanted))

    def _save(self, name: str, value) -> None:
        # Noted first: the model publishes the saved pitch before it returns.
        before, self._saved[name] = self._saved.get(name), value
        try:
            self._model.set(name, value)
        except Exception:
            self._saved[name] = before
            raise

    def _not_saved_here(self, name: str, value) -> bool:
        """True (and noted) when the pitch holds a ``name`` this page did not save or show."""
        if name in self._saved and self._saved[name] == value:
            return False
        self._saved[name] = value
        return True

    # -- what the model publishes -----------------------------------------------------------
    def _show_pitch(self, _change=None) -> None:
        """Fill the inputs with what the pitch holds when this page did not save it."""
        pitch = self._model.pitch
        if self._not_saved_here("cross_sector", pitch.cross_sector):
            self._fill_cross_sector(pitch.cross_sector)
            self._show_cross_sector(pitch.cross_sector or CrossSector())
        if self._not_saved_here("standard", pitch.standard):
            standard = pitch.standard or StandardAmounts(areas=self._model.areas)
            with _held(self._std_areas, self._std_kind, self._std_units, self._std_include):
                self._std_areas.value = standard.areas
                self._std_kind.value = _UNIT_KINDS[1 if standard.wards else 2 if standard.members else 0]
                self._std_units.value = standard.units
                self._std_include.value = pitch.standard is not None
            self._std_units.disabled = self._std_kind.value == _UNIT_KINDS[0]
            self._show_standard(standard)

    def _fill_cross_sector(self, cross: CrossSector | None) -> None:
        with _held(self._cs_service, self._cs_spending):
            self._cs_service.value = cross.service if cross else ""
            self._cs_spending.value = cross.spending if cross else 0.0
            self._cs_rows.children = [self._row(item) for item in (cross.items if cross else ())]

    def _show_cross_sector(self, cross: CrossSector) -> None:
        self._cs_result.value = f'<p class="kit-cross-sector"><b>{html.escape(cross.summary())}</b></p>'
        if cross.is_filled:
            self._cs_chart.show(effect_chart(cross))
        else:
            self._cs_chart.value = ""

    def _show_standard(self, amounts: StandardAmounts) -> None:
        rows = "".join(f"<tr><td>{html.escape(item)}</td><td>{html.escape(how)}</td>"
                       f'<td class="kit-number">{amount:,}千円</td></tr>'
                       for item, how, amount in amounts.lines())
        self._std_result.value = (f'<table class="kit-standard">{rows}<tr><th colspan="2">標準額の合計</th>'
                                  f'<th class="kit-number">{amounts.total:,}千円</th></tr></table>')
