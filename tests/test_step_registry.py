"""A step is one package plus one entry in the registry (kit.pages.STEPS): a fifth
step registered there shows on the landing page, in the dashboard's progress table,
in the gallery and in the workshop export, with nothing else changed."""

from __future__ import annotations

import pytest
from widget_tree import html_with

from kit import pages
from kit import workshop as wk
from kit.facilitator import progress
from kit.facilitator.export import workshop_sheets
from kit.facilitator.views.gallery import gallery_html
from kit.facilitator.views.progress import progress_html
from kit.start.screen import StartScreen
from kit.store import open_store

FIFTH = pages.Page("05_review.ipynb", "ふりかえり", "研修で見つけたことを、職場で次にすることにまとめる", 30,
                   "fifth_step")   # the package under tests/
PHONE = "090-1234-5678"


@pytest.fixture
def five_steps(monkeypatch, tmp_path):
    """The registry with a fifth step, and a notebook folder where every step's page exists."""
    steps = (*pages.STEPS, FIFTH)
    monkeypatch.setattr(pages, "STEPS", steps)
    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for page in steps:
        (notebooks / page.file).touch()
    monkeypatch.setattr(pages, "NOTEBOOKS", notebooks)
    return steps


@pytest.fixture
def workshop(tmp_path):
    store = open_store(str(tmp_path / "store.sqlite"))
    created = wk.create_workshop(store, "研修")
    team = wk.resolve_access(store, wk.join(store, created.code, "A班").access)
    team.put("fifth/notes", ["協議体で桜台の買物の話をする", f"民生委員の山田花子さん（{PHONE}）に相談する"])
    return store, wk.find_workshop(store, created.code), team


def test_a_fifth_step_shows_on_the_landing_page(five_steps, tmp_path):
    view = StartScreen(open_store(str(tmp_path / "s.sqlite"))).open("3班").view
    table = html_with(view, "kit-steps")
    assert "5つのステップ" in table and "5. ふりかえり" in table and "約30分" in table
    assert 'href="05_review.ipynb?ws=' in table and FIFTH.summary in table


def test_a_fifth_step_shows_in_progress_gallery_and_export(five_steps, workshop):
    store, found, team = workshop
    done = progress.team_progress(team, "A班", found.joined("A班"))
    assert done.status[FIFTH.file] == "済" and done.detail(FIFTH.file) == "ふりかえり 2件"
    assert done.current_step == FIFTH.file
    assert progress.progress_table([done]).loc[0, "ふりかえり"] == "済（ふりかえり 2件）"
    shown = progress_html([done])
    assert "<th>ふりかえり</th>" in shown and "ふりかえり 1" in shown

    card = gallery_html([progress.gallery_entry(team, "A班")])
    assert "次にすること" in card and "協議体で桜台の買物の話をする" in card
    assert "山田花子" not in card and PHONE not in card

    sheets = workshop_sheets(store, found)
    assert list(sheets)[-1] == "ふりかえり"
    assert sheets["ふりかえり"]["チーム"].tolist() == ["A班", "A班"]
    assert PHONE not in sheets["ふりかえり"].to_string()
