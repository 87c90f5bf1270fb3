"""How fast the analysts' page is on loopback: first render, and the Text view answering the
seed article, in Debian's headless Chromium (Playwright) against ``gazetteer serve``.

    .venv/bin/python bench/bench_web.py                  # 10 rounds
    .venv/bin/python bench/bench_web.py --rounds 20 --workers 2

After one first visit (reported apart: the server's first requests), each round opens the page in a fresh browser context (empty cache) and measures, from the
navigation's start (the page's own ``performance`` clock):

* first contentful paint (the browser's ``first-contentful-paint`` entry);
* ``load`` (the page and its scripts and styles loaded);
* map ready: the governorate and district outlines fetched and drawn (``data-boundaries-ms``);

then pastes ``seeds/aljazeera-aleppo-2016.txt`` and clicks "Find places": the time from the
click to the text highlighted, the table filled and the points drawn (``data-parse-ms``).

Beside them, in the same rounds, the baselines without a browser: fetching the page's files one
after the other with ``http.client`` (transfer only), and ``POST /v1/parse`` of the seed alone
(the API's share of the Text view's time). Targets (issue 11): first render < 1 s, Text view
answering the seed < 1 s. Results go to bench/out/web.json.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from serving import HOST, free_port, stop_server, wait_ready  # noqa: E402  (bench/, beside this file)
SEED = ROOT / "seeds" / "aljazeera-aleppo-2016.txt"
TARGET_MS = 1000.0
PAGE_FILES = ("/", "/web/vendor/leaflet/leaflet.css", "/web/app.css",
              "/web/vendor/leaflet/leaflet.js", "/web/app.js", "/web/boundaries.geojson")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gazetteer", "serve", "--host", HOST, "--port", str(port),
         "--workers", str(workers)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True)
    return wait_ready(proc, port, 90, "gazetteer serve")


def fetch_files_ms(port: int) -> float:
    """The page's files fetched one after the other on one keep-alive connection."""
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    start = time.perf_counter()
    for path in PAGE_FILES:
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        assert resp.status == 200, (path, resp.status)
    conn.close()
    return (time.perf_counter() - start) * 1000


def parse_api_ms(port: int, text: str) -> float:
    body = json.dumps({"text": text}).encode()
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    start = time.perf_counter()
    conn.request("POST", "/v1/parse", body=body, headers={"Content-Type": "application/json"})
    resp = conn.getresponse()
    resp.read()
    elapsed = (time.perf_counter() - start) * 1000
    conn.close()
    assert resp.status == 200
    return elapsed


def browser_round(browser, base: str, text: str) -> dict[str, float]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    try:
        page.goto(base + "/")
        page.wait_for_selector("body[data-ready][data-boundaries]")
        timings = page.evaluate("""() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const fcp = performance.getEntriesByName('first-contentful-paint')[0];
            return {fcp: fcp ? fcp.startTime : NaN, load: nav.loadEventEnd,
                    map_ready: parseFloat(document.body.dataset.boundariesMs)};
        }""")
        page.fill("#text-input", text)
        start = time.perf_counter()
        page.click("#find-places")
        page.wait_for_selector("body[data-parsed]")
        timings["parse_wall"] = (time.perf_counter() - start) * 1000
        timings["parse"] = float(page.get_attribute("body", "data-parse-ms"))
        timings["mentions"] = float(page.get_attribute("body", "data-parsed"))
        return timings
    finally:
        context.close()


def summary(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {"median": round(statistics.median(ordered), 1),
            "p90": round(ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))], 1),
            "max": round(ordered[-1], 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rounds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "web.json")
    args = ap.parse_args(argv)
    chromium = shutil.which("chromium")
    if chromium is None:
        raise SystemExit("needs Debian's chromium: apt-get install chromium chromium-driver")
    from playwright.sync_api import sync_playwright

    text = SEED.read_text(encoding="utf-8")
    port = free_port()
    server = start_server(port, args.workers)
    base = f"http://{HOST}:{port}"
    rows: list[dict[str, float]] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            # the first visit after the start (a worker's first requests), reported apart
            first = browser_round(browser, base, text)
            for _ in range(args.rounds):
                row = browser_round(browser, base, text)
                row["files_http"] = fetch_files_ms(port)
                row["parse_api"] = parse_api_ms(port, text)
                rows.append(row)
            version = browser.version
            browser.close()
    finally:
        stop_server(server)

    keys = ("fcp", "load", "map_ready", "files_http", "parse", "parse_wall", "parse_api")
    result = {"rounds": args.rounds, "workers": args.workers, "chromium": version,
              "load_average": os.getloadavg(), "mentions": rows[0]["mentions"],
              "ms": {k: summary([r[k] for r in rows]) for k in keys},
              "first_visit": first,
              "per_round": rows,
              "targets_met": {
                  "first_render_under_1s": max(r["map_ready"] for r in rows) < TARGET_MS,
                  "seed_answered_under_1s": max(r["parse_wall"] for r in rows) < TARGET_MS}}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=1))
    labels = {"fcp": "first contentful paint", "load": "load event",
              "map_ready": "map outlines drawn (first render)",
              "files_http": "baseline: the 6 files by http.client",
              "parse": "Text view: click to highlighted + table + points (page clock)",
              "parse_wall": "Text view: click to done (Playwright's clock)",
              "parse_api": "baseline: POST /v1/parse alone"}
    print(f"{args.rounds} rounds, {args.workers} workers, Chromium {version}, "
          f"{int(result['mentions'])} mentions in the seed; ms")
    print(f"{'':62} {'median':>8} {'p90':>8} {'max':>8}")
    for k in keys:
        s = result["ms"][k]
        print(f"{labels[k]:62} {s['median']:8.1f} {s['p90']:8.1f} {s['max']:8.1f}")
    print(f"first visit after the start (not in the rounds): map outlines drawn "
          f"{first['map_ready']:.1f}, Text view click to done {first['parse_wall']:.1f}")
    print("targets met:", result["targets_met"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
