"""Benchmark: one ``reverse()`` call against the old path, and the vectorised admin lookup
(``reverse_many``) against a Python loop of ``contains``.

    .venv/bin/python bench/bench_reverse.py [--n 200000] [--loop-n 20000] [--repeat 3] [--seed 0]
    .venv/bin/python bench/bench_reverse.py --calls-only [--calls 3000] [--repeat 5]

``reverse()`` calls/s (one point per call, admin units + the 5 nearest places within 10 km), on
three point sets: uniform inside Syria, around city points (dense: many places nearby) and
uniform in the bounding box (45 % outside Syria).  Beside it, in the same process on the same
points, the old path: every nearby candidate measured with ``geopy``'s geodesic (the previous
``nearest``, copied below), the admin units through ``lookup_many`` for one point and the
distance to Syria from the nearest governorate (STRtree nearest) with ``geopy``.  Both
answers are compared (same places in the same order, the same GeoJSON).  Best of ``--repeat``.

Random points, uniform in Syria's bounding box (seeded; about 55 % fall inside Syria), pinned to
one CPU core.  Each figure is the median of ``--repeat`` runs, all in the same process:

* ``reverse_many``: the public API (governorate, district, sub-district, neighbourhood, the coast
  and sliver rules of ``gazetteer.admin``), p-code arrays out;
* ``STRtree.query(predicate)``: the plain vectorised shapely 2 query of the sub-district tree
  (``predicate="intersects"``), one call for all points, no neighbourhoods or snapping;
* the baseline: a Python loop over the points, ``polygon.contains(Point)`` over the STRtree
  candidates of each point (the same prepared polygons), and the same loop over unprepared copies.

The loop answers are compared with ``reverse_many``'s on the points it ran on.  A second data set
(points scattered around city points, most of them in a neighbourhood polygon) shows the
city-heavy case.
"""
from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from gazetteer.reverse import ReverseGeocoder  # noqa: E402

BBOX = (32.31, 35.61, 37.32, 42.39)  # lat_min, lon_min, lat_max, lon_max of the adm1 polygons


def pin_one_core() -> str:
    try:
        cpu = sorted(os.sched_getaffinity(0))[0]
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}"
    except (AttributeError, OSError):
        return "not pinned"


