"""Arabic-script person names -> candidate Latin spellings, to link speakers across scripts.

The corpus quotes the same people in Arabic and English articles (خليفة حفتر / Khalifa
Haftar). ``romanize_name`` gives the Latin spellings a name is likely written with in news;
``quotetrack.resolve`` compares each with its Latin speakers through the variant matcher of
``quotetrack.names`` and links only on a strong score.

The spellings come from arabic-name-romanizer (MIT): attested Latin spellings of Wikidata
names, looked up per name part, with a small offline ONNX model for parts nobody has spelled.
It gives real-world forms (``Ahmed Al-Mesmari``, ``Fayez al-Sarraj``), which the variant
matcher can compare, where a character transliterator gives consonant strings (``'hmd
lmsmry``). No spaCy, no network.
"""

from __future__ import annotations

import re
from functools import lru_cache

from arabic_name_romanizer import Transliterator

CANDIDATES = 5  # spellings per name: enough for the regional variants (Ahmed/Ahmad)
_ARABIC_LETTER = re.compile("[\u0620-\u064a\u066e-\u06d3]")


@lru_cache(maxsize=1)
def _transliterator() -> Transliterator:
    """The romanizer with its name index and model, loaded once per process."""
    return Transliterator()


def romanize_name(name: str) -> list[str]:
    """Candidate Latin spellings of an Arabic-script person name, most likely first.

    ``romanize_name("خليفة حفتر")[0] == "Khalifa Haftar"``. A name with no Arabic letters
    has no romanization: ``[]``.
    """
    return list(_romanized(" ".join(name.split())))


@lru_cache(maxsize=65536)
def _romanized(name: str) -> tuple[str, ...]:
    if not _ARABIC_LETTER.search(name):
        return ()
    return tuple(c.text for c in _transliterator().transliterate(name, top_k=CANDIDATES))
