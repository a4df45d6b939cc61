"""Quantities as the press writes them: "1.500 soldats", "entre 200 et 400 civils",
"une vingtaine de drones", "20 milliards de dollars", "au moins 16 civils tués".

A quantity is a number (or range) followed by a unit noun; the unit says
what is counted (troops, drones, helicopters, aircraft, usd, eur, killed, people).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Optional

from spacy.tokens import Span

from ..data import load_yaml
from ..nlp.text import span_text, token_starts
from ..textnorm import fold

_DIGITS = r"\d{1,3}(?:[.\u00a0\u202f ]\d{3})+(?![\d])|\d{1,3}(?:,\d{3})+(?![\d,])|\d+(?:,\d+)?"


@dataclass(frozen=True)
class Quantity:
    """A counted thing at characters [start, end) of the text."""

    start: int
    end: int
    value: dict  # {"value": n} or {"min": a, "max": b}, plus "unit"

    @property
    def unit(self) -> str:
        return self.value.get("unit", "")


@lru_cache(maxsize=1)
def _tables() -> dict:
    """The quantity lexicon, with the unit words folded (read once, on first use)."""
    raw = load_yaml("lexicons/fr/quantities.yaml")
    units = {}
    for unit, words in raw["units"].items():
        for word in words:
            units[fold(word)] = unit
    raw["unit_of"] = units
    raw["killing"] = {fold(w) for w in raw["killing_words"]}
    return raw


BOUNDS = ["au moins", "plus de", "près de", "environ", "quelque", "over", "more than", "at least", "around",
          "about", "some", "moins de", "jusqu'à", "up to"]  # before a number ("au moins 16")
RANGES = ["entre", "de", "between", "from"]  # before a range ("entre 200 et 400")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=1)
def _number_re() -> re.Pattern:
    """A number (or range, or approximate noun) and what bounds it.  Every match must hold one
    of ``_anchor_re``'s digits or words (``_numbers`` looks for them first): a branch without
    one needs its own there."""
    t = _tables()
    words = "|".join(sorted(t["number_words"], key=len, reverse=True))
    approx = "|".join(sorted(t["approximate_nouns"], key=len, reverse=True))
    num = rf"(?:{_DIGITS}|\b(?:{words})\b)"
    bounds = "|".join(rf"\b{b}" for b in BOUNDS)
    ranges = "|".join(rf"\b{r}" for r in RANGES)
    return re.compile(
        rf"(?P<vague>\bquelques|\bplusieurs)\s+(?P<vmul>milliers|centaines|dizaines)"
        rf"|\b(?:une?\s+)?(?P<approx>{approx})s?\b"
        rf"|(?P<bound>{bounds})?\s*"
        rf"(?:(?P<range>{ranges})\s+)?"
        rf"(?P<cur>\$|€)?\s?(?P<a>{num})"
        rf"(?:\s*(?:à|et|-|–|to|and)\s*(?P<b>{num}))?",
        re.IGNORECASE,
    )


@lru_cache(maxsize=1)
def _anchor_re() -> re.Pattern:
    """What every match of ``_number_re`` holds: a digit, a number word, an approximate noun or
    a vague word, at most ``_reach`` characters after the match's start."""
    t = _tables()
    words = "|".join(sorted(t["number_words"], key=len, reverse=True))
    approx = "|".join(sorted(t["approximate_nouns"], key=len, reverse=True))
    return re.compile(rf"\d|\b(?:{words})\b|\b(?:{approx})s?\b|\bquelques|\bplusieurs", re.IGNORECASE)


def _reach(text: str) -> int:
    """How far before its digit or word a match can start in ``text``: a bound, spaces, a range
    word, spaces, a currency sign and a space ("au moins  entre $ 5"), or "une " and spaces."""
    spaces = max(map(len, _SPACES.findall(text)), default=0)
    return max(max(map(len, BOUNDS)) + spaces + max(map(len, RANGES)) + spaces + 2, len("une") + spaces)


def _numbers(text: str):
    """``_number_re().finditer(text)``, the regex tried only just before the digits and words a
    quantity needs (most of a sentence has none: trying it at every character is slow)."""
    number, anchor, reach = _number_re(), _anchor_re(), _reach(text)
    pos = 0
    while (found := anchor.search(text, pos)) is not None:
        # no match starts in [pos, found.start() - reach): each has a digit or word after pos
        m = number.search(text, max(pos, found.start() - reach))
        if m is None:
            return
        yield m
        pos = m.end()  # matches are never empty: finditer goes on from here too


def _to_number(text: str) -> Optional[float]:
    """ "1.500" -> 1500, "15 000" -> 15000, "1,5" -> 1.5, "1,000" -> 1000, "quatre" -> 4."""
    t = _tables()
    low = text.lower()
    if low in t["number_words"]:
        return float(t["number_words"][low])
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+", text):
        return float(text.replace(",", ""))
    cleaned = re.sub(r"[.\u00a0\u202f ](?=\d{3})", "", text).replace(",", ".")
    try:
        return float(cleaned)
    except ValueError:
        return None


