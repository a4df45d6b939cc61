"""Near-duplicate stories: the same text republished by several outlets.

A republished story differs from its original by a headline, a dateline
("Paris, 17 février 2022 –"), a byline, an agency credit ("(AFP)"), a few
edited words and sometimes a cut ending.  The text is normalised (those edge
lines dropped, accents and punctuation folded away), cut into word 5-grams,
and summarised by a MinHash signature whose matching positions estimate the
Jaccard similarity of the two sets of 5-grams.  LSH band keys let a store find
the few candidate copies of a new article among many without comparing it to
every other one.

Everything is reproducible across processes and machines: shingles are
hashed with CRC-32 and the permutations come from SHA-256 of fixed labels
(never Python's salted ``hash()`` nor a random generator).
"""
from __future__ import annotations

import hashlib
import re
import struct
import zlib
from functools import lru_cache
from typing import Optional, Sequence
from urllib.parse import urlsplit

import numpy as np

from ..data import load_yaml
from ..textnorm import fold

# Largest prime below 2**32: hash values stay below it, so a signature fits
# in unsigned 32-bit integers, and the value itself marks "no shingle".
_PRIME = 4294967291
EMPTY = _PRIME
_CHUNK = 4096  # shingles hashed per numpy block (bounds memory on long texts)
_WORD = re.compile(r"[^\W_]+")  # letters and digits of any script ("cœur", not "c" and "ur")
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)  # "mailto:", not "host:8080"


def _config() -> dict:
    return load_yaml("crosscheck/crosscheck.yaml")


@lru_cache(maxsize=None)
def _settings() -> dict:
    """Numbers and compiled patterns of the copies section of the data file."""
    cfg = _config()["copies"]
    if cfg["permutations"] % cfg["band_rows"]:
        raise ValueError("crosscheck.yaml: permutations must be a multiple of band_rows")
    return {
        "k": int(cfg["shingle_words"]),
        "n": int(cfg["permutations"]),
        "rows": int(cfg["band_rows"]),
        "threshold": float(cfg["threshold"]),
        "edge_words": int(cfg["edge_line_max_words"]),
        "edge_lines": int(cfg["max_edge_lines"]),
        "datelines": [re.compile(p) for p in cfg["dateline_patterns"]],
        "credits": [re.compile(p) for p in cfg["credit_line_patterns"]],
        "trailing": re.compile(cfg["trailing_credit"]),
    }


COPY_THRESHOLD: float = _settings()["threshold"]


@lru_cache(maxsize=None)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """Coefficients a, b of the hash family (a*x + b) mod p, derived from fixed labels."""
    n = _settings()["n"]

    def draw(label: str, modulus: int) -> int:
        return int.from_bytes(hashlib.sha256(label.encode()).digest()[:8], "big") % modulus

    # a < 2**31 and x < 2**32 keep a*x + b below 2**64: no overflow in uint64.
    a = np.array([1 + draw(f"recoupe-minhash-a-{i}", 2**31 - 1) for i in range(n)], dtype=np.uint64)
    b = np.array([draw(f"recoupe-minhash-b-{i}", _PRIME) for i in range(n)], dtype=np.uint64)
    return a, b


def _is_clutter(line: str, settings: dict) -> bool:
    return any(p.search(line) for p in settings["credits"])


def _drop_edges(lines: list[str], settings: dict) -> list[str]:
    """Drop headline, byline and credit lines: the short lines at either end."""

    def short(line: str) -> bool:
        return len(_WORD.findall(line)) < settings["edge_words"]

    start, end = 0, len(lines)
    while start < min(settings["edge_lines"], end) and short(lines[start]):
        start += 1
    dropped_tail = 0
    while end > start and dropped_tail < settings["edge_lines"] and short(lines[end - 1]):
        end -= 1
        dropped_tail += 1
    # A text made only of short lines (a brief) is kept whole rather than emptied.
    return lines[start:end] if end > start else lines


def normalise_for_copies(text: str) -> str:
    """Folded, punctuation-free words of the story proper, without its dateline and credit lines."""
    settings = _settings()
    lines = [fold(line).strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not _is_clutter(line, settings)]
    lines = _drop_edges(lines, settings)
    if lines:
        for pattern in settings["datelines"]:
            lines[0] = pattern.sub("", lines[0], count=1)
        lines[-1] = settings["trailing"].sub("", lines[-1])
    return " ".join(_WORD.findall(" ".join(lines)))


