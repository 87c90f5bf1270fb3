"""Subcommands of ``gazetteer``: one module each, each with ``register(subparsers)``.

Text comes in as UTF-8, with one rule everywhere (arguments, standard input, files, ``--jsonl``
lines): bytes that are not UTF-8, and lone surrogates (``"\\ud800"`` in JSON), are refused with
a message saying where they are, never replaced or echoed; what is printed is always UTF-8.
"""
from __future__ import annotations

import json
import sys
from typing import Any, Callable


def checked_text(text: str, what: str, *, from_bytes: bool = True) -> str:
    """``text`` if it is all real characters; else InputFormatError naming ``what`` and where.
    Bytes of an argument that are not UTF-8 arrive as lone surrogates (U+DC80-U+DCFF);
    ``from_bytes=False`` for text from JSON, where a surrogate is a ``"\\udc80"`` escape."""
    from ..exceptions import InputFormatError

    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        c = ord(text[exc.start])
        if from_bytes and 0xDC80 <= c <= 0xDCFF:
            raise InputFormatError(f"{what} is not UTF-8: byte 0x{c - 0xDC00:02X} at character "
                                   f"{exc.start}") from None
        raise InputFormatError(f"{what} has a lone surrogate U+{c:04X} at character {exc.start}: "
                               f"send real characters, not halves of a UTF-16 pair") from None
    return text


def decoded(data: bytes, what: str) -> str:
    """UTF-8 bytes as text (a BOM dropped); InputFormatError naming the first bad byte."""
    from ..exceptions import InputFormatError

    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFormatError(f"{what} is not UTF-8: byte 0x{data[exc.start]:02X} at offset "
                               f"{exc.start} ({exc.reason})") from None


def _is_text(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_stdin_text() -> str:
    """All of standard input, as UTF-8 (the same rule as a file)."""
    stdin = sys.stdin
    if hasattr(stdin, "buffer"):
        return checked_text(decoded(stdin.buffer.read(), "standard input"), "standard input")
    return checked_text(stdin.read(), "standard input")


def _stdin_lines():
    """Lines of standard input, each decoded on its own: a bad line does not stop the others."""
    stdin = sys.stdin
    if hasattr(stdin, "buffer"):
        for raw in stdin.buffer:
            yield raw
    else:
        yield from stdin


def unit_interval(text: str) -> float:
    """A command-line number in [0, 1] (a confidence); argparse reports anything else."""
    import argparse
    import math

    try:
        x = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not math.isfinite(x) or not 0.0 <= x <= 1.0:
        raise argparse.ArgumentTypeError(f"must be between 0 and 1, not {text}")
    return x


def dump(obj: Any, *, pretty: bool = False) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2 if pretty else None))
    sys.stdout.write("\n")


def load_gazetteer():
    import gc

    from ..gazetteer import Gazetteer

    gz = Gazetteer.load()
    # The index is a few million objects that live as long as the command: kept out of the
    # collector's full passes, which would otherwise walk them again and again on a long input.
    gc.freeze()
    return gz


def run_jsonl(command: str, answer: Callable[[Any, object], dict],
              emit: Callable[[dict, Any], None] | None = None) -> int:
    """The ``--jsonl`` loop shared by the subcommands: one JSON line in, one FeatureCollection
    out with the same "id".  ``answer(item, item_id)`` gets the parsed line (a dict, or the raw
    text when it is not JSON) and returns the collection; ``emit(fc, item)`` writes it (one JSON
    line unless told otherwise, see ``output``).  A bad line is answered with an empty
    collection and an "error" member; nothing is skipped, and the exit status stays 0."""
    if emit is None:
        emit = lambda fc, item: dump(fc, pretty=False)  # noqa: E731
    from ..exceptions import GazetteerError

    errors = 0
    for lineno, line in enumerate(_stdin_lines(), 1):
        item_id: object = lineno
        item: Any = None
        try:
            text = decoded(line, "the line") if isinstance(line, bytes) else line
            text = text.strip()
            if not text:
                continue
            checked_text(text, "the line")
            item = json.loads(text) if text.startswith("{") else text
            if isinstance(item, dict):
                if _is_text(json.dumps(item.get("id", lineno), ensure_ascii=False)):
                    item_id = item.get("id", lineno)
                checked_text(json.dumps(item, ensure_ascii=False), "the line", from_bytes=False)
            fc = answer(item, item_id)
        except (ValueError, GazetteerError) as exc:
            errors += 1
            fc = _error_collection(item_id, f"line {lineno}: {exc}")
        except Exception as exc:  # noqa: BLE001 - a bug must not lose the lines after it
            errors += 1
            fc = _error_collection(item_id, f"line {lineno}: {_internal(exc)}")
        try:
            emit(fc, item)
        except OSError:
            raise  # a closed pipe or a full disk: the lines after it cannot be written either
        except Exception as exc:  # noqa: BLE001 - an answer that cannot be written is a bug too
            # every writer builds its whole answer before writing any of it, so nothing
            # half-written precedes this line
            errors += 1
            emit(_error_collection(item_id, f"line {lineno}: {_internal(exc)}"), item)
    if errors:
        print(f"gazetteer {command}: {errors} line(s) had errors (see their \"error\" member)",
              file=sys.stderr)
    return 0


def _error_collection(item_id: object, error: str) -> dict:
    return {"type": "FeatureCollection", "id": item_id, "features": [], "error": error}


def _internal(exc: Exception) -> str:
    return f"internal error: {type(exc).__name__}: {exc}"
