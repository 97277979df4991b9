"""Quote records: building them, joining a split quotation's halves, carrying a speaker to
the quotation paragraph after, and pruning overlaps."""

from __future__ import annotations

import re
from bisect import bisect_right

from spacy.tokens import Doc

from quotetrack.extract.english.speakers import SpeakerInfo
from quotetrack.extract.quote_marks import QuoteSpan, marks_around
from quotetrack.extract.syntax import doc_text, overlaps
from quotetrack.types import Quote

EDGE_CHARS = " \t\"'“”‘’«»„"
QUOTED_SELF = {"i", "we", "you"}  # speakers that, inside a quotation, are the quoted person or the audience
CARRY_DISTANCE = 600  # a cue-less quotation paragraph inherits a speaker quoted this close before
MIN_CARRIED_WORDS = 2
# where a statement was made, which the parser often hangs inside the reported clause: "accused
# him of starting the war in an audio message posted on X" states "him of starting the war"
MEDIUM_TAIL = re.compile(
    r",?\s+(?:in|during|via)\s+(?:an?|the|his|her|its|their)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:statement|interview|speech|message|post|video|address|tweet|briefing|conference|remarks|broadcast)s?\b"
    r"[^“”\"]*$"
)


def carried_quotes(text: str, orphans: list[QuoteSpan], quotes: list[Quote]) -> list[Quote]:
    """A quotation that is a paragraph on its own, right after a quoted speaker, is theirs."""
    out = []
    for qs in orphans:
        p_start = text.rfind("\n", 0, qs.start) + 1
        p_end = text.find("\n", qs.end)
        p_end = len(text) if p_end < 0 else p_end
        outside = len(text[p_start : qs.start].strip(EDGE_CHARS)) + len(text[qs.end : p_end].strip(EDGE_CHARS))
        if outside > 3 or len(text[qs.start : qs.end].split()) < MIN_CARRIED_WORDS:
            continue
        before = [q for q in quotes if q.content_end <= qs.start and qs.start - q.content_end <= CARRY_DISTANCE]
        if not before:
            continue
        prev = max(before, key=lambda q: q.content_end)
        if prev.speaker_type == "anonymous" and not prev.speaker_mention:
            continue
        end = quotation_end(text, qs.start, qs.end)
        out.append(
            Quote(
                article_id="",
                kind="direct",
                content=text[qs.start : end],
                content_start=qs.start,
                content_end=end,
                speaker_mention=prev.speaker_mention,
                mention_start=prev.mention_start,
                mention_end=prev.mention_end,
                speaker=prev.speaker,
                article_speaker=prev.speaker,
                speaker_type=prev.speaker_type,
                role=prev.role,
                language="en",
            )
        )
    return out


def join_second_halves(
    text: str, spans: list[QuoteSpan], orphans: list[QuoteSpan], quotes: list[Quote]
) -> list[QuoteSpan]:
    """Join each cue-less quotation to the statement it continues (``"A," he said. "B."``, also
    when A is part of reported speech); return the quotations left over."""
    before = dict(zip(spans[1:], spans))
    rest = []
    for qs in orphans:
        last = before.get(qs)
        # no two statements hold the same text, so at most one holds the quotation before
        prev = next((q for q in quotes if last and q.content_start <= last.start <= q.content_end <= qs.start), None)
        if prev is not None and is_second_half(text, prev, last, qs.start):
            set_content_2(prev, text, qs.start, qs.end)
        else:
            rest.append(qs)
    return rest


def is_second_half(text: str, prev: Quote, last: QuoteSpan | None, start: int) -> bool:
    """Whether the quotation at ``start`` can be the second half of ``prev``: ``prev`` has none
    yet and holds ``last``, the quotation just before (so no other quotation comes between),
    and the two share a paragraph with ``prev``'s cue in between."""
    return (
        prev.content_2 is None
        and last is not None
        and prev.content_end >= last.start
        and "\n" not in text[prev.content_end : start]
        and prev.cue_start is not None
        and prev.content_end <= prev.cue_start < start
    )


def quotation_end(text: str, start: int, end: int) -> int:
    """End of a quotation's content: '"Q," X said' — the comma belongs to the sentence."""
    while end > start and text[end - 1] in ", ":
        end -= 1
    return end


def set_content_2(prev: Quote, text: str, start: int, end: int) -> None:
    """Join the second half of a split quotation to its statement.

    ``content`` then runs from the first half's start to the second half's end (one stretch
    of text, attribution included, as PolNeAR annotates it) and ``content_2`` holds the second
    half on its own.
    """
    end = quotation_end(text, start, end)
    prev.content_2, prev.content_2_start, prev.content_2_end = text[start:end], start, end
    prev.content, prev.content_end = text[prev.content_start : end], end


