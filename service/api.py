"""The ``/v1`` API: geocode, parse, reverse, places and batch.

Answers are the GeoJSON the CLI prints (``gazetteer.geojson.feature_collection``), sent as
``application/geo+json``; errors are problem+json (see ``problems.py``).
"""
from __future__ import annotations

import codecs
import importlib
import io
import json
from types import ModuleType
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, request
from werkzeug.datastructures import MultiDict

from gazetteer import Gazetteer, InputFormatError, Match, Place, QueryError
from gazetteer.csvio import InputLimits
from gazetteer.exceptions import InputTooLarge
from gazetteer.geojson import feature_collection
from gazetteer.query import MAX_QUERY_LENGTH

from .blocking import run_blocking
from .params import (
    check_text, decode_text, first, get_float, get_int, get_list, parse_json, read_body,
)
from .problems import Problem, body_too_large, param_error
from .response_cache import ResponseCache

bp = Blueprint("v1", __name__, url_prefix="/v1")

GEOJSON = "application/geo+json"
COUNTRY_CODE = "sy"


# -- helpers ----------------------------------------------------------------------------------
def gazetteer() -> Gazetteer:
    return current_app.extensions["gazetteer"].get()


def encode(obj: Any) -> bytes:
    """The JSON body of an answer (orjson unless configured otherwise: ``service.encoder``)."""
    return current_app.extensions["json_dumps"](obj)


def send(obj: Any, *, status: int = 200, mimetype: str = GEOJSON,
         headers: dict[str, str] | None = None) -> Response:
    resp = Response(encode(obj), status=status, mimetype=mimetype)
    if headers:
        resp.headers.update(headers)
    return resp


def not_available(what: str) -> Problem:
    return Problem(503, "not-available",
                   f"{what} is not available in this version of the gazetteer library",
                   headers={"Retry-After": "3600"})


def place_feature(place: Place) -> dict[str, Any]:
    """A place as a GeoJSON Feature: the CLI's properties plus its other names."""
    props = place.properties()
    props["alt_ar"] = list(place.alt_ar)
    props["alt_en"] = list(place.alt_en)
    props["parent_id"] = place.parent_id or None
    props["importance"] = place.importance
    return {"type": "Feature", "id": place.id,
            "geometry": {"type": "Point", "coordinates": [place.lon, place.lat]},
            "properties": props}


def admin1_param(gz: Gazetteer, value: str | None, name: str = "admin1") -> str | None:
    if value is None or not value.strip():
        return None
    pcode = gz.admin1_pcode(value.strip())
    if pcode is None:
        raise param_error(name, f"unknown governorate {value[:60]!r}; give a p-code (SY01..SY14) "
                          f"or a governorate name", status=422)
    return pcode


def types_param(gz: Gazetteer, name: str = "type") -> list[str] | None:
    types = get_list(name)
    if types:
        known = place_types(gz)
        unknown = sorted(set(types) - known)
        if unknown:
            raise param_error(name, f"unknown place type(s) {', '.join(unknown)[:200]}; known: "
                              f"{', '.join(sorted(known))}", status=422)
    return types


def place_types(gz: Gazetteer) -> frozenset[str]:
    cache = current_app.extensions.setdefault("gazetteer_types", {})
    key = id(gz)
    if key not in cache:
        cache[key] = frozenset(p.type for p in gz.places)
    return cache[key]


