"""Batch geocoding of spreadsheets: a name column or a free-text column, streamed.

``geocode_csv(source, out, column=...)`` reads CSV (or ``.xlsx``) from ``source`` and writes CSV to
``out``: every input row and column, in order, followed by the columns below.  It streams, so
memory stays constant whatever the size of the input; ``workers=N`` spreads the geocoding over N
processes.  The ``gazetteer batch`` command, the HTTP ``POST /v1/batch`` endpoint, the pandas and
Dask helpers all go through the ``Resolver`` here, so they agree cell for cell.

Columns added in name mode (``column=``), see ``NAME_COLUMNS``::

    lat, lon, place_id, place_name_ar, place_name_en, place_type,
    admin1_pcode, admin1_name_en, admin1_name_ar, admin2_pcode, admin2_name_en, admin2_name_ar,
    admin3_pcode, admin3_name_en, admin3_name_ar,
    confidence, match_status, alternatives, match_note

``match_status`` is ``matched`` (the best match is at or above the confidence threshold and not
ambiguous), ``ambiguous`` (several distant places fit the name: the best one is still filled in
and the others are listed in ``alternatives``), ``not_found`` or ``invalid`` (an empty or unusable
cell; ``match_note`` says why).  A row is never dropped: rows out = rows in.

Text mode (``text_column=``) runs the geoparser over each cell; see ``TEXT_COLUMNS`` (one row per
input row, the place columns describe the first place mentioned) and ``MENTION_COLUMNS`` (with
``one_row_per_mention=True``: one row per place mentioned, and one row with ``not_found`` or
``invalid`` for a cell with none).
"""
from __future__ import annotations

import csv
import gc
import io
import json
import multiprocessing
import os
import sys
import threading
import time
from collections import deque, namedtuple
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .csvio import InputLimits, Source, Table, find_column, open_table
from .exceptions import InputFormatError, QueryError
from .gazetteer import Gazetteer
from .match import NEAR_KM, haversine_km
from .query import MAX_QUERY_LENGTH

MATCHED, AMBIGUOUS, NOT_FOUND, INVALID = "matched", "ambiguous", "not_found", "invalid"
STATUSES = (MATCHED, AMBIGUOUS, NOT_FOUND, INVALID)

PLACE_COLUMNS = (
    "lat", "lon", "place_id", "place_name_ar", "place_name_en", "place_type",
    "admin1_pcode", "admin1_name_en", "admin1_name_ar",
    "admin2_pcode", "admin2_name_en", "admin2_name_ar",
    "admin3_pcode", "admin3_name_en", "admin3_name_ar",
)
NAME_COLUMNS = PLACE_COLUMNS + ("confidence", "match_status", "alternatives", "match_note")
TEXT_COLUMNS = PLACE_COLUMNS + (
    "confidence", "match_status", "mention_count", "mention_surfaces", "mention_place_ids",
    "mention_names_en", "mention_names_ar", "mentions_json", "match_note",
)
MENTION_COLUMNS = PLACE_COLUMNS + (
    "confidence", "match_status", "mention_index", "mention_start", "mention_end",
    "mention_surface", "match_note",
)
COLUMN_DOCS = {
    "lat": "latitude of the place (WGS84, decimal degrees)",
    "lon": "longitude of the place",
    "place_id": "gazetteer id (OCHA p-code for admin units and populated places)",
    "place_name_ar": "Arabic name", "place_name_en": "English name",
    "place_type": "governorate, district, subdistrict, city, town, village, neighbourhood, camp, ...",
    "admin1_pcode": "governorate p-code", "admin1_name_en": "", "admin1_name_ar": "",
    "admin2_pcode": "district p-code", "admin2_name_en": "", "admin2_name_ar": "",
    "admin3_pcode": "subdistrict p-code", "admin3_name_en": "", "admin3_name_ar": "",
    "confidence": "0..1, how sure the answer is (3 decimals)",
    "match_status": "matched | ambiguous | not_found | invalid",
    "alternatives": "ambiguous rows: the other candidates, 'id name (governorate)' joined by ' | '",
    "match_note": "why a row is invalid, or other remarks (extra cells beyond the header)",
    "mention_count": "places found in the text",
    "mention_surfaces": "the words of the text that name them, ' | '-separated, text order",
    "mention_place_ids": "their place ids, same order",
    "mention_names_en": "", "mention_names_ar": "",
    "mentions_json": "every mention as JSON: start, end, surface, place_id, names, type, lat, lon, "
                     "admin1_pcode, confidence",
    "mention_index": "1-based number of the mention in its text (empty when none)",
    "mention_start": "character offset where the mention starts", "mention_end": "... and ends",
    "mention_surface": "the words of the text that name the place",
}
LIST_SEPARATOR = " | "
DEFAULT_CACHE_SIZE = 65536
MAX_CACHED_TEXT = 2000  # texts longer than this are not kept in the cache

