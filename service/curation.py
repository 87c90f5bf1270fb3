"""``/v1/curation``: the curation overlay over HTTP.  Writes need an API key (``Authorization:
Bearer <key>`` or ``X-API-Key``) with the editor role (admin for imports); reads are open.

Each worker follows the changes the others make: before a request it asks the store for the
last change id (at most every half second, one index lookup) and applies what is new.
"""
from __future__ import annotations

import io
import json
from typing import Any

from flask import Blueprint, Response, current_app, request

from gazetteer.curation import Refused
from gazetteer.curation.curator import Curator
from gazetteer.curation.keys import ROLES
from gazetteer.curation.store import ApiKey

from .params import check_text, decode_text, get_int, parse_json, read_body
from .problems import Problem

bp = Blueprint("curation", __name__, url_prefix="/v1/curation")

MAX_BODY = 64 * 1024
MAX_IMPORT = 8 * 1024 * 1024
REALM = 'Bearer realm="gazetteer-curation"'


def curator() -> Curator:
    gz = current_app.extensions["gazetteer"].get()
    if getattr(gz, "curation", None) is None:
        raise Problem(404, "not-found", "curation is off on this server: start it with "
                      "GAZETTEER_CURATION set to a store (a SQLite file or a postgresql:// URL)")
    return gz.curation


@bp.before_app_request
def follow_other_workers() -> None:
    """Apply the changes other workers (or instances) stored since the last look."""
    holder = current_app.extensions.get("gazetteer")
    if holder is not None and holder.ready:
        gz = holder.get()
        if getattr(gz, "curation", None) is not None:
            gz.curation.refresh()
            # the answers cached before a change (this worker's or another's) are stale now
            cache = current_app.extensions.get("response_cache")
            if cache is not None:
                cache.follow(gz.curation.state.head)


@bp.after_app_request
def revalidate(resp: Response) -> Response:
    """Answers change with each curation change: caches must ask again (no max-age)."""
    holder = current_app.extensions.get("gazetteer")
    if request.path.startswith("/v1/") and holder is not None and holder.ready \
            and getattr(holder.get(), "curation", None) is not None:
        resp.headers["Cache-Control"] = "no-cache"
    return resp


def api_key(role: str) -> ApiKey:
    header = request.headers.get("Authorization", "")
    secret = header[7:].strip() if header[:7].lower() == "bearer " else \
        request.headers.get("X-API-Key", "").strip()
    if not secret:
        raise Problem(401, "unauthorized", "this needs an API key: Authorization: Bearer <key> "
                      "(keys are made with `gazetteer curate key create`)",
                      headers={"WWW-Authenticate": REALM})
    key = curator().authenticate(secret)
    if key is None:
        raise Problem(401, "unauthorized", "the API key is unknown or revoked",
                      headers={"WWW-Authenticate": REALM + ', error="invalid_token"'})
    if ROLES.index(key.role) < ROLES.index(role):
        raise Problem(403, "forbidden", f"the key {key.name!r} has the {key.role} role; this "
                      f"needs {role}")
    return key


def json_body() -> dict[str, Any]:
    if request.mimetype != "application/json":
        raise Problem(415, "unsupported-media-type", "send a JSON object (Content-Type: "
                      "application/json)", accept=["application/json"])
    doc = parse_json(read_body(MAX_BODY))
    if not isinstance(doc, dict):
        raise Problem(422, "invalid-body", "the body must be a JSON object")
    for name, value in doc.items():
        if isinstance(value, str):
            check_text(name, value)
    return doc


def refused(exc: Refused) -> Problem:
    members: dict[str, Any] = {"code": exc.code}
    if exc.row is not None:
        members["row"] = exc.row
    return Problem(409 if exc.conflict else 422, "refused", str(exc), **members)


def meta(doc: dict[str, Any], key: ApiKey) -> dict[str, Any]:
    """Who (the body's ``who``, else the key's name), why, source; the key is always kept."""
    who = doc.get("who") or key.name
    return {"who": who, "why": doc.get("why"), "source": doc.get("source") or "",
            "key_name": key.name}


