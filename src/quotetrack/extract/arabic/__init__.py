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
of a speaker phrase); this module holds the whole-article rules and ``extract_arabic``.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from quotetrack.extract.arabic.frames import Cue, _phrase_ends, find_cue, quotation_before, read_frame
from quotetrack.extract.arabic.speakers import frame_speaker, person_names
from quotetrack.extract.arabic.tokens import (MAX_SEGMENT, PARAGRAPH, Context, Tok, conjugate, lexicons, normalize,
                                              strip_article, tokenize)
from quotetrack.extract.linking import NamedPerson, link_speakers
from quotetrack.extract.quote_marks import pair_quote_marks
from quotetrack.types import Article, Problem, Quote

__all__ = ["conjugate", "extract_arabic", "find_cue", "lexicons", "normalize", "tokenize"]

GENERIC_ROLE_WORDS = {"رسمي"}  # "المتحدث الرسمي" is still "the spokesman"
KANA = {"كان", "وكان", "كانت", "وكانت"}  # "had": وكان X قد قال
MIN_CONTINUATION = 4  # words in a cue-less quoted paragraph that continues the last speaker


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
        if q.speaker_type == "organization" and q.speaker:  # an organization always has a name
            q.speaker = fullest_organization(
                q.speaker, [p.speaker for p in quotes if p.speaker_type == "organization" and p.speaker])
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
    link_in_article(quotes, person_names(ctx))
    problems = [Problem(article.path, code, f"{message} (line {text.count(PARAGRAPH, 0, pos) + 1})",
                        article_id=article.id, stage="extract") for code, pos, message in found]
    return quotes, problems
