"""A cache of the built name index, so a process loads the gazetteer in a fraction of a second.

Building the index folds ~20,000 names (about 1.5 s).  The result depends only on the places
and on the folding code and word lists, so it is pickled under a key made of their bytes:
any change to the data or to the code gives a new key and a rebuild, never a stale index.
The cache lives in ``$GAZETTEER_CACHE`` or ``~/.cache/syria-gazetteer``; when it cannot be
written the index is simply built each time.  ``GAZETTEER_CACHE=off`` disables it.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

_CODE_FILES = ("normalize.py", "index.py", "lexicon.py", "place.py", "index_cache.py")


def cache_dir() -> Path | None:
    env = os.environ.get("GAZETTEER_CACHE")
    if env and env.lower() in ("off", "0", "no", "false"):
        return None
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "syria-gazetteer"


def cache_key(rows_fingerprint: bytes) -> str:
    h = hashlib.sha256(rows_fingerprint)
    here = Path(__file__).resolve().parent
    for name in _CODE_FILES:
        h.update((here / name).read_bytes())
    for item in sorted(resources.files("gazetteer.resources").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".tsv"):
            h.update(item.name.encode())
            h.update(item.read_bytes())
    return h.hexdigest()[:32]


def load_or_build(fingerprint: bytes, build: Callable[[], object], places: Sequence) -> object:
    """The index for these places: from the cache when its key matches, else built (and
    stored for next time)."""
    directory = cache_dir()
    if directory is None:
        return build()
    path = directory / f"index-{cache_key(fingerprint)}.pickle"
    try:
        with open(path, "rb") as f:
            index = pickle.load(f)
        index.places = places
        return index
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        pass
    index = build()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=directory, delete=False, suffix=".tmp") as f:
            pickle.dump(index, f, protocol=pickle.HIGHEST_PROTOCOL)
            tmp = f.name
        os.replace(tmp, path)
        _prune(directory, keep=path)
    except OSError:
        pass  # a read-only home: build each time
    return index


def _prune(directory: Path, keep: Path, most: int = 4) -> None:
    """Keep the newest few index files (other data files may be in use), remove the rest."""
    files = sorted(directory.glob("index-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[most:]:
        if old != keep:
            old.unlink(missing_ok=True)
