"""Fold place names to comparable keys.

Three kinds of key, all pure functions of a string:

* ``normalize_arabic`` / ``fold_latin``: the same name written with different hamza forms,
  diacritics, tatweel, presentation forms, accents or apostrophes folds to one string.
* ``name_key``: the script-specific key used for exact lookup: normalized, articles removed from
  every word (ال / al-, el-, ash-, glued "Elasafir", assimilated "Ezzor").
* ``skeleton``: a cross-script consonant skeleton.  Arabic and Latin spellings of one name map to
  the same short string of consonant classes, e.g. ``خان طومان`` and ``Khan Touman`` both give
  ``KNTMN``.  Vowels, و/ي (mostly long vowels in Latin spellings), ع/ء and doubled letters carry too
  little agreement between transliteration schemes to keep.

The folding functions are idempotent, and a key does not change when its input is folded first
(tested with hypothesis).
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Entries kept by each per-word cache: the 20,000 commonest word forms carry nearly all of a
# news text's words (all 12,000 distinct words of the 937 Arabic dev posts fit), and a server
# that reads texts without end reaches its ceiling early and then stays flat (each entry is a
# few hundred bytes, over a dozen caches: 50,000 entries each cost ~90 MB, 20,000 ~30 MB).
WORD_CACHE_SIZE = 20_000

from .lexicon import qualifier_words

# --- Arabic ---------------------------------------------------------------------------------

_AR_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_AR_CHAR_MAP = str.maketrans({
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ة": "ه", "ى": "ي", "ی": "ي", "ې": "ي", "ۍ": "ي", "ئ": "ي",
    "ؤ": "و", "ۆ": "و", "ۇ": "و",
    "ک": "ك", "ڪ": "ك", "گ": "ك",
    "پ": "ب", "چ": "ج", "ژ": "ز", "ڤ": "ف", "ۋ": "و",
    "ھ": "ه", "ە": "ه", "ہ": "ه",
    "٠": "0", "١": "1", "٢": "2", "٣": "3", "٤": "4",
    "٥": "5", "٦": "6", "٧": "7", "٨": "8", "٩": "9",
    "۰": "0", "۱": "1", "۲": "2", "۳": "3", "۴": "4",
    "۵": "5", "۶": "6", "۷": "7", "۸": "8", "۹": "9",
})
_AR_LETTER = re.compile("[\u0621-\u064a]")
# ة only ends a word, so "معرةالنعمان" is two words run together.
_GLUED_AFTER_TAA = re.compile("ة(?=[\u0621-\u064a])")
_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=WORD_CACHE_SIZE)
def has_arabic(text: str) -> bool:
    """True when the text contains at least one Arabic letter."""
    if text.isascii():
        return False
    return _AR_LETTER.search(unicodedata.normalize("NFKC", text)) is not None


def normalize_arabic(text: str) -> str:
    """Fold Arabic-script text: presentation forms, diacritics, tatweel, hamza seats, ة→ه, ى→ي.

    Punctuation becomes a space; Latin letters in the text are lower-cased and kept.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _AR_DIACRITICS.sub("", text)
    text = _GLUED_AFTER_TAA.sub("ة ", text)
    text = text.translate(_AR_CHAR_MAP)
    text = text.replace("ء", "")
    text = _NON_WORD.sub(" ", text).replace("_", " ")
    return _SPACES.sub(" ", text).strip().lower()


# --- Latin ----------------------------------------------------------------------------------

# Marks that stand for ʿayn or hamza, or are decorations, are dropped outright rather than
# turned into a word break: "Ma'arrat" must stay one word.
_LATIN_MARKS = re.compile("[\u02bb\u02bc\u02bd\u02be\u02bf\u02b9\u02c8\u0027\u2018\u2019\u201b\u0060\u00b4]")


_CEDILLA_DIGRAPHS = str.maketrans({"ş": "sh", "Ş": "Sh", "ç": "ch", "Ç": "Ch"})
# The BGN/PCGN romanization of Arabic (GeoNames' "Bāniş", "Ḩalab", "Ţayyibah") writes ص as ş
# beside macrons and the cedilla letters ḩ ţ ḑ; there ş is an s.
_BGN_LETTERS = re.compile("[āīūēōĀĪŪĒŌḩḨţŢḑḐ]")


