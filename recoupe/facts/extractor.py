"""Facts of one linked article: triggers, their frames, modality, speaker, time, quantity.

For every sentence: find the triggers of the lexicon (lemma and part of
speech; ambiguous ones only with the right theme), read each trigger's
source and target from the parse with the type's frame, then its modality
(the ontology's precedence), its speaker, the time expression and the
quantity that belong to it.  Repeated mentions are merged at the end.
"""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from itertools import combinations
from typing import Iterable, Iterator, Optional

from spacy.tokens import Span, Token

from ..actors.linker import LinkedArticle
from ..data import load_yaml
from ..model import Article, Fact
from ..nlp.text import token_words
from ..textnorm import fold, lemma_candidates
from .arguments import (FROM_CASES, LOCATIVE_CASES, PARTNER_CASES, RECIPIENT_CASES, TARGET_CASES,
                        AGENT_CASES, ArgumentReader, Arguments, _case)
from .attribution import Attributor, Reported
from .lexicon import SYMMETRIC, Lexicon, Trigger
from .implicit import MISSING, complete, irregular, losers_from_departures
from .merge import merge_facts
from .modality import ModalityReader, certainty
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
VENUE_TYPES = {"meet", "agreement", "cooperate"}  # a capital named as where they happen is no party
ASKED_FOR = {"support", "arms_transfer", "train", "deploy"}  # what a request's object asks for
NEVER_SOURCES = {"civilians"}  # the generic victims (ONTOLOGY.md), never the side that acts