def _shingle_hashes(words: Sequence[str], k: int) -> np.ndarray:
    """CRC-32 of each word k-gram (the whole text when it is shorter than k words), deduplicated."""
    if not words:
        return np.empty(0, dtype=np.uint64)
    count = max(1, len(words) - k + 1)
    hashes = [zlib.crc32(" ".join(words[i:i + k]).encode()) for i in range(count)]
    return np.unique(np.array(hashes, dtype=np.uint64) % _PRIME)


def signature(text: str) -> tuple[int, ...]:
    """MinHash signature of the word shingles of ``normalise_for_copies(text)``."""
    settings = _settings()
    hashes = _shingle_hashes(normalise_for_copies(text).split(), settings["k"])
    a, b = _permutations()
    mins = np.full(settings["n"], EMPTY, dtype=np.uint64)
    prime = np.uint64(_PRIME)
    for i in range(0, len(hashes), _CHUNK):
        block = hashes[i:i + _CHUNK, None]
        mins = np.minimum(mins, ((block * a + b) % prime).min(axis=0))
    return tuple(mins.tolist())


def _is_empty(sig: Sequence[int]) -> bool:
    return all(v == EMPTY for v in sig)


def band_keys(sig: Sequence[int]) -> list[str]:
    """LSH keys "band:hash"; two signatures above the threshold share one with probability > 0.99."""
    if not sig or _is_empty(sig):
        return []  # an empty text is a copy of nothing
    rows = _settings()["rows"]
    keys = []
    for band, start in enumerate(range(0, len(sig), rows)):
        chunk = struct.pack(f"<{rows}I", *sig[start:start + rows])
        keys.append(f"{band:02d}:{hashlib.blake2b(chunk, digest_size=8).hexdigest()}")
    return keys


def similarity(a: Sequence[int], b: Sequence[int]) -> float:
    """Estimated Jaccard similarity of the two texts' shingles (share of equal MinHash values)."""
    if len(a) != len(b):
        raise ValueError(f"signatures of different lengths ({len(a)} and {len(b)})")
    if not a or _is_empty(a) or _is_empty(b):
        return 0.0
    return sum(x == y for x, y in zip(a, b)) / len(a)


def is_copy(a: Sequence[int], b: Sequence[int]) -> bool:
    """Whether two signatures are of one story (similarity at or above COPY_THRESHOLD)."""
    return similarity(a, b) >= COPY_THRESHOLD


def pack(sig: Sequence[int]) -> bytes:
    """A signature as little-endian unsigned 32-bit integers (512 bytes for 128 values)."""
    return struct.pack(f"<{len(sig)}I", *sig)


def unpack(data: bytes) -> tuple[int, ...]:
    """The signature that ``pack`` stored."""
    if len(data) % 4:
        raise ValueError(f"packed signature of {len(data)} bytes is not a multiple of 4")
    return struct.unpack(f"<{len(data) // 4}I", data)


@lru_cache(maxsize=None)
def _longer_suffixes() -> frozenset:
    """Endings under which the outlet is three labels long: "bbc.co.uk", "x.blogspot.com"."""
    cfg = _config()["outlets"]
    return frozenset(cfg["multi_label_suffixes"]) | frozenset(cfg["hosting_platforms"])


def outlet_of(url: Optional[str]) -> Optional[str]:
    """The outlet of a url: its registered domain ("lemonde.fr" from "https://www.lemonde.fr/x").

    Keeping the registered domain drops "www.", "m.", "amp." and the
    sections of a site ("blogs.lemonde.fr") alike: all are one outlet.
    """
    if not url or not url.strip():
        return None
    url = url.strip()
    if "//" not in url:
        if _OTHER_SCHEME.match(url):
            return None  # "mailto:", "urn:": no host, no outlet
        url = "//" + url  # "www.lemonde.fr/x" given without a scheme
    try:
        host = urlsplit(url).hostname
    except ValueError:  # e.g. a malformed IPv6 literal
        return None
    if not host:
        return None
    host = host.rstrip(".")
    labels = host.split(".")
    if len(labels) < 2 or all(part.isdigit() for part in labels):
        return host  # "localhost", an IP address
    keep = 3 if ".".join(labels[-2:]) in _longer_suffixes() else 2
    return ".".join(labels[-keep:])
