"""Build the spaCy pipeline used by the extractor.

The French model ``fr_core_news_md`` gives tokens, lemmas, morphology (mood
and tense carry modality), dependencies (arguments of triggers) and a
weak NER that only proposes person candidates.  One component is added:
line breaks end sentences, because headlines, captions and datelines have
no final full stop.  Two things cost less than in the plain model, for the
same attributes: the attribute rules (PosTags), and tokenizing inside memory
zones (TokenizerPrimer).  The model's entity recogniser, a third of its time, reads only the
sentences where it can find a name the knowledge base does not know (SelectiveEntities).
"""
from __future__ import annotations

import logging
from typing import Callable, Iterable, Iterator, Optional

import numpy
import spacy
from spacy.language import Language
from spacy.parts_of_speech import IDS
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc, Span
from spacy.util import minibatch

from .text import keep_sentences, token_texts

LOGGER = logging.getLogger(__name__)

MODEL_NAME = "fr_core_news_md"
PROPN = IDS["PROPN"]


FULL_STOPS = {".", "!", "?", "…"}
OPENING_QUOTES = {"«", "“"}
DATELINE_DASHES = {"-", "–", "—"}
DATELINE_MONTHS = {"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
                   "octobre", "novembre", "décembre", "january", "february", "march", "april", "may",
                   "june", "july", "august", "september", "october", "november", "december", "jan.",
                   "feb.", "aug.", "sept.", "oct.", "nov.", "dec."}
SENTENCE_END = {".", "!", "?", "…", "»", '"', "”", ":", ";", ")"}


@Language.component("recoupe_line_breaks")
def line_breaks(doc: Doc) -> Doc:
    """Start a sentence after every line break; elsewhere only after sentence-final punctuation
    (the parser otherwise cuts "Selon Reuters, des soldats | auraient été déployés")."""
    # on the tokens' texts and one array, not on Token objects (a Python object per token, and
    # a setter call, cost three times the rest); a token's own trailing whitespace is one space
    # at most (a line break is a token of its own, or inside one)
    starts = doc.to_array("SENT_START").astype("int64").tolist()  # 1 starts, -1 does not, 0 unknown
    words = token_texts(doc)
    previous = None
    line_start = 0
    for i, word in enumerate(words):
        if previous is not None:
            if "\n" in previous:
                starts[i] = 1
                line_start = i
            elif previous in FULL_STOPS and word in OPENING_QUOTES:
                starts[i] = 1  # "... probable. « La coopération ... »": the parser keeps them together
            elif previous in DATELINE_DASHES and _dateline_before(words, line_start, i - 1):
                starts[i] = 1  # "Bamako, 15 novembre 2023 – Les FAMa ...": the dateline is no subject
            elif previous not in SENTENCE_END and not previous.endswith("."):
                starts[i] = -1
        previous = word
    doc.from_array("SENT_START", numpy.array(starts, dtype="int64").astype("uint64"))
    return doc


def _dateline_before(words: list[str], start: int, dash: int) -> bool:
    """Whether the words of a line before a dash are a wire dateline: a capitalised place, a
    comma, a date or an agency in brackets ("NIAMEY/ABUJA, 11 août (Reuters) -"), a few words."""
    head = words[start:dash]
    return 2 <= len(head) <= 12 and head[0][:1].isupper() and "," in head and \
        any(w[:1].isdigit() or w.lower() in DATELINE_MONTHS for w in head)


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


KnownTokens = Callable[[Doc], set]


