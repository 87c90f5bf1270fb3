"""Where the bundled data lives: ``data/`` beside the package, or $GAZETTEER_DATA."""
from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    env = os.environ.get("GAZETTEER_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"
