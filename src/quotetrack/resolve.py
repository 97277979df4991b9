"""Corpus-wide speaker resolution: one ``Speaker`` per person, organization or anonymous source.

Works on plain records (``SpeakerRef``: what one article says about one speaker), never on
spaCy objects, and is recomputed on every build from the refs and the curation file.

Persons: refs are grouped by ``names.name_key`` (so Haftar/Hifter, Sarraj/Sarraaj and
Gaddafi/Gadhafi/Qaddafi/Kadhafi are one group), then groups are taken fullest first and each
joins its *best* existing speaker, compared with that speaker's canonical name only, so
unrelated names never chain. Candidates come from a blocking index of surname skeletons and
their one-letter deletions (SymSpell-style), so the cost stays about linear. A name that fits
several known people equally (a bare surname, an initial) stays with the one its own article
names, else on its own. Organizations merge on a normalized name; anonymous sources never
merge across articles.

Speaker ids are stable across builds: ``p-``/``o-``/``a-`` plus a short hash of the key of
the speaker's canonical name, unless the curation file (``data/speakers.yml``) pins one.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib.resources import files
from quotetrack import names
from quotetrack.curation import CuratedSpeaker, Curation
from quotetrack.types import Alias, Quote, Speaker, SpeakerRef

# An Arabic-script name -> its likely Latin spellings, best first. The Arabic extractor plugs
# one in; a romanized spelling joins a Latin speaker only on a STRONG score, never a weak one.
Romanizer = Callable[[str], list[str]]

# Why an alias joined its speaker, strongest first; an alias seen under several keeps the first.
#   canonical   the speaker's canonical name
#   curated     listed for this speaker in the curation file
#   same-key    another spelling with the same name key (Haftar / Hifter)
#   similar     as many name parts, surnames above names.STRONG
#   shorter     fewer parts (a bare surname, a dropped middle name) fitting one known person
#   romanized   an Arabic-script name whose romanization matches
#   declared    another name an article declares for them ("also known as", a nickname)
#   in-article  a mention its article links to the speaker's name (names.link_variants)
RULES = ("canonical", "curated", "same-key", "similar", "shorter", "romanized", "declared", "in-article")


# --- from quotes to refs -------------------------------------------------------------------


def speaker_refs(quotes: Iterable[Quote]) -> list[SpeakerRef]:
    """Group quotes into one ``SpeakerRef`` per (article, in-article speaker, speaker type).

    The in-article speaker is ``quote.article_speaker`` or else ``quote.speaker``.
    ``aliases`` are that name and the mentions that name the speaker: for a person, the
    mentions the variant matcher links to the name, titles dropped (so "He" or "the
    spokesman" are left out); otherwise every mention but a pronoun.
    """
    refs: dict[tuple[str, str, str], SpeakerRef] = {}
    for quote in quotes:
        name = quote.article_speaker or quote.speaker
        if not name:
            continue
        stype = quote.speaker_type or "person"
        ref = refs.get((quote.article_id, name, stype))
        if ref is None:
            ref = refs[quote.article_id, name, stype] = SpeakerRef(
                article_id=quote.article_id,
                name=name,
                speaker_type=stype,
                aliases=[name],
                language=quote.language,
                quotes=0,
            )
        ref.quotes += 1
        for alias in [_alias_of(quote.speaker_mention, name, stype), *quote.speaker_other_names]:
            if alias and alias not in ref.aliases:
                ref.aliases.append(alias)
        if quote.role and quote.role not in ref.roles:
            ref.roles.append(quote.role)
        ref.gender = ref.gender or quote.speaker_gender
    return list(refs.values())


def _alias_of(mention: str | None, name: str, speaker_type: str) -> str | None:
    """The alias a mention gives its speaker, or None when it does not name them."""
    if not mention or not mention.strip():
        return None
    if speaker_type != "person":
        return None if mention.casefold() in _pronouns() else mention
    mention = names.strip_title(mention)
    score = names.name_similarity(names.parse_name(mention), names.parse_name(name))
    return mention if score >= names.WEAK else None


def other_names(ref: SpeakerRef) -> list[str]:
    """The names a person ref's article declares besides its own ("also known as"): its
    aliases that are no spelling of its name (a mention only joins as one)."""
    if ref.speaker_type != "person":
        return []
    return list(_declared(ref.name, tuple(ref.aliases)))


@lru_cache(maxsize=names.CACHE_SIZE)  # a big speaker's refs repeat the same few names
def _declared(name: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    parsed = names.parse_name(names.strip_title(name))
    return tuple(
        a for a in aliases if names.name_similarity(names.parse_name(names.strip_title(a)), parsed) < names.WEAK
    )


@lru_cache(maxsize=1)
def _pronouns() -> frozenset[str]:
    """Pronouns of every language the extractor knows (``data/speakers/*_pronouns.txt``)."""
    folder = files("quotetrack").joinpath("data", "speakers")
    return frozenset(
        line.split()[0].casefold()
        for entry in folder.iterdir()
        if entry.name.endswith("_pronouns.txt")
        for line in names.data_lines("speakers", entry.name)
    )


# --- what can interact: for incremental resolution (quotetrack.speaker_index) --------------
#
# Refs join speakers group by group; a group only ever meets the clusters of groups that
# share a blocking key with it (persons), its own key (organizations) or its article
# (anonymous), and the curated speakers; quotes find their speaker by (article, name), so
# refs of one article with the same name but another type are linked too. So the groups connected by those links form
# independent parts: resolving a part alone gives what a whole-corpus resolution gives it.


def group_key(ref: SpeakerRef, person_key: Callable[[str], str]) -> str:
    """The group a ref resolves with, type included (the key ``resolve_speakers`` groups on)."""
    if ref.speaker_type == "person":
        key = person_key(ref.name) or ref.name.casefold()
    elif ref.speaker_type == "organization":
        key = names.org_key(ref.name) or ref.name.casefold()
    else:
        key = f"{ref.article_id}\x1f{' '.join(ref.name.casefold().split())}"
    return f"{ref.speaker_type}\x1f{key}"


def block_keys(ref: SpeakerRef, romanize: Romanizer | None = None) -> set[str]:
    """Blocking keys a person ref's group may look up: of its name as a group spelling and of
    its romanizations (a superset of what the resolver looks up, so parts are never too small)."""
    if ref.speaker_type != "person":
        return set()
    spelling = names.strip_title(ref.name)
    parsed = names.parse_name(spelling)
    keys = _Blocks.keys(parsed)
    for other in other_names(ref):
        keys |= _Blocks.keys(names.parse_name(names.strip_title(other)))
    if parsed.is_arabic and romanize:
        for latin in romanize(spelling):
            keys |= _Blocks.keys(names.parse_name(latin))
    return keys


def curated_links(curation: Curation) -> list[tuple[set[str], set[str]]]:
    """(group keys, blocking keys) of every curated speaker: what links groups to it."""
    person_key = person_key_for(curation)
    links = []
    for entry in curation.speakers:
        cluster = _curated_cluster(entry, person_key)
        blocks = _Blocks.keys(cluster.parsed) if entry.speaker_type == "person" else set()
        links.append(({f"{entry.speaker_type}\x1f{k}" for k in cluster.keys}, blocks))
    return links


def person_key_for(curation: Curation) -> Callable[[str], str]:
    """The key persons group on under this curation (never-merge splits refine it)."""
    return _person_key(curation.never_merge)


# --- resolution ----------------------------------------------------------------------------


@dataclass
class _Cluster:
    """A speaker being built: canonical name, the keys it holds, the refs that joined."""

    name: str
    speaker_type: str
    key: str  # key of the canonical name: the id derives from it
    keys: set[str] = field(default_factory=set)
    pinned_id: str | None = None
    joins: list[tuple[SpeakerRef, str, float]] = field(default_factory=list)
    quotes: int = 0
    others: list[names.Name] = field(default_factory=list)  # names declared for them
    parsed: names.Name = field(init=False)

    def __post_init__(self) -> None:
        self.parsed = names.parse_name(self.name)


@dataclass
class Resolution:
    """The speakers of a corpus and which article names belong to them."""

    speakers: list[Speaker]
    # (article_id, surface form) -> speaker id, for every name and alias of every ref
    members: dict[tuple[str, str], str] = field(default_factory=dict)
    # (article_id, name, speaker_type) of each ref -> the speaker it joined
    joined: dict[tuple[str, str, str], str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self._by_id = {speaker.id: speaker for speaker in self.speakers}

    @cached_property
    def _by_key(self) -> dict[tuple[str, str], str]:
        """(article_id, lookup key) -> speaker id: built on the first inexact lookup."""
        return {(article, _lookup_key(name)): sid for (article, name), sid in self.members.items()}

    def speaker_for(self, article_id: str, name: str) -> Speaker | None:
        """The speaker a name stands for in one article (any of its spellings), or None."""
        sid = self.members.get((article_id, name)) or self._by_key.get((article_id, _lookup_key(name)))
        return self._by_id.get(sid) if sid else None


def resolve_speakers(
    refs: Iterable[SpeakerRef],
    curation: Curation | None = None,
    *,
    romanize: Romanizer | None = None,
    taken: Iterable[str] = (),
) -> Resolution:
    """Resolve what articles say about speakers into one ``Speaker`` per real speaker.

    Args:
        refs: one record per (article, speaker), e.g. from ``speaker_refs``.
        curation: the editor's merges, splits, names and pinned ids (``load_curation``).
        romanize: Latin spellings of an Arabic-script name, to link it to Latin speakers.
        taken: speaker ids already in use elsewhere (an incremental resolution of part
            of a corpus): a new speaker whose id hash collides gets a suffix instead.
    Returns:
        the speakers, most quoted first, each alias with the rule and score it joined by.
    """
    curation = curation or Curation()
    by_type: dict[str, list[SpeakerRef]] = defaultdict(list)
    for ref in refs:
        by_type[ref.speaker_type].append(ref)
    person_key = _person_key(curation.never_merge)
    curated = [_curated_cluster(entry, person_key) for entry in curation.speakers]
    clusters = _resolve_persons(
        by_type.pop("person", []),
        [c for c in curated if c.speaker_type == "person"],
        curation.never_merge,
        person_key,
        romanize,
    )
    clusters += _resolve_organizations(
        by_type.pop("organization", []), [c for c in curated if c.speaker_type == "organization"]
    )
    clusters += _resolve_anonymous([ref for rest in by_type.values() for ref in rest])
    return _resolution(clusters, set(taken))


def _lookup_key(name: str) -> str:
    """Key of a surface form for ``speaker_for``: the name key, else the folded text."""
    return names.name_key(name) or " ".join(name.casefold().split())


def _person_key(never_merge: list[list[str]]) -> Callable[[str], str]:
    """``names.name_key``, refined by spelling for never-merge names that share a key.

    Two spellings with one key are normally one group; an editor who splits them (say
    "Mohamed Hamdi" and "Mohamed Hamadi", both "mohammed hmd") gets a group for each.
    """
    keys = Counter(names.name_key(name) for group in never_merge for name in set(group))
    split = {_spelled(name) for group in never_merge for name in group if keys[names.name_key(name)] > 1}

    def key(name: str) -> str:
        base = names.name_key(name)
        return f"{base}|{_spelled(name)}" if split and _spelled(name) in split else base

    return key


def _spelled(name: str) -> str:
    return " ".join(names.strip_title(name).casefold().split())


def _curated_cluster(entry: CuratedSpeaker, person_key: Callable[[str], str]) -> _Cluster:
    key_of = person_key if entry.speaker_type == "person" else names.org_key
    key = key_of(entry.name)
    return _Cluster(
        name=entry.name,
        speaker_type=entry.speaker_type,
        key=key,
        pinned_id=entry.id,
        keys={key} | {key_of(a) for a in entry.aliases},
    )


def _group(refs: Iterable[SpeakerRef], key: Callable[[str], str]) -> dict[str, list[SpeakerRef]]:
    groups: dict[str, list[SpeakerRef]] = defaultdict(list)
    for ref in refs:
        groups[key(ref.name) or ref.name.casefold()].append(ref)
    return groups


def _spelling(refs: list[SpeakerRef]) -> str:
    """The group's most quoted spelling (ties: alphabetical); a person's without titles (an
    organization keeps its words: "General Motors", "Justice Department")."""
    counts: Counter[str] = Counter()
    for ref in refs:
        counts[names.strip_title(ref.name) if ref.speaker_type == "person" else ref.name] += ref.quotes
    return min(counts.items(), key=lambda item: (-item[1], item[0]))[0]


class _Blocks:
    """Person clusters by surname skeleton and its one-letter deletions (SymSpell blocking).

    Deletions only for skeletons of ``DELETE_FROM`` letters or more: a shorter pair one
    letter apart scores below ``names.STRONG`` anyway (``dbrs``/``dbr``: 0.857).
    """

    DELETE_FROM = 6

    def __init__(self) -> None:
        self.blocks: dict[str, list[_Cluster]] = defaultdict(list)

    @classmethod
    def keys(cls, name: names.Name) -> set[str]:
        if not name.keys:
            return set()
        surname = name.keys[-1]
        if len(surname) < cls.DELETE_FROM:
            return {surname}
        return {surname} | {surname[:i] + surname[i + 1 :] for i in range(len(surname))}

    def add(self, cluster: _Cluster, name: names.Name | None = None) -> None:
        """Index a cluster under its canonical name, or under another ``name`` of it."""
        for key in self.keys(name or cluster.parsed):
            if cluster not in self.blocks[key]:
                self.blocks[key].append(cluster)

    def candidates(self, name: names.Name) -> list[_Cluster]:
        seen: dict[int, _Cluster] = {}
        for key in self.keys(name):
            for cluster in self.blocks.get(key, ()):
                seen.setdefault(id(cluster), cluster)
        return list(seen.values())


def _resolve_persons(
    refs: list[SpeakerRef],
    curated: list[_Cluster],
    never_merge: list[list[str]],
    person_key: Callable[[str], str],
    romanize: Romanizer | None,
) -> list[_Cluster]:
    """Person clusters: groups by name key, fullest first, each to its best speaker."""
    never = {frozenset((person_key(a), person_key(b))) for group in never_merge for a in group for b in group if a != b}
    clusters = list(curated)
    blocks = _Blocks()
    for cluster in curated:
        blocks.add(cluster)
    curated_by_key = {key: c for c in curated for key in c.keys}
    named_in: dict[str, set[int]] = defaultdict(set)  # article -> ids of clusters named there
    groups = _group(refs, person_key)
    spellings = {key: _spelling(members) for key, members in groups.items()}

    def order(key: str) -> tuple:
        parsed = names.parse_name(spellings[key])
        return parsed.is_arabic, -len(parsed.parts), -sum(r.quotes for r in groups[key]), key

    for key in sorted(groups, key=order):
        members, spelling = groups[key], spellings[key]
        parsed = names.parse_name(spelling)
        if key in curated_by_key:
            target = curated_by_key[key]
            _join(target, members, "same-key" if key == target.key else "curated", 1.0, key, named_in)
            continue
        tries = [parsed]
        if parsed.is_arabic and romanize:
            tries += [names.parse_name(latin) for latin in romanize(spelling)]
        declared = [names.parse_name(names.strip_title(o)) for ref in members for o in other_names(ref)]
        scored = _candidates(key, tries + declared, blocks, never)
        fallback: _Cluster | None = None
        # a name that fits one known person (or none) goes the same way in every article
        for batch in [[ref] for ref in members] if _ambiguous(parsed, scored) else [members]:
            chosen, score = _choose(parsed, scored, named_in[batch[0].article_id])
            if chosen is None:
                if fallback is None:
                    fallback = _Cluster(name=spelling, speaker_type="person", key=key, keys={key})
                    clusters.append(fallback)
                    blocks.add(fallback)
                chosen, score = fallback, 1.0
            _join(chosen, batch, _rule(key, parsed, chosen), score, key, named_in)
            for other in declared:
                if other not in chosen.others:
                    chosen.others.append(other)
                    blocks.add(chosen, other)
    return clusters


def _candidates(
    key: str, tries: list[names.Name], blocks: _Blocks, never: set[frozenset[str]]
) -> list[tuple[float, _Cluster]]:
    """Clusters a name may join (score >= STRONG, not forbidden), best first.

    Ties go to the fuller canonical name, then to the most quoted speaker.
    """
    best: dict[int, tuple[float, _Cluster]] = {}
    for name in tries:
        for cluster in blocks.candidates(name):
            if never and any(frozenset((key, k)) in never for k in cluster.keys):
                continue
            score = max(names.name_similarity(name, known) for known in [cluster.parsed, *cluster.others])
            if score >= names.STRONG and score > best.get(id(cluster), (0.0,))[0]:
                best[id(cluster)] = (score, cluster)
    return sorted(best.values(), key=lambda sc: (-sc[0], -len(sc[1].parsed.parts), -sc[1].quotes))


def _choose(
    name: names.Name, scored: list[tuple[float, _Cluster]], named_here: set[int]
) -> tuple[_Cluster | None, float]:
    """The cluster one ref joins: the best, unless the name fits several people equally.

    A name less specific than every candidate (fewer parts, or an initial) that fits two or
    more of them goes to the one its article names, if exactly one; else to none.
    """
    if not scored:
        return None, 0.0
    if _ambiguous(name, scored):
        here = [(score, c) for score, c in scored if id(c) in named_here]
        return (here[0][1], here[0][0]) if len(here) == 1 else (None, 0.0)
    return scored[0][1], scored[0][0]


def _ambiguous(name: names.Name, scored: list[tuple[float, _Cluster]]) -> bool:
    """Whether a name fits two or more candidates and is less specific than all of them."""
    return len(scored) > 1 and (
        any(len(part) == 1 for part in name.parts)
        or all(len(name.parts) < len(cluster.parsed.parts) for _, cluster in scored)
    )


def _rule(key: str, name: names.Name, cluster: _Cluster) -> str:
    """Why a group of refs joins a cluster (see ``RULES``)."""
    if key == cluster.key:
        return "same-key"
    if name.is_arabic != cluster.parsed.is_arabic:
        return "romanized"
    if names.name_similarity(name, cluster.parsed) < names.STRONG:
        return "declared"  # it joined through a name declared for the speaker
    return "shorter" if len(name.parts) < len(cluster.parsed.parts) else "similar"


def _join(
    cluster: _Cluster,
    refs: list[SpeakerRef],
    rule: str,
    score: float,
    key: str,
    named_in: dict[str, set[int]] | None = None,
) -> None:
    cluster.keys.add(key)
    for ref in refs:
        cluster.joins.append((ref, rule, score))
        cluster.quotes += ref.quotes
        if named_in is not None:
            named_in[ref.article_id].add(id(cluster))


def _resolve_organizations(refs: list[SpeakerRef], curated: list[_Cluster]) -> list[_Cluster]:
    """Organization clusters: one per normalized name (or curated spelling)."""
    clusters = list(curated)
    curated_by_key = {key: c for c in curated for key in c.keys}
    for key, members in sorted(_group(refs, names.org_key).items()):
        cluster = curated_by_key.get(key)
        if cluster is None:
            cluster = _Cluster(name=_spelling(members), speaker_type="organization", key=key, keys={key})
            clusters.append(cluster)
        _join(cluster, members, "same-key" if cluster.key == key else "curated", 1.0, key)
    return clusters


def _resolve_anonymous(refs: list[SpeakerRef]) -> list[_Cluster]:
    """Anonymous sources (and unknown types): one speaker per article and description."""
    clusters: dict[tuple[str, str], _Cluster] = {}
    for ref in refs:
        key = f"{ref.article_id}\x1f{' '.join(ref.name.casefold().split())}"
        cluster = clusters.get((ref.speaker_type, key))
        if cluster is None:
            cluster = clusters[ref.speaker_type, key] = _Cluster(
                name=ref.name, speaker_type=ref.speaker_type, key=key, keys={key}
            )
        _join(cluster, [ref], "same-key", 1.0, key)
    return list(clusters.values())


def _resolution(clusters: list[_Cluster], taken: set[str]) -> Resolution:
    """Turn clusters into speakers with stable ids, aliases, roles and counts."""
    speakers: list[Speaker] = []
    members: dict[tuple[str, str], str] = {}
    joined: dict[tuple[str, str, str], str] = {}
    taken |= {c.pinned_id for c in clusters if c.pinned_id}
    for cluster in clusters:
        if not cluster.joins:
            continue  # a curated speaker no article mentions
        sid = cluster.pinned_id or _free_id(_PREFIX.get(cluster.speaker_type, "a-"), cluster.key, taken)
        speakers.append(_speaker(cluster, sid))
        for ref, _, _ in cluster.joins:
            joined[ref.article_id, ref.name, ref.speaker_type] = sid
            for name in [ref.name, *ref.aliases]:
                members[ref.article_id, name] = sid
    speakers.sort(key=lambda s: (-s.quote_count, s.name, s.id))
    return Resolution(speakers=speakers, members=members, joined=joined)


_PREFIX = {"person": "p-", "organization": "o-"}


def _free_id(prefix: str, key: str, taken: set[str]) -> str:
    """``prefix`` + a short hash of ``key``; ``-2``, ``-3``... when already taken."""
    base = prefix + hashlib.blake2b(key.encode("utf-8"), digest_size=5).hexdigest()
    sid, n = base, 1
    while sid in taken:
        n += 1
        sid = f"{base}-{n}"
    taken.add(sid)
    return sid


def _speaker(cluster: _Cluster, sid: str) -> Speaker:
    """One ``Speaker``: alias count = number of articles using that spelling."""
    aliases: dict[str, Alias] = {}
    roles: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    for ref, rule, score in cluster.joins:
        roles.update(ref.roles)
        genders.update([ref.gender] if ref.gender else [])
        _add_alias(aliases, sid, ref.name, "canonical" if ref.name == cluster.name else rule, score)
        for form, form_rule, form_score in _alias_forms(ref.speaker_type, ref.name, tuple(ref.aliases)):
            _add_alias(aliases, sid, form, form_rule, form_score)
    return Speaker(
        id=sid,
        name=cluster.name,
        speaker_type=cluster.speaker_type,
        roles=[role for role, _ in roles.most_common()],
        aliases=sorted(aliases.values(), key=alias_order),
        quote_count=cluster.quotes,
        gender=genders.most_common(1)[0][0] if len(genders) == 1 else None,  # articles that disagree: unknown
    )


def alias_order(alias: Alias) -> tuple[int, int, str]:
    """Sort key of a speaker's aliases: strongest rule first, then most used."""
    rank = RULES.index(alias.rule) if alias.rule in RULES else len(RULES)
    return rank, -alias.count, alias.name


@lru_cache(maxsize=names.CACHE_SIZE)  # a big speaker's refs repeat the same few names
def _alias_forms(speaker_type: str, name: str, aliases: tuple[str, ...]) -> tuple[tuple[str, str, float], ...]:
    """(alias, rule, score) of a ref's other mentions: declared names, else in-article ones
    (scored against its name when a person's)."""
    if speaker_type != "person":
        return tuple((alias, "in-article", 1.0) for alias in aliases if alias != name)
    declared, parsed = _declared(name, aliases), names.parse_name(name)
    return tuple(
        (alias, "declared", 1.0)
        if alias in declared
        else (alias, "in-article", names.name_similarity(names.parse_name(alias), parsed))
        for alias in aliases
        if alias != name
    )


def _add_alias(aliases: dict[str, Alias], sid: str, name: str, rule: str, score: float) -> None:
    """Count one more article for a spelling; keep the strongest rule it joined by."""
    seen = aliases.get(name)
    if seen is None:
        aliases[name] = Alias(name, sid, rule, round(score, 3))
        return
    if RULES.index(rule) < RULES.index(seen.rule):
        seen.rule, seen.score = rule, round(score, 3)
    seen.count += 1


def apply_resolution(quotes: Iterable[Quote], resolution: Resolution) -> Iterator[Quote]:
    """Set each quote's ``speaker_id`` and canonical ``speaker``; keep ``article_speaker``.

    Quotes are updated in place and yielded; a quote without speaker passes unchanged.
    """
    for quote in quotes:
        name = quote.article_speaker or quote.speaker
        speaker = resolution.speaker_for(quote.article_id, name) if name else None
        if speaker is not None:
            quote.article_speaker = name
            quote.speaker = speaker.name
            quote.speaker_id = speaker.id
        yield quote
