"""Page 01 地域診断: the town's ageing, care needs, risks and resources per area,
beside Japan; 気づきメモ per area; exports; the prefectural checklist.

:class:`AssessmentModel` holds the tables and the user's choices (area, risk rule
set, comparison, …) as traits and derives every table from them, cached;
:class:`AssessmentScreen` is the view. A chart takes a few hundred milliseconds to
draw, so the charts show every area (choosing an area changes only tables and
text), only the visible tab is drawn when a choice changes, and drawn charts are
kept by ``kit.chart_cache`` for every kernel of the server.
"""

from __future__ import annotations

import html
import json
import logging
from collections.abc import Callable
from datetime import date

import altair as alt
import ipywidgets as widgets
import pandas as pd
import traitlets

from kit import assessment as asm
from kit import assessment_charts as ac
from kit import chart_cache, charts, datasets, maps, reference, risk_rules, vocab
from kit import town as tw
from kit.export import export_filename, to_xlsx
from kit.masking import mask_table
from kit.paths import SAMPLE_TOWN
from kit.store import StoreError
from kit.ui.checklist import ChecklistPanel
from kit.ui.common import Screen, autosave_claim, download_link, message, town_line
from kit.ui.saving import Slot, SyncedText, attempt
from kit.ui.town import DataRow, TownPicker, missing_data_html

__all__ = ["MEMO_PROMPTS", "SETTINGS_KEY", "DATA_KINDS", "AssessmentModel", "AssessmentScreen", "memo_key"]

SETTINGS_KEY = "assessment/settings"
# Kinds this page reads, in the order the data tab offers them.
DATA_KINDS: tuple[str, ...] = ("areas", "population", "certification", "needs_survey", "resources")
# 気づきメモ: (key, heading, placeholder that guides the writing).
MEMO_PROMPTS: tuple[tuple[str, str, str], ...] = (
    ("notice", "目立つこと", "例: 桜台は2040年に85歳以上が今の2.5倍。閉じこもり傾向の割合も市全体より高い"),
    ("why", "考えられる理由", "例: 1970年代に同じ世代が一斉に入居したニュータウン。坂が多く、通いの場が少ない"),
    ("next", "次に確かめること", "例: 地域ケア会議の事例で外出の困りごとを数える。自治会に集会所の使い方を聞く"),
)
TAB_TITLES = ("人口と高齢化", "全国と比べる", "要介護認定", "ニーズ調査のリスク", "地域資源とニーズ",
              "地図", "気づきメモ・書き出し", "都道府県の方へ", "自分のデータ")
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What each tab shows needs these kinds; a tab whose kinds are missing for the
# user's own town says which files to get instead.
TAB_NEEDS: dict[int, tuple[str, ...]] = {0: ("population",), 1: ("population",), 2: ("certification",),
                                         3: ("needs_survey",), 4: ("resources", "needs_survey")}
_MAP_TAB = 5
_log = logging.getLogger(__name__)
_ROW = widgets.Layout(display="flex", flex_flow="row wrap", align_items="flex-start", grid_gap="1.5em")


def memo_key(area: str, prompt: str) -> str:
    return f"assessment/memo/{area}/{prompt}"


def _table(df: pd.DataFrame, formats: dict[str, str] | None = None, css: str = "") -> str:
    """A small HTML table: numbers formatted per column, everything escaped."""
    shown = df.copy()
    shown.columns.name = None  # a pivot's column title would add an empty header cell
    for column, spec in (formats or {}).items():
        if column in shown:
            shown[column] = shown[column].map(lambda v, spec=spec: "—" if pd.isna(v) else format(v, spec))
    return shown.to_html(index=False, escape=True, na_rep="—", border=0, classes=f"kit-table {css}".strip())


