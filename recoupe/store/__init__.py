"""Store stage: the knowledge graph in SQLite (default, ``recoupe.db``) or PostgreSQL.

    ingest -> nlp -> actors -> facts -> crosscheck -> store -> api/web

``open_store(url)`` opens or creates a store and migrates its schema; ``Store.ingest_result``
writes one article per transaction (``Store.ingest_batch``: many, the same rows); the query
methods return JSON-ready dicts.
Modules: ``db`` (the dialect differences), ``schema`` (migrations), ``rows`` (pure
conversions), ``writer`` (ingest), ``queries`` (read side), ``export`` (file formats).
"""
from recoupe.errors import StoreError

from .store import Store, open_store

__all__ = ["Store", "StoreError", "open_store"]
