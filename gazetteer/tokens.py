"""Split text into word tokens with character offsets and clause numbers.

A token keeps its offsets in the original text, so a mention's span is exact whatever folding
its lookup needed.  Clause numbers change at punctuation that ends a phrase (. , ; : ! ? ، ؛
and line breaks): a place name never runs across them.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .normalize import has_arabic, name_key, normalize, skeleton

_WORD = re.compile(r"[^\W_]+(?:['’ʼʿʾ][^\W_]+)*", re.UNICODE)
_CLAUSE_BREAK = re.compile(r"[.,;:!?()\[\]{}\"«»“”،؛\n|]|\s[-–—]\s")


@dataclass(frozen=True, slots=True)
class Token:
    text: str  # as written
    start: int
    end: int
    norm: str  # normalize(text)
    arabic: bool
    capital: bool  # Latin token starting with an upper-case letter
    clause: int


@lru_cache(maxsize=200_000)
def fold(word: str) -> tuple[str, bool]:
    """Folded form of one word and whether it is Arabic (cached: words repeat)."""
    return normalize(word), has_arabic(word)


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    clause = 0
    last_end = 0
    for m in _WORD.finditer(text):
        if _CLAUSE_BREAK.search(text, last_end, m.start()) if last_end < m.start() else False:
            clause += 1
        word = m.group(0)
        end = m.end()
        if len(word) > 2 and word[-2] in "'’ʼ" and word[-1] in "sS" and not has_arabic(word):
            word, end = word[:-2], end - 2  # English possessive: "Aleppo's"
        norm, arabic = fold(word)
        if not norm:
            last_end = m.end()
            continue
        tokens.append(Token(word, m.start(), end, norm, arabic,
                            (not arabic) and word[:1].isupper(), clause))
        last_end = m.end()
    return tokens


@lru_cache(maxsize=500_000)
def span_key(norm_words: tuple[str, ...]) -> str:
    """``name_key`` of a run of folded words (cached)."""
    return name_key(" ".join(norm_words))


@lru_cache(maxsize=500_000)
def span_skeleton(norm_words: tuple[str, ...]) -> str:
    return skeleton(" ".join(norm_words))
