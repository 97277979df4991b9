"""Arabic on real news (issue 23): statements beyond إن/أن, headlines, continuations, roles.

Sentences marked "news" are taken verbatim from the Arabic articles of the shared news gold
(../shared/gold/news-dev.jsonl: Arab Telegraph, Sada El Balad, Alyaum TV, Akhbar El Yom, CNN
Arabic, Al-Osboa, Al Jazeera Mubasher, Tag Press, Beirut Elhora, Al-Wafd, LANA); the others
are written after the same constructions, mostly as the negative cases.
"""

import pytest

from quotetrack.extract.arabic import extract_arabic, find_cue, lexicons, normalize, tokenize
from quotetrack.types import Article


def quotes_of(text):
    quotes, _ = extract_arabic(Article(id="t", text=text, language="ar"))
    for q in quotes:
        assert text[q.content_start : q.content_end] == q.content
    return quotes


def only(text):
    quotes = quotes_of(text)
    assert len(quotes) == 1, [q.content for q in quotes]
    return quotes[0]


# --- the reporting-verb lexicon: speech acts without إن/أن ------------------------------


@pytest.mark.parametrize(
    "word, lemma",
    [
        ("وهدد", "هدد"),
        ("يتوعد", "توعد"),
        ("مطالبا", "طالب"),
        ("وناشدت", "ناشد"),
        ("محذراً", "حذر"),
        ("وتعهّد", "تعهد"),
        ("ودعا", "دعا"),
        ("تدعو", "دعا"),
        ("وأعرب", "أعرب"),
        ("ونفت", "نفى"),
        ("رافضا", "رفض"),
        ("واتهم", "اتهم"),
        ("ونوه", "نوه"),
        ("وأكمل", "أكمل"),
        ("وختم", "ختم"),
        ("محمِّلاً", "حمل"),
        ("متسائلا", "تساءل"),
        ("وشدد", "شدد"),
        ("ولوح", "لوح"),
        ("وبين", "بين"),
    ],
)
def test_lexicon_knows_the_speech_acts_the_guide_counts(word, lemma):
    cue = find_cue(tokenize(word), 0, lexicons())
    assert cue is not None and cue.lemma == normalize(lemma)


@pytest.mark.parametrize("word", ["وحمل", "يحمل", "ويعد", "عبر", "وصف", "وعلق"])
def test_words_that_are_mostly_something_else_are_no_cues(word):
    # حمل carried (only محملا is "holding responsible"), يعد "is considered", عبر "via"
    assert find_cue(tokenize(word), 0, lexicons()) is None


def test_preposition_complement_after_settings():
    text = (
        "وحذّر المسماري، في مؤتمره الأسبوعي اليوم الأربعاء، من بنغازي، من المساس بأمن العاصمة، "
        "مؤكدا أن القوات المسلحة سيكون بجانب المواطن هناك."
    )  # news
    warned, stressed = quotes_of(text)
    assert (warned.cue, warned.speaker_mention) == ("حذّر", "المسماري")
    assert warned.content.endswith("المساس بأمن العاصمة")
    assert (stressed.cue, stressed.content) == ("مؤكدا", "أن القوات المسلحة سيكون بجانب المواطن هناك")
    assert stressed.speaker == warned.speaker


