"""Source, target and place of a trigger, read from the dependency parse.

Verbs: the subject acts (the agent "par X" of a passive), the object or a
prepositional complement is acted upon, as the type's frame says (a
deployment's target is where troops go, a delivery's is who receives).
Nouns: "le retrait des forces françaises" (genitive = actor), "une
intervention de l'OTAN au Mali", "son soutien à X" (the possessor is the
subject of the support verb), "la coopération entre X et Y".
Coordination gives one actor per conjunct; relative pronouns resolve to
their antecedent; persons stand for the body they act for.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

from spacy.tokens import Span, Token

from ..actors.linker import ActorMention, LinkedArticle, PlaceMention
from ..data import load_yaml
from ..textnorm import fold

NOMINAL_DEPS = {"nmod", "appos", "amod", "flat:name", "flat", "compound", "fixed", "det", "nummod", "conj"}
AGENT_CASES = {"de", "du", "des", "d'", "d’", "par", "of", "by"}
TARGET_CASES = {"à", "au", "aux", "avec", "contre", "envers", "face", "vers", "sur", "entre", "pour",
                "auprès", "to", "with", "against", "on", "toward", "towards", "between", "chez"}
RECIPIENT_CASES = {"à", "au", "aux", "pour", "to", "for", "auprès"}
LOCATIVE_CASES = {"à", "au", "aux", "en", "dans", "vers", "sur", "in", "to", "into", "at"}
PURPOSE_MARKS = {"pour", "afin"}  # "pour soutenir", "afin de soutenir"
GENITIVE_CASES = {"de", "du", "des", "d'", "d’", "of"}
FROM_CASES = {"de", "du", "des", "d'", "d’", "hors", "from", "out"}
PARTNER_CASES = {"avec", "entre", "with", "between", "et"}
RELATIVE = {"qui", "que", "qu'", "qu’", "lequel", "laquelle", "lesquels", "lesquelles", "dont", "which", "who", "that"}
SINGULAR_PERSONAL = {"il", "elle", "he", "she"}
OBJECT_CLITICS = {"le", "la", "les", "l'", "l’", "lui", "leur"}
PERSONAL = {"il", "elle", "ils", "elles", "celle-ci", "celui-ci", "ceux-ci", "celles-ci", "it", "they", "he", "she"}


KIND_RANK = {"name": 0, "person": 0, "organisation": 0, "metonym": 1, "demonym": 2}


@dataclass
class Arguments:
    """Who acts, on whom, where (place name and its country)."""

    sources: list[str]
    targets: list[str]
    place: Optional[str] = None
    place_country: Optional[str] = None
    region: bool = False  # the place is a region with no single host country ("au Sahel")
    nominal: bool = False  # announced by a noun ("le déploiement"), not a verb
    allies: list[str] = field(default_factory=list)  # "aux côtés de l'armée malienne": supported, not targeted
    theatre: list[str] = field(default_factory=list)  # "la lutte au Mali": where a force fights, not whom


def _possessed(noun: Token) -> bool:
    """ "leur sommet", "son retrait": a possessive determiner names the noun's actor."""
    return any(c.dep_ == "det" and "Yes" in c.morph.get("Poss") for c in noun.children)


def _case(token: Token) -> set[str]:
    """The prepositions of a nominal ("face aux rebelles" -> {"face", "aux"}), also when the
    parser hangs them on a modifier of the nominal ("face aux rebelles touaregs")."""
    cases = {c.lower_ for c in token.children if c.dep_ in ("case", "fixed")}
    cases |= {g.lower_ for c in token.children if c.dep_ == "case" for g in c.children if g.dep_ == "fixed"}
    if not cases:
        cases = {g.lower_ for c in token.children if c.dep_ in ("amod", "det") and c.i < token.i
                 for g in c.children if g.dep_ == "case"}
    return cases


