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
    """Folded type word → (the place types it points to, "prefix" | "suffix" | "both")."""
    from .normalize import normalize  # local: normalize imports this module

    out = {}
    for row in _rows("type_words.tsv"):
        out[normalize(row[0])] = (frozenset(row[1].split(",")), row[2])
    return out
