"""``gazetteer geocode``: names → GeoJSON FeatureCollections."""
from __future__ import annotations

import argparse
import sys

from . import dump, load_gazetteer, run_jsonl


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
    def answer(item, item_id):
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        query = item.get("q", item.get("query"))
        return feature_collection(gz.geocode(query, **options), id=item_id, query=query)

    return run_jsonl("geocode", answer)
