"""Arabic subjects and objects: who a verb's subject is when it is not after the verb, and
where a verb's object (the statement of ``نفى``, ``اتهم``, ``محملا``) starts.

Arabic news puts the subject after the verb (``وقال المسماري``), but headlines and leads put
it first (``باشاغا يتهم الدبيبة ...``, ``وكان المكتب قد أعلن``), participles and verbs joined
by و share the previous verb's subject, and a verb whose statement is its object may run
subject and object together (``اتهم الجيش قوات الدعم السريع بقصف ...``).
"""

from __future__ import annotations

from quotetrack.extract.arabic.frames import (
    COMMAS,
    Cue,
    _phrase_ends,
    _setting_noun,
    find_cue,
    opens_setting,
    read_segment,
)
from quotetrack.extract.arabic.quotes import sentence_index
from quotetrack.extract.arabic.speakers import (
    GROUP_ENDINGS,
    NAME_COMPOUNDS,
    Speaker,
    is_given_name,
    name_start,
    pick_speaker,
)
from quotetrack.extract.arabic.tokens import (
    MAX_SEGMENT,
    PREPOSITIONS,
    QUOTE_CHARS,
    SENTENCE_END,
    Context,
    Tok,
    strip_article,
)
from quotetrack.types import Quote

KANA = {"كان", "وكان", "كانت", "وكانت"}  # "had": وكان X قد قال
MAX_FRONTED = 8  # words in a subject placed before its verb, or a headline's signature
MIN_OBJECT = 2  # words of an object left after a speaker's name
QUANTIFIERS = {"جميع", "كل", "كافه"}  # "دعا المجلس جميع الأطراف": "all" starts a noun phrase
RELAYING = {"نقل"}  # "نقلت الوكالة عن الوزير قوله إن": the outlet relays the minister's words
SAYING = {"قوله", "قولها", "قولهم", "قولهما", "قولهن"}  # "his saying", after the relayed source
CAME_IN = {"جاء"}  # "وجاء في بيان للجيش أن ...": what a document says
ISSUED_BY = {"صادر", "الصادر", "صادره", "الصادره"}  # "بيان صادر عن القيادة"


def joined_to(ctx: Context, cue: Cue, prev: Quote | None) -> bool:
    """A present-tense cue with و joined to the previous statement's verb in one sentence:
    ``حميدتي ... يهدد بتشكيل حكومة ويلوح بالوصول إلى بورتسودان`` (the same subject)."""
    if cue.tense != "present" or not ctx.toks[cue.i].norm.startswith("و"):
        return False
    return same_sentence(ctx, cue, prev)


def same_sentence(ctx: Context, cue: Cue, prev: Quote | None) -> bool:
    """Whether the previous statement's cue (or content) is in the cue's sentence."""
    if prev is None:
        return False
    return sentence_index(ctx, prev.cue_start if prev.cue_start is not None else prev.content_start) == sentence_index(
        ctx, cue.start
    )


def object_start(ctx: Context, segments: list[list[Tok]], speaker: Speaker | None, shared: bool) -> Tok | None:
    """The first token of a verb's object: the first phrase after the speaker (and appositions
    that name or describe a person) that is itself no speaker; with no speaker of the verb's
    own, its first phrase."""
    if speaker is None or shared:
        return segments[0][0] if segments else None
    for seg in segments[1:]:
        other = pick_speaker(ctx, seg)
        if (
            other is None
            or other.speaker_type == "organization"
            or (other.speaker_type == "anonymous" and not other.role)
        ):
            return seg[0]
    return None


def split_object(ctx: Context, first: list[Tok]) -> int | None:
    """Where the object starts inside the first phrase after a verb like اتهم, or None.

    ``اتهم الجيش قوات الدعم السريع بقصف ...``, ``اتهم المتحدث باسم الجيش رئيس المجلس ...``:
    after a definite word (it can head no construct), an institution or title word without
    the article starts a new noun phrase: the object. ``ونفى المتحدث نبيل عبد الله وجود أي
    مفاوضات``: a name is a given name and one more word (two after عبد/أبو), then the object.
    """
    lex = ctx.lex
    if not first:
        return None
    for t in range(1, len(first)):
        tok, before = first[t], first[t - 1]
        if (
            before.norm.startswith("ال")
            and name_start(first[:t], lex) is None
            and (tok.norm in lex.titles | lex.organizations | QUANTIFIERS or _plural_after_singular(before, tok))
            and (pick_speaker(ctx, first[:t]) is not None)
        ):  # "اتهم اليماني جماعة أنصار الله"
            return t
        if is_given_name(tok, lex) and strip_article(first[0].norm) in lex.titles:
            end = t + (
                3 if tok.norm in NAME_COMPOUNDS or (t + 1 < len(first) and first[t + 1].norm in NAME_COMPOUNDS) else 2
            )
            return end if len(first) - end >= MIN_OBJECT else None
    return None


def _plural_after_singular(before: Tok, tok: Tok) -> bool:
    """``الحكومة المواطنين``: a definite plural cannot describe a definite singular, so it starts
    the object (a relational plural, ``الحوثيين``, may name a group)."""
    plural = ("ين", "ون")
    return (
        tok.norm.startswith("ال")
        and tok.norm.endswith(plural)
        and not tok.norm.endswith(GROUP_ENDINGS)
        and not before.norm.endswith(plural)
    )


