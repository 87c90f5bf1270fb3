"""Joining the sources: names onto the places they belong to, new places for the rest.

The rules, in the order the build applies them:

1. **p-code joins** (OpenStreetMap through IOM, IOM's own spelling): the names go onto the OCHA
   community or neighbourhood of that p-code; IOM's 2026 residents become its population.
2. **GeoNames localities ↔ OCHA communities, one to one**: a pair is a candidate when the two points
   lie within ``JOIN_KM`` and the names agree (same consonant skeleton, similarity ≥
   ``JOIN_SIMILARITY``), or within ``JOIN_KM_SURE`` when the names are near-identical. Pairs are
   taken best first (similarity minus a distance term); each side is used once, so two villages
   are never merged into one. A locality whose name agrees with a community already taken within
   ``JOIN_KM`` is a duplicate record of that village and is dropped, so one village is never split
   in two. The rest become places of their own.
3. **The war map's settlement labels** are Latin spellings of the settlement they sit on, joined
   one to one the same way; a label that joins nothing is dropped (it is not a new village).
4. **Sites** (airbases, bases, hills, crossings, dams, ...) join a site the gazetteer already has
   when the type agrees and the points lie within ``SITE_KM`` with agreeing names (or within
   ``SITE_KM_SAME`` whatever the names); otherwise they are places of their own. A site is never
   joined to a settlement, and a transport alias that is just the name of the town it lies in is
   not taken as a name of the site.

Where the sources disagree (an Arabic name, a point several km away), the first source keeps the
primary name and the point; the other's name is kept as an alternate, and the disagreement goes to
``validation_report.csv``. Primary Arabic name: OCHA (admin4 Arabic names) > OpenStreetMap >
GeoNames. Point: OCHA's, unless it is only a sub-district centroid, then OpenStreetMap's, then
GeoNames'.
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz.fuzz import ratio

from ..lexicon import type_words
from ..normalize import has_arabic, name_key, normalize, skeleton
from .common import fmt6, importance
from .geo import haversine_km as km
from .names import clean, is_link, script_of
from .wof import FEATURE_TYPES

JOIN_KM = 2.0
JOIN_KM_SURE = 5.0
JOIN_SIMILARITY = 0.75
JOIN_SIMILARITY_SURE = 0.92
SITE_KM = 3.0
SITE_KM_SAME = 1.0
POINT_DISAGREES_KM = 5.0

SETTLEMENT_TYPES = frozenset({"city", "town", "village", "neighbourhood", "hamlet", "farm", "section",
                              "abandoned"})
COMMUNITY_TYPES = frozenset({"city", "town", "village"})
# Site types that are one kind of thing for joining ("Kuweires Airbase" = "Kuweires Military Airport").
SITE_FAMILY = {"airbase": "air", "airport": "air", "base": "base", "checkpoint": "base", "naval base": "base",
               "prison": "base", "hospital": "base", "hill": "hill", "mountain": "hill",
               "oil field": "industry", "factory": "industry", "power station": "industry",
               "infrastructure": "industry", "dam": "dam", "crossing": "crossing", "station": "station",
               "port": "port"}
# Words that say what kind of site a name is, not which one ("Kuweires Airbase" → "kuweires").
_SITE_WORDS = re.compile(
    r"\b(?:military|international|int'?l|air ?base|air ?port|airport|airfield|air ?strip|helipad|heliport|"
    r"base|barracks|battalion|brigade|regiment|division|dam|lake|hydroelectric|power|plant|project|"
    r"station|thermal|ocgt|ccgt|cogen|border|crossing|gate|terminal|port|seaport|wharf|pier|gas|oil|"
    r"field|factory|refinery|hill|mount|mountain|jabal|jebel|tal|tall|tell|checkpoint|of|the|al|el)\b",
    re.I)


class NearIndex:
    """Points on a grid of about 5 km cells, for "what lies within r km" questions."""

    CELL = 0.05

    def __init__(self, points: Sequence[tuple[float, float]]):
        self.points = list(points)
        self.cells: dict[tuple[int, int], list[int]] = defaultdict(list)
        for i, (la, lo) in enumerate(self.points):
            self.cells[(int(la // self.CELL), int(lo // self.CELL))].append(i)

    def within(self, lat: float, lon: float, radius_km: float) -> list[tuple[int, float]]:
        reach = int(radius_km / 4.4) + 1  # a cell is >= 4.5 km wide at Syrian latitudes
        ci, cj = int(lat // self.CELL), int(lon // self.CELL)
        out = []
        for di in range(-reach, reach + 1):
            for dj in range(-reach, reach + 1):
                for i in self.cells.get((ci + di, cj + dj), ()):
                    d = km(lat, lon, *self.points[i])
                    if d <= radius_km:
                        out.append((i, d))
        return out


@lru_cache(maxsize=None)
def name_skeleton(name: str) -> str:
    return skeleton(name)


@lru_cache(maxsize=None)
def site_core(name: str) -> str:
    """The part of a site's name that says which one it is, as a skeleton."""
    core = _SITE_WORDS.sub(" ", name.replace("-", " "))
    return skeleton(core) if core.strip() else ""


