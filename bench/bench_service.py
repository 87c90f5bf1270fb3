"""Load benchmark of the HTTP service: gunicorn on loopback, driven by wrk.

    apt-get install wrk          # Debian's wrk 4.1 (the tests do not need it)
    .venv/bin/python bench/bench_service.py                 # geocode and parse, 30 s each
    .venv/bin/python bench/bench_service.py --duration 10 --endpoints geocode

It starts ``gazetteer serve`` (2 workers x 4 threads by default) on a free 127.0.0.1 port, warms
it up, then for each endpoint runs wrk (1 thread, 16 keep-alive connections) for --duration
seconds over a few thousand distinct requests built from data/places.csv (names as written, with
typos, with a governorate qualifier, in both scripts; sentences for parse), so that no cache
answers the same request twice in a row.  It reports requests/s, p50/p90/p99 latency, errors
(non-2xx and socket errors), the server's CPU time per request, and the RSS/PSS of the gunicorn
processes before and after (a leak shows as growth).  Results go to bench/out/service.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TARGET_RPS = 1500
TARGET_P99_MS = 50.0


# -- requests ---------------------------------------------------------------------------------
def typo(rng: random.Random, name: str) -> str:
    if len(name) < 5:
        return name
    i = rng.randrange(1, len(name) - 1)
    op = rng.choice(("drop", "swap", "double"))
    if op == "drop":
        return name[:i] + name[i + 1:]
    if op == "swap":
        return name[:i] + name[i + 1] + name[i] + name[i + 2:]
    return name[:i] + name[i] + name[i:]


def load_places() -> list[dict[str, str]]:
    with open(ROOT / "data" / "places.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def geocode_requests(rows: list[dict[str, str]], n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        r = rng.choice(rows)
        names = [r["name_en"], r["name_ar"]] + [a for a in (r.get("alt_en") or "").split("|") if a]
        name = rng.choice([x for x in names if x] or ["Aleppo"])
        k = rng.random()
        if k < 0.25:
            name = typo(rng, name)
        elif k < 0.40 and r.get("admin1_en"):
            name = f"{name}, {r['admin1_en'] if name.isascii() else r['admin1_ar']}"
        out.append("/v1/geocode?q=" + quote(name))
    return out


EN_TEMPLATES = [
    "Shelling hit {a} and {b} on Tuesday, local sources said.",
    "Residents of {a} fled towards {b} in the {g} countryside.",
    "A convoy reached {a}, north of {b}, after clashes near {c}.",
    "Airstrikes were reported in {a} ({g}) and around {b}.",
]
AR_TEMPLATES = [
    "قصف مدفعي على {a} و{b} صباح اليوم",
    "نزوح الأهالي من {a} باتجاه {b} في ريف {g}",
    "وصلت قافلة مساعدات إلى {a} شمال {b} بعد اشتباكات قرب {c}",
]


def parse_bodies(rows: list[dict[str, str]], n: int, seed: int = 2) -> list[bytes]:
    rng = random.Random(seed)
    towns = [r for r in rows if r["type"] in ("city", "town", "village") and r["admin1_en"]]
    out = []
    for _ in range(n):
        a, b, c = rng.sample(towns, 3)
        if rng.random() < 0.5:
            text = rng.choice(EN_TEMPLATES).format(a=a["name_en"], b=b["name_en"], c=c["name_en"],
                                                   g=a["admin1_en"])
        else:
            text = rng.choice(AR_TEMPLATES).format(a=a["name_ar"], b=b["name_ar"], c=c["name_ar"],
                                                   g=a["admin1_ar"])
        out.append(json.dumps({"text": text}, ensure_ascii=False).encode("utf-8"))
    return out


def lua_string(data: bytes) -> str:
    """A Lua string literal for any bytes (decimal escapes outside printable ASCII)."""
    out = []
    for b in data:
        if 32 <= b < 127 and b not in (34, 92):
            out.append(chr(b))
        else:
            out.append(f"\\{b:03d}")
    return '"' + "".join(out) + '"'


LUA_DONE = r"""
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'JSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, "read": %d, ' ..
    '"write": %d, "status": %d, "timeout": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "mean_us": %.1f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status,
    e.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean))
