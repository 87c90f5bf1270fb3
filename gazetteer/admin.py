"""OCHA COD-AB v02 admin polygons (``data/admin/*.geojson``) and point-in-polygon lookups.

``AdminAreas.from_dir()`` loads the four layers once (governorates ``adm1``, districts ``adm2``,
sub-districts ``adm3``, city ``neighbourhoods``), repairs invalid rings, prepares every polygon and
builds one ``shapely.STRtree`` per layer.  ``lookup(lat, lon)`` answers one point,
``lookup_many(lats, lons)`` numpy arrays of points (vectorised: one STRtree bounding-box query for
all points, then one prepared ``intersects_xy`` call per polygon over its candidate points).

How a point gets its admin units (the sub-district decides; district and governorate are its
parents, so the three levels always agree with each other and with ``places.csv``):

1. ``inside``: the point lies in (or on the edge of) an adm3 polygon.  On a shared edge or in an
   overlap sliver left by simplification (< 20 m wide) it is in several; the polygon the point lies
   deepest in wins (largest distance to its boundary), then the smallest p-code.
2. ``neighbourhood``: outside every adm3 polygon but inside an OCHA city-neighbourhood polygon.
   The adm3 coastline cuts off parts of Tartous and Lattakia (harbour, reclaimed land: whole
   neighbourhoods such as Al-Mina lie 0.2-0.5 km off it); the neighbourhood's sub-district is used.
3. ``nearest``: within ``snap_km`` (default 1 km) of an adm3 polygon: gaps between simplified
   polygons (< 50 m wide), points just off the coast or on the far side of a border line whose
   accuracy is of that order.  ``distance_km`` says how far the polygon is.
4. ``outside``: anything else: no admin units at all.

A neighbourhood is reported only when it belongs to the chosen sub-district (a point in a Damascus
neighbourhood polygon but in a Rural Damascus sub-district polygon, within metres of the city
limit, gets the Rural Damascus units and no neighbourhood).
"""
from __future__ import annotations

import json
import math
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
import shapely
from shapely.geometry import shape

from .exceptions import DataError
from .geodesy import geodesic_km
from .paths import data_dir
from .place import AdminRef

SNAP_KM = 1.0
CELL_DEG = 0.05  # grid cell for batch lookups (about 5 km)
CELL_MIN_POINTS = 256  # smaller batches go point by point
CELL_DENSE_POINTS = 32  # points per undecided cell above which a finer grid pays
CELL_MAX_DEPTH = 2  # cells of 0.05, 0.0125, 0.003 deg
EARTH_RADIUS_KM = 6371.0088
LAYERS = ("adm1", "adm2", "adm3", "neighbourhoods")

OUTSIDE, INSIDE, NEIGHBOURHOOD, NEAREST = 0, 1, 2, 3
MATCH_NAMES = ("outside", "inside", "neighbourhood", "nearest")


