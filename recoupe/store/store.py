"""``Store``: the knowledge graph on SQLite or PostgreSQL, written one article at a time (or in batches)."""
from __future__ import annotations

import random
import time
from typing import Any, Callable, Iterable, Iterator, Optional

from recoupe.model import Article, ArticleResult

from . import queries, rows, schema, writer
from .db import Database, parse_url


RETRIES = 5
RETRY_STATES = {"40P01", "40001"}  # PostgreSQL: deadlock detected, serialisation failure


class Store:
    """An open store. Build it with ``open_store``; use it as a context manager or ``close()`` it."""

    def __init__(self, db: Database, gazetteer: Any = None, kb: Any = None):
        self.db = db
        self._gazetteer = gazetteer
        self._kb = kb

    @property
    def gazetteer(self) -> Any:
        if self._gazetteer is None:  # loaded on first use (ingest, exports): queries do not need it
            from recoupe.places import default_gazetteer

            self._gazetteer = default_gazetteer()
        return self._gazetteer

    @gazetteer.setter
    def gazetteer(self, value: Any) -> None:  # the extractor's own, so a process loads it once
        self._gazetteer = value

    @property
    def kb(self) -> Any:
        if self._kb is None:  # loaded on first ingest only: canonical names of actors
            from recoupe.actors.kb import KnowledgeBase

            self._kb = KnowledgeBase.load()
        return self._kb

    @kb.setter
    def kb(self, value: Any) -> None:
        self._kb = value

    @property
    def location(self) -> str:
        """Where the store is, for messages (no password)."""
        return str(self.db.location)

    @property
    def url(self) -> str:
        """What ``open_store`` needs to open this store again."""
        return self.db.location.target

    # ------------------------------------------------------------- writing
    def is_stored(self, article: Article) -> bool:
        """True when this very version of the article is stored (``ingest_result`` would skip it)."""
        return writer.stored_hash(self.db, article.id) == rows.content_hash(article)

    def ingest_result(self, result: ArticleResult) -> str:
        """Store one article and regroup the claims it touches, in one transaction.

        Returns "added", "skipped" (same content hash) or "replaced" (same id, content changed:
        its old facts, mentions and copies' keys are gone). On any error nothing of it is stored.
        """
        return self._retrying(lambda: writer.ingest_result(self.db, result, self.gazetteer, self.kb))

    def ingest_batch(self, results: Iterable[ArticleResult]) -> list[str]:
        """Store several articles in one transaction, each claim key they touch regrouped once:
        the bulk path (building large stores), storing the same rows as ``ingest_result`` on
        each in turn. One status per result; on any error nothing of the batch is stored.

        Keep batches to a few hundred articles: on PostgreSQL every claim key takes a lock held
        until the commit, and the server's lock table is shared by all sessions.
        """
        batch = list(results)
        return self._retrying(lambda: writer.ingest_results(self.db, batch, self.gazetteer, self.kb))

    def _retrying(self, write: Callable[[], Any]) -> Any:
        """Run a write in a transaction; on PostgreSQL, two writers whose claim-key locks cross
        (a deadlock, or a serialisation failure) roll back and the write is tried again: nothing
        of a rolled-back transaction is stored, so trying again is safe."""
        # inside a caller's transaction, its rollback is the caller's to handle: no second try
        attempts = 1 if self.db.in_transaction else RETRIES
        for attempt in range(1, attempts + 1):
            try:
                with self.db.transaction():
                    return write()
            except Exception as exc:  # psycopg's errors name their SQLSTATE
                if getattr(exc, "sqlstate", None) not in RETRY_STATES or attempt == attempts:
                    raise
                time.sleep(0.05 * attempt * (1 + random.random()))

    # ------------------------------------------------------------- reading
    def claims(self, actor: Optional[str] = None, type: Optional[str] = None, since: Optional[str] = None,
               until: Optional[str] = None, modality: Optional[str] = None, min_sources: Optional[int] = None,
               limit: int = 50, offset: int = 0) -> list[dict]:
        return queries.claims(self.db, actor, type, since, until, modality, min_sources, limit, offset)

    def count_claims(self, actor: Optional[str] = None, type: Optional[str] = None, since: Optional[str] = None,
                     until: Optional[str] = None, modality: Optional[str] = None,
                     min_sources: Optional[int] = None) -> int:
        return queries.count_claims(self.db, actor, type, since, until, modality, min_sources)

    def all_claims(self) -> Iterator[dict]:
        return queries.all_claims(self.db)

    def claim(self, claim_id: str) -> Optional[dict]:
        return queries.claim(self.db, claim_id)

    def evidence(self, claim_id: str) -> list[dict]:
        return queries.evidence(self.db, claim_id)

    def actor(self, actor_id: str) -> Optional[dict]:
        return queries.actor(self.db, actor_id)

    def actors(self, q: Optional[str] = None, limit: int = 50, offset: int = 0) -> list[dict]:
        return queries.actors(self.db, q, limit, offset)

    def article(self, article_id: str) -> Optional[dict]:
        return queries.article(self.db, article_id)

    def articles(self, limit: int = 50, offset: int = 0) -> list[dict]:
        return queries.articles(self.db, limit, offset)

    def search(self, text: str, limit: int = 50, offset: int = 0) -> list[dict]:
        return queries.search(self.db, text, limit, offset)

    def places(self) -> list[dict]:
        return queries.places(self.db)

    def stats(self) -> dict:
        return queries.stats(self.db)

    # ----------------------------------------------------------- lifecycle
    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def open_store(url: Optional[str] = None, gazetteer: Any = None, kb: Any = None) -> Store:
    """Open (and create or migrate) a store: None -> ./recoupe.db, a path, sqlite:///x.db, postgresql://..."""
    db = Database(parse_url(url))
    try:
        schema.migrate(db)
    except BaseException:
        db.close()
        raise
    return Store(db, gazetteer, kb)
