"""Cut over-long pieces of text into parseable ones, at the gentlest boundary in reach.

spaCy refuses a text over ``nlp.max_length`` (error E088) and the parser's memory grows with
the text it is given, so a piece longer than ``limit`` characters is cut: at a paragraph
break if one lies in the last half of the window, else at a sentence end, else at a space,
else (a run with no space at all) at the limit itself. Pieces are character ranges of the
article text, so every offset a quote carries stays the article's. Each window is scanned
once: the cost is linear in the text.
"""

from __future__ import annotations

import re

# the default pipelines' max_length is 1,000,000; news paragraph groups are far shorter, and
# the parser's memory for a piece is bounded by this
PIECE_LIMIT = 100_000
SENTENCE_END = re.compile(r"[.!?…][\"”’')\]]*(?=\s)")
SPACE = re.compile(r"\s+")


def split_long(pieces: list[tuple[int, int]], text: str, limit: int | None = None) -> list[tuple[int, int]]:
    """``pieces`` with every range longer than ``limit`` (default ``PIECE_LIMIT``) cut into
    ranges of at most ``limit``."""
    limit = limit or PIECE_LIMIT
    if all(end - start <= limit for start, end in pieces):
        return pieces
    out: list[tuple[int, int]] = []
    for start, end in pieces:
        while end - start > limit:
            cut = _cut(text, start, start + limit)
            out.append((start, cut))
            start = _skip_space(text, cut, end)
        if end > start:
            out.append((start, end))
    return out


def _cut(text: str, start: int, stop: int) -> int:
    """Where to end a piece that starts at ``start`` and may run to ``stop`` (exclusive)."""
    floor = start + (stop - start) // 2  # cut no earlier than halfway: pieces stay large
    newline = text.rfind("\n", floor, stop)
    if newline > floor:
        return newline
    for pattern in (SENTENCE_END, SPACE):
        last = None
        for last in pattern.finditer(text, floor, stop):  # noqa: B007 - the last match is the one wanted
            pass
        if last is not None and last.end() > floor:
            return last.end() if pattern is SENTENCE_END else last.start()  # a space run: before it
    return stop


def _skip_space(text: str, pos: int, end: int) -> int:
    """The first non-space position from ``pos`` (a piece never starts with whitespace)."""
    while pos < end and text[pos].isspace():
        pos += 1
    return pos
