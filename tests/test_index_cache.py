"""The cached name index: same data and code → same index; other data → rebuilt; a cache
another user could write to is not used, and reading one cannot run code."""
from gazetteer import Gazetteer
import orjson
import pytest

from gazetteer.index import NameEntry
from gazetteer.index_cache import _COLUMN_TYPES, FORMAT, cache_key, read_entries, write_entries
from gazetteer.paths import data_dir


def test_cached_index_equals_a_fresh_one(tmp_path, monkeypatch):
    monkeypatch.setenv("GAZETTEER_CACHE", str(tmp_path))
    first = Gazetteer.load()
    assert list(tmp_path.glob("index-*.json"))
    second = Gazetteer.load()  # from the cache
    assert second.index.by_key == first.index.by_key
    assert second.index.entries == first.index.entries  # every field, of the same type
    assert [tuple(map(type, e)) for e in second.index.entries] == \
        [tuple(map(type, e)) for e in first.index.entries]
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
    assert len(list((tmp_path / "cache").glob("index-*.json"))) == 2
    assert len(part.index.entries) < len(full.index.entries)


def test_cache_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("GAZETTEER_CACHE", "off")
    monkeypatch.setenv("HOME", str(tmp_path))
    Gazetteer.load()
    assert not list(tmp_path.rglob("index-*.json"))


def test_a_cache_directory_others_can_write_to_is_not_used(tmp_path, monkeypatch):
    """A world-writable XDG_CACHE_HOME that another user made first: a file planted there under
    the expected name is never read, and nothing is written there."""
    shared = tmp_path / "xdg" / "syria-gazetteer"
    shared.mkdir(parents=True)
    shared.chmod(0o777)
    monkeypatch.delenv("GAZETTEER_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    raw = (data_dir() / "places.csv").read_bytes()
    planted = shared / f"index-{cache_key(raw)}.json"
    planted.write_text('{"format": "%s", "entries": [[0, "x", "khan tuman", "", "", false, "", "", 0]]}'
                       % FORMAT)
    gz = Gazetteer.load()
    assert gz.geocode("Khan Tuman", exactly_one=True).place.id == "C1015"
    assert len(gz.index.entries) > 1000  # built, not read from the planted file
    assert [p.name for p in shared.iterdir()] == [planted.name]


def test_the_cache_is_data_not_code(tmp_path, monkeypatch):
    """The old cache was a pickle: a planted one ran code on load.  Whatever is planted now is
    read as JSON or ignored."""
    monkeypatch.setenv("GAZETTEER_CACHE", str(tmp_path))
    tmp_path.chmod(0o700)
    raw = (data_dir() / "places.csv").read_bytes()
    import pickle

    class Boom:
        def __reduce__(self):
            return (exec, ("raise SystemExit('planted code ran')",))

    key = cache_key(raw)
    (tmp_path / f"index-{key}.pickle").write_bytes(pickle.dumps(Boom()))
    (tmp_path / f"index-{key}.json").write_bytes(pickle.dumps(Boom()))
    (tmp_path / f"index-{key}.json").chmod(0o600)
    gz = Gazetteer.load()  # neither file runs code; the index is rebuilt and stored as JSON
    assert gz.geocode("Khan Tuman", exactly_one=True).place.id == "C1015"
    assert (tmp_path / f"index-{key}.json").read_text(encoding="utf-8").startswith('{"format"')


def test_the_columns_are_the_entry_fields():
    assert tuple(_COLUMN_TYPES) == NameEntry._fields


ENTRIES = [NameEntry(0, "Khan Tuman", "khan tuman", "KNTMN", "KN TMN", False, "kan tuman", "χntmn", 0.0),
           NameEntry(1, "خان طومان", "خان طومان", "KNTMN", "KN TMN", True, "kan tuman", "χntmn", 0.04)]


def test_entries_round_trip(tmp_path):
    tmp_path.chmod(0o700)
    write_entries(tmp_path / "index.json", ENTRIES)
    assert read_entries(tmp_path / "index.json", places=2) == ENTRIES
    assert read_entries(tmp_path / "index.json", places=1) is None  # an entry points past the places


@pytest.mark.parametrize("change", [
    lambda cols: cols["place"].__setitem__(0, "0"),  # a string where a number belongs
    lambda cols: cols["place"].__setitem__(0, -1),
    lambda cols: cols["arabic"].__setitem__(0, 0),  # 0 is not False here
    lambda cols: cols["penalty"].__setitem__(1, "0.04"),
    lambda cols: cols["name"].pop(),  # columns of different lengths
    lambda cols: cols.pop("fine"),
])
def test_a_malformed_file_is_ignored(tmp_path, change):
    tmp_path.chmod(0o700)
    path = tmp_path / "index.json"
    write_entries(path, ENTRIES)
    doc = orjson.loads(path.read_bytes())
    change(doc["columns"])
    path.write_bytes(orjson.dumps(doc))
    assert read_entries(path, places=2) is None


def test_loading_leaves_the_collector_as_it_found_it():
    import gc

    assert gc.isenabled()
    Gazetteer.load(curation=False)
    assert gc.isenabled()
    gc.disable()
    try:
        Gazetteer.load(curation=False)
        assert not gc.isenabled()
    finally:
        gc.enable()
