"""quotetrack: quotes and attributions from news articles, with resolved speakers."""

from quotetrack.types import Alias, Article, Problem, Quote, Speaker, SpeakerRef

__all__ = ["Alias", "Article", "Problem", "Quote", "Speaker", "SpeakerRef"]
