"""Fold text for full-text search, so that one spelling of a word finds the others.

SQLite's FTS5 ``unicode61`` tokenizer folds case and Latin accents but not Arabic: ``أحمد``
and ``احمد``, ``محمد`` and ``مُحَمَّد``, ``الانتخابات`` and ``انتخابات`` are different words to
it. ``fold_text`` writes the folded form that the search index holds, and ``fold_text`` on
a query gives the words to look for, so both sides fold the same way:

- tashkeel (harakat, shadda, sukun, superscript alef) and tatweel are removed;
- alef with hamza or madda and alef wasla become bare alef; ``ؤ`` -> ``و``, ``ئ`` -> ``ي``;
- alef maqsura ``ى`` -> ``ي`` and ta marbuta ``ة`` -> ``ه``;
- the definite article is dropped with the one-letter words that stick to it (``و``/``ف``,
  then ``ب``/``ك``/``ل``): ``والانتخابات``, ``بالانتخابات`` and ``للانتخابات`` all index as
  ``انتخابات``. The article goes only when three letters remain, so ``الله`` stays whole.

Latin text is left as it is: the tokenizer already folds it.

``index_text`` is what the index stores: the folded text, and after it each folded word that
starts with the conjunction ``و`` or ``ف`` once more without it (``وأحمد`` is indexed as
``واحمد`` and ``احمد``), so a word is found after "and" too. The query is not cut the same
way: ``وزير`` (minister) must not turn into ``زير``.
"""

from __future__ import annotations

import re

# harakat, Quranic marks, superscript alef and tatweel
_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTERS = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ؤ": "و", "ئ": "ي", "ى": "ي", "ة": "ه"})
_ARABIC_WORD = re.compile("[\u0621-\u064a\u0660-\u0669\u066e-\u06d3]+")
# conjunction, then preposition, then the article; or conjunction + li + the article's lam
_ARTICLE = re.compile("^(?:[وف]?[بكل]?ال|[وف]?لل)(?=[\u0621-\u064a]{3})")


def fold_word(word: str) -> str:
    """Fold one Arabic word (marks already removed): letter forms, then the article."""
    return _ARTICLE.sub("", word.translate(_LETTERS))


def fold_text(text: str) -> str:
    """The text with every Arabic word folded; everything else unchanged."""
    return _ARABIC_WORD.sub(lambda m: fold_word(m.group()), _MARKS.sub("", text))


_CONJUNCTION = re.compile("^[وف](?=[\u0621-\u064a]{3})")


def index_text(text: str) -> str:
    """The folded text, followed by its words that start with a conjunction, without it."""
    folded = fold_text(text)
    bare = [_CONJUNCTION.sub("", w) for w in _ARABIC_WORD.findall(folded) if _CONJUNCTION.match(w)]
    return " ".join([folded, *bare]) if bare else folded


def fts_query(text: str) -> str:
    """An FTS5 query for every word of ``text`` (folded), each a quoted string: any quote
    marks, operators or brackets a reader types are searched for as text, never parsed."""
    words = re.findall(r"\w+", fold_text(text))
    return " ".join('"' + word.replace('"', '""') + '"' for word in words)
