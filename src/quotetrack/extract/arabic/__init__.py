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

from quotetrack.extract.arabic.people import Person, people, role_holder
from quotetrack.extract.arabic.frames import (Cue, _phrase_ends, clause, find_cue, opens_setting, quotation_before,
                                              read_frame)
from quotetrack.extract.arabic.speakers import (GROUP_ENDINGS, NAME_COMPOUNDS, Speaker, frame_speaker, is_given_name, name_start, person_names,
                                                pick_speaker)
from quotetrack.extract.arabic.tokens import (MAX_SEGMENT, PARAGRAPH, PREPOSITIONS, QUOTE_CHARS, SENTENCE_END, Context,
                                              Tok, conjugate, lexicons, normalize, strip_article, tokenize)
from quotetrack.extract.linking import link_speakers
from quotetrack.extract.quote_marks import pair_quote_marks
from quotetrack.types import Article, Problem, Quote

__all__ = ["conjugate", "extract_arabic", "find_cue", "lexicons", "normalize", "tokenize"]

GENERIC_ROLE_WORDS = {"رسمي"}  # "المتحدث الرسمي" is still "the spokesman"
KANA = {"كان", "وكان", "كانت", "وكانت"}  # "had": وكان X قد قال
MIN_CONTINUATION = 4  # words in a cue-less quoted paragraph that continues the last speaker
MAX_FRONTED = 8  # words in a subject placed before its verb, or a headline's signature
MIN_HEADLINE = 3  # words after a headline's colon
MIN_OBJECT = 2  # words of an object left after a speaker's name
QUANTIFIERS = {"جميع", "كل", "كافه"}  # "دعا المجلس جميع الأطراف": "all" starts a noun phrase


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
    obj = None
    if not shared and (fronted := fronted_subject(ctx, cue.i)):
        speaker, shared = pick_speaker(ctx, fronted), True  # "باشاغا يتهم الدبيبة": what follows is the object
    if not shared:
        if "0" in objects and segments and (split := split_object(ctx, segments[0])):
            segments, obj = [segments[0][:split]] + segments[1:], segments[0][split]
        speaker = frame_speaker(ctx, segments) if segments else None
    content = frame.content
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
    return make_quote(ctx, cue, content, speaker)


def make_quote(ctx: Context, cue: Cue | None, content: tuple[str, int, int], speaker: Speaker | None) -> Quote:
    kind, start, end = content
    text = ctx.text
    quote = Quote(article_id="", kind=kind, content=text[start:end], content_start=start, content_end=end,
                  language="ar", sentence=sentence_of(ctx, min(cue.start if cue else start, start), end))
    if cue is not None:
        quote.cue, quote.cue_lemma, quote.cue_start, quote.cue_end = text[cue.start:cue.end], cue.lemma, cue.start, cue.end
    if speaker is not None:
        quote.speaker_mention = text[speaker.mention_start:speaker.mention_end]
        quote.mention_start, quote.mention_end = speaker.mention_start, speaker.mention_end
        quote.speaker, quote.speaker_type, quote.role = speaker.name, speaker.speaker_type, speaker.role
    return quote


def joined_to(ctx: Context, cue: Cue, prev: Quote | None) -> bool:
    """A present-tense cue with و joined to the previous statement's verb in one sentence:
    ``حميدتي ... يهدد بتشكيل حكومة ويلوح بالوصول إلى بورتسودان`` (the same subject)."""
    if prev is None or cue.tense != "present" or not ctx.toks[cue.i].norm.startswith("و"):
        return False
    return sentence_index(ctx, prev.cue_start if prev.cue_start is not None else prev.content_start) == \
        sentence_index(ctx, cue.start)


def sentence_index(ctx: Context, pos: int) -> int:
    return bisect_right(ctx.sentence_starts, pos)


def object_start(ctx: Context, segments: list[list[Tok]], speaker: Speaker | None, shared: bool) -> Tok | None:
    """The first token of a verb's object: the first phrase after the speaker (and appositions
    that name or describe a person) that is itself no speaker; with no speaker of the verb's
    own, its first phrase."""
    if speaker is None or shared:
        return segments[0][0] if segments else None
    for seg in segments[1:]:
        other = pick_speaker(ctx, seg)
        if other is None or other.speaker_type == "organization" or (
                other.speaker_type == "anonymous" and not other.role):
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
    if not first or not {first[0].norm, strip_article(first[0].norm)} & (lex.titles | lex.organizations):
        return None
    for t in range(1, len(first)):
        tok, before = first[t], first[t - 1]
        if before.norm.startswith("ال") and name_start(first[:t], lex) is None and (
                tok.norm in lex.titles | lex.organizations | QUANTIFIERS or _plural_after_singular(before, tok)):
            return t
        if is_given_name(tok, lex) and strip_article(first[0].norm) in lex.titles:
            end = t + (3 if tok.norm in NAME_COMPOUNDS or (t + 1 < len(first) and first[t + 1].norm in NAME_COMPOUNDS)
                       else 2)
            return end if len(first) - end >= MIN_OBJECT else None
    return None


