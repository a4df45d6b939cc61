"""Recognise the actors of one parsed article and link them to the knowledge base.

Mentions come from four sources, in this order of trust:
1. knowledge-base names, metonyms ("Bamako", "le Kremlin") and demonyms,
   read in context ("les Russes" is Russia as a side, "l'armée malienne"
   is the Malian army, "le groupe russe Wagner" mentions only Wagner);
2. persons: knowledge-base names, else the model's PER entities, a bare
   surname resolving to the full name met earlier in the article;
3. unknown organisations whose head noun says what they are
   ("le mouvement X" is a group);
4. places, from the gazetteer, which are never actors but give countries.
"""
from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Optional

from spacy.tokens import Doc, Span, Token

from ..data import load_yaml
from ..model import Actor, Article
from ..nlp.text import doc_text, tokens_tagged
from ..textnorm import fold, slug, strip_article
from .kb import KnowledgeBase
from .matcher import FormIndex

LOGGER = logging.getLogger(__name__)

NOUNS = frozenset({"NOUN"})
LOCATIVE_CASES = {"à", "au", "aux", "en", "dans", "vers", "sur", "depuis", "de", "du", "des", "in", "at", "to", "from"}
ORG_HEADS = {
    "groupe": "group", "mouvement": "group", "front": "group", "coalition": "group", "milice": "group",
    "katiba": "group", "brigade": "force", "bataillon": "force", "armée": "force", "force": "force",
    "société": "company", "compagnie": "company", "entreprise": "company", "firme": "company",
}

_FORM_MATCHES = ("recoupe", "form_matches")  # doc.user_data key


@dataclass
class ActorMention:
    """Tokens [start, end) of the doc naming one actor."""

    start: int
    end: int
    actor_id: str
    kind: str  # name, metonym, demonym, person, organisation
    surface: str
    place_use: bool = False  # "à Bamako": the capital as a place


@dataclass
class PlaceMention:
    """Tokens [start, end) naming a place; ``country`` is a state id or None."""

    start: int
    end: int
    name: str
    country: Optional[str]
    place: object = None


@dataclass
class LinkedArticle:
    """The actors of one article, with every token's mention."""

    doc: Doc
    mentions: list[ActorMention]
    places: list[PlaceMention]
    actors: dict[str, Actor]
    media_tokens: dict[int, str]
    clutter: set[int]
    bodies: dict[str, str] = field(default_factory=dict)  # person id -> the body they act for
    host: Optional[str] = None  # the country where the article's events happen
    armies: dict[str, str] = field(default_factory=dict)  # state id -> its national army's id (KB)
    state_backed: set[str] = field(default_factory=set)  # groups working for a state (Wagner)
    token_mention: dict[int, ActorMention] = field(default_factory=dict)
    token_place: dict[int, PlaceMention] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for mention in self.mentions:
            for i in range(mention.start, mention.end):
                self.token_mention[i] = mention
        for place in self.places:
            for i in range(place.start, place.end):
                self.token_place.setdefault(i, place)

    def parents(self, actor_id: str) -> set[str]:
        """Everything an actor is part of or affiliated with, transitively (Barkhane: France)."""
        parents: set[str] = set()
        frontier = [actor_id]
        while frontier and len(parents) < 8:
            actor = self.actors.get(frontier.pop())
            for parent in (actor.part_of, actor.affiliated_with) if actor else ():
                if parent and parent not in parents:
                    parents.add(parent)
                    frontier.append(parent)
        return parents

    def same_side(self, a: str, b: str) -> bool:
        """Whether one actor is part of, or affiliated with, the other (Barkhane and France)."""
        return b in self.parents(a) or a in self.parents(b)

    def body_of(self, actor_id: str) -> Optional[str]:
        """The collective actor an actor stands for in facts (a person's state or group)."""
        actor = self.actors.get(actor_id)
        if actor is None or actor.type != "person":
            return actor_id
        return self.bodies.get(actor_id)


