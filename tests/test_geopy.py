"""The geopy adapter: a drop-in ``Geocoder`` that answers from the local gazetteer."""
from __future__ import annotations

import asyncio

import pytest
from geopy.adapters import BaseAsyncAdapter
from geopy.exc import GeocoderQueryError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders.base import Geocoder
from geopy.location import Location
from geopy.point import Point

from gazetteer.batch import shared_gazetteer
from gazetteer.geopy import SyriaGazetteer


@pytest.fixture(scope="module")
def geolocator():
    return SyriaGazetteer(shared_gazetteer())


def test_is_a_geopy_geocoder_and_geocodes(geolocator):
    assert isinstance(geolocator, Geocoder)
    loc = geolocator.geocode("خان شيخون")
    assert isinstance(loc, Location)
    assert loc.raw["properties"]["id"] == "C3987" and loc.raw["properties"]["confidence"] >= 0.8
    assert 35 < loc.latitude < 36 and 36 < loc.longitude < 37
    assert loc.address.endswith(", Idleb, Syria")
    assert geolocator.geocode("خان شيخون", language="ar").address.endswith("، إدلب، سوريا")


def test_geocode_lists_none_and_errors(geolocator):
    many = geolocator.geocode("Aleppo", exactly_one=False, limit=3)
    assert isinstance(many, list) and 1 <= len(many) <= 3
    assert all(isinstance(x, Location) for x in many)
    assert geolocator.geocode("qxqxqxqxzzkk") is None
    assert geolocator.geocode("qxqxqxqxzzkk", exactly_one=False) is None
    with pytest.raises(GeocoderQueryError):
        geolocator.geocode("   ")
    structured = geolocator.geocode({"city": "Tedef", "state": "Aleppo", "country": "Syria"})
    assert structured.raw == geolocator.geocode("Tedef, Aleppo").raw


def test_reverse_nearest_place(geolocator):
    khan = geolocator.geocode("خان شيخون")
    loc = geolocator.reverse(Point(khan.latitude + 0.001, khan.longitude))
    assert loc.raw["properties"]["id"] == "C3987"
    assert loc.raw["properties"]["distance_km"] == pytest.approx(0.111, abs=0.01)
    assert geolocator.reverse(f"{khan.latitude}, {khan.longitude}").address == khan.address
    near = geolocator.reverse((khan.latitude, khan.longitude), exactly_one=False, limit=3)
    dists = [x.raw["properties"]["distance_km"] for x in near]
    assert len(near) == 3 and dists == sorted(dists)
    assert geolocator.reverse((48.85, 2.35)) is None  # Paris has no Syrian address
    with pytest.raises(GeocoderQueryError):
        geolocator.reverse("not a point")


def test_works_with_geopy_tools(geolocator):
    geocode = RateLimiter(geolocator.geocode, min_delay_seconds=0)
    assert geocode("Homs").raw["properties"]["name_en"]


class _AsyncAdapter(BaseAsyncAdapter):
    async def get_json(self, url, *, timeout, headers):  # pragma: no cover - never called
        raise AssertionError("no network")

    async def get_text(self, url, *, timeout, headers):  # pragma: no cover
        raise AssertionError("no network")


def test_async_adapter_returns_coroutines():
    geolocator = SyriaGazetteer(shared_gazetteer(), adapter_factory=_AsyncAdapter)
    loc = asyncio.run(geolocator.geocode("Homs"))
    assert isinstance(loc, Location)


def test_reverse_in_the_desert_answers_the_subdistrict(geolocator):
    loc = geolocator.reverse((34.5, 39.5), max_km=1)
    if loc is None or loc.raw["properties"].get("role") != "admin":
        pytest.skip("a place lies within 1 km, or this gazetteer has no admin polygons")
    assert loc.raw["properties"]["admin1"]["pcode"] == loc.raw["properties"]["point_admin1"]
    assert loc.address.endswith(", Syria") and (loc.latitude, loc.longitude) == (34.5, 39.5)


def test_reverse_without_the_library_reverse_uses_the_nearest_place():
    gz = shared_gazetteer()

    class PlacesOnly:  # a gazetteer from before reverse geocoding existed
        places = gz.places

    geolocator = SyriaGazetteer(PlacesOnly())
    loc = geolocator.reverse((35.4437, 36.6504))
    assert loc.raw["properties"]["id"] == "C3987" and loc.raw["properties"]["distance_km"] < 0.1
    assert geolocator.reverse((48.85, 2.35)) is None
