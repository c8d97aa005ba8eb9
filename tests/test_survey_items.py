"""The questionnaire definitions the risk rates are computed from hang together."""

from kit import vocab
from kit.steps.assessment import survey_items as si


def test_needs_rules_give_every_risk_flag_in_order():
    assert tuple(rule.flag for rule in si.NEEDS_RULES) == vocab.RISK_FLAGS


def test_rules_only_read_known_items():
    known = {i.column for i in si.SURVEY_ITEMS} | {si.BMI}
    for rule in si.NEEDS_RULES:
        assert set(rule.columns) <= known, rule.flag
        assert 1 <= rule.at_least <= len(rule.columns)


def test_every_checklist_question_is_answered_once():
    numbers = [i.checklist_no for i in si.SURVEY_ITEMS if i.checklist_no is not None]
    assert len(numbers) == len(set(numbers))
    # No.12 is the BMI, computed from 身長 and 体重.
    assert set(numbers) | {12} == set(range(1, 26))
    used = {n for rule in si.CHECKLIST_RULES for n in rule.numbers}
    assert used <= set(range(1, 26))


def test_risk_codes_are_answer_codes():
    for found in si.SURVEY_ITEMS:
        codes = {code for code, _ in found.choices}
        assert set(found.risk_codes) <= codes, found.column
        assert set(found.checklist_risk_codes) <= codes, found.column
        assert bool(found.choices) != bool(found.unit), found.column


def test_headers_are_unique_and_without_spaces():
    columns = [i.column for i in si.SURVEY_ITEMS]
    assert len(columns) == len(set(columns))
    assert not any(" " in c or "\u3000" in c for c in columns)
