"""Suggest 生活課題 tags for a case from its free text; the user confirms or changes them.

A tag is suggested when a word of :data:`kit.vocab.LIFE_ISSUE_KEYWORDS` appears in
the case's 本人の望み, 困りごと or 経過. The text is read through janome, so that
inflected verbs match their dictionary form (歩けない → 歩ける). Each suggestion
carries the words that triggered it, so the page can say *why* it suggests a tag.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from kit.tokens import tokenize
from kit.vocab import LIFE_ISSUE_KEYWORDS, LIFE_ISSUES

__all__ = ["TEXT_COLUMNS", "Suggestion", "Score", "suggest", "case_text", "suggest_for_cases",
           "score", "tags_of", "is_own_tag", "ordered_tags", "own_tags"]

# The free-text columns of a case that are read for suggestions, in reading order.
TEXT_COLUMNS: tuple[str, ...] = ("本人の望み", "困りごと", "経過")
_VOCABULARY_ORDER = {tag: position for position, tag in enumerate(LIFE_ISSUES)}


@dataclass(frozen=True)
class Suggestion:
    tag: str
    words: tuple[str, ...]    # the keywords found in the text


def tags_of(value) -> tuple[str, ...]:
    """A tag cell as a tuple, whatever form it arrives in (tuple from the reader,
    list from the store, ``a;b`` text from a CSV, missing)."""
    if isinstance(value, (list, tuple)):
        return tuple(value)
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ()
    return tuple(part.strip() for part in str(value).split(";") if part.strip())


def is_own_tag(tag: str) -> bool:
    """A team's own 生活課題 tag (「役割」), outside the kit's vocabulary: kept as the
    team wrote it, stacked like the others, never suggested nor scored."""
    return tag not in _VOCABULARY_ORDER


def ordered_tags(tags: Iterable[str]) -> tuple[str, ...]:
    """Tags without repeats: the vocabulary's in its order, then a team's own by name."""
    return tuple(sorted(dict.fromkeys(tags), key=lambda tag: (_VOCABULARY_ORDER.get(tag, len(LIFE_ISSUES)), tag)))


def own_tags(tags_by_case: Mapping[str, Iterable[str]]) -> tuple[str, ...]:
    """The team's own tags used on any case, by name."""
    return ordered_tags(tag for tags in tags_by_case.values() for tag in tags if is_own_tag(tag))


def suggest(text: str) -> list[Suggestion]:
    """Tags whose keywords occur in ``text``, in the order of the vocabulary."""
    if not isinstance(text, str) or not text.strip():
        return []
    tokens = tokenize(text)
    words = {token.base for token in tokens} | {token.surface for token in tokens}
    base_text = "".join(token.base for token in tokens)

    def occurs(keyword: str) -> bool:
        # One character (本, 坂) only as a whole word: 本 must not match 本人.
        if len(keyword) == 1:
            return keyword in words
        return keyword in text or keyword in base_text

    suggestions = []
    for tag in LIFE_ISSUES:
        found = tuple(keyword for keyword in LIFE_ISSUE_KEYWORDS.get(tag, ()) if occurs(keyword))
        if found:
            suggestions.append(Suggestion(tag, found))
    return suggestions


def case_text(case: Mapping) -> str:
    """The free text of one case row, joined for reading."""
    parts = [case.get(column) for column in TEXT_COLUMNS]
    return "\n".join(part for part in parts if isinstance(part, str) and part.strip())


def suggest_for_cases(cases: pd.DataFrame) -> dict[str, list[Suggestion]]:
    """Suggestions for every case, by 事例ID."""
    return {row["事例ID"]: suggest(case_text(row)) for row in cases.to_dict("records")}


@dataclass(frozen=True)
class Score:
    true_positives: int
    false_positives: int
    false_negatives: int
    by_tag: pd.DataFrame      # 生活課題, 正解, 提案, 一致, 適合率, 再現率

    @property
    def precision(self) -> float:
        suggested = self.true_positives + self.false_positives
        return self.true_positives / suggested if suggested else 0.0

    @property
    def recall(self) -> float:
        expected = self.true_positives + self.false_negatives
        return self.true_positives / expected if expected else 0.0


def score(predicted: Mapping[str, Iterable[str]], truth: Mapping[str, Iterable[str]]) -> Score:
    """Micro-averaged precision and recall of tags over the cases of ``truth``."""
    rows = []
    for tag in LIFE_ISSUES:
        expected = {case for case, tags in truth.items() if tag in set(tags)}
        given = {case for case in truth if tag in set(predicted.get(case, ()))}
        rows.append({"生活課題": tag, "正解": len(expected), "提案": len(given),
                     "一致": len(expected & given)})
    by_tag = pd.DataFrame(rows)
    by_tag["適合率"] = (by_tag["一致"] / by_tag["提案"]).where(by_tag["提案"] > 0)
    by_tag["再現率"] = (by_tag["一致"] / by_tag["正解"]).where(by_tag["正解"] > 0)
    hits = int(by_tag["一致"].sum())
    return Score(hits, int(by_tag["提案"].sum()) - hits, int(by_tag["正解"].sum()) - hits, by_tag)
