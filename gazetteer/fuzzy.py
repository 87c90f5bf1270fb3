"""Fuzzy search over consonant skeletons: a fast path and the plain reference it must equal.

``search_reference`` is rapidfuzz's ``process.extract`` over every skeleton of a plausible
length.  ``SkeletonNeighbours.search`` gives the same answer with the same scorer and cutoff,
but scores only the skeletons that two bounds leave, most of them ruled out at once:

* the length: a skeleton whose length differs from the query's by more edits than the cutoff
  allows cannot match;
* the letters, told apart by occurrence ("KNTMN": K1 N1 T1 M1 N2): an edit changes at most two
  of them (a substitution takes one away and adds another, an insertion or a deletion one, a
  transposition none), so a skeleton that lacks too many of the query's letters cannot match.
  For each length and letter, one int holds which skeletons have the letter (bit i for
  skeleton i): a query tests all the skeletons of a length with a few operations per letter.

``tests/test_fuzzy.py`` checks that the two agree.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from typing import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Slack for floating point in the bounds: they may keep a skeleton too many, the scorer decides.
_SLACK = 1e-6


def plausible_lengths(length: int, cutoff: float) -> range:
    return range(max(1, int(length * cutoff)), int(length / cutoff) + 2)


def search_reference(query: str, by_length: dict[int, Sequence[str]], cutoff: float,
                     limit: int) -> list[tuple[str, float]]:
    """Best matches of ``query`` with normalized OSA similarity ≥ cutoff, best first."""
    choices: list[str] = []
    for m in plausible_lengths(len(query), cutoff):
        choices.extend(by_length.get(m, ()))
    return _best(query, choices, cutoff, limit)


def _best(query: str, choices: list[str], cutoff: float, limit: int) -> list[tuple[str, float]]:
    found = process.extract(query, choices, scorer=OSA.normalized_similarity,
                            score_cutoff=cutoff, limit=None)
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    return [(choice, score) for choice, score, _ in found[:limit]]


def most_edits(query_length: int, length: int, cutoff: float) -> int:
    """The most edits a skeleton of ``length`` letters may be from the query and still reach
    ``cutoff`` (normalized similarity is 1 - edits / the longer length)."""
    return int((1.0 - cutoff) * max(query_length, length) + _SLACK)


def tagged_letters(s: str) -> set[tuple[str, int]]:
    """The letters of ``s`` told apart by occurrence: "KNTMN" → K1 N1 T1 M1 N2."""
    seen: dict[str, int] = {}
    for ch in s:
        seen[ch] = seen.get(ch, 0) + 1
    return {(ch, k) for ch, n in seen.items() for k in range(1, n + 1)}


@lru_cache(maxsize=None)
def _at_least(k: int) -> bytes:
    """A ``bytes.translate`` table: a byte of value ≥ k → "1", below → "0"."""
    return bytes(ord("1") if value >= k else ord("0") for value in range(256))


@lru_cache(maxsize=None)
def _only(value: int) -> bytes:
    """A ``bytes.translate`` table: ``value`` → 1, any other byte → 0."""
    return bytes(1 if v == value else 0 for v in range(256))


class LetterColumns:
    """The skeletons of one length and, for each tagged letter, which of them have it: the
    bits of one int (bit i for skeleton i), so that a query tests them all at once."""

    def __init__(self, skeletons: Sequence[str]):
        self.skeletons = list(skeletons)
        n = len(self.skeletons)
        self.length = length = len(self.skeletons[0]) if n else 0
        if any(len(s) != length for s in self.skeletons):
            raise ValueError("LetterColumns holds skeletons of one length")
        self.everyone = (1 << n) - 1
        self.having: dict[tuple[str, int], int] = {}
        joined = "".join(self.skeletons)  # skeleton i from position i × length
        letters = sorted(set(joined))
        # the letters numbered, one byte each (a skeleton has far fewer than 256 letters), so
        # that each letter's marks below are one bytes.translate, not a str.translate by dict
        coded = (joined.translate({ord(c): chr(i) for i, c in enumerate(letters)}).encode("latin-1")
                 if len(letters) <= 256 else None)
        for i, ch in enumerate(letters):
            # one byte per letter of the joined skeletons: 1 where it is ch
            marks_bytes = (coded.translate(_only(i)) if coded is not None else
                           joined.translate({ord(c): "\x01" if c == ch else "\x00"
                                             for c in letters}).encode("latin-1"))
            # how often each skeleton has ch, one byte each (skeleton i at byte i): the sum of
            # its positions, read as ints with a byte per skeleton (a count ≤ length: no carry)
            counts = sum(int.from_bytes(marks_bytes[j::length], "little")
                         for j in range(length)).to_bytes(n, "little")
            for k in range(1, length + 1):  # (ch, k): the skeletons with ≥ k of ch, if any
                row = counts.translate(_at_least(k))
                if b"1" not in row:  # (cheaper than max(counts) first)
                    break
                self.having[ch, k] = int(row[::-1], 2)

    def differing_in_at_most(self, letters: set[tuple[str, int]], most: int) -> list[str]:
        """The skeletons whose tagged letters differ from ``letters`` in at most ``most``.

        A skeleton has as many tagged letters as it has letters (the same number for all of
        them here), so it differs in (its length - common) + (len(letters) - common): it may
        lack at most (most + len(letters) - length) / 2 of ``letters``.  Only those columns
        are read."""
        may_lack = (most + len(letters) - self.length) // 2
        if may_lack < 0:
            return []
        # lacking_more_than[j]: the skeletons found so far to lack more than j of the letters
        lacking_more_than = [0] * (may_lack + 1)
        for letter in letters:
            lacking = self.everyone ^ self.having.get(letter, 0)
            for j in range(may_lack, 0, -1):
                lacking_more_than[j] |= lacking_more_than[j - 1] & lacking
            lacking_more_than[0] |= lacking
        # "0b1…": bit i at position last - i (read as it is: reversing it cost as much as bin)
        kept = bin(self.everyone & ~lacking_more_than[may_lack])
        last = len(kept) - 1
        out = []
        i = kept.find("1", 2)
        while i >= 0:
            out.append(self.skeletons[last - i])
            i = kept.find("1", i + 1)
        out.reverse()  # in the skeletons' order
        return out


class SkeletonNeighbours:
    """The skeletons by length, and their letter columns (made for a length on first use)."""

    def __init__(self, skeletons: Iterable[str]):
        self.by_length: dict[int, list[str]] = defaultdict(list)
        for s in skeletons:
            self.by_length[len(s)].append(s)
        self._columns: dict[int, LetterColumns] = {}

    def search(self, query: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """``search_reference(query, self.by_length, cutoff, limit)``, faster."""
        letters = tagged_letters(query)
        choices: list[str] = []
        for length in plausible_lengths(len(query), cutoff):
            if length not in self.by_length:
                continue
            most = most_edits(len(query), length, cutoff)
            if abs(len(query) - length) > most:  # the length alone differs by more edits
                continue
            columns = self._columns.get(length)
            if columns is None:
                columns = self._columns[length] = LetterColumns(self.by_length[length])
            # each edit changes at most two tagged letters
            choices.extend(columns.differing_in_at_most(letters, 2 * most))
        return _best(query, choices, cutoff, limit)
