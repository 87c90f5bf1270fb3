"""The parser's fast paths give what the simple rules beside them give.

Parsing speed comes from doing per word, once, what the general rules do per call: folding a
plain word by a letter map, a new word's clitic readings by the rules alone, a word's classes
without asking wordfreq unless the answer depends on it, remembered verdicts.  Each is checked
here against the reference it stands in for, on generated text and on the seed article.
"""
import math
import re
from pathlib import Path

from hypothesis import given, settings, strategies as st

from gazetteer import spans as spans_module
from gazetteer.match import same_answer_mass
from gazetteer.normalize import (
    WORD_CACHE_SIZE, has_arabic, key_latin_phonetic, key_skeleton_words, name_key, normalize,
    normalize_plain_word, normalize_reference, strip_article_arabic_word,
)
from gazetteer.parse import AnchorGrid
from gazetteer.query import _CLITICS, arabic_clitic_variants
from gazetteer.tokens import Token, _fold_token, span_key, tokenize, without_article

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "aljazeera-aleppo-2016.txt").read_text(encoding="utf-8")
ARABIC_LETTERS = [chr(c) for c in range(0x621, 0x64B)]
MARKS = ["\u064e", "\u0651", "ـ", "ٱ", "ک", "١", "\ufefb"]  # a diacritic, shadda, tatweel, others
# marks the general rules drop, and those that compose with a letter under NFKC
ARABIC_MARKS = ["\u064b", "\u064f", "\u0650", "\u0652", "\u0653", "\u0654", "\u0655", "\u0670"]
arabic_words = st.text(st.sampled_from(ARABIC_LETTERS + MARKS[:2]), min_size=1, max_size=9)
words = st.text(st.sampled_from(ARABIC_LETTERS + MARKS + list("AbcéZ09'_")), min_size=1, max_size=9)


# --- folding ------------------------------------------------------------------------------------

@given(words)
def test_plain_word_folding_is_normalize(word):
    plain = normalize_plain_word(word)
    if plain is not None:
        assert plain == normalize_reference(word)
    assert normalize(word) == normalize_reference(word)


def _reference_fold_token(word):
    """``_fold_token`` by the general rules alone."""
    trim = len(word) > 2 and word[-2] in "'’ʼ" and word[-1] in "sS" and word.isascii()
    norm = normalize_reference(word[:-2] if trim else word)
    arabic = has_arabic(word[:-2] if trim else word)
    mixed = arabic and re.search("[A-Za-z]", word) is not None
    return norm, arabic, (not arabic) and word[:1].isupper(), trim, mixed


@given(st.one_of(words, arabic_words, st.text(max_size=6),
                 st.text(st.sampled_from(ARABIC_LETTERS + MARKS[:3] + ARABIC_MARKS), min_size=1, max_size=8)))
def test_token_folding_is_the_general_rules(word):
    assert _fold_token(word) == _reference_fold_token(word)


def test_token_folding_of_the_seed_is_the_general_rules():
    for word in set(re.findall(r"[^\W_]+(?:'s)?", SEED)) | {"ء", "Aleppo's", "الرقةAll", "x1"}:
        assert _fold_token(word) == _reference_fold_token(word), word


def test_plain_word_folding_covers_running_text():
    seed_words = re.findall(r"[^\W_]+", SEED)
    assert sum(normalize_plain_word(w) is not None for w in seed_words) > 0.9 * len(seed_words)
    assert normalize_plain_word("مُحافظة") is None  # a diacritic: the general rules
    assert normalize_plain_word("معرةالنعمان") is None  # ة inside: two words run together


@given(st.text(st.sampled_from("aehiouywcskgtdjpqvbr0123456789"), max_size=12))
def test_phonetic_scan_of_a_word_is_the_regex_rules(word):
    assert spans_module._phonetic_word(word) == key_latin_phonetic(word)


