"""The case collection (取組事例集): the partnerships the seeds describe, searchable by
life issue and industry, and the closest ones found for a candidate partnership."""

from __future__ import annotations

import pandas as pd
import pytest

from kit import vocab
from kit.steps.actors.domain import match_issues, normalise
from kit.steps.actors.precedents import (
    COLUMNS,
    cite,
    closest,
    closest_for_matches,
    load_precedents,
    search,
)
from kit.steps.cases.issues import RegionalIssue


@pytest.fixture(scope="module")
def precedents() -> pd.DataFrame:
    return load_precedents()


def test_every_precedent_says_where_who_what_how_it_began_who_did_what_and_its_source(precedents):
    assert list(precedents.columns) == list(COLUMNS)
    assert precedents["事例ID"].is_unique
    for column in ("事例名", "地域", "主体", "本業", "生活課題", "きっかけ", "役割分担", "出典"):
        assert precedents[column].map(len).gt(0).all(), column
    assert precedents["生活課題"].map(lambda cell: set(cell) <= set(vocab.LIFE_ISSUES)).all()
    forms = set(precedents["取組形態"]) - {""}
    assert forms == set(vocab.ENGAGEMENT_FORMS)      # seed 004's three forms all have an example


@pytest.mark.parametrize("actor, place", [
    ("ウエルシア", "行田市"), ("スターバックス", "町田市"), ("ヤマト運輸", "多摩市"),
    ("セブン&アイ", "全国"), ("大和ハウス", "横浜市"), ("コガソフトウェア", "豊明市"),
    ("日本郵便", "上天草市"), ("池田町", "池田町"),
])
def test_the_partnerships_named_in_the_seeds_are_in_the_collection(precedents, actor, place):
    rows = precedents[precedents["主体"].str.contains(actor, regex=False)]
    assert rows["地域"].str.contains(place, regex=False).any()


def test_search_by_life_issue_and_by_industry_however_the_comma_is_written(precedents):
    shopping = search(precedents, life_issues=["買物"])
    assert len(shopping) >= 5 and shopping["生活課題"].map(lambda cell: "買物" in cell).all()
    retail = search(precedents, industry="卸売業，小売業")
    assert len(retail) >= 3 and set(retail["業種"]) == {"卸売業,小売業"}
    both = search(precedents, life_issues=["見守り"], industry="運輸業, 郵便業")
    assert both["主体"].str.contains("ヤマト運輸").all() and len(both) == 1
    assert search(precedents, query="デマンド")["主体"].str.contains("コガソフトウェア").all()


def test_closest_prefers_the_whole_issue_then_the_same_trade_and_explains_why(precedents):
    found = closest(precedents, ["移動", "買物"], industry="情報通信業", k=3)
    assert found.iloc[0]["主体"] == "コガソフトウェア株式会社"
    assert "同じ業種" in found.iloc[0]["理由"] and "移動・買物" in found.iloc[0]["理由"]
    assert found["近さ"].is_monotonic_decreasing
    assert closest(precedents, ["農地"]).empty


def test_each_candidate_pair_gets_precedents_on_its_issue(precedents):
    actors = normalise(pd.DataFrame([
        {"主体ID": "A1", "名称": "桜台ストア", "業種": "卸売業,小売業", "対応できる生活課題": ("買物",),
         "活動地区": ("A03",), "取組形態": "本業として展開"},
        {"主体ID": "A2", "名称": "介護タクシー", "業種": "運輸業,郵便業", "対応できる生活課題": ("移動",),
         "活動地区": ("A03",)},
    ]))
    issue = RegionalIssue("K02", "桜台の買物", ("買物", "移動"), ("A03",))
    close = closest_for_matches(precedents, match_issues([issue], actors), actors, [issue])
    assert set(close) == {("K02", "A1"), ("K02", "A2")}
    for table in close.values():
        assert len(table) == 2
        assert table["生活課題"].map(lambda cell: bool({"買物", "移動"} & set(cell))).all()
    store = close[("K02", "A1")]
    assert store["理由"].str.contains("買物").all()


def test_a_citation_names_the_case_the_place_and_the_source(precedents):
    row = precedents[precedents["主体"].str.contains("スターバックス")].iloc[0]
    line = cite(row)
    assert row["事例名"] in line and "町田市" in line and "出典" in line and row["出典"] in line
