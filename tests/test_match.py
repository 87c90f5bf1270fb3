"""Name similarity and confidence: the pieces of the matcher, on hand-made names."""
import pytest

from gazetteer.index import NameEntry, QueryKey
from gazetteer.match import fine_consonant_disagreement, name_quality, name_similarity, posterior
from gazetteer.normalize import has_arabic, name_key


def entry(name: str) -> NameEntry:
    key = name_key(name)
    q = QueryKey.of(key, has_arabic(name))
    return NameEntry(0, name, key, q.skel, q.sorted_skel, q.arabic, q.phonetic, q.fine, 0.0)


def query(text: str) -> QueryKey:
    return QueryKey.of(name_key(text), has_arabic(text))


@pytest.mark.parametrize("arabic, right, wrong", [
    ("أم الكيف", "Um Elkeif", "Um Kheif"),  # ك k, not خ kh
    ("خربة الجوز", "Kherbet Eljoz", "Kerbet Eljoz"),
    ("قرية", "Qaryeh", "Kharyeh"),
    ("غرناطة", "Gharnata", "Jarnata"),  # غ gh, not ج j
])
def test_fine_consonants_break_cross_script_ties(arabic, right, wrong):
    q = query(arabic)
    assert name_similarity(q, entry(right)) > name_similarity(q, entry(wrong))
    # and the same the other way round, a Latin query against Arabic names
    assert name_similarity(query(right), entry(arabic)) > name_similarity(query(wrong), entry(arabic))


@pytest.mark.parametrize("query_name, right, wrong", [
    ("Qarati", "Qaratiyeh", "Kharatiyeh"), ("Thawra", "Thawreh", "Tawreh"),
])
def test_fine_consonants_break_latin_ties_too(query_name, right, wrong):
    q = query(query_name)
    assert name_similarity(q, entry(right)) > name_similarity(q, entry(wrong))


@pytest.mark.parametrize("arabic, latin", [
    ("قارة", "Kara"),  # ق written k: a common, cheap disagreement
    ("جرابلس", "Garablus"),  # g for ج
])
def test_usual_confusions_cost_little(arabic, latin):
    assert 0 < fine_consonant_disagreement(query(arabic), entry(latin)) <= 0.3


def test_skeletons_of_other_lengths_are_not_aligned():
    assert fine_consonant_disagreement(query("خان طومان"), entry("Khan")) == 0.0


def test_same_key_is_certain_and_other_script_is_not():
    assert name_similarity(query("Khan Tuman"), entry("Khan Tuman")) == 1.0
    assert 0.8 < name_similarity(query("خان طومان"), entry("Khan Tuman")) < 1.0


def test_posterior_is_a_distribution_ordered_like_the_scores():
    probs = posterior([2.0, 1.0, -3.0])
    assert sum(probs) == pytest.approx(1.0)
    assert probs[0] > probs[1] > probs[2]


@pytest.mark.parametrize("sim, quality", [(1.0, 1.0), (0.6, 0.0), (0.4, 0.0), (0.8, 0.5)])
def test_name_quality(sim, quality):
    assert name_quality(sim) == pytest.approx(quality)



def test_areas_that_share_a_name_are_the_same_referent(gazetteer):
    from gazetteer.match import same_referent
    by_id = {p.id: p for p in gazetteer.places}
    assert same_referent(by_id["L:qalamoun"], by_id["L:qalamoun_mountains"])
    assert not same_referent(by_id["L:qalamoun"], by_id["L:ghouta"])
    # a village named like a region is still a rival reading of the name
    namesake = by_id["C3841"]  # a village "قلمون": the same key as the region's "القلمون"
    assert namesake.type == "village" and "قلمون" in namesake.names
    assert not same_referent(by_id["L:qalamoun"], namesake)


def test_a_crowded_short_name_is_weaker_evidence():
    from gazetteer.match import CROWDED_NAME_DISCOUNT, crowded_name_factor
    factors = [crowded_name_factor(n) for n in (1, 4, 5, 10, 50, 500)]
    assert factors[:2] == [1.0, 1.0]
    assert factors == sorted(factors, reverse=True) and factors[2] < 1.0
    assert factors[-2] == factors[-1] == pytest.approx(1.0 - CROWDED_NAME_DISCOUNT)


def test_confidence_of_a_crowded_name_is_discounted(gazetteer):
    # "الزر" (Z-R: dozens of places share the two consonants) exactly matches one village,
    # "زر", yet is not reported as sure; a long distinctive name is
    index = gazetteer.index
    crowded = gazetteer.geocode("الزر", exactly_one=True, min_confidence=0)
    assert index.places_sharing_skeleton("ZR") >= 20
    assert crowded.matched_name == "زر" and crowded.confidence < 0.8
    distinctive = gazetteer.geocode("خان شيخون", exactly_one=True)
    assert distinctive.confidence >= 0.8


def test_a_locality_only_geonames_lists_is_less_sure(gazetteer):
    from gazetteer.match import GEONAMES_ONLY_FACTOR, calibrated
    hamlet = next(p for p in gazetteer.places if p.geonames_only and p.name_ar
                  and len(gazetteer.geocode(p.name_ar, limit=5, min_confidence=0)) == 1)
    match = gazetteer.geocode(hamlet.name_ar, exactly_one=True, min_confidence=0)
    assert match.place == hamlet
    assert match.confidence <= calibrated(GEONAMES_ONLY_FACTOR) + 1e-4 < 1.0  # rounded to 4 places


def test_calibration_keeps_the_threshold_and_the_sure_line_and_the_order():
    from gazetteer.match import CALIBRATION_KNEES, calibrated
    low, high = CALIBRATION_KNEES
    assert calibrated(0.0) == 0.0 and calibrated(low) == low
    assert calibrated(high) == pytest.approx(high) and calibrated(1.0) == pytest.approx(1.0)
    xs = [i / 200 for i in range(201)]
    ys = [calibrated(x) for x in xs]
    assert all(a < b for a, b in zip(ys, ys[1:]))  # strictly monotone: the order is kept
    assert all(y >= x for x, y in zip(xs, ys))  # raised, never lowered
    assert all((x < high) == (y < high) and (x < low) == (y < low) for x, y in zip(xs, ys))
