"""The curated actor knowledge base: load ``recoupe/data/actors/*.yaml``, validate, query.

The format is documented in ``recoupe/data/actors/README.md`` and, for one entry,
in ``recoupe/data/actors/schema.json``. Validation here is plain Python (the JSON
Schema is checked by the tests only) and stops at the first problem with a
:class:`~recoupe.errors.KnowledgeBaseError` naming the file and the entry.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Optional

import yaml

from recoupe.errors import KnowledgeBaseError

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "actors"

TYPES = ("state", "igo", "force", "group", "company", "person")
FILE_KEYS = frozenset({"description", "sources", "actors"})
ENTRY_KEYS = frozenset(
    {"id", "type", "names", "metonyms", "demonyms", "army", "part_of",
     "affiliated_with", "wikidata", "roles"}
)
ROLE_KEYS = frozenset({"title", "title_fr", "org", "start", "end"})
STATE_ONLY = ("metonyms", "army")
ADJECTIVE_TYPES = ("state", "igo")  # those with demonyms ("malien", "onusien")
REFERENCE_KEYS = ("part_of", "affiliated_with", "army")

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}(?:-(0[1-9]|1[0-2])(?:-(0[1-9]|[12]\d|3[01]))?)?$")
WIKIDATA_RE = re.compile(r"^Q[1-9]\d*$")
APOSTROPHES = "'\u2019\u02bc\u2018`\u00b4"


@dataclass(frozen=True)
class Role:
    """A position a person holds for a body (``org``), between two optional dates."""

    title: str
    org: Optional[str]
    start: Optional[str]
    end: Optional[str]
    title_fr: tuple[str, ...] = ()

    def holds_at(self, date: Optional[str]) -> bool:
        """True when ``date`` falls in [start, end]; a None date or a missing bound is open."""
        if date is None:
            return True
        if self.start is not None and _date_end(date) < _date_start(self.start):
            return False
        if self.end is not None and _date_start(date) > _date_end(self.end):
            return False
        return True


@dataclass(frozen=True)
class KBActor:
    """One actor of the knowledge base, as written in its data file."""

    id: str
    type: str
    names: tuple[str, ...]
    metonyms: tuple[str, ...] = ()
    demonyms: tuple[str, ...] = ()
    army: Optional[str] = None
    part_of: Optional[str] = None
    affiliated_with: Optional[str] = None
    wikidata: Optional[str] = None
    roles: tuple[Role, ...] = ()


@dataclass(frozen=True)
class Alias:
    """A surface form of an actor: a name, a metonym or a demonym, as written in the data."""

    text: str
    actor_id: str
    kind: str  # "name" | "metonym" | "demonym"


class KnowledgeBase:
    """Every actor of the data files, by id; built by :meth:`load`."""

    def __init__(self, actors: dict[str, KBActor]):
        self.actors = actors

    @classmethod
    def load(cls, directory: Optional[Path] = None) -> "KnowledgeBase":
        """Load and validate every ``*.yaml`` of ``directory`` (default: the package's data)."""
        directory = Path(directory) if directory is not None else DATA_DIR
        files = sorted(directory.glob("*.yaml"))
        if not files:
            raise KnowledgeBaseError(f"{directory}: no *.yaml knowledge-base file found")
        actors: dict[str, KBActor] = {}
        origin: dict[str, str] = {}
        for path in files:
            for actor in _read_file(path):
                if actor.id in actors:
                    raise KnowledgeBaseError(
                        f"{path.name}: entry '{actor.id}': duplicate id "
                        f"(already defined in {origin[actor.id]})"
                    )
                actors[actor.id] = actor
                origin[actor.id] = path.name
        _check_references(actors, origin)
        _check_unique_aliases(actors, origin)
        return cls(actors)

    def get(self, actor_id: str) -> Optional[KBActor]:
        """The actor with this id, or None."""
        return self.actors.get(actor_id)

    def aliases(self) -> list[Alias]:
        """Every name, metonym and demonym of every actor."""
        out: list[Alias] = []
        for actor in self.actors.values():
            out.extend(_actor_aliases(actor))
        return out

    def role_at(self, person_id: str, date: Optional[str]) -> Optional[Role]:
        """The role held at ``date`` (the latest-starting that holds), else the last role, else None."""
        actor = self.actors.get(person_id)
        if actor is None or not actor.roles:
            return None
        holding = [role for role in actor.roles if role.holds_at(date)]
        if holding:
            return max(holding, key=_role_sort_key)
        return max(actor.roles, key=_role_sort_key)

    def army_of(self, state_id: str) -> Optional[str]:
        """The id of the national armed forces of a state, or None."""
        actor = self.actors.get(state_id)
        return actor.army if actor is not None else None

    @staticmethod
    def slug(name: str) -> str:
        """The ontology's id rule: drop accents, lowercase, apostrophes and spaces to '-'."""
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch))
        text = text.lower()
        for ch in APOSTROPHES:
            text = text.replace(ch, "-")
        text = re.sub(r"\s+", "-", text)
        text = re.sub(r"[^a-z0-9-]", "", text)
        return re.sub(r"-{2,}", "-", text).strip("-")


