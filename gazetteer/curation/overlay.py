"""The overlay put into a loaded ``Gazetteer``: the bundled places and name index amended
(never rebuilt) by the rows the active changes give.

A change touches one place: ``update`` re-derives that place's row, folds its names (only the
names it did not have, when it kept its bundled ones) and amends the current index, so a write
costs milliseconds whatever the size of the overlay.  ``build`` starts again from the bundled data
(at attach time, and when a new place is reverted away, since places never leave the list
otherwise)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable, Sequence

from ..index import NameEntry, NameIndex, admin_name_keys, amended_index, entries_for
from ..place import ADMIN_TYPES, Place
from .model import NEW_PLACE_PREFIX, OverlayState, amend_row

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer


class Overlay:
    """The bundled data of one gazetteer, kept as loaded, and the overlay's current places."""

    def __init__(self, places: Sequence[Place], index: NameIndex):
        self.base_places = tuple(places)
        self.base_index = index
        self.base_rows = [dict(p.raw) for p in self.base_places]
        self.columns = list(self.base_rows[0]) if self.base_rows else []
        self.base_position = {p.id: i for i, p in enumerate(self.base_places)}
        self._admin_keys: dict[tuple, frozenset[str]] = {}
        self._reset()

    def _reset(self) -> None:
        self.places: list[Place] = list(self.base_places)
        self.index = self.base_index
        self.position = dict(self.base_position)
        self.rows_by_id: dict[str, dict[str, str]] = {r["id"]: r for r in self.base_rows}
        self.amended: dict[str, dict[str, str]] = {}
        self.by_id: dict[str, Place] = {p.id: p for p in self.places}
        self.governorates_changed = True

    def rows(self) -> list[dict[str, str]]:
        """Every row, as ``places.csv`` would hold them with the overlay applied."""
        return [self.rows_by_id[p.id] for p in self.places]

    def build(self, state: OverlayState) -> None:
        """From the bundled data: every place an active change touches, parents first."""
        self._reset()
        self.update(state, _parents_first(state, self.rows_by_id))

    def update(self, state: OverlayState, touched: Iterable[str]) -> None:
        """Re-derive the places ``touched`` (ids) from their active changes."""
        touched = list(dict.fromkeys(touched))
        for place_id in touched:
            if (place_id.startswith(NEW_PLACE_PREFIX) and place_id in self.position
                    and not _lives(state, place_id)):
                return self.build(state)  # a new place reverted away: positions change
        replaced: dict[int, list[NameEntry]] = {}
        by_id = dict(self.by_id)  # a new map: the served one may be being read
        self.governorates_changed = False
        for place_id in touched:
            changes = state.active_for(place_id)
            base_i = self.base_position.get(place_id)
            if base_i is None and not _lives(state, place_id):
                continue  # a change to a new place that is gone
            base_row = self.base_rows[base_i] if base_i is not None else None
            if changes:
                row = amend_row(base_row, changes, self.rows_by_id, self.columns)
                self.amended[place_id] = row
            else:
                row = base_row
                self.amended.pop(place_id, None)
            self.rows_by_id[place_id] = row
            place = Place.from_row(row) if changes else self.base_places[base_i]
            if place.type in ADMIN_TYPES:
                self._admin_keys.clear()  # its names are in the keys of the places inside it
                self.governorates_changed |= place.type == "governorate"
            by_id[place.id] = place
            i = self.position.get(place_id)
            if i is None:
                i = self.position[place_id] = len(self.places)
                self.places.append(place)
            else:
                self.places[i] = place
            replaced[i] = self._entries(i, place)
        self.by_id = by_id
        if replaced:
            self.index = amended_index(self.index, tuple(self.places), replaced)

    def _entries(self, i: int, place: Place) -> list[NameEntry]:
        """The folded names of the place at ``i``: the bundled entries plus the folds of the
        names it gained, when it kept its bundled names and area; else all folded anew."""
        base = self.base_places[i] if i < len(self.base_places) else None
        units = tuple(ref.pcode if ref else "" for ref in (place.admin1, place.admin2,
                                                           place.admin3))
        keys = self._admin_keys.get(units)
        if keys is None:
            by_id = {p.id: p for p in map(self._unit, (place.admin1, place.admin2, place.admin3))
                     if p is not None}
            keys = self._admin_keys[units] = admin_name_keys(place, by_id)
        if (base is not None and (base.admin1, base.admin2, base.admin3) ==
                (place.admin1, place.admin2, place.admin3)
                and set(base.names) <= set(place.names)):
            own = [self.base_index.entries[e] for e in self.base_index.entries_of_place.get(i, ())]
            if base.names == place.names:
                return own
            had = set(base.names)
            gained = [n for n in place.names if n not in had]
            merged = {e.key: e for e in own}
            for e in entries_for(i, gained, keys):
                if e.key not in merged or merged[e.key].penalty > e.penalty:
                    merged[e.key] = e
            return list(merged.values())
        return entries_for(i, place.names, keys)

    def _unit(self, ref) -> Place | None:
        if ref is None:
            return None
        i = self.position.get(ref.pcode)
        return self.places[i] if i is not None else None


def _lives(state: OverlayState, place_id: str) -> bool:
    """Whether a new place's ``add-place`` is in force."""
    changes = state.active_for(place_id)
    return bool(changes) and changes[0].kind == "add-place"


def _parents_first(state: OverlayState, rows_by_id: dict[str, dict[str, str]]) -> list[str]:
    """The places with active changes, each after the curated place it lies under."""
    ids = state.touched_places()
    parent = {}
    for place_id in ids:
        p = rows_by_id.get(place_id, {}).get("parent_id", "")
        for ch in state.active_for(place_id):
            p = ch.payload.get("parent_id", p)
        parent[place_id] = p
    done: dict[str, None] = {}

    def visit(place_id: str, depth: int = 0) -> None:
        if place_id in done or depth > 50:
            return
        if parent.get(place_id) in parent:
            visit(parent[place_id], depth + 1)
        done[place_id] = None

    for place_id in ids:
        visit(place_id)
    return list(done)


def apply_to(gz: "Gazetteer", overlay: Overlay) -> None:
    gz._serve(overlay.places, overlay.index, by_id=overlay.by_id,
              governorates=overlay.governorates_changed)