def similarity(a: str, b: str) -> float:
    """Agreement of two names in any scripts: skeletons, and the folded names within one script."""
    sa, sb = name_skeleton(a), name_skeleton(b)
    if not sa or not sb:
        return 0.0
    sim = ratio(sa, sb) / 100
    if has_arabic(a) == has_arabic(b):
        sim = max(sim, ratio(name_key(a), name_key(b)) / 100)
    return sim


def best_similarity(names_a: Iterable[str], names_b: Iterable[str]) -> float:
    names_b = list(names_b)
    return max((similarity(a, b) for a in names_a for b in names_b), default=0.0)


# --------------------------------------------------------------------------- row names

def row_names(row: dict) -> list[str]:
    return [n for n in (row["name_ar"], row["name_en"], *row["alt_ar"].split("|"), *row["alt_en"].split("|")) if n]


def add_name(row: dict, name: str, source: str) -> bool:
    """Add a name to a row (as its primary name of that script if it has none). False if known."""
    name = clean(name)
    script = script_of(name)
    if script not in ("ar", "latin") or is_link(name):
        return False
    prim, alt = ("name_ar", "alt_ar") if script == "ar" else ("name_en", "alt_en")
    known = [row[prim], *[a for a in row[alt].split("|") if a]]
    fold = (lambda s: s) if script == "ar" else str.casefold
    if fold(name) in {fold(k) for k in known}:
        return False
    if not row[prim]:
        row[prim] = name
    else:
        row[alt] = "|".join([*[a for a in row[alt].split("|") if a], name])
    row.setdefault("_name_sources", {})[name] = source
    return True


def add_source(row: dict, source: str) -> None:
    tags = [t for t in row["source"].split(";") if t]
    if source not in tags:
        row["source"] = ";".join([*tags, source])


def add_note(row: dict, note: str) -> None:
    row["notes"] = "; ".join(n for n in (row["notes"], note) if n)


# --------------------------------------------------------------------------- one-to-one joins

@dataclass(frozen=True)
class Pair:
    score: float
    a: int
    b: int
    km: float
    similarity: float


def candidate_pairs(points_a: Sequence[tuple[float, float]], names_a: Sequence[Sequence[str]],
                    index_b: NearIndex, names_b: Sequence[Sequence[str]],
                    *, near_km: float = JOIN_KM, sure_km: float = JOIN_KM_SURE) -> list[Pair]:
    """Every (a, b) whose points and names agree enough to be one place, best first."""
    pairs = []
    for i, (la, lo) in enumerate(points_a):
        for j, d in index_b.within(la, lo, sure_km):
            sim = best_similarity(names_a[i], names_b[j])
            if (d <= near_km and sim >= JOIN_SIMILARITY) or sim >= JOIN_SIMILARITY_SURE:
                pairs.append(Pair(round(sim - 0.05 * d, 6), i, j, d, sim))
    pairs.sort(key=lambda p: (-p.score, p.km, p.a, p.b))
    return pairs


def assign_one_to_one(pairs: Iterable[Pair]) -> tuple[dict[int, Pair], list[Pair]]:
    """Greedy best-first assignment: each a and each b at most once. Returns the assignment
    (a → pair) and the pairs whose a lost its b to a better a (the duplicate candidates)."""
    taken_b: set[int] = set()
    chosen: dict[int, Pair] = {}
    lost: list[Pair] = []
    for p in pairs:
        if p.a in chosen:
            continue
        if p.b in taken_b:
            lost.append(p)
            continue
        chosen[p.a] = p
        taken_b.add(p.b)
    return chosen, [p for p in lost if p.a not in chosen]


