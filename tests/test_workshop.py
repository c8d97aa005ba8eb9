"""Joining a workshop, keeping teams out of each other's workspaces, the countdown
shown on team pages, and the facilitator's passphrase; without a browser."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit

import pytest
from widget_tree import control, html_of, html_with

from kit import workshop as wk
from kit.cli import _parser
from kit.limits import (
    ATTEMPT_WAIT_FIRST,
    ATTEMPT_WAIT_MAX,
    ATTEMPTS_FREE,
    MAX_TEAMS,
    TEAM_JOIN_BURST,
    TEAM_JOIN_INTERVAL,
)
from kit.serve import voila_environment
from kit.start.model import MEMO_KEY
from kit.start.screen import StartScreen
from kit.store import Workspace, open_store
from kit.ui.common import WorkshopClock, clock_html, resolve_workspace, workshop_clock
from kit.workspace import workspace_from_query

T0 = datetime(2025, 10, 1, 13, 0, tzinfo=timezone.utc)


@pytest.fixture
def store(tmp_path):
    return open_store(str(tmp_path / "store.sqlite"))


@pytest.fixture
def workshop(store):
    return wk.create_workshop(store, "みどり野市 SC研修")


def test_a_code_is_short_unambiguous_and_typed_loosely(store, workshop):
    assert len(workshop.code) == wk.CODE_LENGTH and set(workshop.code) <= set(wk.CODE_ALPHABET)
    assert not set("0O1I5S8B") & set(wk.CODE_ALPHABET)
    loose = " " + "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in workshop.code.lower()) + " "
    assert wk.normalise_code(loose) == workshop.code   # full-width, lower case, spaces
    assert wk.find_workshop(store, workshop.code.lower()).title == "みどり野市 SC研修"
    with pytest.raises(wk.JoinError, match="4〜6文字"):
        wk.normalise_code("AB")
    assert {w.code for w in wk.list_workshops(store)} == {workshop.code}


def test_the_first_join_creates_the_team_the_second_needs_its_pin(store, workshop):
    first = wk.join(store, workshop.code, "Ａ班")
    assert first.created and first.team == "A班" and len(first.pin) == 4
    with pytest.raises(wk.JoinError, match="このチーム名と合言葉では参加できません"):
        wk.join(store, workshop.code, "A班")
    again = wk.join(store, workshop.code, "A班", first.pin)
    assert not again.created and again.access != first.access  # each PC gets its own link
    assert wk.resolve_access(store, again.access).team == wk.resolve_access(store, first.access).team == "A班"
    other = wk.join(store, workshop.code, "B班")
    assert other.access != first.access
    with pytest.raises(wk.JoinError, match="見つかりません"):
        wk.join(store, "KKKKK", "A班")


def test_wrong_pins_slow_down_and_never_lock_a_team_out(store, workshop):
    team = wk.join(store, workshop.code, "A班")
    wrong = "0000" if team.pin != "0000" else "1111"
    for _ in range(ATTEMPTS_FREE):  # a few mistakes cost nothing
        with pytest.raises(wk.JoinError, match="参加できませんでした"):
            wk.join(store, workshop.code, "A班", wrong, now=T0)
    with pytest.raises(wk.JoinError, match="あと5秒待ってから"):
        wk.join(store, workshop.code, "A班", team.pin, now=T0)  # even the right one must wait ...
    later = T0 + timedelta(seconds=ATTEMPT_WAIT_FIRST)
    assert wk.join(store, workshop.code, "A班", team.pin, now=later).team == "A班"  # ... not for ever
    for _ in range(ATTEMPTS_FREE + 20):  # a stranger keeps guessing: the wait grows, up to its most
        later += timedelta(seconds=ATTEMPT_WAIT_MAX)
        with pytest.raises(wk.JoinError):
            wk.join(store, workshop.code, "A班", wrong, now=later)
    with pytest.raises(wk.JoinError, match="あと5分待ってから"):
        wk.join(store, workshop.code, "A班", team.pin, now=later)
    assert wk.join(store, workshop.code, "A班", team.pin, now=later + timedelta(seconds=ATTEMPT_WAIT_MAX)).pin == team.pin
    assert wk.find_workshop(store, workshop.code).pin_failures("A班") == 0
    # The facilitator's new 合言葉 is heard at once.
    for _ in range(ATTEMPTS_FREE):
        with pytest.raises(wk.JoinError):
            wk.join(store, workshop.code, "A班", wrong)
    assert wk.find_workshop(store, workshop.code).pin_failures("A班") == ATTEMPTS_FREE
    pin = wk.reissue_pin(store, workshop.code, "A班")
    assert wk.resolve_access(store, wk.join(store, workshop.code, "A班", pin).access).team == "A班"


def test_a_stranger_cannot_tell_which_teams_exist(store, workshop):
    first = wk.join(store, workshop.code, "A班")
    with pytest.raises(wk.JoinError) as taken:
        wk.join(store, workshop.code, "A班")          # a name in use, without its 合言葉
    with pytest.raises(wk.JoinError) as absent:
        wk.join(store, workshop.code, "Z班", "1234")  # a 合言葉 for a team that does not exist
    with pytest.raises(wk.JoinError) as wrong:
        wk.join(store, workshop.code, "A班", "9999" if first.pin != "9999" else "8888")
    assert str(taken.value) == str(absent.value) == str(wrong.value)
    assert wk.find_workshop(store, workshop.code).team_names() == ["A班"]  # Z班 was not created


def test_team_creation_is_rate_limited_and_capped_per_workshop(store, workshop):
    created = refused = 0
    for number in range(100):  # one page clicking 「参加する」 as fast as it can
        try:
            wk.join(store, workshop.code, f"班{number}", now=T0)
            created += 1
        except wk.JoinError as error:
            assert "参加が集中しています" in str(error)
            refused += 1
    assert created == TEAM_JOIN_BURST and refused == 100 - TEAM_JOIN_BURST
    with pytest.raises(wk.JoinError, match="あと3秒ほど待ってから"):
        wk.join(store, workshop.code, "遅れた班", now=T0)
    assert wk.join(store, workshop.code, "遅れた班", now=T0 + timedelta(seconds=TEAM_JOIN_INTERVAL)).created
    later = T0 + timedelta(hours=1)
    for number in range(100, 100 + MAX_TEAMS):
        later += timedelta(seconds=TEAM_JOIN_INTERVAL)
        try:
            wk.join(store, workshop.code, f"班{number}", now=later)
        except wk.JoinError as error:
            assert f"{MAX_TEAMS}チームまで" in str(error)
    assert len(wk.find_workshop(store, workshop.code).teams) == MAX_TEAMS


def test_team_names_in_look_alike_scripts_are_refused_and_case_or_spaces_make_no_new_team(store, workshop):
    latin = wk.join(store, workshop.code, "Aチーム")
    with pytest.raises(wk.JoinError, match="見分けにくい文字.*「А」"):
        wk.join(store, workshop.code, "\u0410チーム")  # Cyrillic А
    with pytest.raises(wk.JoinError, match="見分けにくい文字"):
        wk.join(store, workshop.code, "\u0391班")  # Greek Α
    with pytest.raises(wk.JoinError, match="参加できませんでした"):
        wk.join(store, workshop.code, "a チーム")
    assert wk.join(store, workshop.code, "a チーム", latin.pin).team == "Aチーム"
    for name in ("1班", "さくら台", "ｶﾀｶﾅ班", "Café 3", "한빛팀", "佐々木チーム"):
        assert wk.join(store, workshop.code, name).created, name
    assert len(wk.find_workshop(store, workshop.code).teams) == 7


def test_only_the_token_opens_a_team_workspace(store, workshop):
    a = wk.join(store, workshop.code, "A班")
    workspace, banner = resolve_workspace(store, a.access)
    assert isinstance(workspace, wk.TeamWorkspace) and workspace.team == "A班"
    assert "チーム「A班」" in banner and "@" not in banner.split("href")[0]
    token = a.access.split(":")[1]
    refused = [f"@{workshop.code} A班", f"＠{workshop.code} A班", f"@{workshop.code}", f"@{workshop.code}:",
               f"@{workshop.code}:{token[:-1]}", f"@{workshop.code}:{token}x", f"@KKKKK:{token}"]
    for value in refused:
        nobody, banner = resolve_workspace(store, value)
        assert nobody is None and "kit-error" in banner, value
    assert store.workspaces() == [f"@{workshop.code}"]  # nothing was written by the attempts


def test_self_study_names_work_as_before_and_cannot_reach_a_workshop(store):
    workspace, banner = resolve_workspace(store, "3班")
    assert type(workspace) is Workspace and workspace.name == "3班" and "ワークスペース「3班」" in banner
    default, banner = resolve_workspace(store, None)
    assert default.name == "個人学習" and "選ばずに開いた" in banner
    with pytest.raises(ValueError, match="研修用"):
        wk.check_personal_name("@ABCDE 1班")


def test_links_carry_the_access_and_bring_the_team_back(store, workshop):
    a = wk.join(store, workshop.code, "A班")
    view = StartScreen(store).open(a.access).view
    hrefs = [part.split('"')[0] for part in html_of(view).split('href="')[1:]]
    step_links = [h for h in hrefs if h.startswith(("01_", "02_", "03_", "04_"))]
    assert step_links and all(
        workspace_from_query(urlsplit(h.replace("&amp;", "&")).query) == a.access for h in step_links)
    assert a.pin not in html_of(view)  # kept only as a hash: shown once, when the team joined
    assert "合言葉を忘れたときは" in html_of(view)


def test_joining_from_the_landing_page_and_working_there(store, workshop):
    screen = StartScreen(store)
    screen.open(None)
    control(screen.view, "研修コード").value = workshop.code.lower()
    control(screen.view, "チーム名").value = "高知チーム"
    control(screen.view, "参加する").click()
    link = html_with(screen.view, "「高知チーム」で始める").split('href="')[1].split('"')[0]
    access = parse_qs(urlsplit(link.replace("&amp;", "&")).query)["ws"][0]
    assert wk.resolve_access(store, access).team == "高知チーム"

    team = StartScreen(store)
    team.open(access)
    control(team.view, placeholder="例: 自分の圏域の課題を、データと事例で説明できるようになりたい").value = "事例を持ち帰る"
    assert wk.resolve_access(store, access).get(MEMO_KEY) == "事例を持ち帰る"
    assert store.get("高知チーム", MEMO_KEY) is None  # not in a self-study workspace of that name

    taken = StartScreen(store)
    taken.open(None)
    taken.model.code, taken.model.team = workshop.code, "高知チーム"
    control(taken.view, "参加する").click()
    assert "参加できませんでした" in html_of(taken.view) and "で始める" not in html_of(taken.view)


def test_a_peer_review_goes_to_a_team_of_the_same_workshop(store, workshop):
    a, b = (wk.resolve_access(store, wk.join(store, workshop.code, t).access) for t in ("A班", "B班"))
    assert wk.review_names(store, a, "B班") == (b.name, "A班")
    with pytest.raises(ValueError, match="自分のチーム"):
        wk.review_names(store, a, "A班")
    with pytest.raises(ValueError, match="この研修にいません.*A班、B班"):
        wk.review_names(store, a, "C班")
    with pytest.raises(ValueError, match="研修用"):
        wk.review_names(store, Workspace(store, "佐藤"), f"@{workshop.code} B班")


def test_the_timer_counts_down_extends_and_stops(store, workshop):
    timer = wk.set_timer(store, workshop.code, 10, "グループワーク", now=T0)
    assert wk.timer_remaining(timer, T0 + timedelta(minutes=3)) == 7 * 60
    later = wk.set_timer(store, workshop.code, 5, extend=True, now=T0 + timedelta(minutes=3))
    assert later.label == "グループワーク" and wk.timer_remaining(later, T0 + timedelta(minutes=3)) == 12 * 60
    assert wk.timer_remaining(later, T0 + timedelta(hours=1)) == 0
    assert wk.set_timer(store, workshop.code, None) is None
    assert wk.find_workshop(store, workshop.code).timer is None


def test_the_clock_bar_shows_time_left_then_time_up_then_goes(workshop):
    timer = wk.Timer("グループワーク", T0 + timedelta(minutes=10), 10)
    assert "残り 10:00" in clock_html(timer, T0) and "kit-timer-run" in clock_html(timer, T0)
    assert "kit-timer-last" in clock_html(timer, T0 + timedelta(minutes=9, seconds=30))
    assert "時間です" in clock_html(timer, T0 + timedelta(minutes=11))
    assert clock_html(timer, T0 + timedelta(minutes=30)) == ""
    assert clock_html(None, T0) == ""


def test_team_pages_show_the_clock_and_pick_up_a_new_timer(store, workshop):
    team = wk.resolve_access(store, wk.join(store, workshop.code, "A班").access)
    assert workshop_clock(Workspace(store, "佐藤")).children == ()  # self-study: nothing ticks
    clock = workshop_clock(team)
    assert isinstance(clock, WorkshopClock) and clock._face.value == ""
    idle = clock._play.interval

    def tick() -> None:
        clock._play.value = 1 - clock._play.value

    wk.set_timer(store, workshop.code, 5, "発表の準備")
    tick()  # idle: every tick reads the workshop
    assert "発表の準備" in clock._face.value and clock._play.interval < idle  # now it ticks each second
    wk.set_timer(store, workshop.code, None)
    ticks = [tick() or clock._face.value for _ in range(WorkshopClock.POLL_TICKS)]
    assert "発表の準備" in ticks[0] and ticks[-1] == ""  # the stop shows at the next read
    assert clock._play.interval == idle


def test_reset_keeps_answers_and_seeding_copies_values_and_tables(store, workshop):
    import pandas as pd

    source = Workspace(store, "講師見本")
    source.put("start/memo", "見本のメモ")
    source.put_table("data/areas", pd.DataFrame({"地区コード": ["B01"], "地区名": ["北町"]}))
    target = wk.resolve_access(store, wk.join(store, workshop.code, "A班").access)
    target.put("cases/tags", {"C001": ["移動"]})
    target.put("self/pre", [{"answers": {}, "at": ""}])
    assert wk.copy_workspace(store, source.name, target.name) == 2
    assert target.get_table("data/areas")["地区名"].tolist() == ["北町"]
    assert wk.clear_workspace(store, target.name) == 3
    assert target.keys() == ["self/pre"]


def test_passphrase_is_compared_forgivingly_and_never_without_one():
    env = {wk.PASSPHRASE_ENV: "  みどり 研修 2025  "}
    expected = wk.facilitator_passphrase(env)
    assert wk.passphrase_matches("みどり 研修 ２０２５", expected)
    assert not wk.passphrase_matches("みどり 研修", expected)
    assert wk.facilitator_passphrase({}) is None and not wk.passphrase_matches("", None)


def test_serve_passes_the_passphrase_to_kernels_through_the_environment():
    args = _parser().parse_args(["serve", "--facilitator-passphrase", "秘密の 合言葉 です"])
    assert args.facilitator_passphrase == "秘密の 合言葉 です"
    env = voila_environment({}, facilitator_passphrase=args.facilitator_passphrase)
    assert env[wk.PASSPHRASE_ENV] == "秘密の 合言葉 です"
    assert wk.PASSPHRASE_ENV not in voila_environment({})


@pytest.mark.parametrize("screen_path", ["kit.steps.assessment.screen:AssessmentScreen", "kit.steps.cases.screen:CasesScreen",
                                         "kit.steps.actors.screen:ActorsScreen", "kit.steps.pitch.screen:PitchScreen"])
def test_every_step_page_of_a_team_shows_the_workshop_clock(store, workshop, screen_path):
    import importlib

    module, name = screen_path.split(":")
    access = wk.join(store, workshop.code, "A班").access
    screen = getattr(importlib.import_module(module), name)(store)
    screen.open(access)
    assert any(isinstance(child, WorkshopClock) for child in screen.view.children)
    assert "チーム「A班」" in html_of(screen.view)


def test_the_facilitators_link_to_a_team_is_signed_with_the_passphrase(store, workshop, monkeypatch):
    """Nothing of it is stored; without the passphrase, or with another, it opens nothing."""
    wk.join(store, workshop.code, "A班")
    monkeypatch.setenv(wk.PASSPHRASE_ENV, "みどり野の研修2025")
    found = wk.find_workshop(store, workshop.code)
    link = wk.facilitator_access(found, "A班")
    assert wk.resolve_access(store, link).team == "A班"
    assert link.split(":")[1].encode() not in str(store.get(f"@{workshop.code}", "workshop")).encode()
    monkeypatch.setenv(wk.PASSPHRASE_ENV, "別の合言葉です")
    with pytest.raises(ValueError):
        wk.resolve_access(store, link)
    monkeypatch.delenv(wk.PASSPHRASE_ENV)
    with pytest.raises(ValueError):
        wk.resolve_access(store, wk.facilitator_access(found, "A班", passphrase=""))
