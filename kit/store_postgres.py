"""The workspace store in PostgreSQL: one database shared by several servers.

A prefecture-wide training runs many Voilà servers (JupyterHub gives each user
one). Pointing every kernel's ``KIT_STORE`` at one PostgreSQL database lets any
server open any team's work. Tables, migrations and behaviour are those of
:mod:`kit.store`; only connecting, placeholders and locks differ, and they are here.
Needs PostgreSQL 11 or newer and the optional ``psycopg`` package.

Each kernel keeps one connection in autocommit mode: a read is one statement, a
write is an explicit transaction that first takes a transaction-scoped advisory
lock on its entry. So ``update`` is serialised per entry, and a ``put`` cannot slip
between an update's read and its write, as under SQLite's single write lock.
Migrations take one advisory lock for the schema, so forty kernels opening a new
database at once migrate it once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import datetime
from urllib.parse import unquote

import psycopg
from psycopg.conninfo import conninfo_to_dict

from kit.store import Store, StoreError

__all__ = ["PostgresStore"]

# The schema lock uses the two-key advisory lock space, which never overlaps the
# one-key space of the entry locks. 0x6B6974 is "kit".
_SCHEMA_LOCK = (0x6B6974, 1)
_HIDDEN = "***"


class _QmarkCursor(psycopg.Cursor):
    """A cursor that accepts the shared SQL's ``?`` placeholders."""

    def execute(self, query, params=None, **kwargs):
        return super().execute(query.replace("?", "%s"), params, **kwargs)


def _passwords(url: str) -> list[str]:
    """Every spelling of each password in ``url``, longest first, to keep out of messages."""
    found = re.findall(r"^[^:/?#]+://[^/?#@:]*:([^/?#@]*)@", url) + \
        re.findall(r"[?&]password=([^&#]*)", url)
    spellings = {text for raw in found if raw for text in (raw, unquote(raw))}
    return sorted(spellings, key=len, reverse=True)


class PostgresStore(Store):
    """A store in one PostgreSQL database, given as ``postgresql://user:password@host:port/db``.

    Any libpq URL parameter may follow (``?sslmode=require``). The password is
    never shown: messages name only host, port and database."""

    _db_errors = (psycopg.Error,)

    def __init__(self, url: str, *, clock: Callable[[], datetime] | None = None):
        super().__init__(clock=clock)
        self._passwords = _passwords(url)
        try:
            params = conninfo_to_dict(url)
        except psycopg.Error as error:
            raise StoreError(f"PostgreSQL の保存先の指定が読めません（{self._describe(error)}）。"
                             "postgresql://ユーザー名:パスワード@ホスト:ポート/データベース名 の形で"
                             "指定してください（記号を含むパスワードは %xx の形に）。") from None
        params.setdefault("connect_timeout", "10")
        params.setdefault("application_name", "chiiki-kit")
        self._params = params
        self.where = (f"{params.get('host') or 'localhost'}:{params.get('port') or 5432}"
                      f"/{params.get('dbname') or params.get('user') or ''}")
        with self._lock:
            self._connection()  # connect now, so a wrong URL or a newer schema is reported here

    def _describe(self, error: BaseException) -> str:
        text = str(error).strip()
        for password in self._passwords:
            text = text.replace(password, _HIDDEN)
        return text

    def _connect(self) -> psycopg.Connection:
        try:
            conn = psycopg.connect(**self._params, autocommit=True, cursor_factory=_QmarkCursor)
        except psycopg.Error as error:
            raise StoreError(f"PostgreSQL の保存先（{self.where}）に接続できません"
                             f"（{self._describe(error)}）。サーバーが動いているか、ユーザー名・"
                             "パスワード・データベース名が正しいかを確かめてください。") from None
        try:
            self._migrate_schema(conn)
        except psycopg.Error as error:
            conn.close()
            raise StoreError(f"PostgreSQL の保存先（{self.where}）を使える状態にできません"
                             f"（{self._describe(error)}）。") from error
        except BaseException:
            conn.close()
            raise
        return conn

    def _begin_write(self, cur) -> None:
        cur.execute("BEGIN")

    def _lock_entry(self, cur, workspace: str, key: str) -> None:
        # Hash collisions only make two unrelated writes wait for each other.
        cur.execute("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))",
                    (json.dumps([workspace, key], ensure_ascii=False),))

    def _lock_schema(self, cur) -> None:
        cur.execute("SELECT pg_advisory_xact_lock(?, ?)", _SCHEMA_LOCK)

    def _is_broken(self, conn: psycopg.Connection) -> bool:
        return conn.closed or conn.broken
