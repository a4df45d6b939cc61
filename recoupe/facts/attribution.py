"""Who a claim is attributed to: quotations, "selon X", "X a déclaré que", "..., estime X".

For every sentence the attributor returns the spans of reported content with
their speaker: an actor id, a slug of a non-actor source (an agency, a
think tank), or "unknown" when the article does not name it.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from spacy.tokens import Span, Token

from ..actors.linker import LinkedArticle
from ..data import load_yaml
from ..nlp.text import doc_text, folded_texts, tokens_tagged
from ..textnorm import fold, lemma_candidates, slug, strip_article
from .arguments import ArgumentReader, infinitive, stranded_auxiliary_subjects

UNKNOWN = "unknown"
PRONOUNS = {"il", "elle", "ils", "elles", "lui", "eux", "he", "she", "they"}
DEFINITE = {"le", "la", "l'", "les", "the"}
VERBS = frozenset({"VERB", "AUX"})


@dataclass(frozen=True)
class Reported:
    """Tokens [start, end) of content attributed to ``speaker``."""

    start: int
    end: int
    speaker: str
    cue: str  # quote, selon, speech, or event (an announced act: the speaker is named, the fact stays asserted)


class Attributor:
    """Finds reported content and speakers in one linked article."""

    def __init__(self, lexicon: dict, linked: LinkedArticle, phrases: ArgumentReader):
        self.linked = linked
        self.doc = linked.doc
        self.speech_verbs = {fold(v) for v in lexicon["speech_verbs"]}
        self.event_verbs = {fold(v) for v in lexicon["event_verbs"]}
        self.institution_nouns = {fold(v) for v in lexicon["institution_nouns"]}
        self.learned_verbs = {fold(v) for v in lexicon["learned_verbs"]}
        self.learned_prepositions = {fold(v) for v in lexicon["learned_prepositions"]}
        self.denial_verbs = {fold(v) for v in lexicon["denial_verbs"]}
        self.demonstratives = {fold(v) for v in lexicon["demonstratives"]}
        self.document_nouns = {fold(v) for v in lexicon["document_nouns"]}
        self.speech_phrases = [tuple(fold(w) for w in p) for p in lexicon["speech_phrases"]]
        self.prepositions = [fold(p) for p in lexicon["prepositions"]]
        # first words of the prepositions in two words ("according to"): no other token starts one
        self.preposition_starts = {p.split(" ")[0] for p in self.prepositions if " " in p} | \
            {p[:p.index("'") + 1] for p in self.prepositions if "'" in p[:-1]}  # "d'" of "d'après"
        self.source_nouns = {fold(w) for w in lexicon["source_nouns"]}
        self.unknown_markers = {fold(w) for w in lexicon["unknown_markers"]}
        self.text = doc_text(self.doc)  # a property that joins every token: read it once
        self.generic = set(load_yaml("lexicons/fr/actor_context.yaml")["generic_actors"])
        self.quotes = _quote_spans(self.text, lexicon["quote_pairs"])
        self.last_speaker: Optional[str] = None
        # found when the quotation is first met: "», précise le communiqué" names the source
        # before it, which only the sentences read so far tell
        self.quote_speakers: dict[tuple[int, int], Optional[str]] = {}
        # the extractor's reader of the same article: what a bare "les rebelles" takes up
        self.phrases = phrases

    # -- public ----------------------------------------------------------------
    def reported_in(self, sent: Span) -> list[Reported]:
        """Reported spans of a sentence (call sentences in text order: pronouns refer back)."""
        found = self._selon(sent) + self._speech(sent) + self._learned(sent)
        found += self._quoted(sent, found)
        found += self._announced(sent, found)
        if found:
            self.last_speaker = found[-1].speaker
        return found

    # -- cues ------------------------------------------------------------------
    def _selon(self, sent: Span) -> list[Reported]:
        """ "selon X", "d'après X", "according to X": the rest of the sentence is X's."""
        found = []
        folded = folded_texts(self.doc)
        for i in range(sent.start, sent.end):
            low = folded[i]
            if low not in self.prepositions and low not in self.preposition_starts:
                continue
            token = self.doc[i]
            two = fold(" ".join(t.text for t in self.doc[token.i:token.i + 2]))
            if low.endswith("'") and i + 1 < sent.end:  # "D'après", split at its apostrophe
                two = fold(token.text + self.doc[i + 1].text)
            if low not in self.prepositions and two not in self.prepositions:
                continue
            skip = 2 if two in self.prepositions and low not in self.prepositions else 1
            phrase_head = self._phrase_head(token.i + skip, sent)
            if phrase_head is None:
                continue
            speaker = self._speaker_from(phrase_head)
            if speaker:
                found.append(Reported(sent.start, sent.end, speaker, "selon"))
        return found

    def _speech(self, sent: Span) -> list[Reported]:
        """A speech verb: its subject speaks; the content is its complement, or the rest of the sentence."""
        found = []
        for token in tokens_tagged(self.doc, VERBS, sent.start, sent.end):
            incise = self._is_incise(token)
            denial = fold(token.lemma_) in self.denial_verbs
            if not (self._is_speech(token) or denial or incise and fold(token.lemma_) in self.event_verbs):
                continue
            if any(c.dep_ == "aux:pass" for c in token.children):
                continue  # "l'opération a été lancée": a passive names what is said, not who says it
            subjects = [c for c in token.children if c.dep_ in ("nsubj", "nsubj:pass")] or \
                stranded_auxiliary_subjects(token)  # "Le JNIM a de son côté affirmé ..."
            if incise:
                # "..., a précisé la présidence": the speaker of an incise comes after its verb; the
                # parser takes it for an object, or hangs it on "de son côté", and may take the
                # quotation before for the subject; "à l'AFP" is whom it was said to
                after = [c for c in token.children if c.i > token.i and c.dep_ != "punct"]
                subjects = [c for c in after if c.dep_ in ("obj", "nsubj")] + \
                    [c for c in after if c.dep_ in ("obl", "obl:arg", "obl:mod", "appos")
                     and not {fold(k.text) for k in c.children if k.dep_ == "case"} & {"a", "au", "aux", "à"}] + \
                    [c for c in subjects if c.i < token.i]
            speaker = next(filter(None, (self._speaker_from(s) for s in subjects)), None)
            if speaker is None:
                continue
            # a clausal complement is a claim; a nominal object is the speech act itself
            # ("ont fait savoir leur frustration" is asserted criticism)
            complements = [c for c in token.children if c.dep_ in ("ccomp", "xcomp")]
            # "accuse les forces maliennes d'avoir tué": the parser hangs the infinitive on the object
            complements += [g for c in token.children if c.dep_ == "obj" for g in c.children
                            if g.dep_ == "acl" and any(fold(m.text) in ("de", "d'") for m in g.children if m.dep_ == "mark")]
            if not complements and fold(token.lemma_) in self.denial_verbs:
                # "son gouvernement a démenti la présence de Wagner": what is denied is reported
                complements = [c for c in token.children if c.dep_ == "obj"]
            if not complements and not incise and any(c.dep_ == "obj" for c in token.children) and token.dep_ != "parataxis":
                continue
            if incise or token.dep_ in ("parataxis", "ROOT") and not complements or token.dep_ == "parataxis":
                start, end = sent.start, sent.end  # "..., estime le général X."
            elif complements:
                sub = list(complements[0].subtree)
                start, end = sub[0].i, sub[-1].i + 1
            else:
                start, end = sent.start, sent.end
            found.append(Reported(start, end, speaker, "speech"))
        return found

    def _learned(self, sent: Span) -> list[Reported]:
        """ "ce que le journal a appris de l'agence Tass": the rest of the sentence is the source's,
        the complement in "de" or "auprès de" of a verb of learning."""
        found = []
        for token in tokens_tagged(self.doc, VERBS, sent.start, sent.end):
            if fold(token.lemma_) not in self.learned_verbs:
                continue
            for c in token.children:
                cases = {fold(k.text) for k in c.children if k.dep_ in ("case", "fixed")}
                if c.dep_.startswith("obl") and cases & self.learned_prepositions:
                    speaker = self._speaker_from(c)
                    if speaker and speaker != UNKNOWN:
                        found.append(Reported(sent.start, sent.end, speaker, "selon"))
                        break
        return found

    def _announced(self, sent: Span, found: list[Reported]) -> list[Reported]:
        """ "Macron a annoncé la fin de Barkhane": the announcer is who says so, but an official
        act announced stays asserted (cue "event"), unless another cue covers it."""
        out = []
        for token in tokens_tagged(self.doc, VERBS, sent.start, sent.end):
            if fold(token.lemma_) not in self.event_verbs or self._is_incise(token):
                continue
            subjects = [c for c in token.children if c.dep_ == "nsubj"]
            speaker = next(filter(None, (self._speaker_from(s) for s in subjects)), None)
            # "a annoncé sur sa chaîne Telegram avoir quitté le pays": the clause, not a stray object
            content = [c for c in token.children if c.dep_ in ("ccomp", "xcomp") or c.dep_ == "advcl" and infinitive(c)] \
                or [c for c in token.children if c.dep_ == "obj"]
            if speaker is None or not content:
                continue
            sub = list(content[0].subtree)
            out.append(Reported(sub[0].i, sub[-1].i + 1, speaker, "event"))
        return out

    def _quoted(self, sent: Span, found: list[Reported]) -> list[Reported]:
        """Quotations inside the sentence take the speaker found for it, else the last one."""
        out = []
        for q_start, q_end in self.quotes:
            if q_end <= sent.start_char or q_start >= sent.end_char:
                continue
            span = self.doc.char_span(max(q_start, sent.start_char), min(q_end, sent.end_char), alignment_mode="expand")
            if span is None or len(span) < 4:
                continue  # a scare quote, not speech
            if (q_start, q_end) not in self.quote_speakers:
                self.quote_speakers[(q_start, q_end)] = self._quote_speaker((q_start, q_end))
            speaker = self.quote_speakers[(q_start, q_end)] or (found[-1].speaker if found else None)
            if speaker is None and q_start < sent.start_char:
                speaker = self.last_speaker  # a quotation that runs on from an earlier sentence
            if speaker is None and self._embedded(q_start, sent):
                continue  # "au cours « d'une opération de combat »": words quoted inside the article's sentence
            out.append(Reported(span.start, span.end, speaker or UNKNOWN, "quote"))
        return out

    def _embedded(self, q_start: int, sent: Span) -> bool:
        """A quotation opened in the middle of a clause, after a word rather than after a
        colon, a comma or the start of the sentence."""
        if q_start <= sent.start_char:
            return False
        before = self.text[sent.start_char:q_start].rstrip()
        return bool(before) and before[-1] not in ":,;.!?—–-(«\"“"

    def _quote_speaker(self, quote: tuple[int, int]) -> Optional[str]:
        """Who speaks a quotation: a speech verb after it ("», estime X") or before it ("X a dit : «")."""
        q_start, q_end = quote
        closing = self.doc.char_span(q_end - 1, q_end, alignment_mode="expand")
        opening = self.doc.char_span(q_start, q_start + 1, alignment_mode="expand")
        for edge in (closing, opening):
            if edge is None:
                continue
            for reported in self._speech(edge.sent) + self._selon(edge.sent):
                if reported.speaker:
                    return reported.speaker
        return None

    # -- helpers ---------------------------------------------------------------
    @staticmethod
    def _is_incise(verb: Token) -> bool:
        """A reporting clause after what it reports: "..., a annoncé jeudi Emmanuel Macron." """
        if verb.head.i >= verb.i and verb.dep_ != "ROOT":
            return False
        first = min([c.i for c in verb.children if c.dep_.startswith("aux")] + [verb.i])
        before = verb.doc[first - 1] if first > 0 and not verb.doc[first].is_sent_start else None
        # "Le Niger et le Mali, réunis à Niamey, ont annoncé": a subject before the verb makes it
        # no incise, unless the parser took the quotation for it ("« ... », estime le général")
        preposed = any(c.dep_ in ("nsubj", "nsubj:pass") and c.i < verb.i for c in verb.children)
        return before is not None and before.text in (",", "»", "”", '"') and \
            not any(c.dep_ in ("ccomp", "obj") and c.i < verb.i for c in verb.children) and \
            (not preposed or _after_quote(verb))

    def _is_speech(self, token: Token) -> bool:
        if any(fold(form) in self.speech_verbs for form in lemma_candidates(token)):
            return True
        lemma = fold(token.lemma_)
        for phrase in self.speech_phrases:
            if lemma == phrase[0] and any(fold(c.lemma_) == phrase[1] for c in token.children):
                return True
        return False

    def _refers_back(self, head: Token) -> bool:
        """A source named again: "cette source", or a document with a definite article
        and nothing else ("le texte", "le communiqué")."""
        lemma = fold(head.lemma_)
        dets = {fold(c.text) for c in head.children if c.dep_ == "det"}
        if lemma in self.source_nouns and dets & self.demonstratives:
            return True
        described = any(c.dep_ in ("nmod", "amod", "appos", "acl", "acl:relcl") for c in head.children)
        return lemma in self.document_nouns and bool(dets & (self.demonstratives | DEFINITE)) and not described

    def _state_before(self, i: int) -> Optional[str]:
        """The state last named before token i, as an actor and not as a place."""
        for mention in reversed(self.linked.mentions):
            if mention.start >= i or mention.place_use or mention.kind == "demonym":
                continue  # "instructeurs russes" says whose, not who
            actor = self.linked.actors.get(mention.actor_id)
            if actor is not None and actor.type == "state":
                return actor.id
        return None

    def _phrase_head(self, i: int, sent: Span) -> Optional[Token]:
        """The head noun of the phrase starting at token i (after "selon")."""
        if i >= sent.end:
            return None
        token = self.doc[i]
        while token.head.i != token.i and token.head.i >= i and token.head.i < sent.end and \
                token.dep_ in ("det", "amod", "case", "flat:name", "compound", "nummod"):
            token = token.head
        return token

    def _speaker_from(self, head: Token) -> Optional[str]:
        """The speaker a noun phrase names: a person, an actor, a medium, or unknown."""
        if fold(head.text) in PRONOUNS:
            return self.last_speaker
        if self.last_speaker and self._refers_back(head):
            return self.last_speaker  # "d'après cette source", "selon le texte": the one just named
        subtree = [t for t in _nominal_core(head) if t.i >= head.i - 3]
        mentions = self.linked.token_mention
        named_in = [mentions[t.i] for t in subtree if t.i in mentions]
        if fold(head.lemma_) in self.unknown_markers and named_in and all(m.kind == "demonym" for m in named_in):
            return UNKNOWN  # "une source sécuritaire malienne" is not named (ONTOLOGY.md)
        if not named_in and fold(head.lemma_) in self.institution_nouns and head.i not in mentions:
            state = self._state_before(head.i)
            if state:
                return state
        people = [m for m in named_in if self.linked.actors[m.actor_id].type == "person"]
        if people:
            return people[0].actor_id
        if head.i in self.linked.media_tokens:
            return slug(self.linked.media_tokens[head.i])
        # "l'agence de presse russe Tass": the parser may hang the name elsewhere; the word right
        # after the phrase still names it
        after = self.doc[head.right_edge.i + 1] if head.right_edge.i + 1 < len(self.doc) else None
        for t in subtree + ([after] if after is not None else []):
            if t.i in self.linked.media_tokens:
                return slug(self.linked.media_tokens[t.i])
        named = [self.linked.token_mention[t.i] for t in sorted(subtree, key=lambda t: abs(t.i - head.i))
                 if t.i in self.linked.token_mention]
        # "le groupe jihadiste JNIM", "le groupe russe Wagner": the name, not the generic word or
        # the demonym beside it
        specific = [m for m in named if m.actor_id not in self.generic]
        proper = [m for m in specific if m.kind != "demonym"]
        if named:
            return (proper or specific or named)[0].actor_id
        agents = [g for c in head.children if c.dep_ == "acl" for g in c.children if g.dep_ == "obl:agent"]
        if agents and (speaker := self._speaker_from(agents[0])):
            return speaker  # "d'après des images diffusées par la télévision ORTM"
        described = self.phrases.described_before(head)
        if described:
            return described[0]  # "selon les rebelles", after "les rebelles du CSP-DPA"
        if fold(head.lemma_) in self.unknown_markers or fold(head.text) in self.unknown_markers:
            return UNKNOWN
        if head.ent_type_ in ("ORG", "MISC") or head.pos_ == "PROPN":
            name = " ".join(t.text for t in head.subtree if t.ent_type_ or t.pos_ == "PROPN")
            return slug(strip_article(name)) or None
        if fold(head.lemma_) in self.source_nouns or fold(head.lemma_) in self.document_nouns:
            return UNKNOWN  # "selon le texte" with no source named before it
        return None


