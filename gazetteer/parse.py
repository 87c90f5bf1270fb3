"""Geoparsing: every Syrian place a text names, where it is written, and where it lies.

tokenize → find spans (``spans.SpanFinder``) → resolve each span to a place with the context of
the whole text (this module) → mentions in text order.

Resolving is done twice.  The first pass scores each span's candidate places on their own
(name evidence, cue words, prior importance).  The spans it is sure of become anchors: the
governorates they lie in and their points.  The second pass adds that context: a village
named after "بريف حماة" or near the other places of the story is preferred to its namesakes
elsewhere.  A span is reported when the confidence that it names that place, and names a place
at all, clears ``MIN_CONFIDENCE``.
"""
from __future__ import annotations

import math
from collections import Counter, defaultdict
from typing import Any, NamedTuple, Sequence

from .collector import collector_paused
from .commonness import common_arabic_word, common_english_word
from .exceptions import QueryError
from .match import NEAR_KM, haversine_km, named_after, posterior, same_referent
from .lexicon import blockers, relation_words
from .normalize import LATIN_ARTICLES, normalize
from .place import ADMIN_TYPES, Place
from .spans import CUE_AFTER_REGION, CUE_FILLERS, ENGLISH_PREPOSITION_ARTICLES, Span, SpanFinder
from .tokens import Token, tokenize

MAX_TEXT_LENGTH = 2_000_000
MIN_CONFIDENCE = 0.5
LONG_TEXT = 4_000  # characters: longer texts are read with the garbage collector paused
MIN_ALTERNATIVE = 0.02
HASHTAG_BONUS = 0.15  # "#name" is written for places, and for "#عاجل" (urgent) as well
CUED_PLACENESS = 0.6  # a cued span this sure to be a place is reported ...
CUED_MIN_MASS = 0.1  # ... if its first reading has at least this probability, in a text
# about Syria, or after one of these words, which name a settlement even in a text of two lines
# cue words that announce an area of any kind: evidence only in a text about Syria
WEAK_CUES = frozenset({"منطقه"})
STRONG_CUES = frozenset({"قريه", "بلده", "قرى", "بلدات", "village", "town"})  # alternatives less likely than this are not worth listing

EVIDENCE_WEIGHT = 32.0  # log-odds per unit of name similarity, as in geocoding
PRIOR_WEIGHT = 8.0  # in running text a famous place is named far more often than a namesake village
CUE_MATCH = 0.06  # similarity units for a cue word that fits the place type
CUE_MISMATCH = -0.1
QUALIFIER_MATCH = 0.12  # "X بريف حماة": X lies in Hama
QUALIFIER_MISMATCH = -0.15
QUALIFIER_MISS_FACTOR = 0.35  # confidence × this when the best reading lies outside the qualifier
MAX_RELATION_GAP = 5  # words between X and Y ("south of the town of")
MAX_RELATION_NAMESAKES = 4  # a Y this ambiguous bounds nothing
RELATION_IMPORTANCE_MARGIN = 0.1  # Y's namesakes this much less important than the first are not meant
# types of places too large (or too vague) to put a name near them by distance
NOT_A_LANDMARK = ADMIN_TYPES | {"city", "country", "region", "river", "road", "plain", "lake",
                                "mountain"}
MAJOR_NAMESAKE_IMPORTANCE = 0.5  # below this, a namesake of a city needs a type word to compete
GOVERNORATE_CONTEXT = 0.08  # × the share of the text's anchors in the place's governorate
NEAR_ANCHOR_KM = 25.0
NEAR_ANCHOR = 0.06
REGION_TYPES = ("governorate", "district")
SAME_ANSWER_CACHE_SIZE = 20_000  # pairs of candidate places


class Mention:
    """A place named in a text: where (character offsets) and which place.  Immutable: its
    fields are read-only properties.  (Not a frozen dataclass: that one's ``__init__`` is
    generated at run time, uncompiled, and sets each field through ``object.__setattr__``.)"""

    __slots__ = ("_start", "_end", "_surface", "_place", "_confidence", "_reading", "_alternatives",
                 "_reasons")

    def __init__(self, start: int, end: int, surface: str, place: Place, confidence: float,
                 reading: str, alternatives: tuple[tuple[Place, float], ...] = (),
                 reasons: tuple[str, ...] = ()) -> None:
        self._start = start
        self._end = end
        self._surface = surface
        self._place = place
        self._confidence = confidence
        self._reading = reading  # the folded words that were looked up
        self._alternatives = alternatives
        self._reasons = reasons

    @property
    def start(self) -> int:
        return self._start

    @property
    def end(self) -> int:
        return self._end

    @property
    def surface(self) -> str:
        return self._surface

    @property
    def place(self) -> Place:
        return self._place

    @property
    def confidence(self) -> float:
        return self._confidence

    @property
    def reading(self) -> str:
        """The folded words that were looked up."""
        return self._reading

    @property
    def alternatives(self) -> tuple[tuple[Place, float], ...]:
        return self._alternatives

    @property
    def reasons(self) -> tuple[str, ...]:
        return self._reasons

    def _fields(self) -> tuple[Any, ...]:
        return (self._start, self._end, self._surface, self._place, self._confidence, self._reading,
                self._alternatives, self._reasons)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mention):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return ("Mention(start=%r, end=%r, surface=%r, place=%r, confidence=%r, reading=%r, "
                "alternatives=%r, reasons=%r)" % self._fields())

    def to_feature(self) -> dict[str, Any]:
        props = self.place.properties()
        props.update({
            "surface": self.surface, "start": self.start, "end": self.end,
            "confidence": round(self.confidence, 3), "reading": self.reading,
            "reasons": list(self.reasons),
            "alternatives": [{"id": p.id, "name_en": p.name_en, "name_ar": p.name_ar,
                              "confidence": round(c, 3)} for p, c in self.alternatives],
        })
        return {"type": "Feature",
                "geometry": {"type": "Point", "coordinates": [self.place.lon, self.place.lat]},
                "properties": props}