class SelectiveEntities:
    """The model's entity recogniser, run only on the sentences that may hold an unknown name.

    recoupe reads entities for one thing: names the knowledge base and the gazetteer do not
    know (persons, organisations, sources).  A sentence whose every capitalised word is inside
    a known name (``known``: the tokens a doc's known names cover), and whose first word is not
    a proper noun, has none; the others are copied, in order, into one doc per article that the
    recogniser reads (it has its own token vectors: nothing but the words is needed), and its
    entities are put back where they came from.  An entity that would run across two sentences
    that were not neighbours is dropped.  Without ``known``, every sentence is read."""

    def __init__(self, ner):
        self.ner = ner
        self.known: Optional[KnownTokens] = None

    def __call__(self, doc: Doc) -> Doc:
        return next(self.pipe([doc]))

    def pipe(self, docs: Iterable[Doc], batch_size: int = 64) -> Iterator[Doc]:
        for batch in minibatch(docs, size=batch_size):
            parts = [self._selected(doc) for doc in batch]
            reads = [self._copy(doc, kept) for doc, kept in zip(batch, parts)]
            for doc, kept, read in zip(batch, parts, self.ner.pipe(reads, batch_size=len(reads) or 1)):
                doc.set_ents([Span(doc, kept[e.start], kept[e.end - 1] + 1, label=e.label) for e in read.ents
                              if kept[e.end - 1] - kept[e.start] == len(e) - 1], default="outside")
                yield doc

    @staticmethod
    def _copy(doc: Doc, kept: list[int]) -> Doc:
        """A new doc of the tokens ``kept``, with their spacing."""
        words, spaces = token_texts(doc), doc.to_array("SPACY").tolist()
        return Doc(doc.vocab, words=[words[i] for i in kept], spaces=[bool(spaces[i]) for i in kept])

    def _selected(self, doc: Doc) -> list[int]:
        """The tokens of the sentences to read, in order."""
        if self.known is None:
            return list(range(len(doc)))
        known, words, pos = self.known(doc), token_texts(doc), doc.to_array("POS").tolist()
        kept: list[int] = []
        for sent in doc.sents:
            if pos[sent.start] == PROPN or any(
                    words[i][:1].isupper() and i not in known for i in range(sent.start + 1, sent.end)):
                kept.extend(range(sent.start, sent.end))
        return kept


@Language.factory("recoupe_entities")
def make_entities(nlp, name):  # no annotations: spaCy validates the config by them
    """SelectiveEntities over the model's recogniser, taken out of the pipeline (load_pipeline)."""
    return SelectiveEntities(None)


def selective_entities(nlp: Language) -> None:
    """Put SelectiveEntities in the place of the model's "ner"."""
    ner = nlp.get_pipe("ner")
    nlp.replace_pipe("ner", "recoupe_entities")
    nlp.get_pipe("ner").ner = ner
    nlp.rename_pipe("ner", "recoupe_entities")


def load_pipeline(model: str = MODEL_NAME) -> Language:
    """Load the French model with the line-break sentence component before the parser."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:  # the model is a pinned dependency; say how to install it
        raise SystemExit(f"[E010] spaCy model {model!r} is not installed ({exc}); run `make setup`") from None
    nlp.add_pipe("recoupe_line_breaks", before="parser")
    split_english_possessives(nlp)
    fast_attribute_rules(nlp)
    selective_entities(nlp)
    nlp.add_pipe("recoupe_sentences", last=True)
    LOGGER.debug("pipeline %s: %s", model, nlp.pipe_names)
    return nlp


def split_english_possessives(nlp: Language) -> None:
    """ "Niger's ruling council": the French rules keep "'s" on the name, which the knowledge
    base then does not know; split it off, as English tokenizers do (French has no such suffix)."""
    suffixes = list(nlp.Defaults.suffixes or []) + [r"(?<=[A-Za-z])['’][sS]$"]
    nlp.tokenizer.suffix_search = spacy.util.compile_suffix_regex(suffixes).search


def forget_transient_lemmas(nlp: Language) -> int:
    """Drop the lemmatizer's cached lemmas of words a memory zone has freed; how many.

    spaCy's lemmatizer caches the lemmas of every (word, part of speech) it meets, without
    bound and outside the memory zones that free the words themselves: over a stream of
    articles, each new word would stay in memory for good.  Called after each zone, this keeps
    only the words the model's vocabulary holds (memory stays flat)."""
    if "lemmatizer" not in nlp.pipe_names:
        return 0
    cache = getattr(nlp.get_pipe("lemmatizer"), "cache", None)
    if not cache:
        return 0
    strings = nlp.vocab.strings
    transient = [key for key in cache if key[0] not in strings]
    for key in transient:
        del cache[key]
    return len(transient)


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
