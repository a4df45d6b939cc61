"""Guess "fr" or "en" offline by counting frequent function words (data/lexicons/stopwords.yaml)."""
from __future__ import annotations

import functools
import logging
import re
from importlib import resources
from typing import Optional

import yaml

from recoupe.errors import LexiconError

LOGGER = logging.getLogger(__name__)

LANGUAGES = ("fr", "en")
_TOKEN = re.compile(r"[^\W\d_]+['’]?")
_SCAN_CHARS = 20_000  # the opening of a long text is enough
_MIN_HITS = 3  # fewer function words than this: no guess
_RATIO = 2.0  # the winner needs this many times the other's count

_ALIASES = {
    "fr": "fr", "fra": "fr", "fre": "fr", "french": "fr", "français": "fr", "francais": "fr",
    "en": "en", "eng": "en", "english": "en", "anglais": "en",
}


@functools.lru_cache(maxsize=1)
def stopwords() -> dict[str, frozenset[str]]:
    """Load the stopword lists once; raise LexiconError when the file is malformed."""
    source = resources.files("recoupe") / "data" / "lexicons" / "stopwords.yaml"
    try:
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise LexiconError(f"stopwords.yaml cannot be read: {exc}") from exc
    if not isinstance(data, dict):
        raise LexiconError("stopwords.yaml must map a language code to a list of words")
    lists: dict[str, frozenset[str]] = {}
    for lang in LANGUAGES:
        words = data.get(lang)
        if not isinstance(words, list) or not all(isinstance(w, str) for w in words):
            raise LexiconError(f"stopwords.yaml: '{lang}' must be a list of strings")
        lists[lang] = frozenset(w.lower() for w in words)
    shared = lists["fr"] & lists["en"]
    if shared:
        raise LexiconError(f"stopwords.yaml: words in both lists: {sorted(shared)}")
    return lists


def detect_language(text: str) -> Optional[str]:
    """Return "fr" or "en" when one language's function words clearly dominate, else None."""
    words = stopwords()
    counts = dict.fromkeys(LANGUAGES, 0)
    for token in _TOKEN.findall(text[:_SCAN_CHARS].lower()):
        token = token.replace("’", "'")
        for lang in LANGUAGES:
            if token in words[lang]:
                counts[lang] += 1
    fr, en = counts["fr"], counts["en"]
    if fr + en < _MIN_HITS:
        return None
    if fr >= _RATIO * en:
        return "fr"
    if en >= _RATIO * fr:
        return "en"
    return None


def normalise_lang(value: str) -> Optional[str]:
    """Map a language tag ("fr", "FR", "fr-FR", "french") to "fr"/"en"; None when unsupported."""
    tag = value.strip().lower().replace("_", "-")
    return _ALIASES.get(tag) or _ALIASES.get(tag.split("-", 1)[0])
