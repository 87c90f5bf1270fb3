"""Curation over HTTP, on SQLite and PostgreSQL: every operation, API keys (401, 403), refusals
as problem+json, the audit log; then real gunicorn: a change made through one worker is seen by
geocode and parse in the others within 2 s, and a kill -9 in the middle of 1,000 writes from 4
clients loses no acknowledged write and leaves the data valid."""
from __future__ import annotations

import http.client
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest

from servers import HOST, free_port, start_server, stop_server
from service import create_app

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "كرهوك"
PROBLEM = "application/problem+json"


@pytest.fixture
def client(curated):
    app = create_app({"GAZETTEER": curated, "WARM_UP": False})
    editor = curated.curation.create_key("editor-key", "editor")[1]
    reader = curated.curation.create_key("reader-key", "reader")[1]
    admin = curated.curation.create_key("admin-key", "admin")[1]
    c = app.test_client()
    c.keys = {"editor": editor, "reader": reader, "admin": admin}
    return c


def auth(client, role="editor"):
    return {"Authorization": f"Bearer {client.keys[role]}"}


def test_writes_need_a_key_with_the_role(client):
    body = {"place_id": "C1015", "name": ALIAS, "why": "local name"}
    r = client.post("/v1/curation/aliases", json=body)
    assert r.status_code == 401 and r.mimetype == PROBLEM
    assert r.headers["WWW-Authenticate"].startswith("Bearer")
    r = client.post("/v1/curation/aliases", json=body, headers={"Authorization": "Bearer gzk_no"})
    assert r.status_code == 401 and "unknown or revoked" in r.json["detail"]
    r = client.post("/v1/curation/aliases", json=body, headers=auth(client, "reader"))
    assert r.status_code == 403 and r.json["type"].endswith(":forbidden")
    r = client.post("/v1/curation/aliases", json=body,
                    headers={"X-API-Key": client.keys["editor"]})
    assert r.status_code == 201 and r.json["key_name"] == "editor-key"
    assert r.json["author"] == "editor-key" and r.json["reason"] == "local name"
    # a revoked key stops working at once
    client.application.extensions["gazetteer"].get().curation.revoke_key("editor-key")
    r = client.post("/v1/curation/aliases", json=body, headers=auth(client))
    assert r.status_code == 401


def test_each_operation_over_http(client):
    gz = client.application.extensions["gazetteer"].get()
    h = auth(client)
    r = client.post("/v1/curation/aliases", headers=h, json={
        "place_id": "C1015", "name": ALIAS, "why": "local name", "source": "https://x.test",
        "who": "rana"})
    assert r.status_code == 201, r.json
    alias_id = r.json["id"]
    assert r.json["author"] == "rana" and r.json["key_name"] == "editor-key"
    r = client.get(f"/v1/geocode?q={quote(ALIAS)}")
    assert r.json["features"][0]["properties"]["id"] == "C1015"
    assert r.headers["Cache-Control"] == "no-cache"  # answers change with curation
    r = client.post("/v1/parse", data=f"قصف على قرية {ALIAS} امس".encode(),
                    content_type="text/plain")
    assert [f["properties"]["id"] for f in r.json["features"]] == ["C1015"]
    p = gz.get("C1015")
    r = client.post("/v1/curation/places", headers=h, json={
        "type": "camp", "lat": p.lat + 0.01, "lon": p.lon + 0.01, "parent_id": p.parent_id,
        "name_en": "New Hope camp", "why": "opened in May"})
    assert r.status_code == 201, r.json
    new_id = r.json["place_id"]
    assert client.get(f"/v1/places/{new_id}").json["properties"]["name_en"] == "New Hope camp"
    r = client.post("/v1/curation/corrections", headers=h, json={
        "place_id": new_id, "name_ar": "مخيم الأمل", "why": "Arabic name"})
    assert r.status_code == 201
    assert gz.geocode("مخيم الأمل", exactly_one=True).place.id == new_id
    r = client.post("/v1/curation/retirements", headers=h, json={
        "place_id": "C1015", "name": p.alt_en[0], "why": "wrong"})
    assert r.status_code == 201
    r = client.post("/v1/curation/reverts", headers=h, json={"change_id": alias_id,
                                                             "why": "oops"})
    assert r.status_code == 201 and r.json["kind"] == "revert"
    log = client.get("/v1/curation/log").json["changes"]
    assert [c["kind"] for c in log] == ["add-alias", "add-place", "correct", "retire", "revert"]
    assert [c["id"] for c in client.get("/v1/curation/log?after=3").json["changes"]] == \
        [c["id"] for c in log[3:]]
    active = client.get("/v1/curation/changes").json["changes"]
    assert [c["kind"] for c in active] == ["add-place", "correct", "retire"]
    export = client.get("/v1/curation/export")
    assert export.status_code == 200 and new_id in export.get_data(as_text=True)
    # import: admin only, all or nothing
    csv_text = export.get_data(as_text=True).replace(new_id, "U:1000", 1)
    r = client.post("/v1/curation/import?why=merge", headers=h, data=csv_text.encode(),
                    content_type="text/csv")
    assert r.status_code == 403
    r = client.post("/v1/curation/import?why=merge", headers=auth(client, "admin"),
                    data=csv_text.encode(), content_type="text/csv")
    assert r.status_code == 409 and r.json["code"] == "duplicate-place" and r.json["row"] == 3


