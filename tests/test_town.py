"""The town a workspace is about: the sample town, a municipality chosen from the
national data, or the user's own files — never the sample town's figures shown
as the user's, and files that disagree named and put right in one click."""

from __future__ import annotations

import pandas as pd
import pytest

from kit import datasets, vocab
from kit import town as tw
from kit.steps.assessment import domain as asm
from kit.store import Workspace, open_store

AREAS = pd.DataFrame({"地区コード": ["B01", "B02"], "地区名": ["北", "南"], "地域特性": [pd.NA, pd.NA]})


@pytest.fixture
def workspace(tmp_path):
    with open_store(str(tmp_path / "s.sqlite")) as store:
        yield Workspace(store, "わたしのまち")


def own_areas(codes=("B01", "B02")) -> pd.DataFrame:
    areas = datasets.sample("areas").iloc[: len(codes)].copy()
    areas["地区コード"] = list(codes)
    return areas


def population_for(codes) -> pd.DataFrame:
    """The sample's population, its first areas renamed to ``codes``."""
    population = datasets.sample("population")
    first = list(dict.fromkeys(population["地区コード"]))[: len(codes)]
    population = population[population["地区コード"].isin(first)].copy()
    population["地区コード"] = population["地区コード"].map(dict(zip(first, codes)))
    return population


def test_a_new_workspace_learns_on_the_sample_town(workspace):
    town = tw.current(workspace)
    assert town.sample and not town.own
    for kind in datasets.KIND_LABELS:
        assert datasets.source(workspace, kind) == datasets.SAMPLE
        assert len(datasets.for_workspace(workspace, kind)) == len(datasets.sample(kind))


def test_own_files_make_the_town_own_and_the_rest_missing_not_sample(workspace):
    datasets.put_upload(workspace, "areas", own_areas())
    town = tw.current(workspace)
    assert town.own and not town.sample and town.shown_name == tw.OWN_NAME
    assert datasets.source(workspace, "areas") == datasets.UPLOAD
    for kind in ("population", "certification", "needs_survey", "resources", "cases", "actors"):
        assert datasets.source(workspace, kind) == datasets.MISSING
        table = datasets.for_workspace(workspace, kind)
        assert table.empty
        assert list(table.columns)[: len(datasets.empty(kind).columns)] == list(datasets.empty(kind).columns)


def test_practising_shows_the_sample_and_keeps_the_own_files(workspace):
    datasets.put_upload(workspace, "areas", own_areas())
    tw.set_practice(workspace, True)
    town = tw.current(workspace)
    assert town.sample and town.own and "練習中" in town.label
    assert datasets.source(workspace, "areas") == datasets.SAMPLE
    assert "A01" in set(datasets.for_workspace(workspace, "areas")["地区コード"])
    assert datasets.is_uploaded(workspace, "areas")
    tw.set_practice(workspace, False)
    assert list(datasets.for_workspace(workspace, "areas")["地区コード"]) == ["B01", "B02"]


def test_replacing_the_areas_names_the_population_file_and_one_click_puts_it_right(workspace):
    datasets.put_upload(workspace, "areas", own_areas(("B01", "B02")))
    datasets.put_upload(workspace, "population", population_for(("B01", "B02")))
    assert datasets.mismatches(workspace) == []
    assert datasets.source(workspace, "population") == datasets.UPLOAD

    datasets.put_upload(workspace, "areas", own_areas(("C01", "C02", "C03")))
    found = datasets.mismatches(workspace)
    assert [m.kind for m in found] == ["population"]
    assert "「人口 (実績・推計)」のファイル" in found[0].message and "B01" in found[0].message
    # Until put right, the disagreeing file is not used (no chart draws it against other areas).
    assert datasets.source(workspace, "population") == datasets.MISMATCH
    assert datasets.for_workspace(workspace, "population").empty

    datasets.restore_previous_areas(workspace)
    assert datasets.mismatches(workspace) == []
    assert list(datasets.for_workspace(workspace, "areas")["地区コード"]) == ["B01", "B02"]


def test_taking_the_disagreeing_file_back_also_puts_it_right(workspace):
    datasets.put_upload(workspace, "areas", own_areas(("B01", "B02")))
    datasets.put_upload(workspace, "population", population_for(("B01", "X09")))
    assert [m.kind for m in datasets.mismatches(workspace)] == ["population"]
    datasets.delete_upload(workspace, "population")
    assert datasets.mismatches(workspace) == []
    assert datasets.source(workspace, "population") == datasets.MISSING


