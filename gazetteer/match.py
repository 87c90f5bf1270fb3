"""Score the places of the index against a parsed query and say how sure the answer is.

The score of a place is how well its best name matches (same-script key similarity, or the
cross-script skeleton), adjusted by the query's type words, its qualifiers and the place's
importance.  The confidence then asks a second question: could the reader have meant another,
distant place just as well?  Many Syrian village names repeat across the country; a bare
ambiguous name is answered with the most important candidate, a lower confidence and the
alternatives, never with false certainty.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable, Container, Iterable, Sequence

from rapidfuzz import fuzz
from rapidfuzz.distance import OSA, Indel

from .index import NameEntry, NameIndex, QueryKey, query_keys
from .normalize import key_skeleton_words, normalize
from .place import ADMIN_TYPES, Match, Place

# Tunables, in one place.
FUZZY_LIMIT = 40  # skeletons kept from a fuzzy search
FUZZY_SKELETON_CUTOFF = 0.72  # OSA similarity of skeletons to consider a candidate
CROSS_SCRIPT_BASE = 0.87  # an Arabic name matched to a Latin one through its skeleton ...
CROSS_SCRIPT_VOWELS = 0.1  # ... plus this much for agreeing long vowels
CROSS_SCRIPT_DISCOUNT = 0.92  # for a place that also has names in the query's script
PHONETIC_CEILING = 0.96  # two Latin spellings that sound the same
SAME_SCRIPT_SKELETON_CEILING = 0.85
SHORT_SKELETON = 2  # skeletons this short say little: "Fah" = F
NEAR_KM = 8.0  # two candidates this close are the same answer for the reader
EVIDENCE_WEIGHT = 32.0  # log-odds per unit of name similarity
PRIOR_WEIGHT = 4.0  # log-odds per unit of importance: a town is ~3x likelier than a village
NAME_QUALITY_SPAN = 0.4  # similarity 0.6 → no confidence, 1.0 → full
RIVAL_SHARE = 0.1  # a distant candidate with this share of the first one's probability is a rival
# The scores are scaled for ranking; as probabilities they are too flat: among the first answers
# whose probability said 0.5-0.75 three in four were right (dev names, both halves alike).
CALIBRATION_SHARPNESS = 1.3
# ... and the confidence so made was still too low between the answer threshold and the "sure"
# line (first answers said 0.4-0.5 were right 61% of the time, 0.7-0.8 82%; 0.8-0.9 94%): a
# monotone map that keeps 0.3 and 0.8 where they are bends each stretch up (``calibrated``).
# Two powers, chosen on the dev names; each spatial half alike: calibration error 0.047 →
# 0.039 and 0.069 → 0.040.  Which answers are given, and which are sure, does not change.
CALIBRATION_KNEES = (0.3, 0.8)
CALIBRATION_POWERS = (0.6, 0.8)  # between the knees, and above the second
# A name of two consonants that many places share ("Duma", "Hamam", "الزر") is a weak
# identifier even when one place has exactly that key: another namesake's spelling, or a place
# the gazetteer lacks, lands on the same letters.  Up to this much of the confidence goes ...
CROWDED_NAME_DISCOUNT = 0.3
CROWDED_SKELETON_LENGTH = 2
CROWD_START, CROWD_FULL = 4, 50  # ... from 4 places sharing the skeleton to 50 (log scale)
# A locality only GeoNames lists (no OCHA community matched it) is more often a duplicate, a
# farm or an old name than the place a writer means.
GEONAMES_ONLY_FACTOR = 0.85
# A place outside every area the query's qualifiers name ("Ashrafiyeh neighbourhood, Afrin" and
# the only Ashrafiyeh is in Aleppo) is the place meant about one time in ten on the dev names:
# the gazetteer lacks the one meant, or the qualifier is loose ("Taftanaz, Aleppo").
QUALIFIER_MISS_FACTOR = 0.35
# Likewise a place of another type than the query's type word asks for ("حي X" and X is a
# village): right in 6 of 16 dev names, mostly camps and crossings named after their village.
TYPE_MISS_FACTOR = 0.6
FINE_CONSONANT_WEIGHT = 0.15  # similarity lost across scripts when every fine consonant disagrees
LATIN_FINE_CONSONANT_WEIGHT = 0.05  # the same between two Latin spellings
# Fine consonants that Latin spellings do confuse, and how much that costs (1 = not at all
# confused).  ق is "k" in 5% of OCHA's Aleppo names, ظ "th" in 4%; "g" is ج or غ.
_FINE_CONFUSION = {
    frozenset("kq"): 0.3, frozenset("jg"): 0.2, frozenset("ġg"): 0.2, frozenset("θt"): 0.4,
    frozenset("θz"): 0.4, frozenset("ðd"): 0.4, frozenset("ðz"): 0.4,
}


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742.0 * math.asin(min(1.0, math.sqrt(a)))


# Along a meridian a degree of latitude is this many km (the Earth of ``haversine_km``); no two
# points are closer than their latitudes are apart.
KM_PER_DEGREE_LATITUDE = 12742.0 / 2 * math.pi / 180


def within_km(lat1: float, lon1: float, lat2: float, lon2: float, km: float) -> bool:
    """``haversine_km(...) <= km``, without the trigonometry for points whose latitudes alone
    are further apart (most pairs of namesakes); a margin keeps rounding out of it."""
    if abs(lat1 - lat2) * KM_PER_DEGREE_LATITUDE > km * 1.001 + 1e-6:
        return False
    return haversine_km(lat1, lon1, lat2, lon2) <= km


_osa_similarity = OSA.normalized_similarity  # bound once (a module attribute costs a lookup)


def skeleton_similarity(a: str, b: str) -> float:
    if not a or not b:
        return 0.0
    return _osa_similarity(a, b)


# The scorers, bound once: name_similarity runs for every name a query meets.  The maxima in
# it are written as comparisons for the same reason (two floats, never NaN: max's own answer).
_ratio = fuzz.ratio
_indel_similarity = Indel.normalized_similarity


def name_similarity(q: QueryKey, entry: NameEntry) -> float:
    """How well a query reading matches one indexed name, in [0, 1].

    Same key: 1.  Latin to Latin: the phonetic keys (vowels reduced, not dropped), so that
    "Hamouriyah" prefers "Hammura" to "Hamra".  Arabic to Arabic: the folded text.  Across
    scripts only the consonant skeleton can be compared, and it is capped below certainty.
    """
    # one function, the entry's fields read once: it runs for every name a query meets
    _, _, key, skel, sorted_skel, arabic, phonetic, fine, _ = entry
    if q.key == key:
        return 1.0
    q_skel = q.skel
    if q_skel and q_skel == skel:  # most names compared: found by their skeleton
        skel_sim = 1.0  # the word-order-insensitive form can add nothing to a perfect match
    else:
        skel_sim = max(skeleton_similarity(q_skel, skel),
                       0.97 * skeleton_similarity(q.sorted_skel, sorted_skel))

    short = len(q_skel) <= SHORT_SKELETON or len(skel) <= SHORT_SKELETON
    q_arabic = q.arabic
    if q_arabic == arabic:
        if q_arabic:
            text_sim = _ratio(q.key, key) / 100.0
        else:
            phon = _ratio(q.phonetic, phonetic) / 100.0
            # Same sounds written differently ("Joubar"/"Jobar") is strong evidence; the same
            # consonants with other vowels ("Ghabra"/"Jobar") much weaker.
            sounds = PHONETIC_CEILING * phon
            sounds_and_skeleton = PHONETIC_CEILING * (0.5 * phon + 0.5 * skel_sim)
            text_sim = sounds if sounds >= sounds_and_skeleton else sounds_and_skeleton  # max
        by_skeleton = SAME_SCRIPT_SKELETON_CEILING * skel_sim
        sim = text_sim if text_sim >= by_skeleton else by_skeleton  # max(text_sim, by_skeleton)
        if short and text_sim < PHONETIC_CEILING:
            sim *= 0.85
        if not q_arabic:
            # the phonetic key merges kh/k/q; sources keep them apart less often than OCHA
            # does, so a disagreement costs less than across scripts
            if q.fine != fine:  # else no disagreement
                sim -= LATIN_FINE_CONSONANT_WEIGHT * fine_consonant_disagreement(q, entry)
    else:
        # Across scripts: the consonants decide; the long vowels Arabic writes break ties
        # ("الزارة" is "Zara" rather than "Azaura"), and so do the consonants the skeleton
        # merges ("أم الكيف" is "Um Elkeif" rather than "Um Kheif").
        vowels = _indel_similarity(q.phonetic, phonetic)
        sim = skel_sim * (CROSS_SCRIPT_BASE + CROSS_SCRIPT_VOWELS * vowels)
        if short:
            # two consonants say little, unless the long vowels agree too ("الطيبة" = "Tiba")
            sim *= 0.85 + 0.15 * vowels ** 2
        if q.fine != fine:  # else no disagreement
            sim -= FINE_CONSONANT_WEIGHT * fine_consonant_disagreement(q, entry)
    if q.head:  # most queries have no generic head
        head = shared_generic_head(q, entry)
        if head:
            # "Jabal Qwxzpt" is not "Jabal Kazbar": a generic first word both share ("Jabal",
            # "Tal", "Khirbet", "عين") says nothing about which place; the rest must agree.
            sim = min(sim, 0.4 + 0.6 * skeleton_similarity(q_skel[head:], skel[head:]) ** 2)
    return sim


def shared_generic_head(q: QueryKey, entry: NameEntry) -> int:
    """The skeleton length of a generic first word two multi-word names share, else 0."""
    if not q.head:
        return 0
    ew = entry.key.split(" ", 1)
    if len(ew) < 2 or q.head != ew[0]:
        return 0
    n = len(head_skeleton(q.head))
    return n if q.skel[:n] == entry.skel[:n] and len(q.skel) > n and len(entry.skel) > n else 0


@lru_cache(maxsize=None)
def head_skeleton(word: str) -> str:
    return "".join(key_skeleton_words(word))


def fine_consonant_disagreement(q: QueryKey, entry: NameEntry) -> float:
    """How far the fine consonants of two names with the same skeleton disagree, position by
    position, in [0, 1] (0 for other skeletons, or when doubled letters break the alignment)."""
    if q.skel != entry.skel:  # only names with the same consonant classes are told apart
        return 0.0
    a, b = q.fine, entry.fine
    if a == b or len(a) != len(b):
        return 0.0
    cost = 0.0
    for x, y in zip(a, b):
        if x != y:
            cost += _FINE_CONFUSION.get(frozenset((x, y)), 1.0)
    return cost / len(a)


@dataclass(slots=True)
class Candidate:
    place_idx: int
    sim: float = 0.0
    matched_name: str = ""
    matched_skel: str = ""
    penalty: float = 0.0
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    outside_qualifiers: bool = False  # lies in none of the areas the query names
    other_type: bool = False  # not of the type the query's type word asks for


def collect_candidates(index: NameIndex, readings: Iterable[tuple[str, float]],
                       *, fuzzy: bool = True,
                       among: Container[int] | None = None) -> dict[int, Candidate]:
    """Places whose names match any reading: exact key, exact skeleton, then fuzzy skeleton;
    only the places at the positions ``among`` holds, when given (the others' names are not
    compared at all)."""
    cands: dict[int, Candidate] = {}
    entries = index.entries
    for text, penalty in readings:
        for q in query_keys(text):
            # Many places share a name ("Tiba", "الطيبة"): the similarity depends only on the
            # two names' keys, so it is computed once per name, not once per place.
            sim_of_key: dict[tuple[str, bool, str, str], float] = {}
            entry_ids: set[int] = set(index.by_key.get(q.key, ()))
            if q.skel:
                entry_ids.update(index.by_skel.get(q.skel, ()))
            # Fuzzy search only when neither the key nor the skeleton is known: a name spelled
            # another way usually keeps its consonants.
            if fuzzy and q.skel and len(q.skel) >= 2 and not entry_ids:
                cutoff = FUZZY_SKELETON_CUTOFF if len(q.skel) >= 4 else 0.66
                for choice, _ in index.neighbours().search(q.skel, cutoff, FUZZY_LIMIT):
                    entry_ids.update(index.by_skel[choice])
            q_arabic = q.arabic
            has_query_script_name = index.has_arabic_name if q_arabic else index.has_latin_name
            for e_idx in entry_ids:
                entry = entries[e_idx]
                place, name, key, skel, _, arabic, _, fine, entry_penalty = entry
                if among is not None and place not in among:
                    continue
                memo_key = (key, arabic, skel, fine)
                sim = sim_of_key.get(memo_key)
                if sim is None:
                    sim = sim_of_key[memo_key] = name_similarity(q, entry)
                if arabic != q_arabic and has_query_script_name[place]:
                    sim *= CROSS_SCRIPT_DISCOUNT  # its names in the query's script judged already
                adjusted = sim - penalty - entry_penalty
                cand = cands.get(place)
                if cand is None:  # made with this name if it beats a fresh candidate's 0 - 0
                    cands[place] = (Candidate(place, sim, name, skel, penalty + entry_penalty)
                                    if adjusted > 0.0 else Candidate(place))
                elif adjusted > cand.sim - cand.penalty:
                    cand.sim, cand.penalty = sim, penalty + entry_penalty
                    cand.matched_name, cand.matched_skel = name, skel
    return cands


def type_adjustment(place: Place, types: frozenset[str]) -> tuple[float, str | None]:
    """A change to the name evidence, in similarity units, from the query's type words."""
    # A name means the populated place more often than the admin unit named after it ("Afrin",
    # "Idlib", "Saraqib camp"): admin units yield to a place of the same name, unless asked for.
    if not types:  # most queries
        return (-0.1 if place.type in ADMIN_TYPES else 0.0), None
    wanted = set(types)
    if "region" in wanted:
        wanted |= {"governorate", "district"}
    admin_yield = -0.1 if place.type in ADMIN_TYPES and place.type not in wanted else 0.0
    if place.type in wanted:
        return 0.05, f"type word matches {place.type}"
    return -0.12 + admin_yield, f"type word asks for {'/'.join(sorted(types))}, place is a {place.type}"


