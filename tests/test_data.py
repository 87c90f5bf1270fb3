"""Checks on the committed data/ files (no raw sources needed)."""
from __future__ import annotations

import csv
import json
import math
from collections import Counter
from pathlib import Path

import pytest

from gazetteer.validate import load_rows, validate_places

DATA = Path(__file__).resolve().parent.parent / "data"
COLUMNS = ("id,type,name_ar,name_en,alt_ar,alt_en,lat,lon,coord_method,admin1_pcode,admin1_en,admin1_ar,"
           "admin2_pcode,admin2_en,admin2_ar,admin3_pcode,admin3_en,admin3_ar,parent_id,is_seat,importance,"
           "population,residents_2026,pin,idps,severity,access_2017,members,source,notes").split(",")
LANDMARK_TYPES = {"camp", "airbase", "airport", "crossing", "mountain", "hill", "region", "plain", "dam",
                  "lake", "river", "infrastructure", "road", "neighbourhood"}
SITE_TYPES = {"base", "checkpoint", "naval base", "hospital", "prison", "oil field", "factory", "power station",
              "station", "port"}
GEONAMES_TYPES = {"hamlet", "farm", "section", "abandoned"}


@pytest.fixture(scope="module")
def rows():
    return load_rows(DATA / "places.csv")


@pytest.fixture(scope="module")
def by_id(rows):
    return {r["id"]: r for r in rows}


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(a))


def test_header_exact():
    with open(DATA / "places.csv", encoding="utf-8", newline="") as f:
        assert next(csv.reader(f)) == COLUMNS


def test_row_counts(rows):
    c = Counter(r["type"] for r in rows)
    assert c["governorate"] == 14
    assert c["district"] == 62
    assert c["subdistrict"] == 272
    communities = [r for r in rows if r["id"].startswith("C")]
    assert len(communities) >= 7200
    assert all(r["type"] in ("city", "town", "village") for r in communities)
    assert sum(1 for r in rows if r["id"].startswith("N")) == 414
    assert sum(1 for r in rows if r["id"].startswith("L:")) >= 60
    # GeoNames localities no OCHA community matches, and sites (bases, hills, crossings ...)
    assert sum(1 for r in rows if r["id"][:1] in "GW") >= 3000
    assert sum(1 for r in rows if r["id"].startswith("S:")) >= 800


def test_khan_tuman(by_id):
    r = by_id["C1015"]
    assert r["name_en"] == "Khan tuman"
    assert r["name_ar"] == "خان طومان"
    assert r["parent_id"] == "SY020000" and r["admin3_pcode"] == "SY020000"
    assert r["admin1_pcode"] == "SY02"
    assert km(float(r["lat"]), float(r["lon"]), 36.118, 37.051) < 1.0


def test_zara_homonyms(by_id):
    a = by_id["C3041"]
    assert a["name_en"] == "Az-Zara" and a["admin1_pcode"] == "SY05" and a["admin1_en"] == "Hama"
    b = by_id["C2777"]
    assert b["name_en"] == "Zara" and b["admin1_pcode"] == "SY04" and b["admin1_en"] == "Homs"


def test_every_aleppo_community_has_arabic(rows):
    missing = [r["id"] for r in rows
               if r["admin1_pcode"] == "SY02" and r["id"].startswith("C") and not r["name_ar"]]
    assert missing == []


def test_no_validation_errors(rows):
    errors = [p for p in validate_places(rows) if p.severity == "error"]
    assert errors == [], errors[:10]


def test_every_row_has_admin1_and_coords(rows):
    for r in rows:
        assert r["admin1_pcode"] or r["type"] == "country", r["id"]
        assert 32.3 <= float(r["lat"]) <= 37.4 and 35.6 <= float(r["lon"]) <= 42.4, r["id"]
        assert len(r["lat"].split(".")[1]) == 6


def test_ids_and_types(rows):
    for r in rows:
        i, t = r["id"], r["type"]
        if i.startswith("L:"):
            assert t in LANDMARK_TYPES
        elif i.startswith("S:"):
            assert t in SITE_TYPES | LANDMARK_TYPES
        elif i[:1] in "GW" and i[1:].isdigit():
            assert t in GEONAMES_TYPES | {"town"}
            assert r["importance"] and float(r["importance"]) < 0.3
        elif i.startswith("N"):
            assert t == "neighbourhood" and r["parent_id"].startswith("C")
        elif i.startswith("C"):
            assert t in ("city", "town", "village")
            assert r["is_seat"] in "0123"
        elif i == "SY":
            assert t == "country"
        else:
            assert t == {4: "governorate", 6: "district", 8: "subdistrict"}[len(i)]


def test_cities_are_governorate_seats(rows):
    cities = {r["id"] for r in rows if r["type"] == "city"}
    assert {"C1001", "C1007", "C2528", "C2987"} <= cities
    assert all(r["is_seat"] == "1" for r in rows if r["type"] == "city")


