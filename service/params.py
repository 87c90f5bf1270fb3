"""Reading request parameters and bodies, with problem+json answers for every bad input."""
from __future__ import annotations

import codecs
import json
import math
from typing import Any
from urllib.parse import unquote_to_bytes

from flask import g, request

from .problems import Problem, body_too_large, param_error


def first(*names: str) -> tuple[str | None, str | None]:
    """The value of the first of ``names`` present in the query string, and which one it was."""
    for name in names:
        value = request.args.get(name)
        if value is not None:
            return value, name
    return None, None


def get_int(name: str, value: str | None, *, default: int, minimum: int, maximum: int) -> int:
    if value is None:
        return default
    if value.strip() == "":
        raise param_error(name, "is empty: give an integer, or leave the parameter out")
    try:
        n = int(value.strip())
    except ValueError:
        raise param_error(name, f"must be an integer, not {value[:40]!r}") from None
    if not minimum <= n <= maximum:
        raise param_error(name, f"must be between {minimum} and {maximum}, not {n}")
    return n


def get_float(name: str, value: str | None, *, minimum: float | None = None,
              maximum: float | None = None, default: float | None = None) -> float:
    if value is None:
        if default is not None:
            return default
        raise param_error(name, "is required")
    if value.strip() == "":
        raise param_error(name, "is empty: give a number" + (", or leave the parameter out"
                                                           if default is not None else ""))
    try:
        x = float(value.strip())
    except ValueError:
        raise param_error(name, f"must be a number, not {value[:40]!r}") from None
    if not math.isfinite(x):
        raise param_error(name, f"must be a finite number, not {value[:40]!r}")
    if minimum is not None and maximum is not None and not minimum <= x <= maximum:
        raise param_error(name, f"must be between {minimum:g} and {maximum:g}, not {x:g}")
    return x


def get_list(name: str) -> list[str] | None:
    """A repeatable, comma-separable parameter: ``type=town&type=village`` or ``type=town,village``."""
    values = [v.strip() for raw in request.args.getlist(name) for v in raw.split(",")]
    values = [v for v in values if v]
    return values or None


def check_query_string_utf8() -> None:
    """Refuse a query string whose percent-decoded bytes are not UTF-8 (Werkzeug would
    silently turn them into U+FFFD and the caller would get answers for a mangled query)."""
    raw = request.query_string
    if not raw:
        return
    data = unquote_to_bytes(raw.replace(b"+", b" "))
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "invalid-encoding",
                      f"the query string is not valid UTF-8: byte 0x{data[exc.start]:02X} at "
                      f"offset {exc.start} of the decoded query string; percent-encode UTF-8 "
                      f"bytes") from None


def check_text(name: str, text: str) -> str:
    """Refuse lone surrogates (from JSON ``"\\ud800"``): they cannot be written back as UTF-8."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise Problem(422, "invalid-encoding",
                      f"{name} contains an unpaired surrogate U+{ord(text[exc.start]):04X} at "
                      f"index {exc.start}; send real characters, not halves of a UTF-16 pair")\
            from None
    return text


def read_body(limit: int) -> bytes:
    """The request body, refused with a 413 before reading if it is (or grows) over ``limit``."""
    length = request.content_length
    if length is not None and length > limit:
        raise body_too_large(limit)
    # A chunked body has no length: Werkzeug stops reading it one byte past the limit.
    g.body_limit = limit
    request.max_content_length = limit + 1
    data = request.get_data(cache=True)
    if len(data) > limit:
        raise body_too_large(limit)
    return data


def decode_text(data: bytes, what: str = "the request body") -> str:
    """Decode a text body with the charset of its Content-Type (UTF-8 by default)."""
    charset = (request.mimetype_params.get("charset") or "utf-8").strip().lower()
    try:
        codecs.lookup(charset)
    except LookupError:
        raise Problem(415, "unsupported-media-type", f"unknown charset {charset[:40]!r}; send "
                      f"UTF-8", accept=["utf-8"]) from None
    if charset in ("utf-8", "utf8") and data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        return data.decode(charset)
    except UnicodeDecodeError as exc:
        raise Problem(400, "invalid-encoding",
                      f"{what} is not valid {charset}: byte 0x{data[exc.start]:02X} at offset "
                      f"{exc.start} ({exc.reason})", offset=exc.start) from None


def parse_json(data: bytes) -> Any:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Problem(400, "invalid-encoding",
                      f"the JSON body is not valid UTF-8: byte 0x{data[exc.start]:02X} at offset "
                      f"{exc.start}", offset=exc.start) from None
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError) as exc:
        raise Problem(400, "invalid-body", f"the body is not valid JSON: {exc}") from None
