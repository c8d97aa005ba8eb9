"""The workspace store keeps what participants enter, across kernels and restarts."""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import sqlite3
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import store_workers

import kit.store as store_module
from kit.store import (
    SCHEMA_VERSION,
    SQLiteStore,
    StoreError,
    Workspace,
    normalise_workspace_name,
    open_store,
)

SPAWN = multiprocessing.get_context("spawn")
TESTS = Path(__file__).resolve().parent


class SQLiteBackend:
    """One store file; ``execute`` reads and writes it behind the store's back."""

    def __init__(self, path: Path):
        self.path = path
        self.url = str(path)
        self.other_spelling = f"sqlite:///{path}"  # an absolute path gives sqlite:////…

    def open(self, **options):
        return SQLiteStore(self.path, **options)

    def execute(self, sql: str) -> list[tuple]:
        with sqlite3.connect(self.path) as conn:
            rows = conn.execute(sql).fetchall()
        conn.close()
        return rows

    def script(self, sql: str) -> None:
        with sqlite3.connect(self.path) as conn:
            conn.executescript(sql)
        conn.close()

    def tables(self) -> set[str]:
        return {name for (name,) in self.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    def columns(self, table: str) -> list[str]:
        return [row[1] for row in self.execute(f"PRAGMA table_info({table})")]


class PostgresBackend:
    """One new database of the session's PostgreSQL cluster."""

    def __init__(self, url: str):
        self.url = url
        self.other_spelling = url.replace("postgresql://", "postgres://", 1)

    def open(self, **options):
        from kit.store_postgres import PostgresStore

        return PostgresStore(self.url, **options)

    def execute(self, sql: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            cur = conn.execute(sql)
            return cur.fetchall() if cur.description else []

    script = execute  # several statements in one string are fine without parameters

    def tables(self) -> set[str]:
        return {name for (name,) in self.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")}

    def columns(self, table: str) -> list[str]:
        return [name for (name,) in self.execute(
            "SELECT column_name FROM information_schema.columns"
            f" WHERE table_name = '{table}' ORDER BY ordinal_position")]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """Each behavioural test runs on both backends: they must not differ."""
    if request.param == "sqlite":
        return SQLiteBackend(tmp_path / "store.sqlite3")
    return PostgresBackend(request.getfixturevalue("postgres").create_database())


@pytest.fixture
def store(backend):
    with open_store(backend.url) as opened:
        yield opened


def sample_table() -> pd.DataFrame:
    return pd.DataFrame({
        "名称": ["みどり食堂", None, "〇〇商店"],
        "人数": [12, 0, 7],
        "割合": [0.5, np.nan, 1.25],
        "認定者": pd.array([3, None, 1], dtype="Int64"),
        "生活課題": pd.Series([["買物", "移動"], None, "見守り"], dtype=object),
        "連携中": [True, False, True],
        "更新日": pd.to_datetime(["2025-04-01", None, "2025-05-10"]),
        "緊急度": pd.Categorical(["高", None, "低"], categories=["低", "中", "高"], ordered=True),
    })


# --- values ------------------------------------------------------------------------------

def test_values_come_back_as_saved(store):
    ws = Workspace(store, "3班")
    note = {"本人の望み": "畑を続けたい", "タグ": ["移動", "買物"], "件数": 3, "重み": 0.5, "済": False}
    ws.put("assessment/memo/A01", note)
    ws.put("pitch/draft", "一行目\n二行目")
    ws.put("empty", None)
    assert ws.get("assessment/memo/A01") == note
    assert ws.get("pitch/draft") == "一行目\n二行目"
    assert ws.get("empty", "既定") is None
    assert ws.get("never-saved", "既定") == "既定"


def test_overwrite_and_delete(store):
    store.put("3班", "memo", "古い")
    store.put("3班", "memo", "新しい")
    assert store.get("3班", "memo") == "新しい"
    assert store.delete("3班", "memo") is True
    assert store.delete("3班", "memo") is False
    assert store.get("3班", "memo") is None


def test_workspaces_are_separate(store):
    store.put("1班", "memo", "一班のメモ")
    store.put("2班", "memo", "二班のメモ")
    assert store.get("1班", "memo") == "一班のメモ"
    assert store.workspaces() == ["1班", "2班"]


def test_full_width_and_spaced_names_reach_the_same_workspace(store):
    store.put("チームＡ", "memo", "メモ")
    assert store.get("  チームA ", "memo") == "メモ"
    assert store.workspaces() == ["チームA"]


def test_keys_and_items_filter_by_literal_prefix(store):
    ws = Workspace(store, "3班")
    ws.put("a_b/1", 1)
    ws.put("axb/2", 2)  # would match a LIKE pattern 'a_b/%'
    ws.put("a_b/3", 3)
    ws.put_table("a_b/table", pd.DataFrame({"x": [1]}))
    assert ws.keys("a_b/") == ["a_b/1", "a_b/3", "a_b/table"]
    assert ws.items("a_b/") == [("a_b/1", 1), ("a_b/3", 3)]  # tables are read with get_table
    assert ws.keys() == ["a_b/1", "a_b/3", "a_b/table", "axb/2"]


def test_update_is_read_modify_write(store):
    assert store.update("3班", "count", lambda n: n + 1, 0) == 1
    assert store.update("3班", "count", lambda n: n + 1, 0) == 2
    assert store.get("3班", "count") == 2


def test_failed_update_changes_nothing(store):
    store.put("3班", "list", ["a"])

    def broken(value):
        raise RuntimeError("途中で失敗")

    with pytest.raises(RuntimeError):
        store.update("3班", "list", broken)
    assert store.get("3班", "list") == ["a"]


def test_value_that_is_not_json_is_refused_without_showing_it(store):
    class Secret:
        def __repr__(self):
            return "山田太郎 090-1234-5678"

    with pytest.raises(TypeError) as error:
        store.put("3班", "memo", Secret())
    assert "JSON" in str(error.value) and "山田" not in str(error.value)
    assert store.get("3班", "memo") is None


def test_updated_times_follow_writes(backend):
    clock_times = iter(datetime(2026, 11, 22, 1, minute, tzinfo=timezone.utc) for minute in range(10))
    store = backend.open(clock=lambda: next(clock_times))
    store.put("3班", "memo/A01", "a")  # 01:00
    store.put("3班", "pitch/draft", "b")  # 01:01
    store.put("3班", "memo/A02", "c")  # 01:02
    assert store.updated_at("3班", "memo/A01") == datetime(2026, 11, 22, 1, 0, tzinfo=timezone.utc)
    assert store.last_updated("3班", "memo/") == datetime(2026, 11, 22, 1, 2, tzinfo=timezone.utc)
    store.put("3班", "memo/A01", "a2")  # 01:03
    assert store.updated_at("3班", "memo/A01") == datetime(2026, 11, 22, 1, 3, tzinfo=timezone.utc)
    assert store.last_updated("3班", "pitch/") == datetime(2026, 11, 22, 1, 1, tzinfo=timezone.utc)
    assert store.updated_at("3班", "missing") is None
    assert store.last_updated("4班") is None


def test_updated_time_of_a_real_write_is_now(store):
    before = datetime.now(timezone.utc)
    store.put("3班", "memo", "x")
    assert before - timedelta(seconds=1) <= store.updated_at("3班", "memo") <= \
        datetime.now(timezone.utc) + timedelta(seconds=1)


# --- tables ------------------------------------------------------------------------------

def test_table_round_trip_keeps_dtypes_order_and_missing_values(store):
    table = sample_table()
    store.put_table("3班", "data/actors", table)
    back = store.get_table("3班", "data/actors")
    pd.testing.assert_frame_equal(back, table)
    assert list(back.columns) == list(table.columns)
    assert back["認定者"].isna().tolist() == [False, True, False]


def test_update_table_adds_to_the_table_as_stored_not_as_last_read(store):
    first = store.update_table("3班", "data/cases", lambda t: pd.DataFrame({"ID": ["C001"]}))
    # A second page read the table before the first wrote; its change still sees the row.
    second = store.update_table("3班", "data/cases", lambda t: pd.concat(
        [t, pd.DataFrame({"ID": ["C002"]})], ignore_index=True))
    assert first["ID"].tolist() == ["C001"] and second["ID"].tolist() == ["C001", "C002"]
    pd.testing.assert_frame_equal(store.get_table("3班", "data/cases"), second)

    def refuse(table):
        raise RuntimeError("別のPCで変わっていた")

    with pytest.raises(RuntimeError):
        store.update_table("3班", "data/cases", refuse)
    assert store.get_table("3班", "data/cases")["ID"].tolist() == ["C001", "C002"]


@pytest.mark.parametrize("reshape", [
    lambda df: df.set_index("名称"),
    lambda df: df.set_index(["名称", "人数"]),
    lambda df: df.iloc[[2, 0]],  # a filtered table keeps its row labels
    lambda df: df[["割合", "名称"]],
], ids=["named index", "two-level index", "filtered rows", "reordered columns"])
def test_table_round_trip_keeps_index(store, reshape):
    table = reshape(sample_table())
    store.put_table("3班", "t", table)
    pd.testing.assert_frame_equal(store.get_table("3班", "t"), table)


def test_time_zone_aware_column_round_trips(store):
    table = pd.DataFrame({"時刻": pd.to_datetime(["2025-04-01 09:30", None]).tz_localize("Asia/Tokyo")})
    store.put_table("3班", "t", table)
    pd.testing.assert_frame_equal(store.get_table("3班", "t"), table)


def test_missing_table_is_none_and_kinds_do_not_mix(store):
    assert store.get_table("3班", "data/cases") is None
    store.put_table("3班", "data/cases", pd.DataFrame({"a": [1]}))
    store.put("3班", "memo", "x")
    with pytest.raises(TypeError, match="get_table"):
        store.get("3班", "data/cases")
    with pytest.raises(TypeError, match="get で"):
        store.get_table("3班", "memo")


def test_unsupported_column_is_refused_naming_the_column(store):
    table = pd.DataFrame({"日付": [datetime(2025, 4, 1).date()]})  # date objects, not datetime64
    with pytest.raises(TypeError, match="日付"):
        store.put_table("3班", "t", table)
    assert store.get_table("3班", "t") is None


# --- restarts and schema -----------------------------------------------------------------

def test_reopen_after_close_brings_everything_back(backend):
    first = open_store(backend.url)
    first.put("3班", "memo/A01", "続きはまた明日")
    first.put_table("3班", "data/actors", sample_table())
    first.close()

    second = open_store(backend.other_spelling)
    assert second.get("3班", "memo/A01") == "続きはまた明日"
    pd.testing.assert_frame_equal(second.get_table("3班", "data/actors"), sample_table())
    second.close()


def schema_version(backend) -> int:
    return backend.execute("SELECT version FROM kit_schema")[0][0]


def make_v1_database(backend) -> None:
    """The layout of schema version 1, written by hand as an old kit left it."""
    backend.script("""
        CREATE TABLE kit_schema (version INTEGER NOT NULL);
        INSERT INTO kit_schema VALUES (1);
        CREATE TABLE entries (workspace TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
                              updated TEXT NOT NULL, PRIMARY KEY (workspace, key));
        INSERT INTO entries VALUES ('3班', 'memo/A01', '"畑を続けたい"', '2025-11-01T00:00:00.000000Z');
        INSERT INTO entries VALUES ('3班', 'tags', '["移動","買物"]', '2025-11-01T00:00:01.000000Z');
    """)


def test_version_1_database_is_migrated_and_keeps_its_data(backend):
    make_v1_database(backend)
    store = open_store(backend.url)
    assert schema_version(backend) == SCHEMA_VERSION == 3
    assert store.get("3班", "memo/A01") == "畑を続けたい"
    assert store.items("3班") == [("memo/A01", "畑を続けたい"), ("tags", ["移動", "買物"])]
    assert store.updated_at("3班", "tags") == datetime(2025, 11, 1, 0, 0, 1, tzinfo=timezone.utc)
    store.put_table("3班", "data/areas", pd.DataFrame({"地区名": ["北"]}))  # needs version 2's kind
    assert store.get_table("3班", "data/areas")["地区名"].tolist() == ["北"]


def stored_bytes(backend) -> bytes:
    """Everything the store keeps: its files for SQLite, every value for PostgreSQL."""
    if isinstance(backend, SQLiteBackend):
        return b"".join(p.read_bytes() for p in backend.path.parent.glob(backend.path.name + "*"))
    return "".join(str(row) for row in backend.execute("SELECT workspace, key, value FROM entries")).encode()


LEGACY_TOKEN, LEGACY_PIN = "k7mpa2x9qrst4w", "4821"


def test_team_links_and_pins_kept_in_the_clear_are_hashed_and_keep_working(backend):
    from kit import workshop as wk

    record = {"code": "KDXFA", "title": "旧版の研修", "created": "2025-11-01T00:00:00+00:00", "timer": None,
              "teams": {"A班": {"token": LEGACY_TOKEN, "pin": LEGACY_PIN, "joined": "2025-11-01T00:01:00+00:00",
                                "failures": 1}}}
    make_v1_database(backend)
    backend.script("ALTER TABLE entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'json';"
                   "UPDATE kit_schema SET version = 2;"
                   "INSERT INTO entries (workspace, key, value, updated) VALUES ('@KDXFA', 'workshop', '"
                   + json.dumps(record, ensure_ascii=False) + "', '2025-11-01T00:00:00.000000Z');")
    store = open_store(backend.url)
    assert schema_version(backend) == SCHEMA_VERSION
    assert LEGACY_TOKEN.encode() not in stored_bytes(backend)
    assert f'"{LEGACY_PIN}"'.encode() not in stored_bytes(backend)
    assert wk.resolve_access(store, f"@KDXFA:{LEGACY_TOKEN}").team == "A班"  # old links still open
    member = wk.join(store, "KDXFA", "A班", LEGACY_PIN)  # and the old 合言葉 still lets a PC in
    assert not member.created and wk.resolve_access(store, member.access).team == "A班"
    store.close()


def test_nothing_of_a_team_secret_is_ever_stored_in_the_clear(backend):
    from kit import workshop as wk

    store = open_store(backend.url)
    workshop = wk.create_workshop(store, "研修")
    first = wk.join(store, workshop.code, "A班")
    second = wk.join(store, workshop.code, "A班", first.pin)
    new_pin = wk.reissue_pin(store, workshop.code, "A班")
    stored = stored_bytes(backend)
    for secret in (first.access.split(":")[1], second.access.split(":")[1]):
        assert secret.encode() not in stored
    for pin in (first.pin, new_pin):
        assert f'"{pin}"'.encode() not in stored
    store.close()


def test_deleting_a_workspace_leaves_no_trace_of_it_and_keeps_the_others(backend):
    store = open_store(backend.url)
    store.put("3班", "memo", "田中花子さんは桜台在住")
    store.put_table("3班", "data/cases", pd.DataFrame({"経過": ["佐藤一郎さんと面談"]}))
    store.put("4班", "memo", "残す内容")
    assert store.delete_workspace("３班") == 2
    assert store.workspaces() == ["4班"] and store.get("4班", "memo") == "残す内容"
    stored = stored_bytes(backend)
    assert "田中花子".encode() not in stored and "佐藤一郎".encode() not in stored
    store.close()


def test_the_store_file_is_readable_by_its_owner_only(tmp_path):
    store = open_store(str(tmp_path / "private" / "store.sqlite3"))
    store.put("3班", "memo", "個人の記録")  # a write creates the -wal and -shm files
    files = sorted((tmp_path / "private").iterdir())
    assert [f.name for f in files] == ["store.sqlite3", "store.sqlite3-shm", "store.sqlite3-wal"]
    for file in files:
        assert file.stat().st_mode & 0o777 == 0o600, file.name
    assert (tmp_path / "private").stat().st_mode & 0o777 == 0o700
    store.close()


def test_failing_migration_leaves_the_database_as_it_was(backend, monkeypatch):
    make_v1_database(backend)

    def broken_migration(cur):
        cur.execute("CREATE TABLE half_done (x INTEGER)")
        raise RuntimeError("migration failed")

    monkeypatch.setattr(store_module, "MIGRATIONS", store_module.MIGRATIONS + (broken_migration,))
    with pytest.raises(RuntimeError):
        open_store(backend.url)
    assert schema_version(backend) == 1
    assert "half_done" not in backend.tables()
    assert "kind" not in backend.columns("entries")  # migration 2 rolled back too


def test_database_from_a_newer_kit_is_refused_and_left_intact(backend):
    open_store(backend.url).put("3班", "memo", "新しい版のデータ")
    backend.execute("UPDATE kit_schema SET version = 99")
    with pytest.raises(StoreError, match="新しい版") as error:
        open_store(backend.url)
    assert "99" in str(error.value)
    assert schema_version(backend) == 99
    assert backend.execute("SELECT value FROM entries") == [('"新しい版のデータ"',)]


def test_file_that_is_not_a_database_gets_a_japanese_error(tmp_path):
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"\x00garbage, not sqlite" * 100)
    with pytest.raises(StoreError, match="データベースとして読めません"):
        open_store(str(path))


# --- where the store is ------------------------------------------------------------------

def test_store_location_from_argument_environment_or_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("KIT_STORE", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))  # platformdirs on Linux

    open_store().put("w", "k", "default")
    assert (tmp_path / "xdg" / "chiiki-kit" / "workspaces.sqlite3").exists()

    monkeypatch.setenv("KIT_STORE", str(tmp_path / "env.sqlite3"))
    open_store().put("w", "k", "env")
    open_store("sqlite:///relative.sqlite3").put("w", "k", "relative url")
    open_store(f"sqlite:///{tmp_path / 'absolute.sqlite3'}").put("w", "k", "abs")  # sqlite:////tmp/…

    assert open_store(str(tmp_path / "env.sqlite3")).get("w", "k") == "env"
    assert open_store(str(tmp_path / "relative.sqlite3")).get("w", "k") == "relative url"
    assert open_store(str(tmp_path / "absolute.sqlite3")).get("w", "k") == "abs"


@pytest.mark.parametrize("url, expected", [
    ("mysql://kit:secret@db/kit", "mysql"),
    ("sqlite://", "sqlite:///"),
])
def test_unusable_store_url_gets_a_japanese_error_without_password(url, expected):
    with pytest.raises(StoreError) as error:
        open_store(url)
    assert expected in str(error.value)
    assert "secret" not in str(error.value)


# --- workspace names ---------------------------------------------------------------------

@pytest.mark.parametrize("typed, canonical", [
    ("3班", "3班"),
    ("　みどり野市　佐藤　", "みどり野市 佐藤"),  # full-width spaces trimmed and collapsed
    ("チームＡ", "チームA"),
    ("ｻﾛﾝ", "サロン"),
    ("あ" * 40, "あ" * 40),
])
def test_workspace_names_accepted(typed, canonical):
    assert normalise_workspace_name(typed) == canonical


@pytest.mark.parametrize("typed, reason", [
    ("", "空"),
    ("   ", "空"),
    ("1班/2班", "/"),
    ("1班／2班", "/"),  # full-width slash becomes "/" under NFKC
    ("1班\n2班", "制御文字"),
    ("1班\x002班", "制御文字"),
    ("\u202eかな", "制御文字"),  # right-to-left override would disguise the name
    ("あ" * 41, "40文字以内"),
])
def test_workspace_names_refused_with_japanese_reason(typed, reason):
    with pytest.raises(ValueError, match=reason):
        normalise_workspace_name(typed)


def test_bad_workspace_name_refused_by_store_and_workspace(store):
    with pytest.raises(ValueError, match="ワークスペース名"):
        store.put("a/b", "k", 1)
    with pytest.raises(ValueError, match="ワークスペース名"):
        Workspace(store, "")
    assert store.workspaces() == []


# --- concurrency and crashes -------------------------------------------------------------

def test_forty_page_processes_opening_a_new_store_at_once_lose_nothing(backend):
    workers, count = 40, 25
    command = [sys.executable, "-c", "import sys, store_workers; store_workers.hammer(*sys.argv[1:])"]
    processes = [subprocess.Popen(command + [backend.url, f"{i}班", str(count)], cwd=TESTS,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
                 for i in range(workers)]
    assert [process.stdout.readline() for process in processes] == ["ready\n"] * workers
    for process in processes:
        process.stdin.close()  # go
    assert [process.wait(timeout=120) for process in processes] == [0] * workers

    store = open_store(backend.url)
    for i in range(workers):
        assert store.items(f"{i}班") == [(f"k/{k:02d}", k) for k in range(count)]
    assert store.get(store_workers.SHARED, "counter") == workers * count
    assert len(store.workspaces()) == workers + 1


def test_threads_of_one_kernel_share_a_store(store):
    def work():
        for _ in range(50):
            store.update("3班", "count", lambda n: n + 1, 0)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert store.get("3班", "count") == 400


def test_forked_child_opens_its_own_connection(store):
    store.put("3班", "memo", "親")
    parent_connection = store._connection()

    def child():
        own = store._connection() is not parent_connection  # neither engine shares one over fork
        store.update("3班", "count", lambda n: n + 1, 0)
        os._exit(0 if own else 1)

    process = multiprocessing.get_context("fork").Process(target=child)
    process.start()
    process.join(timeout=60)
    assert process.exitcode == 0
    assert store.get("3班", "count") == 1
    store.put("3班", "memo", "親2")  # the parent's connection still works
    assert store.get("3班", "memo") == "親2"


def run_child(target, *args) -> int:
    process = SPAWN.Process(target=target, args=args)
    process.start()
    process.join(timeout=60)
    return process.exitcode


def test_writer_killed_before_commit_leaves_the_old_value(backend):
    open_store(backend.url).put("W", "doc", "古い値")
    big = "途中" * 2_000_000  # larger than SQLite's page cache, so pages reach the WAL uncommitted
    assert run_child(store_workers.die_at_commit, backend.url, big) == 3
    assert open_store(backend.url).get("W", "doc") == "古い値"
    if isinstance(backend, SQLiteBackend):
        assert backend.execute("PRAGMA integrity_check") == [("ok",)]


def test_writer_killed_after_commit_leaves_the_new_value(backend):
    open_store(backend.url).put("W", "doc", "古い値")
    assert run_child(store_workers.die_after_commit, backend.url, "新しい値") == 4
    assert open_store(backend.url).get("W", "doc") == "新しい値"


def test_writer_killed_at_an_arbitrary_moment_leaves_a_whole_value(backend):
    open_store(backend.url).put("W", "doc", store_workers.sealed(0))
    started = SPAWN.Event()
    process = SPAWN.Process(target=store_workers.write_forever, args=(backend.url, started))
    process.start()
    assert started.wait(timeout=60)
    process.kill()
    process.join(timeout=60)

    value = open_store(backend.url).get("W", "doc")
    assert value["n"] >= 1
    assert hashlib.sha256(value["payload"].encode()).hexdigest() == value["sha"]
    assert value["payload"].startswith(f"{value['n']}:")