# -- geocode ----------------------------------------------------------------------------------
@bp.get("/geocode")
def geocode() -> Response:
    # A query string answered before is answered again from the cache without reading it
    # (reading and checking the parameters costs as much as the rest of a cached answer).
    cache: ResponseCache = current_app.extensions["response_cache"]
    as_sent = ("geocode-as-sent", request.query_string)
    entry = cache.get(as_sent) if cache.enabled else None
    if entry is not None:
        return Response(entry[0], mimetype=entry[1])
    q, q_name = first("q", "text", "query")
    if q is None or not q.strip():
        raise param_error(q_name or "q", "is required: the place name to look up, e.g. "
                          "?q=Aleppo or ?q=حلب")
    q_name = q_name or "q"
    q = check_text(q_name, q)
    if len(q.strip()) > MAX_QUERY_LENGTH:
        raise param_error(q_name, f"is {len(q.strip())} characters long; the limit is "
                          f"{MAX_QUERY_LENGTH}", status=422)
    limit_value, limit_name = first("limit", "size")
    limit = get_int(limit_name or "limit", limit_value, default=5, minimum=1,
                    maximum=current_app.config["GEOCODE_MAX_LIMIT"])
    min_conf = get_float("min_confidence", request.args.get("min_confidence"), minimum=0.0,
                         maximum=1.0, default=0.3)
    fmt = (request.args.get("format") or "geojson").strip().lower()
    if fmt not in ("geojson", "json", "jsonv2"):
        raise param_error("format", f"must be geojson (the default), json or jsonv2, not "
                          f"{fmt[:20]!r}")
    codes = get_list("countrycodes")
    gz = gazetteer()
    admin1 = admin1_param(gz, request.args.get("admin1"))
    types = types_param(gz)
    if codes is not None:
        bad = [c for c in codes if len(c) != 2 or not c.isascii() or not c.isalpha()]
        if bad:
            raise param_error("countrycodes", f"must be ISO 3166-1 alpha-2 codes, not "
                              f"{bad[0][:20]!r}")
    elsewhere = codes is not None and COUNTRY_CODE not in {c.lower() for c in codes}
    # everything the answer depends on, validated: the same key, the same bytes
    key = ("geocode", q, limit, min_conf, fmt, admin1, tuple(types) if types else None,
           elsewhere)
    entry = cache.get(key) if cache.enabled else None
    if entry is None:
        if elsewhere:
            matches: list[Match] = []  # a Syrian gazetteer: nothing in other countries
        else:
            matches = gz.geocode(q, limit=limit, admin1=admin1, types=types,
                                 min_confidence=min_conf)
        if fmt == "geojson":
            entry = (encode(feature_collection(matches, query=q)), GEOJSON)
        else:
            entry = (encode([nominatim_result(m, v2=fmt == "jsonv2") for m in matches]),
                     "application/json")
        cache.put(key, entry)
    cache.put(as_sent, entry)  # the same bytes object: the body is held once
    return Response(entry[0], mimetype=entry[1])


def nominatim_result(m: Match, *, v2: bool) -> dict[str, Any]:
    """A match in the shape of a Nominatim ``format=json``/``jsonv2`` search result."""
    p = m.place
    admins = [a for a in (p.admin3, p.admin2, p.admin1) if a]
    parts = [p.name_en or p.name_ar]
    for a in admins:
        if a.name_en and a.name_en not in parts:
            parts.append(a.name_en)
    parts.append("Syria")
    address = {level: a.name_en for level, a in
               (("subdistrict", p.admin3), ("district", p.admin2), ("governorate", p.admin1)) if a}
    address |= {"country": "Syria", "country_code": COUNTRY_CODE}
    out: dict[str, Any] = {
        "place_id": p.id,
        "lat": f"{p.lat:.7f}".rstrip("0").rstrip("."),
        "lon": f"{p.lon:.7f}".rstrip("0").rstrip("."),
        "name": p.name_en or p.name_ar,
        "name_ar": p.name_ar,
        "display_name": ", ".join(parts),
        ("category" if v2 else "class"): "place",
        "type": p.type,
        "importance": round(m.confidence, 3),
        "address": address,
    }
    return out


# -- parse ------------------------------------------------------------------------------------
PARSE_MEDIA_TYPES = ("text/plain", "application/json", "application/x-www-form-urlencoded")


@bp.post("/parse")
def parse() -> Response:
    limit = current_app.config["MAX_PARSE_BYTES"]
    mimetype = request.mimetype or "text/plain"
    if mimetype not in PARSE_MEDIA_TYPES:
        raise Problem(415, "unsupported-media-type",
                      f"send the text as text/plain (UTF-8) or as JSON {{\"text\": ...}}, not "
                      f"{mimetype[:60]}", accept=list(PARSE_MEDIA_TYPES))
    data = read_body(limit)
    if not data:
        raise Problem(422, "invalid-body", "the request has no body: send the text to parse "
                      "(text/plain) or {\"text\": ...} (application/json)")
    if mimetype == "application/json":
        doc = parse_json(data)
        if not isinstance(doc, dict) or "text" not in doc:
            raise Problem(422, "invalid-body", 'the JSON body must be an object with a "text" '
                          'member: {"text": "..."}')
        text = doc["text"]
        if not isinstance(text, str):
            raise Problem(422, "invalid-body", f'"text" must be a string, not '
                          f'{type(text).__name__ if text is not None else "null"}')
    elif mimetype == "application/x-www-form-urlencoded":
        text = decode_text(data)
        from urllib.parse import parse_qs

        fields = parse_qs(text, keep_blank_values=True)
        if "text" not in fields:
            raise Problem(422, "invalid-body", "the form must have a text field; to send raw "
                          "text use Content-Type: text/plain (curl --data-binary @file "
                          "-H 'Content-Type: text/plain')")
        text = fields["text"][0]
    else:
        text = decode_text(data)
    text = check_text("text", text)
    max_chars = current_app.config["MAX_TEXT_CHARS"]
    if len(text) > max_chars:
        raise Problem(413, "text-too-long", f"the text is {len(text)} characters long; the "
                      f"limit is {max_chars} characters: split it into smaller documents",
                      limit=max_chars)
    gz = gazetteer()
    if not hasattr(gz, "parse"):
        raise not_available("parsing (Gazetteer.parse)")
    return send(run_blocking(parse_collection, gz, text))


