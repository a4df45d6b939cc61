"""The claims list's filters (schema version 2: claim_actors carries each claim's type and dates,
and the indexes hold the filtered columns) give the claims and totals that the plain definition
gives, on SQLite and PostgreSQL; and a store written before version 2 is upgraded with its
actors' claims filled in."""
from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from recoupe.store import queries
from recoupe.store.rows import date_bounds

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synth  # noqa: E402  (bench/ is not a package)


@pytest.fixture(scope="module")
def store(stores, sample_results):
    """A store of 400 generated articles (bench/synth.py): many actors, types, dates, sources."""
    from recoupe.actors.kb import KnowledgeBase

    results = list(synth.Generator(sample_results, KnowledgeBase.load()).results(400))
    store = stores.open()
    for i in range(0, len(results), 100):
        store.ingest_batch(results[i:i + 100])
    yield store
    store.close()


def reference(store, actor=None, type=None, since=None, until=None, modality=None, min_sources=None) -> list[str]:
    """The claims a filter means, by their definition on the claims table alone, in the list's order."""
    where, params = [], []
    if actor:
        where.append("c.id IN (SELECT claim_id FROM claim_actors WHERE actor_id = ?)")
        params.append(actor)
    if type:
        where.append("c.type = ?")
        params.append(type)
    if since:  # a partial date covers its whole period: from its first day...
        where.append("c.date_end >= ?")
        params.append(date_bounds(since)[0])
    if until:  # ... to its last
        where.append("c.date_start <= ?")
        params.append(date_bounds(until)[1])
    if modality:
        where.append(f"c.n_{modality} > 0")
    if min_sources:
        where.append("c.independent_sources >= ?")
        params.append(min_sources)
    sql = ("SELECT c.id FROM claims c" + (" WHERE " + " AND ".join(where) if where else "")
           + " ORDER BY c.independent_sources DESC, c.first_reported DESC NULLS LAST, c.id")
    return [r["id"] for r in store.db.rows(sql, params)]


def random_filters(store, rng: random.Random) -> dict:
    actors = [r["id"] for r in store.db.rows("SELECT id FROM actors WHERE n_claims > 0 ORDER BY n_claims DESC, id")]
    types = [r["type"] for r in store.db.rows("SELECT DISTINCT type FROM claims ORDER BY type")]
    out = {}
    if rng.random() < 0.6:
        out["actor"] = rng.choice(actors[:5] if rng.random() < 0.5 else actors)
    if rng.random() < 0.5:
        out["type"] = rng.choice(types)
    days = [f"2013-01-{d:02d}" for d in range(1, 29)]  # 400 generated articles cover 19 days from 2013-01-01
    if rng.random() < 0.5:
        out["since"] = rng.choice(days + ["2012", "2012-12", "2013-01"])
    if rng.random() < 0.5:
        out["until"] = rng.choice(days + ["2013", "2013-01", "2012-12-31"])
    if rng.random() < 0.3:
        out["modality"] = rng.choice(queries.MODALITIES)
    if rng.random() < 0.3:
        out["min_sources"] = rng.randint(1, 4)
    return out


def test_filtered_claims_and_totals_are_the_definition(store):
    rng = random.Random(11)
    nonempty = 0
    for _ in range(120):
        filters = random_filters(store, rng)
        want = reference(store, **filters)
        assert store.count_claims(**filters) == len(want), filters
        offset = rng.choice([0, 0, 7, 50])
        got = [c["id"] for c in store.claims(**filters, limit=20, offset=offset)]
        assert got == want[offset:offset + 20], filters
        nonempty += bool(want)
    assert nonempty > 50


def test_claims_without_dates_match_no_date_range(store):
    """A claim with no time (no when, no dated report) has no date_start: no range includes it,
    on the actor's path as on the plain one."""
    claim = store.db.row("SELECT id, source FROM claims ORDER BY id LIMIT 1")
    store.db.execute("UPDATE claims SET date_start = NULL, date_end = NULL WHERE id = ?", (claim["id"],))
    store.db.execute("UPDATE claim_actors SET date_start = '', date_end = NULL WHERE claim_id = ?", (claim["id"],))
    for filters in ({"until": "2030"}, {"since": "1990"}, {"since": "1990", "until": "2030"}):
        for actor in (None, claim["source"]):
            ids = [c["id"] for c in store.claims(actor=actor, **filters, limit=500)]
            assert claim["id"] not in ids and ids == reference(store, actor=actor, **filters)[:500]
            assert store.count_claims(actor=actor, **filters) == len(reference(store, actor=actor, **filters))


# version 1's indexes of the claims, as 0001_initial.sql made them
VERSION_1 = {
    "sqlite": ["CREATE INDEX claim_actors_rank ON claim_actors (actor_id, independent_sources DESC, "
               "first_reported DESC, claim_id)",
               "CREATE INDEX claims_rank ON claims (independent_sources DESC, first_reported DESC, id)",
               "CREATE INDEX claims_type ON claims (type, independent_sources DESC)"],
    "postgresql": ["CREATE INDEX claim_actors_rank ON claim_actors (actor_id, independent_sources DESC, "
                   "first_reported DESC NULLS LAST, claim_id)",
                   "CREATE INDEX claims_rank ON claims (independent_sources DESC, first_reported DESC NULLS LAST, id)",
                   "CREATE INDEX claims_type ON claims (type, independent_sources DESC)"],
}


def test_a_version_1_store_is_upgraded_with_its_claims_filled_in(stores, sample_results):
    """A store as version 1 left it (claim_actors without type and end date, the old indexes) is
    upgraded on opening: every actor's claim gets its claim's type and end date, and the filters
    answer as on a store built at version 2."""
    from recoupe.store import open_store

    url = stores.url()
    with open_store(url) as store:
        for result in sample_results:
            store.ingest_result(result)
        actor = store.db.scalar("SELECT id FROM actors ORDER BY n_claims DESC, id LIMIT 1")
        before = [store.claims(actor=actor, type=t, since="2015", limit=500) for t in (None, "deploy", "fight")]
        for statement in (["DROP INDEX claim_actors_rank", "DROP INDEX claims_rank", "DROP INDEX claims_type",
                           "ALTER TABLE claim_actors DROP COLUMN type", "ALTER TABLE claim_actors DROP COLUMN date_end",
                           "DELETE FROM schema_version WHERE version = 2"] + VERSION_1[stores.backend]):
            store.db.execute(statement)
        assert store.db.scalar("SELECT max(version) FROM schema_version") == 1
    with open_store(url) as store:
        assert store.stats()["schema_version"] == 2
        assert store.db.scalar("SELECT count(*) FROM claim_actors ca JOIN claims c ON c.id = ca.claim_id "
                               "WHERE ca.type = c.type AND (ca.date_end = c.date_end OR "
                               "(ca.date_end IS NULL AND c.date_end IS NULL))") \
            == store.db.scalar("SELECT count(*) FROM claim_actors") > 0
        after = [store.claims(actor=actor, type=t, since="2015", limit=500) for t in (None, "deploy", "fight")]
        assert after == before and any(after)
