"""Split text into word tokens with character offsets and clause numbers.

A token keeps its offsets in the original text, so a mention's span is exact whatever folding
its lookup needed.  Clause numbers change at punctuation that ends a phrase (. , ; : ! ? ، ؛
and line breaks): a place name never runs across them.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .normalize import (
    DROP_ARABIC_MARKS, FOLDED_ARABIC_WORD, PLAIN_ARABIC_FOLD, PLAIN_ARABIC_WORD,
    PLAIN_ARABIC_WORD_WITH_MARKS, WORD_CACHE_SIZE, has_arabic, name_key, normalize,
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


class Token:
    """One word of a text.  A class of its own, not a NamedTuple: compiled (setup.py), making
    one is a direct call and reading a field a load, where a tuple subclass is made by a
    generic call through ``tuple.__new__`` (about 1,400 instructions a token: 5% of reading a
    new text)."""

    __slots__ = ("text", "start", "end", "norm", "arabic", "capital", "clause", "hashtag")

    def __init__(self, text: str, start: int, end: int, norm: str, arabic: bool, capital: bool,
                 clause: int, hashtag: bool = False) -> None:
        self.text = text  # as written
        self.start = start
        self.end = end
        self.norm = norm  # normalize(text)
        self.arabic = arabic
        self.capital = capital  # Latin token starting with an upper-case letter
        self.clause = clause
        self.hashtag = hashtag  # written as "#name": tweets tag places this way

    def _fields(self) -> tuple[str, int, int, str, bool, bool, int, bool]:
        return (self.text, self.start, self.end, self.norm, self.arabic, self.capital, self.clause,
                self.hashtag)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Token):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return "Token(%r, %d, %d, %r, %r, %r, %d, %r)" % self._fields()


@lru_cache(maxsize=WORD_CACHE_SIZE)
def fold(word: str) -> tuple[str, bool]:
    """Folded form of one word and whether it is Arabic (cached: words repeat)."""
    return normalize(word), has_arabic(word)


_FOLDED: dict[str, tuple[str, bool, bool, bool, bool]] = {}
_ARABIC_RANGE = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
_SCRIPT_RUN = re.compile(f"[{_ARABIC_RANGE}]+|[^{_ARABIC_RANGE}]+")
_LATIN_LETTER = re.compile("[A-Za-z]")


_DASHES = frozenset("-–—")


def tokenize(text: str) -> list[Token]:
    """The words of a text with their offsets and clause numbers (words and clause breaks as
    ``_WORD_OR_BREAK`` finds them, left to right)."""
    tokens: list[Token] = []
    if len(_FOLDED) >= WORD_CACHE_SIZE:
        _FOLDED.clear()  # bounded: a server reads texts without end
    hashed = "#" in text
    # Most pieces between whitespace are one word: str.split and str.isalnum look at each
    # character once, in C, where the word regex tries its alternatives at every character
    # (about a third of a new text's reading).  Most others are a word with punctuation at its
    # edges ("حلب،", "(سانا)", "#ادلب"), or punctuation alone.  What is left (a diacritic or an
    # apostrophe inside a word, words joined by "_") goes to the regex alone, with the same
    # words and breaks as in the whole text: no word spans whitespace, and the two breaks that
    # take whitespace in are read here as the regex reads them: line breaks, counted between
    # the pieces, and a dash between spaces (``_dash_breaks``), which takes in the whitespace on
    # both sides.  (Methods are called on their objects, not bound to locals first: compiled,
    # ``text.find`` is a direct call, a bound method a generic one.)
    clause = 0
    lines = "\n" in text
    end = 0  # of the previous piece
    taken = -1  # the whitespace after the last dash that broke a clause: no line break then
    for piece in text.split():
        start = text.find(piece, end)
        if lines:
            newlines = text.count("\n", end, start)
            if newlines and end <= taken < start and text[taken] == "\n":
                newlines -= 1
            clause += newlines
        end = start + len(piece)
        if piece.isalnum():
            _add_word(tokens, text, piece, start, clause, hashed)
            continue
        if piece in _DASHES:
            if _dash_breaks(text, start, taken):
                clause += 1
                taken = end
            continue
        word = piece.strip(_EDGE_PUNCTUATION)
        if not word:  # punctuation alone: ":", "..", "|"
            clause += _breaks_in(piece)
        elif word.isalnum():
            lead = piece.find(word)  # the edges hold no letter: this is where the word starts
            clause += _breaks_in(piece[:lead])
            _add_word(tokens, text, word, start + lead, clause, hashed)
            clause += _breaks_in(piece[lead + len(word):])
        else:
            clause = _add_words(tokens, text, piece, start, clause, hashed)
    return tokens


# Punctuation that may stand at a word's edges: neither a word character nor a mark, so the
# word regex passes over it (and counts the clause breaks among it)
_BREAK_CHARACTERS = ".,;:!?()[]{}،؛|"  # _CLAUSE_BREAK's characters but the line break
_EDGE_PUNCTUATION = _BREAK_CHARACTERS + "\"'«»“”‘’‹›…-–—/\\*#@%&+=<>~^`$_·•"


def _breaks_in(punctuation: str) -> int:
    """The clause breaks among punctuation (``_EDGE_PUNCTUATION``)."""
    breaks = 0
    for ch in punctuation:
        if ch in _BREAK_CHARACTERS:
            breaks += 1
    return breaks


def _add_word(tokens: list[Token], text: str, word: str, start: int, clause: int, hashed: bool) -> None:
    """Append ``word``, letters and digits only, found at ``start``."""
    folded = _FOLDED.get(word)
    if folded is None:
        folded = _FOLDED[word] = _fold_token(word)
    if folded[4] or folded[3] or not folded[0]:  # rare: a word the general path handles
        _add_words(tokens, text, word, start, clause, hashed)
        return
    tokens.append(Token(word, start, start + len(word), folded[0], folded[1], folded[2], clause,
                        hashed and start > 0 and text[start - 1] == "#"))


def _dash_breaks(text: str, at: int, taken: int) -> bool:
    """Whether the dash at ``at`` breaks a clause as ``_CLAUSE_BREAK``'s "\\s[-–—]\\s" does,
    scanning left to right: whitespace on both sides, and the one before it taken by no earlier
    match (a line break is a break of its own; the dash before may have taken it)."""
    before = at - 1
    return (before >= 0 and before != taken and text[before].isspace() and text[before] != "\n"
            and at + 1 < len(text) and text[at + 1].isspace())


def _add_words(tokens: list[Token], text: str, part: str, offset: int, clause: int, hashed: bool) -> int:
    """Append the words of ``part``, a part of ``text`` that starts at ``offset``, as tokens of
    clause ``clause`` on; returns the clause number after its breaks."""
    cache = _FOLDED
    end = offset
    # Words and clause breaks in one pass; findall gives the words as strings ("" for a break)
    # without a match object each.  A word's offset is its first occurrence after the previous
    # word: what the scan skipped between them holds no word character.
    for word in _WORD_OR_BREAK.findall(part):
        if not word:
            clause += 1
            continue
        start = text.find(word, end)
        end = start + len(word)
        folded = cache.get(word)
        if folded is None:
            folded = cache[word] = _fold_token(word)
        norm, arabic, capital, trim, mixed = folded
        if mixed:  # "الرقةAll": scripts run together in pasted posts; one token per script
            for script_run in _SCRIPT_RUN.finditer(word):
                p_start = start + script_run.start()
                p_norm, p_arabic, p_capital, _, _ = _fold_token(script_run.group())
                if p_norm:
                    tokens.append(Token(script_run.group(), p_start, start + script_run.end(),
                                        p_norm, p_arabic, p_capital, clause,
                                        p_start > 0 and text[p_start - 1] == "#"))
            continue
        if not norm:
            continue
        if trim:  # English possessive: "Aleppo's"
            tokens.append(Token(word[:-2], start, end - 2, norm, arabic, capital, clause,
                                hashed and start > 0 and text[start - 1] == "#"))
            continue
        tokens.append(Token(word, start, end, norm, arabic, capital, clause,
                            hashed and start > 0 and text[start - 1] == "#"))
    return clause


def _fold_token(word: str) -> tuple[str, bool, bool, bool, bool]:
    """(folded form, Arabic?, capitalised Latin?, ends in a possessive 's?, mixes scripts?)"""
    # most words are plain: their folding is a letter map (``normalize_plain_word``, written
    # out here: a new word's folding is a good part of reading a text for the first time)
    if FOLDED_ARABIC_WORD.fullmatch(word):
        return word, True, False, False, False  # two Arabic words in three fold to themselves
    if word.isascii():
        if word.isalnum():
            return word.lower(), False, word[:1].isupper(), False, False
    elif PLAIN_ARABIC_WORD.fullmatch(word):
        if "ة" not in word[:-1]:
            plain = word.translate(PLAIN_ARABIC_FOLD)
            if plain:
                return plain, True, False, False, False
    elif PLAIN_ARABIC_WORD_WITH_MARKS.fullmatch(word):  # one Arabic word in twenty
        letters = word.translate(DROP_ARABIC_MARKS)
        if "ة" not in letters[:-1]:
            plain = letters.translate(PLAIN_ARABIC_FOLD)
            if plain:
                return plain, True, False, False, False
    trim = len(word) > 2 and word[-2] in "'’ʼ" and word[-1] in "sS" and word.isascii()
    norm, arabic = fold(word[:-2] if trim else word)
    mixed = arabic and _LATIN_LETTER.search(word) is not None
    return norm, arabic, (not arabic) and word[:1].isupper(), trim, mixed


@lru_cache(maxsize=WORD_CACHE_SIZE)
def span_key(norm_words: tuple[str, ...]) -> str:
    """``name_key`` of a run of folded words (cached)."""
    # folded Arabic letters only: folding the run again keeps it, and the key only drops ال
    words = []
    for w in norm_words:
        if not FOLDED_ARABIC_WORD.fullmatch(w):
            return name_key(" ".join(norm_words))
        words.append(without_article(w))
    return " ".join(words)


def without_article(word: str) -> str:
    """``normalize.strip_article_arabic_word``, compiled with the parser (setup.py): every new
    word and run of words asks, and a call into an uncompiled module is a generic one."""
    return word[2:] if word.startswith("ال") and len(word) >= 4 else word

