"""``--format``: a table when standard output is a terminal, today's GeoJSON when it is piped.

The terminal runs happen in a real pseudo-terminal (``pty``), in a subprocess, as a person
would see them.  The piped runs are compared byte for byte with the JSON the contract's own
functions give (``feature_collection``, ``document_focus``, ``ReverseResult.to_geojson``),
written as the CLI always wrote it: indented, non-ASCII kept, one newline at the end.
"""
import csv
import fcntl
import io
import json
import os
import pty
import re
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from rich.cells import cell_len

from gazetteer.cli import main
from gazetteer.geojson import feature_collection
from gazetteer.parse import document_focus

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "aljazeera-aleppo-2016.txt"
# every form of place id in Gazetteer v2 (data/places.csv)
PLACE_ID = r"C\d+|G\d+|W\d+|SY\d*|N\d+|L:\w+|S:\w+"
COLUMNS = 100
SGR = re.compile(r"\x1b\[([0-9;]*)m")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
# SGR parameters that set a colour (foreground 30-38, 90-97; background 40-48, 100-107)
COLOUR_PARAMS = {str(n) for n in (*range(30, 39), *range(90, 98), *range(40, 49), *range(100, 108))}
TIMEOUT = 120


def cli_env(**extra):
    env = {k: v for k, v in os.environ.items()
           if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "TTY_COMPATIBLE",
                        "TTY_INTERACTIVE", "TERM")}
    env["TERM"] = "xterm-256color"
    env.update(extra)
    return env


def piped(*args, stdin=b"", **env):
    proc = subprocess.run([sys.executable, "-m", "gazetteer", *args], input=stdin, cwd=ROOT,
                          capture_output=True, env=cli_env(**env), timeout=TIMEOUT)
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout


