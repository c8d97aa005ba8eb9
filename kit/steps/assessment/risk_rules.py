"""The registry of risk rule sets for ニーズ調査, and the rates they give per area.

Public definitions of the same risk differ between sources (the ニーズ調査 手引き
and the 基本チェックリスト count different items with different thresholds), so a
rate is only meaningful next to the rule that produced it. Each ``RuleSet`` here
states its items, thresholds and source; the screens show its name beside every
rate, and switching the set recomputes everything.

Three sets are registered:

- ``needs``: 厚生労働省「介護予防・日常生活圏域ニーズ調査 実施の手引き」(第8期) 評価,
  from ``survey_items.NEEDS_RULES``;
- ``checklist``: 厚生労働省「基本チェックリスト」の事業対象者の基準, from
  ``survey_items.CHECKLIST_RULES`` (items answered by the ニーズ調査 and the
  オプション項目 ``基本(n)``);
- ``flags``: ready-made 1/0 (該当/非該当) columns a municipality already computed,
  whose own definition the kit cannot know.

Non-response (the kit's reading, stated on screen): a respondent is counted as
該当 when enough answered items already reach the threshold, as 非該当 when even
counting every unanswered item would not reach it, and is otherwise 判定不能 and
left out of the denominator. An answer that is neither a code nor a label of the
調査票 counts as unanswered and is listed by :func:`item_problems`.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from kit import vocab
from kit.io.normalize import normalize_header, normalize_text, parse_number
from kit.steps.assessment import survey_items as si

__all__ = [
    "MIN_RESPONDENTS",
    "Criterion",
    "RiskRule",
    "RuleSet",
    "RULE_SETS",
    "DEFAULT_RULE_SET",
    "rule_set",
    "item_columns",
    "missing_columns",
    "usable_rule_sets",
    "item_problems",
    "judge",
    "risk_rates",
    "describe",
]

# Rates from fewer judged respondents than this are marked 参考値.
MIN_RESPONDENTS = 30

# Plausible body size; outside these the answer is taken as a typing error.
_HEIGHT_CM = (100.0, 220.0)
_WEIGHT_KG = (20.0, 200.0)
# Which domain (vocab.RISK_FLAGS term) each 基本チェックリスト criterion speaks to,
# so that needs × supply pairs the same resources under either rule set.
_CHECKLIST_DOMAINS = {
    "運動機能の低下": "運動器機能低下", "低栄養状態": "低栄養", "口腔機能の低下": "口腔機能低下",
    "閉じこもり": "閉じこもり傾向", "認知機能の低下": "認知機能低下", "うつ病の可能性": "うつ傾向",
}


@dataclass(frozen=True)
class Criterion:
    """One item of a rule: the column read and the answers that count toward risk."""

    column: str
    codes: tuple[int, ...] = ()     # empty for BMI (counts below the cutoff) and ready flags

    @property
    def text(self) -> str:
        if self.column == si.BMI:
            return f"BMI（{si.WEIGHT}÷身長m²）が{si.BMI_CUTOFF}未満"
        if not self.codes:
            return f"{self.column}が 1（該当）"
        labels = dict(si.item(self.column).choices)
        answers = "・".join(f"{labels[code]}({code})" for code in self.codes)
        return f"{self.column}が {answers}"


@dataclass(frozen=True)
class RiskRule:
    label: str
    domain: str | None            # vocab.RISK_FLAGS term, None when no flag matches
    criteria: tuple[Criterion, ...]
    at_least: int

    @property
    def threshold(self) -> str:
        if len(self.criteria) == 1:
            return "該当すれば"
        if self.at_least == len(self.criteria):
            return f"{len(self.criteria)}項目すべてに該当"
        return f"{len(self.criteria)}項目中{self.at_least}項目以上に該当"


@dataclass(frozen=True)
class RuleSet:
    key: str
    name: str
    source: str
    rules: tuple[RiskRule, ...]
    ready_flags: bool = False     # rules read ready-made 1/0 columns, not items

    @property
    def columns(self) -> tuple[str, ...]:
        """Columns the survey must have (BMI stands for height and weight)."""
        needed: list[str] = []
        for rule in self.rules:
            for criterion in rule.criteria:
                needed += [si.HEIGHT, si.WEIGHT] if criterion.column == si.BMI else [criterion.column]
        return tuple(dict.fromkeys(needed))


def _needs_set() -> RuleSet:
    rules = tuple(
        RiskRule(rule.flag, rule.flag,
                 tuple(Criterion(c) if c == si.BMI else Criterion(c, si.item(c).risk_codes)
                       for c in rule.columns),
                 rule.at_least)
        for rule in si.NEEDS_RULES)
    return RuleSet("needs", "ニーズ調査 手引き",
                   "厚生労働省「介護予防・日常生活圏域ニーズ調査 実施の手引き」(第8期, 2019) の評価方法", rules)


def _checklist_set() -> RuleSet:
    by_number = {i.checklist_no: i for i in si.SURVEY_ITEMS if i.checklist_no is not None}

    def criterion(number: int) -> Criterion:
        if number == 12:  # No.12 is BMI < 18.5
            return Criterion(si.BMI)
        found = by_number[number]
        return Criterion(found.column, found.checklist_risk_codes)

    rules = tuple(
        RiskRule(rule.label, _CHECKLIST_DOMAINS.get(rule.label),
                 tuple(criterion(n) for n in rule.numbers), rule.at_least)
        for rule in si.CHECKLIST_RULES)
    return RuleSet("checklist", "基本チェックリスト",
                   "厚生労働省「基本チェックリスト」(25項目) の事業対象者の判定基準。"
                   "4・5・18〜25番はニーズ調査のオプション項目「基本(n)」で尋ねたもの", rules)


def _flags_set() -> RuleSet:
    rules = tuple(RiskRule(flag, flag, (Criterion(flag),), 1) for flag in vocab.RISK_FLAGS)
    return RuleSet("flags", "提供された判定結果",
                   "ファイルの判定列（1/0、該当/非該当）をそのまま集計。判定方法は作成した市町村の定義による",
                   rules, ready_flags=True)


RULE_SETS: tuple[RuleSet, ...] = (_needs_set(), _checklist_set(), _flags_set())
DEFAULT_RULE_SET = RULE_SETS[0].key
_BY_KEY = {rules.key: rules for rules in RULE_SETS}


def rule_set(key: str) -> RuleSet:
    return _BY_KEY[key]


# ---------------------------------------------------------------- reading items

_NUMBER_PREFIX = re.compile(r"^(問\d+\(\d+\)|基本\(\d+\))")


@lru_cache(maxsize=None)
def _prefix_columns() -> dict[str, str]:
    """Item number (``問2(1)``) → column, for numbers that name one item only."""
    counts: dict[str, list[str]] = {}
    for found in si.SURVEY_ITEMS:
        if match := _NUMBER_PREFIX.match(found.column):
            counts.setdefault(match[1], []).append(found.column)
    return {prefix: columns[0] for prefix, columns in counts.items() if len(columns) == 1}


def item_columns(survey: pd.DataFrame) -> dict[str, str]:
    """Known item → the survey's column holding it. Headers match after NFKC and
    without spaces (``問２（１）階段昇り``), or by the item number alone (``問2(1)``)."""
    known = {normalize_header(found.column): found.column for found in si.SURVEY_ITEMS}
    known.update({normalize_header(flag): flag for flag in vocab.RISK_FLAGS})
    prefixes = _prefix_columns()
    found: dict[str, str] = {}
    for header in survey.columns:
        key = normalize_header(header)
        target = known.get(key) or prefixes.get(key)
        if target is not None and target not in found:
            found[target] = header
    return found


def missing_columns(survey: pd.DataFrame, rules: RuleSet) -> list[str]:
    present = item_columns(survey)
    if rules.ready_flags:  # a flag column the reader added empty is not data
        return [c for c in rules.columns if c not in present or survey[present[c]].isna().all()]
    return [c for c in rules.columns if c not in present]


def _rule_columns(rule: RiskRule) -> set[str]:
    return {c for criterion in rule.criteria
            for c in ((si.HEIGHT, si.WEIGHT) if criterion.column == si.BMI else (criterion.column,))}


def usable_rule_sets(survey: pd.DataFrame) -> list[RuleSet]:
    """Rule sets that can judge at least one of their risks on this survey."""
    usable = []
    for rules in RULE_SETS:
        missing = set(missing_columns(survey, rules))
        if any(not (_rule_columns(rule) & missing) for rule in rules.rules):
            usable.append(rules)
    return usable


def _code_parser(column: str):
    """Cell text → answer code (int), None when empty; ValueError when unknown.
    Codes (``3``, ``３``) and the printed labels (``できない``) are both accepted."""
    found = si.item(column)
    by_label = {normalize_text(label): code for code, label in found.choices}
    codes = {code for code, _ in found.choices}

    def parse(value: object) -> int | float | None:
        if value is None or (isinstance(value, float) and math.isnan(value)):
            return None
        text = normalize_text(value)
        if not text:
            return None
        if text in by_label:
            return by_label[text]
        try:
            number = parse_number(text)
        except ValueError:
            number = None
        if found.unit:  # numeric answer: height or weight
            bounds = _HEIGHT_CM if column == si.HEIGHT else _WEIGHT_KG
            if number is None or not bounds[0] <= number <= bounds[1]:
                raise ValueError(f"「{text}」は{found.question}({found.unit})として読めません"
                                 f"（{bounds[0]:g}〜{bounds[1]:g}）")
            return number
        if number is None or not number.is_integer() or int(number) not in codes:
            choices = "、".join(f"{code}={label}" for code, label in found.choices)
            raise ValueError(f"「{text}」は選択肢にない回答です（{choices}）")
        return int(number)

    return parse


def _parsed_items(survey: pd.DataFrame) -> tuple[dict[str, np.ndarray], list[str]]:
    """Every known item column parsed (unreadable answers as missing) and the
    problems, each naming the Excel row (the survey's index) and the column."""
    values: dict[str, np.ndarray] = {}
    problems: list[str] = []
    for column, header in item_columns(survey).items():
        if column in vocab.RISK_FLAGS:
            continue
        parse = _code_parser(column)
        refused: dict[object, str] = {}

        def safe(value, parse=parse, refused=refused):
            try:
                return parse(value)
            except ValueError as error:
                refused[value] = str(error)
                return None

        cells = survey[header].astype(object)
        codes, distinct = pd.factorize(cells, use_na_sentinel=False)  # parse each answer once
        parsed = np.empty(len(distinct), dtype=object)
        parsed[:] = [safe(value) for value in distinct]
        values[column] = parsed[codes]
        for row, value in cells[cells.isin(list(refused))].items():
            problems.append(f"{row}行目「{header}」: {refused[value]}")
    return values, problems


def item_problems(survey: pd.DataFrame) -> list[str]:
    """Japanese messages for answers the kit cannot read, by Excel row (the index)."""
    return _parsed_items(survey)[1]


def _bmi(values: dict[str, np.ndarray]) -> np.ndarray:
    height = pd.to_numeric(pd.Series(values[si.HEIGHT]), errors="coerce").to_numpy(dtype=float)
    weight = pd.to_numeric(pd.Series(values[si.WEIGHT]), errors="coerce").to_numpy(dtype=float)
    return weight / (height / 100) ** 2


def _counts(criterion: Criterion, values: dict[str, np.ndarray], bmi: np.ndarray | None,
            n: int) -> tuple[np.ndarray, np.ndarray]:
    """(counts toward risk, answered) per respondent for one criterion."""
    if criterion.column == si.BMI:
        answered = ~np.isnan(bmi)
        return answered & (np.nan_to_num(bmi, nan=np.inf) < si.BMI_CUTOFF), answered
    column = values.get(criterion.column)
    if column is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    answered = np.array([v is not None for v in column], dtype=bool)
    return np.isin(column, criterion.codes) & answered, answered


def judge(survey: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """One column per rule, one row per respondent: True (該当), False (非該当) or
    <NA> (判定不能: unanswered items leave the threshold open, or no such column)."""
    n = len(survey)
    result = {}
    if rules.ready_flags:
        present = item_columns(survey)
        for rule in rules.rules:
            header = present.get(rule.criteria[0].column)
            flags = survey[header] if header is not None else pd.Series(pd.NA, index=survey.index)
            result[rule.label] = pd.array(flags, dtype="boolean")
        return pd.DataFrame(result, index=survey.index)
    values, _ = _parsed_items(survey)
    bmi = _bmi(values) if si.HEIGHT in values and si.WEIGHT in values else np.full(n, np.nan)
    for rule in rules.rules:
        hits = np.zeros(n, dtype=int)
        unanswered = np.zeros(n, dtype=int)
        for criterion in rule.criteria:
            counted, answered = _counts(criterion, values, bmi, n)
            hits += counted
            unanswered += ~answered
        flagged = hits >= rule.at_least
        clear = hits + unanswered < rule.at_least
        column = pd.array(np.where(flagged, True, False), dtype="boolean")
        column[~flagged & ~clear] = pd.NA
        result[rule.label] = column
    return pd.DataFrame(result, index=survey.index)


def risk_rates(survey: pd.DataFrame, rules: RuleSet, areas: pd.DataFrame) -> pd.DataFrame:
    """Rates per area and for the whole town (地区コード ``vocab.WHOLE_TOWN``).

    Columns: 地区コード, 地区名, リスク, 領域, 該当者数, 分母 (judged respondents),
    判定不能 (left out), 回答者数, 該当率 (0–1, NaN without a denominator),
    参考値 (分母 < ``MIN_RESPONDENTS``), 判定方法."""
    judged = judge(survey, rules)
    names = dict(zip(areas["地区コード"], areas["地区名"]))
    groups = [(code, survey["地区コード"] == code) for code in areas["地区コード"]]
    groups.append((vocab.WHOLE_TOWN, pd.Series(True, index=survey.index)))
    rows = []
    for rule in rules.rules:
        column = judged[rule.label]
        for code, members in groups:
            of_area = column[members.to_numpy()]
            denominator = int(of_area.notna().sum())
            hits = int(of_area.fillna(False).sum())
            rows.append({
                "地区コード": code, "地区名": names.get(code, "全体"), "リスク": rule.label,
                "領域": rule.domain, "該当者数": hits, "分母": denominator,
                "判定不能": int(len(of_area) - denominator), "回答者数": int(len(of_area)),
                "該当率": hits / denominator if denominator else math.nan,
                "参考値": denominator < MIN_RESPONDENTS, "判定方法": rules.name,
            })
    return pd.DataFrame(rows)


def describe(rules: RuleSet) -> pd.DataFrame:
    """The rule set as a table a user can read and an export can carry."""
    return pd.DataFrame([{
        "判定方法": rules.name, "リスク": rule.label, "判定基準": rule.threshold,
        "項目": " ／ ".join(c.text for c in rule.criteria), "出典": rules.source,
    } for rule in rules.rules])
