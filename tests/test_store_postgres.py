"""What only the PostgreSQL store has: a server to reach, a password to keep quiet,
connections that can drop. Everything the two backends share is tested on both in
test_store.py."""

from __future__ import annotations

import sys

import pytest
from browser.conftest import free_port

from kit.store import StoreError, open_store

PASSWORD = "s3cret-Pass"


def test_kit_store_variable_selects_the_shared_database(postgres, monkeypatch):
    url = postgres.create_database()
    monkeypatch.setenv("KIT_STORE", url)
    open_store().put("3班", "memo", "サーバー1から")
    assert open_store(url).get("3班", "memo") == "サーバー1から"  # as another server would see it


def test_wrong_password_gets_a_japanese_error_without_the_password(postgres):
    url = postgres.url("postgres", password=PASSWORD)
    with pytest.raises(StoreError, match="接続できません") as error:
        open_store(url)
    message = str(error.value)
    assert f"127.0.0.1:{postgres.port}/postgres" in message
    assert PASSWORD not in message


def test_server_that_is_not_running_is_named_without_the_password():
    port = free_port()  # nothing listens there
    with pytest.raises(StoreError, match="接続できません") as error:
        open_store(f"postgresql://kit:{PASSWORD}@127.0.0.1:{port}/kit")
    assert f"127.0.0.1:{port}/kit" in str(error.value)
    assert PASSWORD not in str(error.value)


@pytest.mark.parametrize("url", [
    f"postgresql://kit:{PASSWORD}@[::1/kit",  # libpq quotes the whole URL in its complaint
    f"postgresql://kit:{PASSWORD}%zz@127.0.0.1/kit",  # libpq quotes the bad token
    f"postgresql://kit@127.0.0.1/kit?password={PASSWORD}%zz",
])
def test_malformed_url_is_explained_without_the_password(url):
    with pytest.raises(StoreError, match="postgresql://ユーザー名") as error:
        open_store(url)
    assert PASSWORD not in str(error.value)


def test_missing_driver_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import fails as if not installed
    monkeypatch.delitem(sys.modules, "kit.store_postgres", raising=False)
    with pytest.raises(StoreError, match=r"kit\[postgres\]") as error:
        open_store(f"postgresql://kit:{PASSWORD}@127.0.0.1/kit")
    assert PASSWORD not in str(error.value)


def test_saving_works_again_after_the_connection_was_cut(postgres):
    import psycopg

    url = postgres.create_database()
    store = open_store(url)
    store.put("3班", "memo", "切断前")
    with psycopg.connect(url, autocommit=True) as admin:  # as a database restart would
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                      " WHERE application_name = 'chiiki-kit'")
    with pytest.raises(StoreError, match="保存先でエラー"):
        store.put("3班", "memo", "切断中")
    store.put("3班", "memo", "再接続後")
    assert open_store(url).get("3班", "memo") == "再接続後"
