"""``gazetteer parse``: text → the places it names, highlighted on a terminal or as GeoJSON."""
from __future__ import annotations

import argparse
import sys

from . import load_gazetteer, read_stdin_text, run_jsonl
from .output import ADMIN_COLUMNS, add_format_option, emitter

CSV_COLUMNS = ("rank", "id", "surface", "start", "end", "name_ar", "name_en", "type",
               *ADMIN_COLUMNS, "lat", "lon", "confidence", "reading", "reasons", "alternatives")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="find the Syrian places a text names; the text highlighted "
                                     "on a terminal, otherwise GeoJSON")
    p.add_argument("file", nargs="?", help="a UTF-8 text file, or - for standard input")
    p.add_argument("--jsonl", action="store_true",
                   help='read {"id": ..., "text": ...} lines on stdin, write one FeatureCollection per line')
    add_format_option(p)
    p.set_defaults(func=run)


def collection(gz, text: str, **members) -> dict:
    from ..geojson import feature_collection
    from ..parse import document_focus

    mentions = gz.parse(text)
    return feature_collection(mentions, **members, focus=document_focus(mentions))


def table(fc: dict, item) -> object:
    from ..terminal import parse_view

    text = item.get("text") if isinstance(item, dict) else item
    return parse_view(fc, text if isinstance(text, str) else "")


def run(args: argparse.Namespace) -> int:
    if not args.jsonl and not args.file:
        print("gazetteer parse: give a FILE (or - for stdin) or --jsonl", file=sys.stderr)
        return 2
    gz = load_gazetteer()
    if not args.jsonl:
        if args.file == "-":
            text = read_stdin_text()
        else:
            try:
                with open(args.file, encoding="utf-8") as f:
                    text = f.read()
            except UnicodeDecodeError as exc:
                print(f"gazetteer parse: {args.file} is not UTF-8 text ({exc})", file=sys.stderr)
                return 2
            except OSError as exc:
                print(f"gazetteer parse: {exc}", file=sys.stderr)
                return 2
        fc = collection(gz, text)
        emitter(args, table=table, columns=CSV_COLUMNS)(fc, text)
        return 0
    def answer(item, item_id):
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        return collection(gz, item.get("text"), id=item_id)

    return run_jsonl("parse", answer, emitter(args, table=table, columns=CSV_COLUMNS))
