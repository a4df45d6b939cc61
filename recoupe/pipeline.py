"""The extraction pipeline: articles in, actors and facts out.

    ingest -> nlp -> actors -> facts

``Extractor`` loads the model, the knowledge base, the gazetteer and the
lexicons once, then streams results in input order.
"""
from __future__ import annotations

import logging
from typing import Iterable, Iterator, Optional

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

    def extract_all(self, articles: Iterable[Article]) -> Iterator[ArticleResult]:
        """Actors and facts of many articles, batched through the model, in input order."""
        pairs = ((a.text, a) for a in articles)
        for doc, article in self.nlp.pipe(pairs, as_tuples=True, batch_size=self.batch_size):
            yield self._result(article, doc)

    def _result(self, article: Article, doc) -> ArticleResult:
        linked = self.linker.link(doc, article)
        facts = self.facts.extract(linked, article)
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
