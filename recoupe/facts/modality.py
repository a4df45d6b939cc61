"""How sure the article is of a fact: negated > hypothetical > hedged > reported > asserted.

The French model gives mood and tense for free ("auraient été tués":
conditional, hedged; "déploiera": future, hypothetical); the rest comes from
cue lists (modal and governing verbs, nouns and adjectives of possibility,
negation particles) read along the trigger's chain of syntactic heads.
"""
from __future__ import annotations

from typing import Iterable

from spacy.tokens import Span, Token

from ..textnorm import fold

CLAUSE_STOP = {"ccomp", "parataxis", "ROOT"}
SUBCLAUSES = {"ccomp", "advcl", "acl:relcl", "parataxis", "csubj"}
SELF_NEGATING = {"jamais", "not", "never", "n't"}  # "pas", "plus" negate only beside "ne"


class ModalityReader:
    """Reads the modality cues around a trigger."""

    def __init__(self, cues: dict, speech_verbs: Iterable[str]):
        neg, hyp, hed = cues["negation"], cues["hypothetical"], cues["hedged"]
        self.neg_particles = {fold(w) for w in neg["particles"]}
        self.neg_dets = {fold(w) for w in neg["determiners"]} | {fold(w) for w in neg["pronouns"]}
        self.neg_verbs = {fold(w) for w in neg["governing_verbs"]}
        self.neg_nouns = {fold(w) for w in neg["nouns"]}
        self.neg_preps = {fold(w) for w in neg["prepositions"]}
        self.neg_phrases = [fold(p) for p in neg["phrases"]]
        self.negated_exclusion = {fold(w) for w in neg["exclusion_verbs"]}
        self.modals = {fold(w) for w in hyp["modal_verbs"]}
        self.hyp_verbs = {fold(w) for w in hyp["governing_verbs"]}
        self.hyp_nouns = {fold(w) for w in hyp["nouns"]}
        self.hyp_adjs = {fold(w) for w in hyp["adjectives"]}
        self.conditional_marks = {fold(w) for w in hyp["conditional_marks"]}
        self.future_phrases = [fold(p) for p in hyp["future_phrases"]]
        self.hedge_verbs = {fold(w) for w in hed["verbs"]}
        self.hedge_advs = {fold(w) for w in hed["adverbs"]}
        self.hedge_adjs = {fold(w) for w in hed["adjectives"]}
        self.hedge_phrases = [fold(p) for p in hed["phrases"]]
        self.speech_verbs = {fold(w) for w in speech_verbs}

    def read(self, trigger: Token, sent: Span, reported: bool) -> str:
        """The modality of the fact a trigger announces."""
        chain = self._chain(trigger)
        text = fold(sent.text)
        if self._negated(trigger, chain, text):
            return "negated"
        if self._hypothetical(trigger, chain, text, sent):
            return "hypothetical"
        if self._hedged(trigger, chain, text):
            return "hedged"
        return "reported" if reported else "asserted"

    # -- the trigger's clause ---------------------------------------------------
    def _chain(self, trigger: Token) -> list[Token]:
        """The trigger and its heads up to its clause's verb (and that verb's governor, once)."""
        chain = [trigger]
        if trigger.dep_ in ("amod", "acl", "appos") and trigger.head.i != trigger.i and trigger.head.pos_ in ("NOUN", "PROPN"):
            # "les relations déjà tendues", "le Niger, allié de Bamako, pourrait...": the modifier's own state
            return [trigger, trigger.head]
        token = trigger
        verbs_seen = 1 if trigger.pos_ in ("VERB", "AUX") else 0
        while token.head.i != token.i and len(chain) < 6:
            if fold(token.head.lemma_) in self.speech_verbs and token.dep_ in ("ccomp", "xcomp", "parataxis"):
                break  # what the speaker's verb says of itself is not the fact's ("assurer un appui" is no speech)
            if token.dep_ in CLAUSE_STOP and verbs_seen:
                break
            token = token.head
            chain.append(token)
            if token.pos_ in ("VERB", "AUX"):
                verbs_seen += 1
                if verbs_seen >= 3:
                    break
        return chain

    def _future_phrase_in_clause(self, chain: list[Token], sent: Span, text: str) -> bool:
        """Whether a future phrase ("d'ici la fin de l'année") begins in the clause of the chain's
        first verb, not in one of its subordinate clauses."""
        verb = next((t for t in chain if t.pos_ in ("VERB", "AUX")), chain[-1])

        def in_subclause(token: Token) -> bool:
            while token.i != verb.i and token.head.i != token.i:
                if token.dep_ in SUBCLAUSES:
                    return True
                token = token.head
            return False

        for phrase in self.future_phrases:
            at = text.find(phrase)
            while at >= 0:
                first = sent.doc.char_span(sent.start_char + at, sent.start_char + at + 1, alignment_mode="expand")
                if first is not None and verb.is_ancestor(first[0]) and not in_subclause(first[0]):
                    return True
                at = text.find(phrase, at + 1)
        return False

    @staticmethod
    def _with_aux(chain: list[Token]) -> list[Token]:
        return chain + [c for t in chain for c in t.children if c.dep_.startswith("aux") or c.dep_ == "cop"]

    # -- cues -------------------------------------------------------------------
    @staticmethod
    def _own_clause(chain: list[Token]) -> list[Token]:
        """The part of the chain inside the trigger's clause (and an infinitive's governor:
        "n'a pas voulu envoyer"); "n'a pas ..., alors qu'une intervention était plébiscitée"
        does not deny the intervention."""
        clause = []
        for token in chain[:3]:
            clause.append(token)
            if token.pos_ in ("VERB", "AUX") and token.dep_ != "xcomp" and token is not chain[0] or \
                    token.dep_ in ("advcl", "acl:relcl", "ccomp", "parataxis"):
                break
        return clause

    def _negated(self, trigger: Token, chain: list[Token], text: str) -> bool:
        if any(p in text for p in self.neg_phrases):
            return True
        for token in self._own_clause(chain):
            for child in token.children:
                low = fold(child.text)
                if child.dep_ == "advmod" and low in self.neg_particles and (
                        low in SELF_NEGATING or any(fold(c.text) in ("ne", "n'") for c in token.children)):
                    # "n'exclut pas une intervention": a possibility, not a denial
                    return fold(token.lemma_) not in self.negated_exclusion
                if child.dep_ == "det" and fold(child.lemma_) in self.neg_dets and token.pos_ == "NOUN":
                    return True
                if child.dep_ == "case" and low in self.neg_preps and token.i == trigger.i:
                    return True
        return any(fold(t.lemma_) in self.neg_verbs | self.neg_nouns for t in chain[1:])

    def _hypothetical(self, trigger: Token, chain: list[Token], text: str, sent: Span) -> bool:
        for token in self._with_aux(chain):
            morph = token.morph
            if "Fut" in morph.get("Tense") and token.pos_ in ("VERB", "AUX") and not _conditional(token):
                return True
            if fold(token.lemma_) == "aller" and token.pos_ in ("AUX", "VERB") and token.i != trigger.i:
                return True
        for token in chain:
            lemma = fold(token.lemma_)
            if token.i != trigger.i and token.pos_ in ("VERB", "AUX") and (lemma in self.modals or lemma in self.hyp_verbs):
                return True
            if token.i != trigger.i and token.pos_ == "NOUN" and lemma in self.hyp_nouns:
                return True
            if token.i != trigger.i and token.pos_ == "ADJ" and lemma in self.hyp_adjs:
                return True  # "s'est déclaré prêt à aider"
            if any(c.dep_ == "mark" and fold(c.text) in self.conditional_marks for c in token.children):
                return True
            if any(c.dep_ == "amod" and fold(c.lemma_) in self.hyp_adjs for c in token.children) and token.pos_ == "NOUN":
                return True
        before = trigger.doc[trigger.i - 1] if trigger.i > sent.start else None
        if trigger.pos_ == "NOUN" and before is not None and fold(before.lemma_) in self.hyp_adjs:
            return True  # "un potentiel déploiement", "une éventuelle intervention", however parsed
        if any(t.lower_ in self.conditional_marks and t.pos_ == "SCONJ"
               for t in trigger.doc[max(sent.start, trigger.i - 6):trigger.i]):
            return True  # the parser often hangs "si" on the subject rather than on the verb
        # "d'ici la fin de l'année" makes future what its own clause says, not the whole sentence
        return trigger.pos_ in ("VERB", "NOUN") and self._future_phrase_in_clause(chain, sent, text)

    def _hedged(self, trigger: Token, chain: list[Token], text: str) -> bool:
        if any(p in text for p in self.hedge_phrases):
            return True
        for token in self._with_aux(chain[:3]):
            if _conditional(token):
                return True
        for token in chain:
            if fold(token.lemma_) in self.hedge_verbs and token.i != trigger.i:
                return True
            for child in token.children:
                if fold(child.text) in self.hedge_advs or (child.dep_ == "amod" and fold(child.lemma_) in self.hedge_adjs):
                    return True
        return False


def _conditional(token: Token) -> bool:
    """A verb in the conditional: the model's mood, a future stem it tags as such with the
    conditional's endings ("seraient"), or the regular ending it sometimes misses
    ("reprocheraient" read as a present): the infinitive (less a final -e) plus -ait/-aient."""
    if "Cnd" in token.morph.get("Mood"):
        return True
    if token.pos_ not in ("VERB", "AUX"):
        return False
    text, lemma = fold(token.text), fold(token.lemma_)
    if "Fut" in token.morph.get("Tense") and text.endswith(("rait", "raient", "rais")):
        return True  # "seraient" tagged as a future: the future stem with imperfect endings
    stem = lemma[:-1] if lemma.endswith("re") else lemma
    return lemma.endswith(("er", "ir", "re")) and text in (stem + "ait", stem + "aient", stem + "ais")


def certainty(modality: str) -> int:
    """0 for the most certain modality (asserted) up to 4 (negated): the ontology's precedence reversed."""
    return {"asserted": 0, "reported": 1, "hedged": 2, "hypothetical": 3, "negated": 4}[modality]
