"""Dependency-parse helpers of the English rules: spans of complements, subjects, names.

Pure functions over spaCy tokens, each small and testable on a hand-built ``Doc``.
Character spans are half-open ``(start, end)`` offsets into the document text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from weakref import WeakKeyDictionary

from spacy.tokens import Doc, Span, Token

SUBJECT_DEPS = {"nsubj", "nsubjpass"}
NAME_PARTICLES = {
    "al",
    "el",
    "-",
    "bin",
    "ibn",
    "abu",
    "abdul",
    "abd",
    "bint",
    "de",
    "van",
    "von",
    "der",
    "la",
    "le",
    "ben",
    "ould",
    "ag",
    "da",
    "di",
    "du",
}
EDGE_PUNCT = set(" \t\n,.;:!?-–—\"'“”‘’«»()[]")
# verbs whose object is the addressee, so an object does not rule out a clausal complement
ADDRESSEE_VERBS = {"tell", "inform", "assure", "remind", "warn", "advise", "notify", "promise", "convince", "urge"}
# verbs whose noun-phrase object can itself be the statement: "Merkel confirmed her readiness ..."
NP_STATEMENT_VERBS = {"confirm", "affirm", "announce", "deny", "reiterate", "stress", "emphasize", "emphasise"}
MIN_NP_STATEMENT_TOKENS = 6
# nouns whose that-clause is their own content ("in the event that", "on the grounds that"),
# unlike a venue's ("said during a news conference that ...")
CONTENT_CLAUSE_NOUNS = {
    "assumption",
    "basis",
    "belief",
    "case",
    "chance",
    "concern",
    "condition",
    "event",
    "evidence",
    "expectation",
    "fact",
    "fear",
    "grounds",
    "hope",
    "idea",
    "knowledge",
    "notion",
    "possibility",
    "premise",
    "sense",
    "understanding",
    "view",
}


_texts: WeakKeyDictionary[Doc, str] = WeakKeyDictionary()


def doc_text(doc: Doc) -> str:
    """``doc.text``, built once per document: spaCy joins every token on each access (the
    component works on a batch of documents at a time, so one cached text is not enough)."""
    text = _texts.get(doc)
    if text is None:
        text = _texts[doc] = doc.text
    return text


def clean_text(span: Span | str) -> str:
    text = span if isinstance(span, str) else span.text
    return re.sub(r"\s+", " ", text).strip(" ,;:-–—")


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) of ``doc``'s text past edge punctuation, white space and a leading
    complementizer ("said that the war ..."), never a "that" the clause is about ("I think
    that hurt him")."""
    text = doc_text(doc)
    while start < end and text[start] in EDGE_PUNCT:
        start += 1
    # the text test first: this runs for every frame candidate, and most never start so
    word = doc.char_span(start, start + 4) if text[start : start + 4].lower() == "that" else None
    if word is not None and word[0].dep_ == "mark":
        start += 4
        while start < end and text[start] in EDGE_PUNCT:
            start += 1
    while end > start and text[end - 1] in EDGE_PUNCT:
        end -= 1
    return start, end


def overlaps(a_start: int, a_end: int, b_start: int, b_end: int) -> bool:
    return a_start < b_end and b_start < a_end


def in_word(tok: Token) -> bool:
    """A hyphen joining two words ("two-thirds"), not a dash setting a phrase off."""
    return tok.text == "-" and tok.i > 0 and not tok.whitespace_ and not tok.nbor(-1).whitespace_


def mention_tokens(head: Token) -> list[Token]:
    """The subject phrase without relative clauses, appositions or anything after a comma."""
    skip: set[int] = set()
    for c in head.children:
        if c.dep_ in ("relcl", "appos", "advcl", "acl") and (c.dep_ != "acl" or c.tag_ == "VBG" or c.i > head.i + 1):
            skip.update(t.i for t in c.subtree)
        if c.dep_ == "punct" and c.i > head.i and not in_word(c):
            skip.update(t.i for t in head.subtree if t.i >= c.i)
    toks = [t for t in head.subtree if t.i not in skip]
    # stop at a comma or dash inside the kept part, on the side away from the head
    out: list[Token] = []
    for t in toks:
        if t.text in (",", "-", "–", "—", "(") and t.i > head.i and not in_word(t):
            break
        if t.text in ("-", "–", "—") and t.i < head.i and not in_word(t):
            out = []  # a dateline or an aside before it: "BRUSSELS - European leaders"
            continue
        if "\n" in t.text:
            out = [] if t.i < head.i else out
            if t.i > head.i:
                break
            continue
        out.append(t)
    while out and (out[0].is_punct or out[0].is_space):  # a no-break space is a token of its own
        out.pop(0)
    while out and (out[-1].is_punct or out[-1].is_space):
        out.pop()
    return out


