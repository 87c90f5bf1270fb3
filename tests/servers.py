"""``gazetteer serve`` (real gunicorn) on a loopback port for the tests that need a server:
start it, wait until ``/readyz`` answers, stop it (shared by the service, curation and web page
tests)."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, log: Path, *, args: tuple[str, ...] = ("--workers", "1"),
                 env: dict[str, str] | None = None, ready_within: float = 90.0) -> subprocess.Popen:
    """Start ``gazetteer serve`` with ``args`` and ``env`` added to the environment, its output
    appended to ``log``; return once ``/readyz`` answers 200 (fail the test if it never does)."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    with open(log, "ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "gazetteer", "serve", "--host", HOST, "--port", str(port), *args],
            cwd=ROOT, env=full_env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + ready_within
    while True:
        if proc.poll() is not None:
            pytest.fail(f"gunicorn exited with {proc.returncode}:\n{log.read_text()}")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        finally:
            conn.close()
        if time.monotonic() > deadline:
            stop_server(proc)
            pytest.fail(f"gunicorn not ready after {ready_within:.0f} s:\n{log.read_text()}")
        time.sleep(0.2)


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the whole group if it has not gone within 30 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:  # pragma: no cover
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
