"""The matcher's shortcuts give exactly what the plain formulas give.

``name_similarity`` skips work that cannot change its answer (the skeleton distances of two
names with one skeleton, the generic-head test of a query without one, the fine-consonant
comparison of equal fine keys); ``within_km`` skips the haversine for points further apart in
latitude alone.  The references below are the formulas written out plainly, as they were
before the shortcuts; the answers must be equal, not close.
"""
import random

from hypothesis import given, settings, strategies as st
from rapidfuzz import fuzz
from rapidfuzz.distance import Indel

from gazetteer import match
from gazetteer.index import NameEntry, QueryKey
from gazetteer.lexicon import generic_heads
from gazetteer.match import haversine_km, name_similarity, within_km
from gazetteer.normalize import has_arabic, name_key, name_key_variants


def reference_similarity(q: QueryKey, entry: NameEntry) -> float:
    if q.key == entry.key:
        return 1.0
    sim = _reference(q, entry)
    head = _reference_head(q, entry)
    if head:
        sim = min(sim, 0.4 + 0.6 * match.skeleton_similarity(q.skel[head:], entry.skel[head:]) ** 2)
    return sim


def _reference(q, entry):
    skel_sim = max(match.skeleton_similarity(q.skel, entry.skel),
                   0.97 * match.skeleton_similarity(q.sorted_skel, entry.sorted_skel))
    short = min(len(q.skel), len(entry.skel)) <= match.SHORT_SKELETON
    if q.arabic == entry.arabic:
        if q.arabic:
            text_sim = fuzz.ratio(q.key, entry.key) / 100.0
        else:
            phon = fuzz.ratio(q.phonetic, entry.phonetic) / 100.0
            text_sim = max(match.PHONETIC_CEILING * phon,
                           match.PHONETIC_CEILING * (0.5 * phon + 0.5 * skel_sim))
        sim = max(text_sim, match.SAME_SCRIPT_SKELETON_CEILING * skel_sim)
        if short and text_sim < match.PHONETIC_CEILING:
            sim *= 0.85
        if not q.arabic:
            sim -= match.LATIN_FINE_CONSONANT_WEIGHT * match.fine_consonant_disagreement(q, entry)
        return sim
    vowels = Indel.normalized_similarity(q.phonetic, entry.phonetic)
    sim = skel_sim * (match.CROSS_SCRIPT_BASE + match.CROSS_SCRIPT_VOWELS * vowels)
    if short:
        sim *= 0.85 + 0.15 * vowels ** 2
    return sim - match.FINE_CONSONANT_WEIGHT * match.fine_consonant_disagreement(q, entry)


def _reference_head(q, entry):
    qw, ew = q.key.split(" ", 1), entry.key.split(" ", 1)
    if len(qw) < 2 or len(ew) < 2 or qw[0] != ew[0] or qw[0] not in generic_heads():
        return 0
    n = len(match.head_skeleton(qw[0]))
    return n if q.skel[:n] == entry.skel[:n] and len(q.skel) > n and len(entry.skel) > n else 0


def as_entry(q: QueryKey) -> NameEntry:
    return NameEntry(0, q.key, q.key, q.skel, q.sorted_skel, q.arabic, q.phonetic, q.fine, 0.0)


def keys_of(name: str) -> list[QueryKey]:
    return [QueryKey.of(k, has_arabic(name)) for k in name_key_variants(name)]


# Names like the gazetteer's: generic heads, articles, consonants that share a skeleton class
latin_word = st.sampled_from(["tal", "kafr", "jabal", "khirbet", "al", "el", "tuman", "touman",
                              "thawra", "tawra", "qarati", "kharati", "zara", "sara", "hama",
                              "hamah", "ain", "deir", "zor", "zour", "ghabra", "jobar", "joubar"])
arabic_word = st.sampled_from(["تل", "كفر", "عين", "خان", "طومان", "الزارة", "زارة", "سارة",
                               "حماة", "قارة", "غرناطة", "جرناطة", "الثورة", "التورة", "دير"])
name = st.one_of(st.lists(latin_word, min_size=1, max_size=3).map(" ".join),
                 st.lists(arabic_word, min_size=1, max_size=3).map(" ".join))


@given(name, name)
@settings(max_examples=600, deadline=None)
def test_name_similarity_equals_the_plain_formula(a, b):
    for q in keys_of(a):
        for e in keys_of(b):
            assert name_similarity(q, as_entry(e)) == reference_similarity(q, as_entry(e))


def test_name_similarity_equals_the_plain_formula_on_the_gazetteer(gazetteer):
    """Queries made of the gazetteer's own names (and a letter changed), against every name of
    their skeleton and some others: the pairs the matcher compares."""
    index = gazetteer.index
    rng = random.Random(13)
    compared = 0
    for entry in rng.sample(index.entries, 300):
        text = entry.name if rng.random() < 0.5 else entry.name[:-1] + "a"
        for q in keys_of(text):
            others = [index.entries[i] for i in index.by_skel.get(q.skel, ())[:50]]
            others += rng.sample(index.entries, 20)
            for other in others:
                assert name_similarity(q, other) == reference_similarity(q, other)
                compared += 1
    assert compared > 5000


coordinate = st.tuples(st.floats(-89.9, 89.9), st.floats(-179.9, 179.9))
syria = st.tuples(st.floats(32.0, 37.5), st.floats(35.5, 42.5))


@given(st.one_of(coordinate, syria), st.one_of(coordinate, syria), st.floats(0.0, 50.0))
@settings(max_examples=1000, deadline=None)
def test_within_km_equals_the_haversine(a, b, km):
    assert within_km(*a, *b, km) == (haversine_km(*a, *b) <= km)


@given(syria, st.floats(-0.2, 0.2), st.floats(-0.2, 0.2))
@settings(max_examples=1000, deadline=None)
def test_within_km_near_the_edge(a, dlat, dlon):
    b = (a[0] + dlat, a[1] + dlon)
    for km in (match.NEAR_KM, haversine_km(*a, *b)):  # exactly at the distance too
        assert within_km(*a, *b, km) == (haversine_km(*a, *b) <= km)


def test_candidates_among_some_places_are_those_places_candidates(gazetteer):
    """``among`` leaves the other places out without changing the candidates it keeps."""
    index = gazetteer.index
    cities = frozenset(i for i, p in enumerate(gazetteer.places) if p.type in ("city", "governorate"))
    for text in ("Aleppo", "حماة", "Deir ez-Zor", "Idlib countryside", "Homs"):
        readings = [(text, 0.0), (text.split()[0], 0.03)]
        every = match.collect_candidates(index, readings, fuzzy=False)
        some = match.collect_candidates(index, readings, fuzzy=False, among=cities)
        assert some and set(some) <= cities
        assert {i: c for i, c in every.items() if i in cities} == some
