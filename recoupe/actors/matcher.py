"""Find known surface forms (actor aliases, place names) in a parsed text.

Forms are compared token by token after accent folding, so "Etats-Unis"
matches "États-Unis"; forms written in capitals (acronyms) must match
exactly ("UA" is the African Union, "ua" is nothing).  The longest match
wins where matches overlap.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Iterable, TypeVar

from spacy.tokens import Doc

from ..nlp.text import folded_texts, token_texts
from ..textnorm import fold

T = TypeVar("T")
MAX_TOKENS = 12


@dataclass(frozen=True)
class Match(Generic[T]):
    """Tokens [start, end) of a doc that spell a known form."""

    start: int
    end: int
    payloads: tuple


def _is_acronym(form: str) -> bool:
    """Short forms in capitals are matched case-sensitively."""
    letters = [c for c in form if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters) and len(letters) <= 6


class FormIndex(Generic[T]):
    """An index of surface forms, each carrying payloads (actor ids, places...)."""

    def __init__(self, tokenizer, entries: Iterable[tuple[str, T]]):
        self._folded: dict[tuple[str, ...], list[T]] = {}
        self._exact: dict[tuple[str, ...], list[T]] = {}
        self._first_folded: set[str] = set()  # first words of forms: other tokens start nothing
        self._first_exact: set[str] = set()
        self._longest: dict[tuple[str, str], int] = {}  # (table, first word) -> most words of its forms
        for form, payload in entries:
            self._add(tokenizer, form, payload)

    def _add(self, tokenizer, form: str, payload: T) -> None:
        words = [t.text for t in tokenizer(form) if not t.is_space]
        if not words or len(words) > MAX_TOKENS:
            return
        if _is_acronym(form):
            table, key = self._exact, tuple(words)
            self._first_exact.add(key[0])
        else:
            table, key = self._folded, tuple(fold(w) for w in words)
            self._first_folded.add(key[0])
        first = ("exact" if table is self._exact else "folded", key[0])
        self._longest[first] = max(self._longest.get(first, 0), len(key))
        bucket = table.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)

    def word(self, text: str) -> tuple:
        """Payloads of a single word's form (no tokenising: a dictionary look-up)."""
        return tuple(self._exact.get((text,)) or self._folded.get((fold(text),)) or ())

    def find(self, doc: Doc) -> list[Match]:
        """Non-overlapping matches, longest first, in text order."""
        exact, folded = token_texts(doc), folded_texts(doc)  # shared by every index
        first_exact, first_folded, longest = self._first_exact, self._first_folded, self._longest
        # only a form's first word starts a match: look there, and no further than its longest form
        starts = [i for i, (e, f) in enumerate(zip(exact, folded)) if e in first_exact or f in first_folded]
        found: list[Match] = []
        n, end = len(exact), 0
        for i in starts:
            if i < end:
                continue  # inside the previous match
            most = max(longest.get(("exact", exact[i]), 0), longest.get(("folded", folded[i]), 0))
            for length in range(min(most, n - i), 0, -1):
                payloads = self._exact.get(tuple(exact[i:i + length])) or self._folded.get(tuple(folded[i:i + length]))
                if payloads:
                    found.append(Match(i, i + length, tuple(payloads)))
                    end = i + length
                    break
        return found
