"""Tab 「1 材料をそろえる」: the regional issue, the figures that show the need, one
person's story and the partners."""

from __future__ import annotations

import html
import math

import ipywidgets as widgets

from kit.masking import MaskResult
from kit.steps.pitch.domain import Figure, Partner
from kit.steps.pitch.model import NO_CHOICE, PitchModel
from kit.steps.pitch.views import StatusLine, button, show_choice
from kit.ui.common import message
from kit.ui.controls import heading
from kit.ui.saving import LINE_MAX, SAVE_ERRORS, failure_html, mask_for_saving

__all__ = ["MaterialsView"]

_FULL = widgets.Layout(width="100%")


def _removable(text: str, on_remove) -> widgets.HBox:
    """A line of text with a 削除 button."""
    remove = button("削除", "trash")
    remove.on_click(lambda _: on_remove())
    return widgets.HBox([widgets.HTML(html.escape(text)), remove])


def _no_figures_note(problem: str) -> str:
    """Why 地域診断 offers no figures, and what to do instead ("" when it offers some)."""
    return "" if not problem else message(
        "info", f"地域診断の数字を候補に出せません（{problem}）。下の欄に数字と出典を入れてください。")


class MaterialsView(widgets.VBox):
    """Choosing the pitch's ingredients; each choice is saved as it is made."""

    def __init__(self, model: PitchModel, status: StatusLine):
        self._model, self._status = model, status
        self._shown_figures = self._shown_own = None

        self._issue = widgets.Dropdown(description="地域課題", layout=_FULL, style={"description_width": "6em"})
        self._issue_info = widgets.HTML()
        self._issue.observe(self._pick_issue, "value")

        self._figure_rows = widgets.VBox()
        self._fig_suggest = widgets.Dropdown(description="地域診断から", layout=widgets.Layout(width="44em"),
                                             style={"description_width": "7em"})
        add_suggested = button("この数字を追加", "plus")
        add_suggested.on_click(self._add_suggested)
        self._fig_suggest_note = widgets.HTML()
        self._fig_label = widgets.Text(placeholder="例: 奥沢の75歳以上人口（2040年）", description="何の数字",
                                       layout=widgets.Layout(width="32em"))
        self._fig_value = widgets.FloatText(description="値", layout=widgets.Layout(width="14em"))
        self._fig_unit = widgets.Text(placeholder="人、%", description="単位", layout=widgets.Layout(width="12em"))
        self._fig_source = widgets.Text(placeholder="例: 地域診断（住民基本台帳・将来推計）", description="出典",
                                        layout=widgets.Layout(width="32em"))
        self._fig_compare = widgets.Checkbox(description="比べる数字がある（グラフになります）", indent=False)
        self._fig_town = widgets.FloatText(description="比べる値", layout=widgets.Layout(width="14em"))
        self._fig_town_label = widgets.Text(value="市全体", description="比べる相手",
                                            layout=widgets.Layout(width="18em"))
        add = button("数字を追加", "plus", primary=True)
        add.on_click(self._add_figure)
        self._fig_message = widgets.HTML()

        self._case = widgets.Dropdown(description="事例", layout=_FULL, style={"description_width": "6em"})
        self._story = widgets.HTML()
        self._case.observe(self._pick_case, "value")

        self._partners = widgets.SelectMultiple(rows=8, layout=_FULL)
        self._partners.observe(self._pick_partners, "value")
        self._own_name = widgets.Text(placeholder="例: 奥沢商店会", description="名称")
        self._own_offer = widgets.Text(placeholder="例: 店先のベンチを休憩所に", description="できること",
                                       layout=widgets.Layout(width="28em"))
        add_own = button("手入力の連携先を追加", "plus")
        add_own.on_click(self._add_own_partner)
        self._own_rows = widgets.VBox()

        super().__init__([
            heading("地域課題", "「個別事例から地域課題へ」でまとめた課題から1つ選びます。"
                            "一覧にない課題は、キャンバスの「解決を目指す地域課題」に書いてください。"),
            self._issue, self._issue_info,
            heading("需要の大きさを示す数字", "地域診断の画面で見た数字を、出典とともに入れます。"
                                    "比べる数字（市全体、2020年など）があると、スライドにグラフが入ります。"),
            self._figure_rows,
            widgets.HBox([self._fig_suggest, add_suggested]), self._fig_suggest_note,
            widgets.HTML("<p>または自分で入れる:</p>"),
            widgets.VBox([widgets.HBox([self._fig_label, self._fig_value, self._fig_unit]),
                          widgets.HBox([self._fig_source]),
                          widgets.HBox([self._fig_compare, self._fig_town, self._fig_town_label]),
                          widgets.HBox([add, self._fig_message])]),
            heading("一人の物語", "課題のもとになった事例から1人を選びます。"
                             "名前・電話番号・住所などは伏せて（〇〇 などに置き換えて）使います。"),
            self._case, self._story,
            heading("連携先", "多様な主体リストから、提案する相手を選びます（Ctrl キーを押しながらクリックで複数）。"
                           "「多様な主体リスト」でチームが選んだ連携先が先頭に、課題の生活課題と地区に合う主体がその次に並びます。"),
            self._partners,
            widgets.HBox([self._own_name, self._own_offer, add_own]), self._own_rows,
        ])
        model.observe(self._show_issues, "issue_options")
        model.observe(self._show_cases, "case_options")
        model.observe(self._show_partners, "partner_options")
        model.observe(self._show_suggestions, "suggestions")
        widgets.dlink((model, "town_problem"), (self._fig_suggest_note, "value"), transform=_no_figures_note)
        model.observe(self._show_pitch, "pitch")

    # -- what the model publishes -----------------------------------------------------------
    def _show_issues(self, _change=None) -> None:
        options = self._model.issue_options
        chosen = self._model.issue_id
        show_choice(self._issue, self._pick_issue, options, chosen if chosen in dict(options).values() else NO_CHOICE)

    def _show_cases(self, _change=None) -> None:
        options = self._model.case_options
        chosen = self._model.case_id
        show_choice(self._case, self._pick_case, options, chosen if chosen in dict(options).values() else NO_CHOICE)

    def _show_partners(self, _change=None) -> None:
        listed = set(dict(self._model.partner_options).values())
        show_choice(self._partners, self._pick_partners, self._model.partner_options,
                    tuple(actor_id for actor_id in self._model.partner_ids if actor_id in listed))

    def _show_suggestions(self, _change=None) -> None:
        suggestions = self._model.suggestions
        self._fig_suggest.options = [(figure.text(), index) for index, figure in enumerate(suggestions)]
        self._fig_suggest.value = 0 if suggestions else None

    def _show_pitch(self, _change=None) -> None:
        pitch = self._model.pitch
        self._show_issue_info(pitch.issue)   # first: the line the user looks at after choosing
        self._show_issues()
        self._show_cases()
        self._show_partners()
        self._story.value = "" if pitch.story is None else (
            f'<div class="kit-story">{html.escape(pitch.story.text())}</div>')
        if pitch.figures != self._shown_figures:
            self._shown_figures = pitch.figures
            self._figure_rows.children = [self._figure_row(figure) for figure in pitch.figures]
        own = tuple(partner for partner in pitch.partners if not partner.actor_id)
        if own != self._shown_own:
            self._shown_own = own
            self._own_rows.children = [
                _removable(f"{partner.name}: {partner.offer}",
                           lambda gone=partner: self._status.saving(lambda: self._model.remove_partner(gone)))
                for partner in own]

    def _show_issue_info(self, issue) -> None:
        if issue is None:
            self._issue_info.value = ""
            return
        areas = "・".join(self._model.area_names.get(code, code) for code in issue.areas) or "市内全域"
        evidence = f"<br>根拠: {html.escape(issue.evidence)}" if issue.evidence else ""
        self._issue_info.value = (f'<div class="kit-issue">生活課題: '
                                  f'{html.escape("・".join(issue.life_issues) or "未設定")} ／ 地区: '
                                  f"{html.escape(areas)} ／ 緊急度: {html.escape(issue.urgency)}{evidence}</div>")

    def _figure_row(self, figure: Figure) -> widgets.HBox:
        source = f"（出典: {figure.source}）" if figure.source else "（出典なし）"
        return _removable(figure.text() + source,
                          lambda: self._status.saving(lambda: self._model.remove_figure(figure)))

    # -- what the user does ----------------------------------------------------------------
    def _pick_issue(self, change) -> None:
        self._status.saving(lambda: self._model.choose_issue(change["new"]))

    def _pick_case(self, change) -> None:
        self._status.saving(lambda: self._model.choose_case(change["new"]))

    def _pick_partners(self, change) -> None:
        self._status.saving(lambda: self._model.choose_partners(change["new"]))

    def _add_suggested(self, _button=None) -> None:
        if self._fig_suggest.value is not None:
            self._status.saving(lambda: self._model.add_suggested(self._fig_suggest.value))

    def _masked_line(self, text: str, label: str) -> MaskResult:
        return mask_for_saving(text, LINE_MAX, label, self._model.mask)

    def _add_figure(self, _button=None) -> None:
        label = self._fig_label.value.strip()
        if not label:
            self._fig_message.value = message("warning", "「何の数字」を書いてください。")
            return
        if not math.isfinite(self._fig_value.value):
            self._fig_message.value = message("warning", "値は数で入れてください。")
            return
        try:
            texts = {"label": self._masked_line(label, "何の数字"),
                     "unit": self._masked_line(self._fig_unit.value.strip(), "単位"),
                     "source": self._masked_line(self._fig_source.value.strip(), "出典"),
                     "town_label": self._masked_line(self._fig_town_label.value.strip() or "市全体", "比べる相手")}
        except SAVE_ERRORS as error:
            self._fig_message.value = failure_html(error)
            return
        figure = Figure(value=self._fig_value.value, town_value=self._fig_town.value if self._fig_compare.value else None,
                        **{part: result.text for part, result in texts.items()})
        found = [item for result in texts.values() for item in result.found]
        if not self._status.saving(lambda: self._model.add_figure(figure), found):
            return
        self._fig_message.value = ""
        self._fig_label.value, self._fig_value.value, self._fig_source.value = "", 0.0, ""

    def _add_own_partner(self, _button=None) -> None:
        name = self._own_name.value.strip()
        if not name:
            return
        try:
            named = mask_for_saving(name, LINE_MAX, "名称")
            offer = self._masked_line(self._own_offer.value.strip(), "できること")
        except SAVE_ERRORS as error:
            self._status.failed(error)
            return
        partner = Partner(name=named.text, offer=offer.text)
        if self._status.saving(lambda: self._model.add_partner(partner), [*named.found, *offer.found]):
            self._own_name.value = self._own_offer.value = ""
