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


# -- hardening: careless input is an error line or a message, never a traceback ---------------

class BytesStdin(io.TextIOWrapper):
    """Standard input as the CLI really gets it: bytes underneath."""

    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data), encoding="utf-8")


@pytest.mark.parametrize("command, line", [
    ("geocode", '{"id": "s", "q": "\\ud800"}'),
    ("parse", '{"id": "s", "text": "\\ud800 حلب"}'),
    ("reverse", '{"id": "s", "lat": 36.2, "lon": 37.1, "note": "\\udc80"}'),
])
def test_a_lone_surrogate_is_one_error_line_and_later_lines_are_answered(capsys, monkeypatch,
                                                                         command, line):
    good = {"geocode": '{"id": "g", "q": "حلب"}', "parse": '{"id": "g", "text": "قصف على حلب"}',
            "reverse": '{"id": "g", "lat": 36.2, "lon": 37.15}'}[command]
    stdin = BytesStdin(f"{good}\n{line}\n{good}\n".encode())
    monkeypatch.setattr("sys.stdin", stdin)
    code = main([command, "--jsonl"])
    out, err = capsys.readouterr()
    answers = [json.loads(x) for x in out.splitlines()]
    assert code == 0 and [a["id"] for a in answers] == ["g", "s", "g"]
    assert "surrogate U+D" in answers[1]["error"] and answers[1]["features"] == []
    assert answers[0]["features"] and answers[2]["features"]
    out.encode("utf-8")  # stdout is valid UTF-8
    assert "Traceback" not in err


def test_invalid_utf8_is_refused_the_same_way_everywhere(capsys, monkeypatch, tmp_path):
    bad = "قصف على حلب".encode() + b"\xff\n"
    f = tmp_path / "bad.txt"
    f.write_bytes(bad)
    code, out, err = run(capsys, monkeypatch, ["parse", str(f)])
    assert code == 2 and "not UTF-8" in err and out == ""
    monkeypatch.setattr("sys.stdin", BytesStdin(bad))
    code, out, err = run(capsys, monkeypatch, ["parse", "-"])
    assert code == 2 and "not UTF-8: byte 0xFF" in err and out == ""
    query = (b"Aleppo\xff").decode("utf-8", "surrogateescape")  # how argv holds such bytes
    code, out, err = run(capsys, monkeypatch, ["geocode", query])
    assert code == 2 and "not UTF-8: byte 0xFF" in err and out == ""
    monkeypatch.setattr("sys.stdin", BytesStdin(b'{"id": 1, "q": "Homs\xff"}\n{"id": 2, "q": "Homs"}\n'))
    code, out, err = run(capsys, monkeypatch, ["geocode", "--jsonl"])
    a, b = (json.loads(x) for x in out.splitlines())
    assert "not UTF-8: byte 0xFF" in a["error"] and b["features"]


def test_stdout_is_utf8_whatever_the_locale():
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONPATH": str(SEED.parent.parent), "PYTHONIOENCODING": "latin-1",
           "LC_ALL": "C"}
    proc = subprocess.run([sys.executable, "-m", "gazetteer", "geocode", "Aleppo", "--compact"],
                          capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    assert "حلب" in proc.stdout.decode("utf-8")


@pytest.mark.parametrize("value", ["2", "nan", "-1", "x"])
def test_min_confidence_outside_0_1_is_an_error(capsys, monkeypatch, gazetteer, value):
    with pytest.raises(SystemExit) as exit_:
        main(["geocode", "Aleppo", "--min-confidence", value])
    assert exit_.value.code == 2 and "--min-confidence" in capsys.readouterr().err
    from gazetteer import QueryError

    if value != "x":
        with pytest.raises(QueryError, match="min_confidence"):
            gazetteer.geocode("Aleppo", min_confidence=float(value))
