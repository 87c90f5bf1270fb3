"""The name index: every name of every place, folded to keys, for exact and fuzzy lookup."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable, NamedTuple, Sequence

from .fuzzy import SkeletonNeighbours
from .lexicon import droppable_heads, generic_heads, optional_words
from .normalize import (has_arabic, key_arabic_phonetic, key_fine_consonants, key_latin_phonetic,
                        key_skeleton_words, name_key_variants)
from .place import Place

# Source names sometimes hold two forms: "Sayah - Sayah Thahriyeh", "خريبة / قربة", "الصياح_صياح ظاهرية".
_NAME_SPLIT = re.compile(r"\s+[-–]\s+|\s*/\s*|\s*\\\s*|_")
# ... but an underscore also stands for a space: "Al_Sad" (the article and the name),
# "مخيم_خان_دنون" (three words, no spaces at all) are one name, not "Al" and "Sad".
_ONE_NAME_IN_UNDERSCORES = re.compile(r"^(?:(?:al|el|ال)_[^_\s]+|[^_\s]+_[^_\s]+_[^_\s]+(?:_[^_\s]+)*)(?:\s|$)",
                                      re.IGNORECASE)


class NameEntry(NamedTuple):
    """One folded name of one place.  A named tuple rather than a frozen dataclass: the cache
    makes ~60,000 of them at each load, and a tuple is made in a tenth of the time."""

    place: int  # index into the place list
    name: str  # the name as written in the data
    key: str  # name_key
    skel: str  # cross-script skeleton
    sorted_skel: str  # per-word skeletons, sorted (word-order-insensitive)
    arabic: bool
    phonetic: str  # latin_phonetic / arabic_phonetic
    fine: str  # key_fine_consonants
    penalty: float = 0.0  # a shortened form of the data name ("Madamiyet" for "Madamiyet Elsham")


@dataclass(frozen=True, slots=True)
class QueryKey:
    """The forms of one name key that names are compared by (query side and index side)."""

    key: str
    skel: str
    sorted_skel: str
    arabic: bool
    phonetic: str
    fine: str
    head: str = ""  # the first word when it is generic ("tal", "kafr", "عين") and more follow

    @classmethod
    def of(cls, key: str, arabic: bool, open_end: bool = False) -> "QueryKey":
        """The forms of ``key``, a ``name_key`` (not folded again)."""
        words = key_skeleton_words(key, open_end)
        first = key.split(" ", 1)
        return cls(key, "".join(words), " ".join(sorted(words)), arabic,
                   key_arabic_phonetic(key) if arabic else key_latin_phonetic(key),
                   key_fine_consonants(key, arabic, open_end),
                   first[0] if len(first) == 2 and first[0] in generic_heads() else "")


def split_name(name: str) -> list[str]:
    """A data name and its parts when it joins several forms."""
    if _ONE_NAME_IN_UNDERSCORES.match(name):
        name = name.replace("_", " ")
    parts = [p.strip() for p in _NAME_SPLIT.split(name) if p.strip()]
    out = [name.strip()]
    if len(parts) > 1:
        out.extend(parts)
    return out


def head_form(key: str, admin_keys: frozenset[str] = frozenset()) -> str | None:
    """The name without a trailing qualifier, when what is left is more than a generic first
    word: an optional word ("madamiyet elsham" → "madamiyet") or the name of the unit the place
    lies in, which OCHA appends to tell namesakes apart ("zyaret elbab" → "zyaret")."""
    words = key.split()
    if len(words) < 2:
        return None
    if words[-1] in optional_words() or words[-1] in admin_keys:
        head = words[:-1]
    elif len(words) > 2 and " ".join(words[-2:]) in admin_keys:
        head = words[:-2]
    else:
        return None
    if len(head) == 1 and head[0] in generic_heads():
        return None
    return " ".join(head)


def tail_form(key: str) -> str | None:
    """The name without a droppable first word ("rasm masatiha" → "masatiha")."""
    words = key.split()
    if len(words) < 2 or words[0] not in droppable_heads():
        return None
    return " ".join(words[1:])


def entries_for(place_index: int, names: Iterable[str],
                admin_keys: frozenset[str] = frozenset()) -> list[NameEntry]:
    out: list[NameEntry] = []
    seen: set[str] = set()

    def add(name: str, key: str, arabic: bool, penalty: float, open_end: bool = False) -> None:
        if not key or key in seen:
            return
        seen.add(key)
        q = QueryKey.of(key, arabic, open_end)
        out.append(NameEntry(place_index, name, key, q.skel, q.sorted_skel, arabic, q.phonetic, q.fine, penalty))

    shortened = []
    for raw_name in names:
        for name in split_name(raw_name):
            arabic = has_arabic(name)
            for key in name_key_variants(name):
                add(name, key, arabic, 0.0)
                head = head_form(key, admin_keys)
                if head:
                    shortened.append((name, head, arabic, 0.04, True))
                tail = tail_form(key)
                if tail and len(tail) >= 4:
                    shortened.append((name, tail, arabic, 0.08, False))
                if not arabic and "th" in key:
                    # OCHA writes ظ and ذ "th" as well as ث ("Mathlum" = مظلوم); Syrians say
                    # them "z", and so do most other spellings ("Mazloum").
                    shortened.append((name, key.replace("th", "z"), arabic, 0.04, False))
    for name, short, arabic, penalty, open_end in shortened:
        add(name, short, arabic, penalty, open_end)
    return out


def admin_name_keys(place: Place, by_id: dict[str, Place]) -> frozenset[str]:
    """Keys of the names of the admin units a place lies in (for ``head_form``)."""
    keys: set[str] = set()
    for ref in (place.admin1, place.admin2, place.admin3):
        if ref is None:
            continue
        unit = by_id.get(ref.pcode)
        names = unit.names if unit else (ref.name_en, ref.name_ar)
        for n in names:
            for k in name_key_variants(n):
                words = k.split()
                if words and words[0] in ("markaz", "مركز"):
                    words = words[1:]
                if words:
                    keys.add(" ".join(words))
    return frozenset(keys)


class NameIndex:
    """Exact lookup by key and by skeleton; the list of distinct skeletons for fuzzy search."""

    def __init__(self, places: Sequence[Place], entries: Sequence[NameEntry] | None = None):
        """Fold every name of ``places``; or file ``entries`` folded before (the cache)."""
        self.places = places
        self.entries: list[NameEntry] = list(entries) if entries is not None else []
        if entries is None:
            by_id = {p.id: p for p in places}
            admin_keys: dict[tuple, frozenset[str]] = {}
            for i, place in enumerate(places):
                unit = (place.admin1, place.admin2, place.admin3)
                if unit not in admin_keys:
                    admin_keys[unit] = admin_name_keys(place, by_id)
                self.entries.extend(entries_for(i, place.names, admin_keys[unit]))
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
        # Which scripts each place has names in: a Latin query is judged against a place's
        # Latin names when it has some, and only through the skeleton otherwise.
        self.has_arabic_name = [False] * len(places)
        self.has_latin_name = [False] * len(places)
        for entry in self.entries:
            if entry.arabic:
                self.has_arabic_name[entry.place] = True
            else:
                self.has_latin_name[entry.place] = True

    def __len__(self) -> int:
        return len(self.entries)

    def neighbours(self) -> SkeletonNeighbours:
        """The fuzzy-search index over the skeletons, built on first use."""
        found = self.__dict__.get("_neighbours")
        if found is None:
            found = self.__dict__["_neighbours"] = SkeletonNeighbours(self.skeletons)
        return found

    def places_sharing_skeleton(self, skel: str) -> int:
        """How many places have a name of this consonant skeleton (counted on first use)."""
        counts = self.__dict__.get("_places_per_skeleton")
        if counts is None:
            counts = self.__dict__["_places_per_skeleton"] = {}
        n = counts.get(skel)
        if n is None:
            n = counts[skel] = len({self.entries[e].place for e in self.by_skel.get(skel, ())
                                    if self.entries[e].place >= 0})
        return n


def query_keys(text: str) -> list[QueryKey]:
    """The keys of each reading of a query name."""
    arabic = has_arabic(text)
    return [QueryKey.of(key, arabic) for key in name_key_variants(text)]


# -- the curation overlay (gazetteer.curation): amend a built index instead of rebuilding it ----
RETIRED = NameEntry(-1, "", "", "", "", False, "", "", 1.0)  # an entry no lookup reaches


def amended_index(base: NameIndex, places: Sequence[Place],
                  replaced: dict[int, Sequence[NameEntry]]) -> NameIndex:
    """A copy of ``base`` over ``places`` in which the places at the positions ``replaced``
    names have those entries instead of their own (positions past the end of ``base`` are new
    places; ``places`` may not drop any).  ``base`` is not changed (other threads may be reading
    it); its entry positions stay valid (a dropped entry becomes ``RETIRED``), so the cost is in
    the places changed, not in the whole index."""
    new = object.__new__(NameIndex)
    new.places = places
    entries = list(base.entries)
    by_key = dict(base.by_key)
    by_skel = dict(base.by_skel)
    of_place = dict(base.entries_of_place)
    copied: set[tuple[str, str]] = set()

    def own_list(table: dict[str, list[int]], name: str, key: str) -> list[int]:
        if (name, key) not in copied:
            copied.add((name, key))
            table[key] = list(table.get(key, ()))
        return table[key]

    def unlink(table: dict[str, list[int]], name: str, key: str, e_idx: int) -> None:
        ids = own_list(table, name, key)
        ids.remove(e_idx)
        if not ids:
            del table[key]
            copied.discard((name, key))

    for place_idx, place_entries in replaced.items():
        for e_idx in base.entries_of_place.get(place_idx, ()):
            old = entries[e_idx]
            unlink(by_key, "key", old.key, e_idx)
            if old.skel:
                unlink(by_skel, "skel", old.skel, e_idx)
            entries[e_idx] = RETIRED
        ids = []
        for entry in place_entries:
            ids.append(len(entries))
            entries.append(entry)
            own_list(by_key, "key", entry.key).append(ids[-1])
            if entry.skel:
                own_list(by_skel, "skel", entry.skel).append(ids[-1])
        of_place[place_idx] = ids
    new.entries = entries
    new.by_key = by_key
    new.by_skel = by_skel
    new.skeletons = list(new.by_skel)
    new.entries_of_place = defaultdict(list, of_place)
    grown = [False] * (len(places) - len(base.places))
    new.has_arabic_name = list(base.has_arabic_name) + grown
    new.has_latin_name = list(base.has_latin_name) + grown
    for place_idx, place_entries in replaced.items():
        new.has_arabic_name[place_idx] = any(e.arabic for e in place_entries)
        new.has_latin_name[place_idx] = any(not e.arabic for e in place_entries)
    return new
