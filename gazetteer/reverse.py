"""Reverse geocoding: the admin units containing a point, its neighbourhood, the places nearby.

    rg = ReverseGeocoder.from_data_dir()            # or Gazetteer.load().reverse(...)
    r = rg.reverse(36.2, 37.1)                      # also "36.2,37.1", (36.2, 37.1), geopy.Point
    r.admin1, r.admin2, r.admin3                    # AdminRef(pcode, name_en, name_ar) or None
    r.neighbourhood                                 # NeighbourhoodRef or None
    r.nearest                                       # ((Place, distance_km), ...) nearest first
    r.to_geojson()                                  # FeatureCollection (the CLI/HTTP contract)
    b = rg.reverse_many(points)                     # vectorised admin lookup: pcode arrays

Admin units come from the OCHA sub-district polygons (see ``gazetteer.admin`` for boundaries,
slivers and the coast).  Distances to places are geodesic (WGS84): a latitude band (binary
search) and a great-circle test (the dot product of unit vectors) pick the few candidates worth
measuring, Lambert's formula measures them (``gazetteer.geodesy``), and the geodesic the few
whose order, radius test or rounded distance its error bound leaves undecided.
"""
from __future__ import annotations

import csv
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

import numpy as np

from .admin import EARTH_RADIUS_KM, MATCH_NAMES, AdminAreas, NeighbourhoodRef
from .coords import parse_point, parse_points
from .exceptions import DataError, QueryError
from .geodesy import (ABSOLUTE_ERROR_KM, RELATIVE_ERROR, Points, geodesic_km, lambert_km,
                      lambert_km_list)
from .paths import data_dir
from .place import ADMIN_TYPES, AdminRef, Place

DEFAULT_RADIUS_KM = 10.0
DEFAULT_LIMIT = 5
MAX_RADIUS_KM = 500.0
MAX_LIMIT = 1000
# Places whose point only labels an area are not "nearby places": admin units are answered as
# admin1/2/3; the country's, a region's or a plain's point is a label or a centroid.
AREA_TYPES = ADMIN_TYPES | frozenset({"country", "region", "plain"})
# |geodesic / haversine - 1| on WGS84 vs the mean-radius sphere stays under 0.6 %; 1 % is safe.
_SPHERE_ERROR = 0.01
SMALL = 24  # candidates up to which plain Python beats numpy (per-call cost)
BUNDLED_ADMIN = Path(__file__).resolve().parent.parent / "data" / "admin"


class Nearby(NamedTuple):
    """A place near the query point and its geodesic distance."""

    place: Place
    distance_km: float


@dataclass(frozen=True)
class ReverseResult:
    """What is at a point: admin units (None outside Syria), neighbourhood, nearest places."""

    point: tuple[float, float]  # (lat, lon)
    inside_syria: bool
    admin1: AdminRef | None
    admin2: AdminRef | None
    admin3: AdminRef | None
    neighbourhood: NeighbourhoodRef | None
    nearest: tuple[Nearby, ...]
    match: str = "inside"  # "inside" | "neighbourhood" | "nearest" | "outside" (gazetteer.admin)
    admin_distance_km: float | None = 0.0  # km from the point to its sub-district polygon
    distance_to_syria_km: float | None = None  # outside only: km to the nearest governorate
    radius_km: float = DEFAULT_RADIUS_KM

    @property
    def lat(self) -> float:
        return self.point[0]

    @property
    def lon(self) -> float:
        return self.point[1]

    @property
    def outside(self) -> bool:
        return not self.inside_syria

    def admin_properties(self) -> dict[str, Any]:
        """The query point's GeoJSON properties."""
        props: dict[str, Any] = {
            "role": "query",
            "outside": self.outside,
            "admin1": self.admin1.as_dict() if self.admin1 else None,
            "admin2": self.admin2.as_dict() if self.admin2 else None,
            "admin3": self.admin3.as_dict() if self.admin3 else None,
            "neighbourhood": self.neighbourhood.as_dict() if self.neighbourhood else None,
            "match": self.match,
        }
        if self.admin_distance_km is not None:
            props["admin_distance_km"] = round(self.admin_distance_km, 3)
        if self.distance_to_syria_km is not None:
            props["distance_to_syria_km"] = round(self.distance_to_syria_km, 3)
        props["radius_km"] = self.radius_km
        return props

    def to_geojson(self) -> dict[str, Any]:
        """A FeatureCollection: the query point first (admin units, neighbourhood, ``outside``),
        then one Point feature per nearby place (``Place.properties()`` + ``distance_km``)."""
        lat, lon = self.point
        features = [{"type": "Feature",
                     "geometry": {"type": "Point", "coordinates": [lon, lat]},
                     "properties": self.admin_properties()}]
        for place, km in self.nearest:
            props = place.properties()
            props["role"] = "nearby"
            props["distance_km"] = round(km, 3)
            features.append({"type": "Feature", "id": place.id,
                             "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
                             "properties": props})
        return {"type": "FeatureCollection", "features": features}


