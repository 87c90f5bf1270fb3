"""GeoJSON (RFC 7946) output: the JSON contract shared by the CLI and the HTTP service."""
from __future__ import annotations

from typing import Any, Iterable

from .place import Match


def feature_collection(matches: Iterable[Match], **members: Any) -> dict[str, Any]:
    """A FeatureCollection of matches, best first; extra top-level members (``id``, ``query``)."""
    fc: dict[str, Any] = {"type": "FeatureCollection"}
    fc.update({k: v for k, v in members.items() if v is not None})
    fc["features"] = [m.to_feature() for m in matches]
    return fc
