"""``gazetteer validate``: check places.csv and the admin polygons; exit 1 on errors."""
from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    from ..validate import add_arguments

    g = sub.add_parser(
        "validate", help="check the gazetteer data (ids, parents, points in their polygons, "
                         "duplicates, names); exit status 1 on errors",
        description="Check places.csv against itself and the OCHA admin polygons.  Errors (and "
                    "with --warnings, warnings) are printed as SEVERITY<TAB>ID<TAB>MESSAGE, a "
                    "summary on stderr.  Exit status: 0 no errors, 1 errors, 2 unreadable data.")
    add_arguments(g)
    g.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from ..validate import run as validate

    return validate(args)
