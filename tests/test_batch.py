"""Batch geocoding of spreadsheets: reading (encodings, delimiters, xlsx), columns, statuses, CLI."""
from __future__ import annotations

import codecs
import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gazetteer import InputFormatError, QueryError
from gazetteer.csvio import InputLimits
from gazetteer.exceptions import InputTooLarge
from gazetteer.batch import (
    MENTION_COLUMNS, NAME_COLUMNS, STATUSES, TEXT_COLUMNS, BatchOptions, Resolver, geocode_csv,
    shared_gazetteer,
)
from gazetteer.cli import main
from gazetteer.csvio import detect_encoding, find_column, open_table, sniff_delimiter

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def gz():
    return shared_gazetteer()


def run(data, gz, **kw):
    out = io.StringIO(newline="")
    summary = geocode_csv(data, out, gazetteer=gz, **kw)
    rows = list(csv.reader(io.StringIO(out.getvalue(), newline=""),
                           delimiter=kw.get("output_delimiter") or summary.delimiter or ","))
    return rows, summary


def col(rows, name):
    i = rows[0].index(name)
    return [r[i] for r in rows[1:]]


# -- reading -------------------------------------------------------------------------------

ARABIC_TSV = "الاسم\tالمحافظة\nحلب\tحلب\nإدلب\tإدلب\n"


@pytest.mark.parametrize("encoding, detected", [
    ("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-16-le", "utf-16-le"),
    ("utf-16-be", "utf-16-be"), ("cp1256", "cp1256"),
])
def test_encodings_are_detected(encoding, detected):
    with open_table(ARABIC_TSV.encode(encoding)) as t:
        assert (t.encoding, t.delimiter) == (detected, "\t")
        assert t.header == ["الاسم", "المحافظة"]
        assert list(t.rows) == [["حلب", "حلب"], ["إدلب", "إدلب"]]


def test_ascii_head_then_windows_1256_switches_encoding():
    data = b"name,n\n" + b"Aleppo,1\n" * 20000 + "حماة,2\n".encode("cp1256")
    with open_table(data) as t:
        rows = list(t.rows)
        assert rows[-1] == ["حماة", "2"] and len(rows) == 20001
        assert t.effective_encoding() == "cp1256" and t.decode_errors == 0


def test_a_stray_bad_byte_late_in_utf8_is_replaced_and_counted():
    data = "name\nحلب\n".encode() + b"x\n" * 40000 + b"bad\xff\n"
    with open_table(data) as t:
        rows = list(t.rows)
        assert rows[-1] == ["bad\ufffd"] and t.decode_errors == 1 and len(rows) == 40002


def test_unknown_encoding_says_what_was_tried():
    with pytest.raises(InputFormatError, match="UTF-8.*Windows-1256.*--encoding"):
        open_table("name\ncafé\n".encode("latin-1"))
    with open_table("name\ncafé\n".encode("latin-1"), encoding="latin-1") as t:
        assert list(t.rows) == [["café"]]
    with pytest.raises(InputFormatError, match="unknown encoding"):
        open_table(b"a\n", encoding="no-such-codec")


def test_detect_encoding_names_what_it_saw():
    assert detect_encoding(b"name\nHoms\n", at_eof=True) == "ascii"  # UTF-8 until proven cp1256
    assert detect_encoding("حلب".encode("utf-8")[:-1], at_eof=False) == "utf-8"  # a cut character
    assert detect_encoding("حلب".encode("utf-16-le"), at_eof=True) == "utf-16-le"


def test_explicit_utf8_tolerates_a_bom():
    with open_table(codecs.BOM_UTF8 + b"name\nx\n", encoding="utf-8") as t:
        assert t.header == ["name"]


@pytest.mark.parametrize("text, delim", [
    ("a,b,c\n1,2,3\n", ","), ("a;b\n1,5;2\n", ";"), ("id\tname\treport\n1\tX\tsome, text; here\n", "\t"),
    ("a|b\n1|2\n", "|"), ("name\nAleppo, Syria\n", ","), ('"a;x",b\n"1;2",3\n', ","),
])
def test_delimiter_sniffing(text, delim):
    assert sniff_delimiter(text, complete=True) == delim


