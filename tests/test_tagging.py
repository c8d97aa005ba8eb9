"""Tag suggestions: found from the case's own words, explained, and measured against the answer key."""

from collections import Counter

import pandas as pd
import pytest

from kit import datasets
from kit.paths import SAMPLE_TOWN
from kit.steps.cases.tagging import (
    case_text,
    score,
    suggest,
    suggest_for_cases,
    tags_of,
)
from kit.vocab import LIFE_ISSUE_KEYWORDS, LIFE_ISSUES


def tags(text):
    return [s.tag for s in suggest(text)]


def test_inflected_verbs_match_their_dictionary_form():
    assert "移動" in tags("坂道が多くてバス停まで歩けない")
    assert "健康" in tags("去年、玄関で転んでしまった")


def test_words_inside_longer_words_match():
    assert "掃除" in tags("ゴミ出しが難しい")


def test_one_character_keywords_match_whole_words_only():
    assert "学び" not in tags("本人はそう話している")
    assert "学び" in tags("本を読むのが楽しみ")


def test_each_suggestion_says_which_words_led_to_it():
    found = {s.tag: s.words for s in suggest("免許を返納して、通院の足がない")}
    assert "免許" in found["移動"] and "通院" in found["医療"]


def test_suggestions_follow_the_vocabulary_order():
    found = tags("買い物に行けず、掃除もできない")
    assert found == sorted(found, key=LIFE_ISSUES.index)


@pytest.mark.parametrize("text", ["", "   ", None])
def test_empty_text_suggests_nothing(text):
    assert suggest(text) == []


def test_tag_cells_are_read_in_every_form():
    assert tags_of(("移動", "買物")) == ("移動", "買物")
    assert tags_of(["移動"]) == ("移動",)
    assert tags_of("移動;買物") == ("移動", "買物")
    assert tags_of(float("nan")) == () and tags_of(None) == ()


def test_every_life_issue_has_keywords_and_each_keyword_one_tag():
    assert set(LIFE_ISSUE_KEYWORDS) == set(LIFE_ISSUES)
    assert all(LIFE_ISSUE_KEYWORDS[tag] for tag in LIFE_ISSUES)
    counts = Counter(k for words in LIFE_ISSUE_KEYWORDS.values() for k in words)
    assert [k for k, n in counts.items() if n > 1] == []


def test_score_counts_hits_wrong_and_missed():
    result = score({"a": ["移動", "買物"], "b": ["見守り"]}, {"a": ["移動"], "b": ["居場所"]})
    assert (result.true_positives, result.false_positives, result.false_negatives) == (1, 2, 1)
    assert result.precision == pytest.approx(1 / 3) and result.recall == pytest.approx(1 / 2)
    row = result.by_tag.set_index("生活課題").loc["移動"]
    assert (row["正解"], row["提案"], row["一致"]) == (1, 1, 1)


def test_suggestions_recover_most_of_the_answer_key():
    cases = datasets.sample("cases")
    key = pd.read_csv(SAMPLE_TOWN / "cases_answer_key.csv", dtype=str, encoding="utf-8-sig")
    truth = {row["事例ID"]: tags_of(row["生活課題"]) for row in key.to_dict("records")}
    predicted = {case: [s.tag for s in found] for case, found in suggest_for_cases(cases).items()}
    result = score(predicted, truth)
    # Floors, not the measured figures (bench/bench_tagging.py prints those).
    assert result.recall >= 0.75
    assert result.precision >= 0.5


def test_case_text_joins_the_free_text_columns():
    text = case_text({"本人の望み": "歩きたい", "困りごと": "坂", "経過": None})
    assert text == "歩きたい\n坂"
