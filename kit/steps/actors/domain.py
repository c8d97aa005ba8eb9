"""The list of diverse actors (多様な主体リスト): clean it, find duplicates, filter,
count, place it in the ツドレバ frame, and match it with the regional issues.

Everything here is a small pure function over the actors DataFrame as
``kit.io.load("actors", …)`` gives it (multi-valued cells as tuples). Tables that
come back from the workspace store carry lists instead of tuples, and user files
may lack optional columns: :func:`normalise` makes every such table alike before
the other functions see it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date

import numpy as np
import pandas as pd

from kit import masking, vocab
from kit.io.normalize import (
    normalize_name,
    normalize_phone,
    normalize_text,
    split_multi,
)
from kit.io.schema import SPECS
from kit.steps.cases.issues import RegionalIssue

__all__ = [
    "COLUMNS", "CONTACT_COLUMNS", "LOCATION_COLUMNS", "MULTI_COLUMNS", "VOICE_COLUMNS",
    "FREE_TEXT_COLUMNS", "OWN_TERM_COLUMNS", "CHOICES", "DEFAULT_OFFER", "TSUDOREBA_NOTES",
    "terms", "text", "normalise", "empty_record", "validate", "upsert", "delete", "next_ids",
    "add_imported", "find_duplicates", "differing_fields", "choice_options", "default_choice",
    "merge_records", "merge_pair", "filter_actors", "covered_areas", "category_area_counts", "tsudoreba_placement",
    "tsudoreba_grid", "match_issues", "issue_gaps", "area_label", "matching_list",
    "export_table", "mask_contacts", "practice_import",
]

# DATA_SPEC's columns plus the kit's additions (seed 001's fourth voice, seed 004's
# 取組形態, the ツドレバ placement), as the reader's schema lists them.
COLUMNS: tuple[str, ...] = SPECS["actors"].names

MULTI_COLUMNS = ("カテゴリ", "対応できる生活課題", "活動地区", "ツドレバ取組区分", "対応できる状態像")
# The four voices of seed 001's open interview, in the order it asks them.
VOICE_COLUMNS = ("価値を感じていること", "知っていること・やっていること", "困っていること",
                 "できること・やりたいこと")
FREE_TEXT_COLUMNS = ("本業・サービス内容", *VOICE_COLUMNS)
# Personal or identifying data: leaves the kit only when the user asks for it.
CONTACT_COLUMNS = ("担当者", "電話", "メール")
LOCATION_COLUMNS = ("住所", "緯度", "経度")

# Columns where a team may use its own terms besides the vocabulary's (its own 生活課題).
OWN_TERM_COLUMNS: tuple[str, ...] = tuple(spec.name for spec in SPECS["actors"].columns if spec.own_terms)
# Allowed terms of the single- and multi-valued vocabulary columns.
CHOICES: dict[str, tuple[str, ...]] = {
    "主体種別": vocab.ACTOR_TYPES,
    "本業との関わり": vocab.BUSINESS_RELATIONS,
    "取組形態": vocab.ENGAGEMENT_FORMS,
    "連携状況": vocab.COLLAB_STATUSES,
    "カテゴリ": tuple(vocab.ACTOR_CATEGORIES),
    "対応できる生活課題": vocab.LIFE_ISSUES,
    "ツドレバ取組区分": vocab.TSUDOREBA_APPROACHES,
    "対応できる状態像": vocab.TSUDOREBA_STATES,
}

# What a municipality can bring to a partner, by default: the help companies
# in seed 004's survey most often received or asked for (information on local
# needs, publicity) and the introductions only the municipality can make.
DEFAULT_OFFER = ("地域の困りごとや住民ニーズの情報提供、広報・周知への協力、"
                 "地域包括支援センター・協議体・住民団体とのつなぎ")

# What each ツドレバ cell looks like (seed 000, 沖縄県's frame), in short words.
TSUDOREBA_NOTES: dict[tuple[str, str], str] = {}
for _approach, _notes in zip(vocab.TSUDOREBA_APPROACHES, (
        ("いつもの店を利用", "いつもの店を利用", "付き添いなど配慮のもとで利用", "送迎・支援者つきで店を利用"),
        ("自費サービスを選べる", "自費サービスを選べる", "自費サービスの拡大・有償ボランティア",
         "専門職が担ってきた生活支援の代わり"),
        ("就労・ボランティアの場", "就労・ボランティアの場", "短時間の就労などで活動を続ける",
         "支援者・送迎つきで働く場"))):
    TSUDOREBA_NOTES.update(zip(((_approach, state) for state in vocab.TSUDOREBA_STATES), _notes))

# Default 取組区分 when the user has not placed an actor: stores and places people
# visit keep them coming (①), services brought home widen the options (②), and
# actors working on jobs or local activity give older people a role (③).
_APPROACH_OF_CATEGORY = {
    "買物": 0, "運動・憩いの場": 0, "設備・施設・場所貸し": 0, "学び・趣味": 0,
    "宅配・デリバリー": 1, "送迎サービス": 1, "出張サービス": 1, "生活サービス": 1,
}
_ROLE_ISSUES = frozenset({"就労", "ボランティア・地域活動", "後継者", "農地", "まちづくり"})
# Default 状態像: every actor serves active older people (健康, プレフレイル);
# services that come to the home or watch over people reach the frail too, and
# care and medical actors (or those who say they handle 介護) reach 要介護.
_HOME_CATEGORIES = frozenset({"宅配・デリバリー", "送迎サービス", "出張サービス"})
_FRAIL_ISSUES = frozenset({"見守り", "介護"})
_CARE_TYPES = frozenset({"医療機関", "社会福祉法人"})

_MIN_PHONE_DIGITS = 6   # shorter digit strings ("0", "1234") are not phone numbers
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
_ID_PATTERN = re.compile(r"^(.*?)(\d+)$")
_STATUS_RANK = {status: rank for rank, status in enumerate(vocab.COLLAB_STATUSES)}


# ---------------------------------------------------------------- cells and records

def terms(value: object) -> tuple[str, ...]:
    """A multi-valued cell as a tuple, whether it holds a tuple, a list (from the
    store), a separated string (from a hand-made file) or nothing."""
    if isinstance(value, (tuple, list, np.ndarray)):
        return tuple(str(item) for item in value if str(item))
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ()
    return split_multi(value)


def text(value: object) -> str:
    """A single cell as text, "" when missing."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value)


