"""Response and request models of the REST API: the store's JSON shapes (docs/CONTRACTS.md), typed.

They exist so that FastAPI writes an OpenAPI description in which every
response is documented; each model allows extra keys, because the store may
add fields (the contract lets it) and the API passes them through.
"""
from __future__ import annotations

from typing import Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from recoupe.facts.lexicon import FACT_TYPES

Modality = Literal["asserted", "reported", "hedged", "hypothetical", "negated"]
MODALITIES: tuple[str, ...] = ("asserted", "reported", "hedged", "hypothetical", "negated")
FactType = Literal[FACT_TYPES]  # type: ignore[valid-type]
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


class _Open(BaseModel):
    """A model that keeps the keys it does not name."""

    model_config = ConfigDict(extra="allow")


class WhenRange(_Open):
    start: Optional[str] = None
    end: Optional[str] = None


When = Union[str, WhenRange, None]


class ErrorOut(BaseModel):
    """Every 4xx answer: one line saying what was wrong."""

    error: str = Field(description="what was wrong with the request, in one line")


class Claim(_Open):
    id: str
    type: str
    source: str
    target: Optional[str] = None
    source_name: Optional[str] = None
    target_name: Optional[str] = None
    when: When = None
    place: Optional[str] = None
    articles: list[str] = Field(description="ids of the articles that report the claim, sorted")
    independent_sources: int = Field(description="copies of one story and articles of one outlet count once")
    modalities: dict[str, int] = Field(description='reports per modality, e.g. {"asserted": 3, "hedged": 1}')
    first_reported: Optional[str] = None
    latest_reported: Optional[str] = None
    quantities: list[dict] = []
    contradictions: list[dict] = []


class ClaimPage(BaseModel):
    total: int = Field(description="claims matching the filters, all pages")
    limit: int = Field(description="page size actually used (capped)")
    offset: int
    items: list[Claim]


class Evidence(_Open):
    article_id: str
    fact_id: str
    outlet: Optional[str] = None
    url: Optional[str] = None
    date: Optional[str] = None
    title: Optional[str] = None
    evidence: str = Field(description="the sentence, exactly as in the article text")
    evidence_span: list[int] = Field(description="[start, end) character offsets of the sentence in the article text")
    modality: str
    speaker: Optional[str] = None
    story_id: Optional[str] = None
    copies: list[str] = Field(default=[], description="ids of the other articles of the same story (merged copies)")


class Relation(_Open):
    claim_id: str
    type: str
    role: Literal["source", "target"]
    other: Optional[str] = None
    other_name: Optional[str] = None
    when: When = None
    first_reported: Optional[str] = None
    modalities: Optional[dict[str, int]] = None
    independent_sources: Optional[int] = None


class Actor(_Open):
    id: str
    type: str
    names: list[str]
    part_of: Optional[str] = None
    affiliated_with: Optional[str] = None
    role: Optional[str] = None
    wikidata: Optional[str] = None
    in_kb: bool = True
    relations: list[Relation] = Field(description="the actor's claims over time, with whom, what, when, how sure")


class ActorSummary(_Open):
    id: str
    type: str
    names: list[str]
    claims: int = Field(description="number of claims the actor takes part in")


class ActorPage(BaseModel):
    limit: int
    offset: int
    items: list[ActorSummary]


class Mention(_Open):
    start: int
    end: int
    actor_id: str


class ArticleFact(_Open):
    fact_id: str
    claim_id: Optional[str] = None
    type: str
    source: str
    target: Optional[str] = None
    modality: str


class Article(_Open):
    id: str
    url: Optional[str] = None
    outlet: Optional[str] = None
    date: Optional[str] = None
    lang: Optional[str] = None
    title: Optional[str] = None
    text: str = Field(description="the article body, plain text; untrusted")
    story_id: Optional[str] = None
    facts: list[ArticleFact] = []
    mentions: list[Mention] = []


class ArticleSummary(_Open):
    id: str
    url: Optional[str] = None
    outlet: Optional[str] = None
    date: Optional[str] = None
    lang: Optional[str] = None
    title: Optional[str] = None
    story_id: Optional[str] = None


class ArticlePage(BaseModel):
    limit: int
    offset: int
    items: list[ArticleSummary]


class SearchHit(_Open):
    article_id: str
    title: Optional[str] = None
    date: Optional[str] = None
    outlet: Optional[str] = None
    url: Optional[str] = None
    snippet: Optional[str] = None


class SearchPage(BaseModel):
    limit: int
    offset: int
    items: list[SearchHit]


Stats = dict[str, Union[int, float, str, None]]


class Place(_Open):
    name: str
    country: Optional[str] = None
    lat: Optional[float] = None
    lon: Optional[float] = None
    claims: int = 0


class ArticleIn(BaseModel):
    """One article in recoupe's input shape (ONTOLOGY.md section 1)."""

    id: str
    text: str
    url: Optional[str] = None
    lang: Optional[Literal["fr", "en"]] = None
    date: Optional[str] = Field(default=None, pattern=DATE_PATTERN)
    title: Optional[str] = None


class IngestItem(BaseModel):
    index: int = Field(description="position of the article in the request body")
    id: Optional[str] = None
    status: Literal["added", "skipped", "replaced", "error"]
    facts: Optional[int] = Field(default=None, description="facts extracted (not for skipped or bad articles)")
    error: Optional[str] = Field(default=None, description="why the article was refused")


class IngestOut(BaseModel):
    added: int
    skipped: int
    replaced: int
    errors: int
    results: list[IngestItem]