def fold_latin(text: str) -> str:
    """Lower-case, strip accents and apostrophe-like marks, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text)
    text = _LATIN_MARKS.sub("", text)
    # Turkish and Kurmanji write sh and ch as one letter (Qamişlo = Qamishlo, Çobanbey); stripping
    # the cedilla would leave s and c, another consonant.
    if "ş" in text or "Ş" in text or "ç" in text or "Ç" in text:
        if _BGN_LETTERS.search(text):
            text = text.replace("ş", "s").replace("Ş", "S")
        text = text.translate(_CEDILLA_DIGRAPHS)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.replace("ı", "i").replace("ø", "o").replace("ß", "ss").replace("æ", "ae").replace("đ", "d")
    text = _NON_WORD.sub(" ", text.lower()).replace("_", " ")
    return _SPACES.sub(" ", text).strip()


@lru_cache(maxsize=WORD_CACHE_SIZE)
def normalize(text: str) -> str:
    """Fold text in either script (Arabic rules apply to Arabic letters, Latin rules to the rest)."""
    plain = normalize_plain_word(text)
    return plain if plain is not None else normalize_reference(text)


def normalize_reference(text: str) -> str:
    """``normalize`` by the general rules, for any text."""
    if has_arabic(text):
        folded = normalize_arabic(text)
        return fold_latin(folded) if _has_latin(folded) or not has_arabic(folded) else folded
    return fold_latin(text)


# Most words of running text are plain letters: for them the general rules reduce to a letter map
# (Arabic) or lower-casing (ASCII).  Arabic letters U+0621-U+064A are unchanged by NFKC and carry
# no diacritic; a ة inside the word (two words run together) takes the general path.
PLAIN_ARABIC_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+")


# Words already folded by those rules, of Arabic letters: folding them again leaves them as they are.
FOLDED_ARABIC_WORD = re.compile("[\u0627\u0628\u062a-\u063a\u0641-\u0648\u064a]+")


# ``_AR_CHAR_MAP`` then dropping ء, for the plain letters in one str.translate: every plain letter
# is listed (str.translate raises and clears a KeyError inside for each character its table lacks)
PLAIN_ARABIC_FOLD = {cp: _AR_CHAR_MAP.get(cp, cp) for cp in range(0x621, 0x64b)} | {ord("ء"): None}


# Plain letters with short vowels, tanween, shadda, sukun or tatweel ("قُتِلَ", "حمَاة", "ســوريا"):
# the general rules drop these marks and fold what is left as plain letters.  The marks that
# compose with a letter under NFKC (maddah and hamza above or below, U+0653-U+0655) and the
# superscript alef are left to the general rules.
PLAIN_ARABIC_WORD_WITH_MARKS = re.compile("[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0640]+")
DROP_ARABIC_MARKS = {cp: None for cp in (*range(0x64b, 0x653), 0x640)}


def normalize_plain_word(text: str) -> str | None:
    """``normalize`` of one word of plain Arabic letters or ASCII letters and digits, else None
    (tested against ``normalize_reference``)."""
    if text.isascii():
        return text.lower() if text.isalnum() else None
    if PLAIN_ARABIC_WORD.fullmatch(text) and "ة" not in text[:-1]:
        return text.translate(PLAIN_ARABIC_FOLD) or None
    return None


_LATIN_LETTER = re.compile("[A-Za-z\u00c0-\u024f]")


def _has_latin(text: str) -> bool:
    return _LATIN_LETTER.search(text) is not None


# --- articles -------------------------------------------------------------------------------

LATIN_ARTICLES = frozenset({
    "al", "el", "il", "ul", "al", "as", "ash", "ad", "adh", "ar", "at", "ath", "az", "an", "ad",
    "es", "esh", "ed", "er", "et", "ez", "en", "l",
})
_SUN_ASSIMILATED = re.compile(r"^[ae](t|th|d|dh|r|z|s|sh|n)\1?-?")
_GLUED_ARTICLE = re.compile(r"^(?:al|el)(?=[b-df-hj-np-tv-z][a-z]{2,})")
_DOUBLED_SUN = re.compile(r"^[ae](tt|dd|rr|zz|ss|nn)(?=[a-z]{2,})")


def strip_article_latin_word(word: str) -> str:
    """Remove an article glued to a folded Latin word: "elhasakeh"→"hasakeh", "ezzor"→"zor".

    Only forms followed by a consonant are removed ("aleppo" stays); "elasafir" (article before
    ʿayn) is handled by ``name_key_variants``.  A separate word "al"/"el"/"ash" is dropped by
    ``name_key``.
    """
    m = _DOUBLED_SUN.match(word)
    if m:
        return word[m.end() - 1:]
    m = _GLUED_ARTICLE.match(word)
    if m:
        return word[m.end():]
    return word


def strip_article_arabic_word(word: str) -> str:
    """Remove a leading ال from a normalized Arabic word when enough letters remain."""
    if word.startswith("ال") and len(word) >= 4:
        return word[2:]
    return word


@lru_cache(maxsize=WORD_CACHE_SIZE)
def name_key(text: str) -> str:
    """Script-specific lookup key: normalized, without articles.  Idempotent."""
    text = normalize(text)
    if has_arabic(text):
        words = text.split()
        out = [strip_article_arabic_word(w) for w in words]
    else:
        words = text.split()
        out = []
        for i, w in enumerate(words):
            if w in LATIN_ARTICLES and i + 1 < len(words):
                continue
            out.append(w)
        out = [strip_article_latin_word(w) for w in out]
        out = _move_translated_adjectives(out)
    return " ".join(w for w in out if w)


# OCHA glues "El" to names that begin with ʿayn or hamza ("Eladas" = العدس); "Al" so glued is
# rarer and often part of the name ("Aleppo", "Alia"), so it needs a longer rest.
_GLUED_BEFORE_VOWEL = re.compile(r"^(?:el(?=[aeiou][a-z]{2,})|al(?=[aeiou][a-z]{4,}))")


def name_key_variants(text: str) -> list[str]:
    """``name_key`` plus, where a Latin word may carry an article glued before a vowel
    ("Deir Elasafir" = دير العصافير), the key with that article removed."""
    key = name_key(text)
    if has_arabic(text):
        return [key]
    alt = " ".join(_GLUED_BEFORE_VOWEL.sub("", w) for w in key.split())
    return [key] if alt == key else [key, alt]


def _move_translated_adjectives(words: list[str]) -> list[str]:
    """"big majra" → "majra kabir": put OCHA's English adjectives where the Arabic has them."""
    if len(words) < 2:
        return words
    table = qualifier_words()
    front: list[str] = []
    while len(words) - len(front) > 1 and words[len(front)] in table:
        front.append(table[words[len(front)]])
    rest = [table.get(w, w) if i > 0 else w for i, w in enumerate(words[len(front):])]
    return rest + front


