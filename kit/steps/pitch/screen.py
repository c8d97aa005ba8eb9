"""Page 04 提案準備: pick the ingredients, write the pitch, check it, back it with
numbers, export it, rehearse it and review each other's.

:class:`PitchModel` holds the pitch and saves every change to the workspace;
:class:`PitchScreen` is the view. Widgets are built before the request (phase 1);
:meth:`PitchScreen.open` binds them to the workspace named in the URL (phase 2).
"""

from __future__ import annotations

import html
import math
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

import ipywidgets as widgets
import pandas as pd
import traitlets

from kit import charts, datasets
from kit.export import export_filename
from kit.masking import MaskResult
from kit.steps.cases.model import confirmed_cases, saved_issues
from kit.steps.pitch.cross_sector import (
    FUKUSAKI,
    MEASURE_EXAMPLES,
    CrossSector,
    StandardAmounts,
    SubstituteCost,
    area_count,
    effect_chart,
)
from kit.steps.pitch.domain import (
    DRAFT_PREFIX,
    REVIEWS_KEY,
    RUBRIC,
    RUBRIC_LEVELS,
    TEXT_FIELDS,
    Figure,
    Partner,
    Pitch,
    TownTables,
    check,
    load_pitch,
    mask_keeping,
    masked,
    partner_from_actor,
    partner_names,
    partner_options,
    rank_cases,
    review_summary,
    save_field,
    story_from_case,
    submit_review,
    suggested_figures,
    update_field,
)
from kit.steps.pitch.export import PPTX_MIME, chart_images, to_html, to_pptx
from kit.tokens import warm_up
from kit.ui.common import Screen, download_link, message
from kit.ui.saving import (
    LINE_MAX,
    PAUSE,
    SAVE_ERRORS,
    TEXT_MAX,
    Slot,
    SyncedText,
    attempt,
    failure_html,
    later,
    mask_for_saving,
    masked_notice,
    saved_html,
)
from kit.ui.town import own_town_notice
from kit.vocab import CROSS_SECTOR_FIELDS, THREE_WAY_GAINS
from kit.workshop import review_names

__all__ = ["TIMER_CHOICES", "PitchModel", "PitchScreen", "timer_face"]

TIMER_CHOICES = (("3分", 180), ("5分", 300))
_NONE = ""
_FULL = widgets.Layout(width="100%")
_UNIT_KINDS = ("市町村", "指定都市（行政区の数）", "一部事務組合・広域連合（構成市町村の数）")


def _button(label: str, icon: str, primary: bool = False) -> widgets.Button:
    """A button as wide as its Japanese label (the default width cuts it off)."""
    return widgets.Button(description=label, icon=icon, button_style="primary" if primary else "",
                          layout=widgets.Layout(width="auto"))


def timer_face(elapsed: int, total: int) -> str:
    """Big digits of the time left; amber in the last minute, red when time is up."""
    left = max(total - elapsed, 0)
    if left == 0:
        colour, background, note = "#fff", "#a12622", "時間です"
    elif left <= 60:
        colour, background, note = "#5a3b00", "#ffd24d", "残り1分"
    else:
        colour, background, note = "#fff", "#1f5f99", "残り時間"
    return (f'<div class="kit-timer" data-left="{left}" style="background:{background};color:{colour};'
            f'text-align:center;border-radius:12px;padding:0.2em 0">'
            f'<div style="font-size:28px">{note}</div>'
            f'<div class="kit-timer-digits" style="font-size:min(30vw,220px);font-weight:700;'
            f'line-height:1.05;font-variant-numeric:tabular-nums">{left // 60}:{left % 60:02d}</div></div>')


class PitchModel(traitlets.HasTraits):
    """The pitch being written; :meth:`set` saves one part and publishes the new pitch."""

    pitch = traitlets.Instance(Pitch, kw={})
    workspace = None

    def load(self, workspace) -> None:
        self.workspace = workspace
        self.pitch = load_pitch(workspace)

    def set(self, name: str, value) -> None:
        """Save first: the pitch on screen never runs ahead of what is stored."""
        save_field(self.workspace, name, value)
        self.pitch = replace(self.pitch, **{name: value})

    def change(self, name: str, change, default=()) -> None:
        """Save ``change`` applied to the part as stored now (not as this page last
        saw it), so another PC's additions to a list are kept."""
        self.pitch = replace(self.pitch, **{name: update_field(self.workspace, name, change, default)})

    def mask(self, text: str) -> "MaskResult":
        """Masking for this pitch's free text: the partners' names are no personal data."""
        return mask_keeping(text, partner_names(self.pitch))


