"""Which parser modules run compiled, and the switch back to their Python sources.

``setup.py`` compiles the parser's hot modules with mypyc and records the SHA-256 of each source
it compiled in ``_compiled.json``.  Python imports a compiled module before its source, so after
a source is edited in an editable install the old compiled copy would run, silently.  On import
of the package, ``choose_modules`` compares the sources with the record: when one differs, it
warns and has these modules imported from their sources (all of them: compiled modules call
each other directly, so a compiled one must not run beside an edited one).  ``GAZETTEER_PURE=1``
asks for the sources outright (to compare the two, or to debug with a Python debugger).
"""
from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
import warnings
from pathlib import Path

# In the order they import each other; setup.py compiles the same list (a test checks)
COMPILED_MODULES = ("gazetteer.place", "gazetteer.normalize", "gazetteer.commonness", "gazetteer.query",
                    "gazetteer.match", "gazetteer.tokens", "gazetteer.spans", "gazetteer.parse")
PACKAGE_DIR = Path(__file__).resolve().parent
RECORD = PACKAGE_DIR / "_compiled.json"


class StaleBuildWarning(RuntimeWarning):
    """A compiled module is older than its source: the source runs instead."""


def _source_of(name: str) -> Path:
    return PACKAGE_DIR / (name.rsplit(".", 1)[1] + ".py")


def is_compiled(name: str) -> bool:
    """Whether the module would be (or was) imported from a compiled extension."""
    module = sys.modules.get(name)
    origin = getattr(module, "__file__", None) if module is not None else None
    if origin is None:
        spec = importlib.util.find_spec(name)
        origin = spec.origin if spec is not None else None
    return isinstance(origin, str) and origin.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def stale_modules() -> list[str]:
    """The compiled modules whose source changed since they were compiled."""
    try:
        recorded = json.loads(RECORD.read_text(encoding="utf-8"))["sources"]
    except (OSError, ValueError, KeyError):
        return []  # nothing compiled (or no record of it): the sources run anyway
    return [name for name in COMPILED_MODULES if name in recorded
            and hashlib.sha256(_source_of(name).read_bytes()).hexdigest() != recorded[name]]


class _SourcesFirst(importlib.abc.MetaPathFinder):
    """Imports the compiled modules from their ``.py`` sources."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname in COMPILED_MODULES:
            return importlib.util.spec_from_file_location(fullname, _source_of(fullname))
        return None


def choose_modules() -> str:
    """Run the compiled modules, or their sources when asked or out of date.  Returns
    "compiled", "pure" (sources asked for), "stale" (sources, a build is out of date) or
    "source" (nothing compiled)."""
    if any(isinstance(f, _SourcesFirst) for f in sys.meta_path):
        return "pure"
    if os.environ.get("GAZETTEER_PURE") == "1":
        sys.meta_path.insert(0, _SourcesFirst())
        return "pure"
    if not RECORD.exists():
        return "source"
    stale = stale_modules()
    if stale:
        warnings.warn(f"{', '.join(stale)} changed since it was compiled: running the parser from "
                      "its Python sources (same results, slower); `pip install -e .` compiles it "
                      "again", StaleBuildWarning, stacklevel=2)
        sys.meta_path.insert(0, _SourcesFirst())
        return "stale"
    return "compiled"


def describe() -> str:
    """One line for benchmarks and ``--version``: how the parser runs."""
    compiled = [name for name in COMPILED_MODULES if is_compiled(name)]
    if len(compiled) == len(COMPILED_MODULES):
        return "parser compiled with mypyc"
    if compiled:
        return f"parser partly compiled ({', '.join(compiled)})"
    return "parser as Python source"