# --- cross-script skeleton -----------------------------------------------------------------

_AR_SKELETON = {
    "ب": "B", "ت": "T", "ث": "T", "ج": "J", "ح": "H", "خ": "K", "د": "D", "ذ": "D",
    "ر": "R", "ز": "Z", "س": "S", "ش": "X", "ص": "S", "ض": "D", "ط": "T", "ظ": "Z",
    "غ": "J", "ف": "F", "ق": "K", "ك": "K", "ل": "L", "م": "M", "ن": "N", "ه": "H",
}
# Order matters: digraphs before single letters.
_LATIN_SKELETON = [
    ("sch", "X"), ("tch", "X"), ("sh", "X"), ("ch", "X"), ("kh", "K"), ("gh", "J"), ("dj", "J"),
    ("th", "T"), ("dh", "D"), ("ph", "F"), ("zh", "J"), ("ck", "K"), ("ts", "TS"),
]
_LATIN_SINGLE = {
    "b": "B", "p": "B", "t": "T", "j": "J", "g": "J", "h": "H", "d": "D", "r": "R", "z": "Z",
    "s": "S", "f": "F", "v": "F", "q": "K", "k": "K", "c": "K", "l": "L", "m": "M", "n": "N",
    "x": "KS",
}
_LATIN_DIGRAPH_RE = re.compile("|".join(d for d, _ in _LATIN_SKELETON))
_LATIN_DIGRAPH_MAP = dict(_LATIN_SKELETON)


# The fine consonants: the skeleton's classes split where Latin spellings do tell the letters
# apart (خ "kh" / ك "k" / ق "q", غ "gh" / ج "j", ث "th", ذ "dh").  Of OCHA's Aleppo communities
# with names in both scripts and skeletons of one length, 96% agree letter for letter
# (tests/test_data.py); ق is "k" in 5% of letters, خ "k" in 4%.
_AR_FINE = {
    "ب": "b", "ت": "t", "ث": "θ", "ج": "j", "ح": "h", "خ": "χ", "د": "d", "ذ": "ð",
    "ر": "r", "ز": "z", "س": "s", "ش": "š", "ص": "s", "ض": "d", "ط": "t", "ظ": "z",
    "غ": "ġ", "ف": "f", "ق": "q", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h",
}
_LATIN_FINE_DIGRAPHS = {
    "sch": "š", "tch": "š", "sh": "š", "ch": "š", "kh": "χ", "gh": "ġ", "dj": "j", "th": "θ",
    "dh": "ð", "ph": "f", "zh": "j", "ck": "k", "ts": "ts",
}
_LATIN_FINE_SINGLE = {
    "b": "b", "p": "b", "t": "t", "j": "j", "g": "g", "h": "h", "d": "d", "r": "r", "z": "z",
    "s": "s", "f": "f", "v": "f", "q": "q", "k": "k", "c": "k", "l": "l", "m": "m", "n": "n",
    "x": "ks",
}
_FINE_SYMBOLS = frozenset("".join(_LATIN_FINE_DIGRAPHS.values()))