def normalise(actors: pd.DataFrame) -> pd.DataFrame:
    """Every column of :data:`COLUMNS` present (then any others), multi-valued
    cells as tuples, IDs as text, a plain 0… index."""
    out = actors.reset_index(drop=True).copy()
    for column in COLUMNS:
        if column not in out:
            out[column] = pd.Series([()] * len(out) if column in MULTI_COLUMNS else [None] * len(out),
                                    dtype=object)
    for column in MULTI_COLUMNS:
        out[column] = pd.Series([terms(v) for v in out[column]], dtype=object)
    # (A01, 全域) says no more than 全域.
    out["活動地区"] = pd.Series([(vocab.WHOLE_TOWN,) if vocab.WHOLE_TOWN in cell else cell
                              for cell in out["活動地区"]], dtype=object)
    out["主体ID"] = out["主体ID"].map(text)
    for column in ("緯度", "経度"):
        out[column] = pd.to_numeric(out[column], errors="coerce").astype("float64")
    out["更新日"] = pd.to_datetime(out["更新日"], errors="coerce")
    others = [c for c in out.columns if c not in COLUMNS]
    return out[[*COLUMNS, *others]]


def empty_record() -> dict:
    return {column: () if column in MULTI_COLUMNS else None for column in COLUMNS}


def validate(record: Mapping, area_codes: Iterable[str]) -> list[str]:
    """Japanese messages about a record typed in the form; empty when it can be saved."""
    problems = []
    if not normalize_text(record.get("名称")):
        problems.append("名称を入力してください。")
    mail = normalize_text(record.get("メール"))
    if mail and not _EMAIL.fullmatch(mail):
        problems.append(f"メール「{mail}」の形式が正しくありません（例: info@example.jp）。")
    phone = normalize_text(record.get("電話"))
    if phone and len(normalize_phone(phone)) not in (10, 11):
        problems.append(f"電話「{phone}」は市外局番から10～11桁で入力してください（例: 0120-123-456）。")
    for column, terms_allowed in CHOICES.items():
        if column in OWN_TERM_COLUMNS:  # a team's own terms are kept, as a file's are
            continue
        values = terms(record.get(column)) if column in MULTI_COLUMNS else (text(record.get(column)),)
        unknown = [v for v in values if v and v not in terms_allowed]
        if unknown:
            problems.append(f"{column}に使えない値があります: {'、'.join(unknown)}")
    known = set(area_codes) | {vocab.WHOLE_TOWN}
    unknown_areas = [code for code in terms(record.get("活動地区")) if code not in known]
    if unknown_areas:
        problems.append(f"活動地区に地区の一覧にないコードがあります: {'、'.join(unknown_areas)}")
    for column, low, high in (("緯度", 20.0, 46.0), ("経度", 122.0, 154.0)):
        value = record.get(column)
        if value is not None and not pd.isna(value) and not low <= float(value) <= high:
            problems.append(f"{column}「{value}」は日本の範囲（{low:g}～{high:g}）の外です。")
    return problems


def _clean(record: Mapping) -> dict:
    out = empty_record()
    out.update(record)
    for column in COLUMNS:
        if column in MULTI_COLUMNS:
            out[column] = tuple(normalize_text(t) for t in terms(out[column]) if normalize_text(t))
        elif column not in ("緯度", "経度", "更新日"):
            out[column] = normalize_text(out[column]) or None
    return out


