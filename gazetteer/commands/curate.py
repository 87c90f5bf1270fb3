"""``gazetteer curate``: add names and places to the overlay, correct, retire, revert; list,
log, export, import; and the API keys of the HTTP service."""
from __future__ import annotations

import argparse
import getpass
import json
import os
import sys


def register(sub: argparse._SubParsersAction) -> None:
    g = sub.add_parser(
        "curate", help="curation: aliases, new places, corrections on top of the bundled data",
        description="Changes kept in the curation store ($GAZETTEER_CURATION, or --store: a "
                    "SQLite file or a postgresql:// URL; default ~/.local/share/syria-gazetteer/"
                    "curation.sqlite3), seen at once by geocode, parse, reverse, batch, validate "
                    "and the service.  Refusals exit with status 1 and the reason.")
    g.add_argument("--store", metavar="PATH|URL", help="the curation store (default: "
                                                         "$GAZETTEER_CURATION or the user's)")
    ops = g.add_subparsers(dest="operation", required=True)

    def change(name: str, help: str) -> argparse.ArgumentParser:
        p = ops.add_parser(name, help=help, description=help)
        p.add_argument("--who", default=os.environ.get("GAZETTEER_CURATOR") or _user(),
                       help="who makes the change (default: $GAZETTEER_CURATOR or the login)")
        p.add_argument("--why", required=True, help="why: the evidence, in a sentence")
        p.add_argument("--source", default="", help="a link or a document")
        return p

    p = change("add-alias", "another name of a place, in either script")
    p.add_argument("place_id", metavar="ID")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--area", help="p-code of the admin unit where the name is used")
    p = change("add-place", "a place the gazetteer lacks (its id will be U:<change id>)")
    p.add_argument("--type", required=True)
    p.add_argument("--lat", required=True, type=float)
    p.add_argument("--lon", required=True, type=float)
    p.add_argument("--parent", required=True, metavar="ID", help="the sub-district (p-code) or "
                   "the place it belongs to")
    p.add_argument("--name-ar", default="")
    p.add_argument("--name-en", default="")
    p.add_argument("--alt-ar", action="append", default=[], metavar="NAME")
    p.add_argument("--alt-en", action="append", default=[], metavar="NAME")
    p.add_argument("--force", action="store_true",
                   help="add it although a place with the same name skeleton is within 2 km "
                        "(--why says why it is another place)")
    p = change("correct", "correct a place's names, type, point or parent")
    p.add_argument("place_id", metavar="ID")
    for field in ("name-ar", "name-en", "type", "parent"):
        p.add_argument(f"--{field}")
    p.add_argument("--lat", type=float)
    p.add_argument("--lon", type=float)
    p = change("retire", "take a wrong alternate name off a place")
    p.add_argument("place_id", metavar="ID")
    p.add_argument("name", metavar="NAME")
    p = change("revert", "undo a change (recorded as a change of its own)")
    p.add_argument("change_id", metavar="CHANGE", type=int)
    p = change("import", "take a CSV in the places.csv columns, row by row, all or nothing")
    p.add_argument("file", metavar="FILE")

    p = ops.add_parser("list", help="the changes in force (JSON lines)")
    p.add_argument("--place", metavar="ID")
    p = ops.add_parser("log", help="every change, reverts too (JSON lines): the audit log")
    p.add_argument("--after", type=int, default=0, metavar="CHANGE")
    p.add_argument("--limit", type=int)
    p = ops.add_parser("export", help="the amended and new places as places.csv rows")
    p.add_argument("-o", "--output", metavar="FILE", help="default: stdout")

    p = ops.add_parser("key", help="API keys of the HTTP service (stored hashed)")
    keys = p.add_subparsers(dest="key_operation", required=True)
    k = keys.add_parser("create", help="a new key; the secret is printed once")
    k.add_argument("name")
    k.add_argument("--role", choices=("reader", "editor", "admin"), default="editor")
    k = keys.add_parser("revoke", help="revoke a key (it stops working at once)")
    k.add_argument("name")
    keys.add_parser("list", help="the keys: name, role, created, revoked")
    g.set_defaults(func=run)


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def run(args: argparse.Namespace) -> int:
    from ..curation import Refused

    try:
        return _run(args)
    except Refused as exc:
        print(f"gazetteer curate: refused ({exc.code}): {exc}", file=sys.stderr)
        return 1


