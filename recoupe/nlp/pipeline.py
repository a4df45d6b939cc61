"""Build the spaCy pipeline used by the extractor.

The French model ``fr_core_news_md`` gives tokens, lemmas, morphology (mood
and tense carry modality), dependencies (arguments of triggers) and a
weak NER that only proposes person candidates.  One component is added:
line breaks end sentences, because headlines, captions and datelines have
no final full stop.
"""
from __future__ import annotations

import logging

import spacy
from spacy.language import Language
from spacy.tokens import Doc

LOGGER = logging.getLogger(__name__)

MODEL_NAME = "fr_core_news_md"


FULL_STOPS = {".", "!", "?", "…"}
OPENING_QUOTES = {"«", "“"}
SENTENCE_END = {".", "!", "?", "…", "»", '"', "”", ":", ";", ")"}


@Language.component("recoupe_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break; elsewhere only after sentence-final punctuation
    (the parser otherwise cuts "Selon Reuters, des soldats | auraient été déployés")."""
    # one pass with the previous token at hand: indexing the doc per token costs as much
    # as the rest of this component
    previous = None
    for token in doc:
        if previous is not None:
            if "\n" in previous.text or "\n" in previous.whitespace_:
                token.is_sent_start = True
            elif previous.text in FULL_STOPS and token.text in OPENING_QUOTES:
                token.is_sent_start = True  # "... probable. « La coopération ... »": the parser keeps them together
            elif previous.text not in SENTENCE_END and not previous.text.endswith("."):
                token.is_sent_start = False
        previous = token
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