Row = tuple[str, ...]  # the cells added to one output row
Result = tuple[Row, ...]  # the added cells of each output row of one input row (≥ 1)


# -- options and the shared gazetteer ------------------------------------------------------

@dataclass(frozen=True)
class BatchOptions:
    """What to do with each cell; hashable and picklable (sent to worker processes).

    ``mode``: ``"name"`` (geocode), ``"text"`` (geoparse, one row per input row) or ``"mention"``
    (geoparse, one row per mention).  ``min_confidence``: None = the library default (0.3 for
    names; whatever ``parse`` returns for texts).  ``admin1``/``types`` restrict the answers.
    """

    mode: str = "name"
    min_confidence: float | None = None
    admin1: str | None = None
    types: tuple[str, ...] | None = None
    alternatives: int = 4
    cache_size: int = DEFAULT_CACHE_SIZE
    gazetteer_path: str | None = None

    def __post_init__(self) -> None:
        if self.mode not in ("name", "text", "mention"):
            raise ValueError(f"mode must be name, text or mention, not {self.mode!r}")
        if self.min_confidence is not None and not 0.0 <= self.min_confidence <= 1.0:
            raise QueryError("min_confidence must be between 0 and 1")

    @property
    def columns(self) -> tuple[str, ...]:
        return {"name": NAME_COLUMNS, "text": TEXT_COLUMNS, "mention": MENTION_COLUMNS}[self.mode]


_SHARED: dict[str, Gazetteer] = {}
_SHARED_LOCK = threading.Lock()


def shared_gazetteer(path: str | os.PathLike | None = None) -> Gazetteer:
    """The gazetteer at ``path`` (the bundled one by default), loaded once per process."""
    key = os.fspath(path) if path else ""
    gz = _SHARED.get(key)
    if gz is None:
        with _SHARED_LOCK:
            gz = _SHARED.get(key)
            if gz is None:
                gz = _SHARED[key] = Gazetteer.load(path)
    return gz


# -- turning answers into cells ------------------------------------------------------------

def _fmt_float(x: float) -> str:
    return repr(float(x))


def _place_cells(place: Any) -> Row:
    def admin(ref: Any) -> tuple[str, str, str]:
        return (ref.pcode, ref.name_en, ref.name_ar) if ref is not None else ("", "", "")

    return (_fmt_float(place.lat), _fmt_float(place.lon), place.id, place.name_ar, place.name_en,
            place.type, *admin(place.admin1), *admin(place.admin2), *admin(place.admin3))


_EMPTY_PLACE: Row = ("",) * len(PLACE_COLUMNS)


def _confidence(c: float) -> str:
    return f"{c:.3f}"


def _clean_note(text: str) -> str:
    return " ".join(str(text).split())[:300]


CacheInfo = namedtuple("CacheInfo", "hits misses maxsize currsize")


class LRUCache:
    """A bounded mapping that forgets the least recently used entry first.  Unlike
    ``functools.lru_cache`` it can be asked without computing (``get``) and filled from outside
    (``put``): with ``workers`` > 1 the parent keeps the cache and sends only the misses out.
    Thread-safe: a process shares its resolvers (HTTP uploads run in threads)."""

    def __init__(self, maxsize: int):
        self.maxsize = max(1, maxsize)
        self._data: dict[str, Result] = {}  # insertion order = recency order
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> Result | None:
        with self._lock:
            data = self._data
            value = data.pop(key, None)
            if value is None:
                self.misses += 1
                return None
            data[key] = value  # now the most recent
            self.hits += 1
            return value

    def put(self, key: str, value: Result) -> None:
        with self._lock:
            data = self._data
            data.pop(key, None)
            data[key] = value
            if len(data) > self.maxsize:
                del data[next(iter(data))]

    def info(self) -> CacheInfo:
        return CacheInfo(self.hits, self.misses, self.maxsize, len(self._data))