def relative_antecedent(pronoun: Token) -> Token | None:
    """The noun a relative pronoun subject stands for ("the senator, who said ..." → senator)."""
    clause = pronoun.head
    if not (pronoun.tag_ in ("WP", "WDT") and pronoun.dep_ == "nsubj" and clause.dep_ == "relcl"):
        return None
    noun = clause.head
    if pronoun.i > 0 and pronoun.nbor(-1).text == ",":
        # set off by a comma it tells about the person an apposition describes: "Peter Morgan,
        # a lawyer for the Sierra Club, who has ..." (the parser hangs it on "Club")
        if noun.dep_ == "pobj" and noun.head.head.dep_ == "appos":
            noun = noun.head.head
        if noun.dep_ == "appos":
            noun = noun.head
    return copula_subject(noun) or noun


def copula_subject(noun: Token) -> Token | None:
    """The subject a predicate noun describes: "Trump is a serial liar, ... and birther who
    has pledged ..." → Trump (the clause tells about him, not about a person named "birther")."""
    while noun.dep_ in ("appos", "conj") and noun.head != noun:
        noun = noun.head
    if noun.dep_ != "attr" or noun.head.lemma_ != "be":
        return None
    # a name or a personal pronoun, not "Another possibility is a corporate attorney who ..."
    # nor "This is the group that ..."
    return next(
        (
            c
            for c in noun.head.children
            if c.dep_ in ("nsubj", "nsubjpass") and (c.pos_ == "PROPN" or (c.tag_ == "PRP" and c.lower_ != "it"))
        ),
        None,
    )


def name_run(head: Token, tokens: list[Token]) -> list[Token]:
    """The proper-noun run that ends at (or, for "Reuters news agency", modifies) the head."""
    by_i = {t.i: t for t in tokens}
    anchor = head
    if head.pos_ != "PROPN":
        props = [t for t in tokens if t.pos_ == "PROPN" and t.i < head.i]
        if not props:
            return []
        anchor = props[-1]
    run = [anchor]
    i = anchor.i - 1
    # an object of a preposition ends it: "Secretary of" State John Kerry
    while i in by_i and (by_i[i].pos_ == "PROPN" or by_i[i].lower_ in NAME_PARTICLES) and by_i[i].dep_ != "pobj":
        run.insert(0, by_i[i])
        i -= 1
    while run and run[0].lower_ == "-":
        run.pop(0)
    return run


def inverted_subject(cue_tok: Token) -> Token:
    """For "Warned Stéphanie Williams, ...": the last token of the name after the cue."""
    tok = cue_tok.nbor(1)
    while tok.i + 1 < len(tok.doc) and tok.nbor(1).pos_ == "PROPN":
        tok = tok.nbor(1)
    return tok


def complement_span(verb: Token | None, near: int | None = None) -> tuple[int, int] | None:
    """Character span of a reporting verb's clausal complement, trimmed.

    With several complements, the one containing (or else nearest to) offset ``near`` wins,
    else the first after the verb. A verb with a direct object takes a clause only when the
    object is the addressee ("told Y that ..."); for a few verbs a long object is itself the
    statement ("confirmed her country's readiness to ...").
    """
    if verb is None:
        return None
    lemma = verb.lemma_.lower()
    has_object = any(c.dep_ == "dobj" for c in verb.children)
    candidates = []
    for c in verb.children:
        if c.dep_ == "ccomp" or (c.dep_ == "xcomp" and any(g.dep_ in SUBJECT_DEPS for g in c.children)):
            if has_object and lemma not in ADDRESSEE_VERBS:
                continue
            candidates.append(_with_contrast(verb, c, _edges(c)))
        elif c.dep_ == "advcl" and opens_that_clause(c):
            candidates.append(_edges(c))  # "tweeted in the early morning hours that ..."
        elif ((c.dep_ == "dobj" and lemma in ADDRESSEE_VERBS) or c.dep_ == "prep") and (
            clause := misread_relative(c)
        ) is not None:
            candidates.append(_edges(clause))  # "told a meeting of leaders that few people understood ..."
        elif (
            c.dep_ == "dobj"
            and lemma in NP_STATEMENT_VERBS
            and verb.dep_ in ("ROOT", "conj")
            and len(list(c.subtree)) >= MIN_NP_STATEMENT_TOKENS
        ):
            candidates.append(_edges(c))
    candidates = [(s, e) for s, e in candidates if e - s > 3]
    if not candidates:
        return None
    if near is not None:
        return min(candidates, key=lambda r: 0 if r[0] <= near < r[1] else min(abs(r[0] - near), abs(r[1] - near)))
    after = [r for r in candidates if r[0] > verb.idx]
    return (after or candidates)[0]


