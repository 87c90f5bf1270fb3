"""gazetteer.reverse and ``gazetteer reverse``: admin units, neighbourhood, nearest places."""
from __future__ import annotations

import dataclasses
import json
from functools import lru_cache
from pathlib import Path

import geopy
import numpy as np
import pytest
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import CoordinateError, Gazetteer, QueryError
from gazetteer.cli import main
from gazetteer.geodesy import lambert_error_km
from gazetteer.reverse import ReverseGeocoder, load_places

DATA = Path(__file__).resolve().parent.parent / "data"


@lru_cache(maxsize=1)
def geocoder() -> ReverseGeocoder:
    return ReverseGeocoder.from_data_dir(DATA)


@pytest.fixture(scope="module")
def rg():
    return geocoder()


def test_point_forms_agree(rg):
    expected = rg.reverse(36.2, 37.1)
    for form in ("36.2,37.1", "36.2 37.1", (36.2, 37.1), [36.2, 37.1], geopy.Point(36.2, 37.1),
                 {"lat": 36.2, "lon": 37.1}):
        assert rg.reverse(form) == expected
    assert expected.point == (36.2, 37.1)


def test_aleppo(rg):
    r = rg.reverse(36.2, 37.1)
    assert r.inside_syria and not r.outside and r.match == "inside"
    assert (r.admin1.pcode, r.admin2.pcode, r.admin3.pcode) == ("SY02", "SY0200", "SY020000")
    assert r.admin1.name_ar == "حلب" and r.admin3.name_en == "Jebel Saman"
    assert r.neighbourhood.pcode == "N0184" and r.neighbourhood.city.pcode == "C1007"
    assert 1 <= len(r.nearest) <= 5


def test_nearest_sorted_within_radius_geodesic(rg):
    r = rg.reverse(36.118, 37.051, radius_km=5, limit=8)
    assert r.nearest[0].place.id == "C1015"  # Khan Tuman
    dists = [n.distance_km for n in r.nearest]
    assert dists == sorted(dists) and all(d <= 5 for d in dists) and len(dists) == 8
    for place, km in r.nearest:
        assert km == pytest.approx(geodesic((36.118, 37.051), (place.lat, place.lon)).km,
                                   abs=lambert_error_km(km))
        assert place.type not in ("governorate", "district", "subdistrict", "region", "plain")
    # the candidate prefilter loses nothing: compare with every place measured exactly
    exact = sorted((geodesic((36.118, 37.051), (p.lat, p.lon)).km, p.id) for p in rg.places
                   if p.type not in ("governorate", "district", "subdistrict", "region", "plain")
                   and abs(p.lat - 36.118) < 0.1 and abs(p.lon - 37.051) < 0.1)
    assert [n.place.id for n in r.nearest] == [i for d, i in exact if d <= 5][:8]


def test_limit_radius_types(rg):
    assert rg.reverse(36.2, 37.1, limit=0).nearest == ()
    assert rg.reverse(36.2, 37.1, radius_km=0.001).nearest == ()
    r = rg.reverse(36.2, 37.1, radius_km=30, limit=3, types=["village"])
    assert len(r.nearest) == 3 and {n.place.type for n in r.nearest} == {"village"}
    r = rg.reverse(36.2, 37.1, radius_km=30, limit=1, types="subdistrict")
    assert r.nearest[0].place.type == "subdistrict"
    with pytest.raises(QueryError, match="unknown place type"):
        rg.reverse(36.2, 37.1, types=["castle"])
    for bad in (-1, float("nan"), 10_000, "far"):
        with pytest.raises(QueryError, match="radius_km"):
            rg.reverse(36.2, 37.1, radius_km=bad)
    for bad in (-1, 2.5, True):
        with pytest.raises(QueryError, match="limit"):
            rg.reverse(36.2, 37.1, limit=bad)


def test_outside(rg):
    r = rg.reverse(48.85, 2.35)  # Paris
    assert not r.inside_syria and r.outside and r.match == "outside"
    assert r.admin1 is r.admin2 is r.admin3 is r.neighbourhood is None
    assert r.nearest == () and r.admin_distance_km is None
    assert 3000 < r.distance_to_syria_km < 3200
    near = rg.reverse(36.83, 36.95)  # Turkey, 5 km from the border: outside, villages nearby
    assert near.outside and near.nearest and all(n.distance_km <= 10 for n in near.nearest)
    gj = near.to_geojson()["features"][0]["properties"]
    assert gj["outside"] is True and gj["admin1"] is None and gj["distance_to_syria_km"] > 1


def test_coast_and_snap(rg):
    r = rg.reverse(34.899, 35.877)  # Tartous, Al-Mina: beyond the adm3 coastline
    assert r.inside_syria and r.match == "neighbourhood" and r.admin3.pcode == "SY100000"
    assert r.neighbourhood.name_en == "Al-Mina" and r.admin_distance_km > 0


