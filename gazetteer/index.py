"""The name index: every name of every place, folded to keys, for exact and fuzzy lookup."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, Sequence

from .normalize import has_arabic, latin_phonetic, name_key_variants, skeleton, skeleton_words
from .place import Place

# Source names sometimes hold two forms: "Sayah - Sayah Thahriyeh", "خريبة / قربة", "الصياح_صياح ظاهرية".
_NAME_SPLIT = re.compile(r"\s+[-–]\s+|\s*/\s*|\s*\\\s*|_")


@dataclass(frozen=True, slots=True)
class NameEntry:
    place: int  # index into the place list
    name: str  # the name as written in the data
    key: str  # name_key
    skel: str  # cross-script skeleton
    sorted_skel: str  # per-word skeletons, sorted (word-order-insensitive)
    arabic: bool
    phonetic: str  # latin_phonetic for Latin names, "" for Arabic ones


def split_name(name: str) -> list[str]:
    """A data name and its parts when it joins several forms."""
    parts = [p.strip() for p in _NAME_SPLIT.split(name) if p.strip()]
    out = [name.strip()]
    if len(parts) > 1:
        out.extend(parts)
    return out


def entries_for(place_index: int, names: Iterable[str]) -> list[NameEntry]:
    out: list[NameEntry] = []
    seen: set[str] = set()
    for raw_name in names:
        for name in split_name(raw_name):
            arabic = has_arabic(name)
            for key in name_key_variants(name):
                if not key or key in seen:
                    continue
                seen.add(key)
                words = skeleton_words(key)
                out.append(NameEntry(place_index, name, key, "".join(words) if words else "",
                                     " ".join(sorted(words)), arabic,
                                     "" if arabic else latin_phonetic(key)))
    return out


class NameIndex:
    """Exact lookup by key and by skeleton; the list of distinct skeletons for fuzzy search."""

    def __init__(self, places: Sequence[Place]):
        self.places = places
        self.entries: list[NameEntry] = []
        for i, place in enumerate(places):
            self.entries.extend(entries_for(i, place.names))
        by_key: dict[str, list[int]] = defaultdict(list)
        by_skel: dict[str, list[int]] = defaultdict(list)
        for e_idx, entry in enumerate(self.entries):
            by_key[entry.key].append(e_idx)
            if entry.skel:
                by_skel[entry.skel].append(e_idx)
        self.by_key = dict(by_key)
        self.by_skel = dict(by_skel)
        self.skeletons: list[str] = list(self.by_skel)
        self.entries_of_place: dict[int, list[int]] = defaultdict(list)
        for e_idx, entry in enumerate(self.entries):
            self.entries_of_place[entry.place].append(e_idx)

    def __len__(self) -> int:
        return len(self.entries)


@dataclass(frozen=True, slots=True)
class QueryKey:
    key: str
    skel: str
    sorted_skel: str
    arabic: bool
    phonetic: str


def query_keys(text: str) -> list[QueryKey]:
    """The keys of each reading of a query name."""
    arabic = has_arabic(text)
    out = []
    for key in name_key_variants(text):
        words = skeleton_words(key)
        out.append(QueryKey(key, "".join(words), " ".join(sorted(words)), arabic,
                            "" if arabic else latin_phonetic(key)))
    return out


__all__ = ["NameEntry", "NameIndex", "entries_for", "query_keys", "skeleton", "split_name"]
