"""Plain data classes passed between the pipeline stages.

ingest -> Article; actors -> Actor, Mention; facts -> Fact; the extractor returns
an ArticleResult whose ``to_json`` is the ontology's output shape (ONTOLOGY.md, section 4).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

When = Union[str, dict]  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or {"start": ..., "end": ...}


@dataclass(frozen=True)
class Article:
    """One input article, as read by ``recoupe.ingest``."""

    id: str
    text: str
    date: Optional[str] = None  # "YYYY", "YYYY-MM" or "YYYY-MM-DD"
    lang: Optional[str] = None  # "fr", "en" or None when unknown
    url: Optional[str] = None
    title: Optional[str] = None
    origin: str = ""  # file (and line) it was read from, for error messages


@dataclass(frozen=True)
class InputError:
    """An input that could not be read; the batch goes on without it."""

    origin: str
    reason: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.reason}"


@dataclass(frozen=True)
class Mention:
    """A span of the article text that names an actor."""

    start: int  # character offsets into Article.text
    end: int
    text: str
    actor_id: str


@dataclass
class Actor:
    """An actor named in one article, with the knowledge base's relations."""

    id: str
    type: str  # state, igo, force, group, company, person
    names: list[str] = field(default_factory=list)
    part_of: Optional[str] = None
    affiliated_with: Optional[str] = None
    role: Optional[str] = None
    wikidata: Optional[str] = None
    in_kb: bool = True

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "type": self.type, "names": self.names}
        for key in ("part_of", "affiliated_with", "role", "wikidata"):
            value = getattr(self, key)
            if value:
                out[key] = value
        if not self.in_kb:
            out["in_kb"] = False
        return out


@dataclass
class Fact:
    """One event or relation stated, reported, hedged, imagined or denied by an article."""

    type: str
    source: str
    target: Optional[str]
    modality: str
    evidence: str
    evidence_start: int
    evidence_end: int
    trigger: str = ""
    place: Optional[str] = None
    when: Optional[When] = None
    quantity: Optional[dict] = None
    speaker: Optional[str] = None
    when_stated: bool = False  # `when` comes from the text, not from the publication date

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "modality": self.modality,
        }
        for key in ("speaker", "when", "place", "quantity"):
            value = getattr(self, key)
            if value:
                out[key] = value
        out["evidence"] = self.evidence
        out["evidence_span"] = [self.evidence_start, self.evidence_end]
        out["trigger"] = self.trigger
        return out


@dataclass
class ArticleResult:
    """Everything extracted from one article."""

    article: Article
    actors: list[Actor]
    facts: list[Fact]
    mentions: list[Mention] = field(default_factory=list)  # kept by the store; not in to_json (ontology shape)

    def to_json(self) -> dict[str, Any]:
        a = self.article
        return {
            "id": a.id,
            "url": a.url,
            "date": a.date,
            "lang": a.lang,
            "title": a.title,
            "actors": [actor.to_json() for actor in self.actors],
            "facts": [fact.to_json() for fact in self.facts],
        }
