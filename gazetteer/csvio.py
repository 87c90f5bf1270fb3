"""Read spreadsheets as streams of rows: encoding and delimiter sniffing, CSV and ``.xlsx``.

``open_table(source)`` looks at the head of the input (64 KiB) to decide how to read it, then
keeps streaming: memory stays constant whatever the file size.

Encodings, in the order they are tried (unless one is given):

1. a byte-order mark: UTF-8 (``utf-8-sig``), UTF-32 or UTF-16;
2. UTF-16 without a BOM when every other byte of the head is NUL;
3. strict UTF-8;
4. Windows-1256 (``cp1256``) when the head decodes to text with Arabic letters.

A head that is plain ASCII is read as UTF-8 until the first byte that is not valid UTF-8; if no
non-ASCII UTF-8 came before it, the rest is read as Windows-1256 (ASCII is the same in both).  Any
byte that still cannot be decoded later in the stream is replaced with U+FFFD and counted
(``Table.decode_errors``) rather than ending a long run half-way.

Delimiters: comma, semicolon, tab or pipe, whichever splits the header into the most columns
consistently with the rows below it; a single-column file reads as comma-separated.
"""
from __future__ import annotations

import codecs
import csv
import io
import os
import re
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Iterable, Iterator, Sequence

from .exceptions import InputFormatError, InputTooLarge

HEAD_BYTES = 64 * 1024
CHUNK_BYTES = 64 * 1024
CANDIDATE_DELIMITERS = (",", ";", "\t", "|")
FIELD_SIZE_LIMIT = 16 * 1024 * 1024  # characters in one cell; a guard against a stray quote
XLSX_MAGIC = b"PK\x03\x04"

_UTF16_HIGH_BYTES = (0x00, 0x06, 0x20, 0xFB, 0xFE)  # Latin, Arabic, punctuation, presentation forms
_ARABIC_LETTER = re.compile("[\u0621-\u064a]")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)")

Source = Any  # bytes | str (CSV text) | os.PathLike | binary or text file object


@dataclass(frozen=True)
class InputLimits:
    """What a compressed input may expand to, checked before it is expanded.

    An ``.xlsx`` is a zip archive: 300 KB of it can hold a 300 MB string, and openpyxl keeps the
    whole shared-strings table in memory.  The sizes the archive declares for its members are
    checked against these limits before openpyxl reads anything (zipfile never inflates a member
    past its declared size).  The defaults suit the command line; the service sets its own.
    """

    xlsx_bytes: int = 1 << 30  # every member of the archive, decompressed
    xlsx_strings_bytes: int = 128 << 20  # xl/sharedStrings.xml, decompressed


_SIZE = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?\s*", re.IGNORECASE)


def parse_size(text: str) -> int:
    """``"64M"`` → 67108864 (K, M, G, T are powers of 1024); for command-line options."""
    import argparse

    m = _SIZE.fullmatch(text)
    if not m:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (say e.g. 500M or 2G)")
    return int(float(m.group(1)) * 1024 ** " kmgt".index(m.group(2).lower() or " "))


@dataclass
class Table:
    """A header and a stream of data rows (lists of strings, as read: not padded)."""

    header: list[str]
    rows: Iterator[list[str]]
    format: str  # "csv" or "xlsx"
    encoding: str | None = None  # as detected or given; None for text input and .xlsx
    delimiter: str | None = None
    _fraction: Callable[[], float | None] = field(default=lambda: None, repr=False)
    _closers: list[Callable[[], None]] = field(default_factory=list, repr=False)
    _decoder_state: "_DecodeState | None" = field(default=None, repr=False)

    @property
    def decode_errors(self) -> int:
        """How many undecodable byte sequences were replaced with U+FFFD so far."""
        return self._decoder_state.replaced if self._decoder_state else 0

    def effective_encoding(self) -> str | None:
        """The encoding actually used; an ASCII head may have turned into UTF-8 or cp1256."""
        if self._decoder_state is not None and self._decoder_state.switching is not None:
            return self._decoder_state.switching.mode_name
        return self.encoding

    def fraction_read(self) -> float | None:
        """Share of the input consumed so far, when the total size is known."""
        return self._fraction()

    def close(self) -> None:
        for close in reversed(self._closers):
            close()
        self._closers.clear()

    def __enter__(self) -> "Table":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# -- encodings -----------------------------------------------------------------------------

