"""Page 07 without a browser: ticks and the memo form are saved and come back in a
new kernel, a store failure is said on the page, the user's name is never saved,
and 00 and the four steps link to the page."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import nbformat
import pytest
from kit.own_town.screen import OwnTownScreen

from kit import datasets
from kit.own_town import domain as ot
from kit.pages import OWN_TOWN, STEPS
from kit.paths import NOTEBOOKS
from kit.start.screen import StartScreen
from kit.store import StoreError, Workspace, open_store

TEAM = "3班"


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "store.sqlite"))


def html_of(view) -> str:
    texts, stack = [], [view]
    while stack:
        widget = stack.pop()
        if hasattr(widget, "value") and isinstance(widget.value, str):
            texts.append(widget.value)
        stack.extend(getattr(widget, "children", ()))
    return "\n".join(texts)


def test_ticks_are_saved_at_once_and_shown_in_a_new_kernel(store):
    screen = OwnTownScreen(store).open(TEAM)
    screen._ticks["population", "asked"].value = True
    assert "保存しました" in screen._check_status.value
    assert ot.checklist(Workspace(store, TEAM))["population"]["asked"] is True
    again = OwnTownScreen(store).open(TEAM)
    assert again._ticks["population", "asked"].value is True
    assert again._ticks["population", "received"].value is False
    assert "前回の保存" in again._check_status.value
    # Opening the page saves nothing by itself.
    OwnTownScreen(store).open("別の班")
    assert Workspace(store, "別の班").keys() == []


def test_a_tick_that_cannot_be_saved_says_so_on_the_page(store, monkeypatch):
    screen = OwnTownScreen(store).open(TEAM)

    def broken(*_args, **_kwargs):
        raise StoreError("保存先に書き込めません")

    monkeypatch.setattr(screen.workspace, "update", broken)
    screen._ticks["resources", "received"].value = True
    assert "kit-error" in screen._check_status.value and "保存できませんでした" in screen._check_status.value


def test_loaded_kinds_are_read_from_the_workspace_and_others_link_to_where_they_load(store):
    Workspace(store, TEAM).put_table(datasets.table_key("population"), datasets.sample("population"))
    screen = OwnTownScreen(store).open(TEAM)
    assert "読み込み済み" in screen._loaded["population"].value
    assert f'href="00_start.ipynb?ws={quote(TEAM)}"' in screen._loaded["areas"].value
    assert f'href="{STEPS[1].file}?ws={quote(TEAM)}"' in screen._loaded["cases"].value


def test_memo_form_is_kept_but_the_name_and_contact_are_not(store):
    screen = OwnTownScreen(store).open(TEAM)
    screen._addressee.value = "介護保険課 認定係"
    screen._organisation.value = "ひかり町 地域包括ケア推進室"
    screen._name.value = "山田 一郎"
    screen._contact.value = "内線 2345"
    screen._memo_kinds["certification"].value = True
    screen._deadline.value = date(2099, 1, 29)
    assert screen._memo_problems.value == "" and not screen._memo_button.disabled
    assert "山田 一郎" in screen._preview.value and "令和81年1月29日" in screen._preview.value
    data = screen.make_memo()
    assert data and "データ提供の依頼_介護保険課_認定係" in screen._memo_link.value
    saved = str(dict(Workspace(store, TEAM).items()))
    assert "介護保険課 認定係" in saved and "山田" not in saved and "2345" not in saved

    again = OwnTownScreen(store).open(TEAM)
    assert (again._addressee.value, again._deadline.value) == ("介護保険課 認定係", date(2099, 1, 29))
    assert again._memo_kinds["certification"].value and not again._memo_kinds["population"].value
    assert again._name.value == "" and again._memo_button.disabled
    assert "自分の名前" in again._memo_problems.value


def test_the_template_button_offers_the_workbook(store):
    screen = OwnTownScreen(store).open(TEAM)
    screen.make_template("certification")
    assert f'download="{ot.template_filename("certification")}"' in screen._template_links["certification"].value


def test_guides_link_to_the_steps_that_use_each_kind_in_the_same_workspace(store):
    screen = OwnTownScreen(store).open(TEAM)
    assert f'href="{STEPS[2].file}?ws={quote(TEAM)}"' in screen._guides["actors"].value
    assert ot.KIND_GUIDES["actors"].holder in screen._guides["actors"].value


def test_the_landing_page_links_here_in_the_same_workspace(store):
    view = StartScreen(store).open(TEAM).view
    assert f'href="{OWN_TOWN.file}?ws={quote(TEAM)}"' in html_of(view)


@pytest.mark.parametrize("step", STEPS, ids=lambda page: page.file)
def test_each_step_ends_with_a_link_here(step):
    # The page template adds the visitor's ?ws= to such a link when it is followed.
    last = nbformat.read(NOTEBOOKS / step.file, as_version=4).cells[-1]
    assert last.cell_type == "markdown" and f"]({OWN_TOWN.file})" in last.source