def test_phonetic_scan_of_the_gazetteer_names(gazetteer):
    words = {w for entry in gazetteer.index.entries if not entry.arabic for w in entry.key.split()
             if w.isascii() and w.isalnum()}
    assert len(words) > 10_000
    for word in words:
        assert spans_module._phonetic_word(word) == key_latin_phonetic(word), word


@given(st.lists(st.text(st.sampled_from("ابتثحخدهةويءىع"), min_size=1, max_size=7), min_size=1, max_size=3))
def test_skeleton_scan_of_an_arabic_key_is_the_general_rules(words):
    key = " ".join(words)
    fast = spans_module._arabic_key_skeleton(key)
    if fast is not None:  # keys of folded letters only
        assert fast == "".join(key_skeleton_words(key))


def test_skeleton_scan_of_the_gazetteer_keys(gazetteer):
    keys = [key for key, ids in gazetteer.index.by_key.items() if gazetteer.index.entries[ids[0]].arabic]
    scanned = 0
    for key in keys:
        fast = spans_module._arabic_key_skeleton(key)
        if fast is not None:
            scanned += 1
            assert fast == "".join(key_skeleton_words(key)), key
    assert scanned > 0.9 * len(keys)


def _reference_tokenize(text: str) -> list[Token]:
    """tokenize as it was written first: clause breaks found in a pass of their own."""
    from gazetteer.tokens import _CLAUSE_BREAK, _SCRIPT_RUN, _WORD
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    tokens, b, clause = [], 0, 0
    for m in _WORD.finditer(text):
        start, end = m.span()
        while b < len(breaks) and breaks[b] < start:
            b, clause = b + 1, clause + 1
        word = m.group()
        norm, arabic, capital, trim, mixed = _fold_token(word)
        if mixed:
            for part in _SCRIPT_RUN.finditer(word):
                p_start = start + part.start()
                p_norm, p_arabic, p_capital, _, _ = _fold_token(part.group())
                if p_norm:
                    tokens.append(Token(part.group(), p_start, start + part.end(), p_norm, p_arabic,
                                        p_capital, clause, p_start > 0 and text[p_start - 1] == "#"))
            continue
        if not norm:
            continue
        if trim:
            word, end = word[:-2], end - 2
        tokens.append(Token(word, start, end, norm, arabic, capital, clause,
                            start > 0 and text[start - 1] == "#"))
    return tokens


@given(st.lists(st.sampled_from(ARABIC_LETTERS[:12] + MARKS + list("Al's #-–—,.\n\r") +
                                [" - ", " — ", "\n- ", " -\n", "\u00a0"]),
                max_size=60).map("".join))
def test_tokenize_in_one_pass_is_the_two_pass_reference(text):
    """Dashes between spaces and line breaks side by side: the regex's reading, left to right."""
    assert tokenize(text) == _reference_tokenize(text)


@given(st.lists(st.sampled_from(ARABIC_LETTERS[:12] + MARKS + list("Al's #,.|_’؛\n\t\r()«»…:!?·\"") +
                                ["\u00a0", "\u200c", "\u2028", "\u3000", "  ", "\n\n", "x-y"]),
                max_size=60).map("".join))
def test_tokenize_split_at_whitespace_is_the_two_pass_reference(text):
    """Whitespace of every kind between the pieces, punctuation at their edges and inside them."""
    assert tokenize(text) == _reference_tokenize(text)


def test_tokenize_seed_is_the_reference():
    assert tokenize(SEED) == _reference_tokenize(SEED)


@given(st.lists(st.sampled_from(ARABIC_LETTERS[:12] + MARKS + list("Al's #-–,.\n_é\u0301") + ["ً", "ُ"]),
                max_size=40).map("".join))
def test_word_regex_by_runs_is_the_word_regex_by_characters(text):
    from gazetteer.tokens import _MARKS, _WORD
    by_characters = re.compile(rf"(?:[^\W_]|[{_MARKS}])+(?:['’ʼʿʾ](?:[^\W_]|[{_MARKS}])+)*")
    assert _WORD.findall(text) == by_characters.findall(text)
    assert [m.span() for m in _WORD.finditer(SEED)] == [m.span() for m in by_characters.finditer(SEED)]


