"""A team's own words where the kit can keep them, and the mapping step's choices.

A 生活課題 tag outside the kit's vocabulary (「役割」) is the team's own tag: the
file loads, the summary lists it, and page 02 shows it on the case, offers it
when tagging and stacks it into regional issues like any other tag.
"""

from kit import datasets
from kit.io import load
from kit.io.schema import SPECS
from kit.steps.cases import domain as cs
from kit.steps.cases.model import saved_issues
from kit.store import Workspace, open_store
from kit.ui.upload import UploadBox

AREAS = "地区コード,地区名\nA01,中央\nA02,北部\n"
CASES = ("事例ID,地区コード,年齢階級,性別,世帯,要介護度,本人の望み,困りごと,生活課題\n"
         "K1,A01,80-84,女,独居,要支援1,地域の役に立ちたい,出番がない,役割;居場所\n"
         "K2,A02,75-79,男,独居,自立,畑を続けたい,人の役に立つ場がない,役割\n"
         "K3,A02,85-89,女,同居,要介護1,買物に行きたい,店が遠い,買い物\n")


def test_own_tags_are_kept_and_listed_never_refused():
    result = load("cases", CASES.encode(), filename="事例.csv")
    assert result.ok, result.report()
    assert result.data.loc[2, "生活課題"] == ("役割", "居場所")
    assert result.data.loc[4, "生活課題"] == ("買物",)           # a spelling of the vocabulary's term
    assert result.own_terms == {"生活課題": {"役割": 2}}
    assert "「生活課題」のキットの語彙にない語は、独自の語として残しました: 役割（2行）" in result.summary()


def test_actors_own_life_issues_are_kept_too():
    text = "主体ID,名称,対応できる生活課題\nA1,みどり商店,買物;役割づくり\n"
    result = load("actors", text.encode(), filename="主体.csv")
    assert result.ok, result.report()
    assert result.data.loc[2, "対応できる生活課題"] == ("買物", "役割づくり")
    assert "役割づくり（1行）" in result.summary()


def test_own_tags_reach_page_02_cards_tagging_stacking_and_issues(tmp_path):
    from kit.steps.cases.screen import CasesScreen

    store = open_store(str(tmp_path / "s.sqlite"))
    workspace = Workspace(store, "班")
    workspace.put_table(datasets.table_key("areas"), load("areas", AREAS.encode(), filename="a.csv").data)
    screen = CasesScreen(store).open("班")
    screen.importer.load_file("事例.csv", CASES.encode())
    screen.importer.confirm()
    # On the case card, marked as the team's own.
    assert "役割（独自）" in screen.cards.html
    # Offered when tagging, and kept when another tag is ticked.
    screen.model.tag_case = "K1"
    assert "役割" in screen.tagging.ticked and screen.tagging.labels["役割"] == "役割（独自）"
    screen.tagging.tick("見守り")
    assert set(screen.model.tags["K1"]) == {"役割", "居場所", "見守り"}
    # Stacked by area, and grouped into a regional issue.
    assert "<td>役割</td>" in screen.stacking.by_area
    table = cs.tags_by_area(screen.model.cards(), screen.model.areas).set_index("生活課題")
    assert table.loc["役割", "計"] == 2 and table.loc["役割", "範囲"] == "普遍的"
    cards = [value for _label, value in screen.grouping.loose if value.endswith("|役割")]
    screen.model.selected_cards = tuple(cards)
    screen.model.group_name = "出番がない"
    screen.grouping.make_group()
    screen.statements.box(screen.model.groups["groups"][0]["id"]).write("役割を持ちたい高齢者に出番がない")
    issues = saved_issues(workspace)
    assert issues[0].life_issues == ("役割",) and set(issues[0].case_ids) == {"K1", "K2"}


def test_the_mapping_step_offers_every_column_of_the_kind():
    loaded = []
    box = UploadBox("population", loaded.append)
    content = "番号,時点,性,年齢階級,人口\nA01,2025,男,65～69歳,10\nA01,2025,女,65～69歳,12\n"
    box.handle_upload("人口.csv", content.encode())
    assert box.mapping_headers == ["番号", "時点", "性"]
    # 性別 has a default (計), so it is never "missing": it must be offered all the same.
    assert set(box.mapping_options) == set(SPECS["population"].names)
    labels = [label for label, _value in box._choices["性"].options]
    assert "地区コード（必須）" in labels and "年齢階級（いまは「年齢階級」）" in labels
    box.choose("番号", "地区コード")
    box.choose("時点", "年")
    box.choose("性", "性別")
    assert box.apply_mapping().ok
    assert list(loaded[0].data["性別"]) == ["男", "女"]
