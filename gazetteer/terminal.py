"""Answers drawn for people on a terminal (``--format table``), with ``rich``.

Each view takes the FeatureCollection of the JSON contract, so a table shows exactly what a
program would read.  Colour marks confidence only (green ≥ 0.8, yellow ≥ 0.5, red below); rich
drops colours when ``NO_COLOR`` is set or the output is not a terminal, and the views never
depend on colour alone: mentions keep their ``[id]``, ambiguous answers their ``?``.

Arabic is written in logical order, as stored: the terminal (or the reader's bidi-aware viewer)
lays it out.  What could break the terminal is replaced before printing: control characters
(an ESC from a text file would start an escape sequence) and the bidi embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069), whose effect can leak past the line they are on.
"""
from __future__ import annotations

import re
import sys
from typing import Iterable, Sequence, TextIO

from rich import box
from rich.console import Console, Group, RenderableType
from rich.table import Table
from rich.text import Text

SURE, FAIR = 0.8, 0.5
AMBIGUOUS_MARK = "?"
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def console(file: TextIO | None = None) -> Console:
    """A rich console on standard output; no markup or automatic highlighting, so names and
    texts are printed as they are."""
    return Console(file=file or sys.stdout, markup=False, highlight=False, emoji=False)


def printable(text: str) -> str:
    """``text`` safe to print: CR-LF as LF, other control and bidi-override characters as �."""
    return _UNSAFE.sub("\N{REPLACEMENT CHARACTER}", text.replace("\r\n", "\n"))


def confidence_colour(confidence: float) -> str:
    if confidence >= SURE:
        return "green"
    return "yellow" if confidence >= FAIR else "red"


def confidence_text(confidence: float) -> Text:
    return Text(f"{confidence:.2f}", style=confidence_colour(confidence))


def both_names(en: str, ar: str, *, sep: str = " · ") -> str:
    """English and Arabic names on one line (each one script, so a bidi terminal keeps them
    apart), or whichever exists."""
    return printable(sep.join(n for n in (en, ar) if n))


def two_lines(en: str, ar: str) -> str:
    """English above Arabic in a table cell, so that neither wraps into the other."""
    return printable("\n".join(n for n in (en, ar) if n))


def _admin_path(props: dict, levels: Iterable[int] = (1, 2, 3)) -> str:
    names = []
    for level in levels:
        ref = props.get(f"admin{level}")
        if ref:
            names.append(ref.get("name_en") or ref.get("name_ar") or ref.get("pcode", ""))
    return printable(" / ".join(names))


def _error(fc: dict) -> Text | None:
    if "error" not in fc:
        return None
    return Text(printable(f"{fc.get('id', '')}: {fc['error']}"), style="bold red")


def _heading(fc: dict, text: str) -> Text:
    heading = Text(printable(text), style="bold")
    if "id" in fc:
        heading.append(printable(f"  (id {fc['id']})"), style="dim")
    return heading


# -- geocode -----------------------------------------------------------------------------------
def geocode_view(fc: dict, *, near: Sequence[dict] = (), min_confidence: float = 0.3) -> RenderableType:
    """The answers to one query, best first; when there are none, "not found" in words and the
    closest names that scored below ``min_confidence`` (``near``: features of the same shape)."""
    error = _error(fc)
    if error is not None:
        return error
    query = fc.get("query") or ""
    features = fc["features"]
    if features:
        count = f"{len(features)} answer" + ("s" if len(features) > 1 else "")
        return Group(_heading(fc, f"“{query}”: {count}, best first"), places_table(features))
    parts: list[RenderableType] = [
        _heading(fc, f"“{query}”: not found"),
        Text(f"No place matches it with a confidence of {min_confidence:g} or more."),
    ]
    if near:
        parts += [Text("Closest names below that threshold:"), places_table(near)]
    else:
        parts.append(Text("No name comes close."))
    return Group(*parts)