def stored(changes: list, status: int = 201) -> Response:
    body = {"changes": [c.as_dict() for c in changes]} if len(changes) != 1 else \
        changes[0].as_dict()
    return Response(json.dumps(body, ensure_ascii=False), status=status,
                    mimetype="application/json")


def write(role: str, operation) -> Response:
    key = api_key(role)
    cur = curator()
    try:
        return stored(operation(cur, key))
    except Refused as exc:
        raise refused(exc) from None


def _fields(doc: dict[str, Any], *names: str) -> dict[str, Any]:
    return {n: doc[n] for n in names if n in doc}


@bp.post("/aliases")
def add_alias() -> Response:
    doc = json_body()
    return write("editor", lambda cur, key: [cur.add_alias(
        doc.get("place_id"), doc.get("name"), area=doc.get("area"), **meta(doc, key))])


@bp.post("/places")
def add_place() -> Response:
    doc = json_body()
    force = doc.get("force", False)
    if not isinstance(force, bool):
        raise Problem(422, "invalid-body", '"force" must be true or false')
    for script in ("alt_ar", "alt_en"):
        if not isinstance(doc.get(script, []), list):
            raise Problem(422, "invalid-body", f'"{script}" must be a list of names')
    return write("editor", lambda cur, key: [cur.add_place(
        force=force, **_fields(doc, "type", "lat", "lon", "parent_id", "name_ar", "name_en",
                               "alt_ar", "alt_en") | _missing_as_none(doc), **meta(doc, key))])


def _missing_as_none(doc: dict[str, Any]) -> dict[str, Any]:
    return {n: None for n in ("type", "lat", "lon", "parent_id") if n not in doc}


@bp.post("/corrections")
def correct() -> Response:
    doc = json_body()
    fields = _fields(doc, "name_ar", "name_en", "type", "lat", "lon", "parent_id")
    return write("editor", lambda cur, key: [cur.correct(doc.get("place_id"), **fields,
                                                         **meta(doc, key))])


@bp.post("/retirements")
def retire() -> Response:
    doc = json_body()
    return write("editor", lambda cur, key: [cur.retire(doc.get("place_id"), doc.get("name"),
                                                        **meta(doc, key))])


@bp.post("/reverts")
def revert() -> Response:
    doc = json_body()
    return write("editor", lambda cur, key: [cur.revert(doc.get("change_id"), **meta(doc, key))])


@bp.post("/import")
def import_csv() -> Response:
    if request.mimetype not in ("text/csv", "text/plain"):
        raise Problem(415, "unsupported-media-type", "send the CSV as the body (Content-Type: "
                      "text/csv), with why=... in the query string", accept=["text/csv"])
    text = decode_text(read_body(MAX_IMPORT))
    doc = {"why": request.args.get("why"), "source": request.args.get("source"),
           "who": request.args.get("who")}
    return write("admin", lambda cur, key: cur.import_csv(io.StringIO(text, newline=""),
                                                          **meta(doc, key)))


@bp.get("/log")
def log() -> Response:
    after = get_int("after", request.args.get("after"), default=0, minimum=0,
                    maximum=2 ** 62)
    limit = get_int("limit", request.args.get("limit"), default=1000, minimum=1, maximum=10_000)
    changes = curator().log(after=after, limit=limit)
    return Response(json.dumps({"changes": [c.as_dict() for c in changes]}, ensure_ascii=False),
                    mimetype="application/json")


@bp.get("/changes")
def active() -> Response:
    place_id = request.args.get("place_id") or None
    changes = curator().active(place_id)
    return Response(json.dumps({"changes": [c.as_dict() for c in changes]}, ensure_ascii=False),
                    mimetype="application/json")


@bp.get("/export")
def export() -> Response:
    out = io.StringIO()
    curator().export(out)
    resp = Response(out.getvalue(), mimetype="text/csv")
    resp.headers["Content-Type"] = "text/csv; charset=utf-8; header=present"
    return resp
