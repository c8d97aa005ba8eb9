"""The 理解度チェック: anonymous answers per person, compared before and after."""

from __future__ import annotations

import math

import ipywidgets as widgets
import pytest
from widget_tree import control, html_of, walk

from kit.start import self_assessment as sa
from kit.start.model import record, responses
from kit.start.views.self_assessment import SelfAssessmentForm
from kit.store import Workspace, open_store

KEYS = [key for key, _, _ in sa.QUESTIONS]


@pytest.fixture
def team(tmp_path):
    return Workspace(open_store(str(tmp_path / "s.sqlite")), "A班")


def answers(*levels: int) -> dict[str, int]:
    return dict(zip(KEYS, levels))


def test_questions_cover_every_step_and_keys_are_unique():
    steps = {step[:2] for _, _, step in sa.QUESTIONS}
    assert {"01", "02", "03", "04"} <= steps
    assert len(set(KEYS)) == len(KEYS)


def test_each_person_is_kept_and_an_unanswered_question_is_named(team):
    assert record(team, "pre", answers(1, 2, 2, 1, 3)) == 1
    assert record(team, "pre", answers(2, 2, 3, 1, 3)) == 2
    with pytest.raises(ValueError, match="問2、問5"):
        record(team, "pre", {KEYS[0]: 3, KEYS[2]: 3, KEYS[3]: 3})
    assert [person[KEYS[0]] for person in responses(team, "pre")] == [1, 2]
    assert responses(team, "post") == []


def test_summary_compares_means_before_and_after():
    before = [answers(1, 2, 2, 1, 3), answers(2, 2, 3, 1, 3)]
    after = [answers(3, 4, 3, 3, 4)]
    table = sa.summary({"pre": before, "post": after})
    first = table.iloc[0]
    assert (first["事前 人数"], first["事前 平均"], first["事後 平均"]) == (2, 1.5, 3.0)
    assert first["変化"] == pytest.approx(1.5)
    only_before = sa.summary({"pre": before, "post": []})
    assert math.isnan(only_before.iloc[0]["変化"]) and only_before.iloc[0]["事後 人数"] == 0


def test_distribution_counts_every_level_including_empty_ones():
    spread = sa.distribution({"pre": [answers(1, 2, 2, 1, 3), answers(1, 2, 3, 1, 3)], "post": []})
    first = spread[(spread["質問"] == sa.QUESTIONS[0][1]) & (spread["時期"] == "事前")]
    assert first["人数"].tolist() == [2, 0, 0, 0]
    assert len(spread) == len(sa.QUESTIONS) * len(sa.PHASES) * len(sa.SCALE)


def test_the_form_saves_one_person_and_clears_for_the_next(team):
    form = SelfAssessmentForm(team, "post")
    toggles = [w for w in walk(form) if isinstance(w, widgets.ToggleButtons)]
    for toggle, level in zip(toggles, (4, 3, 3, 2, 4)):
        toggle.value = level
    send = control(form, "回答を送る")
    send.click()
    assert responses(team, "post") == [answers(4, 3, 3, 2, 4)]
    assert "1人目" in html_of(form)
    assert all(toggle.value is None for toggle in toggles)
    send.click()  # nothing chosen
    assert "まだ答えていない質問" in html_of(form) and len(responses(team, "post")) == 1
