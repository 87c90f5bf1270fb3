"""``gazetteer validate``: the polygon checks, planted errors, and the bundled data passing."""
from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gazetteer.admin import AdminAreas
from gazetteer.cli import main
from gazetteer.validate import validate_places

DATA = Path(__file__).resolve().parent.parent / "data"
COLUMNS = ("id,type,name_ar,name_en,alt_ar,alt_en,lat,lon,coord_method,admin1_pcode,admin1_en,admin1_ar,"
           "admin2_pcode,admin2_en,admin2_ar,admin3_pcode,admin3_en,admin3_ar,parent_id,is_seat,importance,"
           "population,pin,idps,members,source,notes").split(",")


def box(x0, y0, x1, y1):
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def fc(*features):
    return {"type": "FeatureCollection",
            "features": [{"type": "Feature", "properties": p, "geometry": g} for p, g in features]}


# one governorate (36-37 E, 35-36 N), one district, two sub-districts split at 36.5 E
POLYGONS = {
    "adm1": fc(({"pcode": "SY01", "name_en": "One", "name_ar": "واحد"}, box(36, 35, 37, 36))),
    "adm2": fc(({"pcode": "SY0100", "name_en": "Dist", "name_ar": "منطقة", "adm1_pcode": "SY01"},
                box(36, 35, 37, 36))),
    "adm3": fc(({"pcode": "SY010000", "name_en": "West", "name_ar": "غرب", "adm2_pcode": "SY0100",
                 "adm1_pcode": "SY01"}, box(36, 35, 36.5, 36)),
               ({"pcode": "SY010001", "name_en": "East", "name_ar": "شرق", "adm2_pcode": "SY0100",
                 "adm1_pcode": "SY01"}, box(36.5, 35, 37, 36))),
}


def row(**kw):
    base = dict.fromkeys(COLUMNS, "")
    base.update({"id": "C9001", "type": "village", "name_ar": "قرية", "name_en": "Qarya",
                 "lat": "35.500000", "lon": "36.250000", "admin1_pcode": "SY01", "admin1_en": "One",
                 "admin1_ar": "واحد", "admin2_pcode": "SY0100", "admin2_en": "Dist",
                 "admin2_ar": "منطقة", "admin3_pcode": "SY010000", "admin3_en": "West",
                 "admin3_ar": "غرب", "parent_id": "SY010000", "importance": "0.3"})
    base.update(kw)
    return base


def admin_rows():
    east = dict(admin3_pcode="SY010001", admin3_en="East", admin3_ar="شرق")
    return [
        row(id="SY01", type="governorate", name_en="One", name_ar="واحد", lat="35.5", lon="36.5",
            admin2_pcode="", admin2_en="", admin2_ar="", admin3_pcode="", admin3_en="",
            admin3_ar="", parent_id="", importance="1"),
        row(id="SY0100", type="district", name_en="Dist", name_ar="منطقة", lat="35.5", lon="36.5",
            admin3_pcode="", admin3_en="", admin3_ar="", parent_id="SY01", importance="0.85"),
        row(id="SY010000", type="subdistrict", name_en="West", name_ar="غرب", parent_id="SY0100",
            importance="0.6"),
        row(id="SY010001", type="subdistrict", name_en="East", name_ar="شرق", lon="36.75",
            parent_id="SY0100", importance="0.6", **east),
    ]


@pytest.fixture(scope="module")
def areas():
    return AdminAreas.from_geojson(POLYGONS)


def problems(rows, areas, severity=None):
    return [p for p in validate_places(rows, areas) if severity is None or p.severity == severity]


def test_clean(areas):
    assert problems(admin_rows() + [row()], areas, "error") == []
    assert [p for p in problems(admin_rows() + [row()], areas) if p.check != "name-script"] == []


@pytest.mark.parametrize("lat, lon, severity, check, words", [
    ("35.5", "36.52", "warning", "point-polygon", "1.81 km from its adm3 polygon SY010000 (in adm3 SY010001 East)"),
    ("35.5", "35.97", "warning", "point-polygon", "km from its adm3 polygon SY010000 (outside every adm3 polygon)"),
    ("35.5", "35.9", "error", "outside-syria", "is outside Syria, 9.0"),
    ("35.5", "36.9", "error", "point-polygon", "km from its adm3 polygon SY010000 (in adm3 SY010001"),
    ("48.85", "2.35", "error", "outside-syria", "outside Syria"),
])
def test_point_polygon(areas, lat, lon, severity, check, words):
    found = [p for p in problems(admin_rows() + [row(lat=lat, lon=lon)], areas)
             if p.id == "C9001" and p.check == check]
    assert len(found) == 1 and found[0].severity == severity and words in found[0].message, found


