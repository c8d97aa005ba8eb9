"""取組事例集: real partnerships between municipalities and diverse actors, told in
the seeds and retold in ``data/precedents.csv`` (facts only, the kit's own words).

Seed 002 asks a case collection to say, for each case, the area, the actor and
its core business, how it began and what it solves, how it relates to the
business, and who did what; seed 004 adds the company's form of engagement.
Precedents help a municipality persuade its own hierarchy ("it has been done")
and show a company what a partnership can look like. Notebook 03 shows the
closest ones beside each candidate partner; notebook 04 cites them with
:func:`cite`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache

import pandas as pd

from kit import vocab
from kit.io.normalize import normalize_header, split_multi
from kit.paths import DATA

__all__ = ["PATH", "COLUMNS", "load_precedents", "search", "closest", "closest_for_matches", "cite"]

PATH = DATA / "precedents.csv"
COLUMNS = ("事例ID", "事例名", "地域", "主体", "本業", "業種", "取組形態", "本業との関わり", "生活課題",
           "きっかけ", "役割分担", "出典")
_CHECKED = {"業種": vocab.INDUSTRIES, "取組形態": vocab.ENGAGEMENT_FORMS,
            "本業との関わり": vocab.BUSINESS_RELATIONS}
# Weights of what makes a precedent close to a candidate partnership: the issue
# itself matters most (and the part of it the actor answers a little more), then
# an actor of the same trade, then the same way of engaging with it.
_ISSUE_WEIGHT, _FOCUS_WEIGHT, _INDUSTRY_WEIGHT, _FORM_WEIGHT = 3, 1, 2, 1


@lru_cache(maxsize=1)
def _read() -> pd.DataFrame:
    table = pd.read_csv(PATH, dtype=str, encoding="utf-8-sig", keep_default_na=False)
    missing = [c for c in COLUMNS if c not in table]
    if missing:
        raise ValueError(f"{PATH.name}: 列がありません: {'、'.join(missing)}")
    table["生活課題"] = table["生活課題"].map(split_multi)
    for row, issues in enumerate(table["生活課題"], start=2):
        unknown = [t for t in issues if t not in vocab.LIFE_ISSUES]
        if unknown or not issues:
            raise ValueError(f"{PATH.name} {row}行目「生活課題」: 語彙にない語か空欄です: {'、'.join(unknown)}")
    for column, allowed in _CHECKED.items():
        bad = table.index[(table[column] != "") & ~table[column].isin(allowed)]
        if len(bad):
            raise ValueError(f"{PATH.name} {bad[0] + 2}行目「{column}」: 使えない値「{table.at[bad[0], column]}」")
    return table[list(COLUMNS)]


def load_precedents() -> pd.DataFrame:
    """The shipped collection, checked against the kit's vocabularies."""
    return _read().copy()


def _industry_key(value: str) -> str:
    return normalize_header(value)


def search(precedents: pd.DataFrame, *, life_issues: Iterable[str] = (), industry: str = "",
           query: str = "") -> pd.DataFrame:
    """Precedents about any of ``life_issues``, of the given 業種 (width and
    spaces ignored), and containing ``query`` anywhere in their text."""
    mask = pd.Series(True, index=precedents.index)
    wanted = frozenset(life_issues)
    if wanted:
        mask &= precedents["生活課題"].map(lambda cell: not wanted.isdisjoint(cell))
    if industry:
        mask &= precedents["業種"].map(_industry_key) == _industry_key(industry)
    if query.strip():
        needle = query.strip().casefold()
        haystack = precedents.drop(columns="生活課題").agg("\n".join, axis=1).str.casefold()
        mask &= haystack.str.contains(needle, regex=False)
    return precedents[mask]


def closest(precedents: pd.DataFrame, life_issues: Iterable[str], *, focus: Iterable[str] = (),
            industry: str = "", engagement: str = "", k: int = 2) -> pd.DataFrame:
    """The ``k`` precedents nearest to a partnership on an issue's ``life_issues``
    with an actor of ``industry`` engaging as ``engagement``; ``focus``: the
    life issues the actor itself answers, which count a little extra. A
    precedent must share at least one of ``life_issues``; ``近さ`` scores the
    rest and ``理由`` says why in Japanese. Ties keep the collection's order."""
    wanted = tuple(dict.fromkeys(life_issues))
    focus = frozenset(focus)
    rows = []
    for position, row in enumerate(precedents.itertuples(index=False)):
        shared = [t for t in wanted if t in row.生活課題]
        if not shared:
            continue
        score = _ISSUE_WEIGHT * len(shared) + _FOCUS_WEIGHT * len(focus.intersection(shared))
        reasons = [f"同じ生活課題（{'・'.join(shared)}）"]
        if industry and row.業種 and _industry_key(row.業種) == _industry_key(industry):
            score += _INDUSTRY_WEIGHT
            reasons.append(f"同じ業種（{row.業種}）")
        if engagement and row.取組形態 == engagement:
            score += _FORM_WEIGHT
            reasons.append(f"同じ取組形態（{engagement}）")
        rows.append((score, position, "・".join(reasons)))
    rows.sort(key=lambda item: (-item[0], item[1]))
    chosen = rows[:k]
    out = precedents.iloc[[position for _, position, _ in chosen]].copy()
    out["近さ"] = [score for score, _, _ in chosen]
    out["理由"] = [reason for _, _, reason in chosen]
    return out


def closest_for_matches(precedents: pd.DataFrame, matches: pd.DataFrame, actors: pd.DataFrame,
                        issues: Iterable, k: int = 2) -> dict[tuple[str, str], pd.DataFrame]:
    """For every (課題ID, 主体ID) of ``kit.steps.actors.domain.match_issues``'s table, the
    precedents closest to that pair: the issue's life issues (those the actor
    answers first), the actor's 業種 and 取組形態."""
    forms = dict(zip(actors["主体ID"], actors["取組形態"].fillna("")))
    wanted = {issue.id: issue.life_issues for issue in issues}
    out = {}
    for match in matches.itertuples(index=False):
        out[(match.課題ID, match.主体ID)] = closest(
            precedents, wanted.get(match.課題ID, match.一致した生活課題), focus=match.一致した生活課題,
            industry=match.業種 or "", engagement=forms.get(match.主体ID, "") or "", k=k)
    return out


def cite(precedent: Mapping) -> str:
    """One line a proposal can quote: what, where, who, and the source."""
    return (f"{precedent['事例名']}（{precedent['地域']}、{precedent['主体']}）"
            f" 出典: {precedent['出典']}")
