"""Curation through the Python API, on SQLite and on a real PostgreSQL server: every operation,
the refusals with their reasons, revert, the audit record, export/import, schema versions, and
what geocode, parse, reverse and validate see."""
from __future__ import annotations

import copy
import io
import sqlite3

import pytest

from gazetteer.admin import haversine_km
from gazetteer.curation import Refused, attach, open_store
from gazetteer.curation.store import SCHEMA_VERSION, SQLITE_MIGRATIONS, SQLiteStore
from gazetteer.validate import validate_places

ALIAS = "كرهوك"  # a village name no source gives for Khan Tuman (C1015): the case
WHO = dict(who="rana", why="the name used by the people of the village", source="https://x.test/1")


def camp_point(gz, place_id="C1015", dlat=0.01, dlon=0.01):
    p = gz.get(place_id)
    return p.lat + dlat, p.lon + dlon, p.parent_id


def test_alias_is_found_by_geocode_and_parse_at_once(curated):
    assert all(m.place.id != "C1015" for m in curated.geocode(ALIAS))
    change = curated.curation.add_alias("C1015", ALIAS, **WHO)
    best = curated.geocode(ALIAS, exactly_one=True)
    assert best.place.id == "C1015" and best.matched_name == ALIAS
    mentions = curated.parse(f"قصفت الطائرات قرية {ALIAS} بريف حلب الجنوبي")
    assert [m.place.id for m in mentions if m.surface == ALIAS] == ["C1015"]
    assert ALIAS in curated.get("C1015").alt_ar
    # who, when, why, source are kept with it
    assert (change.author, change.reason, change.source) == (WHO["who"], WHO["why"], WHO["source"])
    assert change.created_at[:4] >= "2025" and change.kind == "add-alias"
    assert [c.id for c in curated.curation.log()] == [change.id]


def test_the_bundled_gazetteer_is_left_as_it_was(gazetteer, curated):
    curated.curation.add_alias("C1015", ALIAS, **WHO)
    assert ALIAS not in gazetteer.get("C1015").alt_ar
    assert gazetteer.index is not curated.index


def test_alias_another_place_nearby_carries_is_refused(curated):
    aleppo = curated.get("C1007")
    near = next(p for p in curated.places if p.id != aleppo.id and p.type == "neighbourhood"
                and haversine_km(p.lat, p.lon, aleppo.lat, aleppo.lon) < 4)
    with pytest.raises(Refused) as exc:
        curated.curation.add_alias(near.id, "حلب", **WHO)
    assert exc.value.code == "alias-taken" and "km" in str(exc.value)
    with pytest.raises(Refused) as exc:  # nor as a corrected name
        curated.curation.correct(near.id, name_en="Aleppo", **WHO)
    assert exc.value.code == "alias-taken"
    # far away the same name is another place's: allowed (and then ambiguous)
    far = next(p for p in curated.places if p.type == "village" and p.admin1
               and p.admin1.pcode == "SY08")
    curated.curation.add_alias(far.id, "Aleppo Qurb", **WHO)


def test_add_place_with_its_refusals(curated):
    lat, lon, parent = camp_point(curated)
    cur = curated.curation
    with pytest.raises(Refused) as exc:
        cur.add_place(type="camp", lat=36.0, lon=30.0, parent_id=parent, name_en="X camp", **WHO)
    assert exc.value.code == "outside-syria"
    with pytest.raises(Refused) as exc:
        cur.add_place(type="camp", lat=lat, lon=lon, parent_id="SY999999", name_en="X camp",
                      **WHO)
    assert exc.value.code == "unknown-parent"
    with pytest.raises(Refused) as exc:  # the parent of a camp is its sub-district
        cur.add_place(type="camp", lat=lat, lon=lon, parent_id="C1007", name_en="X camp", **WHO)
    assert exc.value.code == "invalid" and "subdistrict" in str(exc.value)
    with pytest.raises(Refused) as exc:
        cur.add_place(type="camp", lat=lat, lon=lon, parent_id=parent, **WHO)
    assert exc.value.code == "invalid"  # no name
    change = cur.add_place(type="camp", lat=lat, lon=lon, parent_id=parent,
                           name_ar="مخيم الأمل الجديد", name_en="New Hope camp", **WHO)
    assert change.place_id == f"U:{change.id}"
    place = curated.get(change.place_id)
    assert (place.type, place.parent_id, place.admin3.pcode) == ("camp", parent, parent)
    assert curated.geocode("New Hope camp", exactly_one=True).place.id == change.place_id
    assert curated.geocode("مخيم الأمل الجديد", exactly_one=True).place.id == change.place_id
    near = curated.reverse(lat, lon, radius_km=1, limit=3).to_geojson()
    assert change.place_id in str(near)
    # the same name skeleton within 2 km: a duplicate, unless forced with a reason
    with pytest.raises(Refused) as exc:
        cur.add_place(type="camp", lat=lat + 0.005, lon=lon, parent_id=parent,
                      name_en="New Hope Camp", **WHO)
    assert exc.value.code == "duplicate-place" and change.place_id in str(exc.value)
    forced = cur.add_place(type="camp", lat=lat + 0.005, lon=lon, parent_id=parent,
                           name_en="New Hope Camp", force=True, who="rana",
                           why="a second camp of the same name across the road")
    assert change.place_id in forced.payload["forced"]


