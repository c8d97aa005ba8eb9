"""Risk rule sets of the ニーズ調査: what each counts, how non-response is handled,
and the rates per area a user reads on the 地域診断 page."""

from __future__ import annotations

import pandas as pd
import pytest

from kit import datasets, vocab
from kit.steps.assessment import risk_rules, survey_items

AREAS = pd.DataFrame({"地区コード": ["B01", "B02"], "地区名": ["北町", "南町"]})
MOTOR = ["問2(1)階段昇り", "問2(2)椅子立ち上がり", "問2(3)15分歩行", "問2(4)転倒経験", "問2(5)転倒不安"]


def survey(rows: list[dict], areas: list[str] | None = None) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame.insert(0, "地区コード", areas or ["B01"] * len(rows))
    frame.index = pd.Index(range(2, 2 + len(rows)), name="行")  # Excel rows, header = 1
    return frame


def motor(*answers) -> dict:
    return dict(zip(MOTOR, answers))


def verdicts(judged: pd.Series) -> list[bool | None]:
    """True (該当), False (非該当) or None (判定不能) per respondent."""
    return [None if pd.isna(value) else bool(value) for value in judged]


def test_every_rule_set_states_items_thresholds_and_source():
    for rules in risk_rules.RULE_SETS:
        assert rules.name and rules.source
        described = risk_rules.describe(rules)
        assert list(described["リスク"]) == [rule.label for rule in rules.rules]
        assert described["判定基準"].str.len().gt(0).all()
        assert described["出典"].eq(rules.source).all()
    needs = risk_rules.rule_set("needs")
    assert [rule.label for rule in needs.rules] == list(vocab.RISK_FLAGS)
    motor_rule = needs.rules[0]
    assert motor_rule.threshold == "5項目中3項目以上に該当"
    assert "できない(3)" in motor_rule.criteria[0].text


def test_three_motor_answers_flag_and_unanswered_items_leave_the_denominator():
    rows = [
        motor("3", "3", "3", "3", "4"),     # 3 counting: 該当
        motor("1", "1", "1", "3", "4"),     # 0 counting, all answered: 非該当
        motor("3", "3", None, "3", "4"),    # 2 counting, 1 unanswered: cannot tell
        motor("1", "1", None, None, "4"),   # 0 counting, 2 unanswered: cannot reach 3
    ]
    judged = risk_rules.judge(survey(rows), risk_rules.rule_set("needs"))["運動器機能低下"]
    assert judged.tolist()[:2] == [True, False]
    assert pd.isna(judged.iloc[2])
    assert judged.iloc[3] is False or judged.iloc[3] == False  # noqa: E712 (pandas boolean)

    rates = risk_rules.risk_rates(survey(rows), risk_rules.rule_set("needs"), AREAS)
    row = rates[(rates["地区コード"] == "B01") & (rates["リスク"] == "運動器機能低下")].iloc[0]
    assert (row["該当者数"], row["分母"], row["判定不能"], row["回答者数"]) == (1, 3, 1, 4)
    assert row["該当率"] == pytest.approx(1 / 3)


def test_answers_as_printed_labels_and_full_width_headers_are_read():
    by_label = survey([{"問２（１）階段昇り": "できない", "問2(2)": "できない", "問2(3)15分歩行": "３",
                        "問2(4)転倒経験": "ない", "問2(5)転倒不安": "不安でない"}])
    judged = risk_rules.judge(by_label, risk_rules.rule_set("needs"))
    assert verdicts(judged["運動器機能低下"]) == [True]


def test_an_unreadable_answer_is_reported_by_row_and_column_and_counts_as_unanswered():
    rows = [motor("3", "3", "3", "3", "4"), motor("3", "7", "3", "3", "4")]
    problems = risk_rules.item_problems(survey(rows))
    assert len(problems) == 1
    assert problems[0].startswith("3行目「問2(2)椅子立ち上がり」")
    assert "「7」" in problems[0]
    # 2 of the 4 answered items count, one is unreadable: the rule cannot tell.
    judged = risk_rules.judge(survey(rows), risk_rules.rule_set("needs"))["運動器機能低下"]
    assert verdicts(judged) == [True, None]


