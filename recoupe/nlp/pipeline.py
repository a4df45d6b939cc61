"""Build the spaCy pipeline used by the extractor.

The French model ``fr_core_news_md`` gives tokens, lemmas, morphology (mood
and tense carry modality), dependencies (arguments of triggers) and a
weak NER that only proposes person candidates.  One component is added:
line breaks end sentences, because headlines, captions and datelines have
no final full stop.  Two things cost less than in the plain model, for the
same attributes: the attribute rules (PosTags), and tokenizing inside memory
zones (TokenizerPrimer).
"""
from __future__ import annotations

import logging
from typing import Iterable, Optional

import numpy
import spacy
from spacy.language import Language
from spacy.parts_of_speech import IDS
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from .text import keep_sentences, token_texts

LOGGER = logging.getLogger(__name__)

MODEL_NAME = "fr_core_news_md"


FULL_STOPS = {".", "!", "?", "…"}
OPENING_QUOTES = {"«", "“"}
SENTENCE_END = {".", "!", "?", "…", "»", '"', "”", ":", ";", ")"}


@Language.component("recoupe_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break; elsewhere only after sentence-final punctuation
    (the parser otherwise cuts "Selon Reuters, des soldats | auraient été déployés")."""
    # on the tokens' texts and one array, not on Token objects (a Python object per token, and
    # a setter call, cost three times the rest); a token's own trailing whitespace is one space
    # at most (a line break is a token of its own, or inside one)
    starts = doc.to_array("SENT_START").astype("int64").tolist()  # 1 starts, -1 does not, 0 unknown
    previous = None
    for i, word in enumerate(token_texts(doc)):
        if previous is not None:
            if "\n" in previous:
                starts[i] = 1
            elif previous in FULL_STOPS and word in OPENING_QUOTES:
                starts[i] = 1  # "... probable. « La coopération ... »": the parser keeps them together
            elif previous not in SENTENCE_END and not previous.endswith("."):
                starts[i] = -1
        previous = word
    doc.from_array("SENT_START", numpy.array(starts, dtype="int64").astype("uint64"))
    return doc


@Language.component("recoupe_sentences")
def sentences_once(doc: Doc) -> Doc:
    """Sentences found once per doc, their texts sliced from the doc's (``text.keep_sentences``)."""
    return keep_sentences(doc)


class PosTags:
    """The model's attribute rules, with its copies of a part of speech into the tag done on one
    array.

    fr_core_news_md's attribute_ruler copies every token's part of speech into its tag (one
    rule per part of speech) and then marks whitespace tokens; run by spaCy's Matcher, that is
    a Span and a Python call per token.  Here the copies are one array, and the other rules
    (on whitespace tokens) run in spaCy's own AttributeRuler, after them, as in the model."""

    def __init__(self, vocab, copies: list[str], rules: list[dict]):
        self.copies = {IDS[pos] for pos in copies}  # part-of-speech ids whose tag is the same symbol
        self.rules = AttributeRuler(vocab, "recoupe_attribute_rules")
        self.rules.add_patterns(rules)

    def __call__(self, doc: Doc) -> Doc:
        pos = doc.to_array("POS")
        tags = doc.to_array("TAG")
        copied = numpy.isin(pos, list(self.copies))
        tags[copied] = pos[copied]
        doc.from_array("TAG", tags)
        return self.rules(doc)


@Language.factory("recoupe_pos_tags", default_config={"copies": [], "rules": []})
def make_pos_tags(nlp, name, copies, rules):  # no annotations: spaCy validates the config by them
    """The PosTags component (see fast_attribute_rules)."""
    return PosTags(nlp.vocab, copies, rules)


def _copy_rule(rule: dict, strings) -> Optional[str]:
    """The part of speech a rule copies into the tag ({POS: P} -> {TAG: P}), or None.  The tag
    string of a part of speech is its symbol: the copy is the same number."""
    patterns, attrs = rule["patterns"], rule["attrs"]
    if rule["index"] == 0 and len(patterns) == 1 and len(patterns[0]) == 1 and set(patterns[0][0]) == {"POS"}:
        pos = patterns[0][0]["POS"]
        if isinstance(pos, str) and attrs == {"TAG": pos} and pos in IDS and strings[pos] == IDS[pos]:
            return pos
    return None


def fast_attribute_rules(nlp: Language) -> bool:
    """Put PosTags in place of the model's attribute_ruler when its rules are copies of the part
    of speech into the tag followed by rules that read no tag: the same attributes come out."""
    if "attribute_ruler" not in nlp.pipe_names:
        return False
    rules = nlp.get_pipe("attribute_ruler").patterns
    copies = []
    for rule in rules:
        pos = _copy_rule(rule, nlp.vocab.strings)
        if pos is None:
            break
        copies.append(pos)
    rest = rules[len(copies):]
    if not copies or any(
            "TAG" in token for r in rest for pattern in r["patterns"] for token in pattern):
        return False
    nlp.replace_pipe("attribute_ruler", "recoupe_pos_tags", config={
        "copies": copies, "rules": [{"patterns": r["patterns"], "attrs": r["attrs"], "index": r["index"]} for r in rest]})
    nlp.rename_pipe("attribute_ruler", "recoupe_pos_tags")
    return True


def load_pipeline(model: str = MODEL_NAME) -> Language:
    """Load the French model with the line-break sentence component before the parser."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # the model is a pinned dependency; say how to install it
        raise SystemExit(f"[E010] spaCy model {model!r} is not installed ({exc}); run `make setup`") from None
    nlp.add_pipe("recoupe_line_breaks", before="parser")
    fast_attribute_rules(nlp)
    nlp.add_pipe("recoupe_sentences", last=True)
    LOGGER.debug("pipeline %s: %s", model, nlp.pipe_names)
    return nlp


class TokenizerPrimer:
    """Fills the tokenizer's cache with the chunks of the texts about to be read.

    spaCy remembers how it split each whitespace-delimited chunk ("l'armée", "Mali,") and
    skips the affix rules the next time, but never inside a memory zone, where the extractor
    reads everything: there every chunk was split again (a tenth of the model's time).  Before a
    zone, ``prime`` splits the new chunks of the coming texts outside it, so that the cache
    fills as it does outside zones, but only with chunks whose every token is a string the model
    already holds: no word of the corpus stays in the vocabulary.  It stops when the cache is
    full (spaCy's own bound: memory stays flat)."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.room = nlp.tokenizer.max_cache_size  # chunks spaCy will still cache
        self.seen: set[str] = set()  # chunks already primed or refused
        self.max_seen = 4 * self.room  # a stream of ever new words stops the priming too

    @property
    def active(self) -> bool:
        """Whether priming can still fill the cache."""
        return self.room > 0 and len(self.seen) < self.max_seen

    def prime(self, texts: Iterable[str]) -> None:
        """Cache the chunks of ``texts`` made only of known strings (call outside memory zones)."""
        if not self.active or self.nlp.vocab.in_memory_zone:
            return
        new = []
        for text in texts:
            for chunk in text.split():  # str.isspace splits, as the tokenizer does
                if chunk not in self.seen:
                    self.seen.add(chunk)
                    new.append(chunk)
        if not new:
            return
        tokenizer = self.nlp.tokenizer
        with self.nlp.memory_zone():  # split once where new strings are freed afterwards
            pieces = [[t.text for t in tokenizer(chunk)] for chunk in new]
        strings = self.nlp.vocab.strings  # outside the zone: the model's strings only
        for chunk, words in zip(new, pieces):
            if self.room <= 0:
                break
            if all(w in strings for w in words):
                tokenizer(chunk)  # outside a zone: spaCy caches the chunk's split
                self.room -= 1