@dataclass(frozen=True, eq=False)
class ReverseBatch:
    """``reverse_many``'s answer: one entry per input point, as read-only numpy arrays.

    ``admin1``/``admin2``/``admin3``/``neighbourhood`` hold p-codes ("" when none: outside Syria,
    or not in a city neighbourhood), ``inside`` is a bool array, ``match`` and ``distance_km`` say
    how the sub-district was found (see ``gazetteer.admin``).  ``as_dicts()`` gives the same as a
    list of dicts with names; ``np.unique(batch.admin1, return_counts=True)`` aggregates."""

    lat: np.ndarray
    lon: np.ndarray
    admin1: np.ndarray
    admin2: np.ndarray
    admin3: np.ndarray
    neighbourhood: np.ndarray
    inside: np.ndarray
    match: np.ndarray
    distance_km: np.ndarray
    areas: AdminAreas

    def __len__(self) -> int:
        return len(self.lat)

    def as_dicts(self) -> list[dict[str, Any]]:
        """One dict per point: lat, lon, outside, admin1/admin2/admin3 as {pcode, name_en,
        name_ar} or None, neighbourhood likewise, match, admin_distance_km."""
        refs: dict[str, Any] = {"": None}
        areas = self.areas

        def ref(code: str, nb: bool = False) -> Any:
            if code not in refs:
                if nb:
                    assert areas.neighbourhoods is not None
                    refs[code] = areas.neighbourhood_ref(areas.neighbourhoods.index(code)).as_dict()
                else:
                    refs[code] = areas.ref(code).as_dict()
            return refs[code]

        out = []
        for i in range(len(self)):
            d = float(self.distance_km[i])
            out.append({
                "lat": float(self.lat[i]), "lon": float(self.lon[i]),
                "outside": not bool(self.inside[i]),
                "admin1": ref(str(self.admin1[i])),
                "admin2": ref(str(self.admin2[i])),
                "admin3": ref(str(self.admin3[i])),
                "neighbourhood": ref(str(self.neighbourhood[i]), nb=True),
                "match": str(self.match[i]),
                "admin_distance_km": None if math.isnan(d) else round(d, 3),
            })
        return out


