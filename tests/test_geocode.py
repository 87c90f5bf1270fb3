"""The resolver API on the bundled gazetteer: a corpus of query → answer, then behaviour."""
import math

import pytest

from gazetteer import Gazetteer, GazetteerError, Match, QueryError
from gazetteer.geojson import feature_collection
from gazetteer.match import (CALIBRATION_KNEES, CALIBRATION_POWERS, QUALIFIER_MISS_FACTOR, TYPE_MISS_FACTOR,
                             calibrated)

# Every example the matcher's brief names, and the failure kinds it lists.
CORPUS = [
    # one place, many spellings
    ("خان طومان", "C1015"), ("Khan Tuman", "C1015"), ("Khan Touman", "C1015"),
    ("خان-طومان", "C1015"), ("بخان طومان", "C1015"),
    ("Deir ez-Zor", "C5086"), ("Dayr az Zawr", "C5086"), ("Deir Ezzor", "C5086"),
    ("Der Zor", "C5086"), ("دير الزور", "C5086"), ("Khan Shaykhun", "C3987"), ("خان شيخون", "C3987"),
    ("Tell Rifaat", "C1621"), ("تل رفعت", "C1621"), ("Kafr Nabl / Kafranbel", "C4068"),
    ("Maarat al-Numan", "C3985"), ("معرةالنعمان", "C3985"), ("Saraqib", "C3916"),
    ("Palmyra", "C2889"), ("Qamishli", "C4564"), ("Raqqa", "C5710"), ("الرقة", "C5710"),
    ("والرقة", "C5710"), ("Sheikh Maqsoud", "N0123"), ("الشيخ مقصود", "N0123"),
    # type words in either script, "قريه" with ه
    ("مخيم حندرات", "L:ein_el_tal_camp"), ("Yarmouk camp", "L:yarmouk_camp"),
    ("مخيم اليرموك", "L:yarmouk_camp"), ("قريه يحمول", "C1571"), ("قرية يحمول", "C1571"),
    ("Yahmul village", "C1571"), ("Kuweires Military Air Base", "L:kuweires_airbase"),
    ("مطار التيفور", "L:tiyas_airbase"), ("معبر باب الهوى", "L:bab_al_hawa_crossing"),
    ("Bidama nahiyah", "SY070401"), ("Jableh mantiqah", "SY0602"), ("جبل الأكراد", "L:jabal_al_akrad"),
    ("Rural Damascus", "SY03"), ("ريف دمشق", "SY03"),
    # qualifiers after a comma, in parentheses, "countryside of"
    ("Fteih, Jableh District", "C3591"), ("الفتيح, منطقة جبلة", "C3591"),
    ("Tal Yasti countryside of Manbij, Aleppo", "C1676"), ("Asaliyeh, Manbij", "C1678"),
    ("Douma, eastern Ghouta", "C2338"), ("Sidnaya, Rural Damascus", "C2404"),
    # OCHA names that translate part of the Arabic
    ("Big Majra", "C2235"), ("مجرى كبير", "C2235"), ("Little Majra", "C2239"),
    ("Western Ghariyeh", "C6010"), ("الغارية الغربية", "C6010"),
    ("Upper Nasriyeh", "C1842"), ("الناصرية فوقاني", "C1842"), ("Nasriyeh Fawqani", "C1842"),
    ("Little Orm", "C1027"), ("أورم الصغرى", "C1027"),
    ("Old Maadan", "C5138"), ("Maadan Qadim", "C5138"), ("معدان القديمة", "C5138"),
    # "X countryside" / "ريف X" / "X province" is the governorate
    ("Aleppo countryside", "SY02"), ("ريف حماة", "SY05"), ("Idlib province", "SY07"),
    # very short names
    ("Fah", "C1137"),
    # a head whose last word is in the construct state ("Madamiyet" of "Madamiyet Elsham")
    ("معضمية الشام", "C2499"), ("Moadamiyet al-Sham", "C2499"),
    # a bare name means the town, not the admin unit named after it
    ("Aleppo", "C1007"), ("حلب", "C1007"), ("Idlib", "C3871"), ("Afrin", "C1366"),
]


@pytest.mark.parametrize("query, expected", CORPUS)
def test_corpus(gazetteer, query, expected):
    matches = gazetteer.geocode(query)
    assert matches, f"{query!r} found nothing"
    assert matches[0].place.id == expected, [(m.place.id, m.place.name_en, m.confidence) for m in matches]