# --- clitic readings and word classes ----------------------------------------------------------

def test_clitic_letters_are_the_query_clitics():
    assert set(spans_module._CLITIC_LETTERS) == set(_CLITICS)


@given(arabic_words)
def test_clitic_readings_of_a_folded_word(word):
    norm = normalize(word)
    if norm:
        assert spans_module._clitic_variants_of_norm(norm) == arabic_clitic_variants(norm)


def _reference_classes(finder, tok: Token) -> tuple[bool, bool, bool, bool]:
    """The classes of a word read every way ``_readings`` allows (asking wordfreq first)."""
    readings = spans_module._readings(tok.norm, tok.arabic, tok.text)
    could_start = False
    for word, _ in readings:
        key = spans_module.word_key(word, tok.arabic)
        if key and (key in finder.prefixes or key in finder.glued):
            could_start = True
    if not could_start and not tok.arabic:
        could_start = tok.norm in spans_module._ARTICLES or \
            spans_module._first_phonetic(tok.norm) in finder.phonetic_first
    if not could_start and len(readings) == 1 and tok.arabic:
        # a word common as written may still start a longer name without its clitic ("وعين العرب")
        could_start = any(spans_module.word_key(w, True) in finder.multi_heads
                          for w, clitic in spans_module._every_reading(tok.norm, True) if clitic)
    cue = any(w in finder._cue_words or (w.startswith("ال") and w[2:] in finder._cue_words)
              for w, _ in readings)
    foreign = any(spans_module.word_key(w, tok.arabic) in finder._foreign_prefixes for w, _ in readings)
    region = tok.arabic and any(w in spans_module._REGION_WORDS for w, _ in readings)
    return could_start, cue, foreign, region


def test_word_classes_ask_wordfreq_only_when_it_matters(gazetteer):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    text = SEED + " وزارة والرقة بريف للرقة فالرقة وبحلب كفرنبل بنش #سرمدا Aleppo's al-Bab وعين العرب"
    for tok in tokenize(text):
        assert finder._classes(tok) == _reference_classes(finder, tok), tok.text


@settings(max_examples=60, deadline=None)
@given(arabic_words)
def test_word_classes_of_generated_words(gazetteer, word):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    for tok in tokenize("و" + word) + tokenize(word):
        assert finder._classes(tok) == _reference_classes(finder, tok)


def _reference_scan(finder, tokens):
    """The scan's per-word answers as first written: a list each, every word visited."""
    classes = [finder._classify(t) for t in tokens]
    n = len(tokens)
    nxt, following = [-1] * n, -1
    for k in range(n - 1, -1, -1):
        nxt[k] = following
        if classes[k][3] and tokens[k].arabic:
            following = k
    after_cue = [bool(tok.arabic and ((i and classes[i - 1][1]) or (
                     0 < nxt[i] - i <= 3 and tokens[nxt[i]].clause == tok.clause)))
                 for i, tok in enumerate(tokens)]
    starts = [i for i in range(n) if classes[i][0] or classes[i][2] or after_cue[i]
              or (not tokens[i].arabic and finder._may_start_latin(tokens, i, classes))]
    regions = [i for i in range(n) if classes[i][3]]
    return after_cue, starts, regions


def _check_scan(finder, text):
    tokens = tokenize(text)
    scan = finder._scan_of(tokens)
    after_cue, starts, regions = _reference_scan(finder, tokens)
    assert [i in scan.after_cue for i in range(len(tokens))] == after_cue
    assert scan.starts == starts
    assert sorted(scan.regions) == regions
    return scan


