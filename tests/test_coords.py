"""gazetteer.coords: every accepted form of a point, and clear errors for the rest."""
from __future__ import annotations

import math

import geopy
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer import CoordinateError, GazetteerError
from gazetteer.coords import parse_point, parse_points


@pytest.mark.parametrize("value", [
    "36.2,37.1", "36.2, 37.1", " 36.2 37.1 ", "36.2;37.1", "(36.2, 37.1)", "[36.2,37.1]",
    "36°12'N 37°06'E", "36 12m 0s N 37 6m 0s E", (36.2, 37.1), [36.2, 37.1], np.array([36.2, 37.1]),
    geopy.Point(36.2, 37.1), {"lat": 36.2, "lon": 37.1}, {"latitude": 36.2, "longitude": 37.1},
])
def test_accepted_forms(value):
    assert parse_point(value) == pytest.approx((36.2, 37.1))


def test_two_arguments():
    assert parse_point(36.2, 37.1) == (36.2, 37.1)
    assert parse_point("36.2", "37.1") == (36.2, 37.1)
    assert parse_point(np.float32(36.5), np.int64(37)) == (36.5, 37.0)
    assert parse_point("-33.5,-70.25") == (-33.5, -70.25)
    assert parse_point("36.2 S, 37.1 W") == pytest.approx((-36.2, -37.1))


@pytest.mark.parametrize("args, words", [
    (("nan,37",), "latitude is NaN"),
    ((36.0, float("nan")), "longitude is NaN"),
    ((float("inf"), 1.0), "latitude is infinite"),
    (("95,37",), "latitude 95 is out of range [-90, 90]"),
    ((-90.5, 0),  "out of range [-90, 90]"),
    (("36,200",), "longitude 200 is out of range [-180, 180]"),
    (("36N 200E",), "longitude 200 is out of range"),  # geopy would wrap it to -160 silently
    ((36, -180.01), "out of range [-180, 180]"),
    (("abc",), "cannot read 'abc' as a point"),
    (("36.2;x",), "cannot read"),
    (("",), "empty"),
    (("36.2",), "only a latitude"),
    ((36.2,), "only a latitude"),
    ((None,), "no point given"),
    ((None, 37.0), "latitude is missing"),
    ((36.0, "east"), "longitude is not a number: 'east'"),
    ((True, 37.0), "latitude must be a number"),
    (([1, 2, 3],), "needs 2 values"),
    ((object(),), "cannot read a point from object"),
    (("9," * 200,), "longer than 256"),
])
def test_errors_name_the_problem(args, words):
    with pytest.raises(CoordinateError) as exc:
        parse_point(*args)
    assert words in str(exc.value)
    assert isinstance(exc.value, ValueError) and isinstance(exc.value, GazetteerError)


def test_swapped_order_hint():
    with pytest.raises(CoordinateError, match="latitude comes first"):
        parse_point(120.0, 35.0)


def test_shapely_point_rejected_with_advice():
    from shapely import Point

    with pytest.raises(CoordinateError, match=r"point.y, point.x"):
        parse_point(Point(37.1, 36.2))


def test_bounds_are_inclusive():
    assert parse_point(90, 180) == (90.0, 180.0)
    assert parse_point(-90, -180) == (-90.0, -180.0)


@settings(max_examples=60, deadline=None)
@given(st.floats(-90, 90), st.floats(-180, 180), st.sampled_from([",", ", ", ";", " "]))
def test_string_round_trip(lat, lon, sep):
    assert parse_point(f"{lat!r}{sep}{lon!r}") == (lat, lon)


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=True, allow_infinity=True), st.floats(allow_nan=True, allow_infinity=True))
def test_any_float_pair_is_accepted_or_refused_cleanly(lat, lon):
    try:
        y, x = parse_point(lat, lon)
    except CoordinateError:
        assert not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180)
    else:
        assert (y, x) == (lat, lon)


# -- many points ------------------------------------------------------------------------------
def test_parse_points_forms():
    ys, xs = parse_points([(36.2, 37.1), (33.5, 36.3)])
    assert ys.tolist() == [36.2, 33.5] and xs.tolist() == [37.1, 36.3]
    ys, xs = parse_points(np.array([[36.2, 37.1]]))
    assert ys.tolist() == [36.2]
    ys, xs = parse_points([36.2, 33.5], [37.1, 36.3])
    assert xs.tolist() == [37.1, 36.3]
    ys, xs = parse_points(["36.2,37.1", geopy.Point(33.5, 36.3), (1, 2)])
    assert ys.tolist() == [36.2, 33.5, 1.0] and xs.tolist() == [37.1, 36.3, 2.0]
    ys, xs = parse_points(p for p in [(1, 2)])
    assert ys.tolist() == [1.0]
    ys, xs = parse_points([])
    assert len(ys) == len(xs) == 0


@pytest.mark.parametrize("args, words", [
    (([(36.2, 37.1), (91, 37.1)],), "point 1: latitude 91 is out of range"),
    (([(36.2, 37.1), (36.2, float("nan"))],), "point 1: longitude is NaN"),
    ((["36.2,37.1", "x"],), "point 1: cannot read 'x'"),
    (([36.2, 37.1],), "plain numbers"),
    ((np.zeros((3, 3)),), "shape (3, 3)"),
    (("36.2,37.1",), "sequence of points"),
    (([1.0, 2.0], [1.0]), "equal length"),
    (([1.0, 200.0], [1.0, 2.0]), "point 1: latitude 200"),
])
def test_parse_points_errors(args, words):
    with pytest.raises(CoordinateError) as exc:
        parse_points(*args)
    assert words in str(exc.value)


@pytest.mark.parametrize("text, words", [
    ("36.2 37.1 5", "read 3"),
    ("36,2 37,1", "decimal commas? write 36.2,37.1"),
    ("36.2,37.15,5", "read 3"),
    ("36°12'N 37°9'E 5km", "altitude"),
])
def test_a_point_is_exactly_two_numbers(text, words):
    with pytest.raises(CoordinateError, match="exactly two numbers|altitude") as err:
        parse_point(text)
    assert words in str(err.value)