@dataclass(frozen=True, slots=True)
class QualifierArea:
    """Where a qualifier ("Aleppo", "Jableh district", "eastern Ghouta") points."""

    text: str
    pcodes: frozenset[str]  # admin units it names
    points: tuple[tuple[float, float], ...]  # places it names (cities, regions)


def qualifier_adjustment(place: Place, areas: Sequence[QualifierArea]) -> tuple[float, str | None]:
    """A change to the name evidence from the query's qualifiers; the reason starts with "not in"
    when the place lies in none of them."""
    if not areas:
        return 0.0, None
    own = set(place.admin_pcodes())
    hits: list[str] = []
    misses: list[str] = []
    for area in areas:
        inside = bool(own & area.pcodes) or any(
            haversine_km(place.lat, place.lon, lat, lon) <= 30.0 for lat, lon in area.points)
        (hits if inside else misses).append(area.text)
    if hits and not misses:
        return 0.1, f"lies in {', '.join(hits)}"
    if hits:
        return 0.05, f"lies in {', '.join(hits)} but not in {', '.join(misses)}"
    return -0.2, f"not in {', '.join(misses)}"


def rank(index: NameIndex, cands: dict[int, Candidate], *, types: frozenset[str],
         areas: Sequence[QualifierArea],
         keep: Callable[[Place], bool] | None = None) -> list[Candidate]:
    """Order candidates by a log-score: name evidence (similarity, type words, qualifiers) on
    a scale of ``EVIDENCE_WEIGHT`` per unit of similarity, plus the place's prior
    (``PRIOR_WEIGHT`` × importance).  ``posterior`` turns the scores into probabilities."""
    # (sort key..., position, candidate): the position keeps equal keys in order
    ordered: list[tuple[float, float, str, int, Candidate]] = []
    places = index.places
    # ``type_adjustment`` asks the place's type alone: once per type, not once per candidate
    by_type: dict[str, tuple[float, str | None]] = {}
    has_types = bool(types)
    for cand in cands.values():
        place = places[cand.place_idx]
        if keep is not None and not keep(place):
            continue
        evidence = cand.sim - cand.penalty - 1.0
        adjustment = by_type.get(place.type)
        if adjustment is None:
            adjustment = by_type[place.type] = type_adjustment(place, types)
        type_adj, type_why = adjustment
        if areas:
            qualifier_adj, qualifier_why = qualifier_adjustment(place, areas)
            evidence += type_adj + qualifier_adj
            if type_why:
                cand.reasons.append(type_why)
            if qualifier_why:
                cand.reasons.append(qualifier_why)
            cand.outside_qualifiers = qualifier_adj < 0
        else:  # the sum as above with no qualifier (adding 0.0 changes no bit)
            evidence += type_adj
            if type_why:
                cand.reasons.append(type_why)
            cand.outside_qualifiers = False
        cand.other_type = has_types and type_adj < 0
        importance = place.importance
        cand.score = score = EVIDENCE_WEIGHT * evidence + PRIOR_WEIGHT * importance
        ordered.append((-score, -importance, place.id, len(ordered), cand))
    # sorted by keys made above, not by a function of each candidate; the position after the
    # keys gives what a stable sort by them gives (and no two candidates are ever compared)
    ordered.sort()
    return [entry[-1] for entry in ordered]


