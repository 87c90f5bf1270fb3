"""The `gazetteer geocode` and `gazetteer parse` commands: the JSON contract on stdout."""
import io
import json
from pathlib import Path

import pytest

from gazetteer.cli import main

SEED = Path(__file__).resolve().parent.parent / "seeds" / "aljazeera-aleppo-2016.txt"


def run(capsys, monkeypatch, argv, stdin=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_geocode_prints_a_feature_collection(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, ["geocode", "Khan", "Tuman"])
    fc = json.loads(out)
    assert code == 0 and fc["type"] == "FeatureCollection" and fc["query"] == "Khan Tuman"
    f = fc["features"][0]
    assert f["properties"]["id"] == "C1015"
    assert f["geometry"]["coordinates"][0] > f["geometry"]["coordinates"][1]  # [lon, lat]


def test_geocode_jsonl_keeps_ids_and_reports_bad_lines(capsys, monkeypatch):
    lines = '{"id": "a", "q": "خان طومان"}\nnot json\n\n{"id": 7, "q": ""}\n{"id": "z", "q": "xyzzy qwerty"}\n'
    code, out, err = run(capsys, monkeypatch, ["geocode", "--jsonl"], lines)
    answers = [json.loads(line) for line in out.splitlines()]
    assert code == 0
    assert [a["id"] for a in answers] == ["a", 2, 7, "z"]  # one answer per non-blank line
    assert answers[0]["features"][0]["properties"]["id"] == "C1015"
    assert "error" in answers[1] and "error" in answers[2]
    assert answers[3]["features"] == [] and "error" not in answers[3]
    assert "2 line(s) had errors" in err


def test_geocode_bad_option_exits_2(capsys, monkeypatch):
    code, _, err = run(capsys, monkeypatch, ["geocode", "Aleppo", "--admin1", "Narnia"])
    assert code == 2 and "Narnia" in err


def test_parse_file_and_stdin(capsys, monkeypatch):
    code, out, _ = run(capsys, monkeypatch, ["parse", str(SEED), "--compact"])
    fc = json.loads(out)
    assert code == 0 and fc["focus"]["admin1"]["pcode"] == "SY02"
    assert {"C1015", "C3041"} <= {f["properties"]["id"] for f in fc["features"]}
    code, out, _ = run(capsys, monkeypatch, ["parse", "-"], "اشتباكات في خان طومان")
    assert json.loads(out)["features"][0]["properties"]["surface"] == "خان طومان"


def test_parse_jsonl(capsys, monkeypatch):
    lines = '{"id": "t1", "text": "قصف على بلدة داريا"}\n{"id": "t2", "text": 5}\n'
    code, out, _ = run(capsys, monkeypatch, ["parse", "--jsonl"], lines)
    a, b = (json.loads(line) for line in out.splitlines())
    assert a["id"] == "t1" and a["features"][0]["properties"]["id"] == "C2498"
    assert b["id"] == "t2" and b["features"] == [] and "error" in b


def test_parse_rejects_a_non_utf8_file(capsys, monkeypatch, tmp_path):
    f = tmp_path / "cp1256.txt"
    f.write_bytes("قصف على حلب".encode("cp1256"))
    code, _, err = run(capsys, monkeypatch, ["parse", str(f)])
    assert code == 2 and "UTF-8" in err


def test_usage_errors(capsys, monkeypatch):
    assert run(capsys, monkeypatch, ["geocode"])[0] == 2
    with pytest.raises(SystemExit):
        main(["no-such-command"])
