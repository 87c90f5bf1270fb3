"""The displacement camps of the curated supplement: found by their names with the type word,
in text with the type word in the span, and never by the bare word alone."""
from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from gazetteer.match import haversine_km

SUPPLEMENT = Path(__file__).resolve().parent.parent / "data" / "curated" / "landmarks_supplement.csv"

# (id, Arabic name, English name): each camp added from cited news and humanitarian pages.
CAMPS = [
    ("washokani_camp", "مخيم واشوكاني", "Washokani camp"),
    ("serekaniye_camp", "مخيم سري كانيه", "Serekaniye camp"),
    ("roj_camp", "مخيم روج", "Roj camp"),
    ("newroz_camp", "مخيم نوروز", "Newroz camp"),
    ("mabrouka_camp", "مخيم مبروكة", "Mabrouka camp"),
    ("abu_khashab_camp", "مخيم أبو خشب", "Abu Khashab camp"),
    ("qah_camp", "مخيم قاح", "Qah camp"),
    ("zogra_camp", "مخيم زوغرة", "Zogra camp"),
    ("berxwedan_camp", "مخيم برخدان", "Berxwedan camp"),
    ("serdem_camp", "مخيم سردم", "Serdem camp"),
    ("tuwayhina_camp", "مخيم الطويحينة", "Tuwayhina camp"),
]
CAMP_IDS = {camp_id for camp_id, _, _ in CAMPS}


@pytest.fixture(scope="module")
def camp_rows():
    with open(SUPPLEMENT, encoding="utf-8", newline="") as f:
        return {r["id"]: r for r in csv.DictReader(f) if r["id"] in CAMP_IDS}


def curated_point(camp_rows, camp_id):
    row = camp_rows[camp_id]
    return float(row["lat"]), float(row["lon"])


@pytest.mark.parametrize("camp_id, name_ar, name_en", CAMPS)
@pytest.mark.parametrize("script", ["ar", "en"])
def test_camp_name_finds_the_camp_near_its_curated_point(gazetteer, camp_rows, camp_id, name_ar, name_en, script):
    query = name_ar if script == "ar" else name_en
    matches = gazetteer.geocode(query)
    assert matches, f"{query!r} found nothing"
    top = matches[0].place
    assert top.id == "L:" + camp_id and top.type == "camp", [(m.place.id, m.confidence) for m in matches]
    assert haversine_km(top.lat, top.lon, *curated_point(camp_rows, camp_id)) <= 2.0


@pytest.mark.parametrize("camp_id", sorted(CAMP_IDS))
def test_camp_point_is_the_point_of_the_place_its_notes_name(gazetteer, camp_rows, camp_id):
    """Each camp is a PROXY at the gazetteer point of the village, town or quarter a cited page
    places it in; the notes name that place's id, and the row's point is that place's point."""
    row = camp_rows[camp_id]
    assert row["notes"].startswith("PROXY: at ")
    assert all(url.startswith("http") for url in row["source"].split(";"))
    host_id = re.search(r"\b(?:OCHA|GeoNames) ([CNG]\d+)\b", row["notes"]).group(1)
    host = gazetteer.get(host_id)
    assert host is not None, host_id
    assert haversine_km(host.lat, host.lon, *curated_point(camp_rows, camp_id)) < 0.01


@pytest.mark.parametrize("camp_id", sorted(CAMP_IDS))
def test_camp_names_all_carry_the_type_word(camp_rows, camp_id):
    """A camp named after a common word (روج, نوروز) or a town must not be found by that word
    alone: every name and variant says "مخيم" / "camp" (or Kurmanji "Kampa")."""
    row = camp_rows[camp_id]
    names = [row["name_ar"], row["name_en"], *row["variants"].split("|")]
    for name in names:
        assert re.search(r"مخيم|\bcamps?\b|\bKampa\b", name, re.IGNORECASE), name


# Bare words that name a camp only with the type word: the camp is never the answer.
@pytest.mark.parametrize("word", ["روج", "نوروز", "Newroz", "قاح", "أبو خشب", "الطلائع", "سري كانيه", "Serekaniye"])
def test_bare_word_is_not_the_camp(gazetteer, word):
    assert all(m.place.type != "camp" for m in gazetteer.geocode(word)), word


# Sentences written for this test: the camp is found and its span includes the type word.
TEXTS = [
    ("قصف صاروخي طال مخيم قاح في ريف إدلب الشمالي ليلة أمس", "qah_camp", "مخيم قاح"),
    ("وصلت عشرات العائلات إلى مخيم واشوكاني غرب مدينة الحسكة", "washokani_camp", "مخيم واشوكاني"),
    ("نقلت الإدارة عائلات من مخيم الهول إلى مخيم روج في ريف المالكية", "roj_camp", "مخيم روج"),
    ("يعاني النازحون في مخيم نوروز قرب ديرك من نقص الكهرباء", "newroz_camp", "مخيم نوروز"),
    ("حريق في خيام مخيم سري كانيه شرقي الحسكة", "serekaniye_camp", "مخيم سري كانيه"),
    ("قصف طال مخيم زوغرة قرب جرابلس في ريف حلب", "zogra_camp", "مخيم زوغرة"),
    ("The Abu Khashab camp in Deir ez-Zor received families from Ain Issa.", "abu_khashab_camp",
     "Abu Khashab camp"),
    ("Families displaced from Afrin live in Serdem camp in Shahba.", "serdem_camp", "Serdem camp"),
    ("نقلت الإدارة نازحي مخيم الطويحينة إلى مخيم المحمودلي", "tuwayhina_camp", "مخيم الطويحينة"),
]


@pytest.mark.parametrize("text, camp_id, type_word_span", TEXTS)
def test_parse_finds_the_camp_with_its_type_word(gazetteer, text, camp_id, type_word_span):
    mentions = [m for m in gazetteer.parse(text) if m.place.id == "L:" + camp_id]
    assert mentions, [(m.surface, m.place.id) for m in gazetteer.parse(text)]
    assert type_word_span in mentions[0].surface, mentions[0].surface
