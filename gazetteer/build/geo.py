"""Geometry helpers for the data build (shapely; pyshp imported lazily)."""
from __future__ import annotations

import math
from pathlib import Path


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp = p2 - p1
    dl = math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


def read_shp(path: Path) -> list[tuple[dict, object]]:
    """Read a shapefile (UTF-8) into [(record dict, shapely geometry)]."""
    import shapefile  # pyshp, build-time only
    from shapely.geometry import shape
    from shapely.validation import make_valid

    out = []
    with shapefile.Reader(str(path), encoding="utf-8") as r:
        for sr in r.iterShapeRecords():
            rec = {}
            for k, v in sr.record.as_dict().items():
                if v is None:
                    v = ""
                elif not isinstance(v, (str, int, float)):
                    v = str(v)
                rec[k] = v.strip() if isinstance(v, str) else v
            geom = shape(sr.shape.__geo_interface__)
            if geom.geom_type in ("Polygon", "MultiPolygon") and not geom.is_valid:
                geom = make_valid(geom)
            out.append((rec, geom))
    return out


class RegionIndex:
    """Point-in-polygon lookup over (code, polygon) pairs with an STRtree."""

    def __init__(self, items: list[tuple[str, object]]):
        from shapely import STRtree

        items = sorted(items, key=lambda t: t[0])
        self.codes = [c for c, _ in items]
        self.geoms = [g for _, g in items]
        self.by_code = dict(items)
        self.tree = STRtree(self.geoms)

    def containing(self, lon: float, lat: float) -> list[str]:
        from shapely.geometry import Point

        pt = Point(lon, lat)
        idx = self.tree.query(pt, predicate="intersects")
        return sorted(self.codes[i] for i in idx)

    def containing_many(self, pts: list[tuple[float, float]]) -> list[tuple[str, ...]]:
        import shapely

        geoms = shapely.points([p[0] for p in pts], [p[1] for p in pts])
        res: list[list[str]] = [[] for _ in pts]
        a, b = self.tree.query(geoms, predicate="intersects")
        for i, j in zip(a.tolist(), b.tolist()):
            res[i].append(self.codes[j])
        return [tuple(sorted(r)) for r in res]

    def dist_km(self, code: str, lon: float, lat: float) -> float:
        from shapely.geometry import Point
        from shapely.ops import nearest_points

        g = self.by_code[code]
        pt = Point(lon, lat)
        if g.intersects(pt):
            return 0.0
        p1, _ = nearest_points(g, pt)
        return haversine_km(lat, lon, p1.y, p1.x)

    def nearest(self, lon: float, lat: float, candidates: list[str] | None = None) -> tuple[str, float]:
        from shapely.geometry import Point

        pt = Point(lon, lat)
        if candidates is None:
            # a small search window first, then everything
            near = self.tree.query(pt.buffer(0.2))
            candidates = [self.codes[i] for i in near] or list(self.codes)
        best = None
        for c in sorted(candidates):
            d = self.dist_km(c, lon, lat)
            if best is None or d < best[1] - 1e-12:
                best = (c, d)
        assert best is not None
        return best


def round_geom(geom, ndigits: int = 5):
    """Round every coordinate of a (multi)polygon to ndigits decimals."""
    import shapely

    return shapely.set_precision(geom, 10 ** -ndigits, mode="pointwise")


def geom_to_geojson(geom, ndigits: int = 5) -> dict:
    from shapely.geometry import mapping

    def rnd(obj):
        if isinstance(obj, (list, tuple)):
            if obj and isinstance(obj[0], (int, float)):
                return [round(float(obj[0]), ndigits), round(float(obj[1]), ndigits)]
            return [rnd(x) for x in obj]
        return obj

    m = mapping(geom)
    return {"type": m["type"], "coordinates": rnd(m["coordinates"])}
