"""Arabic quote extraction: spaCy's Arabic tokenizer plus rules (no trained pipeline exists).

Arabic news reports speech verb first. After the cue (``وقال``) come comma-separated
phrases: the speaker (``المتحدث باسم الجيش الوطني الليبي أحمد المسماري``), perhaps an
apposition (``قال العقيد أحمد المسماري، المتحدث باسم الجيش، إن``), and setting phrases
(``على التلفزيون``, ``في بيان``, ``يوم الجمعة``); then the content: a complement opened by
إن/أن/بأن (reported speech), a quotation or a colon (direct speech). ``read_frame`` walks
the tokens in that order; a cue with nothing after it takes the quotation just before it
(``«...»، قال X``).

The tokenizer does not split clitics, so the و/ف conjunction on a cue, the بـ on بأن and the
لـ on ``لرويترز`` are handled here. Words are compared in a normalized form (``normalize``:
diacritics, tatweel, hamza/alef forms, ى/ي, ة/ه); offsets always index the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.language import Language

from quotetrack.extract.lexicons import word_list
from quotetrack.extract.linking import link_speakers
from quotetrack.extract.quote_marks import QuoteSpan, pair_quote_marks
from quotetrack.types import Article, Problem, Quote

_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")  # harakat, tatweel
_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "ء",
                       "ئ": "ء", "ی": "ي", "ک": "ك"})
PARAGRAPH = "\n"
SENTENCE_END = {".", "!", "?", "؟", PARAGRAPH}
COMMAS = {",", "،", ";", "؛", "-", "–", "—"}
QUOTE_CHARS = '"“”«»„'
# complementizers (after normalization), optionally with the preposition بـ: بأن, بأنه
COMPLEMENTIZERS = {"ان", "انه", "انها", "انهم", "انهما", "انهن", "اننا", "انني", "اني", "انك", "انكم"}
# prepositions that open a setting phrase or stand between a cue and its complement
# (أشار إلى أن, حذر من أن, أكد على أن); باسم ("in the name of") never precedes a name
PREPOSITIONS = {"في", "علي", "عبر", "خلال", "امام", "من", "عن", "الي", "لدي", "حول", "اثناء", "مع", "باسم"}
CLITIC_PREPOSITIONS = ("ل", "ب")
AMBIGUOUS_PREPOSITIONS = {"على"}  # folds onto the given name علي
NAME_COMPOUNDS = ("عبد", "ابو")  # عبد الحميد, أبو بكر: a name starts here
# possessive suffixes: "سقوطها" (its fall) heads no speaker phrase; a lone ه is left out
# because ة folds onto it (الدبيبة)
POSSESSIVES = ("ها", "هم", "هما", "هن", "كم")
NISBA = ("ي", "يه", "يون", "يين")  # relational adjectives: تركي, عسكرية, ليبيون
# after a role without a name these open the verb's own complement, not the speaker phrase:
# "وحذر المتحدث من تداول ..." (warned against)
COMPLEMENT_PREPOSITIONS = {"من", "عن", "الي"}
# function words that are never part of a name (normalized)
FUNCTION_WORDS = {"هذا", "هذه", "ذلك", "تلك", "هءلاء", "مثل", "كل", "بعض", "غير", "الذي", "التي", "الذين", "هو", "هي"}
GENERIC_ROLE_WORDS = {"رسمي"}  # "المتحدث الرسمي" is still "the spokesman"
KANA = {"كان", "وكان", "كانت", "وكانت"}  # "had": وكان X قد قال
# after a comma these open the reporter's own concession: "...، رغم نفيه ذلك" (despite its denial)
CONCESSIVES = {"رغم", "ورغم"}
MAX_FRAME = 40  # tokens from the cue to the content
MAX_SEGMENT = 14  # tokens in one speaker phrase
MAX_SETTING = 14  # tokens in one setting phrase
MAX_NAME = 4  # words in a personal name
MAX_PLAIN_NAME = 3  # an unknown speaker phrase longer than this is not taken for a name
MAX_QUOTED_NAME = 4  # words of a quoted name inside a frame (“المسماري”, «المساء مع قصواء»)
MIN_CONTINUATION = 4  # words in a cue-less quoted paragraph that continues the last speaker


def normalize(word: str) -> str:
    """Fold the spellings Arabic writers vary, for matching only: marks, hamza, ى, ة."""
    return _MARKS.sub("", word).translate(_FOLD)


def strip_article(norm: str) -> str:
    """Drop the article ال (or the لل of لـ + ال) from a normalized word."""
    return norm[2:] if norm.startswith(("ال", "لل")) and len(norm) > 3 else norm


def conjugate(past: str, present: str, *participles: str) -> dict[str, str]:
    """The 3rd-person forms of a reporting verb that news uses, each with its tense.

    ``conjugate("قال", "يقول", "قائلا")`` gives قال قالت قالوا (past), يقول تقول يقولون
    (present) and قائلا قائلة قائلين (participle). A final weak letter (نفى/ينفي, رأى/يرى)
    is dropped before an ending.
    """
    past_stem = past[:-1] if past[-1] in "اى" else past
    present_stem = present[:-1] if present[-1] in "يوى" else present
    forms = dict.fromkeys((past, past_stem + "ت", past_stem + "وا"), "past")
    forms |= dict.fromkeys((present, "ت" + present[1:], present_stem + "ون"), "present")
    for p in participles:
        stem = p[:-1] if p.endswith("ا") else p
        forms |= dict.fromkeys((p, stem + "ة", stem + "ين"), "participle")
    return forms


@dataclass(frozen=True)
class Lexicons:
    """The Arabic word lists from ``data/``, normalized for lookup."""

    cues: dict[str, tuple[str, str]]  # form -> (lemma, tense)
    titles: frozenset[str]
    organizations: frozenset[str]
    anonymous: frozenset[str]
    given_names: frozenset[str]
    settings: frozenset[str]
    adverbs: frozenset[str]


def _normalized(*parts: str) -> frozenset[str]:
    return frozenset(normalize(w) for w in word_list(*parts))


@lru_cache(maxsize=1)
def lexicons() -> Lexicons:
    """Load the Arabic lexicons once per process."""
    cues: dict[str, tuple[str, str]] = {}
    for line in word_list("cues", "ar.txt"):
        past, present, *participles = line.split()
        for form, tense in conjugate(past, present, *participles).items():
            cues[normalize(form)] = (normalize(past), tense)
    return Lexicons(
        cues=cues,
        titles=_normalized("titles", "ar.txt"),
        organizations=_normalized("speakers", "ar_organizations.txt"),
        anonymous=_normalized("speakers", "ar_anonymous.txt"),
        given_names=_normalized("speakers", "ar_given_names.txt"),
        settings=_normalized("speakers", "ar_settings.txt"),
        adverbs=_normalized("speakers", "ar_adverbs.txt"),
    )


@lru_cache(maxsize=1)
def arabic_nlp() -> Language:
    """spaCy's rule-based Arabic tokenizer with a sentencizer, built once per process."""
    nlp = spacy.blank("ar")
    nlp.add_pipe("sentencizer")
    return nlp


