"""The municipal checklist of seed 002 for prefectural staff: classification into
未着手 / 課題あり / 順調, the support each gets, uploads and the form."""

from __future__ import annotations

import io

import ipywidgets as widgets
import openpyxl
import pytest

from kit.steps.assessment import checklist as cl
from kit.steps.assessment.model import CHECKLIST_KEY
from kit.steps.assessment.views.checklist import ChecklistPanel
from kit.store import Workspace, open_store
from shown import of_type, shown_html

YES, NO = True, False


@pytest.mark.parametrize("q1, q3, expected", [
    ((NO, None, None), (), "未着手"),
    ((YES, NO, None), (), "未着手"),
    ((YES, YES, NO), (), "課題あり"),
    ((YES, YES, YES), ("主体が分からない",), "課題あり"),
    ((YES, YES, YES), (), "順調"),
    ((YES, None, None), (), cl.INCOMPLETE),
])
def test_flowchart_answers_give_the_class(q1, q3, expected):
    assert cl.classify(cl.Answers(q1=q1, q3=q3)).name == expected


def test_support_follows_the_class_and_the_blockers():
    not_started = cl.classify(cl.Answers(q1=(NO, None, None)))
    assert set(not_started.proposed) == {"研修", "事例集"}
    assert not_started.policy.startswith("ステップ1")
    stuck = cl.classify(cl.Answers(q1=(YES, YES, YES), q3=("主体が分からない", "アイデアが無い")))
    assert {"主体リスト", "イベント", "事例集", "ガイドブック"} <= set(stuck.proposed)
    content = cl.classify(cl.Answers(q1=(YES, YES, YES), q4=("支援不要",)))
    assert content.wished == ("支援不要",)
    assert "意向" in content.note


def test_every_class_and_choice_is_data_with_its_wording():
    assert [c.name for c in cl.CLASSES] == ["未着手", "課題あり", "順調"]
    assert len(cl.Q1_STEPS) == 3 and len(cl.Q3_CHOICES) == 4 and len(cl.Q4_CHOICES) == 8
    keys = {c.key for c in cl.Q4_CHOICES}
    assert all(set(c.support) <= keys for c in cl.CLASSES)


def test_an_uploaded_table_is_read_with_labels_keys_and_yes_no_variants():
    text = ("市町村名,Q1-1 課題把握,Q1-2 仕組み,Q1-3 具体策,Q2 自由記述,Q3 困りごと,Q4 希望する支援\n"
            "北町,いいえ,,,課題をまだ集めていない,,市町村職員・SC等向け研修\n"
            "南町,○,○,×,,多様な主体との議論の進め方が分からない、アイデアが無い,伴走支援;事例集\n"
            "東村,はい,はい,はい,,,支援不要\n")
    table, problems = cl.read_answers(text.encode("cp932"), "回答.csv")
    assert problems == []
    classified = cl.classify_table(table).set_index("市町村名")
    assert classified.loc["北町", "区分"] == "未着手"
    assert classified.loc["南町", "区分"] == "課題あり"
    assert classified.loc["南町", "希望する支援"] == "事例集、伴走支援"
    assert classified.loc["東村", "区分"] == "順調"
    summary = cl.class_summary(cl.classify_table(table)).set_index("区分")
    assert summary["市町村数"].to_dict() == {"未着手": 1, "課題あり": 1, "順調": 1}


def test_a_wrong_upload_names_file_row_and_column_and_gives_no_table():
    text = ("市町村名,Q1-1,Q1-2,Q1-3,Q3\n"
            "北町,たぶん,,,\n"
            "南町,はい,はい,はい,予算がない\n"
            "北町,いいえ,,,\n")
    table, problems = cl.read_answers(text.encode("utf-8"), "回答.csv")
    assert table is None
    assert any(p.startswith("回答.csv 2行目「Q1-1」") for p in problems)
    assert any(p.startswith("回答.csv 3行目「Q3」") and "予算がない" in p for p in problems)
    assert any(p.startswith("回答.csv 4行目「市町村名」") and "重複" in p for p in problems)
    table, problems = cl.read_answers("市町村名,Q2\n北町,メモ\n".encode(), "足りない.csv")
    assert table is None and "Q1-1" in problems[0]


@pytest.fixture
def panel(tmp_path):
    workspace = Workspace(open_store(str(tmp_path / "s.sqlite")), "県庁")
    panel = ChecklistPanel()
    panel.bind(workspace)
    return panel, workspace


def test_the_form_follows_the_flowchart_and_saves_to_the_workspace(panel):
    panel, workspace = panel
    form = panel.model

    def asked() -> list[str]:
        return [step.key for step in cl.Q1_STEPS if f"<b>{step.key}</b>" in shown_html(panel)]

    def answer(step: int, value: bool) -> None:   # a click on the step's shown 「はい」/「いいえ」
        of_type(panel, widgets.ToggleButtons)[step].value = value

    form.name = "北町"
    assert asked() == ["Q1-1"]
    answer(0, True)
    answer(1, True)
    answer(2, False)
    assert asked() == ["Q1-1", "Q1-2", "Q1-3"]
    assert "分類: 課題あり" in shown_html(panel)
    answer(0, False)  # answering 「いいえ」 earlier closes and clears the later steps
    assert form.q1 == (False, None, None) and asked() == ["Q1-1"]
    form.q1 = (True, True, True)   # the form shows the model's answers
    assert [box.value for box in of_type(panel, widgets.ToggleButtons)] == [True, True, True]
    assert "分類: 順調" in shown_html(panel)
    form.q1 = (False, None, None)
    assert "分類: 未着手" in shown_html(panel)
    panel.add_current()
    saved = workspace.get_table(CHECKLIST_KEY)
    assert saved["市町村名"].tolist() == ["北町"] and saved["Q1-1"].tolist() == ["いいえ"]
    assert "未着手" in shown_html(panel).split("分類の結果")[1]


def test_a_failed_upload_keeps_the_table_and_the_export_opens(panel):
    panel, workspace = panel
    good = "市町村名,Q1-1,Q1-2,Q1-3,Q2\n北町,いいえ,,,担当の佐藤 090-1234-5678 に聞く\n南町,はい,はい,はい,\n"
    assert panel.handle_upload("回答.csv", good.encode())
    assert not panel.handle_upload("壊れた.csv", b"\x89PNG\r\n\x1a\n\x00\x00")
    assert "そのまま" in shown_html(panel)
    assert workspace.get_table(CHECKLIST_KEY)["市町村名"].tolist() == ["北町", "南町"]

    book = openpyxl.load_workbook(io.BytesIO(panel.export()))
    assert book.sheetnames == ["分類", "区分ごと"]
    cells = [c.value for row in book["分類"].iter_rows() for c in row]
    assert "未着手" in cells and "順調" in cells
    assert not any(isinstance(v, str) and "090-1234-5678" in v for v in cells)