def test_empty_input_and_missing_column_are_clear_errors(gz):
    with pytest.raises(InputFormatError, match="empty"):
        open_table(b"")
    with pytest.raises(InputFormatError, match=r"column 'nom' not found; the columns are: 'id', 'name'"):
        run("id,name\n1,Aleppo\n", gz, column="nom")
    assert find_column(["ID", " Name "], "name") == 1  # case and spaces forgiven when unique
    with pytest.raises(InputFormatError, match="--column"):
        run("id,name\n1,Aleppo\n", gz)  # two columns: say which


def test_xlsx_input(tmp_path, gz):
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["n", "name", None])
    ws.append([1, "خان شيخون"])
    ws.append([2.0, None])
    ws.append([3, "Khan Shaykhun", None, None])
    path = tmp_path / "in.xlsx"
    wb.save(path)
    rows, summary = run(path, gz, column="name")
    assert summary.format == "xlsx" and summary.rows_in == 3
    assert rows[0][:2] == ["n", "name"] and col(rows, "n") == ["1", "2", "3"]
    assert col(rows, "match_status") == ["matched", "invalid", "matched"]
    assert col(rows, "place_id")[0] == col(rows, "place_id")[2]
    rows2, _ = run(path.read_bytes(), gz, column="name")  # bytes (an upload) work the same
    assert rows2 == rows


# -- geocoding -----------------------------------------------------------------------------

def expected_status(gz, name):
    """What the Python API says of a name, in batch terms."""
    try:
        matches = gz.geocode(name)
    except QueryError:
        return "invalid"
    if not matches:
        return "not_found"
    return "ambiguous" if matches[0].ambiguous else "matched"


def test_columns_statuses_and_order(gz):
    names = ["خان شيخون", "حلب", "", "qxqxqxqzzkzk", "x" * 600, "Khan Shaykhun", None]
    data = ("id;name\n1;خان شيخون\n2;حلب\n3;\n4;qxqxqxqzzkzk\n5;" + "x" * 600 + "\n"
            "6;Khan Shaykhun;extra\n7\n")
    rows, summary = run(data.encode("utf-8-sig"), gz, column="name")
    header = rows[0]
    assert header == ["id", "name", *NAME_COLUMNS]
    assert col(rows, "id") == ["1", "2", "3", "4", "5", "6", "7"]
    status = col(rows, "match_status")
    assert status == [expected_status(gz, n or "") for n in names]
    assert status[2] == status[4] == status[6] == "invalid" and status[0] == "matched"
    first = dict(zip(header, rows[1]))
    assert first["place_name_ar"] == "خان شيخون" and first["admin1_pcode"] == "SY07"
    assert first["admin1_name_en"] and first["admin2_pcode"].startswith("SY07")
    assert 35 < float(first["lat"]) < 36 and 36 < float(first["lon"]) < 37
    assert float(first["confidence"]) >= 0.8
    assert col(rows, "place_id")[1] == gz.geocode("حلب")[0].place.id
    assert "empty" in col(rows, "match_note")[2] and "500" in col(rows, "match_note")[4]
    assert "extra" in col(rows, "match_note")[5]  # a cell beyond the header is kept in the note
    counts = {s: status.count(s) for s in STATUSES}
    assert (summary.rows_in, summary.rows_out, summary.matched, summary.ambiguous, summary.not_found,
            summary.invalid, summary.ragged_rows) == (7, 7, counts["matched"], counts["ambiguous"],
                                                      counts["not_found"], 3, 2)
    assert summary.delimiter == ";" and summary.encoding == "utf-8-sig"
    assert "7 rows" in str(summary) and summary.as_dict()["invalid"] == 3


