"""The HTTP service through Flask's test client: every endpoint and every error path, plus a
bounded schemathesis run against /openapi.json."""
from __future__ import annotations

import io
import json
from urllib.parse import quote

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks as st_checks
from werkzeug.datastructures import Headers

from gazetteer import Gazetteer
from gazetteer.geojson import feature_collection
from service import create_app
from service.problems import PROBLEM_MEDIA_TYPE, TYPE_PREFIX
from service.state import GazetteerHolder

GEOJSON = "application/geo+json"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# -- fixtures: the gazetteer is loaded once per test session ----------------------------------
@pytest.fixture(scope="session")
def gz() -> Gazetteer:
    try:
        from gazetteer.batch import shared_gazetteer  # one load per process, shared with others
    except ImportError:  # pragma: no cover
        return Gazetteer.load()
    return shared_gazetteer()


@pytest.fixture(scope="session")
def app(gz):
    return create_app({"GAZETTEER": gz, "TESTING": True})


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture()
def small_app(gz):
    """An app with small limits, to reach them cheaply."""
    return create_app({"GAZETTEER": gz, "TESTING": True, "MAX_PARSE_BYTES": 1000,
                       "MAX_TEXT_CHARS": 50, "MAX_BATCH_BYTES": 2000, "MAX_BATCH_ROWS": 3,
                       "PLACES_MAX_LIMIT": 10})


def problem(resp, status: int, slug: str | None = None) -> dict:
    """Assert an RFC 9457 problem response and return its body."""
    assert resp.status_code == status, resp.get_data(as_text=True)
    assert resp.mimetype == PROBLEM_MEDIA_TYPE
    body = resp.get_json(force=True)
    assert body["status"] == status
    assert body["title"] and body["detail"]
    assert body["type"] == (TYPE_PREFIX + slug if slug else "about:blank")
    assert "Traceback" not in resp.get_data(as_text=True)
    return body


def has_parse(gz) -> bool:
    return hasattr(gz, "parse")


def reverse_works(gz) -> bool:
    if not hasattr(gz, "reverse"):
        return False
    try:
        gz.reverse(36.2, 37.15)
    except ModuleNotFoundError as exc:
        if (exc.name or "").startswith("gazetteer"):
            return False
        raise
    return True


# -- probes -----------------------------------------------------------------------------------
def test_livez_and_readyz(client, gz):
    r = client.get("/livez")
    assert r.status_code == 200 and r.get_json()["status"] == "ok"
    r = client.get("/readyz")
    assert r.status_code == 200
    body = r.get_json()
    assert body["status"] == "ready" and body["places"] == len(gz)
    assert body["features"]["geocode"] is True


def test_not_ready_until_loaded(gz):
    app = create_app({"GAZETTEER": gz})
    app.extensions["gazetteer"] = GazetteerHolder()  # as while a background load runs
    client = app.test_client()
    assert client.get("/livez").status_code == 200
    body = problem(client.get("/readyz"), 503, "not-ready")
    assert "loading" in body["detail"]
    r = client.get("/v1/geocode?q=Aleppo")
    problem(r, 503, "not-ready")
    assert r.headers["Retry-After"]
    app.extensions["gazetteer"] = GazetteerHolder(gz)
    assert client.get("/readyz").status_code == 200


def test_failed_background_load_is_reported(tmp_path):
    app = create_app({"GAZETTEER_LOAD": "background",
                      "GAZETTEER_PATH": str(tmp_path / "missing.csv")})
    holder = app.extensions["gazetteer"]
    import time

    deadline = time.monotonic() + 10
    while holder.error is None and time.monotonic() < deadline:
        time.sleep(0.01)
    body = problem(app.test_client().get("/readyz"), 503, "not-ready")
    assert "failed to load" in body["detail"] and "missing.csv" in body["detail"]


def test_eager_load_of_missing_data_fails_fast(tmp_path):
    from gazetteer.exceptions import DataError

    with pytest.raises(DataError):
        create_app({"GAZETTEER_PATH": str(tmp_path / "missing.csv")})


# -- geocode ----------------------------------------------------------------------------------
def test_geocode_is_the_cli_json(client, gz, monkeypatch, capsys):
    from gazetteer import cli
    from gazetteer.commands import geocode as geocode_cmd

    monkeypatch.setattr(geocode_cmd, "load_gazetteer", lambda: gz)
    for q in ("Tedef, Aleppo", "حلب", "Khan Shaykhun camp"):
        assert cli.main(["geocode", "--compact", q]) == 0
        printed = json.loads(capsys.readouterr().out)
        r = client.get("/v1/geocode", query_string={"q": q})
        assert r.status_code == 200 and r.mimetype == GEOJSON
        assert r.get_json(force=True) == printed
        assert r.headers["Cache-Control"] == "public, max-age=600"
        assert r.get_data(as_text=True).count("\\u") == 0  # UTF-8, not \u escapes


