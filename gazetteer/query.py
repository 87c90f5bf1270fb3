"""Read a geocoding query: the name(s) it asks for, type words, and qualifiers.

"Khan Shaykhun camp"              → name "Khan Shaykhun", types {camp}
"مخيم حندرات"                     → name "حندرات", types {camp}
"Tedef, Aleppo"                   → name "Tedef", qualifier "Aleppo"
"X countryside of Manbij, Aleppo" → name "X", qualifiers "Manbij", "Aleppo"
"Abu Rasin/Zarkan"                → names "Abu Rasin", "Zarkan"
"Abu Naytal (Farraj)"             → name "Abu Naytal", then "Farraj" as alternative and qualifier
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from .exceptions import QueryError
from .lexicon import optional_words, type_words
from .normalize import WORD_CACHE_SIZE, has_arabic, normalize

MAX_QUERY_LENGTH = 500

_PARENS = re.compile(r"[(\[{]([^)\]}]*)[)\]}]")
_QUALIFIER_SPLIT = re.compile(r"\s*[,،;؛:]\s*")
_ALTERNATIVE_SPLIT = re.compile(
    r"\s*/\s*|\s*\\\s*|\s+[-–—]\s+|\s+(?:or|and|&)\s+|\s+(?:أو|او)\s+|\s+و\s+", re.IGNORECASE)
# "X countryside of Y", "X near Y", "X بريف Y", "X شمال Y": the part after is context.
_CONTEXT_SPLIT = re.compile(
    r"\s+(?:(?:in\s+)?(?:the\s+)?(?:(?:northern|southern|eastern|western|north|south|east|west)(?:ern)?\s+)?"
    r"(?:countryside|outskirts|suburbs?|area|region|vicinity)\s+of|near|outside|in)\s+"
    r"|\s+(?:ب|في\s+|قرب\s+|ضمن\s+)?(?:ريف|منطقة|منطقه|ناحية|ناحيه|محافظة|محافظه)\s+"
    r"|\s+(?:في|قرب|ضمن|شمال|جنوب|شرق|غرب|شمالي|جنوبي|شرقي|غربي)\s+",
    re.IGNORECASE,
)
_LEADING_FILLER = re.compile(
    r"^(?:near\s+|in\s+|at\s+)?(?:the\s+)?"
    r"(?:(?:outskirts|village|villages|town|city|area|camp|countryside|vicinity|(?:city\s+)?cent(?:re|er)"
    r"|downtown|east|west|north|south)\s+of\s+)?(?:the\s+)?",
    re.IGNORECASE)
_LEADING_OR = re.compile(r"^(?:or|أو|او)\s+", re.IGNORECASE)
_BETWEEN = re.compile(
    r"^(?:the\s+)?(?:area|road|highway|frontline|front)?\s*between\s+(.+?)\s+and\s+(.+)$"
    r"|^(?:(?:المنطقة|الطريق)\s+)?بين\s+(.+?)\s+و(.+)$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class NameVariant:
    """One way to read the name part of a query."""

    text: str
    penalty: float = 0.0  # subtracted from the score of matches found through this reading


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    original: str
    variants: tuple[NameVariant, ...]
    types: frozenset[str] = field(default_factory=frozenset)
    qualifiers: tuple[str, ...] = ()


def validate_query(query: object) -> str:
    if not isinstance(query, str):
        raise QueryError(f"query must be a string, not {type(query).__name__}")
    text = query.strip()
    if not text:
        raise QueryError("query is empty")
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"query is {len(text)} characters long; the limit is {MAX_QUERY_LENGTH}")
    if "\x00" in text:
        raise QueryError("query contains a NUL character")
    return text


def strip_type_words(text: str) -> tuple[str, frozenset[str], bool]:
    """Remove leading/trailing type words; return the rest, the types they point to, and
    whether any word was removed (facility words such as "prison" point to no type)."""
    words = normalize(text).split()
    table = type_words()
    types: set[str] = set()
    removed = False
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in (3, 2, 1):
            if len(words) > n:
                head = " ".join(words[:n])
                entry = table.get(head)
                if entry and entry[1] in ("prefix", "both"):
                    types |= entry[0]
                    words = words[n:]
                    changed = removed = True
                    break
                tail = " ".join(words[-n:])
                entry = table.get(tail)
                if entry and entry[1] in ("suffix", "both"):
                    types |= entry[0]
                    words = words[:-n]
                    changed = removed = True
                    break
    return " ".join(words), frozenset(types), removed


# One word with none of the characters the patterns below split or strip at: every one of them
# needs a space (``\s``, the same class as here), a bracket, a qualifier separator or a slash,
# so for such a word they change nothing (tests/test_query.py checks it).  Half of all queries.
_ONE_PLAIN_WORD = re.compile(r"[^\s()\[\]{},،;؛:/\\]+")


# Readings kept: a query that finds nothing is read again for its qualifier (Gazetteer's
# _where_it_lies), and a service sees the same queries again.  A reading is immutable.
PARSED_CACHE_SIZE = 4096


def parse_query(query: object) -> ParsedQuery:
    return _parse(validate_query(query))


@lru_cache(maxsize=PARSED_CACHE_SIZE)
def _parse(text: str) -> ParsedQuery:
    if _ONE_PLAIN_WORD.fullmatch(text):
        qualifiers: list[str] = []
        extra_names: list[str] = []
        main, alternatives = text, [text]
    else:
        main, alternatives, qualifiers, extra_names = split_query(text)
    return _read(text, main, alternatives, qualifiers, extra_names)


def split_query(text: str) -> tuple[str, list[str], list[str], list[str]]:
    """The name part of a query, its alternatives, its qualifiers and the names in brackets."""
    qualifiers: list[str] = []
    extra_names: list[str] = []

    for inner in _PARENS.findall(text):
        inner = _LEADING_OR.sub("", inner.strip())  # "(or Tal Safouk)"
        if inner:
            extra_names.append(inner)
            qualifiers.append(inner)
    main = _PARENS.sub(" ", text).strip()

    parts = [p for p in _QUALIFIER_SPLIT.split(main) if p.strip()]
    if not parts:
        parts = [text]
    main, qualifiers = parts[0], [*parts[1:], *qualifiers]

    between = _BETWEEN.match(main.strip())
    if between:  # "the area between Tal Rifa'at and Kafr Nasseh": either place will do
        first, second = [g for g in between.groups() if g]
        main = f"{first} / {second}"
    main = _LEADING_FILLER.sub("", main.strip())
    context = _CONTEXT_SPLIT.split(main, maxsplit=1)
    if len(context) == 2 and context[0].strip() and context[1].strip():
        main = context[0]
        qualifiers.insert(0, context[1])

    main = _LEADING_FILLER.sub("", main.strip())
    alternatives = [a for a in _ALTERNATIVE_SPLIT.split(main) if a.strip()] or [main]
    return main, alternatives, qualifiers, extra_names


def _read(text: str, main: str, alternatives: list[str], qualifiers: list[str],
          extra_names: list[str]) -> ParsedQuery:
    """The readings, types and qualifiers of a query split by ``split_query``."""
    variants: list[NameVariant] = []
    types: set[str] = set()
    seen: set[str] = set()
    if normalize(main) in type_words():
        # a type word alone ("camp", "مخيم") names no place
        return ParsedQuery(text, (), type_words()[normalize(main)][0], ())

    def add(name: str, penalty: float) -> None:
        key = normalize(name)
        if key and key not in seen:
            seen.add(key)
            variants.append(NameVariant(name, penalty))

    for alt in alternatives:
        stripped, found, removed = strip_type_words(alt)
        types |= found
        if removed:
            add(alt, 0.0)  # the type word may belong to the name (جبل الزاوية, ريف دمشق)
            add(stripped, 0.01)
        else:
            add(alt, 0.0)
        base = stripped if removed else alt
        for clitic_free in arabic_clitic_variants(base):
            add(clitic_free, 0.04)
        if has_arabic(base):
            # on the text as written: folding splits "ةة" into two words
            single = _REPEATED_LETTER.sub(lambda m: m.group(1) or m.group(2), base)
            if single != base:
                # Arabic writes a doubled consonant once (with a shadda): a letter twice at the
                # end of a word is most often a slip of the keyboard ("حلبب", "الهيشةة")
                add(single, TYPO_PENALTY)
        words = normalize(base).split()
        if len(words) > 1 and words[-1] in optional_words():
            add(" ".join(words[:-1]), 0.1)
    if len(alternatives) > 1:
        add(main, 0.02)
    for name in extra_names:
        add(name, 0.15)  # "(Farraj)" may be another name, but is more often a qualifier

    quals = []
    for q in qualifiers:
        # "South of al Qamishli", "near Al Sekka", "(or Tal Safouk)": the place is what follows
        q = _LEADING_FILLER.sub("", _LEADING_OR.sub("", q.strip()))
        stripped, _, _ = strip_type_words(q)
        if stripped:
            quals.append(stripped)
    return ParsedQuery(text, tuple(variants), frozenset(types), tuple(quals))


_CLITICS = ("و", "ب", "ل", "ف", "ك")
# an Arabic letter typed again at the end of a word, or three times anywhere ("حلبب", "سراقببب");
# twice inside a word it may be the word's own ("الممدوحة")
_REPEATED_LETTER = re.compile(r"([\u0621-\u064a])\1+(?=\s|$)|([\u0621-\u064a])\2{2,}")
TYPO_PENALTY = 0.05  # a reading with a letter typed twice written once


@lru_cache(maxsize=WORD_CACHE_SIZE)
def _clitic_variants(text: str) -> tuple[str, ...]:
    return tuple(_arabic_clitic_variants(text))


def arabic_clitic_variants(text: str) -> list[str]:
    """Readings of an Arabic name with a glued conjunction/preposition removed (cached).

    "بخان طومان" → ["خان طومان"]; "والرقة" → ["الرقة"]; "للرقة" → ["الرقة"].  The unstripped
    form stays the first reading elsewhere: بنش and كفرنبل really start with those letters.
    """
    return list(_clitic_variants(text))


def _arabic_clitic_variants(text: str) -> list[str]:
    """Readings of an Arabic name with a glued conjunction/preposition removed.

    "بخان طومان" → ["خان طومان"]; "والرقة" → ["الرقة"]; "للرقة" → ["الرقة"].  The unstripped
    form stays the first reading elsewhere: بنش and كفرنبل really start with those letters.
    """
    if not has_arabic(text):
        return []
    words = normalize(text).split()
    if not words:
        return []
    first, rest = words[0], words[1:]
    return [" ".join([w, *rest]) for w in word_clitic_variants(first)]


def word_clitic_variants(first: str) -> list[str]:
    """``arabic_clitic_variants`` of one folded Arabic word (folded again, it stays the same):
    the rules without the folding."""
    out = []
    if first.startswith("لل") and len(first) > 3:
        out.append("ال" + first[2:])
    if len(first) > 2 and first[0] in _CLITICS:
        # ف and ك glue to nouns far more often than to names ("فرقة" is not "رقة"); take them
        # off only before the article ("فالرقة").
        if first[0] in "بلو" or first[1:].startswith("ال"):
            out.append(first[1:])
        if first[1] in _CLITICS and first[1] != first[0] and len(first) > 3:
            out.append(first[2:])  # وب, فب, ول ...
    return out
