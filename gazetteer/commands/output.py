"""How ``geocode``, ``parse`` and ``reverse`` write their answers: ``--format``.

Every answer is first the FeatureCollection of the JSON contract; the format only decides how it
is written.  ``table`` is for people (``gazetteer.terminal``), the others for programs:

- ``geojson``: the FeatureCollection, indented (one line with ``--compact``); with ``--jsonl``
  one collection per input line, as ``jsonl``;
- ``jsonl``: one FeatureCollection per line: one line for a single query, one per input line
  with ``--jsonl``;
- ``csv``: one row per feature, its ``rank`` in the collection first, nested members flattened
  (``admin1_name_en``), lists joined by ``|`` (alternatives by their ids); with
  ``--jsonl`` an ``input_id`` column first and an ``error`` column last, and every input line
  gets at least one row.

Without ``--format`` the answer is a table when standard output is a terminal and JSON
otherwise (also with ``--compact`` or ``--jsonl``), so pipes and scripts read what they always
read.
"""
from __future__ import annotations

import argparse
import csv
import sys
from typing import Any, Callable, Iterator, Sequence

from . import dump

FORMATS = ("table", "geojson", "jsonl", "csv")
# A function that draws one answer for people: (FeatureCollection, the input item) → renderable.
TableView = Callable[[dict, Any], Any]
Emit = Callable[[dict, Any], None]


def add_format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--format", choices=FORMATS, default=None,
        help="table (the default on a terminal), geojson (the default otherwise), jsonl "
             "(one FeatureCollection per line) or csv (one row per feature)")
    parser.add_argument("--compact", action="store_true", help="one-line JSON")


def chosen_format(args: argparse.Namespace) -> str:
    if args.format:
        return args.format
    if args.jsonl:
        return "jsonl"
    if args.compact or not sys.stdout.isatty():
        return "geojson"
    return "table"


def emitter(args: argparse.Namespace, *, table: TableView, columns: Sequence[str]) -> Emit:
    """The function that writes each answer ``emit(fc, item)`` in the chosen format."""
    fmt = chosen_format(args)
    if fmt == "table":
        from ..terminal import console

        out = console()
        shown = []

        def emit(fc: dict, item: Any) -> None:
            if shown:
                out.print()  # a blank line between the answers of a --jsonl batch
            out.print(table(fc, item))
            shown.append(True)

        return emit
    if fmt == "csv":
        return _csv_emitter(columns, batch=args.jsonl)
    pretty = fmt == "geojson" and not args.compact and not args.jsonl
    return lambda fc, item: dump(fc, pretty=pretty)


def _csv_emitter(columns: Sequence[str], *, batch: bool) -> Emit:
    header = ["input_id", *columns, "error"] if batch else list(columns)
    writer = csv.DictWriter(sys.stdout, fieldnames=header, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()

    def emit(fc: dict, item: Any) -> None:
        rows = [{"rank": rank, **flatten(f)} for rank, f in enumerate(fc["features"], 1)]
        if batch:
            # every input line has a row, even when nothing was found or the line was bad
            rows = rows or [{}]
            for row in rows:
                row.update(input_id=fc.get("id", ""), error=fc.get("error", ""))
        for row in rows:
            writer.writerow({k: cell(v) for k, v in row.items()})
        sys.stdout.flush()  # a batch consumer sees each answer as it comes

    return emit


def flatten(feature: dict) -> dict[str, Any]:
    """A feature as one flat row: ``lat``/``lon`` from the geometry, nested objects joined with
    ``_`` (``admin1_name_en``, ``neighbourhood_city_pcode``), lists of objects by their ids."""
    row: dict[str, Any] = {}
    lon, lat = feature["geometry"]["coordinates"][:2]
    for key, value in _flat_items("", feature["properties"]):
        row[key] = value
    row["lat"], row["lon"] = lat, lon
    return row


def _flat_items(prefix: str, obj: dict) -> Iterator[tuple[str, Any]]:
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            yield from _flat_items(f"{name}_", value)
        elif isinstance(value, list):
            yield name, "|".join(str(v["id"]) if isinstance(v, dict) else str(v) for v in value)
        else:
            yield name, value


def cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


ADMIN_COLUMNS = tuple(f"admin{level}_{part}" for level in (1, 2, 3)
                      for part in ("pcode", "name_en", "name_ar"))