def next_ids(taken: Iterable[str]) -> Iterator[str]:
    """Unused IDs in the style of the existing ones (``ACT081``, ``ACT082`` … after
    ``ACT080``); ``N0001`` … when the list has no numbered IDs."""
    taken = set(taken)
    found = [m.groups() for m in map(_ID_PATTERN.match, taken) if m]
    if found:
        prefix = Counter(p for p, _ in found).most_common(1)[0][0]
        width = max(len(d) for p, d in found if p == prefix)
        number = max(int(d) for p, d in found if p == prefix)
    else:
        prefix, width, number = "N", 4, 0
    while True:
        number += 1
        candidate = f"{prefix}{number:0{width}d}"
        if candidate not in taken:
            yield candidate


def upsert(actors: pd.DataFrame, record: Mapping, day: date) -> tuple[pd.DataFrame, str]:
    """The list with ``record`` saved (replacing the row of its 主体ID, or added
    with a new ID) and dated ``day``; returns the list and the record's ID."""
    clean = _clean(record)
    clean["更新日"] = pd.Timestamp(day)
    ids = actors["主体ID"].tolist()
    if not clean["主体ID"]:
        clean["主体ID"] = next(next_ids(ids))
    if clean["主体ID"] in ids:
        out = actors.copy()
        position = ids.index(clean["主体ID"])
        for column in COLUMNS:  # a user's own extra columns keep their values
            out.at[position, column] = clean[column]
        return normalise(out), clean["主体ID"]
    row = pd.DataFrame([clean]).reindex(columns=actors.columns)
    return normalise(pd.concat([actors, row], ignore_index=True)), clean["主体ID"]


def delete(actors: pd.DataFrame, actor_id: str) -> pd.DataFrame:
    return actors[actors["主体ID"] != actor_id].reset_index(drop=True)


def add_imported(actors: pd.DataFrame, incoming: pd.DataFrame) -> tuple[pd.DataFrame, dict[str, str]]:
    """``incoming`` appended to ``actors``. A 主体ID already in the list gets a new
    one (returned as old → new), so nothing is overwritten: whether two rows are
    the same organisation is for the merge step to decide."""
    incoming = normalise(incoming)
    new_ids = next_ids(actors["主体ID"])
    renamed = {}
    taken = set(actors["主体ID"])
    ids = []
    for actor_id in incoming["主体ID"]:
        if actor_id in taken:
            replacement = next(new_ids)
            while replacement in taken:
                replacement = next(new_ids)
            renamed[actor_id] = actor_id = replacement
        taken.add(actor_id)
        ids.append(actor_id)
    incoming["主体ID"] = ids
    return normalise(pd.concat([actors, incoming], ignore_index=True)), renamed


# ---------------------------------------------------------------- duplicates and merge

