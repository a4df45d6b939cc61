"""Claims: the facts of many articles that describe one happening.

Reports (one fact of one article each) with the same type and actors are
split into happenings by time and place:

* each report's ``when`` is an interval of days ("2023-11" is the whole
  month, ``{"start": "2018"}`` runs from 2018 to the article's date);
* the most precise reports are placed first: each joins the happening
  whose anchor (first, most precise report) lies within ``tolerance_days``
  of it, or anchors a new one.  Comparing with the anchor rather than with
  every member keeps a series of distinct happenings a few days apart from
  chaining into one;
* a coarse report compatible with several happenings joins the most
  reported one, the likeliest referent of a vague date;
* a report without ``when`` is dated by its article: it names something
  that happened in the weeks before publication, and joins the compatible
  happening nearest that date;
* a report with neither joins the most reported happening;
* places must be equal, or one of them unknown.

The order of the reports given never matters: they are sorted first, and
claim ids are derived from content (type, ordered actors, anchor date,
place), so a crash-and-rerun ingest gives the same claims as a clean one.
A claim keeps its id as reports join it, unless a more precise date than
its anchor's arrives (or a first place): then it is re-anchored, and its id
follows.

Contradictions: an asserted or reported report against a negated one
(hedged is not a contradiction); two articles whose counts of one unit all
disagree beyond a tolerance ratio (hypothetical and negated counts left
aside; one article never contradicts itself).
"""
from __future__ import annotations

import calendar
import hashlib
import json
from bisect import bisect_left, insort
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from itertools import groupby
from typing import Iterable, Optional, Union

from ..data import load_yaml
from ..facts.lexicon import SYMMETRIC
from ..textnorm import fold

When = Union[str, dict, None]
Interval = tuple[int, int]  # first and last day, as proleptic Gregorian ordinals

# The ontology's order of certainty (ONTOLOGY.md section 3): listed modalities first.
MODALITIES = ("asserted", "reported", "hedged", "hypothetical", "negated")
AFFIRMING = ("asserted", "reported")  # what a negation contradicts; hedged is not
_NO_PLACE = ""


@dataclass(frozen=True)
class Report:
    """One fact of one article, as the store keeps it."""

    article_id: str
    fact_id: str  # stable: f"{article_id}#{index}"
    outlet: Optional[str]
    story_id: str  # first stored article of the story this article copies (its own id otherwise)
    published: Optional[str]  # article date "YYYY[-MM[-DD]]"
    type: str
    source: str
    target: Optional[str]
    modality: str
    speaker: Optional[str]
    when: When
    place: Optional[str]
    quantity: Optional[dict]
    evidence: str


@dataclass
class Claim:
    """One happening and every report of it."""

    id: str
    type: str
    source: str
    target: Optional[str]
    when: When
    place: Optional[str]
    reports: list[Report]
    independent_sources: int
    modalities: dict[str, int]
    first_reported: Optional[str]
    latest_reported: Optional[str]
    quantities: list[dict]
    contradictions: list[dict]

    def to_json(self) -> dict:
        """Plain JSON: the claim's fields, its article and fact ids instead of the reports."""
        return {
            "id": self.id,
            "type": self.type,
            "source": self.source,
            "target": self.target,
            "when": dict(self.when) if isinstance(self.when, dict) else self.when,
            "place": self.place,
            "articles": sorted({r.article_id for r in self.reports}),
            "fact_ids": sorted(r.fact_id for r in self.reports),
            "outlets": sorted({r.outlet for r in self.reports if r.outlet}),
            "stories": len({r.story_id for r in self.reports}),
            "reports": len(self.reports),
            "independent_sources": self.independent_sources,
            "modalities": dict(self.modalities),
            "first_reported": self.first_reported,
            "latest_reported": self.latest_reported,
            "quantities": [dict(q) for q in self.quantities],
            "contradictions": [dict(c) for c in self.contradictions],
        }


@lru_cache(maxsize=None)
def _tolerances() -> dict:
    cfg = load_yaml("crosscheck/crosscheck.yaml")["claims"]
    return {
        "days": int(cfg["tolerance_days"]),
        "before": int(cfg["undated_window_days"]),
        "after": int(cfg["undated_after_days"]),
        "ratio": float(cfg["quantity_ratio"]),
        "ratio_per_unit": {str(k): float(v) for k, v in (cfg.get("quantity_ratio_per_unit") or {}).items()},
    }


def claim_key(type: str, source: str, target: Optional[str]) -> tuple[str, str, str]:
    """(type, source, target or ""), the two actors in sorted order for symmetric types."""
    ends = (source, target or "")
    if type in SYMMETRIC and target:
        ends = tuple(sorted(ends))
    return (type, ends[0], ends[1])


