"""Facts of one linked article: triggers, their frames, modality, speaker, time, quantity.

For every sentence: find the triggers of the lexicon (lemma and part of
speech; ambiguous ones only with the right theme), read each trigger's
source and target from the parse with the type's frame, then its modality
(the ontology's precedence), its speaker, the time expression and the
quantity that belong to it.  Repeated mentions are merged at the end.
"""
from __future__ import annotations

import logging
from itertools import combinations
from typing import Iterable, Optional

from spacy.tokens import Span, Token

from ..actors.linker import LinkedArticle
from ..data import load_yaml
from ..model import Article, Fact
from ..textnorm import fold, lemma_candidates
from .arguments import (FROM_CASES, LOCATIVE_CASES, PARTNER_CASES, RECIPIENT_CASES, TARGET_CASES,
                        AGENT_CASES, ArgumentReader, Arguments, _case)
from .attribution import Attributor, Reported
from .lexicon import SYMMETRIC, Lexicon, Trigger
from .merge import merge_facts
from .modality import ModalityReader
from .quantity import Quantity, find_quantities
from .timex import TimeExpr, as_when, find_times

LOGGER = logging.getLogger(__name__)

UNITS_FOR = {
    "deploy": {"troops", "aircraft", "helicopters", "drones"},
    "withdraw": {"troops", "aircraft", "helicopters", "drones"},
    "arms_transfer": {"drones", "helicopters", "aircraft", "usd", "eur"},
    "fight": {"killed"},
    "support": {"usd", "eur", "troops"},
    "agreement": {"usd", "eur", "helicopters", "drones", "aircraft"},
    "train": {"troops"},
    "reject": {"troops"},
}
REGION_KINDS = {"region", "area"}


