"""``gazetteer batch``: geocode a CSV/.xlsx name column, or geoparse a text column, streamed."""
from __future__ import annotations

import argparse
import io
import json
import os
import sys
from pathlib import Path

from . import unit_interval
from ..csvio import InputLimits, parse_size
from ..exceptions import InputFormatError
from ..outfile import DAMAGE_HANDLER, check_encoding, new_damage_count, output_file

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
                   help="default utf-8; utf-8-sig writes a BOM so that Excel shows Arabic; one "
                        "that cannot hold Arabic (latin-1) is refused, and characters it cannot "
                        "hold (cp1256) are counted: exit status 1")
    b.add_argument("--output-delimiter", type=_delimiter,
                   help="default: the input's delimiter (comma for .xlsx)")
    b.add_argument("--min-confidence", type=unit_interval, default=None,
                   help="answers below this are not_found (default 0.3 for names)")
    b.add_argument("--admin1", help="restrict to a governorate (p-code or name)")
    b.add_argument("--type", action="append", help="restrict to a place type (repeatable)")
    b.add_argument("--alternatives", type=int, default=4,
                   help="other candidates listed for an ambiguous name (default 4)")
    b.add_argument("--prefix", default="", help="put before each added column name, e.g. geo_")
    b.add_argument("--max-xlsx-bytes", type=parse_size, default=InputLimits.xlsx_bytes,
                   metavar="SIZE", help="refuse an .xlsx that decompresses to more than this "
                   "(default 1G; K, M, G suffixes)")
    b.add_argument("--max-xlsx-strings-bytes", type=parse_size,
                   default=InputLimits.xlsx_strings_bytes, metavar="SIZE",
                   help="refuse an .xlsx whose shared-strings table (held in memory whole) "
                   "decompresses to more than this (default 128M)")
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
    encoding = check_encoding(args.output_encoding)  # one that can hold Arabic, or refused
    damage = new_damage_count()
    progress = args.progress if args.progress is not None else sys.stderr.isatty()
    options = dict(
        column=args.column, text_column=args.text_column,
        one_row_per_mention=args.one_row_per_mention, context_columns=args.context_column,
        encoding=args.encoding, delimiter=args.delimiter, output_delimiter=args.output_delimiter,
        sheet=args.sheet, min_confidence=args.min_confidence, admin1=args.admin1, types=args.type,
        alternatives=args.alternatives, prefix=args.prefix, workers=args.workers,
        chunk_size=args.chunk_size, cache_size=args.cache_size, progress=progress,
        limits=InputLimits(xlsx_bytes=args.max_xlsx_bytes,
                           xlsx_strings_bytes=args.max_xlsx_strings_bytes),
    )
    gz = shared_gazetteer()
    if to_stdout:
        out = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, errors=DAMAGE_HANDLER,
                               newline="")
        try:
            summary = geocode_csv(source, out, gazetteer=gz, **options)
        finally:
            try:
                out.flush()
            finally:
                out.detach()
    else:
        with output_file(args.output, encoding, DAMAGE_HANDLER) as out:
            summary = geocode_csv(source, out, gazetteer=gz, **options)
    if not args.quiet:
        print(f"gazetteer batch: {summary}", file=sys.stderr)
    if args.summary_json:
        with output_file(args.summary_json) as f:
            json.dump(summary.as_dict(), f, ensure_ascii=False, indent=2)
            f.write("\n")
    if damage.characters:
        print(f"gazetteer batch: error: {damage.characters:,} character(s) in {damage.rows:,} "
              f"row(s) cannot be written in {args.output_encoding} and were replaced with '?'; "
              "use --output-encoding utf-8 (or utf-8-sig for Excel)", file=sys.stderr)
        return 1
    return 0
