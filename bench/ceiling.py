"""How much of a names set the bundled gazetteer can answer at all: the data ceiling of acc@5km.

    python bench/ceiling.py [--names ../shared/dev/names_dev.tsv] [--radius 5]

For each query, the best name similarity (``match.name_similarity``, the matcher's own measure,
over every reading of the query) between the query and any name of any gazetteer place within
``--radius`` km of the true point.  A query whose true point has no place of a resembling name
nearby cannot be answered within that radius by any ranking, however clever.

Beside it, the chance level: the same measure with the true points shuffled among the queries
(every query paired with another query's point, 5 shuffles).  A share of matches that chance
alone also reaches says nothing; the ceiling is where the two part.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.index import query_keys  # noqa: E402
from gazetteer.match import haversine_km, name_similarity  # noqa: E402
from gazetteer.query import parse_query  # noqa: E402

THRESHOLDS = (0.6, 0.7, 0.8, 0.9, 1.0)


class NearbyNames:
    """The index entries of the places within a radius of a point (a coarse grid, then exact)."""

    def __init__(self, gz: Gazetteer, radius_km: float):
        self.radius = radius_km
        self.cell = 0.1  # degrees; > 5 km, so a 5 km disc touches at most the 3 x 3 cells around
        self.index = gz.index
        self.grid: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, p in enumerate(gz.places):
            self.grid[self._cell(p.lat, p.lon)].append(i)
        self.entries_of = self.index.entries_of_place

    def _cell(self, lat: float, lon: float) -> tuple[int, int]:
        return int(lat // self.cell), int(lon // self.cell)

    def entries(self, lat: float, lon: float):
        span = int(self.radius // 10) + 1
        cy, cx = self._cell(lat, lon)
        for dy in range(-span, span + 1):
            for dx in range(-span, span + 1):
                for i in self.grid.get((cy + dy, cx + dx), ()):
                    p = self.index.places[i]
                    if haversine_km(lat, lon, p.lat, p.lon) <= self.radius:
                        for e_idx in self.entries_of[i]:
                            yield self.index.entries[e_idx]


def readings(query: str):
    try:
        texts = [v.text for v in parse_query(query).variants]
    except ValueError:
        texts = [query]
    return [q for t in texts for q in query_keys(t)]


def best_similarity(near: NearbyNames, keys, lat: float, lon: float) -> float:
    return max((name_similarity(q, e) for e in near.entries(lat, lon) for q in keys), default=0.0)


def shares(values: list[float]) -> dict[float, float]:
    return {t: sum(v >= t for v in values) / len(values) for t in THRESHOLDS}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--names", default=str(ROOT.parent / "shared" / "dev" / "names_dev.tsv"))
    ap.add_argument("--radius", type=float, default=5.0)
    ap.add_argument("--shuffles", type=int, default=5)
    args = ap.parse_args(argv)
    if not Path(args.names).exists():  # the dev set lives beside the repository, not in it
        ap.error(f"{args.names} not found: this benchmark needs the dev set of ../shared/dev "
                 "(give --names PATH)")
    with open(args.names, encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    gz = Gazetteer.load()
    near = NearbyNames(gz, args.radius)
    keys = [readings(r["query"]) for r in rows]
    points = [(float(r["lat"]), float(r["lon"])) for r in rows]
    best = [best_similarity(near, k, *pt) for k, pt in zip(keys, points)]
    true = shares(best)
    chance_runs = []
    rng = random.Random(0)
    for _ in range(args.shuffles):
        shuffled = points[:]
        rng.shuffle(shuffled)
        chance_runs.append(shares([best_similarity(near, k, *pt) for k, pt in zip(keys, shuffled)]))
    chance = {t: sum(run[t] for run in chance_runs) / len(chance_runs) for t in THRESHOLDS}
    print(f"{len(rows)} queries; a place within {args.radius:g} km of the true point whose name "
          f"matches the query at similarity >= s")
    print(f"{'s':>5} {'true point':>11} {'chance':>8} {'difference':>11}")
    for t in THRESHOLDS:
        print(f"{t:>5.1f} {true[t]:>11.3f} {chance[t]:>8.3f} {true[t] - chance[t]:>11.3f}")
    langs = sorted({r["lang"] for r in rows})
    print("true point, per language: " + "; ".join(
        f"{lang} " + " ".join(f"{t:.1f}:{v:.3f}" for t, v in
                              shares([b for b, r in zip(best, rows) if r["lang"] == lang]).items())
        for lang in langs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