@pytest.mark.parametrize(
    "text, cue, mention, content",
    [
        # news: دعا ... إلى, after a time and a setting between commas
        (
            "ودعا السيسي، خلال تفقده للمنطقة الغربية العسكرية، السبت، إلى وقف إطلاق النار في ليبيا.",
            "دعا",
            "السيسي",
            "وقف إطلاق النار في ليبيا",
        ),
        # news: شدد على
        (
            "وشدد السيسي على ضرورة سحب كافة القوى الأجنبية إلى خارج ليبيا بشكل فوري.",
            "شدد",
            "السيسي",
            "ضرورة سحب كافة القوى الأجنبية إلى خارج ليبيا بشكل فوري",
        ),
        # news: the object is the statement (+0), after a role, a name and a day
        (
            "أكد المُتحدث الرّسمي باسم القيادة العَامة للقوات المُسلحة العَربية الليبية، العميد أحمد المسماري، الأربعاء، "
            "عدم مشاركة القوات المسلحة التابعة للقيادة العامة في المعاركة الدائرة في طرابلس .",
            "أكد",
            "أحمد المسماري",
            "عدم مشاركة القوات المسلحة التابعة للقيادة العامة في المعاركة الدائرة في طرابلس",
        ),
        # news: accused [role] [object] without a comma between them
        (
            "واتهم المتحدث باسم القوات المسلحة رئيس المجلس الرئاسي لحكومة الوفاق غير الدستورية فائز السراج بالتبعية "
            "للمليشيات، وليس العكس.",
            "اتهم",
            "المتحدث باسم القوات المسلحة",
            "رئيس المجلس الرئاسي لحكومة الوفاق غير الدستورية فائز السراج بالتبعية للمليشيات، وليس العكس",
        ),
        (
            "وأعرب الأمين العام للأمم المتحدة أنطونيو غوتيريش عن قلقه البالغ إزاء التصعيد.",
            "أعرب",
            "أنطونيو غوتيريش",
            "قلقه البالغ إزاء التصعيد",
        ),
        (
            "ونفى المتحدث باسم الجيش السوداني نبيل عبد الله وجود أي مفاوضات مع الدعم السريع.",
            "نفى",
            "نبيل عبد الله",
            "وجود أي مفاوضات مع الدعم السريع",
        ),
        (
            "واتهم الجيش قوات الدعم السريع بقصف الأحياء السكنية.",
            "اتهم",
            "الجيش",
            "قوات الدعم السريع بقصف الأحياء السكنية",
        ),
    ],
)
def test_statements_without_a_complementizer(text, cue, mention, content):
    q = only(text)
    assert (q.cue, q.speaker_mention, q.content, q.kind) == (cue, mention, content, "indirect")


def test_clitic_ba_complement_and_a_subject_before_the_verb():
    text = (
        "وقال فتحي باشاغا إن الحكومة ستباشر عملها.\n"
        "باشاغا تعهّد أيضاً بإنهاء كافة أشكال الفوضى الأمنية والفساد المالي."
    )  # second line: news
    q = quotes_of(text)[1]
    assert (q.cue, q.speaker_mention, q.speaker) == ("تعهّد", "باشاغا", "فتحي باشاغا")
    assert q.content == "بإنهاء كافة أشكال الفوضى الأمنية والفساد المالي"


@pytest.mark.parametrize(
    "text",
    [
        "وأعلن الجيش السيطرة على مدينة سرت بعد معارك عنيفة.",  # an action announced, not a statement
        "وأعلن الجيش عن هجوم مضاد على المدينة.",
        "وحمل المتظاهرون لافتات تندد بالفساد.",
        "ويعد الهجوم الأول من نوعه منذ أشهر.",
        "وشنت القوات الحكومية هجوما على مواقع المسلحين.",
        # seed: يبدون ("they seem") spelled like يبدي's plural, with no subject: a relative clause
        "لا يوجد سوى عدد محدود من الناس ممن يبدون قادرين على الحفاظ على ائتلاف القوى.",
    ],
)
def test_actions_and_relative_clauses_are_no_statements(text):
    assert quotes_of(text) == []


def test_right_after_a_past_tense_a_ba_word_is_the_subject_not_the_complement():
    # news: تعهّد باشا ... بالدخول — باشا is the subject, بالدخول the complement
    q = only("تعهَّد باشا من جديد بالدخول إلى العاصمة طرابلس قريباً وبشكلٍ سلمي.")
    assert (q.speaker_mention, q.content) == ("باشا", "بالدخول إلى العاصمة طرابلس قريباً وبشكلٍ سلمي")


def test_reporters_aside_ends_the_statement():
    # news: "، وذلك في وقت ..." is the reporter's, not Burhan's
    q = only(
        "قال رئيس مجلس السيادة السوداني عبد الفتاح البرهان إن بلاده تواجه أكبر مؤامرة في تاريخها، "
        "وذلك في وقت تحتدم فيه المعارك بين الجيش السوداني وقوات الدعم السريع."
    )
    assert q.content == "إن بلاده تواجه أكبر مؤامرة في تاريخها"


# --- headlines signed with a colon ---------------------------------------------------------