@dataclass(frozen=True)
class Tok:
    """A token: its text, normalized form and character offsets in the article."""

    text: str
    norm: str
    start: int
    end: int
    sent_start: bool = False


def tokenize(text: str) -> list[Tok]:
    """Tokens of ``text``; a line break becomes one ``PARAGRAPH`` token, other spaces vanish."""
    toks = []
    for t in arabic_nlp()(text):
        if not t.is_space:
            # a token of marks or tatweel alone keeps its text, so no norm is empty
            toks.append(Tok(t.text, normalize(t.text) or t.text, t.idx, t.idx + len(t.text), bool(t.is_sent_start)))
        elif PARAGRAPH in t.text:
            toks.append(Tok(t.text, PARAGRAPH, t.idx, t.idx + len(t.text), True))
    return toks


@dataclass
class Context:
    """One article as the rules see it: text, tokens, quotations and lexicons."""

    text: str
    toks: list[Tok]
    spans: list[QuoteSpan]
    lex: Lexicons

    def __post_init__(self) -> None:
        self.opening = _mark_positions(self.text, self.spans, -1)
        self.closing = _mark_positions(self.text, self.spans, +1)
        self.starts = [t.start for t in self.toks]
        self.sentence_starts = [t.start for t in self.toks if t.sent_start]
        self.quoted = [False] * len(self.toks)  # token inside a quotation
        for span in self.spans:
            for k in range(self.after(span.start), self.after(span.end)):
                self.quoted[k] = True

    def opens(self, j: int) -> QuoteSpan | None:
        """The quotation whose opening mark is in token ``j``, if any."""
        tok = self.toks[j]
        return next((self.opening[p] for p in range(tok.start, tok.end) if p in self.opening), None)

    def closes(self, j: int) -> QuoteSpan | None:
        """The quotation whose closing mark is in token ``j``, if any."""
        tok = self.toks[j]
        return next((self.closing[p] for p in range(tok.start, tok.end) if p in self.closing), None)

    def after(self, pos: int) -> int:
        """Index of the first token that starts at or after ``pos``."""
        return bisect_left(self.starts, pos)

    def words(self, span: QuoteSpan) -> int:
        return len(self.text[span.start:span.end].split())

    def ends_sentence(self, span: QuoteSpan) -> bool:
        """Whether only the closing mark (and punctuation) follow a quotation in its sentence."""
        k = self.after(span.end)
        while k < len(self.toks) and self.closes(k) is span:
            k += 1
        return k >= len(self.toks) or self.toks[k].norm in SENTENCE_END


