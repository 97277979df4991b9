"""Arabic speakers: split a speaker phrase into name, role and type; find person names in an article."""

from __future__ import annotations

from dataclasses import dataclass

from quotetrack.extract.arabic.frames import _possessive, is_complementizer
from quotetrack.extract.arabic.tokens import (
    PREPOSITIONS,
    QUOTE_CHARS,
    Context,
    Lexicons,
    Tok,
    is_preposition,
    strip_article,
)

AMBIGUOUS_PREPOSITIONS = {"على"}  # folds onto the given name علي
NAME_COMPOUNDS = ("عبد", "ابو")  # عبد الحميد, أبو بكر: a name starts here
NISBA = ("ي", "يه", "يون", "يين")  # relational adjectives: تركي, عسكرية, ليبيون
# after a role without a name these open the verb's own complement, not the speaker phrase:
# "وحذر المتحدث من تداول ..." (warned against)
COMPLEMENT_PREPOSITIONS = {"من", "عن", "الي"}
# function words that are never part of a name (normalized)
FUNCTION_WORDS = {
    "هذا",
    "هذه",
    "ذلك",
    "تلك",
    "هءلاء",
    "مثل",
    "كل",
    "بعض",
    "غير",
    "الذي",
    "التي",
    "الذين",
    "هو",
    "هي",
    "اما",
    "واما",
    "ثم",
    "كما",
    "لكن",
    "ولكن",
    "حيث",
    "اذ",
    "بل",
    "قد",
    "وقد",
    "لقد",
    "ان",
    "لا",
    "لم",
    "لن",
}
GENERAL = {"عام", "العام"}  # أمين عام: secretary-general
GROUP_ENDINGS = ("يون", "يين")  # الحوثيون, الإسلاميين: a named group, not a person
MAX_NAME = 4  # words in a personal name
MAX_PLAIN_NAME = 3  # an unknown speaker phrase longer than this is not taken for a name


@dataclass
class Speaker:
    """Who a speaker phrase names: mention offsets, name (or description), type and role."""

    mention_start: int
    mention_end: int
    name: str
    speaker_type: str
    role: str | None = None


def is_given_name(tok: Tok, lex: Lexicons) -> bool:
    """A token that starts a personal name: a listed given name, or an عبد/أبو compound."""
    if tok.text in AMBIGUOUS_PREPOSITIONS:
        return False
    return (
        tok.norm in lex.given_names
        or tok.norm in NAME_COMPOUNDS
        or (tok.norm.startswith(NAME_COMPOUNDS) and len(tok.norm) > 5)
    )  # عبدالله, أبوبكر written as one word


def _is_title(tok: Tok, lex: Lexicons) -> bool:
    return strip_article(tok.norm) in lex.titles


def name_start(seg: list[Tok], lex: Lexicons) -> int | None:
    """Index in ``seg`` where a personal name starts after a role or title, or None.

    A listed given name marks the start; failing that, a trailing run of up to three words
    that carry no article and no clitic preposition (``أنطونيو غوتيريش``).
    """
    for k, tok in enumerate(seg[1:], 1):
        if is_given_name(tok, lex):
            return k
    k = len(seg)
    if k > 2 and seg[-1].norm.startswith("ال") and _plain_word(seg[-2], lex):
        k -= 1  # إسراء المدلل: an unlisted given name before an al- surname
    while k > 1 and len(seg) - k < MAX_PLAIN_NAME and _plain_word(seg[k - 1], lex):
        k -= 1
    return None if k == len(seg) or seg[k - 1].norm in PREPOSITIONS else k


def name_end(seg: list[Tok], k: int, lex: Lexicons) -> int:
    """Index after the name starting at ``k``: it stops at a role word (``الناطق باسم ...``)."""
    end = k + 2 if seg[k].norm in NAME_COMPOUNDS else k + 1  # عبد الملك: الملك is part of the name here
    while end < len(seg) and end - k < MAX_NAME and not _is_title(seg[end], lex) and seg[end].norm not in PREPOSITIONS:
        end += 1
    return min(end, len(seg))


