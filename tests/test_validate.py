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


def test_id_format():
    errs = errors(admin_rows() + [row(id="X9001", parent_id="SY020000")])
    assert any(p.id == "X9001" and p.check == "id-format" for p in errs)
    errs = errors(admin_rows() + [row(id="L:Bad Id", type="camp")])
    assert any(p.check == "id-format" for p in errs)


def test_parent_type_admin_and_cycles():
    # a village under a district
    errs = errors(admin_rows() + [row(parent_id="SY0200", admin3_pcode="SY020000")])
    assert any("parent SY0200 is a district, expected subdistrict" in p.message for p in errs)
    # a neighbourhood whose parent city is in another governorate
    rows = admin_rows() + [row(), row(id="N9001", type="neighbourhood", parent_id="C9001",
                                      admin1_pcode="SY03", admin2_pcode="SY0300",
                                      admin3_pcode="SY030000")]
    assert any(p.id == "N9001" and "differs from the parent C9001" in p.message for p in errors(rows))
    # a cycle
    rows = admin_rows() + [row(id="N9001", type="neighbourhood", parent_id="N9002"),
                           row(id="N9002", type="neighbourhood", parent_id="N9001")]
    assert any("cycle" in p.message for p in errors(rows))


def test_cross_script_duplicates():
    rows = admin_rows() + [
        row(id="C9001", name_en="Khan Touman", name_ar=""),
        row(id="C9002", name_en="", name_ar="خان طومان", lat="36.105"),  # 0.56 km apart
        row(id="C9003", name_en="Khan Tuman", name_ar="", lat="36.2"),    # 11 km: not a duplicate
        row(id="C9004", type="town", name_en="Khan Tuman", name_ar=""),   # other type
    ]
    dups = [p for p in validate_places(rows) if p.check == "duplicate"]
    assert [(p.id, p.severity) for p in dups] == [("C9001", "warning")]
    assert "C9002" in dups[0].message and "0.56 km" in dups[0].message


def test_numbered_names_are_not_duplicates():
    rows = admin_rows() + [row(id="C9001", name_en="Tal 1", name_ar=""),
                           row(id="C9002", name_en="Tal 2", name_ar="", lat="36.101")]
    assert not [p for p in validate_places(rows) if p.check == "duplicate"]


def test_script_warnings():
    probs = validate_places(admin_rows() + [row(name_en="قرية", name_ar="Qarya")])
    msgs = {p.message for p in probs if p.id == "C9001"}
    assert {"no Arabic name", "no Latin-script name"} <= msgs
    assert any("name_en has Arabic letters" in m for m in msgs)