def _date_start(value: str) -> tuple[int, int, int]:
    """The first day a YYYY[-MM[-DD]] date covers, as (year, month, day)."""
    parts = [int(p) for p in value.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)


def _date_end(value: str) -> tuple[int, int, int]:
    """The last day a YYYY[-MM[-DD]] date covers, as (year, month, day)."""
    parts = [int(p) for p in value.split("-")]
    return (parts[0], parts[1] if len(parts) > 1 else 12, parts[2] if len(parts) > 2 else 31)


def _role_sort_key(role: Role) -> tuple[int, int, int]:
    """Roles ordered by start date; a role without start sorts first."""
    return _date_start(role.start) if role.start else (0, 0, 0)


def _actor_aliases(actor: KBActor) -> Iterable[Alias]:
    """The aliases of one actor, names first."""
    for kind, texts in (("name", actor.names), ("metonym", actor.metonyms),
                        ("demonym", actor.demonyms)):
        for text in texts:
            yield Alias(text=text, actor_id=actor.id, kind=kind)


def _read_file(path: Path) -> list[KBActor]:
    """Parse and check one data file; its actors."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        reason = " ".join(str(exc).split())
        raise KnowledgeBaseError(f"{path.name}: cannot be read as YAML: {reason}") from None
    if not isinstance(data, dict):
        raise KnowledgeBaseError(f"{path.name}: the file must be a mapping with 'actors'")
    unknown = sorted(set(data) - FILE_KEYS)
    if unknown:
        raise KnowledgeBaseError(f"{path.name}: unknown top-level key(s): {', '.join(unknown)}")
    if not isinstance(data.get("description"), str) or not data["description"].strip():
        raise KnowledgeBaseError(f"{path.name}: 'description' must be a non-empty string")
    _check_string_list(data.get("sources"), f"{path.name}: 'sources'", allow_empty=False)
    entries = data.get("actors")
    if not isinstance(entries, list):
        raise KnowledgeBaseError(f"{path.name}: 'actors' must be a list of entries")
    return [_parse_entry(entry, path.name, index) for index, entry in enumerate(entries)]


def _parse_entry(entry: Any, file: str, index: int) -> KBActor:
    """Check one entry and turn it into a KBActor."""
    if not isinstance(entry, dict):
        raise KnowledgeBaseError(f"{file}: entry #{index + 1}: must be a mapping")
    actor_id = entry.get("id")
    where = f"{file}: entry '{actor_id}'" if isinstance(actor_id, str) else f"{file}: entry #{index + 1}"
    unknown = sorted(set(entry) - ENTRY_KEYS)
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown key(s): {', '.join(map(str, unknown))}")
    if not isinstance(actor_id, str) or not SLUG_RE.match(actor_id):
        raise KnowledgeBaseError(f"{where}: 'id' must be a lowercase slug like 'burkina-faso', got {actor_id!r}")
    kind = entry.get("type")
    if kind not in TYPES:
        raise KnowledgeBaseError(f"{where}: 'type' must be one of {', '.join(TYPES)}, got {kind!r}")
    names = _check_string_list(entry.get("names"), f"{where}: 'names'", allow_empty=False)
    if kind != "state":
        for key in STATE_ONLY:
            if entry.get(key) is not None:
                raise KnowledgeBaseError(f"{where}: '{key}' is allowed on states only")
    if kind not in ADJECTIVE_TYPES and entry.get("demonyms") is not None:
        raise KnowledgeBaseError(f"{where}: 'demonyms' is allowed on states and organisations only")
    if kind != "person" and entry.get("roles") is not None:
        raise KnowledgeBaseError(f"{where}: 'roles' is allowed on persons only")
    for key in REFERENCE_KEYS:
        value = entry.get(key)
        if value is not None and (not isinstance(value, str) or not SLUG_RE.match(value)):
            raise KnowledgeBaseError(f"{where}: '{key}' must be an actor id, got {value!r}")
    wikidata = entry.get("wikidata")
    if wikidata is not None and (not isinstance(wikidata, str) or not WIKIDATA_RE.match(wikidata)):
        raise KnowledgeBaseError(f"{where}: 'wikidata' must look like 'Q912', got {wikidata!r}")
    roles = _parse_roles(entry.get("roles"), where) if kind == "person" else ()
    if kind == "person" and not roles:
        raise KnowledgeBaseError(f"{where}: a person needs at least one role")
    return KBActor(
        id=actor_id,
        type=kind,
        names=names,
        metonyms=_check_string_list(entry.get("metonyms"), f"{where}: 'metonyms'"),
        demonyms=_check_string_list(entry.get("demonyms"), f"{where}: 'demonyms'"),
        army=entry.get("army"),
        part_of=entry.get("part_of"),
        affiliated_with=entry.get("affiliated_with"),
        wikidata=wikidata,
        roles=roles,
    )


def _parse_roles(value: Any, where: str) -> tuple[Role, ...]:
    """Check a person's list of roles."""
    if value is None:
        return ()
    if not isinstance(value, list):
        raise KnowledgeBaseError(f"{where}: 'roles' must be a list")
    return tuple(_parse_role(item, f"{where}: role #{i + 1}") for i, item in enumerate(value))


