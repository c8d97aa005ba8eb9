"""The workspace name travels in the URL; links between pages must keep it intact."""

from urllib.parse import urlsplit

import pytest

from kit.workspace import page_link, request_workspace, workspace_from_query


@pytest.mark.parametrize("name", ["3班", "みどり野市 佐藤", "A&B=C", "100%", "班#1?"])
def test_a_link_carries_any_workspace_name_back_unchanged(name):
    link = page_link("01_assessment.ipynb", name)
    assert urlsplit(link).path == "01_assessment.ipynb"
    assert workspace_from_query(urlsplit(link).query) == name


def test_no_workspace_gives_a_plain_link_and_none():
    assert page_link("02_cases.ipynb", None) == "02_cases.ipynb"
    assert workspace_from_query("") is None
    assert workspace_from_query("?ws=%20%20") is None
    assert workspace_from_query("other=1") is None


def test_outside_voila_the_query_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("VOILA_PREHEAT", raising=False)
    monkeypatch.setenv("QUERY_STRING", "ws=%E7%8F%AD")
    assert request_workspace() == "班"
    monkeypatch.delenv("QUERY_STRING")
    assert request_workspace() is None


def test_the_cell_that_opens_the_workspace_has_a_time_limit_even_when_it_also_waits(monkeypatch):
    import nbformat

    from kit.workspace import CELL_TIMEOUT, cell_timeout

    monkeypatch.delenv("KIT_CELL_TIMEOUT", raising=False)
    for source in ("screen.open(request_workspace())", "request_query()\nscreen.open()"):
        assert cell_timeout(nbformat.v4.new_code_cell(source)) == CELL_TIMEOUT
    assert cell_timeout(nbformat.v4.new_code_cell("# wait\nworkspace = request_workspace()")) is None


def test_only_the_cell_waiting_for_the_visitor_may_run_without_a_time_limit(monkeypatch):
    import nbformat

    from kit.paths import NOTEBOOKS
    from kit.workspace import CELL_TIMEOUT, cell_timeout

    monkeypatch.delenv("KIT_CELL_TIMEOUT", raising=False)
    for path in sorted(NOTEBOOKS.glob("*.ipynb")):
        cells = [c for c in nbformat.read(path, 4).cells if c.cell_type == "code"]
        limits = [cell_timeout(cell) for cell in cells]
        assert limits.count(None) == 1, path.name  # exactly the phase-2 cell
        assert all(limit == CELL_TIMEOUT for limit in limits if limit is not None)
