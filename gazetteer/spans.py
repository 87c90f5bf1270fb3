"""Find the runs of words in a text that name places of the gazetteer (the classify step).

Each run of up to ``MAX_WORDS`` words inside one clause is looked up by its key (exact, after
folding), by its Latin phonetic key (another transliteration), and, for Arabic text, by its
consonant skeleton among places known only by a Latin name.  The longest run found at a
position wins.  The words around a run are read too: a cue word before or after it ("قرية",
"ريف", "province"), a blocker that makes it an organisation ("مراسل الجزيرة", "تنظيم الدولة").
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Callable, NamedTuple

from .commonness import common_arabic_word
from .index import NameEntry, NameIndex, QueryKey, split_name
from .lexicon import (
    arabic_stopwords, blockers, cue_words, english_stopwords, foreign_place_keys, generic_heads,
    given_names, non_place_words, qualifier_words,
)
from .match import name_similarity
from .normalize import (
    ARABIC_SKELETON_TABLE, FOLDED_ARABIC_WORD, LATIN_ARTICLES, PHONETIC_RULES, WORD_CACHE_SIZE,
    key_skeleton_words, latin_phonetic, strip_article_latin_word,
)
from .query import arabic_clitic_variants, word_clitic_variants
from .tokens import Token, span_key, without_article

MAX_WORDS = 5
CROSS_SCRIPT_MIN_SIM = 0.86
LONGER_SKELETON_SIM = 0.9  # a longer Latin-only name after a cue beats a shorter exact one
NAMESAKE_MIN_SIM = 0.88  # a Latin-only namesake of an Arabic exact match must agree this well
# ... and then counts nearly as an exact match: its Arabic name is unknown, not different
NAMESAKE_SIM = 0.97
FINDER_CACHE_SIZE = 20_000  # words (and skeleton keys) a finder remembers; then it forgets them
LATIN_FUZZY_MIN_SIM = 0.9  # several capitalised words matched by their consonants
ONE_WORD_FUZZY_MIN_SKELETON = 4  # ... or one word beside a type word, of this many consonants
SHORT_CROSS_SCRIPT_MIN_SIM = 0.78  # two-consonant names ("الزارة" = Az-Zara), after a cue only
_ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ed", "er", "es", "et", "ez"})
_REGION_WORDS = frozenset({
    "ريف", "شرق", "غرب", "شمال", "جنوب", "شرقي", "غربي", "شمالي", "جنوبي", "جنوب شرق", "قرب",
})
# Arabic articles as Latin spellings write them ("at-Tall", "as-Safira") that are English words
# too: followed by a space ("at Aleppo") they are the preposition, not part of the name.
ENGLISH_PREPOSITION_ARTICLES = frozenset({"at", "an", "as"})
# English words that start a sentence or a title with a capital ("In Deir ez-Zor ...") and are
# never the first word of a name read by its sounds or consonants
_ENGLISH_FUNCTION_WORDS = frozenset({"in", "on", "at", "of", "from", "to", "by", "for", "with", "into",
                                     "near", "and", "or", "but", "the", "a", "an", "is", "was"})
_CLITIC_LETTERS = "وبلفك"  # query._CLITICS: the letters arabic_clitic_variants takes off
_TANWEEN_MARK = re.compile("[\u064b-\u064d]")  # ً ٌ ٍ: indefinite endings no place name is written with
# Prepositions and particles no name ends with ("بيت في" is "a house in"): written without the
# article, as the text has them (a name's key drops its articles: "بيت الفي" is keyed "بيت في").
_AR_FUNCTION_WORDS = frozenset({"في", "من", "عن", "مع", "او", "ثم", "قد", "لم", "لن", "منذ", "حيث"})
_DIRECTIONS = frozenset({
    "northern", "southern", "eastern", "western", "north", "south", "east", "west",
    "شمالي", "جنوبي", "شرقي", "غربي", "الشمالي", "الجنوبي", "الشرقي", "الغربي",
})


@dataclass(frozen=True, slots=True)
class Cue:
    word: str
    types: frozenset[str]
    role: str  # "type" | "region" | "dual"
    singular: str = ""


CUE_AFTER_REGION = Cue("ريف/جهة", frozenset(), "type")
# words between a name and the type word after it: "Kweyris military airport", "the Kuweires air base"
CUE_FILLERS = frozenset({"military", "air", "army"})
# "#سرمدا": tweets tag places, and also "#عاجل" (urgent): a weak cue, see parse._is_a_place
HASHTAG = Cue("#", frozenset(), "hashtag")


_REPEATED = re.compile(r"(.)\1+")  # a run of one character (normalize's doubled letters)
_UNKNOWN: Any = object()  # a cache's "not asked yet", where None is an answer
_NOTHING_FOUND: tuple[dict, str] = ({}, "")  # never changed: ``lookup`` hands out copies

# The classes of a word that is none of them (most words)
NO_CLASS = (False, False, False, False)


class _Scan(NamedTuple):
    """Per word of one text: its classes (``SpanFinder._classify``); the words where a name known
    only in Latin script may start (``after_cue``), the countryside/direction words
    (``regions``), and in text order every word where a name may start at all (``starts``):
    the scan visits these only, unless a dual phrase is open."""

    tokens: list[Token]
    classes: list[tuple[bool, bool, bool, bool]]
    after_cue: set[int]
    regions: set[int]
    starts: list[int]

    def region_follows(self, j: int) -> bool:
        """Token j is a countryside/direction word inside the clause of the words before and
        after it."""
        tokens = self.tokens
        return (j in self.regions and j < len(tokens) - 1 and tokens[j].clause == tokens[j - 1].clause
                and tokens[j + 1].clause == tokens[j].clause)


class Span:
    """A run of tokens [i, j) that names one or more places.  (A plain class: a dataclass's
    ``__init__`` is generated at run time, so it runs uncompiled.)"""

    __slots__ = ("i", "j", "start", "end", "places", "how", "clitic", "cue", "blocked", "reading")

    def __init__(self, i: int, j: int, start: int, end: int, places: dict[int, tuple[float, str]],
                 how: str, clitic: bool = False, cue: Cue | None = None, blocked: bool = False,
                 reading: str = "") -> None:
        self.i = i
        self.j = j
        self.start = start
        self.end = end
        self.places = places  # place index → (similarity, how it matched)
        self.how = how  # "exact" | "phonetic" | "skeleton"
        self.clitic = clitic
        self.cue = cue
        self.blocked = blocked
        self.reading = reading  # the folded words looked up

    def _fields(self) -> tuple:
        return (self.i, self.j, self.start, self.end, self.places, self.how, self.clitic, self.cue,
                self.blocked, self.reading)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Span):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, compared by value

    def __repr__(self) -> str:
        return ("Span(i=%r, j=%r, start=%r, end=%r, places=%r, how=%r, clitic=%r, cue=%r, blocked=%r, "
                "reading=%r)" % self._fields())

    @property
    def words(self) -> int:
        return self.j - self.i


# Places only GeoNames knows (hamlets, farms, town sections, abandoned places) and minor sites
# from the war map are not looked for in running text: their names are too often ordinary
# words ("منزله", "جديد", "سليمان") or a person's, and a text that means them says so with a
# fuller name the geocoder can still resolve.
NOT_IN_TEXT_TYPES = frozenset({"hamlet", "farm", "section", "abandoned", "base", "checkpoint", "hill",
                               "factory", "hospital", "prison"})


def looked_for_in_text(place) -> bool:
    return place.type not in NOT_IN_TEXT_TYPES and not place.geonames_only


# GeoNames-only localities (hamlets, farms, sections, places OCHA does not list) are looked for
# in running text only right after a word that says a village is named ("قرية كرهوك"): bare, a
# hamlet's name is far more often a word, a person or a better-known namesake.
HAMLET_CUES = frozenset({"قريه", "قرى", "قريتي", "بلده", "بلدات", "بلدتي", "مزرعه", "مزارع",
                         "village", "villages", "town"})
_MOUNTAIN_WORDS = frozenset({"جبل", "jabal", "jebel", "jbal", "djebel"})
_SITE_TYPES = frozenset({"base", "checkpoint", "hill", "factory", "hospital", "prison"})


def looked_for_after_a_village_cue(place) -> bool:
    return place.geonames_only and place.type not in _SITE_TYPES


class SpanFinder:
    """Looks runs of words up in a name index; build once per gazetteer."""

    def __init__(self, index: NameIndex):
        self.index = index
        self.in_text = [looked_for_in_text(p) for p in index.places]
        self.after_village_cue = [looked_for_after_a_village_cue(p) for p in index.places]
        self.places_type = [p.type for p in index.places]
        phonetic: dict[str, list[int]] = {}
        for e_idx, entry in enumerate(index.entries):
            if not self.in_text[entry.place]:
                continue
            if not entry.arabic and entry.penalty == 0.0 and entry.phonetic:
                phonetic.setdefault(entry.phonetic.replace(" ", ""), []).append(e_idx)
        # Across scripts, a place is looked for by its main Latin name (and the forms that name
        # joins: "Maaret Elnaasan - Maaret Elhaski"), not by every variant a source lists
        # ("Dehr'a" for Daraa would read "ضهر"); and only where its Arabic names do not already
        # say as much: "معارة النعسان" must still find Maaret Elnaasan, whose only Arabic name
        # ("معرة") says less.
        arabic_skels: dict[int, set[str]] = {}
        for entry in index.entries:
            if entry.arabic:
                arabic_skels.setdefault(entry.place, set()).add(entry.skel)
        main_names = [set(split_name(p.name_en)) if p.name_en else set() for p in index.places]
        self.cross_script = [not entry.arabic and not entry.penalty and (
                                 entry.place not in arabic_skels
                                 or (entry.name in main_names[entry.place]
                                     and entry.skel not in arabic_skels[entry.place]))
                             for entry in index.entries]
        # the skeletons of the names looked for across scripts (``_skeleton_lookup``), each with
        # those names, in the index's order: a skeleton's bucket holds every name of it, mostly
        # Arabic ones, that the lookup would pass over one by one
        # (one pass over the names, in index order as the buckets are: ~10 ms)
        by_skel: dict[str, list[int]] = {}
        for e_idx, entry in enumerate(index.entries):
            if entry.skel and self.cross_script[e_idx] and self.in_text[entry.place]:
                by_skel.setdefault(entry.skel, []).append(e_idx)
        self.cross_script_by_skel = {skel: tuple(ids) for skel, ids in by_skel.items()}
        self.phonetic_first = {_first_phonetic(self.index.entries[e].key)
                               for ids in phonetic.values() for e in ids}
        # Arabic names written without their spaces ("كفرنوران", "#ديرالزور", "معرةالنعمان")
        glued: dict[str, list[int]] = {}
        for key, ids in index.by_key.items():
            ids = [e for e in ids if index.entries[e].arabic and self.in_text[index.entries[e].place]]
            if " " in key and ids:
                glued.setdefault(key.replace(" ", ""), []).extend(ids)
                # "ديرالزور": the article of the second word is written too
                words = key.split()
                with_article = words[0] + "".join("ال" + w for w in words[1:])
                glued.setdefault(with_article, []).extend(ids)
        # Every word-prefix of every indexed key: a run of words is extended only while it can
        # still become a name, so most words cost one set lookup.
        # Lists of ids as tuples: the collector stops tracking a tuple of ints, and its full passes
        # would otherwise walk these tens of thousands of lists (built on the first parse, after
        # a loaded gazetteer is frozen out of them)
        self.phonetic: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in phonetic.items()}
        self.glued: dict[str, tuple[int, ...]] = {k: tuple(v) for k, v in glued.items()}
        self.prefixes: set[str] = set()
        # the first words of names of several words: a word common as written is read without
        # its glued clitic only as the start of one of these ("وعين العرب", not "وعين" alone)
        self.multi_heads: set[str] = set()
        for key in index.by_key:
            words = key.split()
            for n in range(1, len(words) + 1):
                self.prefixes.add(" ".join(words[:n]))
            if len(words) > 1:
                self.multi_heads.add(words[0])
        self._cues = cue_words()
        self._cue_words = {w for w, _ in self._cues}
        self._word_class: dict[str, tuple[bool, bool, bool, bool]] = {}
        self._skeleton_cache: dict[str, tuple[dict[int, tuple[float, str]], str]] = {}
        self._exact_cache: dict[tuple[str, bool, bool], dict[int, tuple[float, str]]] = {}
        self._cue_before_cache: dict[tuple[str, bool, bool], Cue | None] = {}
        self._blocker_cache: dict[tuple[str, bool], bool] = {}
        self._starts_with_cue_cache: dict[tuple[str, bool], bool] = {}
        self._lookup_cache: dict[tuple, tuple[dict[int, tuple[float, str]], str]] = {}
        self._never_alone_cache: dict[tuple[str, bool, bool], bool] = {}
        # per reading of an Arabic span: the places known only by a Latin name it may also name
        self._namesakes_cache: dict[str, tuple[tuple[int, tuple[float, str]], ...]] = {}
        # "سوريا", "حلب": a span naming one of these has no village namesakes (per place index)
        self._major = [p.importance >= 0.85 for p in index.places]
        self._blockers = blockers()
        self._given_names = given_names()
        # What a word must be, or become without a glued clitic (``may_read_as``), to be a cue
        # before a name (also with the article: "المدينة"), any cue, a blocker: a new word that
        # is none (most) is answered without its clitic readings
        before = {w for w, side in self._cues if side == "before"}
        self._cue_before_forms = frozenset(before | {"ال" + w for w in before})
        self._cue_forms = frozenset(w for w, _ in self._cues)
        self._non_places = non_place_words()
        self._stop = english_stopwords()
        # English adjectives that translate an Arabic one ("Eastern", "Big"): the index keys a
        # name that starts with one with the adjective after the noun, as the Arabic has it
        self._adjectives = frozenset(qualifier_words())
        self._ar_stop = arabic_stopwords()
        self._generic = generic_heads()
        # the folded words whose key is a generic first word: itself, or an Arabic one with the
        # article (``word_key`` takes it off)
        self._generic_forms = self._generic | {"ال" + g for g in self._generic if not g.isascii()}
        self._foreign = foreign_place_keys()
        self._foreign_prefixes = {" ".join(k.split()[:n]) for k in self._foreign
                                  for n in range(1, len(k.split()) + 1)}
        # Every word a class asks about (a name's first word, a glued name, a cue, a foreign
        # name's first word, a countryside/direction word): a new Arabic word none of whose
        # readings can be one of them (``may_have_a_class``; most) has no class, without its
        # readings worked out
        self._class_forms = frozenset(
            {k for k in self.prefixes if " " not in k} | self.glued.keys() | self._cue_words
            | {k for k in self._foreign_prefixes if " " not in k} | _REGION_WORDS)

    def word_caches(self) -> tuple[dict, ...]:
        """The caches this finder fills per word (bounded by ``FINDER_CACHE_SIZE``): emptied,
        the next text is read as if its words were new (``bench/bench_parse_scale.py``)."""
        return (self._word_class, self._skeleton_cache, self._exact_cache, self._cue_before_cache,
                self._blocker_cache, self._starts_with_cue_cache, self._lookup_cache,
                self._namesakes_cache, self._never_alone_cache)

    # -- lookups -----------------------------------------------------------------------------
    def lookup(self, words: tuple[str, ...], arabic: bool, allow_skeleton: bool = True,
               allow_phonetic: bool = True, skeleton_only: bool = False,
               village_cue: bool = False) -> tuple[dict[int, tuple[float, str]], str]:
        """Places named by a run of folded words, with similarity; and how they were found.
        ``village_cue``: the words follow "قرية", "بلدة", "village"...: hamlets count too.
        Remembered per run and options (the same runs recur; the caller gets its own copy, which
        a span's namesakes may extend)."""
        cache_key = (words, arabic, allow_skeleton, allow_phonetic, skeleton_only, village_cue)
        hit = self._lookup_cache.get(cache_key)
        if hit is None:
            if len(self._lookup_cache) >= FINDER_CACHE_SIZE:
                self._lookup_cache.clear()  # bounded, as the skeleton cache
            hit = self._lookup_uncached(words, arabic, allow_skeleton, allow_phonetic,
                                        skeleton_only, village_cue)
            # most runs name nothing: one shared empty answer for them (callers get copies)
            hit = self._lookup_cache[cache_key] = hit if hit[0] else _NOTHING_FOUND
        return dict(hit[0]), hit[1]

    def _lookup_uncached(self, words: tuple[str, ...], arabic: bool, allow_skeleton: bool,
                         allow_phonetic: bool, skeleton_only: bool,
                         village_cue: bool) -> tuple[dict[int, tuple[float, str]], str]:
        """``lookup`` without its cache."""
        key = span_key(words)
        if not key:
            return {}, ""
        found: dict[int, tuple[float, str]] = {}
        if skeleton_only:
            return self._skeleton_lookup(key, found)
        named_mountain = len(words) > 1 and words[0] in _MOUNTAIN_WORDS
        found.update(self._exact_places(key, village_cue, named_mountain))
        if not found and arabic and len(words) == 1:
            for e_idx in self.glued.get(key, ()):
                entry = self.index.entries[e_idx]
                found[entry.place] = (0.99 - entry.penalty, "exact")
        if found:
            if arabic and allow_skeleton:
                self._add_latin_namesakes(key, found)
            elif not arabic:
                # another transliteration of the same name may be the better-known place:
                # "Tabaqa" is a village's OCHA name and the town al-Tabqa's "Tabaqah"
                for e_idx in self.phonetic.get(latin_phonetic(key).replace(" ", ""), ()):
                    place = self.index.entries[e_idx].place
                    if place not in found:
                        found[place] = (0.96, "exact")
            return found, "exact"
        if not arabic:
            if not allow_phonetic:
                return {}, ""
            phon = latin_phonetic(key).replace(" ", "")
            for e_idx in self.phonetic.get(phon, ()):
                entry = self.index.entries[e_idx]
                found[entry.place] = (0.96, "phonetic")
            return found, ("phonetic" if found else "")
        if not allow_skeleton:
            return {}, ""
        return self._skeleton_lookup(key, found)

    def _exact_places(self, key: str, village_cue: bool, named_mountain: bool) -> dict[int, tuple[float, str]]:
        """The places with a name of this key that running text may name, at the similarity
        of their best such name (cached: the same names recur; callers copy, never change it)."""
        cache_key = (key, village_cue, named_mountain)
        found = self._exact_cache.get(cache_key)
        if found is None:
            if len(self._exact_cache) >= FINDER_CACHE_SIZE:
                self._exact_cache.clear()  # bounded, as the skeleton cache
            found = {}
            for e_idx in self.index.by_key.get(key, ()):
                entry = self.index.entries[e_idx]
                if not self._may_name(entry.place, village_cue=village_cue, named_mountain=named_mountain):
                    continue
                sim = 1.0 - entry.penalty
                if sim > found.get(entry.place, (0.0, ""))[0]:
                    found[entry.place] = (sim, "exact")
            self._exact_cache[cache_key] = found  # once complete: another thread may read it
        return found

    def _may_name(self, place: int, *, village_cue: bool = False, named_mountain: bool = False) -> bool:
        """Whether running text is read as naming this place: the places looked for in text;
        GeoNames-only hamlets right after a village cue ("قرية كرهوك"); a hill the war map lists
        when its name says it is a mountain ("Jabal al-Arbaeen"), never as a bare word."""
        return (self.in_text[place] or (village_cue and self.after_village_cue[place])
                or (named_mountain and self.places_type[place] == "hill"))

    def _by_skeleton(self, q: QueryKey, min_sim: float, how: str,
                     usable: Callable[[int, NameEntry], bool]) -> dict[int, tuple[float, str]]:
        """Places with a name of the query's consonant skeleton that ``usable`` accepts, at a
        similarity of at least ``min_sim`` (the best name of each place)."""
        found: dict[int, tuple[float, str]] = {}
        for e_idx in self.index.by_skel.get(q.skel, ()):
            entry = self.index.entries[e_idx]
            if not usable(e_idx, entry):
                continue
            sim = name_similarity(q, entry)
            if sim >= min_sim and sim > found.get(entry.place, (0.0, ""))[0]:
                found[entry.place] = (sim, how)
        return found

    def _latin_fuzzy_lookup(self, words: tuple[str, ...], types: frozenset[str] | None = None
                            ) -> tuple[dict[int, tuple[float, str]], str]:
        """Places with a Latin name of the same consonant skeleton as several Latin words, at a
        similarity of at least ``LATIN_FUZZY_MIN_SIM``; or as one word, among the places of
        ``types`` (a type word beside it says what it names)."""
        key = span_key(words)
        if not key or (len(key.split()) < 2 and not types):
            return {}, ""
        keys = [key]
        if types and key.startswith("al") and len(key) > 5 and " " not in key:
            keys.append(key[2:])  # "Alsaliheen": the article glued to the name
        named_mountain = words[0] in _MOUNTAIN_WORDS
        for k in keys:
            q = QueryKey.of(k, False)
            if " " not in k and len(q.skel) < ONE_WORD_FUZZY_MIN_SKELETON:
                continue  # "Qassiab" is not Kasab: three consonants say too little
            found = self._by_skeleton(
                q, LATIN_FUZZY_MIN_SIM, "fuzzy",
                lambda _, entry: not entry.arabic and not entry.penalty
                and self._may_name(entry.place, named_mountain=named_mountain)
                and (types is None or self.places_type[entry.place] in types))
            if found:
                return found, "fuzzy"
        return {}, ""

    def _add_latin_namesakes(self, key: str, found: dict[int, tuple[float, str]]) -> None:
        """Add to the places an Arabic name was found for those it may also name through a Latin
        name only: "الزر" is Zarak (whose Arabic names include "زر") or Zir (known only as
        "Zir"); the context decides between them."""
        if self._names_a_major_place(found):
            return
        for idx, value in self._namesakes_of_key(key):
            if idx not in found:
                found[idx] = value

    def _namesakes_of_key(self, key: str) -> tuple[tuple[int, tuple[float, str]], ...]:
        """The places of a key's Latin namesakes, as ``_add_latin_namesakes`` adds them."""
        extra, _ = self._skeleton_lookup(key, {})
        return tuple((idx, (max(sim, NAMESAKE_SIM), how)) for idx, (sim, how) in extra.items()
                     if sim >= NAMESAKE_MIN_SIM)

    def _latin_namesakes(self, reading: str) -> tuple[tuple[int, tuple[float, str]], ...]:
        """``_namesakes_of_key`` of the key of a span's reading (its folded words), cached per
        reading: every Arabic span found exact asks."""
        hit = self._namesakes_cache.get(reading)
        if hit is None:
            if len(self._namesakes_cache) >= FINDER_CACHE_SIZE:
                self._namesakes_cache.clear()  # bounded, as the skeleton cache
            hit = self._namesakes_cache[reading] = self._namesakes_of_key(span_key(tuple(reading.split())))
        return hit

    def _skeleton_lookup(self, key: str, found: dict) -> tuple[dict[int, tuple[float, str]], str]:
        cached = self._skeleton_cache.get(key)
        if cached is None:
            if len(self._skeleton_cache) >= FINDER_CACHE_SIZE:
                self._skeleton_cache.clear()  # a server reads texts without end: memory stays flat
            cached = self._skeleton_cache[key] = self._skeleton_lookup_uncached(key)
        found.update(cached[0])
        return found, cached[1]

    def _skeleton_lookup_uncached(self, key: str) -> tuple[dict[int, tuple[float, str]], str]:
        names = self.cross_script_by_skel.get(self._skeleton_of(key))
        if names is None:
            return {}, ""  # no name of this skeleton is looked for: the query's forms are not needed
        q = QueryKey.of(key, True)
        if len(q.skel) < 2:
            return {}, ""
        min_sim = CROSS_SCRIPT_MIN_SIM if len(q.skel) > 2 else SHORT_CROSS_SCRIPT_MIN_SIM
        # ``_by_skeleton`` over the names looked for across scripts, kept per skeleton
        found: dict[int, tuple[float, str]] = {}
        entries = self.index.entries
        for e_idx in names:
            entry = entries[e_idx]
            sim = name_similarity(q, entry)
            if sim >= min_sim and sim > found.get(entry.place, (0.0, ""))[0]:
                found[entry.place] = (sim, "skeleton")
        return found, ("skeleton" if found else "")

    def _skeleton_of(self, key: str) -> str:
        """The consonant skeleton of a key: an Arabic name's key has it in the index already
        (its entries' ``skel``, which is this rule: tests/test_parse_fast_paths.py)."""
        ids = self.index.by_key.get(key)
        if ids:
            entry = self.index.entries[ids[0]]
            if entry.arabic:
                return entry.skel
        skeleton = _arabic_key_skeleton(key)
        return skeleton if skeleton is not None else "".join(key_skeleton_words(key))

    def _starts_with_cue(self, tok: Token) -> bool:
        """Whether the word is a cue word, or one with a glued و/ب/ل ("بريف"), cached."""
        hit = self._starts_with_cue_cache.get((tok.norm, tok.arabic))
        if hit is None:
            if len(self._starts_with_cue_cache) >= FINDER_CACHE_SIZE:
                self._starts_with_cue_cache.clear()  # bounded, as the skeleton cache
            hit = self._starts_with_cue_cache[(tok.norm, tok.arabic)] = may_read_as(tok.norm, self._cue_forms) and (
                self._is_cue(tok.norm) or (
                    tok.arabic and any(self._is_cue(v) for v in _clitic_variants_of_norm(tok.norm))))
        return hit

    def _cue_word_readings(self, readings: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
        """The readings of a word that is or holds a cue word: as written, and the cue word
        without its glued preposition ("بريف دمشق" is ب + ريف دمشق, Rural Damascus); no other
        (the "لدة" of "بلدة" is no reading)."""
        return [readings[0], *(r for r in readings[1:] if self._is_cue(r[0]))]

    def _is_cue(self, word: str) -> bool:
        """A cue word before or after a name (the sides of ``cue_words.tsv``): one set lookup."""
        return word in self._cue_words

    # -- context -------------------------------------------------------------------------------
    def _cue_before(self, tokens: list[Token], i: int) -> Cue | None:
        """The cue word right before token i (or "#" written before it)."""
        tok = tokens[i]
        if i == 0 or tokens[i - 1].clause != tok.clause:
            return HASHTAG if tok.hashtag else None
        prev = tokens[i - 1]
        cache_key = (prev.norm, prev.arabic, tok.norm.startswith("ال"))
        cue = self._cue_before_cache.get(cache_key, _UNKNOWN)
        if cue is _UNKNOWN:
            if len(self._cue_before_cache) >= FINDER_CACHE_SIZE:
                self._cue_before_cache.clear()  # bounded, as the skeleton cache
            cue = self._cue_before_cache[cache_key] = self._cue_word(*cache_key) \
                if may_read_as(prev.norm, self._cue_before_forms) else None
        if cue is not None:
            return cue
        # "town of X", "village of X"
        if prev.norm == "of" and i >= 2 and tokens[i - 2].clause == prev.clause:
            hit = self._cues.get((tokens[i - 2].norm, "before"))
            if hit:
                return Cue(tokens[i - 2].norm, hit[0], hit[1], hit[2])
        return HASHTAG if tok.hashtag else None

    def _cue_word(self, prev: str, arabic: bool, name_has_article: bool) -> Cue | None:
        """The cue that the word ``prev`` (folded) is before a name, if it is one."""
        for word in [prev, *_clitic_variants_of_norm(prev)] if arabic else [prev]:
            hit = self._cues.get((word, "before"))
            if hit:
                return Cue(word, hit[0], hit[1], hit[2])
            if arabic and word.startswith("ال") and not name_has_article:
                # "المنطقة الوسطى", "المدينة الصناعية": two words with the article are a noun
                # and its adjective, not a type word and a name
                hit = self._cues.get((word[2:], "before"))
                if hit:
                    return Cue(word, hit[0], hit[1], hit[2])
        return None

    def _cue_after(self, tokens: list[Token], j: int) -> Cue | None:
        for k in (j, j + 1):
            if k >= len(tokens) or tokens[k].clause != tokens[j - 1].clause:
                return None
            hit = self._cues.get((tokens[k].norm, "after"))
            if hit:
                return Cue(tokens[k].norm, hit[0], hit[1], hit[2])
            if tokens[k].norm not in _DIRECTIONS and tokens[k].norm not in CUE_FILLERS:
                return None
        return None

    def _scan_of(self, tokens: list[Token]) -> "_Scan":
        """What the scan of a text asks of each word, computed once for the text: the words of
        some class are few, and only they are visited after the one pass that classifies."""
        known = self._word_class
        classes = [known.get(t.norm) or self._classify(t) for t in tokens]  # most: one dict lookup
        # compared by value: compiled code gives each boxed copy of NO_CLASS its own identity
        marked = [k for k, c in enumerate(classes) if c != NO_CLASS]
        # a name known only in Latin script may start here: after a cue word, or one to three
        # words before a countryside/direction word of its clause ("X بريف Y")
        after_cue: set[int] = set()
        regions: set[int] = set()
        starts = []
        n = len(tokens)
        for k in marked:
            could_start, cue, could_be_foreign, region = classes[k]
            if could_start or could_be_foreign:
                starts.append(k)
            if cue and k + 1 < n and tokens[k + 1].arabic:
                after_cue.add(k + 1)
            if region:
                regions.add(k)
                if tokens[k].arabic:
                    clause = tokens[k].clause
                    after_cue.update(i for i in range(max(0, k - 3), k)
                                     if tokens[i].arabic and tokens[i].clause == clause)
        # a Latin word that starts no indexed name may still start one (``_may_start_latin``):
        # the Latin words are few in Arabic text, found in C by list.index
        latin = []
        flags = [t.arabic for t in tokens]
        k = -1
        try:
            while True:
                k = flags.index(False, k + 1)
                if not classes[k][0] and self._may_start_latin(tokens, k, classes):
                    latin.append(k)
        except ValueError:
            pass
        if after_cue or latin:
            starts = sorted(after_cue.union(starts, latin))
        return _Scan(tokens, classes, after_cue, regions, starts)

    def after_a_given_name(self, tokens: list[Token], i: int) -> bool:
        """Whether the word at i is a family name: a common given name right before it, and it
        has the article (Arabic) or a capital ("نبيل العثمان", "Mohammad al-Halabi")."""
        if i == 0:
            return False
        prev = tokens[i - 1]
        return prev.norm in self._given_names and prev.clause == tokens[i].clause and (
            tokens[i].norm.startswith("ال") if prev.arabic
            else prev.capital and (tokens[i].capital or tokens[i].norm in _ARTICLES))

    def _blocked(self, tokens: list[Token], i: int) -> bool:
        if i == 0:
            return False
        if self.after_a_given_name(tokens, i):
            return True
        prev = tokens[i - 1]
        blocked = self._blocker_cache.get((prev.norm, prev.arabic))
        if blocked is None:
            if len(self._blocker_cache) >= FINDER_CACHE_SIZE:
                self._blocker_cache.clear()  # bounded, as the skeleton cache
            if not may_read_as(prev.norm, self._blockers):
                blocked = self._blocker_cache[(prev.norm, prev.arabic)] = False
            else:
                words = [prev.norm, *_clitic_variants_of_norm(prev.norm)] if prev.arabic else [prev.norm]
                blocked = self._blocker_cache[(prev.norm, prev.arabic)] = any(w in self._blockers for w in words)
        return blocked

    # -- the scan --------------------------------------------------------------------------------
    def find(self, tokens: list[Token]) -> list[Span]:
        spans: list[Span] = []
        i = 0
        n_tokens = len(tokens)
        dual: Cue | None = None  # an open "جبلي X و Y" phrase
        scan = self._scan_of(tokens)
        classes, starts = scan.classes, scan.starts
        n_starts = len(starts)
        next_start = 0  # into starts
        while i < n_tokens:
            if dual is None:  # the common case: go to the next word where a name may start
                while next_start < n_starts and starts[next_start] < i:
                    next_start += 1
                if next_start == n_starts:
                    break
                i = starts[next_start]
            could_be_foreign = classes[i][2]
            foreign_end = self._foreign_at(tokens, i) if could_be_foreign else 0
            if foreign_end:
                i = foreign_end  # "المدينة المنورة", "بيروت": a place abroad, not a Syrian one
                dual = None
                continue
            best = self._longest_at(tokens, i, dual, scan)
            if best is None:
                if dual and not tokens[i].norm.startswith("و") and tokens[i].norm not in _DIRECTIONS:
                    dual = None  # a direction may follow the first half: "ريفي حماة الغربي واللاذقية"
                i += 1
                continue
            spans.append(best)
            if best.cue and best.cue.role == "dual":
                dual = best.cue
            elif dual and not (best.clitic and tokens[best.i].norm.startswith("و")):
                dual = None
            i = best.j
        return spans

    def _foreign_at(self, tokens: list[Token], i: int) -> int:
        """End of the longest well-known foreign place name starting at token i, or 0."""
        tok = tokens[i]
        if not self._classify(tok)[2]:
            return 0
        best = 0
        for word, clitic in _every_reading(tok.norm, tok.arabic):
            key = word_key(word, tok.arabic)
            if key not in self._foreign_prefixes:
                continue
            if clitic and not _clitic_readable(tok.text):
                break  # as ``_readings``
            if key in self._foreign:
                best = max(best, i + 1)
            j = i + 1
            while j < len(tokens) and j < i + 4 and tokens[j].clause == tok.clause:
                key = f"{key} {word_key(tokens[j].norm, tokens[j].arabic)}"
                if key not in self._foreign_prefixes:
                    break
                j += 1
                if key in self._foreign:
                    best = max(best, j)
        return best

    def _classify(self, tok: Token) -> tuple[bool, bool, bool, bool]:
        """(can a name start here, is this a cue word, can a foreign name start here, is this
        a countryside/direction word), cached per folded word."""
        hit = self._word_class.get(tok.norm)
        if hit is None:
            if len(self._word_class) >= FINDER_CACHE_SIZE:
                self._word_class.clear()  # bounded, as the skeleton cache
            hit = self._word_class[tok.norm] = self._classes(tok)
        return hit

    def _classes(self, tok: Token) -> tuple[bool, bool, bool, bool]:
        """``_classify`` uncached.  An Arabic word is also read without a glued و/ب/ل, unless
        it is common as written (``_readings``); asking wordfreq is the dearest step of a new
        word, so it is asked only when a reading without the clitic changes the answer."""
        arabic = tok.arabic
        if arabic and not may_have_a_class(tok.norm, self._class_forms):
            return NO_CLASS
        bare = self._classes_of(tok.norm, arabic, False)
        if not arabic or tok.norm[:1] not in _CLITIC_LETTERS:
            return bare  # no clitic reading (most words)
        every = bare
        for v in _clitic_variants_of_norm(tok.norm):
            c = self._classes_of(v, arabic, True)
            every = (every[0] or c[0], every[1] or c[1], every[2] or c[2], every[3] or c[3])
        if every == bare:
            return bare
        if not _clitic_readable(tok.text):
            # common as written ("وعين": "and appointed"): read without the clitic only as the
            # first word of a longer name ("وعين العرب")
            head = any(without_article(v) in self.multi_heads
                       for v in _clitic_variants_of_norm(tok.norm))
            return (bare[0] or head, bare[1], bare[2], bare[3])
        return every

    def _classes_of(self, word: str, arabic: bool, clitic: bool) -> tuple[bool, bool, bool, bool]:
        """The classes of one reading of a word (``clitic``: read without a glued و/ب/ل).  Every
        word these tests ask about must be in ``_class_forms`` (``may_have_a_class`` answers a new
        Arabic word from it alone)."""
        key = without_article(word) if arabic else word_key(word, False)
        could_start = bool(key) and (key in self.prefixes or key in self.glued)
        if not could_start and not arabic and not clitic:
            could_start = word in _ARTICLES or _first_phonetic(word) in self.phonetic_first
        cue = word in self._cue_words or (word.startswith("ال") and word[2:] in self._cue_words)
        return could_start, cue, key in self._foreign_prefixes, arabic and word in _REGION_WORDS

    def _longest_at(self, tokens: list[Token], i: int, dual: Cue | None, scan: "_Scan") -> Span | None:
        first = tokens[i]
        if not first.arabic and first.norm in self._adjectives:
            span = self._adjective_first(tokens, i, dual)
            if span is not None or not scan.classes[i][0]:
                return span
        if dual is None and not scan.classes[i][0] and not first.arabic and first.capital:
            return self._one_word_named_by_type(tokens, i, dual)  # "Alsaliheen neighborhood"
        if dual is None and not scan.classes[i][0]:
            # a name known only in Latin script may still follow a cue word in Arabic text, or
            # come before "بريف X"
            if i not in scan.after_cue:
                return None
        if not first.arabic:
            # Latin names start with a capital ("Deir ez-Zor", "al-Bab" counts by its second word)
            if not first.capital and not (first.norm in _ARTICLES and i + 1 < len(tokens)
                                          and tokens[i + 1].capital):
                if self._cue_before(tokens, i) is None:
                    return None
        last = min(len(tokens), i + MAX_WORDS)
        end = i + 1
        while end < last and tokens[end].clause == first.clause:
            end += 1
        cue_before = self._cue_before(tokens, i)
        first_is_cue = self._starts_with_cue(first)
        exact = self._exact(tokens, i, end, dual, cue_before, first_is_cue)
        if exact is None and not first.arabic:
            for j in range(min(end, i + 3), i, -1):  # another transliteration
                # a new name (not ``exact``): mypy narrows ``exact`` to None after this loop,
                # and mypyc would compile that narrowing into a check that fails
                tried = self._try(tokens, i, j, dual, cue_before, first_is_cue, False, phonetic=True)
                if tried is not None:
                    exact = tried
                    break
            if exact is None:
                exact = self._one_word_named_by_type(tokens, i, dual)
        if not first.arabic:
            # A name of several capitalised words spelled another way ("Bab al-Salama" for Bab
            # al-Salameh, "Jabal al-Arbaeen"): the whole run, matched by its consonants, beats
            # a shorter exact piece of it ("Bab", "al-Arbaeen" alone).
            run_end = i
            while run_end < end and (tokens[run_end].capital or tokens[run_end].norm in _ARTICLES):
                run_end += 1
            # "at Bab al-Salama": "at" reads as an article, but in English it is the preposition
            run_start = i + 1 if first.norm in self._stop and not first.capital else i
            shortest = exact.j + 1 if exact is not None else run_start + 2
            for j in range(run_end, max(shortest, run_start + 2) - 1, -1):
                span = self._try(tokens, run_start, j, dual, self._cue_before(tokens, run_start),
                                 False, False, fuzzy=True)
                if span is not None:
                    exact = span
                    break
        if not first.arabic or first_is_cue:
            return exact
        if cue_before is None:
            # "في سرمدا بريف إدلب", "الزر شرقي دير الزور": a countryside or a direction
            # right after the word says it is a place, as a cue before it would.
            regions = scan.regions
            if regions:  # most texts name no countryside or direction near most words
                for j in range(min(end, i + 3), i, -1):
                    if j in regions and scan.region_follows(j):
                        span = self._try(tokens, i, j, dual, CUE_AFTER_REGION, first_is_cue, True)
                        if span is not None and exact is None:
                            return self._with_latin_namesakes(span, tokens)
            if exact is not None and exact.cue is None and exact.j in regions and scan.region_follows(exact.j):
                exact.cue = CUE_AFTER_REGION  # "في عفرين شمالي حلب": the same cue for a known name
            return self._with_latin_namesakes(exact, tokens) if exact is not None else None
        # After a cue, a longer name known only in Latin script beats a shorter exact one when
        # it matches well, or when the exact one is only a generic first word ("قرية برج قاعي"
        # is Burj Qaei, not the village Borj; "بلدة معارة النعسان" is not Maaret Atarib).
        generic = exact is not None and exact.words == 1 and word_key(first.norm, True) in self._generic
        shortest = exact.j + 1 if exact is not None else i + 1
        for j in range(end, shortest - 1, -1):
            span = self._try(tokens, i, j, dual, cue_before, first_is_cue, True)
            if span is not None and exact is not None and span.clitic != exact.clitic:
                continue  # "ببلدة بنش" is Binnish, not a name read from "نش ..."
            if span is not None and (exact is None or generic or
                                     max(sim for sim, _ in span.places.values()) >= LONGER_SKELETON_SIM):
                return span
        return self._with_latin_namesakes(exact, tokens) if exact is not None else None

    def _generic_head_goes_on(self, tokens: list[Token], j: int) -> bool:
        """Whether the word before token j is a generic first word ("تل", "عين", "Jabal") that,
        with token j of the same clause, begins an indexed name."""
        if j >= len(tokens) or tokens[j].clause != tokens[j - 1].clause:
            return False
        last = tokens[j - 1]
        head = word_key(last.norm, last.arabic)
        if head not in self._generic:
            return False
        nxt = word_key(tokens[j].norm, tokens[j].arabic)
        return bool(nxt) and f"{head} {nxt}" in self.prefixes

    def _name_starts_at(self, tokens: list[Token], j: int) -> bool:
        """Whether an indexed name may start at token j of the same clause, as written (a word
        with a glued preposition, "بدمشق", reads as a new phrase)."""
        if j >= len(tokens) or tokens[j].clause != tokens[j - 1].clause:
            return False
        key = word_key(tokens[j].norm, tokens[j].arabic)
        return bool(key) and (key in self.prefixes or key in self.glued)

    def _adjective_first(self, tokens: list[Token], i: int, dual: Cue | None) -> Span | None:
        """A Latin name that starts with an English adjective ("Eastern Ghouta", "eastern Ghouta",
        "Western Zafarana"), found by the key the index gives it: the adjective after the noun
        (``normalize.name_key``), which no walk over the words' own keys reaches.  Only the whole
        name counts: "northern Aleppo" is Aleppo, read from the next word."""
        if i + 1 >= len(tokens) or not tokens[i + 1].capital or tokens[i + 1].clause != tokens[i].clause:
            return None
        if not tokens[i].capital and tokens[i].norm not in _DIRECTIONS:
            return None  # "the new Aleppo governor"; but "eastern Ghouta" is written so
        end = i + 2
        while end < min(len(tokens), i + MAX_WORDS) and tokens[end].clause == tokens[i].clause:
            end += 1
        cue_before = self._cue_before(tokens, i)
        for j in range(end, i + 1, -1):
            span = self._try(tokens, i, j, dual, cue_before, False, False)
            if span is not None:
                # "eastern Deir el-Zour" is not the village Eastern Deir: the name goes on
                return None if self._latin_name_goes_on(tokens, j) else span
        return None

    def _latin_name_goes_on(self, tokens: list[Token], j: int) -> bool:
        """Whether the capitalised Latin words of a name continue at token j."""
        if j >= len(tokens) or tokens[j].clause != tokens[j - 1].clause or tokens[j].arabic:
            return False
        if tokens[j].norm in _ARTICLES:
            return _article_before_a_capital(tokens, j)
        return tokens[j].capital and tokens[j].norm not in self._stop

    def _may_start_latin(self, tokens: list[Token], i: int, classes: list) -> bool:
        """Whether a Latin word that starts no indexed name may still start one: an English
        adjective ("Eastern Ghouta"), or a capitalised word beside a type word ("Alsaliheen
        neighborhood", "the village of Kafr X") that ``_one_word_named_by_type`` reads."""
        tok = tokens[i]
        if tok.norm in self._adjectives:
            return True
        if not tok.capital:
            return False
        return bool((i and classes[i - 1][1]) or (i + 1 < len(tokens) and classes[i + 1][1])
                    or (i > 1 and tokens[i - 1].norm == "of" and classes[i - 2][1]))

    def _one_word_named_by_type(self, tokens: list[Token], i: int, dual: Cue | None) -> Span | None:
        """One capitalised Latin word, after an article or not, that a type word next to it
        calls a neighbourhood, village or town ("al-Saliheen neighborhood", "the neighborhood
        Alsaliheen") though no name of such a place is spelled so: read by its consonants,
        among places of that type only (``_latin_fuzzy_lookup``)."""
        first = tokens[i]
        if first.norm in _ARTICLES and _article_before_a_capital(tokens, i):
            j = i + 2
        elif first.capital:
            j = i + 1
        else:
            return None
        cue = self._cue_before(tokens, i)
        if cue is None or cue.role != "type":
            cue = self._cue_after(tokens, j)
        if cue is None or cue.role != "type" or "*" in cue.types:
            return None
        return self._try(tokens, i, j, dual, self._cue_before(tokens, i), False, False,
                         fuzzy=True, fuzzy_types=cue.types)

    def _with_latin_namesakes(self, span: Span, tokens: list[Token]) -> Span:
        """Add the places known only by a Latin name that the Arabic words may also name:
        "الخاتونية" is Sayyeda Khatuniyeh in Aleppo (which has an Arabic name) or Katuniyeh in
        Raqqa (which has none); the context decides between them."""
        if tokens[span.i].arabic and span.how == "exact" and not self._names_a_major_place(span.places):
            found = span.places
            for idx, value in self._latin_namesakes(span.reading):
                if idx not in found:
                    found[idx] = value  # as _add_latin_namesakes, whose major-place test is done
        return span

    def _names_a_major_place(self, found: dict[int, tuple[float, str]]) -> bool:
        """"سوريا", "حلب": no village namesake competes with these."""
        major = self._major
        for idx in found:
            if major[idx]:
                return True
        return False

    def _exact(self, tokens: list[Token], i: int, end: int, dual: Cue | None,
               cue_before: Cue | None, first_is_cue: bool) -> Span | None:
        """The longest run from i whose key is an indexed name, found by walking the prefixes."""
        first = tokens[i]
        readings = _every_reading(first.norm, first.arabic)
        if first_is_cue:
            readings = self._cue_word_readings(readings)
        if dual is not None or (cue_before is not None and cue_before.role == "dual"):
            for j in range(end, i, -1):  # rare: the careful way
                span = self._try(tokens, i, j, dual, cue_before, first_is_cue, False)
                if span is not None:
                    return span
            return None
        best_j = 0
        for word, clitic in readings:
            key = word_key(word, first.arabic)
            if not key or (key not in self.prefixes and key not in self.glued):
                continue
            # a word common as written ("وعين") is read without its clitic only as the first
            # word of a longer name (``_readings``): not alone
            longer_only = clitic and not _clitic_readable(first.text)
            j = i + 1
            found = j if not longer_only and (key in self.index.by_key or key in self.glued) else 0
            while j < end:
                nxt = word_key(tokens[j].norm, tokens[j].arabic)
                if not nxt:
                    j += 1
                    continue
                if key not in self.prefixes:
                    break
                key = f"{key} {nxt}"
                if key not in self.prefixes:
                    break
                j += 1
                if key in self.index.by_key:
                    found = j
            best_j = max(best_j, found)
        if not best_j or (best_j == i + 1 and self._never_a_name_alone(first.norm, first.arabic, first_is_cue)):
            return None
        for j in range(best_j, i, -1):  # confirm with the full rules (stopwords, cue, blockers)
            span = self._try(tokens, i, j, dual, cue_before, first_is_cue, False)
            if span is not None:
                return span
        return None

    def _never_a_name_alone(self, norm: str, arabic: bool, first_is_cue: bool) -> bool:
        """Whether every reading ``_try`` would look up of this word alone is a word it passes
        over first (a non-place, a cue, a stopword): then the word alone is no name (cached)."""
        key = (norm, arabic, first_is_cue)
        hit = self._never_alone_cache.get(key)
        if hit is None:
            if len(self._never_alone_cache) >= FINDER_CACHE_SIZE:
                self._never_alone_cache.clear()  # bounded, as the skeleton cache
            readings = _every_reading(norm, arabic)
            if first_is_cue:
                readings = self._cue_word_readings(readings)
            stop = self._ar_stop if arabic else self._stop
            hit = self._never_alone_cache[key] = all(
                word in self._non_places or self._is_cue(word) or word in stop for word, _ in readings)
        return hit

    def _try(self, tokens: list[Token], i: int, j: int, dual: Cue | None,
             cue_before: Cue | None, first_is_cue: bool, skeleton_pass: bool,
             phonetic: bool = False, fuzzy: bool = False,
             fuzzy_types: frozenset[str] | None = None) -> Span | None:
        first = tokens[i]
        if j == i + 1:
            rest: tuple[str, ...] = ()  # one word, the common case
        else:
            arabic = first.arabic
            norms = []
            for t in tokens[i + 1:j]:
                if t.arabic != arabic:
                    return None  # a name is written in one script
                norms.append(t.norm)
            if not arabic and norms[-1] in _ARTICLES:
                return None  # "Idlib as strikes": a name does not end with an article
            rest = tuple(norms)
            if skeleton_pass:
                stop = self._ar_stop
                for w in rest:
                    if w in stop or w.startswith("و"):
                        return None
                if rest[-1] in _DIRECTIONS:
                    return None  # "بنش شرقي إدلب": the direction belongs to the next name
            elif rest[-1] in _DIRECTIONS and self._name_starts_at(tokens, j):
                # "الباب شرقي حلب" is al-Bab east of Aleppo, not the gate Bab Sharqi: a
                # direction followed by a name belongs to that name
                return None
            if (rest[-1], "before") in self._cues and self._name_starts_at(tokens, j):
                # "مركز مدينة عفرين" is the centre of the town of Afrin, not a quarter called
                # "City Centre" and a word: a type word followed by a name belongs to that name
                return None
            if arabic and rest[-1] in _AR_FUNCTION_WORDS:
                return None  # "بيت في الحسكة" is a house in Hasakah, not the village Beit al-Fay
            if (rest[-1] in self._generic_forms or not arabic) and self._generic_head_goes_on(tokens, j):
                # "منطقة تل رفعت" is the area of Tell Rifaat, not the district "منطقة التل"
                # followed by a word: a generic first word that begins the next name is its own
                return None
        if first.arabic:
            for t in tokens[i:j]:
                if _TANWEEN_MARK.search(t.text) is not None:
                    return None  # "مقتل شاب خنقاً": a word written with tanween is an adverb, not a name
        readings = _every_reading(first.norm, first.arabic)  # the clitic ones checked below
        if first_is_cue:
            readings = self._cue_word_readings(readings)  # "بلدة خان" is not "لدة خان"
        elif j == i + 1 and len(readings) > 1 and any(
                clitic and word in self._non_places and word not in self._generic
                for word, clitic in readings):
            return None  # "وقسد" is و + قسد, not a village read from the whole word
        for word, clitic in readings:
            words = (word, *rest)
            if len(words) == 1 and (word in self._non_places or self._is_cue(word) or
                                    (first.arabic and word in self._ar_stop) or
                                    (not first.arabic and word in self._stop)):
                continue
            if len(words) == 1 and cue_before is None and word.startswith("ال") \
                    and self._is_cue(word[2:]):
                continue  # "جنوبي المحافظة": the type word with its article points back, names nothing
            if skeleton_pass and word in self._ar_stop:
                continue
            if fuzzy:
                places, how = self._latin_fuzzy_lookup(words, fuzzy_types)
            else:
                village_cue = cue_before is not None and cue_before.word in HAMLET_CUES
                places, how = self.lookup(words, first.arabic, skeleton_pass, phonetic, False, village_cue)
            cue = cue_before
            if clitic and cue is not None and cue.role == "type" and cue.word.startswith("ال"):
                # "في المنطقة لتلقي العلاج", "أبناء البلدة برصاص": the type word with its article
                # points back to a place named before; the next word is not its name
                cue = None
            if dual is not None and clitic and first.norm.startswith("و"):
                # the second half of "جبلي الأكراد والتركمان": جبل التركمان
                alt, alt_how = self.lookup((dual.singular, *words), True, allow_skeleton=False)
                if alt:
                    places, how, cue = alt, alt_how, Cue(dual.singular, dual.types, "type")
                else:
                    # the second half of "ريفي حماة واللاذقية": the countryside of Lattakia, read
                    # as the singular's own cue reads a name ("ريف اللاذقية": the governorate)
                    hit = self._cues.get((dual.singular, "before"))
                    if hit and hit[1] == "region":
                        cue = Cue(dual.singular, hit[0], "region", hit[2])
            elif cue is not None and cue.role == "dual":
                alt, alt_how = self.lookup((cue.singular, *words), True, allow_skeleton=False)
                if alt:
                    places, how = alt, alt_how
            if not places:
                continue
            if clitic and len(words) == 1 and not _clitic_readable(first.text):
                continue  # as ``_readings``: asked only now, when the reading names a place
            if not first.arabic and len(words) == 1 and len(word) < 4 and cue is None:
                continue
            if how in ("phonetic", "fuzzy") and (any(
                    (not t.capital or (how == "phonetic" and t.norm in self._stop))
                    and t.norm not in _ARTICLES for t in tokens[i:j])
                    or (not first.arabic and first.norm in _ENGLISH_FUNCTION_WORDS)):
                continue  # "Back to" is not Baqtu, "In Deir ez-Zor" not Ayn al Dayr
            if cue is None and first_is_cue and len(words) > 1:
                # the name starts with its own type word ("مخيم اليرموك"): it says the type
                hit = self._cues.get((word, "before")) or self._cues.get((word[2:], "before"))
                if hit:
                    cue = Cue(word, hit[0], "type", hit[2])
            if cue is None and len(words) > 1:
                # ... or ends with it ("Yarmouk Camp", "Idlib Governorate")
                hit = self._cues.get((words[-1], "after"))
                if hit:
                    cue = Cue(words[-1], hit[0], "type", hit[2])
            start = tokens[i].start
            if clitic:  # the surface is the name without its glued و/ب/ل
                start += clitic_length(first.text, len(first.norm) - len(word))
            return Span(i, j, start, tokens[j - 1].end, places, how, clitic,
                        cue or self._cue_after(tokens, j), self._blocked(tokens, i),
                        " ".join(words))
        return None


def _article_before_a_capital(tokens: list[Token], k: int) -> bool:
    """Whether a capitalised word follows token k (an article) in its clause: "al-Saliheen"."""
    return k + 1 < len(tokens) and tokens[k + 1].capital and tokens[k + 1].clause == tokens[k].clause


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _first_phonetic(key: str) -> str:
    if key.isascii() and key.isdigit():
        # a number ("2022", "100"): the phonetic rules change letters only, and runs of one
        # character become one
        return _REPEATED.sub(r"\1", key)
    if key.isascii() and key.isalnum() and key.lower() == key:
        # one folded word of ASCII letters and digits (most Latin words of a text: numbers,
        # links, names): its name_key is the word without a glued article, and folding it
        # again would change nothing
        return _phonetic_word(strip_article_latin_word(key))
    words = key.split()
    return latin_phonetic(words[0]) if words else ""


def _arabic_key_skeleton(key: str) -> str | None:
    """``"".join(key_skeleton_words(key))`` of a key of folded Arabic words, without the general
    rules' script test and regexes at every word (tested against them); None for any other key."""
    out: list[str] = []
    for word in key.split():
        if not FOLDED_ARABIC_WORD.fullmatch(word):
            return None
        if len(word) > 1 and word[-1] in "هح":
            word = word[:-1]  # normalize._arabic_consonant_word
        previous = ""
        for letter in word.translate(ARABIC_SKELETON_TABLE):
            if letter != previous:  # a doubled consonant as one, within the word
                out.append(letter)
                previous = letter
    return "".join(out)


_PHONETIC_RULES_BY_LETTER: dict[str, tuple[tuple[str, str], ...]] = {}


def _phonetic_word(word: str) -> str:
    """``key_latin_phonetic`` of one word of lower-case ASCII letters and digits, by a scan of
    its own: the rules' regex calls back into Python at every match, and every Latin word of a
    text is asked (tested against it in tests/test_parse_fast_paths.py)."""
    rules = _PHONETIC_RULES_BY_LETTER
    if not rules:  # built on first use, as the regex would be compiled
        for pattern, replacement in PHONETIC_RULES:
            rules[pattern[0]] = (*rules.get(pattern[0], ()), (pattern, replacement))
    if len(word) > 1 and word[-1] == "h" and word[-2] in "aeiouy":
        word = word[:-1]  # the taa marbuta: -eh, -ah
    out: list[str] = []
    i = 0
    n = len(word)
    while i < n:
        letter = word[i]
        for pattern, replacement in rules.get(letter, ()):
            if word[i:i + len(pattern)] == pattern:  # the first rule that matches here, as the regex
                out.append(replacement)
                i += len(pattern)
                break
        else:
            out.append(letter)
            i += 1
    collapsed: list[str] = []  # runs of one character as one (normalize._collapse)
    for ch in "".join(out):
        if not collapsed or collapsed[-1] != ch:
            collapsed.append(ch)
    return "".join(collapsed)


def _readings(norm: str, arabic: bool, written: str = "") -> list[tuple[str, bool]]:
    """The word, and for Arabic the word without a glued و/ب/ل/ف/ك, unless the word as written
    is common itself ("وزارة" is a ministry, not و + Az-Zara; such a word is read without its
    clitic only as the first word of a longer name, "وعين العرب").  The rule the scan applies
    lazily (``_every_reading``, then ``_clitic_readable`` where the answer depends on it);
    tests/test_parse_fast_paths.py holds the scan to it."""
    every = _every_reading(norm, arabic)
    return every if len(every) == 1 or _clitic_readable(written) else every[:1]


def may_read_as(norm: str, words: frozenset[str]) -> bool:
    """Whether a reading of a folded word (``_every_reading``: itself, or without a glued
    و/ب/ل/ف/ك, which drops its first one or two letters or makes لل ال) may be in ``words``;
    False says none is (tests/test_parse_fast_paths.py)."""
    return norm in words or norm[1:] in words or norm[2:] in words or "ال" + norm[2:] in words


def may_have_a_class(norm: str, forms: frozenset[str]) -> bool:
    """Whether an Arabic word's readings (itself, or without a glued و/ب/ل/ف/ك: its first one
    or two letters dropped, لل made ال), each with or without its article, may be in
    ``forms``; False says none is (tests/test_parse_fast_paths.py).  A word the folding rules
    would change again (a ة inside, other letters) is read by the general rules: True."""
    if norm in forms or norm[2:] in forms:
        return True
    if norm[:1] not in _CLITIC_LETTERS:
        return False
    return (norm[1:] in forms or norm[3:] in forms or norm[4:] in forms or "ال" + norm[2:] in forms
            or not FOLDED_ARABIC_WORD.fullmatch(norm))


def _clitic_variants_of_norm(norm: str) -> list[str]:
    """``arabic_clitic_variants`` of a token's folded form, for a new word without folding it
    again: a clitic is its first letter; a word of plain letters (folding it again keeps it as
    it is) takes the rules alone."""
    if norm[:1] not in _CLITIC_LETTERS:
        return []
    if FOLDED_ARABIC_WORD.fullmatch(norm):
        return word_clitic_variants(norm)
    return arabic_clitic_variants(norm)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _every_reading(norm: str, arabic: bool) -> list[tuple[str, bool]]:
    """The word, and for Arabic the word without each glued و/ب/ل/ف/ك it may carry (after it:
    ``_readings`` without asking whether the word is common)."""
    return [(norm, False), *((v, True) for v in (_clitic_variants_of_norm(norm) if arabic else ()))]


def _clitic_readable(written: str) -> bool:
    """Whether an Arabic word may be read without its glued clitic: not when the word as
    written is common itself.  Asking wordfreq is the dearest step of a new word: callers ask
    only when a reading without the clitic would change their answer."""
    return not (written and common_arabic_word(written))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def word_key(norm: str, arabic: bool) -> str:
    """The key of one folded word inside a name: without ال (Arabic); "" for a Latin article
    word, which ``name_key`` drops."""
    if arabic:
        return without_article(norm)
    if norm in LATIN_ARTICLES:
        return ""
    return strip_article_latin_word(norm)


def clitic_length(written: str, letters: int) -> int:
    """Characters of ``written`` taken by its first ``letters`` Arabic letters (diacritics and
    tatweel between them included); "للرقة" read as "الرقة" drops one letter, not two."""
    if letters <= 0:
        return 0
    count = 0
    for pos, ch in enumerate(written):
        if "\u0621" <= ch <= "\u064a" and ch != "\u0640":
            count += 1
            if count == letters:
                return pos + 1
    return 0
