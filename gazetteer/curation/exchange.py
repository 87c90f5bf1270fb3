"""The overlay as a CSV in the ``places.csv`` columns: ``export`` (to propose a good change for
the bundled data, or to move it to another store) and ``import`` (every row checked as the
change it amounts to; one refusal keeps the whole file out)."""
from __future__ import annotations

import csv
from typing import TYPE_CHECKING, Any, Callable, Mapping, TextIO

from .errors import Refused
from .model import CORRECTABLE, NEW_PLACE_PREFIX, split_names
from .store import NewChange

if TYPE_CHECKING:
    from .curator import Curator

Step = Callable[[], "NewChange | None"]
REQUIRED_COLUMNS = frozenset({"id", "type", "name_ar", "name_en", "lat", "lon", "parent_id"})


def export_rows(curator: "Curator", out: TextIO) -> int:
    """Write the amended and new places (bundled order, then new places); the count."""
    overlay = curator.overlay
    writer = csv.DictWriter(out, fieldnames=overlay.columns, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    rows = [overlay.rows_by_id[p.id] for p in overlay.places if p.id in overlay.amended]
    writer.writerows(rows)
    return len(rows)


def import_steps(curator: "Curator", source_file: TextIO, meta: dict[str, Any]) -> list[Step]:
    """The changes a file asks for, as steps ``Curator._write`` checks and stores in order: a
    known id gets the corrections, aliases and retirements that make it equal its row (the row
    lists every alternate name the place keeps); an empty id, or a ``U:`` id unknown here, is a
    new place (and rows below may name that ``U:`` id as their parent)."""
    try:
        rows = list(csv.DictReader(source_file))
    except (csv.Error, UnicodeDecodeError) as exc:
        raise Refused("invalid", f"the file is not a readable CSV: {exc}") from None
    if not rows:
        raise Refused("invalid", "the file has no rows")
    missing = REQUIRED_COLUMNS - set(rows[0])
    if missing:
        raise Refused("invalid", f"the CSV lacks the column(s) {', '.join(sorted(missing))}")
    renamed: dict[str, str] = {}  # U: ids of the file -> the ids the new places get here
    steps: list[Step] = []
    for number, row in enumerate(rows, start=2):  # line numbers, the header being line 1
        steps.extend(_row_steps(curator, number, row, renamed, meta))
    return steps


def _at_row(number: int, build: Step) -> Step:
    """``build``, its refusal naming the file's line."""
    def run() -> NewChange | None:
        try:
            return build()
        except Refused as exc:
            raise Refused(exc.code, str(exc), row=number) from None
    return run


def _row_steps(curator: "Curator", number: int, row: Mapping[str, str],
               renamed: dict[str, str], meta: dict[str, Any]) -> list[Step]:
    gz = curator.gz
    place_id = (row.get("id") or "").strip()
    parent = (row.get("parent_id") or "").strip()
    if not place_id or (place_id.startswith(NEW_PLACE_PREFIX) and gz.get(place_id) is None):
        fields = dict(type=(row.get("type") or "").strip(), lat=row.get("lat"),
                      lon=row.get("lon"), name_ar=row.get("name_ar", ""),
                      name_en=row.get("name_en", ""), alt_ar=split_names(row.get("alt_ar", "")),
                      alt_en=split_names(row.get("alt_en", "")))

        def new_place() -> NewChange:
            return curator._place_change(fields | {"parent_id": renamed.get(parent, parent)},
                                         force=False, **meta)

        step = _at_row(number, new_place)
        if place_id:
            step.after = lambda change: renamed.__setitem__(place_id, change.place_id)
        return [step]
    if gz.get(place_id) is None:
        def unknown() -> NewChange:
            raise Refused("unknown-place", f"no place has the id {place_id[:80]!r}")
        return [_at_row(number, unknown)]

    def corrections() -> NewChange | None:
        place = curator._place(place_id)
        current = curator.overlay.rows_by_id[place_id]
        fields: dict[str, Any] = {}
        for key in CORRECTABLE:
            value = (row.get(key) or "").strip()
            if not value:
                continue
            if key in ("lat", "lon"):
                try:
                    if abs(float(value) - float(current[key])) < 5e-7:
                        continue
                except ValueError:
                    pass  # not a number: the correction says so
            elif value == (current.get(key) or "").strip():
                continue
            fields[key] = renamed.get(value, value) if key == "parent_id" else value
        return curator._correct_change(place.id, fields, **meta) if fields else None

    steps: list[Step] = [_at_row(number, corrections)]
    place = gz.get(place_id)
    wanted = [n for script in ("alt_ar", "alt_en") for n in split_names(row.get(script, ""))]
    for name in place.alt_ar + place.alt_en:
        if name not in wanted:
            steps.append(_at_row(number, lambda name=name: curator._retire_change(
                place_id, name, **meta)))
    for name in wanted:
        if name not in place.names:
            steps.append(_at_row(number, lambda name=name: curator._alias_change(
                place_id, name, area=None, **meta)))
    return steps
