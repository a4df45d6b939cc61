"""Texts of a parsed doc, read once per doc.

spaCy's ``Doc.text`` and ``Span.text`` join their tokens' texts at every call (a Python
object per token); the rules ask for them in every stage.  These helpers keep the doc's
text in ``doc.user_data`` (it lives and dies with the doc, inside its memory zone) and
slice it.
"""
from __future__ import annotations

from bisect import bisect_right
from typing import Iterator, Optional

from spacy.parts_of_speech import IDS, NAMES as POS_NAMES
from spacy.tokens import Doc, Span, Token

from ..textnorm import fold

_TEXT = ("recoupe", "text")
_WORDS = ("recoupe", "words")
_FOLDED = ("recoupe", "folded")
_STARTS = ("recoupe", "starts")
_SENTS = ("recoupe", "sentences")
_POS = ("recoupe", "pos")
_LEMMAS = ("recoupe", "lemmas")
_POS_IDS: dict[frozenset, frozenset] = {}  # names of parts of speech -> their ids


def doc_text(doc: Doc) -> str:
    """``doc.text``, joined once."""
    text = doc.user_data.get(_TEXT)
    if text is None:
        text = doc.user_data[_TEXT] = doc.text
    return text


def span_text(span: Span) -> str:
    """``span.text``: its characters of the doc's text."""
    return doc_text(span.doc)[span.start_char:span.end_char]


def token_texts(doc: Doc) -> list[str]:
    """Every token's text, in order (``[t.text for t in doc]`` without a Token per word)."""
    words = doc.user_data.get(_WORDS)
    if words is None:
        text = doc_text(doc)
        lengths = doc.to_array("LENGTH").tolist()
        words = doc.user_data[_WORDS] = [text[s:s + n] for s, n in zip(token_starts(doc), lengths)]
    return words


def token_starts(doc: Doc) -> list[int]:
    """Every token's first character (``token.idx``), in order."""
    starts = doc.user_data.get(_STARTS)
    if starts is None:
        starts = doc.user_data[_STARTS] = doc.to_array("IDX").tolist()
    return starts


def folded_texts(doc: Doc) -> list[str]:
    """Every token's text folded (``textnorm.fold``: no case, no accents), in order."""
    folded = doc.user_data.get(_FOLDED)
    if folded is None:
        folded = doc.user_data[_FOLDED] = [fold(w) for w in token_texts(doc)]
    return folded


class Sentence(Span):
    """A sentence whose ``text`` is a slice of the doc's text (``Span.text`` joins the tokens
    at every call, and the rules read a sentence's text for every trigger)."""

    @property
    def text(self) -> str:
        return doc_text(self.doc)[self.start_char:self.end_char]


def sentences(doc: Doc) -> list[Sentence]:
    """The doc's sentences (``Doc.sents``: a token whose sent_start is 1 starts one), their
    bounds found once."""
    starts, ends = _bounds(doc)
    return [Sentence(doc, s, e) for s, e in zip(starts, ends)]


def sentence_of(span: Span) -> Sentence:
    """``Span.sent``: the sentence of the span's first token."""
    starts, ends = _bounds(span.doc)
    k = bisect_right(starts, span.start) - 1
    return Sentence(span.doc, starts[k], ends[k])


def _bounds(doc: Doc) -> tuple[list[int], list[int]]:
    """Where the doc's sentences start and end.  Only numbers are kept in the doc: a span kept
    there would hold the doc in a reference cycle, and docs would outlive their memory zone
    until the garbage collector's next full pass (memory grew with the corpus)."""
    found = doc.user_data.get(_SENTS)
    if found is None:
        flags = doc.to_array("SENT_START").tolist()
        starts = [0] + [i for i in range(1, len(flags)) if flags[i] == 1]
        ends = starts[1:] + [len(doc)]
        kept = [(s, e) for s, e in zip(starts, ends) if s < e]
        found = doc.user_data[_SENTS] = ([s for s, _ in kept], [e for _, e in kept])
    return found


def keep_sentences(doc: Doc) -> Doc:
    """Make ``doc.sents``, ``span.sent`` and ``token.sent`` answer from ``sentences``."""
    doc.user_hooks["sents"] = sentences
    doc.user_span_hooks["sent"] = sentence_of
    return doc


def tokens_tagged(doc: Doc, parts: frozenset[str], start: int = 0, end: Optional[int] = None) -> Iterator[Token]:
    """The tokens of ``doc[start:end]`` whose part of speech is in ``parts``, in order (without a
    Token object for the others).  Call it on a doc out of the pipeline: the parts of speech
    are read once."""
    pos = doc.user_data.get(_POS)
    if pos is None:
        pos = doc.user_data[_POS] = doc.to_array("POS").tolist()
    wanted = _POS_IDS.get(parts)
    if wanted is None:
        wanted = _POS_IDS[parts] = frozenset(IDS[p] for p in parts)
    for i in range(start, len(pos) if end is None else end):
        if pos[i] in wanted:
            yield doc[i]


def token_words(doc: Doc) -> list[tuple[str, str, str]]:
    """Every token's (lemma_, text, pos_), in order, read once (call it on a doc out of the
    pipeline)."""
    words = doc.user_data.get(_LEMMAS)
    if words is None:
        strings = doc.vocab.strings
        lemmas = doc.to_array("LEMMA").tolist()
        pos = doc.to_array("POS").tolist()
        words = doc.user_data[_LEMMAS] = [(strings[lemma], text, POS_NAMES[p])
                                          for lemma, text, p in zip(lemmas, token_texts(doc), pos)]
    return words