def test_geocode_options_and_aliases(client, gz):
    r = client.get("/v1/geocode?q=Aleppo&limit=2&admin1=حلب&type=city,town")
    assert r.status_code == 200
    expected = feature_collection(gz.geocode("Aleppo", limit=2, admin1="حلب",
                                             types=["city", "town"]), query="Aleppo")
    assert r.get_json(force=True) == expected
    # repeated type parameters, Pelias text/size
    r2 = client.get("/v1/geocode?text=Aleppo&size=2&admin1=SY02&type=city&type=town")
    assert r2.get_json(force=True) == expected
    fc = client.get("/v1/geocode?q=Aleppo&limit=1").get_json(force=True)
    assert len(fc["features"]) == 1 and fc["features"][0]["properties"]["id"] == "C1007"
    # min_confidence=1 leaves (almost) nothing
    fc = client.get("/v1/geocode?q=Alepo&min_confidence=1").get_json(force=True)
    assert all(f["properties"]["confidence"] >= 1 for f in fc["features"])


def test_geocode_nominatim_formats(client):
    for fmt, key in (("json", "class"), ("jsonv2", "category")):
        r = client.get(f"/v1/geocode?q=Aleppo&format={fmt}&limit=1&countrycodes=sy,tr")
        assert r.status_code == 200 and r.mimetype == "application/json"
        (first,) = r.get_json()
        assert first["place_id"] == "C1007" and first[key] == "place"
        assert float(first["lat"]) == pytest.approx(36.2, abs=0.1)
        assert first["display_name"].endswith("Syria")
    r = client.get("/v1/geocode?q=Aleppo&countrycodes=lb")
    assert r.get_json(force=True)["features"] == []
    assert client.get("/v1/geocode?q=Aleppo&countrycodes=lb&format=json").get_json() == []


@pytest.mark.parametrize("url, status, slug, param", [
    ("/v1/geocode", 400, "invalid-parameter", "q"),
    ("/v1/geocode?q=%20%20", 400, "invalid-parameter", "q"),
    ("/v1/geocode?q=x&limit=abc", 400, "invalid-parameter", "limit"),
    ("/v1/geocode?q=x&limit=0", 400, "invalid-parameter", "limit"),
    ("/v1/geocode?q=x&limit=51", 400, "invalid-parameter", "limit"),
    ("/v1/geocode?q=x&size=9999", 400, "invalid-parameter", "size"),
    ("/v1/geocode?q=x&min_confidence=2", 400, "invalid-parameter", "min_confidence"),
    ("/v1/geocode?q=x&min_confidence=nan", 400, "invalid-parameter", "min_confidence"),
    ("/v1/geocode?q=x&format=xml", 400, "invalid-parameter", "format"),
    ("/v1/geocode?q=x&countrycodes=syria", 400, "invalid-parameter", "countrycodes"),
    ("/v1/geocode?q=x&admin1=Atlantis", 422, "invalid-parameter", "admin1"),
    ("/v1/geocode?q=x&type=spaceport", 422, "invalid-parameter", "type"),
    ("/v1/geocode?q=" + "a" * 501, 422, "invalid-parameter", "q"),
])
def test_geocode_bad_parameters(client, url, status, slug, param):
    body = problem(client.get(url), status, slug)
    assert body["errors"][0]["parameter"] == param
    assert body["instance"] == "/v1/geocode"


def test_geocode_limits_say_the_limit(client):
    body = problem(client.get("/v1/geocode?q=" + "a" * 501), 422, "invalid-parameter")
    assert "500" in body["detail"]
    body = problem(client.get("/v1/geocode?q=x&limit=51"), 400, "invalid-parameter")
    assert "between 1 and 50" in body["detail"]


def test_geocode_utf8_query_strings(client, gz):
    q = "مخيم حندرات"
    r = client.get("/v1/geocode?q=" + quote(q))
    assert r.status_code == 200 and r.get_json(force=True)["query"] == q
    body = problem(client.get("/v1/geocode?q=%FF%FEabc"), 400, "invalid-encoding")
    assert "0xFF" in body["detail"]
    problem(client.get("/v1/geocode?q=caf%C3"), 400, "invalid-encoding")  # truncated sequence
    problem(client.get("/v1/geocode?q=%00"), 422, "invalid-query")  # NUL: the library says no
    # characters outside the BMP and odd scripts are fine (nothing found is not an error)
    r = client.get("/v1/geocode?q=" + quote("😀 ✓ 𝔄"))
    assert r.status_code == 200


# -- parse ------------------------------------------------------------------------------------
PARSE_TEXT = "Shelling hit Maarat al-Numan and Kafr Nabl, south of Idlib."


