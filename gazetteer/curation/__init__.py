"""Curation: an overlay of analysts' changes on top of the bundled gazetteer, never editing
``data/``: aliases, corrections, new places and retired names, each with who, when, why and a
source, revertible, kept in SQLite (default) or PostgreSQL.  See ``Curator``."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .curator import Curator
from .errors import Refused
from .store import Change, Store, configured_location, default_location, open_store

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

__all__ = ["Change", "Curator", "Refused", "Store", "attach", "configured_location",
           "default_location", "open_store"]


def attach(gz: "Gazetteer", curation: str | Path | bool | None = None) -> Curator | None:
    """Put the overlay of a store on ``gz`` (``Gazetteer.load`` does): ``curation`` a path or
    URL (created when missing), True or None for ``$GAZETTEER_CURATION`` or the default store
    (None: only when it exists; reading never creates it)."""
    explicit = curation not in (None, True)
    location = str(curation) if explicit else configured_location()
    if location is None:
        return None
    import os

    named = explicit or curation is True or bool(os.environ.get("GAZETTEER_CURATION"))
    store = open_store(location, create=named)
    if store is None:
        return None
    previous = gz.curation
    if previous is not None:  # another store: its overlay comes off, the bundled data stays
        gz._serve(previous.overlay.base_places, previous.overlay.base_index)
        previous.store.close()
    gz.curation = Curator(gz, store)
    return gz.curation
