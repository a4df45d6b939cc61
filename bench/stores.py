"""The large store of the API benchmark: built once, cached, reused by later runs.

    python bench/stores.py [--articles 100000] [--backend sqlite|postgresql] [--pg URL] [--batch N] [--tail 300]

1. the sample corpus (examples/articles) is extracted by the real extractor (seconds);
2. bench/synth.py turns that extraction into ``--articles`` ArticleResults (its docstring says
   exactly how: recombined sample lines, swapped actors, moved dates, outlets, copies);
3. they are written through recoupe's own store code, ``Store.ingest_batch`` (one transaction
   per ``--batch`` articles, each claim key regrouped once per batch: the same rows as
   ``recoupe ingest``'s one article per transaction, tests/test_store_bulk.py checks it), except
   the last ``--tail`` articles, written one per transaction with ``Store.ingest_result`` as
   ``recoupe ingest`` does, to time that path on a full store; on PostgreSQL, ``VACUUM ANALYZE``
   then does what autovacuum would do shortly after such a load (statistics for the planner).

The store is cached under out/bench/ (or $RECOUPE_BENCH_OUT; SQLite: ``store-KEY.db``;
PostgreSQL: schema ``bench_KEY`` of the ``--pg`` database), KEY being a digest of the
generator's parameters, of the samples' extraction and of the code that decides the stored rows
(docstrings and comments aside); a store whose KEY matches is reused (a newer migration is
applied to it on opening), an interrupted build resumes after its last committed batch.
Prints one JSON object: where the store is (``url``, and ``location`` without a password), its
row counts, and the build's rates (kept in
``store-KEY-BACKEND.json`` beside it for the runs that reuse it).
"""
from __future__ import annotations

import argparse
import ast
import hashlib
import json
import os
import sys
import time
from pathlib import Path
from typing import Callable, Optional

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import synth  # noqa: E402  (bench/ is not a package)

OUT = Path(os.environ.get("RECOUPE_BENCH_OUT") or ROOT / "out" / "bench")  # cached stores, memory results
# articles per transaction: each batch regroups the claims of every key it touches once, so
# larger is faster; on PostgreSQL each key and article takes a lock held until the commit, and
# the server's lock table (64 per connection by default) is shared by every session
BATCH = {"sqlite": 2000, "postgresql": 500}
# what decides the rows of the store besides the generator's parameters and the samples' extraction
CODE = ["recoupe/store/writer.py", "recoupe/store/rows.py", "recoupe/crosscheck/claims.py",
        "recoupe/crosscheck/copies.py", "recoupe/data/crosscheck/crosscheck.yaml", "bench/synth.py",
        *sorted(str(p.relative_to(ROOT)) for p in (ROOT / "recoupe/data/actors").glob("*.yaml")),
        "recoupe/data/places/places.yaml"]


def sample_results() -> list:
    """The real extraction of the sample corpus, in file order."""
    from corpus import sample_articles
    from recoupe.pipeline import Extractor

    return list(Extractor().extract_all(sample_articles()))


def cache_key(articles: int, results: list) -> str:
    """A digest of everything that decides the store's rows."""
    h = hashlib.sha256(json.dumps(synth.parameters(articles), sort_keys=True).encode())
    h.update(synth.digest(results).encode())
    for name in CODE:
        h.update(name.encode() + _code(ROOT / name))
    return h.hexdigest()[:12]


def _code(path: Path) -> bytes:
    """What a file does: a Python file's syntax tree without its docstrings (editing a comment
    or a docstring keeps the cached store), any other file's bytes."""
    if path.suffix != ".py":
        return path.read_bytes()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            node.body = body[1:] or [ast.Pass()]
    return ast.dump(tree).encode()


def pg_url(base: str, schema: str) -> str:
    """The URL of ``schema`` in the database at ``base`` (its search_path set to it)."""
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


