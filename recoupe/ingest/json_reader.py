"""Read articles from .json files (an object or a list), .jsonl files and JSONL streams."""
from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any, BinaryIO, Iterator, Optional, Union

from recoupe.ingest.common import Rejected, make_error, os_reason
from recoupe.ingest.decoding import (
    byte_limit,
    decode,
    iter_lines,
    open_regular,
    read_file_bytes,
    utf16_bom,
)
from recoupe.ingest.records import build_article, json_type
from recoupe.model import Article, InputError

LOGGER = logging.getLogger(__name__)

Item = Union[Article, InputError]


def parse_json(text: str, *, one_line: bool = False) -> Any:
    """Parse JSON text; raise Rejected with the parser's message and position."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"column {exc.colno}" if one_line else f"line {exc.lineno}, column {exc.colno}"
        raise Rejected(f"invalid JSON: {exc.msg} ({where})") from exc
    except RecursionError as exc:
        raise Rejected("invalid JSON: nested too deeply") from exc
    except ValueError as exc:  # e.g. an integer with too many digits
        raise Rejected(f"invalid JSON: {str(exc).split(':')[0]}") from exc


def _record(obj: Any, origin: str, default_id: Optional[str], max_chars: int) -> Item:
    """One article object, or the InputError saying why it is not one."""
    try:
        return build_article(obj, origin, default_id=default_id, max_chars=max_chars)
    except Rejected as exc:
        return make_error(origin, exc.reason)


def read_json_file(path: str, origin: str, max_chars: int) -> Iterator[Item]:
    """Yield the article of a .json file holding one object, or those of a list of objects."""
    text = decode(read_file_bytes(path, max_chars))
    if not text.strip():
        raise Rejected("empty file")
    data = parse_json(text)
    if isinstance(data, list):
        if not data:
            LOGGER.info("%s: empty list, no article", origin)
        for index, obj in enumerate(data):
            yield _record(obj, f"{origin}[{index}]", None, max_chars)
    elif isinstance(data, dict):
        yield _record(data, origin, Path(path).stem, max_chars)
    else:
        raise Rejected(f"expected a JSON object or a list of objects, got {json_type(data)}")


def read_jsonl_file(path: str, origin: str, max_chars: int) -> Iterator[Item]:
    """Yield one article (or InputError) per non-blank line of a .jsonl file."""
    with open_regular(path) as handle:
        try:
            head = handle.read(2)
            handle.seek(0)
        except OSError as exc:
            raise Rejected(os_reason(exc)) from exc
        if utf16_bom(head):  # UTF-16 cannot be cut at newline bytes: decode it whole
            handle.close()
            text = decode(read_file_bytes(path, max_chars))
            yield from _read_text_lines(text, origin, max_chars)
        else:
            yield from read_jsonl_stream(handle, origin, max_chars)


def _read_text_lines(text: str, origin: str, max_chars: int) -> Iterator[Item]:
    """Yield the articles of already decoded JSONL text."""
    for lineno, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            yield _line_record(line, f"{origin}:{lineno}", max_chars)


def _line_record(line: str, origin: str, max_chars: int) -> Item:
    """Parse and check one JSONL line."""
    try:
        obj = parse_json(line, one_line=True)
    except Rejected as exc:
        return make_error(origin, exc.reason)
    return _record(obj, origin, None, max_chars)


def read_jsonl_stream(stream: BinaryIO, origin: str, max_chars: int) -> Iterator[Item]:
    """Yield one article (or InputError) per non-blank line of a binary JSONL stream."""
    limit = byte_limit(max_chars)
    try:
        for lineno, offset, raw in iter_lines(stream, limit):
            where = f"{origin}:{lineno}"
            if raw is None:
                reason = f"text too long (line over {limit} bytes, limit {max_chars} characters)"
                yield make_error(where, reason)
                continue
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw, offset = raw[3:], offset + 3
            if not raw.strip():
                continue
            try:
                line = decode(raw, offset=offset, utf16=False)
            except Rejected as exc:
                yield make_error(where, exc.reason)
                continue
            yield _line_record(line, where, max_chars)
    except OSError as exc:
        raise Rejected(os_reason(exc)) from exc
