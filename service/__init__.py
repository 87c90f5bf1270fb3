"""The HTTP service of the Syrian gazetteer: a Flask app factory, served by gunicorn.

    from service import create_app
    app = create_app()                      # loads data/places.csv once for this process
    app = create_app({"GAZETTEER": gz})     # or serve an already loaded Gazetteer (tests)

In production: ``gazetteer serve`` or ``gunicorn -c python:service.gunicorn_conf service.wsgi:app``.
"""
from __future__ import annotations

import gc
import logging
from typing import Any, Mapping

from flask import Flask, Response, request

from . import problems
from .encoder import make_dumps
from .params import check_query_string_utf8
from .response_cache import ResponseCache
from .state import GazetteerHolder

__all__ = ["ConfigError", "DefaultConfig", "check_config", "create_app"]

MIB = 1024 * 1024


class DefaultConfig:
    """Settings; each can be overridden by ``create_app(config)`` or by an environment variable
    ``GAZETTEER_SERVICE_<NAME>`` (its value read as JSON when it parses as JSON)."""

    GAZETTEER = None  # an already loaded gazetteer.Gazetteer to serve
    GAZETTEER_PATH = None  # places.csv to load (default: the bundled data, or $GAZETTEER_DATA)
    GAZETTEER_LOAD = "eager"  # "eager": in create_app; "background": /readyz says 503 until done
    MAX_CONTENT_LENGTH = 8 * MIB  # no request body over this is ever read
    MAX_PARSE_BYTES = 256 * 1024  # POST /v1/parse body
    MAX_TEXT_CHARS = 20_000  # characters of text to parse (~10 pages; ~1 s of parsing)
    MAX_BATCH_BYTES = 8 * MIB  # POST /v1/batch body
    MAX_BATCH_ROWS = 5_000  # data rows of a batch CSV
    MAX_BATCH_CELLS = 250_000  # cells of a batch upload (rows x columns)
    MAX_BATCH_CHARS = 16_000_000  # characters in the cells of a batch upload
    MAX_BATCH_XLSX_BYTES = 64 * MIB  # what a batch .xlsx may decompress to
    MAX_BATCH_XLSX_STRINGS_BYTES = 16 * MIB  # ... its shared strings (held in memory whole)
    GEOCODE_MAX_LIMIT = 50
    REVERSE_MAX_LIMIT = 100
    PLACES_DEFAULT_LIMIT = 100
    PLACES_MAX_LIMIT = 1000
    CORS_ALLOW_ORIGIN = "*"  # for GET/HEAD (and their preflight); "" disables CORS
    CORS_MAX_AGE = 86400
    JSON_INDENT = None  # e.g. 2 for human-readable answers
    JSON_ENCODER = "orjson"  # or "json" (the standard library; see service.encoder)
    RESPONSE_CACHE_SIZE = 8192  # geocode answers kept per worker (0: no cache)
    RESPONSE_CACHE_BYTES = 32 * MIB  # ... and their bytes at most
    WARM_UP = True  # answer one request of each kind in create_app (reverse loads its polygons)


class ConfigError(ValueError):
    """A setting has a value the service cannot run with; raised by ``create_app``."""


CHOICES = {"GAZETTEER_LOAD": ("eager", "background"), "JSON_ENCODER": ("orjson", "json")}
ZERO_ALLOWED = ("CORS_MAX_AGE", "RESPONSE_CACHE_SIZE", "RESPONSE_CACHE_BYTES")
OPTIONAL_INT = ("JSON_INDENT",)  # None or a number


def check_config(config: Mapping[str, Any]) -> None:
    """Check every setting of ``DefaultConfig`` against the type of its default, at start-up:
    a bad value (``GAZETTEER_SERVICE_MAX_BATCH_ROWS=lots``) stops the start with a message naming
    the setting and the environment variable, instead of a 500 on every request later."""
    problems = []
    for name in dir(DefaultConfig):
        if not name.isupper() or name not in config:
            continue
        default, value = getattr(DefaultConfig, name), config[name]
        want = None
        if name in CHOICES:
            if value not in CHOICES[name]:
                want = " or ".join(CHOICES[name])
        elif name in OPTIONAL_INT:
            if value is not None and (type(value) is not int or value < 0):
                want = "a whole number ≥ 0, or null"
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                want = "true or false"
        elif isinstance(default, int):
            if type(value) is not int or value < (0 if name in ZERO_ALLOWED else 1):
                want = "a whole number ≥ 0" if name in ZERO_ALLOWED else "a whole number ≥ 1"
        elif isinstance(default, str):
            if not isinstance(value, str):
                want = "a string"
        elif name == "GAZETTEER_PATH" and value is not None and not isinstance(value, str):
            want = "a path"
        if want:
            problems.append(f"{name} (environment variable GAZETTEER_SERVICE_{name}) must be "
                            f"{want}, not {value!r}")
    if problems:
        raise ConfigError("bad service configuration: " + "; ".join(problems))


