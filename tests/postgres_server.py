"""A throw-away PostgreSQL server for the tests: ``initdb`` and ``pg_ctl`` in a temporary
directory, on a free local port, trust authentication; removed at the end.  As root (CI), the
server runs as ``nobody`` (PostgreSQL refuses to run as root)."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found and name != "pg_ctl":
        return found
    # Debian keeps initdb and postgres under /usr/lib/postgresql/<version>/bin
    for path in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return path
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class PostgresServer:
    def __init__(self) -> None:
        self.initdb = find_bin("initdb")
        self.pg_ctl = find_bin("pg_ctl")
        self.dir: str | None = None
        self.port = free_port()
        self.prefix: list[str] = []

    def missing(self) -> str | None:
        if not self.initdb or not self.pg_ctl:
            return ("no PostgreSQL server binaries (initdb, pg_ctl): apt-get install postgresql "
                    "(.ci/run does)")
        try:
            import psycopg  # noqa: F401
        except ImportError:
            return "psycopg is not installed: pip install -e '.[dev]'"
        return None

    def start(self) -> str:
        self.dir = tempfile.mkdtemp(prefix="gazetteer-pg-")
        if os.geteuid() == 0:
            user = pwd.getpwnam("nobody")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", "nobody", "--"]
        data = os.path.join(self.dir, "data")
        subprocess.run(self.prefix + [self.initdb, "-D", data, "-U", "gazetteer", "-A", "trust",
                                      "-E", "UTF8", "--no-sync"],
                       check=True, capture_output=True)
        subprocess.run(self.prefix + [self.pg_ctl, "-D", data, "-l", os.path.join(self.dir, "log"),
                                      "-w", "-t", "60", "start", "-o",
                                      f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 "
                                      f"-c fsync=on"],
                       check=True, capture_output=True)
        url = f"postgresql://gazetteer@127.0.0.1:{self.port}/postgres"
        self._wait(url)
        return url

    def _wait(self, url: str) -> None:
        import psycopg

        deadline = time.monotonic() + 30
        while True:
            try:
                psycopg.connect(url).close()
                return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)

    def new_database(self, url: str, name: str) -> str:
        import psycopg

        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return url.rsplit("/", 1)[0] + "/" + name

    def stop(self) -> None:
        if self.dir is None:
            return
        subprocess.run(self.prefix + [self.pg_ctl, "-D", os.path.join(self.dir, "data"), "-m",
                                      "immediate", "-w", "stop"], capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None