def check_parse(resp, gz, text: str) -> None:
    if not has_parse(gz):
        body = problem(resp, 503, "not-available")
        assert "parse" in body["detail"]
        return
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.mimetype == GEOJSON
    fc = resp.get_json(force=True)
    assert fc["type"] == "FeatureCollection"
    from gazetteer.commands.parse import collection

    assert fc == json.loads(json.dumps(collection(gz, text), ensure_ascii=False))
    for f in fc["features"]:
        p = f["properties"]
        assert text[p["start"]:p["end"]] == p["surface"]


def test_parse_is_the_cli_json(client, gz, monkeypatch, capsys):
    if not has_parse(gz):
        return
    from gazetteer import cli
    from gazetteer.commands import parse as parse_cmd

    monkeypatch.setattr(parse_cmd, "load_gazetteer", lambda: gz)
    monkeypatch.setattr("sys.stdin", io.StringIO(PARSE_TEXT))
    assert cli.main(["parse", "-", "--compact"]) == 0
    printed = capsys.readouterr().out
    r = client.post("/v1/parse", data=PARSE_TEXT.encode(), content_type="text/plain")
    assert r.get_json(force=True) == json.loads(printed)
    assert len(r.get_json(force=True)["features"]) >= 2  # Maarat al-Numan, Kafr Nabl, Idlib
    assert r.get_json(force=True)["focus"]["admin1"]["pcode"] == "SY07"


def test_parse_plain_text_json_and_form(client, gz):
    check_parse(client.post("/v1/parse", data=PARSE_TEXT.encode(),
                            content_type="text/plain; charset=utf-8"), gz, PARSE_TEXT)
    check_parse(client.post("/v1/parse", json={"text": PARSE_TEXT}), gz, PARSE_TEXT)
    check_parse(client.post("/v1/parse", data={"text": PARSE_TEXT}), gz, PARSE_TEXT)
    arabic = "قصف على معرة النعمان وكفرنبل جنوب إدلب"
    check_parse(client.post("/v1/parse", data=arabic.encode("utf-8"), content_type="text/plain"),
                gz, arabic)
    # a charset other than UTF-8 is honoured (Windows Arabic), and a UTF-8 BOM is dropped
    check_parse(client.post("/v1/parse", data=arabic.encode("cp1256"),
                            content_type="text/plain; charset=windows-1256"), gz, arabic)
    check_parse(client.post("/v1/parse", data=b"\xef\xbb\xbf" + arabic.encode(),
                            content_type="text/plain"), gz, arabic)


def test_parse_bad_bodies(client, gz):
    body = problem(client.post("/v1/parse", data=b"Idlib \xff\xfe and Hama",
                               content_type="text/plain"), 400, "invalid-encoding")
    assert "0xFF" in body["detail"] and body["offset"] == 6
    problem(client.post("/v1/parse", data=b'{"text": "Idl\xffib"}',
                        content_type="application/json"), 400, "invalid-encoding")
    body = problem(client.post("/v1/parse", data=b"{text:", content_type="application/json"),
                   400, "invalid-body")
    assert "not valid JSON" in body["detail"]
    problem(client.post("/v1/parse", json=["Idlib"]), 422, "invalid-body")
    problem(client.post("/v1/parse", data=b"[" * 100_000, content_type="application/json"), 400,
            "invalid-body")  # nesting too deep for the JSON parser: still a 400
    problem(client.post("/v1/parse", json={"txt": "Idlib"}), 422, "invalid-body")
    body = problem(client.post("/v1/parse", json={"text": 5}), 422, "invalid-body")
    assert "int" in body["detail"]
    problem(client.post("/v1/parse", json={"text": None}), 422, "invalid-body")
    r = client.post("/v1/parse", json={"text": "  \n "})  # no text, no places: as the CLI
    if has_parse(gz):
        assert r.status_code == 200 and r.get_json(force=True)["features"] == []
    problem(client.post("/v1/parse", data=b'{"text": "Idlib \\ud800"}',
                        content_type="application/json"), 422, "invalid-encoding")
    body = problem(client.post("/v1/parse", data=b"x", content_type="image/png"), 415,
                   "unsupported-media-type")
    assert "text/plain" in body["accept"]
    problem(client.post("/v1/parse", data=b"x", content_type="text/plain; charset=klingon"), 415,
            "unsupported-media-type")
    problem(client.post("/v1/parse", data={"texte": "x"}), 422, "invalid-body")
    body = problem(client.get("/v1/parse"), 405)
    assert "POST" in body["detail"]


def test_parse_limits(small_app):
    client = small_app.test_client()
    body = problem(client.post("/v1/parse", data=b"x" * 1001, content_type="text/plain"), 413,
                   "body-too-large")
    assert body["limit"] == 1000 and "1000 bytes" in body["detail"]
    body = problem(client.post("/v1/parse", data="ح" * 51, content_type="text/plain"), 413,
                   "text-too-long")
    assert body["limit"] == 50 and "50 characters" in body["detail"]