def parse_collection(gz: Gazetteer, text: str) -> dict[str, Any]:
    """The FeatureCollection ``gazetteer parse`` prints: the mentions in text order, and the
    document's ``focus`` (its governorate and main place) when there is one."""
    from gazetteer.commands.parse import collection

    return collection(gz, text)


# -- reverse ----------------------------------------------------------------------------------
@bp.get("/reverse")
def reverse() -> Response:
    point = request.args.get("point")
    if point is not None and "lat" not in request.args:
        from gazetteer.coords import parse_point  # "36.2,37.1", "36°12'N 37°9'E", ...

        lat, lon = parse_point(check_text("point", point))  # CoordinateError: 422
    else:
        lat_value, lat_name = first("lat", "point.lat")
        lon_value, lon_name = first("lon", "point.lon")
        lat = get_float(lat_name or "lat", lat_value, minimum=-90.0, maximum=90.0)
        lon = get_float(lon_name or "lon", lon_value, minimum=-180.0, maximum=180.0)
    radius = get_float("radius", request.args.get("radius"), minimum=0.0, maximum=500.0,
                       default=10.0)
    limit = get_int("limit", request.args.get("limit"), default=5, minimum=0,
                    maximum=current_app.config["REVERSE_MAX_LIMIT"])
    gz = gazetteer()
    types = types_param(gz)
    if not hasattr(gz, "reverse"):
        raise not_available("reverse geocoding (Gazetteer.reverse)")
    try:
        result = gz.reverse(lat, lon, radius_km=radius, limit=limit, types=types)
    except ModuleNotFoundError as exc:  # the library's reverse module not there yet
        if not (exc.name or "").startswith("gazetteer"):
            raise
        raise not_available("reverse geocoding (gazetteer.reverse)") from None
    return send(reverse_geojson(result))


def reverse_geojson(result: Any) -> Any:
    if result is None:
        return {"type": "FeatureCollection", "features": []}
    for method in ("to_geojson", "to_feature"):
        if hasattr(result, method):
            return getattr(result, method)()
    return result


# -- places -----------------------------------------------------------------------------------
@bp.get("/places/<path:place_id>")
def place(place_id: str) -> Response:
    gz = gazetteer()
    found = gz.get(place_id)
    if found is None:
        raise Problem(404, "not-found", f"no place has the id {place_id[:80]!r}")
    return send(place_feature(found))


@bp.get("/places")
def places() -> Response:
    cfg = current_app.config
    limit = get_int("limit", request.args.get("limit"), default=cfg["PLACES_DEFAULT_LIMIT"],
                    minimum=1, maximum=cfg["PLACES_MAX_LIMIT"])
    offset = get_int("offset", request.args.get("offset"), default=0, minimum=0,
                     maximum=10_000_000)
    gz = gazetteer()
    admin1 = admin1_param(gz, request.args.get("admin1"))
    admin2 = (request.args.get("admin2") or "").strip() or None
    admin3 = (request.args.get("admin3") or "").strip() or None
    types = types_param(gz)
    wanted = frozenset(types) if types else None

    def keep(p: Place) -> bool:
        return ((wanted is None or p.type in wanted)
                and (admin1 is None or (p.admin1 is not None and p.admin1.pcode == admin1))
                and (admin2 is None or (p.admin2 is not None and p.admin2.pcode == admin2))
                and (admin3 is None or (p.admin3 is not None and p.admin3.pcode == admin3)))

    selected = [p for p in gz.places if keep(p)] if (wanted or admin1 or admin2 or admin3) \
        else gz.places
    page = selected[offset:offset + limit]
    links = [{"rel": "self", "type": GEOJSON, "href": page_url(offset, limit)}]
    headers = {}
    if offset + limit < len(selected):
        links.append({"rel": "next", "type": GEOJSON, "href": page_url(offset + limit, limit)})
        headers["Link"] = f'<{links[-1]["href"]}>; rel="next"'
    if offset > 0:
        links.append({"rel": "prev", "type": GEOJSON,
                      "href": page_url(max(0, offset - limit), limit)})
    fc = {"type": "FeatureCollection", "numberMatched": len(selected),
          "numberReturned": len(page), "links": links,
          "features": [place_feature(p) for p in page]}
    return send(fc, headers=headers)


