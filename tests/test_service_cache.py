"""The service's response cache and JSON encoder: the answers are those computed without them."""
from __future__ import annotations

import json

import pytest

from gazetteer.batch import shared_gazetteer
from service import ConfigError, create_app
from service.encoder import make_dumps
from service.response_cache import ResponseCache

GEOCODE_URLS = [
    "/v1/geocode?q=Aleppo", "/v1/geocode?q=aleppo", "/v1/geocode?q=%D8%AD%D9%84%D8%A8",
    "/v1/geocode?q=Frikeh&limit=3", "/v1/geocode?q=Frikeh&admin1=Hama&type=village",
    "/v1/geocode?q=Frikeh&admin1=SY05&type=village", "/v1/geocode?q=Frikeh&limit=3&format=json",
    "/v1/geocode?q=Frikeh&limit=3&format=jsonv2", "/v1/geocode?q=xqxqxq",
    "/v1/geocode?q=Homs&countrycodes=tr", "/v1/geocode?q=Homs&countrycodes=sy,tr",
    "/v1/geocode?q=Homs&min_confidence=0.9", "/v1/geocode?text=Homs&size=2",
    "/v1/geocode?q=Kuweires%20Military%20Air%20Base",
]


@pytest.fixture(scope="module")
def gz():
    return shared_gazetteer()


def app_with(gz, **config):
    return create_app({"GAZETTEER": gz, "TESTING": True, "WARM_UP": False, **config})


def normalised_keys(client):
    return [k for k in client.application.extensions["response_cache"]._data if k[0] == "geocode"]


def answer(resp):
    return resp.status_code, sorted(resp.headers.items()), resp.get_data()


def test_a_cached_answer_is_the_computed_one_byte_for_byte(gz):
    cached = app_with(gz).test_client()
    uncached = app_with(gz, RESPONSE_CACHE_SIZE=0).test_client()
    for url in GEOCODE_URLS:
        first = answer(cached.get(url))  # computed, then kept
        again = answer(cached.get(url))  # from the cache
        plain = answer(uncached.get(url))
        assert first == again == plain, url
        assert first[0] == 200
    cache = cached.application.extensions["response_cache"]
    # one answer per distinct request: the governorate by name and by p-code share one; the
    # second time each query string is found as sent
    assert len(normalised_keys(cached)) == len(GEOCODE_URLS) - 1
    assert len(cache) == 2 * len(GEOCODE_URLS) - 1 and cache.hits == len(GEOCODE_URLS) + 1
    assert len(uncached.application.extensions["response_cache"]) == 0
    # the same request written differently: found by its validated inputs, the same bytes
    assert answer(cached.get("/v1/geocode?limit=3&q=Frikeh")) == \
        answer(cached.get("/v1/geocode?q=Frikeh&limit=3")) == \
        answer(uncached.get("/v1/geocode?q=Frikeh&limit=03"))


def test_options_that_change_the_answer_are_in_the_key(gz):
    client = app_with(gz).test_client()
    bodies = {url: client.get(url).get_json() for url in GEOCODE_URLS}
    assert bodies["/v1/geocode?q=Aleppo"]["query"] == "Aleppo"
    assert bodies["/v1/geocode?q=aleppo"]["query"] == "aleppo"  # the query is echoed as written
    assert len(bodies["/v1/geocode?q=Frikeh&limit=3"]["features"]) == 2 < len(
        client.get("/v1/geocode?q=Frikeh&limit=3&min_confidence=0").get_json()["features"])
    assert bodies["/v1/geocode?q=Homs&countrycodes=tr"]["features"] == []
    assert bodies["/v1/geocode?q=Homs&countrycodes=sy,tr"]["features"]
    assert isinstance(bodies["/v1/geocode?q=Frikeh&limit=3&format=json"], list)
    assert "category" in bodies["/v1/geocode?q=Frikeh&limit=3&format=jsonv2"][0]
    # the governorate by name or by p-code: one key, one entry
    assert len(normalised_keys(client)) == len(GEOCODE_URLS)  # + min_confidence=0, - p-code twin


def test_errors_are_not_cached(gz):
    client = app_with(gz).test_client()
    for _ in range(2):
        assert client.get("/v1/geocode?q=Homs&limit=0").status_code == 400
        assert client.get("/v1/geocode?q=Homs&admin1=Atlantis").status_code == 422
    assert len(client.application.extensions["response_cache"]) == 0


def test_orjson_writes_the_same_json_as_the_standard_library(gz):
    fast = app_with(gz, RESPONSE_CACHE_SIZE=0).test_client()
    slow = app_with(gz, RESPONSE_CACHE_SIZE=0, JSON_ENCODER="json").test_client()
    for url in GEOCODE_URLS + ["/v1/reverse?lat=36.2&lon=37.1", "/v1/places/C1007",
                               "/v1/places?limit=20&admin1=SY02"]:
        a, b = fast.get(url), slow.get(url)
        assert a.status_code == b.status_code == 200

        def headers(r):
            return sorted((k, v) for k, v in r.headers.items() if k != "Content-Length")

        assert headers(a) == headers(b)  # compact JSON: only the length differs
        assert json.loads(a.get_data()) == json.loads(b.get_data()), url
    # the standard library's bytes are the service's old ones
    body = slow.get("/v1/geocode?q=Homs").get_data(as_text=True)
    assert body == json.dumps(json.loads(body), ensure_ascii=False)


def test_encoder_falls_back_where_orjson_cannot_write():
    import numpy as np

    dumps = make_dumps("orjson", None)
    assert json.loads(dumps({"big": 2**70, "nan": float("nan")}).decode().replace("NaN", "null")) \
        == {"big": 2**70, "nan": None}
    assert json.loads(dumps({"x": np.float64(1.5), "n": np.int64(3)})) == {"x": 1.5, "n": 3}
    assert make_dumps("orjson", 4)({"a": [1]}) == b'{\n    "a": [\n        1\n    ]\n}'
    assert make_dumps("orjson", 2)({"a": 1}) == b'{\n  "a": 1\n}'
    assert make_dumps("json", None)({"a": "حلب"}) == '{"a": "حلب"}'.encode()


def test_the_cache_is_bounded_by_entries_and_bytes():
    cache = ResponseCache(max_entries=3, max_bytes=1600)
    for i in range(5):
        cache.put(i, (b"x" * 90, "t"))
    assert list(cache._data) == [2, 3, 4] and cache.size_bytes == 270
    assert cache.get(2) is not None  # now the most recent: 3 goes next
    cache.put(5, (b"y" * 90, "t"))
    assert list(cache._data) == [4, 2, 5]
    cache.put(6, (b"z" * 100, "t"))  # = max_bytes // 16: kept
    cache.put(7, (b"z" * 101, "t"))  # one answer over a 16th of the budget: never kept
    assert 7 not in cache._data and 6 in cache._data
    big = ResponseCache(max_entries=100, max_bytes=1600)
    for i in range(30):
        big.put(i, (b"x" * 100, "t"))
    assert big.size_bytes <= 1600 and len(big) == 16
    off = ResponseCache(0, 1600)
    off.put(1, (b"x", "t"))
    assert len(off) == 0 and not off.enabled


@pytest.mark.parametrize("setting, value", [("RESPONSE_CACHE_SIZE", -1),
                                            ("RESPONSE_CACHE_BYTES", "lots"),
                                            ("JSON_ENCODER", "ujson")])
def test_bad_settings_stop_the_start(gz, setting, value):
    with pytest.raises(ConfigError, match=setting):
        app_with(gz, **{setting: value})
