"""A throwaway PostgreSQL cluster for the store tests, from the distribution's binaries.

initdb refuses to run as root, so under root (CI) the cluster belongs to the
``postgres`` user that Debian's package creates. It lives in a fresh folder under
/tmp, listens on a free port of 127.0.0.1 with password authentication (so the
tests use the same kind of URL a real deployment does) and on a unix socket in
that folder, and runs without fsync: it is deleted at the end of the session."""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from browser.conftest import free_port

__all__ = ["PostgresCluster", "find_bindir"]

USER = "kit"


def find_bindir() -> Path | None:
    """The newest /usr/lib/postgresql/<version>/bin with initdb, else initdb on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parts[-3]) if Path(p).parts[-3].isdigit() else 0)
    if found:
        return Path(found[-1]).parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path else None


class PostgresCluster:
    """One cluster: ``start()``, then ``url()`` or ``create_database()``, then ``stop()``."""

    def __init__(self, bindir: Path):
        self.bindir = bindir
        self.password = secrets.token_urlsafe(16)
        self.dir = Path(tempfile.mkdtemp(prefix="kit-pg-"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.port = free_port()
        self._prefix: list[str] = []
        self._databases = 0

    def _run(self, *argv: str) -> None:
        result = subprocess.run(self._prefix + list(argv), cwd=self.dir, capture_output=True,
                                text=True, timeout=120)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{argv[0]} failed:\n{result.stdout}{result.stderr}{log}")

    def start(self) -> PostgresCluster:
        try:
            self._init_and_start()
        except BaseException:
            self.stop()  # leave no server or folder behind
            raise
        return self

    def _init_and_start(self) -> None:
        pwfile = self.dir / "pwfile"
        pwfile.write_text(self.password + "\n")
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")  # created by Debian's postgresql package
            for path in (self.dir, pwfile):
                os.chown(path, owner.pw_uid, owner.pw_gid)
            self._prefix = ["runuser", "-u", "postgres", "--"]
        self._run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", USER,
                  f"--pwfile={pwfile}", "--auth-host=scram-sha-256", "--auth-local=trust",
                  "--encoding=UTF8", "--locale=C", "--no-sync")
        options = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off"
                   " -c synchronous_commit=off -c full_page_writes=off -c max_connections=120")
        self._run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                  "-o", options, "-w", "-t", "60", "start")

    def url(self, database: str = "postgres", password: str | None = None) -> str:
        return (f"postgresql://{USER}:{self.password if password is None else password}"
                f"@127.0.0.1:{self.port}/{database}")

    def create_database(self) -> str:
        """A new, empty database; returns its URL."""
        import psycopg

        self._databases += 1
        name = f"kit_test_{self._databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        return self.url(name)

    def stop(self) -> None:
        """Stop the server if it runs, and delete everything."""
        subprocess.run(self._prefix + [str(self.bindir / "pg_ctl"), "-D", str(self.data),
                                       "-m", "immediate", "-w", "stop"],
                       cwd=self.dir, capture_output=True, timeout=120)
        shutil.rmtree(self.dir, ignore_errors=True)