class _AllAmbiguous:
    """The real gazetteer, but every answer is flagged ambiguous (as a bare common name is)."""

    def __init__(self, gz):
        self._gz, self.places = gz, gz.places

    def __getattr__(self, name):
        return getattr(self._gz, name)

    def geocode(self, query, **kw):
        import dataclasses

        return [dataclasses.replace(m, ambiguous=True) for m in self._gz.geocode(query, **kw)]


def test_ambiguous_rows_keep_the_best_answer_and_list_distant_rivals(gz):
    rows, summary = run("name\nHoms\n", _AllAmbiguous(gz), column="name")
    best, *others = gz.geocode("Homs", limit=5)
    assert col(rows, "match_status") == ["ambiguous"] and summary.ambiguous == 1
    assert col(rows, "place_id") == [best.place.id]
    listed = [a.split(" ")[0] for a in col(rows, "alternatives")[0].split(" | ") if a]
    assert set(listed) <= {m.place.id for m in others}


def test_context_columns_qualify_the_name(gz):
    data = "name,gov\nTedef,Aleppo\nTedef,\n,Aleppo\n"
    rows, _ = run(data, gz, column="name", context_columns=["gov"])
    expected = gz.geocode("Tedef, Aleppo", limit=1)[0].place.id
    assert col(rows, "place_id")[0] == expected
    assert col(rows, "match_status")[2] == "invalid"  # the context alone is not a name


def test_options_are_checked_before_any_output(gz):
    out = io.StringIO()
    with pytest.raises(QueryError, match="governorate"):
        geocode_csv("name\nx\n", out, gazetteer=gz, column="name", admin1="Atlantis")
    with pytest.raises(QueryError, match="type"):
        geocode_csv("name\nx\n", out, gazetteer=gz, column="name", types=["spaceport"])
    assert out.getvalue() == ""
    with pytest.raises(InputFormatError, match="--prefix"):
        geocode_csv("name,lat\nx,\n", out, gazetteer=gz, column="name")
    rows, _ = run("name,lat\nحلب,\n", gz, column="name", prefix="geo_")
    assert rows[0][:3] == ["name", "lat", "geo_lat"]


def test_admin1_and_types_restrict(gz):
    rows, _ = run("name\nحلب\n", gz, column="name", admin1="SY02", types=["governorate"])
    assert col(rows, "place_id") == ["SY02"]


def test_output_delimiter_and_binary_output(gz):
    out = io.BytesIO()
    geocode_csv(b"name;x\nHoms;1\n", out, gazetteer=gz, column="name", output_delimiter=",")
    text = out.getvalue().decode("utf-8")
    assert text.startswith("name,x,lat,lon,") and text.endswith("\r\n")


def test_cache_keys_fold_case_and_spaces(gz):
    resolver = Resolver(gz, BatchOptions())
    a = resolver.resolve("Khan  Shaykhun ")
    assert resolver.resolve("khan shaykhun") is a
    assert resolver.cache_info().hits == 1


def test_workers_give_the_same_output(gz):
    names = ["حلب", "Homs", "", "Tedef, Aleppo", "xqxqxq", "Khan Shaykhun", "دوما"] * 9
    data = "i,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(names))
    serial, s1 = run(data, gz, column="name")
    parallel, s2 = run(data, gz, column="name", workers=2, chunk_size=5)
    assert parallel == serial
    assert (s2.rows_in, s2.matched, s2.invalid) == (s1.rows_in, s1.matched, s1.invalid)


@pytest.fixture
def sent_to_workers(monkeypatch):
    """The queries the parent sends to the worker processes, chunk by chunk."""
    import gazetteer.batch as batch_mod

    class Sent(list):
        pool: type

    sent = Sent()

    class SpyPool(batch_mod.ProcessPoolExecutor):
        started = 0

        def __init__(self, *args, **kwargs):
            SpyPool.started += 1
            super().__init__(*args, **kwargs)

        def submit(self, fn, *args, **kwargs):
            sent.append(list(args[0]))
            return super().submit(fn, *args, **kwargs)

    monkeypatch.setattr(batch_mod, "ProcessPoolExecutor", SpyPool)
    sent.pool = SpyPool  # type: ignore[attr-defined]
    return sent


