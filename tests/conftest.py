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