def test_scan_visits_the_words_the_dense_scan_would(gazetteer):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    scan = _check_scan(finder, SEED + " قصفت قرية الزارة بريف حماة، وقرب كفرنبل جنوبي إدلب. في بنش شرقي إدلب"
                       " in Eastern Ghouta, the Alsaliheen neighborhood")
    assert scan.after_cue and scan.regions and len(scan.starts) < len(scan.tokens) / 2


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(["قرية", "بريف", "شمالي", "حماة", "في", "الزارة", "كفرنبل", "،", ".",
                                 "Aleppo", "village", "of", "جبلي", "الأكراد", "والتركمان", "#سرمدا",
                                 "Eastern", "eastern", "Ghouta", "neighborhood", "Alsaliheen", "the"]),
                max_size=14).map(" ".join))
def test_scan_of_generated_phrases(gazetteer, text):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    _check_scan(finder, text)
    assert finder.find(tokenize(text)) == _reference_find(finder, tokenize(text))


def _reference_find(finder, tokens):
    """``SpanFinder.find`` visiting every word, as first written."""
    scan = finder._scan_of(tokens)
    spans, i, dual = [], 0, None
    while i < len(tokens):
        could_start, _, could_be_foreign, _ = scan.classes[i]
        if not (could_start or could_be_foreign or dual is not None or i in scan.after_cue
                or (not tokens[i].arabic and finder._may_start_latin(tokens, i, scan.classes))):
            i += 1
            continue
        foreign_end = finder._foreign_at(tokens, i) if could_be_foreign else 0
        if foreign_end:
            i, dual = foreign_end, None
            continue
        best = finder._longest_at(tokens, i, dual, scan)
        if best is None:
            if dual and not tokens[i].norm.startswith("و") and tokens[i].norm not in spans_module._DIRECTIONS:
                dual = None
            i += 1
            continue
        spans.append(best)
        if best.cue and best.cue.role == "dual":
            dual = best.cue
        elif dual and not (best.clitic and tokens[best.i].norm.startswith("و")):
            dual = None
        i = best.j
    return spans


def test_scan_finds_the_spans_of_the_dense_scan(gazetteer):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    text = SEED + " سيطرت على جبلي الأكراد والتركمان وقرية الزارة بريف حماة"
    found = finder.find(tokenize(text))
    assert found == _reference_find(finder, tokenize(text))
    assert any(s.cue is not None and s.cue.role == "dual" for s in found)


def test_words_of_no_class_by_the_shortcut_are_none_by_the_rules(gazetteer):
    """``may_have_a_class`` on the words a class asks about, with every clitic and article
    glued before them and a letter before or after: where it says no, the rules say no."""
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    forms = sorted(f for f in finder._class_forms if has_arabic(f))[::25]
    assert len(forms) > 500
    said_no = 0
    for form in forms:
        for before in ("", "و", "ب", "ل", "لل", "ال", "وال", "فال", "كال", "وب", "ف", "ك", "م"):
            for after in ("", "ه", "ين"):
                for tok in tokenize(before + form + after):
                    assert finder._classes(tok) == _reference_classes(finder, tok), tok.text
                    said_no += tok.arabic and not spans_module.may_have_a_class(tok.norm, finder._class_forms)
    assert said_no > 1000  # the shortcut answers many of them


@given(st.text(st.sampled_from(list("abcdeghiklmnoqrstuyz0123456789")), min_size=1, max_size=12)
       | st.text(st.sampled_from(list("0123456789")), min_size=1, max_size=8)
       | st.sampled_from(["alraqqa", "ezzor", "elhasakeh", "asshaddadi", "2022", "1100", "t", "co", "al"]))
def test_first_phonetic_of_a_plain_word_is_the_general_rule(word):
    from gazetteer.normalize import latin_phonetic
    assert spans_module._first_phonetic.__wrapped__(word) == latin_phonetic(word.split()[0])


