"""Whatever the CSV, every input row comes out once, in order, with its cells untouched."""
from __future__ import annotations

import csv
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gazetteer.batch import NAME_COLUMNS, STATUSES, geocode_csv, shared_gazetteer

GZ = shared_gazetteer()
WIDTH = len(NAME_COLUMNS)
STATUS = NAME_COLUMNS.index("match_status")

# Any text but lone surrogates (not encodable) and U+FEFF (a leading one reads as a BOM).
_chars = st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufeff")
cells = st.one_of(
    st.text(_chars, max_size=12),
    st.sampled_from(["", " ", "حلب", "Homs", "خان شيخون", "Khan Shaykhun, Idlib", '"quoted"',
                     "a,b;c\td", "line\nbreak", "cr\rlf\r\n", "\x00", "Tedef (Aleppo)"]),
    st.text(_chars, min_size=490, max_size=700),  # around the 500-character query limit
)


@st.composite
def tables(draw, alphabet_cells=cells):
    n_other = draw(st.integers(0, 3))
    others = [f"c{i}" + draw(st.text(_chars, max_size=5)) for i in range(n_other)]
    pos = draw(st.integers(0, n_other))
    header = others[:pos] + ["name"] + others[pos:]
    rows = draw(st.lists(st.lists(alphabet_cells, min_size=len(header), max_size=len(header)),
                         max_size=12))
    return header, rows


def write_csv(header, rows, delimiter=",", quoting=csv.QUOTE_MINIMAL):
    buf = io.StringIO(newline="")
    w = csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def check(header, rows, out_text, delimiter=","):
    out = list(csv.reader(io.StringIO(out_text, newline=""), delimiter=delimiter))
    assert out[0] == header + list(NAME_COLUMNS)
    assert len(out) == len(rows) + 1
    name = header.index("name")
    for given_row, got in zip(rows, out[1:]):
        assert len(got) == len(header) + WIDTH
        assert got[:len(header)] == given_row
        status = got[len(header) + STATUS]
        assert status in STATUSES
        if not given_row[name].strip():
            assert status == "invalid"


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]), st.sampled_from([",", ";", "\t"]))
def test_rows_out_equal_rows_in(table, encoding, delimiter):
    header, rows = table
    data = write_csv(header, rows, delimiter).encode(encoding)
    out = io.StringIO(newline="")
    summary = geocode_csv(data, out, gazetteer=GZ, column="name", delimiter=delimiter)
    assert summary.rows_in == summary.rows_out == len(rows)
    assert summary.matched + summary.ambiguous + summary.not_found + summary.invalid == len(rows)
    check(header, rows, out.getvalue(), delimiter)


_cp1256_cells = st.one_of(
    st.text(st.sampled_from("abc ,;\"\n\r\tحلبخانشيوإدمص،؟"), max_size=15),
    st.sampled_from(["", "حمص", "Homs", "خان شيخون"]),
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(_cp1256_cells), st.sampled_from([",", ";", "\t"]))
def test_windows_1256_and_sniffed_delimiters(table, delimiter):
    header, rows = table
    header = ["الاسم" if h == "name" else f"c{i}" for i, h in enumerate(header)]
    text = write_csv(header, rows, delimiter, quoting=csv.QUOTE_ALL)
    out = io.StringIO(newline="")
    summary = geocode_csv(text.encode("cp1256"), out, gazetteer=GZ, column="الاسم")
    assert summary.encoding == "cp1256"
    assert summary.rows_in == summary.rows_out == len(rows)
    got = list(csv.reader(io.StringIO(out.getvalue(), newline=""), delimiter=summary.delimiter))
    assert [r[:len(header)] for r in got[1:]] == rows


class _Mention:
    def __init__(self, start, end, surface, place, confidence):
        self.start, self.end, self.surface, self.place, self.confidence = start, end, surface, place, confidence


class _WordParser:
    """The real gazetteer plus a stand-in geoparser: each "Homs" or "حلب" in the text is a mention."""

    def __init__(self, gz):
        self._gz, self.places = gz, gz.places
        self._homs = gz.geocode("Homs")[0].place
        self._aleppo = gz.geocode("حلب")[0].place

    def __getattr__(self, name):
        return getattr(self._gz, name)

    def parse(self, text):
        out = []
        for surface, place in (("Homs", self._homs), ("حلب", self._aleppo)):
            start = text.find(surface)
            while start >= 0:
                out.append(_Mention(start, start + len(surface), surface, place, 0.9))
                start = text.find(surface, start + 1)
        return sorted(out, key=lambda m: m.start)


PARSER = _WordParser(GZ)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables(), st.booleans())
def test_text_modes_keep_every_row_in_order(table, per_mention):
    header, rows = table
    header = ["row_id"] + header
    rows = [[str(i)] + r for i, r in enumerate(rows)]
    out = io.StringIO(newline="")
    summary = geocode_csv(write_csv(header, rows).encode(), out, gazetteer=PARSER, delimiter=",",
                          text_column="name", one_row_per_mention=per_mention)
    got = list(csv.reader(io.StringIO(out.getvalue(), newline="")))[1:]
    assert summary.rows_in == len(rows) and summary.rows_out == len(got)
    ids = [r[0] for r in got]
    assert list(dict.fromkeys(ids)) == [r[0] for r in rows]  # each input row, in order
    text_at = header.index("name")
    expected_mentions = sum(len(PARSER.parse(r[text_at])) for r in rows if r[text_at].strip())
    assert summary.mentions == expected_mentions
    if per_mention:
        assert len(got) == len(rows) + sum(max(0, len(PARSER.parse(r[text_at])) - 1)
                                           for r in rows if r[text_at].strip())
    else:
        assert len(got) == len(rows)
    for r in got:
        assert r[:len(header)] == rows[int(r[0])]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from('ab,"\r\nحé'), max_size=60), st.integers(1, 9),
       st.sampled_from(["utf-8", "utf-16"]))
def test_lines_are_split_as_python_does_whatever_the_chunking(text, chunk, encoding):
    from gazetteer import csvio

    reader = csvio._CountingReader(b"", io.BytesIO(text.encode(encoding)))
    decoder = csvio.codecs.getincrementaldecoder(encoding)("strict")
    old = csvio.CHUNK_BYTES
    csvio.CHUNK_BYTES = chunk
    try:
        lines = list(csvio._decoded_lines(reader, decoder, csvio._DecodeState()))
    finally:
        csvio.CHUNK_BYTES = old
    assert lines == io.StringIO(text, newline="").readlines()