def _mark_positions(text: str, spans: list[QuoteSpan], step: int) -> dict[int, QuoteSpan]:
    """Character position of each quotation's opening (step -1) or closing (+1) mark."""
    out = {}
    for span in spans:
        pos = span.start - 1 if step < 0 else span.end
        while 0 <= pos < len(text) and text[pos].isspace():
            pos += step
        if 0 <= pos < len(text) and text[pos] in QUOTE_CHARS:
            out[pos] = span
    return out


# --- cues and frames ---------------------------------------------------------------------

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
        if tok.norm.startswith(prefix) and (form := tok.norm[len(prefix):]) in lex.cues:
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
    return bool(forms & lex.settings)


def opens_setting(ctx: Context, j: int) -> bool:
    """Whether token ``j`` starts a where/when/to-whom phrase (``في بيان``, ``لرويترز``, ``يوم``)."""
    tok, lex = ctx.toks[j], ctx.lex
    if tok.norm in lex.adverbs:
        return True
    if tok.norm in PREPOSITIONS and j + 1 < len(ctx.toks):
        return ctx.toks[j + 1].norm in lex.adverbs or _setting_noun(ctx.toks[j + 1].norm, lex)
    if not tok.norm.startswith(CLITIC_PREPOSITIONS):
        return False
    # لـ + ال is written لل (للصحفيين), which strip_article takes off whole
    return _setting_noun(tok.norm[1:], lex) or _setting_noun(tok.norm, lex)


def _complement_next(ctx: Context, j: int) -> bool:
    """A preposition right before a complementizer: إلى أن, على أن, من أن."""
    return ctx.toks[j].norm in PREPOSITIONS and j + 1 < len(ctx.toks) and is_complementizer(ctx.toks[j + 1])


def _phrase_ends(ctx: Context, j: int) -> bool:
    tok = ctx.toks[j]
    return (tok.norm in SENTENCE_END or tok.norm in COMMAS or tok.norm == ":" or is_complementizer(tok)
            or _complement_next(ctx, j) or find_cue(ctx.toks, j, ctx.lex) is not None)