def test_a_word_never_a_name_alone_is_no_span_alone(gazetteer):
    """Where ``_never_a_name_alone`` says so, the full rules find no one-word span there."""
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    text = SEED + " على علي في وفي من الله قصف عاجل قرية بلدة مدينة والمدينة the of Police Aleppo"
    tokens = tokenize(text)
    cues = [None, spans_module.HASHTAG, spans_module.Cue("قريه", frozenset({"village"}), "type")]
    said = 0
    for i, tok in enumerate(tokens):
        first_is_cue = finder._starts_with_cue(tok)
        if finder._never_a_name_alone(tok.norm, tok.arabic, first_is_cue):
            said += 1
            for cue in cues:
                assert finder._try(tokens, i, i + 1, None, cue, first_is_cue, False) is None, tok.text
    assert said > 100


def test_skeleton_of_an_indexed_arabic_key_is_the_rule(gazetteer):
    """The index's skeleton of an Arabic name (``SpanFinder._skeleton_of``) is the skeleton of
    its key by the rule, for every Arabic name of the gazetteer; other keys take the rule."""
    from gazetteer.normalize import key_skeleton_words
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    arabic = [key for key, ids in finder.index.by_key.items() if finder.index.entries[ids[0]].arabic]
    assert len(arabic) > 10_000
    for key in arabic:
        assert finder._skeleton_of(key) == "".join(key_skeleton_words(key)), key
    for key in ("aleppo", "كفرزيتا الجديده", "zzz"):
        assert finder._skeleton_of(key) == "".join(key_skeleton_words(key))


def test_finder_caches_are_bounded(gazetteer):
    gazetteer.parse("تهيئة")
    assert spans_module.FINDER_CACHE_SIZE <= WORD_CACHE_SIZE
    assert len(gazetteer._parser.caches()) >= 7  # the bench empties each for first sight


# --- resolution ---------------------------------------------------------------------------------

def test_same_answer_mass_is_the_match_rule(gazetteer):
    gazetteer.parse("تهيئة")
    parser = gazetteer._parser
    checked = 0
    for span in parser.finder.find(tokenize(SEED + " حماة حلب الزارة Hama")):
        scored, probs, mass = parser._resolve(span, set(), {}, AnchorGrid())
        expected, _ = same_answer_mass([parser.places[s.place_idx] for s in scored], probs)
        assert mass == expected
        checked += len(scored) > 1
    assert checked  # some spans had rival namesakes


points = st.tuples(st.floats(32.0, 37.5), st.floats(35.5, 42.5))


