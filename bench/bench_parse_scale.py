"""Parse speed on first sight and warm, time per KB from 1 KB to 1 MB, memory over many texts.

    python bench/bench_parse_scale.py [--texts N] [--json out.json]
    python bench/bench_parse_scale.py --versus-source 5   # compiled beside source, alternately
    python bench/bench_parse_scale.py --sight-only        # first sight and warm alone, as JSON

Time per KB: the bundled seed article (seeds/), repeated; with ../shared/dev present, its Arabic
posts instead (more varied words).  Each size reads the same first 200,000 characters as
consecutive pieces of that size (1 MB: one piece of the texts repeated): a single piece cut from
the start measured its own words as much as its size.  The median of 3 rounds after one warm-up
pass; ms per KB of UTF-8 and MB/s (MB = 2**20 bytes).

First sight: the Arabic dev texts and tweets (../shared/dev, else the seed's paragraphs), each
parsed once right after every cache the parser fills as it reads is emptied (the ``lru_cache``s
bounded by ``WORD_CACHE_SIZE``, the tokenizer's, the parser's and wordfreq's): every distinct
word is met for the first time in the round, the common ones included, as by a server that has
just started (a harsher case than a running server's new text, whose common words it knows);
median of 3 rounds.  Warm: the same texts parsed again at once; median of 3 rounds.

Times are CPU time of this process on one core (``time.process_time``): on a VM whose cores
other work shares, wall-clock time measured the queue for a core as much as the parse.

Memory: resident memory (VmRSS, not the peak) after every quarter of ``--texts`` distinct texts,
measured first; each text is the seed's first paragraph with a word of its own, so that every
text brings new words to the per-word caches, as in a long-running service.

The parser runs compiled when the install compiled it (setup.py; the first line printed says
which); ``--versus-source N`` measures first sight and warm N times each way, compiled and from
source (``GAZETTEER_PURE=1``), in fresh processes taking turns, and prints the medians and their
ratio.

The gazetteer is frozen out of the garbage collector's full passes (``gc.freeze()``) as the
service does: after its warm-up (``service.warm_up``: the parser built, wordfreq's lists loaded);
``--freeze-at load`` freezes right after loading, as the CLI does (the parser's structures and
wordfreq's lists, built later, are then walked by every full pass); ``--no-freeze`` measures
without it.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402

SIZES = (1_000, 10_000, 100_000, 1_000_000)
ARABIC_LETTERS = "ابتثجحخدذرزسشصضطظعغفقكلمنهوي"


def corpus() -> str:
    dev = ROOT.parent / "shared" / "dev" / "texts_ar_dev.jsonl"
    if dev.exists():
        with open(dev, encoding="utf-8") as f:
            return "\n\n".join(json.loads(line)["text"] for line in f if line.strip())
    return (ROOT / "seeds" / "aljazeera-aleppo-2016.txt").read_text(encoding="utf-8")


def texts() -> list[str]:
    """The Arabic dev texts and tweets, for first sight; else the seed's paragraphs."""
    dev = ROOT.parent / "shared" / "dev"
    out = []
    for name in ("texts_ar_dev.jsonl", "negatives_ar_dev.jsonl"):
        if (dev / name).exists():
            with open(dev / name, encoding="utf-8") as f:
                out.extend(json.loads(line)["text"] for line in f if line.strip())
    if out:
        return out
    seed = (ROOT / "seeds" / "aljazeera-aleppo-2016.txt").read_text(encoding="utf-8")
    return [p for p in seed.split("\n\n") if p.strip()]


def forget_words(gz: Gazetteer) -> int:
    """Empty every per-word cache the parser fills; returns how many caches were emptied."""
    from gazetteer import tokens
    from gazetteer.normalize import WORD_CACHE_SIZE

    emptied = 0
    for name, module in list(sys.modules.items()):
        if not name.startswith("gazetteer."):
            continue
        for obj in list(vars(module).values()):
            info = getattr(obj, "cache_info", None)
            if callable(info) and getattr(obj, "__module__", None) == name \
                    and info().maxsize == WORD_CACHE_SIZE:
                obj.cache_clear()
                emptied += 1
    gz.parse("تهيئة")  # the parser exists
    import wordfreq  # its own per-word cache of frequencies (a private dict, hence getattr)

    for cache in (tokens._FOLDED, *gz._parser.caches(), getattr(wordfreq, "_wf_cache", {})):
        cache.clear()
        emptied += 1
    return emptied


def first_sight(gz: Gazetteer, corpus_texts: list[str], rounds: int = 3) -> dict:
    """MB/s over the texts with every per-word cache emptied first, and warm right after."""
    size = sum(len(t.encode("utf-8")) for t in corpus_texts)
    cold, warm = [], []
    for _ in range(rounds):
        forget_words(gz)
        t = time.process_time()
        for text in corpus_texts:
            gz.parse(text)
        cold.append(time.process_time() - t)
        t = time.process_time()
        for text in corpus_texts:
            gz.parse(text)
        warm.append(time.process_time() - t)
    return {"texts": len(corpus_texts), "bytes": size,
            "first_sight_mb_per_s": size / 2**20 / statistics.median(cold),
            "warm_mb_per_s": size / 2**20 / statistics.median(warm)}