def fronted_subject(ctx: Context, i: int) -> list[Tok]:
    """The subject placed before the cue at ``i``, or [].

    ``وكان المكتب الإعلامي (قد) أعلن``: the subject after كان ("had"). ``باشاغا تعهد``,
    ``حميدتي في خطاب جديد يهدد``: a short phrase opening the sentence (news headlines and
    leads put the subject first), up to a setting phrase; a plain word counts as a name
    only if the article names it again.
    """
    k = i - 1
    if k >= 0 and ctx.toks[k].norm in {"قد", "وقد"}:
        k -= 1
    end = k + 1
    while k >= 0 and end - k <= MAX_SEGMENT and not _phrase_ends(ctx, k) and ctx.opens(k) is None:
        if ctx.toks[k].norm in KANA:
            return ctx.toks[k + 1 : end]
        if k == 0 or ctx.toks[k].sent_start or ctx.toks[k - 1].norm in SENTENCE_END:
            return sentence_subject(ctx, k, i)
        k -= 1
    return []


def sentence_subject(ctx: Context, first: int, i: int) -> list[Tok]:
    """The phrase from ``first`` (a sentence start) to the cue at ``i``, cut at a setting or preposition."""
    toks = ctx.toks
    end = first
    stops = PREPOSITIONS - {"باسم"}  # "المتحدث باسم الحكومة يؤكد": باسم belongs to the role
    while (
        end < i
        and toks[end].norm not in stops
        and not opens_setting(ctx, end)
        and toks[end].norm not in ctx.lex.adverbs
    ):
        end += 1
    subject = [t for t in toks[first:end] if t.text.strip(QUOTE_CHARS)]
    if (
        not subject
        or len(subject) > MAX_FRONTED
        or (end < i and toks[end].norm not in stops | ctx.lex.adverbs and not opens_setting(ctx, end))
    ):
        return []
    speaker = pick_speaker(ctx, subject)
    if speaker is None or (
        speaker.role is None
        and speaker.speaker_type == "person"
        and not is_given_name(subject[0], ctx.lex)
        and not _named_again(ctx, subject)
    ):
        return []
    return subject


def _named_again(ctx: Context, words: list[Tok]) -> bool:
    norms = {t.norm for t in words}
    return sum(t.norm in norms for t in ctx.toks) > len(words)


def relayed_source(ctx: Context, cue: Cue, segments: list[list[Tok]]) -> list[list[Tok]] | None:
    """The source in ``ونقلت وكالة الأنباء عن الوزير قوله إن ...`` (الوزير), as the only phrase,
    or None when the cue relays nobody's words (``نقل الجرحى إلى المستشفى``)."""
    if cue.lemma not in RELAYING:
        return None
    words = [t for seg in segments for t in seg]
    about = next((k for k, t in enumerate(words) if t.norm == "عن"), None)
    saying = next((k for k, t in enumerate(words) if t.norm in SAYING), None)
    if about is None or saying is None or saying <= about + 1:
        return None
    return [words[about + 1 : saying]]


def opening_verb_subject(ctx: Context, cue: Cue) -> list[Tok]:
    """The subject of the verb that opens a participle's sentence, or [].

    ``وصفت الحكومة اليمنية، اليوم الجمعة، ... ، مؤكدة أن ...``: the participle continues what
    the government did, though وصف is no reporting verb. The phrase after the opening verb must
    end cleanly (a comma or a setting) and read as an organization, a titled person or a
    given name: ``وأدان نصر الله القرار الأمريكي معلنا`` gives no subject, and the participle
    keeps the previous speaker.
    """
    first = cue.i
    while first > 0 and ctx.toks[first - 1].norm not in SENTENCE_END:
        first -= 1
    if first + 1 >= cue.i or find_cue(ctx.toks, first, ctx.lex) is not None:
        return []
    seg, after = read_segment(ctx, first + 1)
    if not seg or after >= cue.i or not (ctx.toks[after].norm in COMMAS or opens_setting(ctx, after)):
        return []
    if any(t.norm in PREPOSITIONS for t in seg[1:]):  # "وعلق الوزير على المبادرة": more than a subject
        return []
    speaker = pick_speaker(ctx, seg)
    if speaker is None or not (
        speaker.speaker_type == "organization" or speaker.role or is_given_name(seg[0], ctx.lex)
    ):
        return []
    return seg


def document_issuer(ctx: Context, cue: Cue) -> list[list[Tok]] | None:
    """``وجاء في بيان صادر عن القيادة العامة أن ...``: the issuer as the only phrase, [] when the
    document names none (``وجاء في البيان أن``: the previous speaker's), or None when the cue is
    not جاء في followed by a document (``وجاءت تصريحات البرهان في كلمة``, ``جاء الرد``)."""
    toks, j = ctx.toks, cue.i + 1
    if cue.lemma not in CAME_IN:
        return None
    if j + 1 >= len(toks) or toks[j].norm != "في" or not _setting_noun(toks[j + 1].norm, ctx.lex):
        return None
    k = j + 2
    if k + 1 < len(toks) and toks[k].norm in ISSUED_BY and toks[k + 1].norm == "عن":
        seg, _ = read_segment(ctx, k + 2)
        return [seg] if seg and pick_speaker(ctx, seg) is not None else []
    word = toks[k] if k < len(toks) else None
    if (
        word is not None
        and word.norm.startswith("ل")
        and not word.norm.startswith("لل")
        and (word.norm[1:] in ctx.lex.organizations | ctx.lex.titles)
    ):  # "لوزارة الخارجية"
        seg, _ = read_segment(ctx, k)
        return [[Tok(word.text[1:], word.norm[1:], word.start + 1, word.end)] + seg[1:]]
    return []