class FactExtractor:
    """Extracts the facts of linked articles with one lexicon."""

    def __init__(self, lexicon: Lexicon):
        self.lex = lexicon
        self.modality = ModalityReader(lexicon.modality, lexicon.attribution["speech_verbs"])
        self.civilian_nouns = {fold(w) for w in load_yaml("lexicons/fr/actor_context.yaml")["civilian_nouns"]}
        syntax = load_yaml("lexicons/fr/syntax.yaml")
        self.implicit_sides = dict(syntax["implicit_sides"])
        self.implicit_weak = {fold(w) for w in syntax["implicit_weak_triggers"]}
        self.framework_heads = {fold(w) for w in syntax["framework_heads"]}
        self.holding_verbs = {fold(w) for w in syntax["holding_verbs"]}

    def extract(self, linked: LinkedArticle, article: Article) -> list[Fact]:
        """Every fact of an article, repeated mentions merged."""
        reader = ArgumentReader(linked)
        attributor = Attributor(self.lex.attribution, linked, reader)
        host = linked.host
        facts: list[Fact] = []
        for sent in linked.doc.sents:  # the article's strongholds first: "fief" may come late
            for name, holders in self._strongholds(sent, reader).items():
                reader.holders.setdefault(name, holders)
        for sent in linked.doc.sents:
            if all(t.i in linked.clutter or t.is_space for t in sent):
                continue
            reported = attributor.reported_in(sent)
            times = find_times(sent.text, article.date, offset=sent.start_char)
            quantities = find_quantities(sent)
            in_time = {i for t in times for i in range(t.start, t.end)}
            for token in self._candidates(sent):
                if token.idx in in_time:
                    continue  # "fin juillet" is a date, not the end of anything
                for trigger in self._triggers(token, sent, linked):
                    if self._object_of_same_trigger(token, trigger, sent, linked) or token.i in reader.absorbed:
                        continue
                    facts += self._facts_of(token, trigger, sent, reader, reported, times, quantities, host, article)
            reader.remember_subject(sent)
        kept = complete(facts, linked, reader.verbs.implicit_sides)
        losers_from_departures(kept, linked)
        return merge_facts(kept + self._framed(reader, kept))

    # -- triggers ----------------------------------------------------------------
    def _triggers(self, token: Token, sent: Span, linked: LinkedArticle) -> list[Trigger]:
        """Lexicon entries a token announces, ambiguous ones checked against their theme."""
        if token.i in linked.token_mention:
            return []  # "l'opération Serval" names an actor, it is no event
        entries, phrases = self.lex.candidates(token.lemma_, token.text, token.pos_)
        if not entries and not phrases:
            return []
        found = list(entries)
        for phrase in phrases:
            tokens = _phrase_tokens(token, len(phrase.phrase))
            if tuple(fold(t.lemma_) for t in tokens) == phrase.phrase or tuple(fold(t.text) for t in tokens) == phrase.phrase:
                found.append(phrase)
        return [t for t in found if self._theme_ok(token, t, linked)]

    def _candidates(self, sent: Span) -> Iterator[Token]:
        """The tokens of a sentence the lexicon has entries or phrases for: the others cannot be
        triggers (``_triggers`` returns none for them), and no Token object is made for them."""
        doc = sent.doc
        words = token_words(doc)
        for i in range(sent.start, sent.end):
            entries, phrases = self.lex.candidates(*words[i])
            if entries or phrases:
                yield doc[i]

    def _object_of_same_trigger(self, token: Token, trigger: Trigger, sent: Span, linked: LinkedArticle) -> bool:
        """ "signer un accord": the noun is the verb's own happening, read once through the verb."""
        if token.pos_ not in ("NOUN", "PROPN") or token.dep_ not in ("obj", "nsubj:pass") or token.head.i == token.i:
            return False
        governing = {t.type for t in self._triggers(token.head, sent, linked)}
        # a withdrawn contingent is the withdrawal's theme, not a deployment of its own
        return trigger.type in governing or (trigger.type == "deploy" and "withdraw" in governing)

    def _theme_ok(self, token: Token, trigger: Trigger, linked: LinkedArticle) -> bool:
        """Whether an ambiguous trigger's complement names the thing its theme asks for."""
        reflexive = any(fold(c.text) in ("s'", "se") for c in token.children)
        if trigger.no_reflexive and reflexive:
            return False
        if not trigger.theme:
            return True
        theme = self.lex.themes[trigger.theme]
        related = self._related_tokens(token)
        lemmas = {fold(t.lemma_) for t in related} | {fold(t.text) for t in related}
        if theme.exclude_lemmas:
            return not (lemmas & theme.exclude_lemmas)
        if theme.lemmas & lemmas:
            return True
        if theme.following and _lemma_after(token, theme) is not None:
            return True  # "la dégradation continue des relations": the parser may hang them apart
        if theme.actor_types:
            for t in related:
                mention = linked.token_mention.get(t.i)
                if mention and linked.actors.get(mention.actor_id) and \
                        linked.actors[mention.actor_id].type in theme.actor_types and t.i != token.i:
                    return True
        if theme.places and any(t.i in linked.token_place for t in self._object_tokens(token)):
            return True
        if theme.place_marks and (reflexive or not theme.reflexive) and any(
                {fold(w) for w in _case(c)} & theme.place_marks and any(t.i in linked.token_place or _place_use(t, linked) for t in c.subtree)
                for c in _place_complements(token)):
            return True
        if theme.complement_marks:
            return any(c.dep_ in ("xcomp", "ccomp") for c in token.children) or any(
                c.dep_ in ("obl", "obl:arg", "nmod") and _case(c) & theme.complement_marks for c in token.children)
        if theme.reflexive and not theme.place_marks:
            return reflexive
        return False

    @staticmethod
    def _object_tokens(token: Token) -> list[Token]:
        """The trigger's object (or a noun's complements), where a captured place must be."""
        deps = ("obj", "nsubj:pass") if token.pos_ in ("VERB", "AUX") else ("nmod",)
        return [t for c in token.children if c.dep_ in deps for t in _without_targets(c)]

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
        if trigger.type == "request":
            args, trigger = self._demanded_departure(token, trigger, reader, sent, host, args)
        elif trigger.type == "withdraw":
            args, trigger = self._dismissed(token, trigger, reader, args)
        attribution = _covering(reported, token)
        modality = self.modality.read(token, sent, attribution is not None and attribution.cue != "event")
        if trigger.modality and certainty(trigger.modality) > certainty(modality):
            modality = trigger.modality  # "a promis 50 millions": the support is yet to come
        speaker = attribution.speaker if attribution else None
        when, when_stated = self._when(token, sent, times, modality, article)
        quantity = self.quantity_for(token, trigger.type, quantities)
        start, end = _trimmed(sent)
        facts = []
        pairs = [p for p in self._pairs(trigger.type, args) if self._sides_named(p, token, trigger.type)]
        if not pairs and args.theatre:
            # "l'opération de l'OTAN en Libye": a state's force fighting no one named operates there
            trigger = replace(trigger, type="deploy")
            pairs = [(s, t) for s in args.sources for t in args.theatre if s != t]
        pairs += [(s, ally) for s in args.sources for ally in args.allies if s != ally]
        for source, target in pairs:
            fact_type = "support" if target in args.allies else trigger.type
            if source in NEVER_SOURCES or target and fact_type != "capture" and reader.linked.same_side(source, target):
                # "la force Barkhane ... les militaires français" is one side, not two; an army
                # retaking a town of its own country still captures it from that country's hold
                continue
            if target and fact_type == "deploy":
                reader.deployed_to[source] = target
            facts.append(Fact(type=fact_type, source=source, target=target, modality=modality,
                              evidence=article.text[start:end], evidence_start=start, evidence_end=end,
                              trigger=token.text, place=args.place, when=when, quantity=quantity,
                              speaker=speaker, when_stated=when_stated))
        framework = self._framework(token, sent, reader.linked)
        if framework is not None:
            noun, kind = framework
            reader.absorbed.add(noun.i)
            own_time = [t for t in times if noun.idx <= t.start and t.end <= _subtree_end(noun)]
            reader.frameworks += [(f, kind, noun, as_when(own_time[0]) if own_time else None) for f in facts]
        return facts

    def _framework(self, token: Token, sent: Span, linked: LinkedArticle) -> Optional[tuple[Token, str]]:
        """The agreement a happening is framed in ("livrés dans le cadre d'un contrat"): the noun
        and its type (agreement, cooperate)."""
        verb = token if token.pos_ in ("VERB", "AUX") else token.head
        for head in {verb.i: verb, token.i: token}.values():
            for frame in head.children:
                if frame.dep_ not in ("obl", "obl:mod", "nmod") or fold(frame.lemma_) not in self.framework_heads:
                    continue
                for noun in frame.children:
                    kinds = {t.type for t in self._triggers(noun, sent, linked)} & {"agreement", "cooperate"} \
                        if noun.dep_ == "nmod" else set()
                    if kinds:
                        return noun, sorted(kinds)[0]
        return None

    @staticmethod
    def _framed(reader: ArgumentReader, kept: list[Fact]) -> list[Fact]:
        """The agreements the article's happenings are framed in, between the same sides; the
        agreement stands even when the happening is only planned or denied."""
        kept_ids = {id(f) for f in kept}
        out = []
        for fact, kind, noun, when in reader.frameworks:
            if id(fact) not in kept_ids or not fact.target:
                continue
            modality = fact.modality if fact.modality in ("asserted", "reported", "hedged") else "asserted"
            out.append(Fact(type=kind, source=fact.source, target=fact.target, modality=modality,
                            evidence=fact.evidence, evidence_start=fact.evidence_start, evidence_end=fact.evidence_end,
                            trigger=noun.text, when=when, when_stated=when is not None,
                            speaker=fact.speaker if modality == "reported" else None))
        return out

    def _sides_named(self, pair: tuple[str, Optional[str]], token: Token, fact_type: str) -> bool:
        """Whether a fact names its sides, or may leave one to the article (facts/implicit.py):
        not general words ("la lutte se poursuivra"), nor nouns outside the clause's core
        ("après les affrontements, X a déclaré"), nor violence against civilians, whose
        authors the sentence must name."""
        source, target = pair
        if source != MISSING and (target is not None or fact_type not in self.implicit_sides):
            return True
        if "civilians" in pair or fold(token.lemma_) in self.implicit_weak:
            return False
        return token.pos_ in ("VERB", "AUX") or token.dep_ in ("obj", "nsubj", "nsubj:pass", "ROOT")

    def _demanded_departure(self, token: Token, trigger: Trigger, reader: ArgumentReader, sent: Span,
                            host: Optional[str], args: Arguments) -> tuple[Arguments, Trigger]:
        """ "Bamako a exigé le départ du contingent danois", "a réclamé que les troupes françaises
        quittent le pays": demanding that a force leave is a rejection of that force (ONTOLOGY.md),
        and the departure is the demand's content, not a fact of its own; so is the help a
        request asks for ("a sollicité une aide militaire de la France")."""
        # not "pousser le Danemark à retirer son contingent": asked to withdraw, Denmark withdraws
        contents = [c for c in token.children if c.dep_ in ("obj", "ccomp")]
        for content in contents:
            asked = {t.type: t for t in self._triggers(content, sent, reader.linked)}
            if content.dep_ == "obj" and asked.keys() & ASKED_FOR:
                reader.absorbed.add(content.i)  # "demander une aide à l'OTAN": the help is what is asked
                continue
            departure = asked.get("withdraw")
            if departure is None:
                continue
            leaving = self._arguments(content, departure, reader, sent, host)
            if leaving is None or leaving.sources == [MISSING]:
                continue
            reader.absorbed.add(content.i)
            rejected = [s for s in leaving.sources if s not in args.sources]
            return Arguments(args.sources, rejected), replace(trigger, type="reject")
        return args, trigger

    @staticmethod
    def _dismissed(token: Token, trigger: Trigger, reader: ArgumentReader,
                   args: Arguments) -> tuple[Arguments, Trigger]:
        """ "le gouvernement l'invite à quitter le territoire": who is told to leave is expelled,
        a rejection by whoever tells (ONTOLOGY.md), not a withdrawal of their own."""
        head = token.head
        if token.dep_ not in ("xcomp", "ccomp") or \
                not any(fold(form) in reader.verbs.dismissal_verbs for form in lemma_candidates(head)):
            return args, trigger
        # who tells them, else the country they are told to leave ("la décision ... qui l'invite à
        # quitter le territoire": the country expels)
        dismissers = reader.subject(head) or [t for t in args.targets if t in reader.linked.actors
                                              and reader.linked.actors[t].type == "state"]
        leavers = [s for s in args.sources if s != MISSING and s not in dismissers]
        if not dismissers or not leavers:
            return args, trigger
        return Arguments(dismissers, leavers), replace(trigger, type="reject")

    def _pairs(self, fact_type: str, args: Arguments) -> Iterable[tuple[str, Optional[str]]]:
        """One (source, target) per actor; coordinated sides of a symmetric fact pair up."""
        sources = list(dict.fromkeys(args.sources))
        targets = [t for t in dict.fromkeys(args.targets)]
        if not targets and fact_type in SYMMETRIC and fact_type != "fight" and len(sources) > 1:
            return list(combinations(sources, 2))
        if not targets:
            if fact_type in ("deploy", "withdraw") and args.region and not args.nominal:
                return [(s, None) for s in sources]
            if fact_type in self.implicit_sides and MISSING not in sources:
                return [(s, None) for s in sources]  # the other side, the article may say (implicit.py)
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
        if not args.sources and trigger.type == "arms_transfer" and token.pos_ == "VERB":
            # "des blindés, produits par Norinco, ont été livrés": the maker supplies them
            args.sources = [a for c in token.children if c.dep_ == "nsubj:pass" for a in self._maker_of(c, reader)]
        if not args.sources and args.targets and trigger.type in reader.verbs.implicit_sides:
            args.sources = [MISSING]  # "les autorités maliennes ont reçu un hélicoptère": from whom, the article says
        if not args.sources:
            return None
        args.nominal = token.pos_ in ("NOUN", "PROPN")
        args.allies, opposed = self._allies(token, reader)
        args.targets = [t for t in args.targets + opposed if t not in args.allies]
        if trigger.type == "fight" and not all(irregular(s, reader.linked) for s in args.sources):
            # "la lutte antiterroriste au Mali": where a state's force fights, not whom
            places = {m.actor_id for i in _complement_tokens(token) if (m := reader.linked.token_mention.get(i))
                      and m.place_use}
            args.theatre = [t for t in args.targets if t in places]
            args.targets = [t for t in args.targets if t not in places]
        if trigger.type == "fight" and not args.targets and self._civilian_victims(token):
            args.targets = ["civilians"]
        if trigger.type in ("deploy", "withdraw"):
            # "Serval a mobilisé 1.700 militaires français": the demonym says whose, not where
            args.targets = [t for t in args.targets if not any(reader.linked.same_side(s, t) for s in args.sources)]
        self._complete_target(token, trigger, reader, sent, args, host)
        if trigger.type in VENUE_TYPES and trigger.theme not in ("visit", "visited_place") and token.pos_ in ("VERB", "AUX"):
            # "réunis jeudi à Abuja": the capital where they meet is a venue, not a party
            venues = {m.actor_id for i in _complement_tokens(token) if (m := reader.linked.token_mention.get(i))
                      and m.place_use and m.kind == "metonym" and _case(reader.doc[i]) & {"à", "en", "dans"}}
            args.targets = [t for t in args.targets if t not in venues]
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
            givers = [a for c in reader.complements(verb, FROM_CASES | {"auprès"}) for a in reader.actors_of(c)]
            givers = [g for g in givers if g not in subject]  # "acquis par Bamako": Bamako receives
            if not givers:
                givers = [a for c in reader.complements(verb, None) for a in reader.actors_of(c)]
            if not givers and trigger.type == "arms_transfer":
                givers = [a for c in reader.complements(verb, None) for a in self._maker_of(c, reader)]
            return self._with_place(verb, reader, Arguments(givers, subject))
        targets: list[str] = []
        if target_kind in ("location", "location_from"):
            cases = LOCATIVE_CASES if target_kind == "location" else FROM_CASES | LOCATIVE_CASES
            comps = reader.complements(verb, cases) + reader.complements(verb, None)
            args = Arguments(subject, [])
            if target_kind == "location_from":
                # "ont quitté la Cédéao": a state leaving an organisation withdraws from it
                left = [c for c in verb.children if c.dep_ in ("obj", "obl", "obl:mod", "obl:arg")
                        and (not _case(c) or _case(c) & FROM_CASES)]  # a date may take the object slot
                args.targets = [a for c in left for a in reader.actors_of(c)
                                if reader.linked.actors.get(a) and reader.linked.actors[a].type == "igo"]
            self._locate(comps, reader, args)
            return args
        if target_kind == "recipient":
            comps = reader.complements(verb, RECIPIENT_CASES)
            # "promis 50 millions d'euros au Niger": the parser hangs the recipient on the object
            # ("solliciter l'aide de la France": who is asked is the object's genitive)
            wanted = AGENT_CASES if trigger.type == "request" else RECIPIENT_CASES
            comps = comps or [g for c in reader.complements(verb, None) for g in c.children
                              if g.dep_ == "nmod" and _case(g) & wanted] or reader.complements(verb, None)
            if not comps and trigger.type == "request":  # "a sollicité de Moscou l'envoi de renforts"
                comps = reader.complements(verb, AGENT_CASES - {"par", "by"}, deps=("obl:arg", "obl"))
        elif target_kind == "partner":
            comps = reader.complements(verb, PARTNER_CASES) + reader.complements(verb, None)
            if not comps and verb.dep_ in ("acl", "appos"):  # "le Niger, allié de Bamako": the participle's genitive
                comps = reader.complements(verb, {"de", "du", "des", "d'", "d’"}, deps=("nmod", "obl", "obl:arg"))
        else:
            comps = reader.complements(verb, None) + reader.complements(verb, TARGET_CASES)
        for comp in comps:
            targets += [a for a in reader.actors_of(comp) if a not in targets]
        if not targets:
            targets = reader.patient(verb)
        if not targets:
            targets = self._accused(verb, reader)
        return self._with_place(verb, reader, Arguments(subject, targets))

    @staticmethod
    def _accused(verb: Token, reader: ArgumentReader) -> list[str]:
        """ "Bamako accuse, sans en apporter la preuve, la France d'avoir fourni ...": an aside
        makes the parser hang the accusing verb on the infinitive, whose subject it takes the
        accused for; that subject is the verb's object."""
        head = verb.head
        if verb.dep_ != "advcl" or head.i <= verb.i or fold(verb.lemma_) not in reader.verbs.accusing_verbs \
                or not any(m.dep_ == "mark" and fold(m.text) in ("de", "d'") for m in head.children):
            return []
        return [a for c in head.children if c.dep_ == "nsubj" and c.i > verb.i for a in reader.actors_of(c)]

    def _noun_arguments(self, noun: Token, trigger: Trigger, reader: ArgumentReader, frame: dict) -> Arguments:
        sources: list[str] = []
        targets: list[str] = []
        for child in noun.children:
            cases = _case(child)
            if child.dep_ == "amod" or (child.dep_ in ("nmod", "appos") and cases & AGENT_CASES and not cases & (TARGET_CASES - {"de"})):
                if reader.place_genitive(noun, child):
                    continue  # "leur retrait du Niger": where from, not who
                sources += [a for a in reader.actors_of(child) if a not in sources]
            elif child.dep_ == "nmod" and cases & (TARGET_CASES | LOCATIVE_CASES):
                targets += [a for a in reader.actors_of(child) if a not in targets]
        if "entre" in {c.lower_ for t in noun.children for c in t.children if c.dep_ == "case"} and len(targets) > 1 and not sources:
            sources, targets = targets[:1], targets[1:]
        theme = self.lex.themes.get(trigger.theme) if trigger.theme else None
        related = _lemma_after(noun, theme) if theme and theme.following and not sources and not targets else None
        if related is not None:  # "la dégradation continue des relations entre X et Y"
            sides = reader.actors_of(related)
            sources, targets = sides[:1], sides[1:]
        bound = reader.bound_parties(noun) if not sources and not targets else []
        if len(bound) > 1:  # "l'accord de défense qui le lie à la France"
            sources, targets = bound[:1], bound[1:]
        holder = self._predicate_subject(noun, reader)
        if holder:  # "L'Espagne est le premier partenaire de la France": the subject holds the role
            targets = [a for a in sources + targets if a not in holder]
            sources = holder
        if trigger.type == "withdraw":
            igos = [s for s in sources if reader.linked.actors.get(s) and reader.linked.actors[s].type == "igo"]
            if igos:
                sources = [s for s in sources if s not in igos]
                targets = igos + targets
        if not targets and frame["target"] not in ("location", "location_from"):
            cases = {"recipient": RECIPIENT_CASES, "partner": PARTNER_CASES}.get(frame["target"], TARGET_CASES)
            for comp in reader.support_complements(noun, cases):
                targets += [a for a in reader.actors_of(comp) if a not in targets and a not in sources]
        if not sources and not targets and trigger.type in SYMMETRIC and noun.head.pos_ in ("VERB", "AUX"):
            # "des combats ont fait rage entre l'armée et les rebelles": the sides hang on the verb
            sides = [a for c in reader.complements(noun.head, {"entre", "between"}) for a in reader.actors_of(c)]
            sources, targets = sides[:1], sides[1:]
        if set(sources) & set(targets):
            # "une défaite face aux rebelles touaregs du CSP": the parser hangs the opponent's
            # genitive on the event; the side is then the subject of "subir", "essuyer"
            sources = [s for s in sources if s not in targets]
        if not sources:
            # "une attaque revendiquée par l'EIGS": the agent of a participle on the event noun
            sources = [a for c in noun.children if c.dep_ == "acl" and c.pos_ == "VERB"
                       for g in c.children if g.dep_ == "obl:agent" for a in reader.actors_of(g)]
        if not sources:
            sources = reader.apposed_force(noun)
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
    def _protected(token: Token, clause: Token, sent: Span, reader: ArgumentReader) -> set[int]:
        """Tokens of the sides a warning protects: what an action in its content is against
        ("toute intervention contre le Niger", "une intervention militaire au Niger"), its content
        being the clause in "que" after it, however the parser hung that clause."""
        contents = [c for c in clause.children if c.dep_ == "ccomp"] + [
            v for v in sent if v.i > token.i and v.pos_ in ("VERB", "AUX", "ADJ", "NOUN")
            and any(m.dep_ == "mark" and fold(m.text) in ("que", "qu'", "that") for m in v.children)]
        protected: set[int] = set()
        for content in contents:
            for g in content.subtree:
                if g.dep_ not in ("nmod", "obl", "obl:mod", "obl:arg"):
                    continue
                cases = _case(g)
                against = cases & {"contre", "against"}
                inside = cases & {"au", "en", "dans", "in"} and fold(g.head.lemma_) in reader.verbs.event_nouns
                if against or inside:
                    protected.update(t.i for t in g.subtree)
        return protected

    def _place_holders(self, sent: Span, reader: ArgumentReader, args: Arguments) -> list[str]:
        """Armed groups named as holding a place of the sentence ("Kidal, fief du CSP-DPA")."""
        return [h for holders in self._strongholds(sent, reader).values() for h in holders if h not in args.sources]

    def _strongholds(self, sent: Span, reader: ArgumentReader) -> dict[str, list[str]]:
        """Place name -> the armed groups the sentence says hold it ("Kidal, fief du CSP-DPA")."""
        strongholds = self.lex.themes["stronghold"].lemmas
        found: dict[str, list[str]] = {}
        for token in sent:
            place = reader.linked.token_place.get(token.i)
            if place is None:
                continue
            # the apposition "fief de X", wherever the parser hangs it ("la ville de Kidal (nord), fief")
            after = [t for t in token.doc[token.i + 1:min(sent.end, token.i + 6)] if fold(t.lemma_) in strongholds]
            heads = [token] + ([token.head] if token.dep_ == "nmod" and token.head.i < token.i else [])
            for child in [c for h in heads for c in h.children if c.dep_ == "appos"] + after[:1]:
                for sub in child.subtree:
                    mention = reader.linked.token_mention.get(sub.i)
                    actor = reader.linked.actors.get(mention.actor_id) if mention else None
                    holders = found.setdefault(place.name, [])
                    if actor and actor.type == "group" and actor.id not in holders:
                        holders.append(actor.id)
        return {name: holders for name, holders in found.items() if holders}

    @staticmethod
    def _allies(token: Token, reader: ArgumentReader) -> tuple[list[str], list[str]]:
        """Who the actors act alongside ("combattent aux côtés de l'armée malienne"), and whom
        against when the parser hangs "contre X" on "côtés"."""
        heads = [token] + ([token.head] if token.pos_ not in ("VERB", "AUX") and token.head.pos_ in ("VERB", "AUX") else [])
        allies: list[str] = []
        opposed: list[str] = []
        for head in heads:
            for side in head.children:
                if side.dep_ not in ("obl", "obl:mod", "obl:arg", "nmod") or side.lemma_.lower() not in reader.verbs.alongside_nouns:
                    continue
                for child in side.children:
                    if child.dep_ != "nmod":
                        continue
                    group = opposed if _case(child) & {"contre", "against", "face"} else allies
                    group += [a for a in reader.actors_of(child) if a not in group]
        return allies, opposed

    @staticmethod
    def _maker_of(thing: Token, reader: ArgumentReader) -> list[str]:
        """Who made the equipment ("trois drones Akinci, conçus par Baykar"; "des blindés produits
        par le groupe chinois Norinco"): the supplier, when the sentence names no other."""
        return [a for acl in thing.children if acl.dep_ == "acl"
                for agent in acl.children if agent.dep_ == "obl:agent" for a in reader.actors_of(agent)]

    @staticmethod
    def _predicate_subject(noun: Token, reader: ArgumentReader) -> list[str]:
        """The subject of a predicate nominal ("X est l'allié de Y", "X est devenu le partenaire de Y"),
        or the phrase an apposition describes ("le Niger, allié du Mali")."""
        if noun.dep_ == "appos" and noun.head.i != noun.i and noun.head.pos_ in ("NOUN", "PROPN"):
            return reader.actors_of(noun.head)
        if any(c.dep_ == "cop" for c in noun.children):
            clause = noun
        elif noun.dep_ == "xcomp" and fold(noun.head.lemma_) in reader.verbs.copular_verbs:
            clause = noun.head
        else:
            return []
        return [a for c in clause.children if c.dep_ in ("nsubj", "nsubj:pass") for a in reader.actors_of(c)]

    @staticmethod
    def _deployed_troops(token: Token, reader: ArgumentReader, sent: Span) -> list[str]:
        """ "des soldats russes ont été déployés": whose troops are moved, when no agent is said."""
        patient = reader.patient(token) if token.pos_ in ("VERB", "AUX") else []
        if patient:
            return patient
        clause = {t.i for t in _clause_head(token).subtree}  # not the subject of a governing "ont prévenu que"
        before = [t for t in sent if t.i < token.i and t.i in reader.linked.token_mention and t.i in clause]
        for t in reversed(before):
            mention = reader.linked.token_mention[t.i]
            actor = reader.linked.actors.get(mention.actor_id)
            if mention.kind == "demonym" and not mention.place_use or actor is not None and actor.type in ("force", "group"):
                body = reader.linked.body_of(mention.actor_id)
                return [body] if body else []
        return []

    def _held_by(self, token: Token, reader: ArgumentReader, args: Arguments) -> list[str]:
        """ "a repris plusieurs positions tenues par les rebelles": who held what is taken."""
        holders: list[str] = []
        for obj in self._object_tokens(token):
            if obj.dep_ != "acl" or fold(obj.lemma_) not in self.holding_verbs:
                continue
            for agent in obj.children:
                if agent.dep_ == "obl:agent" or agent.dep_ in ("obl", "obl:mod") and "par" in _case(agent):
                    holders += [a for a in reader.actors_of(agent) if a not in args.sources and a not in holders]
        return holders

    @staticmethod
    def _known_holders(token: Token, reader: ArgumentReader, args: Arguments) -> list[str]:
        """The holders an earlier sentence gave the place taken ("Kidal, fief du CSP-DPA" before
        "l'armée est entrée dans Kidal")."""
        names = [args.place] if args.place else []
        names += [p.name for p in reader.linked.places if p.start <= token.i + 12 and p.end >= token.i - 12]
        for name in names:
            holders = [h for h in reader.holders.get(name, []) if h not in args.sources]
            if holders:
                return holders
        return []

    def _attacked_side(self, token: Token, reader: ArgumentReader, args: Arguments, host: Optional[str]) -> list[str]:
        """Whom an attack on a place hits: the group holding it; for an armed group's attack, the
        army of a military site's country ("le JNIM a attaqué le camp militaire de Boulkessi"),
        else the place's country ("les jihadistes s'en sont pris à Gao")."""
        sites = self.lex.themes["military_site"].lemmas
        for comp in self._attacked_complements(token):
            actors = [a for a in reader.actors_of(comp) if a not in args.sources]
            if actors:
                return actors
            states, place = reader.location(comp)
            holders = [h for h in reader.holders.get(place.name, []) if h not in args.sources] if place else []
            if holders:
                return holders
            country = next((s for s in states if s not in args.sources), None) or (place.country if place else None)
            military = any(fold(t.lemma_) in sites for t in comp.subtree)
            if country is None and military and place is None:
                country = host
            if country is None or any(country == s or reader.linked.same_side(s, country) for s in args.sources):
                continue  # the army fighting in its own country does not attack it
            if not all(irregular(s, reader.linked) for s in args.sources):
                continue  # "une frappe de Barkhane a visé le village": a state's force fights someone there, not the country
            army = _army_of(country, reader.linked) if military else None
            return [army] if army and army not in args.sources else [country]
        return []

    @staticmethod
    def _attacked_complements(token: Token) -> list[Token]:
        """The object of an attack verb, or what an attack noun is against or on."""
        marks = {"contre", "sur", "à", "au", "aux", "vers", "against", "on"}
        comps = [c for c in token.children if c.dep_ == "obj" and token.pos_ in ("VERB", "AUX")]
        comps += [c for c in token.children if c.dep_ in ("obl", "obl:arg", "obl:mod", "nmod") and _case(c) & marks]
        # "une attaque revendiquée par l'EIGS contre le camp": the parser often hangs "contre" lower
        comps += [g for c in token.children if c.dep_ in ("acl", "nmod") for g in c.subtree
                  if g.dep_ in ("nmod", "obl", "obl:mod") and _case(g) & {"contre", "against"} and g not in comps]
        if not comps and token.pos_ in ("NOUN", "PROPN"):
            # "une embuscade revendiquée par X contre une patrouille ...", however it is parsed
            comps = [t for t in token.doc[token.i + 1:min(token.sent.end, token.i + 8)]
                     if t.pos_ in ("NOUN", "PROPN") and _case(t) & {"contre", "against"}][:1]
        return comps

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
        if trigger.type == "capture":
            holders = self._held_by(token, reader, args) or self._place_holders(sent, reader, args) \
                or self._known_holders(token, reader, args)
            if holders:
                args.targets += holders  # "Kidal, fief des rebelles du CSP-DPA": taken from them
                return
        if trigger.type == "fight":
            head = token.head if trigger.section == "phrases" and token.pos_ not in ("VERB", "AUX") else token
            args.targets += self._attacked_side(head, reader, args, host)
            if args.targets or token.pos_ in ("NOUN", "PROPN"):
                return
        if trigger.type in ("deploy", "withdraw", "capture"):
            comps = [t for t in sent if t.i in reader.linked.token_place or (
                t.i in reader.linked.token_mention and reader.linked.token_mention[t.i].place_use)]
            self._locate(sorted(comps, key=lambda t: abs(t.i - token.i))[:1], reader, args)
            earlier = [reader.deployed_to[s] for s in args.sources if s in reader.deployed_to]
            if not args.targets and not args.region and earlier:
                args.targets.append(earlier[-1])  # "Elle avait mobilisé 1.700 militaires": where it went before
            if not args.targets and not args.region and host and host not in args.sources:
                args.targets.append(host)
            return
        if trigger.type in SYMMETRIC and trigger.type != "fight" and len(args.sources) > 1:
            return  # "le Mali et le Niger ont signé": the coordinated sides pair up
        if token.pos_ in ("NOUN", "PROPN") and trigger.section != "phrases":
            return  # a nominal's arguments are its complements; nothing nearby stands in for them
        clause = _clause_head(token)
        # "ont prévenu que toute intervention contre le Niger serait...": a warning protects the
        # side an action in its content is against; it threatens whoever would act
        others = self._protected(token, clause, sent, reader) if trigger.type == "threaten" else set()
        protected = {reader.linked.body_of(m.actor_id) for i in others if (m := reader.linked.token_mention.get(i))}
        candidates = []
        state_force = trigger.type == "fight" and not all(irregular(s, reader.linked) for s in args.sources)
        for t in clause.subtree:
            if t.i in others:
                continue
            mention = reader.linked.token_mention.get(t.i)
            if mention is None or t.i == token.i or mention.place_use and state_force:
                continue  # "une frappe de Barkhane a visé un village du Mali": not a fight with Mali
            actor = reader.linked.body_of(mention.actor_id)
            if actor and actor not in args.sources and actor not in candidates and actor not in protected:
                candidates.append((abs(t.i - token.i), actor))
        if candidates:
            args.targets.append(min(candidates)[1])
        elif protected:
            args.targets += self._would_act(reader.linked, set(args.sources) | protected)

    @staticmethod
    def _would_act(linked: LinkedArticle, sides: set[str]) -> list[str]:
        """Whom a warning that names only the side it protects threatens ("toute intervention
        contre le Niger serait une déclaration de guerre"): the organisation the article names
        more than once (interventions are a bloc's or a coalition's), else the collective actor it
        names most, after the warning's sides and those allied with them."""
        counts = Counter(body for m in linked.mentions if (body := linked.body_of(m.actor_id)) and body not in sides
                         and linked.actors.get(body) and linked.actors[body].type != "person"
                         and not any(linked.same_side(body, side) for side in sides))
        blocs = Counter({a: n for a, n in counts.items() if linked.actors[a].type == "igo" and n > 1})
        return [(blocs or counts).most_common(1)[0][0]] if counts else []

    # -- time, quantity ------------------------------------------------------------
    def _when(self, token: Token, sent: Span, times: list[TimeExpr], modality: str,
              article: Article) -> tuple[Optional[object], bool]:
        """(when, whether the text states it): the time expression of the trigger's own clause,
        else the nearest one that does not date something else ("l'accord de 2012"), else the
        publication date for what is current."""
        ranked = [(_attachment(token, t, sent), abs(t.start - token.idx), t) for t in times
                  if not _dateline(t, sent)]
        ranked = [r for r in ranked if r[0] < 2]
        if ranked:
            return as_when(min(ranked, key=lambda r: r[:2])[2]), True
        if article.date and modality in ("asserted", "reported", "hedged") and not _pluperfect(token):
            return article.date, False
        return None, False

    @staticmethod
    def quantity_for(token: Token, fact_type: str, quantities: list[Quantity],
                     units_for: dict[str, set[str]] = UNITS_FOR) -> Optional[dict]:
        """The sentence's quantity nearest the trigger whose unit the fact type counts."""
        units = units_for.get(fact_type)
        fitting = [q for q in quantities if units and q.unit in units]
        if not fitting:
            return None
        return min(fitting, key=lambda q: abs(q.start - token.idx)).value