def test_markaz_bare_alternates(by_id):
    r = by_id["SY030900"]
    assert r["name_en"] == "Markaz Darayya"
    assert "Darayya" in r["alt_en"].split("|")
    assert "داريا" in r["alt_ar"].split("|")


def test_alternates_exclude_primary(rows):
    for r in rows:
        for col, prim in (("alt_ar", "name_ar"), ("alt_en", "name_en")):
            alts = r[col].split("|") if r[col] else []
            assert r[prim] not in alts, r["id"]
            assert len(alts) == len(set(alts)), r["id"]


def test_neighbourhood_and_landmark(by_id):
    n = by_id["N0227"]
    assert n["name_ar"] == "مخيم حندرات" and n["parent_id"] == "C1007"
    y = by_id["L:yarmouk_camp"]
    assert y["type"] == "camp" and y["admin1_pcode"] == "SY01"
    m = by_id["L:al_marj"]
    assert m["members"] == "SY030204" and m["coord_method"] == "members_centroid"


def test_importance_ordering(rows):
    imp = {r["id"]: float(r["importance"]) for r in rows}
    villages = [float(r["importance"]) for r in rows if r["type"] == "village"]
    towns = [float(r["importance"]) for r in rows if r["type"] == "town" and r["id"].startswith("C")]
    assert max(villages) < min(towns)
    # a place only GeoNames knows never outranks an OCHA village of the same name
    hamlets = [float(r["importance"]) for r in rows if r["id"][:1] in "GW"]
    assert max(hamlets) < min(villages)
    assert imp["SY02"] == 1.0 and imp["C1007"] >= 0.9


def test_admin_geojson():
    total = 0
    for name, n in (("adm1", 14), ("adm2", 62), ("adm3", 272), ("neighbourhoods", 414)):
        p = DATA / "admin" / f"{name}.geojson"
        total += p.stat().st_size
        fc = json.loads(p.read_text(encoding="utf-8"))
        assert len(fc["features"]) == n
        props = fc["features"][0]["properties"]
        assert props["pcode"] and props["name_en"] and props["name_ar"]
    assert total < 6_500_000


def test_validation_report_columns():
    with open(DATA / "validation_report.csv", encoding="utf-8", newline="") as f:
        header = next(csv.reader(f))
    assert header == ["id", "name_en", "source_parent", "polygon_parent", "distance_km_to_parent_polygon",
                      "kept", "why", "kind", "detail"]


def test_fine_consonants_follow_ochas_romanization(rows):
    """The fine consonant classes (خ kh / ك k / ق q, غ gh / ج j ...) are how OCHA writes the
    Aleppo communities that have both names: nearly every aligned pair agrees letter for letter."""
    from gazetteer.normalize import key_fine_consonants, name_key

    pairs = agree = 0
    for r in rows:
        if r["admin1_pcode"] != "SY02" or r["type"] not in ("city", "town", "village"):
            continue
        if not (r["name_ar"] and r["name_en"]):
            continue
        a = key_fine_consonants(name_key(r["name_ar"]), True)
        b = key_fine_consonants(name_key(r["name_en"]), False)
        if len(a) == len(b):
            pairs += 1
            agree += a == b
    assert pairs > 1400
    assert agree / pairs > 0.93, (agree, pairs)  # 0.96 on the data built 2026-11


def test_every_name_has_its_source_and_licence(rows):
    """names.csv lists every name of every place with the source that gave it and its licence."""
    with open(DATA / "names.csv", encoding="utf-8", newline="") as f:
        names = list(csv.DictReader(f))
    assert list(names[0]) == ["place_id", "name", "script", "primary", "source", "licence"]
    listed = {(n["place_id"], n["name"]) for n in names}
    for r in rows:
        for col in ("name_ar", "name_en", "alt_ar", "alt_en"):
            for name in (r[col].split("|") if r[col] else []):
                assert (r["id"], name) in listed, (r["id"], name)
    assert all(n["source"] and n["licence"] for n in names)
    osm = [n for n in names if n["source"].startswith("osm:")]
    assert len(osm) > 1000 and all(n["licence"].startswith("ODbL") for n in osm)
    geonames = [n for n in names if n["source"].startswith("geonames:")]
    assert len(geonames) > 10000 and all("CC BY 4.0" in n["licence"] for n in geonames)


def test_arabic_names_are_arabic_script(rows):
    import re

    for r in rows:
        for name in [r["name_ar"], *(r["alt_ar"].split("|") if r["alt_ar"] else [])]:
            assert not re.search("[A-Za-z]", name), (r["id"], name)


def test_sites_are_places_of_their_own(by_id, rows):
    """Kuweires airbase from the curated list and the war map's "Kuweires Airbase" are one place,
    not merged with the village of Kuweires."""
    kuweires = [r for r in rows if r["type"] == "airbase" and "Kuweires" in (r["name_en"] + r["alt_en"])]
    assert [r["id"] for r in kuweires] == ["L:kuweires_airbase"]
    assert "wikipedia-war-map" in kuweires[0]["source"]
    assert sum(1 for r in rows if r["id"].startswith("S:") and r["type"] in ("base", "checkpoint")) > 300