def _descendants(widget: widgets.Widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from _descendants(child)


def _nearest_year(years, today: int) -> int:
    """The latest year not after ``today``, else the first (population of 'now')."""
    past = [y for y in years if y <= today]
    return max(past) if past else min(years)


# Figures read down a column: numbers align right, the row's label stays left.
_PAGE_STYLE = ("<style>.kit-assessment .kit-table td{text-align:right}"
               ".kit-assessment .kit-table td:first-child{text-align:left}"
               ".kit-rule-badge{background:#fff6e0;color:#5a3b00;border-radius:4px;padding:1px 6px}"
               "</style>")


class AssessmentModel(traitlets.HasTraits):
    """The page's choices, and the tables derived from the loaded data."""

    area = traitlets.Unicode(vocab.WHOLE_TOWN)
    rule_set = traitlets.Unicode(risk_rules.DEFAULT_RULE_SET)
    compare = traitlets.Unicode(reference.NATION)
    metric = traitlets.Unicode(reference.METRICS[0].key)
    cert_year = traitlets.Int(0)
    need = traitlets.Unicode("閉じこもり傾向")
    kinds = traitlets.Tuple(asm.NEED_SUPPLY_PAIRS["閉じこもり傾向"])
    map_indicator = traitlets.Unicode("")
    version = traitlets.Int(0)     # bumped whenever the data change

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tables: dict[str, pd.DataFrame] = {}
        self.town = tw.Town()
        self.sources: dict[str, str] = {}   # kind → datasets.SAMPLE / UPLOAD / NATIONAL / MISSING …
        self.fingerprint = ""          # of the tables, part of every drawn chart's key
        self._cache: dict[tuple, object] = {}

    def use(self, tables: dict[str, pd.DataFrame], sources: dict[str, str], town: tw.Town = tw.Town()) -> None:
        self.tables = dict(tables)
        self.sources = dict(sources)
        self.town = town
        self.fingerprint = chart_cache.fingerprint(*(self.tables[kind] for kind in sorted(self.tables)))
        self._cache.clear()
        years = sorted(self.tables["certification"]["年"].dropna().unique())
        self.cert_year = int(years[-1]) if years else 0
        usable = [r.key for r in self.usable_rule_sets()]
        if usable and self.rule_set not in usable:
            self.rule_set = usable[0]
        if self.area not in self.area_names():
            self.area = vocab.WHOLE_TOWN
        self.version += 1

    def _cached(self, key: tuple, make: Callable[[], object]):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    # ------------------------------------------------------------ derived tables

    @property
    def town_name(self) -> str:
        if not self.town.own and self.sources.get("population") == datasets.UPLOAD:
            return tw.OWN_NAME   # the sample town's areas with the user's own population
        return self.town.shown_name

    def has(self, kind: str) -> bool:
        """Whether the town has data of ``kind`` (the sample town has every kind)."""
        return len(self.tables[kind]) > 0

    def missing(self, tab: int) -> tuple[str, ...]:
        """The kinds a tab needs that the town lacks."""
        return tuple(kind for kind in TAB_NEEDS.get(tab, ()) if not self.has(kind))

    def area_names(self) -> dict[str, str]:
        return asm.area_names(self.tables["areas"])

    def population(self) -> pd.DataFrame:
        return self._cached(("population",), lambda: asm.population_table(
            self.tables["population"], self.tables["areas"]))

    def years(self) -> tuple[int, int]:
        years = self.population()["年"]
        return int(years.min()), int(years.max())

    def ratios(self) -> pd.DataFrame:
        return self._cached(("ratios",), lambda: asm.support_ratio(self.population()))

    def certification(self) -> pd.DataFrame:
        return self._cached(("cert", self.cert_year), lambda: asm.certification_table(
            self.tables["certification"], self.tables["population"], self.tables["areas"], self.cert_year))

    def certification_trend(self) -> pd.DataFrame:
        return self._cached(("cert-trend",), lambda: asm.certification_trend(
            self.tables["certification"], self.tables["population"], self.tables["areas"]))

    def usable_rule_sets(self) -> list[risk_rules.RuleSet]:
        return self._cached(("usable",), lambda: risk_rules.usable_rule_sets(self.tables["needs_survey"]))

    def item_problems(self) -> list[str]:
        return self._cached(("problems",), lambda: risk_rules.item_problems(self.tables["needs_survey"]))

    @property
    def rules(self) -> risk_rules.RuleSet:
        return risk_rules.rule_set(self.rule_set)

    def rates(self) -> pd.DataFrame:
        return self._cached(("rates", self.rule_set), lambda: risk_rules.risk_rates(
            self.tables["needs_survey"], self.rules, self.tables["areas"]))

    def rates_by_area(self) -> pd.DataFrame:
        """Rates shown as text (* for a small denominator), a column per area, with
        the chosen area's denominators beside them."""
        def make() -> pd.DataFrame:
            rates = self.rates()
            shown = rates.assign(率=lambda d: (d["該当率"] * 100).map(lambda v: "—" if pd.isna(v) else f"{v:.1f}")
                                 + d["参考値"].map({True: " *", False: ""}))
            wide = shown.pivot_table(index="リスク", columns="地区名", values="率", aggfunc="first", sort=False)
            denominators = rates[rates["地区コード"] == self.area][["リスク", "分母", "判定不能"]].set_index("リスク")
            return wide.join(denominators.add_prefix(f"{self.area_names()[self.area]}の ")).reset_index()
        return self._cached(("rates-by-area", self.rule_set, self.area), make)

    def resource_year(self) -> int:
        return _nearest_year(sorted(self.population()["年"].unique()), date.today().year)

    def resources(self) -> pd.DataFrame:
        return self._cached(("resources",), lambda: asm.resource_table(
            self.tables["resources"], self.tables["population"], self.tables["areas"], self.resource_year()))

    def need_options(self) -> list[str]:
        """Risk domains the active rule set can judge."""
        if not self.has("needs_survey"):
            return []
        judged = self.rates().groupby("領域")["分母"].sum()
        return [d for d in vocab.RISK_FLAGS if judged.get(d, 0) > 0]

    def needs_supply(self) -> pd.DataFrame:
        return self._cached(("needs", self.rule_set, self.need, self.kinds), lambda: asm.needs_supply(
            self.rates(), self.resources(), self.need, self.kinds))

    def town_profile(self) -> pd.DataFrame:
        return self._cached(("profile",), lambda: asm.town_profile(self.population()))

    def peer_rank(self) -> reference.PeerRank:
        def make():
            town = self.town_profile()
            total = town[(town["年"] == reference.BASE_YEAR) & (town["区分"] == reference.GROUPS[0])]["人口"]
            value = reference.metric_values(town, self.metric)
            return reference.peer_rank(float(total.iloc[0]) if len(total) else float("nan"), value, self.metric,
                                       exclude=self.town.code or None)
        return self._cached(("peer", self.metric), make)

    def comparison(self) -> pd.DataFrame:
        """Rows = metrics, columns = the town, the chosen comparison and the nation."""
        def make():
            profiles = self.profiles()
            rows = []
            for metric in reference.METRICS:
                row = {"指標": metric.label}
                row.update({name: reference.metric_values(p, metric.key) for name, p in profiles.items()})
                rows.append(row)
            return pd.DataFrame(rows)
        return self._cached(("comparison", self.compare), make)

    def profiles(self) -> dict[str, pd.DataFrame]:
        profiles = {self.town_name: self.town_profile()}
        if self.compare != reference.NATION:
            profiles[reference.profile_label(self.compare)] = reference.profile(self.compare)[0]
        profiles[reference.NATION] = reference.profile(reference.NATION)[0]
        return profiles

    def compare_note(self) -> str:
        notes = [reference.profile(key)[1] for key in {self.compare, reference.NATION}]
        return "。".join(n for n in notes if n)

    # ------------------------------------------------------------ the area map

    def map_indicators(self) -> dict[str, Callable[[], pd.DataFrame]]:
        """Label → function giving 地区コード, 地区名, 値 per area, for the data the town has."""
        if not self.has("population"):
            return {}
        first, last = self.years()
        pop = self.population()

        def population(year: int, group: str, column: str) -> Callable[[], pd.DataFrame]:
            return lambda: pop[(pop["年"] == year) & (pop["年齢区分"] == group)].rename(columns={column: "値"})

        options = {
            f"高齢化率（{first}年, %）": population(first, reference.GROUPS[1], "割合"),
            f"75歳以上の割合（{last}年, %）": population(last, reference.GROUPS[2], "割合"),
            f"75歳以上の伸び（{last}年, {first}年=100）": population(last, reference.GROUPS[2], "伸び"),
            f"85歳以上の伸び（{last}年, {first}年=100）": population(last, reference.GROUPS[3], "伸び"),
            f"85歳以上1人あたりの15-64歳（{last}年）": lambda: self.ratios()[self.ratios()["年"] == last].rename(
                columns={self.ratios().columns[-1]: "値"}),
        }
        if self.has("certification"):
            options[f"要介護認定率（{self.cert_year}年, %）"] = (
                lambda: self.certification().rename(columns={"認定率": "値"}))
        if self.has("needs_survey"):
            rates = self.rates()
            for risk in dict.fromkeys(rates.loc[rates["分母"] > 0, "リスク"]):
                options[f"{risk}の該当率（%, 判定方法: {self.rules.name}）"] = (
                    lambda risk=risk: rates[rates["リスク"] == risk].assign(値=lambda d: d["該当率"] * 100))
        if self.has("resources"):
            res = self.resources()
            for kind in dict.fromkeys(res["種別"]):
                options[f"{kind}（65歳以上千人あたり）"] = (
                    lambda kind=kind: res[res["種別"] == kind].rename(columns={"千人あたり": "値"}))
        return options

    def map_values(self) -> pd.DataFrame:
        options = self.map_indicators()
        make = options.get(self.map_indicator) or next(iter(options.values()))
        values = make()
        return values[values["地区コード"] != vocab.WHOLE_TOWN][["地区コード", "地区名", "値"]]


class AssessmentScreen(Screen):
    """The assessment page; built (and its charts drawn) before the request, bound
    to a workspace by ``open``."""

    def __init__(self, store=None, warm: bool = True):
        super().__init__(store, css_class="kit-assessment", css=_PAGE_STYLE)
        self.model = AssessmentModel()
        self._drawn: dict[int, tuple] = {}     # tab → the choices it was drawn for
        self._memos: dict[str, list[tuple[widgets.Textarea, widgets.HTML]]] = {}
        self._memo_pages: dict[tuple[str, str], widgets.VBox] = {}
        self._filling = False
        self._opening = False
        self._geojson = json.loads((SAMPLE_TOWN / "areas.geojson").read_text(encoding="utf-8"))
        self._build()
        self.model.use({kind: datasets.sample(kind) for kind in DATA_KINDS}, dict.fromkeys(DATA_KINDS, datasets.SAMPLE))
        self._fill_choices()
        self.model.observe(self._on_model, names=["area", "rule_set", "compare", "metric", "cert_year",
                                                  "need", "kinds", "map_indicator", "version"])
        if warm:
            self.warm_up()

    def warm_up(self) -> None:
        """Draw every tab once while the kernel waits for a visitor (Voilà preheat).
        The charts go to the shared cache, so only a server's first kernel draws
        them; the others read them and load the chart engine only when a visitor's
        choice needs a new chart. The national boundaries are decoded here, as
        every visitor comparing a municipality needs them. The hidden tabs are then
        emptied: their images (some 450 KB) would otherwise travel to the browser
        with the page, and a tab is redrawn from the cache when it is opened.
        Every usable rule set is drawn, the default last: a visitor's first switch
        of rule set otherwise waited for its rates and charts (1.6 s on a fresh
        server, 0.1 s after)."""
        maps.warm_up()
        default = self.model.rule_set
        for rule_set in [r.key for r in self.model.usable_rule_sets() if r.key != default] + [default]:
            self.model.rule_set = rule_set
            for tab in reversed(range(len(TAB_TITLES))):
                self._tabs.selected_index = tab
        for tab, pane in enumerate(self._tabs.children):
            if tab != self._tabs.selected_index:
                self._drawn.pop(tab, None)
                for view in _descendants(pane):
                    if isinstance(view, charts.ChartView) or view is self._national:
                        view.value = ""

    # ------------------------------------------------------------ building

    def _build(self) -> None:
        style = {"description_width": "9em"}
        self._status = widgets.HTML()
        self._area = widgets.Dropdown(description="地区（圏域）", style=style)
        self._rule = widgets.Dropdown(description="リスクの判定方法", style=style,
                                      layout=widgets.Layout(width="24em"))
        self._rule_note = widgets.HTML()
        for control, trait in ((self._area, "area"), (self._rule, "rule_set")):
            control.observe(lambda change, trait=trait: self._choose(trait, change["new"]), "value")
        self._bar = widgets.VBox([widgets.HBox([self._area, self._rule], layout=_ROW), self._rule_note],
                                 layout=widgets.Layout(border="1px solid #cfd8e3", padding="0.4em"))
        self._bar.add_class("kit-assessment-bar")
        self._panes = [self._build_population(), self._build_compare(), self._build_certification(),
                       self._build_risk(), self._build_resources(), self._build_map(), self._build_memo(),
                       self._build_checklist(), self._build_data()]
        # Where a tab says which of the own town's files it still needs, in place of its content.
        self._lacking = {tab: widgets.HTML() for tab in (*TAB_NEEDS, _MAP_TAB)}
        self._tabs = widgets.Tab(children=[widgets.VBox([self._lacking[tab], pane]) if tab in self._lacking
                                           else pane for tab, pane in enumerate(self._panes)],
                                 titles=TAB_TITLES)
        self._tabs.observe(lambda _: self.render(), "selected_index")

    def _chart(self) -> charts.ChartView:
        view = charts.ChartView()
        view.add_class("kit-chart")
        return view

    def _build_population(self) -> widgets.Widget:
        self._growth, self._shares, self._support = self._chart(), self._chart(), self._chart()
        self._growth_table, self._share_table, self._support_table = widgets.HTML(), widgets.HTML(), widgets.HTML()
        self._population_notes = widgets.HTML()
        return widgets.VBox([
            widgets.HTML("<p>2040年に向けて、85歳以上が増え、支え手の15〜64歳が減ります。"
                         "選んだ地区の伸びと、地区どうしの違いを見比べましょう。</p>"),
            self._population_notes,
            widgets.HBox([self._growth, self._growth_table], layout=_ROW),
            widgets.HBox([self._shares, self._share_table], layout=_ROW),
            widgets.HBox([self._support, self._support_table], layout=_ROW),
        ])

    def _build_compare(self) -> widgets.Widget:
        style = {"description_width": "7em"}
        prefectures = reference.prefectures()
        self._prefecture = widgets.Dropdown(
            options=[(reference.NATION, "")] + list(zip(prefectures["都道府県"], prefectures["都道府県コード"])),
            description="都道府県", style=style)
        self._municipality = widgets.Dropdown(options=[("（都道府県全体）", "")], description="市区町村",
                                              style=style, layout=widgets.Layout(width="22em"))
        self._metric = widgets.Dropdown(options=[(m.label, m.key) for m in reference.METRICS],
                                        description="比べる指標", style=style, layout=widgets.Layout(width="36em"))
        self._prefecture.observe(self._on_prefecture, "value")
        self._municipality.observe(lambda _: self._on_comparison(), "value")
        self._metric.observe(lambda change: self._choose("metric", change["new"]), "value")
        self._compare_table, self._compare_note = widgets.HTML(), widgets.HTML()
        self._compare_chart, self._peer_chart = self._chart(), self._chart()
        self._peer_text, self._national = widgets.HTML(), widgets.HTML()
        self._national.add_class("kit-national")
        return widgets.VBox([
            widgets.HTML("<p>全国のどの市区町村・都道府県とも比べられます。人口が同程度の市区町村の中で、"
                         "このまちがどのあたりにいるかも分かります（国勢調査2020と社人研2018年推計）。</p>"),
            widgets.HBox([self._prefecture, self._municipality], layout=_ROW), self._metric,
            widgets.HBox([self._compare_table, self._compare_chart], layout=_ROW), self._compare_note,
            self._peer_text, widgets.HBox([self._peer_chart, self._national], layout=_ROW),
        ])

    def _build_certification(self) -> widgets.Widget:
        self._cert_year = widgets.Dropdown(description="年", style={"description_width": "3em"},
                                           layout=widgets.Layout(width="10em"))
        self._cert_year.observe(lambda change: self._choose("cert_year", change["new"]), "value")
        self._cert_chart, self._cert_table, self._cert_trend = self._chart(), widgets.HTML(), widgets.HTML()
        return widgets.VBox([
            widgets.HTML("<p>要支援1〜要介護1を<b>軽度</b>と呼びます。軽度の多い地区は、"
                         "介護予防・生活支援の取組で状態の悪化を遅らせられる余地が大きいところです。</p>"),
            self._cert_year, widgets.HBox([self._cert_chart, self._cert_table], layout=_ROW),
            widgets.HTML("<h4>認定率の推移</h4>"), self._cert_trend,
        ])

    def _build_risk(self) -> widgets.Widget:
        self._risk_chart, self._risk_table = self._chart(), widgets.HTML()
        self._risk_rules, self._risk_problems = widgets.HTML(), widgets.HTML()
        return widgets.VBox([
            widgets.HTML("<p>判定方法（上で選択）によって、同じ回答でも該当率が変わります。"
                         "率を人に見せるときは、必ず判定方法を添えましょう。</p>"),
            widgets.HBox([self._risk_chart, self._risk_table], layout=_ROW),
            self._risk_problems, self._risk_rules,
        ])

    def _build_resources(self) -> widgets.Widget:
        self._need = widgets.Dropdown(description="ニーズ（リスク）", style={"description_width": "8em"})
        self._kinds = widgets.SelectMultiple(description="資源の種別", rows=6, style={"description_width": "8em"},
                                             layout=widgets.Layout(width="24em"))
        self._need.observe(self._on_need, "value")
        self._kinds.observe(lambda change: self._choose("kinds", tuple(change["new"])), "value")
        self._resource_chart, self._resource_table = self._chart(), widgets.HTML()
        self._ns_chart, self._ns_table = self._chart(), widgets.HTML()
        return widgets.VBox([
            widgets.HTML("<p>資源の数は、地区の65歳以上千人あたりで比べます。</p>"),
            widgets.HBox([self._resource_chart, self._resource_table], layout=_ROW),
            widgets.HTML("<h4>ニーズ × 資源</h4><p>リスクの高い地区に、それに応える資源が足りているか。"
                         "「ニーズ高・資源少」の地区から話し合いを始めましょう。</p>"),
            widgets.HBox([self._need, self._kinds], layout=_ROW),
            widgets.HBox([self._ns_chart, self._ns_table], layout=_ROW),
        ])

    def _build_map(self) -> widgets.Widget:
        self._indicator = widgets.Dropdown(description="地図に塗る指標", style={"description_width": "8em"},
                                           layout=widgets.Layout(width="40em"))
        self._indicator.observe(lambda change: self._choose("map_indicator", change["new"] or ""), "value")
        self._area_map, self._map_table = self._chart(), widgets.HTML()
        return widgets.VBox([self._indicator, widgets.HBox([self._area_map, self._map_table], layout=_ROW)])

    def _build_memo(self) -> widgets.Widget:
        self._memo_box = widgets.VBox()
        self._memo_all = widgets.HTML()
        self._xlsx_button = widgets.Button(description="表とメモをExcelに書き出す", icon="download",
                                           layout=widgets.Layout(width="18em"))
        self._png_choice = widgets.Dropdown(description="図", style={"description_width": "2em"},
                                            layout=widgets.Layout(width="30em"))
        self._png_button = widgets.Button(description="PNGを作る", icon="image")
        self._xlsx_link, self._png_link = widgets.HTML(), widgets.HTML()
        self._xlsx_button.on_click(lambda _: self.export_xlsx())
        self._png_button.on_click(lambda _: self.export_png(self._png_choice.value))
        self._png_choice.options = list(self._png_charts())
        self._png_choice.value = self._png_choice.options[0]
        return widgets.VBox([
            widgets.HTML("<p>上で選んだ地区について、データから気づいたことを書き留めます。"
                         + autosave_claim("手を止めると保存されます。") + "</p>"),
            self._memo_box,
            widgets.HTML("<h4>書き出す</h4><p>Excelには、表と、全地区の気づきメモが入ります"
                         "（メモの中の氏名・電話番号などは伏せ字にします）。</p>"),
            self._xlsx_button, self._xlsx_link,
            widgets.HBox([self._png_choice, self._png_button], layout=_ROW), self._png_link,
            widgets.HTML("<h4>全地区のメモ</h4>"), self._memo_all,
        ])

    def _build_checklist(self) -> widgets.Widget:
        self.checklist = ChecklistPanel()
        return self.checklist

    def _build_data(self) -> widgets.Widget:
        self.town_picker = TownPicker()
        self._data_rows = widgets.VBox()
        return widgets.VBox([
            widgets.HTML("<h4>自分のまちを選ぶ</h4><p>市区町村を選ぶと、ファイルがなくても国勢調査（2020年）と"
                         "社人研の推計（2045年まで）で、人口と高齢化の見通しをすぐに見られます。</p>"),
            self.town_picker,
            widgets.HTML("<h4>自分のまちのファイルを読み込む</h4><p>圏域ごとの人口、要介護認定、ニーズ調査、地域資源の"
                         "CSV・Excel を読み込むと、このページの表と図がそのデータに切り替わります。"
                         "読み込めなかったときは、それまでのデータのままです。</p>"),
            self._data_rows])

    # ------------------------------------------------------------ phase 2

    def _bind(self, workspace) -> list[widgets.Widget]:
        town = tw.current(workspace)
        if any(datasets.source(workspace, kind, town) != datasets.SAMPLE for kind in DATA_KINDS):
            self._opening = True         # opening a page saves nothing
            try:
                self._use(workspace, town)   # the preheated screen shows the sample town
            finally:
                self._opening = False
        self._restore(workspace.get(SETTINGS_KEY, {}) or {})
        self.checklist.bind(workspace)
        self.town_picker.bind(workspace, lambda _town: self._reload())
        self._data_rows.children = [DataRow(kind, workspace, self._reload, check=asm.check_upload,
                                            known_areas=None if kind == "areas" else self._known_areas)
                                    for kind in ("areas", "area_map", *DATA_KINDS[1:])]
        self._fill_choices()
        self._show_memos()
        self.render()
        return [self._status, self._bar, self._tabs]

    def _use(self, workspace, town: tw.Town) -> None:
        sources = {kind: datasets.source(workspace, kind, town) for kind in DATA_KINDS}
        self.model.use({kind: datasets.for_workspace(workspace, kind, town) for kind in DATA_KINDS}, sources, town)
        if town.code and self.model.compare == reference.NATION:
            # The own town is first compared with its prefecture (the nation is always shown too).
            self.model.compare = f"P:{reference.municipalities().set_index('市区町村コード').loc[town.code, '都道府県コード']}"

    def _restore(self, saved: dict) -> None:
        """Saved choices that still make sense for the data in use."""
        self._filling = True
        try:
            names = self.model.area_names()
            usable = [r.key for r in self.model.usable_rule_sets()]
            if saved.get("area") in names:
                self.model.area = saved["area"]
            if saved.get("rule_set") in usable:
                self.model.rule_set = saved["rule_set"]
            if saved.get("metric") in {m.key for m in reference.METRICS}:
                self.model.metric = saved["metric"]
            if "compare" in saved:      # else keep the default _use chose (an own town's prefecture)
                try:
                    reference.profile_label(saved["compare"])
                    self.model.compare = saved["compare"]
                except (KeyError, ValueError):
                    pass
        finally:
            self._filling = False

    def _save_settings(self) -> None:
        if self.workspace is None or self._filling or self._opening:
            return
        settings = {"area": self.model.area, "rule_set": self.model.rule_set,
                    "compare": self.model.compare, "metric": self.model.metric}
        try:
            self.workspace.put(SETTINGS_KEY, settings)
        except StoreError as error:
            self._status.value = message("error", f"選択を保存できませんでした（{error}）")

    # ------------------------------------------------------------ choices

    def _choose(self, trait: str, value) -> None:
        if self._filling or value is None:
            return
        setattr(self.model, trait, value)

    def _fill_choices(self) -> None:
        """Put the model's options and values into the controls, without echoing back."""
        model = self.model
        self._filling = True
        try:
            names = model.area_names()
            self._area.options = [(name if code == vocab.WHOLE_TOWN else f"{code} {name}", code)
                                  for code, name in names.items()]
            self._area.value = model.area
            self._rule.options = [(r.name, r.key) for r in model.usable_rule_sets()]
            self._rule.value = model.rule_set if model.rule_set in [r.key for r in model.usable_rule_sets()] else None
            years = sorted(int(y) for y in model.tables["certification"]["年"].dropna().unique())
            self._cert_year.options = [(f"{y}年", y) for y in years]
            self._cert_year.value = model.cert_year or None
            self._metric.value = model.metric
            self._fill_comparison()
            self._fill_needs()
            self._fill_indicators()
        finally:
            self._filling = False
        surveyed = self.model.has("needs_survey")
        self._rule.layout.display = None if surveyed else "none"
        self._rule_note.value = self._rule_badge() if surveyed else ""

    def _fill_comparison(self) -> None:
        key = self.model.compare
        prefecture = "" if key == reference.NATION else (key[2:] if key.startswith("P:") else
                                                        reference.municipalities().set_index("市区町村コード")
                                                        .loc[key[2:], "都道府県コード"])
        self._prefecture.value = prefecture
        self._fill_municipalities(prefecture)
        self._municipality.value = key[2:] if key.startswith("M:") else ""

    def _fill_municipalities(self, prefecture: str) -> None:
        options = [("（都道府県全体）", "")]
        if prefecture:
            rows = reference.municipalities_of(prefecture)
            options += list(zip(rows["市区町村名"], rows["市区町村コード"]))
        self._municipality.options = options

    def _fill_needs(self) -> None:
        needs = self.model.need_options()
        self._need.options = needs
        if self.model.need not in needs and needs:
            self.model.need = needs[0]
            self.model.kinds = asm.NEED_SUPPLY_PAIRS[needs[0]]
        self._need.value = self.model.need if needs else None
        kinds = list(dict.fromkeys(self.model.tables["resources"]["種別"]))
        self._kinds.options = kinds
        self._kinds.value = tuple(k for k in self.model.kinds if k in kinds)

    def _fill_indicators(self) -> None:
        options = list(self.model.map_indicators())
        self._indicator.options = options
        if self.model.map_indicator not in options and options:
            self.model.map_indicator = options[0]
        self._indicator.value = self.model.map_indicator if options else None

    def _on_prefecture(self, change) -> None:
        if self._filling:
            return
        self._filling = True
        try:
            self._fill_municipalities(change["new"])
            self._municipality.value = ""
        finally:
            self._filling = False
        self._on_comparison()

    def _on_comparison(self) -> None:
        if self._filling:
            return
        prefecture, code = self._prefecture.value, self._municipality.value
        self.model.compare = f"M:{code}" if code else (f"P:{prefecture}" if prefecture else reference.NATION)

    def _on_need(self, change) -> None:
        """A new need brings its default resource kinds; both change before one drawing."""
        if self._filling or not change["new"]:
            return
        kinds = tuple(k for k in asm.NEED_SUPPLY_PAIRS[change["new"]] if k in self._kinds.options)
        self._filling = True
        try:
            self._kinds.value = kinds
        finally:
            self._filling = False
        with self.model.hold_trait_notifications():
            self.model.need = change["new"]
            self.model.kinds = kinds

    def _on_model(self, change) -> None:
        if change["name"] in ("version", "rule_set", "cert_year"):
            self._fill_choices()
        if change["name"] == "area":
            self._show_memos()
        self._save_settings()
        self.render()

    def _rule_badge(self) -> str:
        rules = self.model.rules
        return (f'<span class="kit-rule-badge">判定方法: {html.escape(rules.name)}</span> '
                f'<small>{html.escape(rules.source)}。無回答で判定できない人は分母から除きます。</small>')

    # ------------------------------------------------------------ drawing

    def _draw(self, view: charts.ChartView, parts: tuple, make: Callable[[], alt.TopLevelMixin]) -> None:
        """Show a chart, drawn only the first time these choices and data are seen."""
        view.value = chart_cache.svg((*parts, self.model.fingerprint), make)

    def _state(self, tab: int) -> tuple:
        m = self.model
        return {0: (m.version, m.area), 1: (m.version, m.compare, m.metric),
                2: (m.version, m.area, m.cert_year), 3: (m.version, m.area, m.rule_set),
                4: (m.version, m.area, m.rule_set, m.need, m.kinds),
                5: (m.version, m.area, m.rule_set, m.map_indicator, m.cert_year),
                6: (m.version, m.area)}.get(tab, ())

    def render(self) -> None:
        """Draw the visible tab if the choices changed since it was last drawn."""
        tab = self._tabs.selected_index or 0
        state = self._state(tab)
        if self._drawn.get(tab) == state:
            return
        renderers = {0: self._render_population, 1: self._render_compare, 2: self._render_certification,
                     3: self._render_risk, 4: self._render_resources, 5: self._render_map, 6: self._render_memo}
        if tab not in renderers:
            return
        if tab in self._lacking:
            lacking = self._lacking_html(tab)
            self._lacking[tab].value = lacking
            self._panes[tab].layout.display = "none" if lacking else None
            if lacking:
                self._drawn[tab] = state
                return
        try:
            renderers[tab]()
        except Exception:  # a page shows a sentence, never exception text; the log keeps the cause
            _log.exception("tab %s could not be drawn", tab)
            self._status.value = message("error", f"「{TAB_TITLES[tab]}」を表示できませんでした。読み込んだファイルどうしが"
                                                  "合っているか（地区コード・年）を「自分のデータ」タブで確かめてください。")
            return
        self._drawn[tab] = state

    def _lacking_html(self, tab: int) -> str:
        """What stands in for a tab's content when the town lacks its data ("" if none)."""
        m = self.model
        if tab == _MAP_TAB:
            if m.town.sample or not m.has("population"):
                return "" if m.town.sample else self._lacking_html(0)
            return message("info", f"{m.town_name}の地区の境界（地図のデータ）はキットにないため、地区の地図は描けません。"
                                   "「全国と比べる」タブの全国の地図では、このまちの位置と値を見られます。")
        missing = m.missing(tab)
        if not missing or self.workspace is None:
            return ""
        return missing_data_html(missing, m.town, self.workspace, "「自分のデータ」タブで読み込めます。")

    def _render_population(self) -> None:
        m = self.model
        notes = (reference.town_tables(m.town.code, m.town.use_wards).notes
                 if m.sources.get("population") == datasets.NATIONAL else ())
        self._population_notes.value = "".join(f"<div><small>{html.escape(note)}</small></div>" for note in notes)
        pop = m.population()
        first, last = m.years()
        self._draw(self._growth, ("growth",), lambda: ac.growth_chart(pop))
        rows = pop[pop["地区コード"] == m.area].pivot_table(index="年", columns="年齢区分", values="人口",
                                                            sort=False).reset_index()
        self._growth_table.value = (f"<b>{html.escape(m.area_names()[m.area])}の人口</b>"
                                    + _table(rows, {c: ",.0f" for c in asm.AGE_GROUP_ORDER}))
        self._draw(self._shares, ("shares",), lambda: ac.share_chart(pop, (first, last)))
        shares = pop[pop["年"].isin((first, last)) & pop["年齢区分"].isin(asm.AGE_GROUP_ORDER[2:])].pivot_table(
            index="地区名", columns=["年齢区分", "年"], values="割合", sort=False)
        shares.columns = [f"{g} {y}年" for g, y in shares.columns]
        self._share_table.value = "<b>割合（%）</b>" + _table(shares.reset_index(), {c: ".1f" for c in shares.columns})
        ratios = m.ratios()
        self._draw(self._support, ("support",), lambda: ac.support_chart(ratios))
        wide = ratios.pivot_table(index="地区名", columns="年", values=ratios.columns[-1], sort=False)
        wide.columns = [f"{y}年" for y in wide.columns]
        self._support_table.value = ("<b>85歳以上1人あたりの15-64歳（人）</b>"
                                     + _table(wide.reset_index(), {c: ".1f" for c in wide.columns}))

    def _render_compare(self) -> None:
        m = self.model
        table = m.comparison()
        self._compare_table.value = "<b>比べる（割合は%）</b>" + _table(table, {c: ".1f" for c in table.columns[1:]})
        note = m.compare_note()
        self._compare_note.value = f"<small>{html.escape(note)}</small>" if note else ""
        metric = next(x for x in reference.METRICS if x.key == m.metric)
        group = metric.group
        self._draw(self._compare_chart, ("compare", m.compare, group),
                   lambda: ac.compare_chart(m.profiles(), group))
        rank = m.peer_rank()
        self._peer_text.value = message("info", f"{m.town_name}: {rank.sentence}")
        self._draw(self._peer_chart, ("peer", m.metric, m.town_name), lambda: ac.peer_chart(rank, m.town_name))
        self._national.value = self._national_map()

    def _national_map(self) -> str:
        m = self.model
        metric = next(x for x in reference.METRICS if x.key == m.metric)
        code = m.compare[2:] if m.compare.startswith("M:") else (m.town.code or None)
        midpoint = 100.0 if metric.kind == "growth" else None
        return (f"<b>全国の市区町村: {html.escape(metric.label)}</b>"
                + maps.national_map_html(reference.indicators(), metric.key, metric.label, code, midpoint)
                + "<small>灰色は推計のない市町村（福島県）。選んだ市区町村（選んでいなければ自分のまち）を"
                  "黒い線で囲んでいます。</small>")

    def _render_certification(self) -> None:
        m = self.model
        table = m.certification()
        self._draw(self._cert_chart, ("cert", m.cert_year), lambda: ac.certification_chart(table))
        shown = table[["地区名", *vocab.CERT_LEVELS, "認定者数", "分母", "分母の種類", "認定率", "軽度", "軽度の割合"]]
        self._cert_table.value = ("<b>認定者数（人）と認定率・軽度の割合（%）</b>"
                                  + _table(shown, {"分母": ",.0f", "認定率": ".1f", "軽度の割合": ".1f"}))
        trend = m.certification_trend().pivot_table(index="地区名", columns="年", values="認定率", sort=False)
        trend.columns = [f"{y}年" for y in trend.columns]
        self._cert_trend.value = "認定率（%）" + _table(trend.reset_index(), {c: ".1f" for c in trend.columns})

    def _render_risk(self) -> None:
        m = self.model
        rates, rules = m.rates(), m.rules
        self._draw(self._risk_chart, ("risk", m.rule_set), lambda: ac.risk_chart(rates, rules.name))
        self._risk_table.value = (f'<b>該当率（%）</b> <span class="kit-rule-badge">判定方法: '
                                  f'{html.escape(rules.name)}</span>' + _table(m.rates_by_area())
                                  + "<small>* 分母（判定できた回答者）が30人未満の参考値。"
                                    "判定不能: 無回答のため該当・非該当が決まらない人。</small>")
        missing = risk_rules.missing_columns(m.tables["needs_survey"], rules)
        problems = [] if rules.ready_flags else m.item_problems()
        notes = []
        if missing:
            notes.append(message("warning", f"この調査には次の項目がないため、一部のリスクは判定できません: {'、'.join(missing)}"))
        if problems:
            notes.append(message("warning", f"読めない回答が{len(problems)}件あり、無回答として扱いました（例: {problems[0]}）"))
        self._risk_problems.value = "".join(notes)
        self._risk_rules.value = ("<details><summary>この判定方法の項目と基準</summary>"
                                  + _table(risk_rules.describe(rules)) + "</details>")

    def _render_resources(self) -> None:
        m = self.model
        res = m.resources()
        self._draw(self._resource_chart, ("resources",), lambda: ac.resource_chart(res))
        wide = res.pivot_table(index="地区名", columns="種別", values="件数", sort=False)
        self._resource_table.value = (f"<b>件数</b>（65歳以上人口は{m.resource_year()}年）"
                                      + _table(wide.reset_index(), {c: ".0f" for c in wide.columns}))
        if not m.need or not m.kinds:
            self._ns_chart.value = ""
            self._ns_table.value = message("info", "ニーズと資源の種別を選んでください。")
            return
        table = m.needs_supply()
        self._draw(self._ns_chart, ("needs", m.rule_set, m.need, m.kinds),
                   lambda: ac.needs_supply_chart(table, m.rules.name))
        self._ns_table.value = (f'<span class="kit-rule-badge">判定方法: {html.escape(m.rules.name)}</span>'
                                + _table(table[["地区名", "該当率", "分母", "件数", "千人あたり", "見立て"]],
                                         {"該当率": ".1f", "千人あたり": ".2f"}))

    def _render_map(self) -> None:
        m = self.model
        values = m.map_values()
        label = m.map_indicator
        self._draw(self._area_map, ("map", label), lambda: maps.area_map(self._geojson, values, "値", label))
        self._map_table.value = _table(values[["地区名", "値"]].rename(columns={"値": label}), {label: ".1f"})
        known = {f["properties"].get("地区コード") for f in self._geojson["features"]}
        if not set(values["地区コード"]) <= known:
            self._map_table.value += message("warning", "地図の境界は見本のまちのものです。読み込んだ地区の境界はないため、"
                                                        "地図には色が付きません。")

    # ------------------------------------------------------------ memos

    def _memo_widgets(self, area: str) -> list[SyncedText]:
        if area not in self._memos:
            memos = []
            for key, _heading, placeholder in MEMO_PROMPTS:
                text = widgets.Textarea(placeholder=placeholder, layout=widgets.Layout(width="100%", height="4.5em"))
                text.add_class(f"kit-memo-{key}")
                memos.append(SyncedText(text, Slot(self.workspace, memo_key(area, key)), sync=self.sync,
                                        on_saved=lambda _text: self._drawn.pop(6, None)))
            self._memos[area] = memos
        return self._memos[area]

    def _show_memos(self) -> None:
        if self.workspace is None:
            return
        area = self.model.area
        name = self.model.area_names()[area]
        if (area, name) not in self._memo_pages:
            # The heading travels with the area's text boxes in one widget, so the page
            # never shows one area's name above another area's memo.
            rows = [widgets.HTML(f"<h4>気づきメモ: {html.escape(name)}</h4>")]
            for (_key, heading, _placeholder), memo in zip(MEMO_PROMPTS, self._memo_widgets(area)):
                rows += [widgets.HTML(f"<b>{html.escape(heading)}</b>"), *memo.widgets]
            self._memo_pages[area, name] = widgets.VBox(rows)
        self._memo_box.children = [self._memo_pages[area, name]]

    def memo_table(self) -> pd.DataFrame:
        rows = []
        for code, name in self.model.area_names().items():
            texts = {heading: (self.workspace.get(memo_key(code, key), "") if self.workspace else "")
                     for key, heading, _ in MEMO_PROMPTS}
            if any(texts.values()):
                rows.append({"地区コード": code, "地区名": name, **texts})
        return pd.DataFrame(rows, columns=["地区コード", "地区名", *(h for _, h, _ in MEMO_PROMPTS)])

    def _render_memo(self) -> None:
        memos = self.memo_table()
        self._memo_all.value = (_table(memos.drop(columns="地区コード")) if len(memos)
                                else "<p>まだメモはありません。</p>")

    # ------------------------------------------------------------ exports

    def export_tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the page, as the Excel export carries them."""
        m = self.model
        memos, _report = mask_table(self.memo_table(), [h for _, h, _ in MEMO_PROMPTS])
        sheets = {
            "人口": m.population(),
            "85歳以上と15-64歳": m.ratios(),
            "要介護認定": m.certification_trend(),
            f"リスク該当率({m.rules.name})": m.rates().assign(該当率=lambda d: d["該当率"] * 100),
            "判定方法": risk_rules.describe(m.rules),
            "地域資源": m.resources(),
            "全国との比較": m.comparison(),
            "気づきメモ": memos,
        }
        if m.need and m.kinds:
            sheets["ニーズ×資源"] = m.needs_supply()
        return sheets

    def export_xlsx(self) -> bytes:
        data = to_xlsx(self.export_tables())
        name = export_filename("地域診断", "xlsx", date.today())
        self._xlsx_link.value = download_link(data, name, f"{name} を保存", _XLSX)
        return data

    def _png_charts(self) -> dict[str, Callable[[], tuple[alt.TopLevelMixin, dict | None]]]:
        """Charts offered as PNG; with an area chosen, it is drawn strong."""
        m = self.model
        code = None if m.area == vocab.WHOLE_TOWN else m.area

        def plain(make):
            return lambda: (make(), None)

        def metric() -> reference.Metric:
            return next(x for x in reference.METRICS if x.key == m.metric)

        def national():
            compared = m.compare[2:] if m.compare.startswith("M:") else (m.town.code or None)
            return maps.national_map(reference.indicators(), metric().key, compared, metric().label,
                                     100.0 if metric().kind == "growth" else None)

        return {
            "人口の伸び": plain(lambda: ac.growth_chart(m.population(), code)),
            "高齢者の割合": plain(lambda: ac.share_chart(m.population(), m.years(), code)),
            "85歳以上1人を支える人数": plain(lambda: ac.support_chart(m.ratios(), code)),
            "全国との比較": plain(lambda: ac.compare_chart(m.profiles(), metric().group)),
            "同規模の市区町村の中で": plain(lambda: ac.peer_chart(m.peer_rank(), m.town_name)),
            "全国の地図": national,
            "要介護認定率": plain(lambda: ac.certification_chart(m.certification(), code)),
            "リスク該当率": plain(lambda: ac.risk_chart(m.rates(), m.rules.name, code)),
            "地域資源": plain(lambda: ac.resource_chart(m.resources(), code)),
            "ニーズ×資源": plain(lambda: ac.needs_supply_chart(m.needs_supply(), m.rules.name, code)),
            "地区の地図": plain(lambda: maps.area_map(self._geojson, m.map_values(), "値", m.map_indicator, code)),
        }

    def export_png(self, name: str) -> bytes:
        chart, datasets_ = self._png_charts()[name]()
        data = charts.to_png(chart, datasets=datasets_)
        filename = export_filename(f"地域診断_{name}", "png", date.today())
        self._png_link.value = download_link(data, filename, f"{filename} を保存", "image/png")
        return data

    # ------------------------------------------------------------ own data

    def _known_areas(self) -> list[str]:
        return list(self.model.tables["areas"]["地区コード"])

    def use_upload(self, kind: str, table: pd.DataFrame) -> None:
        """Adopt an uploaded table, or raise ValueError (Japanese) and keep the old one."""
        asm.check_upload(kind, table)
        datasets.put_upload(self.workspace, kind, table)
        self._reload()

    def _reload(self) -> None:
        """Read the workspace's town and files again, after a choice or an upload."""
        town = tw.current(self.workspace)
        self._drawn.clear()
        self._use(self.workspace, town)
        for row in self._data_rows.children:
            row.refresh()
        found = self._mismatch.show(self.workspace)
        self._town_line.value = town_line(town)
        self._fill_choices()
        self._show_memos()
        self._status.value = message("warning" if found else "ok", f"データを切り替えました（{town.label}）。"
                                     + ("読み込んだファイルのうち、地区の一覧と合わないものは使っていません（「自分のデータ」タブ）。"
                                        if found else ""))
        self.render()

    _data_fixed = _reload
