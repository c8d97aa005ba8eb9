"""Fixtures shared by several test modules."""

from __future__ import annotations

import os

import pytest
from pg_cluster import PostgresCluster, find_bindir


@pytest.fixture(scope="session")
def postgres():
    """A throwaway PostgreSQL cluster, started once for the session when a test needs it.

    Skipped when PostgreSQL is not installed, except in CI (``CI=true``), where a
    missing server is a failure: CI must test the PostgreSQL store."""
    bindir = find_bindir()
    missing = []
    if bindir is None:
        missing.append("PostgreSQL のサーバー (initdb, pg_ctl): apt-get install postgresql")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing.append("psycopg: pip install -e '.[postgres]'")
    if missing:
        reason = "PostgreSQL のテストに必要なものがありません: " + "、".join(missing)
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    cluster = PostgresCluster(bindir).start()
    yield cluster
    cluster.stop()
