"""The records tests' databases: SQLite always, PostgreSQL where its server is installed.

``records_db`` is parametrized over both engines: a fresh SQLite file, or a fresh database in
a throwaway PostgreSQL cluster that this session starts (``initdb`` and ``pg_ctl`` on a
private socket folder, no TCP; as the ``postgres`` system user when run as root) and stops at
the end. Without the server binaries (/usr/lib/postgresql/*/bin) the PostgreSQL cases skip.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_GLOB = "/usr/lib/postgresql/*/bin"
_counter = itertools.count()


def pg_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder, or None."""
    import glob

    found = [Path(p) for p in glob.glob(PG_GLOB)
             if (Path(p) / "initdb").exists() and (Path(p) / "pg_ctl").exists()]
    return max(found, key=lambda p: int(p.parent.name)) if found else None


def _as_postgres(cmd: list[str]) -> list[str]:
    """Run ``cmd`` as the postgres system user when we are root (initdb refuses root)."""
    if os.geteuid() != 0:
        return cmd
    runuser = shutil.which("runuser")
    if runuser:
        return [runuser, "-u", "postgres", "--", *cmd]
    return ["su", "postgres", "-s", "/bin/sh", "-c", " ".join(cmd)]


class Cluster:
    def __init__(self, bindir: Path, base: Path) -> None:
        self.bindir, self.base = bindir, base
        self.data, self.sockets = base / "data", base / "sockets"

    def run(self, *args: str) -> None:
        done = subprocess.run(_as_postgres(list(args)), capture_output=True, text=True,
                              timeout=120, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{args[0]} failed: {done.stdout}{done.stderr}")

    def start(self) -> None:
        self.sockets.mkdir()
        base = self.base.stat()
        os.chown(self.sockets, base.st_uid, base.st_gid)  # the server's user makes its socket
        self.run(str(self.bindir / "initdb"), "-D", str(self.data), "-U", "postgres",
                 "--auth=trust", "--no-sync", "-E", "UTF8", "--no-locale")
        self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-w", "-t", "60",
                 "-l", str(self.base / "server.log"), "-o",
                 f"-k {self.sockets} -c listen_addresses='' -c fsync=off "
                 "-c full_page_writes=off -c max_connections=40", "start")

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
            self.run(str(self.bindir / "pg_ctl"), "-D", str(self.data), "-m", "immediate",
                     "-w", "stop")

    def url(self, database: str) -> str:
        return f"postgresql://postgres@/{database}?host={self.sockets}"

    def create_database(self) -> str:
        import psycopg

        name = f"records_{os.getpid()}_{next(_counter)}"
        with psycopg.connect(host=str(self.sockets), user="postgres", dbname="postgres",
                             autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    bindir = pg_bin()
    if bindir is None:
        pytest.skip("PostgreSQL's server is not installed (/usr/lib/postgresql/*/bin)")
    try:
        import psycopg  # noqa: F401
    except ImportError:
        pytest.skip("psycopg is not installed")
    base = Path(tempfile.mkdtemp(prefix="bodymap-pg-"))
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres system user")
        os.chown(base, user.pw_uid, user.pw_gid)
    cluster = Cluster(bindir, base)
    try:
        cluster.start()
    except RuntimeError as exc:
        shutil.rmtree(base, ignore_errors=True)
        pytest.fail(f"the throwaway PostgreSQL cluster did not start: {exc}")
    yield cluster
    cluster.stop()
    shutil.rmtree(base, ignore_errors=True)


ENGINES = ("sqlite", "postgresql")


@pytest.fixture(params=ENGINES)
def records_db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty records database: a SQLite path or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "records.sqlite")
    cluster: Cluster = request.getfixturevalue("pg_cluster")
    return cluster.create_database()


@pytest.fixture
def records(records_db: str, library, geometry):
    """The records in a fresh database, checked against the shipped protocols and drawing."""
    from bodymap.records.store import Records

    opened = Records.open(records_db, library=library, geometry=geometry)
    yield opened
    opened.close()
