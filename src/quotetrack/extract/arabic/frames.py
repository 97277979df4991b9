"""Arabic cues and frames: the reporting verb, then the speaker phrases, settings and content after it."""

from __future__ import annotations

from dataclasses import dataclass

from quotetrack.extract.arabic.tokens import (
    MAX_SEGMENT,
    PARAGRAPH,
    PREPOSITIONS,
    SENTENCE_END,
    Context,
    Lexicons,
    Tok,
    is_preposition,
    strip_article,
)
from quotetrack.extract.quote_marks import QuoteSpan

COMMAS = {",", "،", ";", "؛", "-", "–", "—"}
# complementizers (after normalization), optionally with the preposition بـ: بأن, بأنه
COMPLEMENTIZERS = {"ان", "انه", "انها", "انهم", "انهما", "انهن", "اننا", "انني", "اني", "انك", "انكم"}
CLITIC_PREPOSITIONS = ("ل", "ب")
# possessive suffixes: "سقوطها" (its fall) heads no speaker phrase; a lone ه is left out
# because ة folds onto it (الدبيبة)
POSSESSIVES = ("ها", "هم", "هما", "هن", "كم")
# after a comma these open the reporter's own aside: "...، رغم نفيه ذلك" (despite its denial),
# "...، وذلك في وقت تحتدم فيه المعارك" (this while ...), "...، بينما ..." (whereas), or a source
# ("...، بحسب الوكالة": according to)
ACCORDING_TO = {"بحسب", "حسب", "وفقا", "وفق"}  # with or without و; وفقا and وفق take لـ on the source
ACCORDING_FORMS = ACCORDING_TO | {"و" + w for w in ACCORDING_TO}
CONCESSIVES = {"رغم", "ورغم", "وذلك", "بينما", "وسط"} | ACCORDING_FORMS  # "، بحسب الوكالة": whose words these are
# words with a leading ب that are prepositions or adverbs of their own, not the content of a
# "+ب" verb (تعهد بدخول طرابلس): بعد (after), بسبب (because of), بحسب (according to) ...
BA_WORDS = {
    "بعد",
    "بسبب",
    "بشكل",
    "بمناسبه",
    "بحسب",
    "بين",
    "بدون",
    "بينما",
    "بخصوص",
    "بشان",
    "بالنسبه",
    "بل",
    "بدوره",
    "بدورها",
    "بالتزامن",
    "بالتوازي",
    "بالاضافه",
    "بالفيديو",
    "بالصور",
    "بحضور",
    "برءاسه",
    "بقياده",
}
# a preposition carrying a pronoun ("قال فيها إن", "قال له إن"): to whom or where, never a speaker
PRONOUN_PREPOSITIONS = {
    "فيها",
    "فيه",
    "فيهم",
    "عنها",
    "عنه",
    "عنهم",
    "منها",
    "منه",
    "منهم",
    "له",
    "لها",
    "لهم",
    "لنا",
    "عليه",
    "عليها",
    "اليه",
    "اليها",
    "اليهم",
    "معه",
    "معها",
    "بها",
    "به",
}
AMBIGUOUS_CUES = {"بين"}
# before أن these open a time or manner clause, not reported speech: "وقال بعد أن التقى الوفد إن"
# (وبين is more often "and between" than "and stated")
SUBORDINATORS = {"بعد", "قبل", "منذ", "حتي", "دون", "بدون", "لحين", "عقب", "اثر", "قبيل", "بمجرد", "بعدما"}
MAX_FRAME = 40  # tokens from the cue to the content
MAX_SETTING = 14  # tokens in one setting phrase
MAX_QUOTED_NAME = 4  # words of a quoted name inside a frame (“المسماري”, «المساء مع قصواء»)


@dataclass
class Cue:
    """A reporting verb at token ``i``: the word as written without its conjunction."""

    i: int
    start: int
    end: int
    lemma: str
    tense: str  # past | present | participle

    @property
    def participle(self) -> bool:
        return self.tense == "participle"


def find_cue(toks: list[Tok], i: int, lex: Lexicons) -> Cue | None:
    """The cue at token ``i`` (``قال``, ``وقالت``, ``فأضاف``, ``مضيفا``), or None.

    A word after a preposition is a noun, not a verb: ``في رد`` (in reply).
    """
    tok = toks[i]
    if i > 0 and toks[i - 1].norm in PREPOSITIONS:
        return None
    for prefix in ("", "و", "ف"):
        if tok.norm.startswith(prefix) and (form := tok.norm[len(prefix) :]) in lex.cues:
            return Cue(i, tok.start + len(prefix), tok.end, *lex.cues[form])
    return None