# --------------------------------------------------------------------------- the joins

GEONAMES_IMPORTANCE = {"hamlet": 0.12, "farm": 0.08, "section": 0.15, "abandoned": 0.06, "town": 0.2}


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", name_key(text).encode("ascii", "ignore").decode()).strip("_")[:40] or "site"


class SourceJoins:
    """Mixin of the builder: the joins above, on the rows the OCHA and landmark parts made."""

    def report_row(self, row: dict, kind: str, why: str, detail: str, kept: str = "") -> None:
        self.report.append({"id": row["id"], "name_en": row["name_en"], "source_parent": "",
                            "polygon_parent": "", "distance_km_to_parent_polygon": "", "kept": kept,
                            "why": why, "kind": kind, "detail": detail})

    # ------------------------------------------------------------------ 1. p-codes
    def join_osm(self, rows_by_id: dict[str, dict], osm: list, iom_names: dict[str, str]) -> None:
        stats = self.stats.setdefault("osm", defaultdict(int))
        for loc in osm:
            row = rows_by_id.get(loc.pcode)
            if row is None:
                stats["p-code not in the gazetteer"] += 1
                continue
            stats["joined"] += 1
            src = f"osm:{loc.osm_id}"
            had_ar = row["name_ar"]
            if loc.name_ar:
                if had_ar and name_key(loc.name_ar) not in {name_key(n) for n in row_names(row) if has_arabic(n)}:
                    stats["Arabic name differs from OCHA's"] += 1
                    self.report_row(row, "name", "OpenStreetMap's Arabic name differs from OCHA's; OCHA's kept "
                                    "as primary, OpenStreetMap's added as an alternate",
                                    f"ocha={had_ar} osm={loc.name_ar}", kept=had_ar)
                if add_name(row, loc.name_ar, src) and not had_ar:
                    stats["Arabic name added where OCHA has none"] += 1
            for n in loc.names_latin:
                add_name(row, n, f"iom-dtm-2026:{loc.pcode}" if n == loc.iom_name else src)
            add_source(row, "osm-iom-pcode-names")
            if loc.lat is not None:
                d = km(float(row["lat"]), float(row["lon"]), loc.lat, loc.lon)
                if row["coord_method"] == "subdistrict_centroid":
                    self.move_point(row, loc.lat, loc.lon, "osm_point", f"OpenStreetMap {loc.osm_id}")
                    stats["point taken from OpenStreetMap (OCHA had a sub-district centroid)"] += 1
                elif d > POINT_DISAGREES_KM:
                    stats[f"point > {POINT_DISAGREES_KM:g} km from OCHA's"] += 1
                    self.report_row(row, "point", "OpenStreetMap point far from OCHA's; OCHA's kept",
                                    f"osm={loc.lat:.5f},{loc.lon:.5f} distance_km={d:.2f}")
            if loc.residents is not None and row["type"] in COMMUNITY_TYPES:
                row["residents_2026"] = str(loc.residents)
        for pcode, name in iom_names.items():
            row = rows_by_id.get(pcode)
            if row is not None and add_name(row, name, f"iom-dtm-2026:{pcode}"):
                stats["IOM English spellings added"] += 1
                add_source(row, "iom-dtm-2026")

    def report_outside(self, row: dict, a3: str, dist: float) -> None:
        """A new place whose point lies outside every sub-district polygon (border, coast)."""
        self.report.append({"id": row["id"], "name_en": row["name_en"], "source_parent": "",
                            "polygon_parent": a3, "distance_km_to_parent_polygon": f"{dist:.2f}", "kept": a3,
                            "why": "point outside all polygons; nearest polygon kept", "kind": "parent",
                            "detail": ""})

    def move_point(self, row: dict, lat: float, lon: float, method: str, why: str) -> None:
        add_note(row, f"point from {why}; was {row['coord_method']} {row['lat']},{row['lon']}")
        row["lat"], row["lon"], row["coord_method"] = f"{lat:.6f}", f"{lon:.6f}", method

    # ------------------------------------------------------------------ 2. GeoNames
    def join_geonames(self, targets: list[dict], localities: list) -> list[dict]:
        """Names of matched localities onto their communities; the unmatched as new rows."""
        stats = self.stats.setdefault("geonames", defaultdict(int))
        index = NearIndex([(float(r["lat"]), float(r["lon"])) for r in targets])
        target_names = [row_names(r) for r in targets]
        points = [(loc.lat, loc.lon) for loc in localities]
        loc_names = [[n for n, _ in loc.names] for loc in localities]
        chosen, lost = assign_one_to_one(candidate_pairs(points, loc_names, index, target_names))
        duplicates = {p.a: p for p in lost if p.km <= JOIN_KM}
        new_rows = []
        for i, loc in enumerate(localities):
            pair = chosen.get(i) or duplicates.get(i)
            if pair is not None:
                row = targets[pair.b]
                stats["joined to an OCHA place" if i in chosen else "duplicate record of a joined village"] += 1
                had_ar = row["name_ar"]
                for name, lang in loc.names:
                    add_name(row, name, f"{loc.source}:{lang}")
                if not had_ar and row["name_ar"]:
                    stats["Arabic name added where OCHA and OSM have none"] += 1
                elif had_ar and loc.ar and name_key(loc.ar[0][0]) not in {name_key(n) for n in row_names(row)
                                                                        if has_arabic(n) and n != loc.ar[0][0]} \
                        and name_key(loc.ar[0][0]) != name_key(had_ar):
                    self.report_row(row, "name", "GeoNames' Arabic name differs from the primary; primary kept, "
                                    "GeoNames' added as an alternate", f"primary={had_ar} geonames={loc.ar[0][0]}",
                                    kept=had_ar)
                add_source(row, "geonames-wof")
                if row["coord_method"] == "subdistrict_centroid":
                    self.move_point(row, loc.lat, loc.lon, "geonames_point", loc.source)
                elif pair.km > JOIN_KM:
                    self.report_row(row, "point", f"GeoNames point of the same name {pair.km:.1f} km away; "
                                    "OCHA's kept", f"{loc.source} {loc.lat:.5f},{loc.lon:.5f}")
                continue
            row = self.geonames_row(loc)
            if row is None:
                stats["skipped: outside Syria's polygons"] += 1
                continue
            stats[f"new place ({row['type']})"] += 1
            new_rows.append(row)
        return new_rows

    def geonames_row(self, loc) -> dict | None:
        a3, how, dist = self.locate(loc.lon, loc.lat)
        if a3 is None:
            return None
        ptype = FEATURE_TYPES[loc.feature]
        imp = GEONAMES_IMPORTANCE[ptype]
        if loc.population > 0:
            imp += 0.05 * min(1.0, max(0.0, (math.log10(loc.population) - 2.0) / 4.0))
        row = {"id": f"G{loc.geonameid}" if loc.geonameid else f"W{loc.wof_id}", "type": ptype,
               "name_ar": "", "name_en": "", "alt_ar": "", "alt_en": "",
               "lat": fmt6(loc.lat), "lon": fmt6(loc.lon), "coord_method": "geonames_point",
               **self.admin_cols(a3), "parent_id": a3, "is_seat": "0", "importance": f"{imp:.4f}",
               "population": str(loc.population) if loc.population else "", "source": "geonames-wof",
               "notes": f"GeoNames feature code {loc.feature}" + (
                   f"; point outside polygons, {dist:.2f} km from {a3}" if how == "nearest" else "")}
        for name, lang in loc.names:
            add_name(row, name, f"{loc.source}:{lang}")
        if how != "inside":
            self.report_outside(row, a3, dist)
        return row

    # ------------------------------------------------------------------ 3. map spellings
    def join_map_settlements(self, targets: list[dict], settlements: list) -> None:
        stats = self.stats.setdefault("map_settlements", defaultdict(int))
        index = NearIndex([(float(r["lat"]), float(r["lon"])) for r in targets])
        chosen, _ = assign_one_to_one(candidate_pairs(
            [(s.lat, s.lon) for s in settlements], [s.names_latin for s in settlements], index,
            [row_names(r) for r in targets], sure_km=JOIN_KM))
        for i, s in enumerate(settlements):
            pair = chosen.get(i)
            if pair is None:
                stats["matched no settlement (dropped)"] += 1
                continue
            stats["joined"] += 1
            row = targets[pair.b]
            for n in s.names_latin:
                add_name(row, n, s.source)
            add_source(row, s.source)

    # ------------------------------------------------------------------ 4. sites
    def join_sites(self, existing: list[dict], sites: list, settlements: list[dict]) -> list[dict]:
        """Each site onto an existing site of its family nearby with an agreeing name, else a new row."""
        stats = self.stats.setdefault("sites", defaultdict(int))
        pool = [r for r in existing if r["type"] in SITE_FAMILY]
        settle_index = NearIndex([(float(r["lat"]), float(r["lon"])) for r in settlements])
        new_rows: list[dict] = []
        used_ids = {r["id"] for r in existing}
        for s in sites:
            town_keys = {name_key(n) for j, _ in settle_index.within(s.lat, s.lon, 15.0)
                         for n in row_names(settlements[j])}
            names = [n for n in (*s.names_ar, *s.names_latin) if name_key(n) not in town_keys]
            if not names:
                stats["only the name of the town it lies in (dropped)"] += 1
                continue
            family = SITE_FAMILY[s.type]
            best, best_score = None, 0.0
            for r in pool:
                if SITE_FAMILY[r["type"]] != family:
                    continue
                d = km(s.lat, s.lon, float(r["lat"]), float(r["lon"]))
                if d > SITE_KM:
                    continue
                sim = max((ratio(site_core(a), site_core(b)) / 100 for a in names for b in row_names(r)
                           if site_core(a) and site_core(b)), default=0.0)
                if sim >= JOIN_SIMILARITY or d <= SITE_KM_SAME and sim >= 0.5:
                    if sim - 0.05 * d > best_score:
                        best, best_score = r, sim - 0.05 * d
            if best is not None:
                stats[f"joined an existing site ({s.source.split(':')[0]})"] += 1
                for n in names:
                    add_name(best, n, s.source)
                add_source(best, s.source.split(":")[0])
                continue
            a3, how, dist = self.locate(s.lon, s.lat)
            if a3 is None:
                a3, dist = self.idx3.nearest(s.lon, s.lat)
                if dist > 10:
                    stats["outside Syria (dropped)"] += 1
                    continue
            sid = f"S:{slug(s.names_latin[0] if s.names_latin else s.names_ar[0])}"
            if sid in used_ids:
                sid = f"{sid}_{s.lat:.3f}_{s.lon:.3f}".replace(".", "")
            used_ids.add(sid)
            row = {"id": sid, "type": s.type, "name_ar": "", "name_en": "", "alt_ar": "", "alt_en": "",
                   "lat": fmt6(s.lat), "lon": fmt6(s.lon), "coord_method": "source", **self.admin_cols(a3),
                   "parent_id": a3, "is_seat": "0", "importance": f"{importance(s.type, None):.4f}",
                   "source": s.source.split(":")[0], "notes": "; ".join(
                       x for x in (s.notes, f"point outside polygons, {dist:.2f} km from {a3}"
                                   if how != "inside" else "") if x)}
            for n in names:
                add_name(row, n, s.source)
            if how != "inside":
                self.report_outside(row, a3, dist)
            stats[f"new {s.type}"] += 1
            new_rows.append(row)
            pool.append(row)
        return new_rows

    # ------------------------------------------------------------------ 5. curated names
    def join_curated_names(self, rows_by_id: dict[str, dict], curated: list[dict]) -> None:
        for r in curated:
            row = rows_by_id.get(r["place_id"])
            if row is None:
                raise SystemExit(f"kurdish_turkish_names.csv: unknown place {r['place_id']!r}")
            if not r["source"].startswith("http"):
                raise SystemExit(f"kurdish_turkish_names.csv: {r['name']!r} has no source URL")
            add_name(row, r["name"], f"curated-names:{r['lang']}:{r['source']}")
            add_source(row, "curated-names")

    # ------------------------------------------------------------------ 6. labels of another town
    def drop_labels_of_other_towns(self, rows: list[dict]) -> int:
        """Who's On First's own translated labels ("whosonfirst:…" names) sometimes carry the
        name of another town: its French label for Afrin is "Kobanî".  Such a label is dropped
        when another source gives that name to a town or city (importance ≥ ``TOWN_IMPORTANCE``)
        more than ``OTHER_TOWN_KM`` away; each drop is listed in the report (kind "name")."""
        towns: dict[str, list[dict]] = defaultdict(list)
        for r in rows:
            if float(r.get("importance") or 0) >= TOWN_IMPORTANCE and r["lat"]:
                sources = r.get("_name_sources") or {}
                names = [r["name_en"], r["name_ar"], *r["alt_en"].split("|"), *r["alt_ar"].split("|")]
                for name in names:
                    if name and not sources.get(name, "").startswith("whosonfirst:"):
                        towns[name_key(name)].append(r)
        dropped = 0
        for r in rows:
            sources = r.get("_name_sources") or {}
            for name, source in list(sources.items()):
                if not source.startswith("whosonfirst:") or name in (r["name_en"], r["name_ar"]):
                    continue
                other = next((t for t in towns.get(name_key(name), ()) if t is not r and r["lat"]
                              and km(float(r["lat"]), float(r["lon"]), float(t["lat"]), float(t["lon"]))
                              > OTHER_TOWN_KM), None)
                if other is None:
                    continue
                alt = "alt_ar" if has_arabic(name) else "alt_en"
                r[alt] = "|".join(a for a in r[alt].split("|") if a and a != name)
                del sources[name]
                dropped += 1
                self.report_row(r, "name", "a label of another town", f"{name} ({source}) is the "
                                f"name of {other['id']} {other['name_en']}", kept="dropped")
        return dropped


    def drop_names_of_another_type(self, rows: list[dict]) -> int:
        """An alternate name that says another type than the place's ("مدينة إدلب" on the
        district, "محافظة إدلب" on the city, "Idlib District" on the city) is dropped when the
        rest of it is a name of the place already: nothing is lost, and running text that
        writes "مدينة إدلب" finds the city by its cue word instead of the district by that
        name.  Each drop is listed in the report (kind "name")."""
        words_of_type = type_words()
        dropped = 0
        for r in rows:
            keys = {name_key(n) for n in [r["name_ar"], r["name_en"], *r["alt_ar"].split("|"),
                                          *r["alt_en"].split("|")] if n}
            for alt in ("alt_ar", "alt_en"):
                kept = []
                for name in (n for n in r[alt].split("|") if n):
                    rest = _rest_of_another_type(name, r["type"], words_of_type)
                    if rest is not None and name_key(rest) in keys:
                        dropped += 1
                        (r.get("_name_sources") or {}).pop(name, None)
                        self.report_row(r, "name", "a name of another type",
                                        f"{name} says another type than {r['type']}", kept="dropped")
                    else:
                        kept.append(name)
                r[alt] = "|".join(kept)
        return dropped


