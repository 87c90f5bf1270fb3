"""``/openapi.json`` and ``/docs``: Swagger UI from the swagger-ui-bundle-v2 package, served by
this app itself (no CDN: the page's Content-Security-Policy allows only this origin)."""
from __future__ import annotations

import json
from pathlib import Path

from flask import Blueprint, Response, current_app, send_from_directory, url_for
from werkzeug.exceptions import NotFound

from .openapi import build_spec

bp = Blueprint("docs", __name__)

STATIC = Path(__file__).resolve().parent / "static"
SWAGGER_FILES = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "index.css",
                           "favicon-32x32.png", "favicon-16x16.png"})
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; font-src 'self' data:; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")

PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Syrian gazetteer API</title>
<link rel="stylesheet" href="{css}">
<link rel="icon" type="image/png" href="{icon}">
</head>
<body>
<div id="swagger-ui" data-spec-url="{spec}"></div>
<noscript>This page needs JavaScript; the API description itself is at
<a href="{spec}">{spec}</a>.</noscript>
<script src="{bundle}"></script>
<script src="{init}"></script>
</body>
</html>
"""


def swagger_ui_dir() -> Path | None:
    try:
        import swagger_ui_bundle
    except ImportError:
        return None
    return Path(swagger_ui_bundle.swagger_ui_path)


@bp.get("/openapi.json")
def openapi() -> Response:
    spec = current_app.extensions.get("openapi_spec")
    if spec is None:
        spec = json.dumps(build_spec(current_app.config), ensure_ascii=False, indent=1)
        current_app.extensions["openapi_spec"] = spec
    return Response(spec, mimetype="application/json")


@bp.get("/docs")
def docs() -> Response:
    page = PAGE.format(css=url_for("docs.swagger_static", filename="swagger-ui.css"),
                       icon=url_for("docs.swagger_static", filename="favicon-32x32.png"),
                       bundle=url_for("docs.swagger_static", filename="swagger-ui-bundle.js"),
                       init=url_for("docs.init_js"),
                       spec=url_for("docs.openapi"))
    resp = Response(page, mimetype="text/html")
    resp.headers["Content-Security-Policy"] = CSP
    resp.headers["Referrer-Policy"] = "no-referrer"
    return resp


@bp.get("/docs/init.js")
def init_js() -> Response:
    resp = send_from_directory(STATIC, "docs-init.js", mimetype="text/javascript", max_age=3600)
    return resp


@bp.get("/docs/static/<filename>")
def swagger_static(filename: str) -> Response:
    root = swagger_ui_dir()
    if filename not in SWAGGER_FILES or root is None:
        raise NotFound()
    return send_from_directory(root, filename, max_age=86400)
