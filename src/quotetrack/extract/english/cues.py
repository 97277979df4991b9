"""The English lexicons, and the reporting verbs (cues) they find."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.matcher import Matcher
from spacy.tokens import Doc, Token

from quotetrack.extract.frames import FrameModel, shipped_model
from quotetrack.extract.lexicons import cue_patterns, verb_forms, word_list, word_table


@dataclass
class CueRules:
    """The English lexicons and the cue rules over them; ``SpeakerRules`` and ``EnglishRules``
    build on it, so one instance carries every lexicon the rules read.

    The cues are verbs of speech and stated views; with a frame model (``--frames``) the verbs
    of positions, plans and perception (``cues/en_stances.txt``) count too.
    """

    cues: frozenset[str] = field(
        default_factory=lambda: word_list("cues", "en.txt") | word_list("cues", "en_objects.txt")
    )
    object_cues: frozenset[str] = field(default_factory=lambda: word_list("cues", "en_objects.txt"))
    titles: frozenset[str] = field(default_factory=lambda: word_list("titles", "en.txt"))
    org_nouns: frozenset[str] = field(default_factory=lambda: word_list("speakers", "en_organizations.txt"))
    line_labels: frozenset[str] = field(default_factory=lambda: word_list("speakers", "en_labels.txt"))
    pronouns: dict[str, str] = field(default_factory=lambda: word_table("speakers", "en_pronouns.txt"))
    frame_model: FrameModel | None = field(default_factory=shipped_model)  # None: lexicon cues only
    # the words the pipeline's lemmatizer knows (``QuoteFinder`` fills it in): a capitalized
    # bare noun outside them is a name the tagger missed ("Debre added ...")
    known_words: frozenset[str] | None = None

    def __post_init__(self) -> None:
        self._matcher: Matcher | None = None
        if self.frame_model is not None:  # PolNeAR style: positions and plans attribute too
            self.cues |= word_list("cues", "en_stances.txt")
            self.object_cues |= word_list("cues", "en_objects_stances.txt")

    def cue_phrase(self, tok: Token) -> tuple[int, int, str] | None:
        """(start_char, end_char, lemma) of the reporting verb at ``tok``, or None."""
        if tok.pos_ not in ("VERB", "AUX") and not tok.tag_.startswith("VB") and not self.misread_verb(tok):
            return None
        lemma = verb_forms(self.cues)[tok.lower_] if self.misread_verb(tok) else tok.lemma_.lower()
        for child in tok.rights:  # "point out", and the one object-bound cue, "as she put it"
            if child.dep_ in ("prt", "dobj") and f"{lemma} {child.lower_}" in self.cues:
                return tok.idx, child.idx + len(child), f"{lemma} {child.lower_}"
        if lemma in self.cues:
            return tok.idx, tok.idx + len(tok), lemma
        return None

    def misread_verb(self, tok: Token) -> bool:
        """A present-tense cue the tagger read as a plural noun heading the sentence, with a
        that-clause: "Egyptian President Abdel Fattah el-Sisi stresses that Egypt ..."."""
        return (
            tok.pos_ == "NOUN"
            and tok.dep_ == "ROOT"
            and tok.lower_.endswith("s")
            and verb_forms(self.cues).get(tok.lower_) in self.cues
            and any(c.dep_ == "ccomp" for c in tok.children)
        )

    def signal_words(self) -> frozenset[str]:
        """Every inflected form of a verb that may attribute: the cues, and the verbs the frame
        model holds to attribute (``FrameModel.likely_cues``). The pre-filter parses only the
        paragraphs that hold one, a quotation mark or a multi-word cue."""
        likely = self.frame_model.likely_cues() if self.frame_model is not None else frozenset()
        return frozenset(verb_forms(self.cues | likely))

    def mend_cue_lemmas(self, doc: Doc) -> None:
        """Give an inflected cue verb its lemma where the lemmatizer got it wrong ("hopes",
        "hoped", "hoping" → "hop" in en_core_web_sm 3.8), so cues, frame features and the
        stored ``cue_lemma`` all see "hope"."""
        for tok in doc:
            if tok.pos_ == "VERB" and tok.lemma_.lower() not in self.cues and (lemma := self.cue_lemma(tok.lower_)):
                tok.lemma_ = lemma

    def cue_lemma(self, word: str) -> str | None:
        """The cue lemma of an inflected word, for a verb the tagger took for a name ("Warned" →
        "warn") or the lemmatizer got wrong ("hopes" → "hope")."""
        lemma = verb_forms(self.cues).get(word)
        return lemma if lemma in self.cues else None

    def matcher(self, doc: Doc) -> Matcher:
        if self._matcher is None or self._matcher.vocab is not doc.vocab:  # type: ignore[attr-defined]  # not in spaCy's stub
            self._matcher = Matcher(doc.vocab)
            for entry in cue_patterns("en"):
                self._matcher.add(entry["label"], [entry["pattern"]])
        return self._matcher