@pytest.mark.parametrize("bad, words", [
    ((95, 37), "out of range"), ((float("nan"), 37), "NaN"), (("x,y",), "cannot read"),
    ((36.2, None), "only a latitude"),
])
def test_bad_coordinates(rg, bad, words):
    with pytest.raises(CoordinateError, match=words):
        rg.reverse(*bad)


def test_result_is_immutable(rg):
    r = rg.reverse(36.2, 37.1)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.admin1 = None  # type: ignore[misc]
    assert isinstance(r.nearest, tuple) and isinstance(r.nearest[0], tuple)
    place, km = r.nearest[0]
    assert place is r.nearest[0].place and km == r.nearest[0].distance_km


def test_geojson(rg):
    fc = rg.reverse(36.2, 37.1, limit=3).to_geojson()
    json.dumps(fc)  # serialisable
    assert fc["type"] == "FeatureCollection" and len(fc["features"]) == 4
    q = fc["features"][0]
    assert q["geometry"] == {"type": "Point", "coordinates": [37.1, 36.2]}
    props = q["properties"]
    assert props["outside"] is False and props["role"] == "query"
    assert props["admin1"] == {"pcode": "SY02", "name_en": "Aleppo", "name_ar": "حلب"}
    assert set(props["admin3"]) == {"pcode", "name_en", "name_ar"}
    assert props["neighbourhood"]["pcode"] == "N0184"
    for f in fc["features"][1:]:
        assert f["properties"]["distance_km"] >= 0 and f["id"] == f["properties"]["id"]
        assert set(f["properties"]) >= {"id", "name_ar", "name_en", "type", "admin1", "admin2",
                                        "admin3", "distance_km"}
    d = [f["properties"]["distance_km"] for f in fc["features"][1:]]
    assert d == sorted(d)


# -- many points ------------------------------------------------------------------------------
def test_reverse_many(rg):
    pts = [(36.2, 37.1), (48.85, 2.35), "34.899,35.877", geopy.Point(33.51, 36.29)]
    b = rg.reverse_many(pts)
    assert len(b) == 4
    assert b.admin1.tolist() == ["SY02", "", "SY10", "SY01"]
    assert b.admin3.tolist() == ["SY020000", "", "SY100000", "SY010000"]
    assert b.neighbourhood.tolist() == ["N0184", "", "N0442", "N0046"]
    assert b.inside.tolist() == [True, False, True, True]
    assert b.match.tolist() == ["inside", "outside", "neighbourhood", "inside"]
    assert np.isnan(b.distance_km[1]) and b.distance_km[0] == 0
    with pytest.raises(ValueError):
        b.admin1[0] = "SY03"
    rows = b.as_dicts()
    assert rows[0]["admin2"] == {"pcode": "SY0200", "name_en": "Jebel Saman", "name_ar": "جبل سمعان"}
    assert rows[1] == {"lat": 48.85, "lon": 2.35, "outside": True, "admin1": None, "admin2": None,
                       "admin3": None, "neighbourhood": None, "match": "outside",
                       "admin_distance_km": None}
    assert rows[2]["neighbourhood"]["city"]["pcode"] == "C5221"
    # two arrays, an (n, 2) array, no neighbourhoods
    same = rg.reverse_many(np.array([36.2, 33.51]), np.array([37.1, 36.29]), neighbourhoods=False)
    assert same.admin3.tolist() == ["SY020000", "SY010000"] and same.neighbourhood.tolist() == ["", ""]
    assert rg.reverse_many(np.array([[36.2, 37.1]])).admin3.tolist() == ["SY020000"]
    assert len(rg.reverse_many([])) == 0


def test_reverse_many_agrees_with_reverse(rg):
    rng = np.random.default_rng(3)
    pts = np.column_stack([rng.uniform(32.2, 37.5, 400), rng.uniform(35.5, 42.5, 400)])
    b = rg.reverse_many(pts)
    for i in range(0, 400, 23):
        r = rg.reverse(pts[i, 0], pts[i, 1], limit=0)
        assert b.admin3[i] == (r.admin3.pcode if r.admin3 else "")
        assert b.neighbourhood[i] == (r.neighbourhood.pcode if r.neighbourhood else "")
        assert b.match[i] == r.match


def test_reverse_many_bad_point(rg):
    with pytest.raises(CoordinateError, match="point 2: latitude is NaN"):
        rg.reverse_many([(36.2, 37.1), (36.2, 37.1), (float("nan"), 37.1)])