def _attachment(trigger: Token, expr: TimeExpr, sent: Span) -> int:
    """How a time expression hangs on a trigger: 0 in its clause, 1 elsewhere in the sentence,
    2 when it dates a noun phrase ("l'accord de 2012", "la crise de 2012")."""
    span = sent.doc.char_span(expr.start, expr.end, alignment_mode="expand")
    inside = list(span) if span is not None else []
    if not inside:
        return 1
    own = {trigger.i, _clause_head(trigger).i}
    node = next((t for t in inside if not (expr.start <= t.head.idx < expr.end) or t.head.i == t.i), inside[0])
    genitive = fold(inside[0].text) in ("de", "du", "d'") or any(
        c.dep_ == "case" and fold(c.text) in ("de", "du", "d'") for c in node.children)
    for _ in range(5):
        head = node.head
        if head.i in own:
            return 0
        if head.i == node.i or head.pos_ in ("VERB", "AUX"):
            return 1
        if head.pos_ == "NOUN" and node.dep_ == "nmod" and fold(head.lemma_) not in _time_nouns() and genitive:
            return 2  # only "de 2012" surely dates the noun: other dates are often misattached
        node = head
    return 1


@lru_cache(maxsize=1)
def _time_nouns() -> frozenset[str]:
    data = load_yaml("lexicons/fr/time.yaml")
    return frozenset(fold(w) for w in list(data["time_nouns"]) + list(data["months"]) + list(data["weekdays"]))


