"""Consistency checks for the gazetteer data: ``places.csv`` and the admin polygons.

    gazetteer validate [PATH] [--warnings] [--admin DIR] [--no-polygons] [--no-curation]
    python -m gazetteer.validate [PATH] ...

Without ``PATH`` the rows checked are the bundled ones with the curation overlay applied
(``gazetteer.curation``: ``$GAZETTEER_CURATION`` or the user's store, when there is one).

``PATH`` is a ``places.csv`` or the folder holding it (default: $GAZETTEER_DATA or the bundled
``data/``); the polygons are read from ``--admin DIR``, else ``admin/`` beside the places file,
else the bundled ``data/admin``.  Exit status 0 when there is no error, 1 otherwise (warnings do
not count); problems are printed one a line as ``severity<TAB>id<TAB>message``.

``validate_places(rows, areas=None)`` is pure: dict rows (as read by ``csv.DictReader``) and,
optionally, an ``AdminAreas``; it returns a list of :class:`Problem`, errors first.

Checks (E = error, W = warning; ``check`` code in brackets):

* ids: empty or duplicate (E ``id``), pattern of the type: SY country, SYxx governorate, SYxxxx district,
  SYxxxxxx sub-district, Cxxxx community, Nxxxx neighbourhood, ``L:...`` landmark
  (E ``id-format``), ``U:<n>`` a place added by curation; type known (E ``type``); importance in [0, 1] (E ``importance``).
* coordinates: present and finite (E ``coordinates``); without polygons, inside Syria's bounding
  box (E ``outside-syria``).
* parents: parent exists, every row but the country and the governorates has one, no cycles
  (E ``parent``); the parent is of the right type (country <- governorate <- district <-
  sub-district <- community <- neighbourhood; landmarks under a sub-district) and its admin
  p-codes agree with the child's (E ``parent``); admin p-codes nest and match the row's type, a
  country row has none (E ``admin``).
* polygons (with ``areas``): every admin p-code has a polygon, every polygon a row, the polygon
  hierarchy agrees with the rows (E ``polygon``); admin names equal the polygon's (W
  ``admin-name``); each point lies in its own polygon (any governorate for the country, its adm1
  for a governorate, adm2 for a district, its admin3 otherwise; a neighbourhood also in its own
  neighbourhood polygon): W ``point-polygon`` with the distance when outside; E
  ``point-polygon`` when it is more than 10 km from it, E ``outside-syria`` when the point is
  outside every governorate and more than 5 km from the border.
* duplicates: two places of one type within 1 km whose names (any of primary or alternate, in
  either script) have the same cross-script skeleton and the same digits (W ``duplicate``).
* names: a name in Arabic script and one in Latin script (W ``name-script``).
"""
from __future__ import annotations

import argparse
import csv
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from .paths import data_dir

if TYPE_CHECKING:
    from .admin import AdminAreas

ADMIN_TYPES = {"governorate", "district", "subdistrict"}
COUNTRY_TYPES = {"country"}  # one row for Syria itself: no parent, no admin columns
COMMUNITY_TYPES = {"city", "town", "village"}
LANDMARK_TYPES = {"camp", "airbase", "airport", "crossing", "mountain", "hill", "region", "plain",
                  "dam", "lake", "river", "infrastructure", "road", "neighbourhood"}
# populated places GeoNames lists and OCHA does not (by GeoNames feature code)
GEONAMES_TYPES = {"hamlet", "farm", "section", "abandoned"}
# sites from the war map, transport and power sources
SITE_TYPES = {"base", "checkpoint", "naval base", "hospital", "prison", "oil field", "factory",
              "power station", "station", "port"}
KNOWN_TYPES = COUNTRY_TYPES | ADMIN_TYPES | COMMUNITY_TYPES | LANDMARK_TYPES | GEONAMES_TYPES | SITE_TYPES

# Syria bounding box (generous by a few km); used when the polygons are not checked
LAT_MIN, LAT_MAX = 32.3, 37.4
LON_MIN, LON_MAX = 35.6, 42.4

