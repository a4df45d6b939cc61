"""Text normalisation shared by the stages: accent folding, slugs.

Normalised forms are only for matching; evidence and offsets always point
into the original text.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "ʼ": "'", "\u00a0": " ", "\u202f": " "})


# The rules fold the same few thousand words millions of times (every token against every
# phrase trigger); a bounded cache keeps that cheap without growing with the corpus.
@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Lowercase, drop accents, unify apostrophes and no-break spaces."""
    text = text.translate(_APOSTROPHES)
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def slug(name: str) -> str:
    """The ontology's id rule: ASCII lowercase, spaces and apostrophes become '-'."""
    text = fold(name)
    text = re.sub(r"[\s'_/]+", "-", text)
    text = re.sub(r"[^a-z0-9-]", "", text)
    return re.sub(r"-{2,}", "-", text).strip("-")


LEADING_ARTICLES = ("le ", "la ", "les ", "l'", "l’", "the ", "un ", "une ", "des ", "du ", "de la ", "de l'", "de ")


def strip_article(text: str) -> str:
    """Drop one leading French or English article ("l'OTAN" -> "OTAN")."""
    low = text.lower()
    for article in LEADING_ARTICLES:
        if low.startswith(article) and len(text) > len(article):
            return text[len(article):]
    return text


def lemma_candidates(token) -> list[str]:
    """The model's lemma, then forms that repair its misses on inflected verbs ("estime" -> "estimer")."""
    return list(lemma_forms(token.lemma_, token.text, token.pos_))


@lru_cache(maxsize=1 << 16)
def lemma_forms(lemma: str, word: str, pos: str) -> tuple[str, ...]:
    """``lemma_candidates`` of a token with this lemma, text and part of speech (kept, like
    ``fold``, for the words the rules ask about over and over)."""
    forms = [lemma, word]
    text = fold(word)
    for suffix in ("es", "s", "e"):  # adjectives and participles: "présentes" -> "présent"
        if text.endswith(suffix) and len(text) > len(suffix) + 3:
            forms.append(text[: -len(suffix)])
    if pos in ("VERB", "AUX"):
        for suffix, repl in (("ent", "er"), ("e", "er"), ("es", "er"), ("ait", "er"), ("aient", "er"),
                             ("era", "er"), ("eront", "er"), ("é", "er"), ("ée", "er"), ("és", "er"), ("ées", "er")):
            if text.endswith(suffix) and len(text) > len(suffix) + 2:
                forms.append(text[: -len(suffix)] + repl)
    return tuple(forms)