def on_terminal(*args, stdin=b"", **env):
    """Run the CLI with its standard output on a pseudo-terminal COLUMNS wide; what it printed,
    with the terminal's CR-LF line ends back to LF."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, COLUMNS, 0, 0))
    out = bytearray()
    with subprocess.Popen([sys.executable, "-m", "gazetteer", *args], cwd=ROOT,
                          stdin=subprocess.PIPE, stdout=slave, stderr=subprocess.PIPE,
                          env=cli_env(**env)) as proc:
        os.close(slave)
        proc.stdin.write(stdin)
        proc.stdin.close()
        try:
            while True:
                ready, _, _ = select.select([master], [], [], TIMEOUT)
                assert ready, "the command printed nothing for two minutes"
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    break
                if not chunk:
                    break
                out += chunk
        finally:
            os.close(master)
        err = proc.stderr.read()
        assert proc.wait(timeout=TIMEOUT) == 0, err.decode()
    return bytes(out).replace(b"\r\n", b"\n").decode("utf-8")


def plain(screen: str) -> str:
    return ANSI.sub("", screen)


def colour_codes(screen: str) -> set[str]:
    return {p for params in SGR.findall(screen) for p in params.split(";")} & COLOUR_PARAMS


def as_the_cli_writes_it(fc: dict) -> bytes:
    return (json.dumps(fc, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def fits(screen: str) -> bool:
    return all(cell_len(line) <= COLUMNS for line in plain(screen).split("\n"))


# -- geocode -----------------------------------------------------------------------------------
def test_geocode_is_a_table_on_a_terminal_and_todays_geojson_when_piped(gazetteer):
    screen = on_terminal("geocode", "Khan", "Tuman")
    text = plain(screen)
    assert "FeatureCollection" not in text and "{" not in text
    row = next(line for line in text.splitlines() if "C1015" in line)
    assert row.split()[:5] == ["1", "Khan", "tuman", "C1015", "village"]
    assert "Aleppo / Jebel Saman / Jebel Saman" in row and "36.1184" in row and "37.0509" in row
    assert "1.00" in row.split()
    assert "خان طومان" in text  # the Arabic name, below the English one
    assert "32" in colour_codes(screen)  # a sure answer in green
    assert fits(screen)

    expected = feature_collection(gazetteer.geocode("Khan Tuman"), query="Khan Tuman")
    assert piped("geocode", "Khan", "Tuman") == as_the_cli_writes_it(expected)


def test_geocode_table_marks_ambiguous_answers():
    text = plain(on_terminal("geocode", "Frikeh"))
    rows = [line.split() for line in text.splitlines() if re.match(r"\s*\d+\s+Frikeh", line)]
    assert len(rows) == 2 and all(r[-1] == "?" for r in rows)
    assert "ambiguous" in text


def test_geocode_not_found_in_words_with_the_closest_names(gazetteer):
    # Gazetteer v2 knows "Kafr Nboûdé" (Kafr Nabutha), which "Kafr Nobodyy" now reaches at 0.73
    below = gazetteer.geocode("Kafr Zzzobody", min_confidence=0.0, limit=3)
    assert below and below[0].confidence < 0.5  # the case this test is about
    text = plain(on_terminal("geocode", "Kafr", "Zzzobody", "--min-confidence", "0.5"))
    assert "not found" in text and "confidence of 0.5 or more" in text
    listed = text.split("Closest names below that threshold:")[1]
    assert [m.place.id for m in below] == re.findall(rf"\b({PLACE_ID})\b", listed)
    assert f"{below[0].confidence:.2f}" in listed

    assert "No name comes close." in plain(on_terminal("geocode", "xyzzy", "qwerty"))


# -- parse -------------------------------------------------------------------------------------
def test_parse_highlights_the_text_on_a_terminal_and_is_todays_geojson_when_piped(gazetteer):
    text = SEED.read_text(encoding="utf-8")
    mentions = gazetteer.parse(text)
    screen = on_terminal("parse", str(SEED))
    shown = plain(screen)
    # the text in logical order (wrapped to the terminal), each mention followed by its place id
    assert "تصدت لهجوم على بلدة خان طومان [C1015] رغم الغارات" in " ".join(shown.split())
    assert shown.startswith("هروب جماعي لقوات النظام بحلب [C1007] والمعارضة تتقدم\n")
    # the mention itself is styled (bold, underlined, green for a sure one), its id follows
    styled = re.search(r"\x1b\[([0-9;]*)mخان طومان", screen).group(1).split(";")
    assert {"1", "4", "32"} <= set(styled)
    # one table row per place, then the focus
    ids = list(dict.fromkeys(m.place.id for m in mentions))
    table = shown.split("as written")[1]
    assert re.findall(rf"(?m)^\S.*?\s({PLACE_ID})\s", table) == ids
    assert "Focus: Aleppo · حلب" in shown
    assert fits(screen)

    expected = feature_collection(mentions, focus=document_focus(mentions))
    assert piped("parse", str(SEED)) == as_the_cli_writes_it(expected)
    assert piped("parse", "-", stdin=text.encode()) == as_the_cli_writes_it(expected)


def test_parse_colours_off_with_no_color_and_when_not_a_terminal():
    coloured = on_terminal("parse", "-", stdin="اشتباكات في خان طومان".encode())
    no_color = on_terminal("parse", "-", stdin="اشتباكات في خان طومان".encode(), NO_COLOR="1")
    assert colour_codes(coloured) and not colour_codes(no_color)
    assert "اشتباكات في خان طومان [C1015]" in plain(no_color)  # still marked, by its id

    table = piped("parse", "-", "--format", "table", stdin="اشتباكات في خان طومان".encode())
    assert b"\x1b" not in table
    assert "اشتباكات في خان طومان [C1015]" in table.decode()


def test_parse_text_cannot_drive_the_terminal():
    hostile = "\x1b[2J\x1b]0;owned\x07اشتباكات في \u202eخان طومان"
    screen = on_terminal("parse", "-", stdin=hostile.encode())
    assert "\x1b[2J" not in screen and "\x1b]0" not in screen and "\u202e" not in screen
    assert "[C1015]" in plain(screen)


# -- reverse -----------------------------------------------------------------------------------
def test_reverse_is_a_short_block_on_a_terminal_and_todays_geojson_when_piped(gazetteer):
    result = gazetteer.reverse(36.2, 37.1)
    text = plain(on_terminal("reverse", "36.2", "37.1"))
    lines = {line.split("  ")[0]: line for line in text.splitlines()}
    assert "Aleppo · حلب" in lines["governorate"] and "SY02" in lines["governorate"]
    assert "Jebel Saman · جبل سمعان" in lines["district"]
    assert "مركز جبل سمعان" in lines["sub-district"]
    assert result.neighbourhood.name_en in lines["neighbourhood"]
    nearest = text.split("nearest places")[1]
    for place, km in result.nearest:
        assert re.search(rf"{km:.1f} km\s+{re.escape(place.name_en)} · .*{place.id}", nearest)

    assert piped("reverse", "36.2", "37.1") == as_the_cli_writes_it(result.to_geojson())
    outside = plain(on_terminal("reverse", "40", "40"))
    assert "outside Syria" in outside and "governorate" not in outside


# -- the machine formats, in process -----------------------------------------------------------
def run(capsys, monkeypatch, argv, stdin=None):
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    assert code == 0, err
    return out


def test_jsonl_format_is_one_collection_per_line(capsys, monkeypatch):
    one_line = run(capsys, monkeypatch, ["geocode", "Frikeh", "--format", "jsonl"])
    assert one_line == run(capsys, monkeypatch, ["geocode", "Frikeh", "--compact"])
    assert one_line.count("\n") == 1 and json.loads(one_line)["query"] == "Frikeh"


def test_geocode_csv(capsys, monkeypatch, gazetteer):
    rows = list(csv.DictReader(io.StringIO(run(capsys, monkeypatch,
                                               ["geocode", "Frikeh", "--format", "csv"]))))
    matches = gazetteer.geocode("Frikeh")
    assert [r["id"] for r in rows] == [m.place.id for m in matches]
    assert [r["rank"] for r in rows] == ["1", "2"]
    first = rows[0]
    assert first["admin1_name_en"] == matches[0].place.admin1.name_en
    assert float(first["lat"]) == matches[0].place.lat and first["ambiguous"] == "true"
    assert first["rivals"] == "|".join(p.id for p in matches[0].rivals) != ""


def test_csv_of_a_jsonl_batch_keeps_every_input_line(capsys, monkeypatch):
    lines = '{"id": "a", "q": "Frikeh"}\nnot json\n{"id": "z", "q": "xyzzy qwerty"}\n'
    out = run(capsys, monkeypatch, ["geocode", "--jsonl", "--format", "csv"], lines)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["input_id"] for r in rows] == ["a", "a", "2", "z"]
    assert rows[2]["error"] and rows[2]["id"] == "" and rows[3]["id"] == ""


def test_a_bug_on_one_line_of_a_batch_is_an_error_row_and_the_lines_after_it_are_answered(
        capsys, monkeypatch):
    from gazetteer.gazetteer import Gazetteer

    real = Gazetteer.geocode

    def buggy(self, query, **options):
        if query == "boom":
            raise RuntimeError("a bug")
        return real(self, query, **options)

    monkeypatch.setattr(Gazetteer, "geocode", buggy)
    lines = '{"id": "a", "q": "boom"}\n{"id": "b", "q": "Khan Tuman"}\n'
    rows = list(csv.DictReader(io.StringIO(
        run(capsys, monkeypatch, ["geocode", "--jsonl", "--format", "csv"], lines))))
    assert [r["input_id"] for r in rows] == ["a", "b"]
    assert rows[0]["error"] == "line 1: internal error: RuntimeError: a bug"
    assert rows[1]["id"] == "C1015" and rows[1]["error"] == ""


def test_a_bug_drawing_one_answer_of_a_batch_is_an_error_line_not_a_traceback(capsys, monkeypatch):
    from gazetteer import terminal

    real = terminal.parse_view

    def buggy(fc, text):
        if fc.get("id") == "t1" and fc["features"]:  # the error line itself draws
            raise RuntimeError("cannot draw")
        return real(fc, text)

    monkeypatch.setattr(terminal, "parse_view", buggy)
    lines = '{"id": "t1", "text": "قصف على بلدة داريا"}\n{"id": "t2", "text": "قصف على بلدة داريا"}\n'
    out = run(capsys, monkeypatch, ["parse", "--jsonl", "--format", "table"], lines)
    assert "t1: line 1: internal error: RuntimeError: cannot draw" in " ".join(out.split())
    assert "(id t2)" in out and "داريا [C2498]" in out


def test_reverse_and_parse_csv(capsys, monkeypatch, gazetteer):
    rows = list(csv.DictReader(io.StringIO(run(capsys, monkeypatch,
                                               ["reverse", "36.2", "37.1", "--format", "csv"]))))
    assert rows[0]["role"] == "query" and rows[0]["admin1_pcode"] == "SY02"
    assert [r["id"] for r in rows[1:]] == [p.id for p, _ in gazetteer.reverse(36.2, 37.1).nearest]
    out = run(capsys, monkeypatch, ["parse", "-", "--format", "csv"], "قصف على بلدة داريا")
    (row,) = csv.DictReader(io.StringIO(out))
    assert row["id"] == "C2498" and row["surface"] == "داريا" and row["start"] == "13"


def test_table_of_a_jsonl_batch_shows_each_answer(capsys, monkeypatch):
    lines = '{"id": "t1", "text": "قصف على بلدة داريا"}\n{"id": "t2", "text": 5}\n'
    out = run(capsys, monkeypatch, ["parse", "--jsonl", "--format", "table"], lines)
    assert "(id t1)" in out and "داريا [C2498]" in out
    assert "t2: line 2:" in out