def _quoted_name(ctx: Context, span: QuoteSpan | None) -> bool:
    """A short quotation inside a frame that names someone or something («المساء مع قصواء»)."""
    return span is not None and ctx.words(span) <= MAX_QUOTED_NAME and not ctx.ends_sentence(span)


def read_segment(ctx: Context, j: int) -> tuple[list[Tok], int]:
    """One speaker phrase from token ``j``, and the index after it.

    Parenthesised asides are left out; a short quoted name (``وكالة “بلومبيرغ”``) is kept.
    The phrase ends at punctuation, a complementizer, a quotation, a setting phrase or a cue.
    """
    seg: list[Tok] = []
    start = j
    while j < len(ctx.toks) and j - start < MAX_SEGMENT and not _phrase_ends(ctx, j):
        if ctx.toks[j].text == "(":
            close = next((k for k in range(j, len(ctx.toks)) if ctx.toks[k].text == ")"
                          or ctx.toks[k].norm == PARAGRAPH), j)
            j = close + 1 if ctx.toks[close].text == ")" else j + 1
            continue
        span = ctx.opens(j)
        if span is not None and not _quoted_name(ctx, span):
            break
        if seg and opens_setting(ctx, j):
            break
        seg.append(ctx.toks[j])
        j += 1
    return seg, j


def skip_setting(ctx: Context, j: int) -> int:
    """Index after a setting phrase at ``j``, quoted programme names included."""
    start = j
    while j < len(ctx.toks) and j - start < MAX_SETTING:
        if j > start and _phrase_ends(ctx, j):
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
    """What follows a cue: the speaker phrases and the content (kind, start, end) if any."""

    segments: list[list[Tok]]
    content: tuple[str, int, int] | None


def read_frame(ctx: Context, cue: Cue) -> Frame:
    """Read the speaker phrases, settings and content after a cue."""
    segments: list[list[Tok]] = []
    j = cue.i + 1
    while j < len(ctx.toks) and j - cue.i <= MAX_FRAME:
        tok = ctx.toks[j]
        if tok.norm in SENTENCE_END:
            break
        if tok.norm in COMMAS or _complement_next(ctx, j) or _participle_at(ctx, j):
            j += 1  # separators, إلى of إلى أن, and "قائلا" in "وتابع قائلا:"
        elif tok.norm == ":":
            return Frame(segments, read_content(ctx, j + 1, direct=True))
        elif is_complementizer(tok) or (ctx.opens(j) is not None and (segments or not _quoted_name(ctx, ctx.opens(j)))):
            return Frame(segments, read_content(ctx, j))
        elif find_cue(ctx.toks, j, ctx.lex) is not None:
            break
        elif opens_setting(ctx, j):
            j = skip_setting(ctx, j)
        else:
            seg, j = read_segment(ctx, j)
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
    kind, start, end = "indirect", ctx.toks[j].start, ctx.toks[j].end
    k = j
    while k < len(ctx.toks):
        tok = ctx.toks[k]
        if (inner := ctx.opens(k)) is not None and k > j:
            kind, end = "mixed", inner.end
            k = ctx.after(inner.end)
            # the closing mark may share a token with a full stop: «...».
            following = ctx.text[inner.end:ctx.toks[k].start if k < len(ctx.toks) else len(ctx.text)]
            if any(ch in following for ch in SENTENCE_END):
                break
            continue
        if tok.norm in SENTENCE_END or (tok.norm in COMMAS and k + 1 < len(ctx.toks) and (
                find_cue(ctx.toks, k + 1, ctx.lex) is not None or ctx.toks[k + 1].norm in CONCESSIVES)):
            break  # "، مضيفا أن ..." and "، وقال ..." start statements of their own
        end = tok.end
        k += 1
    return ("direct" if direct else kind), start, end


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


# --- speakers ----------------------------------------------------------------------------

@dataclass
class Speaker:
    """Who a speaker phrase names: mention offsets, name (or description), type and role."""

    mention_start: int
    mention_end: int
    name: str
    speaker_type: str
    role: str | None = None