def posterior(scores: Sequence[float]) -> list[float]:
    """Softmax of log-scores: the probability that each candidate is the place meant, given
    that the place meant is one of them."""
    if not scores:
        return []
    top = max(scores)
    weights = [math.exp(score - top) for score in scores]
    total = sum(weights)
    return [w / total for w in weights]


def same_answer_mass(places: Sequence[Place], probs: Sequence[float]) -> tuple[float, list[int]]:
    """The probability of the first place, counting the candidates that are the same answer
    for the reader (the same place under another record, within ``NEAR_KM``, an admin unit and
    its namesake seat); and the positions of distant rivals with a real share of it."""
    top = places[0]
    mass = probs[0]
    rival_floor = RIVAL_SHARE * probs[0]
    rivals = []
    # Most pairs are two places of none of the types ``same_referent`` and ``named_after``
    # look at (admin units, areas, roads): for them both rules come down to the parent links.
    top_plain = top.type not in _LINKED_TYPES
    top_id, top_parent, top_lat, top_lon = top.id, top.parent_id, top.lat, top.lon
    # within_km's own first test, made here for the many namesakes it rules out (no call)
    beyond_near = NEAR_KM * 1.001 + 1e-6
    for pos in range(1, len(places)):
        place, p = places[pos], probs[pos]
        if top_plain and place.type not in _LINKED_TYPES:
            same = top_id == place.parent_id or place.id == top_parent
        else:
            same = same_referent(top, place) or named_after(place, top)
        lat = place.lat
        if same or (abs(top_lat - lat) * KM_PER_DEGREE_LATITUDE <= beyond_near
                    and within_km(top_lat, top_lon, lat, place.lon, NEAR_KM)):
            mass += p
        elif p >= rival_floor:
            rivals.append(pos)
    return mass, rivals