@pytest.mark.parametrize("query", ["xyzzy qwerty", "بيروت", "Jabal Qwxzpt", "camp", "مخيم", "123", "😀"])
def test_not_found_is_an_empty_answer(gazetteer, query):
    assert gazetteer.geocode(query) == []
    assert gazetteer.geocode(query, exactly_one=True) is None


def test_exactly_one_returns_the_best_match(gazetteer):
    m = gazetteer.geocode("Khan Tuman", exactly_one=True)
    assert isinstance(m, Match) and m.place.id == "C1015"
    assert m.place.name_ar == "خان طومان"
    assert m.place.admin1.pcode == "SY02" and m.place.admin3.pcode == "SY020000"


def test_match_is_immutable_and_keeps_the_raw_row(gazetteer):
    m = gazetteer.geocode("Khan Tuman", exactly_one=True)
    with pytest.raises(AttributeError):
        m.confidence = 0.1
    assert m.place.raw["id"] == "C1015"
    with pytest.raises(TypeError):
        m.place.raw["id"] = "X"


def test_a_bare_ambiguous_name_says_so(gazetteer):
    # Frikeh is a village in Hama and another in Idleb: the answer is flagged ambiguous with a
    # confidence well below certainty, and the alternative is offered.
    matches = gazetteer.geocode("Frikeh", min_confidence=0.0)
    ids = {m.place.id for m in matches}
    assert {"C3182", "C4219"} <= ids
    assert matches[0].ambiguous
    assert matches[0].confidence < 0.7


def test_a_qualifier_resolves_the_ambiguity(gazetteer):
    hama = gazetteer.geocode("Frikeh, Hama", exactly_one=True)
    idleb = gazetteer.geocode("Frikeh, Idleb", exactly_one=True)
    assert hama.place.admin1.pcode == "SY05" and idleb.place.admin1.pcode == "SY07"
    assert hama.confidence > gazetteer.geocode("Frikeh", exactly_one=True, min_confidence=0).confidence


def uncalibrated(confidence: float) -> float:
    """The inverse of ``match.calibrated`` (the confidence before the map)."""
    (low, high), (mid, top) = CALIBRATION_KNEES, CALIBRATION_POWERS
    if confidence <= low:
        return confidence
    if confidence < high:
        return low + (high - low) * ((confidence - low) / (high - low)) ** (1 / mid)
    return high + (1.0 - high) * ((confidence - high) / (1.0 - high)) ** (1 / top)


@pytest.mark.parametrize("x", [0.0, 0.2, 0.3, 0.31, 0.5, 0.79, 0.8, 0.9, 1.0])
def test_uncalibrated_is_the_inverse_of_the_calibration(x):
    assert uncalibrated(calibrated(x)) == pytest.approx(x)


@pytest.mark.parametrize("query, wrong_area", [
    ("Khan Tuman, Hama", "hama"), ("Saraqib, Deir ez-Zor", "deir ez zor"),
    ("Sheikh Maqsoud, Idlib", "idlib"),
])
def test_a_place_outside_the_named_area_is_answered_without_confidence(gazetteer, query, wrong_area):
    right_area = gazetteer.geocode(query.split(",")[0], exactly_one=True)
    m = gazetteer.geocode(query, exactly_one=True, min_confidence=0.0)
    assert m.place.id == right_area.place.id  # the name is still the best reading ...
    assert f"not in {wrong_area}" in m.reasons
    # ... but not a sure one: the factor applies before the confidence is calibrated
    assert m.confidence <= calibrated(QUALIFIER_MISS_FACTOR * uncalibrated(right_area.confidence)) + 1e-3
    assert m.confidence < 0.8


@pytest.mark.parametrize("query, bare", [("حي خان طومان", "خان طومان"), ("Saraqib camp", "Saraqib")])
def test_a_place_of_another_type_than_asked_is_answered_with_less_confidence(gazetteer, query, bare):
    plain = gazetteer.geocode(bare, exactly_one=True)
    m = gazetteer.geocode(query, exactly_one=True, min_confidence=0.0)
    assert m.place.id == plain.place.id
    assert any(r.startswith("type word asks for") for r in m.reasons)
    assert m.confidence <= calibrated(TYPE_MISS_FACTOR * uncalibrated(plain.confidence)) + 1e-3