def _after_quote(verb: Token) -> bool:
    """ "« ... », estime le général": the verb (or its auxiliary) follows a closing quotation mark."""
    first = min([c.i for c in verb.children if c.dep_.startswith("aux")] + [verb.i])
    return any(t.text in ("»", "”", '"') for t in verb.doc[max(0, first - 2):first])


def _nominal_core(head: Token) -> list[Token]:
    """A noun phrase without its clauses: "une source ..., commentant une déclaration de X"
    is not X speaking."""
    core = [head]
    for child in head.children:
        if child.dep_ not in ("acl", "acl:relcl", "advcl", "ccomp", "parataxis", "punct"):
            core += _nominal_core(child)
    return core


def _quote_spans(text: str, pairs: list[list[str]]) -> list[tuple[int, int]]:
    """Character spans of quotations (« », “ ”, and straight quotes), paired within a paragraph.

    A quotation does not run across a paragraph break unopened: the press reopens it
    at each paragraph.  So a mark left without its partner in a paragraph is the end
    of a quotation carried over from the paragraph before (its span starts with the
    paragraph), or the start of one carried over to the next (its span ends with it);
    pairing straight quotes across the whole text would put every later paragraph
    in the article's voice inside a quotation once one mark is missing."""
    spans = []
    offset = 0
    for paragraph in text.split("\n"):
        for opening, closing in pairs:
            spans += [(offset + s, offset + e) for s, e in _paired(paragraph, opening, closing)]
        offset += len(paragraph) + 1
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s < merged[-1][1]:
            continue
        merged.append((s, e))
    return merged


def _paired(paragraph: str, opening: str, closing: str) -> list[tuple[int, int]]:
    """Spans of one kind of quotation in one paragraph (see ``_quote_spans``)."""
    marks = []  # (position, opens?)
    for i, char in enumerate(paragraph):
        if char == opening and opening != closing:
            marks.append((i, True))
        elif char == closing and opening != closing:
            marks.append((i, False))
        elif char == opening:  # a straight quote opens after a space or the start, before a word
            before = paragraph[i - 1] if i else " "
            after = paragraph[i + 1] if i + 1 < len(paragraph) else " "
            marks.append((i, (before.isspace() or before in "([:") and not after.isspace()))
    spans, start = [], None
    for i, opens in marks:
        if opens and start is None:
            start = i
        elif not opens:
            spans.append((0 if start is None else start, i + 1))
            start = None
    if start is not None:
        spans.append((start, len(paragraph.rstrip())))
    return [(s, e) for s, e in spans if e - s > 3]