OBJECT_DEPS = {"dobj", "xcomp", "prep", "dative", "oprd", "acomp"}
OBJECT_BREAKS = {",", ";", "—", "–", "("}
CLAUSE_BREAKS = {",", ";", "—", "–"}  # punctuation that ends a clause before the next one
SET_OFF_DEPS = {"relcl", "appos", "acl", "advcl", "npadvmod"}
OBJECT_PREPS = {"for", "on", "against", "about", "of", "to", "as", "with", "in"}


def object_span(verb: Token) -> tuple[int, int] | None:
    """ "urged Republicans to vote ..." · "called for a ceasefire": the objects after the verb."""
    parts = [c for c in verb.rights if c.dep_ in OBJECT_DEPS and (c.dep_ != "prep" or c.lower_ in OBJECT_PREPS)]
    if not parts:
        return None
    doc = verb.doc
    last = phrase_last(parts[0], parts[-1].right_edge.i)
    start, end = trim(doc, parts[0].left_edge.idx, doc[last].idx + len(doc[last]))
    return (start, end) if end - start > 3 else None


def phrase_last(head: Token, last: int | None = None) -> int:
    """Index of the last token of ``head``'s phrase (or of the phrases up to token ``last``),
    stopping before a clause set off after the head: ", which ...", ", the latest chapter
    ..." comment on the phrase and are not part of it; a list ("Crimea, Ukraine and Syria")
    is."""
    doc = head.doc
    last = head.right_edge.i if last is None else last
    for t in doc[head.i + 1 : last + 1]:
        edge = t.left_edge.i
        if t.dep_ in SET_OFF_DEPS and edge > head.i and doc[edge - 1].text in OBJECT_BREAKS:
            return edge - 2
    return last


def misread_relative(phrase: Token) -> Token | None:
    """A "relative clause" inside a cue's object or prepositional phrase that is really the
    cue's that-clause: the parser's reading of "told a meeting of leaders that few people
    understood ..." and "reported at the time that the editor conveyed ..."."""
    for tok in phrase.subtree:
        if tok.dep_ == "relcl" and tok.head.lemma_.lower() not in CONTENT_CLAUSE_NOUNS and opens_that_clause(tok):
            return tok
    return None


def opens_that_clause(verb: Token) -> bool:
    """Whether ``verb`` heads a clause that opens with a complementizer "that" and has its own
    subject (whatever the parser labelled it)."""
    first = verb.left_edge
    return (
        first.lower_ == "that"
        and first.head == verb
        and first.dep_ in ("mark", "advmod")
        and any(c.dep_ in SUBJECT_DEPS for c in verb.children)
    )


def _with_contrast(verb: Token, comp: Token, span: tuple[int, int]) -> tuple[int, int]:
    """A complement with the contrasting clause the parser hung on the reporting verb: "said
    Syria could have elections, but it will take four years" reports both (a "but" clause
    with a subject of its own, not itself a report: "but declined to say" is not)."""
    conj = next((c for c in verb.children if c.dep_ == "conj" and c.i > comp.i), None)
    cc = next((c for c in verb.children if c.dep_ == "cc" and comp.i < c.i < (conj.i if conj else -1)), None)
    if (
        conj is None
        or cc is None
        or cc.lower_ != "but"
        or conj.lemma_ == verb.lemma_
        or not any(g.dep_ in SUBJECT_DEPS for g in conj.children)
        or any(t.is_quote for t in conj.subtree)
    ):  # a quotation of its own: its own statement
        return span
    return span[0], max(span[1], _edges(conj)[1])


def _edges(tok: Token) -> tuple[int, int]:
    right = tok.right_edge
    return trim(tok.doc, tok.left_edge.idx, right.idx + len(right))


