"""Tokens keep exact offsets into the text; scripts run together are split; clauses count."""
from hypothesis import given, strategies as st

from gazetteer.tokens import Token, tokenize


def test_offsets_and_folding():
    text = "قصف على بحلب، وDeir ez-Zor's countryside"
    tokens = tokenize(text)
    assert [t.text for t in tokens] == ["قصف", "على", "بحلب", "و", "Deir", "ez", "Zor", "countryside"]
    for t in tokens:
        assert text[t.start:t.end] == t.text
    assert tokens[2].clause < tokens[4].clause  # the Arabic comma ends a clause


def test_scripts_run_together_are_split():
    tokens = tokenize("بريف الرقةAll reactions")
    assert [t.text for t in tokens] == ["بريف", "الرقة", "All", "reactions"]
    assert tokens[1].arabic and not tokens[2].arabic


def test_hashtags_and_quotes():
    tokens = tokenize('قرية "كنصفرة" و#سرمدا')
    assert [t.clause for t in tokens] == [0, 0, 0, 0]  # quotes do not end a clause
    assert tokens[-1].hashtag and not tokens[1].hashtag


@given(st.text(st.sampled_from(list("حلب سرمدا Aleppo's ،.\"#-_") + ["\u064e", "ـ"]), max_size=60))
def test_every_token_points_at_its_text(text):
    for t in tokenize(text):
        assert text[t.start:t.end] == t.text
        assert t.norm


def test_arabic_diacritics_and_combining_accents_stay_inside_their_word():
    # short vowels, shadda and tanween are marks, not word characters, to the regex engine
    assert [t.text for t in tokenize("قُتِل في بلدة أبو حمَام")] == ["قُتِل", "في", "بلدة", "أبو", "حمَام"]
    assert [t.norm for t in tokenize("مقتل شاب خنقاً")] == ["مقتل", "شاب", "خنقا"]
    decomposed = "Jise\u0301r al-Shughur"
    assert [t.text for t in tokenize(decomposed)][0] == "Jise\u0301r"


def test_tokens_compare_by_value():
    token = tokenize("في #سرمدا")[1]
    assert token == Token("سرمدا", 4, 9, "سرمدا", True, False, 0, True)
    assert token != Token("سرمدا", 4, 9, "سرمدا", True, False, 0)  # not a hashtag
    assert hash(token) == hash(Token("سرمدا", 4, 9, "سرمدا", True, False, 0, True))
    assert repr(token) == "Token('سرمدا', 4, 9, 'سرمدا', True, False, 0, True)"
