"""The ``gazetteer`` command: one subcommand per module in ``gazetteer.commands``."""
from __future__ import annotations

import argparse
import importlib
import sys
from typing import Sequence

from .exceptions import GazetteerError

SUBCOMMANDS = ("geocode", "parse", "reverse", "batch", "validate", "serve", "curate")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gazetteer", description="Syrian gazetteer and geocoder")
    sub = parser.add_subparsers(dest="command", required=True)
    for name in SUBCOMMANDS:
        try:
            module = importlib.import_module(f"gazetteer.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"gazetteer.commands.{name}":
                raise
            continue  # a subcommand still being written
        module.register(sub)
    return parser


def utf8_stdout() -> None:
    """Whatever the locale, what the commands print is UTF-8, and never holds a lone surrogate
    (strict errors: a surrogate is refused where it is read, not written as garbage)."""
    stdout = sys.stdout
    if hasattr(stdout, "reconfigure") and (
            (stdout.encoding or "").replace("_", "-").lower() not in ("utf-8", "utf8")
            or stdout.errors != "strict"):
        stdout.reconfigure(encoding="utf-8", errors="strict")


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    utf8_stdout()
    try:
        return args.func(args)
    except GazetteerError as exc:
        print(f"gazetteer: {exc}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        return 0
    except OSError as exc:  # stdout on a full disk, an unreadable file: a message, not a trace
        where = f" ({exc.filename})" if exc.filename else ""
        print(f"gazetteer: {exc.strerror or exc}{where}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