def page_url(offset: int, limit: int) -> str:
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in ("offset", "limit")]
    args += [("limit", str(limit)), ("offset", str(offset))]
    return f"{request.path}?{urlencode(args)}"


# -- batch ------------------------------------------------------------------------------------
def batch_module() -> ModuleType | None:
    try:
        return importlib.import_module("gazetteer.batch")
    except ModuleNotFoundError as exc:
        if exc.name != "gazetteer.batch":
            raise
        return None


BATCH_MEDIA_TYPES = ("text/csv", "text/plain", "application/csv", "text/tab-separated-values",
                     "application/vnd.ms-excel", "application/octet-stream",
                     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                     "multipart/form-data")
TRUE_WORDS = ("1", "true", "yes", "on")


@bp.post("/batch")
def batch() -> Response:
    """CSV in, CSV out: ``gazetteer.batch.geocode_csv``, the same code as ``gazetteer batch``."""
    cfg = current_app.config
    limit = cfg["MAX_BATCH_BYTES"]
    mimetype = request.mimetype or "text/csv"
    if mimetype not in BATCH_MEDIA_TYPES:
        raise Problem(415, "unsupported-media-type",
                      f"send the CSV as the body (Content-Type: text/csv) or as the file field of "
                      f"a multipart/form-data upload, not {mimetype[:60]}",
                      accept=list(BATCH_MEDIA_TYPES))
    options = MultiDict(request.args)
    bom = request.args.get("output_encoding", "utf-8").strip().lower()
    if bom not in ("utf-8", "utf8", "utf-8-sig"):
        raise param_error("output_encoding", "must be utf-8 or utf-8-sig (with a BOM, for Excel)")
    filename = "upload"
    if mimetype == "multipart/form-data":
        if request.content_length is not None and request.content_length > limit:
            raise body_too_large(limit)
        g.body_limit = limit
        request.max_content_length = limit
        upload = request.files.get("file")
        if upload is None:
            raise Problem(422, "invalid-body", "the multipart form has no file field: upload the "
                          "CSV as file=@names.csv")
        data = upload.read(limit + 1)
        if len(data) > limit:
            raise body_too_large(limit)
        for key, value in request.form.items(multi=True):
            options.add(key, value)
        filename = upload.filename or filename
    else:
        data = read_body(limit)
    if not data.strip():
        raise Problem(422, "invalid-body", "the CSV is empty: send a header line and rows")

    module = batch_module()
    if module is None:
        raise not_available("batch geocoding (gazetteer.batch)")
    gz = gazetteer()
    kwargs = batch_options(options)
    kwargs["limits"] = InputLimits(xlsx_bytes=cfg["MAX_BATCH_XLSX_BYTES"],
                                   xlsx_strings_bytes=cfg["MAX_BATCH_XLSX_STRINGS_BYTES"])
    run_blocking(check_rows, data, kwargs, dict(cfg))
    out = io.BytesIO()
    try:
        summary = run_blocking(module.geocode_csv, data, out, gazetteer=gz, workers=1, **kwargs)
    except (InputFormatError, QueryError) as exc:
        raise Problem(422, "invalid-body", f"the CSV cannot be geocoded: {cli_to_http(exc)}")\
            from None
    stem = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "_"
                   for c in filename.rsplit("/", 1)[-1].rsplit(".", 1)[0])[:60] or "upload"
    payload = out.getvalue()
    if bom == "utf-8-sig":
        payload = codecs.BOM_UTF8 + payload
    resp = Response(payload, mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    resp.headers["Content-Disposition"] = f'attachment; filename="{stem}-geocoded.csv"'
    info = summary.as_dict() if hasattr(summary, "as_dict") else {}
    resp.headers["X-Batch-Summary"] = json.dumps(
        {k: v for k, v in info.items() if k in ("rows_in", "rows_out", "matched", "ambiguous",
                                                "not_found", "invalid", "mentions", "ragged_rows",
                                                "decode_errors", "encoding", "delimiter",
                                                "seconds")},
        ensure_ascii=True, separators=(",", ":"))
    return resp


DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}


TYPED_BATCH_OPTIONS = ("one_row_per_mention", "output_encoding", "min_confidence", "alternatives")