def _parse_role(item: Any, where: str) -> Role:
    """Check one role mapping and turn it into a Role."""
    if not isinstance(item, dict):
        raise KnowledgeBaseError(f"{where}: must be a mapping")
    unknown = sorted(set(item) - ROLE_KEYS)
    if unknown:
        raise KnowledgeBaseError(f"{where}: unknown key(s): {', '.join(map(str, unknown))}")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        raise KnowledgeBaseError(f"{where}: 'title' must be a non-empty string")
    if "org" not in item:
        raise KnowledgeBaseError(f"{where}: 'org' is required (an actor id, or null for no body)")
    org = item["org"]
    if org is not None and (not isinstance(org, str) or not SLUG_RE.match(org)):
        raise KnowledgeBaseError(f"{where}: 'org' must be an actor id or null, got {org!r}")
    start, end = (_check_date(item.get(key), f"{where}: '{key}'") for key in ("start", "end"))
    if start and end and _date_start(start) > _date_end(end):
        raise KnowledgeBaseError(f"{where}: 'start' {start} is after 'end' {end}")
    title_fr = _check_string_list(item.get("title_fr"), f"{where}: 'title_fr'")
    return Role(title=title, org=org, start=start, end=end, title_fr=title_fr)


def _check_date(value: Any, where: str) -> Optional[str]:
    """A YYYY, YYYY-MM or YYYY-MM-DD string, or None."""
    if value is None:
        return None
    if not isinstance(value, str) or not DATE_RE.match(value):
        raise KnowledgeBaseError(f"{where} must be \"YYYY\", \"YYYY-MM\" or \"YYYY-MM-DD\" (quoted), got {value!r}")
    return value


def _check_string_list(value: Any, where: str, allow_empty: bool = True) -> tuple[str, ...]:
    """A list of distinct non-blank strings, as a tuple."""
    if value is None:
        value = []
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise KnowledgeBaseError(f"{where} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise KnowledgeBaseError(f"{where} must not be empty")
    if len(set(value)) != len(value):
        dupes = sorted({v for v in value if value.count(v) > 1})
        raise KnowledgeBaseError(f"{where} lists {', '.join(dupes)} more than once")
    return tuple(value)


def _check_references(actors: dict[str, KBActor], origin: dict[str, str]) -> None:
    """Every part_of, affiliated_with, army and role org names an existing actor."""
    for actor in actors.values():
        refs = [(key, getattr(actor, key)) for key in REFERENCE_KEYS]
        refs += [(f"role '{role.title}' org", role.org) for role in actor.roles]
        for key, target in refs:
            if target is not None and target not in actors:
                raise KnowledgeBaseError(
                    f"{origin[actor.id]}: entry '{actor.id}': {key} '{target}' is not a known actor id"
                )
            if target == actor.id:
                raise KnowledgeBaseError(f"{origin[actor.id]}: entry '{actor.id}': {key} refers to itself")
        if actor.army is not None and actors[actor.army].type != "force":
            raise KnowledgeBaseError(
                f"{origin[actor.id]}: entry '{actor.id}': army '{actor.army}' is not of type force"
            )


def alias_key(text: str) -> str:
    """How two surface forms compare for uniqueness: case, accents and punctuation ignored."""
    return KnowledgeBase.slug(text.replace("-", " "))


def _check_unique_aliases(actors: dict[str, KBActor], origin: dict[str, str]) -> None:
    """No name, metonym or demonym may belong to two different actors."""
    seen: dict[str, tuple[str, str]] = {}
    for actor in actors.values():
        for alias in _actor_aliases(actor):
            key = alias_key(alias.text)
            if not key:
                raise KnowledgeBaseError(
                    f"{origin[actor.id]}: entry '{actor.id}': {alias.kind} {alias.text!r} has no letters"
                )
            other = seen.get(key)
            if other is not None and other[0] != actor.id:
                raise KnowledgeBaseError(
                    f"{origin[actor.id]}: entry '{actor.id}': {alias.kind} {alias.text!r} "
                    f"is also an alias of '{other[0]}' ({origin[other[0]]}: {other[1]!r})"
                )
            seen.setdefault(key, (actor.id, alias.text))
