"""Recognising forum date lines and normalising them to ISO 8601.

Recognition is strict (a regular expression per spelling we have seen) so a
sentence that merely mentions "May" never becomes a date. Normalisation reads
the common spellings itself and leaves the rest to dateutil, which knows the
odd ones (day-first slashes, time zones, fractions of a second).
"""

from __future__ import annotations

import enum
import re
from datetime import datetime
from functools import lru_cache
from typing import Literal

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?"
_DAY_NAME = r"(?:(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)[a-z]*,?\s+)?"
_TIME = r"(?:,?\s+(?:at\s+)?\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
_DATE_BODY = (
    rf"(?:{_DAY_NAME}{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}{_TIME}"  # May 4, 2023
    rf"|{_DAY_NAME}\d{{1,2}}(?:st|nd|rd|th)?\s+{_MONTH},?\s+\d{{4}}{_TIME}"  # 16 Jul 2008 at 7:19 AM
    rf"|\d{{4}}-\d{{2}}-\d{{2}}(?:[T ]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:Z|[+-]\d{{2}}:?\d{{2}})?)?"
    rf"|\d{{1,2}}/\d{{1,2}}/\d{{4}}{_TIME})"  # 12/10/2011 5:56:36 PM
)
#: Three-letter starts of the spellings that begin with a word (case matters);
#: the others begin with a digit.
DATE_STARTS = frozenset(
    "Mon Tue Wed Thu Fri Sat Sun Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
)
_WHOLE_DATE = re.compile(rf"\s*(?P<date>{_DATE_BODY})\s*")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")
_PARTIAL_ISO = re.compile(r"\d{4}-\d{2}(?:-\d{2})?")


@lru_cache(maxsize=4096)
def normalise(raw: str) -> str | None:
    """ISO form of a date string we recognised, or None if it does not parse.

    A date without a clock time becomes ``YYYY-MM-DD``; with one,
    ``YYYY-MM-DDTHH:MM`` (plus seconds when given). Partial ISO dates
    (``2021-09``) are kept as they are.

    The spellings forums use most ("May 4, 2023 at 9:48 PM", "16 Jul 2008",
    "2023-05-04 10:00") are read by :func:`_fast`; anything else goes to
    dateutil, which is about a hundred times slower. Results are cached:
    a thread repeats its dates.
    """
    raw = raw.strip()
    if _PARTIAL_ISO.fullmatch(raw):
        return raw if _valid_partial(raw) else None
    fast = _fast(raw)
    if fast is _Defer.TO_DATEUTIL:
        return _slow(raw)
    return fast


def __getattr__(name: str) -> re.Pattern[str]:
    # DATE_RE (a date anywhere in a string) is compiled on first use: the reader
    # imports this module before its first screen and the parser never needs it.
    if name == "DATE_RE":
        pattern = re.compile(_DATE_BODY)
        globals()["DATE_RE"] = pattern
        return pattern
    raise AttributeError(name)


def _slow(raw: str) -> str | None:
    """The reference reading, through dateutil."""
    # Imported here: only odd spellings get this far, and importing dateutil
    # costs about 4 ms, which the reader would otherwise pay before its first screen.
    from dateutil import parser as _dateutil

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


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_FAST_WORDS = re.compile(
    r"(?:(?P<mon>[A-Za-z]+)\.?\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<mon2>[A-Za-z]+)\.?,?\s+(?P<y2>\d{4}))"
    r"(?:,?\s+(?:at\s+)?(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?"
    r"(?:\s*(?P<ampm>[AaPp][Mm]))?)?"
)
_FAST_ISO = re.compile(
    r"(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})(?:[T ](?P<h>\d{2}):(?P<mi>\d{2})(?::(?P<s>\d{2}))?)?"
)


class _Defer(enum.Enum):
    """What :func:`_fast` answers for a spelling it leaves to dateutil."""

    TO_DATEUTIL = enum.auto()


def _fast(raw: str) -> str | None | Literal[_Defer.TO_DATEUTIL]:
    """ISO (or None) for the common spellings; ``_Defer.TO_DATEUTIL`` for the others.

    Must agree with :func:`_slow` wherever it answers; a test checks that.
    """
    # Groups are read in one call each: a forum has a date line per post.
    match = _FAST_ISO.fullmatch(raw)
    if match is not None:
        y, mo, d, h, mi, s = match.group("y", "m", "d", "h", "mi", "s")
        year, month, day = int(y), int(mo), int(d)
        ampm = ""
    else:
        match = _FAST_WORDS.fullmatch(raw)
        if match is None:
            return _Defer.TO_DATEUTIL
        mon, d, y, d2, mon2, y2, h, mi, s, ampm = match.group(
            "mon", "d", "y", "d2", "mon2", "y2", "h", "mi", "s", "ampm"
        )
        month = _MONTHS.get((mon or mon2).lower(), 0)
        if not month:
            return _Defer.TO_DATEUTIL
        year = int(y or y2)
        day = int(d or d2)
        ampm = (ampm or "").lower()
    if year < 100:
        return _Defer.TO_DATEUTIL  # dateutil reads "0000" as 2000; leave such oddities to it
    try:
        date = datetime(year, month, day)
    except ValueError:
        return None
    if h is None:
        return date.date().isoformat()
    hour, minute = int(h), int(mi)
    second = int(s) if s is not None else 0
    if ampm:
        if hour > 12:
            return None  # dateutil: "Invalid hour specified for 12-hour clock"
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    when = datetime(year, month, day, hour, minute, second)
    return when.isoformat(timespec="seconds" if second else "minutes")


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


@lru_cache(maxsize=4096)
def whole_line_date(line: str) -> str | None:
    """The ISO date if ``line`` is nothing but a date (and maybe a time), else None."""
    match = _WHOLE_DATE.fullmatch(line)
    if match is None:
        return None
    return normalise(match["date"])
