"""Geoparsing: the seed article, Arabic and English corpus tables, and the mention contract."""
from pathlib import Path

import pytest

from gazetteer import QueryError
from gazetteer.parse import Mention, document_focus

SEED = Path(__file__).resolve().parent.parent / "seeds" / "aljazeera-aleppo-2016.txt"

# The places the seed article names: (surface as the text spells the name, acceptable ids).
SEED_PLACES = [
    ("حلب", {"C1007"}),
    ("حندرات", {"L:ein_el_tal_camp", "N0227", "C7444"}),
    ("الراشدين", {"C7369"}),
    ("حيلان", {"L:hilan_hill", "C1014"}),
    ("الراموسة", {"N0226"}),
    ("خان طومان", {"C1015"}),
    ("يحمول", {"C1571"}),
    ("الزارة", {"C3041"}),
    ("حماة", {"SY05"}),
    ("الحولة", {"C2556", "L:houla_plain", "SY040101"}),
    ("حمص", {"SY04"}),
    ("برج قاعي", {"C2548"}),
    ("التيفور", {"L:tiyas_airbase"}),
    ("جوبر", {"N0025", "N0030"}),
    ("دمشق", {"C1001", "SY01"}),
    ("ريف دمشق", {"SY03"}),
    ("المرج", {"L:al_marj"}),
    ("دير العصافير", {"C2309"}),
    ("الركابية", {"C7760"}),
    ("خان الشيح", {"L:khan_al_shih_camp", "C2466"}),
    ("داريا", {"C2498"}),
    ("الأكراد", {"L:jabal_al_akrad"}),  # written "جبلي الأكراد والتركمان": two mountains
    ("التركمان", {"L:jabal_al_turkman"}),
    ("درعا", {"SY12"}),
    ("إدلب", {"SY07"}),
    ("سوريا", {"SY"}),
]
# Words of the article that look like places but are not.
SEED_NOT_PLACES = ["الجزيرة", "شام", "الدولة", "روسية"]


