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


# --- the one-word fast path -----------------------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from gazetteer import query as query_module  # noqa: E402

# Words and characters the query patterns react to, spaces of several kinds among them
_PIECES = st.sampled_from([
    "between", "and", "or", "near", "in", "the", "area", "of", "outskirts", "village", "camp",
    "بين", "و", "أو", "ريف", "في", "شمال", "المنطقة", "مخيم", "حي", "Tal", "Kafr", "Aleppo", "حلب",
    "-", "–", "—", "&", "'", "’", ".", "_", "(", ")", "[", "]", "{", "}", ",", "،", ";", "؛", ":",
    "/", "\\", " ", "  ", "\t", "\u00a0", "\u2009", "\u3000", "\x1c", "\x85", "K", "\u212a", "ſ",
])
_TEXTS = st.lists(_PIECES, min_size=1, max_size=8).map("".join)


@given(st.one_of(_TEXTS, st.text(min_size=1, max_size=12)))
@settings(max_examples=1500, deadline=None)
def test_one_word_fast_path_is_the_general_reading(raw):
    """A query the fast path takes reads as the general patterns read it."""
    try:
        text = query_module.validate_query(raw)
    except QueryError:
        return
    general = query_module._read(text, *query_module.split_query(text))
    assert parse_query(raw) == general
    if query_module._ONE_PLAIN_WORD.fullmatch(text):
        assert query_module.split_query(text) == (text, [text], [], [])


@pytest.mark.parametrize("word", ["Aleppo", "الطيبة", "Ma'arrat", "Kafr-Nubl", "Tal&Rifaat",
                                  "betweenXandY", "بينو", "Qamişlo"])
def test_one_word_queries_take_the_fast_path(word):
    assert query_module._ONE_PLAIN_WORD.fullmatch(word)
    assert query_module.split_query(word) == (word, [word], [], [])


@pytest.mark.parametrize("query, single", [("حلبب", "حلب"), ("الهيشةة", "الهيشة"), ("سراقببب", "سراقب")])
def test_an_arabic_letter_typed_twice_is_also_read_once(query, single):
    readings = {v.text: v.penalty for v in parse_query(query).variants}
    assert readings[query] == 0.0 and 0 < readings[single] < 0.1, readings


def test_a_name_without_a_repeated_letter_has_no_typo_reading():
    assert [v.text for v in parse_query("الممدوحة").variants] == ["الممدوحة"]