def test_low_bmi_with_weight_loss_is_undernutrition():
    rows = [{survey_items.HEIGHT: "160", survey_items.WEIGHT: "45", "問3(5)体重減少": "1"},   # BMI 17.6
            {survey_items.HEIGHT: "160", survey_items.WEIGHT: "60", "問3(5)体重減少": "1"},   # BMI 23.4
            {survey_items.HEIGHT: "", survey_items.WEIGHT: "45", "問3(5)体重減少": "1"}]
    judged = risk_rules.judge(survey(rows), risk_rules.rule_set("needs"))["低栄養"]
    assert verdicts(judged) == [True, False, None]


def test_areas_below_30_judged_respondents_are_marked_as_reference_values():
    rows = [motor("1", "1", "1", "3", "4")] * 40 + [motor("3", "3", "3", "3", "4")] * 10
    areas = ["B01"] * 40 + ["B02"] * 10
    rates = risk_rules.risk_rates(survey(rows, areas), risk_rules.rule_set("needs"), AREAS)
    motor_rates = rates[rates["リスク"] == "運動器機能低下"].set_index("地区コード")
    assert not motor_rates.loc["B01", "参考値"]
    assert motor_rates.loc["B02", "参考値"]
    assert motor_rates.loc[vocab.WHOLE_TOWN, "分母"] == 50
    assert motor_rates.loc[vocab.WHOLE_TOWN, "該当率"] == pytest.approx(10 / 50)
    assert rates["判定方法"].eq("ニーズ調査 手引き").all()


def test_ready_made_flags_are_counted_without_items():
    flags = pd.DataFrame({"地区コード": ["B01"] * 3, "閉じこもり傾向": pd.array([True, False, None], dtype="boolean")})
    usable = [rules.key for rules in risk_rules.usable_rule_sets(flags)]
    assert usable == ["flags"]
    rates = risk_rules.risk_rates(flags, risk_rules.rule_set("flags"), AREAS)
    row = rates[(rates["地区コード"] == "B01") & (rates["リスク"] == "閉じこもり傾向")].iloc[0]
    assert (row["該当者数"], row["分母"]) == (1, 2)
    # A flag the file does not have cannot be judged at all.
    assert rates[rates["リスク"] == "低栄養"]["分母"].eq(0).all()


def test_checklist_rules_need_the_optional_items():
    rows = [motor("3", "3", "3", "3", "4")]
    rules = risk_rules.rule_set("checklist")
    missing = risk_rules.missing_columns(survey(rows), rules)
    assert "基本(21)充実感がない" in missing
    rates = risk_rules.risk_rates(survey(rows), rules, AREAS)
    assert rates[rates["リスク"] == "うつ病の可能性"]["分母"].eq(0).all()
    assert rates[(rates["リスク"] == "運動機能の低下") & (rates["地区コード"] == "B01")]["該当者数"].iloc[0] == 1


def test_on_the_sample_town_switching_rule_set_changes_the_shut_in_rate():
    sample, areas = datasets.sample("needs_survey"), datasets.sample("areas")
    assert risk_rules.item_problems(sample) == []
    assert {r.key for r in risk_rules.usable_rule_sets(sample)} >= {"needs", "checklist"}

    def town_rate(key: str, domain: str) -> float:
        rates = risk_rules.risk_rates(sample, risk_rules.rule_set(key), areas)
        return rates[(rates["地区コード"] == vocab.WHOLE_TOWN) & (rates["領域"] == domain)]["該当率"].iloc[0]

    # The 手引き counts 「週1回」 as going out too little; the checklist only 「ほとんど外出しない」.
    assert town_rate("needs", "閉じこもり傾向") > town_rate("checklist", "閉じこもり傾向")
    rates = risk_rules.risk_rates(sample, risk_rules.rule_set("needs"), areas)
    assert (rates["分母"] <= rates["回答者数"]).all()
    assert (rates["判定不能"] > 0).any()  # the sample has blanks, and they leave the denominator
