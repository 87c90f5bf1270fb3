"""How common a written word or phrase is in ordinary text (wordfreq's Zipf scale).

A village called "زكاة" or "الحدود" is named far less often than the word is used: the parser
asks for stronger evidence before taking a common word for a place.  Frequencies are looked up
on the text as written (wordfreq folds it its own way): the gazetteer's folding ("وزارة" →
"وزاره") would make a common word look rare.
"""
from __future__ import annotations

from functools import lru_cache

from .normalize import WORD_CACHE_SIZE

# 4.0 on the Zipf scale is about once in 100,000 words.
COMMON_WORD_ZIPF = 4.0


@lru_cache(maxsize=WORD_CACHE_SIZE)
def zipf(written: str, lang: str) -> float:
    """Zipf frequency of a word or phrase in ``lang`` ("ar", "en"); "_" separates words as a
    space does ("#صباح_الخير")."""
    from wordfreq import zipf_frequency  # local: loading the word lists takes a while

    return zipf_frequency(written.replace("_", " "), lang)


def common_english_word(written: str) -> bool:
    """An English word used far more often as a word than as a Syrian place name ("Police",
    "Muslim", "Hope"): Syrian names in English are rare words (Aleppo 3.6, Idlib 2.9)."""
    return zipf(written, "en") >= COMMON_WORD_ZIPF


def common_arabic_word(written: str) -> bool:
    """A word (or phrase) used often enough that naming a small place is the rarer reading."""
    return zipf(written, "ar") >= COMMON_WORD_ZIPF