@pytest.mark.parametrize("cache_size", [65536, 3])
def test_workers_get_only_cache_misses_and_write_what_one_process_writes(gz, sent_to_workers,
                                                                       cache_size):
    """The parent keeps the cache: it answers the first chunk_size misses itself, then each
    distinct name goes out once (not once per chunk that has it), repeated and empty cells
    never; a second run of the same file sends nothing.  With a tiny cache (evictions while
    chunks are in flight) the output is still the serial one."""
    from gazetteer.batch import clear_caches

    names = (["حلب", "Homs", "", "homs ", "Tedef", "xqxqxq", "Khan Shaykhun", "دوما", "Aleppo"]
             * 40 + ["x" * 600] * 2 + [f"Tell {i}" for i in range(40)])
    data = "i,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(names))
    clear_caches()
    serial, s1 = run(data, gz, column="name", cache_size=cache_size)
    clear_caches()
    parallel, s2 = run(data, gz, column="name", workers=2, chunk_size=4, cache_size=cache_size)
    assert parallel == serial
    timing = {"seconds": 0, "rows_per_second": 0}
    assert s2.as_dict() | timing == s1.as_dict() | timing
    queries = [q for chunk in sent_to_workers for q in chunk]
    assert "" not in queries and all(len(chunk) <= 4 for chunk in sent_to_workers)
    if cache_size > len(names):
        # the workers went when the cache had answered 4 x chunk_size rows in a row, and came
        # back for the new names at the end
        assert sent_to_workers.pool.started >= 2
        distinct = list(dict.fromkeys(" ".join(n.split()).lower() for n in names if n.strip()))
        # the first chunk_size (4) misses are answered in the parent, without forking
        assert distinct[:4] == ["حلب", "homs", "tedef", "xqxqxq"]
        assert sorted(queries) == sorted([q for q in distinct[4:] if q != "x" * 600]
                                         + ["x" * 600] * 2)
        sent_to_workers.clear()
        again, _ = run(data, gz, column="name", workers=2, chunk_size=4, cache_size=cache_size)
        assert again == serial
        assert [q for q in sum(sent_to_workers, []) if q != "x" * 600] == []  # all cached
        started = sent_to_workers.pool.started
        names_only = "i,name\n" + "".join(f"{i},{n}\n" for i, n in enumerate(names)
                                            if n != "x" * 600)
        run(names_only, gz, column="name", workers=2, chunk_size=4, cache_size=cache_size)
        assert sent_to_workers.pool.started == started  # every answer cached: no fork at all


class _Tracked(io.RawIOBase):
    """A 3 MB input that remembers how much of itself was read."""

    def __init__(self, data: bytes):
        self.data, self.pos = data, 0

    def readable(self):
        return True

    def readinto(self, b):
        n = min(len(b), len(self.data) - self.pos)
        b[:n] = self.data[self.pos:self.pos + n]
        self.pos += n
        return n


class _Sink:
    def __init__(self, source):
        self.source, self.read_at_first_row, self.lines = source, None, 0

    def write(self, s):
        self.lines += s.count("\r\n")
        if self.lines >= 2 and self.read_at_first_row is None:
            self.read_at_first_row = self.source.pos
        return len(s)

    def flush(self):
        pass


def test_input_is_streamed_not_slurped(gz):
    source = _Tracked(b"name\n" + b"Homs\n" * 150_000)
    sink = _Sink(source)
    summary = geocode_csv(source, sink, gazetteer=gz, column="name")
    assert summary.rows_in == summary.rows_out == 150_000
    assert sink.read_at_first_row < 250_000  # the first row went out long before the end came in


def test_progress_goes_to_the_given_stream(gz):
    bar = io.StringIO()
    geocode_csv(b"name\nHoms\n", io.StringIO(), gazetteer=gz, column="name", progress=bar)
    assert "rows/s" in bar.getvalue() and "100.0%" in bar.getvalue()


# -- text columns (with a stand-in geoparser when the real one is not there yet) -----------

