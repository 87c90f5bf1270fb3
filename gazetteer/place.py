"""Immutable records: a place of the gazetteer, an admin reference, a geocoding match."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from types import MappingProxyType
from typing import Any, Mapping

ADMIN_TYPES = frozenset({"governorate", "district", "subdistrict"})


@dataclass(frozen=True, slots=True)
class AdminRef:
    """An OCHA admin unit as a place refers to it: p-code and both names."""

    pcode: str
    name_en: str
    name_ar: str

    def as_dict(self) -> dict[str, str]:
        return {"pcode": self.pcode, "name_en": self.name_en, "name_ar": self.name_ar}


_ADMIN_COLUMNS = {level: (f"admin{level}_pcode", f"admin{level}_en", f"admin{level}_ar") for level in (1, 2, 3)}


@lru_cache(maxsize=None)
def _admin_ref(pcode: str, name_en: str, name_ar: str) -> "AdminRef":
    """One AdminRef per unit, shared by the thousands of places inside it (a few hundred units)."""
    return AdminRef(pcode, name_en, name_ar)


@dataclass(frozen=True, slots=True)
class Place:
    """One row of ``data/places.csv``; ``raw`` holds the full row as read."""

    id: str
    type: str
    name_ar: str
    name_en: str
    alt_ar: tuple[str, ...]
    alt_en: tuple[str, ...]
    lat: float
    lon: float
    admin1: AdminRef | None
    admin2: AdminRef | None
    admin3: AdminRef | None
    parent_id: str
    importance: float
    raw: Mapping[str, str] = field(repr=False, compare=False, hash=False)

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> "Place":
        def admin(level: int) -> AdminRef | None:
            pcode = row.get(_ADMIN_COLUMNS[level][0], "")
            if not pcode:
                return None
            return _admin_ref(pcode, row.get(_ADMIN_COLUMNS[level][1], ""), row.get(_ADMIN_COLUMNS[level][2], ""))

        def split(value: str) -> tuple[str, ...]:
            return tuple(v.strip() for v in value.split("|") if v.strip()) if value else ()

        return cls(
            id=row["id"],
            type=row["type"],
            name_ar=row.get("name_ar", ""),
            name_en=row.get("name_en", ""),
            alt_ar=split(row.get("alt_ar", "")),
            alt_en=split(row.get("alt_en", "")),
            lat=float(row["lat"]),
            lon=float(row["lon"]),
            admin1=admin(1),
            admin2=admin(2),
            admin3=admin(3),
            parent_id=row.get("parent_id", ""),
            importance=float(row.get("importance") or 0.0),
            raw=MappingProxyType(dict(row)),  # a copy: the caller may change its row
        )

    @property
    def names(self) -> tuple[str, ...]:
        """Every name of the place, primary names first."""
        return tuple(n for n in (self.name_ar, self.name_en, *self.alt_ar, *self.alt_en) if n)

    @property
    def name(self) -> str:
        return self.name_en or self.name_ar

    @property
    def geonames_only(self) -> bool:
        """A locality of GeoNames (through Who's On First) that matched no OCHA community."""
        return self.id[:1] in "GW"

    @property
    def point(self) -> tuple[float, float]:
        return (self.lat, self.lon)

    def admin_pcodes(self) -> tuple[str, ...]:
        return tuple(a.pcode for a in (self.admin1, self.admin2, self.admin3) if a) + (self.id,)

    def properties(self) -> dict[str, Any]:
        """GeoJSON properties, the contract shared by the CLI and the HTTP service."""
        return {
            "id": self.id,
            "name_ar": self.name_ar,
            "name_en": self.name_en,
            "type": self.type,
            "admin1": self.admin1.as_dict() if self.admin1 else None,
            "admin2": self.admin2.as_dict() if self.admin2 else None,
            "admin3": self.admin3.as_dict() if self.admin3 else None,
        }


def rival_summary(place: Place) -> dict[str, Any]:
    """Who a rival reading of an ambiguous name is: id, names, type, governorate."""
    return {"id": place.id, "name_en": place.name_en, "name_ar": place.name_ar,
            "type": place.type, "admin1": place.admin1.pcode if place.admin1 else None}


@dataclass(frozen=True, slots=True)
class Match:
    """A place found for a query, with a confidence in [0, 1] and why it was chosen."""

    place: Place
    confidence: float
    matched_name: str
    score: float
    ambiguous: bool = False
    reasons: tuple[str, ...] = ()
    rivals: tuple[Place, ...] = ()  # the best match of an ambiguous name: the distant rivals

    @property
    def id(self) -> str:
        return self.place.id

    @property
    def latitude(self) -> float:
        return self.place.lat

    @property
    def longitude(self) -> float:
        return self.place.lon

    def to_feature(self) -> dict[str, Any]:
        props = self.place.properties()
        props["confidence"] = round(self.confidence, 3)
        props["matched_name"] = self.matched_name
        props["ambiguous"] = self.ambiguous
        if self.rivals:
            props["rivals"] = [rival_summary(p) for p in self.rivals]
        if self.reasons:
            props["reasons"] = list(self.reasons)
        return {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [self.place.lon, self.place.lat]},
            "properties": props,
        }
