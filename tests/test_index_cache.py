"""The pickled name index: same data and code → same index; other data → rebuilt."""
from gazetteer import Gazetteer
from gazetteer.paths import data_dir


def test_cached_index_equals_a_fresh_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GAZETTEER_CACHE", str(tmp_path))
    first = Gazetteer.load()
    assert list(tmp_path.glob("index-*.pickle"))
    second = Gazetteer.load()  # from the cache
    assert second.index.by_key == first.index.by_key
    assert second.index.places is second.places
    assert second.geocode("Khan Tuman", exactly_one=True).place.id == "C1015"


def test_changed_data_gets_its_own_index(tmp_path, monkeypatch):
    monkeypatch.setenv("GAZETTEER_CACHE", str(tmp_path / "cache"))
    text = (data_dir() / "places.csv").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    small = tmp_path / "places.csv"
    small.write_text("".join(lines[:200]), encoding="utf-8")
    full = Gazetteer.load()
    part = Gazetteer.load(small)
    assert len(part.places) == 199
    assert len(list((tmp_path / "cache").glob("index-*.pickle"))) == 2
    assert len(part.index.entries) < len(full.index.entries)


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("GAZETTEER_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    Gazetteer.load()
    assert not list(tmp_path.rglob("index-*.pickle"))
