"""Sites that are not settlements, from three sources, read into one shape (``Site``):

- ``wikipedia-syria-war-map/``: every labelled point of Wikipedia's Syrian Civil War map. Its
  settlement labels are Wikipedia spellings of villages (``map_settlements``); the rest are bases,
  checkpoints, hills, oil fields, factories, airbases and dams (``map_sites``). The marker says
  who held the point in 2017–2018: history, not a place type; only its suffix is read.
- ``opensyria-transport/``: border crossings, stations, airports, ports (``transport_sites``).
- ``wri-power-plants-sy/``: power stations and hydro dams (``power_sites``).
"""
from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..validate import finite_float
from .names import clean, script_of

SYRIA_BOX = (32.2, 37.4, 35.6, 42.5)  # lat_min, lat_max, lon_min, lon_max


def in_syria_box(lat: float, lon: float) -> bool:
    return SYRIA_BOX[0] <= lat <= SYRIA_BOX[1] and SYRIA_BOX[2] <= lon <= SYRIA_BOX[3]


@dataclass(frozen=True)
class Site:
    key: str  # stable within its source
    type: str
    lat: float
    lon: float
    names_latin: tuple[str, ...]
    names_ar: tuple[str, ...]
    source: str  # the tag every name and the row carry
    notes: str = ""


# --------------------------------------------------------------------------- the war map

# Marker suffix → place type ("m.gov_air" = an airbase the government held).
MAP_SUFFIX_TYPES = {"air": "airbase", "heli": "airbase", "base": "base", "hill": "hill", "oil": "oil field",
                    "industry": "factory", "naval": "naval base"}
MAP_SOURCE = "wikipedia-war-map"


def map_type(mark: str) -> str | None:
    """The place type of a map marker; "settlement" for plain control markers; None for images."""
    if mark.startswith("BSicon"):
        return "dam"
    if mark.startswith("m.pass_"):
        return "crossing"
    if not mark.startswith("m."):
        return None  # map images ("Rif_Aleppo2.svg")
    suffix = mark.rsplit("_", 1)[-1] if "_" in mark else ""
    return MAP_SUFFIX_TYPES.get(suffix, "settlement")


_YEAR_OR_SIZE = re.compile(r"\((?:[^()]*\d[^()]*)\)")  # "(2016)", "(780m-airstrip)"


def label_names(label: str) -> tuple[str, ...]:
    """The names in a map label: "Tell Abyad (Girê Sipî)" and "A / B" hold two, "A & B" two sites
    at one point; a parenthesis with a number in it is a note, not a name."""
    label = clean(label.replace("`", "'").replace("\u2011", "-"))
    label = clean(_YEAR_OR_SIZE.sub(" ", label))
    parts = [label]
    for sep in (r"\s*\(\s*|\s*\)\s*", r"\s+/\s+|/", r"\s+&\s+"):
        parts = [q for p in parts for q in re.split(sep, p)]
    names = [clean(p) for p in parts if len([ch for ch in p if ch.isalpha()]) >= 2]
    out = [label] if "(" not in label and "&" not in label and "/" not in label else []
    out += [n for n in names if n not in out]
    return tuple(n for n in out if script_of(n) == "latin")


def _map_rows(folder: Path) -> list[tuple[int, dict, str]]:
    out = []
    with open(folder / "map_entries.tsv", encoding="utf-8", newline="") as f:
        for i, r in enumerate(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE)):
            t = map_type(r["mark"])
            la, lo = finite_float(r["lat"]), finite_float(r["lon"])
            if t is None or la is None or lo is None or not in_syria_box(la, lo):
                continue
            out.append((i, r, t))
    return out


def map_settlements(folder: Path) -> list[Site]:
    return [Site(f"{i}", "settlement", float(r["lat"]), float(r["lon"]), label_names(r["label"]), (),
                 MAP_SOURCE) for i, r, t in _map_rows(folder) if t == "settlement" and label_names(r["label"])]


