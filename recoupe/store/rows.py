"""Pure conversions between the pipeline's data classes and the store's rows (no database)."""
from __future__ import annotations

import calendar
import datetime
import hashlib
import json
import re
from typing import Any, Optional

from recoupe.model import Article, Fact
from recoupe.textnorm import fold

_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def content_hash(article: Article) -> str:
    """What makes two versions of an article the same: its text and metadata, not its origin."""
    payload = json.dumps([article.text, article.title, article.date, article.url, article.lang], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def date_bounds(value: Optional[str]) -> tuple[Optional[str], Optional[str]]:
    """``"2023-11"`` -> ``("2023-11-01", "2023-11-30")``; a partial date covers its whole period."""
    if not value or not isinstance(value, str):
        return None, None
    m = _DATE.match(value.strip())
    if not m:
        return None, None
    year, month, day = m.group(1), m.group(2), m.group(3)
    try:  # a real calendar day or month, not "2024-13"
        datetime.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None, None
    if day:
        return value.strip(), value.strip()
    if month:
        last = calendar.monthrange(int(year), int(month))[1]
        return f"{year}-{month}-01", f"{year}-{month}-{last:02d}"
    return f"{year}-01-01", f"{year}-12-31"


def when_bounds(when: Any) -> tuple[Optional[str], Optional[str]]:
    """The closed day range of a fact's ``when`` (a date or ``{"start", "end"}``); open ends are None."""
    if isinstance(when, dict):
        return date_bounds(when.get("start"))[0], date_bounds(when.get("end"))[1]
    return date_bounds(when)


def claim_key_text(key: tuple[str, str, str]) -> str:
    """One indexed column for a claim key: ``"fight|csp-dpa|fama"``."""
    return "|".join(key)


def dumps(value: Any) -> Optional[str]:
    """JSON text of a value, or None for None (so empty stays SQL NULL)."""
    return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)


def loads(text: Optional[str]) -> Any:
    return None if text is None else json.loads(text)


def fact_id(article_id: str, index: int) -> str:
    """Stable across reruns: the fact's position in its article's output."""
    return f"{article_id}#{index}"


def name_key(name: str) -> str:
    """The folded form that name searches compare: lowercase, no accents, single spaces."""
    return " ".join(fold(name).split())


def search_words(text: str) -> list[str]:
    """Folded words of a search query; punctuation is not syntax (no FTS injection)."""
    return re.findall(r"\w+", fold(text))


def snippet(text: str, words: list[str], width: int = 160) -> str:
    """A piece of ``text`` around the first query word, the words' occurrences in [brackets]."""
    folded = _fold_aligned(text)
    starts = [m.start() for w in words for m in [re.search(r"\b" + re.escape(w) + r"\b", folded)] if m]
    at = min(starts) if starts else 0
    lo = max(0, at - width // 3)
    hi = min(len(text), lo + width)
    piece, fpiece = text[lo:hi], folded[lo:hi]
    spans = sorted({(m.start(), m.end()) for w in words
                    for m in re.finditer(r"\b" + re.escape(w) + r"\b", fpiece)})
    out, pos = [], 0
    for s, e in spans:
        if s < pos:
            continue
        out += [piece[pos:s], "[", piece[s:e], "]"]
        pos = e
    out.append(piece[pos:])
    body = " ".join("".join(out).split())
    return ("…" if lo > 0 else "") + body + ("…" if hi < len(text) else "")


def _fold_aligned(text: str) -> str:
    """``fold`` keeping offsets: character by character when a character folds to several."""
    whole = fold(text)
    if len(whole) == len(text):  # the usual case: accents dropped one for one
        return whole
    out = []
    for ch in text:
        f = fold(ch)
        out.append(f[0] if len(f) >= 1 else " ")
    return "".join(out)


def fact_row(article: Article, index: int, fact: Fact, key: str, place: Any) -> tuple:
    """The ``facts`` row of one fact; ``place`` is the gazetteer's Place or None."""
    start, end = when_bounds(fact.when)
    return (
        fact_id(article.id, index), article.id, index, fact.type, fact.source, fact.target, key,
        fact.modality, fact.speaker, dumps(fact.when), start, end, fact.place,
        place.name if place else None, place.country if place else None,
        place.lat if place else None, place.lon if place else None,
        dumps(fact.quantity), fact.evidence, fact.evidence_start, fact.evidence_end, fact.trigger or None,
    )


FACT_COLUMNS = ("fact_id, article_id, idx, type, source, target, claim_key, modality, speaker, when_json, "
                "when_start, when_end, place, place_name, place_country, place_lat, place_lon, quantity, "
                "evidence, evidence_start, evidence_end, trigger_word")
