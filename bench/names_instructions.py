"""Instructions one pass of the dev name queries takes, under valgrind's callgrind (deterministic,
unlike CPU time on a shared VM: compare two versions of the code by these counts).

    PYTHONHASHSEED=0 setarch x86_64 -R valgrind --tool=callgrind --instr-atstart=no \\
        python bench/names_instructions.py first-pass
    PYTHONHASHSEED=0 setarch x86_64 -R valgrind --tool=callgrind --instr-atstart=no \\
        python bench/names_instructions.py warm

The pass is ``bench_names.py``'s: ``Gazetteer.load()``, one warm-up query, then every dev query
with ``limit=1, exactly_one=True``, each new to the process ("first-pass") or after one pass
already ("warm").  Only that pass is counted: ``callgrind_control`` turns the instrumentation on
and off around it; valgrind prints the count ("Collected") when the process ends.  A fixed hash
seed and no address randomization (``setarch -R``) make the count repeat to within 0.1%;
without them it moves by about 2% from run to run (hash and address order of sets and dicts).
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_names import ROOT, read_names, run_geocoder  # noqa: E402

from gazetteer import Gazetteer  # noqa: E402 (bench_names puts the project on the path)


def main(argv=None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    mode = args[0] if args else "first-pass"
    if mode not in ("first-pass", "warm"):
        raise SystemExit("usage: names_instructions.py first-pass|warm [NAMES.tsv]")
    names = Path(args[1]) if len(args) > 1 else ROOT.parent / "shared" / "dev" / "names_dev.tsv"
    if not names.exists():
        raise SystemExit(f"{names} not found: give the dev names as the second argument")
    gz = Gazetteer.load()
    rows = read_names(names)
    gz.geocode("warm up")
    if mode == "warm":
        run_geocoder(gz, rows)
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=False)
    run_geocoder(gz, rows)
    subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