DUPLICATE_RADIUS_KM = 1.0
OUTSIDE_SYRIA_ERROR_KM = 5.0  # a point outside every governorate further than this: error
FAR_FROM_POLYGON_KM = 10.0  # a point this far from its own admin polygon: error

ID_PATTERNS = {
    "country": re.compile(r"[A-Z]{2}"),
    "governorate": re.compile(r"SY\d{2}"),
    "district": re.compile(r"SY\d{4}"),
    "subdistrict": re.compile(r"SY\d{6}"),
    "community": re.compile(r"C\d{4,}"),
    "neighbourhood": re.compile(r"N\d{4,}"),
    "landmark": re.compile(r"L:[a-z0-9_]+"),
    "geonames": re.compile(r"G\d+|W\d+"),  # GeoNames id, or Who's On First id where GeoNames has none
    "site": re.compile(r"S:[a-z0-9_]+"),
}
# a place added by curation (gazetteer.curation): "U:" and the number of the change that made it;
# any type but an admin unit, checked like the bundled places of its type otherwise
CURATED_ID = re.compile(r"U:[1-9]\d*")
ADMIN_LEVEL = {"governorate": 1, "district": 2, "subdistrict": 3}
PARENT_TYPES = {
    "governorate": {"country"},
    "district": {"governorate"},
    "subdistrict": {"district"},
    "city": {"subdistrict"}, "town": {"subdistrict"}, "village": {"subdistrict"},
}


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    id: str
    message: str
    check: str = ""

    def __str__(self) -> str:
        return f"{self.severity}\t{self.id}\t{self.message}"


def bundled_admin_dir() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "admin"


def places_path(path: str | os.PathLike | None = None) -> Path:
    p = Path(path) if path is not None else data_dir()
    return p / "places.csv" if p.is_dir() else p


def load_rows(path: str | os.PathLike | None = None) -> list[dict]:
    """Read places.csv with the stdlib csv module.

    Default: ``$GAZETTEER_DATA/places.csv`` if that variable is set, else the
    repository's ``data/places.csv``.  ``path`` may also be the folder holding it."""
    with open(places_path(path), encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def finite_float(v) -> float | None:
    """The number in a CSV cell, or None when it is empty, not a number, or not finite."""
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _has_script(s: str, arabic: bool) -> bool:
    for ch in s or "":
        if not ch.isalpha():
            continue
        is_ar = "\u0600" <= ch <= "\u06ff" or "\u0750" <= ch <= "\u077f" or "\ufb50" <= ch <= "\ufeff"
        if is_ar == arabic:
            return True
    return False


def _km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(a)))


def _kind(row_type: str, pid: str) -> str:
    if row_type in ADMIN_TYPES or row_type in COUNTRY_TYPES:
        return row_type
    if row_type in COMMUNITY_TYPES and pid[:1] not in "GW":
        return "community"
    if row_type == "neighbourhood" and not pid.startswith("L:"):
        return "neighbourhood"
    if row_type in GEONAMES_TYPES or (row_type == "town" and pid[:1] in "GW"):
        return "geonames"
    if pid.startswith("S:"):
        return "site"
    return "landmark"


def _names(r: dict) -> list[str]:
    alts = [a for col in ("alt_en", "alt_ar") for a in (r.get(col) or "").split("|") if a.strip()]
    return [n for n in (r.get("name_en", ""), r.get("name_ar", ""), *alts) if n and n.strip()]


def _digits(text: str) -> str:
    return "".join(str(unicodedata.digit(ch)) for ch in text if ch.isdigit())


class _Report:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def err(self, pid: str, check: str, msg: str) -> None:
        self.problems.append(Problem("error", pid, msg, check))

    def warn(self, pid: str, check: str, msg: str) -> None:
        self.problems.append(Problem("warning", pid, msg, check))