def haversine_km(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> Any:
    """Great-circle distance on the mean-radius sphere, for floats or numpy arrays."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    a = (np.sin((p2 - p1) / 2) ** 2
         + np.cos(p1) * np.cos(p2) * np.sin(np.radians(np.subtract(lon2, lon1)) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(1.0, a)))


def degrees_for_km(km: float, max_abs_lat: float) -> float:
    """An angle in degrees that no distance of ``km`` exceeds, in any direction, at latitudes up
    to ``max_abs_lat`` (a search radius for queries in lon/lat space)."""
    lat = min(89.0, max_abs_lat + km / 110.0 + 0.01)
    return km / (110.5 * math.cos(math.radians(lat))) * 1.01


@dataclass(frozen=True, slots=True)
class NeighbourhoodRef:
    """An OCHA city neighbourhood (``Nxxxx``, also a place id) and the city it belongs to."""

    pcode: str
    name_en: str
    name_ar: str
    city: AdminRef | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"pcode": self.pcode, "name_en": self.name_en, "name_ar": self.name_ar,
                "city": self.city.as_dict() if self.city else None}


@dataclass(frozen=True, slots=True)
class AdminLookup:
    """The admin units of one point (all None when outside)."""

    admin1: AdminRef | None
    admin2: AdminRef | None
    admin3: AdminRef | None
    neighbourhood: NeighbourhoodRef | None
    match: str  # "inside" | "neighbourhood" | "nearest" | "outside"
    distance_km: float | None  # 0 inside; km to the adm3 polygon otherwise; None outside

    @property
    def inside(self) -> bool:
        return self.admin3 is not None


@dataclass(frozen=True, eq=False)
class AdminIndices:
    """Per point indices into the layers (-1 = none) for ``lookup_many``; read-only arrays."""

    adm1: np.ndarray
    adm2: np.ndarray
    adm3: np.ndarray
    neighbourhood: np.ndarray
    match: np.ndarray  # int8 codes, see MATCH_NAMES
    distance_km: np.ndarray  # 0 inside, km to the sub-district polygon, NaN outside

    def __len__(self) -> int:
        return len(self.adm3)


def _polygonal(geom):
    """A valid (multi)polygon: ``make_valid`` keeps stray lines/points from self-touching rings."""
    if geom.is_valid:
        return geom
    fixed = shapely.make_valid(geom)
    if fixed.geom_type == "GeometryCollection":
        parts = [p for p in shapely.get_parts(fixed) if p.geom_type in ("Polygon", "MultiPolygon")]
        fixed = shapely.union_all(parts)
    return fixed


class Cells:
    """A batch of points binned on a global grid of ``size``-degree cells: ``boxes`` holds one
    box per occupied cell (grown by 1e-9 deg so float rounding cannot leave a point outside its
    box) and ``inv`` the cell of each point."""

    def __init__(self, xs: np.ndarray, ys: np.ndarray, size: float | None = None):
        size = CELL_DEG if size is None else size
        off = 1 << 30  # cell numbers made non-negative, packed in one int64 key
        cx = np.floor(xs / size).astype(np.int64) + off
        cy = np.floor(ys / size).astype(np.int64) + off
        keys, self.inv = np.unique((cx << 32) | cy, return_inverse=True)
        ux = ((keys >> 32) - off).astype(float)
        uy = ((keys & 0xFFFFFFFF) - off).astype(float)
        eps = 1e-9
        self.boxes = shapely.box(ux * size - eps, uy * size - eps,
                                 (ux + 1) * size + eps, (uy + 1) * size + eps)

    def __len__(self) -> int:
        return len(self.boxes)


class Layer:
    """One admin level: features sorted by p-code, their prepared geometries and an STRtree."""

    def __init__(self, name: str, features: Iterable[tuple[Mapping[str, Any], Any]]):
        items = sorted(features, key=lambda f: f[0]["pcode"])
        self.name = name
        self.props: tuple[Mapping[str, Any], ...] = tuple(p for p, _ in items)
        self.pcodes: tuple[str, ...] = tuple(p["pcode"] for p in self.props)
        if len(set(self.pcodes)) != len(self.pcodes):
            raise DataError(f"admin layer {name}: duplicate p-codes")
        self.refs: tuple[AdminRef, ...] = tuple(
            AdminRef(p["pcode"], p.get("name_en", ""), p.get("name_ar", "")) for p in self.props)
        self.geoms = np.array([_polygonal(g) for _, g in items], dtype=object)
        shapely.prepare(self.geoms)
        self.boundaries = shapely.boundary(self.geoms)
        self.tree = shapely.STRtree(self.geoms)
        self._index = {c: i for i, c in enumerate(self.pcodes)}

    def __len__(self) -> int:
        return len(self.pcodes)

    def __repr__(self) -> str:
        return f"<Layer {self.name}: {len(self)} polygons>"

    def index(self, pcode: str) -> int | None:
        return self._index.get(pcode)

    def geometry(self, pcode: str):
        i = self._index.get(pcode)
        return None if i is None else self.geoms[i]

    # -- point in polygon ---------------------------------------------------------------------
    def containing(self, xs: np.ndarray, ys: np.ndarray, pts: np.ndarray | None = None
                   ) -> tuple[np.ndarray, np.ndarray]:
        """All (point index, polygon index) pairs where the point is in or on the polygon: an
        STRtree bounding-box query for all points, then one prepared ``intersects_xy`` call per
        polygon over its candidate points."""
        if pts is None:
            pts = shapely.points(xs, ys)
        pi, gi = self.tree.query(pts)
        if len(pi) == 0:
            return pi, gi
        order = np.argsort(gi, kind="stable")
        pi, gi = pi[order], gi[order]
        starts = np.flatnonzero(np.r_[True, gi[1:] != gi[:-1]])
        ends = np.r_[starts[1:], len(gi)]
        hit = np.empty(len(pi), dtype=bool)
        for s, e in zip(starts.tolist(), ends.tolist()):
            idx = pi[s:e]
            hit[s:e] = shapely.intersects_xy(self.geoms[gi[s]], xs[idx], ys[idx])
        return pi[hit], gi[hit]

    def holding(self, pt: Any, x: float, y: float) -> list[int]:
        """Indices of the polygons holding (in or on) one point: ``containing`` for one point."""
        cand = self.tree.query(pt)
        if len(cand) == 0:
            return []
        hit = shapely.intersects_xy(self.geoms[cand], x, y)
        return cand[hit].tolist()

    def pick(self, n: int, pi: np.ndarray, gi: np.ndarray, xs: np.ndarray, ys: np.ndarray
             ) -> np.ndarray:
        """One polygon per point from ``containing`` pairs: the deepest, then the first p-code."""
        best = np.full(n, -1, dtype=np.intp)
        if len(pi) == 0:
            return best
        counts = np.bincount(pi, minlength=n)
        single = counts[pi] == 1
        best[pi[single]] = gi[single]
        if not single.all():
            mp, mg = pi[~single], gi[~single]
            depth = shapely.distance(self.boundaries[mg], shapely.points(xs[mp], ys[mp]))
            order = np.lexsort((mg, -depth, mp))
            mp, mg = mp[order], mg[order]
            first = np.flatnonzero(np.r_[True, mp[1:] != mp[:-1]])
            best[mp[first]] = mg[first]
        return best

    def locate_points(self, xs: np.ndarray, ys: np.ndarray, pts: np.ndarray | None = None
                      ) -> np.ndarray:
        """Index of the polygon holding each point (-1 where none does), point by point."""
        pi, gi = self.containing(xs, ys, pts)
        return self.pick(len(xs), pi, gi, xs, ys)

    def locate(self, xs: np.ndarray, ys: np.ndarray, cells: "Cells | None" = None,
               _depth: int = 0) -> np.ndarray:
        """Index of the polygon holding each point, -1 where none does.

        Large batches are binned on a grid first (``Cells``): one STRtree query of the cell boxes
        settles every point of a cell that touches no polygon (-1) or lies inside exactly one
        (that polygon).  Points of the other cells are binned again on a 4x finer grid when they
        are dense (many per cell: city data), else tested one by one (``locate_points``).
        The answer is the same as ``locate_points``'s."""
        n = len(xs)
        if cells is None:
            if n < CELL_MIN_POINTS:
                return self.locate_points(xs, ys)
            cells = Cells(xs, ys, CELL_DEG / 4 ** _depth)
        ci, cg = self.tree.query(cells.boxes, predicate="intersects")
        count = np.bincount(ci, minlength=len(cells))
        cell_poly = np.full(len(cells), -1, dtype=np.intp)
        one = np.flatnonzero(count[ci] == 1)
        inner = shapely.contains(self.geoms[cg[one]], cells.boxes[ci[one]])
        cell_poly[ci[one[inner]]] = cg[one[inner]]
        best = cell_poly[cells.inv]
        mixed_cells = (count > 0) & (cell_poly < 0)
        mixed = np.flatnonzero(mixed_cells[cells.inv])
        if len(mixed):
            dense = len(mixed) >= CELL_DENSE_POINTS * int(mixed_cells.sum())
            if dense and _depth < CELL_MAX_DEPTH and len(mixed) >= CELL_MIN_POINTS:
                best[mixed] = self.locate(xs[mixed], ys[mixed], None, _depth + 1)
            else:
                best[mixed] = self.locate_points(xs[mixed], ys[mixed])
        return best

    # -- distances ----------------------------------------------------------------------------
    def distance_km(self, gi: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> np.ndarray:
        """km from each point to polygon ``gi`` (0 inside): haversine to the polygon point nearest
        in lon/lat space (within a few % of the true shortest distance at Syrian latitudes)."""
        gi = np.asarray(gi, dtype=np.intp)
        if len(gi) == 0:
            return np.empty(0)
        lines = shapely.shortest_line(self.geoms[gi], shapely.points(xs, ys))
        ends = shapely.get_coordinates(lines).reshape(-1, 2, 2)
        return haversine_km(ys, xs, ends[:, 0, 1], ends[:, 0, 0])

    def nearest_within(self, xs: np.ndarray, ys: np.ndarray, max_km: float
                       ) -> tuple[np.ndarray, np.ndarray]:
        """For each point the nearest polygon within ``max_km`` and its distance (-1, NaN if none)."""
        n = len(xs)
        best = np.full(n, -1, dtype=np.intp)
        dist = np.full(n, np.nan)
        if n == 0 or max_km <= 0:
            return best, dist
        deg = degrees_for_km(max_km, float(np.max(np.abs(ys))))
        todo = np.arange(n)
        if n >= CELL_MIN_POINTS:  # drop points whose whole grid cell is far from every polygon
            cells = Cells(xs, ys)
            near = np.zeros(len(cells), dtype=bool)
            near[self.tree.query(cells.boxes, predicate="dwithin", distance=deg)[0]] = True
            todo = np.flatnonzero(near[cells.inv])
        pi, gi = self.tree.query(shapely.points(xs[todo], ys[todo]), predicate="dwithin",
                                 distance=deg)
        pi = todo[pi]
        if len(pi) == 0:
            return best, dist
        d = self.distance_km(gi, xs[pi], ys[pi])
        ok = d <= max_km
        pi, gi, d = pi[ok], gi[ok], d[ok]
        order = np.lexsort((gi, d, pi))
        pi, gi, d = pi[order], gi[order], d[order]
        first = np.flatnonzero(np.r_[True, pi[1:] != pi[:-1]]) if len(pi) else np.empty(0, np.intp)
        best[pi[first]] = gi[first]
        dist[pi[first]] = d[first]
        return best, dist

    def nearest(self, lat: float, lon: float) -> tuple[int, float]:
        """The nearest polygon to a point anywhere and its geodesic distance in km (0 inside)."""
        pt = shapely.points(lon, lat)
        i = int(self.tree.query_nearest(pt, all_matches=False)[0])
        if shapely.intersects_xy(self.geoms[i], lon, lat):
            return i, 0.0
        line = shapely.shortest_line(self.geoms[i], pt)
        x, y = shapely.get_coordinates(line)[0]
        return i, geodesic_km(lat, lon, y, x)


class AdminAreas:
    """The four admin layers, with the sub-district → district → governorate links."""

    def __init__(self, layers: Mapping[str, Layer], *, snap_km: float = SNAP_KM,
                 source: Path | None = None):
        missing = [n for n in ("adm1", "adm2", "adm3") if n not in layers]
        if missing:
            raise DataError(f"admin layers missing: {', '.join(missing)}")
        if not (math.isfinite(snap_km) and snap_km >= 0):
            raise ValueError("snap_km must be a finite number >= 0")
        self.adm1: Layer = layers["adm1"]
        self.adm2: Layer = layers["adm2"]
        self.adm3: Layer = layers["adm3"]
        self.neighbourhoods: Layer | None = layers.get("neighbourhoods")
        self.snap_km = float(snap_km)
        self.source = source
        self._adm3_to_adm2 = self._parent_index(self.adm3, "adm2_pcode", self.adm2)
        self._adm3_to_adm1 = self._parent_index(self.adm3, "adm1_pcode", self.adm1)
        if self.neighbourhoods is not None:
            self._nb_to_adm3 = self._parent_index(self.neighbourhoods, "adm3_pcode", self.adm3)
            self._nb_city = tuple(
                AdminRef(p["adm4_pcode"], p.get("adm4_en", ""), p.get("adm4_ar", ""))
                if p.get("adm4_pcode") else None for p in self.neighbourhoods.props)

        # GEOS builds a prepared polygon's indexes lazily and not thread-safely (libgeos/geos#825):
        # build them now, and let one thread at a time query (shapely releases the GIL).
        self._lock = threading.Lock()
        self._syria = None  # the union of the governorates, made on first use
        for layer in (self.adm1, self.adm2, self.adm3, self.neighbourhoods):
            if layer is not None and len(layer):
                inner = shapely.point_on_surface(layer.geoms)
                shapely.intersects_xy(layer.geoms, shapely.get_x(inner), shapely.get_y(inner))

    @staticmethod
    def _parent_index(layer: Layer, key: str, parent: Layer) -> np.ndarray:
        out = np.empty(len(layer), dtype=np.intp)
        for i, props in enumerate(layer.props):
            j = parent.index(props.get(key, ""))
            if j is None:
                raise DataError(f"{layer.name} {layer.pcodes[i]}: {key} {props.get(key)!r} "
                                f"has no {parent.name} polygon")
            out[i] = j
        return out

    # -- loading ------------------------------------------------------------------------------
    @classmethod
    def from_dir(cls, path: str | Path | None = None, *, snap_km: float = SNAP_KM) -> "AdminAreas":
        """Load ``adm1/adm2/adm3[/neighbourhoods].geojson`` from ``path`` (the ``admin`` folder
        or the data folder holding it; default: the bundled data or $GAZETTEER_DATA).
        Loaded once per folder and ``snap_km``."""
        base = Path(path) if path is not None else data_dir()
        if not (base / "adm3.geojson").exists() and (base / "admin" / "adm3.geojson").exists():
            base = base / "admin"
        return _load_cached(str(base.resolve()), float(snap_km))

    @classmethod
    def from_geojson(cls, collections: Mapping[str, Mapping[str, Any]], *,
                     snap_km: float = SNAP_KM) -> "AdminAreas":
        """Build from parsed GeoJSON FeatureCollections keyed by layer name."""
        layers = {name: Layer(name, _features(fc, name)) for name, fc in collections.items()}
        return cls(layers, snap_km=snap_km)

    def __repr__(self) -> str:
        n = len(self.neighbourhoods) if self.neighbourhoods is not None else 0
        return (f"<AdminAreas {len(self.adm1)} adm1, {len(self.adm2)} adm2, {len(self.adm3)} adm3, "
                f"{n} neighbourhoods>")

    # -- refs ---------------------------------------------------------------------------------
    def layer(self, level: int | str) -> Layer:
        name = {1: "adm1", 2: "adm2", 3: "adm3"}.get(level, level)  # type: ignore[arg-type]
        if name == "neighbourhoods" and self.neighbourhoods is not None:
            return self.neighbourhoods
        if name not in ("adm1", "adm2", "adm3"):
            raise KeyError(level)
        return getattr(self, name)

    def ref(self, pcode: str) -> AdminRef | None:
        """The AdminRef (p-code and both names from the polygon) of an adm1/2/3 p-code."""
        for layer in (self.adm3, self.adm2, self.adm1):
            i = layer.index(pcode)
            if i is not None:
                return layer.refs[i]
        return None

    def neighbourhood_ref(self, i: int) -> NeighbourhoodRef:
        assert self.neighbourhoods is not None
        r = self.neighbourhoods.refs[i]
        return NeighbourhoodRef(r.pcode, r.name_en, r.name_ar, self._nb_city[i])

    # -- lookups ------------------------------------------------------------------------------
    def lookup_many(self, lats: Any, lons: Any, *, neighbourhoods: bool = True,
                    snap_km: float | None = None) -> AdminIndices:
        """Admin units of many points at once (vectorised); see the module docstring for the rules.

        ``lats``/``lons`` are float arrays already checked for range (see ``coords.parse_points``).
        """
        ys = np.ascontiguousarray(lats, dtype=float)
        xs = np.ascontiguousarray(lons, dtype=float)
        snap = self.snap_km if snap_km is None else float(snap_km)
        with self._lock:
            return self._lookup_many(ys, xs, neighbourhoods, snap)

    def _lookup_many(self, ys: np.ndarray, xs: np.ndarray, neighbourhoods: bool,
                     snap: float) -> AdminIndices:
        n = len(ys)
        cells = Cells(xs, ys) if n >= CELL_MIN_POINTS else None
        i3 = self.adm3.locate(xs, ys, cells)
        match = np.where(i3 >= 0, INSIDE, OUTSIDE).astype(np.int8)
        dist = np.where(i3 >= 0, 0.0, np.nan)

        nb = np.full(n, -1, dtype=np.intp)
        nbl = self.neighbourhoods
        if nbl is not None:
            if neighbourhoods:
                nb = nbl.locate(xs, ys, cells)
            else:
                miss = np.flatnonzero(i3 < 0)
                nb[miss] = nbl.locate(xs[miss], ys[miss])
            via_nb = np.flatnonzero((i3 < 0) & (nb >= 0))
            if len(via_nb):
                i3[via_nb] = self._nb_to_adm3[nb[via_nb]]
                match[via_nb] = NEIGHBOURHOOD
                dist[via_nb] = self.adm3.distance_km(i3[via_nb], xs[via_nb], ys[via_nb])
        still = np.flatnonzero(i3 < 0)
        if len(still) and snap > 0:
            j, d = self.adm3.nearest_within(xs[still], ys[still], snap)
            ok = j >= 0
            i3[still[ok]] = j[ok]
            match[still[ok]] = NEAREST
            dist[still[ok]] = d[ok]
        if nbl is not None:
            keep = nb >= 0
            keep[keep] = self._nb_to_adm3[nb[keep]] == i3[keep]
            nb = np.where(keep & neighbourhoods, nb, -1)

        inside = i3 >= 0
        i2 = np.where(inside, self._adm3_to_adm2[np.maximum(i3, 0)], -1)
        i1 = np.where(inside, self._adm3_to_adm1[np.maximum(i3, 0)], -1)
        out = AdminIndices(adm1=i1, adm2=i2, adm3=i3, neighbourhood=nb, match=match,
                           distance_km=dist)
        for arr in (i1, i2, i3, nb, match, dist):
            arr.flags.writeable = False
        return out

    def lookup(self, lat: float, lon: float, *, snap_km: float | None = None) -> AdminLookup:
        """Admin units of one point (coordinates already validated).

        The common case, a point inside exactly one sub-district and at most one neighbourhood,
        is answered straight from the STRtree candidates (a few microseconds); every other case
        (edges, slivers, the coast, outside) goes through ``lookup_many``'s rules, whose answer
        the fast case equals (``tests/test_admin.py``)."""
        snap = self.snap_km if snap_km is None else float(snap_km)
        with self._lock:
            found = self._lookup_simple(lat, lon, snap)
        if found is not None:
            return found
        r = self.lookup_many(np.array([lat], dtype=float), np.array([lon], dtype=float),
                             snap_km=snap_km)
        i3 = int(r.adm3[0])
        if i3 < 0:
            return AdminLookup(None, None, None, None, "outside", None)
        nb = int(r.neighbourhood[0])
        return AdminLookup(
            admin1=self.adm1.refs[int(r.adm1[0])],
            admin2=self.adm2.refs[int(r.adm2[0])],
            admin3=self.adm3.refs[i3],
            neighbourhood=self.neighbourhood_ref(nb) if nb >= 0 else None,
            match=MATCH_NAMES[int(r.match[0])],
            distance_km=float(r.distance_km[0]),
        )

    def _lookup_simple(self, lat: float, lon: float, snap: float) -> AdminLookup | None:
        """``lookup`` when the point is in one sub-district polygon and in at most one
        neighbourhood polygon, or far (beyond the snap distance) from every polygon; None for
        anything else."""
        pt = shapely.Point(lon, lat)
        in3 = self.adm3.holding(pt, lon, lat)
        if not in3 and not (self.neighbourhoods and self.neighbourhoods.holding(pt, lon, lat)):
            # outside every polygon: "outside" unless one is within the snap distance
            if snap > 0 and len(self.adm3.tree.query(pt, predicate="dwithin",
                                                     distance=degrees_for_km(snap, abs(lat)))):
                return None
            return AdminLookup(None, None, None, None, "outside", None)
        if len(in3) != 1:
            return None
        i3 = in3[0]
        neighbourhood = None
        if self.neighbourhoods is not None:
            in_nb = self.neighbourhoods.holding(pt, lon, lat)
            if len(in_nb) > 1:
                return None
            if in_nb and self._nb_to_adm3[in_nb[0]] == i3:
                neighbourhood = self.neighbourhood_ref(in_nb[0])
        return AdminLookup(
            admin1=self.adm1.refs[self._adm3_to_adm1[i3]],
            admin2=self.adm2.refs[self._adm3_to_adm2[i3]],
            admin3=self.adm3.refs[i3],
            neighbourhood=neighbourhood,
            match="inside",
            distance_km=0.0,
        )

    def distance_to_syria_km(self, lat: float, lon: float) -> float:
        """Geodesic km from a point to the nearest governorate polygon (0 inside one): to the
        point of their union nearest in lon/lat space (the same point as the nearest
        polygon's, found in one pass over the outline instead of an STRtree nearest-polygon
        search: 2.5x faster; ``tests/test_admin.py``)."""
        with self._lock:
            if self._syria is None:
                self._syria = shapely.union_all(self.adm1.geoms)
                shapely.prepare(self._syria)
            if shapely.intersects_xy(self._syria, lon, lat):
                return 0.0
            line = shapely.shortest_line(self._syria, shapely.Point(lon, lat))
        x, y = shapely.get_coordinates(line)[0]
        return geodesic_km(lat, lon, y, x)


def _features(fc: Mapping[str, Any], name: str) -> list[tuple[dict, Any]]:
    out = []
    for k, f in enumerate(fc.get("features") or ()):
        props = dict(f.get("properties") or {})
        if not props.get("pcode"):
            raise DataError(f"{name}: feature {k} has no 'pcode' property")
        geom = shape(f["geometry"])
        if geom.geom_type not in ("Polygon", "MultiPolygon"):
            raise DataError(f"{name} {props['pcode']}: {geom.geom_type}, not a polygon")
        out.append((props, geom))
    return out


@lru_cache(maxsize=8)
def _load_cached(base: str, snap_km: float) -> AdminAreas:
    folder = Path(base)
    collections = {}
    for name in LAYERS:
        path = folder / f"{name}.geojson"
        if not path.exists():
            if name == "neighbourhoods":
                continue
            raise DataError(f"admin polygons not found: {path}; run `python -m gazetteer.build`")
        try:
            collections[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise DataError(f"cannot read {path}: {exc}") from exc
    areas = AdminAreas.from_geojson(collections, snap_km=snap_km)
    areas.source = folder
    return areas
