"""Probes: ``/livez`` (the process answers) and ``/readyz`` (the gazetteer is loaded)."""
from __future__ import annotations

import os

from flask import Blueprint, current_app, jsonify

from .problems import Problem

bp = Blueprint("health", __name__)


@bp.get("/livez")
def livez():
    return jsonify(status="ok", pid=os.getpid())


@bp.get("/readyz")
def readyz():
    holder = current_app.extensions["gazetteer"]
    if not holder.ready:
        detail = (f"the gazetteer failed to load: {holder.error}" if holder.error
                  else "the gazetteer is still loading")
        raise Problem(503, "not-ready", detail, headers={"Retry-After": "5"})
    gz = holder.get()
    return jsonify(status="ready", places=len(gz), load_seconds=round(holder.load_seconds or 0, 3),
                   pid=os.getpid(),
                   features={name: hasattr(gz, name) for name in ("geocode", "parse", "reverse")}
                   | {"batch": batch_available()})


def batch_available() -> bool:
    from .api import batch_module

    return batch_module() is not None
