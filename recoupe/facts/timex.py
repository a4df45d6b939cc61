"""Time expressions of French (and English) press text, resolved against the publication date.

"le 9 juin dernier" in an article of 2021-06 -> 2021-06-09; "fin juillet" ->
2024-07; "du 27 mars au 1er avril" -> {"start": ..., "end": ...}; "depuis
2018" -> {"start": "2018"}; "mercredi dernier" -> the Wednesday before the
publication day when that day is known, else its month.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Optional, Union

from ..data import load_yaml

When = Union[str, dict]

@dataclass(frozen=True)
class TimeExpr:
    """A time expression at characters [start, end) of the text it was found in."""

    start: int
    end: int
    text: str
    value: When
    since: bool = False  # "depuis 2018": the start of a span


@dataclass(frozen=True)
class PubDate:
    """The publication date and how precise it is."""

    year: int
    month: Optional[int]
    day: Optional[int]

    @classmethod
    def parse(cls, value: Optional[str]) -> Optional["PubDate"]:
        if not value:
            return None
        parts = [int(p) for p in value.split("-")[:3]]
        return cls(parts[0], parts[1] if len(parts) > 1 else None, parts[2] if len(parts) > 2 else None)

    @property
    def date(self) -> Optional[dt.date]:
        return dt.date(self.year, self.month, self.day) if self.month and self.day else None


def _fmt(year: int, month: Optional[int] = None, day: Optional[int] = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _fmt_date(d: dt.date, precise: bool) -> str:
    return _fmt(d.year, d.month, d.day if precise else None)


def _year_for(month: int, pub: Optional[PubDate]) -> Optional[int]:
    """The year of a month named without one: this year, or last year if that month is still to come."""
    if pub is None:
        return None
    if pub.month and month > pub.month + 1:
        return pub.year - 1
    return pub.year


def _safe_date(year: int, month: int, day: int) -> Optional[str]:
    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


def _count(text: str) -> int:
    return int(text) if text.isdigit() else _words()[2].get(text.lower(), 1)


# -- handlers: match, publication date -> value ------------------------------
def _day_range(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    month2 = _words()[0][m["month2"].lower()]
    month1 = _words()[0][m["month"].lower()] if m["month"] else month2
    year2 = int(m["year2"]) if m["year2"] else _year_for(month2, pub)
    year1 = int(m["year"]) if m["year"] else year2
    if year1 is None:
        return None
    start, end = _safe_date(year1, month1, int(m["day"])), _safe_date(year2, month2, int(m["day2"]))
    return {"start": start, "end": end} if start and end else None


def _day_month(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    month = _words()[0][m["month"].lower()]
    year = int(m["year"]) if m["year"] else _year_for(month, pub)
    return _safe_date(year, month, int(m["day"])) if year else None


def _numeric(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    return _safe_date(int(m["year"]), int(m["month"]), int(m["day"]))


def _month_year(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    return _fmt(int(m["year"]), _words()[0][m["month"].lower()])


def _month_only(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    month = _words()[0][m["month"].lower()]
    year = _year_for(month, pub)
    return _fmt(year, month) if year else None


def _year(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    return _fmt(int(m["year"]))


def _weekday_range(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    if pub is None or pub.date is None:
        return _fmt(pub.year, pub.month) if pub and pub.month else None
    forward = "prochain" in m.group(0).lower() or "next" in m.group(0).lower()
    first = _weekday_near(pub.date, _words()[1][m["wd"].lower()], forward)
    last = first + dt.timedelta(days=(_words()[1][m["wd2"].lower()] - first.weekday()) % 7)
    return {"start": first.isoformat(), "end": last.isoformat()}


def _weekday(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    if pub is None:
        return None
    if pub.date is None:
        return _fmt(pub.year, pub.month) if pub.month else None
    words = m.group(0).lower()
    forward = "prochain" in words or "next" in words
    same_week = words.startswith("ce ") or words.startswith("this ")
    d = _weekday_near(pub.date, _words()[1][m["wd"].lower()], forward, allow_today=same_week)
    return d.isoformat()


def _weekday_near(ref: dt.date, weekday: int, forward: bool, allow_today: bool = False) -> dt.date:
    """The nearest given weekday before (or after) a date."""
    if forward:
        return ref + dt.timedelta(days=(weekday - ref.weekday()) % 7 or 7)
    back = (ref.weekday() - weekday) % 7
    if back == 0 and not allow_today:
        back = 7
    return ref - dt.timedelta(days=back)


def _relative_day(offset: int) -> Callable:
    def handler(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
        if pub is None:
            return None
        if pub.date is None:
            return _fmt(pub.year, pub.month)
        return (pub.date + dt.timedelta(days=offset)).isoformat()
    return handler


def _ago(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    if pub is None:
        return None
    n, unit = _count(m["n"]), m["unit"].lower()
    if unit.startswith(("an", "année", "year")):
        return _fmt(pub.year - n)
    month = pub.month or 1
    if unit.startswith(("mois", "month")):
        total = pub.year * 12 + month - 1 - n
        return _fmt(total // 12, total % 12 + 1)
    days = n * (7 if unit.startswith(("semaine", "week")) else 1)
    if pub.date is None:
        return _fmt(pub.year, pub.month)
    return _fmt_date(pub.date - dt.timedelta(days=days), precise=days < 7)


def _last_month(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    if pub is None or pub.month is None:
        return None
    total = pub.year * 12 + pub.month - 2
    return _fmt(total // 12, total % 12 + 1)


def _week(offset_days: int) -> Callable:
    def handler(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
        if pub is None or pub.month is None:
            return None
        if pub.date is None:
            return _fmt(pub.year, pub.month)
        return _fmt_date(pub.date + dt.timedelta(days=offset_days), precise=False)
    return handler


def _this_year(offset: int) -> Callable:
    def handler(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
        return _fmt(pub.year + offset) if pub else None
    return handler


def _this_month(m: re.Match, pub: Optional[PubDate]) -> Optional[When]:
    return _fmt(pub.year, pub.month) if pub and pub.month else None


@lru_cache(maxsize=1)
def _words() -> tuple[dict, dict, dict]:
    """Months, weekdays and counts from the data file (read once, on first use)."""
    words = load_yaml("lexicons/fr/time.yaml")
    return ({k: int(v) for k, v in words["months"].items()}, {k: int(v) for k, v in words["weekdays"].items()},
            {k: int(v) for k, v in words["counts"].items()})


# What a pattern needs in a sentence to match at all: every group of words (one of them, in
# any case) and, for DIGIT, a digit.  Most sentences have no date: checking that a few words
# occur is much cheaper than running two dozen patterns over them.
DIGIT = "digit"
_DIGIT_RE = re.compile(r"\d")  # \d as the patterns read it (any decimal digit)
_CASE = str.maketrans({"İ": "i", "ı": "i", "ſ": "s"})  # what re.IGNORECASE also takes for i and s
_TRICKY = re.compile("[İıſ]")

Needs = tuple  # of DIGIT or tuples of lowercase words


@lru_cache(maxsize=1)
def _patterns() -> list[tuple[re.Pattern, Callable, bool, Needs]]:
    """The compiled patterns, longest constructions first, each with what it needs."""
    months, weekdays, counts = _words()
    alt = lambda words: "|".join(sorted(words, key=len, reverse=True))
    _M = "(?P<month>" + alt(months) + ")"
    _M2 = "(?P<month2>" + alt(months) + ")"
    _WD = "(?P<wd>" + alt(weekdays) + ")"
    _WD2 = "(?P<wd2>" + alt(weekdays) + ")"
    _DAY = r"(?P<day>[0-3]?\d)(?:er|st|nd|rd|th)?"
    _DAY2 = r"(?P<day2>[0-3]?\d)(?:er|st|nd|rd|th)?"
    _YEAR = r"(?P<year>(?:19|20)\d\d)"
    _YEAR2 = r"(?P<year2>(?:19|20)\d\d)"
    _N = "(?P<n>\\d+|" + alt(counts) + ")"
    MONTH, WEEKDAY = tuple(months), tuple(weekdays)
    return [
        (re.compile(rf"\b(?:du\s+|from\s+)?{_DAY}(?:\s+{_M})?(?:\s+{_YEAR})?\s+(?:au|à|to|-)\s+{_DAY2}\s+{_M2}(?:\s+{_YEAR2})?", re.I), _day_range, False, (DIGIT, MONTH)),
        (re.compile(rf"\b(?:de\s+)?{_WD}\s+(?:à|au|to)\s+{_WD2}(?:\s+prochains?|\s+derniers?)?", re.I), _weekday_range, False, (WEEKDAY,)),
        (re.compile(rf"\b(?:{_WD}\s+)?{_DAY}\s+{_M}(?:,?\s+{_YEAR})?", re.I), _day_month, False, (DIGIT, MONTH)),
        (re.compile(rf"\b{_M}\s+{_DAY}(?:,\s+{_YEAR})?", re.I), _day_month, False, (DIGIT, MONTH)),
        (re.compile(r"\b(?P<day>[0-3]?\d)[./](?P<month>[01]?\d)[./](?P<year>(?:19|20)\d\d)\b"), _numeric, False, (DIGIT,)),
        (re.compile(rf"\b(?:depuis|since)\s+(?:le\s+mois\s+de\s+|(?:le\s+)?début\s+|(?:la\s+)?fin\s+)?{_M}\s+{_YEAR}", re.I), _month_year, True, (DIGIT, MONTH)),
        (re.compile(rf"\b{_M}\s+{_YEAR}", re.I), _month_year, False, (DIGIT, MONTH)),
        (re.compile(rf"\b(?:(?:au\s+)?début|(?:à\s+la\s+)?fin|mi-|courant|(?:au\s+)?mois\s+d[e']\s*|en|in|early|late|mid-)\s*{_M}\b", re.I), _month_only, False, (MONTH,)),
        (re.compile(rf"\b(?:depuis|since|dès)\s+(?:l'an(?:née)?\s+)?{_YEAR}", re.I), _year, True, (DIGIT, ("depuis", "since", "dès"))),
        (re.compile(rf"\b(?:en|in|de|d'ici|avant\s+la\s+fin\s+de|fin|début|by|the\s+end\s+of)\s+(?:l'année\s+)?{_YEAR}\b", re.I), _year, False, (DIGIT,)),
        (re.compile(rf"\bil\s+y\s+a\s+(?:un\s+peu\s+plus\s+d['e]\s*|plus\s+d['e]\s*|près\s+d['e]\s*|environ\s+)?{_N}\s+(?P<unit>jours?|semaines?|mois|ans|années?)\b", re.I), _ago, False, (("il",), ("jour", "semaine", "mois", "an"))),
        (re.compile(rf"\b{_N}\s+(?P<unit>days?|weeks?|months?|years?)\s+ago\b", re.I), _ago, False, (("ago",),)),
        (re.compile(r"\b(?:le\s+mois\s+dernier|last\s+month)\b", re.I), _last_month, False, (("dernier", "last"),)),
        (re.compile(r"\b(?:la\s+semaine\s+derni[eè]re|last\s+week)\b", re.I), _week(-7), False, (("derni", "last"),)),
        (re.compile(r"\b(?:la\s+semaine\s+prochaine|next\s+week)\b", re.I), _week(7), False, (("prochaine", "next"),)),
        (re.compile(r"\b(?:l'an\s+dernier|l'année\s+derni[eè]re|last\s+year)\b", re.I), _this_year(-1), False, (("derni", "last"),)),
        (re.compile(r"\b(?:cette\s+année|this\s+year|l'an\s+prochain|next\s+year)\b", re.I), _this_year(0), False, (("ann", "year", "prochain"),)),
        (re.compile(r"\b(?:ce\s+mois(?:-ci)?|this\s+month)\b", re.I), _this_month, False, (("mois", "month"),)),
        (re.compile(r"\b(?:avant-hier)\b", re.I), _relative_day(-2), False, (("avant-hier",),)),
        (re.compile(r"\b(?:hier|yesterday)\b", re.I), _relative_day(-1), False, (("hier", "yesterday"),)),
        (re.compile(r"\b(?:aujourd'hui|aujourd’hui|ce\s+jour|today)\b", re.I), _relative_day(0), False, (("jour", "today"),)),
        (re.compile(r"\b(?:demain|tomorrow)\b", re.I), _relative_day(1), False, (("demain", "tomorrow"),)),
        (re.compile(rf"\b(?:(?:ce|le|on|this|last|next)\s+)?{_WD}(?:\s+(?:dernier|prochain|soir|matin))?\b", re.I), _weekday, False, (WEEKDAY,)),
    ]


def _may_match(needs: Needs, text: str, low: str, known: Optional[dict] = None) -> bool:
    """Whether a sentence (``low``: lowercased) has what a pattern needs; ``known`` keeps the
    answers for the groups several patterns share."""
    known = {} if known is None else known
    for group in needs:
        present = known.get(id(group))
        if present is None:
            if group == DIGIT:
                present = _DIGIT_RE.search(text) is not None
            else:
                present = any(word in low for word in group)
            known[id(group)] = present
        if not present:
            return False
    return True


def find_times(text: str, pub_date: Optional[str], offset: int = 0) -> list[TimeExpr]:
    """Every time expression of a text, resolved; longest first where they overlap."""
    pub = PubDate.parse(pub_date)
    text = text.replace("’", "'")  # same length: offsets stay valid
    low = (text.translate(_CASE) if _TRICKY.search(text) else text).lower()
    candidates: list[TimeExpr] = []
    known: dict = {}
    for pattern, handler, since, needs in _patterns():
        if not _may_match(needs, text, low, known):
            continue
        for m in pattern.finditer(text):
            value = handler(m, pub)
            if value:
                candidates.append(TimeExpr(offset + m.start(), offset + m.end(), m.group(0), value, since))
    candidates.sort(key=lambda t: (-(t.end - t.start), t.start))
    chosen: list[TimeExpr] = []
    for cand in candidates:
        if all(cand.end <= c.start or cand.start >= c.end for c in chosen):
            chosen.append(cand)
    return sorted(chosen, key=lambda t: t.start)


def as_when(expr: TimeExpr) -> When:
    """The ontology's `when` for a time expression ("depuis 2018" -> {"start": "2018"})."""
    if expr.since and isinstance(expr.value, str):
        return {"start": expr.value}
    return expr.value