def test_validate_passes_on_the_curated_rows(curated, gazetteer):
    lat, lon, parent = camp_point(curated)
    cur = curated.curation
    camp = cur.add_place(type="camp", lat=lat, lon=lon, parent_id=parent, name_en="Zorba camp",
                         **WHO)
    village = cur.add_place(type="village", lat=lat - 0.02, lon=lon, parent_id=parent,
                            name_ar="زوربا", name_en="Zorba", **WHO)
    cur.add_place(type="neighbourhood", lat=lat - 0.0201, lon=lon, parent_id=village.place_id,
                  name_en="Zorba east", **WHO)
    cur.correct("C1015", lat=gazetteer.get("C1015").lat + 0.004, **WHO)
    cur.add_alias("C1015", ALIAS, **WHO)
    areas = curated._reverse_geocoder().areas
    problems = validate_places(cur.rows(), areas)
    assert [p for p in problems if p.severity == "error"] == []
    assert camp.place_id in {r["id"] for r in cur.rows()}


def test_correct_retire_and_revert(curated, gazetteer):
    cur = curated.curation
    before = gazetteer.get("C1015")
    moved = cur.correct("C1015", lat=before.lat + 0.02, name_en="Khan Touman", **WHO)
    after = curated.get("C1015")
    assert (after.lat, after.name_en) == (round(before.lat + 0.02, 6), "Khan Touman")
    assert curated.geocode("Khan Touman", exactly_one=True).place.id == "C1015"
    with pytest.raises(Refused):
        cur.correct("C1015", colour="red", **WHO)
    with pytest.raises(Refused) as exc:  # admin units follow the polygons
        cur.correct("SY02", lat=36.0, **WHO)
    assert exc.value.code == "invalid"
    cur.revert(moved.id, who="sami", why="the old point was right")
    assert curated.get("C1015").lat == before.lat
    with pytest.raises(Refused) as exc:
        cur.revert(moved.id, who="sami", why="again")
    assert exc.value.code == "already-reverted"
    # retire a wrong alternate name: the place is no longer found by it
    wrong = before.alt_en[0]
    assert any(m.place.id == "C1015" for m in curated.geocode(wrong, limit=10))
    with pytest.raises(Refused):
        cur.retire("C1015", before.name_en, **WHO)  # a primary name is corrected instead
    cur.retire("C1015", wrong, **WHO)
    assert wrong not in curated.get("C1015").alt_en
    assert [c.kind for c in cur.active("C1015")] == ["retire"]
    assert [c.kind for c in cur.log()] == ["correct", "revert", "retire"]


def test_revert_of_a_new_place_others_depend_on_is_refused(curated):
    lat, lon, parent = camp_point(curated)
    cur = curated.curation
    village = cur.add_place(type="village", lat=lat, lon=lon, parent_id=parent, name_en="Zorba",
                            **WHO)
    alias = cur.add_alias(village.place_id, "Zorbatiq", **WHO)
    with pytest.raises(Refused) as exc:
        cur.revert(village.id, **WHO)
    assert exc.value.code == "depends-on-it"
    cur.revert(alias.id, **WHO)
    cur.revert(village.id, **WHO)
    assert curated.get(village.place_id) is None
    assert curated.geocode("Zorba", exactly_one=True) is None or \
        curated.geocode("Zorba", exactly_one=True).place.id != village.place_id
    assert len(curated) == len(cur.overlay.base_places)


def test_changes_need_who_and_why(curated):
    with pytest.raises(Refused, match="why is required"):
        curated.curation.add_alias("C1015", ALIAS, who="rana", why=" ")
    with pytest.raises(Refused, match="unknown|no place"):
        curated.curation.add_alias("C99999999", ALIAS, **WHO)
    with pytest.raises(Refused, match="separator"):
        curated.curation.add_alias("C1015", "a|b", **WHO)


def test_another_process_sees_the_changes(curated, gazetteer, store_url):
    other = copy.copy(gazetteer)
    attach(other, store_url)
    curated.curation.add_alias("C1015", ALIAS, **WHO)
    assert other.refresh() or other.curation.refresh(force=True)
    assert other.geocode(ALIAS, exactly_one=True).place.id == "C1015"
    other.curation.store.close()