def name_quality(sim: float) -> float:
    """How likely the best name match is the name asked for at all (the place may be missing
    from the gazetteer): 1 for the same key, 0.9 for another transliteration of it, less for a
    name matched only through its consonants, 0 at a similarity of 0.6."""
    return max(0.0, min(1.0, (sim - 0.6) / NAME_QUALITY_SPAN))


def confidence_of(index: NameIndex, ranked: Sequence[Candidate]) -> tuple[float, list[float], list[int]]:
    """Confidence of the first candidate, the posterior of every candidate, and the indexes
    of the distant rivals that share the first one's probability.

    The confidence is the first answer's posterior mass (``same_answer_mass``) times
    ``match_quality``, ``calibrated``.
    """
    probs = posterior([CALIBRATION_SHARPNESS * c.score for c in ranked])
    mass, rival_pos = same_answer_mass([index.places[c.place_idx] for c in ranked], probs)
    top = ranked[0]
    return (calibrated(min(1.0, mass * match_quality(index, top))), probs,
            [ranked[i].place_idx for i in rival_pos])


def calibrated(confidence: float) -> float:
    """The confidence mapped so that it says how often such answers are right: unchanged up to
    the first knee and at each knee, raised between them (``CALIBRATION_POWERS``)."""
    low, high = CALIBRATION_KNEES
    if confidence <= low:
        return confidence
    if confidence < high:
        return low + (high - low) * ((confidence - low) / (high - low)) ** CALIBRATION_POWERS[0]
    return high + (1.0 - high) * ((confidence - high) / (1.0 - high)) ** CALIBRATION_POWERS[1]