def _arabic_consonant_word(word: str) -> str:
    # A final ه is nearly always ة ("-eh", "-a", "-ah" or nothing in Latin); a final ح is
    # written "-h" like it, and Latin spellings cannot tell the two apart: both dropped.
    return word[:-1] if len(word) > 1 and word[-1] in "هح" else word


class _DropOthers(dict):
    """A str.translate table that deletes every character it does not map."""

    def __missing__(self, key: int) -> None:
        return None


# _AR_SKELETON as a translate table; the Arabic block and ASCII listed so that lookups seldom miss
_AR_SKELETON_TABLE = _DropOthers({**{cp: None for cp in (*range(0x80), *range(0x600, 0x700))},
                                  **{ord(k): v for k, v in _AR_SKELETON.items()}})


ARABIC_SKELETON_TABLE = _AR_SKELETON_TABLE  # for spans.py's scan of folded Arabic keys


def _skeleton_arabic_word(word: str) -> str:
    return _arabic_consonant_word(word).translate(_AR_SKELETON_TABLE)


_CONSTRUCT_T = re.compile(r"(?<=[^aeiou][ae])t$")


def _latin_consonant_word(word: str, last: bool) -> str:
    # A final "h" after a vowel is the taa marbuta ending ("Zakiyeh", "Hamah"); before another
    # word the same letter is read "t" ("Khirbat al-Bighal" = خربة البغال), also dropped.
    if len(word) > 2 and word.endswith("h") and word[-2] in "aeiouy":
        return word[:-1]
    if not last and len(word) > 3:
        return _CONSTRUCT_T.sub("", word)
    return word


def _skeleton_latin_word(word: str, last: bool = True) -> str:
    word = _LATIN_DIGRAPH_RE.sub(lambda m: _LATIN_DIGRAPH_MAP[m.group(0)], _latin_consonant_word(word, last))
    return "".join(_LATIN_SINGLE.get(ch, ch if ch.isupper() else "") for ch in word)


_DOUBLES = re.compile(r"(.)\1+")


def _collapse(text: str) -> str:
    """Doubled letters as one ("MDDR" → "MDR"); most names have none, so look first."""
    return _DOUBLES.sub(r"\1", text) if _DOUBLES.search(text) else text


def skeleton(text: str) -> str:
    """Cross-script consonant skeleton of a name, without articles, words joined."""
    return _collapse("".join(skeleton_words(text)))


def skeleton_words(text: str, open_end: bool = False) -> tuple[str, ...]:
    """Per-word skeletons (articles removed), for token-order-insensitive comparison.

    ``open_end``: the text is the head of a longer name ("Madamiyet" of "Madamiyet Elsham"),
    so its last word is still in the construct state (-et = ة)."""
    return key_skeleton_words(name_key(text), open_end)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def key_skeleton_words(key: str, open_end: bool = False) -> tuple[str, ...]:
    """``skeleton_words`` of a text that is a ``name_key`` already (no second folding)."""
    out = []
    words = key.split()
    for i, word in enumerate(words):
        if _AR_LETTER.search(word):
            s = _skeleton_arabic_word(word)
        else:
            s = _skeleton_latin_word(word, last=i == len(words) - 1 and not open_end)
        s = _collapse(s)
        if s:
            out.append(s)
    return tuple(out)


@lru_cache(maxsize=None)
def _fine_tables() -> tuple[dict[int, str | None], dict[int, str | None]]:
    """str.translate tables (Arabic, Latin) for the fine consonants: every other letter is
    dropped.  Built on first use."""
    drop: dict[int, str | None] = {cp: None for cp in range(0x20, 0x2000)}
    arabic = {**drop, **{ord(k): v for k, v in _AR_FINE.items()}}
    latin = {**drop, **{ord(k): v for k, v in _LATIN_FINE_SINGLE.items()},
             **{ord(k): k for k in _FINE_SYMBOLS if len(k) == 1}}
    return arabic, latin


