"""Instructions one pass of the Arabic parse takes, under valgrind's callgrind (deterministic,
unlike CPU time on a shared VM: compare two versions of the code by these counts).

    valgrind --tool=callgrind --instr-atstart=no python bench/parse_instructions.py first-sight
    valgrind --tool=callgrind --instr-atstart=no python bench/parse_instructions.py warm

The texts, the warm-up and the emptied caches are those of ``bench_parse_scale.py``'s first
sight: the Arabic dev texts and tweets parsed once right after every per-word cache is emptied
("first-sight"), or once more right after that ("warm").  Only that pass is counted: loading
runs with the instrumentation off, and ``callgrind_control`` turns it on and off around the pass;
valgrind prints the count ("Collected") when the process ends.
"""
from __future__ import annotations

import gc
import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_parse_scale import corpus, forget_words, texts, warm_up  # noqa: E402

from gazetteer import Gazetteer  # noqa: E402 (bench_parse_scale puts the project on the path)


def main(argv=None) -> int:
    mode = (argv or sys.argv[1:] or ["first-sight"])[0]
    if mode not in ("first-sight", "warm"):
        raise SystemExit("usage: parse_instructions.py first-sight|warm")
    gz = Gazetteer.load()
    gz.parse(corpus()[:5000])
    warm_up(gz)
    gc.freeze()  # as the service does after its warm-up
    corpus_texts = texts()
    forget_words(gz)
    if mode == "warm":
        for text in corpus_texts:
            gz.parse(text)
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=False)
    for text in corpus_texts:
        gz.parse(text)
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