# Words of a label that say more than the marker does ("m.gov_base" holds hospitals and prisons).
LABEL_TYPES = [(re.compile(p, re.I), t) for p, t in [
    (r"\bcheck ?points?\b", "checkpoint"), (r"\bhospital\b", "hospital"), (r"\bprison\b", "prison"),
    (r"\bair ?strip\b|\bairfield\b", "airbase"), (r"\bpower (?:plant|station)\b", "power station"),
    (r"\bdam\b", "dam"), (r"\b(?:gas|oil) ?(?:field|plant|station)\b|\boilfield\b", "oil field"),
]]


def refined_type(marker_type: str, label: str) -> str:
    if marker_type in ("base", "factory", "hill"):
        for rx, t in LABEL_TYPES:
            if rx.search(label):
                return t
    return marker_type


def map_sites(folder: Path) -> list[Site]:
    out = []
    seen = set()
    for i, r, t in _map_rows(folder):
        names = label_names(r["label"])
        if t == "settlement" or not names or (names, r["lat"], r["lon"]) in seen:
            continue  # identical duplicates of the module are listed once
        seen.add((names, r["lat"], r["lon"]))
        out.append(Site(f"{i}", refined_type(t, r["label"]), float(r["lat"]), float(r["lon"]), names, (), MAP_SOURCE,
                        f"Wikipedia article: {r['article']}" if r["article"] else ""))
    return out


# --------------------------------------------------------------------------- transport

TRANSPORT_TYPES = {"border_crossing": "crossing", "airport": "airport", "seaport": "port", "terminal": "port",
                   "oil_terminal": "port", "rail_terminal": "station", "road_terminal": "station"}


def transport_sites(folder: Path) -> list[Site]:
    with open(folder / "locations.json", encoding="utf-8") as f:
        records = json.load(f)
    out = []
    for rec in records:
        kinds = [TRANSPORT_TYPES[k] for k in rec.get("locationTypes", []) if k in TRANSPORT_TYPES]
        c = rec.get("coordinates") or {}
        la, lo = finite_float(c.get("latitude")), finite_float(c.get("longitude"))
        if not kinds or la is None or lo is None:
            continue
        names = [clean(rec["name"].get("en")), clean(rec["name"].get("ar"))]
        names += [clean(a.get("value")) for a in rec.get("aliases", [])]
        latin = tuple(dict.fromkeys(n for n in names if n and script_of(n) == "latin"))
        ar = tuple(dict.fromkeys(n for n in names if n and script_of(n) == "ar"))
        out.append(Site(rec["id"], kinds[0], la, lo, latin, ar, f"opensyria-transport:{rec['id']}",
                        "sources: " + ", ".join(rec.get("sourceIds", []))))
    return out


# --------------------------------------------------------------------------- power plants

_PLANT_NOISE = re.compile(r"\s+Syria$|\s+\((?:[^()]*)\)")


def power_sites(folder: Path) -> list[Site]:
    with open(folder / "power_plants_sy.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    out = []
    for r in rows:
        la, lo = finite_float(r["latitude"]), finite_float(r["longitude"])
        if la is None or lo is None:
            continue
        name = clean(r["name"])
        bare = clean(_PLANT_NOISE.sub("", name))
        alias = [clean(m) for m in re.findall(r"\(([^()]*)\)", name)]
        kind = "dam" if r["primary_fuel"] == "Hydro" else "power station"
        word = "Dam" if kind == "dam" else "power plant"
        names = [bare] + [f"{a} {word}" for a in alias if a]
        if kind == "dam":  # "Taqba (Al-Thawra) Hydroelectric Power Project" is the Tabqa dam
            names.append(f"{bare.split()[0]} Dam")
        out.append(Site(r.get("gppd_idnr") or name, kind, la, lo, tuple(dict.fromkeys(names)), (),
                        "wri-gppd", f"WRI name: {name}; fuel {r['primary_fuel']}"))
    return out