@lru_cache(maxsize=WORD_CACHE_SIZE)
def key_fine_consonants(key: str, arabic: bool, open_end: bool = False) -> str:
    """The consonants of a ``name_key`` in the fine classes (``_AR_FINE``), words joined and
    doubles collapsed: "خربة" → "χrb", "Kherbet" → "χrb", "Qarah" → "qr"."""
    arabic_table, latin_table = _fine_tables()
    words = key.split()
    out = []
    last = len(words) - 1
    for i, word in enumerate(words):
        if _AR_LETTER.search(word):
            if not arabic:
                continue
            out.append(_collapse(_arabic_consonant_word(word).translate(arabic_table)))
        else:
            word = _latin_consonant_word(word, last=i == last and not open_end)
            word = _LATIN_DIGRAPH_RE.sub(lambda m: _LATIN_FINE_DIGRAPHS[m.group(0)], word)
            out.append(_collapse(word.translate(latin_table)))
    return "".join(out)


# --- Latin phonetic key ---------------------------------------------------------------------

# The phonetic rules, applied in one left-to-right pass (each alternative is tried in this order
# at every position, so "sh" wins over "h" and "ou" over "o"):
_PHONETIC_TAA = re.compile(r"(?<=[aeiouy])h\b")  # taa marbuta: -eh, -ah
_PHONETIC_MAP = {
    "sch": "x", "tch": "x", "sh": "x", "ch": "x", "kh": "k", "gh": "g", "dj": "j", "th": "t",
    "dh": "d", "ph": "f", "ckh": "k", "ck": "k", "q": "k", "c": "k", "v": "f", "p": "b",
    "ou": "u", "oo": "u", "o": "u", "w": "u",  # w: a vowel sound, or before a vowel "u" too
    "ee": "i", "ei": "i", "ey": "i", "ie": "i", "ay": "i", "ai": "i", "y": "i",
    "e": "a",
}
_PHONETIC_RE = re.compile("|".join(_PHONETIC_MAP))  # in the map's order
# (pattern, replacement) in the order they are tried, for a scan of its own (spans.py)
PHONETIC_RULES = tuple(_PHONETIC_MAP.items())


def latin_phonetic(text: str) -> str:
    """A Latin key that forgets what transliteration schemes disagree on, vowels included in a
    reduced form (a/e → a, i/ee/ay → i, o/u/ou → u): "Hamouriyah" → "hamuria"."""
    return key_latin_phonetic(name_key(text))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def key_latin_phonetic(key: str) -> str:
    """``latin_phonetic`` of a ``name_key``."""
    words = []
    for word in key.split():
        word = _PHONETIC_TAA.sub("", word)
        word = _PHONETIC_RE.sub(lambda m: _PHONETIC_MAP[m.group(0)], word)
        words.append(_collapse(word))
    return " ".join(w for w in words if w)


_AR_PHONETIC = {
    "ب": "b", "ت": "t", "ث": "t", "ج": "j", "ح": "h", "خ": "k", "د": "d", "ذ": "d", "ر": "r",
    "ز": "z", "س": "s", "ش": "x", "ص": "s", "ض": "d", "ط": "t", "ظ": "z", "ع": "", "غ": "g",
    "ف": "f", "ق": "k", "ك": "k", "ل": "l", "م": "m", "ن": "n", "ه": "h", "و": "u", "ي": "i",
    "ا": "a", "ى": "a",
}


def arabic_phonetic(text: str) -> str:
    """An Arabic name in the alphabet of ``latin_phonetic``: long vowels as a/i/u, final ة/ه as
    "a".  Short vowels are not written in Arabic, so compare with an insertion-tolerant measure."""
    return key_arabic_phonetic(name_key(text))


@lru_cache(maxsize=WORD_CACHE_SIZE)
def key_arabic_phonetic(key: str) -> str:
    """``arabic_phonetic`` of a ``name_key``."""
    words = []
    for word in key.split():
        out = []
        for i, ch in enumerate(word):
            if ch == "ه" and i == len(word) - 1:
                out.append("a")
            else:
                out.append(_AR_PHONETIC.get(ch, ch if ch.isascii() and ch.isalnum() else ""))
        words.append(_collapse("".join(out)))
    return " ".join(w for w in words if w)
