"""English attribution rules over a parsed spaCy ``Doc``.

Finders, each a small function over the dependency parse, feed one list of quotes:

- ``colon_lines`` (first, so a transcript turn keeps the cues inside it): ``PENCE: ...`` and
  headlines such as ``Poll: ...``.
- ``direct_quotes``: paired quotation marks whose clause hangs off a reporting verb, or
  that sit next to one (``"Q," X said`` · ``X said: "Q"`` · ``said X, the spokesman``);
  split quotes (``"A," he said. "B."``) become one statement with ``content_2``.
- ``reported_speech``: a reporting verb with a subject and a clausal complement
  (``X confirmed that ...``, zero-``that`` complements, ``..., noting that ...``).
- ``pattern_attributions``: multi-word cues from ``data/cue_patterns/en.jsonl``
  (``according to X``, ``from the point of view of X``).
- ``frame_attributions`` (last, never over what the others hold): verbs the lexicon does not
  list, or in a frame it does not cover, scored by the learned model of ``frames``.

Speaker choice (``pick_speaker``) splits the subject into the name, the role or title and the
speaker type. Linking pronouns and name variants across the article is ``linking``'s job.
The approach follows the dependency-pattern tradition (Krestel et al. 2008; Pareti's PARC
cues) extended to reported speech; it does not model speakers of unattributed quotes.

The package follows those jobs, each layer building on the one before: ``cues`` (the
lexicons, and the reporting verbs they find), ``speakers`` (a subject phrase's name, role and
type; the subject of a cue), ``signed`` (statements the layout signs: headlines, ``Name:``
lines, dashes), ``statements`` (the other finders, as ``EnglishRules``) and
``records`` (building, joining and pruning ``Quote`` records).
"""

from quotetrack.extract.english.records import held_ranges
from quotetrack.extract.english.speakers import SpeakerInfo
from quotetrack.extract.english.statements import EnglishRules

__all__ = ["EnglishRules", "SpeakerInfo", "held_ranges"]
