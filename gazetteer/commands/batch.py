"""``gazetteer batch``: geocode a CSV/.xlsx name column, or geoparse a text column, streamed."""
from __future__ import annotations

import argparse
import codecs
import io
import json
import os
import sys
import tempfile
from pathlib import Path

from ..exceptions import InputFormatError

_DELIMITERS = {"comma": ",", "semicolon": ";", "tab": "\t", "\\t": "\t", "pipe": "|"}

EPILOG = """\
Output: every input row and column, in order, then the added columns (see docs/batch.md):
  lat, lon, place_id, place_name_ar, place_name_en, place_type,
  admin1_pcode, admin1_name_en, admin1_name_ar (and admin2_*, admin3_*),
  confidence, match_status (matched | ambiguous | not_found | invalid), alternatives, match_note
With --text-column: the place columns describe the first place mentioned, plus mention_count,
mention_surfaces, mention_place_ids, mention_names_en, mention_names_ar, mentions_json; with
--one-row-per-mention: one row per mention with mention_index, mention_start, mention_end,
mention_surface.

examples:
  gazetteer batch villages.csv -o out.csv --column name
  gazetteer batch reports.xlsx -o out.csv --text-column text --one-row-per-mention
  cat big.csv | gazetteer batch - --column الاسم --workers 2 > out.csv
"""


def _delimiter(value: str) -> str:
    value = _DELIMITERS.get(value.lower(), value)
    if len(value) != 1:
        raise argparse.ArgumentTypeError("one character, or comma/semicolon/tab/pipe")
    return value


def register(sub: argparse._SubParsersAction) -> None:
    b = sub.add_parser(
        "batch", help="geocode a CSV/.xlsx column of names (or geoparse a text column)",
        description="Geocode a column of place names (or geoparse a column of text) in a CSV or "
                    ".xlsx file, streaming: constant memory whatever the file size.",
        epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    b.add_argument("input", help="CSV or .xlsx file, or - for stdin")
    b.add_argument("-o", "--output", default="-", help="output CSV file, or - for stdout (default)")
    what = b.add_mutually_exclusive_group()
    what.add_argument("-c", "--column", help="the column of place names to geocode")
    what.add_argument("-t", "--text-column", help="a column of free text to geoparse")
    b.add_argument("--one-row-per-mention", action="store_true",
                   help="with --text-column: one output row per place mentioned")
    b.add_argument("--context-column", action="append", default=[], metavar="COL",
                   help="a column (e.g. governorate) appended to the name as a qualifier; repeatable")
    b.add_argument("--encoding", help="input encoding (default: sniffed: UTF-8, UTF-8 BOM, UTF-16, "
                                      "Windows-1256)")
    b.add_argument("--delimiter", type=_delimiter, help="input delimiter (default: sniffed)")
    b.add_argument("--sheet", help=".xlsx worksheet (default: the first)")
    b.add_argument("--output-encoding", default="utf-8",
                   help="default utf-8; utf-8-sig writes a BOM so that Excel shows Arabic")
    b.add_argument("--output-delimiter", type=_delimiter,
                   help="default: the input's delimiter (comma for .xlsx)")
    b.add_argument("--min-confidence", type=float, default=None,
                   help="answers below this are not_found (default 0.3 for names)")
    b.add_argument("--admin1", help="restrict to a governorate (p-code or name)")
    b.add_argument("--type", action="append", help="restrict to a place type (repeatable)")
    b.add_argument("--alternatives", type=int, default=4,
                   help="other candidates listed for an ambiguous name (default 4)")
    b.add_argument("--prefix", default="", help="put before each added column name, e.g. geo_")
    b.add_argument("-j", "--workers", type=int, default=1, help="processes (default 1)")
    b.add_argument("--chunk-size", type=int, default=1000, help="rows per worker task")
    b.add_argument("--cache-size", type=int, default=65536, help="distinct names kept (LRU)")
    prog = b.add_mutually_exclusive_group()
    prog.add_argument("--progress", dest="progress", action="store_true", default=None,
                      help="show a progress line on stderr (default: when stderr is a terminal)")
    prog.add_argument("--no-progress", dest="progress", action="store_false")
    b.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    b.add_argument("--summary-json", metavar="FILE", help="also write the summary as JSON here")
    b.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..batch import geocode_csv, shared_gazetteer

    if args.one_row_per_mention and not args.text_column:
        print("gazetteer batch: --one-row-per-mention goes with --text-column", file=sys.stderr)
        return 2
    if args.workers < 1 or args.chunk_size < 1 or args.cache_size < 1:
        print("gazetteer batch: --workers, --chunk-size and --cache-size must be positive", file=sys.stderr)
        return 2
    if args.input == "-":
        source: object = sys.stdin.buffer
    else:
        source = Path(args.input)
        if not source.exists():
            raise InputFormatError(f"no such file: {args.input}")
    to_stdout = args.output == "-"
    if not to_stdout and args.input != "-":
        out_path = Path(args.output)
        if out_path.exists() and os.path.samefile(out_path, source):  # type: ignore[arg-type]
            raise InputFormatError("the output file is the input file")
    try:
        codecs.lookup(args.output_encoding)
    except LookupError:
        raise InputFormatError(f"unknown output encoding {args.output_encoding!r}") from None
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    options = dict(
        column=args.column, text_column=args.text_column,
        one_row_per_mention=args.one_row_per_mention, context_columns=args.context_column,
        encoding=args.encoding, delimiter=args.delimiter, output_delimiter=args.output_delimiter,
        sheet=args.sheet, min_confidence=args.min_confidence, admin1=args.admin1, types=args.type,
        alternatives=args.alternatives, prefix=args.prefix, workers=args.workers,
        chunk_size=args.chunk_size, cache_size=args.cache_size, progress=progress,
    )
    gz = shared_gazetteer()
    if to_stdout:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding=args.output_encoding, errors="replace",
                               newline="")
        try:
            summary = geocode_csv(source, out, gazetteer=gz, **options)
        finally:
            try:
                out.flush()
            finally:
                out.detach()
    else:
        target = Path(args.output)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part",
                                   dir=target.parent if str(target.parent) else ".")
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # as if created by open(), not mkstemp's 0600
        try:
            with open(fd, "w", encoding=args.output_encoding, errors="replace", newline="") as out:
                summary = geocode_csv(source, out, gazetteer=gz, **options)
            os.replace(tmp, target)
        except BaseException:
            os.unlink(tmp)
            raise
    if not args.quiet:
        print(f"gazetteer batch: {summary}", file=sys.stderr)
    if args.summary_json:
        with open(args.summary_json, "w", encoding="utf-8") as f:
            json.dump(summary.as_dict(), f, ensure_ascii=False, indent=2)
            f.write("\n")
    return 0
