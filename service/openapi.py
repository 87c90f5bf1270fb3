"""The OpenAPI 3.1 description of the service, served at ``/openapi.json``."""
from __future__ import annotations

from typing import Any, Mapping

from .problems import PROBLEM_TYPES, TYPE_PREFIX

GEOJSON = "application/geo+json"
PROBLEM = "application/problem+json"


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _problem(description: str, *, headers: Mapping[str, Any] | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"description": description,
                           "content": {PROBLEM: {"schema": _ref("Problem")}}}
    if headers:
        out["headers"] = dict(headers)
    return out


RETRY_AFTER = {"Retry-After": {"description": "seconds to wait before trying again",
                               "schema": {"type": "string"}}}
NOT_READY = _problem("the gazetteer is still loading, or this feature is not available in the "
                     "installed library (`not-ready`, `not-available`)", headers=RETRY_AFTER)
BAD_PARAM = _problem("a parameter is missing or malformed, or the query string is not UTF-8 "
                     "(`invalid-parameter`, `invalid-encoding`)")
UNPROCESSABLE = _problem("a parameter is well-formed but unusable: unknown governorate or place "
                         "type, query over 500 characters, ... (`invalid-parameter`, "
                         "`invalid-query`, `invalid-coordinates`)")


def _param(name: str, description: str, schema: dict[str, Any], *, required: bool = False,
           where: str = "query", **extra: Any) -> dict[str, Any]:
    return {"name": name, "in": where, "required": required, "description": description,
            "schema": schema, **extra}


ADMIN_REF = {"type": ["object", "null"], "required": ["pcode", "name_en", "name_ar"],
             "properties": {"pcode": {"type": "string"}, "name_en": {"type": "string"},
                            "name_ar": {"type": "string"}}}
POINT = {"type": "object", "required": ["type", "coordinates"],
         "properties": {"type": {"const": "Point"},
                        "coordinates": {"type": "array", "minItems": 2, "maxItems": 3,
                                        "items": {"type": "number"},
                                        "description": "[longitude, latitude] (RFC 7946)"}}}
PLACE_PROPERTIES = {
    "id": {"type": "string", "description": "p-code (admin units) or gazetteer id"},
    "name_ar": {"type": "string"}, "name_en": {"type": "string"},
    "type": {"type": "string", "description": "governorate, district, subdistrict, city, town, "
                                              "village, neighbourhood, camp, ..."},
    "admin1": {**ADMIN_REF, "description": "governorate"},
    "admin2": {**ADMIN_REF, "description": "district"},
    "admin3": {**ADMIN_REF, "description": "subdistrict"},
}
PLACE_REQUIRED = ["id", "name_ar", "name_en", "type", "admin1", "admin2", "admin3"]