# --- time -----------------------------------------------------------------

def _day_span(value: object) -> Optional[Interval]:
    """The days "YYYY", "YYYY-MM" or "YYYY-MM-DD" covers; None for anything else."""
    return _parse_day_span(value) if isinstance(value, str) else None


@lru_cache(maxsize=65536)
def _parse_day_span(value: str) -> Optional[Interval]:
    parts = value.strip().split("-")
    try:
        numbers = [int(p) for p in parts]
        if len(numbers) == 1:
            return date(numbers[0], 1, 1).toordinal(), date(numbers[0], 12, 31).toordinal()
        if len(numbers) == 2:
            year, month = numbers
            last = calendar.monthrange(year, month)[1]
            return date(year, month, 1).toordinal(), date(year, month, last).toordinal()
        if len(numbers) == 3:
            day = date(*numbers).toordinal()
            return day, day
    except (ValueError, calendar.IllegalMonthError):
        return None
    return None


def _when_span(when: When, published: Optional[str]) -> Optional[Interval]:
    """The days a ``when`` covers; an open end ("depuis 2018") runs to the article's date."""
    if isinstance(when, dict):
        start, end = _day_span(when.get("start")), _day_span(when.get("end"))
        if start and not end:
            end = _day_span(published) or start
        elif end and not start:
            start = end
        if start and end:
            return min(start[0], end[0]), max(start[1], end[1])
        return None
    return _day_span(when)


def _distance(a: Interval, b: Interval) -> int:
    """Days between two intervals (0 when they overlap)."""
    return max(0, max(a[0], b[0]) - min(a[1], b[1]))


def _centre_gap(a: Interval, b: Interval) -> float:
    return abs((a[0] + a[1]) / 2 - (b[0] + b[1]) / 2)


# --- happenings -----------------------------------------------------------

def _place_name(place: object) -> Optional[str]:
    """The place's name: a string, or the "name" of a geocoded place (ONTOLOGY.md section 2)."""
    if isinstance(place, dict):
        place = place.get("name")
    return place.strip() or None if isinstance(place, str) else None


@lru_cache(maxsize=65536)
def _place_key(name: Optional[str]) -> str:
    """The folded place name that two reports must share ("" when unknown)."""
    return fold(name).strip() if name else _NO_PLACE


@dataclass
class _Happening:
    anchor: Report
    span: Optional[Interval]  # the anchor's interval; None for a happening without any date
    dated: bool  # anchored by a report with its own ``when``
    place: str = _NO_PLACE  # folded
    place_name: Optional[str] = None
    members: list[Report] = field(default_factory=list)

    def add(self, report: Report) -> None:
        self.members.append(report)
        name = _place_name(report.place)
        if name and not self.place:
            self.place, self.place_name = _place_key(name), name

    def accepts(self, report: Report) -> bool:
        """Places agree, or one of them is unknown."""
        name = _place_name(report.place)
        return not name or not self.place or _place_key(name) == self.place


class _Timeline:
    """The happenings of one claim key, indexed by the first day of their anchor's interval.

    Each report only looks at happenings whose anchor can be within the
    tolerance of it, so a claim key with thousands of reports stays fast.
    """

    def __init__(self, tolerance: int) -> None:
        self.tolerance = tolerance
        self.happenings: list[_Happening] = []
        self._starts: list[tuple[int, int]] = []  # (first day, index in happenings), sorted
        self._longest = 0  # longest anchor interval, in days: bounds how far back to look

    def near(self, span: Interval, report: Report) -> list[_Happening]:
        """Happenings whose anchor is within the tolerance of the span and whose place agrees."""
        low = span[0] - self.tolerance - self._longest
        found = []
        for start, index in self._starts[bisect_left(self._starts, (low, -1)):]:
            if start > span[1] + self.tolerance:
                break
            h = self.happenings[index]
            if _distance(h.span, span) <= self.tolerance and h.accepts(report):
                found.append(h)
        return found

    def join(self, report: Report, span: Optional[Interval], dated: bool, fits: list[_Happening], rank) -> None:
        """Add the report to the best-ranked fitting happening, or anchor a new one."""
        if fits:
            # Ties fall back to the anchor's fact id: never to insertion order.
            min(fits, key=lambda h: (rank(h), h.anchor.fact_id)).add(report)
            return
        happening = _Happening(anchor=report, span=span, dated=dated)
        happening.add(report)
        if span:
            insort(self._starts, (span[0], len(self.happenings)))
            self._longest = max(self._longest, span[1] - span[0])
        self.happenings.append(happening)