class Linker:
    """Links mentions in parsed articles to knowledge-base actors."""

    def __init__(self, kb: KnowledgeBase, gazetteer, tokenizer):
        self.kb = kb
        self.gazetteer = gazetteer
        ctx = load_yaml("lexicons/fr/actor_context.yaml")
        self.army_nouns = {fold(w) for w in ctx["army_nouns"]}
        self.soldier_nouns = {fold(w) for w in ctx["soldier_nouns"]}
        self.state_nouns = {fold(w) for w in ctx["state_nouns"]}
        self.local_armies = set(ctx["local_armies"])
        self.titles = {fold(w) for w in ctx["person_titles"]}
        self.not_persons = {fold(w) for w in ctx["not_persons"]}
        self.clutter_res = [re.compile(p, re.IGNORECASE) for p in ctx["clutter_lines"]]
        self.inline_credit_re = re.compile(ctx["inline_credit"])
        self.generic = set(ctx["generic_actors"])
        self.host_nouns = {fold(w) for w in ctx["host_government_nouns"]}
        self.host_heads = {fold(w) for w in ctx["host_government_heads"]}
        self.host_modifiers = {fold(w) for w in ctx["host_government_modifiers"]}
        entries = [(a.text, (a.actor_id, a.kind)) for a in kb.aliases()]
        entries += [(name, (name, "media")) for name in ctx["media"]]
        self.actor_forms = FormIndex(tokenizer, entries)
        self.place_forms = FormIndex(tokenizer, [(name, place) for name, place in gazetteer.names()])

    def known_tokens(self, doc: Doc) -> set[int]:
        """Tokens inside a name the base or the gazetteer knows (what the model's entity
        recogniser need not read: ``nlp.pipeline.SelectiveEntities``)."""
        actor_matches, place_matches = self._form_matches(doc)
        return {i for m in actor_matches + place_matches for i in range(m.start, m.end)}

    def _form_matches(self, doc: Doc) -> tuple[list, list]:
        """The base's and the gazetteer's names in the doc, found once per doc: the entity
        recogniser asks for them before the doc is linked (kept in the doc, which they do not
        refer to)."""
        found = doc.user_data.get(_FORM_MATCHES)
        if found is None:
            found = doc.user_data[_FORM_MATCHES] = (self.actor_forms.find(doc), self.place_forms.find(doc))
        return found

    # -- entry point -------------------------------------------------------
    def link(self, doc: Doc, article: Article) -> LinkedArticle:
        """All actor and place mentions of one article, and its actors."""
        clutter = self._clutter_tokens(doc)
        mentions, media = self._kb_mentions(doc, clutter)
        taken = {i for m in mentions for i in range(m.start, m.end)} | set(media)
        places = self._places(doc, clutter, taken)
        taken |= {i for p in places for i in range(p.start, p.end)}
        mentions += self._persons(doc, clutter, taken, mentions)
        taken = {i for m in mentions for i in range(m.start, m.end)} | set(media)
        mentions += self._organisations(doc, clutter, taken)
        host = self._host(mentions, places)
        if host:
            taken = {i for m in mentions for i in range(m.start, m.end)}
            mentions += self._host_government(doc, clutter, taken, host)
        mentions.sort(key=lambda m: m.start)
        actors, bodies = self._actors(doc, mentions, article.date)
        armies = {a.id: self.kb.army_of(a.id) for a in actors.values() if a.type == "state" and self.kb.army_of(a.id)}
        backed = {a.id for a in actors.values() if a.type in ("group", "company") and self._state_backed(a.id)}
        return LinkedArticle(doc, mentions, places, actors, media, clutter, bodies, host=host, armies=armies,
                             state_backed=backed)

    def _state_backed(self, actor_id: str) -> bool:
        """Whether a group works for a state (Wagner, Africa Corps, Sadat), as the base says."""
        seen: set[str] = set()
        entry = self.kb.get(actor_id)
        while entry is not None and entry.id not in seen:
            seen.add(entry.id)
            parent = self.kb.get(entry.affiliated_with or entry.part_of or "")
            if parent is not None and parent.type == "state":
                return True
            entry = parent
        return False

    # -- the host country ----------------------------------------------------
    def _host(self, mentions: list[ActorMention], places: list[PlaceMention]) -> Optional[str]:
        """The country of the article's places, else its most named state."""
        counts: dict[str, int] = {}
        named = {i for m in mentions for i in range(m.start, m.end)}
        for place in places:
            # a capital is counted through its mention ("Paris a accusé" is France acting, not a place)
            if place.country and place.start not in named:
                counts[place.country] = counts.get(place.country, 0) + 2
        for mention in mentions:
            entry = self.kb.get(mention.actor_id)
            # a demonym says whose ("les drones américains"), not where
            if entry is not None and entry.type == "state" and mention.kind != "demonym":
                counts[mention.actor_id] = counts.get(mention.actor_id, 0) + (2 if mention.place_use else 1)
        return max(counts, key=counts.get) if counts else None

    def _host_government(self, doc: Doc, clutter: set[int], taken: set[int], host: str) -> list[ActorMention]:
        """ "la junte", "le gouvernement de transition": the host country's government."""
        found = []
        for token in tokens_tagged(doc, NOUNS):
            if token.i in taken or token.i in clutter:
                continue
            lemma = fold(token.lemma_)
            if lemma in self.host_nouns:
                found.append(ActorMention(token.i, token.i + 1, host, "metonym", token.text))
            elif lemma in self.host_heads:
                mods = [c for c in token.children if fold(c.lemma_) in self.host_modifiers and c.i not in taken]
                if mods:
                    end = max(c.right_edge.i for c in mods) + 1
                    found.append(ActorMention(token.i, end, host, "metonym", doc[token.i:end].text))
        return found

    # -- page clutter ------------------------------------------------------
    def _clutter_tokens(self, doc: Doc) -> set[int]:
        """Tokens on lines that are menus, bylines, credits or links."""
        clutter: set[int] = set()
        offset = 0
        for line in doc_text(doc).split("\n"):
            stripped = line.strip()
            if stripped and any(r.search(stripped) for r in self.clutter_res):
                span = doc.char_span(offset, offset + len(line), alignment_mode="expand")
                if span is not None:
                    clutter.update(range(span.start, span.end))
            for credit in self.inline_credit_re.finditer(line):
                # "... drapeaux russes. Image : X/AP Photo": a caption credit inside a line
                span = doc.char_span(offset + credit.start(), offset + len(line), alignment_mode="expand")
                if span is not None:
                    clutter.update(range(span.start, span.end))
            offset += len(line) + 1
        return clutter

    # -- knowledge-base forms ---------------------------------------------
    def _kb_mentions(self, doc: Doc, clutter: set[int]) -> tuple[list[ActorMention], dict[int, str]]:
        """Mentions of knowledge-base names, metonyms and demonyms; media spans apart."""
        mentions: list[ActorMention] = []
        media: dict[int, str] = {}
        matches = [m for m in self._form_matches(doc)[0] if m.start not in clutter]
        text = doc_text(doc)
        name_spans = {i for m in matches for i in range(m.start, m.end)
                      if any(kind == "name" for _, kind in m.payloads)}
        for match in matches:
            span = doc[match.start:match.end]
            if _acronym_in_capitals(span, text):
                continue  # "UN ACCORD SIGNÉ À BAMAKO": a French word, not the United Nations
            by_kind = {kind: actor_id for actor_id, kind in reversed(match.payloads)}
            if "media" in by_kind:
                for i in range(match.start, match.end):
                    media[i] = by_kind["media"]
                continue
            if "name" in by_kind:
                actor_id = by_kind["name"]
                kind = "name"
                if self.kb.get(actor_id) and self.kb.get(actor_id).type == "state" and _is_locative(span):
                    mentions.append(ActorMention(span.start, span.end, actor_id, "name", span.text, place_use=True))
                    continue
                mentions.append(ActorMention(span.start, span.end, actor_id, kind, span.text))
            elif "metonym" in by_kind:
                mentions.append(ActorMention(span.start, span.end, by_kind["metonym"], "metonym", span.text,
                                             place_use=_is_locative(span)))
            elif "demonym" in by_kind:
                mention = self._demonym(doc, span, by_kind["demonym"], name_spans)
                if mention:
                    mentions.append(mention)
        return mentions, media

    def _demonym(self, doc: Doc, span: Span, state: str, name_spans: set[int]) -> Optional[ActorMention]:
        """Read a demonym in context: a side, an army, a government or the state."""
        token = span.root
        if token.text[:1].isupper() and (token.pos_ in ("NOUN", "PROPN") or _has_det(token)) and token.i > 0:
            return ActorMention(span.start, span.end, state, "demonym", span.text)
        head = token.head if token.dep_ in ("amod", "nmod", "appos", "conj") else None
        if head is None or head.i == token.i:
            return ActorMention(span.start, span.end, state, "demonym", span.text)
        if head.i in name_spans:
            return None  # "le groupe russe Wagner": the adjective only qualifies Wagner
        if any(child.i in name_spans for child in head.children if child.dep_ in ("appos", "flat:name", "nmod")
               and child.i > token.i and not any(c.dep_ == "case" for c in child.children)):
            return None  # "la force française Sabre" (but "un déploiement américain au Mali" is American)
        coordinated = token.dep_ == "conj"
        while coordinated and head.pos_ == "ADJ" and head.dep_ in ("amod", "conj") and head.head.i != head.i:
            head = head.head  # "les armées malienne et burkinabè": "burkinabè" qualifies "armées" too
        lemma, first = _hyphenated(head)
        if head.pos_ in ("NOUN", "PROPN"):
            start, end = min(first, span.start), max(head.i + 1, span.end)
            if coordinated:  # the noun is the first demonym's mention ("les juntes malienne")
                start, end = span.start, span.end
            surface = doc[start:end].text
            army = self.kb.army_of(state)
            if army and (lemma in self.army_nouns or _is_armed_forces(head)):
                return ActorMention(start, end, army, "demonym", surface)
            if lemma in self.soldier_nouns:
                actor = army if army and state in self.local_armies else state
                return ActorMention(start, end, actor, "demonym", surface)
            if lemma in self.state_nouns:
                return ActorMention(start, end, state, "demonym", surface)
        return ActorMention(span.start, span.end, state, "demonym", span.text)

    # -- places ------------------------------------------------------------
    def _places(self, doc: Doc, clutter: set[int], taken: set[int]) -> list[PlaceMention]:
        """Gazetteer places; overlapping a metonym is fine ("à Bamako")."""
        places = []
        for match in self._form_matches(doc)[1]:
            if match.start in clutter:
                continue
            place = match.payloads[0]
            places.append(PlaceMention(match.start, match.end, doc[match.start:match.end].text,
                                       getattr(place, "country", None), place))
        return places

    # -- persons -----------------------------------------------------------
    def _persons(self, doc: Doc, clutter: set[int], taken: set[int],
                 known: list[ActorMention]) -> list[ActorMention]:
        """Persons from the model's PER entities, surnames resolved within the article."""
        surnames: dict[str, str] = {}
        for mention in known:
            actor = self.kb.get(mention.actor_id)
            if actor is not None and actor.type == "person":
                surnames[fold(mention.surface.split()[-1])] = mention.actor_id
        found: list[ActorMention] = []
        for ent in doc.ents:
            if ent.label_ != "PER" or ent.start in clutter or any(i in taken for i in range(ent.start, ent.end)):
                continue
            ent = _trim_person(ent)
            words = ent.text.split() if ent is not None else []
            if not words:  # nothing left, or only characters that str.split takes for spaces ("\x1f")
                continue
            key = fold(words[-1])
            if len(words) == 1:
                if key in surnames:
                    found.append(ActorMention(ent.start, ent.end, surnames[key], "person", ent.text))
                elif self._titled(ent) and key not in self.not_persons:
                    found.append(ActorMention(ent.start, ent.end, slug(ent.text), "person", ent.text))
                continue
            if key in self.not_persons or not all(w[:1].isupper() for w in words if len(w) > 3):
                continue
            actor_id = slug(ent.text)
            surnames.setdefault(key, actor_id)
            found.append(ActorMention(ent.start, ent.end, actor_id, "person", ent.text))
        return found

    def _titled(self, ent: Span) -> bool:
        """A single name preceded by a title ("le général Mody")."""
        return ent.start > 0 and fold(ent.doc[ent.start - 1].text) in self.titles

    # -- unknown organisations --------------------------------------------
    def _organisations(self, doc: Doc, clutter: set[int], taken: set[int]) -> list[ActorMention]:
        """ORG entities outside the base whose head noun gives their type ("le mouvement X")."""
        found = []
        for ent in doc.ents:
            if ent.label_ != "ORG" or ent.start in clutter or any(i in taken for i in range(ent.start, ent.end)):
                continue
            words = strip_article(ent.text).split()
            if len(words) < 2 or fold(words[0]) not in ORG_HEADS:
                continue
            found.append(ActorMention(ent.start, ent.end, slug(strip_article(ent.text)), "organisation",
                                      strip_article(ent.text)))
        return found

    # -- actors ------------------------------------------------------------
    def _actors(self, doc: Doc, mentions: list[ActorMention], date: Optional[str]) -> tuple[dict[str, Actor], dict[str, str]]:
        """One Actor per id, with the names it appears under and the base's relations."""
        actors: dict[str, Actor] = {}
        bodies: dict[str, str] = {}
        for mention in mentions:
            actor = actors.get(mention.actor_id)
            if actor is None:
                actor = self._new_actor(doc, mention, date)
                actors[mention.actor_id] = actor
            name = strip_article(mention.surface.strip())
            if name and name not in actor.names:
                actor.names.append(name)
            if actor.type == "person" and mention.actor_id not in bodies:
                # the title the article gives ("le général français X") says whom the person acts
                # for here, better than the base's role at a date the article may not give
                body = self._context_affiliation(doc, mention, title_only=True) or actor.affiliated_with \
                    or self._context_affiliation(doc, mention)
                if body:
                    bodies[mention.actor_id] = body
                    actor.affiliated_with = actor.affiliated_with or body
        return actors, bodies

    def _new_actor(self, doc: Doc, mention: ActorMention, date: Optional[str]) -> Actor:
        """An Actor from the base, or a new one for a name the base does not know."""
        entry = self.kb.get(mention.actor_id)
        if entry is None:
            kind = "person" if mention.kind == "person" else ORG_HEADS.get(fold(mention.surface.split()[0]), "group")
            return Actor(id=mention.actor_id, type=kind, in_kb=False)
        actor = Actor(id=entry.id, type=entry.type, part_of=entry.part_of,
                      affiliated_with=entry.affiliated_with, wikidata=entry.wikidata)
        if entry.type == "person":
            role = self.kb.role_at(entry.id, date)
            if role is not None:
                actor.role = role.title
                actor.affiliated_with = role.org or entry.affiliated_with
        return actor

    def _context_affiliation(self, doc: Doc, mention: ActorMention, title_only: bool = False) -> Optional[str]:
        """The body a person speaks for, from the title around the name ("le général français X",
        "X, ministre malien"); with ``title_only`` False, also from the clause the name is the
        subject of (for persons the base does not know)."""
        root = doc[mention.start:mention.end].root
        heads = ("appos", "flat:name", "nmod") if title_only else ("appos", "flat:name", "nmod", "nsubj")
        neighbours = [root.head] if root.dep_ in heads else []
        neighbours += [c for c in root.children if c.dep_ in ("appos", "nmod", "amod")]
        for token in neighbours:
            for sub in token.subtree:
                if mention.start <= sub.i < mention.end:
                    continue
                # a word's own form, so "forces armées maliennes" gives the state, not its army
                for actor_id, _ in self.actor_forms.word(sub.text):
                    entry = self.kb.get(actor_id)
                    if entry is not None and entry.type != "person":
                        return actor_id
        return None


