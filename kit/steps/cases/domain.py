"""From individual cases to regional issues (seed 003, STEP 2: 課題の抽出と構造化).

Each case carries 生活課題 tags. One (case, tag) pair is an *issue card*, the unit
a team moves around in KJ-style grouping. Cards are stacked by area and across
areas; an issue seen in one person only is 特異的, one that recurs is 普遍的; the
緊急度 × 地区 matrix shows where urgent cases gather. Groups of cards become the
regional issues the team writes down (``kit.steps.cases.issues``) and hands to notebooks 03
and 04 (through ``kit.steps.cases.model``, which alone reads and writes the workspace). A self-study exercise compares a learner's tags and groups with the
sample town's model answer.

Everything here is a pure function over DataFrames and plain dicts; the grouping
state is JSON (``{"next": 3, "groups": [{"id": "G1", "name": …, "cards": […]}]}``)
so the workspace stores it as it is.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache

import pandas as pd

from kit.masking import mask_text
from kit.paths import SAMPLE_TOWN
from kit.steps.cases.issues import SCOPES, RegionalIssue
from kit.steps.cases.tagging import TEXT_COLUMNS, ordered_tags, score, tags_of
from kit.vocab import OWN_RESOURCE_KINDS, URGENCIES

__all__ = [
    "MASKED_COLUMNS", "answer_key",
    "card_id", "split_card", "own_resources", "effective_tags", "issue_cards", "scope_of",
    "tags_by_area", "urgency_by_area", "urgency_matrix",
    "empty_groups", "group_cards", "add_cards", "rename_group", "ungroup", "prune_groups",
    "loose_cards", "group_profile", "evidence_text", "issue_from_group",
    "next_case_id", "check_case", "mask_case", "upsert_case",
    "issue_label", "Feedback", "grouping_feedback", "tagging_feedback", "area_figures",
]

# Free-text columns that may carry personal data: masked before anything is stored.
MASKED_COLUMNS: tuple[str, ...] = (*TEXT_COLUMNS, "本人の資源")
_CARD_SEPARATOR = "|"
_UNSET_URGENCY = "未記入"


# --- cases and their tags ------------------------------------------------------------------

def card_id(case_id: str, tag: str) -> str:
    return f"{case_id}{_CARD_SEPARATOR}{tag}"


def split_card(card: str) -> tuple[str, str]:
    case_id, _, tag = card.rpartition(_CARD_SEPARATOR)
    return case_id, tag


def own_resources(text) -> list[tuple[str, str]]:
    """本人の資源 as (kind, what) pairs: ``場所:図書館; 人:娘`` → [(場所, 図書館), (人, 娘)].
    An item without one of the four kinds (seed 000) gets the kind ``""``."""
    pairs = []
    for item in re.split(r"[;；\n]", text if isinstance(text, str) else ""):
        item = item.strip()
        if not item:
            continue
        kind, colon, what = item.partition(":") if ":" in item else item.partition("：")
        kind = kind.strip()
        pairs.append((kind, what.strip()) if colon and kind in OWN_RESOURCE_KINDS else ("", item))
    return pairs


def effective_tags(cases: pd.DataFrame, confirmed: Mapping[str, Iterable[str]],
                   hidden: Iterable[str] = ()) -> dict[str, tuple[str, ...]]:
    """The tags each case has now: the user's confirmed ones, else the file's own,
    except for the ``hidden`` cases (the sample town's, whose tags are the model
    answer of the exercise). A team's own tags (outside the vocabulary) are kept."""
    hidden = set(hidden)
    tags = {}
    for row in cases[["事例ID", "生活課題"]].to_dict("records"):
        case = row["事例ID"]
        if case in confirmed:
            tags[case] = ordered_tags(confirmed[case])
        else:
            tags[case] = () if case in hidden else tags_of(row["生活課題"])
    return tags


def _urgency(value) -> str:
    return value if isinstance(value, str) and value in URGENCIES else _UNSET_URGENCY


def _area_names(areas: pd.DataFrame) -> dict[str, str]:
    return dict(zip(areas["地区コード"], areas["地区名"]))


