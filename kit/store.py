"""The workspace store: everything participants enter, saved as they go.

Voilà starts a fresh kernel for every page load, so nothing may live only in
kernel memory. Each page saves to the store under its workspace (the team or
person named on the landing page) as the user works, and reads it back when the
page is opened again, on any kernel or, with a server backend, any server.

API (the same for every backend; notebooks only ever call :func:`open_store`):

- ``get(ws, key, default=None)`` / ``put(ws, key, value)`` / ``delete(ws, key)``:
  JSON values (str, int, float, bool, None, lists, dicts with str keys). What
  comes back is what JSON gives back: tuples return as lists.
- ``update(ws, key, fn, default=None)``: read-modify-write in one transaction,
  so concurrent pages never lose each other's changes (counters, appends).
- ``put_table(ws, key, df)`` / ``get_table(ws, key)``: pandas DataFrames with
  their column order, dtypes and missing values; ``get_table`` gives None when
  the key is absent. ``update_table(ws, key, fn)`` is ``update`` for tables.
- ``keys(ws, prefix="")`` (values and tables), ``items(ws, prefix="")`` (values
  only, as ``(key, value)`` pairs), ``workspaces()``.
- ``updated_at(ws, key)`` and ``last_updated(ws, prefix="")``: UTC times of the
  last write, for a facilitator's dashboard. No history is kept.
- ``delete_workspace(ws)``: everything of one workspace, gone (after a training:
  ``python -m kit purge``). SQLite then also clears the deleted bytes from its
  files; PostgreSQL frees them at its next VACUUM.

Keys are strings such as ``"assessment/memo/A01"``. Workspace names are what
users type; every method passes them through :func:`normalise_workspace_name`,
so ``チームＡ`` and ``チームA`` are the same workspace. Values are never logged.

Backends: :class:`SQLiteStore` (one file, one server) and, with the optional
``psycopg`` package, :class:`kit.store_postgres.PostgresStore` (one database
shared by several servers). The SQL here is portable (standard upsert,
``substr``, no engine functions) and written with qmark (``?``) parameters; it
never contains a literal ``?`` or ``%``, so a backend may rewrite placeholders.
What differs between engines (connecting, placeholders, how a write transaction
takes its locks) lives in the backend classes.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import time
import unicodedata
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ENV_VAR",
    "MIGRATIONS",
    "SCHEMA_VERSION",
    "WORKSPACE_NAME_MAX",
    "SQLiteStore",
    "Store",
    "StoreError",
    "Workspace",
    "default_store_path",
    "normalise_workspace_name",
    "open_store",
]

ENV_VAR = "KIT_STORE"
WORKSPACE_NAME_MAX = 40

# Invisible or line-breaking characters: two names differing only by these would
# look identical on a dashboard. Unassigned code points (Cn) stay allowed so that
# emoji newer than this Python's Unicode tables are not refused.
_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Zl", "Zp"}

_TIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"  # fixed width, so text order is time order
_JSON = "json"
_JSON_TYPES = (str, int, float, bool, list, tuple, dict)
_TABLE = "table"


class StoreError(RuntimeError):
    """The store cannot be opened or written; the message is for the user."""


def normalise_workspace_name(name: str) -> str:
    """The canonical form of a user-typed workspace name.

    NFKC (full-width letters and spaces become half-width), trimmed, inner runs of
    spaces collapsed. Raises ValueError with a Japanese message when the name is
    empty, longer than ``WORKSPACE_NAME_MAX``, contains ``/`` or control characters."""
    if not isinstance(name, str):
        raise ValueError("ワークスペース名は文字で入力してください。")
    text = unicodedata.normalize("NFKC", name).strip()
    if any(unicodedata.category(char) in _FORBIDDEN_CATEGORIES for char in text):
        raise ValueError("ワークスペース名に改行・タブなどの制御文字は使えません。")
    text = re.sub(r"\s+", " ", text)
    if not text:
        raise ValueError("ワークスペース名が空です。チーム名かお名前を入れてください。")
    if "/" in text:
        raise ValueError("ワークスペース名に「/」は使えません。")
    if len(text) > WORKSPACE_NAME_MAX:
        raise ValueError(f"ワークスペース名は{WORKSPACE_NAME_MAX}文字以内にしてください"
                         f"（いまは{len(text)}文字です）。")
    return text


# --- schema ---------------------------------------------------------------------------

def _create_entries(cur) -> None:
    cur.execute("CREATE TABLE entries ("
                " workspace TEXT NOT NULL,"
                " key TEXT NOT NULL,"
                " value TEXT NOT NULL,"
                " updated TEXT NOT NULL,"
                " PRIMARY KEY (workspace, key))")


def _add_kind_and_activity_index(cur) -> None:
    # Version 1 held JSON values only; tables arrived with a kind to tell them apart.
    cur.execute("ALTER TABLE entries ADD COLUMN kind TEXT NOT NULL DEFAULT 'json'")
    cur.execute("CREATE INDEX entries_activity ON entries (workspace, updated)")


def _hash_workshop_secrets(cur) -> None:
    # Workshop records kept team tokens and 合言葉 in the clear (kit.team_secrets).
    from kit.team_secrets import hashed_team

    cur.execute("SELECT workspace, value FROM entries WHERE key = ? AND substr(workspace, 1, 1) = ?"
                " AND kind = ?", ("workshop", "@", _JSON))
    for workspace, text in cur.fetchall():
        record = json.loads(text)
        if not isinstance(record, dict) or not isinstance(record.get("teams"), dict):
            continue
        record["teams"] = {team: hashed_team(entry) for team, entry in record["teams"].items()}
        cur.execute("UPDATE entries SET value = ? WHERE workspace = ? AND key = ?",
                    (_dump(record, "workshop"), workspace, "workshop"))


# Applied in order on open; migration i brings the schema to version i + 1.
# Never edit a released migration: append a new one.
MIGRATIONS: tuple[Callable[[Any], None], ...] = (_create_entries, _add_kind_and_activity_index,
                                                  _hash_workshop_secrets)
SCHEMA_VERSION = len(MIGRATIONS)


def _migrate(cur, migrations: tuple[Callable[[Any], None], ...]) -> bool:
    """Bring the schema up to date inside the caller's write transaction; refuse
    a database written by a newer kit rather than guess at its layout. True when
    a migration ran."""
    cur.execute("CREATE TABLE IF NOT EXISTS kit_schema (version INTEGER NOT NULL)")
    cur.execute("SELECT version FROM kit_schema")
    row = cur.fetchone()
    current = row[0] if row else 0
    if current > len(migrations):
        raise StoreError(f"保存先のデータベースは新しい版のキット（形式 {current}）で作られています。"
                         f"この版（形式 {len(migrations)} まで）では開けません。"
                         "キットを新しくしてから開いてください。データはそのまま残っています。")
    for migration in migrations[current:]:
        migration(cur)
    if row is None:
        cur.execute("INSERT INTO kit_schema (version) VALUES (?)", (len(migrations),))
    elif current < len(migrations):
        cur.execute("UPDATE kit_schema SET version = ?", (len(migrations),))
    return current < len(migrations)


# --- values and tables ------------------------------------------------------------------

def _check_key(key: str) -> str:
    if not isinstance(key, str) or not key:
        raise ValueError(f"保存のキーは空でない文字列にしてください（{key!r}）。")
    return key


def _dump(value: Any, key: str) -> str:
    try:
        return json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError):
        # The message names the type only: values may hold personal data.
        raise TypeError(f"「{key}」に保存する値（{type(value).__name__}）は JSON にできません。") from None


def _time_text(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).strftime(_TIME_FORMAT)


def _parse_time(text: str | None) -> datetime | None:
    return None if text is None else datetime.strptime(text, _TIME_FORMAT).replace(tzinfo=timezone.utc)


def _json_scalar(value: Any) -> Any:
    """A cell as JSON: missing → None, numpy scalars → Python, ±inf → text."""
    import pandas as pd

    if value is None or (not isinstance(value, (list, tuple, dict)) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalar
        value = value.item()
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    return value


def _encode_series(series: pd.Series) -> dict:
    import pandas as pd

    dtype = series.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        return {"name": series.name, "dtype": "category", "ordered": bool(dtype.ordered),
                "categories": _encode_series(pd.Series(dtype.categories)),
                "codes": series.cat.codes.tolist()}
    if dtype.kind == "M":
        values = [None if pd.isna(v) else v.isoformat() for v in series]
    elif dtype.kind in "mc" or isinstance(dtype, pd.PeriodDtype | pd.IntervalDtype):
        raise TypeError(f"列「{series.name}」の型（{dtype}）は保存できません。")
    else:
        values = [_json_scalar(v) for v in series]
        odd = next((v for v in values if v is not None and not isinstance(v, _JSON_TYPES)), None)
        if odd is not None:
            raise TypeError(f"列「{series.name}」の {type(odd).__name__} 型の値は保存できません。")
    return {"name": series.name, "dtype": str(dtype), "values": values}


def _decode_series(spec: dict) -> pd.Series:
    import pandas as pd

    if spec["dtype"] == "category":
        categories = _decode_series(spec["categories"])
        values = pd.Categorical.from_codes(spec["codes"], categories=categories,
                                           ordered=spec["ordered"])
        return pd.Series(values, name=spec["name"])
    dtype = pd.api.types.pandas_dtype(spec["dtype"])
    values = spec["values"]
    if dtype.kind == "M":
        tz = getattr(dtype, "tz", None)
        parsed = pd.to_datetime(pd.Series(values, dtype=object), format="ISO8601", utc=tz is not None)
        if tz is not None:
            parsed = parsed.dt.tz_convert(tz)
        return parsed.astype(dtype).rename(spec["name"])
    if dtype.kind == "f":
        values = [float(v) if isinstance(v, str) else v for v in values]
    return pd.Series(values, dtype=dtype, name=spec["name"])


def _encode_table(df: pd.DataFrame, key: str) -> str:
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise TypeError(f"「{key}」に保存できるのは表（DataFrame）だけです。")
    if isinstance(df.columns, pd.MultiIndex):
        raise TypeError(f"「{key}」の表は列見出しが2段になっているため保存できません。")
    index = df.index
    default_index = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1 \
        and index.name is None
    payload = {
        "rows": len(df),
        "columns": [_encode_series(df.iloc[:, i].rename(name)) for i, name in enumerate(df.columns)],
        "index": None if default_index else
        [_encode_series(pd.Series(index.get_level_values(i), name=name))
         for i, name in enumerate(index.names)],
    }
    return _dump(payload, key)


def _decode_table(text: str) -> pd.DataFrame:
    import pandas as pd

    payload = json.loads(text)
    columns = [_decode_series(spec) for spec in payload["columns"]]
    index = None
    if payload["index"] is not None:
        levels = [_decode_series(spec) for spec in payload["index"]]
        index = pd.MultiIndex.from_arrays(levels) if len(levels) > 1 else pd.Index(levels[0])
    df = pd.concat(columns, axis=1) if columns else pd.DataFrame(index=range(payload["rows"]))
    df.columns = pd.Index([spec["name"] for spec in payload["columns"]])
    if index is not None:
        df.index = index
    return df


# --- stores ---------------------------------------------------------------------------------

class Store(ABC):
    """A workspace store over a DB-API connection with portable SQL.

    A backend supplies ``_connect`` (open and configure a connection, then call
    :meth:`_migrate_schema`; report failures as :class:`StoreError`) and
    ``_begin_write`` (start a transaction). Every write also calls
    ``_lock_entry`` and the migration ``_lock_schema``: a backend whose
    ``_begin_write`` already locks the whole database needs neither. Each process
    opens its own connection, lazily after a fork; a lock serialises the threads
    of one process on that connection. Fork only between writes: a child forked
    inside a write would inherit SQLite's in-memory lock state."""

    _db_errors: tuple[type[BaseException], ...] = ()

    def __init__(self, *, clock: Callable[[], datetime] | None = None):
        self._clock = clock or (lambda: datetime.now(timezone.utc))
        self._lock = threading.RLock()
        self._conn = None
        self._pid: int | None = None
        # A connection inherited over fork is never closed by the child (closing
        # it could disturb the parent's locks); it is only kept out of use.
        self._inherited: list[Any] = []

    @abstractmethod
    def _connect(self): ...

    @abstractmethod
    def _begin_write(self, cur) -> None: ...

    def _lock_entry(self, cur, workspace: str, key: str) -> None:
        """Serialise writers of one entry until the transaction ends."""

    def _lock_schema(self, cur) -> None:
        """Serialise migrations until the transaction ends."""

    def _is_broken(self, conn) -> bool:
        """True when the connection was lost and a new one should be opened."""
        return False

    def _describe(self, error: BaseException) -> str:
        """The engine's error text as it may be shown to a user."""
        return str(error)

    def _scrub(self, conn) -> None:
        """Make deleted or rewritten values unreadable in the engine's files, where it can."""

    def _migrate_schema(self, conn) -> None:
        """Bring a fresh connection's database up to date, all in one transaction."""
        cur = conn.cursor()
        self._begin_write(cur)
        try:
            self._lock_schema(cur)
            migrated = _migrate(cur, MIGRATIONS)
        except BaseException:
            with suppress(*self._db_errors):  # keep the migration's error
                conn.rollback()
            raise
        conn.commit()
        if migrated:
            self._scrub(conn)  # a migration may have replaced secrets kept in the clear

    def _connection(self):
        if self._conn is not None and self._pid != os.getpid():
            self._inherited.append(self._conn)
            self._conn = None
        if self._conn is not None and self._is_broken(self._conn):
            self._conn = None
        if self._conn is None:
            self._conn = self._connect()
            self._pid = os.getpid()
        return self._conn

    def close(self) -> None:
        """Close this process's connection; the next call opens a new one."""
        with self._lock:
            if self._conn is not None and self._pid == os.getpid():
                self._conn.close()
            self._conn = None

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    @contextmanager
    def _failures(self) -> Iterator[None]:
        try:
            yield
        except self._db_errors as error:
            raise StoreError(f"作業内容の保存先でエラーが起きました（{self._describe(error)}）。") \
                from error

    @contextmanager
    def _write(self, workspace: str, key: str) -> Iterator[Any]:
        """One transaction per write to one entry: all of it is stored, or none of it."""
        with self._lock, self._failures():
            conn = self._connection()
            cur = conn.cursor()
            self._begin_write(cur)
            try:
                self._lock_entry(cur, workspace, key)
                yield cur
                conn.commit()
            except BaseException:
                with suppress(*self._db_errors):  # keep the first error, not a failed rollback's
                    conn.rollback()
                raise

    def _query(self, sql: str, params: tuple) -> list[tuple]:
        with self._lock, self._failures():
            cur = self._connection().cursor()
            cur.execute(sql, params)
            return cur.fetchall()

    def _entry(self, cur, workspace: str, key: str) -> tuple[str, str] | None:
        cur.execute("SELECT kind, value FROM entries WHERE workspace = ? AND key = ?", (workspace, key))
        return cur.fetchone()

    def _store(self, cur, workspace: str, key: str, kind: str, text: str) -> None:
        cur.execute("INSERT INTO entries (workspace, key, kind, value, updated) VALUES (?, ?, ?, ?, ?)"
                    " ON CONFLICT (workspace, key) DO UPDATE SET"
                    " kind = excluded.kind, value = excluded.value, updated = excluded.updated",
                    (workspace, key, kind, text, _time_text(self._clock())))

    @staticmethod
    def _load(row: tuple[str, str] | None, key: str, kind: str, default: Any) -> Any:
        if row is None:
            return default
        if row[0] != kind:
            stored_as, reader = ("表", "get_table") if row[0] == _TABLE else ("値", "get")
            raise TypeError(f"「{key}」は{stored_as}として保存されています（{reader} で読んでください）。")
        return _decode_table(row[1]) if kind == _TABLE else json.loads(row[1])

    # --- public API ---

    def get(self, workspace: str, key: str, default: Any = None) -> Any:
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        rows = self._query("SELECT kind, value FROM entries WHERE workspace = ? AND key = ?", (ws, key))
        return self._load(rows[0] if rows else None, key, _JSON, default)

    def put(self, workspace: str, key: str, value: Any) -> None:
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        text = _dump(value, key)
        with self._write(ws, key) as cur:
            self._store(cur, ws, key, _JSON, text)

    def update(self, workspace: str, key: str, fn: Callable[[Any], Any], default: Any = None) -> Any:
        """Store ``fn(current value or default)`` and return it, in one transaction
        that holds the entry's write lock from the read on: no concurrent write is lost."""
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        with self._write(ws, key) as cur:
            value = fn(self._load(self._entry(cur, ws, key), key, _JSON, default))
            self._store(cur, ws, key, _JSON, _dump(value, key))
        return value

    def delete(self, workspace: str, key: str) -> bool:
        """Remove a value or table; True when there was one."""
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        with self._write(ws, key) as cur:
            cur.execute("DELETE FROM entries WHERE workspace = ? AND key = ?", (ws, key))
            return cur.rowcount > 0

    def put_table(self, workspace: str, key: str, df: pd.DataFrame) -> None:
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        text = _encode_table(df, key)
        with self._write(ws, key) as cur:
            self._store(cur, ws, key, _TABLE, text)

    def get_table(self, workspace: str, key: str) -> pd.DataFrame | None:
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        rows = self._query("SELECT kind, value FROM entries WHERE workspace = ? AND key = ?", (ws, key))
        return self._load(rows[0] if rows else None, key, _TABLE, None)

    def update_table(self, workspace: str, key: str,
                     fn: Callable[[pd.DataFrame | None], pd.DataFrame]) -> pd.DataFrame:
        """Store ``fn(current table or None)`` and return it, in one transaction, as
        :meth:`update` does for values: a row added on another page is not lost."""
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        with self._write(ws, key) as cur:
            table = fn(self._load(self._entry(cur, ws, key), key, _TABLE, None))
            self._store(cur, ws, key, _TABLE, _encode_table(table, key))
        return table

    def _prefixed(self, columns: str, workspace: str, prefix: str, kind: str | None = None) -> list[tuple]:
        sql = f"SELECT {columns} FROM entries WHERE workspace = ? AND substr(key, 1, ?) = ?"
        params: tuple = (normalise_workspace_name(workspace), len(prefix), prefix)
        if kind is not None:
            sql, params = sql + " AND kind = ?", params + (kind,)
        return self._query(sql, params)

    def keys(self, workspace: str, prefix: str = "") -> list[str]:
        """Keys of values and tables starting with ``prefix``, sorted."""
        return sorted(key for (key,) in self._prefixed("key", workspace, prefix))

    def items(self, workspace: str, prefix: str = "") -> list[tuple[str, Any]]:
        """``(key, value)`` of the JSON values starting with ``prefix``, sorted by key."""
        rows = self._prefixed("key, value", workspace, prefix, _JSON)
        return sorted((key, json.loads(text)) for key, text in rows)

    def delete_workspace(self, workspace: str) -> int:
        """Delete every value and table of ``workspace``; returns how many."""
        ws = normalise_workspace_name(workspace)
        with self._write(ws, "") as cur:
            cur.execute("DELETE FROM entries WHERE workspace = ?", (ws,))
            deleted = cur.rowcount
        with self._lock, self._failures():
            self._scrub(self._connection())
        return deleted

    def workspaces(self) -> list[str]:
        return sorted(name for (name,) in self._query("SELECT DISTINCT workspace FROM entries", ()))

    def updated_at(self, workspace: str, key: str) -> datetime | None:
        """UTC time of the last write to ``key``, or None when absent."""
        ws, key = normalise_workspace_name(workspace), _check_key(key)
        rows = self._query("SELECT updated FROM entries WHERE workspace = ? AND key = ?", (ws, key))
        return _parse_time(rows[0][0]) if rows else None

    def last_updated(self, workspace: str, prefix: str = "") -> datetime | None:
        """UTC time of the newest write under ``prefix``: a dashboard's 'last activity'."""
        return _parse_time(self._prefixed("MAX(updated)", workspace, prefix)[0][0])