class _Utf8ThenCp1256Decoder(codecs.IncrementalDecoder):
    """UTF-8 while the text is ASCII; on the first invalid byte, Windows-1256 from then on."""

    def __init__(self, errors: str = "strict"):
        super().__init__(errors)
        self._utf8 = codecs.getincrementaldecoder("utf-8")("strict")
        self._cp1256: codecs.IncrementalDecoder | None = None
        self.mode = "ascii"

    @property
    def mode_name(self) -> str:
        return {"ascii": "utf-8", "utf-8": "utf-8", "cp1256": "cp1256"}[self.mode]

    def decode(self, data: bytes, final: bool = False) -> str:  # type: ignore[override]
        if self._cp1256 is not None:
            self._cp1256.errors = self.errors
            return self._cp1256.decode(data, final)
        try:
            self._utf8.errors = "strict" if self.mode == "ascii" else self.errors
            out = self._utf8.decode(data, final)
        except UnicodeDecodeError as exc:
            if self.mode != "ascii":
                raise
            pending = self._utf8.getstate()[0]
            if not (pending + data)[:exc.start].isascii():
                self.mode = "utf-8"  # valid non-ASCII UTF-8 came first: a stray bad byte
                raise
            self.mode = "cp1256"
            self._cp1256 = codecs.getincrementaldecoder("cp1256")(self.errors)
            return self._cp1256.decode(pending + data, final)
        if self.mode == "ascii" and not out.isascii():
            self.mode = "utf-8"
        return out

    def reset(self) -> None:
        self._utf8.reset()
        self._cp1256 = None
        self.mode = "ascii"


@dataclass
class _DecodeState:
    replaced: int = 0
    switching: _Utf8ThenCp1256Decoder | None = None


def _check_encoding(name: str) -> str:
    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputFormatError(f"unknown encoding {name!r}") from None


def detect_encoding(head: bytes, *, at_eof: bool) -> str:
    """Name the encoding of a file from its first bytes (see the module docstring).

    Returns a codec name, or ``"ascii"`` for a head that is plain ASCII (read as UTF-8 that may
    turn into Windows-1256).  Raises ``InputFormatError`` saying what was tried.
    """
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    sample = head[: len(head) - len(head) % 2]
    if len(sample) >= 4 and (b"\x00" in sample or b"\x06" in sample):
        # UTF-16 without a BOM: nearly every high byte is that of Latin (00) or Arabic (06) text
        for name, high, low in (("utf-16-le", sample[1::2], sample[0::2]),
                                ("utf-16-be", sample[0::2], sample[1::2])):
            share = sum(high.count(b) for b in _UTF16_HIGH_BYTES) / len(high)
            if share >= 0.9 and low.count(0) < len(low) / 2:
                try:
                    codecs.getincrementaldecoder(name)("strict").decode(sample)
                except UnicodeDecodeError:
                    continue
                return name
    if head.isascii():
        return "ascii"
    try:
        codecs.getincrementaldecoder("utf-8")("strict").decode(head, final=at_eof)
        return "utf-8"
    except UnicodeDecodeError as exc:
        utf8_error = f"byte 0x{head[exc.start]:02x} at offset {exc.start} is not UTF-8"
    text = head.decode("cp1256", errors="replace")
    if _ARABIC_LETTER.search(text):
        return "cp1256"
    raise InputFormatError(
        "cannot tell the encoding of the input: tried UTF-8 (" + utf8_error + "), a UTF-16/UTF-32 "
        "byte-order mark, and Windows-1256 (no Arabic letters); give the encoding explicitly "
        "(e.g. --encoding latin-1)")


class _CountingReader:
    """Bytes from ``head`` then from ``stream``, counting what was handed out."""

    def __init__(self, head: bytes, stream: IO[bytes] | None):
        self.head = head
        self.stream = stream
        self.consumed = 0

    def read(self, n: int) -> bytes:
        if self.head:
            out, self.head = self.head[:n], self.head[n:]
        elif self.stream is not None:
            out = self.stream.read(n)
        else:
            out = b""
        self.consumed += len(out)
        return out


def _read_head(stream: IO[bytes], n: int) -> tuple[bytes, bool]:
    """Up to ``n`` bytes (several reads on a pipe); and whether the stream ended."""
    parts: list[bytes] = []
    got = 0
    while got < n:
        chunk = stream.read(n - got)
        if not chunk:
            return b"".join(parts), True
        parts.append(chunk)
        got += len(chunk)
    return b"".join(parts), False