def time_per_kb(gz: Gazetteer, text: str, rounds: int = 3) -> dict:
    """ms per KB at each size, warm.  Each size reads the same 200,000 characters as consecutive
    pieces of that size (1 MB: one piece, the texts repeated), so that every size reads the same
    words: one piece alone, cut from the start, measured its own words as much as its size."""
    out = {}
    stream = text * (max(SIZES) // len(text) + 1)
    for size in SIZES:
        pieces = [stream[k:k + size] for k in range(0, max(size, 200_000), size)]
        kb = sum(len(piece.encode("utf-8")) for piece in pieces) / 1024
        for piece in pieces:  # warm-up: the words of these pieces are known
            gz.parse(piece)
        times = []
        for _ in range(rounds):
            t = time.process_time()
            for piece in pieces:
                gz.parse(piece)
            times.append(time.process_time() - t)
        med = statistics.median(times)
        out[size] = {"ms_per_kb": 1000 * med / kb, "mb_per_s": kb / 1024 / med}
    return out


def rss_mb() -> float:
    """Resident memory now (Linux /proc), else the peak so far."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_over_texts(gz: Gazetteer, n: int) -> list[tuple[int, float]]:
    seed = (ROOT / "seeds" / "aljazeera-aleppo-2016.txt").read_text(encoding="utf-8")
    paragraph = seed.split("\n\n")[1] if "\n\n" in seed else seed[:600]
    rng = random.Random(0)
    points = []
    for i in range(1, n + 1):
        word = "".join(rng.choice(ARABIC_LETTERS) for _ in range(7))
        gz.parse(f"{paragraph} قرية {word} {i}")
        if i % (n // 4) == 0:
            points.append((i, rss_mb()))
    return points


def warm_up(gz: Gazetteer) -> None:
    """What ``service.warm_up`` loads before the server freezes its objects: the parser and
    wordfreq's Arabic and English lists."""
    from gazetteer.commonness import common_arabic_word, common_english_word

    gz.parse("Aleppo")
    common_arabic_word("قرية")
    common_english_word("village")


def versus_source(rounds: int) -> dict:
    """First sight and warm, compiled and from source, each in a fresh process, taking turns."""
    runs: dict[str, list[dict]] = {"compiled": [], "source": []}
    for _ in range(rounds):
        for mode in runs:
            env = {**os.environ, "GAZETTEER_PURE": "1" if mode == "source" else "0"}
            out = subprocess.run([sys.executable, __file__, "--sight-only"], capture_output=True,
                                 text=True, env=env, check=True)
            runs[mode].append(json.loads(out.stdout.splitlines()[-1]))
    summary = {}
    for mode, results in runs.items():
        summary[mode] = {key: statistics.median(r[key] for r in results)
                         for key in ("first_sight_mb_per_s", "warm_mb_per_s")}
        summary[mode]["parser"] = results[0]["parser"]
    return summary


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--texts", type=int, default=100_000, help="distinct texts for the memory run")
    ap.add_argument("--no-freeze", action="store_true")
    ap.add_argument("--freeze-at", choices=("warm-up", "load"), default="warm-up",
                    help="freeze after the service's warm-up (parser built, wordfreq's lists "
                         "loaded), or right after loading as the CLI does")
    ap.add_argument("--json")
    ap.add_argument("--versus-source", type=int, metavar="N",
                    help="first sight and warm, compiled and from source, N fresh processes each")
    ap.add_argument("--sight-only", action="store_true",
                    help="first sight and warm only, printed as one JSON line (each turn of --versus-source)")
    args = ap.parse_args(argv)
    if args.versus_source:
        summary = versus_source(args.versus_source)
        for mode, fig in summary.items():
            print(f"{mode:>8} ({fig['parser']}): first sight {fig['first_sight_mb_per_s']:.2f} MB/s, "
                  f"warm {fig['warm_mb_per_s']:.2f} MB/s (medians of {args.versus_source})")
        for key, label in (("first_sight_mb_per_s", "first sight"), ("warm_mb_per_s", "warm")):
            print(f"compiled / source, {label}: x{summary['compiled'][key] / summary['source'][key]:.2f}")
        if args.json:
            Path(args.json).write_text(json.dumps(summary, indent=2))
        return 0
    from gazetteer.native import describe

    gz = Gazetteer.load()
    if not args.no_freeze and args.freeze_at == "load":
        gc.freeze()
    text = corpus()
    gz.parse(text[:5000])
    if not args.no_freeze and args.freeze_at == "warm-up":
        warm_up(gz)
        gc.freeze()
    if args.sight_only:
        print(json.dumps({**first_sight(gz, texts()), "parser": describe()}))
        return 0
    print(f"{describe()}; gc.freeze(): {'none' if args.no_freeze else 'after ' + args.freeze_at}")
    rss0 = rss_mb()
    points = memory_over_texts(gz, args.texts)
    print(f"RSS before: {rss0:.0f} MB; after " + ", ".join(f"{i:,} texts: {mb:.0f} MB" for i, mb in points))
    sight = first_sight(gz, texts())
    print(f"first sight: {sight['first_sight_mb_per_s']:.2f} MB/s, warm: {sight['warm_mb_per_s']:.2f} MB/s "
          f"({sight['texts']} texts, {sight['bytes'] / 1024:.0f} KB)")
    per_kb = time_per_kb(gz, text)
    for size, fig in per_kb.items():
        print(f"{size:>9,} chars: {fig['ms_per_kb']:.3f} ms/KB  {fig['mb_per_s']:.2f} MB/s")
    ratio = per_kb[SIZES[-1]]["ms_per_kb"] / per_kb[SIZES[0]]["ms_per_kb"]
    print(f"time per KB, 1 MB / 1 KB: x{ratio:.2f}")
    if args.json:
        Path(args.json).write_text(json.dumps({"per_kb": per_kb, "ratio": ratio, "first_sight": sight,
                                               "rss_before": rss0, "rss": points}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
