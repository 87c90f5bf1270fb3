"""Does a mention's confidence mean what it says?  Mention by mention, on the hand-annotated texts.

    python bench/bench_mentions.py [--dev ../shared/dev] [--threshold 0.8]

For the Arabic and English texts with every place annotated (texts_*_spans_dev.jsonl), each
mention ``parse`` returns is folded and compared with the annotations exactly as
``../shared/dev/score.py spans-ar|spans-en`` does (its folding functions are imported from
there).  Reported per confidence band: mentions, and the share that are not a place ("wrong:
not a place"); mentions equal to an annotation marked unsure are left out, as score.py does.

"Wrong place": in the Arabic incident texts (texts_ar_dev.jsonl) a mention whose folded surface
is the incident place's name as the source wrote it names that place; it is wrong when it lies
more than 25 km from the incident point.  The share of such mentions given ≥ the threshold that
are wrong is reported beside the share below it.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from gazetteer import Gazetteer  # noqa: E402

BANDS = ((0.0, 0.5), (0.5, 0.8), (0.8, 1.01))


def load_score(dev: Path):
    spec = importlib.util.spec_from_file_location("dev_score", dev / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (math.sin((p2 - p1) / 2) ** 2
         + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2)
    return 12742 * math.asin(math.sqrt(a))


def not_a_place(gz: Gazetteer, rows: list[dict], fold, clitics: bool) -> list[tuple[float, bool]]:
    """(confidence, is the mention not an annotated place) for every counted mention."""
    out = []
    for row in rows:
        syrian = {fold(p["surface"]) for p in row["places"] if p["class"] != "FOREIGN" and not p.get("unsure")}
        unsure = {fold(p["surface"]) for p in row["places"] if p.get("unsure")}
        for m in gz.parse(row["text"]):
            s = fold(m.surface)
            forms = {s} | ({s[1:]} if clitics and s[:1] in "وبلفك" and len(s) > 3 else set())
            if forms & syrian:
                out.append((m.confidence, False))
            elif not forms & unsure:
                out.append((m.confidence, True))
    return out


def wrong_place(gz: Gazetteer, rows: list[dict], fold) -> list[tuple[float, bool]]:
    out = []
    for row in rows:
        gold = row["gold"]
        name = fold((gold.get("place_ar") or "").strip(" ,"))
        if not name:
            continue
        for m in gz.parse(row["text"]):
            if fold(m.surface) == name:
                out.append((m.confidence, km(gold["lat"], gold["lon"], m.place.lat, m.place.lon) > 25))
    return out


def table(title: str, pairs: list[tuple[float, bool]]) -> None:
    print(title)
    for lo, hi in BANDS:
        band = [bad for conf, bad in pairs if lo <= conf < hi]
        share = sum(band) / len(band) if band else float("nan")
        print(f"  confidence {lo:.1f}–{min(hi, 1.0):.1f}: {len(band):4d} mentions, wrong {share:.3f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--dev", default=str(ROOT.parent / "shared" / "dev"))
    args = ap.parse_args(argv)
    dev = Path(args.dev)
    if not (dev / "score.py").exists():
        ap.error(f"{dev} holds no score.py: this benchmark needs the dev sets of ../shared/dev "
                 "(give --dev PATH)")
    score = load_score(dev)
    gz = Gazetteer.load()
    table("Arabic texts, every place annotated: not a place",
          not_a_place(gz, read_jsonl(dev / "texts_ar_spans_dev.jsonl"), score.fold_surface, True))
    table("English articles, every place annotated: not a place",
          not_a_place(gz, read_jsonl(dev / "texts_en_spans_dev.jsonl"), score.fold_en, False))
    table("Arabic incident texts, mentions of the incident's name: more than 25 km off",
          wrong_place(gz, read_jsonl(dev / "texts_ar_dev.jsonl"), score.fold_surface))
    return 0


if __name__ == "__main__":
    sys.exit(main())