class Anaphora:
    """Definite noun phrases that stand for actors named earlier (lexicons/fr/anaphora.yaml)."""

    def __init__(self, data: dict):
        self.determiners = {fold(d) for d in data["determiners"]}
        self.numbers = {fold(k): v for k, v in data["numbers"].items()}
        self.window = int(data["window_sentences"])
        self.description_window = int(data["description_window_sentences"])
        self.kept = {fold(w) for w in data["kept_complements"]}
        self.heads = {fold(k): set(v) for k, v in data["heads"].items()}
        self.relation_nouns = {fold(w) for w in data["relation_nouns"]}
        self.relational = {fold(w) for w in data["relational_heads"]}

    def reference(self, token: Token) -> Optional[tuple[set[str], int]]:
        """(actor types, how many) an anaphoric phrase headed by ``token`` refers to, or None."""
        if token.pos_ not in ("NOUN", "PROPN"):
            return None
        types = self.heads.get(fold(token.lemma_)) or self.heads.get(fold(token.text))
        if not types:
            return None
        dets = [c for c in token.children if c.dep_ == "det"]
        if not dets or not any(fold(d.text) in self.determiners for d in dets):
            return None
        if any(c.dep_ in ("nmod", "appos", "acl:relcl") and fold(c.lemma_) not in self.kept
               and not (c.dep_ == "nmod" and _case(c) and not _case(c) & GENITIVE_CASES) for c in token.children):
            # "la mission de l'ONU", "le groupe qui...": a new description, not a reference; but
            # "ce groupe contre le camp" is the parser hanging the attack's target on the group
            return None
        count = 1
        for c in token.children:
            if c.dep_ == "nummod" and fold(c.text) in self.numbers:
                count = self.numbers[fold(c.text)]
        if count == 1 and "Plur" in token.morph.get("Number") and not any(fold(d.text) in ("ces", "these") for d in dets):
            return None  # "les pays" without a number is too vague to resolve; "ces mercenaires" points back
        return types, count


@dataclass(frozen=True)
class VerbClasses:
    """Verbs that move arguments between clauses (lexicons/fr/syntax.yaml)."""

    object_control: frozenset[str]
    support_verbs: frozenset[str]
    event_nouns: frozenset[str]
    etre_verbs: frozenset[str]
    copular_verbs: frozenset[str]
    alongside_nouns: frozenset[str]  # lowercase, not folded
    implicit_sides: dict[str, str]  # fact type -> how its implicit side is found (facts/implicit.py)
    accusing_verbs: frozenset[str]
    dismissal_verbs: frozenset[str]
    binding_verbs: frozenset[str]

    @classmethod
    def from_data(cls, data: dict) -> "VerbClasses":
        def folded(key: str) -> frozenset[str]:
            return frozenset(fold(w) for w in data[key])
        return cls(folded("object_control_verbs"), folded("support_verbs"), folded("event_nouns"),
                   folded("etre_verbs"), folded("copular_verbs"),
                   frozenset(w.lower() for w in data["alongside_nouns"]), dict(data["implicit_sides"]),
                   folded("accusing_verbs"), folded("dismissal_verbs"), folded("binding_verbs"))


def infinitive(verb: Token) -> bool:
    """An infinitive, or a past infinitive ("avoir quitté": its auxiliary is the infinitive)."""
    forms = [verb] + [a for a in verb.children if a.dep_.startswith("aux")]
    return any("Inf" in t.morph.get("VerbForm") for t in forms)


STRESSED_PRONOUNS = frozenset({"lui", "elle", "eux", "elles"})  # "eux aussi", "elle-même"


