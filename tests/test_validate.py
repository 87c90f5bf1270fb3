"""validate_places on small synthetic row lists."""
from __future__ import annotations

import os

from gazetteer.validate import Problem, load_rows, validate_places


def row(**kw):
    base = {
        "id": "C9001", "type": "village", "name_ar": "قرية", "name_en": "Qarya", "alt_ar": "", "alt_en": "",
        "lat": "36.100000", "lon": "37.100000", "coord_method": "anchor_exact",
        "admin1_pcode": "SY02", "admin1_en": "Aleppo", "admin1_ar": "حلب",
        "admin2_pcode": "SY0200", "admin2_en": "Jebel Saman", "admin2_ar": "جبل سمعان",
        "admin3_pcode": "SY020000", "admin3_en": "Jebel Saman", "admin3_ar": "مركز جبل سمعان",
        "parent_id": "SY020000", "is_seat": "0", "importance": "0.3", "population": "", "pin": "",
        "idps": "", "members": "", "source": "test", "notes": "",
    }
    base.update(kw)
    return base


def admin_rows():
    return [
        row(id="SY02", type="governorate", admin2_pcode="", admin3_pcode="", parent_id="", importance="1"),
        row(id="SY0200", type="district", admin3_pcode="", parent_id="SY02", importance="0.85"),
        row(id="SY020000", type="subdistrict", parent_id="SY0200", importance="0.6"),
    ]


def errors(rows):
    return [p for p in validate_places(rows) if p.severity == "error"]


def test_clean_rows_have_no_errors():
    assert errors(admin_rows() + [row()]) == []


def test_duplicate_id():
    errs = errors(admin_rows() + [row(), row(name_en="Other", lat="36.5")])
    assert any(p.id == "C9001" and "duplicate" in p.message for p in errs)


def test_bad_parent():
    errs = errors(admin_rows() + [row(parent_id="SY029999")])
    assert any("parent_id" in p.message and "does not exist" in p.message for p in errs)


def test_outside_syria():
    errs = errors(admin_rows() + [row(lat="40.0", lon="30.0")])
    assert any("outside Syria" in p.message for p in errs)


def test_missing_coordinates():
    errs = errors(admin_rows() + [row(lat="", lon="x")])
    assert any("coordinates" in p.message for p in errs)


def test_inconsistent_admin_codes():
    errs = errors(admin_rows() + [row(admin2_pcode="SY0300")])
    assert any("admin2" in p.message for p in errs)
    errs = errors(admin_rows() + [row(id="C9002", admin3_pcode="SY030000")])
    assert any("admin3" in p.message for p in errs)
    # a community's admin3 must equal its parent
    errs = errors(admin_rows() + [row(id="SY020001", type="subdistrict", admin3_pcode="SY020001",
                                      parent_id="SY0200", importance="0.6"),
                                  row(parent_id="SY020001")])
    assert any("differs from parent_id" in p.message for p in errs)


def test_unknown_type_and_importance():
    errs = errors(admin_rows() + [row(type="castle"), row(id="C9003", importance="1.5")])
    assert any("unknown type" in p.message for p in errs)
    assert any(p.id == "C9003" and "importance" in p.message for p in errs)


def test_warnings():
    rows = admin_rows() + [row(name_ar=""), row(id="C9004", name_ar="قرية", lat="36.101")]
    probs = validate_places(rows)
    warns = [p for p in probs if p.severity == "warning"]
    assert any(p.id == "C9001" and "Arabic" in p.message for p in warns)
    assert any("within 1 km" in p.message for p in warns)
    assert all(isinstance(p, Problem) for p in probs)


def test_load_rows_env(tmp_path, monkeypatch):
    import csv

    rows = admin_rows() + [row()]
    with open(tmp_path / "places.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    monkeypatch.setenv("GAZETTEER_DATA", os.fspath(tmp_path))
    assert [r["id"] for r in load_rows()] == [r["id"] for r in rows]