def _split_lines(text: str, *, hold_cr: bool) -> tuple[list[str], str]:
    """Complete lines of ``text`` (endings kept) and the unterminated rest.

    Linear whatever the line length: the regex only runs up to the last line break.  With
    ``hold_cr`` a final "\r" stays in the rest, as it may be the first half of "\r\n"."""
    end = len(text) - 1 if hold_cr and text.endswith("\r") else len(text)
    cut = max(text.rfind("\n", 0, end), text.rfind("\r", 0, end))
    if cut < 0:
        return [], text
    return _LINE.findall(text, 0, cut + 1), text[cut + 1:]


def _decoded_lines(reader: _CountingReader, decoder: codecs.IncrementalDecoder,
                   state: _DecodeState) -> Iterator[str]:
    """Lines of text, line endings kept (as csv wants with newline=""), decoded incrementally."""
    carry: list[str] = []  # pieces of a line not finished yet (joined once, when it is)
    while True:
        data = reader.read(CHUNK_BYTES)
        final = not data
        try:
            text = decoder.decode(data, final)
        except UnicodeDecodeError:
            decoder.errors = "replace"
            text = decoder.decode(data, final)
            decoder.errors = "strict"
            state.replaced += max(1, text.count("\ufffd"))
        if carry and text and text[0] != "\n" and carry[-1].endswith("\r"):
            yield "".join(carry)  # the held-back "\r" ended a line by itself (old Mac files)
            carry = []
        lines, rest = _split_lines(text, hold_cr=not final)
        if lines and carry:
            carry.append(lines[0])
            lines[0] = "".join(carry)
            carry = []
        yield from lines
        if rest:
            carry.append(rest)
        if final:
            if carry:
                yield "".join(carry)
            return


# -- delimiter -----------------------------------------------------------------------------

def sniff_delimiter(sample: str, *, complete: bool) -> str:
    """The delimiter of a CSV sample (comma, semicolon, tab or pipe; comma if one column).

    The winner splits the header into more than one column and the most sample rows into as many
    columns as the header; ties go to the order above.  ``complete`` says whether the sample is the
    whole file (otherwise its last, possibly cut, record is ignored).
    """
    best: tuple[float, int, int] | None = None
    choice = ","
    for rank, delim in enumerate(CANDIDATE_DELIMITERS):
        try:
            records = list(csv.reader(io.StringIO(sample, newline=""), delimiter=delim))
        except csv.Error:
            continue
        if not complete and len(records) > 1:
            records = records[:-1]
        records = [r for r in records if r][:100]
        if not records or len(records[0]) < 2:
            continue
        width = len(records[0])
        body = records[1:]
        agree = (sum(len(r) == width for r in body) / len(body)) if body else 1.0
        key = (agree, width if agree == 1.0 else 0, -rank)
        if best is None or key > best:
            best, choice = key, delim
    return choice


# -- opening -------------------------------------------------------------------------------