def _pair_key(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first <= second else (second, first)


def find_duplicates(actors: pd.DataFrame, dismissed: Iterable[Sequence[str]] = ()) -> pd.DataFrame:
    """Pairs of rows that may be one organisation: the same 名称 once legal form,
    spaces and width are ignored (株式会社 = (株) = ㈱), or the same phone number.
    Each later row is paired with the first row of its group. ``dismissed``: pairs
    the user said are different organisations."""
    skip = {_pair_key(*pair) for pair in dismissed}
    names = actors["名称"].map(normalize_name).reset_index(drop=True)
    phones = actors["電話"].map(normalize_phone).reset_index(drop=True)
    phones = phones.where(phones.str.len() >= _MIN_PHONE_DIGITS, "")
    reasons: dict[tuple[int, int], list[str]] = {}
    for label, keys in (("名称", names), ("電話番号", phones)):
        repeated = keys[(keys != "") & keys.duplicated(keep=False)]
        for _, positions in repeated.groupby(repeated, sort=False).groups.items():
            first, *others = sorted(positions)
            for other in others:
                reasons.setdefault((first, other), []).append(label)
    rows = []
    for (first, other), labels in sorted(reasons.items(), key=lambda item: (item[0][1], item[0][0])):
        a, b = actors.iloc[first], actors.iloc[other]
        if _pair_key(a["主体ID"], b["主体ID"]) in skip:
            continue
        rows.append({"主体ID_1": a["主体ID"], "名称_1": a["名称"], "主体ID_2": b["主体ID"],
                     "名称_2": b["名称"], "理由": "と".join(labels) + "が同じ"})
    return pd.DataFrame(rows, columns=["主体ID_1", "名称_1", "主体ID_2", "名称_2", "理由"])


def _blank(value: object) -> bool:
    return terms(value) == () if isinstance(value, (tuple, list)) else text(value).strip() == ""


def _same(left: object, right: object, column: str) -> bool:
    if column in MULTI_COLUMNS:
        return set(terms(left)) == set(terms(right))
    if column in ("緯度", "経度"):
        return (_blank(left) and _blank(right)) or (not _blank(left) and not _blank(right)
                                                   and float(left) == float(right))
    return text(left).strip() == text(right).strip()


def differing_fields(left: Mapping, right: Mapping) -> list[str]:
    """Columns (主体ID aside) where two records hold different values."""
    columns = [c for c in dict.fromkeys([*left, *right]) if c != "主体ID"]
    return [c for c in columns if not _same(left.get(c), right.get(c), c)]


def choice_options(column: str) -> tuple[str, ...]:
    """How a differing column may be merged: keep the left value, the right one,
    or (for lists and free text) both."""
    if column in MULTI_COLUMNS or column in FREE_TEXT_COLUMNS:
        return ("left", "right", "both")
    return ("left", "right")


def default_choice(column: str, left: object, right: object) -> str:
    """The merge choice offered first: the value that is there, both lists, else the left."""
    if _blank(left):
        return "right"
    if _blank(right):
        return "left"
    return "both" if column in MULTI_COLUMNS else "left"


def merge_records(left: Mapping, right: Mapping, choices: Mapping[str, str] | None = None) -> dict:
    """One record from two, field by field. ``choices``: column → "left",
    "right" or "both"; a column not chosen keeps the left value, or the right one
    where the left is empty (lists are joined). The left 主体ID is kept."""
    choices = choices or {}
    merged = dict(left)
    for column in differing_fields(left, right):
        a, b = left.get(column), right.get(column)
        choice = choices.get(column) or default_choice(column, a, b)
        if choice not in choice_options(column):
            raise ValueError(f"「{column}」は {'・'.join(choice_options(column))} から選んでください")
        if choice == "right":
            merged[column] = b
        elif choice == "both" and column in MULTI_COLUMNS:
            merged[column] = tuple(dict.fromkeys([*terms(a), *terms(b)]))
        elif choice == "both":
            merged[column] = "\n".join(t for t in (text(a), text(b)) if t)
    return merged


def merge_pair(actors: pd.DataFrame, keep_id: str, drop_id: str,
               choices: Mapping[str, str] | None = None) -> pd.DataFrame:
    """The list with ``drop_id`` merged into ``keep_id`` and removed."""
    ids = actors["主体ID"].tolist()
    if keep_id not in ids or drop_id not in ids or keep_id == drop_id:
        raise KeyError(f"統合する主体が見つかりません: {keep_id}, {drop_id}")
    keep, drop = ids.index(keep_id), ids.index(drop_id)
    merged = merge_records(actors.iloc[keep].to_dict(), actors.iloc[drop].to_dict(), choices)
    out = actors.copy()
    for column, value in merged.items():
        out.at[keep, column] = value
    return normalise(out.drop(index=drop))


# ---------------------------------------------------------------- filters and counts

def _any_of(cells: pd.Series, wanted: Iterable[str]) -> np.ndarray:
    wanted = frozenset(wanted)
    return np.fromiter((not wanted.isdisjoint(cell) for cell in cells), dtype=bool, count=len(cells))


def filter_actors(actors: pd.DataFrame, *, types: Iterable[str] = (), categories: Iterable[str] = (),
                  areas: Iterable[str] = (), statuses: Iterable[str] = (), query: str = "") -> pd.DataFrame:
    """Rows matching every given filter (any value within one filter). An actor
    active in 全域 is active in every area. ``query`` is looked for in 名称,
    業種 and 本業・サービス内容, ignoring width and letter case."""
    mask = np.ones(len(actors), dtype=bool)
    types, categories, areas, statuses = map(tuple, (types, categories, areas, statuses))
    if types:
        mask &= actors["主体種別"].isin(types).to_numpy()
    if statuses:
        mask &= actors["連携状況"].isin(statuses).to_numpy()
    if categories:
        mask &= _any_of(actors["カテゴリ"], categories)
    if areas:
        mask &= _any_of(actors["活動地区"], (*areas, vocab.WHOLE_TOWN))
    needle = normalize_text(query).casefold()
    if needle:
        haystack = (actors["名称"].fillna("") + "\n" + actors["業種"].fillna("") + "\n"
                    + actors["本業・サービス内容"].fillna("")).map(normalize_text).str.casefold()
        mask &= haystack.str.contains(needle, regex=False).to_numpy()
    return actors[mask]


def covered_areas(cell: object, area_codes: Sequence[str]) -> tuple[str, ...]:
    """The areas an actor works in, with 全域 spelled out as every area."""
    codes = terms(cell)
    return tuple(area_codes) if vocab.WHOLE_TOWN in codes else tuple(c for c in codes if c in area_codes)


def category_area_counts(actors: pd.DataFrame, areas: pd.DataFrame) -> pd.DataFrame:
    """Number of actors per カテゴリ (rows, in the プラチナ・サポート・ショップ order)
    and area (columns, 地区名): an actor in two categories counts in both, and one
    active in 全域 counts in every area. ``計`` counts each actor once per category."""
    codes = areas["地区コード"].tolist()
    names = dict(zip(codes, areas["地区名"]))
    long = pd.DataFrame({"カテゴリ": actors["カテゴリ"],
                         "地区": [covered_areas(cell, codes) for cell in actors["活動地区"]]})
    per_category = long.explode("カテゴリ").dropna(subset=["カテゴリ"])
    total = per_category["カテゴリ"].value_counts()
    cells = per_category.explode("地区").dropna(subset=["地区"])
    table = pd.crosstab(cells["カテゴリ"], cells["地区"]) if len(cells) else pd.DataFrame()
    table = table.reindex(index=list(vocab.ACTOR_CATEGORIES), columns=codes, fill_value=0).fillna(0)
    table = table.astype(int).rename(columns=names)
    table["計"] = total.reindex(table.index, fill_value=0).astype(int)
    table.index.name = "カテゴリ"
    table.columns.name = None
    return table


# ---------------------------------------------------------------- ツドレバ frame

def _inferred_approaches(categories: tuple[str, ...], life_issues: tuple[str, ...]) -> tuple[str, ...]:
    found = {_APPROACH_OF_CATEGORY[c] for c in categories if c in _APPROACH_OF_CATEGORY}
    if _ROLE_ISSUES.intersection(life_issues):
        found.add(2)
    return tuple(vocab.TSUDOREBA_APPROACHES[i] for i in sorted(found))


def _inferred_states(kind: str, categories: tuple[str, ...], life_issues: tuple[str, ...]) -> tuple[str, ...]:
    healthy, pre_frail, frail, care = vocab.TSUDOREBA_STATES
    states = [healthy, pre_frail]
    if _HOME_CATEGORIES.intersection(categories) or _FRAIL_ISSUES.intersection(life_issues):
        states.append(frail)
    if kind in _CARE_TYPES or "介護" in life_issues:
        states.append(care)
    return tuple(states)


def tsudoreba_placement(actors: pd.DataFrame) -> pd.DataFrame:
    """One row per actor × 取組区分 × 状態像 it serves. What the user has not
    filled in is inferred: the 取組区分 from the categories and life issues, the
    状態像 from the kind of service (see ``_inferred_states``); rows with any
    inferred part have 推定 True."""
    rows = []
    for actor in actors[["主体ID", "名称", "主体種別", "カテゴリ", "対応できる生活課題", "ツドレバ取組区分",
                         "対応できる状態像"]].itertuples(index=False, name=None):
        actor_id, name, kind, categories, life_issues, approaches, states = actor
        guessed = not approaches or not states
        approaches = approaches or _inferred_approaches(categories, life_issues)
        states = states or _inferred_states(text(kind), categories, life_issues)
        for approach in approaches:
            for state in states:
                rows.append((actor_id, name, approach, state, guessed))
    return pd.DataFrame(rows, columns=["主体ID", "名称", "取組区分", "状態像", "推定"])


def tsudoreba_grid(placement: pd.DataFrame) -> pd.DataFrame:
    """The 3 × 4 frame: for each 取組区分 (rows) and 状態像 (columns) the list of
    (名称, 推定) placed there, in list order."""
    grid = pd.DataFrame([[[] for _ in vocab.TSUDOREBA_STATES] for _ in vocab.TSUDOREBA_APPROACHES],
                        index=list(vocab.TSUDOREBA_APPROACHES), columns=list(vocab.TSUDOREBA_STATES))
    for _, name, approach, state, guessed in placement.itertuples(index=False, name=None):
        grid.at[approach, state].append((name, guessed))
    return grid


# ---------------------------------------------------------------- matching

def area_label(code: str, area_names: Mapping[str, str]) -> str:
    """``奥沢(A05)``; the code alone when its name is unknown."""
    return f"{area_names[code]}({code})" if code in area_names else code


def _area_fit(actor_areas: frozenset[str], issue_areas: frozenset[str],
              area_names: Mapping[str, str]) -> tuple[int, str, str] | None:
    """(rank, label, sentence) of how an actor's areas fit an issue's, or None
    when they do not meet. An issue without areas concerns the whole town. An
    actor rooted in the issue's own areas ranks above one working town-wide."""
    def labels(codes) -> str:
        return "・".join(area_label(c, area_names) for c in sorted(codes))

    if vocab.WHOLE_TOWN in actor_areas:
        return (3 if not issue_areas else 2), "全域", "市内全域で活動"
    if not actor_areas:
        return 0, "未登録", "活動地区が未登録のため要確認"
    if not issue_areas:
        return 1, "一部", f"{labels(actor_areas)}で活動（課題は市内全域）"
    shared = actor_areas & issue_areas
    if not shared:
        return None
    if shared == issue_areas:
        return 3, "課題の地区すべて", f"{labels(shared)}で活動"
    return 1, "一部", f"課題の地区のうち{labels(shared)}で活動"


_MATCH_COLUMNS = ["課題ID", "順位", "主体ID", "名称", "主体種別", "業種", "一致した生活課題", "地区の適合",
                  "連携状況", "理由"]


def match_issues(issues: Sequence[RegionalIssue], actors: pd.DataFrame,
                 area_names: Mapping[str, str] | None = None) -> pd.DataFrame:
    """Candidate actors for every issue, ranked within each issue.

    An actor is a candidate when its 対応できる生活課題 share at least one of the
    issue's 生活課題 and its 活動地区 meet the issue's areas (全域 meets all;
    an actor without areas is kept, to be checked). Ranking: more of the issue's
    生活課題 covered, then better area fit (working in all the issue's areas >
    全域 > some of them > unknown; for a town-wide issue 全域 comes first), then
    a partnership further advanced (連携中 first), then 名称.
    ``理由`` says all of this in Japanese."""
    area_names = area_names or {}
    column_of = {term: i for i, term in enumerate(vocab.LIFE_ISSUES)}
    has = np.zeros((len(actors), len(column_of)), dtype=bool)
    for position, cell in enumerate(actors["対応できる生活課題"]):
        has[position, [column_of[t] for t in cell if t in column_of]] = True
    # Lists hold few distinct area sets, statuses and tag patterns: each is
    # worked out once and looked up per actor.
    area_set_of: dict[frozenset, int] = {}
    area_code = np.array([area_set_of.setdefault(frozenset(cell), len(area_set_of)) for cell in actors["活動地区"]],
                         dtype=int)
    area_sets = list(area_set_of)

    def texts(column: str) -> np.ndarray:
        return actors[column].fillna("").astype(str).to_numpy(dtype=object)

    statuses, ids, names = texts("連携状況"), texts("主体ID"), texts("名称")
    kinds, industries = texts("主体種別"), texts("業種")
    status_rank = np.array([_STATUS_RANK.get(status, -1) for status in statuses], dtype=int)
    name_rank = np.empty(len(actors), dtype=int)
    name_rank[np.argsort(names, kind="stable")] = np.arange(len(actors))
    parts = [pd.DataFrame(columns=_MATCH_COLUMNS)]
    for issue in issues:
        wanted = tuple(t for t in dict.fromkeys(issue.life_issues) if t in column_of)
        if not wanted:
            continue
        tagged = has[:, [column_of[t] for t in wanted]]
        count = tagged.sum(axis=1)
        fits = [_area_fit(areas, frozenset(issue.areas), area_names) for areas in area_sets]
        fit_rank = np.array([-1 if fit is None else fit[0] for fit in fits])[area_code]
        found = np.flatnonzero((count > 0) & (fit_rank >= 0))
        found = found[np.lexsort((name_rank[found], -status_rank[found], -fit_rank[found], -count[found]))]
        patterns = tagged[found] @ (1 << np.arange(len(wanted)))
        matched_of = {code: tuple(t for j, t in enumerate(wanted) if code >> j & 1) for code in set(patterns.tolist())}
        reasons: dict[tuple[int, int, str], str] = {}
        for code, area, status in zip(patterns.tolist(), area_code[found].tolist(), statuses[found].tolist()):
            if (code, area, status) not in reasons:
                matched = matched_of[code]
                shown = "".join(f"「{t}」" for t in matched)
                reasons[(code, area, status)] = (
                    f"生活課題{shown}に対応（課題の{len(wanted)}つのうち{len(matched)}つ）。{fits[area][2]}。"
                    f"連携状況: {status or '未記入'}")
        parts.append(pd.DataFrame({
            "課題ID": issue.id, "順位": np.arange(1, len(found) + 1), "主体ID": ids[found], "名称": names[found],
            "主体種別": kinds[found], "業種": industries[found],
            "一致した生活課題": [matched_of[code] for code in patterns.tolist()],
            "地区の適合": [fits[a][1] for a in area_code[found].tolist()], "連携状況": statuses[found],
            "理由": [reasons[key] for key in zip(patterns.tolist(), area_code[found].tolist(),
                                                 statuses[found].tolist())],
        }, columns=_MATCH_COLUMNS))
    return pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]