def validate_places(rows: Sequence[dict], areas: "AdminAreas | None" = None) -> list[Problem]:
    """Check place rows (and, given ``areas``, their points and codes against the polygons);
    return errors and warnings (errors first, then by id)."""
    rep = _Report()
    coords = _check_rows(rows, rep, bbox=areas is None)
    _check_parents(rows, rep)
    _check_duplicates(rows, coords, rep)
    if areas is not None:
        _check_polygons(rows, coords, areas, rep)
    probs = rep.problems
    probs.sort(key=lambda p: (p.severity != "error", p.id, p.message))
    return probs


def _check_rows(rows: Sequence[dict], rep: _Report, *, bbox: bool) -> dict[int, tuple[float, float]]:
    err, warn = rep.err, rep.warn
    ids = Counter((r.get("id") or "").strip() for r in rows)
    for pid, n in ids.items():
        if not pid:
            err("", "id", f"{n} row(s) with an empty id")
        elif n > 1:
            err(pid, "id", f"duplicate id ({n} rows)")
    known = set(ids)

    coords: dict[int, tuple[float, float]] = {}
    for i, r in enumerate(rows):
        pid = (r.get("id") or "").strip()
        t = (r.get("type") or "").strip()
        if t not in KNOWN_TYPES:
            err(pid, "type", f"unknown type {t!r}")
        elif pid.startswith("U:") and t not in ADMIN_TYPES | COUNTRY_TYPES:
            if not CURATED_ID.fullmatch(pid):
                err(pid, "id-format", "id does not have the form of a curated place id (U:<n>)")
        elif pid and not ID_PATTERNS[_kind(t, pid)].fullmatch(pid):
            err(pid, "id-format", f"id does not have the form of a {_kind(t, pid)} id")
        lat, lon = finite_float(r.get("lat")), finite_float(r.get("lon"))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            err(pid, "coordinates", f"missing or invalid coordinates ({r.get('lat')!r}, {r.get('lon')!r})")
        elif bbox and not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
            err(pid, "outside-syria", f"coordinates outside Syria ({lat}, {lon})")
        else:
            coords[i] = (lat, lon)

        imp = finite_float(r.get("importance"))
        if imp is None or not (0.0 <= imp <= 1.0):
            err(pid, "importance", f"importance not in [0,1]: {r.get('importance')!r}")

        parent = (r.get("parent_id") or "").strip()
        if parent and parent not in known:
            err(pid, "parent", f"parent_id {parent} does not exist")
        if not parent and t not in ("governorate", "country"):
            err(pid, "parent", "missing parent_id")
        if t in COUNTRY_TYPES:
            if parent:
                err(pid, "parent", "a country has no parent")
            if any((r.get(f"admin{k}_pcode") or "").strip() for k in (1, 2, 3)):
                err(pid, "admin", "a country row has empty admin columns")

        a1 = (r.get("admin1_pcode") or "").strip()
        a2 = (r.get("admin2_pcode") or "").strip()
        a3 = (r.get("admin3_pcode") or "").strip()
        if not a1 and t not in COUNTRY_TYPES:
            err(pid, "admin", "empty admin1_pcode")
        if a2 and not a2.startswith(a1):
            err(pid, "admin", f"admin2 {a2} does not start with admin1 {a1}")
        if a3 and not a3.startswith(a2 or "\0"):
            err(pid, "admin", f"admin3 {a3} does not start with admin2 {a2}")
        if t == "governorate" and (a1 != pid or a2 or a3):
            err(pid, "admin", "governorate admin columns must be itself / empty / empty")
        if t == "district" and (a2 != pid or a3):
            err(pid, "admin", "district admin2 must be itself and admin3 empty")
        if t == "subdistrict" and a3 != pid:
            err(pid, "admin", "subdistrict admin3 must be itself")
        if t in COMMUNITY_TYPES and a3 != parent:
            err(pid, "admin", f"community admin3 {a3} differs from parent_id {parent}")
        if t not in ADMIN_TYPES and t not in COUNTRY_TYPES and not a3:
            err(pid, "admin", "empty admin3_pcode")

        name_ar, name_en = r.get("name_ar", ""), r.get("name_en", "")
        if not _has_script(name_ar, True):
            warn(pid, "name-script", "no Arabic name")
        if not _has_script(name_en, False):
            warn(pid, "name-script", "no Latin-script name")
        if _has_script(name_en, True):
            warn(pid, "name-script", f"name_en has Arabic letters ({name_en!r})")
        if _has_script(name_ar, False):
            warn(pid, "name-script", f"name_ar has Latin letters ({name_ar!r})")
    return coords