def _report_order(report: Report) -> str:
    """A total order on reports that depends on their content only."""
    return json.dumps(report.__dict__, sort_keys=True, default=str)


def _dedupe(reports: Iterable[Report]) -> list[Report]:
    """One report per fact id: of several, the first in content order (not the first given)."""
    by_id: dict[str, list[Report]] = {}
    for report in reports:
        by_id.setdefault(report.fact_id, []).append(report)
    return [same[0] if len(same) == 1 else min(same, key=_report_order) for same in by_id.values()]


def _split(reports: list[Report]) -> list[_Happening]:
    """Reports of one claim key (one per fact id), split into happenings (see the module docstring)."""
    tol = _tolerances()
    dated, undated, timeless = [], [], []
    for report in reports:
        span = _when_span(report.when, report.published)
        if span:
            dated.append((span, report))
            continue
        pub = _day_span(report.published)
        if pub:
            undated.append(((pub[0] - tol["before"], pub[1] + tol["after"]), pub, report))
        else:
            timeless.append(report)
    timeline = _Timeline(tol["days"])
    # Most precise first, so that anchors are the best-dated reports.
    for span, report in sorted(dated, key=lambda x: (x[0][1] - x[0][0], x[0], x[1].fact_id)):
        timeline.join(report, span, True, timeline.near(span, report),
                      rank=lambda h: (-len(h.members), _centre_gap(h.span, span), h.span))
    for span, pub, report in sorted(undated, key=lambda x: (x[0], x[2].fact_id)):
        timeline.join(report, span, False, timeline.near(span, report),
                      rank=lambda h: (_distance(h.span, pub), -len(h.members), h.span))
    for report in sorted(timeless, key=lambda r: r.fact_id):
        fits = [h for h in timeline.happenings if h.accepts(report)]
        timeline.join(report, None, False, fits, rank=lambda h: (-len(h.members), h.span or (0, 0)))
    return timeline.happenings


# --- claim attributes -----------------------------------------------------