def match_quality(index: NameIndex, cand: Candidate) -> float:
    """How likely the candidate is the place asked for at all, whatever its rivals: the quality
    of its name match, less when the name is short and many places share it, when only
    GeoNames knows the place, when it lies outside the areas the query names or is of another
    type than it asks for."""
    quality = name_quality(cand.sim - cand.penalty)
    quality *= crowded_name_factor(index.places_sharing_skeleton(cand.matched_skel)
                                   if len(cand.matched_skel) <= CROWDED_SKELETON_LENGTH else 1)
    if index.places[cand.place_idx].geonames_only:
        quality *= GEONAMES_ONLY_FACTOR
    if cand.outside_qualifiers:
        quality *= QUALIFIER_MISS_FACTOR
    if cand.other_type:
        quality *= TYPE_MISS_FACTOR
    return quality


def crowded_name_factor(places_sharing: int) -> float:
    """1 for a name few places share, down to ``1 - CROWDED_NAME_DISCOUNT`` for a crowded one."""
    if places_sharing <= CROWD_START:
        return 1.0
    crowd = math.log(places_sharing / CROWD_START) / math.log(CROWD_FULL / CROWD_START)
    return 1.0 - CROWDED_NAME_DISCOUNT * min(1.0, crowd)


ROUTE_TYPES = frozenset({"road"})


