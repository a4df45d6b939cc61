"""Shared fixtures: one extractor per test session (the model loads once)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
DEV = SHARED / "corpus" / "dev"


@pytest.fixture(scope="session")
def extractor():
    from recoupe.pipeline import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def dev_corpus() -> Path:
    """The shared dev corpus; tests that need it skip when it is absent."""
    if not (DEV / "articles").is_dir():
        pytest.skip("../shared/corpus/dev is not beside the repository")
    return DEV


# ---------------------------------------------------------------- stores (tests/test_store*.py,
# test_query*.py, test_export*.py): the same tests run on SQLite and on a real PostgreSQL server.
PG_ENV = "RECOUPE_TEST_PG"
BACKENDS = ("sqlite", "postgresql")


def pg_base_url() -> str:
    """The test server's URL; skips without one, but fails under CI (where .ci/run starts it)."""
    import os

    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"CI=true but ${PG_ENV} is not set: .ci/run must start PostgreSQL and export it")
        pytest.skip(f"no PostgreSQL server configured (set ${PG_ENV}=postgresql://...; .ci/run does)")
    return url


class StoreFactory:
    """New empty stores: SQLite files under a temp folder, or PostgreSQL schemas dropped at the end."""

    def __init__(self, backend: str, folder: Path):
        self.backend = backend
        self.folder = folder
        self.schemas: list[str] = []
        self.base = pg_base_url() if backend == "postgresql" else None

    def url(self) -> str:
        import uuid

        name = f"t_{uuid.uuid4().hex[:12]}"
        if self.backend == "sqlite":
            return str(self.folder / f"{name}.db")
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{name}"')  # name is ours: hex digits
        self.schemas.append(name)
        sep = "&" if "?" in self.base else "?"
        return f"{self.base}{sep}options=-csearch_path%3D{name}"

    def open(self, **kwargs):
        from recoupe.store import open_store

        return open_store(self.url(), **kwargs)

    def cleanup(self) -> None:
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(self.base, autocommit=True) as conn:
            for name in self.schemas:
                conn.execute(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')


@pytest.fixture(scope="module", params=BACKENDS)
def stores(request, tmp_path_factory):
    """A StoreFactory for each backend, once per test module."""
    factory = StoreFactory(request.param, tmp_path_factory.mktemp(f"store-{request.param}"))
    yield factory
    factory.cleanup()


@pytest.fixture(scope="session")
def sample_results(extractor):
    """The extraction of the sample corpus (examples/articles), done once per session."""
    from recoupe.ingest import read_articles
    from recoupe.model import InputError

    articles = [a for a in read_articles([str(ROOT / "examples" / "articles")]) if not isinstance(a, InputError)]
    return list(extractor.extract_all(articles))


@pytest.fixture(scope="module")
def sample_store(stores, sample_results):
    """A store holding the sample corpus, once per module and backend (read-only in tests)."""
    store = stores.open()
    for result in sample_results:
        store.ingest_result(result)
    yield store
    store.close()
