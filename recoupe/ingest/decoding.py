"""Read input bytes safely and decode them (UTF-8 with or without BOM, UTF-16 with BOM)."""
from __future__ import annotations

import codecs
import logging
import os
import re
import stat
from typing import BinaryIO, Iterator, Optional

from recoupe.ingest.common import Rejected, os_reason

LOGGER = logging.getLogger(__name__)

BYTES_PER_CHAR = 4  # a file over max_chars * 4 bytes cannot hold an acceptable text
_CHUNK = 1 << 16
_EOL = re.compile(rb"\r\n|\r|\n")
_UTF16_BOMS = {codecs.BOM_UTF16_LE: "utf-16-le", codecs.BOM_UTF16_BE: "utf-16-be"}


def byte_limit(max_chars: int) -> int:
    """The largest file size, in bytes, read for a text limit of ``max_chars`` characters."""
    return max(max_chars, 0) * BYTES_PER_CHAR


def open_regular(path: str) -> BinaryIO:
    """Open ``path`` for binary reading; raise Rejected when it is missing, unreadable or special.

    The type is checked before opening, so that a FIFO or a device never blocks the batch.
    """
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            raise Rejected("not a regular file")
        return open(path, "rb")  # noqa: SIM115 - the caller closes it
    except OSError as exc:
        raise Rejected(os_reason(exc)) from exc


def read_file_bytes(path: str, max_chars: int) -> bytes:
    """Read a whole file, refusing (before reading) one too large for ``max_chars`` characters."""
    limit = byte_limit(max_chars)
    with open_regular(path) as handle:
        try:
            size = os.fstat(handle.fileno()).st_size
            if size > limit:
                raise Rejected(f"text too long (file of {size} bytes, limit {max_chars} characters)")
            data = handle.read(limit + 1)
        except OSError as exc:
            raise Rejected(os_reason(exc)) from exc
    if len(data) > limit:  # the file grew while we looked at it
        raise Rejected(f"text too long (file over {limit} bytes, limit {max_chars} characters)")
    return data


def normalise_newlines(text: str) -> str:
    """Turn CRLF and lone CR into LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf16_bom(data: bytes) -> Optional[str]:
    """The UTF-16 codec named by a byte-order mark at the start of ``data``, if any."""
    return _UTF16_BOMS.get(data[:2])


def decode(
    data: bytes, *, offset: int = 0, fallback: Optional[str] = None, utf16: bool = True
) -> str:
    """Decode ``data`` (UTF-8, UTF-8 BOM or UTF-16 BOM), normalise newlines; raise Rejected if bad.

    ``offset`` is where ``data`` starts in its file, for the byte position in messages;
    ``fallback`` is a declared encoding (an HTML <meta charset>) tried when UTF-8 fails;
    ``utf16=False`` (a line inside a file) ignores UTF-16 byte-order marks.
    """
    codec = utf16_bom(data) if utf16 else None
    if codec:
        try:
            text = data[2:].decode(codec)
        except UnicodeDecodeError as exc:
            raise Rejected(f"invalid UTF-16 at byte {offset + 2 + exc.start}") from exc
        if "\x00" in text:
            raise Rejected("contains NUL bytes")
        return normalise_newlines(text)
    if b"\x00" in data:
        raise Rejected("contains NUL bytes")
    skip = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[skip:].decode("utf-8")
    except UnicodeDecodeError as exc:
        text = _decode_declared(data, fallback)
        if text is None:
            raise Rejected(f"invalid UTF-8 at byte {offset + skip + exc.start}") from exc
    return normalise_newlines(text)


def _decode_declared(data: bytes, encoding: Optional[str]) -> Optional[str]:
    """Decode with a declared non-UTF-8 encoding, or None when there is none or it fails."""
    if not encoding:
        return None
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        return None
    if name.startswith("utf"):
        return None
    try:
        text = data.decode(name)
    except UnicodeDecodeError:
        return None
    LOGGER.debug("decoded with the declared encoding %s", name)
    return text


def iter_lines(stream: BinaryIO, max_bytes: int) -> Iterator[tuple[int, int, Optional[bytes]]]:
    """Yield (line number, byte offset, line without its end) from a binary stream.

    Lines end at LF, CRLF or CR. A line longer than ``max_bytes`` is not kept in memory:
    it is yielded as None.
    """
    buf = bytearray()
    start = 0  # offset of buf[0] in the stream
    lineno = 0
    overflow = False
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        if isinstance(chunk, str):  # a text stream with no binary buffer
            chunk = chunk.encode("utf-8", "surrogatepass")
        scan = max(len(buf) - 1, 0)
        buf += chunk
        pos = 0
        for match in _EOL.finditer(buf, scan):
            if match.end() == len(buf) and match.group() == b"\r":
                break  # may be the first half of a CRLF cut by the chunk
            lineno += 1
            yield lineno, start + pos, None if overflow else bytes(buf[pos : match.start()])
            overflow = False
            pos = match.end()
        del buf[:pos]
        start += pos
        if len(buf) > max_bytes:
            overflow = True
            start += len(buf)
            buf.clear()
    if buf.endswith(b"\r"):
        del buf[-1:]
        tail = True
    else:
        tail = bool(buf) or overflow
    if tail:
        yield lineno + 1, start, None if overflow else bytes(buf)
