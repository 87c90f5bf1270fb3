"""Shared pieces of the data build: the output columns, importance, source tags, CSV readers."""
from __future__ import annotations

import csv
import math
import re
from pathlib import Path

COLUMNS = [
    "id", "type", "name_ar", "name_en", "alt_ar", "alt_en", "lat", "lon", "coord_method",
    "admin1_pcode", "admin1_en", "admin1_ar", "admin2_pcode", "admin2_en", "admin2_ar",
    "admin3_pcode", "admin3_en", "admin3_ar", "parent_id", "is_seat", "importance",
    "population", "residents_2026", "pin", "idps", "severity", "access_2017", "members", "source", "notes",
]

REPORT_COLUMNS = ["id", "name_en", "source_parent", "polygon_parent",
                  "distance_km_to_parent_polygon", "kept", "why", "kind", "detail"]

# importance: base by type (see SOURCES.md)
BASE_IMPORTANCE = {
    "governorate": 1.0, "district": 0.85, "city": 0.9, "subdistrict": 0.6, "town": 0.55,
    "village": 0.3, "neighbourhood": 0.35,
    "camp": 0.55, "airbase": 0.55, "airport": 0.6, "crossing": 0.55, "mountain": 0.5,
    "hill": 0.25, "region": 0.6, "plain": 0.5, "dam": 0.5, "lake": 0.5, "river": 0.5,
    "infrastructure": 0.45, "road": 0.5,
    # sites from the war map, transport and power sources: below a village of the same name,
    # whose name a bare query more often means, except where the site is what people name
    "base": 0.3, "checkpoint": 0.2, "naval base": 0.35, "hospital": 0.3, "prison": 0.35,
    "oil field": 0.35, "factory": 0.25, "power station": 0.4, "station": 0.3, "port": 0.45,
}
POP_BONUS_MAX = 0.1  # communities: + 0.1 * clamp((log10(pop) - 2) / 4, 0, 1)
# Exposure to the conflict, for ranking places of the same name: news and incident reports name
# places where people are in need, hard to reach or besieged far more often than quiet ones.
# OCHA HNO 2019 inter-sector severity (1-6) and the HNO 2017 access status measure exactly that.
SEVERITY_BONUS_MAX = 0.06  # + 0.06 * clamp((severity_2019 - 1) / 4, 0, 1)
ACCESS_BONUS = {"HTR": 0.03, "Besieged": 0.05, "Military Encircled": 0.05}


SRC = {
    "codab": "ocha-codab-v02",
    "opensyria": "opensyria-geography",
    "hnopoly": "ocha-hno-adm3-polygons",
    "pmr": "ocha-hno-pmr2019",
    "hno19": "ocha-hno2019",
    "hno18": "ocha-hno2018",
    "hno17": "ocha-hno2017",
    "recon": "ocha-pplp-reconstructed",
    "a4": "ocha-admin4-arabic",
    "geonames": "geonames",
    "landmarks": "curated-landmarks",
    "supplement": "curated-supplement",
}

# Hand-curated supplement to landmarks.csv, kept in the repository (a curated source of its own):
# same columns plus `members`.  Its rows replace landmarks.csv rows that have no coordinate and
# no admin-unit definition (the "left out" rows) and add new landmarks; a landmarks.csv row that
# has a point or a LANDMARK_MEMBERS definition wins over a supplement row with the same id.
SUPPLEMENT_PATH = Path(__file__).resolve().parents[2] / "data" / "curated" / "landmarks_supplement.csv"


# --------------------------------------------------------------------------- utils

def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return [{k: (v or "").strip() if isinstance(v, str) else v for k, v in r.items()}
                for r in csv.DictReader(f)]


def read_tsv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))


def fmt6(x: float) -> str:
    return f"{x:.6f}"


def base_code(code: str) -> str:
    return code.split("_")[0].strip()


def int_str(v: float | None) -> str:
    return "" if v is None else str(int(round(v)))


def importance(ptype: str, pop: float | None, severity: float | None = None,
               access: str = "") -> float:
    base = BASE_IMPORTANCE.get(ptype, 0.3)
    bonus = 0.0
    if ptype in ("city", "town", "village"):
        if pop and pop > 0:
            bonus += POP_BONUS_MAX * min(1.0, max(0.0, (math.log10(pop) - 2.0) / 4.0))
        if severity:
            bonus += SEVERITY_BONUS_MAX * min(1.0, max(0.0, (severity - 1.0) / 4.0))
        bonus += ACCESS_BONUS.get(access, 0.0)
    return round(min(1.0, base + bonus), 4)


def community_importance(row: dict) -> str:
    """A community's importance: by IOM's 2026 residents where the p-code has them, else by the
    larger of the HNO 2017 population and the PMR 2019 people in need; plus severity and access."""
    if row.get("residents_2026"):
        pop = float(row["residents_2026"])
    else:
        pop = max(float(row["population"] or 0), float(row["pin"] or 0)) or None
    return f"{importance(row['type'], pop, float(row['severity'] or 0) or None, row['access_2017']):.4f}"


def _skel(s: str) -> str:
    s = re.sub(r"^(markaz|al|el|ar|as|ash|at|ad|az|an)[\s'-]+", "", s.casefold())
    return re.sub(r"[^a-z]", "", s)


def _name_sim(a: str, b: str) -> float:
    from difflib import SequenceMatcher

    return SequenceMatcher(None, _skel(a), _skel(b)).ratio()


def latin_geonames_ok(s: str) -> bool:
    """Filter GeoNames Latin alternates: drop codes (ALP, DAM) and all-lowercase
    ASCII romanisations of other scripts (hlb, a lei po)."""
    if s.isupper() and len(s) <= 4:
        return False
    if s.isascii() and not any(ch.isupper() for ch in s):
        return False
    return True


# --------------------------------------------------------------------------- build