class Resolver:
    """Cell → added output cells, with an LRU cache; one per process (see ``shared_resolver``).

    ``resolve(cell)`` returns a tuple of rows (one in name and text mode, one per mention in
    mention mode), each a tuple of strings in the order of ``options.columns``.
    """

    def __init__(self, gazetteer: Gazetteer, options: BatchOptions = BatchOptions()):
        self.gz = gazetteer
        self.options = options
        self.columns = options.columns
        self.status_index = self.columns.index("match_status")
        self.errors = 0  # unexpected exceptions turned into "invalid" rows
        self._admin1 = self._check_admin1(options.admin1)
        self._types = self._check_types(options.types)
        self._places: dict[str, Row] = {}
        self._name_mode = options.mode == "name"
        if self._name_mode:
            self._cache = LRUCache(options.cache_size)
        else:
            if not hasattr(gazetteer, "parse"):
                raise InputFormatError("this version of the gazetteer has no geoparser (parse); "
                                       "text columns cannot be processed yet")
            self._cache = LRUCache(options.cache_size // 64)

    def _check_admin1(self, admin1: str | None) -> str | None:
        if admin1 is None:
            return None
        pcode = self.gz.admin1_pcode(admin1)
        if pcode is None:
            raise QueryError(f"unknown governorate {admin1!r}")
        return pcode

    def _check_types(self, types: Sequence[str] | None) -> frozenset[str] | None:
        if not types:
            return None
        wanted = frozenset(types)
        unknown = wanted - {p.type for p in self.gz.places}
        if unknown:
            raise QueryError(f"unknown place type(s): {', '.join(sorted(unknown))}")
        return wanted

    # -- public
    def resolve(self, cell: Any) -> Result:
        query, result, cacheable = self.lookup(cell)
        if result is None:
            result = self.resolve_query(query)
            if cacheable:
                self._cache.put(query, result)
        return result

    __call__ = resolve

    def lookup(self, cell: Any) -> tuple[str, Result | None, bool]:
        """What ``resolve(cell)`` needs without resolving anything: (the query, the answer when
        it is known already (an empty cell, or in the cache) else None, whether the answer may be
        cached).  Name queries are folded (case, spaces) so that "Homs " and "homs" share one."""
        if cell is None:
            return "", self._invalid("empty cell"), False
        if not isinstance(cell, str):
            cell = str(cell)
        if self._name_mode:
            key = " ".join(cell.split()).lower() if len(cell) <= 4 * MAX_QUERY_LENGTH else cell
            if not key:
                return key, self._invalid("empty cell"), False
            if len(key) > MAX_QUERY_LENGTH:
                return key, None, False  # answered "invalid" by the matcher; not worth keeping
        else:
            if not cell.strip():
                return cell, self._invalid("empty cell"), False
            if len(cell) > MAX_CACHED_TEXT:
                return cell, None, False
            key = cell
        return key, self._cache.get(key), True

    def resolve_query(self, query: str) -> Result:
        """The answer to a query from ``lookup``, computed (no cache)."""
        return self._resolve_name(query) if self._name_mode else self._resolve_text(query)

    def remember(self, query: str, result: Result) -> None:
        """Keep an answer computed elsewhere (a worker process) in this resolver's cache."""
        self._cache.put(query, result)

    def resolve_many(self, cells: Iterable[Any]) -> list[Result]:
        return [self.resolve(c) for c in cells]

    def status_of(self, result: Result) -> str:
        return result[0][self.status_index]

    def mentions_in(self, result: Result) -> int:
        """Places found, in text and mention mode (0 in name mode)."""
        if self.options.mode == "name" or result[0][self.status_index] != MATCHED:
            return 0
        if self.options.mode == "mention":
            return len(result)
        return int(result[0][self.status_index + 1])

    def cache_info(self) -> CacheInfo:
        return self._cache.info()

    # -- internals
    def _place(self, place: Any) -> Row:
        row = self._places.get(place.id)
        if row is None:
            row = self._places[place.id] = _place_cells(place)
        return row

    def _invalid(self, why: str) -> Result:
        n_tail = len(self.columns) - len(PLACE_COLUMNS)
        tail = ["" for _ in range(n_tail)]
        tail[1] = INVALID
        tail[-1] = _clean_note(why)
        return (_EMPTY_PLACE + tuple(tail),)

    def _not_found(self) -> Result:
        n_tail = len(self.columns) - len(PLACE_COLUMNS)
        tail = ["" for _ in range(n_tail)]
        tail[1] = NOT_FOUND
        if self.options.mode == "text":
            tail[2] = "0"
        return (_EMPTY_PLACE + tuple(tail),)

    def _resolve_name(self, key: str) -> Result:
        opts = self.options
        try:
            kwargs: dict[str, Any] = {"limit": 1 + max(0, opts.alternatives)}
            if opts.min_confidence is not None:
                kwargs["min_confidence"] = opts.min_confidence
            if self._admin1:
                kwargs["admin1"] = self._admin1
            if self._types:
                kwargs["types"] = self._types
            matches = self.gz.geocode(key, **kwargs)
        except QueryError as exc:
            return self._invalid(str(exc))
        except Exception as exc:  # a bug must not end a 5-million-row run: mark the row
            self.errors += 1
            return self._invalid(f"error: {type(exc).__name__}: {exc}")
        if not matches:
            return self._not_found()
        best = matches[0]
        alternatives = ""
        if best.ambiguous:
            status = AMBIGUOUS
            bp = best.place
            rivals = best.rivals or tuple(  # the rivals far away, not the same place again
                m.place for m in matches[1:]
                if haversine_km(bp.lat, bp.lon, m.place.lat, m.place.lon) > NEAR_KM)
            alternatives = LIST_SEPARATOR.join(
                f"{p.id} {p.name}" + (f" ({p.admin1.name_en})" if p.admin1 else "")
                for p in rivals[:max(0, opts.alternatives)])
        else:
            status = MATCHED
        return (self._place(best.place) + (_confidence(best.confidence), status, alternatives, ""),)

    def _mentions(self, text: str) -> list[Any]:
        mentions = list(self.gz.parse(text))  # type: ignore[attr-defined]
        opts = self.options
        if opts.min_confidence is not None:
            mentions = [m for m in mentions if m.confidence >= opts.min_confidence]
        if self._admin1:
            mentions = [m for m in mentions if m.place.admin1 and m.place.admin1.pcode == self._admin1]
        if self._types:
            mentions = [m for m in mentions if m.place.type in self._types]
        return mentions

    def _resolve_text(self, text: str) -> Result:
        try:
            mentions = self._mentions(text)
        except QueryError as exc:
            return self._invalid(str(exc))
        except Exception as exc:
            self.errors += 1
            return self._invalid(f"error: {type(exc).__name__}: {exc}")
        if not mentions:
            return self._not_found()
        if self.options.mode == "mention":
            return tuple(
                self._place(m.place) + (_confidence(m.confidence), MATCHED, str(i), str(m.start),
                                        str(m.end), m.surface, "")
                for i, m in enumerate(mentions, 1))
        first = mentions[0]
        detail = [{
            "start": m.start, "end": m.end, "surface": m.surface, "place_id": m.place.id,
            "name_en": m.place.name_en, "name_ar": m.place.name_ar, "type": m.place.type,
            "lat": m.place.lat, "lon": m.place.lon,
            "admin1_pcode": m.place.admin1.pcode if m.place.admin1 else None,
            "confidence": round(float(m.confidence), 3),
        } for m in mentions]
        return (self._place(first.place) + (
            _confidence(first.confidence), MATCHED, str(len(mentions)),
            LIST_SEPARATOR.join(_clean_note(m.surface) for m in mentions),
            LIST_SEPARATOR.join(m.place.id for m in mentions),
            LIST_SEPARATOR.join(m.place.name_en for m in mentions),
            LIST_SEPARATOR.join(m.place.name_ar for m in mentions),
            json.dumps(detail, ensure_ascii=False), ""),)


_RESOLVERS: dict[tuple[int, BatchOptions], Resolver] = {}
MAX_RESOLVERS = 16  # option sets kept, each with its cache; the oldest goes first


def shared_resolver(options: BatchOptions = BatchOptions(), gazetteer: Gazetteer | None = None) -> Resolver:
    """A resolver for these options and gazetteer, kept per process with its cache, so that
    successive calls (pandas, Dask partitions, HTTP uploads, worker tasks) reuse what was found.

    At most ``MAX_RESOLVERS`` option sets are kept.  ``clear_caches()`` forgets them all."""
    gz = gazetteer if gazetteer is not None else shared_gazetteer(options.gazetteer_path)
    key = (id(gz), options)
    resolver = _RESOLVERS.get(key)
    if resolver is None or resolver.gz is not gz:
        with _SHARED_LOCK:
            resolver = _RESOLVERS.get(key)
            if resolver is None or resolver.gz is not gz:
                resolver = Resolver(gz, options)
                _RESOLVERS.pop(key, None)
                _RESOLVERS[key] = resolver
                while len(_RESOLVERS) > MAX_RESOLVERS:
                    _RESOLVERS.pop(next(iter(_RESOLVERS)))
    return resolver


def clear_caches() -> None:
    """Forget the shared resolvers and their caches (the loaded gazetteers stay)."""
    with _SHARED_LOCK:
        _RESOLVERS.clear()


# -- summary and progress ------------------------------------------------------------------

@dataclass
class Summary:
    """What a batch run did.  ``str(summary)`` is the line the CLI prints at the end."""

    rows_in: int = 0
    rows_out: int = 0
    matched: int = 0
    ambiguous: int = 0
    not_found: int = 0
    invalid: int = 0
    mentions: int = 0  # text modes: places found in all texts
    ragged_rows: int = 0  # rows with more or fewer cells than the header
    errors: int = 0  # unexpected exceptions, counted in ``invalid`` too
    decode_errors: int = 0  # undecodable byte sequences replaced with U+FFFD
    seconds: float = 0.0
    format: str = "csv"
    encoding: str | None = None
    delimiter: str | None = None
    columns_added: list[str] = field(default_factory=list)

    @property
    def rows_per_second(self) -> float:
        return self.rows_in / self.seconds if self.seconds > 0 else 0.0

    def count(self, status: str) -> None:
        """One more input row with this match_status."""
        self.rows_in += 1
        if status == MATCHED:
            self.matched += 1
        elif status == AMBIGUOUS:
            self.ambiguous += 1
        elif status == NOT_FOUND:
            self.not_found += 1
        else:
            self.invalid += 1

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["rows_per_second"] = round(self.rows_per_second, 1)
        d["seconds"] = round(self.seconds, 3)
        return d

    def __str__(self) -> str:
        parts = [f"{self.matched:,} matched", f"{self.ambiguous:,} ambiguous",
                 f"{self.not_found:,} not found", f"{self.invalid:,} invalid"]
        line = (f"{self.rows_in:,} rows in {self.seconds:.1f} s ({self.rows_per_second:,.0f} rows/s): "
                + ", ".join(parts))
        if self.mentions:
            line += f"; {self.mentions:,} place mentions"
        if self.rows_out != self.rows_in:
            line += f"; {self.rows_out:,} rows written"
        notes = []
        if self.ragged_rows:
            notes.append(f"{self.ragged_rows:,} rows did not have as many cells as the header")
        if self.decode_errors:
            notes.append(f"{self.decode_errors:,} undecodable bytes replaced with U+FFFD "
                         f"(read as {self.encoding}; try --encoding)")
        if self.errors:
            notes.append(f"{self.errors:,} rows hit an internal error (see match_note)")
        return line + "".join(f"\nwarning: {n}" for n in notes)


class Progress:
    """A one-line progress display on a terminal: rows, rows/s, percent and ETA when known."""

    def __init__(self, stream: IO[str], fraction: Callable[[], float | None], interval: float = 0.25):
        self.stream = stream
        self.fraction = fraction
        self.interval = interval
        self.start = time.monotonic()
        self.last = 0.0
        self.width = 0

    def update(self, rows: int, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.last < self.interval:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = rows / elapsed
        text = f"{rows:,} rows  {rate:,.0f} rows/s  {_clock(elapsed)}"
        frac = self.fraction()
        if frac:
            eta = elapsed * (1 - frac) / frac if frac < 1 else 0.0
            text = f"{100 * frac:5.1f}%  " + text + f"  ETA {_clock(eta)}"
        pad = max(0, self.width - len(text))
        self.width = len(text)
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()

    def close(self, rows: int) -> None:
        self.update(rows, force=True)
        self.stream.write("\n")
        self.stream.flush()


def _clock(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 3600}:{s // 60 % 60:02d}:{s % 60:02d}"


# -- the run -------------------------------------------------------------------------------

_FORKED_RESOLVER: Resolver | None = None
_WORKER: Resolver | None = None


def _init_worker(options: BatchOptions) -> None:
    """In each worker process: the parent's resolver when forked (gazetteer and warm cache
    inherited, nothing loaded), else a resolver over the bundled gazetteer loaded here."""
    global _WORKER
    inherited = _FORKED_RESOLVER
    if inherited is not None and inherited.options == options:
        _WORKER = inherited
    else:
        _WORKER = shared_resolver(options)


def _work(queries: list[str]) -> tuple[list[Result], int]:
    """In a worker: the answers to the parent's cache misses (each query once)."""
    assert _WORKER is not None
    before = _WORKER.errors
    return [_WORKER.resolve_query(q) for q in queries], _WORKER.errors - before


def _text_out(out: Any) -> tuple[IO[str], Callable[[], None]]:
    """A text stream over ``out`` (text or binary); and how to let go of it afterwards."""
    try:
        out.write("")
        return out, out.flush
    except TypeError:
        wrapper = io.TextIOWrapper(out, encoding="utf-8", newline="")

        def release() -> None:
            wrapper.flush()
            wrapper.detach()

        return wrapper, release


def geocode_csv(source: Source, out: Any, *, column: str | None = None,
                text_column: str | None = None, one_row_per_mention: bool = False,
                context_columns: Sequence[str] = (), gazetteer: Gazetteer | None = None,
                encoding: str | None = None, delimiter: str | None = None,
                output_delimiter: str | None = None, sheet: str | None = None,
                min_confidence: float | None = None, admin1: str | None = None,
                types: Sequence[str] | None = None, alternatives: int = 4, prefix: str = "",
                workers: int = 1, chunk_size: int = 1000, cache_size: int = DEFAULT_CACHE_SIZE,
                progress: bool | IO[str] = False, limits: InputLimits = InputLimits()) -> Summary:
    """Geocode a spreadsheet: read CSV/.xlsx from ``source``, write CSV to ``out``; return a Summary.

    ``source``: bytes (the uploaded file), a ``pathlib.Path``, a binary or text file object, or a
    ``str`` holding the CSV text itself.  The encoding (UTF-8, UTF-8 with BOM, UTF-16, UTF-32,
    Windows-1256) and the delimiter (comma, semicolon, tab, pipe) are sniffed unless given;
    ``.xlsx`` is read when openpyxl is installed (``sheet`` picks the worksheet).
    ``out``: a text stream (opened with ``newline=""``) or a binary stream (UTF-8 is written).
    Output uses the input's delimiter unless ``output_delimiter`` is given.

    Exactly one of ``column`` (a column of place names to geocode) and ``text_column`` (a column
    of free text to geoparse) is needed; a one-column input needs neither.  ``context_columns``
    (name mode) are appended to the name as qualifiers, e.g. a governorate column:
    "Tedef" + "Aleppo" → "Tedef, Aleppo".  ``one_row_per_mention`` writes one output row per place
    found in the text instead of one per input row.

    ``min_confidence``, ``admin1`` (governorate p-code or name) and ``types`` filter the answers
    as in ``Gazetteer.geocode``; ``alternatives``: how many other candidates to list for an
    ambiguous name.  ``prefix`` is put before each added column name (needed when the input
    already has, say, a ``lat`` column).  ``workers`` > 1 geocodes in that many processes, in
    chunks of ``chunk_size`` rows.  ``progress``: True for a progress line on stderr, or a stream.
    ``limits``: what a compressed (``.xlsx``) input may expand to (``InputTooLarge`` past them).

    Raises ``InputFormatError`` (a ``ValueError``) when the input cannot be read as a table or a
    column is missing (the message names the columns that exist), and ``QueryError`` for bad
    options.  Rows that cannot be geocoded are marked ``invalid``, never dropped.
    """
    if column is not None and text_column is not None:
        raise InputFormatError("give either a name column or a text column, not both")
    mode = "name" if text_column is None else ("mention" if one_row_per_mention else "text")
    if workers < 1:
        raise QueryError("workers must be at least 1")
    if chunk_size < 1:
        raise QueryError("chunk_size must be at least 1")
    options = BatchOptions(mode=mode, min_confidence=min_confidence, admin1=admin1,
                           types=tuple(types) if types else None, alternatives=alternatives,
                           cache_size=cache_size)
    started = time.monotonic()
    with open_table(source, encoding=encoding, delimiter=delimiter, sheet=sheet,
                    limits=limits) as table:
        header = table.header
        wanted = column if column is not None else text_column
        if wanted is None:
            if len(header) != 1:
                raise InputFormatError("say which column holds the place names (--column) or the "
                                       "text (--text-column); the columns are: "
                                       + ", ".join(repr(h) for h in header))
            col = 0
        else:
            col = find_column(header, wanted)
        if context_columns and mode != "name":
            raise InputFormatError("context columns apply to a name column only")
        ctx = [find_column(header, c, what="context column") for c in context_columns]
        added = [prefix + c for c in options.columns]
        clash = sorted(set(added) & set(header))
        if clash:
            raise InputFormatError(
                f"the input already has column(s) {', '.join(clash)}; give a prefix for the added "
                "columns (--prefix geo_)")
        gz = gazetteer or shared_gazetteer()
        resolver = shared_resolver(options, gz)  # checks the options before any output
        errors_before = resolver.errors
        text_out, release = _text_out(out)
        out_delim = output_delimiter or table.delimiter or ","
        writer = csv.writer(text_out, delimiter=out_delim, lineterminator="\r\n")
        writer.writerow(list(header) + added)
        summary = Summary(format=table.format, encoding=table.encoding, delimiter=table.delimiter,
                          columns_added=added)
        bar: Progress | None = None
        if progress:
            stream = progress if hasattr(progress, "write") else sys.stderr
            bar = Progress(stream, table.fraction_read)  # type: ignore[arg-type]
        try:
            rows = _prepared_rows(table, len(header), col, ctx, summary)
            if workers == 1:
                _run_serial(rows, resolver, writer, summary, bar)
            else:
                _run_parallel(rows, resolver, options, writer, summary, bar, workers, chunk_size)
        finally:
            if bar is not None:
                bar.close(summary.rows_in)
            release()
        summary.encoding = table.effective_encoding()
        summary.decode_errors = table.decode_errors
    summary.errors += resolver.errors - errors_before
    summary.seconds = time.monotonic() - started
    return summary


def _prepared_rows(table: Table, width: int, col: int, ctx: list[int],
                   summary: Summary) -> Iterator[tuple[list[str], str, str]]:
    """(row padded to the header, the cell to resolve, a note) for each input row."""
    for row in table.rows:
        note = ""
        n = len(row)
        if n != width:
            if n < width:
                row.extend([""] * (width - n))
                if n:  # a blank line in a one-column file is an empty cell, not ragged
                    summary.ragged_rows += 1
            else:
                extra = row[width:]
                del row[width:]
                summary.ragged_rows += 1
                note = f"{len(extra)} cell(s) beyond the header: " + json.dumps(extra, ensure_ascii=False)
        cell = row[col]
        if ctx and cell.strip():
            quals = [row[i].strip() for i in ctx if row[i].strip()]
            if quals:
                cell = ", ".join([cell.strip(), *quals])
        yield row, cell, note


def _emit(writer: Any, row: list[str], result: Result, note: str, resolver: Resolver,
          summary: Summary) -> None:
    summary.count(result[0][resolver.status_index])
    summary.mentions += resolver.mentions_in(result)
    for added in result:
        if note:
            old = added[-1]
            added = added[:-1] + ((old + "; " + note) if old else note,)
        writer.writerow(row + list(added))
        summary.rows_out += 1


def _run_serial(rows: Iterable[tuple[list[str], str, str]], resolver: Resolver, writer: Any,
                summary: Summary, bar: Progress | None) -> None:
    status_index = resolver.status_index
    text_mode = resolver.options.mode != "name"
    resolve = resolver.resolve
    for row, cell, note in rows:
        result = resolve(cell)
        if note or text_mode:
            _emit(writer, row, result, note, resolver, summary)
        else:  # the hot path: one output row
            summary.count(result[0][status_index])
            row.extend(result[0])
            writer.writerow(row)
            summary.rows_out += 1
        if bar is not None and not summary.rows_in & 255:
            bar.update(summary.rows_in)


class _Chunk:
    """Rows waiting for their answers, in input order: each row's answer is known already
    (``Result``) or is entry ``i`` of the answers of a chunk sent to a worker (``(chunk, i)``:
    this one, or an earlier one that had the same query in flight)."""

    __slots__ = ("rows", "queries", "future", "answers")

    def __init__(self) -> None:
        self.rows: list[tuple[list[str], str, Any]] = []
        self.queries: list[str] = []  # the misses this chunk sends out, each once
        self.future: Future | None = None
        self.answers: list[Result] = []


def _run_parallel(rows: Iterable[tuple[list[str], str, str]], resolver: Resolver,
                  options: BatchOptions, writer: Any, summary: Summary,
                  bar: Progress | None, workers: int, chunk_size: int) -> None:
    """Geocode in ``workers`` processes.  The parent keeps the cache: a row whose answer it
    knows is answered here (written at once when no earlier row is waiting), and only the
    misses (each once, even when repeated across chunks in flight) go to the workers,
    ``chunk_size`` at a time (smaller chunks while fewer than ``workers`` are out).  The first
    ``chunk_size`` misses are answered here, the pool starts at the next one and stops when the
    cache has answered ``4 * chunk_size`` rows in a row.  Rows are written in input order."""
    global _FORKED_RESOLVER
    pending: deque[_Chunk] = deque()
    in_flight: dict[str, tuple[_Chunk, int]] = {}  # query -> where its answer will be
    max_rows = 8 * chunk_size  # rows held back per chunk at most (memory stays bounded)
    early_size = max(1, chunk_size // (2 * workers))
    idle_rows = 4 * chunk_size  # rows answered from the cache after which the workers go
    known_in_a_row = 0
    inline = 0  # misses answered in this process
    pool: ProcessPoolExecutor | None = None
    status_index = resolver.status_index
    text_mode = options.mode != "name"

    def write(row: list[str], note: str, answer: Result) -> None:
        if note or text_mode:
            _emit(writer, row, answer, note, resolver, summary)
        else:  # the hot path, as in _run_serial: one output row
            summary.count(answer[0][status_index])
            row.extend(answer[0])
            writer.writerow(row)
            summary.rows_out += 1

    def start_pool() -> ProcessPoolExecutor:
        global _FORKED_RESOLVER
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("fork" if "fork" in methods else None)
        _FORKED_RESOLVER = resolver  # a forked worker inherits it, with the gazetteer
        if text_mode:
            try:  # build the geoparser (lazily made on first use) once, before forking
                resolver.gz.parse("حلب")  # type: ignore[attr-defined]
            except Exception:  # noqa: BLE001 - the workers will report it row by row
                pass
        # The objects made so far go to the collector's permanent generation: a collection
        # in a worker (or in the parent while the workers live) then does not write into, and
        # so copy, every page holding them.  unfreeze() when the workers are gone.
        gc.freeze()
        return ProcessPoolExecutor(max_workers=workers, mp_context=ctx,
                                   initializer=_init_worker, initargs=(options,))

    def stop_pool() -> None:
        nonlocal pool
        if pool is not None:
            pool.shutdown(wait=True)
            pool = None
            gc.unfreeze()

    def drain_one() -> None:
        chunk = pending.popleft()
        if chunk.future is not None:
            chunk.answers, errors = chunk.future.result()
            summary.errors += errors
            for query, result in zip(chunk.queries, chunk.answers):
                where = in_flight.get(query)
                if where is not None and where[0] is chunk:  # a cacheable query
                    del in_flight[query]
                    resolver.remember(query, result)
        for row, note, answer in chunk.rows:
            if type(answer[0]) is _Chunk:
                answer = answer[0].answers[answer[1]]
            write(row, note, answer)
        if bar is not None:
            bar.update(summary.rows_in)

    def drain_ready() -> None:
        while pending and (pending[0].future is None or pending[0].future.done()):
            drain_one()

    def send(chunk: _Chunk) -> None:
        nonlocal pool
        if chunk.queries:
            if pool is None:
                pool = start_pool()
            chunk.future = pool.submit(_work, chunk.queries)
        pending.append(chunk)
        while len(pending) > 2 * workers:
            drain_one()  # blocks: too many chunks out
        drain_ready()

    try:
        chunk = _Chunk()
        for n, (row, cell, note) in enumerate(rows):
            query, answer, cacheable = resolver.lookup(cell)
            if answer is None and pool is None and inline < chunk_size and not pending \
                    and not chunk.rows:
                # The first chunk_size misses are answered here: forking the workers, and the
                # copy-on-write that follows, costs more than a few hundred names (a file of
                # repeated names then never forks).
                inline += 1
                answer = resolver.resolve_query(query)
                if cacheable:
                    resolver.remember(query, answer)
            if answer is None:
                answer = in_flight.get(query) if cacheable else None
                if answer is None:
                    answer = (chunk, len(chunk.queries))
                    chunk.queries.append(query)
                    if cacheable:
                        in_flight[query] = answer
            elif not pending and not chunk.rows:  # known, and no earlier row waits: write it
                write(row, note, answer)
                known_in_a_row += 1
                if known_in_a_row > idle_rows and pool is not None:
                    # The cache answers everything lately: let the workers go.  While they
                    # live, each page the parent writes to is copied (it is shared with them
                    # since the fork), which made cached rows a third slower.
                    stop_pool()
                if bar is not None and not summary.rows_in & 255:
                    bar.update(summary.rows_in)
                continue
            known_in_a_row = 0
            chunk.rows.append((row, note, answer))
            # smaller chunks while a worker may be idle, so that the first misses are shared
            wanted = chunk_size if len(pending) >= workers else min(chunk_size, early_size)
            if len(chunk.queries) >= wanted or len(chunk.rows) >= max_rows:
                send(chunk)
                chunk = _Chunk()
            elif not n & 31 and pending:
                drain_ready()
                if not pending and not chunk.queries:  # its rows waited for nothing now
                    send(chunk)
                    chunk = _Chunk()
        if chunk.rows:
            send(chunk)
        while pending:
            drain_one()
    except BaseException:
        for waiting in pending:
            if waiting.future is not None:
                waiting.future.cancel()
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)
        raise
    finally:
        stop_pool()
        _FORKED_RESOLVER = None


def describe_columns(mode: str = "name") -> str:
    """The added columns of a mode and what they hold, one per line (for --help and docs)."""
    columns = BatchOptions(mode=mode).columns
    return "\n".join(f"{c}: {COLUMN_DOCS.get(c, '')}".rstrip(": ") for c in columns)


__all__ = [
    "AMBIGUOUS", "INVALID", "MATCHED", "MENTION_COLUMNS", "NAME_COLUMNS", "NOT_FOUND",
    "PLACE_COLUMNS", "STATUSES", "TEXT_COLUMNS", "BatchOptions", "Progress", "Resolver", "Summary",
    "clear_caches", "describe_columns", "geocode_csv", "shared_gazetteer", "shared_resolver",
]
