"""Reading a query: type words, qualifiers, alternatives, clitics."""
import pytest

from gazetteer.exceptions import GazetteerError, QueryError
from gazetteer.normalize import normalize
from gazetteer.query import arabic_clitic_variants, parse_query


def first(q):
    return normalize(parse_query(q).variants[0].text)


def readings(q):
    return [normalize(v.text) for v in parse_query(q).variants]


@pytest.mark.parametrize("query, name, types", [
    ("Khan Shaykhun camp", "khan shaykhun", {"camp"}),
    ("مخيم حندرات", "حندرات", {"camp"}),
    ("قريه الزارة", "الزاره", {"village", "town"}),
    ("Bidama nahiyah", "bidama", {"subdistrict"}),
    ("Kuweires Military Air Base", "kuweires", {"airbase"}),
    ("the Yarmouk camp", "yarmouk", {"camp"}),
])
def test_type_words_are_removed_and_remembered(query, name, types):
    parsed = parse_query(query)
    readings = [normalize(v.text) for v in parsed.variants]
    assert name in readings
    assert parsed.types == types
    # the reading with the type word comes first, at no cost: the word may belong to the name
    # (جبل الزاوية, ريف دمشق); the stripped reading costs a little
    assert readings[0] == normalize(query.removeprefix("the "))
    stripped = parsed.variants[readings.index(name)]
    assert 0 < stripped.penalty < 0.05


@pytest.mark.parametrize("query, name, qualifiers", [
    ("Tedef, Aleppo", "tedef", ("aleppo",)),
    ("X countryside of Manbij, Aleppo", "x", ("manbij", "aleppo")),
    ("الفتيح, منطقة جبلة", "الفتيح", ("جبله",)),
    ("Douma, eastern Ghouta", "douma", ("eastern ghouta",)),
    # the place a qualifier names is what follows "south of", "near", "or"
    ("Tal Hamees, South of al Qamishli", "tal hamees", ("al qamishli",)),
    ("Tabya, near Al Sekka", "tabya", ("al sekka",)),
    ("Tal al Jair (or Tal Safouk)", "tal al jair", ("tal safouk",)),
])
def test_qualifiers(query, name, qualifiers):
    parsed = parse_query(query)
    assert first(query) == name
    assert parsed.qualifiers == qualifiers


def test_alternatives_joined_by_slash_or_dash():
    texts = [normalize(v.text) for v in parse_query("Abu Rasin/Zarkan").variants]
    assert texts[:2] == ["abu rasin", "zarkan"]
    texts = [normalize(v.text) for v in parse_query("Sayah - Sayah Thahriyeh").variants]
    assert texts[:2] == ["sayah", "sayah thahriyeh"]


def test_parentheses_give_an_alternative_and_a_qualifier():
    parsed = parse_query("Abu Naytal (Farraj)")
    assert [normalize(v.text) for v in parsed.variants] == ["abu naytal", "farraj"]
    assert parsed.qualifiers == ("farraj",)
    parsed = parse_query("Tal al Jair (or Tal Safouk)")
    assert [normalize(v.text) for v in parsed.variants] == ["tal al jair", "tal safouk"]


@pytest.mark.parametrize("text, expected", [
    ("بخان طومان", ["خان طومان"]), ("والرقة", ["الرقه"]), ("للرقة", ["الرقه", "لرقه"]),
    ("بنش", ["نش"]), ("Binnish", []),
])
def test_arabic_clitic_variants(text, expected):
    assert arabic_clitic_variants(text) == expected


@pytest.mark.parametrize("bad", [None, 42, "", "   ", "x" * 501, "a\x00b"])
def test_bad_queries_raise_query_error(bad):
    with pytest.raises(QueryError):
        parse_query(bad)
    with pytest.raises(ValueError):  # QueryError is also a ValueError
        parse_query(bad)
    with pytest.raises(GazetteerError):
        parse_query(bad)
