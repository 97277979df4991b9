"""The speaker curation file (``data/speakers.yml``): an editor's merges, names, pinned ids and
never-merge groups, read and checked with the file and line of each mistake. Applied by
``quotetrack.resolve`` on every resolution."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from quotetrack import names
from quotetrack.errors import CurationError

DEFAULT_CURATION = Path("data") / "speakers.yml"
CURATION_TYPES = ("person", "organization")


@dataclass
class CuratedSpeaker:
    """One ``speakers`` entry of the curation file."""

    name: str
    speaker_type: str = "person"
    id: str | None = None
    aliases: list[str] = field(default_factory=list)
    line: int | None = None


@dataclass
class Curation:
    """The editor's corrections, applied on every resolve.

    ``speakers`` merge spellings into one speaker, fix its canonical name and may pin its
    id; ``never_merge`` lists groups of names that must stay different speakers.
    """

    speakers: list[CuratedSpeaker] = field(default_factory=list)
    never_merge: list[list[str]] = field(default_factory=list)
    path: str | None = None


class _Located(dict):
    """A YAML mapping that remembers its line."""

    line: int | None = None


class _LineLoader(yaml.SafeLoader):
    """SafeLoader whose mappings carry their 1-based line, for error messages."""


def _construct_located(loader: _LineLoader, node: yaml.MappingNode) -> _Located:
    mapping = _Located(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_located)


def load_curation(path: str | Path | None = None) -> Curation:
    """Read the speaker curation file (default ``data/speakers.yml``).

    A missing file is an empty curation. A malformed one raises ``CurationError`` naming the
    file and, when known, the line.
    """
    path = Path(path) if path is not None else DEFAULT_CURATION
    if not path.exists():
        return Curation(path=str(path))
    try:
        data = yaml.load(path.read_text("utf-8"), Loader=_LineLoader)
    except yaml.MarkedYAMLError as e:
        line = e.problem_mark.line + 1 if e.problem_mark else None
        raise _curation_error(path, line, f"not valid YAML: {e.problem}") from e
    except (yaml.YAMLError, UnicodeDecodeError) as e:
        raise _curation_error(path, None, f"cannot be read: {e}") from e
    return _curation_from(data or _Located(), path)


def _curation_error(path: Path, line: int | None, reason: str) -> CurationError:
    where = f"{path}:{line}" if line else str(path)
    return CurationError(f"{where}: {reason}. See the comments at the top of {DEFAULT_CURATION}.")


def _curation_from(data: Any, path: Path) -> Curation:
    """Validate the parsed YAML and turn it into a ``Curation``."""
    if not isinstance(data, _Located):  # every mapping _LineLoader reads is one
        raise _curation_error(path, 1, "expected a mapping with 'speakers' and 'never_merge'")
    unknown = set(data) - {"speakers", "never_merge"}
    if unknown:
        raise _curation_error(
            path, data.line, f"unknown key {sorted(unknown)[0]!r}; expected 'speakers' and 'never_merge'"
        )
    speakers = [_curated_speaker(entry, path, data.line) for entry in _list_of(data, "speakers", path)]
    never = [_name_list(group, path, data.line, "a never_merge group") for group in _list_of(data, "never_merge", path)]
    for group in never:
        if len(group) < 2:
            raise _curation_error(path, data.line, f"never_merge group {group} needs two names")
    _check_claims(speakers, path)
    return Curation(speakers=speakers, never_merge=never, path=str(path))


def _list_of(data: _Located, key: str, path: Path) -> list:
    value = data.get(key) or []
    if not isinstance(value, list):
        raise _curation_error(path, data.line, f"{key!r} must be a list")
    return value


def _name_list(value: Any, path: Path, line: int | None, what: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise _curation_error(path, line, f"{what} must be a list of names, got {value!r}")
    return [v.strip() for v in value]


def _curated_speaker(entry: Any, path: Path, parent_line: int | None) -> CuratedSpeaker:
    line = getattr(entry, "line", parent_line)
    if not isinstance(entry, dict) or not isinstance(entry.get("name"), str):
        raise _curation_error(path, line, "each speakers entry needs a 'name' (a string)")
    unknown = set(entry) - {"name", "id", "type", "aliases"}
    if unknown:
        raise _curation_error(
            path,
            line,
            f"unknown key {sorted(unknown)[0]!r} in speaker {entry['name']!r}; expected name, id, type, aliases",
        )
    stype = entry.get("type", "person")
    if stype not in CURATION_TYPES:
        raise _curation_error(
            path, line, f"type {stype!r} of {entry['name']!r} must be one of {', '.join(CURATION_TYPES)}"
        )
    pinned = entry.get("id")
    if pinned is not None and not (isinstance(pinned, str) and re.fullmatch(r"[\w.-]+", pinned)):
        raise _curation_error(path, line, f"id {pinned!r} must be letters, digits, '-', '_', '.'")
    aliases = _name_list(entry.get("aliases") or [], path, line, f"aliases of {entry['name']!r}")
    return CuratedSpeaker(name=entry["name"].strip(), speaker_type=stype, id=pinned, aliases=aliases, line=line)


def _check_claims(speakers: list[CuratedSpeaker], path: Path) -> None:
    """No spelling (by key) or pinned id may belong to two curated speakers."""
    owner: dict[tuple[str, str], CuratedSpeaker] = {}
    ids: dict[str, CuratedSpeaker] = {}
    for entry in speakers:
        for name in [entry.name, *entry.aliases]:
            key = names.name_key(name) if entry.speaker_type == "person" else names.org_key(name)
            claim = (entry.speaker_type, key)
            first = owner.setdefault(claim, entry)
            if first is not entry:
                raise _curation_error(
                    path, entry.line, f"{name!r} is already a spelling of {first.name!r} (line {first.line})"
                )
        if entry.id and ids.setdefault(entry.id, entry) is not entry:
            raise _curation_error(path, entry.line, f"id {entry.id!r} is already pinned to {ids[entry.id].name!r}")
