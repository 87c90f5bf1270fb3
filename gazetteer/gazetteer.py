"""The resolver API: ``Gazetteer.load()`` once, then ``geocode``, ``parse``, ``reverse`` and ``get``."""
from __future__ import annotations

import csv
import io
import numbers
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Sequence

from .collector import collector_paused
from .exceptions import DataError, QueryError
from .index import NameIndex
from .index_cache import load_or_build
from .match import (
    QualifierArea, collect_candidates, confidence_of, rank, to_matches,
)
from .lexicon import foreign_place_keys, generic_heads
from .normalize import LATIN_ARTICLES, name_key, normalize
from .paths import data_dir
from .place import ADMIN_TYPES, Match, Place
from .query import parse_query

DEFAULT_MIN_CONFIDENCE = 0.3
LOCAL_TYPES = frozenset({"village", "town", "neighbourhood", "camp"})
QUALIFIER_FALLBACK = 0.6  # confidence kept when answering the place a named spot lies in
QUALIFIER_TYPES = ADMIN_TYPES | {"city", "town", "neighbourhood", "region", "plain", "mountain"}
QUALIFIER_FUZZY_TYPES = ADMIN_TYPES | {"city"}
QUALIFIER_FUZZY_MIN_SIM = 0.88


@lru_cache(maxsize=None)
def _no_name_alone() -> frozenset[str]:
    """Folded words that name no place on their own: a generic first word ("Tal") or an article."""
    return generic_heads() | LATIN_ARTICLES | {"ال"}


