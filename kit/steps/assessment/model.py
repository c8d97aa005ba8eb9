"""The 地域診断 step's state: the page's choices and the tables derived from the
data in use, its store keys, its saving, and what it hands on (the 気づきメモ).

:class:`AssessmentModel` holds the user's choices (area, risk rule set,
comparison, …) as traits and derives every table from them, cached. Bound to a
workspace, it reads the workspace's town and files, restores the choices and
saves each change of them; uploads go to the workspace through
:mod:`kit.datasets`; the 気づきメモ are saved by the page's text boxes under
:func:`memo_key`. :class:`ChecklistModel` is the prefectural checklist: the form
of one municipality and the table of many. Neither knows a widget.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date

import pandas as pd
import traitlets

from kit import chart_cache, datasets, reference, vocab
from kit import town as tw
from kit.export import to_xlsx
from kit.masking import mask_table
from kit.paths import SAMPLE_TOWN
from kit.steps import StepProgress, area_names, masked_text, step_progress
from kit.steps.assessment import checklist as cl
from kit.steps.assessment import domain as asm
from kit.steps.assessment import risk_rules
from kit.store import StoreError

__all__ = ["SETTINGS_KEY", "MEMO_PREFIX", "CHECKLIST_KEY", "MEMO_PROMPTS", "DATA_KINDS", "PREFIXES",
           "memo_key", "memo_areas", "progress", "compare_key", "AssessmentModel", "ChecklistModel"]

SETTINGS_KEY = "assessment/settings"
MEMO_PREFIX = "assessment/memo/"
CHECKLIST_KEY = "assessment/checklist"
# Kinds this step reads, in the order its data tab offers them.
DATA_KINDS: tuple[str, ...] = ("areas", "population", "certification", "needs_survey", "resources")
# 気づきメモ: (key, heading, placeholder that guides the writing).
MEMO_PROMPTS: tuple[tuple[str, str, str], ...] = (
    ("notice", "目立つこと", "例: 桜台は2040年に85歳以上が今の2.5倍。閉じこもり傾向の割合も市全体より高い"),
    ("why", "考えられる理由", "例: 1970年代に同じ世代が一斉に入居したニュータウン。坂が多く、通いの場が少ない"),
    ("next", "次に確かめること", "例: 地域ケア会議の事例で外出の困りごとを数える。自治会に集会所の使い方を聞く"),
)
# Uploads of the town's data belong to the diagnosis.
PREFIXES: tuple[str, ...] = ("assessment/", *(f"data/{kind}" for kind in DATA_KINDS))
# The choices kept in the workspace (SETTINGS_KEY), so a reload shows the same view.
SETTINGS: tuple[str, ...] = ("area", "rule_set", "compare", "metric")


def memo_key(area: str, prompt: str) -> str:
    return f"{MEMO_PREFIX}{area}/{prompt}"


def memo_areas(workspace) -> set[str]:
    """The areas with a 気づきメモ written."""
    return {key[len(MEMO_PREFIX):].split("/")[0] for key, text in workspace.items(MEMO_PREFIX)
            if isinstance(text, str) and text.strip()}


def progress(workspace) -> StepProgress:
    areas = memo_areas(workspace)
    return step_progress(workspace, PREFIXES, bool(areas), f"メモ {len(areas)}圏域")


def compare_key(prefecture: str, municipality: str) -> str:
    """The comparison a prefecture and municipality choice names ("" for none)."""
    return f"M:{municipality}" if municipality else (f"P:{prefecture}" if prefecture else reference.NATION)


def _nearest_year(years, today: int) -> int:
    """The latest year not after ``today``, else the first (population of 'now')."""
    past = [y for y in years if y <= today]
    return max(past) if past else min(years)


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
    version = traitlets.Int(0)        # bumped whenever the data change
    save_error = traitlets.Unicode("")  # why the last save of the choices failed; "" after one succeeds

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tables: dict[str, pd.DataFrame] = {}
        self.town = tw.Town()
        self.sources: dict[str, str] = {}   # kind → datasets.SAMPLE / UPLOAD / NATIONAL / MISSING …
        self.fingerprint = ""          # of the tables, part of every drawn chart's key
        self.workspace = None          # set once the saved choices are restored: from then on, changes save
        self.geojson = json.loads((SAMPLE_TOWN / "areas.geojson").read_text(encoding="utf-8"))
        self._cache: dict[tuple, object] = {}
        self.observe(self._save_choices, names=list(SETTINGS))

    # ------------------------------------------------------------ data in use

    def use_sample(self) -> None:
        self.use({kind: datasets.sample(kind) for kind in DATA_KINDS}, dict.fromkeys(DATA_KINDS, datasets.SAMPLE))

    def use(self, tables: dict[str, pd.DataFrame], sources: dict[str, str], town: tw.Town = tw.Town()) -> None:
        """Show these tables; choices the new data cannot honour fall back. Observers
        hear of the changes once the data and the choices agree again."""
        with self.hold_trait_notifications():
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

    def bind(self, workspace) -> None:
        """Read the workspace's town and files (the preheated page shows the sample
        town) and its saved choices; from then on every change of them is saved."""
        town = tw.current(workspace)
        if any(datasets.source(workspace, kind, town) != datasets.SAMPLE for kind in DATA_KINDS):
            self._read(workspace, town)
        self._restore(workspace.get(SETTINGS_KEY, {}) or {})
        self.workspace = workspace

    def reload(self) -> tw.Town:
        """Read the workspace's town and files again, after a choice or an upload."""
        town = tw.current(self.workspace)
        self._read(self.workspace, town)
        return town

    def add_upload(self, kind: str, table: pd.DataFrame) -> None:
        """Store an uploaded table in the workspace, or raise ValueError (Japanese) and
        store nothing; :meth:`reload` then shows it."""
        asm.check_upload(kind, table)
        datasets.put_upload(self.workspace, kind, table)

    def _read(self, workspace, town: tw.Town) -> None:
        sources = {kind: datasets.source(workspace, kind, town) for kind in DATA_KINDS}
        self.use({kind: datasets.for_workspace(workspace, kind, town) for kind in DATA_KINDS}, sources, town)
        if town.code and self.compare == reference.NATION:
            # The own town is first compared with its prefecture (the nation is always shown too).
            self.compare = f"P:{reference.municipalities().set_index('市区町村コード').loc[town.code, '都道府県コード']}"

    # ------------------------------------------------------------ choices

    @property
    def settings(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in SETTINGS}

    def _restore(self, saved: dict) -> None:
        """Saved choices that still make sense for the data in use."""
        with self.hold_trait_notifications():
            if saved.get("area") in self.area_names():
                self.area = saved["area"]
            if saved.get("rule_set") in [r.key for r in self.usable_rule_sets()]:
                self.rule_set = saved["rule_set"]
            if saved.get("metric") in {m.key for m in reference.METRICS}:
                self.metric = saved["metric"]
            try:
                reference.profile_label(saved["compare"])
                self.compare = saved["compare"]
            except (KeyError, ValueError):   # none saved (an own town starts with its prefecture), or unknown
                pass

    def _save_choices(self, change) -> None:
        if self.workspace is None or change["old"] == change["new"]:
            return
        try:
            self.workspace.put(SETTINGS_KEY, self.settings)
        except StoreError as error:
            self.save_error = f"選択を保存できませんでした（{error}）"
        else:
            self.save_error = ""

    @traitlets.observe("version", "rule_set", "cert_year")
    def _settle(self, _change) -> None:
        """A need the rule set cannot judge, or a map indicator the data lack, gives
        way to the first there is."""
        needs = self.need_options()
        if needs and self.need not in needs:
            self.choose_need(needs[0])
        indicators = list(self.map_indicators())
        if indicators and self.map_indicator not in indicators:
            self.map_indicator = indicators[0]

    def choose_need(self, need: str) -> None:
        """A need, with the resource kinds that answer it; both change before one drawing."""
        with self.hold_trait_notifications():
            self.need = need
            self.kinds = tuple(k for k in asm.NEED_SUPPLY_PAIRS[need] if k in self.resource_kinds())

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

    def missing(self, kinds: tuple[str, ...]) -> tuple[str, ...]:
        """Those of ``kinds`` the town lacks."""
        return tuple(kind for kind in kinds if not self.has(kind))

    def area_names(self) -> dict[str, str]:
        return asm.area_names(self.tables["areas"])

    def cert_years(self) -> list[int]:
        return sorted(int(y) for y in self.tables["certification"]["年"].dropna().unique())

    def resource_kinds(self) -> list[str]:
        return list(dict.fromkeys(self.tables["resources"]["種別"]))

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

    # ------------------------------------------------------------ beside Japan

    @property
    def metric_spec(self) -> reference.Metric:
        return next(x for x in reference.METRICS if x.key == self.metric)

    def compared_place(self) -> tuple[str, str]:
        """(prefecture code, municipality code) of the comparison, "" where none."""
        if self.compare == reference.NATION:
            return "", ""
        if self.compare.startswith("P:"):
            return self.compare[2:], ""
        code = self.compare[2:]
        return reference.municipalities().set_index("市区町村コード").loc[code, "都道府県コード"], code

    def marked_municipality(self) -> str | None:
        """The municipality the national map outlines: the one compared, else the town."""
        return self.compare[2:] if self.compare.startswith("M:") else (self.town.code or None)

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

    def map_covers(self, values: pd.DataFrame) -> bool:
        """Whether the map's boundaries (the sample town's) have every area of ``values``."""
        known = {f["properties"].get("地区コード") for f in self.geojson["features"]}
        return set(values["地区コード"]) <= known

    # ------------------------------------------------------------ memos and the export

    def memo_table(self) -> pd.DataFrame:
        """The 気づきメモ of every area that has one."""
        rows = []
        for code, name in self.area_names().items():
            texts = {heading: (self.workspace.get(memo_key(code, key), "") if self.workspace else "")
                     for key, heading, _ in MEMO_PROMPTS}
            if any(texts.values()):
                rows.append({"地区コード": code, "地区名": name, **texts})
        return pd.DataFrame(rows, columns=["地区コード", "地区名", *(h for _, h, _ in MEMO_PROMPTS)])

    def export_tables(self) -> dict[str, pd.DataFrame]:
        """Every table of the page, as the Excel export carries them (memos masked)."""
        memos, _report = mask_table(self.memo_table(), [h for _, h, _ in MEMO_PROMPTS])
        sheets = {
            "人口": self.population(),
            "85歳以上と15-64歳": self.ratios(),
            "要介護認定": self.certification_trend(),
            f"リスク該当率({self.rules.name})": self.rates().assign(該当率=lambda d: d["該当率"] * 100),
            "判定方法": risk_rules.describe(self.rules),
            "地域資源": self.resources(),
            "全国との比較": self.comparison(),
            "気づきメモ": memos,
        }
        if self.need and self.kinds:
            sheets["ニーズ×資源"] = self.needs_supply()
        return sheets

    def export_xlsx(self) -> bytes:
        return to_xlsx(self.export_tables())