def environment_config() -> dict[str, Any]:
    """The settings ``GAZETTEER_SERVICE_*`` environment variables give (as ``create_app`` reads
    them), for checking before a server starts."""
    app = Flask(__name__)
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("GAZETTEER_SERVICE")
    return {k: v for k, v in app.config.items() if hasattr(DefaultConfig, k)}


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the app; the gazetteer is loaded here, once per process, unless given."""
    app = Flask(__name__)
    app.config.from_object(DefaultConfig)
    app.config.from_prefixed_env("GAZETTEER_SERVICE")
    if test_config is not None:
        app.config.from_mapping(test_config)
    check_config(app.config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]

    app.extensions["json_dumps"] = make_dumps(app.config["JSON_ENCODER"], app.config["JSON_INDENT"])
    app.extensions["response_cache"] = ResponseCache(app.config["RESPONSE_CACHE_SIZE"],
                                                     app.config["RESPONSE_CACHE_BYTES"])
    holder = GazetteerHolder(app.config["GAZETTEER"])
    app.extensions["gazetteer"] = holder
    if not holder.ready:
        if app.config["GAZETTEER_LOAD"] == "background":
            holder.load_in_background(app.config["GAZETTEER_PATH"],
                                      after=warm_up if app.config["WARM_UP"] else None)
        else:
            holder.load(app.config["GAZETTEER_PATH"])

    if holder.ready and app.config["WARM_UP"]:
        warm_up(holder.get())
    problems.register(app)
    app.before_request(check_query_string_utf8)
    app.after_request(_headers)

    from . import api, curation, docs, health, web

    app.register_blueprint(health.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(curation.bp)
    app.register_blueprint(docs.bp)
    app.register_blueprint(web.bp)
    if not app.debug:
        logging.getLogger("service").setLevel(logging.INFO)
    return app


def warm_up(gz) -> None:
    """Load what the library loads lazily, once, before serving (and before gunicorn forks)."""
    log = logging.getLogger("service")
    try:
        gz.geocode("Aleppo")
        gz.geocode("Alepoxz")  # a misspelling: builds the fuzzy-search index
        if hasattr(gz, "reverse"):
            gz.reverse(33.5138, 36.2765)  # Damascus: loads the admin polygons
        if hasattr(gz, "parse"):
            gz.parse("Aleppo")
            from gazetteer.commonness import common_arabic_word, common_english_word

            # wordfreq's Arabic and English lists (~1 s), else loaded by each worker's first text
            common_arabic_word("قرية")
            common_english_word("village")
    except Exception as exc:  # noqa: BLE001 - the endpoints report it; serving goes on
        log.warning("warm-up failed: %s: %s", type(exc).__name__, exc)
    # The loaded gazetteer lives as long as the process: out of the collector's full passes
    # (which walked its millions of objects on every large request), and shared copy-on-write
    # by gunicorn's forked workers rather than touched by their collectors.
    gc.freeze()


CORS_SAFE_METHODS = ("GET", "HEAD")


def _headers(resp: Response) -> Response:
    from flask import current_app

    resp.headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.method in ("GET", "HEAD") and resp.status_code == 200 \
            and request.path.startswith("/v1/"):
        # answers depend only on the request and the data, which changes with a redeploy
        resp.headers.setdefault("Cache-Control", "public, max-age=600")
    origin = current_app.config["CORS_ALLOW_ORIGIN"]
    if not origin:
        return resp
    if request.method in CORS_SAFE_METHODS:
        resp.headers["Access-Control-Allow-Origin"] = origin
        resp.headers["Access-Control-Expose-Headers"] = "Link, Retry-After"
    elif request.method == "OPTIONS" and request.headers.get("Access-Control-Request-Method"):
        wanted = request.headers["Access-Control-Request-Method"].upper()
        allowed = {m.strip().upper() for m in resp.headers.get("Allow", "").split(",")}
        if wanted in CORS_SAFE_METHODS and wanted in allowed:
            resp.headers["Access-Control-Allow-Origin"] = origin
            resp.headers["Access-Control-Allow-Methods"] = ", ".join(CORS_SAFE_METHODS)
            asked = request.headers.get("Access-Control-Request-Headers")
            if asked:
                resp.headers["Access-Control-Allow-Headers"] = asked
            resp.headers["Access-Control-Max-Age"] = str(current_app.config["CORS_MAX_AGE"])
    return resp