class _Mention:
    def __init__(self, start, end, surface, place, confidence):
        self.start, self.end, self.surface, self.place, self.confidence = start, end, surface, place, confidence


class _WithParse:
    """The real gazetteer plus a toy ``parse`` that finds two fixed names."""

    def __init__(self, gz):
        self._gz = gz
        self.places = gz.places

    def __getattr__(self, name):
        return getattr(self._gz, name)

    def parse(self, text):
        if len(text) > 10_000:
            raise QueryError("text too long")
        out = []
        for surface in ("خان شيخون", "Homs"):
            i = text.find(surface)
            if i >= 0:
                out.append(_Mention(i, i + len(surface), surface, self._gz.geocode(surface)[0].place, 0.9))
        return sorted(out, key=lambda m: m.start)


def test_text_column_one_row_per_input_row(gz):
    data = 'id,report\n1,"Shelling on Homs\nand خان شيخون"\n2,nothing here\n3,\n'
    rows, summary = run(data, _WithParse(gz), text_column="report")
    assert rows[0] == ["id", "report", *TEXT_COLUMNS]
    assert col(rows, "match_status") == ["matched", "not_found", "invalid"]
    assert col(rows, "mention_count") == ["2", "0", ""]
    assert col(rows, "mention_surfaces")[0] == "Homs | خان شيخون"
    mentions = json.loads(col(rows, "mentions_json")[0])
    assert [m["surface"] for m in mentions] == ["Homs", "خان شيخون"]
    assert mentions[0]["start"] == 12 and mentions[0]["place_id"] == col(rows, "place_id")[0]
    assert summary.mentions == 2 and summary.rows_out == 3


def test_text_column_one_row_per_mention(gz):
    data = 'id,report\n1,"Homs and خان شيخون"\n2,nothing here\n'
    rows, summary = run(data, _WithParse(gz), text_column="report", one_row_per_mention=True)
    assert rows[0] == ["id", "report", *MENTION_COLUMNS]
    assert col(rows, "id") == ["1", "1", "2"]
    assert col(rows, "mention_index") == ["1", "2", ""]
    assert col(rows, "mention_surface") == ["Homs", "خان شيخون", ""]
    assert (summary.rows_in, summary.rows_out, summary.mentions) == (2, 3, 2)
    parallel, _ = run(data, _WithParse(gz), text_column="report", one_row_per_mention=True,
                      workers=2, chunk_size=1)
    assert parallel == rows


def test_text_column_without_a_geoparser_is_a_clear_error(gz):
    class NoParse:  # a gazetteer from before the geoparser
        places = gz.places

        def admin1_pcode(self, value):
            return gz.admin1_pcode(value)

    with pytest.raises(InputFormatError, match="geoparser"):
        run("t\nHoms\n", NoParse(), text_column="t")


@pytest.mark.skipif(not hasattr(shared_gazetteer(), "parse"), reason="gz.parse not written yet")
def test_text_column_with_the_real_geoparser(gz):
    data = "id,text\n1,قصف على خان شيخون في ريف إدلب\n2,\n"
    rows, summary = run(data, gz, text_column="text")
    assert col(rows, "match_status")[1] == "invalid" and summary.rows_out == 2
    assert "C3987" in col(rows, "mention_place_ids")[0].split(" | ")


# -- the command ---------------------------------------------------------------------------