def test_headline_signed_by_a_surname_takes_the_full_name():
    text = (
        "المسماري: مصر هي السند الحقيقي للشعب الليبي\n"
        "قال اللواء أحمد المسماري، المتحدث باسم الجيش الوطني الليبي، إن الجيش الليبي يحاول دائمًا السعي "
        "نحو تحقيق الاستقرار."
    )  # news
    headline, _body = quotes_of(text)
    assert (headline.kind, headline.cue, headline.speaker_mention) == ("indirect", None, "المسماري")
    assert (headline.content, headline.speaker) == ("مصر هي السند الحقيقي للشعب الليبي", "أحمد المسماري")


def test_headline_label_before_the_signature_and_video_tag_after_the_content_are_left_out():
    text = (
        "بالفيديو | حفتر: أتعهد بطرد الغزاة الأتراك وميليشياتهم من ليبيا\n\n"
        "قال قائد الجيش الوطني الليبي، المشير خليفة حفتر، إن الجيش سيواصل بناء قواته."
    )  # news
    assert quotes_of(text)[0].content == "أتعهد بطرد الغزاة الأتراك وميليشياتهم من ليبيا"
    assert quotes_of(text)[0].speaker == "خليفة حفتر"
    text = "البرهان: حميدتي يزيف الحقائق وسنحتفل بالنصر قريبا (فيديو)\n\nوقال البرهان إن الجيش سينتصر."
    assert quotes_of(text)[0].content == "حميدتي يزيف الحقائق وسنحتفل بالنصر قريبا"


@pytest.mark.parametrize(
    "text",
    [
        "ليبيا: مقتل 5 في اشتباكات بطرابلس\nوقالت وزارة الصحة إن خمسة أشخاص قتلوا.",  # a place labels the story
        "عاجل: انفجار في بنغازي\nوأفاد شهود بسماع دوي انفجار.",
        "وقالت وزارة الصحة إن خمسة أشخاص قتلوا.\nالمسماري: مصر هي السند الحقيقي للشعب الليبي",  # not the first line
    ],
)
def test_colon_that_signs_no_headline_statement(text):
    assert all(q.cue is not None for q in quotes_of(text))


def test_headline_verbs_joined_by_wa_share_their_fronted_subject():
    text = (
        "باشاغا يتهم الدبيبة بتعميق الانقسام ويتعهد بدخول طرابلس قريباً\n"
        "وقال باشاغا إن الدبيبة أهدر المال العام."
    )  # news
    accuses, vows, said = quotes_of(text)
    assert (accuses.cue, accuses.speaker_mention, accuses.content) == ("يتهم", "باشاغا", "الدبيبة بتعميق الانقسام")
    assert (vows.cue, vows.speaker_mention, vows.content) == ("يتعهد", None, "بدخول طرابلس قريباً")
    assert vows.speaker == accuses.speaker == said.speaker == "باشاغا"


# --- continuations: participles and cues with no subject -----------------------------------


def test_participles_continue_the_speaker_even_after_a_non_speech_verb():
    text = (
        "قال الأمين العام لحزب الله اللبناني حسن نصر الله إن الإدارة الأمريكية إدارة إرهابية.\n"
        "وأدان نصر الله القرار الأمريكي معلنا وقوف حزب الله إلى جانب الحرس الثوري في إيران، مشيرا إلى أن "
        "القرار هو ردة فعل على الهزيمة والخيبة.وشدد أمين عام حزب الله في كلمته على أن من حقهم مواجهة كل تهديد."
    )
    quotes = quotes_of(text)  # news (the second paragraph)
    assert [q.cue for q in quotes] == ["قال", "معلنا", "مشيرا", "شدد"]
    assert quotes[1].content == "وقوف حزب الله إلى جانب الحرس الثوري في إيران"
    assert quotes[2].content == "أن القرار هو ردة فعل على الهزيمة والخيبة"  # the glued full stop ends it
    assert {q.speaker for q in quotes} == {"حسن نصر الله"}


def test_participle_with_an_object_statement():
    text = (
        "وقال باشاغا إن الدبيبة أهدر المال العام، محمِّلاً حكومةَ الدبيبة كافّةَ العواقب والآثار الناجمة "
        "عن التدخُّلات في شؤون تلك المؤسّسات."
    )  # news
    q = quotes_of(text)[1]
    assert (q.cue, q.speaker) == ("محمِّلاً", "باشاغا")
    assert q.content.startswith("حكومةَ الدبيبة كافّةَ العواقب")