@given(st.lists(points, max_size=12), points)
def test_anchor_scan_of_few_cells_is_the_grid_lookup(anchors, query):
    grid = AnchorGrid([(lat, lon, k) for k, (lat, lon) in enumerate(anchors)])
    lat, lon = query
    few = sorted(map(tuple, grid.nearby(lat, lon, 25.0)))
    # the 3x3 cell lookup, as for a grid of many cells
    ci, cj = int(lat // grid.CELL), int(lon // grid.CELL)
    kx = 111.2 * math.cos(math.radians(lat))
    looked_up = sorted(tuple(spans) for di in (-1, 0, 1) for dj in (-1, 0, 1)
                       for (la, lo), spans in grid.cells.get((ci + di, cj + dj), {}).items()
                       if (la - lat) ** 2 + ((lo - lon) * kx / 111.2) ** 2 <= (25.0 / 111.2) ** 2)
    assert few == looked_up
    for k in range(-1, len(anchors)):
        assert grid.near(lat, lon, 25.0, exclude=k) == any(len(s) > 1 or s[0] != k for s in looked_up)


@given(st.lists(points, max_size=12), st.lists(points, min_size=1, max_size=4))
def test_anchor_nearness_by_place_index_is_nearness_by_point(anchors, places):
    """``near_place`` remembers by a place's index what ``near`` remembers by its point; anchors
    added between two questions are seen by both."""
    from gazetteer.parse import NEAR_ANCHOR_KM
    grid = AnchorGrid()
    for k, (lat, lon) in enumerate(anchors):
        for idx, (p_lat, p_lon) in enumerate(places):
            for exclude in (-1, k - 1):
                assert grid.near_place(idx, p_lat, p_lon, exclude) == grid.near(p_lat, p_lon, NEAR_ANCHOR_KM, exclude)
        grid.add(lat, lon, k)
    for idx, (p_lat, p_lon) in enumerate(places):
        for exclude in range(-1, len(anchors)):
            assert grid.near_place(idx, p_lat, p_lon, exclude) == grid.near(p_lat, p_lon, NEAR_ANCHOR_KM, exclude)


def test_a_cue_word_is_a_word_of_either_side(gazetteer):
    """``_is_cue`` is one set lookup: the rule it stands in for asks cue_words.tsv for the word
    before a name and after one."""
    from gazetteer.lexicon import cue_words
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    cues = cue_words()
    for word in {w for w, _ in cues} | {t.norm for t in tokenize(SEED)} | {"ال", "", "of"}:
        assert finder._is_cue(word) == ((word, "before") in cues or (word, "after") in cues), word


@given(st.lists(words, max_size=4))
def test_span_key_of_folded_words_is_name_key(raw):
    folded = tuple(w for w in (normalize(r) for r in raw) if w and " " not in w)
    assert span_key(folded) == name_key(" ".join(folded))


@given(st.tuples(st.sampled_from(["", "ال", "ا", "ل"]), arabic_words).map("".join))
def test_article_rule_compiled_with_the_parser_is_normalizes(word):
    assert without_article(word) == strip_article_arabic_word(word)


@given(st.lists(st.tuples(st.sampled_from(["", "ال", "ا", "ل"]), arabic_words).map("".join), min_size=1, max_size=3))
def test_span_key_of_words_with_the_article_is_name_key(raw):
    folded = tuple(w for w in (normalize(r) for r in raw) if w and " " not in w)
    assert span_key(folded) == name_key(" ".join(folded))


@given(st.text(st.sampled_from(ARABIC_LETTERS + MARKS + list("ab1 ")), max_size=12))
def test_arabic_skeleton_by_table_is_the_letter_rule(word):
    from gazetteer.normalize import _AR_SKELETON, _arabic_consonant_word, _skeleton_arabic_word
    assert _skeleton_arabic_word(word) == "".join(_AR_SKELETON.get(ch, "") for ch in _arabic_consonant_word(word))


@given(st.text(st.sampled_from(ARABIC_LETTERS + MARKS + ["ى", "ة", "ء", "a", " "]), min_size=1, max_size=9))
def test_folded_arabic_words_fold_to_themselves(word):
    from gazetteer.normalize import FOLDED_ARABIC_WORD
    if FOLDED_ARABIC_WORD.fullmatch(word):
        assert normalize_plain_word(word) == word == normalize_reference(word)


def test_folded_arabic_words_are_most_of_the_seed():
    from gazetteer.normalize import FOLDED_ARABIC_WORD
    arabic = [t.norm for t in tokenize(SEED) if t.arabic]
    assert sum(bool(FOLDED_ARABIC_WORD.fullmatch(n)) for n in arabic) > 0.95 * len(arabic)


def test_resolve_in_two_parts_is_the_score_rule(gazetteer):
    """``_resolve`` adds the text's context to what ``_candidates`` remembers of a span: the
    same scores, in the same order, as ``_score`` of each candidate in that context."""
    gazetteer.parse("تهيئة")
    parser = gazetteer._parser
    text = SEED + " قرية الزارة بريف حماة، مدينة حلب، ريف إدلب، بلدة بنش، Hama, الخاتونية"
    found = parser.finder.find(tokenize(text))
    anchors = AnchorGrid([(36.2, 37.15, 0), (35.13, 36.75, 1), (35.93, 36.63, 2)])
    contexts = [({}, AnchorGrid()), ({"SY02": 0.5, "SY05": 0.25, "SY07": 0.25}, anchors),
                ({"SY07": 1.0}, anchors)]
    checked = 0
    for k, span in enumerate(found):
        for qualifier in (set(), {"SY02"}, {"SY0500"}):
            for gov_share, grid in contexts:
                scored, _, _ = parser._resolve(span, qualifier, gov_share, grid, k)
                expected = [parser._score(span, idx, sim, qualifier, gov_share, grid, k)
                            for idx, (sim, _) in _reference_places(parser, span).items()]
                expected.sort(key=lambda s: (-s.score, parser.places[s.place_idx].id))
                assert [_as_tuple(s) for s in scored] == [_as_tuple(s) for s in expected]
                checked += len(scored) > 1
    assert checked > 20


def _as_tuple(scored):
    return scored.place_idx, scored.score, scored.sim, scored.reasons


def _reference_places(parser, span):
    """The candidates ``_resolve`` scores, as it chose them before (major namesakes, regions)."""
    from gazetteer.parse import MAJOR_NAMESAKE_IMPORTANCE, REGION_TYPES
    places = span.places
    if (span.cue is None or span.cue.role == "hashtag") and any(
            sim >= 0.99 and parser.places[idx].importance >= 0.85 for idx, (sim, _) in places.items()):
        places = {idx: v for idx, v in places.items()
                  if parser.places[idx].importance >= MAJOR_NAMESAKE_IMPORTANCE}
    if span.cue is not None and span.cue.role == "region":
        for level in REGION_TYPES:
            regional = {idx: v for idx, v in places.items() if parser.places[idx].type == level}
            if regional:
                return regional
    return places


def test_one_candidate_resolves_as_posterior_says():
    from gazetteer.match import posterior
    for score in (-40.0, 0.0, 3.7, 250.0):
        assert posterior([score]) == [1.0]


def test_span_resolved_alone_is_remembered_as_resolved(gazetteer):
    gazetteer.parse("تهيئة")
    parser = gazetteer._parser
    tokens = tokenize(SEED + " حماة حلب الزارة بريف حماة")
    spans = parser.finder.find(tokens)
    for _ in range(2):  # computed, then remembered
        for span in spans:
            scored, _, mass = parser._resolve(span, set(), {}, AnchorGrid())
            assert parser._alone(span, set(), AnchorGrid()) == (scored[0].place_idx, scored[0].sim, mass)


# --- commonness -----------------------------------------------------------------------------------

def _wordfreq_common(written: str, lang: str) -> bool:
    from wordfreq import zipf_frequency
    from gazetteer.commonness import COMMON_WORD_ZIPF
    return zipf_frequency(written.replace("_", " "), lang) >= COMMON_WORD_ZIPF


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from(ARABIC_LETTERS + MARKS + list("AbcZéè_ ")), min_size=1, max_size=7),
       st.sampled_from(["ar", "en"]))
