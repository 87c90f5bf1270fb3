"""List the name queries the geocoder gets wrong, beside the gazetteer places near the truth.

    python bench/failures.py [--names ../shared/dev/names_dev.tsv] [--lang ar|en] [--n 80]

For finding failure kinds, not for scoring (bench_names.py scores).
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.match import haversine_km  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--names", default=str(ROOT.parent / "shared" / "dev" / "names_dev.tsv"))
    ap.add_argument("--lang")
    ap.add_argument("--n", type=int, default=80)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--kind", choices=["missed", "wrong", "all"], default="all")
    args = ap.parse_args(argv)
    if not Path(args.names).exists():  # the dev set lives beside the repository, not in it
        ap.error(f"{args.names} not found: this benchmark needs the dev set of ../shared/dev "
                 "(give --names PATH)")
    gz = Gazetteer.load()
    rows = list(csv.DictReader(open(args.names, encoding="utf-8"), delimiter="\t"))
    if args.lang:
        rows = [r for r in rows if r["lang"] == args.lang]
    random.Random(args.seed).shuffle(rows)
    shown = 0
    for r in rows:
        lat, lon = float(r["lat"]), float(r["lon"])
        ms = gz.geocode(r["query"], limit=3, min_confidence=0.0)
        top = ms[0] if ms else None
        d = haversine_km(lat, lon, top.place.lat, top.place.lon) if top else None
        ok = top is not None and d <= 5 and top.confidence >= 0.3
        if ok:
            continue
        kind = "missed" if top is None or top.confidence < 0.3 else "wrong"
        if args.kind != "all" and kind != args.kind:
            continue
        near = sorted(((haversine_km(lat, lon, p.lat, p.lon), p) for p in gz.places
                       if abs(p.lat - lat) < 0.06 and abs(p.lon - lon) < 0.06), key=lambda x: x[0])[:3]
        print(f"{kind:6} {r['query']!r} [{r['source']}]")
        if top:
            print(f"   got {top.place.id} {top.place.name_en}/{top.place.name_ar} {top.place.type} "
                  f"conf={top.confidence:.2f} d={d:.0f}km via {top.matched_name!r} {list(top.reasons)}")
        for dist, p in near:
            print(f"   near {dist:4.1f}km {p.id} {p.type} {p.name_en!r} {p.name_ar!r} alt={list(p.alt_en)[:3]}")
        shown += 1
        if shown >= args.n:
            break
    return 0


if __name__ == "__main__":
    sys.exit(main())