SCHEMAS: dict[str, Any] = {
    "Problem": {
        "type": "object", "description": "RFC 9457 problem details",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "description": "about:blank or one of "
                     + ", ".join(TYPE_PREFIX + s for s in PROBLEM_TYPES)},
            "title": {"type": "string"}, "status": {"type": "integer"},
            "detail": {"type": "string", "description": "what is wrong with this request"},
            "instance": {"type": "string"},
            "errors": {"type": "array", "items": {
                "type": "object", "required": ["parameter", "detail"],
                "properties": {"parameter": {"type": "string"}, "detail": {"type": "string"}}}},
            "limit": {"type": "integer", "description": "the limit the request went over"},
            "accept": {"type": "array", "items": {"type": "string"}},
            "offset": {"type": "integer", "description": "offset of the first invalid byte"},
        },
    },
    "Point": POINT,
    "AdminRef": ADMIN_REF,
    "MatchFeature": {
        "type": "object", "required": ["type", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"}, "geometry": _ref("Point"),
            "properties": {
                "type": "object", "required": PLACE_REQUIRED + ["confidence", "matched_name",
                                                                 "ambiguous"],
                "properties": {
                    **PLACE_PROPERTIES,
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "matched_name": {"type": "string"},
                    "ambiguous": {"type": "boolean", "description": "other, distant places "
                                  "match as well"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                    "rivals": {"type": "array", "description": "an ambiguous answer: the "
                               "distant places its name may mean as well",
                               "items": {"type": "object", "required": ["id", "type"],
                                         "properties": {
                                             "id": {"type": "string"},
                                             "name_en": {"type": "string"},
                                             "name_ar": {"type": "string"},
                                             "type": {"type": "string"},
                                             "admin1": {"type": ["string", "null"]}}}},
                }}}},
    "GeocodeResult": {
        "type": "object", "required": ["type", "features"],
        "properties": {"type": {"const": "FeatureCollection"}, "query": {"type": "string"},
                       "features": {"type": "array", "items": _ref("MatchFeature")}}},
    "NominatimResult": {
        "type": "object", "description": "a Nominatim-style search result (format=json/jsonv2)",
        "required": ["place_id", "lat", "lon", "display_name", "type", "importance"],
        "properties": {"place_id": {"type": "string"}, "lat": {"type": "string"},
                       "lon": {"type": "string"}, "name": {"type": "string"},
                       "name_ar": {"type": "string"}, "display_name": {"type": "string"},
                       "class": {"type": "string"}, "category": {"type": "string"},
                       "type": {"type": "string"}, "importance": {"type": "number"},
                       "address": {"type": "object",
                                   "additionalProperties": {"type": "string"}}}},
    "MentionFeature": {
        "type": "object", "required": ["type", "geometry", "properties"],
        "description": "a place named in the text: the place's properties, where it is written "
                       "(`surface`, character offsets `start`/`end`) and how sure",
        "properties": {
            "type": {"const": "Feature"},
            "geometry": _ref("Point"),
            "properties": {
                "type": "object", "required": PLACE_REQUIRED + ["surface", "start", "end",
                                                                 "confidence"],
                "properties": {
                    **PLACE_PROPERTIES,
                    "surface": {"type": "string", "description": "the text as written"},
                    "start": {"type": "integer", "minimum": 0},
                    "end": {"type": "integer", "minimum": 0},
                    "confidence": {"type": "number", "minimum": 0, "maximum": 1},
                    "reading": {"type": "string"},
                    "reasons": {"type": "array", "items": {"type": "string"}},
                    "alternatives": {"type": "array", "items": {"type": "object"}}}}}},
    "ParseResult": {
        "type": "object", "required": ["type", "features"],
        "properties": {
            "type": {"const": "FeatureCollection"},
            "focus": {"type": "object", "description": "the governorate the text is mostly "
                      "about and its most confident place there (absent when no place is "
                      "named)", "properties": {"admin1": ADMIN_REF,
                                                "weight": {"type": "number"},
                                                "place": {"type": "object"}}},
            "features": {"type": "array", "items": _ref("MentionFeature")}}},
    "ReverseResult": {
        "type": "object", "required": ["type", "features"],
        "description": "what `gazetteer reverse LAT LON` prints: the query point first (its "
                       "admin units, neighbourhood, `outside`), then the nearby places, nearest "
                       "first, each with `distance_km`",
        "properties": {
            "type": {"const": "FeatureCollection"},
            "features": {"type": "array", "minItems": 1, "items": {
                "type": "object", "required": ["type", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"}, "id": {"type": "string"},
                    "geometry": _ref("Point"),
                    "properties": {"type": "object", "required": ["role"], "properties": {
                        "role": {"enum": ["query", "nearby"]},
                        "outside": {"type": "boolean"},
                        "admin1": ADMIN_REF, "admin2": ADMIN_REF, "admin3": ADMIN_REF,
                        "match": {"type": "string"},
                        "distance_km": {"type": "number", "minimum": 0}}}}}}}},
    "PlaceFeature": {
        "type": "object", "required": ["type", "id", "geometry", "properties"],
        "properties": {
            "type": {"const": "Feature"}, "id": {"type": "string"}, "geometry": _ref("Point"),
            "properties": {
                "type": "object", "required": PLACE_REQUIRED,
                "properties": {**PLACE_PROPERTIES,
                               "alt_ar": {"type": "array", "items": {"type": "string"}},
                               "alt_en": {"type": "array", "items": {"type": "string"}},
                               "parent_id": {"type": ["string", "null"]},
                               "importance": {"type": "number"}}}}},
    "Link": {"type": "object", "required": ["rel", "href"],
             "properties": {"rel": {"type": "string"}, "href": {"type": "string"},
                            "type": {"type": "string"}}},
    "PlaceCollection": {
        "type": "object",
        "required": ["type", "numberMatched", "numberReturned", "links", "features"],
        "properties": {"type": {"const": "FeatureCollection"},
                       "numberMatched": {"type": "integer", "minimum": 0},
                       "numberReturned": {"type": "integer", "minimum": 0},
                       "links": {"type": "array", "items": _ref("Link")},
                       "features": {"type": "array", "items": _ref("PlaceFeature")}}},
    "Health": {"type": "object", "required": ["status"],
               "properties": {"status": {"type": "string"}, "pid": {"type": "integer"},
                              "places": {"type": "integer"},
                              "load_seconds": {"type": "number"},
                              "features": {"type": "object",
                                           "additionalProperties": {"type": "boolean"}}}},
}