def find_quantities(sent: Span) -> list[Quantity]:
    """Every number-with-unit of a sentence."""
    text = span_text(sent).replace("’", "'")
    found = []
    for m in _numbers(text):
        if not m.group(0).strip():
            continue
        quantity = _read(m, sent)
        if quantity is not None:
            found.append(quantity)
    return found


def _read(m: re.Match, sent: Span) -> Optional[Quantity]:
    """One regex match -> a quantity, when a unit follows."""
    t = _tables()
    if m["approx"]:
        low, high, bound = float(t["approximate_nouns"][m["approx"].lower()]), None, None
    elif m["vague"]:
        base = {"milliers": 1000, "centaines": 100, "dizaines": 10}[m["vmul"].lower()]
        low, high, bound = float(2 * base), None, "min"
    else:
        low = _to_number(m["a"])
        high = _to_number(m["b"]) if m["b"] else None
        if low is None:
            return None
        bound = _bound(m["bound"])
        if high is not None and not m["range"] and m["b"] and high < low:
            high = None
    end = sent.start_char + m.end()
    multiplier, unit, unit_end = _unit_after(sent, end)
    if m["cur"]:
        unit = "usd" if m["cur"] == "$" else "eur"
    if unit is None or (low < 1 and multiplier == 1):
        return None
    if m["a"] and re.fullmatch(r"(?:19|20)\d\d", m["a"]) and unit not in ("usd", "eur") and not m["b"]:
        return None
    low *= multiplier
    high = high * multiplier if high is not None else None
    if unit in ("troops", "people") and _mentions_killing(sent, unit_end):
        unit = "killed"
    if unit in ("troops", "people") and low == 1 and high is None and not (m["a"] or "").isdigit():
        return None  # "un conseiller de la présidence": an article, not a force of one
    value: dict
    if high is not None and high != low:
        value = {"min": _int(low), "max": _int(high)}
    elif bound == "min":
        value = {"min": _int(low)}
    elif bound == "max":
        value = {"max": _int(low)}
    else:
        value = {"value": _int(low)}
    value["unit"] = unit
    return Quantity(sent.start_char + m.start(), unit_end, value)


def _bound(word: Optional[str]) -> Optional[str]:
    if not word:
        return None
    word = word.lower()
    if word in ("au moins", "plus de", "over", "more than", "at least"):
        return "min"
    if word in ("moins de", "jusqu'à", "up to"):
        return "max"
    return None


def _int(number: float):
    return int(number) if number == int(number) else number


SKIPPED = {"de", "d'", "of", "des", "le", "la", "les", "l'", "nombre", "total", "effectif", "environ"}


def _unit_after(sent: Span, char: int) -> tuple[float, Optional[str], int]:
    """Multiplier and unit of the words after a number: "milliards de dollars", "hélicoptères de combat"."""
    t = _tables()
    doc = sent.doc
    first = bisect_left(token_starts(doc), char, sent.start, sent.end)  # the sentence's first token at ``char``
    tokens = [doc[i] for i in range(first, min(first + 7, sent.end))]
    multiplier = 1.0
    for k, tok in enumerate(tokens):
        low = fold(tok.text)
        if low in t["multipliers"]:
            multiplier *= t["multipliers"][low]
            continue
        pair = fold(f"{tok.text} {doc[tok.i + 1].text}") if tok.i + 1 < len(doc) else ""
        for key in (pair, low, fold(tok.lemma_)):
            if key in t["unit_of"]:
                return multiplier, t["unit_of"][key], tok.idx + len(tok.text)
        if low in SKIPPED or (tok.pos_ == "ADJ" or tok.text[:1].isupper()) and k < 2:
            continue  # "200 soldats tchadiens", and English demonyms first: "100 Russian soldiers"
        return multiplier, None, char
    return multiplier, None, char


def _mentions_killing(sent: Span, char: int) -> bool:
    """ "16 civils ont été tués", "13 militaires ont perdu la vie", "16 civils tués": casualties,
    not a headcount.  Read from the unit noun's own verb or participle, so that "1.700 militaires,
    qui ont perdu huit des leurs" stays a headcount."""
    t = _tables()
    span = sent.doc.char_span(char - 1, char, alignment_mode="expand")  # the token that ends at ``char``
    if span is None or not len(span):
        return False
    unit = span[0]

    def killing(tok) -> bool:
        return fold(tok.lemma_) in t["killing"] or fold(tok.text) in t["killing"]

    node = unit
    for _ in range(3):  # up through "entre 200 et 400 personnes" to the verb
        # "aurait tué au moins 24 civils, dont ...": the parser may take the object for an oblique
        if node.dep_ in ("nsubj", "nsubj:pass", "obj", "nmod", "dep", "obl", "obl:arg") and killing(node.head):
            return True
        if node.dep_ not in ("conj", "nmod", "dep") or node.head.i == node.i:
            break
        node = node.head
    if any(c.dep_ in ("acl", "amod") and killing(c) for c in unit.children):
        return True
    # the parse of counted phrases is often wrong: also read on, up to the end of the clause
    for tok in sent.doc[unit.i + 1:min(sent.end, unit.i + 7)]:
        if tok.text in (",", ";", ":") or fold(tok.text) in ("qui", "dont", "que", "lesquels"):
            return False
        if killing(tok):
            return True
    return False
