"""The matcher's shortcuts give exactly what the plain formulas give.

``name_similarity`` skips work that cannot change its answer (the skeleton distances of two
names with one skeleton, the generic-head test of a query without one, the fine-consonant
comparison of equal fine keys); ``within_km`` skips the haversine for points further apart in
latitude alone.  The references below are the formulas written out plainly, as they were
before the shortcuts; the answers must be equal, not close.
"""
import random
from dataclasses import replace

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


# --- ranking and the same-answer mass ----------------------------------------------------------

def reference_rank(index, cands, *, types, areas, keep=None):
    """``rank`` as it was written before its shortcuts (a call per candidate for the type word,
    the sort by a function of each candidate)."""
    out = []
    for cand in cands.values():
        place = index.places[cand.place_idx]
        if keep is not None and not keep(place):
            continue
        evidence = cand.sim - cand.penalty - 1.0
        type_adj, type_why = match.type_adjustment(place, types)
        qualifier_adj, qualifier_why = (match.qualifier_adjustment(place, areas) if areas
                                        else (0.0, None))
        evidence += type_adj + qualifier_adj
        if type_why:
            cand.reasons.append(type_why)
        if qualifier_why:
            cand.reasons.append(qualifier_why)
        cand.other_type = bool(types) and type_adj < 0
        cand.outside_qualifiers = bool(areas) and qualifier_adj < 0
        cand.score = match.EVIDENCE_WEIGHT * evidence + match.PRIOR_WEIGHT * place.importance
        out.append(cand)
    out.sort(key=lambda c: (-c.score, -index.places[c.place_idx].importance,
                            index.places[c.place_idx].id))
    return out


def reference_same_answer_mass(places, probs):
    """``same_answer_mass`` as it was written before its shortcut: both rules for every pair."""
    top = places[0]
    mass = probs[0]
    rivals = []
    for pos in range(1, len(places)):
        place, p = places[pos], probs[pos]
        if (match.same_referent(top, place) or match.named_after(place, top)
                or haversine_km(top.lat, top.lon, place.lat, place.lon) <= match.NEAR_KM):
            mass += p
        elif p >= match.RIVAL_SHARE * probs[0]:
            rivals.append(pos)
    return mass, rivals


def _candidates_as_fields(ranked):
    return [(c.place_idx, c.sim, c.penalty, c.matched_name, c.matched_skel, c.score, c.reasons,
             c.outside_qualifiers, c.other_type) for c in ranked]


RANKED_QUERIES = [
    ("Tiba", (), ()), ("الطيبة", (), ()), ("Aleppo", (), ()), ("حلب", (), ()),
    ("Hamam", (), ()), ("Qasemiyeh", (), ()), ("Idlib", ("city",), ()),
    ("Tal", ("village",), ()), ("Afrin", ("district",), ()), ("Jabal", ("mountain", "region"), ()),
    ("Ashrafiyeh", ("neighbourhood",), ("Afrin",)), ("Tedef", (), ("Aleppo",)),
    ("Sheikh Maqsoud", (), ("Aleppo", "Idlib")), ("Kafr Nubl", (), ("Idlib",)),
    ("خان شيخون", ("camp",), ()), ("Alepoxz", (), ()), ("Douma", (), ("Rif Dimashq",)),
]


def test_rank_equals_the_plain_ranking(gazetteer):
    index = gazetteer.index
    checked = 0
    for text, types, qualifiers in RANKED_QUERIES:
        areas = [a for a in (gazetteer._qualifier_area(q) for q in qualifiers) if a]
        for keep in (None, lambda p: p.type != "village"):
            readings = [(text, 0.0)]
            fast = match.rank(index, match.collect_candidates(index, readings),
                              types=frozenset(types), areas=areas, keep=keep)
            plain = reference_rank(index, match.collect_candidates(index, readings),
                                   types=frozenset(types), areas=areas, keep=keep)
            assert _candidates_as_fields(fast) == _candidates_as_fields(plain)
            checked += len(fast)
    assert checked > 500  # crowded names among them


def test_same_answer_mass_equals_the_plain_rule(gazetteer):
    """Random lists of places the gazetteer has, every type first (admin units, areas, roads,
    places with parents), with random probabilities: the same mass and rivals."""
    rng = random.Random(7)
    places = gazetteer.places
    by_type = {}
    for p in places:
        by_type.setdefault(p.type, []).append(p)
    with_parent = [p for p in places if p.parent_id]
    # the pairs the rules on types join: the roads named after a place, the areas sharing a name
    roads = by_type["road"]
    linked = [[p, *roads] for p in places if any(match.named_after(r, p) for r in roads)]
    areas = [p for p in places if p.type in match.AREA_TYPES]
    linked += [[a, *areas] for a in areas]
    assert len(linked) > 10
    for _ in range(400):
        if rng.random() < 0.2:
            first, *rest = rng.choice(linked)
            far = [replace(p, lat=p.lat + 3.0) for p in rest]
            ranked = [first, *rng.sample(far, len(far))]
            probs = sorted((rng.random() ** 3 for _ in ranked), reverse=True)
            assert (match.same_answer_mass(ranked, probs)
                    == reference_same_answer_mass(ranked, probs))
            continue
        first = rng.choice(rng.choice(list(by_type.values())) if rng.random() < 0.7 else with_parent)
        near = [p for p in rng.sample(places, 300)
                if abs(p.lat - first.lat) < 0.2 and abs(p.lon - first.lon) < 0.2]
        parents = [gazetteer.get(first.parent_id)] if first.parent_id else []
        children = [p for p in with_parent if p.parent_id == first.id][:3]
        admins = [gazetteer.get(a.pcode) for a in (first.admin1, first.admin2, first.admin3) if a]
        others = [rng.choice(rng.choice(list(by_type.values()))) for _ in range(20)]
        rest = [p for p in near + parents + children + admins + others if p]
        if rng.random() < 0.5:  # far apart: only the rules on types and links can join them
            rest = [replace(p, lat=p.lat + rng.choice((-1, 1)) * rng.uniform(0.1, 2.0))
                    for p in rest]
        rng.shuffle(rest)
        ranked = [first, *rest]
        probs = sorted((rng.random() ** 3 for _ in ranked), reverse=True)
        assert match.same_answer_mass(ranked, probs) == reference_same_answer_mass(ranked, probs)
