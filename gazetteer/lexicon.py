"""Word lists the matcher and the parser read: dictionaries are data (``resources/*.tsv``).

Each list is read once, on first use, never at import time.
"""
from __future__ import annotations

from functools import lru_cache
from importlib import resources


def _rows(name: str) -> list[list[str]]:
    text = resources.files("gazetteer.resources").joinpath(name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        if not line.strip() or (line.startswith("#") and not line.startswith("#\t")):
            continue  # a comment; "#<TAB>..." is the row for the hashtag sign itself
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


def _folded_words(name: str) -> frozenset[str]:
    """The first column of a word list, folded with ``normalize``."""
    from .normalize import normalize  # local: normalize imports this module

    return frozenset(normalize(row[0]) for row in _rows(name))


@lru_cache(maxsize=None)
def qualifier_words() -> dict[str, str]:
    """English adjective → Latin form of the Arabic adjective (``big`` → ``kabir``)."""
    return {row[0]: row[1] for row in _rows("qualifier_words.tsv")}


@lru_cache(maxsize=None)
def type_words() -> dict[str, tuple[frozenset[str], str]]:
    """Folded type word → (the place types it points to, "prefix" | "suffix" | "both").

    An empty set of types (``*`` in the file) marks a facility word ("prison", "مشفى"): removed
    from the name, no preference for a type.
    """
    from .normalize import normalize  # local: normalize imports this module

    out = {}
    for row in _rows("type_words.tsv"):
        types = frozenset() if row[1] == "*" else frozenset(row[1].split(","))
        out[normalize(row[0])] = (types, row[2])
    return out


@lru_cache(maxsize=None)
def optional_words() -> frozenset[str]:
    """Folded words that qualify a name without being needed to find it (غربي, البلد, Elsham)."""
    return _folded_words("optional_words.tsv")


@lru_cache(maxsize=None)
def given_names() -> frozenset[str]:
    """Folded common Arabic given names: the word with the article after one is a family name."""
    return _folded_words("given_names.tsv")


@lru_cache(maxsize=None)
def relation_words() -> dict[str, float]:
    """Folded word → how far (km) a name may lie from the next one when this word relates them
    ("X غرب مدينة Y", "X, north of Y"), or 0.0 for a word that may stand between them (a type
    word, "of", "the")."""
    from .normalize import normalize  # local: normalize imports this module

    return {normalize(row[0]): float(row[2]) if row[1] == "relation" else 0.0
            for row in _rows("relation_words.tsv")}


@lru_cache(maxsize=None)
def generic_heads() -> frozenset[str]:
    """Folded first words shared by many names (تل, Kafr, عين)."""
    return _folded_words("generic_heads.tsv")


@lru_cache(maxsize=None)
def droppable_heads() -> frozenset[str]:
    """Folded first words a name can lose without changing the place (رسم, Mazraat)."""
    return _folded_words("droppable_heads.tsv")


@lru_cache(maxsize=None)
def foreign_place_keys() -> frozenset[str]:
    """``name_key`` of well-known places outside Syria, in both scripts."""
    from .normalize import name_key

    keys = set()
    for row in _rows("foreign_places.tsv"):
        for name in [row[0], *(row[1].split("|") if len(row) > 1 else [])]:
            if name.strip():
                keys.add(name_key(name))
    return frozenset(keys)


@lru_cache(maxsize=None)
def cue_words() -> dict[tuple[str, str], tuple[frozenset[str], str, str]]:
    """(folded word, "before" | "after") → (types, role, singular for a dual cue)."""
    from .normalize import normalize

    out = {}
    for row in _rows("cue_words.tsv"):
        types = frozenset() if row[1] == "*" else frozenset(row[1].split(","))
        singular = normalize(row[4]) if len(row) > 4 else ""
        word = row[0] if row[0] == "#" else normalize(row[0])  # "#" would fold to nothing
        out[(word, row[2])] = (types, row[3], singular)
    return out


@lru_cache(maxsize=None)
def blockers() -> frozenset[str]:
    """Folded words after which a name is an organisation or a medium, not a place."""
    return _folded_words("blockers.tsv")


@lru_cache(maxsize=None)
def non_place_words() -> frozenset[str]:
    """Folded words that are never a place mention (nationality adjectives, common words)."""
    return _folded_words("non_place_words.tsv")


@lru_cache(maxsize=None)
def english_stopwords() -> frozenset[str]:
    """Folded English words never read as a place on their own."""
    return frozenset(row[0].lower() for row in _rows("english_stopwords.tsv"))


@lru_cache(maxsize=None)
def arabic_stopwords() -> frozenset[str]:
    """Folded Arabic function words and common prose words: never a place on their own."""
    return _folded_words("arabic_stopwords.tsv")