def make_quote(doc: Doc, kind: str, start: int, end: int, cue: tuple[int, int, str], speaker: SpeakerInfo) -> Quote:
    text = doc_text(doc)
    if kind != "direct" and (tail := MEDIUM_TAIL.search(text, start, end)) is not None:
        if len(text[start : tail.start()].split()) >= 3:
            end = tail.start()
    return Quote(
        article_id="",
        kind=kind,
        content=text[start:end],
        content_start=start,
        content_end=end,
        cue=text[cue[0] : cue[1]],
        cue_lemma=cue[2],
        cue_start=cue[0],
        cue_end=cue[1],
        speaker_mention=speaker.mention,
        mention_start=speaker.mention_start,
        mention_end=speaker.mention_end,
        speaker=speaker.name,
        article_speaker=speaker.name,
        speaker_type=speaker.speaker_type,
        role=speaker.role,
        language="en",
    )


def held_ranges(q: Quote) -> list[tuple[int, int]]:
    """The stretches of text a quote holds. A split quotation holds its two halves, not the
    attribution between them: '"A," DuVernay said, emphasizing why X. "B."' also states X."""
    if q.content_2_start is None or q.content_2_end is None:
        return [(q.content_start, q.content_end)]
    if q.cue_start is None or not q.content_start < q.cue_start < q.content_2_start:
        return [(q.content_start, q.content_end), (q.content_2_start, q.content_2_end)]
    first_end = q.cue_start
    if q.mention_start is not None and q.content_start < q.mention_start < first_end:
        first_end = q.mention_start
    return [(q.content_start, first_end), (q.content_2_start, q.content_2_end)]


def close_quotations(text: str, spans: list[QuoteSpan], quotes: list[Quote]) -> None:
    """Give a statement the quotation mark its edge cut off, so its content reads balanced:
    'Clinton called half of his supporters “deplorables.”' ends after the closing mark, and
    'that “exactly who did it” remains ...' starts at the opening one. A direct quote's
    content is the inside of its marks and stays so; nothing grows into another quote."""
    held = [r for q in quotes for r in held_ranges(q)]
    for q in quotes:
        if q.kind == "direct" or q.content_2 is not None:
            continue
        start, end = q.content_start, q.content_end
        for qs in spans:
            if (marks := marks_around(text, qs)) is None:
                continue
            opener, closer_end = marks
            if start <= opener < qs.start <= end <= qs.end and not text[end : qs.end].strip(" .,;:!?…"):
                end = closer_end
            elif qs.start <= start <= qs.end < closer_end <= end and not text[qs.start : start].strip():
                start = opener
        others = [r for r in held if r != (q.content_start, q.content_end)]
        if (start, end) != (q.content_start, q.content_end) and not any(overlaps(start, end, a, b) for a, b in others):
            q.content_start, q.content_end, q.content = start, end, text[start:end]


def fill_sentences(doc: Doc, quotes: list[Quote]) -> None:
    """Set each quote's ``sentence`` (the one holding its cue) in one pass over the sentences.

    ``Token.sent`` walks the whole document on every call, so it is never used per quote.
    """
    bounds = [(s.start_char, s.end_char) for s in doc.sents]
    starts = [b[0] for b in bounds]
    for q in quotes:
        anchor = q.cue_start if q.cue_start is not None else q.content_start
        s_start, s_end = bounds[max(0, bisect_right(starts, anchor) - 1)]
        q.sentence = doc_text(doc)[s_start:s_end].strip()


def said_within_quotation(quote: Quote, spans: list[QuoteSpan]) -> bool:
    """Whether a statement is the quoted person's own turn of phrase: "I think that hurt him",
    "you know", "we want" inside a quotation are part of it, not statements of their own
    (on PolNeAR train, 104 of 141 such were not annotated)."""
    return (
        quote.cue_start is not None
        and (quote.speaker_mention or "").lower() in QUOTED_SELF
        and any(s.start <= quote.cue_start < s.end for s in spans)
    )


def remove_overlaps(quotes: list[Quote]) -> list[Quote]:
    """Keep the first-found of overlapping quotes (colon lines, direct, reported, pattern).

    A cue inside a kept quote is the quoted person's own speech ("We affirmed that ..."
    inside a quotation), so a quote whose cue lies there is dropped too.
    """
    kept: list[Quote] = []
    taken: list[tuple[int, int]] = []  # the held ranges of ``kept``
    for q in quotes:
        held = held_ranges(q)
        if any(overlaps(a, b, c, d) for a, b in held for c, d in taken):
            continue
        if q.cue_start is not None and any(c <= q.cue_start < d for c, d in taken):
            continue
        kept.append(q)
        taken += held
    return sorted(kept, key=lambda q: q.content_start)