def test_misspelt_preposition_is_no_speaker_and_the_cue_continues_the_speaker():
    text = (
        "أعلن الرئيس السوري بشار الأسد أنّ “لم نتدخل لحل الأزمة في لبنان”.\n"
        "وأشار إللى أنّ “العلاقة بيني وبين ابني حافظ هي علاقة عائلة”."
    )  # news
    _first, second = quotes_of(text)
    assert second.speaker_mention is None and second.speaker == "بشار الأسد"


def test_glued_punctuation_is_split_with_exact_offsets():
    text = "الهزيمة والخيبة.وشدد •واكد"
    toks = tokenize(text)
    assert [t.text for t in toks] == ["الهزيمة", "والخيبة", ".", "وشدد", "•", "واكد"]
    assert all(text[t.start : t.end] == t.text for t in toks)
    assert toks[3].sent_start


# --- roles and the people the article names ------------------------------------------------


def test_role_mention_takes_the_person_named_with_that_role_in_a_sentence_that_quotes_no_one():
    text = (
        "علق رئيس حكومة الوحدة الوطنية الموقتة في ليبيا عبد الحميد الدبيبة، على تأجيل عقد الاجتماع.\n\n"
        'وتابع رئيس الحكومة الليبية "كان من المفترض عقد الاجتماع الثالث لمجلس الوزراء في بنغازي".'
    )  # news
    q = only(text)
    assert (q.speaker_mention, q.speaker, q.speaker_type) == ("رئيس الحكومة الليبية", "عبد الحميد الدبيبة", "person")


def test_role_after_the_name_between_commas_and_a_variant_of_the_organization():
    text = (
        "قال العميد يحيى سريع، المتحدث العسكري باسم حركة أنصار الله المعروفة بـ«جماعة الحوثي» في اليمن، "
        "اليوم الجمعة، إن القوات الأمريكية والبريطانية شنت 73 غارة.\n"
        "وتابع المتحدث العسكري باسم الحوثيين أن القوات المسلحة اليمنية تؤكد استمرارها في منع السفن."
    )  # news
    _first, second = quotes_of(text)
    assert (second.speaker_mention, second.speaker) == ("المتحدث العسكري باسم الحوثيين", "يحيى سريع")


def test_headline_role_takes_the_person_named_later():
    text = (
        "الأمين العام لحزب الله: الولايات المتحدة تذل أمة بكاملها من أجل إسرائيل\n\n"
        "قال الأمين العام لحزب الله اللبناني حسن نصر الله، مساء يوم الأربعاء، إن الإدارة الأمريكية "
        "إدارة إرهابية.\n\nوشدد أمين عام حزب الله في كلمته على أن من حقهم مواجهة كل تهديد."
    )  # news
    quotes = quotes_of(text)
    assert [q.speaker for q in quotes] == ["حسن نصر الله"] * 3
    assert quotes[0].speaker_mention == "الأمين العام لحزب الله"


def test_two_people_with_the_role_leave_the_mention_as_written():
    text = (
        "قال وزير الخارجية الليبي محمد الطاهر سيالة إن الحوار مستمر.\n"
        "وقال وزير الخارجية التونسي عثمان الجرندي إن بلاده تدعم الحوار.\n"
        "وأضاف وزير الخارجية أن الاجتماع سيعقد الأسبوع المقبل."
    )
    assert quotes_of(text)[2].speaker == "وزير الخارجية"


def test_a_role_of_another_office_and_an_unnamed_source_stay_unnamed():
    text = (
        "قال وزير الخارجية الليبي محمد الطاهر سيالة إن الحوار مستمر.\n"
        "وقال وزير الداخلية إن الأمن مستتب.\n"
        "وقال متحدث باسم الجيش إن القوات تقدمت.\n"
        "وقال المتحدث باسم الحكومة محمد حمودة إن الحكومة ترحب بالتقدم."
    )
    quotes = quotes_of(text)
    assert [(q.speaker, q.speaker_type) for q in quotes[1:3]] == [
        ("وزير الداخلية", "anonymous"),
        ("متحدث باسم الجيش", "anonymous"),
    ]