def issue_gaps(issues: Sequence[RegionalIssue], matches: pd.DataFrame) -> pd.DataFrame:
    """Issues the list cannot answer in full: ``空白`` when no actor is a
    candidate, ``一部が空白`` when some of the issue's 生活課題 have no candidate."""
    rows = []
    for issue in issues:
        found = matches[matches["課題ID"] == issue.id]
        covered = {term for cell in found["一致した生活課題"] for term in cell}
        missing = tuple(term for term in issue.life_issues if term not in covered)
        if found.empty:
            state = "空白" if issue.life_issues else "生活課題が未設定"
        elif missing:
            state = "一部が空白"
        else:
            continue
        rows.append((issue.id, issue.statement, issue.life_issues, issue.areas, missing, state))
    return pd.DataFrame(rows, columns=["課題ID", "地域課題", "生活課題", "地区コード", "対応する主体がいない生活課題",
                                       "状態"])


def _issue_sentence(issue: RegionalIssue, area_names: Mapping[str, str]) -> str:
    where = "・".join(area_label(c, area_names) for c in issue.areas) or "市内全域"
    return f"{issue.statement}（生活課題: {'・'.join(issue.life_issues) or '未設定'}／地区: {where}）"


def matching_list(issues: Sequence[RegionalIssue], matches: pd.DataFrame, actors: pd.DataFrame, *,
                  offers: Mapping[str, str] | None = None, top: int = 0, chosen: Sequence = (),
                  area_names: Mapping[str, str] | None = None,
                  precedent_names: Mapping[tuple[str, str], str] | None = None,
                  include_contacts: bool = False) -> tuple[pd.DataFrame, dict[str, int]]:
    """The matching list of seed 004's event: for each issue the partners the team
    chose (``chosen``: items with issue_id, actor_id, name, reason), with their
    reasons, then its ``top`` best-ranked other candidates (none unless asked for:
    the list never chooses for the team), each with the message
    to the partner (the issue to solve together, what we can offer) and, only when
    ``include_contacts``, 担当者・電話・メール (otherwise personal data quoted in
    the actor's notes is hidden; the counts of what was hidden are returned with
    the table). ``precedent_names``: (課題ID, 主体ID) → precedents to mention."""
    offers, area_names, precedent_names = offers or {}, area_names or {}, precedent_names or {}
    by_id = actors.drop_duplicates("主体ID").set_index("主体ID")
    rows = []
    for issue in issues:
        picked = [p for p in chosen if p.issue_id == issue.id]
        picked_ids = {p.actor_id for p in picked}
        found = matches[matches["課題ID"] == issue.id].sort_values("順位")
        ranked = {match.主体ID: match for match in found.itertuples(index=False)}
        others = found[~found["主体ID"].isin(picked_ids)].head(top)
        listed = [(p.actor_id, p.name, "選んだ相手", p.reason) for p in picked]
        listed += [(m.主体ID, m.名称, "候補", "") for m in others.itertuples(index=False)]
        for actor_id, name, kind, reason in listed:
            actor = by_id.loc[actor_id] if actor_id in by_id.index else pd.Series(dtype=object)
            match = ranked.get(actor_id)
            row = {
                "課題ID": issue.id, "区分": kind, "順位": match.順位 if match else None, "団体名": name,
                "主体種別": text(actor.get("主体種別")),
                "一緒に解決したい課題": _issue_sentence(issue, area_names),
                "お願いしたいこと": text(actor.get("できること・やりたいこと")) or text(actor.get("本業・サービス内容")),
                "私たちが提供できること": offers.get(issue.id) or DEFAULT_OFFER,
                "選んだ理由": reason,
                "候補とした理由": match.理由 if match else "候補の条件（生活課題と地区）の外から選んだ相手",
                "参考になる事例": precedent_names.get((issue.id, actor_id), ""),
            }
            if include_contacts:
                row.update({column: text(actor.get(column)) for column in CONTACT_COLUMNS})
            rows.append(row)
    columns = ["課題ID", "区分", "順位", "団体名", "主体種別", "一緒に解決したい課題", "お願いしたいこと",
               "私たちが提供できること", "選んだ理由", "候補とした理由", "参考になる事例"]
    columns += list(CONTACT_COLUMNS) if include_contacts else []
    table = pd.DataFrame(rows, columns=columns).astype({"順位": "Int64"})
    if include_contacts:
        return table, {}
    return mask_contacts(table, actors, ["お願いしたいこと", "選んだ理由"])


