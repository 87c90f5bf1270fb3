"""``gazetteer geocode``: names → GeoJSON FeatureCollections."""
from __future__ import annotations

import argparse
import json
import sys

from ..exceptions import GazetteerError
from . import dump, load_gazetteer


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("geocode", help="find places by name; prints a GeoJSON FeatureCollection")
    g.add_argument("query", nargs="*", help="a place name in Arabic or Latin script")
    g.add_argument("--jsonl", action="store_true",
                   help='read {"id": ..., "q": ...} lines on stdin, write one FeatureCollection per line')
    g.add_argument("--limit", type=int, default=5)
    g.add_argument("--admin1", help="restrict to a governorate (p-code or name)")
    g.add_argument("--type", action="append", help="restrict to a place type (repeatable)")
    g.add_argument("--min-confidence", type=float, default=0.3)
    g.add_argument("--compact", action="store_true", help="one-line JSON")
    g.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..geojson import feature_collection

    gz = load_gazetteer()
    options = dict(limit=args.limit, admin1=args.admin1, types=args.type or None,
                   min_confidence=args.min_confidence)
    if not args.jsonl:
        if not args.query:
            print("gazetteer geocode: give a QUERY or --jsonl", file=sys.stderr)
            return 2
        query = " ".join(args.query)
        dump(feature_collection(gz.geocode(query, **options), query=query), pretty=not args.compact)
        return 0
    errors = 0
    for lineno, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        item_id: object = lineno
        try:
            item = json.loads(line)
            if not isinstance(item, dict):
                raise ValueError("each line must be a JSON object")
            item_id = item.get("id", lineno)
            query = item.get("q", item.get("query"))
            fc = feature_collection(gz.geocode(query, **options), id=item_id, query=query)
        except (ValueError, GazetteerError) as exc:
            errors += 1
            fc = {"type": "FeatureCollection", "id": item_id, "features": [],
                  "error": f"line {lineno}: {exc}"}
        dump(fc, pretty=False)
    if errors:
        print(f"gazetteer geocode: {errors} line(s) had errors (see their \"error\" member)",
              file=sys.stderr)
    return 0