def test_unknown_name_followed_by_a_title():
    q = only("أكد سامح شكرى وزير الخارجية، أن الوضع فى ليبيا يزداد خطورة مع انتشار الإرهاب.")  # news
    assert (q.speaker_mention, q.role, q.speaker_type) == ("سامح شكرى", "وزير الخارجية", "person")


@pytest.mark.parametrize(
    "text, not_speaker",
    [
        # news: وصف (a description) before a title is no name
        (
            "وقال المسماري إن الجيش يتقدم.\n"
            "ورفض وصف المبعوث الأممي للقوات المسلحة، بأنها أحد الأطرف المتصارعة في درنة.",
            "وصف",
        ),
        # news: لحزب ("of the party") is no given name before الله
        (
            "الأمين العام لحزب الله: الولايات المتحدة تذل أمة بكاملها\nقال حسن نصر الله إن القرار ظالم، مشيرا إلى أن "
            "الرد سيأتي.",
            "لحزب الله",
        ),
    ],
)
def test_no_garbage_speakers(text, not_speaker):
    assert not_speaker not in {q.speaker for q in quotes_of(text)}


@pytest.mark.parametrize(
    "text, mention, speaker_type",
    [
        ("ووجه الرئيس رسالة إلى الشعب قال فيها إن المرحلة صعبة.", None, None),  # فيها: "in it", no speaker
        ("ويقول منتقدون إن الحكومة فشلت في إدارة الأزمة.", "منتقدون", "anonymous"),
        ("وأوضح البيان أن الهجوم استهدف مواقع عسكرية.", "البيان", "anonymous"),  # a statement is no person
        ("وتوعد زعيم الحوثيين عبد الملك الحوثي بالرد على الغارات.", "عبد الملك الحوثي", "person"),  # الملك: a name here
        ("ودعت الحكومة المواطنين إلى التزام الهدوء.", "الحكومة", "organization"),  # the object is not the speaker
        ("ودعا المجلس الرئاسي الليبي جميع الأطراف إلى التهدئة.", "المجلس الرئاسي الليبي", "organization"),
    ],
)
def test_speaker_phrase_edges(text, mention, speaker_type):
    q = only(text)
    assert (q.speaker_mention, q.speaker_type) == (mention, speaker_type)


# --- "according to" -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cue, mention, content",
    [
        ("وبحسب وزارة الصحة، فإن خمسة أشخاص قتلوا في القصف.", "بحسب", "وزارة الصحة", "فإن خمسة أشخاص قتلوا في القصف"),
        ("قتل خمسة أشخاص في القصف، بحسب مصادر طبية.", "بحسب", "مصادر طبية", "قتل خمسة أشخاص في القصف"),
        (
            "ووفقا لوكالة الأنباء الليبية، فإن الاجتماع سيعقد في سرت.",
            "وفقا",
            "وكالة الأنباء الليبية",
            "فإن الاجتماع سيعقد في سرت",
        ),
    ],
)
def test_according_to_before_or_after_the_clause(text, cue, mention, content):
    q = only(text)
    assert (q.cue, q.speaker_mention, q.content) == (cue, mention, content)


def test_according_to_after_an_attributed_statement_adds_nothing_and_ends_its_content():
    # news: "حسب قوله" (as he put it) is the reporter's aside
    q = only("وأكد السيسي أن أي تدخل مباشر من جانب مصر في ليبيا باتت تتوفر له الشرعية الدولية، حسب قوله.")
    assert q.content.endswith("الشرعية الدولية")
    # news: the source of a report already attributed to Dbeibah
    quotes = quotes_of(
        "و قال الدبيبة، في كلمة خلال اجتماع مجلس الوزراء، إن الحكومة الليبية، نجحت في توحيد أغلب "
        'المؤسسات، موضحا أنه لم يبق لليبيين إلا توحيد المؤسسة العسكرية، وفقا لبوابة "الوسط" المحلية.'
    )
    assert [q.speaker for q in quotes] == ["الدبيبة"] * 2
    assert quotes[1].content == "أنه لم يبق لليبيين إلا توحيد المؤسسة العسكرية"


