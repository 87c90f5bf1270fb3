"""Split text into word tokens with character offsets and clause numbers.

A token keeps its offsets in the original text, so a mention's span is exact whatever folding
its lookup needed.  Clause numbers change at punctuation that ends a phrase (. , ; : ! ? ، ؛
and line breaks): a place name never runs across them.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import NamedTuple

from .normalize import (
    FOLDED_ARABIC_WORD, PLAIN_ARABIC_FOLD, PLAIN_ARABIC_WORD, WORD_CACHE_SIZE, has_arabic, name_key,
    normalize, strip_article_arabic_word,
)

# Arabic short vowels, shadda and tanween ("قُتِل", "حمَام", "خنقاً") and Latin combining accents are
# marks, not word characters, to the regex engine: inside a word they must not split it.
_MARKS = "\u064b-\u065f\u0670\u0300-\u036f"
# Runs of letters or of marks, not one character at a time: the same words, and the regex engine
# repeats a character class without trying an alternative at each character (~20% faster).
# Possessive (``++``, ``*+``): nothing after a word's letters can fail, so the engine need not
# keep the positions to backtrack to (the same words, ~20% less time again).
_WORD = re.compile(rf"(?:[^\W_]++|[{_MARKS}]++)++(?:['’ʼʿʾ](?:[^\W_]++|[{_MARKS}]++)++)*+", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}،؛\n|]|\s[-–—]\s")  # quotes do not break: بلدة "كنصفرة"
# A word (group 1) or a clause break: neither can start inside the other, so one scan finds both.
_WORD_OR_BREAK = re.compile(f"({_WORD.pattern})|{_CLAUSE_BREAK.pattern}")


class Token(NamedTuple):
    text: str  # as written
    start: int
    end: int
    norm: str  # normalize(text)
    arabic: bool
    capital: bool  # Latin token starting with an upper-case letter
    clause: int
    hashtag: bool = False  # written as "#name": tweets tag places this way


@lru_cache(maxsize=WORD_CACHE_SIZE)
def fold(word: str) -> tuple[str, bool]:
    """Folded form of one word and whether it is Arabic (cached: words repeat)."""
    return normalize(word), has_arabic(word)


_FOLDED: dict[str, tuple[str, bool, bool, bool, bool]] = {}
_ARABIC_RANGE = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_SCRIPT_RUN = re.compile(f"[{_ARABIC_RANGE}]+|[^{_ARABIC_RANGE}]+")
_LATIN_LETTER = re.compile("[A-Za-z]")


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    if len(_FOLDED) >= WORD_CACHE_SIZE:
        _FOLDED.clear()  # bounded: a server reads texts without end
    cache = _FOLDED
    clause = 0
    make = tuple.__new__  # a Token without NamedTuple's argument handling: tokenizing is hot
    append = tokens.append
    hashed = "#" in text
    find = text.find
    end = 0
    # Words and clause breaks in one pass; findall gives the words as strings ("" for a break)
    # without a match object each.  A word's offset is its first occurrence after the previous
    # word: what the scan skipped between them holds no word character.
    for word in _WORD_OR_BREAK.findall(text):
        if not word:
            clause += 1
            continue
        start = find(word, end)
        end = start + len(word)
        folded = cache.get(word)
        if folded is None:
            folded = cache[word] = _fold_token(word)
        norm, arabic, capital, trim, mixed = folded
        if mixed:  # "الرقةAll": scripts run together in pasted posts; one token per script
            for part in _SCRIPT_RUN.finditer(word):
                p_start = start + part.start()
                p_norm, p_arabic, p_capital, _, _ = _fold_token(part.group())
                if p_norm:
                    append(make(Token, (part.group(), p_start, start + part.end(), p_norm, p_arabic,
                                        p_capital, clause, p_start > 0 and text[p_start - 1] == "#")))
            continue
        if not norm:
            continue
        if trim:  # English possessive: "Aleppo's"
            append(make(Token, (word[:-2], start, end - 2, norm, arabic, capital, clause,
                                hashed and start > 0 and text[start - 1] == "#")))
            continue
        append(make(Token, (word, start, end, norm, arabic, capital, clause,
                            hashed and start > 0 and text[start - 1] == "#")))
    return tokens


def _fold_token(word: str) -> tuple[str, bool, bool, bool, bool]:
    """(folded form, Arabic?, capitalised Latin?, ends in a possessive 's?, mixes scripts?)"""
    # most words are plain: their folding is a letter map (``normalize_plain_word``, written
    # out here: a new word's folding is a good part of reading a text for the first time)
    if word.isascii():
        if word.isalnum():
            return word.lower(), False, word[:1].isupper(), False, False
    elif PLAIN_ARABIC_WORD.fullmatch(word) and "ة" not in word[:-1]:
        plain = word.translate(PLAIN_ARABIC_FOLD)
        if plain:
            return plain, True, False, False, False
    trim = len(word) > 2 and word[-2] in "'’ʼ" and word[-1] in "sS" and word.isascii()
    norm, arabic = fold(word[:-2] if trim else word)
    mixed = arabic and _LATIN_LETTER.search(word) is not None
    return norm, arabic, (not arabic) and word[:1].isupper(), trim, mixed


@lru_cache(maxsize=WORD_CACHE_SIZE)
def span_key(norm_words: tuple[str, ...]) -> str:
    """``name_key`` of a run of folded words (cached)."""
    if all(FOLDED_ARABIC_WORD.fullmatch(w) for w in norm_words):
        # folded Arabic letters only: folding the run again keeps it, and the key only drops ال
        return " ".join(strip_article_arabic_word(w) for w in norm_words)
    return name_key(" ".join(norm_words))