def is_given_name(tok: Tok, lex: Lexicons) -> bool:
    """A token that starts a personal name: a listed given name, or an عبد/أبو compound."""
    if tok.text in AMBIGUOUS_PREPOSITIONS:
        return False
    return tok.norm in lex.given_names or tok.norm in NAME_COMPOUNDS or (
        tok.norm.startswith("عبد") and len(tok.norm) > 5)  # عبدالله written as one word


def _is_title(tok: Tok, lex: Lexicons) -> bool:
    return strip_article(tok.norm) in lex.titles


def name_start(seg: list[Tok], lex: Lexicons) -> int | None:
    """Index in ``seg`` where a personal name starts after a role or title, or None.

    A listed given name marks the start; failing that, a trailing run of up to three words
    that carry no article and no clitic preposition (``أنطونيو غوتيريش``).
    """
    for k, tok in enumerate(seg[1:], 1):
        if is_given_name(tok, lex):
            return k
    k = len(seg)
    if k > 2 and seg[-1].norm.startswith("ال") and _plain_word(seg[-2], lex):
        k -= 1  # إسراء المدلل: an unlisted given name before an al- surname
    while k > 1 and len(seg) - k < MAX_PLAIN_NAME and _plain_word(seg[k - 1], lex):
        k -= 1
    return None if k == len(seg) or seg[k - 1].norm in PREPOSITIONS else k


def name_end(seg: list[Tok], k: int, lex: Lexicons) -> int:
    """Index after the name starting at ``k``: it stops at a role word (``الناطق باسم ...``)."""
    end = k + 1
    while end < len(seg) and end - k < MAX_NAME and not _is_title(seg[end], lex) and seg[end].norm not in PREPOSITIONS:
        end += 1
    return end


def _surname(tok: Tok, lex: Lexicons) -> bool:
    """A word that can follow a given name as a surname (حفتر, المسماري)."""
    if not tok.norm[0].isalpha() or tok.norm in PREPOSITIONS or tok.norm in lex.adverbs or is_complementizer(tok):
        return False
    return not ({tok.norm, strip_article(tok.norm)} & (lex.titles | lex.organizations | lex.anonymous | lex.settings))


def _plain_word(tok: Tok, lex: Lexicons) -> bool:
    """A word that may be part of a foreign or unlisted name (``غوتيريش``).

    Not a word with the article, a preposition, a lexicon word, or a relational adjective
    (``تركي``, ``عسكرية``: "مسؤول تركي" names nobody).
    """
    norm = tok.norm
    if norm.startswith(("ال", "بال", "لل", "وال")) or norm in PREPOSITIONS | FUNCTION_WORDS or not norm[0].isalpha():
        return False
    if norm.endswith(NISBA) and norm not in lex.given_names:
        return False
    return not ({norm, strip_article(norm)} & (lex.titles | lex.organizations | lex.anonymous))


def _text(ctx: Context, toks: list[Tok]) -> str:
    """The text a token run covers, without quotation marks at its edges."""
    return ctx.text[toks[0].start:toks[-1].end].strip(QUOTE_CHARS + " ")


def _mention(ctx: Context, toks: list[Tok], speaker_type: str, role: str | None = None) -> Speaker:
    raw = ctx.text[toks[0].start:toks[-1].end]
    start = toks[0].start + len(raw) - len(raw.lstrip(QUOTE_CHARS + " "))
    end = toks[-1].end - (len(raw) - len(raw.rstrip(QUOTE_CHARS + " ")))
    return Speaker(start, end, ctx.text[start:end], speaker_type, role)


