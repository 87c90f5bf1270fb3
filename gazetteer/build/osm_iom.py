"""OpenStreetMap settlement names joined to OCHA p-codes through IOM's DTM 2026 locations, with
IOM's 2026 population; and IOM's own English spelling of every p-coded location.

Read from ``osm-iom-pcode-names/``: the GeoPackage (SQLite) table ``validated_locations`` and the
matching audit CSV. OSM names are ODbL (share-alike): every name taken from here keeps the
``osm:`` source tag it is given below.
"""
from __future__ import annotations

import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path

from .common import read_csv
from .names import clean


@dataclass(frozen=True)
class OsmLocation:
    pcode: str
    osm_id: str  # node/572574948
    name_ar: str
    names_latin: tuple[str, ...]  # OSM name:en, OSM latin, IOM's English name
    iom_name: str
    osm_place: str  # city / town / village / hamlet
    lat: float | None
    lon: float | None
    residents: int | None


def gpkg_point(blob: bytes | None) -> tuple[float, float] | None:
    """(lon, lat) of a GeoPackage binary point: "GP", version, flags, envelope, then WKB."""
    if not blob or blob[:2] != b"GP":
        return None
    flags = blob[3]
    envelope = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}.get((flags >> 1) & 0b111, 0)
    wkb = blob[8 + envelope:]
    order = "<" if wkb[0] == 1 else ">"
    (gtype,) = struct.unpack(order + "I", wkb[1:5])
    if gtype % 1000 != 1:
        return None
    x, y = struct.unpack(order + "dd", wkb[5:21])
    return x, y


def read_osm_locations(folder: Path) -> list[OsmLocation]:
    con = sqlite3.connect(f"file:{folder / 'iom_displacement_return_locations_validated.gpkg'}?mode=ro",
                          uri=True)
    try:
        rows = con.execute(
            "select location_pcode, hot_id, hot_name, hot_name_en, hot_name_latin, location_name, "
            "hot_place, geom, residents from validated_locations order by location_pcode").fetchall()
    finally:
        con.close()
    out = []
    for pcode, osm_id, ar, en, latin, iom, place, geom, residents in rows:
        point = gpkg_point(geom)
        names = tuple(dict.fromkeys(n for n in (clean(en), clean(latin), clean(iom)) if n))
        out.append(OsmLocation(clean(pcode), clean(osm_id), clean(ar), names, clean(iom), clean(place),
                               point[1] if point else None, point[0] if point else None,
                               int(residents) if residents is not None else None))
    return out


def read_iom_names(folder: Path) -> dict[str, str]:
    """IOM's English name of each p-coded location (communities C…, neighbourhoods N…)."""
    return {r["location_pcode"]: clean(r["location_name"])
            for r in read_csv(folder / "iom_hotosm_location_matching_audit.csv")
            if r["location_pcode"] and clean(r["location_name"])}