# ---------------------------------------------------------------- export

def _name_forms(name: str) -> set[str]:
    """How a person's name may appear in notes: as written, without the space,
    and the family name alone (田中 一郎 → 田中)."""
    parts = normalize_text(name).split()
    forms = {" ".join(parts), "".join(parts)} | ({parts[0]} if len(parts) > 1 else set())
    return {form for form in forms if len(form) >= 2}


def mask_contacts(table: pd.DataFrame, actors: pd.DataFrame, columns: Iterable[str]) -> tuple[pd.DataFrame, dict[str, int]]:
    """Free text in ``columns`` with personal data hidden (``kit.masking``), and
    the list's own 担当者 names too, however they are written: dialogue notes
    often say "call 田中 on …". Returns the table and how many of each kind
    were hidden. Each distinct text is masked once: long lists repeat their
    service descriptions, and masking is the slow part of an export."""
    people = sorted({form for n in actors["担当者"] for form in _name_forms(text(n))}, key=len, reverse=True)
    pattern = re.compile("|".join(map(re.escape, people))) if people else None
    placeholder = masking.PLACEHOLDERS[masking.NAME]
    out = table.copy()
    counts: Counter = Counter()
    for column in (c for c in columns if c in table):
        codes, uniques = pd.factorize(out[column])
        masked = []
        for value, times in zip(uniques, np.bincount(codes[codes >= 0], minlength=len(uniques))):
            named = pattern.subn(placeholder, value) if pattern else (value, 0)
            result = masking.mask_text(named[0])
            counts[masking.NAME] += named[1] * int(times)
            counts.update({kind: n * int(times) for kind, n in result.counts().items()})
            masked.append(result.text)
        out[column] = pd.Series([masked[code] if code >= 0 else None for code in codes], index=out.index,
                                dtype=object)
    return out, {kind: counts[kind] for kind in masking.KINDS if counts[kind]}