class SQLiteStore(Store):
    """One SQLite file shared by every kernel of one server.

    WAL lets pages read while another writes; writers queue on ``busy_timeout``
    instead of failing. ``synchronous=NORMAL`` under WAL never corrupts the file
    or leaves half a write; a power cut may lose the last moments of writes.
    The file must be on a local disk: WAL does not work over network filesystems."""

    _db_errors = (sqlite3.Error,)

    def __init__(self, path: str | os.PathLike, *, clock: Callable[[], datetime] | None = None,
                 timeout: float = 30.0):
        super().__init__(clock=clock)
        self.path = Path(path)
        self._timeout = timeout
        with self._lock:
            self._connection()  # open now, so a bad or newer file is reported where it is opened

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._create_private()
        except OSError as error:
            raise StoreError(f"保存先のフォルダを作れません: {self.path.parent}（{error.strerror}）") from error
        try:
            # isolation_level=None: transactions are begun explicitly, never implicitly.
            conn = sqlite3.connect(self.path, timeout=self._timeout, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as error:
            raise StoreError(f"保存先のファイルを開けません: {self.path}（{error}）") from error
        try:
            self._enter_wal(conn)
            conn.execute("PRAGMA synchronous = NORMAL")
            # Deleted values are overwritten with zeros, not left in free pages.
            conn.execute("PRAGMA secure_delete = ON")
            self._migrate_schema(conn)
        except sqlite3.OperationalError as error:  # locked, read-only, disk full…
            conn.close()
            raise StoreError(f"保存先のファイル {self.path} を開けません（{error}）。") from error
        except sqlite3.DatabaseError as error:
            conn.close()
            raise StoreError(f"保存先のファイル {self.path} はキットのデータベースとして読めません（{error}）。") \
                from error
        except BaseException:
            conn.close()
            raise
        return conn

    def _create_private(self) -> None:
        """Create the file readable by its owner only, before SQLite creates it with
        the default mode (0644): it holds participants' notes. SQLite gives its -wal
        and -shm files the mode of the database file. An existing file keeps its mode."""
        try:
            os.close(os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
        except FileExistsError:
            pass

    def _scrub(self, conn) -> None:
        # The WAL still holds page images from before the change: copy it into the
        # database (whose freed space secure_delete has zeroed) and empty it.
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    def _enter_wal(self, conn: sqlite3.Connection) -> None:
        # Switching a new file to WAL needs it to itself, and SQLite reports "locked"
        # at once rather than waiting: when a room's pages open a new store together,
        # all but one would fail. So wait here, as the busy timeout waits elsewhere.
        deadline = time.monotonic() + self._timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or time.monotonic() > deadline:
                    raise
                time.sleep(0.01)

    def _begin_write(self, cur) -> None:
        # Takes the database's single write lock now: no entry or schema lock is needed.
        cur.execute("BEGIN IMMEDIATE")


class Workspace:
    """One workspace of a store, so page code writes ``ws.put("memo/A01", text)``."""

    def __init__(self, store: Store, name: str):
        self.store = store
        self.name = normalise_workspace_name(name)

    def __repr__(self) -> str:
        return f"Workspace({self.name!r})"

    def get(self, key: str, default: Any = None) -> Any:
        return self.store.get(self.name, key, default)

    def put(self, key: str, value: Any) -> None:
        self.store.put(self.name, key, value)

    def update(self, key: str, fn: Callable[[Any], Any], default: Any = None) -> Any:
        return self.store.update(self.name, key, fn, default)

    def delete(self, key: str) -> bool:
        return self.store.delete(self.name, key)

    def put_table(self, key: str, df: pd.DataFrame) -> None:
        self.store.put_table(self.name, key, df)

    def get_table(self, key: str) -> pd.DataFrame | None:
        return self.store.get_table(self.name, key)

    def update_table(self, key: str, fn: Callable[[pd.DataFrame | None], pd.DataFrame]) -> pd.DataFrame:
        return self.store.update_table(self.name, key, fn)

    def keys(self, prefix: str = "") -> list[str]:
        return self.store.keys(self.name, prefix)

    def items(self, prefix: str = "") -> list[tuple[str, Any]]:
        return self.store.items(self.name, prefix)

    def updated_at(self, key: str) -> datetime | None:
        return self.store.updated_at(self.name, key)

    def last_updated(self, prefix: str = "") -> datetime | None:
        return self.store.last_updated(self.name, prefix)


# --- factory ------------------------------------------------------------------------------

_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*)://")


def default_store_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("chiiki-kit", appauthor=False)) / "workspaces.sqlite3"


