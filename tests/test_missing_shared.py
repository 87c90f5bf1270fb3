"""The rebuild and the benchmarks that read ../shared say what they need when it is absent:
exit status 2 and a message, no traceback."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": str(ROOT)}


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=ENV, capture_output=True,
                          text=True, timeout=120)


def test_build_without_sources(tmp_path):
    r = run("-m", "gazetteer.build", "--sources", str(tmp_path / "nowhere"), "--out",
            str(tmp_path / "out"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert f"no sources directory at {tmp_path / 'nowhere'}" in r.stderr
    assert "../shared/sources" in r.stderr and "ocha-codab-v02-shp" in r.stderr
    assert not (tmp_path / "out").exists()  # nothing written


def test_build_with_some_sources_missing(tmp_path):
    (tmp_path / "ocha-codab-v02-shp").mkdir()
    r = run("-m", "gazetteer.build", "--sources", str(tmp_path), "--out", str(tmp_path / "out"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "lacks the source folder(s) ocha-hno-community-tables" in r.stderr
    assert "ocha-codab-v02-shp," not in r.stderr.split("lacks")[1].split(":")[0]


@pytest.mark.parametrize("script, option", [("bench_names.py", "--names"),
                                            ("bench_parse.py", "--dev"),
                                            ("ceiling.py", "--names"),
                                            ("failures.py", "--names")])
def test_benchmarks_without_the_dev_sets(tmp_path, script, option):
    r = run(str(ROOT / "bench" / script), option, str(tmp_path / "nowhere"))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "not found: this benchmark needs the dev set of ../shared/dev" in r.stderr
    assert f"give {option} PATH" in r.stderr
