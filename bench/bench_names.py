"""Name-geocoding benchmark: accuracy, calibration, speed, load time and memory.

Runs the geocoder and, in the same process on the same data, the baseline: plain
``rapidfuzz.process.extractOne`` over every name of every place.

    python bench/bench_names.py [--names ../shared/dev/names_dev.tsv] [--json out.json]

Metrics (first answer per query): acc@5km, acc@25km, governorate accuracy, answered rate,
wrong rate (answered and > 25 km off), "sure" answers (confidence ≥ 0.8) as a share of queries and
their wrong rate, the wrong rate of the surest half of the queries (the confidence's order alone,
whatever its calibration), expected calibration error (10 bins) of confidence against "within 5 km",
queries/s (median of 3 passes, one core).
"""
from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.match import haversine_km  # noqa: E402


def read_names(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return list(csv.DictReader(f, delimiter="\t"))


def score(rows: list[dict], answers: list[tuple[float, float, str, float] | None]) -> dict:
    n = len(rows)
    hit5 = hit25 = gov = answered = wrong = sure = sure_wrong = 0
    bins = [[0, 0.0, 0] for _ in range(10)]
    per_lang: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row, ans in zip(rows, answers):
        per_lang[row["lang"]][1] += 1
        if ans is None:
            continue
        lat, lon, admin1, conf = ans
        answered += 1
        d = haversine_km(float(row["lat"]), float(row["lon"]), lat, lon)
        hit5 += d <= 5
        hit25 += d <= 25
        wrong += d > 25
        gov += admin1 == row["admin1_pcode"]
        per_lang[row["lang"]][0] += d <= 5
        b = bins[min(9, max(0, int(conf * 10)))]
        b[0] += 1
        b[1] += conf
        b[2] += d <= 5
        if conf >= 0.8:
            sure += 1
            sure_wrong += d > 25
    ece = sum(abs(b[1] / b[0] - b[2] / b[0]) * b[0] for b in bins if b[0]) / max(1, answered)
    # The order alone, whatever the calibration: how many of the surest half are > 25 km off.
    ranked = sorted(((ans[3], haversine_km(float(row["lat"]), float(row["lon"]), ans[0], ans[1]))
                     for row, ans in zip(rows, answers) if ans is not None), key=lambda x: -x[0])
    surest_half = ranked[:n // 2]
    return {
        "queries": n,
        "acc5": hit5 / n, "acc25": hit25 / n, "gov": gov / n,
        "answered": answered / n, "wrong": wrong / n,
        "sure_share": sure / n, "sure_wrong": sure_wrong / max(1, sure),
        "surest_half_wrong": sum(d > 25 for _, d in surest_half) / max(1, len(surest_half)),
        "ece": ece,
        **{f"acc5_{lang}": h / t for lang, (h, t) in sorted(per_lang.items())},
    }


def run_geocoder(gz: Gazetteer, rows: list[dict]):
    out = []
    for row in rows:
        m = gz.geocode(row["query"], limit=1, exactly_one=True)
        out.append(None if m is None else
                   (m.place.lat, m.place.lon, m.place.admin1.pcode if m.place.admin1 else "", m.confidence))
    return out


def baseline(gz: Gazetteer):
    """Plain rapidfuzz: extractOne over every name of every place, default scorer (WRatio)."""
    from rapidfuzz import process, utils

    choices: dict[str, int] = {}
    for i, p in enumerate(gz.places):
        for name in p.names:
            choices.setdefault(name, i)
    names = list(choices)

    def run(rows):
        out = []
        for row in rows:
            best = process.extractOne(row["query"], names, processor=utils.default_process)
            if best is None:
                out.append(None)
                continue
            p = gz.places[choices[best[0]]]
            out.append((p.lat, p.lon, p.admin1.pcode if p.admin1 else "", best[1] / 100.0))
        return out

    return run


def timed(fn, rows, repeat=3):
    """Queries/s of the first pass (every query new to the process: no cached folding) and the
    median over ``repeat`` passes (the normalization caches warm, as in a long-running service)."""
    times = []
    result = None
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(rows)
        times.append(time.perf_counter() - t)
    return result, len(rows) / times[0], len(rows) / statistics.median(times)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--names", default=str(ROOT.parent / "shared" / "dev" / "names_dev.tsv"))
    ap.add_argument("--json", help="write the figures as JSON here")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    if not Path(args.names).exists():  # the dev set lives beside the repository, not in it
        ap.error(f"{args.names} not found: this benchmark needs the dev set of ../shared/dev "
                 "(give --names PATH)")

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t = time.perf_counter()
    gz = Gazetteer.load()
    load_s = time.perf_counter() - t
    rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = read_names(Path(args.names))

    gz.geocode("warm up")
    ours, ours_qps, ours_qps_warm = timed(lambda r: run_geocoder(gz, r), rows, args.repeat)
    base_fn = baseline(gz)
    base, base_qps, _ = timed(base_fn, rows, 1)
    rss2 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    figures = {
        "gazetteer": {**score(rows, ours), "qps": ours_qps, "qps_warm": ours_qps_warm},
        "baseline_rapidfuzz_extractOne": {**score(rows, base), "qps": base_qps},
        "load_seconds": load_s,
        "rss_mb_after_load": rss1,
        "rss_mb_peak": rss2,
        "rss_mb_python_start": rss0,
        "places": len(gz.places),
        "index_names": len(gz.index),
    }
    keys = ["acc5", "acc5_ar", "acc5_en", "acc25", "gov", "answered", "wrong", "sure_share",
            "sure_wrong", "surest_half_wrong", "ece", "qps", "qps_warm"]
    print(f"{'metric':<18}{'gazetteer':>12}{'baseline':>12}")
    for k in keys:
        a = figures["gazetteer"].get(k, float("nan"))
        b = figures["baseline_rapidfuzz_extractOne"].get(k, float("nan"))
        fmt = "{:>12.1f}" if k.startswith("qps") else "{:>12.3f}"
        print(f"{k:<18}" + fmt.format(a) + fmt.format(b))
    print(f"load {load_s:.2f} s, RSS after load {rss1:.0f} MB, peak {rss2:.0f} MB, "
          f"{len(gz.places)} places, {len(gz.index)} indexed names, speed-up x{ours_qps / base_qps:.1f}")
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