def test_town_rows_count_for_the_years_the_areas_lack():
    """A city's wards are counted in 2020; its projection exists only for the whole
    city (地区コード 全域): the town's figures follow both, each once."""
    population = datasets.sample("population")
    areas = datasets.sample("areas")
    counted = population[population["年"] == 2020]
    whole = population[population["年"] == 2040].groupby(["年", "性別", "年齢階級", "区分"], as_index=False)["人口"].sum()
    whole["地区コード"] = vocab.WHOLE_TOWN
    table = asm.population_table(pd.concat([counted, whole], ignore_index=True), areas)
    town = table[table["地区コード"] == vocab.WHOLE_TOWN]
    assert not town.duplicated(["年", "年齢区分"]).any()
    assert set(town["年"]) == {2020, 2040}
    expected = population[(population["年"] == 2040) & (population["性別"] == "計")]["人口"].sum()
    assert town[(town["年"] == 2040) & (town["年齢区分"] == "総数")]["人口"].iloc[0] == expected
    # The areas themselves have 2020 only: no growth is invented for them.
    assert set(table.loc[table["地区コード"] == "A01", "年"]) == {2020}


def test_a_population_file_naming_unknown_areas_can_make_the_area_list_with_the_users_ok(workspace):
    from kit.ui.town import DataRow

    changes = []
    population = population_for(("X01", "X02"))
    population["地区名"] = population["地区コード"].map({"X01": "東部", "X02": "西部"})
    known = lambda: list(datasets.for_workspace(workspace, "areas")["地区コード"])  # noqa: E731
    row = DataRow("population", workspace, lambda: changes.append(1), known_areas=known)
    row.upload.handle_upload("人口.csv", population.to_csv(index=False).encode("utf-8"))
    # Refused against the sample town's areas, nothing stored, and the offer made.
    assert not datasets.is_uploaded(workspace, "population") and not changes
    assert "いまの地区の一覧にありません" in row._offer.children[0].value
    assert tw.current(workspace).sample

    row.make_areas()
    assert tw.current(workspace).own and changes
    areas = datasets.for_workspace(workspace, "areas")
    assert dict(zip(areas["地区コード"], areas["地区名"])) == {"X01": "東部", "X02": "西部"}
    assert datasets.source(workspace, "population") == datasets.UPLOAD
    assert datasets.source(workspace, "certification") == datasets.MISSING
    assert datasets.mismatches(workspace) == []


def test_a_population_by_small_area_is_summed_per_area_through_the_map(workspace):
    """The usual way a municipality gets 圏域 figures: 町丁字 rows and a table
    saying which 圏域 each 町丁字 belongs to."""
    from kit.io import load
    from kit.ui.town import DataRow

    datasets.put_upload(workspace, "areas", own_areas(("B01", "B02")))
    small = population_for(("T1", "T2", "T3"))
    mapping = pd.DataFrame({"町丁字コード": ["T1", "T2", "T3"], "地区コード": ["B01", "B01", "B02"]})
    known = lambda: list(datasets.for_workspace(workspace, "areas")["地区コード"])  # noqa: E731
    map_row = DataRow("area_map", workspace, lambda: None, known_areas=known)
    map_row.upload.handle_upload("対応表.csv", mapping.to_csv(index=False).encode("utf-8"))
    assert datasets.is_uploaded(workspace, "area_map")

    row = DataRow("population", workspace, lambda: None, known_areas=known)
    row.upload.handle_upload("町丁字別人口.csv", small.to_csv(index=False).encode("utf-8"))
    assert not datasets.is_uploaded(workspace, "population")          # refused as it came …
    assert "町丁字 3 を地区 2 にまとめました" in row._offer.children[0].value
    row.sum_by_map()                                                   # … and read summed, with the user's OK
    stored = datasets.for_workspace(workspace, "population")
    assert set(stored["地区コード"]) == {"B01", "B02"}
    total = lambda table, code: table[(table["地区コード"] == code) & (table["性別"] == "計")]["人口"].sum()  # noqa: E731
    assert total(stored, "B01") == total(small, "T1") + total(small, "T2")
    assert total(stored, "B02") == total(small, "T3")
    assert datasets.mismatches(workspace) == []
    assert load("population", stored.to_csv(index=False).encode(), known_areas=["B01", "B02"]).ok


def test_opening_01_on_an_own_town_saves_nothing(workspace):
    """A page that opens writes nothing: a workspace too large to open must keep
    its data untouched, and two PCs opening a page must not race on its settings."""
    from kit.steps.assessment.screen import AssessmentScreen

    datasets.put_upload(workspace, "areas", own_areas())
    before = {key: workspace.store.updated_at(workspace.name, key) for key in workspace.keys()}
    AssessmentScreen(store=workspace.store, warm=False).open(workspace.name)
    assert {key: workspace.store.updated_at(workspace.name, key) for key in workspace.keys()} == before