def test_a_change_empties_the_response_cache(client):
    # geocode answers are cached per worker: one computed before an alias must not outlive it
    name = "تل خشيبو"
    assert client.get(f"/v1/geocode?q={quote(name)}").json["features"] == []
    assert client.get(f"/v1/geocode?q={quote(name)}").json["features"] == []  # now cached
    r = client.post("/v1/curation/aliases", headers=auth(client), json={
        "place_id": "C1015", "name": name, "why": "local name", "source": "https://x.test"})
    assert r.status_code == 201, r.json
    assert client.get(f"/v1/geocode?q={quote(name)}").json["features"][0]["properties"]["id"] == "C1015"


def test_refusals_are_problem_json_with_the_reason(client):
    gz = client.application.extensions["gazetteer"].get()
    h = auth(client)
    p = gz.get("C1015")
    cases = [
        ({"place_id": "C1015", "name": p.name_en, "why": "x"}, "aliases", 409, "name-exists"),
        ({"place_id": "C0", "name": "Zorba", "why": "x"}, "aliases", 422, "unknown-place"),
        ({"place_id": "C1015", "name": "Zorba"}, "aliases", 422, "invalid"),  # no why
        ({"type": "camp", "lat": 36.0, "lon": 30.0, "parent_id": p.parent_id, "name_en": "X",
          "why": "x"}, "places", 422, "outside-syria"),
        ({"type": "camp", "lat": p.lat, "lon": p.lon + 0.02, "parent_id": "SY99", "name_en": "X",
          "why": "x"}, "places", 422, "unknown-parent"),
        ({"type": "village", "lat": p.lat + 0.001, "lon": p.lon, "parent_id": p.parent_id,
          "name_en": "Khan Tuman", "why": "x"}, "places", 409, "duplicate-place"),
        ({"change_id": 12345, "why": "x"}, "reverts", 422, "unknown-change"),
    ]
    for body, path, status, code in cases:
        r = client.post(f"/v1/curation/{path}", headers=h, json=body)
        assert (r.status_code, r.mimetype, r.json.get("code")) == (status, PROBLEM, code), body
    r = client.post("/v1/curation/aliases", headers=h, data="x", content_type="text/plain")
    assert r.status_code == 415
    r = client.post("/v1/curation/aliases", headers=h, data="{", content_type="application/json")
    assert r.status_code == 400
    r = client.post("/v1/curation/places", headers=h, json={"force": "yes", "why": "x"})
    assert r.status_code == 422
    assert client.get("/v1/curation/log").json["changes"] == []


def test_openapi_documents_curation(client):
    spec = client.get("/openapi.json").json
    for path in ("/v1/curation/aliases", "/v1/curation/places", "/v1/curation/corrections",
                 "/v1/curation/retirements", "/v1/curation/reverts", "/v1/curation/import"):
        op = spec["paths"][path]["post"]
        assert op["security"] and {"401", "403", "409", "422"} <= set(op["responses"])
    assert "get" in spec["paths"]["/v1/curation/log"]
    assert "bearer" in spec["components"]["securitySchemes"]


