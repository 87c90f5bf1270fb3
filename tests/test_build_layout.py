"""The build and the run-time are two rooms: nothing that answers a query imports the build."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNTIME = [p for p in (ROOT / "gazetteer").rglob("*.py") if "build" not in p.relative_to(ROOT / "gazetteer").parts]
RUNTIME += list((ROOT / "service").rglob("*.py"))


def imported_modules(path: Path) -> set[str]:
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    return modules_imported_by(path.read_text(encoding="utf-8"), package)


def modules_imported_by(source: str, package: str) -> set[str]:
    tree = ast.parse(source)
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_runtime_modules_exist():
    assert len(RUNTIME) > 20


def test_no_runtime_module_imports_the_build():
    offenders = {str(p.relative_to(ROOT)): sorted(m for m in imported_modules(p) if m.startswith("gazetteer.build"))
                 for p in RUNTIME}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_import_check_sees_relative_imports():
    # the checker itself must catch "from .build import x" inside gazetteer/
    assert "gazetteer.build.common" in modules_imported_by("from .build.common import COLUMNS", "gazetteer")
    assert "gazetteer.build" in modules_imported_by("from ..build import pipeline", "gazetteer.commands")
