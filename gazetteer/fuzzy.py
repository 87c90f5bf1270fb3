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


class SkeletonNeighbours:
    """One-letter-deletion index over short skeletons, the lengths that can match for long
    queries, the reference as fallback."""

    def __init__(self, skeletons: Iterable[str]):
        self.by_length: dict[int, list[str]] = defaultdict(list)
        self.deletions: dict[str, list[str]] = defaultdict(list)
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
        choices: list[str] = []
        for length in plausible_lengths(len(query), cutoff):
            if can_match(len(query), length, cutoff):
                choices.extend(self.by_length.get(length, ()))
        found = process.extract(query, choices, scorer=OSA.normalized_similarity,
                                score_cutoff=cutoff, limit=None)
        found.sort(key=lambda hit: (-hit[1], hit[0]))
        return [(choice, score) for choice, score, _ in found[:limit]]
