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
        if not line.strip() or line.startswith("#"):
            continue
        rows.append([cell.strip() for cell in line.split("\t")])
    return rows


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
    from .normalize import normalize

    return frozenset(normalize(row[0]) for row in _rows("optional_words.tsv"))


@lru_cache(maxsize=None)
def generic_heads() -> frozenset[str]:
    """Folded first words shared by many names (تل, Kafr, عين)."""
    from .normalize import normalize

    return frozenset(normalize(row[0]) for row in _rows("generic_heads.tsv"))


@lru_cache(maxsize=None)
def droppable_heads() -> frozenset[str]:
    """Folded first words a name can lose without changing the place (رسم, Mazraat)."""
    from .normalize import normalize

    return frozenset(normalize(row[0]) for row in _rows("droppable_heads.tsv"))


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