def _check_parents(rows: Sequence[dict], rep: _Report) -> None:
    by_id = {}
    for r in rows:
        by_id.setdefault((r.get("id") or "").strip(), r)
    for r in rows:
        pid = (r.get("id") or "").strip()
        t = (r.get("type") or "").strip()
        parent = by_id.get((r.get("parent_id") or "").strip())
        if parent is None:
            continue
        pt = (parent.get("type") or "").strip()
        if t in COUNTRY_TYPES:
            continue  # reported above
        kind = _kind(t, pid)
        if kind == "landmark":
            allowed = {"subdistrict"}
        elif kind == "neighbourhood":
            allowed = COMMUNITY_TYPES
        else:
            allowed = PARENT_TYPES.get(t, set())
        if allowed and pt not in allowed:
            rep.err(pid, "parent", f"parent {parent['id']} is a {pt or '?'}, expected "
                                   f"{' or '.join(sorted(allowed))}")
        for level in (1, 2, 3):
            col = f"admin{level}_pcode"
            mine, theirs = (r.get(col) or "").strip(), (parent.get(col) or "").strip()
            if theirs and mine != theirs:
                rep.err(pid, "parent", f"{col} {mine or '(empty)'} differs from the parent "
                                       f"{parent['id']}'s {theirs}")
    # cycles
    state: dict[str, int] = {}
    for start in by_id:
        chain = []
        node = start
        while node and node in by_id and state.get(node) is None:
            state[node] = 1
            chain.append(node)
            node = (by_id[node].get("parent_id") or "").strip()
        if node and state.get(node) == 1:
            rep.err(node, "parent", f"parent_id cycle: {' -> '.join(chain[chain.index(node):] + [node])}")
        for c in chain:
            state[c] = 2


def _check_duplicates(rows: Sequence[dict], coords: dict[int, tuple[float, float]],
                      rep: _Report) -> None:
    """Same type, same name skeleton (and digits), within 1 km."""
    from .normalize import skeleton

    groups: dict[tuple, list[tuple[int, str]]] = defaultdict(list)
    for i in coords:
        r = rows[i]
        keys: dict[tuple, str] = {}
        for name in _names(r):
            sk = skeleton(name)
            if sk:
                keys.setdefault((r.get("type") or "", sk, _digits(name)), name)
        for key, name in keys.items():
            groups[key].append((i, name))
    seen = set()
    for (t, sk, _), members in sorted(groups.items()):
        for a in range(len(members)):
            for b in range(a + 1, len(members)):
                (i, ni), (j, nj) = members[a], members[b]
                if (i, j) in seen or i == j:
                    continue
                d = _km(*coords[i], *coords[j])
                if d <= DUPLICATE_RADIUS_KM:
                    seen.add((i, j))
                    rep.warn(rows[i].get("id", ""), "duplicate",
                             f"same {t} name skeleton as {rows[j].get('id', '')} ({ni!r} ~ {nj!r}, "
                             f"{sk}) within {DUPLICATE_RADIUS_KM:g} km ({d:.2f} km)")


