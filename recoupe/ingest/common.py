"""Small helpers shared by the ingest readers: the rejection exception and one-line messages."""
from __future__ import annotations

import logging
import re

from recoupe.errors import one_line
from recoupe.model import InputError

LOGGER = logging.getLogger(__name__)

_SURROGATE = re.compile(r"[\ud800-\udfff]")


class Rejected(Exception):
    """Raised inside a reader when an input cannot become an article; carries a one-line reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def quote(value: object, limit: int = 40) -> str:
    """Render a user value as a short single-quoted string for an error message."""
    text = one_line(str(value), limit)
    return "'" + text.replace("'", "\\'") + "'"


def safe_origin(origin: str) -> str:
    """Escape control characters of an origin (a file name may hold a newline)."""
    return "".join(ch if ch.isprintable() else repr(ch)[1:-1] for ch in origin)


def make_error(origin: str, reason: str) -> InputError:
    """Build an InputError whose ``str()`` is guaranteed to be one line."""
    return InputError(origin=safe_origin(origin), reason=one_line(reason) or "unreadable input")


def os_reason(exc: OSError) -> str:
    """The OS reason of ``exc`` in lower case, e.g. 'permission denied'."""
    text = exc.strerror or exc.__class__.__name__
    return one_line(text[:1].lower() + text[1:])


def check_unicode(value: str, what: str) -> str:
    """Return ``value``, or raise Rejected when it holds a lone surrogate.

    JSON escapes such as "\\ud800" and undecodable file names (os.fsdecode) give such
    strings; no UTF-8 output, tokenizer or database can take them.
    """
    match = _SURROGATE.search(value)
    if match:
        raise Rejected(f"invalid Unicode in {what} (lone surrogate at character {match.start()})")
    return value


def too_long(length: int, limit: int) -> str:
    """The reason given for a text over the character limit."""
    return f"text too long ({length} characters, limit {limit})"
