"""Data files shipped with recoupe (actor base, lexicons, gazetteer)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_DIR = Path(__file__).resolve().parent


@lru_cache(maxsize=None)
def load_yaml(relative: str) -> Any:
    """Load one YAML data file of the package (cached: data files are read once per process)."""
    with open(DATA_DIR / relative, encoding="utf-8") as fh:
        return yaml.safe_load(fh)
