"""The landing screen without a browser: choosing a workspace, saving the memo,
bringing one's own data and going back to the sample."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from widget_tree import control, html_of, html_with

from kit import datasets
from kit.start.model import MEMO_KEY
from kit.start.screen import StartScreen
from kit.store import Workspace, open_store
from kit.ui.upload import UploadBox

MEMO_PLACEHOLDER = "例: 自分の圏域の課題を、データと事例で説明できるようになりたい"
AREAS_CSV = "地区コード,地区名,地域特性\nB01,北町,都市部\nB02,南町,郊外\n".encode("utf-8-sig")


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "store.sqlite"))


def test_without_workspace_the_page_asks_for_one_and_builds_the_link(store):
    screen = StartScreen(store)
    screen.open(None)
    assert "まだワークスペースを選んでいません" in html_of(screen.view)
    name = control(screen.view, "名前")
    name.value = "3班"
    assert f'href="00_start.ipynb?ws={quote("3班")}"' in html_with(screen.view, "「3班」で始める")
    name.value = "a/b"
    assert "kit-message kit-error" in html_of(screen.view) and "で始める" not in html_of(screen.view)


def test_a_bad_name_in_the_url_is_explained_and_nothing_is_saved(store):
    assert "kit-message kit-error" in html_of(StartScreen(store).open("x" * 200).view)
    assert store.workspaces() == []


def test_memo_is_saved_as_typed_and_comes_back_in_a_new_kernel(store):
    StartScreen(store).open("3班")
    screen = StartScreen(store)
    screen.open("3班")
    control(screen.view, placeholder=MEMO_PLACEHOLDER).value = "事例を持ち帰る"
    assert Workspace(store, "3班").get(MEMO_KEY) == "事例を持ち帰る"
    again = StartScreen(store)
    again.open("3班")
    assert control(again.view, placeholder=MEMO_PLACEHOLDER).value == "事例を持ち帰る"


def test_uploaded_data_replaces_the_sample_until_taken_back(store):
    screen = StartScreen(store)
    screen.open("3班")
    workspace = Workspace(store, "3班")
    areas_row = screen.data_rows["areas"]
    assert "見本のまち" in areas_row.status_text and not areas_row.can_take_back

    areas_row.upload.handle_upload("areas.csv", AREAS_CSV)
    assert list(datasets.for_workspace(workspace, "areas")["地区コード"]) == ["B01", "B02"]
    assert "2行" in areas_row.status_text and areas_row.can_take_back
    # The town is now the user's own: the page says so, and no sample figures stand in.
    assert "自分のまち" in html_with(screen.view, "kit-town-line")
    assert datasets.source(workspace, "population") == datasets.MISSING

    areas_row.upload.handle_upload("areas.csv", b"\x89PNG\r\n\x1a\n\x00\x00")  # a wrong file
    assert list(datasets.for_workspace(workspace, "areas")["地区コード"]) == ["B01", "B02"]

    areas_row.take_back()
    assert "見本のまち" in areas_row.status_text
    assert "A05" in set(datasets.for_workspace(workspace, "areas")["地区コード"])


def test_every_input_kind_has_a_place_and_cases_are_never_uploaded_unmasked_here(store):
    from kit.io.schema import SPECS

    kinds = ["areas", "area_map", *list(datasets.KIND_LABELS)[1:]]   # with the 町丁字 → 圏域 table
    screen = StartScreen(store)
    screen.open("3班")
    rows = screen.data_rows
    assert list(rows) == kinds
    assert [row.get_title(0) for row in rows.values()] == [datasets.KIND_LABELS.get(k, SPECS[k].label) for k in kinds]
    # Cases go through page 02, which masks personal data before anything is stored.
    assert 'href="02_cases.ipynb?ws=' in rows["cases"].children[0].value
    assert not any(isinstance(w, UploadBox) for w in rows["cases"].children)