def test_common_word_by_set_is_wordfreq(written, lang):
    from gazetteer.commonness import is_common
    assert is_common(written, lang) == _wordfreq_common(written, lang)


def test_common_plain_words_are_wordfreqs_answers():
    """Every plain word of wordfreq's top buckets, the words at the border and the seed's words:
    the set answers as wordfreq does (the whole lists were checked once: 612,070 Arabic and
    289,080 English plain words, no difference)."""
    from wordfreq import get_frequency_list
    from gazetteer.commonness import PLAIN_WORD, common_plain_words, is_common
    for lang in ("ar", "en"):
        common = common_plain_words(lang)
        assert len(common) > 3000
        checked = 0
        for bucket in get_frequency_list(lang, "best")[:700]:  # past the border (~500 centibels)
            for word in bucket[:40]:
                if PLAIN_WORD.fullmatch(word):
                    assert is_common(word, lang) == _wordfreq_common(word, lang), word
                    assert is_common(word.upper(), lang) == _wordfreq_common(word.upper(), lang), word
                    checked += 1
        assert checked > 2000
    for word in set(re.findall(r"[^\W_]+", SEED)):
        assert is_common(word, "ar") == _wordfreq_common(word, "ar"), word
    assert is_common("وزارة", "ar") and is_common("Police", "en") and not is_common("Aleppo", "en")