def test_admin1_filter(gazetteer):
    m = gazetteer.geocode("Frikeh", admin1="Idleb", exactly_one=True)
    assert m.place.admin1.pcode == "SY07"
    m = gazetteer.geocode("Frikeh", admin1="SY05", exactly_one=True)
    assert m.place.admin1.pcode == "SY05"
    m = gazetteer.geocode("فريكة", admin1="حماة", exactly_one=True, min_confidence=0)
    assert m is not None and m.place.admin1.pcode == "SY05"


def test_types_filter(gazetteer):
    matches = gazetteer.geocode("Yarmouk", types=["camp"])
    assert matches and all(m.place.type == "camp" for m in matches)


def test_confidences_are_probabilities_best_first(gazetteer):
    for q in ["Aleppo", "Frikeh", "Tiba", "الزارة", "Khan Touman"]:
        matches = gazetteer.geocode(q, limit=5, min_confidence=0.0)
        assert all(0.0 <= m.confidence <= 1.0 for m in matches)
        assert [m.score for m in matches] == sorted((m.score for m in matches), reverse=True)


def test_limit(gazetteer):
    assert len(gazetteer.geocode("Tiba", limit=3, min_confidence=0)) == 3
    assert len(gazetteer.geocode("Tiba", limit=1, min_confidence=0)) == 1


@pytest.mark.parametrize("bad", ["", "   ", None, 5, "x" * 1000])
def test_bad_queries(gazetteer, bad):
    with pytest.raises(QueryError):
        gazetteer.geocode(bad)


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": "3"}, {"admin1": "Narnia"},
                                    {"types": ["castle"]}])
def test_bad_options(gazetteer, kwargs):
    with pytest.raises(QueryError):
        gazetteer.geocode("Aleppo", **kwargs)
    with pytest.raises(GazetteerError):
        gazetteer.geocode("Aleppo", **kwargs)


def test_feature_collection_is_rfc7946(gazetteer):
    fc = feature_collection(gazetteer.geocode("Khan Tuman"), id="q1")
    assert fc["type"] == "FeatureCollection" and fc["id"] == "q1"
    f = fc["features"][0]
    lon, lat = f["geometry"]["coordinates"]
    assert math.isclose(lat, 36.118, abs_tol=0.01) and math.isclose(lon, 37.051, abs_tol=0.01)
    props = f["properties"]
    assert props["id"] == "C1015" and props["type"] == "village"
    for level in ("admin1", "admin2", "admin3"):
        assert set(props[level]) == {"pcode", "name_en", "name_ar"}
    assert 0 <= props["confidence"] <= 1


def test_load_rejects_missing_data(tmp_path):
    with pytest.raises(GazetteerError):
        Gazetteer.load(tmp_path / "nope.csv")


def test_parenthesised_qualifier_is_not_taken_for_the_name(gazetteer):
    m = gazetteer.geocode("al-Hamidiyah (Homs)", exactly_one=True)
    assert m is not None and m.place.admin1.pcode == "SY04" and m.place.id != "C2528"


def test_an_unknown_spot_is_answered_by_the_village_it_lies_in(gazetteer):
    m = gazetteer.geocode("Al-Sayed Alyed in Hatla village", exactly_one=True)
    assert m is not None and m.place.id == "N0417"
    assert m.confidence < 0.7 and any("not found" in r for r in m.reasons)
    # ... but never by a governorate or a city named as a qualifier
    assert gazetteer.geocode("Xyzzy Qwerty, Aleppo") == []


@pytest.mark.parametrize("query", ["city centre of Tal Rifaat", "near Tal Rifaat", "outskirts of Tal Rifaat"])
def test_leading_fillers(gazetteer, query):
    assert gazetteer.geocode(query, exactly_one=True).place.id == "C1621"


# Kurdish and Turkish names of the north, and the common Latin spellings, each within 5 km of the
# place its Arabic name gives (issue: Gazetteer v2).
NORTHERN_NAMES = [
    ("Kobanî", "عين العرب"), ("Kobani", "عين العرب"), ("Kobane", "عين العرب"), ("كوباني", "عين العرب"),
    ("Serêkaniyê", "رأس العين"), ("Serê Kaniyê", "رأس العين"), ("سري كانيه", "رأس العين"),
    ("Ras al-Ayn", "رأس العين"), ("Ras al-Ain", "رأس العين"),
    ("Qamişlo", "القامشلي"), ("Qamishlo", "القامشلي"), ("Qamishli", "القامشلي"),
    ("Dirbêsiyê", "الدرباسية"), ("Tirbespî", "القحطانية"), ("Girkê Legê", "المعبدة"), ("Dêrik", "المالكية"),
    ("Cindirês", "جنديرس"), ("Cerablus", "جرابلس"), ("Azez", "أعزاز"),
]