def _dateline(expr: TimeExpr, sent: Span) -> bool:
    """ "Pau, 14 janvier 2020 – ...": the date of the dispatch, not of what it reports."""
    rest = sent.text[expr.end - sent.start_char:expr.end - sent.start_char + 4].lstrip()
    return expr.start - sent.start_char < 40 and rest[:1] in ("–", "—", "-")


def _phrase_tokens(start: Token, length: int) -> list[Token]:
    """``length`` tokens from ``start``, skipping the auxiliaries and adverbs a tense or a
    negation puts inside a multiword trigger ("s'est tourné vers", "a mis fin")."""
    tokens = [start]
    for t in start.doc[start.i + 1:start.i + length + 4]:
        if len(tokens) == length:
            break
        if t.pos_ in ("AUX", "ADV") and fold(t.lemma_) not in ("en", "fin"):
            continue
        tokens.append(t)
    return tokens


def _place_use(token: Token, linked: LinkedArticle) -> bool:
    """A state or capital named as a place ("au Mali", "à Bamako")."""
    mention = linked.token_mention.get(token.i)
    return mention is not None and mention.place_use


def _army_of(state: str, linked: LinkedArticle) -> Optional[str]:
    """The state's national army, when the article names it (FAMa for Mali): an attack on a
    military camp hits the army, but an army the article never names is not guessed."""
    army = linked.armies.get(state)
    return army if army in linked.actors else None


