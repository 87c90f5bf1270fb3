"""The web page for analysts at ``/``: its static files, the boundary outlines its map draws, and
name completion for its look-up box.

Everything the page loads comes from this service (no CDN, no tile server, no web font): the
page's Content-Security-Policy allows only this origin. The map has no tiles; it draws Syria's
governorate and district outlines from the polygons the reverse geocoder uses
(``data/admin``), simplified once per process (``boundaries_geojson``).
"""
from __future__ import annotations

import json
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, current_app, request, send_from_directory
from werkzeug.exceptions import NotFound

from gazetteer import DataError, Gazetteer
from gazetteer.admin import AdminAreas
from gazetteer.complete import Completer
from gazetteer.query import MAX_QUERY_LENGTH

from .params import check_text, get_int
from .problems import param_error

bp = Blueprint("web", __name__)

WEB_ROOT = Path(__file__).resolve().parent / "static" / "web"
# Leaflet styles its panes and markers with style attributes set from script ('unsafe-inline'
# for styles); downloads are blob: URLs; nothing else leaves this origin.
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; connect-src 'self'; font-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")
SIMPLIFY_DEG = 0.01  # about 1 km: the outlines of a country-wide map, ~100 kB for 62 districts
GRID_DEG = 0.001  # coordinates kept to about 100 m
SUGGEST_MAX_LIMIT = 20


@bp.record_once
def _warm(state) -> None:
    """Build the outlines and the completion index before serving (in gunicorn's master, so the
    forked workers share them), when the app warms up at all."""
    app = state.app
    if not app.config.get("WARM_UP"):
        return
    holder = app.extensions.get("gazetteer")
    if holder is not None and holder.ready:
        completer_for(holder.get())
    try:
        boundaries_geojson(admin_folder(app.config.get("GAZETTEER_PATH")))
    except DataError:  # /web/boundaries.geojson will answer 503 with the reason
        pass


# -- the page and its files -------------------------------------------------------------------
@bp.get("/")
def index() -> Response:
    resp = Response((WEB_ROOT / "index.html").read_bytes(), mimetype="text/html")
    resp.headers["Cache-Control"] = "no-cache"
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@bp.get("/web/<path:filename>")
def static_file(filename: str) -> Response:
    if filename.endswith(".map") or filename == "index.html":
        raise NotFound()
    return send_from_directory(WEB_ROOT, filename, max_age=3600)


# -- boundary outlines ------------------------------------------------------------------------
@bp.get("/web/boundaries.geojson")
def boundaries() -> Response:
    from .api import not_available

    try:
        body = boundaries_geojson(admin_folder(current_app.config.get("GAZETTEER_PATH")))
    except DataError:
        raise not_available("the admin boundary polygons (data/admin)") from None
    resp = Response(body, mimetype="application/geo+json")
    resp.headers["Cache-Control"] = "public, max-age=3600"
    return resp


def admin_folder(places_path: str | None) -> str:
    """The folder of the polygons the reverse geocoder uses for this places file (its own
    ``admin/`` when it has one, else the bundled polygons)."""
    if places_path:
        own = Path(places_path).resolve().parent / "admin"
        if (own / "adm3.geojson").exists():
            return str(own)
    from gazetteer.paths import data_dir

    return str((data_dir() / "admin").resolve())


@lru_cache(maxsize=4)
def boundaries_geojson(folder: str) -> bytes:
    """Governorate and district outlines as one FeatureCollection (``level`` 1 or 2).

    The districts are simplified as a coverage (shared edges stay shared: no gaps or slivers
    between neighbours), then each governorate is the union of its simplified districts, so the
    two levels draw the same lines where they meet."""
    import shapely
    from shapely.geometry import mapping

    areas = AdminAreas.from_dir(folder)
    districts = shapely.coverage_simplify(areas.adm2.geoms, SIMPLIFY_DEG)
    districts = shapely.set_precision(districts, GRID_DEG)
    by_governorate: dict[str, list[Any]] = {}
    for props, geom in zip(areas.adm2.props, districts):
        by_governorate.setdefault(props.get("adm1_pcode", ""), []).append(geom)
    features = []
    for ref in areas.adm1.refs:
        parts = by_governorate.get(ref.pcode)
        if not parts:
            continue
        geom = shapely.set_precision(shapely.union_all(parts), GRID_DEG)
        features.append(outline(geom, level=1, pcode=ref.pcode, name_en=ref.name_en,
                                name_ar=ref.name_ar, mapping=mapping))
    for props, ref, geom in zip(areas.adm2.props, areas.adm2.refs, districts):
        features.append(outline(geom, level=2, pcode=ref.pcode, name_en=ref.name_en,
                                name_ar=ref.name_ar, adm1_pcode=props.get("adm1_pcode", ""),
                                mapping=mapping))
    fc = {"type": "FeatureCollection",
          "source": "OCHA/UNCS COD-AB Syria (CC BY 3.0 IGO), simplified to about 1 km",
          "features": features}
    return json.dumps(fc, ensure_ascii=False, separators=(",", ":")).encode()


def outline(geom: Any, *, level: int, mapping: Any, **props: str) -> dict[str, Any]:
    import shapely

    geometry = mapping(geom)
    geometry["coordinates"] = rounded(geometry["coordinates"])
    inner = shapely.point_on_surface(geom)  # where the map writes the unit's name
    label = [round(inner.x, 3), round(inner.y, 3)]
    return {"type": "Feature", "properties": {"level": level, **props, "label": label},
            "geometry": geometry}


def rounded(coords: Any) -> Any:
    """Coordinates as 3-decimal floats (set_precision leaves 36.123000000000005)."""
    if isinstance(coords[0], (int, float)):
        return [round(c, 3) for c in coords]
    return [rounded(c) for c in coords]


# -- completion -------------------------------------------------------------------------------
_completers_lock = threading.Lock()


@lru_cache(maxsize=2)
def _completer(gz: Gazetteer) -> Completer:
    return Completer(gz.places)


def completer_for(gz: Gazetteer) -> Completer:
    with _completers_lock:  # built once (about a second), not by two threads at once
        return _completer(gz)


@bp.get("/web/suggest")
def suggest() -> Response:
    """Places whose name begins with ``q``, as geocode's FeatureCollection; each feature's
    ``completion`` is the name completed and its ``confidence`` the one ``geocode`` gives that
    place when the completed name is looked up whole."""
    from gazetteer.geojson import feature_collection

    from .api import gazetteer as served_gazetteer, send

    q = request.args.get("q")
    if q is None or not q.strip():
        raise param_error("q", "is required: the beginning of a place name, e.g. ?q=خان طو")
    q = check_text("q", q)
    if len(q.strip()) > MAX_QUERY_LENGTH:
        raise param_error("q", f"is {len(q.strip())} characters long; the limit is "
                          f"{MAX_QUERY_LENGTH}", status=422)
    limit = get_int("limit", request.args.get("limit"), default=8, minimum=1,
                    maximum=SUGGEST_MAX_LIMIT)
    gz = served_gazetteer()
    completions = completer_for(gz).complete(q, limit=limit)
    matches, names = [], []
    for c in completions:
        found = [m for m in gz.geocode(c.name, limit=10, min_confidence=0.0)
                 if m.place.id == c.place.id]
        if found:
            matches.append(found[0])
            names.append(c.name)
    fc = feature_collection(matches, query=q)
    for feature, name in zip(fc["features"], names):
        feature["properties"]["completion"] = name
    resp = send(fc)
    resp.headers["Cache-Control"] = "public, max-age=600"
    return resp