def export_table(actors: pd.DataFrame, include_contacts: bool = False) -> tuple[pd.DataFrame, dict[str, int]]:
    """The list as it leaves the kit: the kit's columns only (a user's own extra
    columns may hold anything), and without 担当者・電話・メール・住所・緯度・経度
    unless ``include_contacts``, in which case free text is left as written.
    Returns the table and what was hidden (kind → count)."""
    if include_contacts:
        return actors[list(COLUMNS)].copy(), {}
    kept = [c for c in COLUMNS if c not in CONTACT_COLUMNS + LOCATION_COLUMNS]
    return mask_contacts(actors[kept], actors, FREE_TEXT_COLUMNS)


# ---------------------------------------------------------------- practice

_PRACTICE_NEW = (
    {"主体ID": "P03", "名称": "みどり野タクシー株式会社", "主体種別": "民間企業", "業種": "運輸業,郵便業",
     "本業・サービス内容": "タクシーと予約制の乗合送迎", "カテゴリ": ("送迎サービス",),
     "対応できる生活課題": ("移動", "買物", "医療"), "活動地区": (vocab.WHOLE_TOWN,),
     "本業との関わり": "本業の延長", "取組形態": "本業として展開", "連携状況": "未接触",
     "価値を感じていること": "昼間に空いている車を地域の役に立てたい",
     "困っていること": "運転手の高齢化と人手不足",
     "できること・やりたいこと": "昼の空き時間に、診療所やスーパーへの乗合送迎を試したい"},
    {"主体ID": "P04", "名称": "川北こども食堂の会", "主体種別": "ボランティア団体",
     "本業・サービス内容": "月2回の子ども食堂", "カテゴリ": ("運動・憩いの場",),
     "対応できる生活課題": ("食事", "多世代交流", "居場所"), "連携状況": "未接触",
     "価値を感じていること": "子どもと年配のボランティアが一緒に台所に立つ時間",
     "知っていること・やっていること": "調理と見守りの手が足りない日がある",
     "できること・やりたいこと": "年配の方に配膳や昔の料理を教える役をお願いしたい"},
)