def parenthetical_clause(verb: Token) -> tuple[int, int] | None:
    """ "X did Y, sources said" · "Y, he said, Z": the clause a parenthetical cue comments on.

    The cue is cut off when it stands at either end; in the middle the clause keeps it, since
    content must be one stretch of text.
    """
    head, doc = verb.head, verb.doc
    if verb.dep_ not in ("parataxis", "advcl") or head == verb:
        return None
    while head.pos_ not in ("VERB", "AUX") and head.dep_ in SUBJECT_DEPS:
        head = head.head  # "The difference now, he told me, is ...": hung on the subject, about its clause
    while head.dep_ == "advcl" and head.head.i > verb.i:
        head = head.head  # "Though X was seamless, he said, Y would be ...": about the whole sentence
    addressed = verb.lemma_.lower() in ADDRESSEE_VERBS  # "Y, Trump told CNN on Friday, Z"
    if any(c.dep_ in ("ccomp", "xcomp") or (c.dep_ in ("dobj", "prep") and not addressed) for c in verb.rights):
        return None  # the verb has its own object: not a parenthetical "sources said"
    marks = ",—–-"
    # the cue's own words, without a clause the parser hung on it ("Though X was seamless, he said, Y")
    own = [c for c in verb.children if c.dep_ not in ("advcl", "conj", "cc", "punct")]
    left = min([verb.i, *(c.left_edge.i for c in own)])
    right = max([verb.i, *(c.right_edge.i for c in own)])
    # the commas may hang off the verb itself ("The museum, Mr. Bush said, celebrated ...")
    set_off = (
        doc[left].text in marks
        or doc[right].text in marks
        or (left > 0 and doc[left - 1].text in marks)
        or (right + 1 < len(doc) and doc[right + 1].text in marks)
    )
    if not set_off:
        return None
    c_start, c_end = head.left_edge.idx, head.right_edge.idx + len(head.right_edge)
    v_start, v_end = doc[left].idx, doc[right].idx + len(doc[right])
    if v_end >= c_end - 2:
        c_end = v_start
    elif v_start <= c_start + 2:
        c_start = v_end
    start, end = trim(doc, c_start, c_end)
    return (start, end) if len(doc_text(doc)[start:end].split()) >= 4 else None


def phrase_end(doc: Doc, start: int, sent_end: int) -> int:
    """End token of the source phrase after a pattern cue: up to the next comma, but take
    an appositive name along ("a member of the Council, Al-Qasim Dabars,")."""
    i = start
    while i < sent_end and doc[i].text not in (",", ";", ":", ".") and "\n" not in doc[i].text:
        i += 1
    if i < sent_end and doc[i].text == ",":
        j = i + 1
        while j < sent_end and (doc[j].pos_ == "PROPN" or doc[j].text == "-"):
            j += 1
        if j > i + 1 and j < sent_end and doc[j].text == ",":
            return j
    return i


def inner_source(head: Token) -> Token:
    """ "a statement by the Libyan government" → government; an appositive name → the name."""
    if head.lemma_.lower() in ("statement", "report", "source", "spokesman", "spokeswoman", "release", "member"):
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from"):
                pobj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    return pobj
    return head


def words_after(doc: Doc, i: int, n: int) -> Iterator[Token]:
    """Up to ``n`` tokens from ``doc[i]`` on, within the line; a parenthesis ("Rep. Jim
    McDermott (D-Wash.) said") does not count."""
    depth = 0
    for tok in doc[i : i + 3 * n]:
        if "\n" in tok.text or n <= 0:
            return
        depth += "(" in tok.text
        if depth == 0:
            n -= 1
        depth -= ")" in tok.text and depth > 0
        yield tok


def own_statement(tok: Token, floor: int) -> int | None:
    """Where a conjoined cue clause with its own subject breaks off (the comma of ", and he
    railed against ..."), or None. "... and that X" is the same cue's second complement, and
    without the comma the clause is usually still the speaker's ("... is complex and he
    feels he can win")."""
    if tok.dep_ != "conj" or not any(c.dep_ == "nsubj" for c in tok.children):
        return None
    if any(c.dep_ == "mark" for c in tok.children):
        return None
    before = tok.left_edge.i - 1
    while before > floor and tok.doc[before].dep_ == "cc":
        before -= 1
    return before if before > floor and tok.doc[before].text in CLAUSE_BREAKS else None


def in_title_case(tok: Token) -> bool:
    """Whether the token's sentence is a headline in title case (the tagger calls most of its
    words proper nouns)."""
    words = [t for t in tok.sent if t.is_alpha and len(t) > 3]
    return len(words) >= 3 and sum(t.text[0].isupper() for t in words) >= 0.8 * len(words)
