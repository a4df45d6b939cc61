"""The extraction pipeline: articles in, actors and facts out.

    ingest -> nlp -> actors -> facts

``Extractor`` loads the model, the knowledge base, the gazetteer and the
lexicons once, then streams results in input order.
"""
from __future__ import annotations

import itertools
import logging
from typing import Callable, Iterable, Iterator, Optional

from .actors.kb import KnowledgeBase
from .actors.linker import Linker
from .facts import FactExtractor, load_lexicon
from .model import Article, ArticleResult, Mention
from .nlp import load_pipeline
from .places import Gazetteer

LOGGER = logging.getLogger(__name__)


class Extractor:
    """Everything needed to extract articles, loaded once per process."""

    def __init__(self, *, kb: Optional[KnowledgeBase] = None, gazetteer: Optional[Gazetteer] = None,
                 batch_size: int = 16):
        self.nlp = load_pipeline()
        self.kb = kb or KnowledgeBase.load()
        self.gazetteer = gazetteer or Gazetteer.load()
        self.linker = Linker(self.kb, self.gazetteer, self.nlp.tokenizer)
        self.facts = FactExtractor(load_lexicon("fr"))
        self.batch_size = batch_size

    def extract(self, article: Article) -> ArticleResult:
        """Actors and facts of one article."""
        return self._result(article, self.nlp(article.text))

    def extract_all(self, articles: Iterable[Article],
                    on_error: Optional[Callable[[Article, Exception], None]] = None) -> Iterator[ArticleResult]:
        """Actors and facts of many articles, batched through the model, in input order.

        With ``on_error``, an article whose extraction fails is handed to it and left out, and
        the batch goes on (an exception inside the model's batching would otherwise end it).
        """
        if on_error is None:
            pairs = ((a.text, a) for a in articles)
            for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
                yield self._result(article, doc)
            return
        for batch in _batches(articles, self.batch_size):
            try:
                docs: list = list(self.nlp.pipe([a.text for a in batch], batch_size=self.batch_size))
            except Exception:  # noqa: BLE001 - redo the batch one by one to find the article at fault
                LOGGER.debug("batch failed, extracting its articles one by one", exc_info=True)
                docs = [None] * len(batch)
            for article, doc in zip(batch, docs):
                try:
                    result = self._result(article, doc if doc is not None else self.nlp(article.text))
                except Exception as exc:  # noqa: BLE001 - one article must not stop the batch
                    LOGGER.debug("extraction of %s failed", article.id, exc_info=True)
                    on_error(article, exc)
                    continue
                yield result

    def _result(self, article: Article, doc) -> ArticleResult:
        linked = self.linker.link(doc, article)
        facts = self.facts.extract(linked, article)
        in_facts = {f.source for f in facts} | {f.target for f in facts if f.target}
        actors = [a for a in linked.actors.values()
                  if a.id not in self.linker.generic or a.id in in_facts]
        return ArticleResult(article, actors, facts, _mentions(linked))


def _batches(items: Iterable[Article], size: int) -> Iterator[list[Article]]:
    """Consecutive lists of ``size`` items (the last one shorter)."""
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, max(size, 1))):
        yield batch


def _mentions(linked) -> list[Mention]:
    """The linker's token mentions as character spans of the article text."""
    out = []
    for m in linked.mentions:
        span = linked.doc[m.start:m.end]
        out.append(Mention(span.start_char, span.end_char, span.text, m.actor_id))
    return out
