"""Fuzzy search over consonant skeletons: a fast path and the plain reference it must equal.

``search_reference`` is rapidfuzz's ``process.extract`` over every skeleton of a plausible
length.  ``SkeletonNeighbours.search`` gives the same answer faster for short queries: at the
cutoffs used (≥ 0.66 up to 3 letters, ≥ 0.72 above), a query of at most
``DELETION_MAX_LENGTH`` letters can only match skeletons of at most one letter more, within one
edit; and two strings within one edit (insertion, deletion, substitution or transposition)
share a one-letter deletion of each (or one is the other's).  So a dictionary from one-letter
deletions to skeletons finds every candidate with a few lookups (SymSpell's idea).  Longer
queries take the reference path.  ``tests/test_fuzzy.py`` checks that the two agree.
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


class SkeletonNeighbours:
    """One-letter-deletion index over short skeletons, with the reference as fallback."""

    def __init__(self, skeletons: Iterable[str]):
        self.by_length: dict[int, list[str]] = defaultdict(list)
        self.deletions: dict[str, list[str]] = defaultdict(list)
        for s in skeletons:
            self.by_length[len(s)].append(s)
            if len(s) <= DELETION_MAX_LENGTH + 1:
                for d in one_letter_deletions(s) | {s}:
                    self.deletions[d].append(s)

    def search(self, query: str, cutoff: float, limit: int) -> list[tuple[str, float]]:
        if len(query) > DELETION_MAX_LENGTH or cutoff < 0.66:
            return search_reference(query, self.by_length, cutoff, limit)
        candidates: set[str] = set()
        for d in one_letter_deletions(query) | {query}:
            candidates.update(self.deletions.get(d, ()))
        scored = [(c, OSA.normalized_similarity(query, c)) for c in candidates]
        hits = [(c, score) for c, score in scored if score >= cutoff]
        hits.sort(key=lambda hit: (-hit[1], hit[0]))
        return hits[:limit]