def test_gazetteer_wrappers():
    places = load_places(DATA / "places.csv")
    gz = Gazetteer([p for p in places if p.admin1 and p.admin1.pcode == "SY14"])  # small: Quneitra
    r = gz.reverse("33.12,35.82")
    assert r.admin1.pcode == "SY14" and all(n.place.admin1.pcode == "SY14" for n in r.nearest)
    assert gz.reverse_many([(33.12, 35.82)]).admin1.tolist() == ["SY14"]


# -- command line -----------------------------------------------------------------------------
@pytest.fixture
def cli_data(monkeypatch, rg):
    monkeypatch.setattr(ReverseGeocoder, "from_data_dir", classmethod(lambda cls, *a, **k: rg))


@pytest.mark.parametrize("argv", [["36.2", "37.1"], ["36.2,37.1"], ["36.2,", "37.1"]])
def test_cli(cli_data, capsys, argv):
    assert main(["reverse", *argv, "--limit", "2", "--compact"]) == 0
    fc = json.loads(capsys.readouterr().out)
    props = fc["features"][0]["properties"]
    assert props["admin3"]["pcode"] == "SY020000" and len(fc["features"]) == 3


def test_cli_outside_exit_0(cli_data, capsys):
    assert main(["reverse", "--", "-33.9", "151.2"]) == 0
    props = json.loads(capsys.readouterr().out)["features"][0]["properties"]
    assert props["outside"] is True and props["admin1"] is None


@pytest.mark.parametrize("argv, words", [
    (["95", "37"], "latitude 95 is out of range"),
    (["nan", "37"], "latitude is NaN"),
    (["36.2"], "only a latitude"),
    (["north"], "cannot read"),
    ([], "give LAT LON"),
    (["36", "37", "--radius", "-1"], "radius_km"),
])
def test_cli_bad_coordinates_exit_2(cli_data, capsys, argv, words):
    assert main(["reverse", *argv]) == 2
    assert words in capsys.readouterr().err


def test_cli_jsonl(cli_data, capsys, monkeypatch):
    import io

    lines = '36.2,37.1\n{"id": "p", "lat": 48.85, "lon": 2.35}\n\nnope\n[33.51, 36.29]\n'
    monkeypatch.setattr("sys.stdin", io.StringIO(lines))
    assert main(["reverse", "--jsonl", "--limit", "0"]) == 0
    out = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert [o["id"] for o in out] == [1, "p", 4, 5]
    assert out[1]["features"][0]["properties"]["outside"] is True
    assert "cannot read" in out[2]["error"] and out[2]["features"] == []
    assert out[3]["features"][0]["properties"]["admin1"]["pcode"] == "SY01"


def test_snap_km(rg):
    # C1261 Silsileh lies 1.10 km outside every sub-district polygon (validation_report.csv)
    p = next(p for p in rg.places if p.id == "C1261")
    assert rg.reverse(p.lat, p.lon).outside
    r = rg.reverse(p.lat, p.lon, snap_km=2)
    assert r.match == "nearest" and r.admin3.pcode == "SY020203" and 1.0 < r.admin_distance_km < 1.2
    assert rg.reverse_many([(p.lat, p.lon)], snap_km=2).admin3.tolist() == ["SY020203"]
    with pytest.raises(QueryError, match="snap_km"):
        rg.reverse(p.lat, p.lon, snap_km=-1)


def test_threads_share_one_geocoder(rg):
    from concurrent.futures import ThreadPoolExecutor

    rng = np.random.default_rng(9)
    pts = np.column_stack([rng.uniform(32.3, 37.3, 2000), rng.uniform(35.6, 42.4, 2000)])
    expected = rg.reverse_many(pts).admin3.tolist()
    with ThreadPoolExecutor(4) as pool:
        batches = list(pool.map(lambda k: rg.reverse_many(pts[k::4]).admin3.tolist(), range(4)))
        singles = list(pool.map(lambda p: rg.reverse(p, limit=1).admin3, pts[:40].tolist()))
    for k in range(4):
        assert batches[k] == expected[k::4]
    assert [r.pcode if r else "" for r in singles] == expected[:40]


def test_own_places_file_uses_bundled_polygons(tmp_path):
    import shutil

    shutil.copy(DATA / "places.csv", tmp_path / "places.csv")
    own = ReverseGeocoder.from_data_dir(tmp_path)
    assert own.areas is geocoder().areas
    assert own.reverse(36.2, 37.1).admin3.pcode == "SY020000"


@pytest.mark.parametrize("argv, says", [
    (["36.2", "37.1", "5"], "read 3"),
    (["36,2", "37,1"], "decimal commas"),
])
def test_cli_refuses_what_is_not_two_numbers(capsys, argv, says):
    assert main(["reverse", *argv]) == 2
    out, err = capsys.readouterr()
    assert says in err and out == ""


