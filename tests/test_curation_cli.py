"""``gazetteer curate`` on SQLite and PostgreSQL: each operation, refusals (exit 1 with the
reason), list/log/export/import, keys; and with no set-up at all (the user's default store)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer.cli import main

ROOT = Path(__file__).resolve().parent.parent
ALIAS = "كرهوك"


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_each_operation(tmp_path, capsys):
    store_url = str(tmp_path / "curation.sqlite3")
    s = ["curate", "--store", store_url]
    code, out, err = run(capsys, *s, "add-alias", "C1015", ALIAS, "--who", "rana", "--why",
                         "local name", "--source", "https://x.test")
    assert code == 0, err
    alias = json.loads(out)
    assert (alias["kind"], alias["author"], alias["source"]) == ("add-alias", "rana",
                                                                 "https://x.test")
    code, out, err = run(capsys, *s, "add-alias", "C1015", ALIAS, "--why", "again")
    assert code == 1 and "refused (name-exists)" in err
    code, out, err = run(capsys, *s, "add-place", "--type", "camp", "--lat", "36.128",
                         "--lon", "37.061", "--parent", "SY020000", "--name-en", "New Hope camp",
                         "--name-ar", "مخيم الأمل الجديد", "--why", "opened in May")
    assert code == 0, err
    place = json.loads(out)
    code, out, err = run(capsys, *s, "add-place", "--type", "camp", "--lat", "36.0",
                         "--lon", "30.0", "--parent", "SY020000", "--name-en", "X", "--why", "w")
    assert code == 1 and "outside-syria" in err
    code, out, err = run(capsys, *s, "correct", place["place_id"], "--lat", "36.129",
                         "--why", "GPS")
    assert code == 0, err
    code, out, err = run(capsys, *s, "retire", "C1015", "Khantuman", "--why", "wrong")
    assert code == 0, err
    code, out, err = run(capsys, *s, "revert", str(alias["id"]), "--why", "oops")
    assert code == 0, err
    code, out, err = run(capsys, *s, "list")
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["add-place", "correct",
                                                                       "retire"]
    code, out, err = run(capsys, *s, "log", "--after", "1")
    assert [json.loads(line)["kind"] for line in out.splitlines()] == [
        "add-place", "correct", "retire", "revert"]
    export = tmp_path / "export.csv"
    code, out, err = run(capsys, *s, "export", "-o", str(export))
    assert code == 0 and "2 place(s)" in err
    text = export.read_text(encoding="utf-8")
    assert text.startswith("id,type,name_ar,name_en,alt_ar,alt_en,lat,lon,")
    assert place["place_id"] in text and "36.129000" in text
    other = str(tmp_path / "other.sqlite3")
    code, out, err = run(capsys, "curate", "--store", other, "import", str(export), "--why",
                         "proposal")
    assert code == 0, err
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["retire", "add-place"]
    code, out, err = run(capsys, *s, "key", "create", "alice", "--role", "admin")
    assert code == 0 and out.strip().startswith("gzk_")
    code, out, err = run(capsys, *s, "key", "revoke", "alice")
    assert code == 0
    code, out, err = run(capsys, *s, "key", "list")
    assert out.startswith("alice\tadmin\t") and out.strip().count("\t") == 3


@pytest.mark.parametrize("store_url", ["postgres"], indirect=True)
def test_on_postgresql(store_url, capsys):
    """The same commands on a PostgreSQL store (the ones that load no polygons: the store's
    part is the same for all)."""
    s = ["curate", "--store", store_url]
    code, out, err = run(capsys, *s, "add-alias", "C1015", ALIAS, "--why", "local name")
    assert code == 0, err
    alias = json.loads(out)
    code, out, err = run(capsys, *s, "retire", "C1015", "Khantuman", "--why", "wrong")
    assert code == 0, err
    code, out, err = run(capsys, *s, "revert", str(alias["id"]), "--why", "oops")
    assert code == 0, err
    code, out, err = run(capsys, *s, "revert", str(alias["id"]), "--why", "oops")
    assert code == 1 and "already-reverted" in err
    code, out, err = run(capsys, *s, "list")
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["retire"]
    code, out, err = run(capsys, *s, "log")
    assert [json.loads(line)["kind"] for line in out.splitlines()] == ["add-alias", "retire",
                                                                       "revert"]
    code, out, err = run(capsys, *s, "key", "create", "bob", "--role", "reader")
    assert code == 0 and out.startswith("gzk_")


def test_no_set_up_needed(tmp_path):
    """``gazetteer curate add-alias`` then ``gazetteer geocode``: the store is made in the user's
    data directory (XDG) by the first and read by the second, and validate checks the overlay."""
    env = {k: v for k, v in os.environ.items() if k != "GAZETTEER_CURATION"}
    env |= {"XDG_DATA_HOME": str(tmp_path / "data"), "PYTHONPATH": str(ROOT)}

    def gazetteer(*argv):
        return subprocess.run([sys.executable, "-m", "gazetteer", *argv], capture_output=True,
                              text=True, cwd=tmp_path, env=env)

    done = gazetteer("curate", "add-alias", "C1015", ALIAS, "--why", "local name")
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "data" / "syria-gazetteer" / "curation.sqlite3").exists()
    found = gazetteer("geocode", ALIAS, "--format", "geojson", "--limit", "1")
    assert json.loads(found.stdout)["features"][0]["properties"]["id"] == "C1015"
    checked = gazetteer("validate", "--no-polygons")
    assert checked.returncode == 0 and "+ curation" in checked.stderr