def issue_cards(cases: pd.DataFrame, tags: Mapping[str, Iterable[str]],
                areas: pd.DataFrame) -> pd.DataFrame:
    """One row per (case, tag): カード, 事例ID, 地区コード, 地区名, 生活課題, 緊急度, 困りごと.
    In vocabulary order, then area order, then case."""
    names = _area_names(areas)
    area_order = {code: i for i, code in enumerate(names)}
    rows = [{"カード": card_id(row["事例ID"], tag), "事例ID": row["事例ID"],
             "地区コード": row["地区コード"], "地区名": names.get(row["地区コード"], row["地区コード"]),
             "生活課題": tag, "緊急度": _urgency(row["緊急度"]), "困りごと": row["困りごと"]}
            for row in cases.to_dict("records") for tag in tags.get(row["事例ID"], ())]
    columns = ["カード", "事例ID", "地区コード", "地区名", "生活課題", "緊急度", "困りごと"]
    table = pd.DataFrame(rows, columns=columns)
    if table.empty:
        return table
    order = table.assign(_t=table["生活課題"].map(_tag_rank(table["生活課題"])),
                         _a=table["地区コード"].map(lambda c: area_order.get(c, len(area_order))))
    return order.sort_values(["_t", "_a", "事例ID"]).drop(columns=["_t", "_a"]).reset_index(drop=True)


def _tag_rank(tags: Iterable[str]) -> dict[str, int]:
    """Position of each tag in ``ordered_tags`` order (a team's own tags last)."""
    return {tag: position for position, tag in enumerate(ordered_tags(tags))}


def scope_of(case_count: int) -> str:
    """特異的 when one person has the issue, 普遍的 when it recurs."""
    return SCOPES[1] if case_count <= 1 else SCOPES[0]


