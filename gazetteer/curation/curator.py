"""The curation API: add aliases and places, correct, retire, revert; each change checked
against the gazetteer as it is now, stored with who/when/why/source, and applied at once.

    gz = Gazetteer.load(curation="~/curation.sqlite3")
    gz.curation.add_alias("C1015", "كرهوك", who="rana", why="local name", source="https://...")
    gz.geocode("كرهوك")                       # finds C1015 already
"""
from __future__ import annotations

import math
import time
from typing import TYPE_CHECKING, Any, Callable, Mapping, Sequence, TextIO

from ..match import haversine_km as km
from ..normalize import name_key_variants, skeleton
from ..place import ADMIN_TYPES
from .errors import Refused
from .keys import authenticate, create_key
from .model import CORRECTABLE, NEW_PLACE_PREFIX, OverlayState, amend_row
from .overlay import Overlay, apply_to
from .store import ApiKey, Change, NewChange, ProcessLock, Store

if TYPE_CHECKING:
    from ..gazetteer import Gazetteer

ALIAS_CONFLICT_KM = 5.0  # an alias another place this close already carries is refused
DUPLICATE_PLACE_KM = 2.0  # a new place with the skeleton of a place this close is a duplicate
MAX_NAME_CHARS = 200
MAX_TEXT_CHARS = 2000  # why / source


