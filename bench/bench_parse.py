"""Geoparsing benchmark on the development texts, beside a plain gazetteer scan.

    python bench/bench_parse.py [--dev ../shared/dev] [--json out.json]

Figures (as ../shared/dev/README.md defines them):
- texts_ar: share of texts where a mention lies within 5 km of the incident point, share where
  a mention has the incident's governorate, places per text;
- texts_en: share of texts whose focus governorate (most frequent admin1 among the mentions) is
  right;
- negatives_ar: Syrian places found per 100 foreign tweets (each a false positive), share of
  tweets with any;
- throughput: characters/s and MB/s (UTF-8, MB = 10**6 bytes) of Arabic text on one core, warm,
  median of 5 passes over the Arabic texts and tweets, ours and the baseline alternately, in CPU
  time of the process (``time.process_time``; wall-clock time on a shared VM also measured the
  queue for a core), with the gazetteer frozen out of the garbage collector's full passes as the
  CLI and the service do (timings on a shared VM vary by ±30% from run to run: compare the two
  columns).

The baseline, run in the same process: every run of 1-4 words whose folded key is a gazetteer
name becomes a mention of that name's most important place, with no cue words, no context, no
blocking: "a plain gazetteer scan without disambiguation".
"""
from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402
from gazetteer.match import haversine_km  # noqa: E402
from gazetteer.tokens import span_key, tokenize  # noqa: E402


def jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


class PlainScan:
    """The baseline: exact n-gram lookup, most important place, nothing else."""

    def __init__(self, gz: Gazetteer):
        self.gz = gz
        self.best: dict[str, object] = {}
        for key, ids in gz.index.by_key.items():
            places = [gz.places[gz.index.entries[e].place] for e in ids]
            self.best[key] = max(places, key=lambda p: (p.importance, p.id))

    def parse(self, text: str) -> list:
        tokens = tokenize(text)
        out = []
        i = 0
        while i < len(tokens):
            for n in (4, 3, 2, 1):
                if i + n > len(tokens):
                    continue
                place = self.best.get(span_key(tuple(t.norm for t in tokens[i:i + n])))
                if place is not None:
                    out.append(place)
                    i += n
                    break
            else:
                i += 1
        return out


def score_texts(parse, ar, en, neg) -> dict:
    hit5 = gov = places = 0
    for r in ar:
        found = parse(r["text"])
        g = r["gold"]
        places += len(found)
        hit5 += any(haversine_km(g["lat"], g["lon"], p.lat, p.lon) <= 5 for p in found)
        gov += any(p.admin1 is not None and p.admin1.pcode == g["admin1_pcode"] for p in found)
    focus_ok = en_places = 0
    for r in en:
        found = parse(r["title"] + ". " + r["text"])
        en_places += len(found)
        govs = Counter(p.admin1.pcode for p in found if p.admin1 is not None)
        top = govs.most_common(1)[0][0] if govs else None
        focus_ok += top in r["gold"]["admin1_pcode"].split("|")
    neg_places = [len(parse(r["text"])) for r in neg]
    return {
        "texts_ar_recall5km": hit5 / len(ar), "texts_ar_gov_recall": gov / len(ar),
        "texts_ar_places_per_text": places / len(ar),
        "texts_en_focus": focus_ok / len(en), "texts_en_places_per_text": en_places / len(en),
        "negatives_per_100": 100 * sum(neg_places) / len(neg),
        "negatives_share_with_any": sum(1 for x in neg_places if x) / len(neg),
        "negatives_places_per_text": sum(neg_places) / len(neg),
    }


def throughput(parse, texts: list[str], repeat: int = 5) -> tuple[float, float]:
    chars = sum(len(t) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts)
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        for t in texts:
            parse(t)
        times.append(time.process_time() - t0)
    dt = statistics.median(times)
    return chars / dt, size / dt / 1e6


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "dev"))
    ap.add_argument("--json")
    args = ap.parse_args(argv)
    if not Path(args.dev).exists():  # the dev set lives beside the repository, not in it
        ap.error(f"{args.dev} not found: this benchmark needs the dev set of ../shared/dev "
                 "(give --dev PATH)")
    dev = Path(args.dev)
    ar, en, neg = (jsonl(dev / "texts_ar_dev.jsonl"), jsonl(dev / "texts_en_dev.jsonl"),
                   jsonl(dev / "negatives_ar_dev.jsonl"))
    gz = Gazetteer.load()
    gc.freeze()  # as the CLI and the service do after loading
    gz.parse("تهيئة")  # build the parser once, outside the timings
    scan = PlainScan(gz)

    def ours(text):
        return [m.place for m in gz.parse(text)]

    figures = {"gazetteer": score_texts(ours, ar, en, neg),
               "baseline_plain_scan": score_texts(scan.parse, ar, en, neg)}
    arabic = [r["text"] for r in ar] + [r["text"] for r in neg]
    rounds = {"gazetteer": [], "baseline_plain_scan": []}
    for _ in range(5):  # alternate, so both see the same machine
        for name, fn in (("gazetteer", ours), ("baseline_plain_scan", scan.parse)):
            rounds[name].append(throughput(fn, arabic, repeat=1))
    for name, runs in rounds.items():
        figures[name]["arabic_chars_per_s"] = statistics.median(c for c, _ in runs)
        figures[name]["arabic_MB_per_s"] = statistics.median(m for _, m in runs)
    keys = list(figures["gazetteer"])
    print(f"{'metric':<28}{'gazetteer':>12}{'plain scan':>12}")
    for k in keys:
        a, b = figures["gazetteer"][k], figures["baseline_plain_scan"][k]
        fmt = "{:>12,.0f}" if k.endswith("chars_per_s") else "{:>12.3f}"
        print(f"{k:<28}" + fmt.format(a) + fmt.format(b))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