def tags_by_area(cards: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Cases per 生活課題 and area, with 計, 地区数 and 範囲 (特異的/普遍的).
    Rows: tags in use, most frequent first; columns: area names in file order."""
    names = list(_area_names(areas).values())
    if cards.empty:
        return pd.DataFrame(columns=["生活課題", *names, "計", "地区数", "範囲"])
    table = pd.crosstab(cards["生活課題"], cards["地区名"]).reindex(columns=names, fill_value=0)
    table["計"] = table[names].sum(axis=1)
    table["地区数"] = (table[names] > 0).sum(axis=1)
    table["範囲"] = table["計"].map(scope_of)
    table = table.assign(_order=table.index.map(_tag_rank(table.index)))
    table = table.sort_values(["計", "_order"], ascending=[False, True]).drop(columns="_order")
    table.columns.name = None
    return table.reset_index()


def urgency_by_area(cases: pd.DataFrame, tags: Mapping[str, Iterable[str]],
                    areas: pd.DataFrame) -> pd.DataFrame:
    """One row per (緊急度, area) with cases: 事例数 and 主な生活課題 (``移動3・買物2``).
    Cases without a 緊急度 are counted under 未記入."""
    names = _area_names(areas)
    rows = []
    for (urgency, code), group in cases.assign(_u=cases["緊急度"].map(_urgency)).groupby(["_u", "地区コード"]):
        counted = Counter(tag for case in group["事例ID"] for tag in tags.get(case, ()))
        rank = _tag_rank(counted)
        top = sorted(counted.items(), key=lambda kv: (-kv[1], rank[kv[0]]))[:3]
        rows.append({"緊急度": urgency, "地区コード": code, "地区名": names.get(code, code),
                     "事例数": len(group), "主な生活課題": "・".join(f"{t}{n}" for t, n in top)})
    return pd.DataFrame(rows, columns=["緊急度", "地区コード", "地区名", "事例数", "主な生活課題"])


def urgency_matrix(cells: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Cases by 緊急度 (rows 高・中・低, and 未記入 when any) × area name (columns)."""
    names = list(_area_names(areas).values())
    levels = [*URGENCIES, *([_UNSET_URGENCY] if (cells["緊急度"] == _UNSET_URGENCY).any() else [])]
    matrix = cells.pivot_table(index="緊急度", columns="地区名", values="事例数", aggfunc="sum",
                               fill_value=0)
    matrix = matrix.reindex(index=levels, columns=names, fill_value=0).astype(int)
    matrix.index.name, matrix.columns.name = "緊急度", None
    return matrix


# --- KJ grouping --------------------------------------------------------------------------

def empty_groups() -> dict:
    return {"next": 1, "groups": []}


def _without(groups: list[dict], cards: set[str]) -> list[dict]:
    """Groups with ``cards`` taken out (a card sits in one group); empty groups stay."""
    return [{**g, "cards": [c for c in g["cards"] if c not in cards]} for g in groups]


def group_cards(state: dict, cards: Iterable[str], name: str) -> dict:
    """A new group named ``name`` holding ``cards`` (moved out of any other group)."""
    cards = list(dict.fromkeys(cards))
    if not cards:
        raise ValueError("グループにするカードを選んでください。")
    name = name.strip()
    if not name:
        raise ValueError("グループの名前を入れてください（例: 坂の上の買物）。")
    group = {"id": f"G{state['next']}", "name": name, "cards": cards}
    return {"next": state["next"] + 1, "groups": [*_without(state["groups"], set(cards)), group]}


def _find(state: dict, group_id: str) -> dict:
    for group in state["groups"]:
        if group["id"] == group_id:
            return group
    raise ValueError("そのグループは見つかりません。ページを読み込み直してください。")


def add_cards(state: dict, group_id: str, cards: Iterable[str]) -> dict:
    _find(state, group_id)
    cards = list(dict.fromkeys(cards))
    moved = _without(state["groups"], set(cards))
    return {**state, "groups": [{**g, "cards": g["cards"] + cards} if g["id"] == group_id else g
                                for g in moved]}


def rename_group(state: dict, group_id: str, name: str) -> dict:
    _find(state, group_id)
    if not name.strip():
        raise ValueError("グループの名前を入れてください。")
    return {**state, "groups": [{**g, "name": name.strip()} if g["id"] == group_id else g
                                for g in state["groups"]]}


def ungroup(state: dict, group_id: str) -> dict:
    """Dissolve a group: its cards go back to the loose cards."""
    _find(state, group_id)
    return {**state, "groups": [g for g in state["groups"] if g["id"] != group_id]}


def prune_groups(state: dict, valid_cards: Iterable[str]) -> dict:
    """Drop cards that no longer exist (a tag was removed from a case)."""
    valid = set(valid_cards)
    return {**state, "groups": [{**g, "cards": [c for c in g["cards"] if c in valid]}
                                for g in state["groups"]]}


def loose_cards(state: dict, cards: Iterable[str]) -> list[str]:
    grouped = {c for g in state["groups"] for c in g["cards"]}
    return [c for c in cards if c not in grouped]


def group_profile(cards: pd.DataFrame, group: dict) -> dict:
    """What a group's cards add up to: 事例ID, 地区コード, 生活課題 (in vocabulary
    order), the highest 緊急度 among its cases and the 範囲 it suggests."""
    mine = cards[cards["カード"].isin(group["cards"])]
    per_case = mine.drop_duplicates("事例ID")
    urgencies = [u for u in URGENCIES if u in set(per_case["緊急度"])]
    return {"事例ID": tuple(sorted(per_case["事例ID"])),
            "地区コード": tuple(dict.fromkeys(per_case["地区コード"])),
            "生活課題": ordered_tags(mine["生活課題"]),
            "緊急度": urgencies[0] if urgencies else URGENCIES[1],
            "範囲": scope_of(len(per_case))}


def evidence_text(cards: pd.DataFrame, group: dict) -> str:
    """The counts behind a group, in words: 事例4件（桜台3件・奥沢1件）、緊急度 高1件・中3件."""
    per_case = cards[cards["カード"].isin(group["cards"])].drop_duplicates("事例ID")
    if per_case.empty:
        return ""
    by_area = per_case["地区名"].value_counts(sort=False)
    by_urgency = per_case["緊急度"].value_counts()
    levels = [u for u in (*URGENCIES, _UNSET_URGENCY) if u in by_urgency]
    return (f"事例{len(per_case)}件（" + "・".join(f"{a}{n}件" for a, n in by_area.items()) + "）、緊急度 "
            + "・".join(f"{u}{by_urgency[u]}件" for u in levels))


def issue_from_group(cards: pd.DataFrame, group: dict, statement: str, *, urgency: str | None = None,
                     scope: str | None = None, evidence: str | None = None) -> RegionalIssue:
    """The regional issue a team wrote for a group; unset fields come from its cards."""
    profile = group_profile(cards, group)
    return RegionalIssue(
        id=group["id"], statement=statement.strip() or group["name"],
        life_issues=profile["生活課題"], areas=profile["地区コード"],
        urgency=urgency or profile["緊急度"], scope=scope or profile["範囲"],
        case_ids=profile["事例ID"],
        evidence=evidence if evidence is not None else evidence_text(cards, group),
        extra={"group": group["name"]})


# --- editing the case list ------------------------------------------------------------------

def next_case_id(cases: pd.DataFrame) -> str:
    """The next free ID of the form C001."""
    numbers = [int(m.group(1)) for m in cases["事例ID"].astype(str).map(re.compile(r"^C(\d+)$").match)
               if m] if len(cases) else []
    return f"C{max(numbers, default=0) + 1:03d}"


def check_case(case: Mapping, known_areas: Iterable[str]) -> list[str]:
    """What is missing or wrong in a case typed into the form, as Japanese sentences."""
    problems = []
    if case.get("地区コード") not in set(known_areas):
        problems.append("地区を選んでください。")
    for column in ("本人の望み", "困りごと"):
        if not str(case.get(column) or "").strip():
            problems.append(f"「{column}」を書いてください（一言でかまいません）。")
    return problems


def mask_case(case: Mapping) -> tuple[dict, list]:
    """The case with its free text masked, and what was masked as (列, Masked) pairs."""
    masked, found = dict(case), []
    for column in MASKED_COLUMNS:
        value = case.get(column)
        if isinstance(value, str) and value:
            result = mask_text(value)
            masked[column] = result.text
            found += [(column, item) for item in result.found]
    return masked, found


def upsert_case(cases: pd.DataFrame, case: Mapping) -> pd.DataFrame:
    """The case list with ``case`` replacing the row of the same 事例ID, or added at the end."""
    row = {column: case.get(column) for column in cases.columns}
    for column in cases.columns:
        if isinstance(row[column], str) and not row[column].strip():
            row[column] = None
    row["生活課題"] = tags_of(row.get("生活課題"))
    new = pd.DataFrame([row], columns=cases.columns).astype(object)
    kept = cases[cases["事例ID"] != case["事例ID"]].astype(object)
    if (cases["事例ID"] == case["事例ID"]).any():
        position = int((cases["事例ID"] == case["事例ID"]).to_numpy().argmax())
        return pd.concat([kept.iloc[:position], new, kept.iloc[position:]], ignore_index=True)
    return pd.concat([kept, new], ignore_index=True)


# --- self-study feedback ------------------------------------------------------------------

@lru_cache(maxsize=1)
def answer_key() -> dict[str, tuple[str, ...]]:
    """The sample town's model answer: the 生活課題 of each of its cases."""
    table = pd.read_csv(SAMPLE_TOWN / "cases_answer_key.csv", dtype=str, encoding="utf-8-sig")
    return {row["事例ID"]: tags_of(row["生活課題"]) for row in table.to_dict("records")}


def issue_label(issue: RegionalIssue, areas: pd.DataFrame) -> str:
    """奥沢の移動・医療: the areas (or 全域) and the life issues of an issue."""
    names = _area_names(areas)
    where = ("全域" if not issue.areas or set(names) <= set(issue.areas)
             else "・".join(names.get(code, code) for code in issue.areas))
    return f"{where}の{'・'.join(issue.life_issues)}"


def _model_cards(issue: RegionalIssue, answer: Mapping[str, Iterable[str]]) -> set[str]:
    return {card_id(case, tag) for case in issue.case_ids for tag in issue.life_issues
            if tag in set(answer.get(case, ()))}


@dataclass(frozen=True)
class Feedback:
    total: int
    found: tuple[str, ...]
    missed: tuple[str, ...]

    @property
    def text(self) -> str:
        if not self.total:
            return "この範囲には模範解答の地域課題がありません。"
        line = f"模範解答の地域課題は{self.total}つ、あなたは{len(self.found)}つ見つけました。"
        return line + (f"見落とし: {'、'.join(self.missed)}" if self.missed else "すべて見つけています。")


def grouping_feedback(model: Iterable[RegionalIssue], answer: Mapping[str, Iterable[str]],
                      state: dict, areas: pd.DataFrame,
                      cases_in_scope: Iterable[str] | None = None) -> Feedback:
    """Which model issues the learner's groups found. A model issue counts as found
    when one group holds at least half of its cards (its cases × its life issues,
    as the answer key tags them); limited to the cards of ``cases_in_scope``."""
    scope = None if cases_in_scope is None else set(cases_in_scope)
    found, missed = [], []
    for issue in model:
        cards = {c for c in _model_cards(issue, answer) if scope is None or split_card(c)[0] in scope}
        if not cards:
            continue
        best = max((len(cards & set(g["cards"])) for g in state["groups"]), default=0)
        (found if best >= math.ceil(len(cards) / 2) else missed).append(issue_label(issue, areas))
    return Feedback(len(found) + len(missed), tuple(found), tuple(missed))


def tagging_feedback(tags: Mapping[str, Iterable[str]], answer: Mapping[str, Iterable[str]],
                     cases_in_scope: Iterable[str]) -> str:
    """How the learner's tags compare with the answer key on the cases in scope."""
    scope = [case for case in cases_in_scope if case in answer]
    result = score({case: tags.get(case, ()) for case in scope}, {case: answer[case] for case in scope})
    expected = result.true_positives + result.false_negatives
    if not expected:
        return "この範囲には答え合わせできる事例がありません。"
    missed = result.by_tag[result.by_tag["正解"] > result.by_tag["一致"]]
    most = missed.assign(不足=missed["正解"] - missed["一致"]).sort_values("不足", ascending=False).head(3)
    text = (f"模範解答のタグ{expected}個のうち{result.true_positives}個を付けました"
            f"（再現率 {result.recall:.0%}）。模範解答にないタグは{result.false_positives}個です。")
    if len(most):
        text += "見落としの多いタグ: " + "、".join(f"{r.生活課題}（{r.不足}件）" for r in most.itertuples())
    return text


# --- figures from 01 (地域診断) -------------------------------------------------------------

def area_figures(population: pd.DataFrame, certification: pd.DataFrame, areas: pd.DataFrame,
                 codes: Iterable[str]) -> list[str]:
    """One line of 01's figures per area, to cite as evidence: the share aged 75+
    now and in the last projected year, and the latest 認定率."""
    from kit.reference import GROUPS
    from kit.steps.assessment import domain as assessment

    table = assessment.population_table(population, areas)
    years = sorted(table["年"].unique())
    cert_year = int(certification["年"].max()) if len(certification) else None
    cert = (assessment.certification_table(certification, population, areas, cert_year)
            .set_index("地区コード") if cert_year else pd.DataFrame())
    names = _area_names(areas)
    lines = []
    for code in codes:
        rows = table[(table["地区コード"] == code) & (table["年齢区分"] == GROUPS[2])].set_index("年")
        if rows.empty:
            continue
        first, last = years[0], years[-1]
        line = (f"{names.get(code, code)}: 75歳以上の割合 {rows.loc[first, '割合']:.1f}%（{first}年）"
                f"→ {rows.loc[last, '割合']:.1f}%（{last}年）")
        if code in cert.index and pd.notna(cert.loc[code, "認定率"]):
            line += f"、認定率 {cert.loc[code, '認定率']:.1f}%（{cert_year}年）"
        lines.append(line)
    return lines