def is_complementizer(tok: Tok) -> bool:
    """إن / أن / بأن, alone or with a pronoun suffix (إنها, بأنه)."""
    return (tok.norm[1:] if tok.norm.startswith("ب") else tok.norm) in COMPLEMENTIZERS


def _possessive(norm: str) -> bool:
    return norm.endswith(POSSESSIVES) and len(norm) > 4


def _setting_noun(norm: str, lex: Lexicons) -> bool:
    """A setting noun, bare, definite or possessed (بيان, البيان, بيانه, مؤتمرها)."""
    noun = strip_article(norm)
    forms = {noun} | {noun[: -len(s)] for s in POSSESSIVES + ("ه",) if noun.endswith(s)}
    forms |= {f[:-1] + "ه" for f in forms if f.endswith("ت")}  # كلمته, رسالتها: the ة of كلمة, رسالة
    return bool(forms & lex.settings)


def opens_setting(ctx: Context, j: int) -> bool:
    """Whether token ``j`` starts a where/when/to-whom phrase (``في بيان``, ``لرويترز``, ``يوم``)."""
    tok, lex = ctx.toks[j], ctx.lex
    if tok.norm in lex.adverbs or tok.norm in PRONOUN_PREPOSITIONS or tok.norm in ACCORDING_FORMS:
        return True  # "، وفقا لفضائية العربية،": where the report comes from
    if tok.norm in PREPOSITIONS and j + 1 < len(ctx.toks):
        return ctx.toks[j + 1].norm in lex.adverbs or _setting_noun(ctx.toks[j + 1].norm, lex)
    if not tok.norm.startswith(CLITIC_PREPOSITIONS):
        return False
    # لـ + ال is written لل (للصحفيين), which strip_article takes off whole
    return _setting_noun(tok.norm[1:], lex) or _setting_noun(tok.norm, lex)


def opens_complement(ctx: Context, cue: Cue, j: int) -> int | None:
    """Where the content starts if token ``j`` opens a verb's prepositional complement, else None.

    ``حذر من التصعيد``, ``دعا إلى وقف``, ``شدد على ضرورة``: the content follows the
    preposition the verb's lexicon line names. ``تعهد بدخول``: a verb marked ``+ب`` takes the
    word carrying the clitic, which the content keeps. ``اثنان من السكان`` (two of the
    residents) is a speaker phrase, not a complement.
    """
    marks = ctx.lex.complements.get(cue.lemma)
    if not marks or j + 1 >= len(ctx.toks) or j <= cue.i:
        return None
    tok, following = ctx.toks[j], ctx.toks[j + 1]
    if following.norm in SENTENCE_END or following.norm in COMMAS:
        return None
    if tok.norm in marks and tok.text != "علي":  # علي is a given name, على the preposition
        before = strip_article(ctx.toks[j - 1].norm)
        return None if tok.norm == "من" and before in ctx.lex.anonymous else j + 1
    if "ب" in marks and _ba_word(tok, ctx.lex) and (j > cue.i + 1 or cue.tense != "past" or tok.norm.startswith("بال")):
        return j  # right after a past tense, بـ + an unknown word is more likely the subject: "تعهد باشاغا"
    return None


def _ba_word(tok: Tok, lex: Lexicons) -> bool:
    """A word carrying the clitic بـ (بتشكيل, بالدخول), not a word that merely starts with ب."""
    norm = tok.norm
    if not norm.startswith("ب") or len(norm) < 4 or norm in BA_WORDS or norm in PREPOSITIONS or is_complementizer(tok):
        return False
    rest = strip_article(norm[1:])
    known = lex.given_names | lex.titles | lex.organizations | lex.settings | lex.anonymous
    return not ({norm, strip_article(norm), norm[1:], rest} & known) and norm[1:] not in lex.adverbs


def _complement_next(ctx: Context, j: int) -> bool:
    """A preposition right before a complementizer: إلى أن, على أن, من أن."""
    return is_preposition(ctx.toks[j]) and j + 1 < len(ctx.toks) and is_complementizer(ctx.toks[j + 1])


