"""Benchmark: loading the gazetteer with a curation overlay of 1,000 aliases and 200 new places,
beside loading the bundled data alone, in the same run.

    .venv/bin/python bench/bench_curation.py [--aliases 1000] [--places 200] [--repeat 5]

The overlay is made in a temporary SQLite store: aliases on distinct villages and towns (made-up
names, one per place), new camps 300 m from existing villages under the same sub-district.  The
changes are written straight to the store (``Store.append``), not through the checks, which are
not what is measured here (the last lines time a few checked writes through ``Curator``).

Each load runs in a fresh process (as a CLI command or a service worker would), after one
unmeasured load that fills the index cache; the figure is the median of ``--repeat`` runs:

* bundled: ``Gazetteer.load(curation=False)``;
* with the overlay: ``Gazetteer.load(curation=STORE)`` (reads the changes, replays them into rows,
  folds the names of the ~1,200 places they touch and amends the bundled index).

The target (issue 10) is an overlay cost under 1 s on top of the bundled load.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOAD = """
import time, sys
t = time.perf_counter()
from gazetteer import Gazetteer
gz = Gazetteer.load(curation={curation})
seconds = time.perf_counter() - t
assert len(gz) >= {min_places}, len(gz)
print(seconds)
"""


def made_up_name(i: int) -> str:
    letters = "bdfgklmnprstvz"
    vowels = "aeiou"
    out = []
    for _ in range(4):
        out.append(letters[i % len(letters)] + vowels[(i // len(letters)) % len(vowels)])
        i //= len(letters) * len(vowels) // 3 or 1
    return "".join(out).capitalize() + " Qurb"


def make_overlay(store_path: str, n_aliases: int, n_places: int) -> int:
    from gazetteer import Gazetteer
    from gazetteer.curation import open_store
    from gazetteer.curation.store import NewChange

    gz = Gazetteer.load(curation=False)
    villages = [p for p in gz.places if p.type in ("village", "town") and p.admin3]
    store = open_store(store_path)
    with store.write() as conn:
        for i, place in enumerate(villages[:n_aliases]):
            store.append(conn, NewChange("add-alias", place.id, {"name": made_up_name(i) + f" {i}"},
                                         author="bench", reason="benchmark alias"))
        for i, place in enumerate(villages[n_aliases:n_aliases + n_places]):
            store.append(conn, NewChange(
                "add-place", "", {"type": "camp", "name_en": f"Bench camp {made_up_name(i)}",
                                  "name_ar": f"مخيم تجريبي {i}", "lat": place.lat + 0.0027,
                                  "lon": place.lon, "parent_id": place.admin3.pcode},
                author="bench", reason="benchmark place", place_id_from_id=True))
    count = store.head()
    store.close()
    return count


def load_seconds(curation: str, min_places: int) -> float:
    code = LOAD.format(curation=curation, min_places=min_places)
    env = dict(os.environ, GAZETTEER_CURATION="off")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=ROOT, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def checked_writes(store_path: str, n: int) -> float:
    """Seconds per write through ``Curator.add_alias`` (checks, store, overlay rebuilt)."""
    from gazetteer import Gazetteer

    gz = Gazetteer.load(curation=store_path)
    places = [p for p in gz.places if p.type == "village"][-n:]
    start = time.perf_counter()
    for i, place in enumerate(places):
        gz.curation.add_alias(place.id, made_up_name(10_000 + i) + " Checked", who="bench",
                              why="benchmark")
    return (time.perf_counter() - start) / n


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--aliases", type=int, default=1000)
    ap.add_argument("--places", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--writes", type=int, default=50)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = os.path.join(tmp, "curation.sqlite3")
        changes = make_overlay(store, args.aliases, args.places)
        load_seconds("False", 14000)  # fills the index cache
        bundled, curated = [], []
        for _ in range(args.repeat):  # interleaved, so that a busy moment hits both alike
            bundled.append(load_seconds("False", 14000))
            curated.append(load_seconds(repr(store), 14000 + args.places))
        b, c = statistics.median(bundled), statistics.median(curated)
        print(f"overlay: {changes} changes ({args.aliases} aliases, {args.places} new places), "
              f"SQLite, {args.repeat} fresh processes each, median")
        print(f"load, bundled data only:      {b:.3f} s  (runs: "
              f"{', '.join(f'{x:.3f}' for x in bundled)})")
        print(f"load, bundled + the overlay:  {c:.3f} s  (runs: "
              f"{', '.join(f'{x:.3f}' for x in curated)})")
        print(f"overlay cost:                 {c - b:+.3f} s  (target < 1 s)")
        per_write = checked_writes(store, args.writes)
        print(f"checked writes on top of it:  {per_write * 1000:.1f} ms each "
              f"(Curator.add_alias x{args.writes}: checks, SQLite commit, overlay applied)")


if __name__ == "__main__":
    main()