def _independent_sources(reports: list[Report]) -> int:
    """Groups of reports linked by a shared article, story or outlet (union-find)."""
    parent = list(range(len(reports)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_of: dict[tuple[str, str], int] = {}
    for i, report in enumerate(reports):
        for link in (("article", report.article_id), ("story", report.story_id), ("outlet", report.outlet)):
            if not link[1]:
                continue  # no url: no outlet, only its story can join it to others
            j = first_of.setdefault(link, i)
            parent[root(i)] = root(j)
    return len({root(i) for i in range(len(reports))})


def _modalities(reports: list[Report]) -> dict[str, int]:
    counts = {m: sum(r.modality == m for r in reports) for m in MODALITIES}
    others = sorted({r.modality for r in reports} - set(MODALITIES))
    counts.update({m: sum(r.modality == m for r in reports) for m in others})
    return {m: n for m, n in counts.items() if n}


def _by_date(values: Iterable[str]) -> list[str]:
    dated = [(v, _day_span(v)) for v in values if v]
    return [v for v, span in sorted(dated, key=lambda x: (x[1] or (0, 0), x[0])) if span]


def _bounds(quantity: dict) -> Optional[tuple[float, float]]:
    """(low, high) of {"value": n} or {"min": a, "max": b}; None when it has no number."""
    numbers = {k: quantity.get(k) for k in ("value", "min", "max")}
    if not all(v is None or isinstance(v, (int, float)) and not isinstance(v, bool) for v in numbers.values()):
        return None
    if numbers["value"] is not None:
        return float(numbers["value"]), float(numbers["value"])
    low = numbers["min"] if numbers["min"] is not None else numbers["max"]
    high = numbers["max"] if numbers["max"] is not None else numbers["min"]
    if low is None:
        return None
    return float(min(low, high)), float(max(low, high))


def _label(quantity: dict) -> str:
    bounds = _bounds(quantity)
    low, high = (f"{b:g}" for b in bounds)
    return low if low == high else f"{low}-{high}"


def _quantities(reports: list[Report]) -> list[dict]:
    """Distinct quantities, each with the fact ids that give it."""
    distinct: dict[str, dict] = {}
    for report in reports:
        if not isinstance(report.quantity, dict) or _bounds(report.quantity) is None:
            continue
        key = json.dumps(report.quantity, sort_keys=True)
        entry = distinct.setdefault(key, {**report.quantity, "fact_ids": []})
        entry["fact_ids"].append(report.fact_id)
    out = list(distinct.values())
    for entry in out:
        entry["fact_ids"].sort()
    return sorted(out, key=lambda q: (str(q.get("unit") or ""), _bounds(q), json.dumps(q, sort_keys=True)))


def _disagree(a: tuple[float, float], b: tuple[float, float], ratio: float) -> bool:
    """Whether even the closest bounds of two quantities differ by more than the ratio."""
    low, high = max(a[0], b[0]), min(a[1], b[1])
    if low <= high:
        return False  # the ranges overlap
    return high <= 0 or low / high > ratio


def _contradictions(reports: list[Report], quantities: list[dict]) -> list[dict]:
    """Affirmed against negated; quantities of one unit that disagree beyond the tolerance."""
    out = []
    affirmed = sorted(r.fact_id for r in reports if r.modality in AFFIRMING)
    negated = sorted(r.fact_id for r in reports if r.modality == "negated")
    if affirmed and negated:
        out.append({"kind": "modality", "asserted": affirmed, "negated": negated})
    # A plan or a denial is no count of what happened: only the others are compared.
    article_of = {r.fact_id: r.article_id for r in reports if r.modality not in ("hypothetical", "negated")}
    tol = _tolerances()
    for unit in sorted({str(q.get("unit") or "") for q in quantities}):
        values: dict[str, list[str]] = {}
        per_article: dict[str, set[tuple[float, float]]] = {}
        for q in quantities:
            ids = [f for f in q["fact_ids"] if f in article_of]
            if str(q.get("unit") or "") != unit or not ids:
                continue
            values.setdefault(_label(q), []).extend(ids)
            for f in ids:
                per_article.setdefault(article_of[f], set()).add(_bounds(q))
        ratio = tol["ratio_per_unit"].get(unit, tol["ratio"])
        if _articles_disagree(list(per_article.values()), ratio):
            out.append({"kind": "quantity", "unit": unit or None,
                        "values": {label: sorted(ids) for label, ids in values.items()}})
    return out


def _articles_disagree(counts: list[set[tuple[float, float]]], ratio: float) -> bool:
    """Whether two articles give counts none of which agree.

    Two counts in one article are two happenings (ONTOLOGY.md section 3: a
    reinforcement of 220 and a force of 4,500), so an article never
    contradicts itself, and agrees with another as soon as one count matches.
    """
    profiles = sorted({tuple(sorted(c)) for c in counts})  # most articles give the same counts
    return any(all(_disagree(a, b, ratio) for a in x for b in y)
               for i, x in enumerate(profiles) for y in profiles[i + 1:])


def _claim_id(key: tuple[str, str, str], happening: _Happening) -> str:
    """From content: type, ordered actors, the anchor's date (or article date), the place."""
    anchor = happening.anchor
    if happening.dated:
        moment = json.dumps(anchor.when, sort_keys=True)
    elif happening.span:
        moment = "published:" + str(anchor.published)
    else:
        moment = ""
    text = "\x1f".join([*key, moment, happening.place])
    return "c-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def _claim(key: tuple[str, str, str], happening: _Happening) -> Claim:
    reports = sorted(happening.members, key=lambda r: (_day_span(r.published) or (0, 0), r.fact_id))
    published = _by_date(r.published for r in reports)
    quantities = _quantities(reports)
    return Claim(
        id=_claim_id(key, happening),
        type=key[0],
        source=key[1],
        target=key[2] or None,
        when=happening.anchor.when if happening.dated else None,
        place=happening.place_name,
        reports=reports,
        independent_sources=_independent_sources(reports),
        modalities=_modalities(reports),
        first_reported=published[0] if published else None,
        latest_reported=published[-1] if published else None,
        quantities=quantities,
        contradictions=_contradictions(reports, quantities),
    )


def group_claims(reports: Iterable[Report]) -> list[Claim]:
    """Claims of the given reports; the same set of reports, in any order, gives the same claims and ids.

    Meant for the reports of one claim key; reports of several keys are
    grouped per key first.  Reports sharing a fact id count once.
    """
    def key_of(report: Report) -> tuple[str, str, str]:
        return claim_key(report.type, report.source, report.target)

    claims: list[Claim] = []
    for key, group in groupby(sorted(_dedupe(reports), key=lambda r: (key_of(r), r.fact_id)), key=key_of):
        happenings = _split(list(group))
        made = [_claim(key, h) for h in happenings]
        _unique_ids(made, happenings)
        claims.extend(made)
    return sorted(claims, key=lambda c: (claim_key(c.type, c.source, c.target), c.id))


def _unique_ids(claims: list[Claim], happenings: list[_Happening]) -> None:
    """Give a second claim with the same content id the anchor's fact id as well (never expected)."""
    seen: set[str] = set()
    for claim, happening in zip(claims, happenings):
        if claim.id in seen:
            text = claim.id + "\x1f" + happening.anchor.fact_id
            claim.id = "c-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]
        seen.add(claim.id)