def places_table(features: Sequence[dict]) -> Table:
    """One row per place, its English name above its Arabic one; ids and numbers never wrap."""
    ambiguous = any(f["properties"].get("ambiguous") for f in features)
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                  caption_justify="left")
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("place")
    table.add_column("id", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("governorate / district / sub-district", overflow="fold")
    table.add_column("lat", justify="right", no_wrap=True)
    table.add_column("lon", justify="right", no_wrap=True)
    table.add_column("conf.", justify="right", no_wrap=True)
    if ambiguous:
        table.add_column("", style="bold yellow", no_wrap=True)
        table.caption = (f"{AMBIGUOUS_MARK} ambiguous: places far apart share the name; the "
                         "confidence says how sure the choice is")
    for rank, f in enumerate(features, 1):
        p = f["properties"]
        lon, lat = f["geometry"]["coordinates"][:2]
        cells = [str(rank), two_lines(p["name_en"], p["name_ar"]), printable(p["id"]),
                 printable(p["type"]), _admin_path(p),
                 f"{lat:.4f}", f"{lon:.4f}", confidence_text(p["confidence"])]
        if ambiguous:
            cells.append(AMBIGUOUS_MARK if p.get("ambiguous") else "")
        table.add_row(*cells)
    return table


# -- parse -------------------------------------------------------------------------------------
def parse_view(fc: dict, text: str) -> RenderableType:
    """The text with each mention highlighted and its place id after it, then the places it
    names (one row per place, in order of first mention) and the document's focus."""
    error = _error(fc)
    if error is not None:
        return error
    features = sorted(fc["features"], key=lambda f: f["properties"]["start"])
    parts: list[RenderableType] = []
    if "id" in fc:
        parts.append(_heading(fc, ""))
    parts.append(highlighted(text, features))
    if not features:
        parts.append(Text("No Syrian place found in this text.", style="bold"))
        return Group(*parts)
    parts += [Text(""), mentions_table(features), focus_line(fc.get("focus"))]
    return Group(*parts)


def highlighted(text: str, features: Sequence[dict]) -> Text:
    """``text`` with each mention in bold, underlined and coloured by confidence, followed by
    its place id in brackets.  Offsets are the contract's (characters of the original text)."""
    out = Text()
    pos = 0
    for f in features:
        p = f["properties"]
        start, end = p["start"], p["end"]
        if start < pos:  # overlapping mentions: the first one wins
            continue
        colour = confidence_colour(p["confidence"])
        out.append(printable(text[pos:start]))
        out.append(printable(text[start:end]), style=f"bold underline {colour}")
        out.append(printable(f" [{p['id']}]"), style=colour)
        pos = end
    out.append(printable(text[pos:].rstrip("\n")))
    return out


def mentions_table(features: Sequence[dict]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, collapse_padding=True,
                  caption_justify="left",
                  caption="conf.: the place's surest mention "
                          f"(green ≥ {SURE:g}, yellow ≥ {FAIR:g}, red below)")
    table.add_column("place")
    table.add_column("id", no_wrap=True)
    table.add_column("type", no_wrap=True)
    table.add_column("governorate / district", overflow="fold")
    table.add_column("as written")
    table.add_column("×", justify="right", no_wrap=True)
    table.add_column("conf.", justify="right", no_wrap=True)
    by_place: dict[str, list[dict]] = {}
    for f in features:
        by_place.setdefault(f["properties"]["id"], []).append(f["properties"])
    for pid, mentions in by_place.items():
        p = mentions[0]
        surfaces = list(dict.fromkeys(m["surface"] for m in mentions))
        table.add_row(two_lines(p["name_en"], p["name_ar"]), printable(pid), printable(p["type"]),
                      _admin_path(p, (1, 2)), printable("، ".join(surfaces)), str(len(mentions)),
                      confidence_text(max(m["confidence"] for m in mentions)))
    return table


def focus_line(focus: dict | None) -> Text:
    line = Text("Focus: ", style="bold")
    if not focus:
        return line.append("none (no mention lies in a governorate)")
    gov, place = focus["admin1"], focus["place"]
    line.append(both_names(gov["name_en"], gov["name_ar"]), style="bold")
    line.append(f" ({focus['weight']:.0%} of the mentions' confidence); surest place there: ")
    line.append(both_names(place["name_en"], place["name_ar"]))
    line.append(printable(f" [{place['id']}]"))
    return line


# -- reverse -----------------------------------------------------------------------------------
ADMIN_LABELS = (("admin1", "governorate"), ("admin2", "district"), ("admin3", "sub-district"))


def reverse_view(fc: dict) -> RenderableType:
    """What is at a point, as a short block: admin units, neighbourhood, nearest places."""
    error = _error(fc)
    if error is not None:
        return error
    query, *nearby = fc["features"]
    q = query["properties"]
    lon, lat = query["geometry"]["coordinates"][:2]
    heading = _heading(fc, f"{lat:.5f}, {lon:.5f}")
    block = Table.grid(padding=(0, 2))
    block.add_column(style="bold")
    block.add_column()
    if q["outside"]:
        heading.append(printable(f"  outside Syria, {q['distance_to_syria_km']:.1f} km from its border"
                                 if q.get("distance_to_syria_km") is not None else "  outside Syria"))
    else:
        for key, label in ADMIN_LABELS:
            ref = q.get(key)
            block.add_row(label, _ref(ref) if ref else Text("–", style="dim"))
        nb = q.get("neighbourhood")
        block.add_row("neighbourhood", _neighbourhood(nb) if nb else Text("–", style="dim"))
        if q.get("match") == "neighbourhood":
            block.add_row("", Text("(sub-district by the neighbourhood: the point lies just "
                                   "outside the OCHA polygons)", style="dim"))
        elif q.get("match") == "nearest":
            block.add_row("", Text(f"(nearest sub-district, {q['admin_distance_km']:.2f} km away: "
                                   "the point lies just outside the OCHA polygons)", style="dim"))
    radius = q.get("radius_km")
    block.add_row("nearest places", _nearby_table(nearby) if nearby
                  else Text(f"none within {radius:g} km" if radius else "none", style="dim"))
    return Group(heading, block)


def _ref(ref: dict) -> Text:
    text = Text(both_names(ref["name_en"], ref["name_ar"]))
    text.append(printable(f"  {ref['pcode']}"), style="dim")
    return text


def _neighbourhood(nb: dict) -> Text:
    text = _ref(nb)
    city = nb.get("city")
    if city:
        text.append(printable(f"  in {both_names(city['name_en'], city['name_ar'])}"), style="dim")
    return text


def _nearby_table(features: Sequence[dict]) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right")
    table.add_column()
    table.add_column(style="dim")
    table.add_column(style="dim")
    for f in features:
        p = f["properties"]
        table.add_row(f"{p['distance_km']:.1f} km", both_names(p["name_en"], p["name_ar"]),
                      printable(p["type"]), printable(p["id"]))
    return table