class Curator:
    """The overlay of one loaded gazetteer, backed by a store."""

    def __init__(self, gz: "Gazetteer", store: Store, *, poll_seconds: float = 0.5):
        self.gz = gz
        self.store = store
        self.poll_seconds = poll_seconds
        self.state = OverlayState()
        self.overlay = Overlay(gz.places, gz.index)
        self._process_lock = ProcessLock()
        self._checked_at = 0.0
        self._areas = None
        self.refresh(force=True)

    # -- following the store ------------------------------------------------------------------
    def refresh(self, *, force: bool = False) -> bool:
        """Apply the changes stored since the last look (at most every ``poll_seconds`` unless
        ``force``); whether the overlay changed.  One ``MAX(id)`` query when nothing did."""
        now = time.monotonic()
        if not force and now - self._checked_at < self.poll_seconds:
            return False
        self._checked_at = now
        if self.store.head() == self.state.head:
            return False
        with self._process_lock.get():
            return self._take(self.store.changes(after=self.state.head))

    def _take(self, changes: Sequence[Change]) -> bool:
        with self._process_lock.get():
            first = self.state.head == 0
            touched = self.state.apply(changes)
            if not touched:
                return False
            if first:
                self.overlay.build(self.state)
            else:
                self.overlay.update(self.state, touched)
            apply_to(self.gz, self.overlay)
            return True

    def _reload(self) -> None:
        """Start again from the store (after a failed transaction left the memory ahead)."""
        with self._process_lock.get():
            self.state = OverlayState()
            self.state.apply(self.store.changes())
            self.overlay.build(self.state)
            apply_to(self.gz, self.overlay)

    def _write(self, builders: Sequence[Callable[[], NewChange | None]]) -> list[Change]:
        """Check and store changes in one transaction under the store's write lock: each is
        checked against the state with every earlier change applied; all or none are kept.
        A builder may return None (nothing to change); one with an ``after`` attribute is told
        the stored change.  A single change is applied here after the commit, so that the
        store's lock is held only for the checks and the insert."""
        stored: list[Change] = []
        single = len(builders) == 1
        with self._process_lock.get():
            try:
                with self.store.write() as conn:
                    self._take(self.store.changes(conn, after=self.state.head))
                    for build in builders:
                        new = build()
                        if new is None:
                            continue
                        change = self.store.append(conn, new)
                        stored.append(change)
                        if not single:
                            self._take([change])
                        if hasattr(build, "after"):
                            build.after(change)
            except BaseException:
                if stored and not single:
                    self._reload()
                raise
            if single:
                self._take(stored)
        return stored

    # -- the operations -----------------------------------------------------------------------
    def add_alias(self, place_id: str, name: str, *, who: str, why: str, source: str = "",
                  area: str | None = None, key_name: str | None = None) -> Change:
        """Another name of an existing place (either script), optionally the admin unit where
        it is used (recorded with the change)."""
        return self._write([lambda: self._alias_change(place_id, name, who=who, why=why,
                                                       source=source, area=area,
                                                       key_name=key_name)])[0]

    def add_place(self, *, type: str, lat: float, lon: float, parent_id: str, who: str,
                  why: str, name_ar: str = "", name_en: str = "", alt_ar: Sequence[str] = (),
                  alt_en: Sequence[str] = (), source: str = "", force: bool = False,
                  key_name: str | None = None) -> Change:
        """A place the gazetteer lacks; its id is ``U:<change id>``.  A place with the name
        skeleton of one within 2 km is refused as a duplicate unless ``force`` (the ``why``
        says why it is not one)."""
        fields = dict(type=type, lat=lat, lon=lon, parent_id=parent_id, name_ar=name_ar,
                      name_en=name_en, alt_ar=list(alt_ar), alt_en=list(alt_en))
        return self._write([lambda: self._place_change(fields, who=who, why=why, source=source,
                                                       force=force, key_name=key_name)])[0]

    def correct(self, place_id: str, *, who: str, why: str, source: str = "",
                key_name: str | None = None, **fields: Any) -> Change:
        """Correct any of ``name_ar, name_en, type, lat, lon, parent_id`` of a place."""
        return self._write([lambda: self._correct_change(place_id, fields, who=who, why=why,
                                                         source=source, key_name=key_name)])[0]

    def retire(self, place_id: str, name: str, *, who: str, why: str, source: str = "",
               key_name: str | None = None) -> Change:
        """Take a wrong alternate name off a place (a primary name is corrected instead)."""
        return self._write([lambda: self._retire_change(place_id, name, who=who, why=why,
                                                        source=source, key_name=key_name)])[0]

    def revert(self, change_id: int, *, who: str, why: str, source: str = "",
               key_name: str | None = None) -> Change:
        """Undo a change (the record stays: the revert is a change of its own)."""
        return self._write([lambda: self._revert_change(change_id, who=who, why=why,
                                                        source=source, key_name=key_name)])[0]

    # -- reading ------------------------------------------------------------------------------
    def log(self, *, after: int = 0, limit: int | None = None) -> list[Change]:
        """Every change, reverts too, in order: the audit log."""
        changes = self.store.changes(after=after)
        return changes[:limit] if limit is not None else changes

    def active(self, place_id: str | None = None) -> list[Change]:
        """The changes in force (not reverted), oldest first."""
        self.refresh()
        with self._process_lock.get():
            found = self.state.active()
        return [c for c in found if place_id is None or c.place_id == place_id]

    def rows(self) -> list[dict[str, str]]:
        """Every place row with the overlay applied (as ``places.csv`` would hold them)."""
        return self.overlay.rows()

    def export(self, out: TextIO) -> int:
        """The amended and new places as ``places.csv`` rows; the count (see exchange.py)."""
        from .exchange import export_rows

        return export_rows(self, out)

    def import_csv(self, source_file: TextIO, *, who: str, why: str, source: str = "",
                   key_name: str | None = None) -> list[Change]:
        """Take rows in the ``places.csv`` columns, all or nothing (see exchange.py)."""
        from .exchange import import_steps

        return self._write(import_steps(self, source_file, dict(who=who, why=why, source=source,
                                                                key_name=key_name)))

    def areas(self):
        """The admin polygons (loaded with the reverse geocoder once, kept: they never change)."""
        if self._areas is None:
            self._areas = self.gz._reverse_geocoder().areas
        return self._areas

    # -- API keys (see keys.py) ----------------------------------------------------------------
    def create_key(self, name: str, role: str) -> tuple[ApiKey, str]:
        return create_key(self.store, name, role)

    def revoke_key(self, name: str) -> bool:
        return self.store.revoke_key(name)

    def authenticate(self, secret: str) -> ApiKey | None:
        return authenticate(self.store, secret)

    # -- building and checking one change -----------------------------------------------------
    def _place(self, place_id: str, what: str = "place"):
        place = self.gz.get(place_id) if isinstance(place_id, str) else None
        if place is None:
            raise Refused("unknown-place" if what == "place" else "unknown-parent",
                          f"no {what} has the id {str(place_id)[:80]!r}")
        return place

    def _alias_change(self, place_id: str, name: str, *, who: str, why: str, source: str,
                      area: str | None, key_name: str | None) -> NewChange:
        meta = _meta(who, why, source)
        place = self._place(place_id)
        name = _name("name", name)
        if name in place.names:
            raise Refused("name-exists", f"{place.id} already has the name {name!r}")
        payload: dict[str, Any] = {"name": name}
        if area:
            unit = self.gz.get(area)
            if unit is None or unit.type not in ADMIN_TYPES:
                raise Refused("invalid", f"area must be the p-code of a governorate, district or "
                                         f"sub-district, not {area[:40]!r}")
            payload["area"] = area
        self._check_name_free(name, place, ALIAS_CONFLICT_KM, "alias-taken")
        return NewChange("add-alias", place.id, payload, key_name=key_name, **meta)

    def _check_name_free(self, name: str, place, radius_km: float, code: str) -> None:
        index = self.gz.index
        for key in name_key_variants(name):
            for e_idx in index.by_key.get(key, ()):
                entry = index.entries[e_idx]
                other = index.places[entry.place]
                if place is not None and other.id == place.id:
                    continue
                if place is None:
                    continue
                d = km(place.lat, place.lon, other.lat, other.lon)
                if d <= radius_km and entry.penalty == 0.0:
                    raise Refused(code, f"{name!r} is already a name of {other.id} "
                                        f"({other.name}), {d:.1f} km from {place.id}: an alias "
                                        f"must tell places apart")

    def _place_change(self, fields: dict[str, Any], *, who: str, why: str, source: str,
                      force: bool, key_name: str | None) -> NewChange:
        meta = _meta(who, why, source)
        from ..validate import KNOWN_TYPES

        kind = fields["type"]
        if kind not in KNOWN_TYPES or kind in ADMIN_TYPES or kind == "country":
            raise Refused("invalid", f"type must be a place type of the gazetteer other than an "
                                     f"admin unit (those follow the OCHA polygons), not "
                                     f"{str(kind)[:40]!r}")
        payload: dict[str, Any] = {"type": kind}
        for script in ("name_ar", "name_en"):
            if fields[script]:
                payload[script] = _name(script, fields[script])
        for script in ("alt_ar", "alt_en"):
            names = [_name(script, n) for n in fields[script] or ()]
            if names:
                payload[script] = names
        if not payload.get("name_ar") and not payload.get("name_en"):
            raise Refused("invalid", "a new place needs a name (name_ar or name_en)")
        payload["lat"], payload["lon"] = self._point(fields["lat"], fields["lon"])
        payload["parent_id"] = self._place(fields["parent_id"], "parent").id
        names = [n for n in (payload.get("name_ar"), payload.get("name_en"),
                             *payload.get("alt_ar", ()), *payload.get("alt_en", ())) if n]
        duplicate = self._duplicate_of(names, payload["lat"], payload["lon"])
        if duplicate and not force:
            raise Refused("duplicate-place", f"{duplicate}: if it is another place, add it "
                                             f"with force and say why")
        if duplicate:
            payload["forced"] = duplicate
        change = NewChange("add-place", "", payload, key_name=key_name, place_id_from_id=True,
                           **meta)
        self._check_row(change, None)
        return change

    def _duplicate_of(self, names: Sequence[str], lat: float, lon: float) -> str | None:
        skeletons = {skeleton(n) for n in names} - {""}
        for place in self.gz.places:
            if abs(place.lat - lat) > 0.05 or abs(place.lon - lon) > 0.05:
                continue  # ~5 km: cheaper than a distance for each of the places
            d = km(lat, lon, place.lat, place.lon)
            if d > DUPLICATE_PLACE_KM:
                continue
            same = skeletons & {skeleton(n) for n in place.names}
            if same:
                return (f"{place.id} ({place.name}, a {place.type}) is {d:.2f} km away and has "
                        f"the same name skeleton ({sorted(same)[0]})")
        return None

    def _point(self, lat: Any, lon: Any) -> tuple[float, float]:
        try:
            lat, lon = float(lat), float(lon)
        except (TypeError, ValueError):
            raise Refused("invalid", f"lat and lon must be numbers, not {lat!r}, {lon!r}") from None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90
                and -180 <= lon <= 180):
            raise Refused("invalid", f"({lat}, {lon}) is not a valid latitude, longitude")
        areas = self.areas()
        if not areas.lookup(lat, lon).inside:
            raise Refused("outside-syria", f"({lat:.5f}, {lon:.5f}) is outside Syria "
                                           f"({areas.distance_to_syria_km(lat, lon):.1f} km from "
                                           f"its border)")
        return round(lat, 6), round(lon, 6)

    def _correct_change(self, place_id: str, fields: Mapping[str, Any], *, who: str, why: str,
                        source: str, key_name: str | None) -> NewChange:
        meta = _meta(who, why, source)
        place = self._place(place_id)
        unknown = set(fields) - set(CORRECTABLE)
        if unknown:
            raise Refused("invalid", f"cannot correct {', '.join(sorted(unknown))}; the fields "
                                     f"are {', '.join(CORRECTABLE)}")
        payload = {k: v for k, v in fields.items() if v is not None and v != ""}
        if not payload:
            raise Refused("invalid", f"nothing to correct: give one of {', '.join(CORRECTABLE)}")
        if place.type in ADMIN_TYPES | {"country"} and set(payload) - {"name_ar", "name_en"}:
            raise Refused("invalid", f"{place.id} is an admin unit: its point, type and parent "
                                     f"follow the OCHA polygons; only its names can be corrected")
        for script in ("name_ar", "name_en"):
            if script in payload:
                payload[script] = _name(script, payload[script])
                if payload[script] not in place.names:  # a new name: as for an alias
                    self._check_name_free(payload[script], place, ALIAS_CONFLICT_KM,
                                          "alias-taken")
        if "lat" in payload or "lon" in payload:
            payload["lat"], payload["lon"] = self._point(payload.get("lat", place.lat),
                                                         payload.get("lon", place.lon))
        if "parent_id" in payload:
            payload["parent_id"] = self._place(payload["parent_id"], "parent").id
            children = [p.id for p in self.gz.places if p.parent_id == place.id]
            if children:
                raise Refused("invalid", f"{place.id} has {len(children)} place(s) under it "
                                         f"({', '.join(children[:3])}...): their admin columns "
                                         f"follow it, so its parent cannot change here")
        if "type" in payload:
            from ..validate import KNOWN_TYPES

            if payload["type"] not in KNOWN_TYPES or payload["type"] in ADMIN_TYPES | {"country"}:
                raise Refused("invalid", f"unknown or admin type {str(payload['type'])[:40]!r}")
        change = NewChange("correct", place.id, payload, key_name=key_name, **meta)
        self._check_row(change, self.overlay.amended.get(place.id) or dict(place.raw))
        return change

    def _retire_change(self, place_id: str, name: str, *, who: str, why: str, source: str,
                       key_name: str | None) -> NewChange:
        meta = _meta(who, why, source)
        place = self._place(place_id)
        name = _text("name", name, MAX_NAME_CHARS)
        if name in (place.name_ar, place.name_en):
            raise Refused("invalid", f"{name!r} is a primary name of {place.id}: correct it "
                                     f"(name_ar / name_en) instead of retiring it")
        if name not in place.alt_ar + place.alt_en:
            raise Refused("invalid", f"{place.id} has no alternate name {name!r}; its alternate "
                                     f"names: {' | '.join(place.alt_ar + place.alt_en) or 'none'}")
        return NewChange("retire", place.id, {"name": name}, key_name=key_name, **meta)

    def _revert_change(self, change_id: Any, *, who: str, why: str, source: str,
                       key_name: str | None) -> NewChange:
        meta = _meta(who, why, source)
        try:
            change_id = int(change_id)
        except (TypeError, ValueError):
            raise Refused("invalid", f"a change id is a number, not {change_id!r}") from None
        target = self.state.changes.get(change_id)
        if target is None:
            raise Refused("unknown-change", f"there is no change {change_id}")
        if target.kind == "revert":
            raise Refused("invalid", f"change {change_id} is a revert; make the change again "
                                     f"instead of reverting a revert")
        if change_id in self.state.reverted:
            raise Refused("already-reverted", f"change {change_id} was reverted by change "
                                              f"{self.state.reverted[change_id]}")
        if target.kind == "add-place":
            dependants = [c.id for c in self.state.active()
                          if c.id != change_id and (c.place_id == target.place_id
                                                    or c.payload.get("parent_id") == target.place_id)]
            if dependants:
                raise Refused("depends-on-it", f"changes {', '.join(map(str, dependants[:5]))} "
                                               f"concern {target.place_id}: revert them first")
        return NewChange("revert", target.place_id, {"change": change_id}, key_name=key_name,
                         **meta)

    def _check_row(self, change: NewChange, base: Mapping[str, str] | None) -> None:
        """Refuse a change that would make ``gazetteer validate`` report an error for the place:
        the same rules (parent type, admin columns, point in its polygon), on its new row."""
        from ..validate import validate_places

        rows_by_id = self.overlay.rows_by_id
        place_id = change.place_id or f"{NEW_PLACE_PREFIX}{10 ** 12}"  # no id yet: a stand-in
        stub = Change(0, change.kind, place_id, change.payload, change.author, change.reason,
                      change.source, "")
        row = amend_row(base, [stub], rows_by_id, self.overlay.columns)
        chain, node, seen = [row], row.get("parent_id", ""), {place_id}
        while node and node in rows_by_id and node not in seen:
            seen.add(node)
            chain.append(rows_by_id[node])
            node = rows_by_id[node].get("parent_id", "")
        areas = self.areas()
        errors = [p for p in validate_places(chain, areas)
                  if p.severity == "error" and p.id == place_id and p.check != "polygon"]
        if errors:
            raise Refused("invalid", "; ".join(p.message for p in errors))


def _meta(who: str, why: str, source: str) -> dict[str, str]:
    return {"author": _text("who", who, MAX_NAME_CHARS), "reason": _text("why", why, MAX_TEXT_CHARS),
            "source": _text("source", source, MAX_TEXT_CHARS, required=False)}


def _text(what: str, value: Any, limit: int, *, required: bool = True) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise Refused("invalid", f"{what} must be text, not {type(value).__name__}")
    value = value.strip()
    if required and not value:
        raise Refused("invalid", f"{what} is required: every change says who made it and why")
    if len(value) > limit:
        raise Refused("invalid", f"{what} is {len(value)} characters long; the limit is {limit}")
    if any(ord(c) < 32 and c not in "\t" for c in value) or any(0xD800 <= ord(c) <= 0xDFFF
                                                                for c in value):
        raise Refused("invalid", f"{what} holds control characters or lone surrogates")
    return value


def _name(what: str, value: Any) -> str:
    name = _text(what, value, MAX_NAME_CHARS)
    if "|" in name:
        raise Refused("invalid", f"{what} {name!r} holds '|', the separator of alternate names")
    if not any(c.isalpha() for c in name):
        raise Refused("invalid", f"{what} {name!r} has no letters")
    return name