def _store(args: argparse.Namespace):
    from ..curation import configured_location, open_store
    from ..exceptions import DataError

    location = args.store or configured_location()
    if location is None:
        raise DataError("curation is off (GAZETTEER_CURATION=off): name a store with --store")
    return open_store(location)


def _run(args: argparse.Namespace) -> int:
    op = args.operation
    out = sys.stdout
    if op in ("log", "key"):  # the store alone: no gazetteer to load
        store = _store(args)
        try:
            if op == "log":
                changes = store.changes(after=args.after)
                for c in changes[:args.limit] if args.limit is not None else changes:
                    out.write(json.dumps(c.as_dict(), ensure_ascii=False) + "\n")
                return 0
            return _keys(args, store)
        finally:
            store.close()
    from ..gazetteer import Gazetteer

    gz = Gazetteer.load(curation=args.store or True)
    try:
        return _operate(args, gz.curation)
    finally:
        gz.curation.store.close()


def _operate(args: argparse.Namespace, cur) -> int:
    op = args.operation
    out = sys.stdout
    meta = {}
    if op not in ("list", "export"):
        meta = dict(who=args.who, why=args.why, source=args.source)
    if op == "add-alias":
        done = [cur.add_alias(args.place_id, args.name, area=args.area, **meta)]
    elif op == "add-place":
        done = [cur.add_place(type=args.type, lat=args.lat, lon=args.lon, parent_id=args.parent,
                              name_ar=args.name_ar, name_en=args.name_en, alt_ar=args.alt_ar,
                              alt_en=args.alt_en, force=args.force, **meta)]
    elif op == "correct":
        fields = {"name_ar": args.name_ar, "name_en": args.name_en, "type": args.type,
                  "lat": args.lat, "lon": args.lon, "parent_id": args.parent}
        done = [cur.correct(args.place_id, **{k: v for k, v in fields.items() if v is not None},
                            **meta)]
    elif op == "retire":
        done = [cur.retire(args.place_id, args.name, **meta)]
    elif op == "revert":
        done = [cur.revert(args.change_id, **meta)]
    elif op == "import":
        from ..exceptions import InputFormatError

        try:
            with open(args.file, encoding="utf-8-sig", newline="") as f:
                done = cur.import_csv(f, **meta)
        except UnicodeDecodeError as exc:
            raise InputFormatError(f"{args.file} is not UTF-8: {exc}") from None
    elif op == "list":
        for c in cur.active(args.place):
            out.write(json.dumps(c.as_dict(), ensure_ascii=False) + "\n")
        return 0
    else:  # export
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as f:
                n = cur.export(f)
        else:
            n = cur.export(out)
        print(f"{n} place(s) exported", file=sys.stderr)
        return 0
    for c in done:
        out.write(json.dumps(c.as_dict(), ensure_ascii=False) + "\n")
    print(f"{len(done)} change(s) stored in {cur.store.url}", file=sys.stderr)
    return 0


def _keys(args: argparse.Namespace, store) -> int:
    from ..curation import Refused
    from ..curation.keys import create_key

    op = args.key_operation
    if op == "create":
        key, secret = create_key(store, args.name, args.role)
        print(f"created the {key.role} key {key.name!r}; its secret (shown only now):",
              file=sys.stderr)
        print(secret)
        return 0
    if op == "revoke":
        if not store.revoke_key(args.name):
            raise Refused("unknown-key", f"no live key named {args.name!r}")
        print(f"revoked {args.name!r}", file=sys.stderr)
        return 0
    for key in store.keys():
        print(f"{key.name}\t{key.role}\t{key.created_at}\t{key.revoked_at or ''}")
    return 0
