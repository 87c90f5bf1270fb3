"""gazetteer.geodesy: Lambert's formula against geopy's geodesic, within the stated bound."""
from __future__ import annotations

import numpy as np
from geopy.distance import geodesic
from hypothesis import given, settings
from hypothesis import strategies as st

from gazetteer.geodesy import Points, lambert_error_km, lambert_km, lambert_km_list

# one end near Syria (the places), the other anywhere a 500 km search can reach from it
near_syria = st.tuples(st.floats(25.0, 45.0), st.floats(28.0, 50.0))
offset = st.tuples(st.floats(-5.0, 5.0), st.floats(-6.0, 6.0))
tiny = st.tuples(st.floats(-1e-4, 1e-4), st.floats(-1e-4, 1e-4))


@settings(max_examples=400, deadline=None)
@given(near_syria, st.one_of(offset, tiny))
def test_lambert_within_the_bound_of_geodesic(a, delta):
    (lat1, lon1), (dlat, dlon) = a, delta
    lat2, lon2 = lat1 + dlat, lon1 + dlon
    exact = geodesic((lat1, lon1), (lat2, lon2)).km
    fast = float(lambert_km(lat1, lon1, Points([lat2], [lon2]))[0])
    assert abs(fast - exact) <= lambert_error_km(exact)
    one_by_one = lambert_km_list(lat1, lon1, Points([lat2], [lon2]))[0]
    assert abs(one_by_one - exact) <= lambert_error_km(exact)
    assert abs(one_by_one - fast) <= 1e-12 * max(1.0, exact)  # the same formula, a few ulps


@settings(max_examples=100, deadline=None)
@given(st.floats(-80.0, 80.0), st.floats(-180.0, 180.0))
def test_a_point_and_itself(lat, lon):
    with np.errstate(divide="raise", invalid="raise"):  # no 0/0 on the way
        assert 0.0 <= lambert_km(lat, lon, Points([lat], [lon]))[0] < 1e-9  # km; ulps of atan
    assert 0.0 <= lambert_km_list(lat, lon, Points([lat], [lon]))[0] < 1e-9


def test_vectorised_equals_one_by_one():
    rng = np.random.default_rng(0)
    lats, lons = rng.uniform(32, 37, 50), rng.uniform(35, 42, 50)
    many = lambert_km(35.0, 38.0, Points(lats, lons))
    one = [lambert_km(35.0, 38.0, Points([y], [x]))[0] for y, x in zip(lats, lons)]
    assert np.array_equal(many, one)
    assert np.array_equal(Points(lats, lons).take([3, 7]).beta, Points(lats, lons).beta[[3, 7]])
