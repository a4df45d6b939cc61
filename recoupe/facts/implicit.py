"""One-sided facts: the side a sentence leaves implicit, taken from the article.

Press sentences often name one side of a happening and leave the other to
the reader: "les autorités maliennes ont reçu un hélicoptère" (from whom?
the supplier the article is about), "l'armée et ses alliés ont subi une
lourde défaite" (against whom? the rebels the article is about).  The
extractor marks such mentions with MISSING for the unnamed side; here they
are completed, or dropped, once the whole article has been read:

1. from the article's own complete facts of the same type with the known
   side (the counterpart named most often);
2. for the types whose policy is ``opponent`` (fights), from the sides the
   article names: a state-backed side fights the armed group the article
   names most (never a private military company working for a state); an
   armed group fights the host country's army, or the host country;
3. for the types whose policy is ``other_state`` (arms transfers), the
   state the article names most after the known side.

The policies are data (lexicons/fr/syntax.yaml, ``implicit_sides``).
"""
from __future__ import annotations

from collections import Counter
from typing import Optional

from ..actors.linker import LinkedArticle
from ..model import Fact
from .lexicon import SYMMETRIC

MISSING = "?"  # the side a sentence does not name


def is_one_sided(fact: Fact, policies: dict[str, str]) -> bool:
    """Whether a fact still lacks the side the sentence left implicit."""
    return fact.source == MISSING or (fact.target is None and fact.type in policies)


def complete(facts: list[Fact], linked: LinkedArticle, policies: dict[str, str]) -> list[Fact]:
    """The facts with their implicit sides filled in; those that cannot be completed are dropped."""
    whole = [f for f in facts if not is_one_sided(f, policies)]
    out = []
    for fact in facts:
        if not is_one_sided(fact, policies):
            out.append(fact)
            continue
        known = _known(fact)
        # "le Tchad et le Togo ont acheté des drones": coordinated sides are not each other's other side
        beside = {_known(f) for f in facts if f is not fact and f.type == fact.type
                  and f.evidence_start == fact.evidence_start and is_one_sided(f, policies)}
        other = _counterpart(fact.type, known, whole)
        if other is None and policies.get(fact.type) == "opponent":
            other = _opponent(known, linked)
        elif other is None and policies.get(fact.type) == "other_state":
            other = _other_state(known, linked, beside)
        if other is None or other == known or _allied(known, other, linked):
            continue
        if fact.source == MISSING:  # in place: other stages keep hold of the extractor's facts
            fact.source = other
        else:
            fact.target = other
        out.append(fact)
    return out


def losers_from_departures(facts: list[Fact], linked: LinkedArticle) -> None:
    """A capture whose loser the sentence leaves to the country ("sont entrés dans Kidal") lost
    it to the armed group the article has leave that place ("que les rebelles ont évacué"): the
    ontology's target of a capture is the side that lost it, where the article says so."""
    left: dict[str, str] = {}
    for fact in facts:
        if fact.type == "withdraw" and fact.place and irregular(fact.source, linked):
            left.setdefault(fact.place, fact.source)
    for fact in facts:
        actor = linked.actors.get(fact.target) if fact.target else None
        country = fact.target is not None and (actor is None or actor.type == "state")  # a place's country
        if fact.type == "capture" and fact.place in left and country \
                and not linked.same_side(fact.source, left[fact.place]):
            fact.target = left[fact.place]


def _counterpart(fact_type: str, known: Optional[str], whole: list[Fact]) -> Optional[str]:
    """The side the article's complete facts of the type most often pair with ``known``."""
    counts: Counter[str] = Counter()
    for fact in whole:
        if fact.type != fact_type or not fact.target:
            continue
        if fact.source == known:
            counts[fact.target] += 1
        elif fact.target == known and (fact_type in SYMMETRIC or fact.source != MISSING):
            counts[fact.source] += 1
    return counts.most_common(1)[0][0] if counts else None


def _opponent(known: Optional[str], linked: LinkedArticle) -> Optional[str]:
    """Whom a side fights when the sentence does not say: see the module's docstring."""
    actor = linked.actors.get(known) if known else None
    if actor is None:
        return None
    if irregular(actor.id, linked):
        host = linked.host
        if host is None:
            return None
        army = linked.armies.get(host)
        return army if army in linked.actors else host
    counts = Counter(m.actor_id for m in linked.mentions
                     if m.actor_id in linked.actors and irregular(m.actor_id, linked))
    return counts.most_common(1)[0][0] if counts else None


def _known(fact: Fact) -> Optional[str]:
    """The side a one-sided fact names."""
    return fact.target if fact.source == MISSING else fact.source


def _other_state(known: Optional[str], linked: LinkedArticle, beside: frozenset | set = frozenset()) -> Optional[str]:
    """The state the article names most, after the known side and the sides coordinated with it
    (a supplier of arms)."""
    counts = Counter(m.actor_id for m in linked.mentions if m.actor_id != known and m.actor_id not in beside
                     and m.actor_id in linked.actors
                     and linked.actors[m.actor_id].type == "state" and not (known and linked.same_side(known, m.actor_id)))
    return counts.most_common(1)[0][0] if counts else None


def irregular(actor_id: str, linked: LinkedArticle) -> bool:
    """An armed group that works for no state (rebels, jihadists), not a state's contractor."""
    actor = linked.actors.get(actor_id)
    return bool(actor and actor.type == "group" and actor_id not in linked.state_backed and actor_id != "civilians")


def _allied(a: Optional[str], b: str, linked: LinkedArticle) -> bool:
    return a is not None and linked.same_side(a, b)
