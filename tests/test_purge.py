"""After the training a facilitator deletes one workshop: its teams, their 合言葉 and
everything they saved go, on SQLite and on PostgreSQL, and nothing else does."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from kit import workshop as wk
from kit.facilitator.model import DashboardModel
from kit.purge import main as purge_main
from kit.purge import purge_workshop
from kit.store import open_store

PASSPHRASE = "みどり野 研修 2025"
NOTE = "民生委員の山田花子さん（090-1234-5678）に確認"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite3")
    return request.getfixturevalue("postgres").create_database()


def two_workshops(store):
    """The workshop to delete, another one running, and someone's self-study."""
    done, running = wk.create_workshop(store, "終わった研修"), wk.create_workshop(store, "続く研修")
    for workshop in (done, running):
        for team in ("A班", "B班"):
            ws = wk.resolve_access(store, wk.join(store, workshop.code, team).access)
            ws.put("start/memo", f"{workshop.title} {team}: {NOTE}")
    store.put("3班", "start/memo", "個人学習のメモ")
    return done, running


def everything(store) -> dict:
    return {ws: {key: store.get(ws, key) for key in store.keys(ws)} for ws in store.workspaces()}


def test_purging_one_workshop_removes_all_of_it_and_nothing_else(url):
    store = open_store(url)
    done, running = two_workshops(store)
    before = everything(store)
    assert purge_workshop(store, done.code.lower()) == 3  # the record and two memos
    after = everything(store)
    assert not [ws for ws in after if ws.startswith(f"@{done.code}")]
    assert after == {ws: values for ws, values in before.items() if not ws.startswith(f"@{done.code}")}
    assert wk.find_workshop(store, done.code) is None and wk.find_workshop(store, running.code) is not None
    with pytest.raises(wk.JoinError, match="見つかりません"):
        wk.join(store, done.code, "C班")
    if "://" not in url:  # SQLite: not even the bytes stay in the files
        from pathlib import Path

        path = Path(url)
        stored = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
        assert "終わった研修".encode() not in stored and "続く研修".encode() in stored
    store.close()


def test_the_command_asks_for_the_code_again_before_deleting(tmp_path):
    url = str(tmp_path / "store.sqlite3")
    store = open_store(url)
    done, _running = two_workshops(store)
    out = io.StringIO()
    assert purge_main(done.code, url, stdin=io.StringIO("XXXXX\n"), stdout=out) == 1
    assert "何も削除しませんでした" in out.getvalue() and wk.find_workshop(store, done.code)
    out = io.StringIO()
    assert purge_main(done.code, url, stdin=io.StringIO(done.code.lower() + "\n"), stdout=out) == 0
    assert "削除しました" in out.getvalue() and wk.find_workshop(store, done.code) is None
    assert purge_main("KKKKK", url, yes=True, stdout=io.StringIO()) == 1


def test_python_m_kit_purge_with_yes(tmp_path):
    url = str(tmp_path / "store.sqlite3")
    done, running = two_workshops(open_store(url))
    result = subprocess.run([sys.executable, "-m", "kit", "purge", "--workshop", done.code, "--store", url, "--yes"],
                            capture_output=True, text=True, stdin=subprocess.DEVNULL, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    store = open_store(url)
    assert wk.find_workshop(store, done.code) is None and wk.find_workshop(store, running.code)


def test_the_dashboard_deletes_the_chosen_workshop_once_its_code_is_typed(tmp_path):
    store = open_store(str(tmp_path / "store.sqlite3"))
    done, running = two_workshops(store)
    model = DashboardModel(store, PASSPHRASE)
    with pytest.raises(PermissionError):
        model.purge(done.code)
    model.unlock(PASSPHRASE)
    model.select(done.code)
    with pytest.raises(ValueError, match="一致しません"):
        model.purge(running.code)
    assert wk.find_workshop(store, done.code) is not None
    assert model.purge(f" {done.code.lower()} ") == 3
    assert model.workshop is None and [w.code for w in model.workshops()] == [running.code]


def test_the_dashboard_screen_drops_the_deleted_workshop_from_its_list(tmp_path):
    from widget_tree import control, html_of

    from kit.facilitator.screen import FacilitatorScreen

    store = open_store(str(tmp_path / "store.sqlite3"))
    done, running = two_workshops(store)
    screen = FacilitatorScreen(store, environ={wk.PASSPHRASE_ENV: PASSPHRASE}).open()
    assert screen.unlock(PASSPHRASE)
    control(screen.view, "研修").value = done.code
    control(screen.view, "確認").value = done.code
    control(screen.view, "この研修のデータをすべて削除").click()
    assert "削除しました" in html_of(screen.view)
    assert [code for _label, code in control(screen.view, "研修").options] == [running.code]