def _surname(tok: Tok, lex: Lexicons) -> bool:
    """A word that can follow a given name as a surname (حفتر, المسماري)."""
    if not tok.norm[0].isalpha() or tok.norm in PREPOSITIONS or tok.norm in lex.adverbs or is_complementizer(tok):
        return False
    return not ({tok.norm, strip_article(tok.norm)} & (lex.titles | lex.organizations | lex.anonymous | lex.settings))


def _plain_word(tok: Tok, lex: Lexicons) -> bool:
    """A word that may be part of a foreign or unlisted name (``غوتيريش``).

    Not a word with the article, a preposition, a lexicon word, or a relational adjective
    (``تركي``, ``عسكرية``: "مسؤول تركي" names nobody).
    """
    norm = tok.norm
    if norm.startswith(("ال", "بال", "لل", "وال")) or norm in PREPOSITIONS | FUNCTION_WORDS or not norm[0].isalpha():
        return False
    if norm.endswith(NISBA) and norm not in lex.given_names:
        return False
    known = lex.titles | lex.organizations | lex.anonymous
    if norm.startswith(("ل", "ب")) and norm[1:] in known:
        return False  # لحزب, بوزارة: a preposition on an institution noun
    return not ({norm, strip_article(norm)} & known)


def _name_then_role(seg: list[Tok], lex: Lexicons) -> int | None:
    """Where the role starts in ``سامح شكري وزير الخارجية`` (a name the lists do not know, then a
    title), or None: up to three plain words followed by a title word."""
    for k in range(1, min(MAX_PLAIN_NAME, len(seg) - 1) + 1):
        word = seg[k - 1]  # a surname may look like a relational adjective: شكري
        if not (_plain_word(word, lex) or (k > 1 and word.norm.endswith(NISBA) and _surname(word, lex))):
            return None
        if _is_title(seg[k], lex):
            return k if k > 1 else None  # one unknown word before a title is a noun: "وصف المبعوث"
    return None


def _title_reading(seg: list[Tok], lex: Lexicons) -> bool:
    """``أمين عام حزب الله``: a given name that is also a title, read as the title before عام."""
    return _is_title(seg[0], lex) and len(seg) > 1 and strip_article(seg[1].norm) in GENERAL


def _not_a_name(tok: Tok) -> bool:
    """A function word, or a preposition misspelt with a doubled letter (``إللى`` for إلى)."""
    return tok.norm in FUNCTION_WORDS or is_preposition(tok)


def _text(ctx: Context, toks: list[Tok]) -> str:
    """The text a token run covers, without quotation marks at its edges."""
    return ctx.text[toks[0].start : toks[-1].end].strip(QUOTE_CHARS + " ")


def _mention(ctx: Context, toks: list[Tok], speaker_type: str, role: str | None = None) -> Speaker:
    raw = ctx.text[toks[0].start : toks[-1].end]
    start = toks[0].start + len(raw) - len(raw.lstrip(QUOTE_CHARS + " "))
    end = toks[-1].end - (len(raw) - len(raw.rstrip(QUOTE_CHARS + " ")))
    return Speaker(start, end, ctx.text[start:end], speaker_type, role)


