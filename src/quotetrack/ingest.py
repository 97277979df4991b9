"""Read articles from files and folders: ``.txt``, ``.md``, ``.html``/``.htm`` and ``.jsonl``.

``read_articles`` turns paths into ``Article`` records and never raises for bad input: an
empty, binary, non-UTF-8, oversized or missing file, or a malformed JSONL line, becomes a
``Problem`` (codes in ``errors.PROBLEM_CODES``) and reading goes on with the next input.

Offsets: ``Article.text`` has exactly the length of the text that was read (the decoded
file, the JSONL ``text`` field, or the text trafilatura extracted from an HTML page), so
character offsets into it are offsets into the source. Metadata header lines and
boilerplate lines (``- Advertisement -``, cookie notices, "Related News" lists, reader
comments, copyright lines) are *blanked*: every character but newlines becomes a space.
The extractor therefore never sees them, yet nothing shifts.

No spaCy model is needed here.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import trafilatura
import yaml
from charset_normalizer import from_bytes

from quotetrack.types import Article, Problem

MAX_BYTES = 50 * 1024 * 1024
"""Largest single-article file read (50 MB). JSONL is streamed, so this caps each line."""

READERS = {".txt": "text", ".md": "text", ".html": "html", ".htm": "html", ".jsonl": "jsonl"}
METADATA_FIELDS = ("title", "outlet", "url", "published", "language")
# older names of a field, still read: "source" was the outlet's name before schema 4
FIELD_ALIASES = {"source": "outlet"}
HEADER_LINES = 8  # metadata headers are looked for in this many first lines only
BINARY_SNIFF = 8192  # bytes checked for NUL when deciding a file is binary
# byte-order marks -> codec (UTF-32 first: its little-endian mark starts with UTF-16's)
BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)
# The legacy encodings news files come in, the only ones guessed for a file that is not UTF-8:
# charset-normalizer picks mac_latin2 or cp775 for short French or English Latin-1 text when
# it may choose among all of Python's codecs (docs/notes/issue-25.md).
GUESSED_ENCODINGS = {
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
    "iso8859_15": "ISO-8859-15",
    "cp1256": "Windows-1256",
    "iso8859_6": "ISO-8859-6",
}

# ``Key: value`` header lines at the top of a text file -> Article field
_HEADER_KEYS = {
    "date": "published",
    "published": "published",
    "outlet": "outlet",
    "source": "outlet",
    "title": "title",
    "url": "url",
    "language": "language",
}
_HEADER_LINE = re.compile(r"[ \t]*(date|published|outlet|source|title|url|language)[ \t]*:[ \t]*(\S.*?)\s*", re.I)
_FRONT_MATTER = re.compile(r"---[ \t]*\r?\n(.*?\r?\n)(?:---|\.\.\.)[ \t]*(?:\r?\n|$)", re.S)

SHORT_LINE = 200  # one-line boilerplate rules only fire on lines this short or shorter
LIST_LINE = 160  # a "Related News" list runs on while its lines are this short or shorter
_SENTENCE_END = re.compile(r"[.!?:\"”’»]\s*$")
# one line of boilerplate, matched against the whole stripped line
_BOILERPLATE_LINE = re.compile(
    r"""
      [-–—_*\s]*(?:advertisement|advertising|sponsored|إعلان)[-–—_*\s]*
    | (?:read|see)\s+(?:also|more)\b.*
    | also\s+read\b.*
    | (?:اقرأ|إقرأ)\s+(?:أيضا|أيضاً)\b.*
    | .*\ball\s+rights\s+reserved\b.*
    | .*جميع\s+الحقوق\s+محفوظة.*
    | (?:copyright|©|\(c\)).*
    | .*\b(?:(?:this|our)\s+(?:web)?site|we)\s+uses?\s+cookies\b.*
    | .*\baccept\s+(?:all\s+)?cookies\b.*
    | .*\bcookie\s+(?:policy|settings|preferences|consent)\b.*
    """,
    re.I | re.X,
)
# a heading that opens a trailing block of headlines or comments
_SECTION_HEADER = re.compile(
    r"""
    (?:
      related\s+(?:news|articles|stories|posts|topics|content)
    | readers?'?\s*comments?
    | (?:add|leave|post)\s+(?:a|your)\s+comment
    | comments?\s*\(\d+\)
    | (?:more|latest|top)\s+(?:news|stories|from\s+.+)
    | (?:you\s+(?:may|might)\s+also\s+like|recommended(?:\s+for\s+you)?|most\s+(?:read|popular))
    | (?:أخبار|مواضيع|مقالات)\s+ذات\s+صلة
    | تعليقات(?:\s+القراء)?
    )
    [\s:(\d)]*
    """,
    re.I | re.X,
)

_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
LANGUAGE_SAMPLE = 20_000  # characters looked at by detect_language
_DATE_FORMATS = ("%b %d, %Y", "%B %d, %Y", "%b. %d, %Y", "%d %B %Y", "%d %b %Y", "%d/%m/%Y")


def read_articles(paths: Iterable[str | Path], *, max_bytes: int = MAX_BYTES) -> Iterator[Article | Problem]:
    """Read every article under ``paths``, yielding a ``Problem`` for each bad input.

    Folders are walked recursively in sorted order; only the suffixes in ``READERS`` are
    read there (hidden files skipped). A file named twice is read once.

    Args:
        paths: files and folders.
        max_bytes: size limit of one ``.txt``/``.md``/``.html`` file (QT105). ``.jsonl``
            files are read line by line, so a large JSONL corpus is fine; the limit then
            applies to each line.

    Yields:
        ``Article`` records (id = JSONL ``id``, else the file stem; ``path`` = the file, or
        ``file.jsonl:LINE``) and ``Problem`` records, in input order. An article whose id
        was already read from another place becomes a QT109 problem, so ids stay unique.
    """
    first_path: dict[str, str | None] = {}
    for item in _files(paths):
        records = [item] if isinstance(item, Problem) else _read_file(item, max_bytes)
        for record in records:
            if isinstance(record, Article):
                first = first_path.setdefault(record.id, record.path)
                if first != record.path:
                    yield _problem(record.path, "QT109", f"article id {record.id!r} was already read from {first}")
                    continue
            yield record


def count_inputs(paths: Iterable[str | Path]) -> int:
    """About how many records ``read_articles(paths)`` yields, cheaply: for a progress bar.

    One per file or missing path, one per non-blank JSONL line; nothing is decoded.
    """
    total = 0
    for item in _files(paths):
        if isinstance(item, Path) and READERS[item.suffix.lower()] == "jsonl":
            try:
                with item.open("rb") as f:
                    total += sum(1 for raw in f if raw.strip())
            except OSError:
                total += 1
        else:
            total += 1
    return total


def detect_language(text: str) -> str:
    """Guess an article's language from its script: ``ar``, ``en``, or ``und``.

    Only the script is looked at (no model): Arabic letters -> ``ar``; Latin letters ->
    ``en``, the one Latin-script language with an extractor; text mostly in another script,
    or with no letters at all, -> ``und`` (ISO 639 "undetermined").
    """
    sample = text[:LANGUAGE_SAMPLE]
    arabic = len(_ARABIC.findall(sample))
    latin = len(_LATIN.findall(sample))
    letters = sum(ch.isalpha() for ch in sample)
    if not letters or (arabic + latin) * 2 < letters:
        return "und"
    return "ar" if arabic > latin else "en"


def boilerplate_spans(text: str) -> list[tuple[int, int]]:
    """Find the ``(start, end)`` character spans of boilerplate lines in ``text``.

    A span covers one line without its line break. Boilerplate is a short line such as
    ``- Advertisement -``, a cookie notice, ``Read also: ...`` or a copyright line; and a
    section heading such as ``Related News`` or ``Readers Comments (0)`` together with the
    lines that follow it up to the first sentence: headlines, comment prompts and blank
    lines are short and do not end like a sentence. A genuine paragraph right after such a
    heading that lacks final punctuation is lost: the price of never quoting a
    "..., says Moscow" headline.
    """
    spans = []
    in_section = False
    for start, line in _lines(text):
        stripped = line.strip()
        if _SECTION_HEADER.fullmatch(stripped) and len(stripped) <= SHORT_LINE:
            in_section = True
        elif in_section and _is_prose(stripped):
            in_section = False
        if in_section or (len(stripped) <= SHORT_LINE and _BOILERPLATE_LINE.fullmatch(stripped)):
            spans.append((start, start + len(line.rstrip("\r\n"))))
    return spans


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """Blank ``spans`` of ``text`` with spaces, keeping newlines, so offsets do not move."""
    pieces = []
    end = 0
    for start, stop in sorted(spans):
        start = max(start, end)
        pieces.append(text[end:start])
        pieces.append(re.sub(r"[^\r\n]", " ", text[start:stop]))
        end = max(end, stop)
    pieces.append(text[end:])
    return "".join(pieces)


def header_metadata(text: str) -> tuple[dict[str, str], list[tuple[int, int]]]:
    """Read metadata from YAML front matter or ``Key: value`` lines at the top of ``text``.

    Recognized keys: Date/Published, Outlet (or Source), Title, URL, Language (any case). Header lines
    may follow a few short lines that are not sentences (seed 004 starts with the day it
    was saved); a sentence, or any other line after a header line, ends the header. Dates that parse become
    ``YYYY-MM-DD``; others are kept as written.

    Returns:
        the fields found (Article field names) and the spans of the header to blank.
    """
    front = _FRONT_MATTER.match(text)
    if front:
        try:
            data = yaml.safe_load(front.group(1))
        except yaml.YAMLError:
            data = None
        if isinstance(data, dict):
            items = ((str(k).lower(), v) for k, v in data.items() if v is not None)
            found = {_HEADER_KEYS[k]: str(v) for k, v in items if k in _HEADER_KEYS}
            return _clean_metadata(found), [front.span()]
    found, spans = {}, []
    for number, (start, line) in enumerate(_lines(text)):
        header = _HEADER_LINE.fullmatch(line.rstrip("\r\n"))
        if header:
            found.setdefault(_HEADER_KEYS[header.group(1).lower()], header.group(2))
            spans.append((start, start + len(line.rstrip("\r\n"))))
        elif (line.strip() and (spans or _is_prose(line))) or number >= HEADER_LINES:
            break
    return _clean_metadata(found), spans


def _files(paths: Iterable[str | Path]) -> Iterator[Path | Problem]:
    """Expand files and folders into readable files, once each, or problems."""
    seen: set[Path] = set()
    for given in paths:
        path = Path(given)
        if not path.exists():
            yield _problem(str(given), "QT106", "path does not exist")
            continue
        if path.is_dir():
            found = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in READERS
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        elif path.suffix.lower() in READERS:
            found = [path]
        else:
            expected = ", ".join(READERS)
            yield _problem(str(path), "QT108", f"unsupported file type {path.suffix!r}; expected one of {expected}")
            continue
        for file in found:
            if file.resolve() not in seen:
                seen.add(file.resolve())
                yield file


def _read_file(path: Path, max_bytes: int) -> Iterator[Article | Problem]:
    """Read one file of any supported type."""
    kind = READERS[path.suffix.lower()]
    try:
        if kind == "jsonl":
            yield from _read_jsonl(path, max_bytes)
            return
        size = path.stat().st_size
        if size > max_bytes:
            yield _problem(
                str(path),
                "QT105",
                f"file is {size / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit for one "
                "article; put large corpora in a .jsonl file (read line by line)",
            )
            return
        decoded = _decode(path.read_bytes(), str(path))
    except OSError as e:
        yield _problem(str(path), "QT100", f"cannot be read: {e.strerror or e}")
        return
    if isinstance(decoded, Problem):
        yield decoded
        return
    text, warning = decoded
    article = _html_article(path, text) if kind == "html" else _article(path.stem, text, str(path), {})
    if warning is not None and isinstance(article, Article):
        warning.article_id = article.id
        yield warning  # read before its article: see errors.INGEST_WARNINGS
    yield article


def _read_jsonl(path: Path, max_bytes: int) -> Iterator[Article | Problem]:
    """Stream a JSONL file: one article per line with ``id`` and ``text``."""
    with path.open("rb") as f:
        if b"\x00" in f.peek(BINARY_SNIFF)[:BINARY_SNIFF]:
            yield _problem(str(path), "QT102", "file looks binary (it contains NUL bytes); expected UTF-8 JSONL")
            return
        any_line = False
        for number, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            any_line = True
            if len(raw) > max_bytes:
                size = f"line is {len(raw) / 1e6:.1f} MB, over the {max_bytes / 1e6:.1f} MB limit"
                yield _problem(str(path), "QT105", size, line=number)
                continue
            yield _jsonl_article(path, number, raw)
    if not any_line:
        yield _problem(str(path), "QT101", "file is empty")


def _jsonl_article(path: Path, number: int, raw: bytes) -> Article | Problem:
    """Turn one JSONL line into an article, or say what is wrong with it."""
    where = str(path)
    try:
        record: Any = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as e:
        return _problem(where, "QT103", f"line is not valid UTF-8 (byte {e.start} of the line)", line=number)
    except json.JSONDecodeError as e:
        return _problem(where, "QT104", f"malformed JSON: {e.msg} at column {e.colno}", line=number)
    if not isinstance(record, dict):
        return _problem(where, "QT104", f"expected a JSON object, found {type(record).__name__}", line=number)
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return _problem(where, "QT107", 'line has no "text" (or it is empty)', line=number)
    article_id = record.get("id")
    article_id = f"{path.stem}:{number}" if article_id is None else str(article_id)
    fields = {FIELD_ALIASES.get(str(k), str(k)): v for k, v in record.items() if v is not None}
    given = {k: str(v) for k, v in fields.items() if k in METADATA_FIELDS}
    return _article(article_id, text, f"{path}:{number}", given)


def _html_article(path: Path, html: str) -> Article | Problem:
    """Extract the article text and metadata of a saved web page with trafilatura."""
    doc = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False)
    assert not isinstance(doc, dict)  # a dict only with the deprecated as_dict=True
    if doc is None or not (doc.text or "").strip():
        return _problem(str(path), "QT110", "no article text found in this HTML page")
    given = {"title": doc.title, "outlet": doc.sitename, "url": doc.url, "published": doc.date}
    return _article(path.stem, doc.text or "", str(path), {k: v for k, v in given.items() if v})


def _article(article_id: str, text: str, path: str, given: dict[str, str]) -> Article:
    """Build an Article: given metadata wins over header lines; headers and boilerplate blanked."""
    found, header_spans = header_metadata(text)
    fields = {**found, **_clean_metadata(given)}
    masked = mask(text, header_spans + boilerplate_spans(text))
    fields["language"] = fields.get("language") or detect_language(masked)  # extraction needs one
    return Article(id=article_id, text=masked, path=path, **fields)


def _clean_metadata(fields: dict[str, str]) -> dict[str, str]:
    """Normalize metadata values: strip them, ISO dates, lowercase primary language subtag."""
    clean = {k: v.strip() for k, v in fields.items() if v and v.strip()}
    if "published" in clean:
        clean["published"] = _iso_date(clean["published"])
    if "language" in clean:
        clean["language"] = clean["language"].lower().replace("_", "-").split("-")[0]
    return clean


def _iso_date(value: str) -> str:
    """``YYYY-MM-DD`` for the date formats news sites use; anything else as written."""
    try:
        return dt.date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(value, fmt).date().isoformat()
        except ValueError:
            continue
    return value


def _decode(data: bytes, path: str) -> tuple[str, Problem | None] | Problem:
    """Decode a whole file, or say why it cannot be an article.

    UTF-8 (with or without a BOM) and BOM-marked UTF-16/32 are read as they are; other text is
    decoded in the encoding charset-normalizer finds among ``GUESSED_ENCODINGS``, with a QT111
    warning naming it; bytes it cannot place stay a QT103 problem.

    Returns:
        The text and the warning (``None`` for UTF text), or the problem.
    """
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return _non_empty(data.decode(codec), path, None)
            except UnicodeDecodeError as e:
                return _problem(
                    path,
                    "QT103",
                    f"starts with a {codec.upper()} byte-order mark but is not {codec.upper()} (byte {e.start})",
                )
    if b"\x00" in data[:BINARY_SNIFF]:
        return _problem(path, "QT102", "file looks binary (it contains NUL bytes); expected UTF-8 text")
    try:
        return _non_empty(data.decode("utf-8-sig"), path, None)
    except UnicodeDecodeError as e:
        guess = _guess_encoding(data)
        if guess is None:
            line = data.count(b"\n", 0, e.start) + 1
            return _problem(
                path,
                "QT103",
                f"not valid UTF-8 (byte {e.start}) and no other encoding fits; re-save the file as UTF-8",
                line=line,
            )
    text, encoding = guess
    warning = _problem(
        path,
        "QT111",
        f"not UTF-8: read as {GUESSED_ENCODINGS[encoding]} "
        "(detected by charset-normalizer); re-save the file as UTF-8 to be sure",
    )
    return _non_empty(text, path, warning)


def _guess_encoding(data: bytes) -> tuple[str, str] | None:
    """(text, codec) when charset-normalizer is confident the bytes are text in one of
    ``GUESSED_ENCODINGS``; ``None`` when not, or when the file holds UTF-8 sequences (a UTF-8
    file with a few broken bytes must be repaired, not read as Windows-1252 mojibake)."""
    if any(ord(char) > 127 for char in data.decode("utf-8", errors="ignore")):
        return None
    best = from_bytes(data, cp_isolation=list(GUESSED_ENCODINGS)).best()
    if best is None or best.encoding not in GUESSED_ENCODINGS:
        return None
    return data.decode(best.encoding), best.encoding


def _non_empty(text: str, path: str, warning: Problem | None) -> tuple[str, Problem | None] | Problem:
    if not text.strip():
        return _problem(path, "QT101", "file is empty")
    return text, warning


def _is_prose(line: str) -> bool:
    """A line reads as prose when it is long or ends like a sentence."""
    return len(line.strip()) > LIST_LINE or bool(_SENTENCE_END.search(line))


def _lines(text: str) -> Iterator[tuple[int, str]]:
    """Yield ``(offset, line)`` for each line of ``text``, line breaks included."""
    offset = 0
    for line in text.splitlines(keepends=True):
        yield offset, line
        offset += len(line)


def _problem(path: str | None, code: str, message: str, *, line: int | None = None) -> Problem:
    return Problem(path=path, code=code, message=message, line=line, stage="ingest")
