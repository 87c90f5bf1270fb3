"""Subcommands of ``gazetteer``: one module each, each with ``register(subparsers)``."""
from __future__ import annotations

import json
import sys
from typing import Any


def dump(obj: Any, *, pretty: bool = False) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None))
    sys.stdout.write("\n")


def load_gazetteer():
    from ..gazetteer import Gazetteer

    return Gazetteer.load()
