"""Subcommands of ``gazetteer``: one module each, each with ``register(subparsers)``."""
from __future__ import annotations

import json
import sys
from typing import Any, Callable


def dump(obj: Any, *, pretty: bool = False) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None))
    sys.stdout.write("\n")


def load_gazetteer():
    from ..gazetteer import Gazetteer

    return Gazetteer.load()


def run_jsonl(command: str, answer: Callable[[Any, object], dict],
              emit: Callable[[dict, Any], None] | None = None) -> int:
    """The ``--jsonl`` loop shared by the subcommands: one JSON line in, one FeatureCollection
    out with the same "id".  ``answer(item, item_id)`` gets the parsed line (a dict, or the raw
    text when it is not JSON) and returns the collection; ``emit(fc, item)`` writes it (one JSON
    line unless told otherwise, see ``output``).  A bad line is answered with an empty
    collection and an "error" member; nothing is skipped, and the exit status stays 0."""
    if emit is None:
        emit = lambda fc, item: dump(fc, pretty=False)  # noqa: E731
    from ..exceptions import GazetteerError

    errors = 0
    for lineno, line in enumerate(sys.stdin, 1):
        text = line.strip()
        if not text:
            continue
        item_id: object = lineno
        item: Any = text
        try:
            item = json.loads(text) if text.startswith("{") else text
            if isinstance(item, dict):
                item_id = item.get("id", lineno)
            fc = answer(item, item_id)
        except (ValueError, GazetteerError) as exc:
            errors += 1
            fc = {"type": "FeatureCollection", "id": item_id, "features": [],
                  "error": f"line {lineno}: {exc}"}
        emit(fc, item)
    if errors:
        print(f"gazetteer {command}: {errors} line(s) had errors (see their \"error\" member)",
              file=sys.stderr)
    return 0