TYPE_PARAM = _param("type", "restrict to place types: repeat it or separate with commas "
                    "(`type=town,village`)",
                    {"type": "array", "items": {"type": "string", "example": "town"}},
                    style="form", explode=True)
ADMIN1_PARAM = _param("admin1", "restrict to a governorate: p-code (`SY02`) or name in either "
                      "script (`Aleppo`, `حلب`)", {"type": "string", "example": "SY02"})


_S = {"type": "string"}
DELIMITER = {"type": "string", "pattern": r"^([\s\S]|comma|semicolon|tab|pipe|\\t)?$"}
BATCH_PARAMS = [
    _param("column", "the column of place names (not needed for a one-column file)", _S),
    _param("text_column", "instead of `column`: a column of free text to geoparse", _S),
    _param("one_row_per_mention", "with `text_column`: one output row per place mentioned",
           {"type": "boolean", "default": False}),
    _param("context_column", "a column (e.g. governorate) appended to the name as a qualifier; "
           "repeatable or comma-separated", {"type": "array", "items": _S}, style="form",
           explode=True),
    _param("encoding", "input encoding (default: sniffed: UTF-8, UTF-8 BOM, UTF-16, "
           "Windows-1256)", _S),
    _param("delimiter", "input delimiter: one character, or comma/semicolon/tab/pipe (default: "
           "sniffed)", DELIMITER),
    _param("output_delimiter", "default: the input's", DELIMITER),
    _param("output_encoding", "`utf-8` (default) or `utf-8-sig` (a BOM, so that Excel shows "
           "Arabic)", {"type": "string", "enum": ["utf-8", "utf-8-sig"]}),
    _param("sheet", ".xlsx worksheet (default: the first)", _S),
    _param("min_confidence", "answers below this are not_found (default 0.3 for names)",
           {"type": "number", "minimum": 0, "maximum": 1}),
    _param("admin1", "restrict to a governorate (p-code or name)", _S),
    _param("type", "restrict to place types; repeatable or comma-separated",
           {"type": "array", "items": _S}, style="form", explode=True),
    _param("alternatives", "other candidates listed for an ambiguous name (0..20, default 4)",
           {"type": "integer", "minimum": 0, "maximum": 20}),
    _param("prefix", "put before each added column name, e.g. `geo_`", _S),
]


def web_paths() -> dict[str, Any]:
    """The analysts' page (``service/web.py``) and the two answers it asks for besides /v1."""
    return {
        "/": {"get": {
            "operationId": "web_page", "tags": ["web page"],
            "summary": "The web page for analysts: Text, Look up and Batch views",
            "responses": {"200": {"description": "an HTML page (its files are under /web/)",
                                  "content": {"text/html": {"schema": {"type": "string"}}}}}}},
        "/web/boundaries.geojson": {"get": {
            "operationId": "web_boundaries", "tags": ["web page"],
            "summary": "Governorate and district outlines, simplified to about 1 km",
            "description": "One FeatureCollection: each feature's `level` is 1 (governorate) "
                           "or 2 (district), with `pcode`, `name_en`, `name_ar` and `label` "
                           "(a [lon, lat] inside it).",
            "responses": {"200": {"description": "the outlines", "content": {
                GEOJSON: {"schema": {"type": "object", "required": ["type", "features"]}}}},
                "503": NOT_READY}}},
        "/web/suggest": {"get": {
            "operationId": "web_suggest", "tags": ["web page"],
            "summary": "Places whose name begins with what has been typed",
            "description": "As /v1/geocode's answer; each feature's `completion` is the name "
                           "completed, its `confidence` the one /v1/geocode gives that place "
                           "for the completed name.",
            "parameters": [
                _param("q", "the beginning of a name (2 letters or more find something)",
                       {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S",
                        "example": "خان طو"}, required=True),
                _param("limit", "most answers (1..20, default 8)",
                       {"type": "integer", "minimum": 1, "maximum": 20, "default": 8})],
            "responses": {"200": {"description": "the completions, most important place first",
                                  "content": {GEOJSON: {"schema": _ref("GeocodeResult")}}},
                          "400": BAD_PARAM, "422": UNPROCESSABLE, "503": NOT_READY}}},
    }