def _check_polygons(rows: Sequence[dict], coords: dict[int, tuple[float, float]],
                    areas: "AdminAreas", rep: _Report) -> None:
    import numpy as np
    import shapely

    layers = {1: areas.adm1, 2: areas.adm2, 3: areas.adm3}
    # codes and names against the polygons
    row_ids = set()
    for r in rows:
        pid = (r.get("id") or "").strip()
        t = (r.get("type") or "").strip()
        row_ids.add(pid)
        for level, layer in layers.items():
            code = (r.get(f"admin{level}_pcode") or "").strip()
            if not code:
                continue
            k = layer.index(code)
            if k is None:
                rep.err(pid, "polygon", f"admin{level} {code} has no adm{level} polygon")
                continue
            ref = layer.refs[k]
            for lang in ("en", "ar"):
                mine = r.get(f"admin{level}_{lang}", "")
                if mine != getattr(ref, f"name_{lang}"):
                    rep.warn(pid, "admin-name", f"admin{level}_{lang} {mine!r} differs from the "
                                                f"polygon's {getattr(ref, f'name_{lang}')!r}")
        if t in ADMIN_LEVEL:
            level = ADMIN_LEVEL[t]
            k = layers[level].index(pid)
            if k is not None:
                props = layers[level].props[k]
                for up in range(1, level):
                    want = props.get(f"adm{up}_pcode", "")
                    have = (r.get(f"admin{up}_pcode") or "").strip()
                    if want and want != have:
                        rep.err(pid, "polygon", f"admin{up} {have} differs from the polygon's "
                                                f"adm{up}_pcode {want}")
    for level, layer in layers.items():
        for code in layer.pcodes:
            if code not in row_ids:
                rep.err(code, "polygon", f"adm{level} polygon {code} has no row in places.csv")
    nbl = areas.neighbourhoods
    by_id = {(r.get("id") or "").strip(): r for r in rows}
    if nbl is not None:
        for k, code in enumerate(nbl.pcodes):
            r = by_id.get(code)
            if r is None:
                rep.err(code, "polygon", f"neighbourhood polygon {code} has no row in places.csv")
            elif nbl.props[k].get("adm4_pcode") and r.get("parent_id") != nbl.props[k]["adm4_pcode"]:
                rep.err(code, "polygon", f"parent_id {r.get('parent_id')} differs from the "
                                         f"polygon's city {nbl.props[k]['adm4_pcode']}")

    # points in their own polygons, level by level, vectorised
    todo: dict[Any, list[tuple[int, int]]] = defaultdict(list)  # layer -> [(row, polygon)]
    for i in coords:
        r = rows[i]
        t = (r.get("type") or "").strip()
        if t in COUNTRY_TYPES:
            lat, lon = coords[i]
            border = areas.distance_to_syria_km(lat, lon)
            if border > 0:
                msg = f"point ({lat}, {lon}) is outside Syria, {border:.2f} km from the border"
                if border > OUTSIDE_SYRIA_ERROR_KM:
                    rep.err(r.get("id", ""), "outside-syria", msg)
                else:
                    rep.warn(r.get("id", ""), "point-polygon", msg)
            continue
        level = ADMIN_LEVEL.get(t, 3)
        code = (r.get("id") if t in ADMIN_LEVEL else r.get(f"admin{level}_pcode")) or ""
        k = layers[level].index(code.strip())
        if k is not None:
            todo[level].append((i, k))
        if nbl is not None and t == "neighbourhood":
            k = nbl.index((r.get("id") or "").strip())
            if k is not None:
                todo["nb"].append((i, k))
    for level, pairs in todo.items():
        layer = nbl if level == "nb" else layers[level]
        idx = np.array([p[0] for p in pairs])
        own = np.array([p[1] for p in pairs], dtype=np.intp)
        ys = np.array([coords[i][0] for i in idx.tolist()])
        xs = np.array([coords[i][1] for i in idx.tolist()])
        inside = np.asarray(shapely.intersects_xy(layer.geoms[own], xs, ys))
        out = np.flatnonzero(~inside)
        if not len(out):
            continue
        dist = layer.distance_km(own[out], xs[out], ys[out])
        where = layer.locate_points(xs[out], ys[out])
        for n, j in enumerate(out.tolist()):
            i = int(idx[j])
            pid = (rows[i].get("id") or "").strip()
            lat, lon = coords[i]
            what = "neighbourhood" if level == "nb" else f"adm{level}"
            own_code = layer.pcodes[own[j]]
            d = float(dist[n])
            if where[n] >= 0:
                place = f"in {what} {layer.pcodes[where[n]]} {layer.refs[where[n]].name_en}"
            else:
                place = f"outside every {what} polygon"
            if level != "nb" and where[n] < 0 and areas.adm1.locate_points(
                    np.array([lon]), np.array([lat]))[0] < 0:
                border = areas.distance_to_syria_km(lat, lon)
                if border > OUTSIDE_SYRIA_ERROR_KM:
                    rep.err(pid, "outside-syria", f"point ({lat}, {lon}) is outside Syria, "
                                                  f"{border:.2f} km from the border")
                    continue
            msg = f"point is {d:.2f} km from its {what} polygon {own_code} ({place})"
            if level != "nb" and d > FAR_FROM_POLYGON_KM:
                rep.err(pid, "point-polygon", msg)
            else:
                rep.warn(pid, "point-polygon", msg)