class Exploding(io.RawIOBase):
    """A request body that fails the test if more than ``allowed`` bytes of it are read."""

    def __init__(self, allowed: int, size: int = 30 * 1024 * 1024):
        self.allowed = allowed
        self.size = size  # what it tells Werkzeug's test client it holds
        self.read_bytes = 0
        self.pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self.pos

    def seek(self, offset: int, whence: int = 0) -> int:
        self.pos = {0: offset, 1: self.pos + offset, 2: self.size + offset}[whence]
        return self.pos

    def readinto(self, buf) -> int:
        n = len(buf)
        self.read_bytes += n
        assert self.read_bytes <= self.allowed, "the service read a body it should have refused"
        buf[:n] = b"x" * n
        return n


def test_30_mb_body_is_refused_unread(client):
    for path, ctype in (("/v1/parse", "text/plain"), ("/v1/batch", "text/csv"),
                        ("/v1/batch", "multipart/form-data; boundary=xyz")):
        stream = Exploding(allowed=0)
        r = client.post(path, input_stream=stream,
                        headers=Headers({"Content-Type": ctype,
                                         "Content-Length": str(30 * 1024 * 1024)}))
        body = problem(r, 413, "body-too-large")
        assert "MiB" in body["detail"] and body["limit"] < 30 * 1024 * 1024
        assert stream.read_bytes == 0
        assert r.headers["Connection"] == "close"


def test_chunked_body_is_cut_at_the_limit(small_app):
    """A body without Content-Length (chunked) is read only up to the limit, then refused."""
    stream = Exploding(allowed=64 * 1024)
    r = small_app.test_client().post(
        "/v1/parse", input_stream=stream, headers={"Content-Type": "text/plain"},
        environ_overrides={"wsgi.input_terminated": True, "CONTENT_LENGTH": ""})
    problem(r, 413, "body-too-large")
    assert stream.read_bytes <= 64 * 1024


# -- reverse ----------------------------------------------------------------------------------
def test_reverse(client, gz, monkeypatch, capsys):
    r = client.get("/v1/reverse?lat=36.2&lon=37.15")
    if not reverse_works(gz):
        problem(r, 503, "not-available")
        return
    assert r.status_code == 200 and r.mimetype == GEOJSON
    fc = r.get_json(force=True)
    assert fc == json.loads(json.dumps(gz.reverse(36.2, 37.15).to_geojson()))
    query = fc["features"][0]["properties"]
    assert query["role"] == "query" and query["admin1"]["pcode"] == "SY02"
    # the same JSON as `gazetteer reverse 36.2 37.15`
    from gazetteer import cli, reverse as reverse_module

    monkeypatch.setattr(reverse_module.ReverseGeocoder, "from_data_dir",
                        classmethod(lambda cls, *a, **k: gz._reverse_geocoder()))
    assert cli.main(["reverse", "--compact", "36.2", "37.15"]) == 0
    assert json.loads(capsys.readouterr().out) == fc
    for url in ("/v1/reverse?point.lat=36.2&point.lon=37.15", "/v1/reverse?point=36.2,37.15"):
        assert client.get(url).get_json(force=True) == fc
    # options: radius, limit, type
    fc = client.get("/v1/reverse?lat=36.2&lon=37.15&limit=2&radius=30&type=village")\
        .get_json(force=True)
    nearby = fc["features"][1:]
    assert len(nearby) == 2 and all(f["properties"]["type"] == "village" for f in nearby)
    assert all(f["properties"]["distance_km"] <= 30 for f in nearby)
    fc = client.get("/v1/reverse?lat=40.7&lon=-74&limit=0").get_json(force=True)
    assert fc["features"][0]["properties"]["outside"] is True and len(fc["features"]) == 1


@pytest.mark.parametrize("query, status, param", [
    ("", 400, "lat"), ("lat=36", 400, "lon"), ("lat=abc&lon=37", 400, "lat"),
    ("lat=91&lon=37", 400, "lat"), ("lat=36&lon=-181", 400, "lon"), ("lat=nan&lon=37", 400, "lat"),
    ("lat=36&lon=inf", 400, "lon"), ("lat=36&lon=37&radius=501", 400, "radius"),
    ("lat=36&lon=37&limit=101", 400, "limit"), ("lat=36&lon=37&type=moonbase", 422, "type"),
])
def test_reverse_bad_parameters(client, query, status, param):
    body = problem(client.get("/v1/reverse?" + query), status, "invalid-parameter")
    assert body["errors"][0]["parameter"] == param


def test_reverse_unreadable_point(client, gz):
    r = client.get("/v1/reverse?point=" + quote("north of Aleppo"))
    if reverse_works(gz):
        body = problem(r, 422, "invalid-coordinates")
        assert "north of Aleppo" in body["detail"]


