"""Ingest stage: read articles from .json, .jsonl, .txt and .html files, folders and stdin.

``read_articles`` yields an ``Article`` for every article and an ``InputError`` for every
input that cannot be read; it never raises for bad input.
"""
from __future__ import annotations

import io
import logging
import os
import sys
from typing import BinaryIO, Callable, Iterable, Iterator, Optional, TextIO, Union

from recoupe.ingest.common import Rejected, make_error, os_reason, quote
from recoupe.ingest.html_reader import read_html_file
from recoupe.ingest.json_reader import read_json_file, read_jsonl_file, read_jsonl_stream
from recoupe.ingest.paths import STDIN, SUFFIXES, expand, suffix
from recoupe.ingest.text_reader import read_txt_file
from recoupe.model import Article, InputError

__all__ = ["read_articles", "MAX_CHARS", "SUFFIXES"]

LOGGER = logging.getLogger(__name__)

Item = Union[Article, InputError]
# Longest article text accepted. Four times a long-read; the parser's cost grows with the
# text (200,000 characters: about 25 s and 0.7 GB more memory) and spaCy refuses texts over
# its max_length (1,000,000) outright, which would stop a whole batch.
MAX_CHARS = 200_000
STDIN_ORIGIN = "<stdin>"


def _single(reader: Callable[[str, str, int], Article]) -> Callable[[str, str, int], Iterator[Item]]:
    """Make a one-article reader yield like the multi-article ones."""

    def read(path: str, origin: str, max_chars: int) -> Iterator[Item]:
        yield reader(path, origin, max_chars)

    return read


_READERS: dict[str, Callable[[str, str, int], Iterator[Item]]] = {
    ".json": read_json_file,
    ".jsonl": read_jsonl_file,
    ".txt": _single(read_txt_file),
    ".html": _single(read_html_file),
    ".htm": _single(read_html_file),
}


def _guarded(origin: str, items: Iterator[Item]) -> Iterator[Item]:
    """Pass ``items`` on, turning any failure of the reader into a final InputError."""
    try:
        yield from items
    except Rejected as exc:
        yield make_error(origin, exc.reason)
    except OSError as exc:
        yield make_error(origin, os_reason(exc))
    except MemoryError:
        yield make_error(origin, "out of memory")
    except Exception as exc:  # noqa: BLE001 - bad input must never stop the batch
        LOGGER.debug("unexpected failure reading %s", origin, exc_info=True)
        yield make_error(origin, f"cannot be read ({type(exc).__name__}: {exc})")


def _binary(stream: Union[TextIO, BinaryIO, None]) -> BinaryIO:
    """The bytes under a text stream (so that invalid UTF-8 is seen), or the stream itself."""
    stream = sys.stdin if stream is None else stream
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer
    if isinstance(stream, io.TextIOBase):  # e.g. io.StringIO: already text
        return io.BytesIO(stream.read().encode("utf-8", "surrogatepass"))
    return stream  # type: ignore[return-value]


def _read_one(path: str, stdin: Union[TextIO, BinaryIO, None], max_chars: int) -> Iterator[Item]:
    """Yield the articles and errors of one command-line path."""
    for entry in expand(path):
        if isinstance(entry, InputError):
            yield entry
        elif entry == STDIN:
            lines = read_jsonl_stream(_binary(stdin), STDIN_ORIGIN, max_chars)
            yield from _guarded(STDIN_ORIGIN, lines)
        else:
            reader = _READERS.get(suffix(entry))
            if reader is None:
                kind = quote(suffix(entry) or "none")
                yield make_error(entry, f"unsupported file type {kind} (expected {', '.join(SUFFIXES)})")
            else:
                yield from _guarded(entry, reader(entry, entry, max_chars))


def read_articles(
    paths: Iterable[str],
    *,
    stdin: Optional[Union[TextIO, BinaryIO]] = None,
    max_chars: int = MAX_CHARS,
) -> Iterator[Union[Article, InputError]]:
    """Yield every article of the given paths, in order, and an InputError for each input that cannot be read; never raise for bad input."""
    if isinstance(paths, (str, os.PathLike)):  # one path given bare: not its characters
        paths = [paths]
    seen: dict[str, str] = {}
    for path in paths:
        name = os.fsdecode(path) if isinstance(path, (bytes, os.PathLike)) else str(path)
        for item in _guarded(name, _read_one(name, stdin, max_chars)):
            if isinstance(item, Article):
                first = seen.get(item.id)
                if first is not None:
                    yield make_error(item.origin, f"duplicate id {quote(item.id)} (first seen in {first})")
                    continue
                seen[item.id] = item.origin
            yield item