def _plural_after_singular(before: Tok, tok: Tok) -> bool:
    """``الحكومة المواطنين``: a definite plural cannot describe a definite singular, so it starts
    the object (a relational plural, ``الحوثيين``, may name a group)."""
    plural = ("ين", "ون")
    return (tok.norm.startswith("ال") and tok.norm.endswith(plural) and not tok.norm.endswith(GROUP_ENDINGS)
            and not before.norm.endswith(plural))


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
            return ctx.toks[k + 1:end]
        if k == 0 or ctx.toks[k].sent_start or ctx.toks[k - 1].norm in SENTENCE_END:
            return sentence_subject(ctx, k, i)
        k -= 1
    return []


def sentence_subject(ctx: Context, first: int, i: int) -> list[Tok]:
    """The phrase from ``first`` (a sentence start) to the cue at ``i``, cut at a setting or preposition."""
    toks = ctx.toks
    end = first
    stops = PREPOSITIONS - {"باسم"}  # "المتحدث باسم الحكومة يؤكد": باسم belongs to the role
    while end < i and toks[end].norm not in stops and not opens_setting(ctx, end) and not (
            toks[end].norm in ctx.lex.adverbs):
        end += 1
    subject = [t for t in toks[first:end] if t.text.strip(QUOTE_CHARS)]
    if not subject or len(subject) > MAX_FRONTED or (end < i and toks[end].norm not in stops | ctx.lex.adverbs
                                                     and not opens_setting(ctx, end)):
        return []
    speaker = pick_speaker(ctx, subject)
    if speaker is None or (speaker.role is None and speaker.speaker_type == "person"
                           and not is_given_name(subject[0], ctx.lex) and not _named_again(ctx, subject)):
        return []
    return subject


def _signature(ctx: Context, words: list[Tok], speaker: Speaker) -> bool:
    """Whether a headline's words before its colon name a source, not a topic (``ليبيا:``, ``عاجل:``).

    A person needs a title, a given name, or a name the article uses again; an organization
    more than one word (``الخارجية الأمريكية``) or a group (``الحوثيون``): a lone country or
    city before a colon labels the story's place.
    """
    if speaker.speaker_type == "organization":
        return len(words) > 1 or words[0].norm.endswith(GROUP_ENDINGS)
    if speaker.speaker_type == "person" and not speaker.role and not is_given_name(words[0], ctx.lex):
        return _named_again(ctx, words)
    return True


def _named_again(ctx: Context, words: list[Tok]) -> bool:
    norms = {t.norm for t in words}
    return sum(t.norm in norms for t in ctx.toks) > len(words)


def headline_statements(ctx: Context) -> list[Quote]:
    """``المسماري: مصر هي السند ...`` — a headline signed by its speaker and a colon.

    Only the article's first line, when it is a headline (no full stop ends it): the phrase
    before the colon (after any ``بالفيديو |`` label) must read as a speaker, and the words
    after it, up to a trailing ``(فيديو)``, are the statement.
    """
    toks = ctx.toks
    line_end = next((k for k, t in enumerate(toks) if t.norm == PARAGRAPH), len(toks))
    colon = next((k for k in range(line_end) if toks[k].norm == ":"), None)
    if colon is None or toks[line_end - 1].norm in {".", "!"} or line_end - colon - 1 < MIN_HEADLINE:
        return []
    label = max((k + 1 for k in range(colon) if toks[k].text in {"|", "-", "–", "—"}), default=0)
    words = [t for t in toks[label:colon] if t.text.strip(QUOTE_CHARS)]
    if not words or len(words) > MAX_FRONTED or any(find_cue(toks, k, ctx.lex) for k in range(label, colon)):
        return []
    speaker = pick_speaker(ctx, words)
    if speaker is None or not _signature(ctx, words, speaker):
        return []
    last = line_end - 1
    if toks[last].text == ")":  # "(فيديو)"
        last = max((k for k in range(colon, last) if toks[k].text == "("), default=last + 1) - 1
    start, end = toks[colon + 1].start, toks[last].end
    span = ctx.opens(colon + 1)
    content = ("direct", span.start, span.end) if span is not None else ("indirect", start, end)
    return [make_quote(ctx, None, content, speaker)]


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
    link_in_article(quotes, person_names(ctx), people(ctx))
    problems = [Problem(article.path, code, f"{message} (line {text.count(PARAGRAPH, 0, pos) + 1})",
                        article_id=article.id, stage="extract") for code, pos, message in found]
    return quotes, problems
