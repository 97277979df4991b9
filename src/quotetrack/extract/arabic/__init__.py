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

The package follows those steps: ``tokens`` (normalization, lexicons, tokenizer, ``Context``),
``frames`` (cues and the phrases and content after them), ``speakers`` (name, role and type
of a speaker phrase), ``subjects`` (a subject before the verb, shared by participles and
joined verbs; where a verb's object statement starts), ``signatures`` (headlines signed with
a colon), ``people`` (who the article names with which role, for role mentions) and
``quotes`` (building a ``Quote``); this module holds the whole-article rules and
``extract_arabic``.
"""

from __future__ import annotations

import re

from quotetrack.extract.arabic.frames import Cue, clause, find_cue, quotation_before, read_frame
from quotetrack.extract.arabic.people import Person, people, role_holder, titled_surname
from quotetrack.extract.arabic.quotes import make_quote
from quotetrack.extract.arabic.signatures import according_to, headline_statements
from quotetrack.extract.arabic.speakers import frame_speaker, person_names, pick_speaker
from quotetrack.extract.arabic.subjects import (
    CAME_IN,
    RELAYING,
    document_issuer,
    fronted_subject,
    joined_to,
    object_start,
    opening_verb_subject,
    relayed_source,
    same_sentence,
    split_object,
)
from quotetrack.extract.arabic.tokens import PARAGRAPH, Context, conjugate, lexicons, normalize, strip_article, tokenize
from quotetrack.extract.linking import NamedPerson, link_speakers
from quotetrack.extract.quote_marks import pair_quote_marks
from quotetrack.types import Article, Problem, Quote

__all__ = ["conjugate", "extract_arabic", "find_cue", "lexicons", "normalize", "tokenize"]

GENERIC_ROLE_WORDS = {"رسمي"}  # "المتحدث الرسمي" is still "the spokesman"
MIN_CONTINUATION = 4  # words in a cue-less quoted paragraph that continues the last speaker
MIN_COLON_WORDS = 3  # unquoted words after "قال:" that make a statement
BYLINE = "كتب"  # "كتب: ..." at a paragraph's start names the article's writer


def find_quotes(ctx: Context) -> list[Quote]:
    """Every attributed statement in the article, in order, speakers as the sentence gives them."""
    quotes: list[Quote] = headline_statements(ctx)
    taken_to = quotes[-1].content_end if quotes else -1  # end of the last content: a cue inside is part of it
    used: set[int] = set()  # starts of quotations already taken
    for i, tok in enumerate(ctx.toks):
        if tok.start < taken_to or ctx.quoted[i]:
            continue
        cue = find_cue(ctx.toks, i, ctx.lex)
        quote = attribution(ctx, cue, used, quotes[-1] if quotes else None) if cue is not None else None
        if quote is not None:
            quotes.append(quote)
            taken_to = max(taken_to, quote.content_end)
            used.update(s.start for s in ctx.spans if quote.content_start <= s.start < quote.content_end)
    quotes += continuations(ctx, used, quotes)
    quotes += according_to(ctx, quotes)
    return sorted(quotes, key=lambda q: q.content_start)


def attribution(ctx: Context, cue: Cue, used: set[int], prev: Quote | None) -> Quote | None:
    """The quote a cue introduces (or follows), with its speaker as written, or None.

    The speaker is the phrase after the cue, else a subject placed before it (``وكان X قد
    أعلن``, ``باشاغا تعهد ...`` at a sentence's start); a participle (``مضيفا``) and a verb
    joined to the previous one in its sentence (``... يتهم الدبيبة ويتعهد``) share that
    verb's subject. For a verb that takes its statement as an object (``نفى``, ``رفض``,
    ``محملا``: ``+0`` in the cue list) the first phrase that is no speaker is the content.
    """
    frame = read_frame(ctx, cue)
    marks = ctx.lex.complements.get(cue.lemma, frozenset())
    objects = marks | {"0"} if "0~" in marks and cue.participle else marks
    segments, speaker, shared = frame.segments, None, cue.participle or joined_to(ctx, cue, prev)
    obj, unnamed = None, False
    if cue.participle and not same_sentence(ctx, cue, prev) and (subject := opening_verb_subject(ctx, cue)):
        speaker, unnamed = pick_speaker(ctx, subject), True  # the speaker, though not named at this cue
    sourced = cue.lemma in RELAYING | CAME_IN  # the words are someone else's: the outlet's or document's
    if (relayed := relayed_source(ctx, cue, segments)) is not None:
        segments, shared = relayed, False
    elif (issuer := document_issuer(ctx, cue)) is not None:
        segments, shared = issuer, not issuer  # no issuer named: the previous speaker's document
    elif sourced:
        return None
    if not shared and not sourced and (fronted := fronted_subject(ctx, cue.i)):
        speaker, shared = pick_speaker(ctx, fronted), True  # "باشاغا يتهم الدبيبة": what follows is the object
    if not shared:
        if "0" in objects and segments and (split := split_object(ctx, segments[0])):
            segments, obj = [segments[0][:split]] + segments[1:], segments[0][split]
        speaker = frame_speaker(ctx, segments) if segments else None
    content = frame.content
    if frame.opened_by == "colon" and not segments and byline(ctx, cue, content):
        return None
    if obj is None and "0" in objects and (speaker is not None or shared or cue.tense == "past"):
        obj = object_start(ctx, segments, speaker, shared)  # a present tense needs a subject (relative clause)
    if obj is not None and (content is None or (speaker is None and obj.start < content[1])):
        content = clause(ctx, ctx.after(obj.start))
    elif content is None:
        before = quotation_before(ctx, cue.i, used)
        if before is None:
            return None
        content = ("direct", before.start, before.end)
    if speaker is None and not shared and obj is None and (segments or cue.tense == "present"):
        return None  # a present tense with no subject is a relative clause: "شبهات تفيد بأن"
    quote = make_quote(ctx, cue, content, speaker)
    if unnamed:
        quote.speaker_mention = quote.mention_start = quote.mention_end = None
    return quote


def byline(ctx: Context, cue: Cue, content: tuple[str, int, int] | None) -> bool:
    """``كتب: محمود البدوي`` opening a paragraph names the writer; a colon before fewer than
    ``MIN_COLON_WORDS`` unquoted words introduces no speech either."""
    if content is None:
        return True
    words = len(ctx.text[content[1] : content[2]].split())
    quoted = any(s.start == content[1] for s in ctx.spans)
    paragraph_start = cue.i == 0 or ctx.toks[cue.i - 1].norm == PARAGRAPH
    return not quoted and (words < MIN_COLON_WORDS or (cue.lemma == BYLINE and paragraph_start))


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
        out.append(
            Quote(
                article_id="",
                kind="direct",
                content=ctx.text[span.start : span.end],
                content_start=span.start,
                content_end=span.end,
                speaker=prev.speaker,
                speaker_type=prev.speaker_type,
                role=prev.role,
                language="ar",
                sentence=ctx.text[start:end].strip(),
            )
        )
    return out


def link_in_article(quotes: list[Quote], persons: list[tuple[int, str]], cast: list[Person]) -> None:
    """Resolve speakers inside one article, in place.

    - A cue with no subject (``وأضاف أن``, ``، مضيفا أن``) takes the previous quote's
      speaker: Arabic drops the pronoun of the speaker under discussion, whatever its type;
      with no earlier quote, the last person named before it.
    - A definite role or source alone (``المتحدث``, ``المسؤول``, ``الوكالة``) takes the last
      speaker introduced with the same head word and those words; failing that, a role takes
      the one person the article names with that role (``people.role_holder``).
    - A short organization name (``حكومة الوفاق``) takes the fuller one it begins
      (``حكومة الوفاق الوطني``); person names link through the shared variant matcher
      (``حفتر`` -> ``خليفة حفتر``).

    Args:
        quotes: the article's quotes in text order.
        persons: ``(offset, name)`` of person names anywhere in the article.
        cast: the people the article names with their roles (``people.people``).
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
        if q.speaker_type == "anonymous" and q.role and (holder := role_holder(q.role, cast)) is not None:
            quoted = next((p.role for p in earlier if p.speaker == holder.name and p.role), None)
            q.speaker, q.speaker_type, q.role = holder.name, "person", quoted or "; ".join(holder.roles)
        elif q.speaker_type == "anonymous" and q.role and (titled := titled_surname(q.role, persons)):
            q.speaker, q.speaker_type = titled, "person"  # "الرئيس السيسي": title and surname
        if q.speaker_type == "organization" and q.speaker:  # an organization always has a name
            q.speaker = fullest_organization(
                q.speaker, [p.speaker for p in quotes if p.speaker_type == "organization" and p.speaker]
            )
        if q.speaker_type == "anonymous" and q.role == q.speaker:
            q.role = None
    link_speakers(quotes, [NamedPerson(offset, offset + len(name), name, name) for offset, name in persons])


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
    return bool(mention and normalize(mention.split()[0]).startswith("ال"))


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
    roles = any(q.speaker_type == "anonymous" and q.role for q in quotes)  # only role mentions need the cast
    link_in_article(quotes, person_names(ctx), people(ctx) if roles else [])
    problems = [
        Problem(
            article.path,
            code,
            f"{message} (line {text.count(PARAGRAPH, 0, pos) + 1})",
            article_id=article.id,
            stage="extract",
        )
        for code, pos, message in found
    ]
    return quotes, problems
