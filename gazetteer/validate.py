"""Consistency checks for data/places.csv.

    python -m gazetteer.validate [path/to/places.csv]

``validate_places(rows)`` is pure: it takes a list of dict rows (as read by
``csv.DictReader``) and returns a list of :class:`Problem`.  Stdlib only.
"""
from __future__ import annotations

import csv
import math
import os
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ADMIN_TYPES = {"governorate", "district", "subdistrict"}
COMMUNITY_TYPES = {"city", "town", "village"}
LANDMARK_TYPES = {"camp", "airbase", "airport", "crossing", "mountain", "hill", "region", "plain",
                  "dam", "lake", "river", "infrastructure", "road", "neighbourhood"}
KNOWN_TYPES = ADMIN_TYPES | COMMUNITY_TYPES | LANDMARK_TYPES

# Syria bounding box (generous by a few km)
LAT_MIN, LAT_MAX = 32.3, 37.4
LON_MIN, LON_MAX = 35.6, 42.4

DUPLICATE_RADIUS_KM = 1.0


@dataclass(frozen=True)
class Problem:
    severity: str  # "error" | "warning"
    id: str
    message: str

    def __str__(self) -> str:
        return f"{self.severity}\t{self.id}\t{self.message}"


def data_dir() -> Path:
    env = os.environ.get("GAZETTEER_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parent.parent / "data"


def load_rows(path: str | os.PathLike | None = None) -> list[dict]:
    """Read places.csv with the stdlib csv module.

    Default: ``$GAZETTEER_DATA/places.csv`` if that variable is set, else the
    repository's ``data/places.csv``."""
    p = Path(path) if path is not None else data_dir() / "places.csv"
    with open(p, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _float(v) -> float | None:
    try:
        x = float(v)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _norm(s: str) -> str:
    s = unicodedata.normalize("NFKD", (s or "").casefold())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[\u064b-\u0652\u0670\u0640]", "", s)
    s = s.replace("أ", "ا").replace("إ", "ا").replace("آ", "ا").replace("ة", "ه").replace("ى", "ي")
    s = re.sub(r"[^\w]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


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


def validate_places(rows: list[dict]) -> list[Problem]:
    """Check place rows; return errors and warnings (errors first, then by id)."""
    probs: list[Problem] = []

    def err(pid, msg):
        probs.append(Problem("error", pid, msg))

    def warn(pid, msg):
        probs.append(Problem("warning", pid, msg))

    ids = Counter((r.get("id") or "").strip() for r in rows)
    for pid, n in ids.items():
        if not pid:
            err("", f"{n} row(s) with an empty id")
        elif n > 1:
            err(pid, f"duplicate id ({n} rows)")
    known = set(ids)

    coords: dict[int, tuple[float, float]] = {}
    for i, r in enumerate(rows):
        pid = (r.get("id") or "").strip()
        t = (r.get("type") or "").strip()
        if t not in KNOWN_TYPES:
            err(pid, f"unknown type {t!r}")
        lat, lon = _float(r.get("lat")), _float(r.get("lon"))
        if lat is None or lon is None:
            err(pid, f"missing or invalid coordinates ({r.get('lat')!r}, {r.get('lon')!r})")
        elif not (LAT_MIN <= lat <= LAT_MAX and LON_MIN <= lon <= LON_MAX):
            err(pid, f"coordinates outside Syria ({lat}, {lon})")
        else:
            coords[i] = (lat, lon)

        imp = _float(r.get("importance"))
        if imp is None or not (0.0 <= imp <= 1.0):
            err(pid, f"importance not in [0,1]: {r.get('importance')!r}")

        parent = (r.get("parent_id") or "").strip()
        if parent and parent not in known:
            err(pid, f"parent_id {parent} does not exist")
        if not parent and t != "governorate":
            err(pid, "missing parent_id")

        a1 = (r.get("admin1_pcode") or "").strip()
        a2 = (r.get("admin2_pcode") or "").strip()
        a3 = (r.get("admin3_pcode") or "").strip()
        if not a1:
            err(pid, "empty admin1_pcode")
        if a2 and not a2.startswith(a1):
            err(pid, f"admin2 {a2} does not start with admin1 {a1}")
        if a3 and not a3.startswith(a2 or "\0"):
            err(pid, f"admin3 {a3} does not start with admin2 {a2}")
        if t == "governorate" and (a1 != pid or a2 or a3):
            err(pid, "governorate admin columns must be itself / empty / empty")
        if t == "district" and (a2 != pid or a3):
            err(pid, "district admin2 must be itself and admin3 empty")
        if t == "subdistrict" and a3 != pid:
            err(pid, "subdistrict admin3 must be itself")
        if t in COMMUNITY_TYPES and a3 != parent:
            err(pid, f"community admin3 {a3} differs from parent_id {parent}")
        if t not in ADMIN_TYPES and not a3:
            err(pid, "empty admin3_pcode")

        if not _has_script(r.get("name_ar", ""), True):
            warn(pid, "no Arabic name")
        if not _has_script(r.get("name_en", ""), False):
            warn(pid, "no Latin-script name")

    # same type, same normalised name, within 1 km
    grid: dict[tuple, list[int]] = defaultdict(list)
    for i, (lat, lon) in coords.items():
        r = rows[i]
        for nm in {_norm(r.get("name_en", "")), _norm(r.get("name_ar", ""))} - {""}:
            grid[(r.get("type"), nm)].append(i)
    seen = set()
    for (t, nm), idx in grid.items():
        if len(idx) < 2:
            continue
        for a in range(len(idx)):
            for b in range(a + 1, len(idx)):
                i, j = idx[a], idx[b]
                if (i, j) in seen:
                    continue
                if _km(*coords[i], *coords[j]) <= DUPLICATE_RADIUS_KM:
                    seen.add((i, j))
                    warn(rows[i].get("id", ""),
                         f"same {t} name as {rows[j].get('id', '')} ({nm!r}) within {DUPLICATE_RADIUS_KM:g} km")

    probs.sort(key=lambda p: (p.severity != "error", p.id, p.message))
    return probs


def main(argv: list[str] | None = None) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="gazetteer validate", description="Check data/places.csv")
    ap.add_argument("path", nargs="?", help="places.csv (default: the package data)")
    ap.add_argument("--warnings", action="store_true", help="print warnings too")
    args = ap.parse_args(argv)
    rows = load_rows(args.path)
    probs = validate_places(rows)
    errors = [p for p in probs if p.severity == "error"]
    warnings = [p for p in probs if p.severity == "warning"]
    for p in errors:
        print(p)
    if args.warnings:
        for p in warnings:
            print(p)
    kinds = Counter(p.message.split(" (")[0] if p.severity == "warning" else "" for p in warnings)
    print(f"{len(rows)} rows: {len(errors)} errors, {len(warnings)} warnings", file=sys.stderr)
    for k, n in kinds.most_common(5):
        print(f"  warning: {k} x{n}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