def practice_import(actors: pd.DataFrame) -> pd.DataFrame:
    """A small file to practise importing and merging, made from the list it will
    be read into: its first actor again as "(株)…" with the phone written another
    way, its third actor under another name with the same phone, and two new
    actors. Made from the list, not shipped, so it stays true to the sample town."""
    first, third = actors.iloc[0], actors.iloc[2]
    digits = normalize_phone(first["電話"])
    phone = f"({digits[:2]}){digits[2:6]}-{digits[6:]}" if len(digits) == 10 else text(first["電話"])
    again = {"主体ID": "P01", "名称": f"(株){text(first['名称'])}", "主体種別": first["主体種別"],
             "業種": first["業種"], "カテゴリ": first["カテゴリ"],
             "対応できる生活課題": tuple(dict.fromkeys([*first["対応できる生活課題"], "健康"])),
             "活動地区": first["活動地区"][:1], "取組形態": "既存事業への波及を期待",
             "知っていること・やっていること": "朝いちばんに来て、休憩所で新聞を読んでいく常連が何人もいる",
             "できること・やりたいこと": "休憩所を使った朝の体操の会を、月2回から始めたい",
             "担当者": first["担当者"], "電話": phone}
    renamed = {"主体ID": "P02", "名称": f"{text(third['名称'])}(本店)", "主体種別": third["主体種別"],
               "活動地区": third["活動地区"], "取組形態": "本業として展開",
               "知っていること・やっていること": "配達先が40軒ほどあり、冬は毎週回っている",
               "電話": third["電話"]}
    return normalise(pd.DataFrame([again, renamed, *_PRACTICE_NEW]))[list(COLUMNS)]