def named_after(route: Place, place: Place) -> bool:
    """A road named after the place ("طريق دمشق - حلب", the M5, for حلب) is read as the place,
    not as a rival reading of its name: nobody writes "Aleppo" meaning the highway."""
    if route.type not in ROUTE_TYPES or place.type in ROUTE_TYPES:
        return False
    route_names = [f" {normalize(n)} " for n in route.names]
    return any(f" {key} " in r for key in {normalize(n) for n in place.names if n} if key
               for r in route_names)


# Areas without borders: a region and the mountains or plain it is named after overlap.
AREA_TYPES = frozenset({"region", "mountain", "plain"})
# The types for which same_referent or named_after asks more than the parent links.
_LINKED_TYPES = ADMIN_TYPES | AREA_TYPES | ROUTE_TYPES


def same_referent(a: Place, b: Place) -> bool:
    """An admin unit and a place inside it that bears its name ("Aleppo" the governorate and the
    city) are one answer for the reader, not two rival readings; so are two areas that share a
    name ("Qalamoun" the region and the Qalamoun Mountains)."""
    if a.type in ADMIN_TYPES and a.id in b.admin_pcodes():
        return True
    if b.type in ADMIN_TYPES and b.id in a.admin_pcodes():
        return True
    if a.type in AREA_TYPES and b.type in AREA_TYPES and _name_keys(a) & _name_keys(b):
        return True
    return a.id == b.parent_id or b.id == a.parent_id


def _name_keys(place: Place) -> set[str]:
    return {normalize(n) for n in place.names} - {""}


def to_matches(index: NameIndex, ranked: Sequence[Candidate], confidence: float,
               probs: Sequence[float], rivals: list[int], limit: int) -> list[Match]:
    out = []
    for i, cand in enumerate(ranked[:limit]):
        place = index.places[cand.place_idx]
        reasons = list(cand.reasons)
        if i == 0:
            conf = confidence
            if rivals:
                reasons.append(f"{len(rivals)} other place(s) far apart match as well")
        else:
            conf = calibrated(min(1.0, probs[i] * match_quality(index, cand)))
        out.append(Match(place, round(conf, 4), cand.matched_name, round(cand.score, 4),
                         ambiguous=bool(rivals), reasons=tuple(reasons),
                         rivals=tuple(index.places[r] for r in rivals) if i == 0 else ()))
    return out
