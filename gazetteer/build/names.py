"""Name helpers for the data build: script classification, splitting, de-duplication.

Pure stdlib, no work at import time.
"""
from __future__ import annotations

import re
import unicodedata

# Letters that mark Persian / Kurdish / Urdu spellings rather than Arabic.
_NON_ARABIC_LETTERS = set("پچژگڤێەۆکیٹڕڵۊ")


# "Qudsiya_x000D_": a carriage return as a spreadsheet export escapes it
_SPREADSHEET_ESCAPE = re.compile(r"_x[0-9A-Fa-f]{4}_")
# "http://en.wikipedia.org/wiki/Qatra,_Idlib": a link some sources list among the names
_LINK = re.compile(r"^\s*(https?://|www\.)", re.I)


def clean(s: str | None) -> str:
    """NFC-normalise, undo spreadsheet escapes, collapse whitespace, strip."""
    if not s:
        return ""
    s = unicodedata.normalize("NFC", str(s))
    s = _SPREADSHEET_ESCAPE.sub(" ", s)
    s = re.sub(r"\s+", " ", s).strip()
    return s


def is_link(s: str) -> bool:
    """A web address, not a name."""
    return bool(_LINK.match(s))


def _is_arabic_char(ch: str) -> bool:
    o = ord(ch)
    return (0x0600 <= o <= 0x06FF or 0x0750 <= o <= 0x077F or 0x08A0 <= o <= 0x08FF
            or 0xFB50 <= o <= 0xFDFF or 0xFE70 <= o <= 0xFEFF)


def script_of(s: str) -> str:
    """Return 'ar', 'latin' or 'other' for a name, by the script of its letters."""
    letters = [ch for ch in s if ch.isalpha()]
    if not letters:
        return "other"
    if any(_is_arabic_char(ch) for ch in letters):
        # every letter must be Arabic-script
        if all(_is_arabic_char(ch) for ch in letters):
            return "ar"
        return "other"
    ok = True
    for ch in letters:
        if ch.isascii():
            continue
        name = unicodedata.name(ch, "")
        if name.startswith("LATIN") or name.startswith("MODIFIER LETTER"):
            continue
        ok = False
        break
    return "latin" if ok else "other"


def is_good_arabic(s: str) -> bool:
    return script_of(s) == "ar" and not (set(s) & _NON_ARABIC_LETTERS)


_TO_ARABIC = str.maketrans({"ک": "ك", "ی": "ي", "ێ": "ي", "ە": "ه", "ۆ": "و", "گ": "ك"})


def to_arabic_letters(s: str) -> str:
    """Map Persian/Kurdish letter forms that are common typing variants to Arabic letters."""
    return s.translate(_TO_ARABIC)


def split_forms(s: str, *, underscore: bool = False) -> list[str]:
    """Split a combined name into its forms.

    Handles "A / B", "A \\ B", "A - B" (spaced hyphen), "A (B)" and, if
    ``underscore``, "A_B".  The input itself is not returned unless it has no
    separators.
    """
    s = clean(s)
    if not s:
        return []
    parts = [s]
    seps = [r"\s*/\s*", r"\s*\\+\s*", r"\s+-\s+"]
    if underscore:
        seps.append(r"_")
    for sep in seps:
        nxt = []
        for p in parts:
            nxt.extend(x for x in re.split(sep, p))
        parts = nxt
    out = []
    for p in parts:
        # "X (Y)": Y is often a disambiguator ("Mseibin(Al-Bab)"), so keep X only
        base = clean(re.sub(r"\([^()]*\)", " ", p))
        if base:
            out.append(base)
    return [p for p in out if _useful_part(p)]


_GENERIC_PARTS = {"east", "west", "north", "south", "eastern", "western", "northern",
                  "southern", "big", "little", "upper", "lower", "new", "old", "camp",
                  "شرقي", "غربي", "شمالي", "جنوبي", "كبير", "صغير", "كبيرة", "صغيرة"}


def _useful_part(p: str) -> bool:
    letters = [ch for ch in p if ch.isalpha()]
    if len(letters) < 2:
        return False
    return p.casefold() not in _GENERIC_PARTS


MARKAZ_EN = re.compile(r"^markaz\s+", re.I)
MARKAZ_AR = re.compile(r"^مركز\s+")


def bare_markaz(s: str) -> str | None:
    """"Markaz Darayya" -> "Darayya", "مركز داريا" -> "داريا"; else None."""
    s = clean(s)
    for rx in (MARKAZ_EN, MARKAZ_AR):
        if rx.match(s):
            rest = rx.sub("", s).strip()
            return rest or None
    return None


def simple_key(s: str) -> str:
    """Loose key for de-duplication only (case/diacritics/space insensitive)."""
    s = unicodedata.normalize("NFKD", clean(s).lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    s = re.sub(r"[\u064b-\u0652\u0670\u0640]", "", s)  # tashkeel, tatweel
    return re.sub(r"\s+", " ", s).strip()


class NameSet:
    """Ordered primary + alternates per script, de-duplicated exactly (after NFC)."""

    def __init__(self, source: str = "") -> None:
        self.ar: list[str] = []
        self.en: list[str] = []
        self.source = source  # of names added without one of their own
        self.sources: dict[str, str] = {}  # name → the source that gave it first

    def add(self, name: str | None, *, split: bool = True, underscore: bool = False,
            expect: str | None = None, strict: bool = False, source: str | None = None) -> None:
        """Add a name (and its split forms) to the Arabic or Latin list by script.

        ``strict`` drops Arabic-script forms with Persian/Kurdish letters (GeoNames);
        otherwise such a form is kept verbatim and an Arabic-letter variant is added."""
        name = clean(name)
        if not name or is_link(name):
            return
        forms = [name]
        if split:
            for f in split_forms(name, underscore=underscore):
                if f not in forms:
                    forms.append(f)
        if underscore and "_" in name:
            # the joined form itself is not a name: keep only the parts
            forms = [f for f in forms if "_" not in f]
        for f in forms:
            sc = script_of(f)
            if sc == "ar" and expect in (None, "ar"):
                if strict and not is_good_arabic(f):
                    continue
                for g in (f, to_arabic_letters(f)):
                    if g not in self.ar:
                        self.ar.append(g)
                        self.sources.setdefault(g, source or self.source)
            elif sc == "latin" and expect in (None, "en"):
                if f.casefold() not in {x.casefold() for x in self.en}:
                    self.en.append(f)
                    self.sources.setdefault(f, source or self.source)
            bm = bare_markaz(f)
            if bm:
                self.add(bm, split=False, expect=expect, strict=strict, source=source)

    def primary_ar(self) -> str:
        return self.ar[0] if self.ar else ""

    def primary_en(self) -> str:
        return self.en[0] if self.en else ""

    def alt_ar(self) -> str:
        return "|".join(self.ar[1:])

    def alt_en(self) -> str:
        return "|".join(self.en[1:])
