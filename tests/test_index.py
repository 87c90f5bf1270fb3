"""Index entries: the keys each data name is filed under."""
from gazetteer.index import entries_for
from gazetteer.normalize import name_key, skeleton


def keys_of(name: str) -> dict:
    return {e.key: e for e in entries_for(0, [name])}


def test_ochas_th_may_be_a_z():
    """OCHA's "th" is ظ or ذ as well as ث: a Latin-only "th" name is also indexed with "z",
    a little below its own spelling, so that Arabic ظ and "z" spellings find it."""
    keys = keys_of("Mathlum")
    assert keys["mathlum"].penalty == 0
    assert "mazlum" in keys and keys["mazlum"].penalty > 0
    assert keys["mazlum"].skel == skeleton("مظلوم")


def test_head_form_keeps_the_construct_state():
    """"Madamiyet" of "Madamiyet Elsham" is still معضمية: its -et is a ة."""
    keys = keys_of("Madamiyet Elsham")
    head = keys[name_key("Madamiyet")]
    assert head.penalty > 0
    assert head.skel == skeleton("معضمية")


def test_two_forms_in_one_name_are_both_filed():
    keys = keys_of("Sayah - Sayah Thahriyeh")
    assert {"sayah", "sayah thahriyeh"} <= set(keys)


def test_an_underscore_between_words_of_one_name_is_a_space():
    from gazetteer.index import split_name
    # "Al_Sad" is not the two names "Al" and "Sad", nor is "مخيم_خان_دنون" three
    assert split_name("Al_Sad") == ["Al Sad"]
    assert split_name("مخيم_خان_دنون") == ["مخيم خان دنون"]
    # two forms joined by an underscore are still two forms
    assert split_name("الصياح_صياح ظاهرية") == ["الصياح_صياح ظاهرية", "الصياح", "صياح ظاهرية"]
    assert "al" not in keys_of("Al_Sad")
