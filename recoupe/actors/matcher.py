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
        bucket = table.setdefault(key, [])
        if payload not in bucket:
            bucket.append(payload)

    def word(self, text: str) -> tuple:
        """Payloads of a single word's form (no tokenising: a dictionary look-up)."""
        return tuple(self._exact.get((text,)) or self._folded.get((fold(text),)) or ())

    def find(self, doc: Doc) -> list[Match]:
        """Non-overlapping matches, longest first, in text order."""
        exact, folded = token_texts(doc), folded_texts(doc)  # shared by every index
        found: list[Match] = []
        i, n = 0, len(doc)
        while i < n:
            if exact[i] not in self._first_exact and folded[i] not in self._first_folded:
                i += 1
                continue
            hit = None
            for length in range(min(MAX_TOKENS, n - i), 0, -1):
                payloads = self._exact.get(tuple(exact[i:i + length])) or self._folded.get(tuple(folded[i:i + length]))
                if payloads:
                    hit = Match(i, i + length, tuple(payloads))
                    break
            if hit:
                found.append(hit)
                i = hit.end
            else:
                i += 1
        return found