@pytest.mark.parametrize(
    "text, mention",
    [
        ("ونقلت رويترز عن مصدر عسكري قوله إن القوات انسحبت.", "مصدر عسكري"),
        ("ونقلت قناة العربية عن المتحدث باسم الجيش أحمد المسماري قوله: «لن نتراجع».", "أحمد المسماري"),
    ],
)
def test_relayed_words_belong_to_the_source_not_the_outlet(text, mention):
    assert only(text).speaker_mention == mention


def test_naql_without_a_relayed_source_is_no_statement():
    assert quotes_of("ونقل الجرحى إلى المستشفى بعد أن أصيبوا في القصف.") == []


@pytest.mark.parametrize(
    "text, mention, content",
    [
        ("وقال المسماري بعد أن التقى الوفد إن الجيش مستعد للحوار.", "المسماري", "إن الجيش مستعد للحوار"),
        ("وأكد الوزير قبل أن يغادر القاعة أن الحكومة باقية.", "الوزير", "أن الحكومة باقية"),
    ],
)
def test_time_clause_with_an_is_not_the_reported_speech(text, mention, content):
    q = only(text)
    assert (q.speaker_mention, q.content) == (mention, content)


def test_byline_is_no_statement_and_bil_qawl_is_a_cue():
    text = (
        "كتب: محمود البدوي\n\n"
        "قال العقيد أحمد المسماري إن الجيش يسيطر على المدينة.\n\n"
        'وافتتح المسماري مؤتمره الصحفي بالقول: "كل ما يخص الشأن العسكري سري للغاية".'
    )
    quotes = quotes_of(text)
    assert [q.cue for q in quotes] == ["قال", "بالقول"]
    assert quotes[1].speaker == "أحمد المسماري"


def test_punctuation_left_on_a_word_with_tanween_is_split():
    toks = tokenize("يعتبر «خائنًا». وأضاف أيضًا.")
    assert [t.text for t in toks] == ["يعتبر", "«", "خائنًا", "»", ".", "وأضاف", "أيضًا", "."]


def test_a_quoted_name_ends_at_its_closing_mark():
    text = (
        'جدد رئيس حكومة الوحدة الوطنية " عبدالحميد الدبيبة " تأكيده استمرار حكومته في أداء مهامها.\n'
        "وقال رئيس الحكومة إن الحديث عن التسليم عبث."
    )
    assert only(text).speaker == "عبدالحميد الدبيبة"


def test_headline_signature_stops_at_a_setting_and_a_militia_is_an_organization():
    text = (
        "الجيش السوداني في بيان عاجل: الدعم السريع «قوة متمردة» تروج للأكاذيب\n\n"
        "واتهمت ميليشيا الدعم السريع، في بيان، الجيش بمهاجمة قواتها في جنوب الخرطوم."
    )
    headline, accused = quotes_of(text)
    assert (headline.speaker_mention, headline.speaker_type) == ("الجيش السوداني", "organization")
    assert (accused.speaker, accused.speaker_type) == ("ميليشيا الدعم السريع", "organization")


def test_a_quoted_nickname_after_the_name_stays_with_it():
    text = (
        "قال محمد حمدان دقلو “حميدتي” قائد قوات الدعم السريع في تسجيل صوتي، إن ما حدث في أبريل هي حرب للفلول.\n"
        "وقال حميدتي إن الدعم السريع يسيطر على معظم ولاية الخرطوم."
    )  # news
    first, second = quotes_of(text)
    assert first.speaker == second.speaker
    assert first.speaker_mention.startswith("محمد حمدان دقلو")


def test_a_verb_form_without_wa_inside_an_object_frame_is_the_object():
    # "رفض بلاده" here is "his country's rejection", the object of أكد, not a new verb
    q = only("وأكد وزير الخارجية اليمني أبوبكر القربي في تصريحات صحفية رفض بلاده تدويل قضية صعدة.")
    assert (q.cue, q.speaker_mention, q.content) == ("أكد", "أبوبكر القربي", "رفض بلاده تدويل قضية صعدة")


def test_participle_after_a_non_speech_verb_takes_that_verbs_subject():
    q = only("وصفت الحكومة اليمنية، اليوم الجمعة، الجماعة بأنها أداة إيرانية، مؤكدة أن قرار الحرب ليس بيدها.")
    assert (q.cue, q.speaker_mention, q.speaker, q.speaker_type) == ("مؤكدة", None, "الحكومة اليمنية", "organization")
    # a subject phrase that runs into a complement is no subject: the previous speaker stays
    text = (
        "وقال وزير الخارجية أحمد بن مبارك إن الحكومة ترحب بالجهود.\n"
        "وعلق الوزير على مبادرة الجماعة، قائلًا إن المبادرة فارغة."
    )
    assert quotes_of(text)[1].speaker == "أحمد بن مبارك"


