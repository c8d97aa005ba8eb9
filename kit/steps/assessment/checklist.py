"""The municipal checklist a prefecture sends to its municipalities, and what each needs.

Seed 002 (都道府県プラットフォーム構築の手引き, ステップ1-1 図6) gives a template
for grasping how far each municipality's 生活支援体制 has come: Q1 a three-step
yes/no flowchart, Q2 free text on the 「いいえ」, Q3 what blocks them (multiple
choice), Q4 which prefectural support they would take (multiple choice). Its Q&A
(Q4 支援する市町村の選び方) suggests sorting municipalities into those not yet
started, those working but stuck, and those doing well, and giving each kind its
own support. Questions, choices and classes are data here; the classification
rule below is the kit's reading of those passages, stated on screen.

Rule:

- 未着手: the 生活支援 issues are not grasped, or there is no way to solve them
  within the municipality (Q1-1 or Q1-2 「いいえ」): the system is not yet working,
  so ステップ1 support (研修, 事例集) comes first;
- 課題あり: the way exists but no concrete measures are under way (Q1-3 「いいえ」),
  or they are under way and Q3 names something blocking them: support is matched
  to each blocker and these municipalities are supported first (seed: 優先して支援);
- 順調: all three 「はい」 and nothing blocking: a model to hear from and spread.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kit.io.normalize import normalize_header, normalize_text, split_multi
from kit.io.tables import Source, TableError, read_table

__all__ = [
    "Choice",
    "SupportClass",
    "Q1_STEPS",
    "Q2_TEXT",
    "Q3_TEXT",
    "Q3_CHOICES",
    "Q4_TEXT",
    "Q4_CHOICES",
    "CLASSES",
    "COLUMNS",
    "Answers",
    "Classification",
    "classify",
    "read_answers",
    "classify_table",
    "class_summary",
]

YES, NO = "はい", "いいえ"


@dataclass(frozen=True)
class Choice:
    key: str      # short label used in tables and uploads
    text: str     # the wording on the form


@dataclass(frozen=True)
class SupportClass:
    name: str
    meaning: str
    policy: str                    # which step of the prefectural platform fits
    support: tuple[str, ...]       # Q4 choice keys offered to every municipality of the class


Q1_TEXT = "生活支援サービスに関連する市町村の現状・課題について、順に答えてください"
Q1_STEPS: tuple[Choice, ...] = (
    Choice("Q1-1", "生活支援サービスに関連する課題を把握できている"),
    Choice("Q1-2", "把握した課題を市町村内で解決する仕組みがある"),
    Choice("Q1-3", "課題を解決するための具体策を進めている"),
)
Q2_TEXT = "Q1で「いいえ」と答えた現状・課題を具体的に書いてください"
Q3_TEXT = "生活支援サービスに関連する課題の解決に向けて困っていること（複数回答）"
Q3_CHOICES: tuple[Choice, ...] = (
    Choice("主体が分からない", "市町村で活動している多様な主体が分からない・接点がない"),
    Choice("進め方が分からない", "多様な主体との議論の進め方が分からない"),
    Choice("アイデアが無い", "多様な主体との連携による解決策のアイデアが無い"),
    Choice("その他", "その他"),
)
Q4_TEXT = "都道府県からどのような支援があれば受けてみたいか（複数回答）"
Q4_CHOICES: tuple[Choice, ...] = (
    Choice("研修", "市町村職員・SC等向け研修"),
    Choice("事例集", "多様な主体の取組事例集の提供"),
    Choice("主体リスト", "多様な主体リストの共有"),
    Choice("ガイドブック", "多様な主体との事業立ち上げガイドブックの提供"),
    Choice("伴走支援", "市町村と多様な主体が連携した生活支援の取組を促す伴走支援"),
    Choice("イベント", "市町村の生活支援体制と多様な主体をつなぐイベントへの参加"),
    Choice("支援不要", "引き続き市町村内で進めたい・現時点では都道府県の支援を受ける想定は無い"),
    Choice("その他", "その他"),
)
NO_SUPPORT = "支援不要"

# Q3 blocker → the Q4 support that answers it.
_SUPPORT_FOR_BLOCKER: dict[str, tuple[str, ...]] = {
    "主体が分からない": ("主体リスト", "イベント"),
    "進め方が分からない": ("伴走支援", "研修"),
    "アイデアが無い": ("事例集", "ガイドブック"),
    "その他": (),
}

CLASSES: tuple[SupportClass, ...] = (
    SupportClass("未着手", "まだ取組を進められていない（課題の把握か、解決の仕組みがまだない）",
                 "ステップ1: 生活支援体制づくりの支援。研修への参加を促し、事例集で役割のイメージを伝える",
                 ("研修", "事例集")),
    SupportClass("課題あり", "取り組んでいるが課題を抱えている",
                 "ステップ2: 優先して支援。困りごとに合わせて多様な主体とつなぐ",
                 ("伴走支援",)),
    SupportClass("順調", "順調に取組を進めている",
                 "ステップ3: 先行事例として話を聞き、研修やイベントで他の市町村に広げる",
                 ("イベント",)),
)
_CLASS = {c.name: c for c in CLASSES}
INCOMPLETE = "回答不足"

# Stored / uploaded table: one row per municipality, multi answers as ";"-joined keys.
COLUMNS: tuple[str, ...] = ("市町村名", *(step.key for step in Q1_STEPS), "Q2", "Q3", "Q4")


@dataclass(frozen=True)
class Answers:
    q1: tuple[bool | None, bool | None, bool | None] = (None, None, None)
    q2: str = ""
    q3: tuple[str, ...] = ()
    q4: tuple[str, ...] = ()


@dataclass(frozen=True)
class Classification:
    name: str                      # a class name, or INCOMPLETE
    reason: str
    policy: str
    proposed: tuple[str, ...]      # support the kit suggests (Q4 keys)
    wished: tuple[str, ...]        # support the municipality asked for
    note: str = ""


def _ordered(keys, choices: tuple[Choice, ...]) -> tuple[str, ...]:
    wanted = set(keys)
    return tuple(c.key for c in choices if c.key in wanted)


def classify(answers: Answers) -> Classification:
    """The class of one municipality and the support that fits it."""
    wished = _ordered(answers.q4, Q4_CHOICES)
    note = ("現時点では支援を望んでいないため、情報提供にとどめて意向を確かめる"
            if NO_SUPPORT in wished else "")
    for step, answer in zip(Q1_STEPS, answers.q1):
        if answer is None:
            return Classification(INCOMPLETE, f"{step.key}が未回答です", "", (), wished, note)
        if not answer:
            name = "未着手" if step.key in ("Q1-1", "Q1-2") else "課題あり"
            return _classified(name, f"{step.key}「{step.text}」がいいえ", answers, wished, note)
    blockers = [c.key for c in Q3_CHOICES if c.key in answers.q3]
    if blockers:
        return _classified("課題あり", f"具体策を進めているが、困りごとあり（{'・'.join(blockers)}）",
                           answers, wished, note)
    return _classified("順調", "Q1はすべてはい、困りごとなし", answers, wished, note)


def _classified(name: str, reason: str, answers: Answers, wished, note) -> Classification:
    kind = _CLASS[name]
    proposed = list(kind.support)
    for blocker in answers.q3:
        proposed += _SUPPORT_FOR_BLOCKER.get(blocker, ())
    return Classification(name, reason, kind.policy, _ordered(proposed, Q4_CHOICES), wished, note)


# ---------------------------------------------------------------- uploads

_YES_WORDS = {"はい", "yes", "1", "○", "〇", "true"}
_NO_WORDS = {"いいえ", "no", "0", "×", "false"}


def _header_target(header: str) -> str | None:
    """Canonical column for an uploaded header: ``市町村名``, ``Q1-1 課題の把握`` …"""
    key = normalize_header(header).casefold()
    if key in ("市町村名", "市区町村名", "市町村", "市区町村", "自治体名"):
        return "市町村名"
    for column in COLUMNS[1:]:
        if key.startswith(column.casefold()) and not key[len(column):len(column) + 1].isdigit():
            return column
    for step in Q1_STEPS:
        if normalize_header(step.text).casefold() in key:
            return step.key
    return None


def _choice_parser(choices: tuple[Choice, ...]):
    lookup = {normalize_header(c.key): c.key for c in choices}
    lookup.update({normalize_header(c.text): c.key for c in choices})

    def parse(cell: str) -> tuple[tuple[str, ...], list[str]]:
        keys, unknown = [], []
        for term in split_multi(cell):
            key = lookup.get(normalize_header(term))
            (keys.append(key) if key else unknown.append(term))
        return tuple(dict.fromkeys(keys)), unknown

    return parse


def _yes_no(cell: str) -> bool | None | str:
    text = normalize_text(cell).casefold()
    if not text:
        return None
    if text in _YES_WORDS:
        return True
    if text in _NO_WORDS:
        return False
    return cell


def read_answers(source: Source, filename: str | None = None) -> tuple[pd.DataFrame | None, list[str]]:
    """An uploaded table of many municipalities' answers → (table in ``COLUMNS``, problems).

    The table is None when anything is wrong; every problem names the file, the
    row as Excel shows it and the column, in Japanese."""
    name = filename or str(source)
    try:
        raw = read_table(source, filename=name, is_header=lambda cell: _header_target(cell) is not None)
    except TableError as error:
        return None, [f"{name}: {error.message}"]
    headers = {}
    for header in raw.frame.columns:
        target = _header_target(header)
        if target is not None and target not in headers.values():
            headers[header] = target
    missing = [c for c in ("市町村名", *(s.key for s in Q1_STEPS)) if c not in headers.values()]
    if missing:
        return None, [f"{name}: 必須の列「{'」「'.join(missing)}」が見つかりません"
                      f"（見出しは{raw.header_row}行目として読みました。例: 市町村名, Q1-1, Q1-2, Q1-3, Q2, Q3, Q4）"]
    problems: list[str] = []
    parsers = {"Q3": _choice_parser(Q3_CHOICES), "Q4": _choice_parser(Q4_CHOICES)}
    records = []
    seen: dict[str, int] = {}
    for position, row in enumerate(raw.frame.itertuples(index=False)):
        excel_row = int(raw.rows[position])
        cells = dict(zip(raw.frame.columns, row))
        record = {column: "" for column in COLUMNS}
        for header, target in headers.items():
            cell = normalize_text(cells[header])
            if target in parsers:
                keys, unknown = parsers[target](cell)
                for term in unknown:
                    allowed = "、".join(c.key for c in (Q3_CHOICES if target == "Q3" else Q4_CHOICES))
                    problems.append(f"{name} {excel_row}行目「{header}」: 「{term}」は選択肢にありません"
                                    f"（使える値: {allowed}、または調査票の文言）")
                record[target] = ";".join(keys)
            elif target.startswith("Q1"):
                answer = _yes_no(cell)
                if isinstance(answer, str):
                    problems.append(f"{name} {excel_row}行目「{header}」: 「{cell}」ははい・いいえとして読めません")
                record[target] = {True: YES, False: NO, None: ""}.get(answer, "")
            else:
                record[target] = cell
        if not record["市町村名"]:
            problems.append(f"{name} {excel_row}行目「市町村名」: 値がありません")
        elif record["市町村名"] in seen:
            problems.append(f"{name} {excel_row}行目「市町村名」: 「{record['市町村名']}」は"
                            f"{seen[record['市町村名']]}行目と重複しています")
        else:
            seen[record["市町村名"]] = excel_row
        records.append(record)
    if not records:
        problems.append(f"{name}: 見出しの行だけで、データの行がありません")
    if problems:
        return None, problems
    return pd.DataFrame(records, columns=list(COLUMNS)), []


def _answers(row) -> Answers:
    def flag(text: str) -> bool | None:
        return {YES: True, NO: False}.get(text)

    def keys(text: str) -> tuple[str, ...]:
        return tuple(k for k in str(text or "").split(";") if k)

    return Answers(tuple(flag(row[s.key]) for s in Q1_STEPS), str(row["Q2"] or ""),
                   keys(row["Q3"]), keys(row["Q4"]))


def classify_table(answers: pd.DataFrame) -> pd.DataFrame:
    """One row per municipality: its class, why, the policy and the support."""
    rows = []
    for _, row in answers.iterrows():
        result = classify(_answers(row))
        matched = [k for k in result.proposed if k in result.wished]
        rows.append({
            "市町村名": row["市町村名"], "区分": result.name, "理由": result.reason,
            "支援の方針": result.policy, "提案する支援": "、".join(result.proposed),
            "希望する支援": "、".join(result.wished), "希望と一致": "、".join(matched),
            "備考": result.note, "Q2 自由記述": row["Q2"],
        })
    return pd.DataFrame(rows, columns=["市町村名", "区分", "理由", "支援の方針", "提案する支援",
                                       "希望する支援", "希望と一致", "備考", "Q2 自由記述"])


def class_summary(classified: pd.DataFrame) -> pd.DataFrame:
    """Municipalities per class, in class order (回答不足 last when present)."""
    names = [c.name for c in CLASSES] + ([INCOMPLETE] if (classified["区分"] == INCOMPLETE).any() else [])
    rows = []
    for name in names:
        members = classified[classified["区分"] == name]
        kind = _CLASS.get(name)
        rows.append({"区分": name, "市町村数": len(members),
                     "意味": kind.meaning if kind else "Q1の回答が足りず分類できない",
                     "支援の方針": kind.policy if kind else "回答を確かめる",
                     "市町村": "、".join(members["市町村名"])})
    return pd.DataFrame(rows)
