"""The parser's compiled modules (setup.py, gazetteer/native.py): the same answers as their
sources, and never a compiled copy older than its source."""
import ast
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer import native

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "aljazeera-aleppo-2016.txt"


def _python(code: str, **env) -> subprocess.CompletedProcess:
    inherited = {k: v for k, v in os.environ.items() if k != "GAZETTEER_PURE"}  # each test sets its own
    return subprocess.run([sys.executable, "-W", "default", "-c", code], capture_output=True, text=True,
                          cwd=ROOT, env={**inherited, **env}, timeout=300, check=False)


def test_setup_compiles_the_modules_native_knows():
    tree = ast.parse((ROOT / "setup.py").read_text(encoding="utf-8"))
    listed = next(ast.literal_eval(node.value) for node in ast.walk(tree) if isinstance(node, ast.Assign)
                  and any(getattr(t, "id", None) == "COMPILED_MODULES" for t in node.targets))
    assert tuple(listed) == native.COMPILED_MODULES
    for name in listed:
        assert (ROOT / (name.replace(".", "/") + ".py")).exists()


def test_a_changed_source_is_noticed(tmp_path, monkeypatch):
    digests = {name: hashlib.sha256(native._source_of(name).read_bytes()).hexdigest()
               for name in native.COMPILED_MODULES}
    record = tmp_path / "_compiled.json"
    monkeypatch.setattr(native, "RECORD", record)
    record.write_text(json.dumps({"compiler": "mypyc", "sources": digests}))
    assert native.stale_modules() == []
    digests["gazetteer.spans"] = "0" * 64  # compiled from another version of spans.py
    record.write_text(json.dumps({"compiler": "mypyc", "sources": digests}))
    assert native.stale_modules() == ["gazetteer.spans"]
    record.unlink()
    assert native.stale_modules() == []  # nothing compiled: nothing stale


def test_a_stale_build_runs_every_compiled_module_from_source(tmp_path):
    record = tmp_path / "_compiled.json"
    record.write_text(json.dumps({"compiler": "mypyc", "sources": {"gazetteer.spans": "0" * 64}}))
    # native.py loaded on its own, before the package: importing the package imports some of
    # the compiled modules (normalize, match, ...), so the record must be read before that
    out = _python(
        "import importlib.util\n"
        "from pathlib import Path\n"
        "spec = importlib.util.spec_from_file_location('native_alone', 'gazetteer/native.py')\n"
        "n = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(n)\n"
        f"n.RECORD = Path({str(record)!r})\n"
        "print(n.choose_modules())\n"
        "import importlib, gazetteer\n"
        f"modules = [importlib.import_module(name) for name in {native.COMPILED_MODULES!r}]\n"
        "print(*(m.__file__ for m in modules))\n"
        "print(n.describe())\n")
    assert out.returncode == 0, out.stderr
    mode, files, described = out.stdout.splitlines()
    assert mode == "stale"
    assert all(f.endswith(".py") for f in files.split())
    assert described == "parser as Python source"
    assert "StaleBuildWarning" in out.stderr and "gazetteer.spans changed" in out.stderr


def test_pure_asks_for_the_sources():
    out = _python("import gazetteer.native as n, gazetteer.spans as s\nprint(n.describe(), s.__file__)",
                  GAZETTEER_PURE="1")
    assert out.returncode == 0, out.stderr
    assert out.stdout.startswith("parser as Python source") and out.stdout.strip().endswith("spans.py")


def test_compiled_and_source_parse_alike():
    """The seed article and sentences of every kind of rule, parsed by the compiled modules and
    by their sources: the same mentions, offsets, places and confidences."""
    if not all(native.is_compiled(name) for name in native.COMPILED_MODULES):
        pytest.skip("this install runs the parser from source (GAZETTEER_PURE=1 at install, or no "
                    "C compiler): nothing compiled to compare")
    code = (
        "import json, sys\n"
        "from gazetteer import Gazetteer\n"
        "gz = Gazetteer.load()\n"
        "texts = [open(sys.argv[1], encoding='utf-8').read(),\n"
        "         'قصف مدفعي على قرية كفرنبودة شمال مدينة منبج، ودوما بريف دمشق',\n"
        "         'ريفي حماة الغربي واللاذقية الشمالي #ادلب #اريحا في ذيبان',\n"
        "         'Clashes in Jisr al-Shughour and Khan Shaykhun, north of the town of Saraqeb; Assad forces',\n"
        "         'DAMASCUS, Syria - the Eastern Ghouta and Bab al-Salama crossing']\n"
        "print(json.dumps([[(m.start, m.end, m.place.id, round(m.confidence, 9), m.reasons)\n"
        "                   for m in gz.parse(t)] for t in texts]))\n")
    compiled = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True,
                              cwd=ROOT, timeout=300, check=True)
    source = subprocess.run([sys.executable, "-c", code, str(SEED)], capture_output=True, text=True,
                            cwd=ROOT, timeout=300, check=True, env={**os.environ, "GAZETTEER_PURE": "1"})
    assert json.loads(compiled.stdout) == json.loads(source.stdout)
    assert len(json.loads(compiled.stdout)[0]) > 20  # the seed names dozens of places
