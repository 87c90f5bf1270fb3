"""A cache of the folded names of the index, so a process loads the gazetteer in a fraction of a second.

Folding ~20,000 names takes about 1.5 s.  The result depends only on the places and on the
folding code and word lists, so it is stored under a key made of their bytes: any change to the
data or to the code gives a new key and a rebuild, never a stale index.

The cache is JSON (the name entries, column by column: lists of strings and numbers, read with
orjson): reading it cannot run code, whoever wrote the file.  It is used only in a directory
that belongs to this user and that no one else may write to (a shared or world-writable
``XDG_CACHE_HOME`` is not used: another user could plant a file there, and a planted index
would give wrong answers), from files this user owns.  It lives in ``$GAZETTEER_CACHE`` or
``$XDG_CACHE_HOME/syria-gazetteer`` (default ``~/.cache``); when it cannot be used the index is
simply built each time.  ``GAZETTEER_CACHE=off`` disables it.
"""
from __future__ import annotations

import hashlib
import os
import stat
import tempfile
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

import orjson

from .index import NameEntry, NameIndex

_CODE_FILES = ("normalize.py", "index.py", "lexicon.py", "place.py", "index_cache.py")
FORMAT = "syria-gazetteer name index 3"


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


def private(path: Path, *, directory: bool) -> bool:
    """Whether ``path`` is this user's own and no one else can write to it (nor, for a
    directory, replace the files in it)."""
    try:
        st = os.lstat(path)
    except OSError:
        return False
    kind = stat.S_ISDIR if directory else stat.S_ISREG
    return kind(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def _own_directory(directory: Path) -> bool:
    """Make the cache directory (mode 0700) if needed; whether it is safe to use."""
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    except OSError:
        return False
    return private(directory, directory=True)


# The entries are stored column by column, in NameEntry's field order, with the type each
# column must hold: a file that does not fit is ignored (and the index rebuilt).
_COLUMN_TYPES = {"place": int, "name": str, "key": str, "skel": str, "sorted_skel": str,
                 "arabic": bool, "phonetic": str, "fine": str, "penalty": float}


def read_entries(path: Path, places: int | None = None) -> list[NameEntry] | None:
    """The entries stored at ``path``, or None when it is missing, foreign or malformed (or,
    given the number of ``places``, points past them)."""
    if not private(path, directory=False):
        return None
    try:
        doc = orjson.loads(path.read_bytes())
        if doc.get("format") != FORMAT:
            return None
        columns = [doc["columns"][name] for name in _COLUMN_TYPES]
        if len({len(column) for column in columns}) != 1:
            return None
        for column, kind in zip(columns, _COLUMN_TYPES.values()):
            if column and set(map(type, column)) != {kind}:  # bool is not int here: type(), not isinstance
                return None
        place_column = columns[0]
        if place_column and (min(place_column) < 0
                             or (places is not None and max(place_column) >= places)):
            return None
        return list(map(NameEntry, *columns))
    except (OSError, ValueError, TypeError, KeyError, AttributeError):  # orjson.JSONDecodeError is a ValueError
        return None


def write_entries(path: Path, entries: Sequence[NameEntry]) -> None:
    columns = {name: [entry[i] for entry in entries] for i, name in enumerate(_COLUMN_TYPES)}
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, delete=False,
                                     suffix=".tmp") as f:  # mode 0600
        f.write(orjson.dumps({"format": FORMAT, "columns": columns}))
        tmp = f.name
    os.replace(tmp, path)


def load_or_build(fingerprint: bytes, build: Callable[[], NameIndex], places: Sequence) -> NameIndex:
    """The index for these places: from the cache when its key matches, else built (and
    stored for next time)."""
    directory = cache_dir()
    if directory is None or not _own_directory(directory):
        return build()
    path = directory / f"index-{cache_key(fingerprint)}.json"
    entries = read_entries(path, len(places))
    if entries is not None:
        return NameIndex(places, entries)
    index = build()
    try:
        write_entries(path, index.entries)
        _prune(directory, keep=path)
    except OSError:
        pass  # a read-only home: build each time
    return index


def _prune(directory: Path, keep: Path, most: int = 4) -> None:
    """Keep the newest few index files (other data files may be in use), remove the rest."""
    files = sorted(directory.glob("index-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in files[most:]:
        if old != keep:
            old.unlink(missing_ok=True)
