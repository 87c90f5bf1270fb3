"""``gazetteer geocode``: names → places, as a table on a terminal or GeoJSON FeatureCollections."""
from __future__ import annotations

import argparse
import sys

from . import checked_text, load_gazetteer, run_jsonl, unit_interval
from .output import ADMIN_COLUMNS, add_format_option, emitter

CSV_COLUMNS = ("rank", "id", "name_ar", "name_en", "type", *ADMIN_COLUMNS, "lat", "lon",
               "confidence", "ambiguous", "rivals", "matched_name", "reasons")
NEAR_MISSES = 3  # closest names shown on a terminal when nothing reaches the threshold


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser("geocode", help="find places by name; a table on a terminal, otherwise a "
                                       "GeoJSON FeatureCollection")
    g.add_argument("query", nargs="*", help="a place name in Arabic or Latin script")
    g.add_argument("--jsonl", action="store_true",
                   help='read {"id": ..., "q": ...} lines on stdin, write one FeatureCollection per line')
    g.add_argument("--limit", type=int, default=5)
    g.add_argument("--admin1", help="restrict to a governorate (p-code or name)")
    g.add_argument("--type", action="append", help="restrict to a place type (repeatable)")
    g.add_argument("--min-confidence", type=unit_interval, default=0.3)
    add_format_option(g)
    g.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..geojson import feature_collection

    if not args.jsonl and not args.query:
        print("gazetteer geocode: give a QUERY or --jsonl", file=sys.stderr)
        return 2
    gz = load_gazetteer()
    options = dict(limit=args.limit, admin1=args.admin1, types=args.type or None,
                   min_confidence=args.min_confidence)

    def table(fc, item):
        from ..terminal import geocode_view

        near = []
        if not fc["features"] and "error" not in fc:
            near = [m.to_feature() for m in gz.geocode(
                fc.get("query") or "", **{**options, "limit": NEAR_MISSES, "min_confidence": 0.0})]
        return geocode_view(fc, near=near, min_confidence=args.min_confidence)

    if not args.jsonl:
        query = checked_text(" ".join(args.query), "the query")
        fc = feature_collection(gz.geocode(query, **options), query=query)
        emitter(args, table=table, columns=CSV_COLUMNS)(fc, query)
        return 0

    def answer(item, item_id):
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        query = item.get("q", item.get("query"))
        return feature_collection(gz.geocode(query, **options), id=item_id, query=query)

    return run_jsonl("geocode", answer, emitter(args, table=table, columns=CSV_COLUMNS))