def _complement_tokens(token: Token) -> set[int]:
    """The tokens of a trigger's complements (its dependents' phrases)."""
    return {t.i for c in token.children for t in c.subtree}


def _subtree_end(token: Token) -> int:
    """The character offset where a token's phrase ends."""
    last = max(token.subtree, key=lambda t: t.i)
    return last.idx + len(last.text)


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


def _lemma_after(noun: Token, theme) -> Optional[Token]:
    """A noun of the theme's lemmas just after a nominal trigger ("la dégradation continue des
    relations entre Paris et Bamako"), however the parser attached the two."""
    if noun.pos_ != "NOUN":
        return None
    end = min(noun.i + theme.following + 1, noun.sent.end)
    return next((t for t in noun.doc[noun.i + 1:end] if fold(t.lemma_) in theme.lemmas and t.pos_ == "NOUN"), None)


def _place_complements(verb: Token) -> list[Token]:
    """A verb's complements that may name where it happens; the parser may hang the place on
    the day rather than on the verb ("venue lundi à Niamey")."""
    return [c for c in verb.children if c.dep_ in ("obl", "obl:arg", "obl:mod")] + [
        g for c in verb.children if c.dep_ in ("xcomp", "obl:mod") and c.pos_ == "NOUN" and not _case(c)
        for g in c.children if g.dep_ in ("obl", "obl:mod", "nmod")]


def _without_targets(phrase: Token) -> list[Token]:
    """A noun phrase's tokens, less its complements aimed at someone ("des mesures contre
    Kiev": the measures are taken, not the city)."""
    tokens, frontier = [], [phrase]
    while frontier:
        node = frontier.pop()
        tokens.append(node)
        frontier += [c for c in node.children if not (c.dep_ == "nmod" and _case(c) & (TARGET_CASES - {"sur"}))]
    return sorted(tokens, key=lambda t: t.i)