def _phrase_ends(ctx: Context, j: int) -> bool:
    tok = ctx.toks[j]
    return (
        tok.norm in SENTENCE_END
        or tok.norm in COMMAS
        or tok.norm == ":"
        or is_complementizer(tok)
        or _complement_next(ctx, j)
        or _subordinate_at(ctx, j)
        or find_cue(ctx.toks, j, ctx.lex) is not None
    )


def _subordinate_at(ctx: Context, j: int) -> bool:
    """``بعد أن``, ``قبل أن``: a time clause, whose أن reports nothing."""
    return ctx.toks[j].norm in SUBORDINATORS and j + 1 < len(ctx.toks) and is_complementizer(ctx.toks[j + 1])


def skip_subordinate(ctx: Context, j: int) -> int:
    """Index after the time clause at ``j`` (``بعد أن التقى الوفد``): up to a comma, a colon,
    a quotation or the next complementizer, which opens the reported speech."""
    j += 2
    while j < len(ctx.toks) and not (
        ctx.toks[j].norm in COMMAS | SENTENCE_END | {":"} or is_complementizer(ctx.toks[j]) or ctx.opens(j) is not None
    ):
        j += 1
    return j


def _quoted_name(ctx: Context, span: QuoteSpan | None) -> bool:
    """A short quotation inside a frame that names someone or something («المساء مع قصواء»)."""
    return span is not None and ctx.words(span) <= MAX_QUOTED_NAME and not ctx.ends_sentence(span)


def read_segment(ctx: Context, j: int, cue: Cue | None = None) -> tuple[list[Tok], int]:
    """One speaker phrase from token ``j``, and the index after it.

    Parenthesised asides are left out; a short quoted name (``وكالة “بلومبيرغ”``) is kept.
    The phrase ends at punctuation, a complementizer, a quotation, a setting phrase, a cue or
    the complement of ``cue`` (``حذر المسماري من ...``).
    """
    seg: list[Tok] = []
    start = j
    while j < len(ctx.toks) and j - start < MAX_SEGMENT and not _phrase_ends(ctx, j):
        if ctx.toks[j].text == "(":
            close = next(
                (k for k in range(j, len(ctx.toks)) if ctx.toks[k].text == ")" or ctx.toks[k].norm == PARAGRAPH), j
            )
            j = close + 1 if ctx.toks[close].text == ")" else j + 1
            continue
        span = ctx.opens(j)
        if span is not None and not _quoted_name(ctx, span):
            break
        if seg and (opens_setting(ctx, j) or (cue is not None and opens_complement(ctx, cue, j) is not None)):
            break
        seg.append(ctx.toks[j])
        j += 1
    return seg, j


def skip_setting(ctx: Context, j: int, cue: Cue | None = None) -> int:
    """Index after a setting phrase at ``j``, quoted programme names included.

    It also ends where the complement of ``cue`` opens: ``تعهد أيضا بإنهاء ...``.
    """
    start = j
    while j < len(ctx.toks) and j - start < MAX_SETTING:
        if j > start and (_phrase_ends(ctx, j) or (cue is not None and opens_complement(ctx, cue, j) is not None)):
            break
        span = ctx.opens(j)
        if span is not None:
            if not _quoted_name(ctx, span):
                break
            j = ctx.after(span.end)
            while j < len(ctx.toks) and ctx.closes(j) is span:
                j += 1
            continue
        j += 1
    return j


@dataclass
class Frame:
    """What follows a cue: the speaker phrases and the content (kind, start, end) if any.

    ``opened_by`` says how the content opens: ``complementizer``/``quotation``/``colon``,
    ``preposition`` (``حذر من``), or None when nothing was found.
    """

    segments: list[list[Tok]]
    content: tuple[str, int, int] | None
    opened_by: str | None = None


