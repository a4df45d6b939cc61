"""Repeated mentions of one happening in an article become one fact (ONTOLOGY.md, section 3).

Mentions with the same type and actors are one fact, unless their
quantities, places or stated times differ (a planned reinforcement of 2,000 and a present
force of 15,000 are two happenings).  The merged fact takes the modality
(and speaker, and evidence) of its most certain mention and the attributes
of its most precise one.
"""
from __future__ import annotations

from typing import Optional

from ..model import Fact
from .lexicon import SYMMETRIC
from .modality import certainty


# one-off happenings: a mention dated by the publication ("ont signé le traité", in an article of
# 2024) is not the charter signed in 2023; a presence dated so may well be the one of 2013
PUNCTUAL = frozenset({"agreement", "meet", "capture"})
PLANNED_APART = frozenset({"deploy", "meet"})  # what is planned and what is done are two happenings


def _key(fact: Fact) -> tuple:
    ends = (fact.source, fact.target or "")
    if fact.type in SYMMETRIC:
        ends = tuple(sorted(ends))
    return (fact.type,) + ends


def _qty_key(quantity: Optional[dict]) -> Optional[tuple]:
    if not quantity:
        return None
    return tuple(sorted((k, v) for k, v in quantity.items()))


def _compatible(a: Fact, b: Fact) -> bool:
    """Whether two mentions can be the same happening."""
    if a.type in PLANNED_APART and (a.modality == "hypothetical") != (b.modality == "hypothetical"):
        return False  # a planned reinforcement is not the force already there (ONTOLOGY.md), a visit
        # announced for next week not the talks held on Friday
    if a.quantity and b.quantity and _qty_key(a.quantity) != _qty_key(b.quantity):
        return False
    if a.place and b.place and a.place != b.place:
        return False
    dated = a.when_stated and b.when_stated or a.type in PUNCTUAL and (a.when_stated or b.when_stated)
    if dated and a.when and b.when and not _overlap(_years(a.when), _years(b.when)):
        # a charter signed in 2023 and a treaty signed in 2024; a withdrawal announced in
        # February and completed in August is still one happening
        return False
    return True


def _years(when) -> tuple[str, str]:
    """The first and last year a `when` can mean."""
    if isinstance(when, dict):
        start, end = when.get("start"), when.get("end")
        return (start or "0000")[:4], (end or "9999")[:4]
    if not when:
        return "0000", "9999"
    return when[:4], when[:4]


def _overlap(a: tuple[str, str], b: tuple[str, str]) -> bool:
    return a[0] <= b[1] and b[0] <= a[1]


def _precision(fact: Fact) -> int:
    """How many attributes a mention gives (quantity, place, an exact date)."""
    when = fact.when if isinstance(fact.when, str) else ""
    return bool(fact.quantity) * 2 + bool(fact.place) + len(when) // 5


def _combine(group: list[Fact]) -> Fact:
    surest = min(group, key=lambda f: (certainty(f.modality), -_precision(f)))
    richest = max(group, key=_precision)
    merged = Fact(**{**surest.__dict__})
    stated = [f for f in group if f.when_stated and f.when]
    if stated:  # a time the text gives beats the publication date, however precise that is
        own = surest if surest in stated else max(stated, key=lambda f: (_precision(f), -certainty(f.modality)))
        merged.when, merged.when_stated = own.when, True
    for attr in ("quantity", "place") + (() if stated else ("when",)):
        if getattr(richest, attr):
            setattr(merged, attr, getattr(richest, attr))
        elif not getattr(merged, attr):
            setattr(merged, attr, next((getattr(f, attr) for f in group if getattr(f, attr)), None))
    if not merged.speaker:
        merged.speaker = next((f.speaker for f in group if f.speaker), None)
    return merged


def merge_facts(facts: list[Fact]) -> list[Fact]:
    """One fact per happening, in the order of first mention."""
    groups: list[list[Fact]] = []
    index: dict[tuple, list[list[Fact]]] = {}
    for fact in facts:
        for group in index.get(_key(fact), []):
            if all(_compatible(fact, other) for other in group):
                group.append(fact)
                break
        else:
            group = [fact]
            groups.append(group)
            index.setdefault(_key(fact), []).append(group)
    return [_combine(g) for g in groups]
