"""RFC 9457 problem details: every error the service sends is ``application/problem+json``.

A problem has a ``type`` URI naming the kind of problem (a ``tag:`` URI: stable, not meant to be
fetched; each is listed in ``/openapi.json`` and in the README), a ``title`` that is the same for
every problem of that type, the HTTP ``status``, a ``detail`` for this occurrence and the
``instance`` (the request path).  Some add members: ``errors`` (one entry per bad parameter),
``limit`` (the limit a request went over) and ``allow``/``accept`` hints.
"""
from __future__ import annotations

import json
import logging
from typing import Any

from flask import Flask, Response, g, request
from werkzeug.exceptions import HTTPException

from gazetteer import GazetteerError
from gazetteer.exceptions import DataError

PROBLEM_MEDIA_TYPE = "application/problem+json"
TYPE_PREFIX = "tag:syria-gazetteer,2025:problem:"

log = logging.getLogger("service")

# slug → title: the problem types this service uses besides plain HTTP errors ("about:blank").
PROBLEM_TYPES: dict[str, str] = {
    "invalid-parameter": "Invalid request parameter",
    "invalid-query": "The query cannot be geocoded",
    "invalid-coordinates": "Invalid coordinates",
    "invalid-body": "Invalid request body",
    "invalid-encoding": "Request is not valid UTF-8",
    "unsupported-media-type": "Unsupported media type",
    "body-too-large": "Request body too large",
    "text-too-long": "Text too long",
    "too-many-rows": "Too many CSV rows",
    "upload-too-large": "Upload expands past the limits",
    "not-found": "Not found",
    "not-available": "Not available",
    "not-ready": "Service not ready",
    "internal-error": "Internal server error",
    # curation (service/curation.py)
    "unauthorized": "Missing or wrong API key",
    "forbidden": "The API key's role does not allow this",
    "refused": "Curation change refused",
}


class Problem(Exception):
    """Raise anywhere in a request to answer with a problem+json response."""

    def __init__(self, status: int, slug: str | None, detail: str, *,
                 headers: dict[str, str] | None = None, **members: Any):
        super().__init__(detail)
        self.status = status
        self.slug = slug
        self.detail = detail
        self.headers = headers or {}
        self.members = members

    def body(self) -> dict[str, Any]:
        if self.slug is None:
            ptype, title = "about:blank", _http_title(self.status)
        else:
            ptype, title = TYPE_PREFIX + self.slug, PROBLEM_TYPES[self.slug]
        out: dict[str, Any] = {"type": ptype, "title": title, "status": self.status,
                               "detail": self.detail}
        try:
            out["instance"] = request.path
        except RuntimeError:  # outside a request
            pass
        out.update(self.members)
        return out

    def response(self) -> Response:
        payload = json.dumps(self.body(), ensure_ascii=False)
        resp = Response(payload, status=self.status, mimetype=PROBLEM_MEDIA_TYPE)
        for k, v in self.headers.items():
            resp.headers[k] = v
        return resp


def _http_title(status: int) -> str:
    from http import HTTPStatus

    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def param_error(name: str, detail: str, status: int = 400) -> Problem:
    """400 for a parameter that is malformed or missing, 422 for a well-formed unknown value."""
    return Problem(status, "invalid-parameter", f"{name}: {detail}",
                   errors=[{"parameter": name, "detail": detail}])


def body_too_large(limit: int) -> Problem:
    # Connection: close, so that gunicorn drops the connection rather than reading the rest.
    return Problem(413, "body-too-large",
                   f"the request body is larger than this endpoint accepts: the limit is "
                   f"{limit} bytes ({limit / 1048576:.1f} MiB)",
                   limit=limit, headers={"Connection": "close"})


def register(app: Flask) -> None:
    """Turn every error into problem+json: Problem, HTTP errors, library errors, crashes."""

    @app.errorhandler(Problem)
    def _problem(exc: Problem) -> Response:
        return exc.response()

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException) -> Response:
        status = exc.code or 500
        headers = {k: v for k, v in exc.get_headers() if k.lower() not in ("content-type",
                                                                             "content-length")}
        if status == 413:
            limit = g.get("body_limit") or app.config["MAX_CONTENT_LENGTH"]
            return body_too_large(limit).response()
        if status == 404:
            return Problem(404, "not-found", f"no resource at {request.path}; see /openapi.json",
                           headers=headers).response()
        if status == 405:
            allow = next((v for k, v in headers.items() if k.lower() == "allow"), "")
            return Problem(405, None, f"{request.method} is not allowed on {request.path}; "
                           f"allowed: {allow}", headers=headers).response()
        detail = exc.description or _http_title(status)
        return Problem(status, None, detail, headers=headers).response()

    @app.errorhandler(DataError)
    def _data(exc: DataError) -> Response:
        log.error("gazetteer data error: %s", exc)
        return Problem(503, "not-ready", "the gazetteer data is not available",
                       headers={"Retry-After": "30"}).response()

    @app.errorhandler(GazetteerError)
    def _gazetteer(exc: GazetteerError) -> Response:
        from gazetteer import CoordinateError

        slug = "invalid-coordinates" if isinstance(exc, CoordinateError) else "invalid-query"
        return Problem(422, slug, str(exc)).response()

    @app.errorhandler(Exception)
    def _crash(exc: Exception) -> Response:
        # Never a stack trace to the client: it goes to the log, with the request line.
        log.exception("unhandled error on %s %s", request.method, request.full_path)
        return Problem(500, "internal-error",
                       "the server failed to answer this request; it has been logged").response()
