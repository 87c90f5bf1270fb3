"""The overlay as data: the changes replayed into the rows they give (bundled rows amended,
new rows added).  Pure: no store, no index; ``overlay.py`` puts the result in a ``Gazetteer``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from ..normalize import has_arabic
from .store import Change

NEW_PLACE_PREFIX = "U:"
CORRECTABLE = ("name_ar", "name_en", "type", "lat", "lon", "parent_id")
ADMIN_COLUMNS = tuple(f"admin{k}_{part}" for k in (1, 2, 3) for part in ("pcode", "en", "ar"))
CURATION_SOURCE = "curation"


def new_place_id(change_id: int) -> str:
    """The id of the place a stored ``add-place`` change made: ``U:<change id>``."""
    return f"{NEW_PLACE_PREFIX}{change_id}"


@dataclass
class OverlayState:
    """What the active changes amount to, kept up to date change by change (``apply``)."""

    changes: dict[int, Change] = field(default_factory=dict)  # every change seen, by id
    reverted: dict[int, int] = field(default_factory=dict)  # change id -> the revert's id
    by_place: dict[str, list[int]] = field(default_factory=dict)  # place id -> its change ids
    head: int = 0

    def apply(self, changes: Iterable[Change]) -> list[str]:
        """Take the changes (in id order, after ``head``); the ids of the places they touch,
        in the order of the changes."""
        touched: dict[str, None] = {}
        for ch in changes:
            if ch.id <= self.head:
                continue
            self.changes[ch.id] = ch
            self.head = ch.id
            if ch.kind != "revert":
                self.by_place.setdefault(ch.place_id, []).append(ch.id)
            if ch.kind == "revert":
                target = self.changes.get(int(ch.payload["change"]))
                self.reverted[int(ch.payload["change"])] = ch.id
                if target is not None:
                    touched[target.place_id] = None
            else:
                touched[ch.place_id] = None
        return list(touched)

    def active(self) -> list[Change]:
        """The changes in force: not reverts, not reverted; in id order."""
        return [c for i, c in sorted(self.changes.items())
                if c.kind != "revert" and i not in self.reverted]

    def active_for(self, place_id: str) -> list[Change]:
        return [self.changes[i] for i in self.by_place.get(place_id, ())
                if i not in self.reverted]

    def touched_places(self) -> list[str]:
        """Every place an active change concerns, in the order first touched."""
        return list(dict.fromkeys(c.place_id for c in self.active()))


def split_names(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def admin_columns_from(parent: Mapping[str, str]) -> dict[str, str]:
    """A child's admin columns: its parent's (a sub-district is its own admin3)."""
    return {col: parent.get(col, "") for col in ADMIN_COLUMNS}


def amend_row(base: Mapping[str, str] | None, changes: Iterable[Change],
              rows_by_id: Mapping[str, Mapping[str, str]], columns: Iterable[str]) -> dict[str, str]:
    """The row a place has once its active ``changes`` are applied (``base`` None: a new place,
    whose first change is its ``add-place``).  ``rows_by_id`` gives parents' current rows."""
    row: dict[str, str] = dict(base) if base is not None else {c: "" for c in columns}
    ids: list[str] = []
    for ch in changes:
        ids.append(str(ch.id))
        p = ch.payload
        if ch.kind == "add-place":
            row.update({"id": ch.place_id, "type": p["type"], "name_ar": p.get("name_ar", ""),
                        "name_en": p.get("name_en", ""), "alt_ar": "", "alt_en": "",
                        "lat": f"{float(p['lat']):.6f}", "lon": f"{float(p['lon']):.6f}",
                        "coord_method": "curation", "parent_id": p["parent_id"],
                        "importance": f"{float(p.get('importance', 0.3)):.4f}",
                        "is_seat": "0"})
            for script, names in (("alt_ar", p.get("alt_ar", ())), ("alt_en", p.get("alt_en", ()))):
                row[script] = "|".join(names)
            parent = rows_by_id.get(p["parent_id"])
            if parent is not None:
                row.update(admin_columns_from(parent))
        elif ch.kind == "add-alias":
            column = "alt_ar" if has_arabic(p["name"]) else "alt_en"
            names = split_names(row.get(column, ""))
            if p["name"] not in names:
                names.append(p["name"])
            row[column] = "|".join(names)
        elif ch.kind == "retire":
            for column in ("alt_ar", "alt_en"):
                row[column] = "|".join(n for n in split_names(row.get(column, ""))
                                       if n != p["name"])
        elif ch.kind == "correct":
            for key in CORRECTABLE:
                if key not in p:
                    continue
                value = p[key]
                row[key] = f"{float(value):.6f}" if key in ("lat", "lon") else str(value)
                if key in ("lat", "lon"):
                    row["coord_method"] = "curation"
            if "parent_id" in p and p["parent_id"] in rows_by_id:
                row.update(admin_columns_from(rows_by_id[p["parent_id"]]))
    if ids:
        source = row.get("source", "")
        mark = f"{CURATION_SOURCE}:{','.join(ids)}"
        row["source"] = f"{source};{mark}" if source else mark
    return row


def curated_rows(base_rows: list[dict[str, str]], state: OverlayState) -> tuple[
        list[dict[str, str]], dict[str, dict[str, str]]]:
    """Every row with the overlay applied (bundled order, then new places by id), and the
    amended or added rows alone, by id."""
    columns = list(base_rows[0]) if base_rows else []
    by_id: dict[str, dict[str, str]] = {r["id"]: r for r in base_rows}
    amended: dict[str, dict[str, str]] = {}
    view = dict(by_id)  # the rows parents are read from: bundled, then amended as they come
    per_place: dict[str, list[Change]] = {}
    for ch in state.active():
        per_place.setdefault(ch.place_id, []).append(ch)
    # parents first: a place amended after its parent copies the parent's current columns
    for place_id, changes in sorted(per_place.items(), key=lambda kv: _depth(kv[0], per_place,
                                                                              by_id)):
        base = by_id.get(place_id) if not place_id.startswith(NEW_PLACE_PREFIX) else None
        if base is None and changes[0].kind != "add-place":
            continue  # a change to a place that no longer exists (its add-place was reverted)
        amended[place_id] = view[place_id] = amend_row(base, changes, view, columns)
    rows = [amended.get(r["id"], r) for r in base_rows]
    rows += [r for pid, r in sorted(amended.items(), key=lambda kv: _new_order(kv[0]))
             if pid not in by_id]
    return rows, amended


def _new_order(place_id: str) -> int:
    return int(place_id[len(NEW_PLACE_PREFIX):]) if place_id.startswith(NEW_PLACE_PREFIX) else -1


def _depth(place_id: str, per_place: Mapping[str, list[Change]],
           by_id: Mapping[str, Mapping[str, str]]) -> tuple[int, int]:
    """How many curated ancestors a curated place has (parents are amended first)."""
    depth, seen, node = 0, {place_id}, place_id
    while True:
        parent = _parent_of(node, per_place, by_id)
        if not parent or parent in seen or parent not in per_place:
            break
        seen.add(parent)
        depth += 1
        node = parent
    return depth, _new_order(place_id)


def _parent_of(place_id: str, per_place: Mapping[str, list[Change]],
               by_id: Mapping[str, Mapping[str, str]]) -> str:
    parent = by_id.get(place_id, {}).get("parent_id", "")
    for ch in per_place.get(place_id, ()):
        if "parent_id" in ch.payload:
            parent = ch.payload["parent_id"]
    return parent


def change_summary(change: Change) -> dict[str, Any]:
    """A change as the CLI lists it."""
    return change.as_dict()
