"""Load benchmark of the HTTP service: gunicorn on loopback, driven by wrk.

    apt-get install wrk          # Debian's wrk 4.1 (the tests do not need it)
    .venv/bin/python bench/bench_service.py                  # before and after, 10 s each
    .venv/bin/python bench/bench_service.py --duration 30 --parse

For each configuration it starts gunicorn with the service's own configuration file
(``gunicorn -c python:service.gunicorn_conf service.wsgi:app``: gevent workers, the app
preloaded) on a free 127.0.0.1 port: ``before`` is the service without this speed work (the
standard library's json, no response cache: ``JSON_ENCODER=json``, ``RESPONSE_CACHE_SIZE=0``),
``after`` the service as shipped (orjson, the response cache).  Both in the same run, on the
same requests.  After a warm-up it measures with wrk (1 thread, 16 keep-alive connections):

* ``/livez``, before and after the others (the mean is the yardstick: a request that does
  nothing but pass through gunicorn and Flask);
* geocode, the repeated set: 2,000 distinct requests built from data/places.csv (names as
  written, with typos, with a governorate qualifier, in both scripts), cycled, each seen during
  the warm-up: what a cache can answer;
* geocode, new queries: 60,000 other requests, more than a run sends: no cache can answer them,
  every one is geocoded;
* POST /v1/parse with ``--parse``.

It reports requests/s and the geocode/livez ratio, p50/p90/p99 latency, errors (non-2xx and
socket errors), the server's CPU time per request, and the RSS/PSS of the gunicorn processes
(a leak, or the cache, shows as growth).  Results go to bench/out/service.json.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent

from serving import HOST, free_port, stop_server, wait_ready  # noqa: E402  (bench/, beside this file)


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


CONFIGS = {
    # the service as it was: the standard library's json, no response cache
    "before": {"GAZETTEER_SERVICE_JSON_ENCODER": "json",
               "GAZETTEER_SERVICE_RESPONSE_CACHE_SIZE": "0"},
    # as shipped: orjson and the response cache (service/__init__.py DefaultConfig)
    "after": {},
}


def start_server(port: int, workers: int, env_extra: dict[str, str]) -> subprocess.Popen:
    """gunicorn with the service's own configuration file (gevent workers, preloaded app)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **env_extra}
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "python:service.gunicorn_conf",
         "--bind", f"{HOST}:{port}", "--workers", str(workers), "service.wsgi:app"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        start_new_session=True)
    return wait_ready(proc, port, 120, "gunicorn")


