"""Quote extraction: text in, quotes out. The only package that imports spaCy.

Public interface (used by ``api``/``cli``/``store``):

- ``load_pipeline(model=None, language="en") -> Language`` — the spaCy pipeline with the
  ``quotetrack_quotes`` component added; raises ``ModelNotInstalled``.
- ``extract_articles(articles, *, model=None, batch_size=32, workers=1)`` — yields one
  ``ArticleResult(article, quotes, problems)`` per article, in input order. Quotes carry
  in-article speaker linking (``speaker`` = ``article_speaker`` = fullest name in the
  article, pronouns resolved); corpus-wide resolution is ``quotetrack.resolve``'s job.
"""
