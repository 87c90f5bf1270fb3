"""A cache of the folded names of the index, so a process loads the gazetteer in a fraction of a second.

Folding ~20,000 names takes about 1.5 s.  The result depends only on the places and on the
folding code and word lists, so it is stored under a key made of their bytes: any change to the
data or to the code gives a new key and a rebuild, never a stale index.

The cache is JSON (the name entries, as lists of strings and numbers): reading it cannot run
code, whoever wrote the file.  It is used only in a directory that belongs to this user and that
no one else may write to (a shared or world-writable ``XDG_CACHE_HOME`` is not used: another user
could plant a file there, and a planted index would give wrong answers), from files this user
owns.  It lives in ``$GAZETTEER_CACHE`` or ``$XDG_CACHE_HOME/syria-gazetteer`` (default
``~/.cache``); when it cannot be used the index is simply built each time.
``GAZETTEER_CACHE=off`` disables it.
"""
from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from importlib import resources
from pathlib import Path
from typing import Callable, Sequence

from .index import NameEntry, NameIndex

_CODE_FILES = ("normalize.py", "index.py", "lexicon.py", "place.py", "index_cache.py")
FORMAT = "syria-gazetteer name index 2"


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


def read_entries(path: Path) -> list[NameEntry] | None:
    """The entries stored at ``path``, or None when it is missing, foreign or malformed."""
    if not private(path, directory=False):
        return None
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if doc.get("format") != FORMAT:
            return None
        return [NameEntry(int(p), n, k, sk, ss, bool(a), ph, fi, float(pe))
                for p, n, k, sk, ss, a, ph, fi, pe in doc["entries"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def write_entries(path: Path, entries: Sequence[NameEntry]) -> None:
    doc = {"format": FORMAT, "entries": [
        [e.place, e.name, e.key, e.skel, e.sorted_skel, e.arabic, e.phonetic, e.fine, e.penalty]
        for e in entries]}
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent, delete=False,
                                     suffix=".tmp") as f:  # mode 0600
        json.dump(doc, f, ensure_ascii=False, separators=(",", ":"))
        tmp = f.name
    os.replace(tmp, path)


def load_or_build(fingerprint: bytes, build: Callable[[], NameIndex], places: Sequence) -> NameIndex:
    """The index for these places: from the cache when its key matches, else built (and
    stored for next time)."""
    directory = cache_dir()
    if directory is None or not _own_directory(directory):
        return build()
    path = directory / f"index-{cache_key(fingerprint)}.json"
    entries = read_entries(path)
    if entries is not None and all(0 <= e.place < len(places) for e in entries):
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
