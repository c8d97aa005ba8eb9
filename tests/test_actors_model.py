"""The actors step's model without its page: the partners a team chooses per issue
(the exercise's answer, 04 and the gallery read it), the issue it keeps in view,
and the matching list built from them."""

from __future__ import annotations

import dataclasses

import pytest

from kit.steps.actors.model import (CHOSEN_KEY, PARTNERS_MAX, SETTINGS_KEY, ActorsModel, ChosenPartner,
                                    PartnerRefused, chosen_partners, progress)
from kit.steps.cases.issues import RegionalIssue
from kit.steps.cases.model import save_issues
from kit.store import Workspace, open_store

TEAM = "主体班"
SHOPPING = RegionalIssue("R1", "桜台の坂の上で買物に行けない", ("買物", "移動"), ("A03",))
LONELY = RegionalIssue("R2", "一人暮らしの高齢者が孤立している", ("見守り", "居場所"), ())


@pytest.fixture
def workspace(tmp_path):
    workspace = Workspace(open_store(str(tmp_path / "s.sqlite")), TEAM)
    save_issues(workspace, [SHOPPING, LONELY])
    return workspace


def ranked(model: ActorsModel, issue_id: str) -> list[str]:
    return model.candidates(issue_id).sort_values("順位")["主体ID"].tolist()


def test_nothing_is_chosen_until_the_team_chooses(workspace):
    model = ActorsModel.open(workspace)
    assert chosen_partners(workspace) == [] and model.chosen == []
    assert model.unchosen_issues() == ["R1", "R2"]
    table, _ = model.matching_table(0, include_contacts=False)
    assert table.empty                                          # the list does not choose for the team


def test_chosen_partners_are_kept_per_issue_in_the_teams_order_with_their_reasons(workspace):
    model = ActorsModel.open(workspace)
    first, second, third, fourth = ranked(model, "R1")[:4]
    model.choose("R1", third, "坂の上まで配達している")
    model.choose("R1", first, "店の困りごとが課題と重なる")
    other = ranked(model, "R2")[0]
    model.choose("R2", other, "見守りの人手がある")
    kept = chosen_partners(Workspace(workspace.store, TEAM))
    assert [(p.issue_id, p.actor_id, p.reason) for p in kept] == [
        ("R1", third, "坂の上まで配達している"), ("R1", first, "店の困りごとが課題と重なる"),
        ("R2", other, "見守りの人手がある")]
    assert kept[0].name == model.record(third)["名称"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        kept[0].reason = "書き換え"
    model.choose("R1", third, "配達の車を出せる")               # choosing again replaces the reason
    assert [p.reason for p in chosen_partners(workspace) if p.actor_id == third] == ["配達の車を出せる"]
    assert progress(workspace).status != "未着手"
    assert model.unchosen_issues() == []


def test_at_most_three_per_issue_with_a_reason_each(workspace):
    model = ActorsModel.open(workspace)
    ids = ranked(model, "R1")
    with pytest.raises(PartnerRefused, match="理由"):
        model.choose("R1", ids[0], "   ")
    with pytest.raises(PartnerRefused, match="リストにありません"):
        model.choose("R1", "NO-SUCH", "理由あり")
    for actor_id in ids[:PARTNERS_MAX]:
        model.choose("R1", actor_id, "理由あり")
    with pytest.raises(PartnerRefused, match=f"もう{PARTNERS_MAX}者"):
        model.choose("R1", ids[PARTNERS_MAX], "理由あり")
    model.choose("R2", ids[PARTNERS_MAX], "別の課題なら選べる")
    model.unchoose("R1", ids[0])
    model.choose("R1", ids[PARTNERS_MAX], "一つ外したので選べる")
    assert [p.actor_id for p in model.partners("R1")] == [*ids[1:PARTNERS_MAX], ids[PARTNERS_MAX]]


def test_the_matching_list_puts_the_chosen_first_then_only_the_candidates_asked_for(workspace):
    model = ActorsModel.open(workspace)
    ids = ranked(model, "R1")
    model.choose("R1", ids[2], "坂の上まで配達している")
    table, _ = model.matching_table(0, include_contacts=False)
    assert table["区分"].tolist() == ["選んだ相手"] and table["選んだ理由"].tolist() == ["坂の上まで配達している"]
    table, _ = model.matching_table(2, include_contacts=False)
    r1 = table[table["課題ID"] == "R1"]
    assert r1["区分"].tolist() == ["選んだ相手", "候補", "候補"]
    assert r1["順位"].tolist() == [3, 1, 2]                     # the best-ranked others, the chosen one not twice


def test_the_issue_in_view_is_kept_and_a_stale_one_falls_back_to_the_first(workspace):
    model = ActorsModel.open(workspace)
    assert model.issue == "R1" and workspace.get(SETTINGS_KEY) is None   # opening writes nothing
    model.issue = "R2"
    model.save_settings()
    assert ActorsModel.open(Workspace(workspace.store, TEAM)).issue == "R2"
    save_issues(workspace, [SHOPPING])                          # 02 dropped R2 meanwhile
    assert ActorsModel.open(workspace).issue == "R1"


def test_a_damaged_stored_entry_is_skipped_not_fatal(workspace):
    workspace.put(CHOSEN_KEY, ["壊れた値", {"issue_id": "R1"}, {"issue_id": "R1", "actor_id": "S001", "name": "A",
                                                             "reason": "理由"}])
    assert chosen_partners(workspace) == [ChosenPartner("R1", "S001", "A", "理由")]
