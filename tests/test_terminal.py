"""``gazetteer.terminal``: the views drawn from the JSON contract, rendered without a terminal."""
import io

from rich.console import Console

from gazetteer.geojson import feature_collection
from gazetteer.parse import document_focus
from gazetteer.terminal import (confidence_colour, geocode_view, highlighted, parse_view,
                                printable, reverse_view)


def render(renderable, width=100) -> str:
    out = io.StringIO()
    Console(file=out, width=width, markup=False, highlight=False, emoji=False).print(renderable)
    return out.getvalue()


def test_printable_neutralises_what_would_drive_a_terminal():
    assert printable("a\x1b[31mb\u202ec\u2067d\x07e\r\nf\tg") == "a�[31mb�c�d�e\nf\tg"
    assert printable("خان طومان، حلب") == "خان طومان، حلب"  # Arabic, its comma: untouched


def test_confidence_colours():
    assert [confidence_colour(c) for c in (1.0, 0.8, 0.79, 0.5, 0.49)] == \
        ["green", "green", "yellow", "yellow", "red"]


def test_highlighted_keeps_the_text_and_puts_ids_after_mentions(gazetteer):
    text = "قصف على بلدة داريا وخان طومان\r\nثم حلب"
    mentions = gazetteer.parse(text)
    assert len(mentions) >= 3
    fc = feature_collection(mentions, focus=document_focus(mentions))
    shown = highlighted(text, fc["features"])
    expected = text.replace("\r\n", "\n")
    for m in sorted(mentions, key=lambda m: m.start, reverse=True):
        expected = expected[:m.end] + f" [{m.place.id}]" + expected[m.end:]
    assert shown.plain == expected
    # the styled spans are the mentions as written
    styled = [shown.plain[s.start:s.end] for s in shown.spans if "underline" in str(s.style)]
    assert styled == [m.surface for m in sorted(mentions, key=lambda m: m.start)]


def test_parse_view_without_places_says_so():
    fc = {"type": "FeatureCollection", "features": [], "focus": None}
    assert "No Syrian place found" in render(parse_view(fc, "لا شيء هنا"))


def test_geocode_view_lists_answers_best_first(gazetteer):
    fc = feature_collection(gazetteer.geocode("Frikeh"), query="Frikeh")
    shown = render(geocode_view(fc))
    ids = [f["properties"]["id"] for f in fc["features"]]
    assert shown.index(ids[0]) < shown.index(ids[1])
    assert "“Frikeh”: 2 answers" in shown


def test_views_show_a_batch_error():
    fc = {"type": "FeatureCollection", "id": 3, "features": [], "error": "line 3: bad \x1b[2J"}
    for view in (geocode_view(fc), parse_view(fc, ""), reverse_view(fc)):
        assert render(view).strip() == "3: line 3: bad �[2J"


def test_reverse_view_of_a_point_outside_syria(gazetteer):
    shown = render(reverse_view(gazetteer.reverse(40, 40).to_geojson()))
    assert "outside Syria" in shown and "km from its border" in shown
    assert "none within 10 km" in shown