class _ItemRow(widgets.HBox):
    """One substitute measure of the cross-sector calculator."""

    def __init__(self, item: SubstituteCost | None, on_change, on_remove):
        self.field = widgets.Dropdown(options=CROSS_SECTOR_FIELDS, value=item.field if item else "医療",
                                      layout=widgets.Layout(width="7em"))
        self.measure = widgets.Text(value=item.measure if item else "", placeholder="例: 通院のためのタクシー券",
                                    layout=widgets.Layout(width="24em"))
        self.amount = widgets.FloatText(value=item.amount if item else 0.0,
                                        layout=widgets.Layout(width="8em"))
        remove = _button("削除", "trash")
        remove.on_click(lambda _: on_remove(self))
        for control in (self.field, self.measure, self.amount):
            control.observe(lambda _: on_change(), "value")
        super().__init__([self.field, self.measure, self.amount, widgets.Label("万円/年"), remove])

    def item(self) -> SubstituteCost:
        return SubstituteCost(self.field.value, self.measure.value.strip(), self.amount.value)


class PitchScreen(Screen):
    """The pitch page; built before the request, bound to a workspace by ``open``."""

    def __init__(self, store=None):
        super().__init__(store, css_class="kit-pitch")
        self.model = PitchModel()
        self._cases = pd.DataFrame()
        self._actors = pd.DataFrame()
        self._town: TownTables | None = None   # what figures are suggested from
        self._suggestions: list[Figure] = []
        self._area_names: dict[str, str] = {}
        self._issues = []
        self._filling = False  # True while open() puts saved values into widgets

        warm_up()  # builds the tokenizer now (phase 1), not on the first case chosen
        self._status = widgets.HTML()
        self._prompts = widgets.HTML()
        self._build_ingredients()
        self._build_canvas()
        self._build_numbers()
        self._build_export()
        self._build_rehearsal()
        self._tabs = widgets.Tab(
            [self._ingredients_panel, self._canvas_panel, self._numbers_panel, self._export_panel,
             self._rehearsal_panel],
            titles=("1 材料をそろえる", "2 提案キャンバス", "3 数字で示す", "4 書き出す", "5 リハーサル"))
        self.model.observe(self._on_pitch, "pitch")

    # -- phase 2 -----------------------------------------------------------------------
    def _bind(self, workspace) -> list[widgets.Widget]:
        self._cases = confirmed_cases(workspace)  # the tags the team confirmed in 02
        self._actors = datasets.for_workspace(workspace, "actors")
        areas = datasets.for_workspace(workspace, "areas")
        try:
            self._town = TownTables.derive(datasets.for_workspace(workspace, "population"),
                                           datasets.for_workspace(workspace, "certification"), areas)
            self._fig_suggest_note.value = ""
        except (KeyError, ValueError) as error:  # an uploaded table with nothing to compare: type figures by hand
            self._town = None
            reason = str(error.args[0]) if error.args else type(error).__name__  # KeyError's str() adds quotes
            self._fig_suggest_note.value = message(
                "info", f"地域診断の数字を候補に出せません（{html.escape(reason)}）。下の欄に数字と出典を入れてください。")
        self._area_names = dict(zip(areas["地区コード"], areas["地区名"]))
        self._issues = saved_issues(workspace)
        self._areas = area_count(areas)
        self._filling = True
        try:
            self.model.load(workspace)
            self._fill(self.model.pitch, self._areas)
        finally:
            self._filling = False
        for name, area in self._texts.items():
            self._canvas[name] = SyncedText(area, Slot(workspace, DRAFT_PREFIX + name), label=TEXT_FIELDS[name][1],
                                            sync=self.sync, mask=self.model.mask,
                                            on_saved=lambda text, name=name: self._text_saved(name, text))
            self._text_boxes[name].children = self._canvas[name].widgets
        self.sync.watch(self._follow)
        self._show_received()
        self._on_pitch()
        notice = own_town_notice(workspace, ("cases", "actors"), self._data_fixed,
                                 "事例は「個別事例から地域課題へ」、主体は「多様な主体リスト」のページで入れます。")
        return [*notice, self._prompts, self._status, self._tabs]

    def _text_saved(self, name: str, text: str) -> None:
        self.model.pitch = replace(self.model.pitch, **{name: text})

    def _follow(self) -> None:
        """Show the parts of the pitch another PC of the team saved (its texts follow
        by themselves)."""
        stored = load_pitch(self.workspace)
        parts = [name for name in ("issue", "figures", "story", "partners", "cross_sector", "standard")
                 if getattr(stored, name) != getattr(self.model.pitch, name)]
        if not parts:
            return
        with self._quiet():
            self.model.pitch = replace(self.model.pitch, **{name: getattr(stored, name) for name in parts})
            self._fill(self.model.pitch, self._areas)
        self._status.value = (f'<span class="kit-followed" style="color:#1f5f99">別のPCで保存された内容を表示しています'
                              f' ({datetime.now():%H:%M:%S})</span>')

    # -- saving ----------------------------------------------------------------------------
    def _set(self, name: str, value) -> bool:
        if self._filling:
            return False
        return self._saving(lambda: self.model.set(name, value))

    def _saving(self, action, found=()) -> bool:
        """Run a save of the pitch; say on the page that it was saved (and what was
        masked), or why not."""
        if not attempt(self._status, action)[0]:
            return False
        self._status.value = saved_html() + masked_notice(found)
        return True

    def _masked_line(self, text: str, label: str) -> MaskResult:
        return mask_for_saving(text, LINE_MAX, label, self.model.mask)

    @contextmanager
    def _quiet(self):
        """Widget changes made by the page itself, not by the user: nothing is saved."""
        filling, self._filling = self._filling, True
        try:
            yield
        finally:
            self._filling = filling

    def _on_pitch(self, _change=None) -> None:
        prompts = check(self.model.pitch)
        if not prompts:
            self._prompts.value = message("ok", "提案に必要な項目がすべてそろいました。書き出して、リハーサルをしましょう。")
            return
        items = "".join(f"<li><b>{html.escape(p.section)}</b>: {html.escape(p.text)}</li>" for p in prompts)
        self._prompts.value = (
            '<details class="kit-prompts" open style="background:#fff6e0;color:#5a3b00;padding:0.4em 0.8em;'
            'border-radius:4px"><summary><b>提案のチェック — あと'
            f' <span class="kit-prompt-count">{len(prompts)}</span> 件</b></summary>'
            f'<ul style="margin:0.3em 0;max-height:12em;overflow:auto">{items}</ul></details>')

    # -- 1 ingredients ---------------------------------------------------------------------
    def _build_ingredients(self) -> None:
        self._issue = widgets.Dropdown(description="地域課題", layout=_FULL,
                                       style={"description_width": "6em"})
        self._issue_info = widgets.HTML()
        self._issue.observe(self._on_issue, "value")

        self._figure_rows = widgets.VBox()
        self._fig_label = widgets.Text(placeholder="例: 奥沢の75歳以上人口（2040年）", description="何の数字",
                                       layout=widgets.Layout(width="32em"))
        self._fig_value = widgets.FloatText(description="値", layout=widgets.Layout(width="14em"))
        self._fig_unit = widgets.Text(placeholder="人、%", description="単位",
                                      layout=widgets.Layout(width="12em"))
        self._fig_source = widgets.Text(placeholder="例: 地域診断（住民基本台帳・将来推計）", description="出典",
                                        layout=widgets.Layout(width="32em"))
        self._fig_compare = widgets.Checkbox(description="比べる数字がある（グラフになります）", indent=False)
        self._fig_town = widgets.FloatText(description="比べる値", layout=widgets.Layout(width="14em"))
        self._fig_town_label = widgets.Text(value="市全体", description="比べる相手",
                                            layout=widgets.Layout(width="18em"))
        add = _button("数字を追加", "plus", primary=True)
        add.on_click(self._add_figure)
        self._fig_suggest = widgets.Dropdown(description="地域診断から", layout=widgets.Layout(width="44em"),
                                             style={"description_width": "7em"})
        add_suggested = _button("この数字を追加", "plus")
        add_suggested.on_click(self._add_suggested)
        self._fig_message = widgets.HTML()
        self._fig_suggest_note = widgets.HTML()

        self._case = widgets.Dropdown(description="事例", layout=_FULL, style={"description_width": "6em"})
        self._story = widgets.HTML()
        self._case.observe(self._on_case, "value")

        self._partner_select = widgets.SelectMultiple(rows=8, layout=_FULL)
        self._partner_select.observe(self._on_partners, "value")
        self._own_name = widgets.Text(placeholder="例: 奥沢商店会", description="名称")
        self._own_offer = widgets.Text(placeholder="例: 店先のベンチを休憩所に", description="できること",
                                       layout=widgets.Layout(width="28em"))
        add_own = _button("手入力の連携先を追加", "plus")
        add_own.on_click(self._add_own_partner)
        self._own_rows = widgets.VBox()

        self._ingredients_panel = widgets.VBox([
            widgets.HTML("<h3>地域課題</h3><p>「個別事例から地域課題へ」でまとめた課題から1つ選びます。"
                         "一覧にない課題は、キャンバスの「解決を目指す地域課題」に書いてください。</p>"),
            self._issue, self._issue_info,
            widgets.HTML("<h3>需要の大きさを示す数字</h3><p>地域診断の画面で見た数字を、出典とともに入れます。"
                         "比べる数字（市全体、2020年など）があると、スライドにグラフが入ります。</p>"),
            self._figure_rows,
            widgets.HBox([self._fig_suggest, add_suggested]), self._fig_suggest_note,
            widgets.HTML("<p>または自分で入れる:</p>"),
            widgets.VBox([widgets.HBox([self._fig_label, self._fig_value, self._fig_unit]),
                          widgets.HBox([self._fig_source]),
                          widgets.HBox([self._fig_compare, self._fig_town, self._fig_town_label]),
                          widgets.HBox([add, self._fig_message])]),
            widgets.HTML("<h3>一人の物語</h3><p>課題のもとになった事例から1人を選びます。"
                         "名前・電話番号・住所などは伏せて（〇〇 などに置き換えて）使います。</p>"),
            self._case, self._story,
            widgets.HTML("<h3>連携先</h3><p>多様な主体リストから、提案する相手を選びます"
                         "（Ctrl キーを押しながらクリックで複数）。課題の生活課題と地区に合う主体が上に並びます。</p>"),
            self._partner_select,
            widgets.HBox([self._own_name, self._own_offer, add_own]), self._own_rows,
        ])

    def _on_issue(self, change) -> None:
        if self._filling:
            return
        issue = next((i for i in self._issues if i.id == change["new"]), None)
        self._show_issue(issue)
        self._set("issue", issue)
        self._fill_cases(issue)
        self._fill_partner_options(issue)
        self._fill_suggestions(issue)

    def _fill_suggestions(self, issue) -> None:
        self._suggestions = suggested_figures(self._town, issue) if self._town is not None else []
        self._fig_suggest.options = [(figure.text(), index) for index, figure in enumerate(self._suggestions)]
        self._fig_suggest.value = 0 if self._suggestions else None

    def _add_suggested(self, _button=None) -> None:
        if self._fig_suggest.value is not None:
            figure = self._suggestions[self._fig_suggest.value]
            self._change_figures(lambda figures: figures + (figure,))

    def _show_issue(self, issue) -> None:
        if issue is None:
            self._issue_info.value = ""
            return
        areas = "・".join(self._area_names.get(code, code) for code in issue.areas) or "市内全域"
        evidence = f"<br>根拠: {html.escape(issue.evidence)}" if issue.evidence else ""
        self._issue_info.value = (f'<div class="kit-issue" style="margin:0.3em 0 0.8em">生活課題: '
                                  f'{html.escape("・".join(issue.life_issues) or "未設定")} ／ 地区: '
                                  f"{html.escape(areas)} ／ 緊急度: {html.escape(issue.urgency)}{evidence}</div>")

    def _figure_row(self, figure: Figure) -> widgets.Widget:
        remove = _button("削除", "trash")
        remove.on_click(lambda _: self._change_figures(lambda figures: tuple(f for f in figures if f != figure)))
        source = f"（出典: {figure.source}）" if figure.source else "（出典なし）"
        return widgets.HBox([widgets.HTML(html.escape(figure.text() + source)), remove])

    def _change_figures(self, change, found=()) -> bool:
        saved = self._saving(lambda: self.model.change("figures", change), found)
        self._figure_rows.children = [self._figure_row(f) for f in self.model.pitch.figures]
        return saved

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
        if not self._change_figures(lambda figures: figures + (figure,), found):
            return
        self._fig_message.value = ""
        self._fig_label.value, self._fig_value.value, self._fig_source.value = "", 0.0, ""

    def _fill_cases(self, issue) -> None:
        ranked = rank_cases(self._cases, issue)
        options = [("（選ばない）", _NONE)]
        for case in ranked.itertuples(index=False):
            tags = "・".join(case.生活課題) if isinstance(case.生活課題, (tuple, list)) else ""
            area = self._area_names.get(case.地区コード, case.地区コード)
            options.append((f"{case.事例ID} {area}・{case.年齢階級}歳・{case.世帯}・{case.要介護度}"
                            + (f" — {tags}" if tags else ""), case.事例ID))
        current = self._case.value
        with self._quiet():
            self._case.options = options
            self._case.value = current if current in dict(options).values() else _NONE

    def _on_case(self, change) -> None:
        if self._filling:
            return
        case_id = change["new"]
        if not case_id:
            self._show_story(None)
            self._set("story", None)
            return
        row = self._cases[self._cases["事例ID"] == case_id]
        if row.empty:
            return
        story = story_from_case(row.iloc[0], self._area_names)
        self._show_story(story)
        self._set("story", story)

    def _show_story(self, story) -> None:
        self._story.value = "" if story is None else (
            '<div class="kit-story" style="border-left:4px solid #1f5f99;padding:0.3em 0.8em;margin:0.3em 0">'
            f"{html.escape(story.text())}</div>")

    def _fill_partner_options(self, issue) -> None:
        options = partner_options(self._actors, issue, self._area_names) if not self._actors.empty else []
        chosen = tuple(p.actor_id for p in self.model.pitch.partners if p.actor_id)
        with self._quiet():
            self._partner_select.options = options
            self._partner_select.value = tuple(i for i in chosen if i in dict(options).values())

    def _on_partners(self, change) -> None:
        if self._filling:
            return
        listed = tuple(partner_from_actor(self._actors, actor_id) for actor_id in change["new"])
        self._saving(lambda: self.model.change(
            "partners", lambda stored: listed + tuple(p for p in stored if not p.actor_id)))

    def _add_own_partner(self, _button=None) -> None:
        name = self._own_name.value.strip()
        if not name:
            return
        try:
            named = mask_for_saving(name, LINE_MAX, "名称")
            offer = self._masked_line(self._own_offer.value.strip(), "できること")
        except SAVE_ERRORS as error:
            self._status.value = failure_html(error)
            return
        partner = Partner(name=named.text, offer=offer.text)
        if not self._saving(lambda: self.model.change("partners", lambda stored: stored + (partner,)),
                            [*named.found, *offer.found]):
            return
        self._own_name.value = self._own_offer.value = ""
        self._show_own_partners()

    def _show_own_partners(self) -> None:
        rows = []
        for partner in self.model.pitch.partners:
            if partner.actor_id:
                continue
            remove = _button("削除", "trash")
            remove.on_click(lambda _, gone=partner: self._remove_own_partner(gone))
            rows.append(widgets.HBox([widgets.HTML(html.escape(f"{partner.name}: {partner.offer}")), remove]))
        self._own_rows.children = rows

    def _remove_own_partner(self, gone: Partner) -> None:
        self._saving(lambda: self.model.change("partners", lambda stored: tuple(p for p in stored if p != gone)))
        self._show_own_partners()

    # -- 2 canvas --------------------------------------------------------------------------
    def _build_canvas(self) -> None:
        self._texts: dict[str, widgets.Textarea] = {}
        self._text_boxes: dict[str, widgets.VBox] = {}
        self._canvas: dict[str, SyncedText] = {}
        children, section = [], None
        for name, (where, label, placeholder) in TEXT_FIELDS.items():
            if where != section:
                section = where
                children.append(widgets.HTML(f"<h3>{html.escape(where)}</h3>" + self._section_note(where)))
            area = widgets.Textarea(placeholder=placeholder,
                                    layout=widgets.Layout(width="100%", height="4.5em"))
            area.add_class(f"kit-field-{name}")
            self._texts[name] = area
            # Filled with the box, its status and conflict choice once a workspace is open.
            self._text_boxes[name] = widgets.VBox([area])
            children += [widgets.HTML(f"<b>{html.escape(label)}</b>"), self._text_boxes[name]]
        self._canvas_panel = widgets.VBox(children)

    @staticmethod
    def _section_note(section: str) -> str:
        if section == "三方よし":
            hints = "".join(f"<li><b>{html.escape(party)}</b>: {html.escape('、'.join(gains))}</li>"
                            for party, gains in THREE_WAY_GAINS.items())
            return f"<p>相手の目線で書きます。たとえば:</p><ul>{hints}</ul>"
        if section == "起承転結":
            return "<p>一人の物語から始めて、地域の姿、提案、変わることへ。聞き手が3分で追える順番です。</p>"
        if section == "立ち上げの骨組み":
            return "<p>事業立ち上げガイドブックが挙げる、提案が決めておくべき5つの項目です。</p>"
        return ""

    # -- 3 numbers -------------------------------------------------------------------------
    def _build_numbers(self) -> None:
        self._cs_service = widgets.Text(placeholder="例: 奥沢への移動販売", description="事業",
                                        layout=widgets.Layout(width="28em"))
        self._cs_spending = widgets.FloatText(description="財政支出", layout=widgets.Layout(width="16em"))
        self._cs_rows = widgets.VBox()
        add = _button("代替費用の行を追加", "plus")
        add.on_click(lambda _: self._add_item_row(None))
        self._cs_example = _button("福崎町の例を入れる", "book")
        self._cs_example.on_click(lambda _: self._fill_cross_sector(FUKUSAKI))
        self._cs_result = widgets.HTML()
        self._cs_chart = charts.ChartView()
        self._cs_timer = None
        for control in (self._cs_service, self._cs_spending):
            control.observe(lambda _: self._on_cross_sector(), "value")
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
            control.observe(lambda _: self._on_standard(), "value")

        self._numbers_panel = widgets.VBox([
            widgets.HTML("<h3>クロスセクター効果</h3><p>市町村がこの事業に出しているお金（財政支出）と、"
                         "事業がなくなったら他の分野（医療・商業・教育・福祉…）で必要になる費用（分野別代替費用）を比べます。"
                         "代替費用が支出より大きければ、その差が事業の効果です。金額は万円/年。</p>"
                         f"<details><summary>代替費用の例（福崎町のコミュニティバスの算出より）</summary><ul>{examples}</ul>"
                         "<p>同じ人の同じ外出を、バスとタクシー券の両方で数えないようにします。</p></details>"),
            widgets.HBox([self._cs_service, self._cs_spending, widgets.Label("万円/年"), self._cs_example]),
            self._cs_rows, add, self._cs_result, self._cs_chart,
            widgets.HTML("<h3>生活支援体制整備事業の標準額</h3><p>第1層 8,000千円 × 市町村数、"
                         "第2層 4,000千円 × 日常生活圏域の数、住民参画・官民連携推進事業 4,000千円 × 市町村数"
                         "（令和6年度要綱改正）。指定都市は行政区の数、一部事務組合・広域連合は構成市町村の数で数えます。"
                         "圏域の数は地区の表から入れてあります。</p>"),
            self._std_areas, self._std_kind, self._std_units, self._std_result, self._std_include,
        ])

    def _add_item_row(self, item: SubstituteCost | None) -> None:
        row = _ItemRow(item, self._on_cross_sector, self._remove_item_row)
        self._cs_rows.children = (*self._cs_rows.children, row)
        self._on_cross_sector()

    def _remove_item_row(self, row: _ItemRow) -> None:
        self._cs_rows.children = tuple(r for r in self._cs_rows.children if r is not row)
        self._on_cross_sector()

    def _fill_cross_sector(self, cross: CrossSector | None) -> None:
        with self._quiet():
            self._cs_service.value = cross.service if cross else ""
            self._cs_spending.value = cross.spending if cross else 0.0
            self._cs_rows.children = [_ItemRow(item, self._on_cross_sector, self._remove_item_row)
                                      for item in (cross.items if cross else ())]
        self._on_cross_sector()

    def _on_cross_sector(self) -> None:
        if self._filling:
            return
        try:
            cross = CrossSector(service=self._cs_service.value.strip(), spending=self._cs_spending.value,
                                items=tuple(row.item() for row in self._cs_rows.children))
        except ValueError as error:
            self._cs_result.value = message("warning", str(error))
            return
        self._show_cross_sector(cross)
        if self._cs_timer is not None:
            self._cs_timer.cancel()
        self._cs_timer = later(PAUSE, lambda: self._save_cross_sector(cross))

    def _save_cross_sector(self, cross: CrossSector) -> None:
        """Typed names of the service and its measures are masked like the canvas."""
        self._cs_timer = None
        try:
            service = self._masked_line(cross.service, "事業")
            measures = [self._masked_line(item.measure, "代替費用の内容") for item in cross.items]
        except SAVE_ERRORS as error:
            self._status.value = failure_html(error)
            return
        masked_cross = replace(cross, service=service.text, items=tuple(
            replace(item, measure=measure.text) for item, measure in zip(cross.items, measures)))
        self._saving(lambda: self.model.set("cross_sector", masked_cross),
                     [*service.found, *(item for measure in measures for item in measure.found)])

    def _show_cross_sector(self, cross: CrossSector) -> None:
        self._cs_result.value = (f'<p class="kit-cross-sector"><b>{html.escape(cross.summary())}</b></p>')
        if cross.is_filled:
            self._cs_chart.show(effect_chart(cross))
        else:
            self._cs_chart.value = ""

    def _on_standard(self) -> None:
        self._std_units.disabled = self._std_kind.value == _UNIT_KINDS[0]
        if self._filling:
            return
        units = 0 if self._std_units.disabled else self._std_units.value
        amounts = StandardAmounts(areas=self._std_areas.value,
                                  wards=units if self._std_kind.value == _UNIT_KINDS[1] else 0,
                                  members=units if self._std_kind.value == _UNIT_KINDS[2] else 0)
        self._show_standard(amounts)
        self._set("standard", amounts if self._std_include.value else None)

    def _show_standard(self, amounts) -> None:
        rows = "".join(f"<tr><td>{html.escape(item)}</td><td>{html.escape(how)}</td>"
                       f'<td style="text-align:right">{amount:,}千円</td></tr>'
                       for item, how, amount in amounts.lines())
        self._std_result.value = (
            f'<table class="kit-standard" style="border-collapse:collapse">{rows}'
            f'<tr><th colspan="2" style="text-align:left">標準額の合計</th>'
            f'<th style="text-align:right">{amounts.total:,}千円</th></tr></table>')

    # -- 4 export --------------------------------------------------------------------------
    def _build_export(self) -> None:
        pptx = _button("PowerPoint をつくる", "file-powerpoint-o", primary=True)
        page = _button("1枚まとめ（印刷用）をつくる", "print")
        pptx.on_click(lambda _: self._export("pptx"))
        page.on_click(lambda _: self._export("html"))
        self._export_out = widgets.HTML()
        self._export_panel = widgets.VBox([
            widgets.HTML("<h3>持ち帰るファイル</h3><p>同じ提案から、スライド（PowerPoint）と印刷用の1枚まとめを作ります。"
                         "1枚まとめはブラウザで開き、印刷（PDF に保存）できます。名前・電話番号・住所などは伏せて書き出します。</p>"),
            widgets.HBox([pptx, page]), self._export_out,
        ])

    def _export(self, kind: str) -> None:
        if self.workspace is None:
            return
        self._export_out.value = message("info", "作成中です（グラフを描くので数秒かかります）…")
        pitch, hidden = masked(self.model.pitch)
        day = date.today()
        try:
            images = chart_images(pitch)
            if kind == "pptx":
                data, mime, label = to_pptx(pitch, images, day), PPTX_MIME, "スライドを保存する (.pptx)"
                name = export_filename(f"提案_{pitch.team}", "pptx", day)
            else:
                data = to_html(pitch, images, day).encode("utf-8")
                mime, label = "text/html", "1枚まとめを保存する (.html)"
                name = export_filename(f"提案1枚まとめ_{pitch.team}", "html", day)
        except Exception as error:  # an export failure must reach the user, never a traceback
            self._export_out.value = message("error", f"書き出せませんでした（{error}）。")
            return
        notes = []
        if hidden:
            notes.append(message("info", "書き出しで伏せた個人情報: "
                                 + "、".join(f"{what} {count}件" for what, count in hidden.items())))
        remaining = len(check(pitch))
        if remaining:
            notes.append(message("warning", f"提案のチェックに {remaining} 件残っています"
                                            "（空欄はファイルに「（未記入）」と出ます）。"))
        self._export_out.value = "".join(notes) + f"<p>{download_link(data, name, label, mime)}</p>"

    # -- 5 rehearsal -----------------------------------------------------------------------
    def _build_rehearsal(self) -> None:
        self._timer_length = widgets.ToggleButtons(options=TIMER_CHOICES, value=TIMER_CHOICES[0][1])
        # The browser ticks the Play widget once a second: time is kept without kernel threads.
        self._play = widgets.Play(min=0, max=TIMER_CHOICES[0][1], step=1, interval=1000, show_repeat=False)
        self._face = widgets.HTML(timer_face(0, TIMER_CHOICES[0][1]))
        self._play.observe(lambda change: self._tick(change["new"]), "value")
        self._timer_length.observe(self._on_timer_length, "value")

        self._rv_team = widgets.Text(placeholder="例: 2班", description="評価するチーム",
                                     style={"description_width": "8em"}, layout=widgets.Layout(width="26em"))
        levels = [(f"{n} {label}", n) for n, label in RUBRIC_LEVELS.items()]
        self._rv_scores = {key: widgets.ToggleButtons(options=levels, value=None,
                                                      style={"button_width": "7em"})
                           for key, _ in RUBRIC}
        self._rv_comment = widgets.Textarea(placeholder="よかった点と、もっとよくなる点を1つずつ",
                                            layout=widgets.Layout(width="100%", height="4em"))
        send = _button("評価を送る", "paper-plane", primary=True)
        send.on_click(self._send_review)
        self._rv_status = widgets.HTML()
        self._received = widgets.HTML()
        refresh = _button("受け取った評価を更新", "refresh")
        refresh.on_click(lambda _: self._show_received())
        rubric = []
        for key, question in RUBRIC:
            rubric += [widgets.HTML(f"<b>{html.escape(question)}</b>"), self._rv_scores[key]]

        self._rehearsal_panel = widgets.VBox([
            widgets.HTML("<h3>発表タイマー</h3><p>▶ で開始、■ で最初に戻ります。残り1分で黄色、時間切れで赤になります。"
                         "プロジェクターに映すと、会場の後ろからも見えます。</p>"),
            widgets.HBox([self._timer_length, self._play]), self._face,
            widgets.HTML("<h3>相互評価</h3><p>ほかのチームの発表を聞いて、4つの観点を1〜4で評価します。"
                         "評価は相手のチームのワークスペースに保存されます。</p>"),
            self._rv_team, *rubric, widgets.HTML("<b>コメント</b>"), self._rv_comment, send, self._rv_status,
            widgets.HTML("<h3>このチームが受け取った評価</h3>"), refresh, self._received,
        ])

    def _tick(self, elapsed: int) -> None:
        self._face.value = timer_face(elapsed, self._play.max)

    def _on_timer_length(self, change) -> None:
        self._play.playing = False
        self._play.value = 0
        self._play.max = change["new"]
        self._tick(0)

    def _send_review(self, _button=None) -> None:
        if self.workspace is None:
            return
        scores = {key: toggle.value for key, toggle in self._rv_scores.items()}
        try:
            comment = mask_for_saving(self._rv_comment.value, TEXT_MAX, "コメント")
            reviewed, reviewer = review_names(self._store, self.workspace, self._rv_team.value)
            submit_review(self._store, reviewed, reviewer, scores, comment.text)
        except SAVE_ERRORS as error:
            self._rv_status.value = failure_html(error)
            return
        except ValueError as error:
            self._rv_status.value = message("warning", str(error))
            return
        self._rv_status.value = (message("ok", f"「{self._rv_team.value.strip()}」への評価を保存しました。")
                                 + masked_notice(comment.found, comment.text.strip()))
        for toggle in self._rv_scores.values():
            toggle.value = None
        self._rv_comment.value = ""

    def _show_received(self) -> None:
        reviews = self.workspace.get(REVIEWS_KEY) if self.workspace else None
        if not reviews:
            self._received.value = "<p>まだ評価は届いていません。</p>"
            return
        summary = review_summary(reviews)
        rows = "".join(f"<tr><td>{html.escape(row.観点)}</td>"
                       f"<td style='text-align:right'>{row.平均:.1f}</td></tr>"
                       for row in summary.itertuples(index=False))
        comments = "".join(f"<li><b>{html.escape(team)}</b>: "
                           f"{html.escape(entry['comment'] or '（コメントなし）')}</li>"
                           for team, entry in sorted(reviews.items()))
        self._received.value = (f'<table class="kit-reviews"><tr><th>観点</th>'
                                f'<th>平均（{len(reviews)}チーム）</th></tr>'
                                f"{rows}</table><ul>{comments}</ul>")

    # -- filling saved values ----------------------------------------------------------------
    def _fill(self, pitch: Pitch, areas: int) -> None:
        self._issue.options = [("（選ばない）", _NONE)] + [(f"{i.id} {i.statement}", i.id) for i in self._issues]
        known = dict(self._issue.options).values()
        self._issue.value = pitch.issue.id if pitch.issue and pitch.issue.id in known else _NONE
        self._show_issue(pitch.issue)
        self._fill_cases(pitch.issue)
        case_ids = dict(self._case.options).values()
        self._case.value = pitch.story.case_id if pitch.story and pitch.story.case_id in case_ids else _NONE
        self._show_story(pitch.story)
        self._fill_partner_options(pitch.issue)
        self._fill_suggestions(pitch.issue)
        self._show_own_partners()
        self._figure_rows.children = [self._figure_row(f) for f in pitch.figures]
        self._fill_cross_sector(pitch.cross_sector)
        self._show_cross_sector(pitch.cross_sector or CrossSector())
        standard = pitch.standard or StandardAmounts(areas=max(areas, 1))
        self._std_areas.value = standard.areas
        self._std_kind.value = _UNIT_KINDS[1 if standard.wards else 2 if standard.members else 0]
        self._std_units.value = standard.units
        self._std_units.disabled = self._std_kind.value == _UNIT_KINDS[0]
        self._std_include.value = pitch.standard is not None
        self._show_standard(standard)