def build_spec(config: Mapping[str, Any]) -> dict[str, Any]:
    """The OpenAPI document; the limits in it are this app's configuration."""
    max_limit = config["GEOCODE_MAX_LIMIT"]
    geocode_params = [
        _param("q", "the place name to find, in Arabic or Latin script, optionally with "
               "qualifiers (`Tedef, Aleppo`, `مخيم حندرات`). (`text`, Pelias-style, and "
               "`query` are accepted in its place.)",
               {"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S",
                "example": "Aleppo"}, required=True),
        _param("limit", f"most answers to return (1..{max_limit}, default 5)",
               {"type": "integer", "minimum": 1, "maximum": max_limit, "default": 5}),
        _param("size", "Pelias-style alias of `limit`", {"type": "integer", "minimum": 1,
                                                         "maximum": max_limit}),
        ADMIN1_PARAM, TYPE_PARAM,
        _param("min_confidence", "leave out answers less sure than this (default 0.3)",
               {"type": "number", "minimum": 0, "maximum": 1, "default": 0.3}),
        _param("format", "`geojson` (default): a GeoJSON FeatureCollection as `gazetteer "
               "geocode` prints it; `json`/`jsonv2`: a Nominatim-style array",
               {"type": "string", "enum": ["geojson", "json", "jsonv2"], "default": "geojson"}),
        _param("countrycodes", "Nominatim-style country filter (comma-separated ISO codes): "
               "answers are empty unless it includes `sy`",
               {"type": "string", "example": "sy",
                "pattern": r"^[\s,]*([A-Za-z]{2}(\s*,[\s,]*|\s*$))*$"}),
    ]
    body_limit = config["MAX_PARSE_BYTES"]
    batch_limit = config["MAX_BATCH_BYTES"]
    paths: dict[str, Any] = {
        "/v1/geocode": {"get": {
            "operationId": "geocode", "tags": ["geocoding"],
            "summary": "Find places by name",
            "description": "Places matching the name, best first, each with a confidence in "
                           "[0, 1]. An empty `features` array means *not found*.",
            "parameters": geocode_params,
            "responses": {
                "200": {"description": "the matches, best first", "content": {
                    GEOJSON: {"schema": _ref("GeocodeResult")},
                    "application/json": {"schema": {"type": "array",
                                                    "items": _ref("NominatimResult")}}}},
                "400": BAD_PARAM, "422": UNPROCESSABLE, "503": NOT_READY}}},
        "/v1/parse": {"post": {
            "operationId": "parse", "tags": ["geoparsing"],
            "summary": "Find the places mentioned in a text",
            "description": f"The body is the text (`text/plain`, UTF-8 unless a charset is "
                           f"given) or `{{\"text\": ...}}` as JSON. At most {body_limit} bytes "
                           f"and {config['MAX_TEXT_CHARS']} characters. Mentions come in text "
                           f"order with their character offsets `start`/`end`.",
            "requestBody": {"required": True, "content": {
                "text/plain": {"schema": {"type": "string", "minLength": 1},
                               "example": "Shelling hit Maarat al-Numan and Kafr Nabl."},
                "application/json": {"schema": {
                    "type": "object", "required": ["text"],
                    "properties": {"text": {"type": "string"}}},
                    "example": {"text": "قصف على معرة النعمان وكفرنبل"}}}},
            "responses": {
                "200": {"description": "the mentions, in text order",
                        "content": {GEOJSON: {"schema": _ref("ParseResult")}}},
                "400": _problem("invalid JSON, or bytes that are not valid in the charset "
                                "(`invalid-body`, `invalid-encoding`)"),
                "413": _problem("body or text over the limit (`body-too-large`, "
                                "`text-too-long`); `limit` says it"),
                "415": _problem("a Content-Type other than text/plain or application/json"),
                "422": _problem("no body, a JSON body without a string `text`, or unpaired "
                                "surrogates"),
                "503": NOT_READY}}},
        "/v1/reverse": {"get": {
            "operationId": "reverse", "tags": ["geocoding"],
            "summary": "The places at a point",
            "parameters": [
                _param("lat", "latitude (WGS 84); `point.lat` is accepted too. (Instead of "
                       "lat and lon, `point` may give both as one string: `36.2,37.15` or "
                       "`36°12'N 37°9'E`, exactly two numbers.)",
                       {"type": "number", "minimum": -90, "maximum": 90, "example": 36.2},
                       required=True),
                _param("lon", "longitude (WGS 84); `point.lon` is accepted too",
                       {"type": "number", "minimum": -180, "maximum": 180, "example": 37.15},
                       required=True),
                _param("radius", "nearby places within this many km (0..500, default 10)",
                       {"type": "number", "minimum": 0, "maximum": 500, "default": 10}),
                _param("limit", f"at most this many nearby places (0..{config['REVERSE_MAX_LIMIT']}, "
                       "default 5)", {"type": "integer", "minimum": 0,
                                      "maximum": config["REVERSE_MAX_LIMIT"], "default": 5}),
                TYPE_PARAM],
            "responses": {
                "200": {"description": "what `gazetteer reverse LAT LON` prints",
                        "content": {GEOJSON: {"schema": _ref("ReverseResult")}}},
                "400": BAD_PARAM, "422": UNPROCESSABLE, "503": NOT_READY}}},
        "/v1/places/{id}": {"get": {
            "operationId": "getPlace", "tags": ["places"],
            "summary": "One place by id",
            "parameters": [_param("id", "p-code (`SY02`) or gazetteer id (`C1007`)",
                                  {"type": "string", "example": "SY02"}, required=True,
                                  where="path")],
            "responses": {
                "200": {"description": "the place",
                        "content": {GEOJSON: {"schema": _ref("PlaceFeature")}}},
                "400": BAD_PARAM,
                "404": _problem("no place has this id"), "503": NOT_READY}}},
        "/v1/places": {"get": {
            "operationId": "listPlaces", "tags": ["places"],
            "summary": "List places, filtered and paginated",
            "description": "Pages of at most `limit` places; follow the `next` link (also in "
                           "the `Link` header).",
            "parameters": [
                ADMIN1_PARAM,
                _param("admin2", "restrict to a district p-code", {"type": "string"}),
                _param("admin3", "restrict to a subdistrict p-code", {"type": "string"}),
                TYPE_PARAM,
                _param("limit", f"page size (1..{config['PLACES_MAX_LIMIT']}, default "
                       f"{config['PLACES_DEFAULT_LIMIT']})",
                       {"type": "integer", "minimum": 1, "maximum": config["PLACES_MAX_LIMIT"]}),
                _param("offset", "places to skip", {"type": "integer", "minimum": 0,
                                                    "maximum": 10_000_000})],
            "responses": {
                "200": {"description": "a page of places", "headers": {
                    "Link": {"description": "RFC 8288 link to the next page",
                             "schema": {"type": "string"}}},
                    "content": {GEOJSON: {"schema": _ref("PlaceCollection")}}},
                "400": BAD_PARAM, "422": UNPROCESSABLE, "503": NOT_READY}}},
        "/v1/batch": {"post": {
            "operationId": "batch", "tags": ["geocoding"],
            "summary": "Geocode a CSV file",
            "description": f"Upload a CSV or .xlsx (the body as `text/csv`, or the `file` field "
                           f"of a multipart form, whose other fields may carry the options); get "
                           f"back the CSV `gazetteer batch` writes: every input row and column, "
                           f"then lat, lon, place_id, place names, type, admin1..3 p-codes and "
                           f"names, confidence, match_status (matched | ambiguous | not_found | "
                           f"invalid), alternatives, match_note. Rows out = rows in. At most "
                           f"{batch_limit} bytes and {config['MAX_BATCH_ROWS']} data rows; the "
                           f"`X-Batch-Summary` header counts the statuses.",
            "parameters": BATCH_PARAMS,
            "requestBody": {"required": True, "content": {
                "text/csv": {"schema": {
                    "type": "string", "description": "a header line and at least one data row",
                    "pattern": r"^\s*[^\r\n]*\S[^\r\n]*(\r\n|\r|\n)\s*\S"}},
                "multipart/form-data": {"schema": {
                    "type": "object", "required": ["file"],
                    "properties": {"file": {"type": "string", "contentMediaType": "text/csv"}}}}}},
            "responses": {
                "200": {"description": "the input rows with the geocoding columns added",
                        "headers": {"Content-Disposition": {"schema": {"type": "string"}},
                                    "X-Batch-Summary": {"description": "JSON: rows_in, "
                                                        "matched, ambiguous, not_found, ...",
                                                        "schema": {"type": "string"}}},
                        "content": {"text/csv": {"schema": {"type": "string"}}}},
                "400": _problem("not a readable CSV, or not UTF-8"),
                "413": _problem("body, rows, cells or characters over the limit, or an .xlsx "
                                "that decompresses past its limit (`too-many-rows`, "
                                "`upload-too-large`, `body-too-large`); `limit` says it"),
                "415": _problem("not text/csv or multipart/form-data"),
                "422": _problem("the CSV has no usable name column, or no rows"),
                "503": NOT_READY}}},
        "/livez": {"get": {
            "operationId": "livez", "tags": ["operations"], "summary": "Liveness probe",
            "responses": {"200": {"description": "the process answers",
                                  "content": {"application/json": {"schema": _ref("Health")}}}}}},
        "/readyz": {"get": {
            "operationId": "readyz", "tags": ["operations"], "summary": "Readiness probe",
            "responses": {
                "200": {"description": "the gazetteer is loaded",
                        "content": {"application/json": {"schema": _ref("Health")}}},
                "503": NOT_READY}}},
        "/openapi.json": {"get": {
            "operationId": "openapi", "tags": ["operations"],
            "summary": "This OpenAPI 3.1 document",
            "responses": {"200": {"description": "OpenAPI 3.1",
                                  "content": {"application/json": {"schema": {
                                      "type": "object"}}}}}}},
        "/docs": {"get": {
            "operationId": "docs", "tags": ["operations"],
            "summary": "Interactive documentation (Swagger UI, served locally)",
            "responses": {"200": {"description": "an HTML page",
                                  "content": {"text/html": {"schema": {"type": "string"}}}}}}},
        **web_paths(),
    }
    from . import curation_openapi

    paths.update(curation_openapi.paths(_problem, NOT_READY))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Syrian gazetteer API",
            "version": "1",
            "summary": "Find Syrian places however their names are written",
            "description": (
                "Geocoding, geoparsing and reverse geocoding of Syrian place names in Arabic "
                "and Latin script. Answers are GeoJSON (RFC 7946) as the `gazetteer` CLI prints "
                "them. GET endpoints allow CORS.\n\n"
                "Errors are RFC 9457 problem details (`application/problem+json`) whose "
                "`detail` says what to fix; their `type` is `about:blank` for plain HTTP errors "
                f"or `{TYPE_PREFIX}<name>` with one of these names:\n\n"
                + "\n".join(f"- `{s}`: {t}" for s, t in PROBLEM_TYPES.items())),
            "license": {"name": "MIT (code); data: see data/SOURCES.md",
                        "identifier": "MIT"},
        },
        "tags": [{"name": "geocoding"}, {"name": "geoparsing"}, {"name": "places"},
                 {"name": "operations"}, {"name": "web page"}, {"name": "curation"}],
        "paths": paths,
        "components": {"schemas": SCHEMAS | {"CurationChange": curation_openapi.CHANGE,
                                             "CurationChanges": curation_openapi.CHANGES},
                       "securitySchemes": curation_openapi.SECURITY_SCHEMES},
    }
