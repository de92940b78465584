"""Recognising forum date lines and normalising them to ISO 8601.

Recognition is strict (a regular expression per spelling we have seen) so a
sentence that merely mentions "May" never becomes a date; normalisation is
left to dateutil, which knows month names and 12-hour clocks.
"""

from __future__ import annotations

import re
from datetime import datetime

from dateutil import parser as _dateutil

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY_NAME = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
_DATE_BODY = (
    rf"(?:{_DAY_NAME}{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"  # May 4, 2023
    rf"|{_DAY_NAME}\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}{_TIME}"  # 16 Jul 2008 at 7:19 AM
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}}{_TIME})"  # 12/10/2011 5:56:36 PM
)
DATE_RE = re.compile(_DATE_BODY)
_WHOLE_DATE = re.compile(rf"\s*(?P<date>{_DATE_BODY})\s*")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_PARTIAL_ISO = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


def normalise(raw: str) -> str | None:
    """ISO form of a date string we recognised, or None if it does not parse.

    A date without a clock time becomes ``YYYY-MM-DD``; with one,
    ``YYYY-MM-DDTHH:MM`` (plus seconds when given). Partial ISO dates
    (``2021-09``) are kept as they are.
    """
    raw = raw.strip()
    if _PARTIAL_ISO.fullmatch(raw):
        return raw if _valid_partial(raw) else None
    cleaned = re.sub(r"\bat\b", " ", raw)
    cleaned = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", cleaned)
    try:
        when = _dateutil.parse(cleaned, default=datetime(1, 1, 1))
    except (ValueError, OverflowError):
        return None
    if not _HAS_TIME.search(raw):
        return when.date().isoformat()
    if when.tzinfo is not None:
        return when.isoformat()
    return when.isoformat(timespec="seconds" if when.second else "minutes")


def _valid_partial(raw: str) -> bool:
    parts = [int(p) for p in raw.split("-")]
    if not 1 <= parts[1] <= 12:
        return False
    if len(parts) == 3:
        try:
            datetime(parts[0], parts[1], parts[2])
        except ValueError:
            return False
    return True


def whole_line_date(line: str) -> str | None:
    """The ISO date if ``line`` is nothing but a date (and maybe a time), else None."""
    match = _WHOLE_DATE.fullmatch(line)
    if match is None:
        return None
    return normalise(match["date"])