def batch_options(options: MultiDict) -> dict[str, Any]:
    """``geocode_csv`` keyword arguments from the query string (and multipart form fields): the
    options of ``gazetteer batch`` with underscores (``text_column``, ``context_column``...)."""
    kwargs: dict[str, Any] = {}
    for name in TYPED_BATCH_OPTIONS:  # a number, flag or choice given as "" is no value at all
        if name in options and not options[name].strip():
            raise param_error(name, "is empty: give a value or leave the parameter out")
    for name in ("column", "text_column", "admin1", "encoding", "prefix", "sheet"):
        value = options.get(name)
        if value is not None and value != "":
            kwargs[name] = check_text(name, value)
    for name in ("delimiter", "output_delimiter"):
        value = options.get(name)
        if value:
            value = DELIMITERS.get(value.lower(), value)
            if len(value) != 1:
                raise param_error(name, "must be one character, or comma, semicolon, tab or pipe")
            kwargs[name] = value
    context = [c.strip() for raw in options.getlist("context_column") + options.getlist("context")
               for c in raw.split(",") if c.strip()]
    if context:
        kwargs["context_columns"] = context
    types = [t.strip() for raw in options.getlist("type") for t in raw.split(",") if t.strip()]
    if types:
        kwargs["types"] = types
    if options.get("min_confidence"):
        kwargs["min_confidence"] = get_float("min_confidence", options["min_confidence"],
                                             minimum=0.0, maximum=1.0)
    if options.get("alternatives"):
        kwargs["alternatives"] = get_int("alternatives", options["alternatives"], default=4,
                                         minimum=0, maximum=20)
    flag = options.get("one_row_per_mention")
    flag = flag.strip().lower() if flag is not None else "false"
    if flag not in TRUE_WORDS + ("0", "false", "no", "off"):
        raise param_error("one_row_per_mention", "must be true or false")
    if flag in TRUE_WORDS:
        kwargs["one_row_per_mention"] = True
    return kwargs


def check_rows(data: bytes, kwargs: dict[str, Any], cfg: Any) -> None:
    """Read the upload once before geocoding any of it (stopping at the first limit passed):
    413 when it has too many rows, cells or characters, or when an .xlsx would decompress past
    its limits (checked from the archive's directory, before anything is inflated)."""
    from gazetteer.csvio import open_table

    max_rows, max_cells, max_chars = (cfg["MAX_BATCH_ROWS"], cfg["MAX_BATCH_CELLS"],
                                      cfg["MAX_BATCH_CHARS"])
    try:
        with open_table(data, encoding=kwargs.get("encoding"), delimiter=kwargs.get("delimiter"),
                        sheet=kwargs.get("sheet"), limits=kwargs["limits"]) as table:
            rows = 0
            cells = len(table.header)
            header_only = True
            chars = sum(map(len, table.header))
            for row in table.rows:
                rows += 1
                header_only = False
                cells += len(row)
                chars += sum(map(len, row))
                if rows > max_rows:
                    raise Problem(413, "too-many-rows",
                                  f"the CSV has more than {max_rows} data rows; the limit is "
                                  f"{max_rows}: split it, or use the gazetteer batch command",
                                  limit=max_rows)
                if cells > max_cells:
                    raise Problem(413, "upload-too-large",
                                  f"the upload has more than {max_cells:,} cells (by row {rows}); "
                                  f"the limit is {max_cells:,}: split it, or use the gazetteer "
                                  f"batch command", limit=max_cells)
                if chars > max_chars:
                    raise Problem(413, "upload-too-large",
                                  f"the cells of the upload hold more than {max_chars:,} "
                                  f"characters (by row {rows}); the limit is {max_chars:,}: "
                                  f"split it, or use the gazetteer batch command", limit=max_chars)
            if header_only:
                raise Problem(422, "invalid-body", "the CSV has a header line but no data rows")
    except InputTooLarge as exc:
        detail = str(exc).split(" (raise it")[0]
        raise Problem(413, "upload-too-large", f"{detail}: save the sheet as CSV, or use the "
                      f"gazetteer batch command", limit=exc.limit) from None
    except InputFormatError as exc:
        raise Problem(422, "invalid-body", f"the CSV cannot be read: {cli_to_http(exc)}")\
            from None


CLI_OPTIONS = {"--text-column": "text_column=", "--column": "column=", "--encoding": "encoding=",
               "--prefix": "prefix=", "--delimiter": "delimiter=", "--context": "context="}


def cli_to_http(exc: Exception) -> str:
    """The library's messages name CLI options; here they are query parameters."""
    text = str(exc)
    for option, param in CLI_OPTIONS.items():
        text = text.replace(option, param)
    return text