def read_frame(ctx: Context, cue: Cue) -> Frame:
    """Read the speaker phrases, settings and content after a cue."""
    segments: list[list[Tok]] = []
    j = cue.i + 1
    while j < len(ctx.toks) and j - cue.i <= MAX_FRAME:
        tok = ctx.toks[j]
        if tok.norm in SENTENCE_END:
            break
        if tok.norm in COMMAS or _complement_next(ctx, j) or (_participle_at(ctx, j) and len(segments) <= 1):
            j += 1  # separators, إلى of إلى أن, and "قائلا" in "وتابع (المسماري) قائلا:"
        elif _subordinate_at(ctx, j):
            j = skip_subordinate(ctx, j)
        elif tok.norm == ":":
            return Frame(segments, read_content(ctx, j + 1, direct=True), "colon")
        elif is_complementizer(tok) or (ctx.opens(j) is not None and (segments or not _quoted_name(ctx, ctx.opens(j)))):
            return Frame(segments, read_content(ctx, j), "complementizer")
        elif (other := find_cue(ctx.toks, j, ctx.lex)) is not None:
            if (
                segments
                and other.start == tok.start
                and ctx.toks[j - 1].norm not in COMMAS
                and ("0" in ctx.lex.complements.get(cue.lemma, ()))
            ):
                # "وأكد الوزير في تصريحات رفض بلاده ...": without و a verb form here is its noun
                return Frame(segments, clause(ctx, j), "object")
            break
        elif (start := opens_complement(ctx, cue, j)) is not None:
            return Frame(segments, clause(ctx, start), "preposition")
        elif opens_setting(ctx, j):
            j = skip_setting(ctx, j, cue)
        else:
            seg, j = read_segment(ctx, j, cue)
            if not seg:
                break
            segments.append(seg)
    return Frame(segments, None)


def read_content(ctx: Context, j: int, direct: bool = False) -> tuple[str, int, int] | None:
    """(kind, start_char, end_char) of the content starting at token ``j``, or None.

    A quotation (alone or right after the complementizer, ending its sentence) is direct; a
    complement runs to the end of its sentence (quotations inside make it mixed), to a comma
    before another cue (``، مضيفا أن``), which starts a statement of its own, or to a comma
    before the reporter's concession (``، رغم نفيه ذلك``).
    Content after a colon is direct speech even without quotation marks.
    """
    if j >= len(ctx.toks) or ctx.toks[j].norm in SENTENCE_END:
        return None
    span = ctx.opens(j)
    if span is None and is_complementizer(ctx.toks[j]) and j + 1 < len(ctx.toks):
        span = ctx.opens(j + 1)
        span = span if span is not None and ctx.ends_sentence(span) else None
    if span is not None:
        return "direct", span.start, span.end
    if not direct and not is_complementizer(ctx.toks[j]):
        return None
    kind, start, end = clause(ctx, j)
    return ("direct" if direct else kind), start, end


def clause(ctx: Context, j: int) -> tuple[str, int, int]:
    """(kind, start_char, end_char) of reported speech from token ``j`` to its sentence's end.

    It stops early at a comma before another cue or before the reporter's own aside; a
    quotation inside makes it mixed.
    """
    kind, start, end = "indirect", ctx.toks[j].start, ctx.toks[j].end
    k = j
    while k < len(ctx.toks):
        tok = ctx.toks[k]
        if (inner := ctx.opens(k)) is not None and k > j:
            kind, end = "mixed", inner.end
            k = ctx.after(inner.end)
            # the closing mark may share a token with a full stop: «...».
            following = ctx.text[inner.end : ctx.toks[k].start if k < len(ctx.toks) else len(ctx.text)]
            if any(ch in following for ch in SENTENCE_END):
                break
            continue
        if tok.norm in SENTENCE_END or (
            tok.norm in COMMAS
            and k + 1 < len(ctx.toks)
            and (find_cue(ctx.toks, k + 1, ctx.lex) is not None or ctx.toks[k + 1].norm in CONCESSIVES)
        ):
            break  # "، مضيفا أن ..." and "، وقال ..." start statements of their own
        if (
            k > j
            and tok.norm.startswith("و")
            and (joined := find_cue(ctx.toks, k, ctx.lex)) is not None
            and (joined.start > tok.start and joined.lemma not in AMBIGUOUS_CUES)
        ):
            break  # "يتهم الدبيبة بتعميق الانقسام ويتعهد بدخول طرابلس": the same subject's next statement
        end = tok.end
        k += 1
    return kind, start, end


def _participle_at(ctx: Context, k: int) -> bool:
    cue = find_cue(ctx.toks, k, ctx.lex) if k < len(ctx.toks) else None
    return cue is not None and cue.participle


def quotation_before(ctx: Context, i: int, used: set[int]) -> QuoteSpan | None:
    """A quotation closed just before the cue at ``i`` (``«...»، قال X``), not yet taken."""
    k = i - 1
    while k >= 0 and (ctx.toks[k].norm in COMMAS | {".", ":"} or ctx.toks[k].norm in ctx.lex.adverbs):
        k -= 1
    span = ctx.closes(k) if k >= 0 else None
    return span if span is not None and span.start not in used else None
