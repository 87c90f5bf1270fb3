"""The server side of the web page (``service/web.py``) with Flask's test client: the page and
its files, the boundary outlines, name completion; and ``gazetteer.complete`` itself."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import shapely
from shapely.geometry import shape

from gazetteer.complete import Completer
from service import create_app

STATIC = Path(__file__).resolve().parent.parent / "service" / "static" / "web"


@pytest.fixture(scope="module")
def client(gazetteer):
    return create_app({"GAZETTEER": gazetteer, "TESTING": True}).test_client()


@pytest.fixture(scope="module")
def completer(gazetteer):
    return Completer(gazetteer.places)


@pytest.fixture(scope="module")
def outlines(client):
    resp = client.get("/web/boundaries.geojson")
    assert resp.status_code == 200
    return resp


# -- the page ---------------------------------------------------------------------------------
def test_the_page_is_served_at_the_root_with_a_same_origin_policy(client):
    resp = client.get("/")
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    csp = resp.headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "connect-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-eval" not in csp
    html = resp.get_data(as_text=True)
    for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
        assert ref.startswith("/web/") or ref.startswith("data:"), ref
        if ref.startswith("/web/"):
            with client.get(ref) as file:
                assert file.status_code == 200, ref


def test_static_files_are_the_vendored_builds_with_their_licence(client):
    with client.get("/web/vendor/leaflet/leaflet.js") as js:
        assert js.status_code == 200 and b"Leaflet 1.9.4" in js.data[:300]
    with client.get("/web/vendor/leaflet/LICENSE") as licence:
        assert b"BSD 2-Clause" in licence.data
    assert client.get("/web/vendor/leaflet/leaflet.js.map").status_code == 404
    assert client.get("/web/../api.py").status_code == 404
    assert client.get("/web/nothing.js").status_code == 404


def test_the_page_names_no_other_host():
    """No URL of another host in what the browser runs (the map's tiles, fonts, scripts)."""
    for path in (STATIC / "index.html", STATIC / "app.js", STATIC / "app.css"):
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), path
        assert "@import" not in text and "@font-face" not in text


# -- boundary outlines ------------------------------------------------------------------------
def test_outlines_are_the_governorates_and_districts_simplified(outlines):
    fc = outlines.get_json(force=True)
    assert outlines.mimetype == "application/geo+json"
    levels = [f["properties"]["level"] for f in fc["features"]]
    assert levels.count(1) == 14 and levels.count(2) == 62
    assert len(outlines.data) < 200_000  # a tenth of the source polygons' size
    for f in fc["features"]:
        geom = shape(f["geometry"])
        assert geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_empty
        lon, lat = f["properties"]["label"]
        assert geom.buffer(0.01).contains(shapely.Point(lon, lat))
    by_pcode = {f["properties"]["pcode"]: shape(f["geometry"]) for f in fc["features"]}
    aleppo_city, khan_tuman, damascus = (37.1524, 36.2060), (37.0509, 36.1184), (36.2765, 33.5138)
    assert by_pcode["SY02"].contains(shapely.Point(*aleppo_city))
    assert by_pcode["SY0200"].contains(shapely.Point(*khan_tuman))
    assert by_pcode["SY01"].contains(shapely.Point(*damascus))
    assert not by_pcode["SY02"].contains(shapely.Point(*damascus))


def test_districts_tile_their_governorate(outlines):
    """Simplified as a coverage: the districts of a governorate still fill it, no slivers."""
    fc = outlines.get_json(force=True)
    gov = {f["properties"]["pcode"]: shape(f["geometry"]) for f in fc["features"]
           if f["properties"]["level"] == 1}
    for pcode, outline in gov.items():
        parts = [shape(f["geometry"]) for f in fc["features"]
                 if f["properties"].get("adm1_pcode") == pcode]
        union = shapely.union_all(parts)
        assert union.symmetric_difference(outline).area < 1e-4 * outline.area + 1e-6, pcode


def test_outlines_without_polygons_are_a_503(client, monkeypatch, tmp_path):
    from service import web

    monkeypatch.setattr(web, "admin_folder", lambda path: str(tmp_path))
    resp = client.get("/web/boundaries.geojson")
    assert resp.status_code == 503
    assert resp.mimetype == "application/problem+json"


# -- completion -------------------------------------------------------------------------------
def test_a_half_typed_name_is_completed(client):
    resp = client.get("/web/suggest", query_string={"q": "خان طو"})
    assert resp.status_code == 200
    fc = resp.get_json(force=True)
    first = fc["features"][0]["properties"]
    assert first["id"] == "C1015" and first["completion"] == "خان طومان"
    assert first["confidence"] == 1.0  # geocode's confidence for the name typed whole
    latin = client.get("/web/suggest", query_string={"q": "Khan Tu"}).get_json(force=True)
    assert latin["features"][0]["properties"]["id"] == "C1015"


@pytest.mark.parametrize("query, status", [({}, 400), ({"q": "  "}, 400),
                                           ({"q": "x" * 600}, 422),
                                           ({"q": "حلب", "limit": "0"}, 400),
                                           ({"q": "حلب", "limit": "many"}, 400)])
def test_bad_completion_requests_are_problems(client, query, status):
    resp = client.get("/web/suggest", query_string=query)
    assert resp.status_code == status
    assert resp.mimetype == "application/problem+json"
    assert json.loads(resp.data)["detail"]


def test_completion_finds_names_with_and_without_the_article(completer):
    assert "C1015" in [c.place.id for c in completer.complete("خان طو")]
    with_article = completer.complete("الراشد")
    without = completer.complete("راشد")
    assert "C7369" in [c.place.id for c in with_article]
    assert "C7369" in [c.place.id for c in without]
    assert completer.complete("Rashid", limit=20)


def test_completion_ranks_by_importance_and_needs_two_letters(completer, gazetteer):
    found = completer.complete("حل", limit=8)
    assert found[0].place.id in ("C1007", "SY02")  # Aleppo before the villages in حل…
    importance = [c.place.importance for c in found]
    assert importance == sorted(importance, reverse=True)
    assert all(c.name.replace("ال", "", 1).startswith("حل") or c.name.startswith("حل")
               for c in found)
    assert completer.complete("ح") == [] and completer.complete("") == []
    assert len(completer.complete("Al", limit=3)) == 3