# -- command line ---------------------------------------------------------------------------------
def add_arguments(ap: argparse.ArgumentParser) -> None:
    ap.add_argument("path", nargs="?",
                    help="places.csv or the folder holding it (default: $GAZETTEER_DATA or the "
                         "bundled data)")
    ap.add_argument("--warnings", action="store_true", help="print warnings too")
    ap.add_argument("--admin", metavar="DIR",
                    help="folder of adm1/adm2/adm3/neighbourhoods.geojson (default: admin/ beside "
                         "places.csv, else the bundled polygons)")
    ap.add_argument("--no-polygons", action="store_true",
                    help="skip the checks against the polygons (bounding box only)")
    ap.add_argument("--no-curation", action="store_true",
                    help="check the bundled rows alone (by default, without PATH, the rows with "
                         "the curation overlay of $GAZETTEER_CURATION or the user's store)")


def admin_dir_for(places: Path, admin: str | os.PathLike | None) -> Path:
    if admin is not None:
        return Path(admin)
    beside = places.parent / "admin"
    return beside if (beside / "adm3.geojson").exists() else bundled_admin_dir()


def run(args: argparse.Namespace) -> int:
    from .exceptions import DataError

    path = places_path(args.path)
    try:
        rows = load_rows(path)
    except FileNotFoundError as exc:
        raise DataError(f"places file not found: {path}") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise DataError(f"cannot read {path}: {exc}") from exc
    curated = ""
    if args.path is None and not getattr(args, "no_curation", False):
        from .curation.store import configured_rows

        rows, curated = configured_rows(rows)
    areas = None
    if not args.no_polygons:
        from .admin import AdminAreas

        areas = AdminAreas.from_dir(admin_dir_for(path, args.admin))
    probs = validate_places(rows, areas)
    errors = [p for p in probs if p.severity == "error"]
    warnings = [p for p in probs if p.severity == "warning"]
    out = sys.stdout
    for p in errors:
        out.write(f"{p}\n")
    if args.warnings:
        for p in warnings:
            out.write(f"{p}\n")
    where = f"polygons from {areas.source}" if areas is not None else "no polygon checks"
    print(f"{path}{curated}: {len(rows)} rows ({where}): {len(errors)} errors, {len(warnings)} warnings",
          file=sys.stderr)
    for sev, items in (("error", errors), ("warning", warnings)):
        for k, n in Counter(p.check or p.message.split(" (")[0] for p in items).most_common():
            print(f"  {sev}: {k} x{n}", file=sys.stderr)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    from .exceptions import GazetteerError

    ap = argparse.ArgumentParser(prog="gazetteer validate", description="Check the gazetteer data")
    add_arguments(ap)
    args = ap.parse_args(argv)
    try:
        return run(args)
    except GazetteerError as exc:
        print(f"gazetteer validate: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
