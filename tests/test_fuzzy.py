"""The fast path (length and letter bounds, then the scorer) returns exactly what the plain
rapidfuzz reference returns, for short and long skeletons and any cutoff."""
from collections import defaultdict

import pytest
from hypothesis import given, settings, strategies as st

from gazetteer.fuzzy import LetterColumns, SkeletonNeighbours, search_reference, tagged_letters

LETTERS = "BTJHKDRZSXFLMN"
skeleton = st.text(alphabet=LETTERS, min_size=1, max_size=9)
long_skeleton = st.text(alphabet=LETTERS, min_size=6, max_size=16)
# the cutoffs the matcher uses (0.66 up to 3 letters, 0.72 above) and others around them
cutoff = st.sampled_from([0.5, 0.66, 0.72, 0.8, 0.9])


def reference(skeletons, query, cut, limit=1000):
    by_length = defaultdict(list)
    for s in skeletons:
        by_length[len(s)].append(s)
    return search_reference(query, by_length, cut, limit)


@given(st.lists(st.one_of(skeleton, long_skeleton), min_size=1, max_size=80, unique=True),
       st.one_of(skeleton, long_skeleton), cutoff)
@settings(max_examples=500, deadline=None)
def test_fast_path_equals_reference(skeletons, query, cut):
    assert SkeletonNeighbours(skeletons).search(query, cut, limit=1000) == reference(skeletons, query, cut)


def apply_edits(q, ops):
    for op, pos, ch in ops:
        pos = pos % (len(q) + 1)
        if op == "i":
            q = q[:pos] + ch + q[pos:]
        elif op == "d" and len(q) > 1 and pos < len(q):
            q = q[:pos] + q[pos + 1:]
        elif op == "s" and pos < len(q):
            q = q[:pos] + ch + q[pos + 1:]
        elif op == "t" and pos + 1 < len(q):
            q = q[:pos] + q[pos + 1] + q[pos] + q[pos + 2:]
    return q


@st.composite
def skeletons_and_a_near_query(draw):
    """A query a few edits from one of the skeletons: the bounds must keep that one."""
    skeletons = draw(st.lists(st.one_of(skeleton, long_skeleton), min_size=1, max_size=40, unique=True))
    base = draw(st.sampled_from(skeletons))
    ops = draw(st.lists(st.tuples(st.sampled_from("idst"), st.integers(0, 16),
                                  st.sampled_from(LETTERS)), min_size=1, max_size=3))
    return skeletons, apply_edits(base, ops)


@given(skeletons_and_a_near_query(), cutoff)
@settings(max_examples=800, deadline=None)
def test_fast_path_equals_reference_near_misses(case, cut):
    skeletons, query = case
    assert SkeletonNeighbours(skeletons).search(query, cut, limit=1000) == reference(skeletons, query, cut)


def test_limit_keeps_the_best():
    skeletons = ["KNTMN", "KNTMR", "KNTBN", "HLB"]
    index = SkeletonNeighbours(skeletons)
    assert index.search("KNTMN", 0.72, 2) == reference(skeletons, "KNTMN", 0.72, 2)
    assert index.search("KNTMN", 0.72, 2)[0] == ("KNTMN", 1.0)


def test_finds_one_edit_neighbours():
    index = SkeletonNeighbours(["KNTMN", "KNSFR", "HLB", "DRZR"])
    assert [s for s, _ in index.search("KSNFR", 0.72, 10)] == ["KNSFR"]  # a transposition
    assert [s for s, _ in index.search("HLB", 0.66, 10)] == ["HLB"]
    assert index.search("XXXX", 0.72, 10) == []


def test_letters_are_told_apart_by_occurrence():
    assert tagged_letters("KNTMN") == {("K", 1), ("N", 1), ("T", 1), ("M", 1), ("N", 2)}


def test_letter_columns():
    columns = LetterColumns(["KNTMN", "KNSFR", "DRZRN"])
    assert columns.having["N", 2] == 0b001  # only KNTMN has two N
    assert columns.having["N", 1] == 0b111
    assert columns.differing_in_at_most(tagged_letters("KNTMN"), 0) == ["KNTMN"]
    assert columns.differing_in_at_most(tagged_letters("KNSFN"), 2) == ["KNSFR"]  # R → N
    with pytest.raises(ValueError):
        LetterColumns(["KNTMN", "HLB"])


def test_letter_columns_of_more_letters_than_a_byte_numbers():
    """Over 256 distinct letters the columns are made the slower way, and are the same."""
    rng = __import__("random").Random(5)
    alphabet = [chr(0x400 + i) for i in range(300)]
    skeletons = sorted({"".join(rng.choices(alphabet, k=4)) for _ in range(200)})
    assert len(set("".join(skeletons))) > 256
    index = SkeletonNeighbours(skeletons)
    for query in skeletons[:20] + [s[:3] + alphabet[0] for s in skeletons[20:40]]:
        assert index.search(query, 0.5, 1000) == reference(skeletons, query, 0.5)