def pick_speaker(ctx: Context, seg: list[Tok]) -> Speaker | None:
    """Split one speaker phrase into name, role and type; None if it cannot be a speaker.

    Person: a phrase opening with a given name, or a title/role followed by a name (the
    words around the name are the role). Organization and anonymous: by the head word; the
    whole phrase is the description. A role without a name (``المتحدث باسم الحكومة``) is
    anonymous with that role; ``link_in_article`` may tie it to the person who holds it. A
    possessive noun (``سقوطها``, "its fall") or a long unknown phrase is no speaker.
    """
    lex = ctx.lex
    seg = [t for t in seg if t.text.strip(QUOTE_CHARS)]
    if not seg:
        return None
    head = seg[0]
    head_words = {head.norm, strip_article(head.norm)}
    if head_words & lex.organizations:
        return _mention(ctx, seg, "organization")
    if head_words & lex.anonymous:
        return _mention(ctx, seg, "anonymous")
    k = 0 if is_given_name(head, lex) else (name_start(seg, lex) if _is_title(head, lex) else None)
    if _is_title(head, lex) and any(t.norm in COMPLEMENT_PREPOSITIONS for t in seg[1:k or None]):
        return None
    if k is None and _is_title(head, lex):
        return _mention(ctx, seg, "anonymous", role=_text(ctx, seg))
    if k is None:
        if _possessive(head.norm) or len(seg) > MAX_PLAIN_NAME or not head.norm[0].isalpha():
            return None
        return _mention(ctx, seg, "person")
    end = name_end(seg, k, lex)
    roles = [_text(ctx, part) for part in (seg[:k], seg[end:]) if part]
    return _mention(ctx, seg[k:end], "person", role="; ".join(roles) or None)


def frame_speaker(ctx: Context, segments: list[list[Tok]]) -> Speaker | None:
    """The speaker of a frame: the first phrase, completed by an apposition.

    ``قال العقيد أحمد المسماري، المتحدث باسم الجيش، إن`` adds the role after the name;
    ``قال المتحدث باسم الجيش، اللواء أحمد المسماري، إن`` finds the name after the role.
    """
    speaker = pick_speaker(ctx, segments[0])
    if speaker is None:
        return None
    for seg in segments[1:3]:
        other = pick_speaker(ctx, seg)
        if other is None:
            continue
        if speaker.speaker_type == "person" and other.speaker_type == "anonymous" and other.role:
            speaker.role = "; ".join(r for r in (speaker.role, other.role) if r)
        elif speaker.speaker_type == "anonymous" and speaker.role and other.speaker_type == "person" and other.role:
            other.role = "; ".join((other.role, speaker.role))
            speaker = other
    return speaker


def person_names(ctx: Context) -> list[tuple[int, str]]:
    """(offset, name) of every given name + surname in the article (``خليفة حفتر``).

    They let a bare surname (``حفتر``) link to the full name even when that is never quoted.
    """
    toks, names = ctx.toks, []
    for k, tok in enumerate(toks):
        if not is_given_name(tok, ctx.lex):
            continue
        last = k + 2 if tok.norm in NAME_COMPOUNDS else k + 1
        if last < len(toks) and _surname(toks[last], ctx.lex):
            names.append((tok.start, ctx.text[tok.start:toks[last].end]))
    return names


# --- whole article -----------------------------------------------------------------------

def find_quotes(ctx: Context) -> list[Quote]:
    """Every attributed statement in the article, in order, speakers as the sentence gives them."""
    quotes: list[Quote] = []
    taken_to = -1  # end of the last content: a cue inside it is part of it
    used: set[int] = set()  # starts of quotations already taken
    for i, tok in enumerate(ctx.toks):
        if tok.start < taken_to or ctx.quoted[i]:
            continue
        cue = find_cue(ctx.toks, i, ctx.lex)
        quote = attribution(ctx, cue, used) if cue is not None else None
        if quote is not None:
            quotes.append(quote)
            taken_to = max(taken_to, quote.content_end)
            used.update(s.start for s in ctx.spans if quote.content_start <= s.start < quote.content_end)
    quotes += continuations(ctx, used, quotes)
    return sorted(quotes, key=lambda q: q.content_start)