def _as_binary(source: Source) -> tuple[IO[bytes] | None, IO[str] | None, Callable[[], None] | None, int | None]:
    """(binary stream, text stream, closer, total size in bytes) for any accepted source."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return io.BytesIO(data), None, None, len(data)
    if isinstance(source, str):
        return None, io.StringIO(source, newline=""), None, None
    if isinstance(source, os.PathLike):
        try:
            f = open(source, "rb")  # noqa: SIM115 (closed by Table.close)
        except OSError as exc:
            raise InputFormatError(f"cannot open {os.fspath(source)!r}: {exc.strerror}") from None
        return f, None, f.close, _size_of(f)
    if hasattr(source, "read"):
        if isinstance(source, io.TextIOBase) or isinstance(source.read(0), str):
            return None, source, None, None  # already decoded by its owner
        return source, None, None, _size_of(source)
    raise TypeError(f"cannot read a table from {type(source).__name__}")


def _size_of(stream: Any) -> int | None:
    try:
        st = os.fstat(stream.fileno())
    except (AttributeError, OSError, ValueError, io.UnsupportedOperation):
        return None
    import stat

    if not stat.S_ISREG(st.st_mode):
        return None
    try:
        return st.st_size - stream.tell()
    except (OSError, ValueError):
        return st.st_size


def open_table(source: Source, *, encoding: str | None = None, delimiter: str | None = None,
               sheet: str | None = None, limits: InputLimits = InputLimits()) -> Table:
    """Open CSV (any of the encodings above) or ``.xlsx`` input as a ``Table``.

    ``source``: bytes, a path (``pathlib.Path``), a binary or text file object, or a ``str``
    holding the CSV text itself.  ``encoding`` and ``delimiter`` override the sniffing; ``sheet``
    picks an ``.xlsx`` worksheet by name (the first one by default); ``limits`` bounds what a
    compressed workbook may expand to (``InputTooLarge`` past them).
    """
    if delimiter is not None and (len(delimiter) != 1 or delimiter in "\"\r\n"):
        raise InputFormatError(f"delimiter must be one character other than a quote or newline, "
                               f"not {delimiter!r}")
    if csv.field_size_limit() < FIELD_SIZE_LIMIT:
        csv.field_size_limit(FIELD_SIZE_LIMIT)
    binary, text, closer, total = _as_binary(source)
    closers = [closer] if closer else []
    try:
        if text is not None:
            return _open_text_table(text, delimiter, closers)
        assert binary is not None
        head, at_eof = _read_head(binary, HEAD_BYTES)
        if head.startswith(XLSX_MAGIC):
            return _open_xlsx(head, binary, at_eof, sheet, closers, limits)
        return _open_csv_bytes(head, binary, at_eof, total, encoding, delimiter, closers)
    except BaseException:
        for c in closers:
            c()
        raise


def _open_text_table(text: IO[str], delimiter: str | None, closers: list) -> Table:
    head = text.read(HEAD_BYTES)
    at_eof = len(head) < HEAD_BYTES
    if not at_eof:
        head += text.readline()  # end the head on a line boundary
    delim = delimiter or sniff_delimiter(head, complete=at_eof)
    return _csv_table(_chain_lines(head, text), delim, None, lambda: None, closers, None)


def _chain_lines(head: str, rest: IO[str]) -> Iterator[str]:
    lines, tail = _split_lines(head, hold_cr=False)
    yield from lines
    if tail:
        first = rest.readline()
        yield tail + first
    yield from rest


def _open_csv_bytes(head: bytes, binary: IO[bytes], at_eof: bool, total: int | None,
                    encoding: str | None, delimiter: str | None, closers: list) -> Table:
    state = _DecodeState()
    name = ""
    if encoding:
        name = _check_encoding(encoding)
        if name == "utf-8" and head.startswith(codecs.BOM_UTF8):
            name = "utf-8-sig"
        decoder = codecs.getincrementaldecoder(name)("strict")
        enc = encoding
    else:
        enc = detect_encoding(head, at_eof=at_eof)
        if enc == "ascii":
            decoder = state.switching = _Utf8ThenCp1256Decoder()
            enc = "utf-8"
        else:
            decoder = codecs.getincrementaldecoder(enc)("strict")
    if delimiter is None:
        sample = codecs.getincrementaldecoder(name if encoding else enc)("replace").decode(
            head, final=at_eof)
        delimiter = sniff_delimiter(sample, complete=at_eof)
    reader = _CountingReader(head, binary)
    lines = _decoded_lines(reader, decoder, state)

    def fraction() -> float | None:
        return min(1.0, reader.consumed / total) if total else None

    return _csv_table(lines, delimiter, enc, fraction, closers, state)


class _QuoteWatch:
    """The lines fed to the CSV reader, watching the quotes of the record being read: whether
    it is inside quotes, and on which line its open quote was.  A quote left open swallows every
    later line into one cell, silently (the csv module ends the cell at the end of the input)."""

    def __init__(self, lines: Iterable[str]):
        self._lines = lines
        self.line = 0  # physical lines read
        self.inside = False
        self.opened_at = 0

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.line += 1
            if '"' in line and line.count('"') % 2:
                self.inside = not self.inside
                if self.inside:
                    self.opened_at = self.line
            yield line

    def end_record(self) -> int:
        """Called as each record is read: the line of the quote it ended inside, or 0."""
        opened = self.opened_at if self.inside else 0
        self.inside, self.opened_at = False, 0
        return opened


def _csv_table(lines: Iterable[str], delimiter: str, encoding: str | None,
               fraction: Callable[[], float | None], closers: list,
               state: _DecodeState | None) -> Table:
    watch = _QuoteWatch(lines)
    reader = csv.reader(watch, delimiter=delimiter)

    def rows() -> Iterator[list[str]]:
        # one record behind the reader: the last one is checked for an open quote before it goes
        held: list[str] | None = None
        opened = 0
        try:
            for record in reader:
                if held is not None:
                    yield held
                held, opened = record, watch.end_record()
        except csv.Error as exc:
            raise InputFormatError(f"bad CSV at line {reader.line_num}: {exc}") from None
        if held is not None:
            if opened and watch.line > opened:
                raise InputFormatError(
                    f"unterminated quote: the quoted cell opened on line {opened} runs to the "
                    f"end of the input (line {watch.line}), swallowing "
                    f"{watch.line - opened} line(s) into one cell; close the quote or remove it")
            yield held

    it = rows()
    try:
        header = next(it)
    except StopIteration:
        raise InputFormatError("the input is empty: no header row") from None
    if not header or not any(h.strip() for h in header):
        raise InputFormatError("the first row (the header) is empty")
    return Table(header, it, "csv", encoding, delimiter, fraction, closers, state)


# -- xlsx ----------------------------------------------------------------------------------

def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def check_xlsx_expansion(f: IO[bytes], limits: InputLimits) -> None:
    """Refuse (``InputTooLarge``) a workbook that would decompress past ``limits``."""
    import zipfile

    try:
        with zipfile.ZipFile(f) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise InputFormatError(f"cannot read the .xlsx workbook: {exc}") from None
    finally:
        f.seek(0)
    total = sum(m.file_size for m in members)
    strings = sum(m.file_size for m in members if m.filename.lower() == "xl/sharedstrings.xml")
    if strings > limits.xlsx_strings_bytes:
        raise InputTooLarge(
            f"the workbook's shared strings decompress to {strings:,} bytes; the limit is "
            f"{limits.xlsx_strings_bytes:,} (raise it with --max-xlsx-strings-bytes, or save the "
            "sheet as CSV)", limit=limits.xlsx_strings_bytes)
    if total > limits.xlsx_bytes:
        raise InputTooLarge(
            f"the workbook decompresses to {total:,} bytes; the limit is {limits.xlsx_bytes:,} "
            "(raise it with --max-xlsx-bytes, or save the sheet as CSV)", limit=limits.xlsx_bytes)


def _open_xlsx(head: bytes, binary: IO[bytes], at_eof: bool, sheet: str | None, closers: list,
               limits: InputLimits) -> Table:
    try:
        import openpyxl
    except ImportError:
        raise InputFormatError("the input is an .xlsx workbook; reading it needs openpyxl "
                               "(pip install 'syria-gazetteer[xlsx]'), or save it as CSV") from None
    import tempfile

    if at_eof:
        f: IO[bytes] = io.BytesIO(head)
    else:  # openpyxl needs to seek: spool a pipe to disk
        f = tempfile.SpooledTemporaryFile(max_size=32 * 1024 * 1024)
        f.write(head)
        while chunk := binary.read(CHUNK_BYTES):
            f.write(chunk)
        f.seek(0)
        closers.append(f.close)
    check_xlsx_expansion(f, limits)
    try:
        wb = openpyxl.load_workbook(f, read_only=True, data_only=True)
    except Exception as exc:  # zipfile.BadZipFile, KeyError, InvalidFileException ...
        raise InputFormatError(f"cannot read the .xlsx workbook: {exc}") from None
    closers.append(wb.close)
    if sheet is not None:
        if sheet not in wb.sheetnames:
            raise InputFormatError(f"no worksheet {sheet!r}; the workbook has: {', '.join(wb.sheetnames)}")
        ws = wb[sheet]
    else:
        ws = wb.worksheets[0]
    total = ws.max_row if isinstance(ws.max_row, int) and ws.max_row > 1 else None
    it = ws.iter_rows(values_only=True)
    header_values = next(it, None)
    if header_values is None:
        raise InputFormatError("the worksheet is empty: no header row")
    header = [_cell_text(v) for v in header_values]
    while header and not header[-1].strip():
        header.pop()
    if not header:
        raise InputFormatError("the first row (the header) of the worksheet is empty")
    done = [1]

    def rows() -> Iterator[list[str]]:
        for values in it:
            done[0] += 1
            cells = [_cell_text(v) for v in values]
            while len(cells) > len(header) and not cells[-1]:
                cells.pop()
            yield cells

    def fraction() -> float | None:
        return min(1.0, done[0] / total) if total else None

    return Table(header, rows(), "xlsx", None, None, fraction, closers, None)


def find_column(header: Sequence[str], name: str, *, what: str = "column") -> int:
    """Index of a column by name: exact, else the one name equal ignoring case and spaces.

    Raises ``InputFormatError`` naming the columns that exist.
    """
    if name in header:
        return list(header).index(name)
    folded = name.strip().casefold()
    near = [i for i, h in enumerate(header) if h.strip().casefold() == folded]
    if len(near) == 1:
        return near[0]
    shown = ", ".join(repr(h) for h in header[:50]) + (" ..." if len(header) > 50 else "")
    raise InputFormatError(f"{what} {name!r} not found; the columns are: {shown}")
