"""The joining rules of the data build (gazetteer/build/merge.py) and the source readers they use."""
from __future__ import annotations

import struct

import pytest

from gazetteer.build.merge import (NearIndex, Pair, SourceJoins, add_name, assign_one_to_one,
                                   best_similarity, candidate_pairs, site_core)
from gazetteer.build.osm_iom import gpkg_point
from gazetteer.build.sites import label_names, map_type, refined_type
from gazetteer.build.wof import kurdish_to_arabic, locality_names, read_localities


def test_one_to_one_never_merges_two_villages_into_one():
    # two GeoNames records near one OCHA village: only the better one joins it
    pairs = [Pair(0.9, a=0, b=0, km=0.2, similarity=0.95), Pair(0.8, a=1, b=0, km=0.5, similarity=0.9)]
    chosen, lost = assign_one_to_one(pairs)
    assert set(chosen) == {0} and chosen[0].b == 0
    assert [p.a for p in lost] == [1]


def test_one_to_one_never_splits_a_village():
    # one GeoNames record near two OCHA villages: it joins one of them only
    pairs = [Pair(0.9, a=0, b=0, km=0.3, similarity=0.95), Pair(0.85, a=0, b=1, km=0.4, similarity=0.9)]
    chosen, lost = assign_one_to_one(pairs)
    assert len(chosen) == 1 and chosen[0].b == 0 and lost == []


def test_candidates_need_both_distance_and_agreeing_names():
    villages = NearIndex([(36.0, 37.0), (36.0, 37.3)])
    names = [["Kafr Nabl"], ["Tal Rifaat"]]
    pairs = candidate_pairs([(36.005, 37.0), (36.0, 37.3), (36.5, 37.0)],
                            [["كفر نبل"], ["Kafr Nabl"], ["Kafr Nabl"]], villages, names)
    assert [(p.a, p.b) for p in pairs] == [(0, 0)]  # same name across scripts, 0.6 km away


def test_similarity_across_scripts_and_spellings():
    assert best_similarity(["Qamishli"], ["القامشلي"]) >= 0.9
    assert best_similarity(["Khan Shaykhun"], ["Khan Sheikhoun"]) >= 0.9
    assert best_similarity(["Tal Rifaat"], ["Kafr Nabl"]) < 0.5


def test_site_core_drops_the_words_that_say_what_kind_of_site():
    assert site_core("Kuweires Airbase") == site_core("Kuweires Military Air Base") != ""
    assert site_core("Tishrin Dam") != site_core("Baath Dam")


def test_add_name_keeps_the_primary_and_records_the_source():
    row = {"name_ar": "", "name_en": "Ain Al Arab", "alt_ar": "", "alt_en": "", "_name_sources": {}}
    assert add_name(row, "عين العرب", "osm:node/1")
    assert row["name_ar"] == "عين العرب"  # the first Arabic name becomes the primary one
    assert add_name(row, "Kobani", "geonames:1:und") and row["alt_en"] == "Kobani"
    assert not add_name(row, "kobani", "x")  # case-insensitive for Latin
    assert not add_name(row, "Кобани", "x")  # other scripts are not kept
    assert row["_name_sources"] == {"عين العرب": "osm:node/1", "Kobani": "geonames:1:und"}


def _town(pid, name, lat, lon, imp):
    return {"id": pid, "name_en": name, "name_ar": "", "alt_en": "", "alt_ar": "", "lat": str(lat),
            "lon": str(lon), "importance": str(imp), "_name_sources": {}}


def test_a_who_s_on_first_label_naming_another_town_far_away_is_dropped():
    joins = SourceJoins()
    joins.report = []
    kobani = _town("C1946", "Ain Al Arab", 36.89, 38.35, 0.8)
    add_name(kobani, "Kobani", "geonames:172256:und")
    afrin = _town("C1366", "Afrin", 36.51, 36.87, 0.8)
    add_name(afrin, "Efrîn", "whosonfirst:890436241:kur")
    add_name(afrin, "Kobanî", "whosonfirst:890436241:fra")  # WOF's French label: wrong town
    near = _town("C9999", "Kobani Camp", 36.88, 38.36, 0.3)
    add_name(near, "Kobani", "whosonfirst:1:eng")  # within 20 km: may be the same place
    assert joins.drop_labels_of_other_towns([kobani, afrin, near]) == 1
    assert afrin["alt_en"] == "Efrîn" and "Kobanî" not in afrin["_name_sources"]
    assert near["alt_en"] == "Kobani" and kobani["alt_en"] == "Kobani"
    assert [(r["id"], r["kind"]) for r in joins.report] == [("C1366", "name")]


def test_the_script_of_a_name_decides_not_its_language_tag():
    ar, latin = locality_names({"name:ara_x_preferred": ["Qāsim"], "name:ara_x_variant": ["جاسم"],
                                "name:heb_x_preferred": ["קאסים"], "name:pol_x_preferred": ["Kasim"],
                                "name:und_x_variant": ["hlb", "Jasim"]})
    assert [n for n, _ in ar] == ["جاسم"]
    assert [n for n, _ in latin] == ["Qāsim", "Jasim"]  # no Hebrew, no Polish, no lower-case junk