class ChecklistModel(traitlets.HasTraits):
    """For prefectural staff: the municipal checklist of seed 002 for one
    municipality (the form), and the table of many, kept in the workspace under
    ``CHECKLIST_KEY`` with its free text masked."""

    name = traitlets.Unicode("")
    q1 = traitlets.Tuple((None, None, None))   # 「はい」 True, 「いいえ」 False, unanswered None
    q2 = traitlets.Unicode("")
    q3 = traitlets.Tuple()
    q4 = traitlets.Tuple()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.workspace = None
        self.table = pd.DataFrame(columns=list(cl.COLUMNS))

    @traitlets.validate("q1")
    def _flowchart(self, proposal) -> tuple:
        """A step is asked only after a 「はい」 to the one before: the later ones lose their answer."""
        answers, asked = [], True
        for value in proposal["value"]:
            answers.append(value if asked else None)
            asked = asked and value is True
        return tuple(answers)

    @property
    def asked(self) -> int:
        """How many Q1 steps the form asks now."""
        return min(len(cl.Q1_STEPS), 1 + next((i for i, v in enumerate(self.q1) if v is not True), len(self.q1)))

    @property
    def answers(self) -> cl.Answers:
        return cl.Answers(self.q1, self.q2.strip(), self.q3, self.q4)

    def bind(self, workspace) -> None:
        self.workspace = workspace
        saved = workspace.get_table(CHECKLIST_KEY)
        self.table = saved if saved is not None else pd.DataFrame(columns=list(cl.COLUMNS))

    def save(self, table: pd.DataFrame) -> pd.DataFrame:
        """Store ``table`` with its Q2 masked, and keep it; returns what was masked
        (the masking report). Raises StoreError or MaskingUnavailable and keeps the
        table as it was."""
        masked, report = mask_table(table.reset_index(drop=True), ["Q2"], id_column="市町村名")
        if self.workspace is not None:
            self.workspace.put_table(CHECKLIST_KEY, masked)
        self.table = masked
        return report

    def add_current(self) -> pd.DataFrame:
        """Add the form's municipality, replacing one of the same name (see :meth:`save`)."""
        name = self.name.strip()
        answers = self.answers
        row = {"市町村名": name, "Q2": answers.q2, "Q3": ";".join(answers.q3), "Q4": ";".join(answers.q4)}
        row.update({step.key: {True: cl.YES, False: cl.NO, None: ""}[value]
                    for step, value in zip(cl.Q1_STEPS, answers.q1)})
        kept = self.table[self.table["市町村名"] != name]
        return self.save(pd.concat([kept, pd.DataFrame([row], columns=list(cl.COLUMNS))], ignore_index=True))

    def classified(self) -> pd.DataFrame:
        return cl.classify_table(self.table)

    def export_xlsx(self) -> bytes:
        """The classification as .xlsx; free text is masked for personal data."""
        classified, _report = mask_table(self.classified(), ["Q2 自由記述"])
        return to_xlsx({"分類": classified, "区分ごと": cl.class_summary(classified)})


def gallery(workspace) -> None:
    """The 気づきメモ stay with the team: the gallery shows the steps that follow."""
    return None


def export_sheets(workspaces) -> dict:
    """気づきメモ: one row per area and prompt written, for every team."""
    headings = {key: heading for key, heading, _ in MEMO_PROMPTS}
    rows = []
    for ws in workspaces:
        names = area_names(ws)
        for key, text in ws.items(MEMO_PREFIX):
            area, _, prompt = key[len(MEMO_PREFIX):].partition("/")
            if isinstance(text, str) and text.strip():
                rows.append({"チーム": ws.team, "地区": names.get(area, area),
                             "観点": headings.get(prompt, prompt), "メモ": masked_text(text)})
    return {"気づきメモ": pd.DataFrame(rows, columns=["チーム", "地区", "観点", "メモ"])}