def attribution(ctx: Context, cue: Cue, used: set[int]) -> Quote | None:
    """The quote a cue introduces (or follows), with its speaker as written, or None."""
    frame = read_frame(ctx, cue)
    if cue.participle:  # "مضيفا في بيان أن": a participle has no subject of its own
        frame.segments = []
    elif not frame.segments and (fronted := fronted_subject(ctx, cue.i)):
        frame.segments = [fronted]
    content = frame.content
    if content is None:
        before = quotation_before(ctx, cue.i, used)
        if before is None:
            return None
        content = ("direct", before.start, before.end)
    speaker = frame_speaker(ctx, frame.segments) if frame.segments else None
    if (frame.segments or cue.tense == "present") and speaker is None:
        return None  # a present tense with no subject is a relative clause: "شبهات تفيد بأن"
    kind, start, end = content
    text = ctx.text
    quote = Quote(article_id="", kind=kind, content=text[start:end], content_start=start, content_end=end,
                  cue=text[cue.start:cue.end], cue_lemma=cue.lemma, cue_start=cue.start, cue_end=cue.end,
                  language="ar", sentence=sentence_of(ctx, min(cue.start, start), end))
    if speaker is not None:
        quote.speaker_mention = text[speaker.mention_start:speaker.mention_end]
        quote.mention_start, quote.mention_end = speaker.mention_start, speaker.mention_end
        quote.speaker, quote.speaker_type, quote.role = speaker.name, speaker.speaker_type, speaker.role
    return quote


def fronted_subject(ctx: Context, i: int) -> list[Tok]:
    """The subject placed before the cue in ``وكان المكتب الإعلامي (قد) أعلن``, or [].

    Arabic news puts the subject first after كان ("had"); elsewhere a phrase before the
    verb belongs to the previous clause, so only this construction is read backwards.
    """
    k = i - 1
    if k >= 0 and ctx.toks[k].norm in {"قد", "وقد"}:
        k -= 1
    end = k + 1
    while k >= 0 and end - k <= MAX_SEGMENT and not _phrase_ends(ctx, k) and ctx.opens(k) is None:
        if ctx.toks[k].norm in KANA:
            return ctx.toks[k + 1:end]
        k -= 1
    return []


def sentence_of(ctx: Context, start: int, end: int) -> str:
    """The sentence(s) from the one holding ``start`` to the one holding ``end``."""
    starts = ctx.sentence_starts
    first = starts[bisect_right(starts, start) - 1] if starts and starts[0] <= start else 0
    k = bisect_left(starts, end)
    return ctx.text[first:starts[k] if k < len(starts) else len(ctx.text)].strip()


def continuations(ctx: Context, used: set[int], quotes: list[Quote]) -> list[Quote]:
    """Quotations that open a paragraph without any cue: more words of the previous speaker."""
    out: list[Quote] = []
    for mark, span in sorted(ctx.opening.items()):
        start = ctx.text.rfind(PARAGRAPH, 0, mark) + 1
        end = ctx.text.find(PARAGRAPH, mark) % (len(ctx.text) + 1)
        if span.start in used or ctx.text[start:mark].strip() or ctx.words(span) < MIN_CONTINUATION:
            continue
        paragraph = range(ctx.after(start), ctx.after(end))
        earlier = [q for q in quotes + out if q.content_end <= span.start and q.speaker]
        if not earlier or any(find_cue(ctx.toks, k, ctx.lex) for k in paragraph):
            continue
        prev = earlier[-1]
        out.append(Quote(article_id="", kind="direct", content=ctx.text[span.start:span.end],
                         content_start=span.start, content_end=span.end, speaker=prev.speaker,
                         speaker_type=prev.speaker_type, role=prev.role, language="ar",
                         sentence=ctx.text[start:end].strip()))
    return out