def test_curation_off_is_a_clear_404(gazetteer):
    app = create_app({"GAZETTEER": gazetteer, "WARM_UP": False})
    r = app.test_client().get("/v1/curation/log")
    assert r.status_code == 404 and "curation is off" in r.json["detail"]


# -- real gunicorn ------------------------------------------------------------------------------
def start_curated_server(store: str, port: int, log: Path, workers: int = 2) -> subprocess.Popen:
    return start_server(port, log, args=("--workers", str(workers)),
                        env={"GAZETTEER_CURATION": store})


@contextmanager
def served(store: str, tmp_path: Path, workers: int = 2):
    port = free_port()
    proc = start_curated_server(store, port, tmp_path / "server.log", workers)
    try:
        yield port, proc
    finally:
        stop_server(proc)


def request(port: int, method: str, path: str, body: bytes | None = None,
            headers: dict[str, str] | None = None, timeout: float = 30) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers or {})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def make_key(store: str, role: str = "editor", name: str = "test") -> str:
    out = subprocess.run([sys.executable, "-m", "gazetteer", "curate", "--store", store, "key",
                          "create", name, "--role", role], capture_output=True, text=True,
                         check=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    return out.stdout.strip()


def post_json(port: int, path: str, key: str, doc: dict) -> tuple[int, dict]:
    status, body = request(port, "POST", path, json.dumps(doc).encode(),
                           {"Content-Type": "application/json", "Authorization": f"Bearer {key}"})
    return status, json.loads(body)


def test_other_workers_see_a_change_within_two_seconds(store_url, tmp_path):
    key = make_key(store_url)
    with served(store_url, tmp_path) as (port, _):
        status, change = post_json(port, "/v1/curation/aliases", key,
                                   {"place_id": "C1015", "name": ALIAS, "why": "local name"})
        assert status == 201, change
        acked = time.monotonic()
        text = f"قصف على قرية {ALIAS} امس".encode()
        streak, seen_at = 0, None
        while streak < 20:  # 20 answers in a row, each on a new connection (either worker)
            _, body = request(port, "GET", f"/v1/geocode?q={quote(ALIAS)}")
            features = json.loads(body)["features"]
            geocoded = bool(features) and features[0]["properties"]["id"] == "C1015"
            _, body = request(port, "POST", "/v1/parse", text, {"Content-Type": "text/plain"})
            parsed = [f["properties"]["id"] for f in json.loads(body)["features"]] == ["C1015"]
            if geocoded and parsed:
                streak += 1
                seen_at = seen_at or time.monotonic()
            else:
                streak, seen_at = 0, None
                assert time.monotonic() - acked < 10, "never seen by every worker"
        assert seen_at - acked <= 2.0, f"seen by every worker after {seen_at - acked:.2f} s"


def made_up_name(i: int) -> str:
    letters, vowels = "bdfgklmnprstvz", "aeiou"
    syllables = []
    for _ in range(4):
        syllables.append(letters[i % 14] + vowels[(i // 14) % 5])
        i //= 70
    return "".join(syllables).capitalize() + " Qurb"


def test_kill_9_during_1000_writes_loses_no_acknowledged_write(tmp_path):
    """SQLite, the default engine (``kill_9_during_writes`` runs on a PostgreSQL URL too)."""
    kill_9_during_writes(str(tmp_path / "curation.sqlite3"), tmp_path)


def kill_9_during_writes(store: str, tmp_path: Path, n: int = 1000) -> dict:
    key = make_key(store)
    from gazetteer import Gazetteer

    villages = [p.id for p in Gazetteer.load(curation=False).places if p.type == "village"][:500]
    writes = [(villages[i % len(villages)], f"{made_up_name(i)} {i}") for i in range(n)]
    port = free_port()
    log = tmp_path / "server.log"
    proc = start_curated_server(store, port, log)
    acked: dict[int, tuple[str, str]] = {}  # change id -> (place, name), answered 2xx
    retried_present: list[tuple[str, str]] = []
    failures: list[str] = []
    lock = threading.Lock()
    up = threading.Event()
    up.set()

    def client(mine):
        for place_id, name in mine:
            for _ in range(600):
                up.wait(120)
                try:
                    status, doc = post_json(port, "/v1/curation/aliases", key, {
                        "place_id": place_id, "name": name, "why": "crash test"})
                except (OSError, http.client.HTTPException, ValueError):
                    time.sleep(0.05)
                    continue  # the server is down (or died mid-answer): try again
                with lock:
                    if status == 201:
                        acked[doc["id"]] = (place_id, name)
                    elif status == 409 and doc.get("code") == "name-exists":
                        retried_present.append((place_id, name))  # stored before the kill
                    else:
                        failures.append(f"{status} {doc}")
                break

    threads = [threading.Thread(target=client, args=(writes[k::4],)) for k in range(4)]
    for t in threads:
        t.start()
    try:
        while len(acked) < 300 and any(t.is_alive() for t in threads):
            time.sleep(0.01)
        up.clear()  # hold the clients back once the server is gone, not before
        os.killpg(proc.pid, signal.SIGKILL)  # master and workers, in the middle of writes
        proc.wait()
        killed_after = len(acked)
        proc = start_curated_server(store, port, log)
        up.set()
        for t in threads:
            t.join(timeout=240)
        assert not any(t.is_alive() for t in threads)
    finally:
        up.set()
        stop_server(proc)
    assert failures == []
    assert 300 <= killed_after < n
    if not store.startswith("postgresql:"):
        conn = sqlite3.connect(store)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        conn.close()
    from gazetteer.curation import open_store

    reader = open_store(store)
    stored = {c.id: (c.place_id, c.payload["name"]) for c in reader.changes()}
    reader.close()
    for change_id, write in acked.items():  # every acknowledged write is there, as answered
        assert stored.get(change_id) == write
    assert set(retried_present) <= set(stored.values())
    assert len(stored) == len(set(stored.values())) == n  # each write once, none half-written
    env = {**os.environ, "PYTHONPATH": str(ROOT), "GAZETTEER_CURATION": store}
    out = subprocess.run([sys.executable, "-m", "gazetteer", "validate"], capture_output=True,
                         text=True, cwd=ROOT, env=env)
    assert out.returncode == 0, out.stdout[-2000:] + out.stderr[-2000:]
    assert f"{n} changes" in out.stderr
    return {"acknowledged_before_kill": killed_after, "acknowledged": len(acked),
            "answer_lost_but_stored": len(retried_present), "stored": len(stored)}


# -- schemathesis with curation on: valid keys, random bodies, never a 5xx -------------------
CURATION_OPERATIONS = [(m, p, mode) for p, m in [
    ("/v1/curation/aliases", "POST"), ("/v1/curation/places", "POST"),
    ("/v1/curation/corrections", "POST"), ("/v1/curation/retirements", "POST"),
    ("/v1/curation/reverts", "POST"), ("/v1/curation/import", "POST"),
    ("/v1/curation/log", "GET"), ("/v1/curation/changes", "GET")]
    for mode in ("positive", "negative")]


@pytest.fixture(scope="module")
def curated_api(tmp_path_factory):
    import copy

    import schemathesis
    from schemathesis.config import SchemathesisConfig

    from gazetteer.batch import shared_gazetteer
    from gazetteer.curation import attach

    gz = copy.copy(shared_gazetteer())
    attach(gz, str(tmp_path_factory.mktemp("conformance") / "curation.sqlite3"))
    secret = gz.curation.create_key("fuzzer", "admin")[1]
    app = create_app({"GAZETTEER": gz, "WARM_UP": False})
    config = SchemathesisConfig()
    acceptance = config.projects.default.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "409", "422"]
    yield schemathesis.openapi.from_wsgi("/openapi.json", app, config=config), secret
    gz.curation.store.close()


@pytest.mark.parametrize("method, path, mode", CURATION_OPERATIONS, ids=lambda x: x)
def test_curation_openapi_conformance(curated_api, method, path, mode):
    from hypothesis import HealthCheck, given, settings
    from schemathesis.generation import GenerationMode

    schema, secret = curated_api
    operation = schema[path][method]

    @given(case=operation.as_strategy(GenerationMode(mode)))
    @settings(max_examples=25, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        if method == "POST":  # a valid admin key: the requests reach the checks
            case.headers = {**(case.headers or {}), "Authorization": f"Bearer {secret}"}
            case.headers.pop("X-API-Key", None)
        case.call_and_validate(checks=None)

    run()
