"""The service under real gunicorn (``gazetteer serve``) on a free loopback port: concurrent
clients get the same answers as the library, oversized bodies are refused without being read,
and the server stops cleanly."""
from __future__ import annotations

import http.client
import json
import signal
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest

from gazetteer.geojson import feature_collection
from servers import HOST, free_port, start_server, stop_server

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gz():
    try:
        from gazetteer.batch import shared_gazetteer
    except ImportError:  # pragma: no cover
        from gazetteer import Gazetteer

        return Gazetteer.load()
    return shared_gazetteer()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    proc = start_server(port, log, args=("--workers", "2", "--threads", "4"), ready_within=60)
    try:
        yield port, proc, log
    finally:
        stop_server(proc)


TEXTS = ["Shelling hit Maarat al-Numan and Kafr Nabl, south of Idlib.",
         "قصف على معرة النعمان وكفرنبل جنوب إدلب", "Convoy from Manbij to Jarablus."]
QUERIES = ["Aleppo", "حلب", "Tedef, Aleppo", "Khan Shaykhun camp", "مخيم حندرات", "Idlib",
           "Dayr al-Zur", "Homs", "Jisr al-Shughur", "xyzzy qwv", "Manbij", "درعا"]


def test_concurrent_clients_get_the_library_answers(server, gz):
    port, proc, log = server
    expected = {q: feature_collection(gz.geocode(q), query=q) for q in QUERIES}
    parse = hasattr(gz, "parse")
    if parse:
        from gazetteer.commands.parse import collection

        expected_parse = {t: json.loads(json.dumps(collection(gz, t))) for t in TEXTS}
    place_ids = [p.id for p in gz.places[:: max(1, len(gz.places) // 40)]]
    errors: list[str] = []
    pids: set[int] = set()
    done = [0]
    lock = threading.Lock()

    def client(n: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=30)  # keep-alive
        try:
            for i in range(30):
                k = (n * 31 + i) % (len(QUERIES) + 3)
                if k == len(QUERIES) + 2 and parse:
                    text = TEXTS[(n + i) % len(TEXTS)]
                    conn.request("POST", "/v1/parse", body=text.encode(),
                                 headers={"Content-Type": "text/plain; charset=utf-8"})
                    want = expected_parse[text]
                elif k < len(QUERIES):
                    q = QUERIES[k]
                    conn.request("GET", "/v1/geocode?q=" + quote(q))
                    want = expected[q]
                elif k == len(QUERIES):
                    pid = place_ids[(n + i) % len(place_ids)]
                    conn.request("GET", f"/v1/places/{pid}")
                    want = None
                else:
                    k = len(QUERIES) + 1
                    conn.request("GET", "/livez")
                    want = None
                resp = conn.getresponse()
                body = resp.read()
                if resp.status != 200:
                    errors.append(f"{resp.status} {body[:200]!r}")
                    continue
                data = json.loads(body)
                if want is not None and data != want:
                    errors.append(f"wrong answer for request {k} of client {n}")
                if k == len(QUERIES) and data["id"] != pid:
                    errors.append(f"wrong place {data['id']} for {pid}")
                if k == len(QUERIES) + 1:
                    with lock:
                        pids.add(data["pid"])
                with lock:
                    done[0] += 1
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            conn.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(16)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    elapsed = time.monotonic() - start
    assert not errors, errors[:5]
    assert done[0] == 16 * 30
    assert pids and proc.poll() is None
    text = log.read_text()
    assert "WORKER TIMEOUT" not in text and "Traceback" not in text
    print(f"{done[0]} requests from 16 concurrent clients in {elapsed:.2f} s; worker pids {pids}")


def test_parse_and_batch_over_http(server, gz):
    port, _, _ = server
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("POST", "/v1/parse", body="قصف على معرة النعمان".encode(),
                 headers={"Content-Type": "text/plain; charset=utf-8"})
    resp = conn.getresponse()
    resp.read()
    assert resp.status in ((200,) if hasattr(gz, "parse") else (503,))
    conn.request("POST", "/v1/batch?column=name", body="name\nTedef\nحلب\n".encode(),
                 headers={"Content-Type": "text/csv"})
    resp = conn.getresponse()
    body = resp.read().decode()
    assert resp.status == 200 and len(body.splitlines()) == 3
    conn.close()


def test_30_mb_body_refused_before_it_is_sent(server):
    """The 413 comes back while the client has sent only the headers and a few KiB."""
    port, proc, _ = server
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(b"POST /v1/parse HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n"
                  b"Content-Length: 31457280\r\n\r\n" + b"x" * 4096)
        start = time.monotonic()
        data = b""
        while b"\r\n\r\n" not in data:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        assert data.startswith(b"HTTP/1.1 413"), data[:200]
        assert b"application/problem+json" in data
        assert time.monotonic() - start < 5
    assert proc.poll() is None


def test_malformed_http_is_refused_not_crashed(server):
    port, proc, _ = server
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(b"GET /v1/geocode?q=" + b"a" * 10000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
        data = s.recv(65536)
    assert data.startswith(b"HTTP/1.1 4"), data[:100]
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    conn.request("GET", "/livez")
    assert conn.getresponse().status == 200
    conn.close()
    assert proc.poll() is None


def test_200_slow_clients_do_not_stall_the_service(server):
    """200 connections that send their request one header line every 2 seconds (as a slow or
    hostile client does): /livez keeps answering fast meanwhile, and the slow clients are
    answered when their request is complete.  With gthread workers (2 x 4 threads) 8 such
    clients stalled the service on main.  (A request whose headers take longer than the
    keep-alive time, 5 s, is dropped: a slow client is bounded.)"""
    port, proc, _ = server
    slow: list[socket.socket] = []
    latencies = []

    def probe_until(deadline: float) -> None:
        while time.monotonic() < deadline:
            conn = http.client.HTTPConnection(HOST, port, timeout=2)
            start = time.monotonic()
            try:
                conn.request("GET", "/livez")
                assert conn.getresponse().status == 200
            finally:
                conn.close()
            latencies.append(time.monotonic() - start)
            time.sleep(0.3)

    try:
        start = time.monotonic()
        for _ in range(200):
            s = socket.create_connection((HOST, port), timeout=10)
            s.sendall(b"GET /livez HTTP/1.1\r\n")
            slow.append(s)
        for line in (b"Host: slow\r\n", b"X-Slow: 1\r\n"):
            probe_until(start + 2.0)
            start += 2.0
            for s in slow:
                s.sendall(line)
        probe_until(start + 0.5)
        assert len(latencies) >= 8 and max(latencies) < 1.0, latencies
        print(f"/livez with 200 slow clients open: max {max(latencies) * 1000:.0f} ms over "
              f"{len(latencies)} probes")
        for s in slow:  # each slow client is answered once its request is complete
            s.sendall(b"\r\n")
        answered = sum(s.recv(200).startswith(b"HTTP/1.1 200") for s in slow)
        assert answered == 200
    finally:
        for s in slow:
            s.close()
    assert proc.poll() is None


@pytest.mark.parametrize("request_bytes, status", [
    (b"GET /v1/geocode?q=" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", 414),
    (b"GET /livez HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),
])
def test_gunicorn_errors_are_problem_json(server, request_bytes, status):
    port, proc, _ = server
    with socket.create_connection((HOST, port), timeout=10) as s:
        s.sendall(request_bytes)
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 %d" % status), head
    assert b"Content-Type: application/problem+json" in head
    problem = json.loads(body)
    assert problem["status"] == status and problem["type"] == "about:blank" and problem["detail"]
    assert proc.poll() is None


def test_sigterm_stops_cleanly(server):
    """Last test of the module: a graceful stop, exit code 0."""
    _, proc, log = server
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, log.read_text()
    assert "Shutting down" in log.read_text()
