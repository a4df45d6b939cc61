"""Normalise publication dates to "YYYY", "YYYY-MM" or "YYYY-MM-DD"."""
from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Optional

LOGGER = logging.getLogger(__name__)

# re.ASCII: \d would also match other scripts' digits ("１９９９"), which are not "YYYY".
_YEAR = re.compile(r"(\d{4})", re.ASCII)
_MONTH = re.compile(r"(\d{4})-(\d{1,2})", re.ASCII)
_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_DATETIME = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?"
    r"(?:Z|[+-](\d{2})(?::?(\d{2}))?)?",
    re.IGNORECASE | re.ASCII,
)
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})", re.ASCII)
_YMD_SLASH = re.compile(r"(\d{4})/(\d{1,2})/(\d{1,2})", re.ASCII)


def _year_ok(year: int) -> bool:
    """Whether ``year`` is a plausible four-digit year."""
    return 1 <= year <= 9999


def _day(year: str, month: str, day: str) -> Optional[str]:
    """Format a validated calendar day, or None when it does not exist."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def parse_date(value: str) -> Optional[str]:
    """Return ``value`` as "YYYY", "YYYY-MM" or "YYYY-MM-DD", or None when it is not a real date."""
    text = value.strip()
    if _YEAR.fullmatch(text):
        return text if _year_ok(int(text)) else None
    if m := _MONTH.fullmatch(text):
        year, month = int(m[1]), int(m[2])
        return f"{year:04d}-{month:02d}" if _year_ok(year) and 1 <= month <= 12 else None
    if m := _DAY.fullmatch(text):
        return _day(m[1], m[2], m[3])
    if m := _DATETIME.fullmatch(text):
        hour, minute, second = int(m[4]), int(m[5]), int(m[6] or 0)
        if hour > 23 or minute > 59 or second > 60:
            return None
        if int(m[7] or 0) > 14 or int(m[8] or 0) > 59:  # UTC offsets run from -12:00 to +14:00
            return None
        return _day(m[1], m[2], m[3])
    if m := _DMY.fullmatch(text):
        return _day(m[3], m[2], m[1])
    if m := _YMD_SLASH.fullmatch(text):
        return _day(m[1], m[2], m[3])
    return None
