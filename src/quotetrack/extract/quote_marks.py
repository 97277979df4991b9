"""Pair quotation marks in raw text, tolerating the typography real news has.

Language-neutral and model-free: works on characters, so the English and Arabic extractors
share it. Odd counts, a quote opened with ``”``, a quote that never closes and escaped ``\\"``
never raise: what can be paired is paired, the rest is reported as problems (QT001, QT002).
A quote that runs over several paragraphs (each paragraph reopens it with the mark it opened
with, only the last closes) is one span.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

PARAGRAPH_BREAK = re.compile(r"\n")
TYPEWRITER_PAIRS = ("''", "``")  # archive copy's “ and ”
TWO_CHARACTER_MARKS = (*TYPEWRITER_PAIRS, '\\"')


@dataclass(frozen=True)
class QuoteSpan:
    """Character offsets of one quotation: ``start``/``end`` bound the content, marks excluded."""

    start: int
    end: int
    open_mark: str
    closed: bool = True  # False when the quote ran to the end of its paragraph unclosed


@lru_cache(maxsize=1)
def _marks() -> tuple[dict[str, str], dict[str, str]]:
    data = json.loads((files("quotetrack") / "data" / "quote_marks.json").read_text("utf-8"))
    return data["doubles"], data["singles"]


def _closes(open_mark: str, mark: str) -> bool:
    """Whether ``mark`` closes a quote opened with ``open_mark``; mixed typography is common."""
    if open_mark in "«»":
        return mark == ("»" if open_mark == "«" else "«")
    if open_mark == "‘":
        return mark == "’"
    return mark in '"”“' and not (open_mark == "“" and mark == "“")


def split_paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of every non-empty line: news paragraphs, as quotes reopen them."""
    spans, start = [], 0
    for m in PARAGRAPH_BREAK.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _find_marks(text: str, start: int, end: int, marks: dict[str, str]) -> list[tuple[int, int, str]]:
    """(position, length, mark) of every mark in text[start:end].

    Two-character marks count as a straight double quote: an escaped ``\\"`` and the
    typewriter pairs of two apostrophes or two backticks that archive copy uses for “ and ”.
    One regex scan: a Python loop over every character cost seconds on a text of megabytes.
    """
    found = []
    for m in _mark_pattern(tuple(marks)).finditer(text, start, end):
        i, ch = m.start(), m.group()
        if len(ch) == 2:
            found.append((i, 2, '"'))
        elif ch == '"' and i > start and text[i - 1] == "\\":
            found.append((i - 1, 2, ch))
        else:
            found.append((i, 1, ch))
    return found


@lru_cache(maxsize=4)
def _mark_pattern(marks: tuple[str, ...]) -> re.Pattern[str]:
    """The typewriter pairs first (as the scan tries them first), then any single mark."""
    return re.compile("|".join(re.escape(p) for p in TYPEWRITER_PAIRS) + f"|[{re.escape(''.join(marks))}]")


SINGLE_MARK = re.compile("[‘’]")


def _single_marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """‘ ’ marks that look like quotation marks rather than apostrophes."""
    found = []
    for m in SINGLE_MARK.finditer(text, start, end):
        i, ch = m.start(), m.group()
        before = text[i - 1] if i > start else " "
        after = text[i + 1] if i + 1 < end else " "
        if ch == "‘" and not before.isalnum():
            found.append((i, 1, ch))
        elif ch == "’" and not after.isalnum() and not before.isspace():
            found.append((i, 1, ch))
    return found


def pair_quote_marks(text: str) -> tuple[list[QuoteSpan], list[tuple[str, int, str]]]:
    """Find quotations in ``text``.

    Returns:
        (spans, problems): spans sorted by start, never overlapping; problems as
        ``(code, char_offset, message)`` tuples for unpaired or unclosed marks.
    """
    doubles, _ = _marks()
    spans: list[QuoteSpan] = []
    problems: list[tuple[str, int, str]] = []
    paragraphs = split_paragraphs(text)
    carry: tuple[int, str] | None = None  # quote left open at the end of the previous paragraph
    for n, (p_start, p_end) in enumerate(paragraphs):
        marks = _find_marks(text, p_start, p_end, doubles)
        if not marks and carry is None:
            marks = _single_marks(text, p_start, p_end)
        open_: tuple[int, str] | None = None
        if carry is not None:
            first = marks[0] if marks else None
            # a continued quote reopens the paragraph with the mark it opened with; its own closer ends it
            if first and text[p_start : first[0]].strip() == "" and first[2] == carry[1]:
                open_ = carry
                marks = marks[1:]
            else:
                spans.append(_unclosed(text, carry, paragraphs[n - 1][1]))
                problems.append(("QT002", carry[0], f"quote opened at offset {carry[0]} never closes"))
            carry = None
        for pos, length, mark in marks:
            if open_ is None:
                if mark == "’":
                    continue  # with nothing open, ’ is an apostrophe (forces’ control)
                if mark in "»" or (mark == "”" and _looks_closing(text, pos, p_start)):
                    problems.append(("QT001", pos, f"closing mark {mark!r} at offset {pos} has no opening mark"))
                    continue
                open_ = (pos + length, mark)
            elif _closes(open_[1], mark):
                if pos > open_[0]:
                    spans.append(QuoteSpan(open_[0], pos, open_[1]))
                open_ = None
        if open_ is not None:
            nxt = paragraphs[n + 1] if n + 1 < len(paragraphs) else None
            if nxt and text[nxt[0]] in doubles and text[nxt[0]] not in "»":
                carry = open_
            else:
                spans.append(_unclosed(text, open_, p_end))
                problems.append(("QT002", open_[0], f"quote opened at offset {open_[0]} never closes"))
    return [t for t in (_trim(text, s) for s in spans) if t.end > t.start], problems


def _trim(text: str, span: QuoteSpan) -> QuoteSpan:
    """Drop white space just inside the marks (`” We are ...` opens with a space)."""
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return QuoteSpan(start, end, span.open_mark, span.closed)


def marks_around(text: str, span: QuoteSpan) -> tuple[int, int] | None:
    """Offset of a closed quotation's opening mark and the offset just past its closing mark
    (two characters for the typewriter pairs and an escaped quote)."""
    if not span.closed:
        return None
    opener = span.start - 1
    while opener >= 0 and text[opener].isspace():
        opener -= 1
    closer = span.end
    while closer < len(text) and text[closer].isspace():
        closer += 1
    if opener < 0 or closer >= len(text):
        return None
    if opener > 0 and text[opener - 1 : opener + 1] in TWO_CHARACTER_MARKS:
        opener -= 1
    width = 2 if text[closer : closer + 2] in TWO_CHARACTER_MARKS else 1
    return opener, closer + width


def _looks_closing(text: str, pos: int, p_start: int) -> bool:
    """A ``”`` right after a word is a closer even with nothing open (a stray closer)."""
    return pos > p_start and not text[pos - 1].isspace()


def _unclosed(text: str, open_: tuple[int, str], p_end: int) -> QuoteSpan:
    return QuoteSpan(open_[0], p_end, open_[1], closed=False)
