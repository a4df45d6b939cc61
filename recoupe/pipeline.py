"""The extraction pipeline: articles in, actors and facts out.

    ingest -> nlp -> actors -> facts

``Extractor`` loads the model, the knowledge base, the gazetteer and the
lexicons once, then streams results in input order.  Memory stays flat
however long the stream: articles go through the model in batches, and
every ``zone_size`` articles spaCy's memory zone frees the strings and
lexemes the model added for them (a vocabulary otherwise grows with every
new word, number and name of the corpus).
"""
from __future__ import annotations

import logging
from itertools import chain, islice
from typing import Callable, Iterable, Iterator, Optional, Union

from .actors.kb import KnowledgeBase
from .actors.linker import Linker
from .errors import reason_of
from .facts import EnglishFactExtractor, FactExtractor, load_lexicon
from .model import Article, ArticleResult, InputError, Mention
from .nlp import TokenizerPrimer, forget_transient_lemmas, load_pipeline
from .places import Gazetteer

LOGGER = logging.getLogger(__name__)

BATCH_SIZE = 32  # articles per model batch: larger batches gain little and hold more docs in memory
ZONE_SIZE = 512  # articles per spaCy memory zone

Outcome = Union[ArticleResult, InputError]


class Extractor:
    """Everything needed to extract articles, loaded once per process."""

    def __init__(self, *, kb: Optional[KnowledgeBase] = None, gazetteer: Optional[Gazetteer] = None,
                 batch_size: int = BATCH_SIZE, zone_size: int = ZONE_SIZE):
        self.nlp = load_pipeline()
        self.kb = kb or KnowledgeBase.load()
        self.gazetteer = gazetteer or Gazetteer.load()
        self.linker = Linker(self.kb, self.gazetteer, self.nlp.tokenizer)
        if "recoupe_entities" in self.nlp.pipe_names:  # entities only where a name may be unknown
            self.nlp.get_pipe("recoupe_entities").known = self.linker.known_tokens
        self.facts = FactExtractor(load_lexicon("fr"))
        self.english_facts = EnglishFactExtractor()  # no English model: word forms and positions
        self.batch_size = batch_size
        self.zone_size = zone_size
        self.primer = TokenizerPrimer(self.nlp)

    def extract(self, article: Article) -> ArticleResult:
        """Actors and facts of one article."""
        return self._result(article, self.nlp(article.text))

    def extract_all(self, articles: Iterable[Article],
                    on_error: Optional[Callable[[Article, Exception], None]] = None) -> Iterator[ArticleResult]:
        """Actors and facts of many articles, batched through the model, in input order.

        A failure on one article raises, unless ``on_error`` is given: the article is then
        handed to it, left out, and the batch goes on."""
        for article, outcome in self._outcomes(articles, catch=on_error is not None):
            if isinstance(outcome, Exception):
                on_error(article, outcome)  # type: ignore[misc]  # only caught when on_error is set
                continue
            yield outcome

    def results(self, articles: Iterable[Article]) -> Iterator[Outcome]:
        """Like ``extract_all``, but an article the extractor fails on gives an InputError naming
        it and the batch goes on."""
        for article, outcome in self._outcomes(articles, catch=True):
            yield failure(article, outcome) if isinstance(outcome, Exception) else outcome

    def _outcomes(self, articles: Iterable[Article],
                  catch: bool) -> Iterator[tuple[Article, Union[ArticleResult, Exception]]]:
        stream = iter(articles)
        for first in stream:
            zone = chain([first], islice(stream, self.zone_size - 1))  # read lazily: output streams
            if self.primer.active:  # the model reads a batch ahead anyway
                ahead = list(islice(zone, self.batch_size))
                self.primer.prime(a.text for a in ahead)
                zone = chain(ahead, zone)
            # results are plain dataclasses of Python strings: nothing of the docs outlives the zone
            with self.nlp.memory_zone():
                pairs = ((a.text, a) for a in zone)
                for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
                    try:
                        outcome: Union[ArticleResult, Exception] = self._result(article, doc)
                    except Exception as exc:  # noqa: BLE001 - one article's failure must not stop the batch
                        if not catch:
                            raise
                        LOGGER.debug("extraction failed on %s", article.id, exc_info=True)
                        outcome = exc
                    yield article, outcome
            forget_transient_lemmas(self.nlp)  # the zone freed its words: their lemmas go too

    def _result(self, article: Article, doc) -> ArticleResult:
        linked = self.linker.link(doc, article)
        reader = self.english_facts if article.lang == "en" else self.facts
        facts = reader.extract(linked, article)
        in_facts = {f.source for f in facts} | {f.target for f in facts if f.target}
        actors = [a for a in linked.actors.values()
                  if a.id not in self.linker.generic or a.id in in_facts]
        return ArticleResult(article, actors, facts, _mentions(linked))


def _mentions(linked) -> list[Mention]:
    """The linker's token mentions as character spans of the article text."""
    out = []
    for m in linked.mentions:
        span = linked.doc[m.start:m.end]
        out.append(Mention(span.start_char, span.end_char, span.text, m.actor_id))
    return out


def failure(article: Article, exc: BaseException) -> InputError:
    """The one-line error of an article that could not be extracted."""
    origin = article.origin or article.id
    return InputError(origin, f"extraction failed ({reason_of(exc)})")
