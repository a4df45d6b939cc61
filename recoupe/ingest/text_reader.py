"""Read a plain .txt article, with its optional " date YYYY-MM[-DD]" first line."""
from __future__ import annotations

import logging
import re
from typing import Optional

from recoupe.ingest.common import Rejected, quote
from recoupe.ingest.dates import parse_date
from recoupe.ingest.decoding import decode, read_file_bytes
from recoupe.ingest.language import detect_language
from recoupe.ingest.records import check_text, file_id
from recoupe.model import Article

LOGGER = logging.getLogger(__name__)

_HEADER = re.compile(
    r"[ \t]*date(?:[ \t]*:[ \t]*|[ \t]+)(\d{4}-\d{1,2}(?:-\d{1,2})?)(?=\s|$)[ \t]*",
    re.IGNORECASE,
)
_NON_BLANK = re.compile(r"\S")


def split_date_header(text: str) -> tuple[Optional[str], str]:
    """Return (date, rest) when the first non-blank line starts with a date header, else (None, text).

    The rest of the header line, after the date, stays at the start of the returned text.
    """
    first = _NON_BLANK.search(text)
    if first is None:
        return None, text
    line_start = text.rfind("\n", 0, first.start()) + 1
    match = _HEADER.match(text, line_start)
    if match is None:
        return None, text
    date = parse_date(match.group(1))
    if date is None:
        raise Rejected(f"invalid date {quote(match.group(1))}")
    return date, text[match.end() :]


def read_txt_file(path: str, origin: str, max_chars: int) -> Article:
    """Read one .txt file as an article whose id is the file name without extension."""
    text = decode(read_file_bytes(path, max_chars))
    date, body = split_date_header(text)
    body = check_text(body.strip(), max_chars)
    return Article(
        id=file_id(path),
        text=body,
        date=date,
        lang=detect_language(body),
        origin=origin,
    )
