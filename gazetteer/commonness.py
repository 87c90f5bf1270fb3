"""How common a written word or phrase is in ordinary text (wordfreq's Zipf scale).

A village called "زكاة" or "الحدود" is named far less often than the word is used: the parser
asks for stronger evidence before taking a common word for a place.  Frequencies are looked up
on the text as written (wordfreq folds it its own way): the gazetteer's folding ("وزارة" →
"وزاره") would make a common word look rare.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import WORD_CACHE_SIZE

# 4.0 on the Zipf scale is about once in 100,000 words.
COMMON_WORD_ZIPF = 4.0

# Words wordfreq reads as one token, the word itself lower-cased: plain Arabic letters (no
# diacritic, tatweel or presentation form, which its folding would change) or ASCII letters.
# Most words of running text are such words; for them "is it common" is a set lookup.
PLAIN_WORD = re.compile("[\u0621-\u063a\u0641-\u064a]+|[A-Za-z]+")


@lru_cache(maxsize=WORD_CACHE_SIZE)
def zipf(written: str, lang: str) -> float:
    """Zipf frequency of a word or phrase in ``lang`` ("ar", "en"); "_" separates words as a
    space does ("#صباح_الخير")."""
    from wordfreq import zipf_frequency  # local: loading the word lists takes a while

    return zipf_frequency(written.replace("_", " "), lang)


@lru_cache(maxsize=None)
def common_plain_words(lang: str) -> frozenset[str]:
    """The words of ``PLAIN_WORD``'s forms whose Zipf frequency in ``lang`` is at least
    ``COMMON_WORD_ZIPF`` (a few thousand: wordfreq's top buckets), built on first use (~10 ms
    once wordfreq's list is loaded).  Each word's frequency is wordfreq's own answer for it."""
    from wordfreq import cB_to_freq, get_frequency_dict, get_frequency_list, zipf_frequency

    # the arguments as wordfreq passes them, so that its caches answer (not a second copy)
    freqs = get_frequency_dict(lang, "best")  # what it looks a token up in (a word listed twice: the last)
    zipf_of_freq: dict[float, float] = {}
    common = set()
    for index, bucket in enumerate(get_frequency_list(lang, "best")):
        bucket_freq = cB_to_freq(-index)
        bucket_zipf = None
        for word in bucket:
            if not PLAIN_WORD.fullmatch(word):
                continue
            freq = freqs[word]
            z = zipf_of_freq.get(freq)
            if z is None:
                z = zipf_of_freq[freq] = zipf_frequency(word, lang)
            if z >= COMMON_WORD_ZIPF:
                common.add(word)
            if freq == bucket_freq:
                bucket_zipf = z
        if bucket_zipf is not None and bucket_zipf < COMMON_WORD_ZIPF:
            break  # the buckets go down in frequency: no word further on is common
    return frozenset(common)


@lru_cache(maxsize=WORD_CACHE_SIZE)
def is_common(written: str, lang: str) -> bool:
    """``zipf(written, lang) >= COMMON_WORD_ZIPF``; a plain word is looked up in
    ``common_plain_words`` (tested against wordfreq).  Cached: the parser asks again and again
    about the words it knows, and a cache hit costs less than the regex and the set."""
    if PLAIN_WORD.fullmatch(written):
        return written.lower() in common_plain_words(lang)
    return zipf(written, lang) >= COMMON_WORD_ZIPF


def common_english_word(written: str) -> bool:
    """An English word used far more often as a word than as a Syrian place name ("Police",
    "Muslim", "Hope"): Syrian names in English are rare words (Aleppo 3.6, Idlib 2.9)."""
    return is_common(written, "en")


def common_arabic_word(written: str) -> bool:
    """A word (or phrase) used often enough that naming a small place is the rarer reading."""
    return is_common(written, "ar")