def test_codes_names_and_coverage(areas):
    rows = admin_rows()[:-1] + [row(admin3_pcode="SY019999", parent_id="SY019999"),
                                row(id="C9002", admin3_en="Wes")]
    probs = problems(rows, areas)
    assert any(p.id == "C9001" and "admin3 SY019999 has no adm3 polygon" in p.message for p in probs)
    assert any(p.id == "C9002" and p.check == "admin-name" and p.severity == "warning" for p in probs)
    assert any(p.id == "SY010001" and "has no row" in p.message and p.severity == "error" for p in probs)


def test_label_points_checked_at_their_level(areas):
    rows = admin_rows()
    rows[1] = dict(rows[1], lat="35.5", lon="37.3")  # district label point 27 km out of Syria
    rows[2] = dict(rows[2], lon="36.9")  # sub-district SY010000's label point in SY010001
    probs = problems(rows + [row()], areas, "error")
    assert any(p.id == "SY0100" and p.check == "outside-syria" for p in probs)
    assert any(p.id == "SY010000" and "from its adm3 polygon SY010000 (in adm3 SY010001" in p.message
               for p in probs)


def write_data(folder: Path, rows, polygons=POLYGONS):
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "places.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[-1]))
        w.writeheader()
        w.writerows(rows)
    if polygons:
        (folder / "admin").mkdir(exist_ok=True)
        for name, coll in polygons.items():
            (folder / "admin" / f"{name}.geojson").write_text(json.dumps(coll), encoding="utf-8")


def test_command_planted_errors(tmp_path, capsys, monkeypatch):
    write_data(tmp_path, admin_rows() + [row(), row(id="C9002", lat="48.85", lon="2.35"),
                                         row(id="C9003", parent_id="SY0100")])
    assert main(["validate", str(tmp_path)]) == 1
    out = capsys.readouterr()
    lines = out.out.splitlines()
    assert any(line.startswith("error\tC9002\t") and "outside Syria" in line for line in lines)
    assert any(line.startswith("error\tC9003\t") for line in lines)
    assert "3 errors" in out.err
    # the same through $GAZETTEER_DATA and a path to the file; --no-polygons keeps the bbox check
    monkeypatch.setenv("GAZETTEER_DATA", str(tmp_path))
    assert main(["validate"]) == 1
    assert main(["validate", str(tmp_path / "places.csv"), "--no-polygons"]) == 1
    capsys.readouterr()


def test_command_clean_and_warnings(tmp_path, capsys):
    write_data(tmp_path, admin_rows() + [row(), row(id="C9002", name_ar="", lat="35.501")])
    assert main(["validate", str(tmp_path), "--warnings"]) == 0
    out = capsys.readouterr()
    assert "warning\tC9001\tsame village name skeleton as C9002" in out.out
    assert "0 errors" in out.err


def test_command_unreadable(tmp_path, capsys):
    assert main(["validate", str(tmp_path / "missing.csv")]) == 2
    assert "not found" in capsys.readouterr().err


def test_bundled_data_passes(capsys):
    """The shipped data/ validates with exit 0 (warnings allowed), polygons included."""
    assert main(["validate", str(DATA)]) == 0
    err = capsys.readouterr().err
    assert " 0 errors" in err and "polygons from" in err


def test_bundled_data_planted_error(tmp_path, capsys, monkeypatch):
    """A copy of the shipped places.csv with one village moved to Cyprus fails."""
    with open(DATA / "places.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    moved = next(r for r in rows if r["id"] == "C1015")
    moved.update(lat="35.100000", lon="33.400000")
    write_data(tmp_path, rows, polygons=None)  # no admin/ beside it: the bundled polygons
    monkeypatch.setenv("GAZETTEER_DATA", str(tmp_path))
    assert main(["validate"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("error\tC1015\t") and "outside Syria" in out
    assert len(out.splitlines()) == 1


def test_country_row(areas):
    country = row(id="SY", type="country", name_en="Syria", name_ar="سوريا", lat="35.5", lon="36.5",
                  admin1_pcode="", admin1_en="", admin1_ar="", admin2_pcode="", admin2_en="",
                  admin2_ar="", admin3_pcode="", admin3_en="", admin3_ar="", parent_id="",
                  importance="1")
    rows = [country] + admin_rows() + [row()]
    assert problems(rows, areas, "error") == []
    rows[1] = dict(rows[1], parent_id="SY")  # a governorate under the country is fine too
    assert problems(rows, areas, "error") == []
    bad = [dict(country, lat="35.5", lon="33.0", parent_id="SY01")] + admin_rows() + [row()]
    checks = {p.check for p in problems(bad, areas, "error") if p.id == "SY"}
    assert checks == {"outside-syria", "parent"}