def _pg_schemas(base: str) -> set[str]:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        return {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'bench\\_%'")}


def _pg(base: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(base, autocommit=True) as conn:
        for statement in statements:  # one by one: VACUUM runs outside any transaction
            conn.execute(statement)  # names are ours: "bench_" and hex digits


def locate(backend: str, key: str, pg: Optional[str]) -> tuple[str, str, bool]:
    """(final URL, building URL, whether the final store exists)."""
    if backend == "sqlite":
        final, building = OUT / f"store-{key}.db", OUT / f"store-{key}.building.db"
        return str(final), str(building), final.exists()
    if not pg:
        raise SystemExit("bench: PostgreSQL needs --pg URL (or $RECOUPE_BENCH_PG / $RECOUPE_TEST_PG)")
    schemas = _pg_schemas(pg)
    if f"bench_{key}_building" not in schemas:
        _pg(pg, f'CREATE SCHEMA IF NOT EXISTS "bench_{key}_building"')
    return pg_url(pg, f"bench_{key}"), pg_url(pg, f"bench_{key}_building"), f"bench_{key}" in schemas


def _record_path(backend: str, key: str) -> Path:
    return OUT / f"store-{key}-{backend}.json"


def _record(backend: str, key: str, build: dict) -> None:
    """Keep how the store was built beside it, for the runs that reuse it."""
    _record_path(backend, key).write_text(json.dumps(build), encoding="utf-8")


def _read_record(backend: str, key: str) -> Optional[dict]:
    path = _record_path(backend, key)
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


def _drop(backend: str, key: str, pg: Optional[str]) -> None:
    """Remove an unusable cached store (a changed initial migration refuses it)."""
    if backend == "sqlite":
        for suffix in ("", "-wal", "-shm"):
            Path(f"{OUT / f'store-{key}.db'}{suffix}").unlink(missing_ok=True)
    else:
        _pg(pg, f'DROP SCHEMA IF EXISTS "bench_{key}" CASCADE')


def _finish(backend: str, key: str, pg: Optional[str]) -> None:
    """The built store becomes the cached one (a rename: a half-built store is never reused)."""
    if backend == "sqlite":
        os.replace(OUT / f"store-{key}.building.db", OUT / f"store-{key}.db")
    else:
        _pg(pg, f'ALTER SCHEMA "bench_{key}_building" RENAME TO "bench_{key}"')


def earlier(backend: str, key: str, pg: Optional[str]) -> dict:
    """A store built before under ``key`` (when the sample extraction or the store's code changed
    since and a new build, about an hour, is not wanted): its URL, counts and build record."""
    from recoupe.store import StoreError, open_store

    final, _, exists = locate(backend, key, pg)
    record = _read_record(backend, key)
    if not exists or record is None:
        raise SystemExit(f"bench: no {backend} store was built under key {key!r} (out/bench/store-KEY-{backend}.json)")
    try:
        with open_store(final) as store:
            return {**record, "cached": True, "earlier_key": True, "url": final, "location": store.location,
                    "stats": store.stats(), "built": record}
    except StoreError as exc:
        raise SystemExit(f"bench: the {backend} store of key {key!r} is not usable: {exc}") from None


def build(articles: int, backend: str, pg: Optional[str], batch: int, tail: int,
          log: Callable[[str], None]) -> dict:
    """Build (or find) the store; its URL, counts and the build's rates."""
    from recoupe.actors.kb import KnowledgeBase
    from recoupe.store import StoreError, open_store
    from recoupe.store.db import parse_url

    OUT.mkdir(parents=True, exist_ok=True)
    clock = time.perf_counter()
    results = sample_results()
    kb = KnowledgeBase.load()
    key = cache_key(articles, results)
    final, building, exists = locate(backend, key, pg)
    out = {"backend": backend, "articles": articles, "key": key, "batch": batch, "tail": tail,
           "generator": synth.parameters(articles)}
    if exists:
        try:
            with open_store(final) as store:  # a newer migration is applied here (indexes)
                out.update(cached=True, url=final, location=store.location, stats=store.stats())
            out["built"] = _read_record(backend, key)
            return out
        except StoreError as exc:
            log(f"  cached store not usable ({exc}): building again")
            _drop(backend, key, pg)
            final, building, exists = locate(backend, key, pg)
    generator = synth.Generator(results, kb)
    with open_store(building, kb=kb) as store:
        done = store.stats()["articles"]  # batches commit in order: resume after the last one
        log(f"  building {articles:,} articles into {store.location}" + (f" (resuming at {done:,})" if done else ""))
        prepared = time.perf_counter() - clock
        rate = _write(store, generator, done, articles - tail, batch, log)
        per_article = _write(store, generator, max(done, articles - tail), articles, 0, log)
        out.update(cached=False, url=final, location=str(parse_url(final)), stats=store.stats())
    out.update(prepare_seconds=round(prepared, 1), bulk=rate, per_article=per_article,
               seconds=round(time.perf_counter() - clock, 1), resumed_at=done)
    if backend == "postgresql":  # what autovacuum does soon after a large load: planner statistics
        from recoupe.store.queries import TABLES

        _pg(pg, "VACUUM ANALYZE " + ", ".join(f'"bench_{key}_building".{table}' for table in TABLES))
    _record(backend, key, out)
    _finish(backend, key, pg)
    return out


def _write(store, generator, start: int, end: int, batch: int, log: Callable[[str], None]) -> dict:
    """Store results ``start``..``end - 1`` in batches (``batch`` 0: one per transaction, as
    ``recoupe ingest``); articles/s of the store's writes alone and of the whole (generation too)."""
    writing = generating = 0.0
    done, last_log = 0, time.perf_counter()
    step = batch or 1
    for at in range(start, end, step):
        clock = time.perf_counter()
        chunk = list(generator.results(min(at + step, end), at))
        mid = time.perf_counter()
        if batch:
            store.ingest_batch(chunk)
        else:
            store.ingest_result(chunk[0])
        writing += time.perf_counter() - mid
        generating += mid - clock
        done += len(chunk)
        if time.perf_counter() - last_log > 30:
            log(f"  {at + len(chunk):,} articles stored, {done / writing:.1f} articles/s (store writes)")
            last_log = time.perf_counter()
    if not done:
        return {"articles": 0}
    return {"articles": done, "write_seconds": round(writing, 1), "articles_per_s": round(done / writing, 1),
            "generate_seconds": round(generating, 1)}


def default_pg() -> Optional[str]:
    return os.environ.get("RECOUPE_BENCH_PG") or os.environ.get("RECOUPE_TEST_PG") or None


def main(argv: Optional[list[str]] = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--backend", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--pg", default=default_pg(), help="PostgreSQL database for the store's schema")
    parser.add_argument("--batch", type=int, help="articles per transaction of the bulk path "
                        f"(default {BATCH['sqlite']} on SQLite, {BATCH['postgresql']} on PostgreSQL)")
    parser.add_argument("--tail", type=int, default=300, help="last articles stored one per transaction")
    parser.add_argument("--key", help="use the store built before under this key (out/bench/store-KEY-*.json) "
                        "instead of building the current one")
    args = parser.parse_args(argv)
    args.batch = args.batch or BATCH[args.backend]
    if args.batch < 1 or not 0 <= args.tail <= args.articles:
        raise SystemExit("bench: --batch must be >= 1 and --tail between 0 and --articles")

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    if args.key:
        print(json.dumps(earlier(args.backend, args.key, args.pg)))
        return
    print(json.dumps(build(args.articles, args.backend, args.pg, args.batch, args.tail, log)))


if __name__ == "__main__":
    main()
