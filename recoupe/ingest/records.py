"""Turn one parsed JSON article object into an Article, checking every key of ONTOLOGY section 1."""
from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Optional

from recoupe.ingest.common import Rejected, check_unicode, quote, too_long
from recoupe.ingest.dates import parse_date
from recoupe.ingest.decoding import normalise_newlines
from recoupe.ingest.language import detect_language, normalise_lang
from recoupe.model import Article

LOGGER = logging.getLogger(__name__)


def json_type(value: Any) -> str:
    """The JSON name of a Python value's type, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def check_text(text: str, max_chars: int) -> str:
    """Validate an article body (not blank, no NUL, not too long) and return it."""
    if not text.strip():
        raise Rejected("empty text")
    if "\x00" in text:
        raise Rejected("contains NUL bytes")
    if len(text) > max_chars:
        raise Rejected(too_long(len(text), max_chars))
    return check_unicode(text, "'text'")


def file_id(path: str) -> str:
    """The id of the article of a file: its name without extension, which must be valid Unicode."""
    return check_unicode(Path(path).stem, "the file name")


def _article_id(obj: dict, default_id: Optional[str]) -> str:
    """The article's id: a string, an integer made a string, or ``default_id`` when absent."""
    value = obj.get("id")
    if value is None:
        if default_id is None:
            raise Rejected("missing 'id'")
        return check_unicode(default_id, "the file name")
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise Rejected(f"'id' must be a string, got {json_type(value)}")
    if not value.strip():
        raise Rejected("'id' is empty")
    return check_unicode(value, "'id'")


def _optional_string(obj: dict, key: str) -> Optional[str]:
    """A key that is a string or null; blank strings become None."""
    value = obj.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise Rejected(f"'{key}' must be a string or null, got {json_type(value)}")
    return check_unicode(value, f"'{key}'").strip() or None


def _date(obj: dict) -> Optional[str]:
    """The publication date, normalised, or None."""
    value = obj.get("date")
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)  # a bare year
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise Rejected(f"'date' must be a string or null, got {json_type(value)}")
    date = parse_date(value)
    if date is None:
        raise Rejected(f"invalid date {quote(value)}")
    return date


def _lang(obj: dict, text: str) -> Optional[str]:
    """The given language, normalised to "fr"/"en", or the detected one when it is null."""
    value = obj.get("lang")
    if value is None or (isinstance(value, str) and not value.strip()):
        return detect_language(text)
    if not isinstance(value, str):
        raise Rejected(f"'lang' must be a string or null, got {json_type(value)}")
    lang = normalise_lang(value)
    if lang is None:
        raise Rejected(f"unsupported lang {quote(value)} (expected 'fr', 'en' or null)")
    return lang


def build_article(obj: Any, origin: str, *, default_id: Optional[str], max_chars: int) -> Article:
    """Validate a JSON article object and return the Article; raise Rejected naming the bad key."""
    if not isinstance(obj, dict):
        raise Rejected(f"expected a JSON object, got {json_type(obj)}")
    article_id = _article_id(obj, default_id)
    if obj.get("text") is None:
        raise Rejected("missing 'text'")
    text = obj["text"]
    if not isinstance(text, str):
        raise Rejected(f"'text' must be a string, got {json_type(text)}")
    text = check_text(normalise_newlines(text), max_chars)
    return Article(
        id=article_id,
        text=text,
        date=_date(obj),
        lang=_lang(obj, text),
        url=_optional_string(obj, "url"),
        title=_optional_string(obj, "title"),
        origin=origin,
    )