def test_cli_file_to_file(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_bytes("id,الاسم\n1,حمص\n2,\n".encode("cp1256"))
    dst = tmp_path / "out.csv"
    assert main(["batch", str(src), "-o", str(dst), "--column", "الاسم", "--output-encoding", "utf-8-sig",
                 "--summary-json", str(tmp_path / "s.json")]) == 0
    text = dst.read_text(encoding="utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert [r[0] for r in rows] == ["id", "1", "2"] and rows[1][1] == "حمص"
    err = capsys.readouterr().err
    assert "2 rows" in err and "1 invalid" in err
    assert json.loads((tmp_path / "s.json").read_text())["rows_in"] == 2
    assert oct(dst.stat().st_mode & 0o777) != oct(0o600)
    assert not list(tmp_path.glob("*.part"))


def test_cli_errors(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("id,name\n1,x\n")
    assert main(["batch", str(src), "-o", str(tmp_path / "o.csv"), "--column", "nom"]) == 2
    assert "'id', 'name'" in capsys.readouterr().err
    assert not (tmp_path / "o.csv").exists()
    assert main(["batch", str(tmp_path / "missing.csv"), "--column", "x"]) == 2
    assert main(["batch", str(src), "-o", str(src), "--column", "name"]) == 2


def test_cli_pipes_stdin_to_stdout_quietly():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    data = "name\tgov\nحلب\tحلب\nHoms\t\n".encode("utf-16")
    proc = subprocess.run([sys.executable, "-m", "gazetteer", "batch", "-", "--column", "name",
                           "--workers", "2"], input=data, capture_output=True, env=env, timeout=60)
    assert proc.returncode == 0, proc.stderr.decode()
    rows = list(csv.reader(io.StringIO(proc.stdout.decode("utf-8"), newline=""), delimiter="\t"))
    assert len(rows) == 3 and rows[1][0] == "حلب"
    assert set(col(rows, "match_status")) <= set(STATUSES)
    err = proc.stderr.decode()
    assert "\r" not in err and "2 rows" in err  # no progress bar when not on a terminal


def test_a_cell_larger_than_the_csv_default_limit_is_kept(gz):
    huge = "حلب " * 80_000  # 320,000 characters, past csv's default 131,072
    data = f'id,name,note\n1,"{huge}",x\n2,Homs,y\n'
    rows, summary = run(data.encode(), gz, column="name")
    assert col(rows, "name")[0] == huge and col(rows, "note") == ["x", "y"]
    assert col(rows, "match_status")[0] == "invalid" and summary.rows_out == 2


# -- hardening: where the result goes, what it is written in, what the input holds ------------

def _names(tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("name\nحلب\nHoms\n", encoding="utf-8")
    return src


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
def test_output_to_dev_full_is_an_error_and_dev_full_stays(tmp_path, capsys):
    assert main(["batch", str(_names(tmp_path)), "-o", "/dev/full", "-q"]) == 2
    assert "cannot write /dev/full: No space left on device" in capsys.readouterr().err
    assert not Path("/dev/full").is_file() and Path("/dev/full").is_char_device()


def test_output_to_dev_null_writes_and_keeps_it_a_device(tmp_path):
    assert main(["batch", str(_names(tmp_path)), "-o", os.devnull, "-q"]) == 0
    assert Path(os.devnull).is_char_device()


def test_output_to_a_fifo_is_streamed(tmp_path):
    fifo = tmp_path / "out.fifo"
    os.mkfifo(fifo)
    got = []
    import threading

    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    try:
        assert main(["batch", str(_names(tmp_path)), "-o", str(fifo), "-q"]) == 0
    finally:
        reader.join(timeout=30)
    assert got and got[0].decode().count("\r\n") == 3  # header and two rows came through
    assert fifo.is_fifo()


def test_output_to_a_symlink_replaces_its_target(tmp_path):
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    assert main(["batch", str(_names(tmp_path)), "-o", str(link), "-q"]) == 0
    assert link.is_symlink() and target.read_text(encoding="utf-8").startswith("name,lat")


@pytest.mark.parametrize("where, says", [
    ("nonexistent/dir/o.csv", "does not exist"),
    (".", "is a directory"),
])
def test_output_paths_that_cannot_be_written_are_messages(tmp_path, capsys, where, says):
    assert main(["batch", str(_names(tmp_path)), "-o", str(tmp_path / where), "-q"]) == 2
    err = capsys.readouterr().err
    assert says in err and "Traceback" not in err
    assert not list(tmp_path.rglob("*.part"))


def test_output_encoding_that_cannot_hold_arabic_is_refused(tmp_path, capsys):
    dst = tmp_path / "o.csv"
    assert main(["batch", str(_names(tmp_path)), "-o", str(dst), "--output-encoding",
                 "latin-1", "-q"]) == 2
    assert "cannot hold Arabic" in capsys.readouterr().err and not dst.exists()


def test_characters_an_output_encoding_cannot_hold_are_counted(tmp_path, capsys):
    src = tmp_path / "in.csv"
    src.write_text("name\nحلب\nḤama ẓ\n", encoding="utf-8")
    dst = tmp_path / "o.csv"
    assert main(["batch", str(src), "-o", str(dst), "--output-encoding", "cp1256", "-q"]) == 1
    assert "2 character(s) in 1 row(s) cannot be written in cp1256" in capsys.readouterr().err
    rows = list(csv.reader(io.StringIO(dst.read_text(encoding="cp1256"), newline="")))
    assert rows[1][0] == "حلب" and rows[2][0] == "?ama ?"  # every row is still there


def test_an_unterminated_quote_is_reported_where_it_opened(gz):
    data = 'id,name\n1,Homs\n2,"Hama\n3,Idlib\n4,Daraa\n'
    with pytest.raises(InputFormatError, match="opened on line 3 runs to the end"):
        run(data, gz, column="name")
    # a quoted cell that does span lines, and a stray quote inside a cell, are fine
    rows, _ = run('id,name\n1,"Ho\nms"\n2,Ha"ma\n3,"Idlib\nX"\n', gz, column="name")
    assert col(rows, "name") == ["Ho\nms", 'Ha"ma', "Idlib\nX"]


def test_an_xlsx_that_expands_past_the_limit_is_refused_before_reading(tmp_path, gz, capsys,
                                                                      xlsx_bomb):
    bomb = xlsx_bomb(tmp_path / "bomb.xlsx", 3_000_000)
    assert bomb.stat().st_size < 30_000
    with pytest.raises(InputTooLarge, match="shared strings decompress to 3,0"):
        run(bomb.read_bytes(), gz, column="name",
            limits=InputLimits(xlsx_strings_bytes=1_000_000))
    assert main(["batch", str(bomb), "-q", "--max-xlsx-strings-bytes", "1M"]) == 2
    assert "--max-xlsx-strings-bytes" in capsys.readouterr().err
    rows, _ = run(bomb.read_bytes(), gz, column="name")  # under the default limits: read
    assert len(col(rows, "name")[0]) == 3_000_000


def test_every_ambiguous_row_names_its_alternatives(gz):
    """On main 64% of ambiguous rows had an empty alternatives cell (the rivals were below
    min_confidence); here every one names them."""
    text = (ROOT / "data" / "places.csv").read_text(encoding="utf-8")
    names = [row[k] for row in csv.DictReader(io.StringIO(text, newline=""))
             for k in ("name_ar", "name_en") if row[k]][:3000]
    data = "name\n" + "\n".join(n.replace('"', "") for n in names) + "\n"
    rows, summary = run(data, gz, column="name")
    alternatives = [a for s, a in zip(col(rows, "match_status"), col(rows, "alternatives"))
                    if s == "ambiguous"]
    assert summary.ambiguous > 100 and all(alternatives)


def test_the_resolver_cache_is_thread_safe(gz):
    """Resolvers are shared per process and HTTP uploads run in threads: many threads reading
    and filling one small cache at once lose nothing and raise nothing."""
    import threading

    from gazetteer.batch import LRUCache

    cache = LRUCache(50)
    errors: list[BaseException] = []

    def hammer(seed: int) -> None:
        try:
            for i in range(20000):
                key = str((i * seed) % 200)
                if cache.get(key) is None:
                    cache.put(key, ((key,),))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=hammer, args=(s,)) for s in (1, 3, 7, 11)]
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads often (without the lock: RuntimeError, KeyError)
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and len(cache._data) <= 50
    assert all(v == ((k,),) for k, v in cache._data.items())
    info = cache.info()
    assert info.hits + info.misses == 80000 and info.currsize <= 50