@pytest.fixture(scope="module")
def seed_mentions(gazetteer):
    return gazetteer.parse(SEED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("surface, ids", SEED_PLACES)
def test_seed_article_places(seed_mentions, surface, ids):
    found = {m.place.id for m in seed_mentions if surface in m.surface}
    assert found & ids, f"{surface}: found {found or 'nothing'}"


@pytest.mark.parametrize("word", SEED_NOT_PLACES)
def test_seed_article_non_places(seed_mentions, word):
    hits = [m for m in seed_mentions if m.surface.strip() in (word, "ال" + word)]
    assert hits == []


def test_seed_zara_is_hama_not_homs(seed_mentions):
    zara = [m for m in seed_mentions if m.surface == "الزارة"]
    assert zara and zara[0].place.id == "C3041"
    assert all(p.id != "C2777" for m in seed_mentions for p in [m.place, *(a for a, _ in m.alternatives)])


def test_seed_countryside_is_the_governorate(seed_mentions):
    # "بريف حماة الجنوبي": Hama governorate, not the city point
    hama = [m for m in seed_mentions if m.surface == "حماة"]
    assert hama and all(m.place.type == "governorate" for m in hama)


def test_a_mention_is_immutable_and_compared_by_value(seed_mentions):
    m = seed_mentions[0]
    with pytest.raises(AttributeError):
        m.confidence = 0.1
    with pytest.raises(AttributeError):
        m.place = seed_mentions[1].place
    twin = Mention(m.start, m.end, m.surface, m.place, m.confidence, m.reading, m.alternatives, m.reasons)
    assert twin == m and hash(twin) == hash(m) and twin is not m
    assert Mention(m.start, m.end, m.surface, m.place, m.confidence / 2, m.reading) != m
    assert repr(m).startswith(f"Mention(start={m.start}, end={m.end}, surface={m.surface!r}")


def test_spans_point_into_the_text(seed_mentions):
    text = SEED.read_text(encoding="utf-8")
    assert seed_mentions == sorted(seed_mentions, key=lambda m: m.start)
    for m in seed_mentions:
        assert text[m.start:m.end] == m.surface
        assert 0 < m.confidence <= 1


# Arabic: clitics, cue words, multi-word names, context (text → the ids that must be found).
ARABIC = [
    ("قصف عنيف بحلب وداريا", {"C1007", "C2498"}),
    ("اشتباكات في خان طومان ودير العصافير", {"C1015", "C2309"}),
    ("غارات على مدينة معرةالنعمان", {"C3985"}),
    ("سيطرت المعارضة على قرية الزارة بريف حماة الجنوبي", {"C3041", "SY05"}),
    ("قصف على ريف إدلب", {"SY07"}),
    ("مقتل مدنيين قرب #سرمدا في ريف #إدلب", {"C4121", "SY07"}),
    ("استهدف الطيران مخيم اليرموك جنوب دمشق", {"L:yarmouk_camp", "C1001"}),
    ("معارك في جبلي الأكراد والتركمان بريف اللاذقية", {"L:jabal_al_akrad", "L:jabal_al_turkman"}),
    # a village whose only Arabic name is shorter than its Latin one ("معرة" for Maaret
    # Elnaasan) is still found by the Latin name
    ("قصف مدفعي على بلدة معارة النعسان بريف إدلب", {"C3935", "SY07"}),
    # an exact Arabic name ("زر" of Zarak near Kobani) keeps its Latin-only namesake (Zir),
    # and the text's governorate chooses
    ("قصف على قرية الزر شرقي دير الزور", {"C5114"}),
    # a glued ب: "ببلدة بنش" is Binnish; "نش شرقي" is not read as a name
    ("سقطت قذائف على منزل ببلدة بنش شرقي إدلب", {"C3904"}),
    # a list of places joined by و: each member counts as named beside the others
    ("انفجارات في مناطق عفرين والباب وجرابلس بريف حلب", {"C1366", "C1202", "C2227"}),
    ("قصف تركي على مناطق منبج وتل رفعت", {"C1767", "C1621"}),
    # a hospital named after a town is in the town
    ("نقل المصابين إلى مشفى حرستا", {"C2342"}),
    # a post's tag line of village names: a list of three or more counts whole
    ("كفرنبل، حاس، كنصفرة، البارة", {"C4068", "C4058", "C4309", "C4304"}),
    # issue 14's missed cues: "مدينة X شمالي حلب", "استهدف X بريف عفرين", a dual, hashtags, "في ذيبان"
    ("سيطرت فصائل على مدينة سراقب شمالي حلب", {"C3916"}),
    ("استهدف القصف كفرنبل بريف عفرين", {"C4068"}),
    ("قصف على قريتي المسطومة وتل حدية", {"C3872", "C1158"}),
    ("#ادلب #اريحا #سراقب", {"C3871", "C4278", "C3916"}),
    ("تقدم في ذيبان شرقي دير الزور", {"C5202", "C5086"}),
]


@pytest.mark.parametrize("text, ids", ARABIC)
def test_arabic_corpus(gazetteer, text, ids):
    found = {m.place.id for m in gazetteer.parse(text)}
    assert ids <= found, found


# English: any transliteration, "X countryside", "X province", "the X camp".
ENGLISH = [
    ("Airstrikes hit Khan Shaykhun in Idlib province.", {"C3987", "SY07"}),
    ("Fighting in Deir ez-Zor and Dayr az Zawr countryside.", {"C5086", "SY09"}),
    ("Shelling in Aleppo's southern countryside and in Binnish.", {"SY02", "C3904"}),
    ("Residents of the Yarmouk camp fled to Damascus.", {"L:yarmouk_camp", "C1001"}),
    # the country is a place in English as in Arabic ("northern Syria" names Syria)
    ("Air strikes in northern Syria killed 12 people.", {"SY"}),
    # a city's name with no type word is the city, not a village named after it ("Big Hama",
    # in Aleppo governorate), even with "Aleppo" next to it (the commas lost, as pasted)
    ("Casualties were also reported in Hama Aleppo and Deir al-Zor.", {"C2987", "C1007"}),
    # a place before a verb of speech after a preposition is still a place
    ("Activists in Binnish said shelling continued.", {"C3904"}),
    # several capitalised words spelled another way, matched as a whole
    ("Aid trucks crossed at Bab al-Salama on Monday.", {"L:bab_al_salama_crossing"}),
    ("Civilians fled Deir Ezour for Raqqa.", {"C5086"}),
    # a hill of the war map is looked for when its name says it is a mountain
    ("Jets struck Jabal al-Arbaeen south of Aleppo.", {"S:jabal_arbaain"}),
    # plural type words and "X district" for a quarter of a city
    ("Shells hit the neighborhoods of al-Jamiliyeh and al-Ashrafiyeh.", {"N0161", "N0128"}),
    ("Snipers fired on the Kurdish-majority Sheikh Maqsud district.", {"N0123"}),
]


# Issue 14's English names of several words, whole (they came back in pieces: "Jisr",
# "Touman", "Bab" and "Salama"), and its "X-based" and datelines: (text, surface, place).
ENGLISH_WHOLE = [
    ("Rebels advanced on Jisr al-Shughour in Idlib province.", "Jisr al-Shughour", "C4199"),
    ("Fighting raged around Khan Touman south of Aleppo.", "Khan Touman", "C1015"),
    ("Shelling hit the Sheikh Maqsoud district of Aleppo.", "Sheikh Maqsoud", "N0123"),
    ("Aid crossed at the Bab al-Salama border crossing.", "Bab al-Salama border crossing",
     "L:bab_al_salama_crossing"),
    # a Syrian city that an organisation is based in is named, as in "based in Idlib"
    ("The Idlib-based group Hayat Tahrir al-Sham claimed the attack.", "Idlib", "C3871"),
    # a dateline in capitals names its city
    ("DAMASCUS, Syria (AP) — Shelling hit Douma.", "DAMASCUS", "C1001"),
]


@pytest.mark.parametrize("text, surface, place", ENGLISH_WHOLE)
def test_english_names_whole(gazetteer, text, surface, place):
    assert (surface, place) in {(m.surface, m.place.id) for m in gazetteer.parse(text)}


# English words and names that are not places: (text, surfaces that must not come back).
ENGLISH_NOT_PLACES = [
    ("Fighters of Jabhat Fateh al-Sham and Ahrar al-Sham withdrew.", {"al-Sham", "Sham"}),
    ("SANA said Assad had visited the front.", {"SANA", "Assad"}),
    ("Police said a Muslim cleric was arrested.", {"Police", "Muslim"}),
    ("Mohammad al-Halabi told reporters.", {"al-Halabi", "Halabi"}),
    # a given name before al-X makes it a family name, whatever verb follows
    ("The blast hit near Azaz, local activist Mohammad al-Halabi told The New Arab.", {"al-Halabi"}),
    # ... and the text's person wherever it repeats the family name
    ("A blast hit a checkpoint near Azaz in Aleppo province, activist Mohammad al-Halabi told "
     "The New Arab. Wounded were taken to Kilis, Mohammad al-Halabi added. No group claimed the "
     "attack, which al-Halabi believes bears the hallmarks of ISIS.", {"al-Halabi"}),
    # a capitalised preposition at a sentence's start is not the first word of a name
    ("In Deir Ezour the army targeted ISIS positions.", {"In Deir"}),
    ("The Ramadan offensive began.", {"Ramadan"}),
    ("Assad forces shelled Daraya.", {"Assad"}),
    # a place abroad that an organisation is based in is no Syrian place
    ("The London-based Syrian Observatory for Human Rights said.", {"London", "London-based"}),
    # a single name right before a verb of speech is the speaker
    ("After viewing the videos Pillay said the images were shocking.", {"Pillay"}),
]


@pytest.mark.parametrize("text, not_places", ENGLISH_NOT_PLACES)
def test_english_words_that_are_not_places(gazetteer, text, not_places):
    assert not {m.surface for m in gazetteer.parse(text)} & not_places


def test_a_latin_name_does_not_end_with_an_article(gazetteer):
    mentions = gazetteer.parse("Regime air strikes kill 39 in Idlib as strikes continue.")
    assert [m.surface for m in mentions] == ["Idlib"]


def test_an_english_preposition_is_not_part_of_the_name(gazetteer):
    mentions = gazetteer.parse("He arrived at Aleppo; shelling hit at-Tall.")
    assert [m.surface for m in mentions] == ["Aleppo", "at-Tall"]


@pytest.mark.parametrize("text, ids", ENGLISH)
def test_english_corpus(gazetteer, text, ids):
    found = {m.place.id for m in gazetteer.parse(text)}
    assert ids <= found, found


# A name that starts with an English adjective is keyed with the adjective after the noun, as
# the Arabic has it ("Eastern Ghouta" = الغوطة الشرقية): (text, surface, place).
ADJECTIVE_FIRST = [
    ("Terrorists located in the Eastern Ghouta area fired shells.", "Eastern Ghouta", "L:eastern_ghouta"),
    ("A chemical attack in eastern Ghouta killed dozens.", "eastern Ghouta", "L:eastern_ghouta"),
    ("Strikes hit Western Zafarana village.", "Western Zafarana", "C2699"),
    # a direction before a name that is not a place of its own stays out of the name
    ("Clashes in northern Aleppo.", "Aleppo", "C1007"),
]


@pytest.mark.parametrize("text, surface, place", ADJECTIVE_FIRST)
def test_a_name_that_starts_with_an_adjective(gazetteer, text, surface, place):
    assert (surface, place) in {(m.surface, m.place.id) for m in gazetteer.parse(text)}


def test_an_adjective_does_not_cut_a_longer_name_short(gazetteer):
    # "eastern Deir" is a village (Deir Sharqi) but here the name goes on
    mentions = gazetteer.parse("ISIS attacked army posts in eastern Deir el-Zour on Sunday.")
    assert "C3962" not in {m.place.id for m in mentions}


def test_a_lower_case_adjective_other_than_a_direction_is_an_ordinary_word(gazetteer):
    mentions = gazetteer.parse("The new Aleppo governor met the council.")
    assert "N0184" not in {m.place.id for m in mentions}  # the neighbourhood New Aleppo


# One capitalised word beside a type word, spelled otherwise than every name of such a place,
# read by its consonants among places of that type (the article may be glued: "Alsaliheen").
@pytest.mark.parametrize("text", [
    "Shells hit al-Saliheen neighborhood in the city.",
    "9 were killed in the neighborhood Alsaliheen and 8 in Ansari.",
])
def test_one_word_beside_a_type_word(gazetteer, text):
    assert "N0211" in {m.place.id for m in gazetteer.parse(text)}  # Salheen, Aleppo


@pytest.mark.parametrize("text, place", [
    # "Tabaqa" is a village's OCHA name and the town al-Tabqa's "Tabaqah": the town is meant
    ("Clashes in Tabaqa and Raqqa.", "C5929"),
    ("Shells fell on the Zahra district of Aleppo city.", "N0135"),  # not the town Zahraa near Azaz
])
def test_another_transliteration_of_an_exact_name_competes(gazetteer, text, place):
    assert place in {m.place.id for m in gazetteer.parse(text)}


@pytest.mark.parametrize("text, surface, place", [
    # a facility's type word after its name, "military" or "air" between, is part of the mention
    ("Rebels shelled the Kuweires air base.", "Kuweires air base", "L:kuweires_airbase"),
    ("Clashes near Menagh military airport.", "Menagh military airport", "L:menagh_airbase"),
])
def test_a_facility_named_with_its_type_word_after(gazetteer, text, surface, place):
    assert (surface, place) in {(m.surface, m.place.id) for m in gazetteer.parse(text)}


def test_one_short_word_beside_a_type_word_needs_its_own_spelling(gazetteer):
    # three consonants say too little: Qassiab is not the town Kasab (Latakia)
    mentions = gazetteer.parse("Clashes broke out in the village of Qassiab in Hasakeh.")
    assert "C3557" not in {m.place.id for m in mentions}


# Texts about other countries: no Syrian place.
FOREIGN = [
    "انفجار في مرفأ بيروت وأضرار في مطار رفيق الحريري",
    "سيول في منطقة الفحيحيل ومدينة الجهراء بالكويت",
    "قطع المياه عن محافظة القاهرة والجيزة",
    "تسجيل 125 حالة في المدينة المنورة",
    "The storm hit Amman and Irbid in Jordan.",
    # a common word is not split into a clitic and a village ("وزارة" is not و + Az-Zara)
    "أعلنت وزارة الصحة تسجيل إصابات جديدة",
    # hashtags that are common phrases, not places
    "أمطار غزيرة على #الحدود_الشمالية و #تبوك",
    "#صباح_الخير يا جماعة",
    # "منطقة" announces any area: not evidence of a Syrian village in a foreign text
    "البحث عن مفقودين في منطقة الجفر بعد السيول في الأردن",
]


# outlets and correspondents named after a place
OUTLETS = [
    "RT مراسلة #الميادين في #بيروت: حالة من الهلع في الشوارع",
    "وزارة الصحة المصرية #معهد_الاورام #الحرير_نيوز",
]


@pytest.mark.parametrize("text", OUTLETS)
def test_outlets_named_after_a_place_are_not_places(gazetteer, text):
    assert gazetteer.parse(text) == []


@pytest.mark.parametrize("text", FOREIGN)
def test_foreign_texts_name_no_syrian_place(gazetteer, text):
    assert gazetteer.parse(text) == []


def test_organisations_are_not_places(gazetteer):
    text = "قال مراسل الجزيرة إن تنظيم الدولة انسحب، بحسب شبكة شام"
    assert gazetteer.parse(text) == []


def test_document_focus(gazetteer):
    text = "قصف على إدلب وسراقب ومعرة النعمان، وغارة على حلب"
    focus = document_focus(gazetteer.parse(text))
    assert focus["admin1"]["pcode"] == "SY07"


def test_mention_feature_contract(gazetteer):
    (m, *_) = gazetteer.parse("قصف على بلدة خان طومان")
    f = m.to_feature()
    assert f["geometry"]["type"] == "Point"
    props = f["properties"]
    assert props["id"] == "C1015" and props["surface"] == "خان طومان"
    assert {"start", "end", "confidence", "admin1", "admin2", "admin3", "alternatives"} <= set(props)


def test_empty_and_bad_text(gazetteer):
    assert gazetteer.parse("") == []
    assert gazetteer.parse("   \n") == []
    with pytest.raises(QueryError):
        gazetteer.parse(None)
    with pytest.raises(QueryError):
        gazetteer.parse("x" * 3_000_000)


# Words of Syrian texts that are not places (issue 14's examples): (text, words that must not
# come back as a mention, places that must).
NOT_PLACES_IN_SYRIAN_TEXT = [
    ("اشتباكات في مارع شمالي حلب", {"مارع شمالي"}, {"C1643", "C1007"}),
    ("تقدم قوات الأسد في ريف حماة", {"الأسد"}, {"SY05"}),
    ("في تشرين الثاني قصفت الطائرات إدلب", {"تشرين"}, {"C3871"}),
    ("المنطقة الوسطى تشهد توترا", {"الوسطى"}, set()),
    ("تعرضت مواقع للقصف في ريف حلب", {"مواقع", "للقصف", "القصف"}, {"SY02"}),
    ("قتل أبو جابر في إدلب", {"جابر"}, {"C3871"}),
    ("مقتل عنصر من قسد في دير الزور", {"قسد"}, {"C5086"}),
    ("هاجمت قوات سوريا الديمقراطية مواقع في الرقة", {"سوريا"}, {"C5710"}),
    # a frequent word needs a type word before it, even in a text about Syria
    ("الطفلة البالغة من العمر 9 سنوات أصيبت في قصف على ريف حلب", {"العمر", "الطفلة"}, {"SY02"}),
    ("سقطت القذائف 4 مرات على بلدات ريف حلب الشمالي", {"مرات"}, {"SY02"}),
    ("وأفاد مراسل بلدي نيوز بريف حلب بسقوط قتلى", {"نيوز"}, {"SY02"}),
    ("وفاة طفلة بعد دهسها في مدينة رأس العين بريف الحسكة", {"طفلة"}, {"C4988"}),
    # a given name and the family name after it are a person ("العثمان" is also a village)
    ("قال الناشط أحمد العثمان إن الطيران قصف مدينة سراقب", {"العثمان"}, {"C3916"}),
    # a head of state is a person, though a village nearly shares the name (Abu Tineh)
    ("الغارات الروسية على منطقة بوتين أردوغان في ريف إدلب", {"بوتين", "أردوغان"}, {"SY07"}),
    # a word written with tanween is an adverb ("strangled"), not a name, even before بريف
    ("مقتل شاب خنقاً بريف دير الزور الشرقي", {"خنقاً", "خنقا"}, {"SY09"}),
    # after a comma, a word with a glued preposition goes on the sentence, not the list
    ("تستهدف قسد أطراف مدينة جرابلس شرقي حلب، بالقصف المدفعي", {"بالقصف", "القصف"}, {"C2227"}),
    # "قرب"/"محيط" name no type: a frequent word after them still needs one
    ("قصفت قوات النظام محيط الملعب في مدينة درعا", {"الملعب"}, {"C5993"}),
    # a type word with its article points back to a place named before: the next word is not
    # its name, and alone it names nothing
    ("نقل المصاب إلى نقطة طبية في المنطقة لتلقي العلاج في إدلب", {"لتلقي", "تلقي"}, {"C3871"}),
    ("قصفت الطائرات مدينة إدلب وقرية مرعيان جنوبي المحافظة", {"المحافظة"}, {"C3871"}),
    # an operation named after a river, and a group with a glued و
    ("هجوم على منطقة عملية درع الفرات شمالي حلب", {"الفرات"}, {"C1007"}),
    ("اشتباكات بين الجيش وقسد في ريف دير الزور", {"وقسد", "قسد"}, {"SY09"}),
]


@pytest.mark.parametrize("text, ids", [
    # a direction followed by a name belongs to that name: al-Bab east of Aleppo, not the
    # Damascus gate Bab Sharqi; the gate is still found where no name follows
    ("اشتباكات قرب الباب شرقي حلب", ["C1202", "C1007"]),
    ("قصف على حي باب شرقي في دمشق", ["N0061", "C1001"]),
    # "قرب"/"محيط" are enough for a town named like a frequent word ("الباب", the door)
    ("قصف مدفعي قرب الباب", ["C1202"]),
])
def test_a_direction_between_two_names(gazetteer, text, ids):
    assert [m.place.id for m in gazetteer.parse(text)] == ids


@pytest.mark.parametrize("text, place", [
    ("غارة على سراقب", "C3916"),
    ("سقوط قذائف على منبج", "C1767"),
])
def test_a_town_alone_in_a_one_line_alert(gazetteer, text, place):
    mentions = gazetteer.parse(text)
    assert [m.place.id for m in mentions] == [place]
    assert mentions[0].confidence < 0.8  # nothing else in the text confirms it


def test_two_places_joined_by_waw_are_side_by_side_not_one_inside_the_other(gazetteer):
    # "حلب" was read as the M5 highway, which runs through Idlib, the "unit named next to it"
    mentions = gazetteer.parse("قصف على حلب وإدلب.")
    assert [m.place.id for m in mentions] == ["C1007", "C3871"]


def test_a_vocalised_name_is_read_whole(gazetteer):
    # "حمَام" with a fatha was read as two words, "حم" and "ام", each a wrong village
    mentions = gazetteer.parse("قُتِل في بلدة أبو حمَام شرق دير الزور خلال اشتباكات")
    assert [m.surface for m in mentions][0] == "أبو حمَام"
    assert mentions[0].place.admin1.pcode == "SY09"


@pytest.mark.parametrize("text, not_places, ids", NOT_PLACES_IN_SYRIAN_TEXT)
def test_words_that_are_not_places(gazetteer, text, not_places, ids):
    mentions = gazetteer.parse(text)
    assert not {m.surface for m in mentions} & not_places, [(m.surface, m.place.id) for m in mentions]
    assert ids <= {m.place.id for m in mentions}


def test_a_type_word_still_makes_a_frequent_word_a_place(gazetteer):
    # "مرات" is also the town Marat: after "بلدة" it is the town
    assert "C5146" in {m.place.id for m in gazetteer.parse("قصف مدفعي على بلدة مرات بريف دير الزور")}


def test_a_hamlet_only_geonames_knows_is_found_after_a_village_cue(gazetteer):
    # Tall Yamani (GeoNames 10309629) is in no OCHA list: "قرية تل يمني" names it; bare, the
    # words are not looked up among hamlets
    cued = gazetteer.parse("قصف على قرية تل يمني بريف حلب")
    assert "G10309629" in {m.place.id for m in cued}
    bare = gazetteer.parse("قصف على تل يمني بريف حلب")
    assert not [m for m in bare if m.place.id.startswith(("G", "W"))]


def test_the_first_letter_of_a_name_is_not_read_as_a_clitic(gazetteer):
    # "في ذيبان" is Thiban, spelled whole, not "يبان" after a lost ذ
    assert [m.surface for m in gazetteer.parse("تقدم في ذيبان شرقي دير الزور")][0] == "ذيبان"


def test_a_long_text_leaves_the_garbage_collector_as_it_found_it(gazetteer):
    import gc

    long_text = "قصف على مدينة حلب وريف إدلب. " * 1500  # far over parse.LONG_TEXT characters
    assert gc.isenabled()
    assert len(gazetteer.parse(long_text)) >= 3000
    assert gc.isenabled()
    gc.disable()
    try:
        gazetteer.parse(long_text)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_region_and_its_mountains_are_one_answer(gazetteer):
    # the region "Qalamoun" and the "Qalamoun Mountains" share the name: not rival readings
    # that halve the confidence of a bare "Qalamoun" below the threshold
    mentions = gazetteer.parse("Fighting broke out in Qalamoun on Thursday.")
    assert [(m.surface, m.place.type) for m in mentions] == [("Qalamoun", "region")]


# A text that says where a village lies ("X شمال مدينة Y", "X, north of the town of Y", "X بريف
# Y") bounds which X it means: the only Kafr Nabuda known lies 150 km from Manbij, so a text
# putting one north of Manbij names another, unknown village (low confidence, not this one).
RELATIVE_FAR = [
    "قصفت المدفعية قرية كفرنبودة شمال مدينة منبج",
    "قصفت المدفعية قرية كفرنبودة بريف منبج",
    "Artillery shelled the village of Kafr Nabuda, north of the town of Manbij.",
]
RELATIVE_NEAR = [
    "قصفت المدفعية قرية كفرنبودة شمال مدينة السقيلبية",
    "قصفت المدفعية قرية كفرنبودة بريف السقيلبية",
    "Artillery shelled the village of Kafr Nabuda, north of the town of Suqaylabiyah.",
]


@pytest.mark.parametrize("text", RELATIVE_FAR)
def test_a_village_the_text_puts_far_from_the_only_namesake_known_is_not_sure(gazetteer, text):
    kafr_nabuda = [m for m in gazetteer.parse(text) if m.place.id == "C3209"]
    assert all(m.confidence < 0.5 for m in kafr_nabuda), kafr_nabuda


@pytest.mark.parametrize("text", RELATIVE_NEAR)
def test_a_village_the_text_puts_where_it_lies_stays_sure(gazetteer, text):
    found = {m.place.id: m.confidence for m in gazetteer.parse(text)}
    assert found.get("C3209", 0) >= 0.8, found


def test_names_side_by_side_without_a_relation_word_bound_nothing(gazetteer):
    # an English list written without commas: Saraqeb is not in Maarat al-Numan
    text = "Army units killed militants in Saraqeb Maarat al-Numan and Khan Sheikhoun."
    found = {m.place.id: m.confidence for m in gazetteer.parse(text)}
    assert found.get("C3916", 0) >= 0.5, found  # returned, not marked down for Maarat al-Numan


def test_a_large_place_is_not_bounded_by_the_town_named_after_it(gazetteer):
    # the Euphrates' label point is far from al-Mayadin, the river is not
    found = {m.place.id: m.confidence for m in gazetteer.parse("غرق طفل في نهر الفرات شرق مدينة الميادين")}
    assert found.get("L:euphrates", 0) >= 0.8, found


# A cue word with a glued preposition is read with and without it: "بريف دمشق" is ب + "ريف دمشق",
# the governorate Rural Damascus (not Damascus), "بسهل الغاب" the Ghab plain.
GLUED_CUE_WORDS = [
    ("قصف مدفعي على بلدة كفربطنا بريف دمشق", "ريف دمشق", "SY03"),
    ("حريق واسع بسهل الغاب", "سهل الغاب", "L:ghab_plain"),
    ("اشتباكات بجبل الزاوية جنوب إدلب", "جبل الزاوية", "L:jabal_al_zawiya"),
]


@pytest.mark.parametrize("text, surface, place", GLUED_CUE_WORDS)
def test_a_cue_word_with_a_glued_preposition_is_part_of_the_name(gazetteer, text, surface, place):
    found = {(m.surface, m.place.id) for m in gazetteer.parse(text)}
    assert (surface, place) in found, found


# A town whose name is also a frequent word needs a type word before it, unless the text names
# its countryside or the unit it lies in right after it.
TOWNS_NAMED_LIKE_WORDS = [
    ("قصف على دوما بريف دمشق", "C2338"),  # دوما: "always"
    ("مقتل شاب بريف الطبقة", "C5929"),  # الطبقة: "the layer"
]


@pytest.mark.parametrize("text, place", TOWNS_NAMED_LIKE_WORDS)
def test_a_town_named_like_a_word_is_found_by_its_countryside(gazetteer, text, place):
    assert place in {m.place.id for m in gazetteer.parse(text)}


def test_a_type_word_followed_by_a_name_belongs_to_that_name(gazetteer):
    # "مركز المدينة" is a quarter's name ("City Centre"); "مركز مدينة الباب" is the centre of al-Bab
    found = {(m.surface, m.place.id) for m in gazetteer.parse("انفجار سيارة مفخخة في مركز مدينة الباب")}
    assert found == {("الباب", "C1202")}, found


def test_a_type_word_before_a_generic_first_word_leaves_it_to_the_next_name(gazetteer):
    # "منطقة التل" is a name of the district At Tall; "منطقة تل رفعت" is the area of Tell Rifaat
    found = {(m.surface, m.place.id) for m in gazetteer.parse("قصف مدفعي على منطقة تل رفعت ومحيطها")}
    assert found == {("تل رفعت", "C1621")}, found


NOT_PLACES_IN_RUNNING_TEXT = [
    # a name does not end with a preposition: "بيت في" is "a house in", not Beit al-Fay
    ("سقطت قذيفة على بيت في الحسكة", "بيت في"),
    # و + a frequent word, read whole as a skeleton match: "which lies"
    ("قصفت المدفعية قرية تل عرن، والواقعة جنوب مدينة السفيرة", "والواقعة"),
    # ground shelling, beside the countryside of Hama, is not a town called "بري"
    ("أصيب ثلاثة مدنيين بقصف بري على ريف حماة", "بري"),
]


@pytest.mark.parametrize("text, word", NOT_PLACES_IN_RUNNING_TEXT)
def test_words_beside_places_that_are_not_places(gazetteer, text, word):
    assert word not in {m.surface for m in gazetteer.parse(text)}


def test_one_latin_word_named_with_the_unit_it_lies_in_is_sure(gazetteer):
    # Kawkab in Hama (one of two Kokabs the spelling fits): "in Hama province" says which, and
    # that the word is a place
    found = {m.place.id: m.confidence for m in gazetteer.parse("The army took Kokab in Hama province")}
    assert found.get("C3037", 0) >= 0.8, found


def test_a_common_word_with_a_clitic_may_start_a_longer_name(gazetteer):
    # "وعين" is "and appointed" alone, but "وعين العرب" is و + Ain al-Arab (Kobani)
    found = {(m.surface, m.place.id) for m in gazetteer.parse("قصف تركي على منبج وعين العرب")}
    assert ("عين العرب", "C1946") in found, found
    assert gazetteer.parse("وعين الرئيس وزيرا جديدا للدفاع") == []


def test_the_second_half_of_a_dual_countryside_is_a_countryside(gazetteer):
    # "ريفي حماة الغربي واللاذقية الشمالي": the countrysides of Hama and of Lattakia, the
    # governorates (not the city of Lattakia), a direction after the first half
    found = {m.surface: m.place.id for m in gazetteer.parse("غارات على ريفي حماة الغربي واللاذقية الشمالي")}
    assert found == {"حماة": "SY05", "اللاذقية": "SY06"}, found
