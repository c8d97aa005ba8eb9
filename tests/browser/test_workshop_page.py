"""A live workshop in a real browser: a facilitator and three teams, each in its own
browser context of one Chromium, on one server started with a passphrase.

The teams join with the workshop code, work, and their work shows on the
dashboard; the countdown reaches their pages; a team reloads and loses nothing;
a participant reaches neither the dashboard nor another team's workspace."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from kit import workshop as wk
from kit.limits import ATTEMPTS_FREE
from kit.store import open_store

pytestmark = pytest.mark.browser

TEAMS = ("A班", "B班", "C班")
MEMO = "奥沢の買物の足を、商店と一緒に考えたい"
KI = "奥沢で一人暮らしのBさんは、重い物が買えずに困っています。"


def open_tab(page, title: str) -> None:
    page.locator(".lm-TabBar-tab", has_text=title).click()


def unlock_dashboard(tab, server):
    page = tab.open(server.page("09_facilitator.ipynb"))
    assert page.title() == "ファシリテーター用ダッシュボード | 地域づくりワークショップキット"
    page.get_by_placeholder("合言葉").fill(server.passphrase)
    page.get_by_role("button", name="開く").click()
    page.locator(".kit-dashboard").wait_for()
    return page


def join(tab, server, code: str, team: str):
    page = tab.open(server.page("00_start.ipynb"))
    page.get_by_placeholder("例: K7MPA").fill(code)
    page.get_by_placeholder("例: A班").fill(team)
    page.get_by_role("button", name="参加する").click()
    page.get_by_text(f"「{team}」で始める").click()
    page.wait_for_url(re.compile(r"00_start\.ipynb\?ws=%40"))
    page.wait_for_selector("#rendered_cells", state="visible")
    page.get_by_text(f"チーム「{team}」として参加しています").wait_for()
    return page


def answer_before(page, level: str = "3 だいたいできる") -> None:
    form = page.locator(".kit-self-assessment-pre")
    for group in form.locator(".widget-toggle-buttons").all():
        group.get_by_role("button", name=level).click()
    form.get_by_role("button", name="回答を送る").click()
    form.get_by_text("回答を受け付けました").wait_for()


def test_three_teams_work_in_parallel_and_the_dashboard_follows(facilitator_server, offline_pages):
    server, contexts = facilitator_server, offline_pages
    facilitator = contexts()
    dashboard = unlock_dashboard(facilitator, server)
    dashboard.get_by_placeholder("例: 令和7年度 SC研修").fill("みどり野市 SC研修")
    dashboard.get_by_role("button", name="新しい研修を作る").click()
    code = dashboard.locator(".kit-workshop-code b").inner_text()
    assert re.fullmatch(f"[{wk.CODE_ALPHABET}]{{5}}", code)

    tabs = [contexts() for _ in TEAMS]
    pages = [join(tab, server, code, team) for tab, team in zip(tabs, TEAMS)]
    for page in pages:
        answer_before(page)
    team_a, team_b, _team_c = pages

    team_a.get_by_placeholder("例: 自分の圏域の課題を").fill(MEMO)
    team_a.wait_for_selector(".kit-saved")
    # B moves on to 04 by the step link; the link keeps B's workspace.
    team_b.locator(".kit-steps a", has_text="提案準備").click()
    team_b.wait_for_url(re.compile(r"04_pitch\.ipynb\?ws=%40"))
    team_b.locator(".kit-banner", has_text="チーム「B班」").wait_for()
    open_tab(team_b, "2 提案キャンバス")
    team_b.locator(".kit-field-ki textarea").fill(KI)
    team_b.locator(".kit-saved").wait_for()

    # The dashboard refreshes itself: all three teams and their answers appear.
    dashboard.get_by_text("参加 3 チーム").wait_for()
    table = dashboard.locator(".kit-progress")
    assert [table.locator("tr", has_text=team).count() for team in TEAMS] == [1, 1, 1]
    dashboard.locator(".kit-progress tr", has_text="B班").locator("td", has_text="提案準備").first.wait_for()

    open_tab(dashboard, "ギャラリー")
    dashboard.locator(".kit-gallery-card", has_text="B班").get_by_text(KI).wait_for()
    open_tab(dashboard, "理解度")
    assert dashboard.locator(".kit-understanding tr", has_text="問1").locator("td").nth(2).inner_text() == "3"

    open_tab(dashboard, "タイマー")
    dashboard.get_by_placeholder("例: 02 グループ化").fill("グループワーク")
    dashboard.get_by_role("button", name="開始").click()
    for page in (team_a, team_b):  # the landing page and page 04 both show it
        page.locator(".kit-workshop-timer", has_text="グループワーク").wait_for()

    # A link written in 04's Markdown keeps B's workspace too (the page template adds it).
    team_b.locator('.jp-RenderedMarkdown a[href="00_start.ipynb"]').click()
    team_b.wait_for_url(re.compile(r"00_start\.ipynb\?ws=%40"))
    team_b.get_by_text("チーム「B班」として参加しています").wait_for()

    team_a.reload()
    team_a.get_by_text("チーム「A班」として参加しています").wait_for()
    assert team_a.get_by_placeholder("例: 自分の圏域の課題を").input_value() == MEMO
    team_a.get_by_text("理解度チェック（事前）　回答 1人").wait_for()
    team_a.locator(".kit-workshop-timer", has_text="グループワーク").wait_for()
    for tab in (facilitator, *tabs):
        assert tab.errors() == [] and tab.external == []


def test_a_participant_reaches_neither_the_dashboard_nor_another_team(facilitator_server, offline_pages):
    server, contexts = facilitator_server, offline_pages
    store = open_store(str(server.store))
    workshop = wk.create_workshop(store, "別の研修")
    member = wk.join(store, workshop.code, "1班")
    tab = contexts()

    # Another team's workspace: not by its name, not by a forged token.
    for value in (f"@{workshop.code} 1班", f"@{workshop.code}:{'x' * 14}", f"@{workshop.code}"):
        page = tab.open(server.page("00_start.ipynb", "?ws=" + quote(value)))
        page.locator(".kit-error", has_text="開けません").first.wait_for()
        assert page.get_by_text("として参加しています").count() == 0
    page = tab.open(server.page("02_cases.ipynb", "?ws=" + quote(f"@{workshop.code} 1班")))
    page.locator(".kit-error").first.wait_for()
    # Joining under the taken name without its 合言葉 is refused.
    page = tab.open(server.page("00_start.ipynb"))
    page.get_by_placeholder("例: K7MPA").fill(workshop.code)
    page.get_by_placeholder("例: A班").fill("1班")
    page.get_by_role("button", name="参加する").click()
    page.get_by_text("このチーム名と合言葉では参加できませんでした").wait_for()
    assert page.get_by_text("で始める").count() == 0 and member.access not in page.content()

    # The dashboard: only the passphrase form, and a wrong passphrase opens nothing.
    page = tab.open(server.page("09_facilitator.ipynb"))
    page.get_by_placeholder("合言葉").fill("3班の合言葉かな")
    page.get_by_role("button", name="開く").click()
    page.get_by_text("合言葉がちがいます").wait_for()
    assert page.locator(".kit-dashboard").count() == 0
    assert workshop.code not in page.content()
    assert tab.errors() == [] and tab.external == []


def test_wrong_passphrases_make_the_dashboard_wait_even_after_a_reload(server_factory, offline_pages, tmp_path):
    server = server_factory(tmp_path / "store.sqlite", passphrase="みどり野 研修 2025 ひまわり")
    tab = offline_pages()
    page = tab.open(server.page("09_facilitator.ipynb"))
    for number in range(ATTEMPTS_FREE):
        page.get_by_placeholder("合言葉").fill(f"当てずっぽう{number}")
        page.get_by_role("button", name="開く").click()
        expect(page.get_by_placeholder("合言葉")).to_have_value("")  # the kernel has checked it
    page.get_by_text("合言葉のまちがいが続いたため").wait_for()

    page = tab.open(server.page("09_facilitator.ipynb"))  # a reload does not start the count again
    page.get_by_text("合言葉のまちがいが続いたため").wait_for()
    page.get_by_placeholder("合言葉").fill(server.passphrase)
    page.get_by_role("button", name="開く").click()  # the right one, too soon
    page.get_by_text("合言葉のまちがいが続いたため").wait_for()
    assert page.locator(".kit-dashboard").count() == 0
    tab.page.screenshot(path=str(tmp_path / "passphrase_wait.png"))
    assert "合言葉がまちがっていました（続けて3回目" in server.log.read_text(errors="replace")
    assert tab.errors() == []