class FactExtractor:
    """Extracts the facts of linked articles with one lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.modality = ModalityReader(lexicon.modality, lexicon.attribution["speech_verbs"])
        self.civilian_nouns = {fold(w) for w in load_yaml("lexicons/fr/actor_context.yaml")["civilian_nouns"]}

    def extract(self, linked: LinkedArticle, article: Article) -> list[Fact]:
        """Every fact of an article, repeated mentions merged."""
        attributor = Attributor(self.lex.attribution, linked)
        reader = ArgumentReader(linked)
        host = linked.host
        facts: list[Fact] = []
        for sent in linked.doc.sents:
            if all(t.i in linked.clutter or t.is_space for t in sent):
                continue
            reported = attributor.reported_in(sent)
            times = find_times(sent.text, article.date, offset=sent.start_char)
            quantities = find_quantities(sent)
            in_time = {i for t in times for i in range(t.start, t.end)}
            for token in sent:
                if token.idx in in_time:
                    continue  # "fin juillet" is a date, not the end of anything
                for trigger in self._triggers(token, sent, linked):
                    facts += self._facts_of(token, trigger, sent, reader, reported, times, quantities, host, article)
            reader.remember_subject(sent)
        return merge_facts(facts)

    # -- triggers ----------------------------------------------------------------
    def _triggers(self, token: Token, sent: Span, linked: LinkedArticle) -> list[Trigger]:
        """Lexicon entries a token announces, ambiguous ones checked against their theme."""
        if token.i in linked.token_mention:
            return []  # "l'opération Serval" names an actor, it is no event
        found = []
        for form in lemma_candidates(token):
            found = self.lex.triggers_for(form, token.pos_)
            if found:
                break
        for phrase in self.lex.phrases_from(fold(token.lemma_), fold(token.text)):
            words = [fold(t.lemma_) for t in token.doc[token.i:token.i + len(phrase.phrase)]]
            if tuple(words) == phrase.phrase or tuple(fold(t.text) for t in token.doc[token.i:token.i + len(phrase.phrase)]) == phrase.phrase:
                found.append(phrase)
        return [t for t in found if self._theme_ok(token, t, linked)]

    def _theme_ok(self, token: Token, trigger: Trigger, linked: LinkedArticle) -> bool:
        """Whether an ambiguous trigger's complement names the thing its theme asks for."""
        if not trigger.theme:
            return True
        theme = self.lex.themes[trigger.theme]
        related = self._related_tokens(token)
        lemmas = {fold(t.lemma_) for t in related} | {fold(t.text) for t in related}
        if theme.exclude_lemmas:
            return not (lemmas & theme.exclude_lemmas)
        if theme.lemmas & lemmas:
            return True
        if theme.actor_types:
            for t in related:
                mention = linked.token_mention.get(t.i)
                if mention and linked.actors.get(mention.actor_id) and \
                        linked.actors[mention.actor_id].type in theme.actor_types and t.i != token.i:
                    return True
        if theme.places and any(t.i in linked.token_place for t in self._object_tokens(token)):
            return True
        if theme.complement_marks:
            return any(c.dep_ in ("xcomp", "ccomp") for c in token.children) or any(
                c.dep_ in ("obl", "obl:arg", "nmod") and _case(c) & theme.complement_marks for c in token.children)
        if theme.reflexive:
            return any(fold(c.text) in ("s'", "se") for c in token.children)
        return False

    @staticmethod
    def _object_tokens(token: Token) -> list[Token]:
        """The trigger's object (or a noun's complements), where a captured place must be."""
        deps = ("obj", "nsubj:pass") if token.pos_ in ("VERB", "AUX") else ("nmod",)
        return [t for c in token.children if c.dep_ in deps for t in c.subtree]

    @staticmethod
    def _related_tokens(token: Token) -> list[Token]:
        """The trigger's complements (two levels down), its subject, and what it qualifies."""
        related: list[Token] = []
        frontier = [(c, 1) for c in token.children if c.dep_ not in ("ccomp", "advcl", "parataxis", "acl:relcl", "conj", "punct")]
        while frontier:
            node, depth = frontier.pop()
            related.append(node)
            if depth < 3:
                frontier += [(c, depth + 1) for c in node.children if c.dep_ not in ("ccomp", "advcl", "parataxis", "acl:relcl", "punct")]
        if token.dep_ in ("amod", "acl", "acl:relcl", "nmod", "obj", "xcomp") and token.head.i != token.i:
            related.append(token.head)
            related += [c for c in token.head.children if c.dep_ in ("amod", "nmod", "nummod")]
        if token.dep_ == "conj" and token.head.i != token.i:
            related += [c for c in token.head.children if c.dep_ in ("obj", "nsubj", "nsubj:pass")]
        return related

    # -- one trigger -> facts ---------------------------------------------------
    def _facts_of(self, token: Token, trigger: Trigger, sent: Span, reader: ArgumentReader,
                  reported: list[Reported], times: list[TimeExpr], quantities: list[Quantity],
                  host: Optional[str], article: Article) -> list[Fact]:
        args = self._arguments(token, trigger, reader, sent, host)
        if args is None:
            return []
        attribution = _covering(reported, token)
        modality = self.modality.read(token, sent, attribution is not None)
        speaker = attribution.speaker if attribution else None
        when = self._when(token, sent, times, modality, article)
        quantity = self._quantity(token, trigger.type, quantities)
        start, end = _trimmed(sent)
        facts = []
        for source, target in self._pairs(trigger.type, args):
            facts.append(Fact(type=trigger.type, source=source, target=target, modality=modality,
                              evidence=article.text[start:end], evidence_start=start, evidence_end=end,
                              trigger=token.text, place=args.place, when=when, quantity=quantity,
                              speaker=speaker))
        return facts

    def _pairs(self, fact_type: str, args: Arguments) -> Iterable[tuple[str, Optional[str]]]:
        """One (source, target) per actor; coordinated sides of a symmetric fact pair up."""
        sources = list(dict.fromkeys(args.sources))
        targets = [t for t in dict.fromkeys(args.targets)]
        if not targets and fact_type in SYMMETRIC and fact_type != "fight" and len(sources) > 1:
            return list(combinations(sources, 2))
        if not targets:
            if fact_type in ("deploy", "withdraw") and args.region and not args.nominal:
                return [(s, None) for s in sources]
            return []
        return [(s, t) for s in sources for t in targets if s != t]

    # -- arguments ---------------------------------------------------------------
    def _arguments(self, token: Token, trigger: Trigger, reader: ArgumentReader, sent: Span,
                   host: Optional[str]) -> Optional[Arguments]:
        frame = self.lex.frames[trigger.type]
        if trigger.section == "adjectives" and token.dep_ == "amod" and token.head.pos_ in ("NOUN", "PROPN"):
            args = self._noun_arguments(token.head, trigger, reader, frame)  # "des relations tendues entre X et Y"
            if not args.sources:
                args.sources = reader.governing_subject(token.head)
        elif trigger.section == "adjectives":
            args = self._verb_arguments(token, trigger, reader, frame, predicate=True)
        elif token.pos_ in ("NOUN", "PROPN") and trigger.section != "phrases":
            args = self._noun_arguments(token, trigger, reader, frame)
        else:
            verb = token if token.pos_ in ("VERB", "AUX", "ADJ") else token.head
            args = self._verb_arguments(verb, trigger, reader, frame)
        if not args.sources and trigger.type in SYMMETRIC and token.pos_ in ("VERB", "AUX"):
            # "des combats ont opposé X à Y": the subject is the event, the object a side
            args.sources = [a for c in token.children if c.dep_ == "obj" for a in reader.actors_of(c)]
            args.targets = [t for t in args.targets if t not in args.sources]
        if not args.sources and trigger.type in ("deploy", "withdraw"):
            args.sources = self._deployed_troops(token, reader, sent)
        if not args.sources:
            return None
        args.nominal = token.pos_ in ("NOUN", "PROPN")
        if trigger.type == "fight" and not args.targets and self._civilian_victims(token):
            args.targets = ["civilians"]
        self._complete_target(token, trigger, reader, sent, args, host)
        return args

    def _verb_arguments(self, verb: Token, trigger: Trigger, reader: ArgumentReader, frame: dict,
                        predicate: bool = False) -> Arguments:
        if predicate:  # "les troupes sont présentes": the subject of the copula, never an agent
            subjects = [c for c in verb.children if c.dep_ in ("nsubj", "nsubj:pass")]
            subject = reader.actors_of(subjects[0]) if subjects else reader.subject(verb)
        else:
            subject = reader.subject(verb)
        target_kind = frame["target"]
        if trigger.inverse:
            givers = [a for c in reader.complements(verb, FROM_CASES | {"auprès", "par"}) for a in reader.actors_of(c)]
            if not givers:
                givers = [a for c in reader.complements(verb, None) for a in reader.actors_of(c)]
            return self._with_place(verb, reader, Arguments(givers, subject))
        targets: list[str] = []
        if target_kind in ("location", "location_from"):
            cases = LOCATIVE_CASES if target_kind == "location" else FROM_CASES | LOCATIVE_CASES
            comps = reader.complements(verb, cases) + reader.complements(verb, None)
            args = Arguments(subject, [])
            self._locate(comps, reader, args)
            return args
        if target_kind == "recipient":
            comps = reader.complements(verb, RECIPIENT_CASES) or reader.complements(verb, None)
        elif target_kind == "partner":
            comps = reader.complements(verb, PARTNER_CASES) + reader.complements(verb, None)
        else:
            comps = reader.complements(verb, None) + reader.complements(verb, TARGET_CASES)
        for comp in comps:
            targets += [a for a in reader.actors_of(comp) if a not in targets]
        if not targets:
            targets = reader.patient(verb)
        return self._with_place(verb, reader, Arguments(subject, targets))

    def _noun_arguments(self, noun: Token, trigger: Trigger, reader: ArgumentReader, frame: dict) -> Arguments:
        sources: list[str] = []
        targets: list[str] = []
        for child in noun.children:
            cases = _case(child)
            if child.dep_ == "amod" or (child.dep_ in ("nmod", "appos") and cases & AGENT_CASES and not cases & (TARGET_CASES - {"de"})):
                sources += [a for a in reader.actors_of(child) if a not in sources]
            elif child.dep_ == "nmod" and cases & (TARGET_CASES | LOCATIVE_CASES):
                targets += [a for a in reader.actors_of(child) if a not in targets]
        if "entre" in {c.lower_ for t in noun.children for c in t.children if c.dep_ == "case"} and len(targets) > 1 and not sources:
            sources, targets = targets[:1], targets[1:]
        if trigger.type == "withdraw":
            igos = [s for s in sources if reader.linked.actors.get(s) and reader.linked.actors[s].type == "igo"]
            if igos:
                sources = [s for s in sources if s not in igos]
                targets = igos + targets
        if not sources:
            sources = reader.governing_subject(noun)
            if trigger.inverse:
                sources, targets = targets, sources
        args = Arguments(sources, targets)
        if frame["target"] in ("location", "location_from"):
            args.targets = [t for t in targets if reader.linked.actors.get(t) and reader.linked.actors[t].type in ("state", "igo")]
            comps = [c for c in noun.children if c.dep_ == "nmod" and _case(c) & (LOCATIVE_CASES | FROM_CASES)]
            self._locate(comps, reader, args)
            return args
        return self._with_place(noun, reader, args)

    @staticmethod
    def _deployed_troops(token: Token, reader: ArgumentReader, sent: Span) -> list[str]:
        """ "des soldats russes ont été déployés": whose troops are moved, when no agent is said."""
        patient = reader.patient(token) if token.pos_ in ("VERB", "AUX") else []
        if patient:
            return patient
        before = [t for t in sent if t.i < token.i and t.i in reader.linked.token_mention]
        for t in reversed(before):
            mention = reader.linked.token_mention[t.i]
            actor = reader.linked.actors.get(mention.actor_id)
            if mention.kind == "demonym" and not mention.place_use or actor is not None and actor.type in ("force", "group"):
                body = reader.linked.body_of(mention.actor_id)
                return [body] if body else []
        return []

    def _civilian_victims(self, token: Token) -> bool:
        """ "des civils ont été tués", "tué 200 personnes": violence against civilians."""
        victims = [c for c in token.children if c.dep_ in ("obj", "nsubj:pass")]
        if token.dep_ == "acl":
            victims.append(token.head)
        return any(fold(t.lemma_) in self.civilian_nouns or fold(t.text) in self.civilian_nouns
                   for v in victims for t in v.subtree)

    def _locate(self, comps: list[Token], reader: ArgumentReader, args: Arguments) -> None:
        """Targets and place from locative complements: a state, or a place and its country."""
        for comp in comps:
            states, place = reader.location(comp)
            states = [s for s in states if s not in args.sources]
            if place is not None and args.place is None and (place.country is None or place.name not in states):
                kind = getattr(place.place, "kind", "")
                if not (place.country in states and fold(place.name) == fold(place.country or "")):
                    args.place = place.name
                    args.place_country = place.country
                    args.region = kind in REGION_KINDS and place.country is None
            for state in states:
                if state not in args.targets:
                    args.targets.append(state)
        if not args.targets and args.place_country:
            args.targets.append(args.place_country)

    def _with_place(self, head: Token, reader: ArgumentReader, args: Arguments) -> Arguments:
        """The most precise place among a trigger's locative complements."""
        comps = [c for c in head.children if c.dep_ in ("obl", "obl:mod", "nmod", "obj", "obl:arg")]
        for comp in comps:
            for sub in comp.subtree:
                place = reader.linked.token_place.get(sub.i)
                if place is not None and reader.linked.token_mention.get(sub.i) is None:
                    args.place, args.place_country = place.name, place.country
                    return args
        return args

    def _complete_target(self, token: Token, trigger: Trigger, reader: ArgumentReader, sent: Span,
                         args: Arguments, host: Optional[str]) -> None:
        """Targets the frame did not find: the sentence's location, the host country, the nearest actor."""
        if args.targets:
            return
        if trigger.type in ("deploy", "withdraw", "capture"):
            comps = [t for t in sent if t.i in reader.linked.token_place or (
                t.i in reader.linked.token_mention and reader.linked.token_mention[t.i].place_use)]
            self._locate(sorted(comps, key=lambda t: abs(t.i - token.i))[:1], reader, args)
            if not args.targets and not args.region and host and host not in args.sources:
                args.targets.append(host)
            return
        if trigger.type in SYMMETRIC and trigger.type != "fight" and len(args.sources) > 1:
            return  # "le Mali et le Niger ont signé": the coordinated sides pair up
        if token.pos_ in ("NOUN", "PROPN"):
            return  # a nominal's arguments are its complements; nothing nearby stands in for them
        clause = _clause_head(token)
        candidates = []
        for t in clause.subtree:
            mention = reader.linked.token_mention.get(t.i)
            if mention is None or t.i == token.i:
                continue
            actor = reader.linked.body_of(mention.actor_id)
            if actor and actor not in args.sources and actor not in candidates:
                candidates.append((abs(t.i - token.i), actor))
        if candidates:
            args.targets.append(min(candidates)[1])

    # -- time, quantity ------------------------------------------------------------
    def _when(self, token: Token, sent: Span, times: list[TimeExpr], modality: str, article: Article):
        """The time expression nearest the trigger, else the publication date for what is current."""
        if times:
            best = min(times, key=lambda t: abs(t.start - token.idx))
            return as_when(best)
        if article.date and modality in ("asserted", "reported", "hedged") and not _pluperfect(token):
            return article.date
        return None

    @staticmethod
    def _quantity(token: Token, fact_type: str, quantities: list[Quantity]) -> Optional[dict]:
        units = UNITS_FOR.get(fact_type)
        fitting = [q for q in quantities if units and q.unit in units]
        if not fitting:
            return None
        return min(fitting, key=lambda q: abs(q.start - token.idx)).value


def _covering(reported: list[Reported], token: Token) -> Optional[Reported]:
    """The attribution whose span contains a token (the narrowest)."""
    spans = [r for r in reported if r.start <= token.i < r.end]
    return min(spans, key=lambda r: r.end - r.start) if spans else None


def _clause_head(token: Token) -> Token:
    """The verb heading a token's clause."""
    current = token
    for _ in range(6):
        if current.pos_ in ("VERB", "AUX") and current.dep_ in ("ROOT", "ccomp", "advcl", "parataxis", "conj", "acl:relcl"):
            return current
        if current.head.i == current.i:
            return current
        current = current.head
    return current


def _pluperfect(token: Token) -> bool:
    """ "avait été lancée": a past before the article's time, not its present."""
    verb = token if token.pos_ in ("VERB", "AUX") else token.head
    for child in verb.children:
        if child.dep_.startswith("aux") and "Imp" in child.morph.get("Tense") and fold(child.lemma_) in ("avoir", "etre"):
            return True
    return False


def _trimmed(sent: Span) -> tuple[int, int]:
    """Character offsets of a sentence without surrounding white space."""
    text = sent.text
    start = sent.start_char + (len(text) - len(text.lstrip()))
    end = sent.start_char + len(text.rstrip())
    return start, end
