"""Build the spaCy pipeline used by the extractor.

The French model ``fr_core_news_md`` gives tokens, lemmas, morphology (mood
and tense carry modality), dependencies (arguments of triggers) and a
weak NER that only proposes person candidates.  One component is added:
line breaks end sentences, because headlines, captions and datelines have
no final full stop.
"""
from __future__ import annotations

import logging
from typing import Iterable

import numpy
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .text import token_texts

LOGGER = logging.getLogger(__name__)

MODEL_NAME = "fr_core_news_md"


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
            elif previous not in SENTENCE_END and not previous.endswith("."):
                starts[i] = -1
        previous = word
    doc.from_array("SENT_START", numpy.array(starts, dtype="int64").astype("uint64"))
    return doc


def load_pipeline(model: str = MODEL_NAME) -> Language:
    """Load the French model with the line-break sentence component before the parser."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # the model is a pinned dependency; say how to install it
        raise SystemExit(f"[E010] spaCy model {model!r} is not installed ({exc}); run `make setup`") from None
    nlp.add_pipe("recoupe_line_breaks", before="parser")
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
