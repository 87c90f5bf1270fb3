"""A server for the benchmarks that need one (bench_service.py, bench_web.py): a free loopback
port, waiting until ``/readyz`` answers, and stopping it with its workers."""
from __future__ import annotations

import http.client
import os
import signal
import socket
import subprocess
import time

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, port: int, within: float, what: str) -> subprocess.Popen:
    """Return ``proc`` once ``/readyz`` answers 200; stop it and exit with a message (naming
    ``what`` was started) if it dies or is not ready within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = proc.stderr.read().decode(errors="replace")[-2000:] if proc.stderr else ""
            raise SystemExit(f"{what} exited with {proc.returncode}{': ' + err if err else ''}")
        conn = http.client.HTTPConnection(HOST, port, timeout=2)
        try:
            conn.request("GET", "/readyz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            pass
        finally:
            conn.close()
        time.sleep(0.2)
    stop_server(proc)
    raise SystemExit(f"{what} not ready after {within:.0f} s")


def stop_server(proc: subprocess.Popen) -> None:
    """SIGTERM, then SIGKILL to the whole group if it has not gone within 30 s."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
