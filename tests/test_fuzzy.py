"""The fast paths (deletion index for short queries, length and letter-set bounds for long ones)
return exactly what the plain rapidfuzz reference returns."""
from collections import defaultdict

from hypothesis import given, settings, strategies as st

from gazetteer.fuzzy import DELETION_MAX_LENGTH, SkeletonNeighbours, search_reference

skeleton = st.text(alphabet="BTJHKDRZSXFLMN", min_size=1, max_size=9)
long_skeleton = st.text(alphabet="BTJHKDRZSXFLMN", min_size=6, max_size=16)


@given(st.lists(skeleton, min_size=1, max_size=60, unique=True), skeleton)
@settings(max_examples=400, deadline=None)
def test_fast_path_equals_reference(skeletons, query):
    index = SkeletonNeighbours(skeletons)
    by_length = defaultdict(list)
    for s in skeletons:
        by_length[len(s)].append(s)
    cutoff = 0.72 if len(query) >= 4 else 0.66
    assert index.search(query, cutoff, limit=1000) == search_reference(query, by_length, cutoff, 1000)


def test_finds_one_edit_neighbours():
    index = SkeletonNeighbours(["KNTMN", "KNSFR", "HLB", "DRZR"])
    assert [s for s, _ in index.search("KSNFR", 0.72, 10)] == ["KNSFR"]  # a transposition
    assert [s for s, _ in index.search("HLB", 0.66, 10)] == ["HLB"]
    assert index.search("XXXX", 0.72, 10) == []


@st.composite
def skeletons_and_a_near_query(draw):
    skeletons = draw(st.lists(skeleton, min_size=1, max_size=40, unique=True))
    base = draw(st.sampled_from(skeletons))
    ops = draw(st.lists(st.tuples(st.sampled_from("idst"), st.integers(0, 9),
                                  st.sampled_from("BTJHKDRZSXFLMN")), max_size=2))
    q = base
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
    return skeletons, q


@given(skeletons_and_a_near_query())
@settings(max_examples=600, deadline=None)
def test_fast_path_equals_reference_near_misses(case):
    skeletons, query = case
    test_fast_path_equals_reference.hypothesis.inner_test(skeletons, query)


@given(st.lists(st.one_of(skeleton, long_skeleton), min_size=1, max_size=80, unique=True),
       long_skeleton, st.sampled_from([0.66, 0.72, 0.8]))
@settings(max_examples=400, deadline=None)
def test_long_queries_equal_reference(skeletons, query, cutoff):
    if len(query) <= DELETION_MAX_LENGTH:  # an edited query may be short: the cutoffs used
        cutoff = 0.72 if len(query) >= 4 else 0.66
    index = SkeletonNeighbours(skeletons)
    by_length = defaultdict(list)
    for s in skeletons:
        by_length[len(s)].append(s)
    assert index.search(query, cutoff, limit=1000) == search_reference(query, by_length, cutoff, 1000)


@st.composite
def long_skeletons_and_a_near_query(draw):
    """A long skeleton edited two or three times: the letter-set bound must keep it."""
    skeletons = draw(st.lists(st.one_of(skeleton, long_skeleton), min_size=1, max_size=40, unique=True))
    base = draw(long_skeleton)
    if base not in skeletons:
        skeletons.append(base)
    ops = draw(st.lists(st.tuples(st.sampled_from("idst"), st.integers(0, 16),
                                  st.sampled_from("BTJHKDRZSXFLMN")), min_size=1, max_size=3))
    return skeletons, apply_edits(base, ops)


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


@given(long_skeletons_and_a_near_query(), st.sampled_from([0.66, 0.72]))
@settings(max_examples=600, deadline=None)
def test_long_near_misses_equal_reference(case, cutoff):
    skeletons, query = case
    test_long_queries_equal_reference.hypothesis.inner_test(skeletons, query, cutoff)