# --- cross-script lookups -------------------------------------------------------------------------

def _reference_skeleton_lookup(finder, key):
    """The cross-script lookup as ``_by_skeleton`` does it: every name of the skeleton, filtered."""
    from gazetteer.index import QueryKey
    from gazetteer.normalize import key_skeleton_words
    if not key_skeleton_words(key):
        return {}, ""
    q = QueryKey.of(key, True)
    if len(q.skel) < 2:
        return {}, ""
    min_sim = spans_module.CROSS_SCRIPT_MIN_SIM if len(q.skel) > 2 else spans_module.SHORT_CROSS_SCRIPT_MIN_SIM
    found = finder._by_skeleton(q, min_sim, "skeleton",
                                lambda e_idx, entry: finder.cross_script[e_idx] and finder.in_text[entry.place])
    return found, ("skeleton" if found else "")


def test_cross_script_names_per_skeleton_are_the_filtered_bucket(gazetteer):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    keys = {span_key(tuple(t.norm for t in tokenize(SEED)[i:i + n])) for i in range(0, 3000) for n in (1, 2)}
    keys |= {k for k in list(finder.index.by_key)[::40] if has_arabic(k)}
    assert len(keys) > 500
    hits = 0
    for key in keys:
        got = finder._skeleton_lookup_uncached(key)
        assert got == _reference_skeleton_lookup(finder, key), key
        assert list(got[0]) == list(_reference_skeleton_lookup(finder, key)[0])  # the same order
        hits += bool(got[0])
    assert hits > 50


@settings(max_examples=80, deadline=None)
@given(arabic_words)
def test_cross_script_lookup_of_generated_words(gazetteer, word):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    key = span_key((normalize(word),)) if normalize(word) else ""
    if key:
        assert finder._skeleton_lookup_uncached(key) == _reference_skeleton_lookup(finder, key)


# --- cues and blockers ----------------------------------------------------------------------------

def _check_cue_shortcuts(finder, tok):
    """A word that ``may_read_as`` says cannot be a cue or blocker is none by the full rules."""
    norm = tok.norm
    if not spans_module.may_read_as(norm, finder._cue_before_forms):
        assert finder._cue_word(norm, tok.arabic, True) is None
        assert finder._cue_word(norm, tok.arabic, False) is None
    if not spans_module.may_read_as(norm, finder._cue_forms):
        assert not (finder._is_cue(norm) or (
            tok.arabic and any(finder._is_cue(v) for v in spans_module._clitic_variants_of_norm(norm))))
    if not spans_module.may_read_as(norm, finder._blockers):
        words = [norm, *spans_module._clitic_variants_of_norm(norm)] if tok.arabic else [norm]
        assert not any(w in finder._blockers for w in words)


def test_cue_and_blocker_shortcuts_are_the_rules(gazetteer):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    lexicon = " ".join(w for w, _ in finder._cues) + " " + " ".join(finder._blockers)
    text = SEED + " " + lexicon + " " + " ".join(c + w for w in lexicon.split() for c in ("و", "ب", "ل", "وب", "فال"))
    for tok in tokenize(text):
        _check_cue_shortcuts(finder, tok)
    # the lexicon's own words, and their clitic forms, are cues by the shortcut too
    assert sum(spans_module.may_read_as(t.norm, finder._cue_before_forms) for t in tokenize(text)) > 200


@settings(max_examples=150, deadline=None)
@given(arabic_words, st.sampled_from(["", "و", "ب", "ل", "لل", "وال", "فال", "كال", "وب"]))
def test_cue_and_blocker_shortcuts_on_generated_words(gazetteer, word, clitic):
    gazetteer.parse("تهيئة")
    finder = gazetteer._parser.finder
    for tok in tokenize(clitic + word):
        _check_cue_shortcuts(finder, tok)
