"""``gazetteer reverse LAT LON``: admin units, neighbourhood and nearby places, as a short block on
a terminal or as GeoJSON."""
from __future__ import annotations

import argparse
import re
import sys

from . import run_jsonl
from .output import ADMIN_COLUMNS, add_format_option, emitter

CSV_COLUMNS = ("rank", "role", "id", "name_ar", "name_en", "type", *ADMIN_COLUMNS,
               "neighbourhood_pcode", "neighbourhood_name_en", "neighbourhood_name_ar",
               "lat", "lon", "distance_km", "outside", "match", "admin_distance_km",
               "distance_to_syria_km")


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser(
        "reverse", help="admin units and nearby places of a point; a short block on a terminal, "
                        "otherwise a GeoJSON FeatureCollection",
        description="Print the governorate, district, sub-district (OCHA polygons), neighbourhood "
                    "and nearest places of a point: a short block on a terminal, otherwise a "
                    "GeoJSON FeatureCollection whose first feature is the point itself.  Outside "
                    "Syria: \"outside\": true, no admin units, exit status 0.  Bad coordinates: "
                    "exit status 2.")
    # "-33.9,151.2" is a point, not an option (argparse knows only "-33.9" as a number)
    g._negative_number_matcher = re.compile(r"^-\.?\d")
    g.add_argument("coords", nargs="*", metavar="LAT LON",
                   help='latitude and longitude in decimal degrees ("36.2 37.1" or "36.2,37.1")')
    g.add_argument("--jsonl", action="store_true",
                   help='read one point per line on stdin ("LAT,LON" or {"id": ..., "lat": ..., '
                        '"lon": ...}), write one FeatureCollection per line')
    g.add_argument("--radius", type=float, default=10.0, metavar="KM",
                   help="nearby places within this distance (default 10 km)")
    g.add_argument("--limit", type=int, default=5, help="at most this many nearby places (default 5)")
    g.add_argument("--type", action="append", help="list only nearby places of this type (repeatable)")
    add_format_option(g)
    g.set_defaults(func=run)


def point_of(words: list[str]) -> tuple[float, float]:
    from ..coords import parse_point

    if len(words) == 2 and not any("," in w or ";" in w for w in words):
        return parse_point(words[0], words[1])
    return parse_point(" ".join(words))


def table(fc: dict, item) -> object:
    from ..terminal import reverse_view

    return reverse_view(fc)


def run(args: argparse.Namespace) -> int:
    from ..reverse import ReverseGeocoder, check_limit, check_radius

    options = dict(radius_km=check_radius(args.radius), limit=check_limit(args.limit),
                   types=args.type or None)
    if not args.jsonl:
        if not args.coords:
            print("gazetteer reverse: give LAT LON (or \"LAT,LON\"), or --jsonl", file=sys.stderr)
            return 2
        point = point_of(args.coords)  # bad coordinates: CoordinateError, exit 2, before loading
        result = ReverseGeocoder.from_data_dir().reverse(point, **options)
        emitter(args, table=table, columns=CSV_COLUMNS)(result.to_geojson(), args.coords)
        return 0
    rg = ReverseGeocoder.from_data_dir()
    rg.check_types(options["types"])
    def answer(item, item_id):
        if isinstance(item, dict):
            point = item if "lat" in item or "latitude" in item else item.get("point")
        else:
            point = item
        fc = rg.reverse(point, **options).to_geojson()
        return {"type": fc["type"], "id": item_id, "features": fc["features"]}

    return run_jsonl("reverse", answer, emitter(args, table=table, columns=CSV_COLUMNS))
