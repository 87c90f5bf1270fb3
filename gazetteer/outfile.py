"""Writing a result to a path without destroying what the path is.

``output_file(path, encoding)`` opens a text stream for the result:

* a regular file (or a path that does not exist yet) is written to a temporary file beside it
  and renamed over it when the result is complete, so that a failed run leaves the old file
  untouched (a symbolic link is followed: the file it points to is replaced, the link stays);
* a special file that exists (``/dev/null``, ``/dev/stdout``, a FIFO, a terminal) is written to
  as a stream, never replaced by a regular file;
* a directory, a missing parent directory or a file that cannot be written is refused with an
  ``OutputError`` naming the path, before any work is done; a write that fails half-way
  (``/dev/full``: no space left) is an ``OutputError`` too.

``check_encoding(name)`` refuses an output encoding that cannot hold Arabic letters, and
``DamageCount`` counts the characters an encoding could not hold (replaced with ``?``).
"""
from __future__ import annotations

import codecs
import io
import os
import stat
import tempfile
from contextlib import contextmanager
from typing import IO, Iterator

from .exceptions import OutputError

# Every Arabic letter the gazetteer's names use: an output encoding must hold all of them.
ARABIC_LETTERS = "".join(map(chr, [*range(0x0621, 0x063B), *range(0x0641, 0x064B)]))
DAMAGE_HANDLER = "gazetteer-count-damage"


class DamageCount:
    """Characters an output encoding could not hold, replaced with "?", and the rows they were
    in (a row is one ``write`` of the CSV writer)."""

    def __init__(self) -> None:
        self.characters = 0
        self.rows = 0
        self._last: object = None

    def __call__(self, exc: UnicodeError) -> tuple[str, int]:
        if not isinstance(exc, UnicodeEncodeError):
            raise exc
        self.characters += exc.end - exc.start
        if exc.object is not self._last:
            self.rows += 1
            self._last = exc.object
        return "?" * (exc.end - exc.start), exc.end


_DAMAGE: list[DamageCount] = []


def _damage_handler(exc: UnicodeError) -> tuple[str, int]:
    return _DAMAGE[-1](exc)


def new_damage_count() -> DamageCount:
    """Start counting afresh; output streams opened with ``errors=DAMAGE_HANDLER`` count here
    (one count per process: the CLI writes one output at a time)."""
    if not _DAMAGE:
        codecs.register_error(DAMAGE_HANDLER, _damage_handler)
    _DAMAGE[:] = [DamageCount()]
    return _DAMAGE[0]


def check_encoding(name: str) -> str:
    """The codec name of an output encoding that can hold Arabic; OutputError otherwise."""
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        raise OutputError(f"unknown output encoding {name!r}") from None
    try:
        ARABIC_LETTERS.encode(codec)
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"the output encoding {name} cannot hold Arabic letters (such as "
            f"{ARABIC_LETTERS[exc.start]!r}), which every result has: use utf-8, utf-8-sig "
            "(for Excel), utf-16 or cp1256") from None
    return codec


class _Sink(io.FileIO):
    """A file whose write errors name the file (as OutputError) instead of a bare errno."""

    shown = ""

    def write(self, data):  # type: ignore[override]
        try:
            return super().write(data)
        except OSError as exc:
            raise OutputError(f"cannot write {self.shown}: {exc.strerror or exc}") from None


def _text(fd: int, shown: str, encoding: str, errors: str) -> IO[str]:
    raw = _Sink(fd, "w", closefd=True)
    raw.shown = shown
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors=errors, newline="")


def _refuse(path: str, why: str) -> OutputError:
    return OutputError(f"cannot write {path}: {why}")


@contextmanager
def output_file(path: str | os.PathLike, encoding: str = "utf-8",
                errors: str = "strict") -> Iterator[IO[str]]:
    """A text stream (``newline=""``) writing to ``path``; see the module docstring."""
    shown = os.fspath(path)
    real = os.path.realpath(shown)
    try:
        st: os.stat_result | None = os.stat(real)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise _refuse(shown, exc.strerror or str(exc)) from None
    if st is not None and stat.S_ISDIR(st.st_mode):
        raise _refuse(shown, "it is a directory; give a file name")
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _stream_to(real, shown, encoding, errors)
        return
    parent = os.path.dirname(real) or "."
    if not os.path.isdir(parent):
        raise _refuse(shown, f"the directory {os.path.dirname(shown) or parent} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}.", suffix=".part", dir=parent)
    except OSError as exc:
        raise _refuse(shown, exc.strerror or str(exc)) from None
    try:
        if st is not None:
            os.chmod(tmp, stat.S_IMODE(st.st_mode))  # replacing a file keeps its permissions
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)  # as if created by open(), not mkstemp's 0600
        out = _text(fd, shown, encoding, errors)
        try:
            yield out
        finally:
            out.close()
        os.replace(tmp, real)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _stream_to(real: str, shown: str, encoding: str, errors: str) -> Iterator[IO[str]]:
    try:
        fd = os.open(real, os.O_WRONLY)  # a FIFO: waits for its reader, as a shell would
    except OSError as exc:
        raise _refuse(shown, exc.strerror or str(exc)) from None
    out = _text(fd, shown, encoding, errors)
    try:
        yield out
    finally:
        out.close()