def test_sorani_kurdish_in_arabic_letters():
    assert kurdish_to_arabic("کۆبانێ") == "كوباني"
    assert kurdish_to_arabic("عەفرین") == "عفرين"


def test_war_map_labels():
    assert label_names("Tell Abyad (Girê Sipî)") == ("Tell Abyad", "Girê Sipî")
    assert label_names("Aleppo International Airport & Nayrab Airbase") == (
        "Aleppo International Airport", "Nayrab Airbase")
    assert label_names("Tilifê airbase (780m-airstrip)") == ("Tilifê airbase",)
    assert map_type("m.gov_air") == "airbase" and map_type("m.SDF") == "settlement"
    assert map_type("m.IS_oil") == "oil field" and map_type("BSicon STRlg red.svg") == "dam"
    assert map_type("Rif_Aleppo2.svg") is None
    assert refined_type("base", "Army checkpoint") == "checkpoint"


def test_geopackage_point():
    wkb = struct.pack("<BIdd", 1, 1, 37.22, 36.08)
    blob = b"GP" + bytes([0, 0b0000_0001]) + struct.pack("<i", 4326) + wkb
    assert gpkg_point(blob) == (37.22, 36.08)
    with_envelope = b"GP" + bytes([0, 0b0000_0011]) + struct.pack("<i", 4326) + bytes(32) + wkb
    assert gpkg_point(with_envelope) == (37.22, 36.08)
    assert gpkg_point(None) is None and gpkg_point(b"XX") is None


def test_reader_skips_what_is_not_a_current_syrian_place(tmp_path):
    import json

    recs = [
        {"wof:placetype": "locality", "wof:id": 1, "gn:feature_code": "STLMT", "lat": 33.0, "lon": 35.8,
         "name:eng_x_preferred": ["Qidmat Zevi"]},
        {"wof:placetype": "locality", "wof:id": 2, "gn:feature_code": "PPL", "lat": 36.0, "lon": 37.0,
         "edtf:deprecated": "2024-01-01", "name:eng_x_preferred": ["Old"]},
        {"wof:placetype": "locality", "wof:id": 3, "gn:feature_code": "PPL", "lat": 36.0, "lon": 37.0,
         "wof:superseded_by": [9], "name:eng_x_preferred": ["Older"]},
        {"wof:placetype": "locality", "wof:id": 4, "gn:feature_code": "PPLX", "gn:geonameid": 44, "lat": 36.2,
         "lon": 37.1, "name:ara_x_preferred": ["الشعار"], "name:eng_x_preferred": ["Al Shaar"]},
    ]
    path = tmp_path / "wof.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in recs), encoding="utf-8")
    localities, skipped = read_localities(path)
    assert [loc.wof_id for loc in localities] == [4] and localities[0].source == "geonames:44"
    assert sum(skipped.values()) == 3


@pytest.mark.parametrize("a,b", [("Kobani", "Kobanî")])
def test_names_fold_alike(a, b):
    assert best_similarity([a], [b]) == 1.0


def test_links_and_spreadsheet_escapes_are_not_names():
    from gazetteer.build.names import NameSet, clean
    assert clean("Qudsiya_x000D_") == "Qudsiya"
    row = {"name_ar": "قطرة", "name_en": "Qatra", "alt_ar": "", "alt_en": ""}
    assert not add_name(row, "http://en.wikipedia.org/wiki/Qatra,_Idlib", "geonames:1")
    assert add_name(row, "Qatrah", "geonames:1") and row["alt_en"] == "Qatrah"
    names = NameSet("test")
    names.add("https://example.org/Qatra")
    names.add("Qatra")
    assert names.en == ["Qatra"]
    assert locality_names({"name:und_x_variant": ["http://en.wikipedia.org/wiki/Qatra,_Idlib",
                                                   "Qatrah"]})[1] == [("Qatrah", "und")]


def test_a_name_that_says_another_admin_level_is_recognised():
    from gazetteer.build.merge import _rest_of_another_type
    from gazetteer.lexicon import type_words

    words = type_words()
    assert _rest_of_another_type("محافظة إدلب", "city", words) == "إدلب"
    assert _rest_of_another_type("مدينة إدلب", "district", words) == "إدلب"
    assert _rest_of_another_type("Idlib District", "city", words) == "Idlib"
    assert _rest_of_another_type("ناحية حرير", "village", words) == "حرير"
    # a type word that is part of the name stays: camps, farms, a city's own "city"
    assert _rest_of_another_type("مخيم اليرموك", "town", words) is None
    assert _rest_of_another_type("Mazra'at al 'Uyun", "hamlet", words) is None
    assert _rest_of_another_type("مدينة إدلب", "city", words) is None
    assert _rest_of_another_type("محافظة إدلب", "governorate", words) is None


def test_city_and_district_names_in_the_built_data(gazetteer):
    by_id = {p.id: p for p in gazetteer.index.places}
    assert "محافظة إدلب" not in by_id["C3871"].alt_ar
    assert "مدينة إدلب" not in by_id["SY0700"].alt_ar
    # so running text that writes "مدينة إدلب" names the city, by its cue word
    assert [m.place.id for m in gazetteer.parse("تحلق طائرة فوق مدينة إدلب")] == ["C3871"]
