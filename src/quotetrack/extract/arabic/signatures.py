"""Arabic statements signed without a reporting verb: a headline's colon (``المسماري: ...``) and
"according to" (``بحسب وزارة الصحة، فإن ...``, ``...، وفقا لوكالة الأنباء الليبية``)."""

from __future__ import annotations

from quotetrack.extract.arabic.frames import ACCORDING_TO, COMMAS, Cue, clause, find_cue, opens_setting, read_segment
from quotetrack.extract.arabic.quotes import make_quote
from quotetrack.extract.arabic.speakers import GROUP_ENDINGS, Speaker, is_given_name, pick_speaker
from quotetrack.extract.arabic.subjects import MAX_FRONTED, _named_again
from quotetrack.extract.arabic.tokens import PARAGRAPH, QUOTE_CHARS, SENTENCE_END, Context, Tok, normalize
from quotetrack.types import Quote

MIN_HEADLINE = 3  # words after a headline's colon
MIN_REPORTED = 3  # words of a clause reported "according to" someone


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
    words = [t for t in toks[label : _signature_end(ctx, label, colon)] if t.text.strip(QUOTE_CHARS)]
    if not words or len(words) > MAX_FRONTED or any(find_cue(toks, k, ctx.lex) for k in range(label, colon)):
        return []
    speaker = pick_speaker(ctx, words)
    if speaker is None or not _signature(ctx, words, speaker):
        return []
    if find_cue(toks, colon + 1, ctx.lex) is not None:
        return []  # "بنغازي: قال المسماري إن ...": a dateline before a reported sentence
    last = line_end - 1
    if toks[last].text == ")":  # "(فيديو)"
        last = max((k for k in range(colon, last) if toks[k].text == "("), default=last + 1) - 1
    start, end = toks[colon + 1].start, toks[last].end
    span = ctx.opens(colon + 1)
    content = ("direct", span.start, span.end) if span is not None else ("indirect", start, end)
    return [make_quote(ctx, None, content, speaker)]


def _signature_end(ctx: Context, start: int, colon: int) -> int:
    """``الجيش السوداني في بيان عاجل:``: the signature stops where a setting phrase starts."""
    return next((k for k in range(start + 1, colon) if opens_setting(ctx, k)), colon)


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


def according_to(ctx: Context, quotes: list[Quote]) -> list[Quote]:
    """Statements attributed with "according to" in sentences no other cue took.

    ``وبحسب وزارة الصحة، فإن 5 أشخاص قتلوا`` (the source first, the clause after its comma) and
    ``قتل 5 أشخاص، بحسب مصادر طبية.`` (the clause first, the source ending the sentence). The
    source must read as a speaker: ``حسب قوله`` ("as he put it") after a quote adds none.
    """
    taken = [(q.content_start, q.content_end) for q in quotes]
    found = []
    for k, tok in enumerate(ctx.toks):
        if _according_word(tok.norm) is None:
            continue
        quote = _source_first(ctx, k) if _starts_sentence(ctx, k) else _source_last(ctx, k)
        if quote is not None and not any(s < quote.content_end and quote.content_start < e for s, e in taken):
            found.append(quote)
            taken.append((quote.content_start, quote.content_end))
    return found


def _according_word(norm: str) -> str | None:
    word = norm[1:] if norm.startswith("و") and norm[1:] in ACCORDING_TO else norm
    return word if word in ACCORDING_TO else None


def _starts_sentence(ctx: Context, k: int) -> bool:
    return k == 0 or ctx.toks[k - 1].norm in SENTENCE_END


def _source(ctx: Context, k: int) -> tuple[Cue, Speaker | None, int]:
    """The cue at ``k``, the source after it (past the لـ of ``وفقا لوكالة``) and the index after that."""
    tok = ctx.toks[k]
    skip = 1 if tok.norm.startswith("و") and _according_word(tok.norm) != tok.norm else 0
    cue = Cue(k, tok.start + skip, tok.end, normalize("بحسب"), "past")
    seg, after = read_segment(ctx, k + 1)
    if seg and _according_word(tok.norm) in {"وفقا", "وفق"} and seg[0].norm.startswith("ل") and len(seg[0].norm) > 3:
        source = ctx.toks[k + 1]  # the mention starts after the clitic لـ
        seg = [Tok(source.text[1:], source.norm[1:], source.start + 1, source.end)] + seg[1:]
    return cue, (pick_speaker(ctx, seg) if seg else None), after


def _source_first(ctx: Context, k: int) -> Quote | None:
    cue, speaker, after = _source(ctx, k)
    if speaker is None or after + 1 >= len(ctx.toks) or ctx.toks[after].norm not in COMMAS:
        return None
    content = clause(ctx, after + 1)
    if len(ctx.text[content[1] : content[2]].split()) < MIN_REPORTED:
        return None
    return make_quote(ctx, cue, content, speaker)


def _source_last(ctx: Context, k: int) -> Quote | None:
    cue, speaker, after = _source(ctx, k)
    if (
        speaker is None
        or k == 0
        or ctx.toks[k - 1].norm not in COMMAS
        or (after < len(ctx.toks) and ctx.toks[after].norm not in SENTENCE_END)
    ):
        return None
    first = k - 1
    while first > 0 and ctx.toks[first - 1].norm not in SENTENCE_END:
        first -= 1
    if k - 1 - first < MIN_REPORTED or ctx.opens(first) is not None:
        return None
    content = ("indirect", ctx.toks[first].start, ctx.toks[k - 2].end)
    return make_quote(ctx, cue, content, speaker)