end
"""


def wrk_script(kind: str, items: list, path: Path) -> Path:
    lines = ["local items = {"]
    lines += [f"  {lua_string(x if isinstance(x, bytes) else x.encode())}," for x in items]
    lines.append("}")
    lines.append("local i = math.random(#items)")
    if kind == "GET":
        lines.append("request = function()\n  i = i % #items + 1\n"
                     "  return wrk.format('GET', items[i])\nend")
    else:
        lines.append("local headers = {['Content-Type'] = 'application/json'}")
        lines.append("request = function()\n  i = i % #items + 1\n"
                     "  return wrk.format('POST', '/v1/parse', headers, items[i])\nend")
    lines.append(LUA_DONE)
    path.write_text("\n".join(lines), encoding="ascii")
    return path


def run_wrk(port: int, script: Path, duration: int, connections: int) -> dict:
    cmd = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", "5s", "-s",
           str(script), f"http://{HOST}:{port}"]
    res = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 60)
    m = re.search(r"^JSON (\{.*\})$", res.stdout, re.M)
    if res.returncode != 0 or not m:
        raise SystemExit(f"wrk failed ({res.returncode}):\n{res.stdout}\n{res.stderr}")
    return json.loads(m.group(1))


# -- the server -------------------------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    out = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        out += [int(x) for x in task.read_text().split()]
    return out


def memory(pids: list[int]) -> dict[str, float]:
    """RSS and PSS (MiB) per process; PSS counts pages shared after fork only once."""
    rss = pss = 0.0
    per = {}
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        r = int(re.search(r"^Rss:\s+(\d+)", text, re.M).group(1)) / 1024
        p = int(re.search(r"^Pss:\s+(\d+)", text, re.M).group(1)) / 1024
        per[str(pid)] = round(r, 1)
        rss += r
        pss += p
    return {"rss_mib_total": round(rss, 1), "pss_mib_total": round(pss, 1), "rss_mib": per}


def cpu_seconds(pids: list[int]) -> float:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def start_server(port: int, workers: int, threads: int,
                 worker_class: str = "gthread") -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gazetteer", "serve", "--host", HOST, "--port", str(port),
         "--workers", str(workers), "--threads", str(threads), "--worker-class", worker_class],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"gunicorn exited: {proc.stderr.read().decode()}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/readyz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("gunicorn not ready after 120 s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=30, help="seconds per endpoint (max 30)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    ap.add_argument("--endpoints", default="geocode,parse")
    ap.add_argument("--warmup", type=int, default=8,
                    help="seconds of warm-up per endpoint, not measured (default 8: every "
                         "distinct request at least once)")
    ap.add_argument("--requests", type=int, default=5000, help="distinct requests per endpoint")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "service.json"))
    args = ap.parse_args(argv)
    if not 1 <= args.duration <= 30:
        ap.error("--duration must be 1..30 seconds")
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    rows = load_places()
    tmp = Path(tempfile.mkdtemp(prefix="bench_service_"))
    scripts = {
        "geocode": wrk_script("GET", geocode_requests(rows, args.requests), tmp / "geocode.lua"),
        "parse": wrk_script("POST", parse_bodies(rows, min(args.requests, 2000)),
                            tmp / "parse.lua"),
    }
    endpoints = [e.strip() for e in args.endpoints.split(",") if e.strip()]
    port = free_port()
    proc = start_server(port, args.workers, args.threads, args.worker_class)
    results: dict = {"server": {"workers": args.workers, "threads": args.threads,
                                "worker_class": args.worker_class, "bind": f"{HOST}:{port}"},
                     "client": f"wrk -t1 -c{args.connections} -d{args.duration}s",
                     "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()[0],
                     "endpoints": {}}
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/readyz") as r:
            features = json.load(r).get("features", {})
        pids = [proc.pid, *children(proc.pid)]
        results["memory_at_start"] = memory(pids)
        for name in endpoints:  # warm-up: every distinct request answered once, so that the
            if name == "parse" and not features.get("parse"):  # library's caches are full
                continue
            run_wrk(port, scripts[name], args.warmup, args.connections)
        results["memory_before"] = memory(pids)
        for name in endpoints:
            if name == "parse" and not features.get("parse"):
                results["endpoints"][name] = {"skipped": "Gazetteer.parse not available yet"}
                print(f"{name:8s} skipped: the library has no parse() yet")
                continue
            cpu0 = cpu_seconds(pids)
            r = run_wrk(port, scripts[name], args.duration, args.connections)
            cpu = cpu_seconds(pids) - cpu0
            errors = r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"]
            rps = r["requests"] / (r["duration_us"] / 1e6)
            results["endpoints"][name] = row = {
                "requests": r["requests"], "requests_per_s": round(rps, 1),
                "p50_ms": round(r["p50_us"] / 1000, 2), "p90_ms": round(r["p90_us"] / 1000, 2),
                "p99_ms": round(r["p99_us"] / 1000, 2), "max_ms": round(r["max_us"] / 1000, 1),
                "errors": errors, "non_2xx": r["status"],
                "server_cpu_ms_per_request": round(1000 * cpu / max(1, r["requests"]), 3),
            }
            row["rss_mib_total_after"] = memory(pids)["rss_mib_total"]
            print(f"{name:8s} {rps:8.0f} req/s  p50 {row['p50_ms']:6.2f} ms  p90 "
                  f"{row['p90_ms']:6.2f} ms  p99 {row['p99_ms']:6.2f} ms  errors {errors}  "
                  f"server CPU {row['server_cpu_ms_per_request']:.3f} ms/req")
        results["memory_after"] = memory(pids)
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
        shutil.rmtree(tmp, ignore_errors=True)
    before, after = results["memory_before"], results["memory_after"]
    growth = after["rss_mib_total"] - before["rss_mib_total"]
    results["rss_growth_mib"] = round(growth, 1)
    results["loadavg_end"] = os.getloadavg()[0]
    print(f"RSS (master + {args.workers} workers): start {results['memory_at_start']['rss_mib_total']}"
          f" MiB, before {before['rss_mib_total']} MiB, after {after['rss_mib_total']} MiB "
          f"(growth {growth:+.1f} MiB); PSS before {before['pss_mib_total']} MiB, after "
          f"{after['pss_mib_total']} MiB")
    print(f"load average: {results['loadavg_start']:.2f} at start, {results['loadavg_end']:.2f} "
          f"at end ({os.cpu_count()} cores; other processes share them)")
    geo = results["endpoints"].get("geocode")
    if geo and "requests_per_s" in geo:
        ok = geo["requests_per_s"] >= TARGET_RPS and geo["p99_ms"] < TARGET_P99_MS
        results["geocode_target_met"] = ok
        print(f"geocode target (>= {TARGET_RPS} req/s, p99 < {TARGET_P99_MS:g} ms): "
              f"{'met' if ok else 'NOT met'}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    bad = [n for n, e in results["endpoints"].items() if e.get("errors")]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