def median_rate(fn, n: int, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return n / statistics.median(times)


def old_nearest(rg, lat, lon, *, radius_km=10.0, limit=5, mask=None):
    """``ReverseGeocoder.nearest`` before Lambert's formula: a numpy box and haversine prefilter
    over every place, then geopy's geodesic for each candidate (kept verbatim as the baseline)."""
    from geopy.distance import geodesic

    from gazetteer.admin import haversine_km
    from gazetteer.reverse import Nearby

    sphere_error = 0.01
    lats, lons = rg._lat, rg._lon
    if limit == 0 or not len(rg.places):
        return ()
    if mask is None:
        mask = rg._default_mask
    reach = radius_km * (1 + sphere_error)
    dlat = reach / 110.5
    coslat = math.cos(math.radians(min(89.9, abs(lat) + dlat)))
    dlon = min(360.0, reach / (111.2 * coslat))
    dx = np.abs(lons - lon)
    dx = np.minimum(dx, 360.0 - dx)
    cand = np.flatnonzero(mask & (np.abs(lats - lat) <= dlat) & (dx <= dlon))
    if len(cand) == 0:
        return ()
    h = haversine_km(lat, lon, lats[cand], lons[cand])
    keep = h <= reach
    cand, h = cand[keep], h[keep]
    if len(cand) > limit:
        kth = np.partition(h, limit - 1)[limit - 1]
        keep = h <= kth * (1 + sphere_error) / (1 - sphere_error) + 1e-9
        cand, h = cand[keep], h[keep]
    out = []
    for i in cand.tolist():
        p = rg.places[i]
        d = float(geodesic((lat, lon), (p.lat, p.lon)).km)
        if d <= radius_km:
            out.append(Nearby(p, d))
    out.sort(key=lambda n: (n.distance_km, n.place.id))
    return tuple(out[:limit])


def best_rate(fn, points, repeat: int) -> float:
    best = 0.0
    for _ in range(repeat):
        t = time.perf_counter()
        for lat, lon in points:
            fn(lat, lon)
        best = max(best, len(points) / (time.perf_counter() - t))
    return best


def single_calls(rg, calls: int, repeat: int, seed: int) -> None:
    """reverse() calls/s beside the old path, on the same points, in this process."""
    from geopy.distance import geodesic

    import gazetteer.admin as admin_module
    from gazetteer.admin import AdminAreas

    rng = np.random.default_rng(seed)
    lats = rng.uniform(BBOX[0], BBOX[2], 4 * calls)
    lons = rng.uniform(BBOX[1], BBOX[3], 4 * calls)
    inside = rg.reverse_many(lats, lons).inside
    cities = np.array([(p.lat, p.lon) for p in rg.places if p.type in ("city", "town")])
    around = cities[rng.integers(0, len(cities), calls)] + rng.normal(0, 0.01, (calls, 2))
    sets = {
        "uniform inside Syria": np.column_stack([lats, lons])[inside][:calls].tolist(),
        "around cities and towns": around.tolist(),
        "uniform in the bbox (45% outside)": np.column_stack([lats, lons])[:calls].tolist(),
    }

    def geopy_km(lat1, lon1, lat2, lon2):
        return float(geodesic((lat1, lon1), (lat2, lon2)).km)

    def old_reverse(lat, lon):
        with mock.patch.object(AdminAreas, "_lookup_simple", lambda self, y, x, snap: None), \
                mock.patch.object(admin_module, "geodesic_km", geopy_km), \
                mock.patch.object(AdminAreas, "distance_to_syria_km",
                                  lambda self, y, x: self.adm1.nearest(y, x)[1]), \
                mock.patch.object(rg, "nearest", lambda y, x, **kw: old_nearest(rg, y, x, **kw)):
            return rg.reverse(lat, lon)

    print(f"reverse(lat, lon): calls/s, one point per call (radius 10 km, 5 places), best of "
          f"{repeat} rounds (the old path: of {max(1, repeat // 2)}, on the first fifth of the "
          f"points):")
    print(f"  {'points':<36} {'new':>9} {'old path':>9} {'ratio':>6}  answers")
    for label, points in sets.items():
        same = sum(rg.reverse(y, x).to_geojson() == old_reverse(y, x).to_geojson()
                   for y, x in points)
        new = best_rate(rg.reverse, points, repeat)
        old = best_rate(old_reverse, points[: max(200, len(points) // 5)], max(1, repeat // 2))
        print(f"  {label:<36} {new:>9,.0f} {old:>9,.0f} {new / old:>5.1f}x  "
              f"{same}/{len(points)} identical GeoJSON")
    print()


def loop_contains(tree, geoms, lats, lons) -> list[int]:
    from shapely.geometry import Point

    out = []
    for lat, lon in zip(lats.tolist(), lons.tolist()):
        pt = Point(lon, lat)
        found = -1
        for j in tree.query(pt):
            if geoms[j].contains(pt):
                found = int(j)
                break
        out.append(found)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=200_000, help="points for the vectorised runs")
    ap.add_argument("--loop-n", type=int, default=20_000, help="points for the Python loops")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--calls", type=int, default=3000, help="points for the reverse() calls")
    ap.add_argument("--calls-only", action="store_true", help="only the reverse() calls")
    args = ap.parse_args(argv)

    pinned = pin_one_core()
    t = time.perf_counter()
    rg = ReverseGeocoder.from_data_dir()
    load_s = time.perf_counter() - t
    areas = rg.areas
    rng = np.random.default_rng(args.seed)
    lats = rng.uniform(BBOX[0], BBOX[2], args.n)
    lons = rng.uniform(BBOX[1], BBOX[3], args.n)
    pts = np.column_stack([lats, lons])
    cities = np.array([(p.lat, p.lon) for p in rg.places if p.type in ("city", "neighbourhood")])
    k = rng.integers(0, len(cities), args.n)
    city_pts = cities[k] + rng.normal(0, 0.01, (args.n, 2))

    import shapely

    print(f"python {platform.python_version()}, shapely {shapely.__version__} (GEOS "
          f"{shapely.geos_version_string}), numpy {np.__version__}; {pinned}; "
          f"polygons + places loaded in {load_s:.2f} s")
    single_calls(rg, args.calls, max(args.repeat, 3), args.seed)
    if args.calls_only:
        return 0
    print(f"{args.n:,} random points in the bbox lat {BBOX[0]}-{BBOX[2]}, lon {BBOX[1]}-{BBOX[3]} "
          f"(seed {args.seed}); median of {args.repeat} runs\n")

    rg.reverse_many(pts[:1000])  # warm up
    batch = rg.reverse_many(pts)
    inside = batch.inside.mean()
    rate_api = median_rate(lambda: rg.reverse_many(pts), args.n, args.repeat)
    rate_admin = median_rate(lambda: rg.reverse_many(pts, neighbourhoods=False), args.n, args.repeat)
    tree, geoms = areas.adm3.tree, areas.adm3.geoms
    rate_query = median_rate(lambda: tree.query(shapely.points(lons, lats), predicate="intersects"),
                             args.n, args.repeat)
    rate_city = median_rate(lambda: rg.reverse_many(city_pts), args.n, args.repeat)
    city_nb = (rg.reverse_many(city_pts).neighbourhood != "").mean()

    m = min(args.loop_n, args.n)
    rate_loop = median_rate(lambda: loop_contains(tree, geoms, lats[:m], lons[:m]), m, args.repeat)
    plain = np.array([shapely.from_wkb(shapely.to_wkb(g)) for g in geoms], dtype=object)
    m2 = max(1, m // 4)
    rate_loop_plain = median_rate(lambda: loop_contains(tree, plain, lats[:m2], lons[:m2]), m2,
                                  args.repeat)

    found = np.array(loop_contains(tree, geoms, lats[:m], lons[:m]))
    loop_codes = np.array(list(areas.adm3.pcodes) + [""])[found]
    strict = batch.match[:m] == "inside"
    agree = int((loop_codes[strict] == batch.admin3[:m][strict]).sum())
    outside_loop = int((found < 0).sum())

    rows = [
        ("reverse_many (admin1-3 + neighbourhood)", rate_api),
        ("reverse_many(neighbourhoods=False)", rate_admin),
        ("STRtree.query(points, predicate='intersects'), adm3 only", rate_query),
        ("Python loop: polygon.contains(Point), prepared polygons", rate_loop),
        ("Python loop: polygon.contains(Point), unprepared polygons", rate_loop_plain),
    ]
    for label, rate in rows:
        print(f"  {label:<58} {rate:>12,.0f} points/s")
    print(f"\n  ratio reverse_many / loop (prepared):   {rate_api / rate_loop:6.1f}x")
    print(f"  ratio reverse_many / loop (unprepared): {rate_api / rate_loop_plain:6.1f}x")
    print(f"\n  city-heavy points (around city/neighbourhood points, sd 0.01 deg): "
          f"{rate_city:,.0f} points/s, {city_nb:.0%} in a neighbourhood")
    kinds, counts = np.unique(batch.match, return_counts=True)
    print(f"  inside Syria: {inside:.1%} of the random points; how the sub-district was found: "
          + ", ".join(f"{k} {c:,}" for k, c in zip(kinds.tolist(), counts.tolist())))
    print(f"  loop vs reverse_many on {m:,} points: {agree:,}/{int(strict.sum()):,} strictly-inside "
          f"points agree; the loop leaves {outside_loop:,} points without a sub-district, "
          f"reverse_many {int((~batch.inside[:m]).sum()):,} (1 km snap, coast rule)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