class ReverseGeocoder:
    """Reverse geocoding over a set of places and the admin polygons."""

    def __init__(self, places: Sequence[Place], areas: AdminAreas):
        self.places: tuple[Place, ...] = tuple(places)
        self.areas = areas
        self._types = frozenset(p.type for p in self.places)
        self._lat = np.array([p.lat for p in self.places], dtype=float)
        self._lon = np.array([p.lon for p in self.places], dtype=float)
        self._type = np.array([p.type for p in self.places], dtype=object)
        self._default_mask = ~np.isin(self._type, list(AREA_TYPES))
        self._points = Points(self._lat, self._lon)  # for gazetteer.geodesy.lambert_km
        # nearest(): the places sorted by latitude, so that a latitude band is a binary search
        self._by_lat = np.argsort(self._lat, kind="stable")
        self._lat_sorted = self._lat[self._by_lat]
        # the places as unit vectors (rows), for nearest()'s prefilter
        self._unit_by_lat = np.ascontiguousarray(
            _unit_vector(self._lat[self._by_lat], self._lon[self._by_lat]))
        self._default_mask_by_lat = self._default_mask[self._by_lat]
        ids = [p.id for p in self.places]
        self._id_rank = [0] * len(ids)  # ties in distance: by id
        for rank, i in enumerate(sorted(range(len(ids)), key=ids.__getitem__)):
            self._id_rank[i] = rank
        self._pcodes = {
            name: np.array(list(layer.pcodes) + [""], dtype=f"U{max(map(len, layer.pcodes), default=1)}")
            for name, layer in (("adm1", areas.adm1), ("adm2", areas.adm2), ("adm3", areas.adm3))
        }
        nbl = areas.neighbourhoods
        self._pcodes["nb"] = np.array((list(nbl.pcodes) if nbl else []) + [""], dtype="U16")
        self._match_names = np.array(MATCH_NAMES)

    @classmethod
    def from_data_dir(cls, path: str | Path | None = None,
                      places: Sequence[Place] | None = None) -> "ReverseGeocoder":
        """Polygons from ``<path>/admin`` and, unless given, places from ``<path>/places.csv``
        (default path: the bundled data, or $GAZETTEER_DATA).  A folder without ``admin/``
        (a places file of one's own) uses the bundled polygons."""
        base = Path(path) if path is not None else data_dir()
        if (base / "admin" / "adm3.geojson").exists():
            folder = base / "admin"
        elif (base / "adm3.geojson").exists():
            folder = base
        else:
            folder = BUNDLED_ADMIN if (BUNDLED_ADMIN / "adm3.geojson").exists() else base / "admin"
        areas = AdminAreas.from_dir(folder)
        if places is None:
            places = load_places(base / "places.csv")
        return cls(places, areas)

    # -- one point ----------------------------------------------------------------------------
    def reverse(self, lat: Any, lon: Any = None, *, radius_km: float = DEFAULT_RADIUS_KM,
                limit: int = DEFAULT_LIMIT, types: Iterable[str] | None = None,
                snap_km: float | None = None) -> ReverseResult:
        """Admin units, neighbourhood and nearest places (up to ``limit`` within ``radius_km``,
        nearest first) of a point given as ``(lat, lon)`` numbers, a "LAT,LON" string, a tuple
        or a geopy Point.  Outside Syria: ``inside_syria`` False, no admin units (nearby places
        within the radius are still listed).  ``types`` restricts the places listed (default:
        every type except the country, admin units, regions and plains).  ``snap_km`` overrides the distance
        within which a point outside every sub-district polygon still gets the nearest one
        (default 1 km, see ``gazetteer.admin``)."""
        y, x = parse_point(lat, lon)
        radius_km = check_radius(radius_km)
        limit = check_limit(limit)
        mask = self._type_mask(types)
        found = self.areas.lookup(y, x, snap_km=_check_snap(snap_km))
        nearest = self.nearest(y, x, radius_km=radius_km, limit=limit, mask=mask)
        return ReverseResult(
            point=(y, x),
            inside_syria=found.inside,
            admin1=found.admin1, admin2=found.admin2, admin3=found.admin3,
            neighbourhood=found.neighbourhood,
            nearest=nearest,
            match=found.match,
            admin_distance_km=found.distance_km,
            distance_to_syria_km=None if found.inside else self.areas.distance_to_syria_km(y, x),
            radius_km=radius_km,
        )

    def check_types(self, types: Iterable[str] | None) -> None:
        """Raise QueryError for a place type the gazetteer does not have."""
        self._type_mask(types)

    def _type_mask(self, types: Iterable[str] | None) -> np.ndarray:
        if types is None:
            return self._default_mask
        if isinstance(types, str):
            types = [types]
        wanted = frozenset(types)
        unknown = wanted - self._types
        if unknown:
            raise QueryError(f"unknown place type(s): {', '.join(sorted(unknown))}")
        return np.isin(self._type, list(wanted))

    def nearest(self, lat: float, lon: float, *, radius_km: float = DEFAULT_RADIUS_KM,
                limit: int = DEFAULT_LIMIT, mask: np.ndarray | None = None,
                exact: bool = False) -> tuple[Nearby, ...]:
        """Up to ``limit`` places within ``radius_km`` (geodesic) of a checked point, nearest
        first (ties by id).

        Distances are Lambert's formula (``gazetteer.geodesy``: within 2 mm per km + 1 mm of the
        geodesic), and ``geopy``'s geodesic wherever that error could matter: for places whose
        order, membership in the radius or distance rounded to the metre (the JSON's
        ``distance_km``) the bound leaves undecided.  So the places, their order and the
        rounded distances are those of the geodesic; ``exact=True`` measures every candidate
        with the geodesic (the slow reference)."""
        if limit == 0 or not len(self.places):
            return ()
        if mask is None:
            mask = self._default_mask
        indices, distances = self._candidates(lat, lon, radius_km, limit, mask)
        if not indices:
            return ()
        if exact:
            distances = [geodesic_km(lat, lon, self._lat[i], self._lon[i]) for i in indices]
        else:
            self._settle(lat, lon, indices, distances, radius_km)
        rank, places = self._id_rank, self.places
        best = sorted((d, rank[i], i) for d, i in zip(distances, indices) if d <= radius_km)
        return tuple(Nearby(places[i], d) for d, _, i in best[:limit])

    def _candidates(self, lat: float, lon: float, radius_km: float, limit: int,
                    mask: np.ndarray) -> tuple[list[int], list[float]]:
        """Places that may be among the ``limit`` nearest within ``radius_km``, and their
        Lambert km: a latitude band cut from the lat-sorted places by binary search (not a scan
        of every place), the places within the radius on the sphere and of the wanted types,
        only those that could be among the ``limit`` nearest, and of these the ones within the
        radius up to Lambert's error."""
        reach = radius_km * (1 + _SPHERE_ERROR)
        dlat = reach / 110.5  # 1 deg of latitude >= 110.57 km
        lo = int(self._lat_sorted.searchsorted(lat - dlat, side="left"))
        hi = int(self._lat_sorted.searchsorted(lat + dlat, side="right"))
        # The great-circle angle on the mean-radius sphere (within _SPHERE_ERROR of the geodesic)
        # through the dot product of unit vectors: one matrix product, no trigonometry per place.
        # The 1e-15 and 1e-7 rad slacks only let in more candidates (rounding of cosines near 1).
        phi, lam = math.radians(lat), math.radians(lon)
        here = np.array((math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam),
                         math.sin(phi)))
        dots = self._unit_by_lat[lo:hi] @ here
        near = dots >= math.cos(min(math.pi, reach / EARTH_RADIUS_KM)) - 1e-15
        near &= (self._default_mask_by_lat[lo:hi] if mask is self._default_mask
                 else mask[self._by_lat[lo:hi]])
        keep = np.flatnonzero(near)
        if len(keep) > limit:
            # only places that could be among the ``limit`` nearest once measured exactly
            dots = dots[keep]
            kth = np.partition(dots, len(dots) - limit)[len(dots) - limit]  # limit-th nearest
            angle = math.acos(min(1.0, float(kth))) * (1 + _SPHERE_ERROR) / (1 - _SPHERE_ERROR)
            keep = keep[dots >= math.cos(min(math.pi, angle + 1e-7)) - 1e-15]
        cand = self._by_lat[keep + lo]
        to = self._points.take(cand)
        if len(cand) <= SMALL:
            dist = lambert_km_list(lat, lon, to)
        else:
            dist = lambert_km(lat, lon, to).tolist()
        rel, floor = RELATIVE_ERROR, ABSOLUTE_ERROR_KM
        within = [(i, d) for i, d in zip(cand.tolist(), dist) if d - rel * d - floor <= radius_km]
        return [i for i, _ in within], [d for _, d in within]

    def _settle(self, lat: float, lon: float, indices: list[int], distances: list[float],
                radius_km: float) -> None:
        """Replace (in place) the Lambert km of the candidates by the geodesic where the error
        bound could change the answer: a distance that close to the radius, to another
        candidate's (the order), or to a half metre (the distance rounded to 3 decimals).
        Plain Python: a handful of candidates, where numpy's per-call cost would dominate."""
        err = [RELATIVE_ERROR * d + ABSOLUTE_ERROR_KM for d in distances]
        unsure = [abs(d - radius_km) <= e or abs(d * 1000.0 - math.floor(d * 1000.0) - 0.5)
                  <= e * 1000.0 for d, e in zip(distances, err)]
        order = sorted(range(len(distances)), key=distances.__getitem__)
        for a, b in zip(order, order[1:]):
            if distances[b] - distances[a] <= err[a] + err[b]:
                unsure[a] = unsure[b] = True
        for j, flag in enumerate(unsure):
            if flag:
                i = indices[j]
                distances[j] = geodesic_km(lat, lon, self._lat[i], self._lon[i])

    # -- many points --------------------------------------------------------------------------
    def reverse_many(self, points: Any, lons: Any = None, *, neighbourhoods: bool = True,
                     snap_km: float | None = None) -> ReverseBatch:
        """Admin units of many points, vectorised (no nearby places).

        ``points``: an ``(n, 2)`` array-like of ``(lat, lon)`` rows or a sequence of anything
        ``reverse`` accepts; or ``reverse_many(lats, lons)`` with two 1-D arrays.  A bad point
        raises CoordinateError naming its index."""
        ys, xs = parse_points(points, lons)
        r = self.areas.lookup_many(ys, xs, neighbourhoods=neighbourhoods,
                                   snap_km=_check_snap(snap_km))
        p = self._pcodes
        arrays = dict(
            lat=ys, lon=xs,
            admin1=p["adm1"][r.adm1], admin2=p["adm2"][r.adm2], admin3=p["adm3"][r.adm3],
            neighbourhood=p["nb"][r.neighbourhood],
            inside=r.adm3 >= 0,
            match=self._match_names[r.match],
            distance_km=r.distance_km,
        )
        for arr in arrays.values():
            arr.flags.writeable = False
        return ReverseBatch(areas=self.areas, **arrays)