def _acronym_in_capitals(span: Span, text: str) -> bool:
    """A short all-capital match on a line of ``text`` written all in capitals (a headline)."""
    if len(span.text) > 3 or not span.text.isupper():
        return False
    start = text.rfind("\n", 0, span.start_char) + 1
    end = text.find("\n", span.end_char)
    line = text[start:end if end >= 0 else len(text)]
    letters = [c for c in line if c.isalpha()]
    return len(letters) > 12 and all(c.isupper() for c in letters)


def _is_locative(span: Span) -> bool:
    """A name used as a place: governed by a locative preposition."""
    for child in span.root.children:
        if child.dep_ == "case" and child.lower_ in LOCATIVE_CASES:
            return True
    prev = span.doc[span.start - 1] if span.start > 0 else None
    return bool(prev is not None and prev.lower_ in ("à", "au", "en", "in", "at"))


def _hyphenated(head: Token) -> tuple[str, int]:
    """A noun's folded lemma and first token, a compound the tokenizer split at its hyphen
    included: "l'état-major" is "état", "-", "major" (its lemma is then the compound's text)."""
    doc = head.doc
    if head.i >= 2 and doc[head.i - 1].text == "-" and not doc[head.i - 2].whitespace_ \
            and not doc[head.i - 1].whitespace_ and doc[head.i - 2].is_alpha:
        return fold(f"{doc[head.i - 2].text}-{head.text}"), head.i - 2
    return fold(head.lemma_), head.i


def _has_det(token: Token) -> bool:
    """Whether a token has a determiner ("les Russes")."""
    return any(c.dep_ == "det" for c in token.children) or (
        token.i > 0 and token.doc[token.i - 1].pos_ == "DET")


def _is_armed_forces(head: Token) -> bool:
    """ "forces armées maliennes": force + armé."""
    return fold(head.lemma_) in ("force", "forces") and any(fold(c.text).startswith("arme") for c in head.children)


def _trim_person(ent: Span) -> Optional[Span]:
    """Drop a leading title or article from a PER entity; None if nothing is left."""
    start = ent.start
    while start < ent.end and (ent.doc[start].pos_ in ("DET", "ADP", "PUNCT") or ent.doc[start].is_lower):
        start += 1
    end = ent.end
    while end > start and ent.doc[end - 1].pos_ == "PUNCT":
        end -= 1
    return ent.doc[start:end] if end > start else None