@pytest.mark.parametrize("query,arabic", NORTHERN_NAMES)
def test_kurdish_and_turkish_names_of_the_north(gazetteer, query, arabic):
    from gazetteer.match import haversine_km
    from gazetteer.normalize import name_key

    towns = [p for p in gazetteer.places if p.id.startswith("C") and name_key(arabic) in
             {name_key(n) for n in (p.name_ar, *p.alt_ar)}]
    assert towns, arabic
    m = gazetteer.geocode(query, exactly_one=True)
    assert m is not None, query
    assert min(haversine_km(m.place.lat, m.place.lon, t.lat, t.lon) for t in towns) <= 5.0


# Kurdish (Kurmanji Latin, Kurdish and Arabic-media Arabic script) and Turkish names of the district and
# sub-district centres of the north, from data/curated/kurdish_turkish_names.csv and the sources: each
# found within 5 km of the place its Arabic name gives in that governorate (a name like "بلبل" or
# "اليعربية" is also a village elsewhere).
NORTHERN_CENTRES = [
    # Afrin district
    ("Efrîn", "عفرين", "SY02"), ("Cinderes", "جنديرس", "SY02"), ("جندريسة", "جنديرس", "SY02"),
    ("Şiyê", "شيخ الحديد", "SY02"), ("شيه", "شيخ الحديد", "SY02"), ("Şeyh Hadid", "شيخ الحديد", "SY02"),
    ("Mabeta", "معبطلي", "SY02"), ("ماباتا", "معبطلي", "SY02"), ("موباتا", "معبطلي", "SY02"),
    ("Reco", "راجو", "SY02"), ("Raco", "راجو", "SY02"), ("Bilbilê", "بلبل", "SY02"),
    ("Şera", "شران", "SY02"), ("Şeran", "شران", "SY02"),
    ("Basûtê", "باسوطة", "SY02"), ("Birc Ebdalo", "برج عبد الله", "SY02"),
    # Ain al-Arab, Jarablus, Manbij, Azaz, al-Bab districts
    ("Şiyûx", "شيوخ تحتاني", "SY02"), ("Sirrîn", "صرين", "SY02"),
    ("Aynelarap", "عين العرب", "SY02"), ("Arap Pınarı", "عين العرب", "SY02"),
    ("Menbiç", "منبج", "SY02"), ("Münbiç", "منبج", "SY02"), ("Minbic", "منبج", "SY02"),
    ("Tel Rıfat", "تل رفعت", "SY02"), ("Til Rifet", "تل رفعت", "SY02"),
    ("El Bab", "الباب", "SY02"), ("Çobanbey", "الراعي", "SY02"),
    ("Qebasîn", "قباسين", "SY02"), ("Kıbbesin", "قباسين", "SY02"), ("Başköy", "قباسين", "SY02"),
    ("Qibênê", "قباسين", "SY02"), ("Ĥedesê", "حدث", "SY02"), ("Qubeşîĥê", "قبة الشيخ", "SY02"),
    ("Arappınar", "عين العرب", "SY02"), ("Aynularap", "عين العرب", "SY02"), ("Menbic", "منبج", "SY02"),
    # Ras al-Ain and Hasakah districts
    ("Zirgan", "أبو راسين", "SY08"), ("زركان", "أبو راسين", "SY08"), ("Resulayn", "رأس العين", "SY08"),
    ("Rasulayn", "رأس العين", "SY08"),
    ("Hesîçe", "الحسكة", "SY08"), ("Hesekê", "الحسكة", "SY08"), ("حەسیچە", "الحسكة", "SY08"),
    ("حەسەکە", "الحسكة", "SY08"), ("Til Temir", "تل تمر", "SY08"), ("Til Temirê", "تل تمر", "SY08"),
    ("Şeddadê", "الشدادي", "SY08"),
    # Qamishli and Malikiyah districts
    ("Amûdê", "عامودا", "SY08"), ("ئاموودێ", "عامودا", "SY08"), ("Kamışlı", "القامشلي", "SY08"),
    ("Tirbê Spîyê", "القحطانية", "SY08"), ("تربيسبي", "القحطانية", "SY08"), ("تربه سبيه", "القحطانية", "SY08"),
    ("Til Koçer", "اليعربية", "SY08"), ("Girê Koçera", "اليعربية", "SY08"), ("كري كوجرا", "اليعربية", "SY08"),
    ("تل كوجر", "اليعربية", "SY08"), ("Tel Kocher", "اليعربية", "SY08"),
    ("Herwenda", "الجنيدية", "SY08"), ("Girê firîz", "أم حبال", "SY08"),
    ("Çil Axa", "الجوادية", "SY08"), ("ديريك", "المالكية", "SY08"), ("كركي لكي", "المعبدة", "SY08"),
    ("Rimêlan", "حقول الرميلان", "SY08"),
    # Tal Abyad and Tabqa (Raqqa)
    ("Girê Spî", "تل أبيض", "SY11"), ("كري سبي", "تل أبيض", "SY11"), ("Tellebyad", "تل أبيض", "SY11"),
    ("Bozanê", "عين عيسى", "SY11"), ("Tebqa", "الطبقة", "SY11"),
]