def _unit_vector(lat: Any, lon: Any) -> np.ndarray:
    """Points on the unit sphere (x, y, z) from degrees: one row per point."""
    phi, lam = np.radians(lat), np.radians(lon)
    return np.stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)], axis=-1)


def check_radius(radius_km: Any) -> float:
    try:
        r = float(radius_km)
    except (TypeError, ValueError):
        raise QueryError(f"radius_km must be a number, not {radius_km!r}") from None
    if not (math.isfinite(r) and 0 <= r <= MAX_RADIUS_KM):
        raise QueryError(f"radius_km must be between 0 and {MAX_RADIUS_KM:g}, not {radius_km!r}")
    return r


def _check_snap(snap_km: Any) -> float | None:
    if snap_km is None:
        return None
    try:
        s = float(snap_km)
    except (TypeError, ValueError):
        raise QueryError(f"snap_km must be a number, not {snap_km!r}") from None
    if not (math.isfinite(s) and 0 <= s <= 50):
        raise QueryError(f"snap_km must be between 0 and 50, not {snap_km!r}")
    return s


def check_limit(limit: Any) -> int:
    if not isinstance(limit, (int, np.integer)) or isinstance(limit, bool) or \
            not 0 <= limit <= MAX_LIMIT:
        raise QueryError(f"limit must be an integer between 0 and {MAX_LIMIT}, not {limit!r}")
    return int(limit)


def load_places(path: str | Path) -> list[Place]:
    """The places of a ``places.csv`` (without building the name index ``Gazetteer`` needs)."""
    path = Path(path)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
    except FileNotFoundError as exc:
        raise DataError(f"gazetteer data not found at {path}; run `python -m gazetteer.build`") \
            from exc
    try:
        return [Place.from_row(r) for r in rows]
    except (KeyError, ValueError) as exc:
        raise DataError(f"malformed row in {path}: {exc}") from exc
