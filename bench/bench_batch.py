"""Batch geocoding benchmark: rows/s (cached and distinct names), memory on a 1-million-row file,
and the baseline an analyst would write: pandas ``apply`` over the Python API.

    python bench/bench_batch.py                  # everything, ~1-2 minutes on one core
    python bench/bench_batch.py --rows 200000    # a smaller "big file"
    python bench/bench_batch.py --json bench/out/batch.json

Files are generated under bench/out/ from the gazetteer's own names (no outside data):

* cached:   ``--cached-rows`` rows drawn from 500 distinct names, so nearly every row is a cache hit;
* distinct: every row a different query: exact names of places (Arabic and Latin), and "noisy"
  ones (a letter dropped or doubled, an article added, a governorate qualifier) that take the
  fuzzy path;
* big:      ``--rows`` rows (default 1,000,000) with an id, a name drawn from all the names and a
  note column, run through the ``gazetteer batch`` command in a child process whose peak RSS is
  read from ``getrusage``; a run on 1 % of the file gives the RSS baseline.

* workers:  ``workers=2`` beside one worker, in the same run, on the same files and from an
  empty cache each time: distinct names (the mixed file: every row a new query) and repeated
  names (the cached file: 500 names); medians of ``--repeat`` alternating rounds.

Rates are single-process (one core) unless a line says ``workers=2``; the time to load the
gazetteer is reported apart and not counted in rows/s.  This machine's 2 cores are shared with
other work: run it when the machine is quiet (the load average is printed beside the figures).
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"

from gazetteer.batch import clear_caches, geocode_csv, shared_gazetteer  # noqa: E402


def all_names(gz) -> list[str]:
    names = []
    for p in gz.places:
        names.extend(n for n in (p.name_ar, p.name_en, *p.alt_en[:2]) if n)
    return sorted(set(names))


def noisy(name: str, rng: random.Random, gz) -> str:
    r = rng.random()
    if len(name) > 5 and r < 0.3:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i + 1:]  # a letter dropped
    if len(name) > 3 and r < 0.5:
        i = rng.randrange(1, len(name) - 1)
        return name[:i] + name[i] + name[i:]  # a letter doubled
    if r < 0.7:
        return ("ال" if any("\u0600" <= c <= "\u06ff" for c in name) else "al-") + name
    gov = rng.choice([p for p in gz.places if p.type == "governorate"])
    return f"{name}, {gov.name_en}"


def write_csv(path: Path, header: list[str], rows) -> int:
    n = 0
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            n += 1
    return n


def timed_batch(path: Path, gz, **kw) -> tuple[float, object]:
    t = time.perf_counter()
    with open(os.devnull, "w", encoding="utf-8", newline="") as out:
        summary = geocode_csv(Path(path), out, gazetteer=gz, column="name", **kw)
    return time.perf_counter() - t, summary


def cli_run(path: Path, extra: list[str] = ()) -> dict:
    """``gazetteer batch`` in a child process: wall time, peak RSS (MiB), summary."""
    summary_path = OUT / "summary.json"
    cmd = [sys.executable, "-m", "gazetteer", "batch", str(path), "-o", str(OUT / "big-out.csv"),
           "--column", "name", "-q", "--summary-json", str(summary_path), *extra]
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env={**os.environ, "PYTHONPATH": str(ROOT)})
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own peak RSS
    proc.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - t
    if proc.returncode:
        raise SystemExit(f"gazetteer batch failed: exit {proc.returncode}")
    summary = json.loads(summary_path.read_text())
    return {"wall_s": round(wall, 2), "peak_rss_mib": round(usage.ru_maxrss / 1024, 1),
            "rows": summary["rows_in"], "rows_per_s": summary["rows_per_second"],
            "seconds_geocoding": summary["seconds"]}


def _burn(n: int) -> int:
    total = 0
    for i in range(n):
        total += i * i
    return total


def free_parallelism(n: int = 5_000_000) -> float:
    """What two processes get on this machine now: the speed-up of two pure-CPU loops in two
    forked processes over one loop (2.0 on two idle cores; ~1.0 when other work holds one)."""
    import multiprocessing

    one = two = float("inf")
    with multiprocessing.get_context("fork").Pool(2) as pool:
        for _ in range(2):  # the faster of two tries of each
            t = time.perf_counter()
            _burn(n)
            one = min(one, time.perf_counter() - t)
            t = time.perf_counter()
            pool.map(_burn, [n, n], chunksize=1)
            two = min(two, time.perf_counter() - t)
    return 2 * one / two


def workers_side_by_side(gz, files: dict, repeat: int) -> dict:
    """rows/s with workers=1 and workers=2 on each file, from an empty cache, ``repeat``
    alternating rounds; medians."""
    rates: dict = {name: {1: [], 2: []} for name in files}
    cpu: dict = {name: {1: [], 2: []} for name in files}
    load = [os.getloadavg()[0]]
    ideal = [free_parallelism()]
    for _ in range(repeat):
        for name, (path, n) in files.items():
            for workers in (1, 2):
                clear_caches()
                t0 = os.times()
                secs, _ = timed_batch(path, gz, workers=workers)
                t1 = os.times()
                rates[name][workers].append(n / secs)
                cpu[name][workers].append(sum(t1[:4]) - sum(t0[:4]))  # parent + workers
    load.append(os.getloadavg()[0])
    ideal.append(free_parallelism())
    out = {"repeat": repeat, "loadavg_start_end": [round(x, 2) for x in load],
           "two_process_cpu_speedup_start_end": [round(x, 2) for x in ideal]}
    for name, (path, n) in files.items():
        one, two = (statistics.median(rates[name][w]) for w in (1, 2))
        cpu1, cpu2 = (statistics.median(cpu[name][w]) for w in (1, 2))
        out[name] = {"rows": n, "workers1_rows_per_s": round(one),
                     "workers2_rows_per_s": round(two),
                     "ratio": round(two / one, 2),
                     "cpu_s_workers1": round(cpu1, 2), "cpu_s_workers2": round(cpu2, 2),
                     "rounds": {w: [round(r) for r in rates[name][w]] for w in (1, 2)}}
        print(f"{name:9s} {n:>8,} rows from an empty cache: one worker {one:9,.0f} rows/s, "
              f"workers=2 {two:9,.0f} rows/s ({two / one:.2f}x; medians of {repeat}, rounds "
              f"{out[name]['rounds'][1]} / {out[name]['rounds'][2]}); CPU s, parent + "
              f"workers: {cpu1:.2f} / {cpu2:.2f}", flush=True)
    print(f"load average {load[0]:.2f} -> {load[1]:.2f} ({os.cpu_count()} cores); two pure-CPU "
          f"processes ran {ideal[0]:.2f}x / {ideal[1]:.2f}x as fast as one, before / after: the "
          f"most two workers could gain now", flush=True)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="rows of the big file")
    ap.add_argument("--cached-rows", type=int, default=200_000)
    ap.add_argument("--distinct-rows", type=int, default=4000)
    ap.add_argument("--apply-rows", type=int, default=4000, help="rows for the pandas apply baseline")
    ap.add_argument("--skip-big", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="rounds of the workers comparison")
    ap.add_argument("--workers-only", action="store_true",
                    help="only the workers=2 vs one worker comparison (and the files it needs)")
    ap.add_argument("--json", help="write the results here")
    args = ap.parse_args()
    if args.workers_only:
        args.skip_big = True
    OUT.mkdir(parents=True, exist_ok=True)
    rng = random.Random(6)
    res: dict = {"python": sys.version.split()[0], "cpus": os.cpu_count()}

    t = time.perf_counter()
    gz = shared_gazetteer()
    res["load_s"] = round(time.perf_counter() - t, 2)
    names = all_names(gz)
    print(f"gazetteer loaded in {res['load_s']} s; {len(names):,} distinct names", flush=True)

    # -- cached: few distinct names, many rows
    pool = rng.sample(names, 500)
    cached = OUT / "cached.csv"
    write_csv(cached, ["id", "name"], ((i, rng.choice(pool)) for i in range(args.cached_rows)))
    cold, _ = timed_batch(cached, gz)  # the first pass resolves the 500 names
    secs, _ = timed_batch(cached, gz)  # the second finds every one in the cache
    res["cached_first_pass_rows_per_s"] = round(args.cached_rows / cold)
    res["cached_rows_per_s"] = round(args.cached_rows / secs)
    print(f"cached:   {args.cached_rows:,} rows, 500 distinct names: {res['cached_rows_per_s']:,} rows/s "
          f"with the names in the cache ({res['cached_first_pass_rows_per_s']:,} rows/s on the first "
          "pass, which resolves them)", flush=True)

    # -- distinct: each row a new query (fresh gazetteer resolver, so nothing is cached)
    exact = rng.sample(names, args.distinct_rows)
    path = OUT / "distinct-exact.csv"
    write_csv(path, ["name"], ([n] for n in exact))
    clear_caches()
    secs, _ = timed_batch(path, gz)
    res["distinct_exact_rows_per_s"] = round(args.distinct_rows / secs)
    fuzzy = list(dict.fromkeys(noisy(n, rng, gz) for n in rng.sample(names, args.distinct_rows)))
    path_noisy = OUT / "distinct-noisy.csv"
    write_csv(path_noisy, ["name"], ([n] for n in fuzzy))
    clear_caches()
    secs, _ = timed_batch(path_noisy, gz)
    res["distinct_noisy_rows_per_s"] = round(len(fuzzy) / secs)
    mixed = OUT / "distinct-mixed.csv"
    write_csv(mixed, ["name"], ([n] for n in exact + fuzzy))
    print(f"distinct: exact names {res['distinct_exact_rows_per_s']:,} rows/s, noisy names "
          f"{res['distinct_noisy_rows_per_s']:,} rows/s", flush=True)

    # -- workers=2 beside one worker: same files, empty cache each time, alternating rounds
    res["workers"] = workers_side_by_side(gz, {"distinct": (mixed, len(exact) + len(fuzzy)),
                                               "repeated": (cached, args.cached_rows)},
                                          args.repeat)

    # -- the baseline: pandas apply over the Python API, and the pandas helper
    try:
        if args.workers_only:
            raise ImportError("skipped")
        import pandas as pd

        from gazetteer.pandas import geocode_series
    except ImportError as exc:
        print("pandas apply baseline skipped" if str(exc) == "skipped"
              else "pandas not installed: no apply baseline")
    else:
        def api(name):
            m = gz.geocode(name, exactly_one=True) if isinstance(name, str) and name.strip() else None
            return (m.place.lat, m.place.lon, m.place.id, m.confidence) if m else None

        for label, path, n in (("cached", cached, args.apply_rows), ("distinct_exact", OUT / "distinct-exact.csv", None),
                               ("distinct_noisy", path_noisy, None)):
            df = pd.read_csv(path, dtype=str, keep_default_na=False, nrows=n)
            t = time.perf_counter()
            df["name"].apply(api)
            apply_rate = len(df) / (time.perf_counter() - t)
            clear_caches()
            t = time.perf_counter()
            geocode_series(df["name"])  # cold cache
            helper_rate = len(df) / (time.perf_counter() - t)
            res[f"pandas_apply_{label}_rows_per_s"] = round(apply_rate)
            res[f"geocode_series_{label}_rows_per_s"] = round(helper_rate)
            print(f"pandas {label:15s}: apply(gz.geocode) {apply_rate:9,.0f} rows/s; "
                  f"geocode_series {helper_rate:9,.0f} rows/s ({len(df):,} rows)", flush=True)

    # -- the big file through the command, in a child process
    if not args.skip_big:
        pool = rng.sample(names, min(20000, len(names)))
        big = OUT / "big.csv"
        small = OUT / "big-1pct.csv"
        header = ["id", "name", "note"]
        for path, n in ((small, max(1000, args.rows // 100)), (big, args.rows)):
            write_csv(path, header, ((i, rng.choice(pool), "reported, \"verified\"" if i % 7 == 0 else "")
                                     for i in range(n)))
        base = cli_run(small)
        full = cli_run(big)
        res["big_file_mib"] = round(big.stat().st_size / 2**20, 1)
        res["big"] = full
        res["big_1pct"] = base
        print(f"big file: {full['rows']:,} rows ({res['big_file_mib']} MiB) in {full['wall_s']} s wall "
              f"({full['rows_per_s']:,.0f} rows/s geocoding), peak RSS {full['peak_rss_mib']} MiB; "
              f"the same command on {base['rows']:,} rows: peak RSS {base['peak_rss_mib']} MiB", flush=True)
        for p in (big, small, OUT / "big-out.csv"):
            p.unlink(missing_ok=True)

    if args.json:
        Path(args.json).write_text(json.dumps(res, indent=2) + "\n")
    print(json.dumps(res, indent=2))


if __name__ == "__main__":
    main()