# -- places -----------------------------------------------------------------------------------
def test_place_by_id(client, gz):
    r = client.get("/v1/places/C1007")
    assert r.status_code == 200 and r.mimetype == GEOJSON
    f = r.get_json(force=True)
    place = gz.get("C1007")
    assert f["id"] == "C1007" and f["geometry"]["coordinates"] == [place.lon, place.lat]
    assert {k: f["properties"][k] for k in place.properties()} == place.properties()
    assert f["properties"]["alt_en"] == list(place.alt_en)
    body = problem(client.get("/v1/places/NOPE-1"), 404, "not-found")
    assert "NOPE-1" in body["detail"]
    problem(client.get("/v1/places/" + quote("حلب")), 404, "not-found")


def test_places_pagination(client, gz):
    towns = [p.id for p in gz.places if p.type == "town" and p.admin1 and p.admin1.pcode == "SY02"]
    seen: list[str] = []
    url = "/v1/places?admin1=Aleppo&type=town&limit=20"
    pages = 0
    while url:
        r = client.get(url)
        assert r.status_code == 200
        fc = r.get_json(force=True)
        assert fc["numberMatched"] == len(towns)
        assert fc["numberReturned"] == len(fc["features"]) <= 20
        seen += [f["id"] for f in fc["features"]]
        nxt = [link["href"] for link in fc["links"] if link["rel"] == "next"]
        if nxt:
            assert r.headers["Link"] == f'<{nxt[0]}>; rel="next"'
        url = nxt[0] if nxt else None
        pages += 1
    assert seen == towns and pages == -(-len(towns) // 20)
    fc = client.get("/v1/places?limit=5").get_json(force=True)
    assert fc["numberMatched"] == len(gz) and len(fc["features"]) == 5
    fc = client.get(f"/v1/places?offset={len(gz)}").get_json(force=True)
    assert fc["features"] == [] and not [x for x in fc["links"] if x["rel"] == "next"]
    sub = next(p for p in gz.places if p.type == "village" and p.admin3)
    fc = client.get(f"/v1/places?admin3={sub.admin3.pcode}&limit=1000").get_json(force=True)
    assert sub.id in [f["id"] for f in fc["features"]]
    assert all(f["properties"]["admin3"]["pcode"] == sub.admin3.pcode for f in fc["features"])
    fc = client.get(f"/v1/places?admin2={sub.admin2.pcode}&limit=1").get_json(force=True)
    assert fc["features"][0]["properties"]["admin2"]["pcode"] == sub.admin2.pcode


def test_places_bad_parameters(client, small_app):
    problem(client.get("/v1/places?admin1=Narnia"), 422, "invalid-parameter")
    problem(client.get("/v1/places?type=castle"), 422, "invalid-parameter")
    problem(client.get("/v1/places?limit=-1"), 400, "invalid-parameter")
    problem(client.get("/v1/places?offset=x"), 400, "invalid-parameter")
    body = problem(small_app.test_client().get("/v1/places?limit=11"), 400, "invalid-parameter")
    assert "between 1 and 10" in body["detail"]


# -- batch ------------------------------------------------------------------------------------
BATCH_CSV = "name,gov\nTedef,Aleppo\nحلب,\n,\nxyzzy qwv,\n"


def cli_batch_csv(gz, data: bytes, **kwargs) -> str:
    from gazetteer.batch import geocode_csv

    out = io.StringIO(newline="")
    geocode_csv(data, out, gazetteer=gz, **kwargs)
    return out.getvalue()


def test_batch_csv_body(client, gz):
    from gazetteer.batch import NAME_COLUMNS

    r = client.post("/v1/batch?column=name", data=BATCH_CSV.encode(), content_type="text/csv")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.mimetype == "text/csv" and "attachment" in r.headers["Content-Disposition"]
    text = r.get_data(as_text=True)
    assert text == cli_batch_csv(gz, BATCH_CSV.encode(), column="name")
    header = text.splitlines()[0].split(",")
    assert header == ["name", "gov", *NAME_COLUMNS]
    assert len(text.splitlines()) == 5  # rows out = rows in
    summary = json.loads(r.headers["X-Batch-Summary"])
    assert summary["rows_in"] == 4 and summary["invalid"] == 1


def test_batch_multipart_and_options(client, gz):
    data = {"file": (io.BytesIO(BATCH_CSV.encode("cp1256")), "أسماء.csv"), "column": "name",
            "context": "gov"}
    r = client.post("/v1/batch", data=data, content_type="multipart/form-data")
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.get_data(as_text=True) == cli_batch_csv(gz, BATCH_CSV.encode("cp1256"),
                                                     column="name", context_columns=["gov"])
    assert r.headers["Content-Disposition"].endswith('-geocoded.csv"')
    # a one-column file needs no column; options from the query string, as the CLI's
    url = ("/v1/batch?admin1=SY02&alternatives=0&prefix=geo_&type=town,city&output_delimiter=;"
           "&output_encoding=utf-8-sig")
    r = client.post(url, data="Tedef\nAl Bab\n".encode(), content_type="text/csv")
    assert r.status_code == 200
    assert r.data.startswith(b"\xef\xbb\xbf")
    assert r.data.decode("utf-8-sig") == cli_batch_csv(
        gz, b"Tedef\nAl Bab\n", admin1="SY02", alternatives=0, prefix="geo_",
        types=["town", "city"], output_delimiter=";")
    assert r.data.decode("utf-8-sig").splitlines()[0].startswith("Tedef;geo_lat;geo_lon")
    # semicolon-separated input, delimiter named as on the command line, repeated context
    data = "name;gov;dist\nTedef;Aleppo;Al Bab\n".encode()
    r = client.post("/v1/batch?column=name&delimiter=semicolon&context_column=gov"
                    "&context_column=dist", data=data, content_type="text/csv")
    assert r.get_data(as_text=True) == cli_batch_csv(gz, data, column="name", delimiter=";",
                                                     context_columns=["gov", "dist"])


def test_batch_text_column(client, gz):
    data = ("id,report\n1," + PARSE_TEXT.replace(",", " ") + "\n2,nothing here\n").encode()
    for extra, kwargs in (("", {}), ("&one_row_per_mention=true", {"one_row_per_mention": True})):
        r = client.post("/v1/batch?text_column=report" + extra, data=data,
                        content_type="text/csv")
        if not has_parse(gz):
            problem(r, 422, "invalid-body")
            continue
        assert r.status_code == 200, r.get_data(as_text=True)
        assert r.get_data(as_text=True) == cli_batch_csv(gz, data, text_column="report",
                                                         **kwargs)


def test_batch_errors(client, small_app):
    body = problem(client.post("/v1/batch", data=BATCH_CSV.encode(), content_type="text/csv"),
                   422, "invalid-body")
    assert "column=" in body["detail"] and "'gov'" in body["detail"]
    body = problem(client.post("/v1/batch?column=nom", data=BATCH_CSV.encode(),
                               content_type="text/csv"), 422, "invalid-body")
    assert "'nom' not found" in body["detail"]
    problem(client.post("/v1/batch?column=name&admin1=Narnia", data=BATCH_CSV.encode(),
                        content_type="text/csv"), 422, "invalid-body")
    for bad in ("alternatives=x", "delimiter=;;", "output_encoding=latin-1",
                "one_row_per_mention=maybe", "min_confidence=7"):
        problem(client.post("/v1/batch?column=name&" + bad, data=BATCH_CSV.encode(),
                            content_type="text/csv"), 400, "invalid-parameter")
    problem(client.post("/v1/batch", data=b"  \n", content_type="text/csv"), 422, "invalid-body")
    problem(client.post("/v1/batch", data=b"x", content_type="application/pdf"), 415,
            "unsupported-media-type")
    problem(client.post("/v1/batch", data={"other": (io.BytesIO(b"a\n"), "a.csv")},
                        content_type="multipart/form-data"), 422, "invalid-body")
    small = small_app.test_client()
    body = problem(small.post("/v1/batch?column=name", data=b"name\na\nb\nc\nd\n",
                              content_type="text/csv"), 413, "too-many-rows")
    assert body["limit"] == 3 and "3 data rows" in body["detail"]
    assert small.post("/v1/batch?column=name", data=b"name\na\nb\nc\n",
                      content_type="text/csv").status_code == 200
    body = problem(small.post("/v1/batch?column=name", data=b"name\n" + b"x" * 2000,
                              content_type="text/csv"), 413, "body-too-large")
    assert body["limit"] == 2000
    body = problem(small.post("/v1/batch", data={"file": (io.BytesIO(b"x" * 3000), "a.csv")},
                              content_type="multipart/form-data"), 413, "body-too-large")


# -- errors, CORS, docs -----------------------------------------------------------------------
def test_head_requests(client):
    r = client.head("/v1/geocode?q=Hama")
    assert r.status_code == 200 and r.data == b"" and int(r.headers["Content-Length"]) > 0
    problem_head = client.head("/v1/geocode")
    assert problem_head.status_code == 400 and problem_head.mimetype == PROBLEM_MEDIA_TYPE


def test_unknown_paths_and_methods(client):
    body = problem(client.get("/v2/geocode"), 404, "not-found")
    assert "/openapi.json" in body["detail"]
    r = client.delete("/v1/places/C1007")
    body = problem(r, 405)
    assert "GET" in r.headers["Allow"] and "DELETE" in body["detail"]
    problem(client.put("/v1/parse", data="x"), 405)


def test_unexpected_error_is_a_500_problem_without_trace(gz, caplog):
    app = create_app({"GAZETTEER": gz})

    @app.get("/boom")
    def boom():
        raise RuntimeError("secret internal detail")

    r = app.test_client().get("/boom")
    body = problem(r, 500, "internal-error")
    assert "secret" not in r.get_data(as_text=True)
    assert "logged" in body["detail"]
    assert "secret internal detail" in caplog.text


def test_cors_for_get_only(client):
    r = client.get("/v1/geocode?q=Hama", headers={"Origin": "https://example.org"})
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    r = client.options("/v1/geocode", headers={"Origin": "https://example.org",
                                               "Access-Control-Request-Method": "GET",
                                               "Access-Control-Request-Headers": "accept"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in r.headers["Access-Control-Allow-Methods"]
    assert r.headers["Access-Control-Allow-Headers"] == "accept"
    r = client.options("/v1/parse", headers={"Origin": "https://example.org",
                                             "Access-Control-Request-Method": "POST"})
    assert "Access-Control-Allow-Origin" not in r.headers
    r = client.post("/v1/parse", json={"text": "Hama"}, headers={"Origin": "https://x.org"})
    assert "Access-Control-Allow-Origin" not in r.headers
    # errors of GET requests are readable cross-origin too
    r = client.get("/v1/geocode", headers={"Origin": "https://example.org"})
    assert r.status_code == 400 and r.headers["Access-Control-Allow-Origin"] == "*"


def test_openapi_describes_every_route(app, client):
    r = client.get("/openapi.json")
    assert r.status_code == 200
    spec = r.get_json()
    assert spec["openapi"].startswith("3.1")
    documented = {(path, method.upper()) for path, ops in spec["paths"].items() for method in ops}
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "docs.swagger_static", "docs.init_js", "web.static_file"):
            continue
        path = rule.rule.replace("<path:place_id>", "{id}")
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            assert (path, method) in documented, (path, method)


def test_docs_page_is_served_locally(client):
    r = client.get("/docs")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html  # no CDN
    assert "default-src 'none'" in r.headers["Content-Security-Policy"]
    import re

    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/openapi.json" in html
    for url in assets:
        with client.get(url) as a:
            assert a.status_code == 200, url
            assert a.mimetype in ("text/css", "text/javascript", "application/javascript",
                                  "image/png", "application/json"), (url, a.mimetype)
    with client.get("/docs/static/swagger-ui-bundle.js") as a:
        assert b"SwaggerUIBundle" in a.data
    problem(client.get("/docs/static/../../service/__init__.py"), 404, "not-found")
    problem(client.get("/docs/static/oauth2-redirect.html"), 404, "not-found")


def test_serve_command_options():
    from gazetteer.cli import build_parser
    from gazetteer.commands.serve import gunicorn_options

    args = build_parser().parse_args(["serve", "--host", "::1", "--port", "8123", "--workers", "3",
                                      "--threads", "2", "--access-log", "-"])
    opts = gunicorn_options(args)
    assert opts["bind"] == ["[::1]:8123"] and opts["workers"] == 3 and opts["threads"] == 2
    assert opts["worker_class"] == "gevent" and opts["preload_app"] is True
    assert opts["accesslog"] == "-"
    args = build_parser().parse_args(["serve"])
    assert gunicorn_options(args)["bind"] == ["127.0.0.1:8000"]


def test_serve_refuses_a_port_out_of_range(capsys):
    from gazetteer.cli import main

    with pytest.raises(SystemExit) as exit_:
        main(["serve", "--port", "70000"])
    assert exit_.value.code == 2 and "0-65535" in capsys.readouterr().err


def test_bad_configuration_stops_the_start_with_a_message(gz, monkeypatch, capsys):
    from gazetteer.cli import main
    from service import ConfigError

    monkeypatch.setenv("GAZETTEER_SERVICE_MAX_BATCH_ROWS", "lots")
    with pytest.raises(ConfigError, match="GAZETTEER_SERVICE_MAX_BATCH_ROWS.*'lots'"):
        create_app({"GAZETTEER": gz, "TESTING": True})
    assert main(["serve", "--port", "0"]) == 2  # before gunicorn starts
    err = capsys.readouterr().err
    assert "MAX_BATCH_ROWS" in err and "Traceback" not in err
    monkeypatch.delenv("GAZETTEER_SERVICE_MAX_BATCH_ROWS")
    with pytest.raises(ConfigError, match="JSON_INDENT"):
        create_app({"GAZETTEER": gz, "JSON_INDENT": "wide"})


def test_reverse_point_is_exactly_two_numbers(client):
    body = problem(client.get("/v1/reverse?point=36.2,37.15,5"), 422, "invalid-coordinates")
    assert "exactly two numbers" in body["detail"] and "36.2, 37.15, 5" in body["detail"]


# -- schemathesis: the answers match /openapi.json --------------------------------------------
# (pytest parametrization by hand: schemathesis' lazy pytest fixture loader does not work with
# the pytest this project uses; the operations are listed from the spec without loading data.)
def _operations() -> list[tuple[str, str]]:
    from service import DefaultConfig
    from service.openapi import build_spec

    config = {k: getattr(DefaultConfig, k) for k in dir(DefaultConfig) if k.isupper()}
    out = []
    for path, ops in build_spec(config)["paths"].items():
        for method in ops:
            out.append((method.upper(), path, "positive"))
            # requests that break the schema; not for endpoints without parameters or body, nor
            # for a string path parameter (every string is a valid id: 200 or 404)
            if path.startswith("/v1/") and path != "/v1/places/{id}" and (
                    ops[method].get("parameters") or ops[method].get("requestBody")):
                out.append((method.upper(), path, "negative"))
    return out


@pytest.fixture(scope="session")
def api_schema(app):
    from schemathesis.config import SchemathesisConfig

    config = SchemathesisConfig()
    # 422 is this API's answer to a well-formed request naming what does not exist (an unknown
    # governorate or place type, a query the library refuses): documented, not a rejection of
    # data the schema allows
    acceptance = config.projects.default.checks.positive_data_acceptance
    acceptance.expected_statuses = [*acceptance.expected_statuses, "422"]
    return schemathesis.openapi.from_wsgi("/openapi.json", app, config=config)


CHECKS = None  # every check schemathesis has (--checks all)


@pytest.mark.parametrize("method, path, mode", _operations(), ids=lambda x: x)
def test_openapi_conformance(api_schema, gz, method, path, mode):
    """Valid requests (positive) and requests that break the schema (negative): the answers
    follow the spec, and no input ever makes a 5xx."""
    from schemathesis.generation import GenerationMode

    operation = api_schema[path][method]
    examples = 30 if path.startswith("/v1/") else 5
    checks = CHECKS
    if (path == "/v1/parse" and not has_parse(gz)) or (path == "/v1/reverse"
                                                        and not reverse_works(gz)):
        pytest.skip("the library has no parse/reverse yet: the endpoint answers 503")

    @given(case=operation.as_strategy(GenerationMode(mode)))
    @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(checks=checks)

    run()


def test_an_xlsx_bomb_is_refused_before_it_is_expanded(client, tmp_path, xlsx_bomb):
    """A 30 KB workbook holding a 20 MB string: 413 from the archive's directory, unread."""
    import tracemalloc

    data = xlsx_bomb(tmp_path / "bomb.xlsx", 20_000_000).read_bytes()
    assert len(data) < 100_000
    tracemalloc.start()
    try:
        resp = client.post("/v1/batch?column=name", data=data, content_type=XLSX)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    body = problem(resp, 413, "upload-too-large")
    assert "shared strings decompress to 20,0" in body["detail"] and body["limit"] == 16 * 2**20
    assert peak < 5_000_000  # the 20 MB string was never built


def test_batch_cells_and_characters_are_limited(gz):
    app = create_app({"GAZETTEER": gz, "TESTING": True, "MAX_BATCH_CELLS": 10,
                      "MAX_BATCH_CHARS": 1000})
    client = app.test_client()
    wide = "a,b,c,d,e,f\n" + "1,2,3,4,5,6\n" * 3
    body = problem(client.post("/v1/batch?column=a", data=wide, content_type="text/csv"), 413,
                   "upload-too-large")
    assert "more than 10 cells" in body["detail"] and body["limit"] == 10
    long = "name\n" + ("x" * 600 + "\n") * 2
    body = problem(client.post("/v1/batch", data=long, content_type="text/csv"), 413,
                   "upload-too-large")
    assert "1,000 characters" in body["detail"]


def test_the_schema_says_what_the_service_does(client):
    """The four disagreements schemathesis --checks all found on main."""
    spec = client.get("/openapi.json").get_json()
    geocode = {p["name"]: p for p in spec["paths"]["/v1/geocode"]["get"]["parameters"]}
    reverse = {p["name"]: p for p in spec["paths"]["/v1/reverse"]["get"]["parameters"]}
    assert geocode["q"]["required"] and reverse["lat"]["required"] and reverse["lon"]["required"]
    problem(client.get("/v1/geocode"), 400, "invalid-parameter")
    problem(client.get("/v1/reverse?lat=36.2"), 400, "invalid-parameter")
    csv_schema = spec["paths"]["/v1/batch"]["post"]["requestBody"]["content"]["text/csv"]["schema"]
    import re

    assert not re.search(csv_schema["pattern"], "") and not re.search(csv_schema["pattern"], "name\n")
    problem(client.post("/v1/batch", data=b"", content_type="text/csv"), 422, "invalid-body")
    problem(client.post("/v1/batch", data=b"name\n", content_type="text/csv"), 422, "invalid-body")
    problem(client.post("/v1/parse"), 422, "invalid-body")  # no body: was 200


@pytest.mark.parametrize("option", ["one_row_per_mention", "output_encoding", "min_confidence",
                                    "alternatives"])
def test_an_empty_typed_batch_option_is_refused(client, option):
    """``?output_encoding=`` is neither utf-8 nor utf-8-sig (schemathesis' negative run found
    it accepted): a number, flag or choice given empty is a 400, not the default."""
    body = problem(client.post(f"/v1/batch?column=name&{option}=", data="name\nHoms\n",
                               content_type="text/csv"), 400, "invalid-parameter")
    assert option in body["detail"] or body["errors"][0]["parameter"] == option
