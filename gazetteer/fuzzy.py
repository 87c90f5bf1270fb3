"""Fuzzy search over consonant skeletons: fast paths and the plain reference they must equal.

``search_reference`` is rapidfuzz's ``process.extract`` over every skeleton of a plausible
length.  ``SkeletonNeighbours.search`` gives the same answer faster:

* For short queries: at the cutoffs used (≥ 0.66 up to 3 letters, ≥ 0.72 above), a query of at
  most ``DELETION_MAX_LENGTH`` letters can only match skeletons of at most one letter more,
  within one edit; and two strings within one edit (insertion, deletion, substitution or
  transposition) share a one-letter deletion of each (or one is the other's).  So a dictionary
  from one-letter deletions to skeletons finds every candidate with a few lookups (SymSpell's
  idea).
* For longer ones, only the skeletons whose length can match are scored: a skeleton whose
  length differs from the query's by more than the cutoff allows needs more edits than that.

``tests/test_fuzzy.py`` checks that the fast paths and the reference agree.
"""
from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from itertools import repeat
from typing import Iterable, Sequence

from rapidfuzz import process
from rapidfuzz.distance import OSA

# Longest query for the fast path: for L ≤ 5 every matching skeleton has M ≤ 6 letters and
# max(L, M) ≤ 6, so the allowed distance floor(0.28 × 6) is 1 (floor(0.34 × 4) = 1 up to 3).
DELETION_MAX_LENGTH = 5


def one_letter_deletions(s: str) -> set[str]:
    return {s[:i] + s[i + 1:] for i in range(len(s))}


def plausible_lengths(length: int, cutoff: float) -> range:
    return range(max(1, int(length * cutoff)), int(length / cutoff) + 2)


def search_reference(query: str, by_length: dict[int, Sequence[str]], cutoff: float,
                     limit: int) -> list[tuple[str, float]]:
    """Best matches of ``query`` with normalized OSA similarity ≥ cutoff, best first."""
    choices: list[str] = []
    for m in plausible_lengths(len(query), cutoff):
        choices.extend(by_length.get(m, ()))
    found = process.extract(query, choices, scorer=OSA.normalized_similarity,
                            score_cutoff=cutoff, limit=None)
    found.sort(key=lambda hit: (-hit[1], hit[0]))
    return [(choice, score) for choice, score, _ in found[:limit]]


def can_match(query_length: int, length: int, cutoff: float) -> bool:
    """Whether a skeleton of ``length`` letters can reach ``cutoff`` (at least the length
    difference in edits; a hair of slack for floating point, the scorer decides)."""
    longest = max(query_length, length)
    return 1.0 - abs(query_length - length) / longest >= cutoff - 1e-6


def tagged_letters(s: str) -> set[tuple[str, int]]:
    """The letters of ``s`` told apart by occurrence: "KNTMN" → K1 N1 T1 M1 N2.  Two strings
    differ in at most two of these per edit (a substitution takes one away and adds another,
    an insertion or a deletion one, a transposition none)."""
    seen: dict[str, int] = {}
    for ch in s:
        seen[ch] = seen.get(ch, 0) + 1
    return {(ch, k) for ch, n in seen.items() for k in range(1, n + 1)}


@lru_cache(maxsize=None)
def _at_least(k: int) -> bytes:
    """A ``bytes.translate`` table: a byte of value ≥ k → "1", below → "0"."""
    return bytes(ord("1") if value >= k else ord("0") for value in range(256))


class LetterColumns:
    """The skeletons of one length and, for each tagged letter, which of them have it: the
    bits of one int (bit i for skeleton i), so that a query tests them all at once."""

    def __init__(self, skeletons: Sequence[str]):
        self.skeletons = list(skeletons)
        self.length = len(self.skeletons[0]) if self.skeletons else 0
        assert all(len(s) == self.length for s in self.skeletons), "one length per group"
        self.everyone = (1 << len(self.skeletons)) - 1
        self.having: dict[tuple[str, int], int] = {}
        for ch in set().union(*self.skeletons):
            # how often each skeleton has the letter, one byte each, the last skeleton first
            counts = bytes(map(str.count, reversed(self.skeletons), repeat(ch)))
            for k in range(1, max(counts) + 1):  # (ch, k) is in the skeletons with ≥ k of ch
                self.having[ch, k] = int(counts.translate(_at_least(k)), 2)

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
        kept = bin(self.everyone & ~lacking_more_than[may_lack])[:1:-1]  # bit i at position i
        out = []
        i = kept.find("1")
        while i >= 0:
            out.append(self.skeletons[i])
            i = kept.find("1", i + 1)
        return out


class SkeletonNeighbours:
    """One-letter-deletion index over short skeletons, the lengths that can match for long
    queries, the reference as fallback."""

    def __init__(self, skeletons: Iterable[str]):
        self.by_length: dict[int, list[str]] = defaultdict(list)
        self.deletions: dict[str, list[str]] = defaultdict(list)
        self._columns: dict[int, LetterColumns] = {}  # by length, made on first use
        for s in skeletons:
            self.by_length[len(s)].append(s)
            if len(s) <= DELETION_MAX_LENGTH + 1:
                for d in one_letter_deletions(s) | {s}:
                    self.deletions[d].append(s)

    def search(self, query: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        if cutoff < 0.66:
            return search_reference(query, self.by_length, cutoff, limit)
        if len(query) > DELETION_MAX_LENGTH:
            return self._search_long(query, cutoff, limit)
        candidates: set[str] = set()
        for d in one_letter_deletions(query) | {query}:
            candidates.update(self.deletions.get(d, ()))
        scored = [(c, OSA.normalized_similarity(query, c)) for c in candidates]
        hits = [(c, score) for c, score in scored if score >= cutoff]
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits[:limit]

    def _search_long(self, query: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        """The reference's answer for a query longer than ``DELETION_MAX_LENGTH``: the same
        scorer and cutoff over the lengths that can match, a third fewer skeletons than the
        reference's plausible lengths."""
        letters = tagged_letters(query)
        choices: list[str] = []
        for length in plausible_lengths(len(query), cutoff):
            if not can_match(len(query), length, cutoff) or length not in self.by_length:
                continue
            columns = self._columns.get(length)
            if columns is None:
                columns = self._columns[length] = LetterColumns(self.by_length[length])
            # edits ≥ differing letters / 2; a hair of slack, as in can_match
            most = int(2 * (1.0 - cutoff) * max(len(query), length) + 1e-6)
            choices.extend(columns.differing_in_at_most(letters, most))
        found = process.extract(query, choices, scorer=OSA.normalized_similarity,
                                score_cutoff=cutoff, limit=None)
        found.sort(key=lambda hit: (-hit[1], hit[0]))
        return [(choice, score) for choice, score, _ in found[:limit]]
