"""Page 07 without a browser: ticks and the memo form are saved and come back in a
new kernel, a store failure is said on the page, the user's name is never saved,
and 00 and the four steps link to the page."""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

import html

import ipywidgets as widgets
import nbformat
import pytest
from widget_tree import classed, control, html_of, html_with

from kit import datasets
from kit.own_town import domain as ot
from kit.own_town.model import checklist
from kit.own_town.screen import OwnTownScreen
from kit.pages import OWN_TOWN, STEPS
from kit.paths import NOTEBOOKS
from kit.start.screen import StartScreen
from kit.store import StoreError, Workspace, open_store

TEAM = "3班"


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "store.sqlite"))


def tick(screen, kind: str, step: str) -> widgets.Checkbox:
    return classed(screen.view, f"kit-check-{kind}-{step}")


def test_ticks_are_saved_at_once_and_shown_in_a_new_kernel(store):
    screen = OwnTownScreen(store).open(TEAM)
    tick(screen, "population", "asked").value = True
    assert "保存しました" in html_of(screen.checklist)
    assert checklist(Workspace(store, TEAM))["population"]["asked"] is True
    again = OwnTownScreen(store).open(TEAM)
    assert tick(again, "population", "asked").value is True
    assert tick(again, "population", "received").value is False
    assert "前回の保存" in html_of(again.checklist)
    # Opening the page saves nothing by itself.
    OwnTownScreen(store).open("別の班")
    assert Workspace(store, "別の班").keys() == []


def test_a_tick_that_cannot_be_saved_says_so_on_the_page(store, monkeypatch):
    screen = OwnTownScreen(store).open(TEAM)

    def broken(*_args, **_kwargs):
        raise StoreError("保存先に書き込めません")

    monkeypatch.setattr(screen.workspace, "update", broken)
    tick(screen, "resources", "received").value = True
    assert "kit-message kit-error" in html_of(screen.checklist) and "保存できませんでした" in html_of(screen.checklist)


def test_loaded_kinds_are_read_from_the_workspace_and_others_link_to_where_they_load(store):
    Workspace(store, TEAM).put_table(datasets.table_key("population"), datasets.sample("population"))
    screen = OwnTownScreen(store).open(TEAM)
    assert "読み込み済み" in classed(screen.view, "kit-loaded-population").value
    assert f'href="00_start.ipynb?ws={quote(TEAM)}"' in classed(screen.view, "kit-loaded-areas").value
    assert f'href="{STEPS[1].file}?ws={quote(TEAM)}"' in classed(screen.view, "kit-loaded-cases").value


def test_memo_form_is_kept_but_the_name_and_contact_are_not(store):
    screen = OwnTownScreen(store).open(TEAM)
    for placeholder, text in (("例: 市民課 住民記録係", "介護保険課 認定係"),
                              ("例: みどり野市 地域包括ケア推進課", "ひかり町 地域包括ケア推進室"),
                              ("例: 佐藤 花子（保存しません）", "山田 一郎"), ("例: 内線 1234（保存しません）", "内線 2345")):
        control(screen.view, placeholder=placeholder).value = text
    classed(screen.view, "kit-memo-kind-certification").value = True
    control(screen.view, kind=widgets.DatePicker).value = date(2099, 1, 29)
    make = control(screen.view, "依頼文（Word）を作る")
    assert "kit-message" not in html_of(screen.memo) and not make.disabled
    preview = html_with(screen.view, "kit-memo-preview")
    assert "山田 一郎" in preview and "令和81年1月29日" in preview
    make.click()
    assert "データ提供の依頼_介護保険課_認定係" in html_with(screen.view, "kit-download")
    saved = str(dict(Workspace(store, TEAM).items()))
    assert "介護保険課 認定係" in saved and "山田" not in saved and "2345" not in saved

    again = OwnTownScreen(store).open(TEAM)
    assert (again.model.addressee, again.model.deadline) == ("介護保険課 認定係", date(2099, 1, 29))
    assert control(again.view, placeholder="例: 市民課 住民記録係").value == "介護保険課 認定係"
    assert classed(again.view, "kit-memo-kind-certification").value
    assert not classed(again.view, "kit-memo-kind-population").value
    assert control(again.view, placeholder="例: 佐藤 花子（保存しません）").value == ""
    assert control(again.view, "依頼文（Word）を作る").disabled
    assert "自分の名前" in html_of(again.memo)


def test_the_template_button_offers_the_workbook(store):
    screen = OwnTownScreen(store).open(TEAM)
    screen.guides.make_template("certification")
    assert f'download="{ot.template_filename("certification")}"' in html_with(screen.view, "kit-download")


def test_guides_link_to_the_steps_that_use_each_kind_in_the_same_workspace(store):
    screen = OwnTownScreen(store).open(TEAM)
    guide = html_with(screen.guides, html.escape(ot.KIND_GUIDES["actors"].what))
    assert f'href="{STEPS[2].file}?ws={quote(TEAM)}"' in guide
    assert ot.KIND_GUIDES["actors"].holder in guide


def test_the_landing_page_links_here_in_the_same_workspace(store):
    view = StartScreen(store).open(TEAM).view
    assert f'href="{OWN_TOWN.file}?ws={quote(TEAM)}"' in html_of(view)


@pytest.mark.parametrize("step", STEPS, ids=lambda page: page.file)
def test_each_step_ends_with_a_link_here(step):
    # The page template adds the visitor's ?ws= to such a link when it is followed.
    last = nbformat.read(NOTEBOOKS / step.file, as_version=4).cells[-1]
    assert last.cell_type == "markdown" and f"]({OWN_TOWN.file})" in last.source
