"""``gazetteer parse``: text → GeoJSON FeatureCollection of the places it names."""
from __future__ import annotations

import argparse
import sys

from . import dump, load_gazetteer, run_jsonl


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("parse", help="find the Syrian places a text names; prints GeoJSON")
    p.add_argument("file", nargs="?", help="a UTF-8 text file, or - for standard input")
    p.add_argument("--jsonl", action="store_true",
                   help='read {"id": ..., "text": ...} lines on stdin, write one FeatureCollection per line')
    p.add_argument("--compact", action="store_true", help="one-line JSON")
    p.set_defaults(func=run)


def collection(gz, text: str, **members) -> dict:
    from ..geojson import feature_collection
    from ..parse import document_focus

    mentions = gz.parse(text)
    return feature_collection(mentions, **members, focus=document_focus(mentions))


def run(args: argparse.Namespace) -> int:
    gz = load_gazetteer()
    if not args.jsonl:
        if not args.file:
            print("gazetteer parse: give a FILE (or - for stdin) or --jsonl", file=sys.stderr)
            return 2
        if args.file == "-":
            text = sys.stdin.read()
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
        dump(collection(gz, text), pretty=not args.compact)
        return 0
    def answer(item, item_id):
        if not isinstance(item, dict):
            raise ValueError("each line must be a JSON object")
        return collection(gz, item.get("text"), id=item_id)

    return run_jsonl("parse", answer)
