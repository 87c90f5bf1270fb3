"""The build step that pyproject.toml leaves to code: the parser's hot modules compiled to C.

mypyc compiles the parser's modules, ``gazetteer/tokens.py``, ``spans.py`` and ``parse.py`` (the
tokenizer, the scan for names and their resolution), and the word rules they call on every new
word, ``normalize.py``, ``commonness.py``, ``query.py`` and ``match.py``, and the ``Place``
record they read (``place.py``), as they are, from their
type annotations (``bench/parse_instructions.py`` and ``bench/bench_parse_scale.py
--versus-source 5`` measure the gain).  The modules stay plain Python source, and run as such
when they are not compiled:

- ``GAZETTEER_PURE=1`` when installing builds nothing (and at run time, loads the sources: see
  ``gazetteer/native.py``);
- without a C compiler, or when mypy finds a type error in them, the build says so and installs
  the sources alone.

Beside the compiled modules goes ``gazetteer/_compiled.json``: the SHA-256 of each source as
compiled, so that a source edited after the build (an editable install) is noticed and run as
source instead of the stale compiled copy.
"""
from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

ROOT = Path(__file__).resolve().parent
# In the order they import each other; kept in step with gazetteer/native.py (a test checks).
COMPILED_MODULES = ("gazetteer.place", "gazetteer.normalize", "gazetteer.commonness", "gazetteer.query",
                    "gazetteer.match", "gazetteer.tokens", "gazetteer.spans", "gazetteer.parse")
SOURCES = [f"{name.replace('.', '/')}.py" for name in COMPILED_MODULES]


def source_digests() -> dict[str, str]:
    return {name: hashlib.sha256((ROOT / src).read_bytes()).hexdigest()
            for name, src in zip(COMPILED_MODULES, SOURCES)}


class BuildCompiledModules(build_ext):
    """build_ext that records what it compiled, and falls back to the sources when the C
    compiler fails (the package then works as before, only slower)."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as exc:  # noqa: BLE001 - any compiler failure: install the sources
            print(f"gazetteer: the parser's modules were not compiled ({exc}); "
                  "installing them as Python source (same results, slower)", file=sys.stderr)
            self.extensions = []
            return
        package_dir = Path(self.get_ext_fullpath("gazetteer.tokens")).parent
        package_dir.mkdir(parents=True, exist_ok=True)
        (package_dir / "_compiled.json").write_text(
            json.dumps({"compiler": "mypyc", "sources": source_digests()}, indent=1) + "\n",
            encoding="utf-8")


def compiled_extensions() -> list:
    if os.environ.get("GAZETTEER_PURE") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("gazetteer: mypyc is not installed; the parser's modules stay Python source", file=sys.stderr)
        return []
    # --follow-imports=silent: the other modules are imported for their types, not compiled
    try:
        return mypycify(["--ignore-missing-imports", "--follow-imports=silent", *SOURCES], opt_level="3")
    except (SystemExit, Exception) as exc:  # noqa: BLE001 - mypy found a type error: say it, go on
        print(f"gazetteer: mypyc could not compile the parser's modules ({exc!r}); they stay Python "
              "source (same results, slower)", file=sys.stderr)
        return []


setup(ext_modules=compiled_extensions(), cmdclass={"build_ext": BuildCompiledModules})