def open_store(url: str | None = None) -> Store:
    """The store named by ``url``, else by ``$KIT_STORE``, else the default file.

    Accepted: a file path (``/srv/kit/store.sqlite3``), an SQLAlchemy-style
    ``sqlite:///relative/path`` / ``sqlite:////absolute/path``, or a PostgreSQL
    URL ``postgresql://user:password@host:port/dbname`` (also ``postgres://``;
    needs the optional ``psycopg`` package: ``pip install 'kit[postgres]'``).
    Relative paths are relative to the kernel's working folder, so servers should
    give absolute ones. The backend is chosen here and nowhere else."""
    if url is None:
        url = os.environ.get(ENV_VAR) or None
    if url is None:
        return SQLiteStore(default_store_path())
    match = _SCHEME.match(url)
    if match is None:
        return SQLiteStore(Path(url).expanduser())
    scheme = match[1].lower()
    if scheme == "sqlite":
        rest = url[len(match[0]):]
        if not rest.startswith("/") or len(rest) == 1:
            raise StoreError("sqlite の保存先は sqlite:///ファイルのパス の形で指定してください"
                             "（絶対パスなら sqlite:////srv/kit/store.sqlite3）。")
        return SQLiteStore(Path(rest[1:]).expanduser())
    if scheme in ("postgresql", "postgres"):
        try:
            from kit.store_postgres import PostgresStore
        except ImportError:
            raise StoreError("PostgreSQL に保存するには psycopg が必要です。"
                             "pip install 'kit[postgres]' で入れてから起動し直してください。") from None
        return PostgresStore(url)
    # The URL itself is not echoed: a server URL may carry a password.
    raise StoreError(f"保存先の形式「{scheme}://」は使えません。"
                     "ファイルのパス、sqlite:///パス、postgresql://… のどれかを指定してください。")
