"""Who's On First Syria: GeoNames' populated places with every alternate name GeoNames has.

Read from ``whosonfirst-sy/wof_sy.jsonl``. A locality becomes a ``Locality`` with its point, its
GeoNames feature code and population, and its names, each tagged with the language it was filed
under. The language tag is not trusted for the script: GeoNames files Latin spellings under "ar"
("Qāsim") and Arabic ones under "und"; every name is sorted by the script of its letters.
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .common import latin_geonames_ok
from .names import clean, is_good_arabic, is_link, script_of, to_arabic_letters

# Languages whose names people write for Syrian places. Latin-script names of other languages
# (Polish "Katana", Vietnamese, Cebuano bot copies) add namesakes, not spellings anyone uses.
LATIN_LANGS = frozenset({"und", "eng", "fra", "deu", "kur", "kmr", "tur", "ara", "arz"})
ARABIC_LANGS = frozenset({"ara", "arz", "apc", "ajp", "und"})
KURDISH_LANGS = frozenset({"kur", "kmr", "ckb"})  # Arabic-script Kurdish: letters mapped to Arabic

# GeoNames feature code → the type of a place made from a locality no OCHA community matches.
FEATURE_TYPES = {
    "PPL": "hamlet", "PPLL": "hamlet", "PPLS": "hamlet", "PPLF": "farm", "PPLX": "section",
    "PPLA": "town", "PPLA2": "town", "PPLA3": "town", "PPLA4": "town",
    "PPLQ": "abandoned", "PPLW": "abandoned", "PPLH": "abandoned",
}
# Not a current Syrian place: Israeli settlements in the occupied Golan.
SKIPPED_FEATURES = {"STLMT": "Israeli settlement in the occupied Golan (GeoNames STLMT)"}

# beyond the letters names.to_arabic_letters maps already
_KURDISH_TO_ARABIC = str.maketrans({"ڤ": "ف", "ڕ": "ر", "ڵ": "ل", "ۊ": "و", "چ": "ج", "پ": "ب", "ژ": "ج"})
# Sorani ە is the vowel e, which Arabic spelling leaves out inside a word (عەفرین = عفرين)
# and writes ه at the end (گوندە).
_SORANI_E_INSIDE = re.compile(r"ە(?=\S)")


def kurdish_to_arabic(name: str) -> str:
    """An Arabic-script Kurdish name in Arabic letters, as an Arabic reader would spell it."""
    return to_arabic_letters(_SORANI_E_INSIDE.sub("", name)).translate(_KURDISH_TO_ARABIC)


def latin_ok(name: str) -> bool:
    """Drop codes (KAC, OSKL), all-lowercase romanisations of other scripts, and markup."""
    if not latin_geonames_ok(name):
        return False
    if not any(ch.isupper() for ch in name) or "<" in name or ">" in name:
        return False  # "hlb", "ʿrb bynar": machine romanisations; "Kobanî <small>": markup
    return len([ch for ch in name if ch.isalpha()]) >= 2


@dataclass
class Locality:
    wof_id: int
    geonameid: int | None
    feature: str
    lat: float
    lon: float
    population: int
    ar: list[tuple[str, str]] = field(default_factory=list)  # (name, language tag)
    latin: list[tuple[str, str]] = field(default_factory=list)

    @property
    def source(self) -> str:
        return f"geonames:{self.geonameid}" if self.geonameid else f"whosonfirst:{self.wof_id}"

    @property
    def names(self) -> list[tuple[str, str]]:
        return self.ar + self.latin


def _name_fields(rec: dict) -> list[tuple[str, str, bool]]:
    """(name, language, preferred) in a stable order: preferred before variants."""
    out = []
    for kind in ("preferred", "variant"):
        for key in sorted(rec):
            m = re.fullmatch(r"name:([a-z]{3})_x_" + kind, key)
            if m and isinstance(rec[key], list):
                out.extend((v, m.group(1), kind == "preferred") for v in rec[key] if isinstance(v, str))
    return out


def locality_names(rec: dict) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The Arabic-script and Latin names of a record, each once, by script (not by tag)."""
    ar: list[tuple[str, str]] = []
    latin: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(name: str, lang: str) -> None:
        name = clean(name)
        if not name or is_link(name):
            return
        script = script_of(name)
        if script == "ar":
            if lang in KURDISH_LANGS or not is_good_arabic(name):
                if lang not in KURDISH_LANGS and lang != "und":
                    return  # Persian / Urdu spellings
                name = kurdish_to_arabic(name)
                if not is_good_arabic(name):
                    return
            elif lang not in ARABIC_LANGS:
                return
            if name not in seen:
                seen.add(name)
                ar.append((name, lang))
        elif script == "latin" and lang in LATIN_LANGS and latin_ok(name):
            if name.casefold() not in seen:
                seen.add(name.casefold())
                latin.append((name, lang))

    for name, lang, _ in _name_fields(rec):
        if lang in ARABIC_LANGS or lang in KURDISH_LANGS:
            add(name, lang)
    for key in ("gn:name", "wof:name", "qs_pg:name"):
        if isinstance(rec.get(key), str):
            add(rec[key], "und")
    for name, lang, _ in _name_fields(rec):
        add(name, lang)
    return ar, latin


def read_localities(path: Path) -> tuple[list[Locality], Counter]:
    """The current Syrian localities of the file, and how many records were skipped, by reason."""
    out: list[Locality] = []
    skipped: Counter = Counter()
    with open(path, encoding="utf-8") as f:
        for line in f:
            rec = json.loads(line)
            if rec.get("wof:placetype") != "locality":
                continue
            feature = rec.get("gn:feature_code") or rec.get("gn:fcode") or rec.get("qs_pg:gn_fcode") or "PPL"
            if rec.get("edtf:deprecated"):
                skipped["deprecated (edtf:deprecated)"] += 1
                continue
            if rec.get("wof:superseded_by"):
                skipped["superseded (wof:superseded_by)"] += 1
                continue
            if feature in SKIPPED_FEATURES:
                skipped[SKIPPED_FEATURES[feature]] += 1
                continue
            if feature not in FEATURE_TYPES:
                skipped[f"not a populated place (feature code {feature})"] += 1
                continue
            ar, latin = locality_names(rec)
            if not ar and not latin:
                skipped["no usable name"] += 1
                continue
            gid = rec.get("gn:geonameid") or rec.get("qs_pg:gn_id")
            pop = rec.get("gn:population") or rec.get("qs_pg:gn_pop") or 0
            out.append(Locality(int(rec["wof:id"]), int(gid) if gid else None, feature,
                                float(rec["lat"]), float(rec["lon"]), int(pop), ar, latin))
    out.sort(key=lambda loc: loc.wof_id)
    return out, skipped