class Gazetteer:
    """A loaded gazetteer: the places, their name index and lookups by id."""

    def __init__(self, places: Sequence[Place], *, fingerprint: bytes | None = None):
        self.places: tuple[Place, ...] = tuple(places)
        self._by_id = {p.id: p for p in self.places}
        if fingerprint is None:
            self.index = NameIndex(self.places)
        else:  # the same data bytes and code: the index built last time is valid
            self.index = load_or_build(fingerprint, lambda: NameIndex(self.places), self.places)
        self._admin1_keys = self._admin_keys()
        self._data_dir: Path | None = None
        self._reverser = None
        self._parser = None
        self._qualifier_idx: frozenset[int] | None = None
        self.curation = None  # a gazetteer.curation.Curator when an overlay is attached


    # -- loading ---------------------------------------------------------------------------
    @classmethod
    def load(cls, path: str | Path | None = None, *,
             curation: str | Path | bool | None = None) -> "Gazetteer":
        """Load ``places.csv`` (the bundled one by default), with the curation overlay on top:
        ``curation`` is a store (SQLite path or ``postgresql://`` URL, created if need be), False
        for none, None for ``$GAZETTEER_CURATION`` or the user's default store when it exists."""
        path = Path(path) if path else data_dir() / "places.csv"
        if path.is_dir():
            path = path / "places.csv"
        try:
            raw = path.read_bytes()
        except FileNotFoundError as exc:
            raise DataError(f"gazetteer data not found at {path}; run `python -m gazetteer.build`") from exc
        with collector_paused():  # loading: see gazetteer.collector
            try:
                rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"), newline="")))
            except UnicodeDecodeError as exc:
                raise DataError(f"{path} is not UTF-8: {exc}") from exc
            try:
                gz = cls([Place.from_row(r) for r in rows], fingerprint=raw)
            except (KeyError, ValueError) as exc:
                raise DataError(f"malformed row in {path}: {exc}") from exc
        gz._data_dir = path.parent
        if curation is not False:
            from .curation import attach

            attach(gz, curation)
        return gz

    def _admin_keys(self) -> dict[str, str]:
        """Folded governorate name (either script, aliases too) → admin1 p-code."""
        out: dict[str, str] = {}
        for p in self.places:
            if p.type == "governorate":
                for n in p.names:
                    out[normalize(n)] = p.id
        return out

    # -- the curation overlay (gazetteer.curation) -------------------------------------------
    def _serve(self, places: Sequence[Place], index: NameIndex, *,
               by_id: dict[str, Place] | None = None, governorates: bool = True) -> None:
        """Answer from ``places`` and ``index`` from now on: the bundled data amended by the
        curation overlay (which may give the id map, and say whether a governorate changed).
        Each attribute is replaced whole (a reader holds either the old or the new one); the
        parser is rebuilt on its next use."""
        places = tuple(places)
        self.index = index
        self.places = places
        self._by_id = by_id if by_id is not None else {p.id: p for p in places}
        if governorates:
            self._admin1_keys = self._admin_keys()
        self._qualifier_idx = None
        self._parser = None
        if self._reverser is not None:  # keep its polygons, index the places on next use
            self._reverse_areas = self._reverser.areas
            self._reverser = None

    def refresh(self) -> bool:
        """Take the curation changes other processes made since; whether there were any."""
        return self.curation.refresh() if self.curation is not None else False

    # -- lookups ---------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.places)

    def __contains__(self, place_id: object) -> bool:
        return place_id in self._by_id

    def get(self, place_id: str) -> Place | None:
        return self._by_id.get(place_id)

    def admin1_pcode(self, value: str) -> str | None:
        """A governorate given by p-code or by name in either script, as its p-code."""
        if value in self._by_id and self._by_id[value].type == "governorate":
            return value
        return self._admin1_keys.get(normalize(value))

    # -- geocoding -------------------------------------------------------------------------
    def geocode(self, query: str, *, limit: int = 5, admin1: str | None = None,
                types: Iterable[str] | None = None, exactly_one: bool = False,
                min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> list[Match] | Match | None:
        """Places matching ``query``, best first, each with a confidence in [0, 1].

        ``admin1`` restricts to a governorate (p-code or name); ``types`` to place types.
        Answers below ``min_confidence`` are left out: an empty list means "not found".
        With ``exactly_one=True`` the best match or None is returned.
        """
        if not isinstance(limit, int) or isinstance(limit, bool) or limit < 1:
            raise QueryError("limit must be a positive integer")
        if (isinstance(min_confidence, bool) or not isinstance(min_confidence, numbers.Real)
                or not 0.0 <= min_confidence <= 1.0):  # NaN fails the comparison too
            raise QueryError(f"min_confidence must be a number between 0 and 1, not "
                             f"{min_confidence!r}")
        keep_admin1 = None
        if admin1 is not None:
            keep_admin1 = self.admin1_pcode(admin1)
            if keep_admin1 is None:
                raise QueryError(f"unknown governorate {admin1!r}")
        wanted = frozenset(types) if types else None
        if wanted is not None:
            unknown = wanted - {p.type for p in self.places}
            if unknown:
                raise QueryError(f"unknown place type(s): {', '.join(sorted(unknown))}")
        matches = self._geocode(query, limit=limit, keep_admin1=keep_admin1, wanted=wanted)
        matches = [m for m in matches if m.confidence >= min_confidence]
        if not matches:
            matches = [m for m in self._where_it_lies(query, keep_admin1=keep_admin1, wanted=wanted)
                       if m.confidence >= min_confidence]
        if exactly_one:
            return matches[0] if matches else None
        return matches

    def _geocode(self, query: str, *, limit: int, keep_admin1: str | None,
                 wanted: frozenset[str] | None) -> list[Match]:
        parsed = parse_query(query)
        areas = [a for a in (self._qualifier_area(q) for q in parsed.qualifiers) if a]

        def kept(place: Place) -> bool:
            if keep_admin1 and (place.admin1 is None or place.admin1.pcode != keep_admin1):
                return False
            return wanted is None or place.type in wanted

        # most queries have no filter: no call per candidate then
        keep = kept if keep_admin1 or wanted is not None else None

        cands = collect_candidates(self.index, [(v.text, v.penalty) for v in parsed.variants])
        if not cands:
            return []
        if self._is_foreign(parsed, cands):
            return []
        ranked = rank(self.index, cands, types=parsed.types, areas=areas, keep=keep)
        if not ranked:
            return []
        confidence, probs, rivals = confidence_of(self.index, ranked)
        return to_matches(self.index, ranked, confidence, probs, rivals, limit)

    def _where_it_lies(self, query: str, *, keep_admin1: str | None,
                       wanted: frozenset[str] | None) -> list[Match]:
        """When the name itself is unknown ("Al-Sayed Alyed in Hatla village"), the village or
        neighbourhood its qualifier names, at a reduced confidence.  Not a governorate or a
        city: "X, Aleppo" with X unknown is not Aleppo."""
        parsed = parse_query(query)
        for qualifier in parsed.qualifiers:
            for m in self._geocode(qualifier, limit=1, keep_admin1=keep_admin1, wanted=wanted):
                if m.place.type in LOCAL_TYPES:
                    return [replace(m, confidence=round(m.confidence * QUALIFIER_FALLBACK, 4),
                                    reasons=(*m.reasons, f"{query!r} not found; the place it lies in"))]
        return []

    def _is_foreign(self, parsed, cands) -> bool:
        """A well-known place abroad (بيروت, Amman) that no Syrian place is called as well."""
        foreign = foreign_place_keys()
        if not any(name_key(v.text) in foreign for v in parsed.variants[:1]):
            return False
        # "Saida" is Sidon, unless a Syrian place is spelled the same way ("Sayda" in Dar'a)
        return not any(c.sim >= 0.95 and c.penalty == 0 for c in cands.values())

    def _qualifier_places(self) -> frozenset[int]:
        """Positions of the places a qualifier may name (admin units, cities, regions...): the
        names of the other places need not be compared with it."""
        if self._qualifier_idx is None:
            self._qualifier_idx = frozenset(i for i, p in enumerate(self.places)
                                            if p.type in QUALIFIER_TYPES)
        return self._qualifier_idx

    @lru_cache(maxsize=4096)
    def _qualifier_area(self, text: str) -> QualifierArea | None:
        """Resolve a qualifier to the admin units / places it names (best matches only)."""
        words = text.split()
        readings = [(text, 0.0)]
        if len(words) > 1:  # "حماه الجنوبي", "Aleppo countryside": the head word alone
            # ... but not a word many names start with ("Tal" of "Tal Mardikh", "al")
            readings.extend((part, 0.03) for part in (" ".join(words[:-1]), " ".join(words[1:]))
                            if normalize(part) not in _no_name_alone())
        cands = collect_candidates(self.index, readings, fuzzy=False, among=self._qualifier_places())
        good = [c for c in cands.values()
                if c.sim - c.penalty >= 0.9 and self.places[c.place_idx].type in QUALIFIER_TYPES]
        if not good:
            # "Jindires", "al Silmiya district": another spelling of an admin unit or a city will
            # do; there are few of those (a town or village spelled nearly so is too often
            # another place: "al Tayba" is not Otayba).
            cands = collect_candidates(self.index, readings[:1], among=self._qualifier_places())
            good = [c for c in cands.values() if c.sim - c.penalty >= QUALIFIER_FUZZY_MIN_SIM
                    and self.places[c.place_idx].type in QUALIFIER_FUZZY_TYPES]
        if not good:
            return None
        best = max(c.sim - c.penalty for c in good)
        chosen = [self.places[c.place_idx] for c in good if c.sim - c.penalty >= best - 0.02]
        # a region defined by the admin units it spans ("Eastern Ghouta", the Syrian Desert)
        # holds what lies in them, however far from its representative point
        pcodes = frozenset(p.id for p in chosen if p.type in ADMIN_TYPES) | frozenset(
            code for p in chosen if p.type not in ADMIN_TYPES
            for code in p.raw.get("members", "").split("|") if code.startswith("SY"))
        points = tuple((p.lat, p.lon) for p in chosen if p.type not in ADMIN_TYPES)
        return QualifierArea(text, pcodes, points)

    # -- reverse geocoding (gazetteer.reverse) --------------------------------------------
    def _reverse_geocoder(self):
        if self._reverser is None:
            from .reverse import ReverseGeocoder

            areas = getattr(self, "_reverse_areas", None)  # kept by _serve (curation)
            self._reverser = (ReverseGeocoder(self.places, areas) if areas is not None else
                              ReverseGeocoder.from_data_dir(self._data_dir or data_dir(),
                                                            self.places))
        return self._reverser

    def reverse(self, *args, **kwargs):
        """Admin regions containing a point, its neighbourhood, and the nearest places.

        See ``gazetteer.reverse.ReverseGeocoder.reverse``; polygons load on first use."""
        return self._reverse_geocoder().reverse(*args, **kwargs)

    def reverse_many(self, *args, **kwargs):
        """Vectorised admin lookup for many points; see ``ReverseGeocoder.reverse_many``."""
        return self._reverse_geocoder().reverse_many(*args, **kwargs)

    # -- geoparsing (gazetteer.parse) ------------------------------------------------------
    def parse(self, text: str):
        """Every Syrian place named in ``text``: a list of ``Mention`` in text order."""
        if self._parser is None:
            from .parse import Parser

            self._parser = Parser(self)
        return self._parser.parse(text)