@pytest.mark.parametrize("query,arabic,governorate", NORTHERN_CENTRES)
def test_kurdish_and_turkish_names_of_northern_centres(gazetteer, query, arabic, governorate):
    from gazetteer.match import haversine_km
    from gazetteer.normalize import name_key

    places = [p for p in gazetteer.places if p.id[0] in "CG" and p.admin1 and p.admin1.pcode == governorate
              and name_key(arabic) in {name_key(n) for n in (p.name_ar, *p.alt_ar)}]
    assert places, arabic
    m = gazetteer.geocode(query, exactly_one=True)
    assert m is not None, query
    assert min(haversine_km(m.place.lat, m.place.lon, p.lat, p.lon) for p in places) <= 5.0, (query, m.place.id)


def test_an_ambiguous_answer_names_its_rivals(gazetteer):
    best = gazetteer.geocode("Frikeh")[0]  # the rival is below min_confidence, yet named
    assert best.ambiguous and [p.id for p in best.rivals] == ["C3182"]
    rivals = best.to_feature()["properties"]["rivals"]
    assert rivals[0]["id"] == "C3182" and rivals[0]["admin1"] == "SY05"


def test_a_road_named_after_a_city_is_not_its_rival(gazetteer):
    best = gazetteer.geocode("حلب")[0]  # the M5 is "طريق دمشق - حلب"
    assert best.place.id == "C1007" and not best.ambiguous and not best.rivals
    assert best.confidence > 0.9


def test_a_qualifier_in_another_spelling_of_an_admin_unit(gazetteer):
    # "Jindires" (Jandairis), "al Silmiya district" (As-Salamiyeh): spelled otherwise than the
    # data, still the unit; a town spelled nearly so is not taken ("al Tayba" is not Otayba),
    # nor is a generic first word alone ("Tal" of "Tal Mardikh")
    assert "SY020302" in gazetteer._qualifier_area("jindires").pcodes
    assert "SY0503" in gazetteer._qualifier_area("al silmiya").pcodes
    assert gazetteer._qualifier_area("al tayba") is None
    assert gazetteer._qualifier_area("tal mardikh") is None
    soha = gazetteer.geocode("Soha, al Silmiya district", exactly_one=True)
    assert soha.place.admin2.pcode == "SY0503"


def test_a_region_qualifier_holds_the_admin_units_it_spans(gazetteer):
    # the Syrian Desert is defined by the districts it spans (Al Mayadin among them); its
    # representative point lies 110 km from Mayadin
    best = gazetteer.geocode("Mayadin, Syrian Desert", exactly_one=True)
    assert best is not None and best.place.admin2.pcode == "SY0903"
    assert any(r.startswith("lies in") for r in best.reasons), best.reasons


def test_the_great_rivers_and_the_desert_are_places(gazetteer):
    for query, place in [("نهر الفرات", "L:euphrates"), ("Orontes", "L:orontes"),
                         ("البادية السورية", "L:syrian_desert")]:
        best = gazetteer.geocode(query, exactly_one=True)
        assert best is not None and best.place.id == place, (query, best)