def test_export_then_import_into_another_store_all_or_nothing(curated, gazetteer, tmp_path):
    lat, lon, parent = camp_point(curated)
    cur = curated.curation
    cur.add_alias("C1015", ALIAS, **WHO)
    village = cur.add_place(type="village", lat=lat, lon=lon, parent_id=parent, name_en="Zorba",
                            **WHO)
    cur.add_place(type="neighbourhood", lat=lat + 0.0005, lon=lon, parent_id=village.place_id,
                  name_en="Zorba east", **WHO)
    out = io.StringIO()
    assert cur.export(out) == 3
    text = out.getvalue()

    target = copy.copy(gazetteer)
    attach(target, str(tmp_path / "other.sqlite3"))
    # one bad row keeps every row out
    bad = text + "\nU:77,camp,,Nowhere camp,,,36.0,30.0,,,,,,,,,,,SY020000" + "," * 11 + "\n"
    with pytest.raises(Refused) as exc:
        target.curation.import_csv(io.StringIO(bad), who="imp", why="merge")
    assert exc.value.row == 5 and exc.value.code == "outside-syria"
    assert target.curation.log() == [] and len(target) == len(gazetteer)
    done = target.curation.import_csv(io.StringIO(text), who="imp", why="merge")
    assert [c.kind for c in done] == ["add-alias", "add-place", "add-place"]
    assert target.geocode(ALIAS, exactly_one=True).place.id == "C1015"
    east = target.geocode("Zorba east", exactly_one=True).place
    assert east.parent_id == done[1].place_id  # the file's U: id, renamed to the new one
    # importing it again changes nothing new: the places exist (U: ids known here now)
    target.curation.store.close()


def test_schema_is_versioned_and_migrated(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)  # a store made by the first version of the schema
    conn.execute("CREATE TABLE curation_schema (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
    for statement in SQLITE_MIGRATIONS[0][1]:
        conn.execute(statement)
    conn.execute("INSERT INTO curation_schema VALUES (1, 'then')")
    conn.execute("INSERT INTO curation_changes (kind, place_id, payload, author, reason, "
                 "created_at) VALUES ('add-alias', 'C1015', '{\"name\": \"x\"}', 'a', 'b', 'c')")
    conn.commit()
    conn.close()
    store = open_store(path)
    assert store.schema_version() == SCHEMA_VERSION == 2
    assert [c.payload for c in store.changes()] == [{"name": "x"}]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        with store.write() as conn:
            conn.execute("DELETE FROM curation_changes")
    assert len(store.changes()) == 1
    # a store from a newer version is refused, not misread
    with store.write() as conn:
        conn.execute("INSERT INTO curation_schema VALUES (99, 'later')")
    with pytest.raises(Exception, match="schema version 99"):
        SQLiteStore(path).migrate()


def test_sqlite_store_is_in_wal_mode(tmp_path):
    store = open_store(tmp_path / "c.sqlite3")
    with store._connection() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL


def test_default_store_is_in_the_xdg_data_dir_and_not_created_by_reading(tmp_path, monkeypatch,
                                                                         gazetteer):
    from gazetteer.curation import configured_location

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    monkeypatch.delenv("GAZETTEER_CURATION")
    assert configured_location() == str(tmp_path / "syria-gazetteer" / "curation.sqlite3")
    gz = copy.copy(gazetteer)
    assert attach(gz) is None and not (tmp_path / "syria-gazetteer").exists()
    assert attach(gz, True) is not None and (tmp_path / "syria-gazetteer").exists()
    monkeypatch.setenv("GAZETTEER_CURATION", "off")
    assert configured_location() is None


def test_api_keys_are_stored_hashed_and_revocable(curated):
    cur = curated.curation
    key, secret = cur.create_key("alice", "editor")
    assert cur.authenticate(secret).name == "alice" and key.role == "editor"
    assert cur.authenticate(secret + "x") is None
    assert all(secret not in str(k) for k in cur.store.keys())
    with pytest.raises(Refused):
        cur.create_key("alice", "editor")
    with pytest.raises(Refused):
        cur.create_key("bob", "owner")
    assert cur.revoke_key("alice") and cur.authenticate(secret) is None


def test_batch_sees_the_overlay(curated):
    from gazetteer.batch import geocode_csv

    curated.curation.add_alias("C1015", ALIAS, **WHO)
    out = io.BytesIO()
    geocode_csv(f"name\n{ALIAS}\n".encode(), out, gazetteer=curated, workers=1, column="name")
    row = out.getvalue().decode("utf-8").splitlines()[1]
    assert ",C1015," in row


def test_attaching_another_store_takes_the_first_overlay_off(curated, tmp_path):
    curated.curation.add_alias("C1015", ALIAS, **WHO)
    attach(curated, str(tmp_path / "second.sqlite3"))
    assert ALIAS not in curated.get("C1015").alt_ar and curated.curation.log() == []