def pick_speaker(ctx: Context, seg: list[Tok]) -> Speaker | None:
    """Split one speaker phrase into name, role and type; None if it cannot be a speaker.

    Person: a phrase opening with a given name, or a title/role followed by a name (the
    words around the name are the role). Organization and anonymous: by the head word; the
    whole phrase is the description. A role without a name (``المتحدث باسم الحكومة``) is
    anonymous with that role; ``link_in_article`` may tie it to the person who holds it. A
    possessive noun (``سقوطها``, "its fall") or a long unknown phrase is no speaker.
    """
    lex = ctx.lex
    marks = _quote_marks_before(seg)
    seg = [t for t in seg if t.text.strip(QUOTE_CHARS)]
    if not seg:
        return None
    head = seg[0]
    head_words = {head.norm, strip_article(head.norm)}
    if head_words & lex.organizations:
        return _mention(ctx, seg, "organization")
    if head_words & lex.anonymous:
        return _mention(ctx, seg, "anonymous")
    if head_words & lex.settings:  # "وأوضح البيان أن": a statement or a programme, not a person
        return _mention(ctx, seg, "anonymous")
    if not _is_title(head, lex) and not is_given_name(head, lex) and (split := _name_then_role(seg, lex)):
        return _mention(ctx, seg[:split], "person", role=_text(ctx, seg[split:]))
    k = (
        0
        if is_given_name(head, lex) and not _title_reading(seg, lex)
        else (name_start(seg, lex) if _is_title(head, lex) else None)
    )
    if _is_title(head, lex) and any(t.norm in COMPLEMENT_PREPOSITIONS for t in seg[1 : k or None]):
        return None
    if k is None and _is_title(head, lex):
        return _mention(ctx, seg, "anonymous", role=_text(ctx, seg))
    if k is None:
        if _possessive(head.norm) or len(seg) > MAX_PLAIN_NAME or not head.norm[0].isalpha() or _not_a_name(head):
            return None
        if head.norm.startswith("ال") and head.norm.endswith(GROUP_ENDINGS):
            return _mention(ctx, seg, "organization")
        return _mention(ctx, seg, "person")
    end = name_end(seg, k, lex)
    if k in marks:  # a name in quotation marks ends at the closing one; a quoted nickname after it stays
        end = min([b for b in marks if k < b] + [end])
    roles = [_text(ctx, part) for part in (seg[:k], seg[end:]) if part]
    return _mention(ctx, seg[k:end], "person", role="; ".join(roles) or None)


def _quote_marks_before(seg: list[Tok]) -> set[int]:
    """Indices, among the words of ``seg``, of the words a quotation mark stands before
    (``رئيس الحكومة " عبدالحميد الدبيبة " تأكيده``: the name is between two marks)."""
    marks, words = set(), 0
    for tok in seg:
        if tok.text.strip(QUOTE_CHARS):
            words += 1
        else:
            marks.add(words)
    return marks


def frame_speaker(ctx: Context, segments: list[list[Tok]]) -> Speaker | None:
    """The speaker of a frame: the first phrase, completed by an apposition.

    ``قال العقيد أحمد المسماري، المتحدث باسم الجيش، إن`` adds the role after the name;
    ``قال المتحدث باسم الجيش، اللواء أحمد المسماري، إن`` finds the name after the role.
    """
    speaker = pick_speaker(ctx, segments[0])
    if speaker is None:
        return None
    for seg in segments[1:3]:
        other = pick_speaker(ctx, seg)
        if other is None:
            continue
        if speaker.speaker_type == "person" and other.speaker_type == "anonymous" and other.role:
            speaker.role = "; ".join(r for r in (speaker.role, other.role) if r)
        elif (
            speaker.speaker_type == "anonymous"
            and speaker.role
            and other.speaker_type == "person"
            and (other.role or is_given_name(seg[0], ctx.lex))
        ):  # "لوزير الخارجية، أحمد عوض بن مبارك،"
            other.role = "; ".join(r for r in (other.role, speaker.role) if r)
            speaker = other
    return speaker


def person_names(ctx: Context) -> list[tuple[int, str]]:
    """(offset, name) of every given name + surname in the article (``خليفة حفتر``).

    They let a bare surname (``حفتر``) link to the full name even when that is never quoted.
    """
    toks, names = ctx.toks, []
    for k, tok in enumerate(toks):
        if not is_given_name(tok, ctx.lex):
            continue
        last = k + 2 if tok.norm in NAME_COMPOUNDS else k + 1
        if last < len(toks) and _surname(toks[last], ctx.lex):
            names.append((tok.start, ctx.text[tok.start : toks[last].end]))
    return names