def link_in_article(quotes: list[Quote], persons: list[tuple[int, str]]) -> None:
    """Resolve speakers inside one article, in place.

    - A cue with no subject (``وأضاف أن``, ``، مضيفا أن``) takes the previous quote's
      speaker: Arabic drops the pronoun of the speaker under discussion, whatever its type;
      with no earlier quote, the last person named before it.
    - A definite role or source alone (``المتحدث``, ``المسؤول``, ``الوكالة``) takes the last
      speaker introduced with the same head word and those words.
    - A short organization name (``حكومة الوفاق``) takes the fuller one it begins
      (``حكومة الوفاق الوطني``); person names link through the shared variant matcher
      (``حفتر`` -> ``خليفة حفتر``).

    Args:
        quotes: the article's quotes in text order.
        persons: ``(offset, name)`` of person names anywhere in the article.
    """
    for n, q in enumerate(quotes):
        earlier = [p for p in quotes[:n] if p.speaker]
        if q.speaker is None:
            source = earlier[-1] if earlier else None
            named = [name for offset, name in persons if offset < (q.cue_start or q.content_start)]
            if source is not None:
                q.speaker, q.speaker_type, q.role = source.speaker, source.speaker_type, source.role
            elif named:
                q.speaker, q.speaker_type = named[-1], "person"
        elif q.speaker_type in ("organization", "anonymous") and _definite(q.speaker_mention or q.speaker):
            source = back_reference(q, earlier)
            if source is not None:
                q.speaker, q.speaker_type, q.role = source.speaker, source.speaker_type, source.role
        if q.speaker_type == "organization":
            q.speaker = fullest_organization(q.speaker, [p.speaker for p in quotes if p.speaker_type == "organization"])
        if q.speaker_type == "anonymous" and q.role == q.speaker:
            q.role = None
    link_speakers(quotes, persons)


def back_reference(q: Quote, earlier: list[Quote]) -> Quote | None:
    """The last earlier quote whose speaker a definite mention (``المتحدث``) refers back to.

    Its head word must head the earlier mention or one of its roles, and its other words
    must all appear there: ``المتحدث باسم الخارجية`` refers to ``أحمد أبو زيد`` introduced as
    ``المتحدث باسم الخارجية``; ``الجيش الوطني`` does not refer to ``مصادر في الجيش الوطني``.
    """
    mention = q.speaker_mention or q.speaker or ""
    head, words = _head_word(mention), _content_words(mention)
    for p in reversed(earlier):
        phrases = [p.speaker_mention or p.speaker or ""] + (p.role or "").split("; ")
        if head in {_head_word(x) for x in phrases if x} and words <= _content_words(" ".join(phrases)):
            return p
    return None


def _definite(mention: str | None) -> bool:
    return bool(mention) and normalize(mention.split()[0]).startswith("ال")


def _head_word(phrase: str) -> str:
    words = re.findall(r"\w+", phrase)
    return strip_article(normalize(words[0])) if words else ""


def _content_words(phrase: str) -> set[str]:
    return {strip_article(normalize(w)) for w in re.findall(r"\w+", phrase)} - GENERIC_ROLE_WORDS


def fullest_organization(name: str, names: list[str]) -> str:
    """The longest organization name in ``names`` that begins with ``name``'s words."""
    words = normalize(name).split()
    longer = [n for n in names if normalize(n).split()[: len(words)] == words]
    return max(longer, key=lambda n: len(n.split()), default=name)


def extract_arabic(article: Article) -> tuple[list[Quote], list[Problem]]:
    """Quotes and quote-mark problems of one Arabic article, speakers linked in the article.

    Each quote has ``language="ar"``, ``article_speaker == speaker`` and exact offsets:
    ``article.text[q.content_start:q.content_end] == q.content``.
    """
    text = article.text
    spans, found = pair_quote_marks(text)
    ctx = Context(text, tokenize(text), spans, lexicons())
    quotes = find_quotes(ctx)
    for q in quotes:
        q.article_id = article.id
    link_in_article(quotes, person_names(ctx))
    problems = [Problem(article.path, code, f"{message} (line {text.count(PARAGRAPH, 0, pos) + 1})",
                        article_id=article.id, stage="extract") for code, pos, message in found]
    return quotes, problems