def measure(port: int, script: Path, duration: int, connections: int, pids: list[int]) -> dict:
    cpu0 = cpu_seconds(pids)
    r = run_wrk(port, script, duration, connections)
    cpu = cpu_seconds(pids) - cpu0
    rps = r["requests"] / (r["duration_us"] / 1e6)
    return {
        "requests": r["requests"], "requests_per_s": round(rps, 1),
        "p50_ms": round(r["p50_us"] / 1000, 2), "p90_ms": round(r["p90_us"] / 1000, 2),
        "p99_ms": round(r["p99_us"] / 1000, 2), "max_ms": round(r["max_us"] / 1000, 1),
        "errors": r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"],
        "non_2xx": r["status"],
        "server_cpu_ms_per_request": round(1000 * cpu / max(1, r["requests"]), 3),
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--duration", type=int, default=10, help="seconds per measurement (max 30)")
    ap.add_argument("--connections", type=int, default=16)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--configs", default="before,after", help="of: " + ", ".join(CONFIGS))
    ap.add_argument("--parse", action="store_true", help="also POST /v1/parse")
    ap.add_argument("--warmup", type=int, default=12,
                    help="seconds of warm-up on the repeated geocode requests, not measured")
    ap.add_argument("--requests", type=int, default=2000,
                    help="distinct requests of the repeated geocode set")
    ap.add_argument("--fresh-requests", type=int, default=60000,
                    help="distinct requests of the new-queries set (more than a run sends)")
    ap.add_argument("--out", default=str(ROOT / "bench" / "out" / "service.json"))
    args = ap.parse_args(argv)
    if not 1 <= args.duration <= 30:
        ap.error("--duration must be 1..30 seconds")
    configs = [c.strip() for c in args.configs.split(",") if c.strip()]
    if not configs or any(c not in CONFIGS for c in configs):
        ap.error("--configs: " + ", ".join(CONFIGS))
    if shutil.which("wrk") is None:
        print("wrk is not installed: apt-get install wrk", file=sys.stderr)
        return 2
    rows = load_places()
    tmp = Path(tempfile.mkdtemp(prefix="bench_service_"))
    scripts = {
        "livez": wrk_script("GET", ["/livez"], tmp / "livez.lua"),
        "geocode": wrk_script("GET", geocode_requests(rows, args.requests), tmp / "geocode.lua"),
        "geocode_new": wrk_script("GET", geocode_requests(rows, args.fresh_requests, seed=7),
                                  tmp / "geocode_new.lua"),
        "parse": wrk_script("POST", parse_bodies(rows, 2000), tmp / "parse.lua"),
    }
    results: dict = {"server": {"workers": args.workers, "config": "service/gunicorn_conf.py "
                                "(gevent workers, preloaded app)"},
                     "client": f"wrk -t1 -c{args.connections} -d{args.duration}s",
                     "cpus": os.cpu_count(), "loadavg_start": os.getloadavg()[0], "configs": {}}
    try:
        for name in configs:
            port = free_port()
            proc = start_server(port, args.workers, CONFIGS[name])
            try:
                pids = [proc.pid, *children(proc.pid)]
                res: dict = {"env": CONFIGS[name], "memory_at_start": memory(pids)}
                run_wrk(port, scripts["geocode"], args.warmup, args.connections)
                run_wrk(port, scripts["livez"], 2, args.connections)
                res["memory_before"] = memory(pids)
                order = ["livez", "geocode", "geocode_new", "livez"]
                order += ["parse"] if args.parse else []
                livez = []
                for endpoint in order:
                    row = measure(port, scripts[endpoint], args.duration, args.connections, pids)
                    if endpoint == "livez":
                        livez.append(row)
                        continue
                    res[endpoint] = row
                res["livez"] = {**livez[0], "requests_per_s": round(
                    statistics.mean(x["requests_per_s"] for x in livez), 1),
                    "requests_per_s_before_after": [x["requests_per_s"] for x in livez]}
                for endpoint in ("geocode", "geocode_new"):
                    res[endpoint]["ratio_to_livez"] = round(
                        res[endpoint]["requests_per_s"] / res["livez"]["requests_per_s"], 3)
                res["memory_after"] = memory(pids)
                res["rss_growth_mib"] = round(res["memory_after"]["rss_mib_total"]
                                              - res["memory_before"]["rss_mib_total"], 1)
                results["configs"][name] = res
            finally:
                stop_server(proc)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    results["loadavg_end"] = os.getloadavg()[0]

    print(f"gunicorn -c python:service.gunicorn_conf, {args.workers} gevent workers; "
          f"{results['client']}; load average {results['loadavg_start']:.2f} -> "
          f"{results['loadavg_end']:.2f} on {os.cpu_count()} cores (shared)")
    print(f"{'config':8s} {'/livez':>8s} {'geocode':>8s} {'ratio':>6s} {'p99 ms':>7s} "
          f"{'new q':>8s} {'ratio':>6s} {'CPU ms/req':>10s} {'RSS MiB after':>14s}")
    for name, res in results["configs"].items():
        geo, new = res["geocode"], res["geocode_new"]
        print(f"{name:8s} {res['livez']['requests_per_s']:8.0f} {geo['requests_per_s']:8.0f} "
              f"{geo['ratio_to_livez']:6.2f} {geo['p99_ms']:7.2f} {new['requests_per_s']:8.0f} "
              f"{new['ratio_to_livez']:6.2f} {geo['server_cpu_ms_per_request']:10.3f} "
              f"{res['memory_after']['rss_mib_total']:14.1f}")
        if "parse" in res:
            print(f"{'':8s} parse {res['parse']['requests_per_s']:.0f} req/s, p99 "
                  f"{res['parse']['p99_ms']} ms")
    print(f"geocode: the repeated set ({args.requests:,} distinct requests, cycled, each seen "
          f"in the warm-up); "
          "new q: every request a query not asked before (no cache can answer it)")
    after = results["configs"].get("after", {}).get("geocode")
    if after:
        results["target_geocode_ratio_0_8_met"] = after["ratio_to_livez"] >= 0.8
        print(f"target geocode/livez >= 0.8 (repeated set, as shipped): "
              f"{'met' if after['ratio_to_livez'] >= 0.8 else 'NOT met'}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"written {out}")
    bad = [n for n, r in results["configs"].items()
           if any(isinstance(v, dict) and v.get("errors") for v in r.values())]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