def test_cli_reads_a_negative_latitude_as_a_point_not_an_option(capsys):
    assert main(["reverse", "-33.9,151.2", "--compact"]) == 0
    fc = json.loads(capsys.readouterr().out)
    assert fc["features"][0]["geometry"]["coordinates"] == [151.2, -33.9]
    assert fc["features"][0]["properties"]["outside"] is True


# -- the fast distances (Lambert + geodesic where it matters) against the geodesic ---------------
AREA_TYPES_ = ("country", "governorate", "district", "subdistrict", "region", "plain")


def brute_force_nearest(rg, lat, lon, radius_km, limit, types=None):
    """Every place of the types, measured with geopy's geodesic (those that Lambert puts well
    beyond the radius skipped: it is within 2 mm/km of the geodesic, tests/test_geodesy.py)."""
    from gazetteer.geodesy import Points, lambert_km

    rough = lambert_km(lat, lon, Points([p.lat for p in rg.places], [p.lon for p in rg.places]))
    out = []
    for i in np.flatnonzero(rough <= radius_km * 1.001 + 0.001).tolist():
        p = rg.places[i]
        if (p.type in types) if types else (p.type not in AREA_TYPES_):
            d = geodesic((lat, lon), (p.lat, p.lon)).km
            if d <= radius_km:
                out.append((d, p.id))
    return sorted(out)[:limit]

anywhere_near = st.tuples(st.floats(31.5, 38.0), st.floats(35.0, 43.0))


def city_point(i, dlat, dlon):
    cities = [p for p in geocoder().places if p.type in ("city", "neighbourhood")]
    c = cities[i % len(cities)]
    return c.lat + dlat, c.lon + dlon


in_a_city = st.builds(city_point, st.integers(0, 10**6), st.floats(-0.02, 0.02),
                      st.floats(-0.02, 0.02))


@settings(max_examples=150, deadline=None)
@given(st.one_of(anywhere_near, in_a_city), st.sampled_from([0.05, 1.0, 3.0, 10.0, 40.0]),
       st.integers(1, 12), st.sampled_from([None, ["village"], ["neighbourhood", "camp"]]))
def test_fast_nearest_equals_geodesic_brute_force(rg, point, radius, limit, types):
    lat, lon = point
    fast = rg.reverse(lat, lon, radius_km=radius, limit=limit, types=types)
    ref = brute_force_nearest(rg, lat, lon, radius, limit, types)
    assert [n.place.id for n in fast.nearest] == [i for _, i in ref]  # same places, same order
    for n, (d, _) in zip(fast.nearest, ref):
        assert abs(n.distance_km - d) <= lambert_error_km(d)
        assert round(n.distance_km, 3) == round(d, 3)  # the JSON's distance_km: identical
    exact = rg.nearest(lat, lon, radius_km=radius, limit=limit, mask=rg._type_mask(types),
                       exact=True)
    assert [(n.place.id, n.distance_km) for n in exact] == [(i, d) for d, i in ref]
    assert fast.to_geojson() == dataclasses.replace(fast, nearest=exact).to_geojson()


def test_fast_nearest_settles_ties_and_the_radius_with_the_geodesic(rg):
    """Two places at the same distance: ordered by id, as the geodesic orders them; a radius
    exactly at a place's geodesic distance keeps it."""
    p = next(x for x in rg.places if x.id == "C1015")
    d = geodesic((36.118, 37.051), (p.lat, p.lon)).km
    r = rg.reverse(36.118, 37.051, radius_km=d, limit=50)
    assert r.nearest[-1].place.id == "C1015" and r.nearest[-1].distance_km == d
    twin = dataclasses.replace(p, id="C1015b")
    rg2 = ReverseGeocoder([*rg.places, twin], rg.areas)
    ids = [n.place.id for n in rg2.reverse(36.118, 37.051, radius_km=d, limit=50).nearest]
    assert ids[-2:] == ["C1015", "C1015b"]


def test_numpy_and_plain_python_lambert_paths_agree(rg, monkeypatch):
    import gazetteer.reverse as reverse_mod

    points = [(36.2, 37.1), (33.51, 36.29), (35.0, 38.0), (36.118, 37.051), (34.73, 36.71)]
    small = [rg.reverse(y, x, radius_km=15, limit=30).to_geojson() for y, x in points]
    monkeypatch.setattr(reverse_mod, "SMALL", 0)  # numpy for every candidate list
    assert [rg.reverse(y, x, radius_km=15, limit=30).to_geojson() for y, x in points] == small
    monkeypatch.setattr(reverse_mod, "SMALL", 10**6)  # plain Python for every one
    assert [rg.reverse(y, x, radius_km=15, limit=30).to_geojson() for y, x in points] == small
