"""Names that begin with what has been typed so far: completion for a search box.

``geocode`` answers a whole name ("خان طومان"); a person typing sees "خان طو" first, which
geocodes to nothing (or to the wrong village). ``Completer`` finds the places one of whose names
*begins* with the typed text, in either script, with or without the article: every name is
indexed under its folded form (``normalize``, articles kept, so "الر" finds "الراشدين") and its
``name_key`` (articles dropped, so "Rash" finds "Al-Rashidin"), in one sorted list searched by
bisection. The places found are ranked by importance (a city before a farm of the same prefix),
then by the length of the name (the shortest completion first).
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Sequence

from .normalize import name_key, normalize
from .place import Place

MIN_PREFIX_CHARS = 2  # one letter begins thousands of names: nothing useful to offer
MAX_SCAN = 5_000  # index entries looked at for one prefix (a two-letter prefix has more)


@dataclass(frozen=True, slots=True)
class Completion:
    """A place one of whose names begins with the typed text, and that name."""

    place: Place
    name: str


class Completer:
    """Prefix search over every name of every place (built once per gazetteer)."""

    def __init__(self, places: Sequence[Place]):
        entries: set[tuple[str, int, str]] = set()
        for i, place in enumerate(places):
            for name in (place.name_ar, place.name_en, *place.alt_ar, *place.alt_en):
                if not name:
                    continue
                for key in (normalize(name), name_key(name)):
                    if key:
                        entries.add((key, i, name))
        ordered = sorted(entries)
        self._keys = [k for k, _, _ in ordered]
        self._entries = [(i, name) for _, i, name in ordered]
        self._places = places

    def __len__(self) -> int:
        return len(self._keys)

    def complete(self, text: str, *, limit: int = 8) -> list[Completion]:
        """Up to ``limit`` places with a name beginning with ``text``, most important first."""
        prefixes = {p for p in (normalize(text), name_key(text)) if len(p) >= MIN_PREFIX_CHARS}
        best: dict[int, str] = {}  # place index -> its shortest name with the prefix
        for prefix in prefixes:
            start = bisect.bisect_left(self._keys, prefix)
            for j in range(start, min(len(self._keys), start + MAX_SCAN)):
                if not self._keys[j].startswith(prefix):
                    break
                i, name = self._entries[j]
                if i not in best or len(name) < len(best[i]):
                    best[i] = name
        ranked = sorted(best.items(),
                        key=lambda item: (-self._places[item[0]].importance, len(item[1]),
                                          self._places[item[0]].id))
        return [Completion(self._places[i], name) for i, name in ranked[:limit]]
