"""Expand the command line's paths into the input files to read, in order."""
from __future__ import annotations

import logging
import os
from typing import Iterator, Union

from recoupe.ingest.common import make_error, os_reason
from recoupe.model import InputError

LOGGER = logging.getLogger(__name__)

SUFFIXES = (".json", ".jsonl", ".txt", ".html", ".htm")
STDIN = "-"


def suffix(path: str) -> str:
    """The file's extension in lower case, with its dot ("" when there is none)."""
    return os.path.splitext(path)[1].lower()


def expand(path: str) -> Iterator[Union[str, InputError]]:
    """Yield ``path`` itself, or the readable files of a folder sorted by path, or an InputError."""
    if path == STDIN:
        yield path
    elif not os.path.lexists(path):
        yield make_error(path, "no such file or directory")
    elif os.path.isdir(path):
        yield from _walk(path)
    else:
        yield path


def _walk(folder: str) -> Iterator[Union[str, InputError]]:
    """Yield the input files under ``folder``, depth first in name order, skipping hidden names.

    Symbolic links to folders are not followed (no loops); links to files are read.
    """
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda entry: entry.name)
    except OSError as exc:
        yield make_error(folder, os_reason(exc))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir(follow_symlinks=False)
        except OSError as exc:
            yield make_error(entry.path, os_reason(exc))
            continue
        if is_dir:
            yield from _walk(entry.path)
        elif suffix(entry.name) in SUFFIXES:
            yield entry.path
        else:
            LOGGER.debug("skipping %s: not an input file type", entry.path)