def validate_text(text: object) -> str:
    if not isinstance(text, str):
        raise QueryError(f"text must be a string, not {type(text).__name__}")
    if len(text) > MAX_TEXT_LENGTH:
        raise QueryError(f"text is {len(text)} characters long; the limit is {MAX_TEXT_LENGTH}")
    return text


FEW_CELLS = 6  # an anchor grid of this many cells is scanned whole rather than looked up 9 times


class AnchorGrid:
    """The points of the text's sure places, bucketed by 0.25° cells for "is X near one?".

    Each distinct point is kept once with the spans that put it there: a city named a hundred
    times is one point to test, so a long text costs no more per word than a short one."""

    CELL = 0.25  # degrees: ~25-28 km, so a radius up to 25 km needs the 3x3 neighbourhood

    def __init__(self, anchors: Sequence[tuple[float, float, int]] = ()):
        self.cells: dict[tuple[int, int], dict[tuple[float, float], list[int]]] = defaultdict(dict)
        self.count = 0
        # the anchors near each point asked about: the candidates of a text are asked about
        # again and again (each span resolved twice, a repeated name every time)
        self._nearby: dict[tuple[float, float, float], list[list[int]]] = {}
        self._near_place: dict[int, list[list[int]]] = {}  # ``near_place``'s, per place index
        for a in anchors:
            self.add(*a)

    def add(self, lat: float, lon: float, idx: int) -> None:
        """Add an anchor; ``idx`` names its span, so a span is never its own anchor."""
        self.cells[(int(lat // self.CELL), int(lon // self.CELL))].setdefault((lat, lon), []).append(idx)
        self.count += 1
        self._nearby.clear()
        self._near_place.clear()

    def near(self, lat: float, lon: float, km: float, exclude: int = -1) -> bool:
        nearby = self._nearby.get((lat, lon, km))
        if nearby is None:
            nearby = self._nearby[(lat, lon, km)] = self.nearby(lat, lon, km)
        for spans in nearby:
            if len(spans) > 1 or spans[0] != exclude:
                return True
        return False

    def near_place(self, place: int, lat: float, lon: float, exclude: int) -> bool:
        """``near(lat, lon, NEAR_ANCHOR_KM, exclude)`` for the gazetteer place of index ``place``
        at (lat, lon), remembered by that index: an int key, where ``near`` builds and hashes a
        tuple of floats for every candidate of every span."""
        nearby = self._near_place.get(place)
        if nearby is None:
            nearby = self._near_place[place] = self.nearby(lat, lon, NEAR_ANCHOR_KM)
        for spans in nearby:
            if len(spans) > 1 or spans[0] != exclude:
                return True
        return False

    def nearby(self, lat: float, lon: float, km: float) -> list[list[int]]:
        """The spans of each anchor point within ``km`` of the point (and in the 3x3 cells
        around it)."""
        # Equirectangular distance: exact enough at these latitudes and tens of km.
        ci, cj = int(lat // self.CELL), int(lon // self.CELL)
        kx = 111.2 * math.cos(math.radians(lat))
        limit = (km / 111.2) ** 2
        out = []
        if len(self.cells) <= FEW_CELLS:  # most texts: fewer cells than the 9 to look up
            for (ai, aj), points in self.cells.items():
                if -1 <= ai - ci <= 1 and -1 <= aj - cj <= 1:
                    for (la, lo), spans in points.items():
                        dy, dx = la - lat, (lo - lon) * kx / 111.2
                        if dy * dy + dx * dx <= limit:
                            out.append(spans)
            return out
        for di in (-1, 0, 1):
            for dj in (-1, 0, 1):
                for (la, lo), spans in self.cells.get((ci + di, cj + dj), {}).items():
                    dy, dx = la - lat, (lo - lon) * kx / 111.2
                    if dy * dy + dx * dx <= limit:
                        out.append(spans)
        return out

    def __bool__(self) -> bool:
        return self.count > 0


class Relation(NamedTuple):
    """A place the text puts a name near ("X غرب مدينة Y"): Y, how far from it X may lie, and
    whether it only checks that X is not far (Y is also a unit, which bounds X itself)."""

    place_idx: int
    km: float
    check_only: bool


class _Scored:
    """One candidate place of a span and its score.  (Plain classes here and in ``_Context``: a
    dataclass's ``__init__`` is generated at run time, so it runs uncompiled.)"""

    __slots__ = ("place_idx", "score", "sim", "reasons")

    def __init__(self, place_idx: int, score: float, sim: float, reasons: list[str]) -> None:
        self.place_idx = place_idx
        self.score = score
        self.sim = sim
        self.reasons = reasons


class _Context:
    """What pass 1 learnt of a text, for resolving each span in pass 2."""

    __slots__ = ("tokens", "qualifiers", "gov_share", "anchors", "syrian_context")

    def __init__(self, tokens: list[Token], qualifiers: list[set[str]], gov_share: dict[str, float],
                 anchors: AnchorGrid, syrian_context: bool) -> None:
        self.tokens = tokens
        self.qualifiers = qualifiers
        self.gov_share = gov_share
        self.anchors = anchors
        self.syrian_context = syrian_context


class Parser:
    """Finds and resolves place mentions; build once per gazetteer (``Gazetteer.parse``)."""

    def __init__(self, gazetteer: Any) -> None:
        self.gz = gazetteer
        self.places: tuple[Place, ...] = gazetteer.places
        self.finder = SpanFinder(gazetteer.index)
        # tuples of strings, which the garbage collector stops tracking (a frozenset per place
        # would be walked by every full collection): qualifiers are a few codes, tested against them
        self._admin_codes = [p.admin_pcodes() for p in self.places]
        self._ids = [p.id for p in self.places]  # the tie-break of equal scores
        self._same_answer: dict[tuple[int, int], bool] = {}
        self._alone_cache: dict[tuple, tuple[int, float, float]] = {}
        self._candidates_cache: dict[tuple, tuple[tuple, ...]] = {}

    def caches(self) -> tuple[dict, ...]:
        """The caches this parser fills as it reads (each bounded): the span finder's per word,
        the same-answer verdicts per pair of places, the spans resolved on their own.  ``bench/bench_parse_scale.py`` empties
        them to measure first sight."""
        return (*self.finder.word_caches(), self._same_answer, self._alone_cache,
                self._candidates_cache)

    # -- scoring ---------------------------------------------------------------------------
    def _qualifier_units(self, spans: list[Span], k: int, tokens: list[Token]) -> set:
        """Admin units named right after span k ("X بريف حماة الجنوبي", "X, Idlib"): their
        p-codes; and the places the text puts it near (``_relative_to``)."""
        span = spans[k]
        units: set = set()
        for nxt in spans[k + 1:k + 3]:
            if nxt.i - span.j > 2:
                break
            if nxt.clitic and tokens[nxt.i].norm.startswith("و"):
                break  # "حلب وإدلب": two places side by side, not one inside the other
            for idx, (sim, _) in nxt.places.items():
                p = self.places[idx]
                if sim >= 0.99 and (p.type in ADMIN_TYPES or p.type == "city"):
                    units.add(p.id if p.type in ADMIN_TYPES else (p.admin1.pcode if p.admin1 else ""))
                    if p.type == "city" and p.admin2:
                        units.add(p.admin2.pcode)
        units.discard("")
        if k + 1 < len(spans) and 0 < spans[k + 1].i - span.j <= MAX_RELATION_GAP:
            units.update(self._relative_to(spans, k, tokens))
        return units

    def _relative_to(self, spans: list[Span], k: int, tokens: list[Token]) -> set[Relation]:
        """The places a text puts span k near, each with a radius: a town, village or site
        named right after a direction or "ريف"/"قرب" ("قرية X غرب مدينة Y", "X, north of the
        town of Y").  When Y is also an admin unit or a city, ``_qualifier_units`` bounds X by
        the unit; the point then only checks that X is not far away (``Relation.check_only``)."""
        span = spans[k]
        if k + 1 >= len(spans):
            return set()
        nxt = spans[k + 1]
        if not 0 < nxt.i - span.j <= MAX_RELATION_GAP or nxt.clitic:
            return set()
        words = relation_words()
        between = tokens[span.j:nxt.i]
        clause = tokens[nxt.i].clause  # a comma may come first: "X, north of Y"
        if clause - tokens[span.j - 1].clause > 1 or any(
                t.clause != clause or t.norm not in words for t in between):
            return set()
        km = max(words[t.norm] for t in between)
        if not km:
            return set()  # fillers only: "X قرية Y" relates nothing
        named = [idx for idx, (sim, _) in nxt.places.items() if sim >= 0.99]
        check_only = any(self.places[idx].type in ADMIN_TYPES or self.places[idx].type == "city"
                         for idx in named)
        named = [idx for idx in named if self.places[idx].type not in NOT_A_LANDMARK]
        if not named or len(named) > MAX_RELATION_NAMESAKES:
            return set()  # a name this ambiguous bounds nothing
        # the town rather than a hamlet of the same name: what the name alone would give
        top = max(self.places[idx].importance for idx in named)
        return {Relation(idx, km, check_only) for idx in named
                if self.places[idx].importance >= top - RELATION_IMPORTANCE_MARGIN}

    def _in_qualifier(self, idx: int, qualifier: set) -> bool | None:
        """Whether place ``idx`` lies in a unit the qualifier names or near a place it names
        (within that place's radius); None when the qualifier names only places to be near and
        this one is too large (a river, a region, an admin unit) for its label point to say."""
        if not qualifier.isdisjoint(self._admin_codes[idx]):
            return True
        large = self.places[idx].type in NOT_A_LANDMARK
        units = False
        for q in qualifier:
            if type(q) is not Relation:
                units = True
            elif not large and not q.check_only and self._near(idx, q):
                return True
        return None if large and not units else False

    def _far_from_relations(self, idx: int, qualifier: set) -> bool:
        """Whether the text puts the span near places (``_relative_to``) and place ``idx``, a
        settlement or a site, lies in none of the units named and far from all those places."""
        relations = [q for q in qualifier if type(q) is Relation]
        if not relations or self.places[idx].type in NOT_A_LANDMARK:
            return False
        if not qualifier.isdisjoint(self._admin_codes[idx]):
            return False
        return not any(self._near(idx, q) for q in relations)

    def _near(self, idx: int, relation: Relation) -> bool:
        p, other = self.places[idx], self.places[relation.place_idx]
        return relation.place_idx != idx and \
            haversine_km(p.lat, p.lon, other.lat, other.lon) <= relation.km

    def _score(self, span: Span, idx: int, sim: float, qualifier: set[str],
               gov_share: dict[str, float], anchors: AnchorGrid, k: int) -> _Scored:
        """The score of one candidate place of a span in the text's context: the rule
        ``_resolve`` applies in two parts (``_candidates``), kept whole as the tests' reference."""
        p = self.places[idx]
        evidence, reasons = self._evidence_alone(span, p, idx, sim, qualifier)
        if p.admin1 is not None and gov_share:
            share = gov_share.get(p.admin1.pcode, 0.0)
            evidence += GOVERNORATE_CONTEXT * share
            if share >= 0.3:
                reasons.append(f"the text is about {p.admin1.name_en}")
        if anchors.count and p.type not in ADMIN_TYPES:  # an admin unit's label point says little
            if anchors.near(p.lat, p.lon, NEAR_ANCHOR_KM, exclude=k):
                evidence += NEAR_ANCHOR
                reasons.append("near other places of the text")
        score = EVIDENCE_WEIGHT * evidence + PRIOR_WEIGHT * p.importance
        return _Scored(idx, score, sim, reasons)

    def _evidence_alone(self, span: Span, p: Place, idx: int, sim: float,
                        qualifier: set[str]) -> tuple[float, list[str]]:
        """The evidence that a span names place ``p`` from the span alone (its words, cue and
        qualifier), in similarity units, and the reasons; the text's context adds to it."""
        evidence = sim - 1.0
        reasons: list[str] = []
        if span.clitic:
            evidence -= 0.02
        cue = span.cue
        if cue is not None and cue.types:
            if p.type in cue.types or (cue.role == "region" and p.type in REGION_TYPES):
                evidence += CUE_MATCH
                reasons.append(f"cue word {cue.word!r} fits a {p.type}")
            else:
                evidence += CUE_MISMATCH
        elif p.type in ADMIN_TYPES:
            # a bare name is the town more often than the unit named after it ("حلب" is the
            # city unless the text says "محافظة" or "ريف")
            evidence -= 0.1 if p.type != "governorate" else 0.05
        if qualifier:
            inside = self._in_qualifier(idx, qualifier)
            if inside:
                evidence += QUALIFIER_MATCH
                reasons.append("lies in or near the place named next to it")
            elif inside is not None:
                evidence += QUALIFIER_MISMATCH
        return evidence, reasons

    def _candidates(self, span: Span, qualifier: set[str]) -> tuple[tuple, ...]:
        """The places a span may name, each with what ``_score`` finds without the text's
        context: (index, similarity, evidence, reasons, governorate code and name, whether
        nearness to the text's anchors counts, lat, lon, prior term).  Remembered per span
        signature (as ``_alone``): the same names after the same cues recur from text to text,
        and each span is resolved twice."""
        key = (tuple(span.places.items()), span.cue, span.clitic, frozenset(qualifier))
        hit = self._candidates_cache.get(key)
        if hit is not None:
            return hit
        places = span.places
        if (span.cue is None or span.cue.role == "hashtag") and any(
                sim >= 0.99 and self.places[idx].importance >= 0.85 for idx, (sim, _) in places.items()):
            # "Hama", "حماة" with no type word: the city, not a village that bears its name,
            # whatever governorate the rest of the text is about
            places = {idx: v for idx, v in places.items()
                      if self.places[idx].importance >= MAJOR_NAMESAKE_IMPORTANCE}
        indices = list(places)
        if span.cue is not None and span.cue.role == "region":
            # "ريف حماة": the governorate (or else the district) around the city, not the city
            for level in REGION_TYPES:
                regional = [idx for idx in indices if self.places[idx].type == level]
                if regional:
                    indices = regional
                    break
        out = []
        for idx in indices:
            sim = places[idx][0]
            p = self.places[idx]
            evidence, reasons = self._evidence_alone(span, p, idx, sim, qualifier)
            out.append((idx, sim, evidence, tuple(reasons),
                        p.admin1.pcode if p.admin1 is not None else None,
                        p.admin1.name_en if p.admin1 is not None else "",
                        p.type not in ADMIN_TYPES, p.lat, p.lon, PRIOR_WEIGHT * p.importance))
        hit = tuple(out)
        if len(self._candidates_cache) >= SAME_ANSWER_CACHE_SIZE:
            self._candidates_cache.clear()  # bounded, as the finder's caches
        self._candidates_cache[key] = hit
        return hit

    def _resolve(self, span: Span, qualifier: set[str], gov_share: dict[str, float],
                 anchors: AnchorGrid, k: int = -1) -> tuple[list[_Scored], list[float], float]:
        # ``_score`` of each candidate, its context-free part remembered (``_candidates``)
        scored = []
        check_anchors = anchors.count > 0
        for idx, sim, evidence, reasons, gov, gov_name, check_near, lat, lon, prior in \
                self._candidates(span, qualifier):
            if gov is not None and gov_share:
                share = gov_share.get(gov, 0.0)
                evidence += GOVERNORATE_CONTEXT * share
                if share >= 0.3:
                    reasons = (*reasons, f"the text is about {gov_name}")
            if check_anchors and check_near and anchors.near_place(idx, lat, lon, k):
                evidence += NEAR_ANCHOR
                reasons = (*reasons, "near other places of the text")
            scored.append(_Scored(idx, EVIDENCE_WEIGHT * evidence + prior, sim, list(reasons)))
        if len(scored) == 1:
            return scored, [1.0], 1.0  # what posterior and the same-answer mass give for one
        ids = self._ids
        scored.sort(key=lambda s: (-s.score, ids[s.place_idx]))
        probs = posterior([s.score for s in scored])
        return scored, probs, self._same_answer_mass([s.place_idx for s in scored], probs)

    def _same_answer_mass(self, ranked: list[int], probs: list[float]) -> float:
        """``match.same_answer_mass`` of the places ``ranked`` (indices), with each pair's
        verdict remembered: the same namesakes compete in text after text."""
        top = ranked[0]
        mass = probs[0]
        verdicts = self._same_answer
        for pos in range(1, len(ranked)):
            pair = (top, ranked[pos])
            same = verdicts.get(pair)
            if same is None:
                if len(verdicts) >= SAME_ANSWER_CACHE_SIZE:
                    verdicts.clear()  # bounded, as the finder's caches
                same = verdicts[pair] = same_answer(self.places[top], self.places[ranked[pos]])
            if same:
                mass += probs[pos]
        return mass

    def _alone(self, span: Span, qualifier: set[str], empty: AnchorGrid) -> tuple[int, float, float]:
        """The first place of a span resolved on its own (no context: pass 1), its similarity
        and the mass of its answer; remembered, as the same names after the same cues and
        qualifiers recur from text to text."""
        key = (tuple(span.places.items()), span.cue, span.clitic, frozenset(qualifier))
        hit = self._alone_cache.get(key)
        if hit is None:
            if len(self._alone_cache) >= SAME_ANSWER_CACHE_SIZE:
                self._alone_cache.clear()  # bounded, as the finder's caches
            scored, _, mass = self._resolve(span, qualifier, {}, empty)
            hit = self._alone_cache[key] = (scored[0].place_idx, scored[0].sim, mass)
        return hit

    def _is_a_place(self, span: Span, place: Place, syrian_context: bool, near_anchor: bool,
                    surface: str, listed: bool = False, qualified: bool = False) -> float:
        """How likely the words name a place at all (rather than a person, word or thing);
        ``listed``: joined by و to a place the text names for sure ("منبج وتل رفعت");
        ``qualified``: the place lies in the unit (or near the place) the text names right after
        the words ("دوما بريف دمشق", "Kokab in Hama Province")."""
        if span.blocked:
            return 0.0
        if listed and span.how == "exact":
            return 0.95
        common = span.words == 1 and place.importance < COMMON_WORD_MAX_IMPORTANCE and (
            common_arabic_word(surface) or common_arabic_word(span.reading) or common_english_word(surface)
            or (not span.clitic and _common_after_its_clitic(surface)))
        hashtag = span.cue is not None and span.cue.role == "hashtag"
        # "منطقة الجفر", "قرب X": words that announce any kind of area say little in a text
        # that names nothing Syrian for sure.
        weak_cue = span.cue is not None and (span.cue.word in WEAK_CUES or not span.cue.types)
        cue_fits = span.cue is not None and not hashtag and (syrian_context or not weak_cue) and (
            not span.cue.types or place.type in span.cue.types or (
                span.cue.role in ("region", "dual") and place.type in REGION_TYPES))
        if cue_fits:
            base = 0.95
        elif place.importance >= 0.85 or place.type == "country":
            base = 0.9
        elif span.words >= 2:
            base = 0.7
        elif span.how != "skeleton" and not span.reading[:1].isascii():
            # one Arabic word: many are also common nouns; towns less often than villages
            base = 0.3 + 0.5 * max(0.0, place.importance - 0.3)
            if place.type in TOWN_TYPES:
                # a town alone in a one-line alert ("غارة على سراقب") is still likely meant;
                # frequent words among town names are held back below, as for villages
                base = max(base, LONE_TOWN_PLACENESS)
        else:
            # one capitalised Latin word; named with the unit it lies in ("Kokab in Hama
            # Province", "Kafranbel, Idlib") it is a place more often than not
            base = QUALIFIED_LATIN_PLACENESS if qualified else 0.6
        if hashtag:
            base = min(1.0, base + HASHTAG_BONUS)
        if span.how == "skeleton":
            base *= 0.75 if cue_fits else 0.45
        elif span.how in ("phonetic", "fuzzy"):
            base *= 0.9
        if syrian_context and (near_anchor or cue_fits):
            base = min(1.0, base + 0.35)
        elif syrian_context:
            base = min(1.0, base + 0.1)
        if common and not (cue_fits and span.cue is not None and span.cue.role in ("type", "dual")
                           and (span.cue.types or place.type in TOWN_TYPES)
                           and span.cue is not CUE_AFTER_REGION) \
                and not (place.type in TOWN_TYPES and (
                    (qualified and span.cue is CUE_AFTER_REGION)
                    or (span.cue is not None and span.cue.role == "region"))):
            # "العمر", "طفلة", "مرات", "نيوز بريف حلب": a place named like a frequent word needs
            # a type word before it ("قرية", "بلدة"), whatever else the text says; "قرب" or
            # "محيط" names no type, enough for a town ("قرب الباب") but not for a village
            # ("محيط الملعب", "قرب دوار بلدة ..."); a town whose countryside the text names
            # ("بريف الطبقة"), or that lies in the unit the text names right after it ("دوما
            # بريف دمشق": دوما is also "always"), needs none
            base *= COMMON_WORD_FACTOR
        return base

    # -- the pipeline ------------------------------------------------------------------------
    def parse(self, text: object) -> list[Mention]:  # anything: validate_text says what is wrong
        text = validate_text(text)
        if len(text) < LONG_TEXT:
            return self._parse(text)
        # A long text makes tens of thousands of tokens and spans, none in a reference cycle;
        # the collector's full passes over them made time per KB grow with the text (x1.7 from
        # 1 KB to 1 MB).
        with collector_paused():
            return self._parse(text)

    def _parse(self, text: str) -> list[Mention]:
        tokens = tokenize(text)
        spans = self.finder.find(tokens)
        if not spans:
            return []
        # a family name the text gives a person ("Mohammad al-Halabi told ...") is the person
        # wherever the text repeats it ("... which al-Halabi believes")
        people = {s.reading for s in spans if s.blocked and self.finder.after_a_given_name(tokens, s.i)}
        in_a_name = {t for s in spans for t in range(s.i, s.j)}
        spans = [s for s in spans if not _part_of_a_longer_name(s, tokens, self.places, in_a_name)]
        if people:
            for s in spans:
                if s.reading in people and s.cue is None:
                    s.blocked = True
        for s in spans:
            first = tokens[s.i]
            if (first.norm in ENGLISH_PREPOSITION_ARTICLES and not first.capital and s.words > 1
                    and text[first.end:first.end + 1].isspace()):
                s.start = tokens[s.i + 1].start  # "at Aleppo": the name is "Aleppo"
        if sum(1 for t in tokens if t.arabic) * 2 > len(tokens):
            # In Arabic prose a lone Latin word is a person or an account far more often than a
            # place ("Khaled", "Assi"): it needs a cue word.
            spans = [s for s in spans if tokens[s.i].arabic or s.words > 1 or s.cue is not None]
        qualifiers = [self._qualifier_units(spans, k, tokens) for k in range(len(spans))]

        # pass 1: each span on its own; sure ones become anchors
        anchors = AnchorGrid()
        gov_votes: Counter[str] = Counter()
        empty = AnchorGrid()
        major_anchor = False
        sure_spans: set[int] = set()
        for k, span in enumerate(spans):
            if span.blocked or span.how != "exact" or not (
                    span.cue is not None or span.words >= 2 or
                    any(self.places[idx].importance >= 0.85 for idx in span.places)):
                continue  # cannot be an anchor
            place_idx, sim, mass = self._alone(span, qualifiers[k], empty)
            place = self.places[place_idx]
            sure = mass >= 0.8 and sim >= 0.99 and (
                span.cue is not None or place.importance >= 0.85 or span.words >= 2)
            if sure:
                sure_spans.add(k)
                anchors.add(place.lat, place.lon, k)
                major_anchor = major_anchor or place.importance >= 0.85 or place.type == "country"
                if place.admin1 is not None:
                    gov_votes[place.admin1.pcode] += 1
        total_votes = sum(gov_votes.values())
        gov_share = {g: v / total_votes for g, v in gov_votes.items()} if total_votes else {}
        # The text is about Syria when it names Syria, a governorate, a city or a district
        # for sure, or several sure places in one governorate (a foreign text can name one
        # village-like word after a cue, rarely more).
        syrian_context = bool(anchors)
        context = _Context(tokens, qualifiers, gov_share, anchors, syrian_context)
        # pass 2: with the text's context; then once more for the places listed beside the ones
        # found ("منبج وتل رفعت وعين العرب": a list of places is a cue for each of its members)
        found = {k: self._mention(text, spans, k, context, listed=False) for k in range(len(spans))}
        listed = _members_of_lists(text, spans, tokens,
                                           {k for k, m in found.items() if m is not None})
        for k in listed:
            found[k] = self._mention(text, spans, k, context, listed=True)
        return [m for k, m in sorted(found.items()) if m is not None]

    def _mention(self, text: str, spans: list[Span], k: int, context: "_Context",
                 listed: bool) -> Mention | None:
        span = spans[k]
        if span.blocked:
            return None
        anchors = context.anchors
        scored, probs, mass = self._resolve(span, context.qualifiers[k], context.gov_share, anchors, k)
        best = scored[0]
        place = self.places[best.place_idx]
        near_anchor = anchors.near_place(best.place_idx, place.lat, place.lon, k)
        quality = max(0.0, min(1.0, (best.sim - 0.6) / 0.33))
        surface = text[span.start:span.end]
        if span.cue is not None and span.cue.role == "hashtag" and place.importance < 0.85 \
                and _tag_is_no_place(_hashtag_at(text, span.start)):
            return None  # "#الحدود_الشمالية", "#صباح_الخير", "#الحرير_نيوز": a phrase or an outlet
        qualifier = context.qualifiers[k]
        placeness = quality * self._is_a_place(
            span, place, context.syrian_context, near_anchor, surface, listed=listed,
            qualified=bool(qualifier) and bool(self._in_qualifier(best.place_idx, qualifier)))
        confidence = min(1.0, mass * placeness)
        if qualifier and self._far_from_relations(best.place_idx, qualifier):
            # "قرية X غرب مدينة Y" and the only X known lies 400 km from Y: a place is named,
            # but not this one.  Only where the text says how X and Y relate: a name merely
            # next to another may be the next item of a list ("Saraqeb Khan Sheikhoun")
            confidence *= QUALIFIER_MISS_FACTOR
        # A cue word says a place is named even when the text cannot tell which of several
        # namesakes: report the likeliest with its (low) confidence and the alternatives.
        strong_cue = span.cue is not None and span.cue.word in STRONG_CUES
        if confidence < MIN_CONFIDENCE and not (
                (context.syrian_context or strong_cue) and span.cue is not None
                and placeness >= CUED_PLACENESS and mass >= CUED_MIN_MASS):
            return None
        alternatives = tuple((self.places[s.place_idx], p) for s, p in zip(scored[1:4], probs[1:4])
                             if p >= MIN_ALTERNATIVE)
        reasons = list(best.reasons)
        if span.cue is not None:
            reasons.insert(0, f"after/before the word {span.cue.word!r}")
        if listed:
            reasons.insert(0, "listed with other places of the text")
        end = _facility_name_end(span, place, context.tokens)
        if end != span.end:
            surface = text[span.start:end]
        return Mention(span.start, end, surface, place, confidence, span.reading,
                       alternatives, tuple(dict.fromkeys(reasons)))


# Places whose type word after the name is part of what the text calls them ("Kweyris military
# airport", "the Yarmouk camp"): the mention covers it.
FACILITY_TYPES = frozenset({"airbase", "airport", "camp", "crossing", "dam"})


def _common_after_its_clitic(written: str) -> bool:
    """A glued و/ف/ب/ك/ل before the article and a frequent word: "والواقعة" is و + الواقعة
    ("which lies"), "للقصف" ل + القصف (wordfreq counts the glued forms as rare words).  Asked
    of a word read whole as a name; a word read without its glued letter is asked as read."""
    if len(written) < 5 or written[0] not in "وفبكل":
        return False
    if written.startswith("لل"):
        return common_arabic_word("ا" + written[1:])
    return written[1:3] == "ال" and common_arabic_word(written[1:])


def _facility_name_end(span: Span, place: Place, tokens: list[Token]) -> int:
    """Where the mention of a facility ends: after the type word that follows the name (and
    the words between, "military"), when that word is the span's cue and fits the place."""
    cue = span.cue
    if cue is None or place.type not in FACILITY_TYPES or place.type not in cue.types:
        return span.end
    for k in range(span.j, min(len(tokens), span.j + 2)):
        if tokens[k].clause != tokens[span.j - 1].clause:
            break
        if tokens[k].norm == cue.word:
            return tokens[k].end
        if tokens[k].norm not in CUE_FILLERS:
            break
    return span.end


def same_answer(top: Place, place: Place) -> bool:
    """Whether ``place``, ranked below ``top``, is the same answer for the reader: the rule of
    ``match.same_answer_mass`` for one pair (tested against it)."""
    return (same_referent(top, place) or named_after(place, top)
            or haversine_km(top.lat, top.lon, place.lat, place.lon) <= NEAR_KM)


# A single Arabic word at least as frequent as commonness.COMMON_WORD_ZIPF names a village or a
# town only after a type word.
COMMON_WORD_FACTOR = 0.5
COMMON_WORD_MAX_IMPORTANCE = 0.85  # cities are exempt
TOWN_TYPES = frozenset({"town", "city"})
QUALIFIED_LATIN_PLACENESS = 0.8  # one capitalised word named with the unit it lies in
LONE_TOWN_PLACENESS = 0.55  # a town's single Arabic word with nothing else in the text


def _members_of_lists(text: str, spans: list[Span], tokens: list[Token], found: set[int]) -> set[int]:
    """The members of lists of places: spans next to each other with only a glued و or a comma
    between them ("عفرين والباب وجرابلس", a post's tag line "كفرنبل، حاس، كنصفرة، البارة"). A list
    of three or more counts whole; a pair counts when one of the two is a place ``found``."""
    joined: list[tuple[int, int]] = []
    for k in range(1, len(spans)):
        a, b = spans[k - 1], spans[k]
        if a.j != b.i:
            continue
        between = text[tokens[a.j - 1].end:tokens[b.i].start].strip()
        by_waw = not between and b.clitic and tokens[b.i].norm.startswith("و")
        # after a comma, a word with a glued preposition (ب، ل، ك، ف) goes on the sentence:
        # "... شرقي حلب، بالقصف المدفعي" is the shelling, not one more place of a list
        by_comma = between in (",", "،") and not (b.clitic and not tokens[b.i].norm.startswith("و"))
        if by_waw or by_comma:
            joined.append((k - 1, k))
    group: dict[int, int] = {}  # span → first span of its list
    for first_k, next_k in joined:
        group[next_k] = group.setdefault(first_k, first_k)
    members: dict[int, set[int]] = defaultdict(set)
    for k, first in group.items():
        members[first].add(k)
    listed: set[int] = set()
    for chain in members.values():
        if len(chain) >= 3 or chain & found:
            listed |= chain
    # a lower-case Latin word is never made a place by its neighbours ("Fuaa, has been")
    return {k for k in listed if tokens[spans[k].i].arabic or tokens[spans[k].i].capital}


def _tag_is_no_place(tag: str) -> bool:
    """A hashtag that is a common phrase ("الحدود_الشمالية"), or an outlet's name: a word of
    ``blockers.tsv`` after the place's ("الحرير_نيوز", "حلب_اليوم_tv")."""
    if common_arabic_word(tag):
        return True
    words = blockers()
    return any(normalize(part) in words for part in tag.split("_")[1:])


def _hashtag_at(text: str, start: int) -> str:
    """The whole hashtag a name starts ("الحدود_الشمالية" for "#الحدود_الشمالية"), as written."""
    end = start
    while end < len(text) and (text[end].isalnum() or text[end] in "_\u0640"):
        end += 1
    return text[start:end]


# English verbs of speech: a single name right before one is the speaker, a person.
SPEECH_VERBS = frozenset({"said", "says", "told", "added", "stated", "tweeted", "wrote"})


def _part_of_a_longer_name(span: Span, tokens: list[Token], places: tuple[Place, ...],
                           in_a_name: set[int]) -> bool:
    """A lone capitalised Latin word next to other capitalised words is part of a name the
    gazetteer does not hold, a person's most often ("Rami Abdulrahman", "Bashar al-Assad"),
    unless it is a major place ("Aleppo University") or a cue word follows; a neighbour that is
    itself a place name does not count ("Aleppo's al-Zahraa")."""
    first = tokens[span.i]
    if first.arabic or span.cue is not None:
        return False
    # the article does not count as a word: "Mohammad al-Halabi" is a person
    if sum(t.norm not in LATIN_ARTICLES for t in tokens[span.i:span.j]) > 1:
        return False
    if any(places[idx].importance >= 0.85 for idx in span.places):
        return False
    nxt = tokens[span.j] if span.j < len(tokens) else None
    prev = tokens[span.i - 1] if span.i > 0 else None
    after_preposition = prev is not None and prev.norm in ("in", "of", "at", "near", "from", "to", "and")
    if nxt is not None and nxt.clause == first.clause and nxt.norm in SPEECH_VERBS \
            and not after_preposition:
        return True  # "rebels Pillay said": who speaks is a person ("activists in Binnish said": a place)
    if nxt is not None and nxt.clause == first.clause and nxt.capital and span.j not in in_a_name:
        return True
    return prev is not None and prev.clause == first.clause and prev.capital \
        and not after_preposition and span.i - 1 not in in_a_name


def document_focus(mentions: Sequence[Mention]) -> dict[str, Any] | None:
    """The governorate the text is mostly about, and its most confident place there."""
    weights: dict[str, float] = defaultdict(float)
    refs = {}
    for m in mentions:
        if m.place.admin1 is None:
            continue
        weights[m.place.admin1.pcode] += m.confidence
        refs[m.place.admin1.pcode] = m.place.admin1
    if not weights:
        return None
    gov = max(weights, key=lambda g: (weights[g], g))
    in_gov = [m for m in mentions if m.place.admin1 is not None and m.place.admin1.pcode == gov]
    best = max(in_gov, key=lambda m: (m.confidence, m.place.importance))
    return {"admin1": refs[gov].as_dict(), "weight": round(weights[gov] / sum(weights.values()), 3),
            "place": {"id": best.place.id, "name_en": best.place.name_en, "name_ar": best.place.name_ar}}
