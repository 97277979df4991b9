"""Arabic statements signed without a reporting verb: a headline's colon (``المسماري: ...``)."""

from __future__ import annotations

from quotetrack.extract.arabic.frames import find_cue
from quotetrack.extract.arabic.quotes import make_quote
from quotetrack.extract.arabic.speakers import GROUP_ENDINGS, Speaker, is_given_name, pick_speaker
from quotetrack.extract.arabic.subjects import MAX_FRONTED, _named_again
from quotetrack.extract.arabic.tokens import PARAGRAPH, QUOTE_CHARS, Context, Tok
from quotetrack.types import Quote

MIN_HEADLINE = 3  # words after a headline's colon


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