_ADMIN_LEVELS = frozenset({"governorate", "district", "subdistrict"})
_SETTLEMENTS = frozenset({"city", "town", "village"})


def _rest_of_another_type(name: str, place_type: str, words_of_type: dict) -> str | None:
    """The name without its type word, when that word names an admin level the place is not
    ("محافظة إدلب" for the city), or a settlement while the place is an admin unit ("مدينة
    إدلب" for the district).  Camps, farms and the like keep their type word: it is part of
    their name ("Mazra'at al 'Uyun", "مخيم اليرموك")."""
    words = name.split()
    if len(words) < 2:
        return None
    for pos, sides in ((0, ("prefix", "both")), (-1, ("suffix", "both"))):
        hit = words_of_type.get(normalize(words[pos]))
        if not hit or not hit[0] or hit[1] not in sides or place_type in hit[0]:
            continue
        says_admin = hit[0] <= _ADMIN_LEVELS | {"region", "neighbourhood"} and hit[0] & _ADMIN_LEVELS
        says_settlement = hit[0] <= _SETTLEMENTS
        if (says_admin and place_type not in _ADMIN_LEVELS) or (says_settlement and place_type in _ADMIN_LEVELS):
            return " ".join(words[1:] if pos == 0 else words[:-1])
    return None


TOWN_IMPORTANCE = 0.6
OTHER_TOWN_KM = 20.0
