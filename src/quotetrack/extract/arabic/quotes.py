"""Arabic quotes: a ``Quote`` from a cue, a content span and a speaker, with its sentence."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from quotetrack.extract.arabic.frames import Cue
from quotetrack.extract.arabic.speakers import Speaker
from quotetrack.extract.arabic.tokens import Context
from quotetrack.types import Quote


def make_quote(ctx: Context, cue: Cue | None, content: tuple[str, int, int], speaker: Speaker | None) -> Quote:
    """The quote of ``content`` (kind, start, end), with its cue and speaker as written if any."""
    kind, start, end = content
    text = ctx.text
    quote = Quote(
        article_id="",
        kind=kind,
        content=text[start:end],
        content_start=start,
        content_end=end,
        language="ar",
        sentence=sentence_of(ctx, min(cue.start if cue else start, start), end),
    )
    if cue is not None:
        quote.cue, quote.cue_lemma = text[cue.start : cue.end], cue.lemma
        quote.cue_start, quote.cue_end = cue.start, cue.end
    if speaker is not None:
        quote.speaker_mention = text[speaker.mention_start : speaker.mention_end]
        quote.mention_start, quote.mention_end = speaker.mention_start, speaker.mention_end
        quote.speaker, quote.speaker_type, quote.role = speaker.name, speaker.speaker_type, speaker.role
    return quote


def sentence_of(ctx: Context, start: int, end: int) -> str:
    """The sentence(s) from the one holding ``start`` to the one holding ``end``."""
    starts = ctx.sentence_starts
    first = starts[bisect_right(starts, start) - 1] if starts and starts[0] <= start else 0
    k = bisect_left(starts, end)
    return ctx.text[first : starts[k] if k < len(starts) else len(ctx.text)].strip()


def sentence_index(ctx: Context, pos: int) -> int:
    """The number of the sentence holding ``pos``."""
    return bisect_right(ctx.sentence_starts, pos)