def test_a_source_and_a_participle_after_the_object_stay_out_of_the_frame():
    text = (
        "ونفى وزير الإعلام معمر الأرياني، وفقا لفضائية العربية، ما نشرته وسائل الإعلام عن مفاوضات "
        'مع الجماعة، قائلا إنها "أخبار مضللة".'
    )
    denied, saying = quotes_of(text)
    assert (denied.cue, denied.speaker_mention) == ("نفى", "معمر الأرياني")
    assert denied.content.startswith("ما نشرته وسائل الإعلام")
    assert (saying.cue, saying.content, saying.speaker) == ("قائلا", "أخبار مضللة", "معمر الأرياني")


def test_object_after_a_surname():
    q = only("واتهم اليماني جماعة أنصار الله بالاستمرار في إفشال الحوار.")
    assert (q.speaker_mention, q.content) == ("اليماني", "جماعة أنصار الله بالاستمرار في إفشال الحوار")


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("وجاء في بيان صادر عن القيادة العامة للجيش أن القوات تقدمت في المحور الجنوبي.", "القيادة العامة للجيش"),
        ("وجاء في بيان لوزارة الخارجية المصرية أن القاهرة تتابع التطورات باهتمام.", "وزارة الخارجية المصرية"),
        ("قال المسماري إن الجيش مستعد.\nوجاء في البيان أن القوات ستواصل عملياتها.", "المسماري"),
    ],
)
def test_what_a_document_says_belongs_to_its_issuer(text, speaker):
    q = quotes_of(text)[-1]
    assert (q.cue, q.speaker) == ("جاء", speaker)


@pytest.mark.parametrize(
    "text",
    [
        "وجاء الهجوم بعد أن انسحبت القوات من المدينة.",  # came after ...: no document
        "جاء ذلك خلال لقائه بالسفير الأمريكي.",
    ],
)
def test_ja_without_a_document_is_no_cue(text):
    assert quotes_of(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "بنغازي: قال المسماري إن الجيش مستعد للحوار مع جميع الأطراف.\nوأضاف المسماري أن بنغازي آمنة.",
        "درنة: مقتل ثلاثة في اشتباكات بالمدينة\nقالت مصادر طبية إن ثلاثة قتلوا في درنة.",
    ],
)
def test_a_dateline_with_a_colon_signs_nothing(text):
    quotes = quotes_of(text)
    assert all(q.cue is not None for q in quotes)
    assert quotes[0].speaker != "بنغازي"


def test_title_and_a_surname_the_article_gives_a_person():
    text = "التقى عبدالفتاح السيسي بالوفد الليبي.\nوأكد الرئيس السيسي أن الحل سياسي."
    assert (only(text).speaker, only(text).speaker_type) == ("عبدالفتاح السيسي", "person")
    # the adjective of a place is no surname, whoever in the article bears it
    text = "التقى أبو أنس الليبي بالوفد.\nوقال الوزير الليبي إن الحل سياسي."
    assert (only(text).speaker, only(text).speaker_type) == ("الوزير الليبي", "anonymous")


def test_role_then_a_given_name_between_commas_and_a_role_after_la():
    q = only("قال المتحدث باسم الجيش، أحمد المسماري، إن القوات تقدمت.")
    assert (q.speaker, q.role) == ("أحمد المسماري", "المتحدث باسم الجيش")
    text = (
        "جاء ذلك في تصريح صحفي، لوزير الخارجية اليمني، أحمد عوض بن مبارك، عقب لقائه المبعوث الأممي.\n"
        "وقال وزير الخارجية إن هذا موقف الحكومة الدائم."
    )
    assert only(text).speaker == "أحمد عوض بن مبارك"


def test_relayed_words_keep_their_source_after_a_fronted_outlet():
    assert only("الوكالة نقلت عن الوزير قوله إن الحكومة لن تتراجع.").speaker_mention == "الوزير"