def stranded_auxiliary_subjects(participle: Token) -> list[Token]:
    """ "La Russie, ..., a pour sa part livré deux avions": the parser hangs the participle on a
    noun and makes its auxiliary the root; the auxiliary's subject is the participle's."""
    if "Part" not in participle.morph.get("VerbForm") or participle.dep_ not in ("acl", "appos"):
        return []
    node = participle
    for _ in range(3):
        node = node.head
        if node.pos_ == "PRON" and fold(node.text) in STRESSED_PRONOUNS:
            # "le Niger et le Burkina ont eux aussi commandé des drones": the parser makes the
            # pronoun the root, with the subject and the auxiliary
            return [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass")][:1]
        if node.pos_ == "AUX" and fold(node.lemma_) in ("avoir", "etre"):
            subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubj:pass")]
            if not subjects and node.head.i != node.i and node.head.pos_ in ("PROPN", "NOUN") and node.head.i < node.i:
                subjects = [node.head]  # or hangs the auxiliary on the subject itself
            return subjects[:1]
        if node.head.i == node.i:
            break
    return []


@lru_cache(maxsize=1)
def _generic_actors() -> frozenset[str]:
    """ONTOLOGY.md's generic actors (jihadists, civilians): a name beside them is more precise."""
    return frozenset(load_yaml("lexicons/fr/actor_context.yaml")["generic_actors"])


@lru_cache(maxsize=1)
def _institution_nouns() -> frozenset[str]:
    """Nouns of institutions a sentence may place in a country: those that stand for a state in
    attributions (lexicons/fr/attribution.yaml) and the framed ones of anaphora.yaml."""
    words = load_yaml("lexicons/fr/attribution.yaml")["institution_nouns"] + \
        load_yaml("lexicons/fr/anaphora.yaml")["framed_institution_nouns"]
    return frozenset(fold(w) for w in words)


@lru_cache(maxsize=1)
def _place_head_nouns() -> frozenset[str]:
    """Nouns after which "du Mali" is a place (lexicons/fr/actor_context.yaml)."""
    return frozenset(fold(w) for w in load_yaml("lexicons/fr/actor_context.yaml")["place_head_nouns"])


@lru_cache(maxsize=1)
def _lexicons() -> tuple[Anaphora, VerbClasses]:
    """Read once per process, on first use."""
    return (Anaphora(load_yaml("lexicons/fr/anaphora.yaml")),
            VerbClasses.from_data(load_yaml("lexicons/fr/syntax.yaml")))


class ArgumentReader:
    """Reads the arguments of triggers in one linked article."""

    def __init__(self, linked: LinkedArticle):
        self.linked = linked
        self.doc = linked.doc
        self.previous_subject: Optional[list[str]] = None
        self.deployed_to: dict[str, str] = {}  # where each actor was last said to deploy
        self.holders: dict[str, list[str]] = {}  # place name -> the groups said to hold it
        self.absorbed: set[int] = set()  # trigger tokens read as part of another fact ("exiger le départ")
        self.frameworks: list[tuple] = []  # (fact, agreement type, noun, when): "dans le cadre d'un contrat"
        self.anaphora, self.verbs = _lexicons()
        self._sent_starts = [s.start for s in linked.doc.sents]

    # -- actors of a phrase ------------------------------------------------------
    def actors_of(self, token: Token, depth: int = 0, conj: bool = True) -> list[str]:
        """The collective actors a noun phrase names, one per conjunct."""
        if depth > 4:
            return []
        found: list[str] = []
        head_actor = self._phrase_actor(token)
        if head_actor:
            found.append(head_actor)
        elif token.lower_ in RELATIVE and token.head.dep_ in ("acl:relcl", "acl") and token.head.head.i != token.i:
            found += self.actors_of(token.head.head, depth + 1, conj=False)
        elif token.lower_ in SINGULAR_PERSONAL and (person := self._person_before(token)):
            found.append(person)  # "Le Drian ..., une interview dans laquelle il a menacé"
        elif token.lower_ in PERSONAL and (governing := self._reporter_subject(token)) is not None:
            found += governing  # "Paris a fait savoir qu'il soutenait": il is Paris
        elif token.lower_ in PERSONAL and self.previous_subject:
            found += self.previous_subject
        elif token.lower_ in OBJECT_CLITICS and token.pos_ == "PRON" and token.dep_ in ("obj", "iobj"):
            found += self._clitic_antecedent(token)
        elif fold(token.lemma_) in self.anaphora.relation_nouns:
            found += self._relation_sides(token, depth)
        else:
            found += self.resolve(token) or self.framed_state(token) or self.described_before(token)
        if conj:
            for child in token.children:
                if child.dep_ == "conj":
                    found += [a for a in self.actors_of(child, depth + 1) if a not in found]
                elif child.dep_ == "amod":  # "les dirigeants français et maliens"
                    for adj in child.children:
                        mention = self.linked.token_mention.get(adj.i)
                        if adj.dep_ == "conj" and mention is not None:
                            actor = self._collective(mention)
                            if actor and actor not in found:
                                found.append(actor)
        return found

    def _person_before(self, token: Token) -> Optional[str]:
        """The body of the nearest person named earlier in the pronoun's sentence."""
        start = self._sentence_start(token, back=0)
        for mention in reversed(self.linked.mentions):
            actor = self.linked.actors.get(mention.actor_id)
            if start <= mention.start < token.i and actor is not None and actor.type == "person":
                return self.linked.body_of(mention.actor_id)
        return None

    def _reporter_subject(self, pronoun: Token) -> Optional[list[str]]:
        """The subject of the clause a pronoun's clause depends on ("X a affirmé qu'il...",
        "les militaires ont répété qu'ils..."), or None when there is no such subject."""
        verb = pronoun.head
        if pronoun.dep_ not in ("nsubj", "nsubj:pass") or verb.dep_ not in ("ccomp", "xcomp", "advcl") or verb.head.i == verb.i:
            return None
        governor = verb.head
        subjects = [c for c in governor.children if c.dep_ in ("nsubj", "nsubj:pass") and c.lower_ not in PERSONAL]
        if not subjects and governor.dep_ == "xcomp" and governor.head.i != governor.i:  # "a fait savoir qu'il"
            subjects = [c for c in governor.head.children if c.dep_ in ("nsubj", "nsubj:pass") and c.lower_ not in PERSONAL]
        if not subjects:
            return None
        return self.actors_of(subjects[0], depth=3)

    def _clitic_antecedent(self, pronoun: Token) -> list[str]:
        """ "Paris attribue la scène à des mercenaires de Wagner et les accuse": an object
        pronoun is the nearest actor named before it in its sentence, other than its verb's subject."""
        subject = set(self.subject(pronoun.head)) if pronoun.head.i != pronoun.i else set()
        start = self._sentence_start(pronoun, back=0)
        for mention in reversed(self.linked.mentions):
            if start <= mention.start < pronoun.i:
                actor = self._collective(mention)
                if actor and actor not in subject:
                    return [actor]
        return []

    def bound_parties(self, noun: Token) -> list[str]:
        """The parties of "l'accord qui le lie à la France", "les accords liant le Niger à Paris":
        the object of a binding verb on the noun, then its complement in "à"."""
        parties: list[str] = []
        for verb in noun.children:
            if verb.dep_ not in ("acl", "acl:relcl") or \
                    not {fold(verb.lemma_), fold(verb.text)} & self.verbs.binding_verbs:
                continue
            for child in sorted(verb.children, key=lambda c: c.dep_ != "obj"):
                if child.dep_ == "obj" or child.dep_ in ("obl", "obl:arg", "iobj") and _case(child) & {"à", "au", "aux", "to", "with", "avec"}:
                    parties += [a for a in self.actors_of(child) if a not in parties]
        return parties

    def _relation_sides(self, noun: Token, depth: int) -> list[str]:
        """Both sides of "les relations entre X et Y", the other side of "ses relations avec Y"."""
        sides: list[str] = []
        for child in noun.children:
            if child.dep_ == "nmod" and _case(child) & {"entre", "between", "avec", "with"}:
                sides += [a for a in self.actors_of(child, depth + 1) if a not in sides]
        return sides

    def resolve(self, token: Token) -> list[str]:
        """The actors an anaphoric phrase ("le pays", "les deux voisins") refers back to."""
        reference = self.anaphora.reference(token)
        if reference is None:
            return []
        types, count = reference
        in_sentence = self._named_before(token, types, count, self._sentence_start(token, back=0))
        if len(in_sentence) == count:
            return in_sentence  # "un soutien à la Mauritanie pour aider le pays"
        fitting = [a for a in (self.previous_subject or []) if self._type_of(a) in types]
        if len(fitting) == count:
            return fitting
        found = self._named_before(token, types, count, self._sentence_start(token, back=self.anaphora.window))
        if len(found) == count:
            return found
        if count == 1:
            return self._most_named_before(token, types)
        return []

    def framed_state(self, token: Token) -> list[str]:
        """ "À Dakar, le ministère des Affaires étrangères a convoqué ...", "Au Niger, les
        autorités pourraient ...": an institution the sentence opens by placing in a country is
        that country's."""
        if fold(token.lemma_) not in _institution_nouns() or any(
                c.dep_ in ("amod", "nmod", "appos") and c.i in self.linked.token_mention for c in token.subtree):
            return []
        start = self._sentence_start(token, back=0)
        frame = self.doc[start:min(start + 5, token.i)]
        comma = next((t.i for t in frame if t.text == ","), None)
        if comma is None or fold(self.doc[start].text) not in ("a", "au", "en", "in"):
            return []
        states = [m.actor_id for m in self.linked.mentions if start <= m.start < comma
                  and self.linked.actors.get(m.actor_id) and self.linked.actors[m.actor_id].type == "state"]
        return states[:1]

    def described_before(self, token: Token) -> list[str]:
        """ "Les enquêteurs font des recommandations", after "l'équipe d'enquêteurs de l'ONU": a
        definite noun repeated bare refers to the last phrase of that noun that named an actor."""
        if token.pos_ != "NOUN" or not any(c.dep_ == "det" and fold(c.text) in self.anaphora.determiners
                                           for c in token.children):
            return []
        if any(c.dep_ in ("nmod", "appos", "amod", "acl", "acl:relcl") for c in token.children):
            return []  # "les enquêteurs du Conseil", "les militaires qui ...": a new description
        lemma = fold(token.lemma_)
        earliest = self._sentence_start(token, back=self.anaphora.description_window)
        for earlier in reversed(self.doc[earliest:self._sentence_start(token, back=0)]):
            if earlier.pos_ == "NOUN" and fold(earlier.lemma_) == lemma:
                actor = self._phrase_actor(earlier)
                if actor:
                    return [actor]
        return []

    def _named_before(self, token: Token, types: set[str], count: int, earliest: int) -> list[str]:
        """The ``count`` nearest distinct actors of a type named between ``earliest`` and the token."""
        found: list[str] = []
        for mention in reversed(self.linked.mentions):
            if mention.start >= token.i or mention.start < earliest:
                continue
            actor = self._collective(mention)
            if actor and actor not in found and self._type_of(actor) in types:
                found.append(actor)
            if len(found) == count:
                break
        return found

    def _most_named_before(self, token: Token, types: set[str]) -> list[str]:
        """The article's most named earlier actor of a type ("l'Alliance" far from "l'OTAN")."""
        counts: dict[str, int] = {}
        for mention in self.linked.mentions:
            actor = self._collective(mention) if mention.start < token.i else None
            if actor and self._type_of(actor) in types:
                counts[actor] = counts.get(actor, 0) + 1
        return [max(counts, key=counts.get)] if counts else []

    def _type_of(self, actor_id: str) -> Optional[str]:
        actor = self.linked.actors.get(actor_id)
        return actor.type if actor else None

    def _sentence_start(self, token: Token, back: int) -> int:
        """The first token of the sentence ``back`` sentences before the token's."""
        index = bisect_right(self._sent_starts, token.i) - 1
        return self._sent_starts[max(0, index - back)]

    def _phrase_actor(self, token: Token) -> Optional[str]:
        """The actor named by a token or, failing that, the one inside its phrase: names before
        demonyms ("les mercenaires du groupe russe Wagner" is Wagner), then the nearest."""
        mention = self.linked.token_mention.get(token.i)
        if mention is not None and (mention.kind == "demonym" or mention.actor_id in _generic_actors()):
            named = self._named_complement(token)
            if named and named != mention.actor_id:
                # "les paramilitaires russes du groupe Wagner" are Wagner; "le groupe jihadiste
                # JNIM" is the JNIM
                return named
        if mention is not None:
            return self._collective(mention)
        found: list[tuple[int, int, ActorMention]] = []
        frontier = [(token, 0)]
        while frontier:
            node, dist = frontier.pop(0)
            for child in node.children:
                # "des drones turcs": the parser may take a postposed adjective for a clause
                adjective = child.dep_ == "acl" and child.pos_ == "ADJ"
                if child.dep_ not in NOMINAL_DEPS and not adjective or child.dep_ == "conj" or dist >= 5:
                    continue
                if child.dep_ == "nmod" and _case(child) & (TARGET_CASES - {"de"}):
                    continue  # "le soutien de X à Y": Y is another argument
                if child.dep_ == "nmod" and node.i == token.i and fold(token.lemma_) in self.anaphora.relational:
                    continue  # "les alliés européens de la France" are not France
                mention = self.linked.token_mention.get(child.i)
                if mention is not None and (not mention.place_use or self._body_genitive(node, child)):
                    found.append((KIND_RANK.get(mention.kind, 1), dist, mention))
                frontier.append((child, dist + 1))
        for _, _, mention in sorted(found, key=lambda f: (f[0], f[1])):
            actor = self._collective(mention)
            if actor:
                return actor
        return None

    def _body_genitive(self, noun: Token, child: Token) -> bool:
        """ "une délégation du Niger", "la volonté du Mali": the country as a party, although
        "du Niger" reads as a place after a place or a departure ("le nord du Mali", "le retrait
        du Niger")."""
        return child.dep_ == "nmod" and bool(_case(child) & GENITIVE_CASES) and noun.pos_ == "NOUN" \
            and fold(noun.lemma_) not in _place_head_nouns()

    def place_genitive(self, noun: Token, child: Token) -> bool:
        """ "le nord du Mali", "le retrait du Niger": a country named as the place of the noun."""
        mention = self.linked.token_mention.get(child.i)
        return bool(mention is not None and mention.place_use and child.dep_ == "nmod"
                    and fold(noun.lemma_) in _place_head_nouns())

    def _named_complement(self, token: Token) -> Optional[str]:
        """A group or company named in a genitive or apposition of the token (not in the token's
        own mention: "le groupe jihadiste JNIM" names the JNIM beside the generic words)."""
        own = self.linked.token_mention.get(token.i)
        for child in token.children:
            if child.dep_ not in ("nmod", "appos", "amod", "flat:name") or _case(child) & (TARGET_CASES - {"de"}):
                continue
            for sub in child.subtree:
                mention = self.linked.token_mention.get(sub.i)
                actor = self.linked.actors.get(mention.actor_id) if mention and mention is not own else None
                if actor and mention.kind == "name" and actor.type in ("group", "company", "force"):
                    return actor.id
        return None

    def apposed_force(self, noun: Token) -> list[str]:
        """ "la force Sabre, un contingent de 400 forces spéciales": the force a noun phrase
        set after a comma describes, however the parser hung it."""
        first = min([c.i for c in noun.children if c.dep_ == "det" and c.i < noun.i] + [noun.i])
        if first == noun.i or first < 2 or self.doc[first - 1].text != ",":
            return []
        mention = self.linked.token_mention.get(first - 2)
        actor = self.linked.actors.get(mention.actor_id) if mention else None
        return [actor.id] if actor and mention.kind == "name" and actor.type in ("force", "igo", "group", "company") else []

    def _collective(self, mention: ActorMention) -> Optional[str]:
        return self.linked.body_of(mention.actor_id)

    # -- places ------------------------------------------------------------------
    def location(self, token: Token) -> tuple[list[str], Optional[PlaceMention]]:
        """States and the place a complement names ("au Mali", "à Kidal", "dans le Sahel")."""
        states, place = [], None
        for sub in token.subtree:
            mention = self.linked.token_mention.get(sub.i)
            if mention is not None and self.linked.actors.get(mention.actor_id) and \
                    self.linked.actors[mention.actor_id].type == "state" and mention.actor_id not in states:
                states.append(mention.actor_id)
            inside_name = mention is not None and not mention.place_use  # "les États du Sahel (AES)"
            if place is None and sub.i in self.linked.token_place and not inside_name:
                place = self.linked.token_place[sub.i]
        return states, place

    # -- verbs -------------------------------------------------------------------
    def subject(self, verb: Token) -> list[str]:
        """Who acts: the subject, the agent of a passive, or the subject inherited from a governing verb."""
        children = list(verb.children)
        # "la junte aurait sollicité": the parser may call an active subject nsubj:pass, or hang
        # the participle on "aurait"; "avoir" as the auxiliary makes the verb active
        active_aux = any(c.dep_ == "aux:tense" and fold(c.lemma_) == "avoir" for c in children) or (
            verb.dep_ == "xcomp" and verb.head.pos_ == "AUX" and fold(verb.head.lemma_) == "avoir")
        passive = any(c.dep_ == "aux:pass" for c in children) or "Pass" in verb.morph.get("Voice") and not active_aux or (
            any(c.dep_ == "nsubj:pass" for c in children) and not active_aux)
        # the reflexive, whatever the parser calls it ("s'en est pris" may get "mark")
        middle = any(c.pos_ == "PRON" and fold(c.text) in ("se", "s'", "s’") for c in children)
        middle = middle or fold(verb.lemma_) in self.verbs.etre_verbs  # "ils sont entrés": not a passive
        if passive and middle:  # "les relations se sont dégradées": the subject undergoes and acts
            return [a for c in children if c.dep_ in ("nsubj", "nsubj:pass") for a in self.actors_of(c)]
        if passive or verb.dep_ == "acl":
            # "des drones acquis par Bamako": a participle's "par" complement is its agent
            agents = [c for c in children if c.dep_ == "obl:agent"] or \
                [c for c in children if c.dep_ in ("obl", "obl:mod") and "par" in _case(c)]
            if agents or passive:
                return self.actors_of(agents[0]) if agents else self._event_agent(verb)
        subjects = [c for c in children if c.dep_ == "nsubj" or c.dep_ == "nsubj:pass" and not passive]
        for subject in subjects:  # "Jean-Yves Le Drian" may come out as two subjects
            actors = self.actors_of(subject)
            if actors:
                return actors
        if verb.dep_ == "conj" and verb.head.pos_ in ("PROPN", "NOUN") and verb.head.i < verb.i:
            # "Paris et ses partenaires reprochent": the parser makes the verb a conjunct of
            # the first subject
            actors = self.actors_of(verb.head, conj=False)
            if actors:
                return actors
        if subjects:
            return []
        if verb.dep_ == "xcomp" and fold(verb.head.lemma_) in self.verbs.object_control:
            # "pousser le Danemark à retirer", "demander à l'agence de prendre en charge"
            controllers = [a for c in verb.head.children if c.dep_ in ("obj", "iobj") or (
                c.dep_ in ("obl:arg", "obl") and _case(c) & {"à", "au", "aux"}) for a in self.actors_of(c)]
            if controllers:
                return controllers  # "pousser le Danemark à retirer": the Danes withdraw
        if verb.dep_ in ("xcomp", "conj", "advcl") and verb.head.i != verb.i and verb.head.pos_ in ("VERB", "AUX", "ADJ"):
            return self.subject(verb.head) or self._sent_for(verb)
        return self._nominal_subject(verb)

    def _sent_for(self, verb: Token) -> list[str]:
        """ "L'opération avait été lancée pour soutenir l'armée": with no agent, a purpose
        clause's subject is what its passive verb sent (a force, not a place or civilians)."""
        marks = {fold(c.text) for c in verb.children if c.dep_ == "mark"}
        if verb.dep_ != "advcl" or not infinitive(verb) or not marks & PURPOSE_MARKS:
            return []
        patients = [a for a in self.patient(verb.head) if a != "civilians"]
        return patients if any(c.dep_ == "aux:pass" for c in verb.head.children) else []

    def _nominal_subject(self, verb: Token) -> list[str]:
        """The subject of a participle that qualifies a noun ("des soldats déployés"): the noun."""
        if verb.dep_ in ("acl", "appos") and verb.head.pos_ in ("NOUN", "PROPN"):
            return self.actors_of(verb.head, conj=True) or self._stranded_auxiliary_subject(verb) or \
                self._noun_controller(verb)
        if verb.dep_ == "acl" and verb.head.pos_ == "PRON" and fold(verb.head.text) in STRESSED_PRONOUNS:
            subjects = stranded_auxiliary_subjects(verb)
            return self.actors_of(subjects[0], conj=True) if subjects else []
        return []

    def _noun_controller(self, verb: Token) -> list[str]:
        """ "annonçant à son tour rompre avec Kiev": an infinitive the parser hangs on a
        complement noun that names no actor is done by the subject of the verb that governs the
        noun (not on an object: "sa décision de réduire" is the possessor's)."""
        noun = verb.head
        governor = noun.head
        if not infinitive(verb) or governor.i == noun.i or governor.pos_ not in ("VERB", "AUX") or \
                noun.dep_ not in ("obl", "obl:arg"):
            return []
        return self.subject(governor)

    def _stranded_auxiliary_subject(self, participle: Token) -> list[str]:
        """The actors of a participle's subject left on its auxiliary (stranded_auxiliary_subjects)."""
        subjects = stranded_auxiliary_subjects(participle)
        return self.actors_of(subjects[0], conj=False) if subjects else []

    def _event_agent(self, verb: Token) -> list[str]:
        """Who acted in the event a passive happened in ("tués lors de la frappe de X")."""
        frontier = [c for c in verb.children if c.dep_ in ("obl", "obl:arg", "obl:mod", "advmod")]
        events = []
        for node in frontier:
            if fold(node.lemma_) in self.verbs.event_nouns:
                events.append(node)
            events += [g for g in node.children if g.dep_ in ("obl:arg", "nmod") and fold(g.lemma_) in self.verbs.event_nouns]
        for event in events:
            for child in event.children:
                if child.dep_ in ("nmod", "amod") and (child.dep_ == "amod" or _case(child) & {"de", "du", "des", "d'", "d’", "par"}):
                    actors = self.actors_of(child)
                    if actors:
                        return actors
        return []

    def patient(self, verb: Token) -> list[str]:
        """The subject of a passive verb, or the noun a participle qualifies."""
        if fold(verb.lemma_) in self.verbs.etre_verbs:
            return []  # "ils sont entrés": a subject, not a patient
        for child in verb.children:
            if child.dep_ == "nsubj:pass":
                return self.actors_of(child)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            return self.actors_of(verb.head)
        return []

    def complements(self, head: Token, cases: Optional[set[str]], deps=("obj", "iobj", "obl", "obl:arg", "obl:mod", "nmod")) -> list[Token]:
        """Complements of a head, optionally those introduced by one of ``cases``."""
        out = []
        for child in head.children:
            if child.dep_ not in deps:
                continue
            if cases is None:
                if child.dep_ in ("obj", "iobj"):
                    out.append(child)
                continue
            if _case(child) & cases:
                out.append(child)
        return out

    def support_complements(self, noun: Token, cases: Optional[set[str]]) -> list[Token]:
        """The complements of the support verb a predicative noun is the object of
        ("faire des recommandations aux autorités")."""
        verb = noun.head
        if noun.dep_ != "obj" or verb.i == noun.i or fold(verb.lemma_) not in self.verbs.support_verbs:
            return []
        return [c for c in self.complements(verb, cases, deps=("obl", "obl:arg", "iobj")) if c.i != noun.i]

    def governing_subject(self, noun: Token) -> list[str]:
        """The subject of the verb a noun depends on ("La NSPA apporte son soutien", "subi une défaite")."""
        token = noun
        for _ in range(3):
            head = token.head
            if head.i == token.i:
                return []
            if token.dep_ in ("ccomp", "advcl", "acl:relcl", "parataxis", "csubj"):
                return []  # "ont prévenu que toute intervention serait...": another clause's subject
            if head.pos_ in ("VERB", "AUX") or (head.pos_ == "ADJ" and token.dep_ != "amod"):
                if token.dep_ in ("nsubj", "nsubj:pass"):
                    return []
                if token.dep_ == "obl:mod" and not _case(token) & {"dans", "en"} and not _possessed(noun):
                    # "à l'issue de la rencontre, les dirigeants ont...": a circumstance, not their
                    # act; but "lors de leur premier sommet" is theirs
                    return []
                return self.subject(head)
            token = head
        return []

    def remember_subject(self, sent: Span) -> None:
        """Keep the main subject of a sentence, for the pronouns of the next one."""
        root = sent.root
        subjects = [c for c in root.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if subjects and subjects[0].lower_ not in PERSONAL:
            actors = self.actors_of(subjects[0])
            if actors:
                self.previous_subject = actors
