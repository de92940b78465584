"""The head rules: each takes one kind of header line (a name, a rank, a date...).

A rule is one function ``rule(head, line, i, silent) -> int``: ``line`` is
``head.lines[i]``, not blank. It returns how many lines it takes from ``i`` on
(0: not its kind of line). When ``silent`` it only answers; otherwise it also
fills ``head``'s fields and sets lines aside as site chrome. A rule changes
nothing when it takes nothing. Which rules run, and in which order, is the
table in :mod:`threadtui.parsing.text_dump.head`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from threadtui.model import Byline
from threadtui.parsing.common import dates
from threadtui.parsing.common import lines as L

if TYPE_CHECKING:
    from threadtui.parsing.text_dump.head import Head

_BYLINE_BULLET = re.compile(rf"[•·▪●]{L.SP}+(?P<text>.+)")
_BYLINE_SPLIT = re.compile(rf"{L.SP}+[-–—|]{L.SP}+")
_POSTED = re.compile(rf"(?:Post)?Posted:{L.SP}*(?P<date>.+)")
_CHROME, _RANKS = L.CHROME, L.RANKS


def title_again(h: Head, line: str, i: int, silent: bool) -> int:
    """The thread title again over the opening post: skipped."""
    return 1 if h.opening and line == h.thread_title else 0


def author_again(h: Head, line: str, i: int, silent: bool) -> int:
    """The author's name again (over the avatar and beside it): skipped."""
    return 1 if line == h.author else 0


def site_label(h: Head, line: str, i: int, silent: bool) -> int:
    """A navigation label ("What's new", "Reply", "Offline"): site chrome."""
    if len(line) >= 40 or line.casefold() not in _CHROME:
        return 0
    if not silent:
        h.chrome.add_stripped(line)
    return 1


def markdown_author(h: Head, line: str, i: int, silent: bool) -> int:
    """A Markdown author heading ("#### alice"); "## Reply #3" gives the post number
    instead (and is site chrome)."""
    if h.author is not None:
        return 0
    name = L.md_author(line)
    if name is None:
        return 0
    if not silent:
        reply = L.REPLY_HEADING_RE.fullmatch(line)
        if reply:
            h.number = int(reply["n"])
            h.chrome.add_stripped(line)
        else:
            h.author = name
    return 1


def rank(h: Head, line: str, i: int, silent: bool) -> int:
    """A user title under the name ("Senior Member", "##### Moderator"): site chrome."""
    if not (len(line) < 40 and line.casefold() in _RANKS) and not (
        line[0] == "#" and L.is_rank(line)
    ):
        return 0
    if not silent:
        h.chrome.add_stripped(line)
    return 1


def stats(h: Head, line: str, i: int, silent: bool) -> int:
    """A member's stats ("Joined: Mar 3, 2019", "Posts 3342"): site chrome. A key
    alone ("Location") takes the next non-blank line as its value."""
    stat = L.STATS_RE.fullmatch(line)
    if stat is None:
        return 0
    value = stat["value"] or stat["count"]
    if not (value or h.author is not None or not h.opening):
        return 0  # "Location" alone over the opening post may be its author's name
    lines = h.lines
    taken, value_at = 1, -1  # value_at: the line holding a key's value, if it is below
    if not value:
        j = i + 1
        while j < len(lines) and not lines[j]:
            j += 1
        if j < len(lines):
            taken, value_at = j + 1 - i, j
        else:
            taken = j - i  # the key ends the segment
    if not silent:
        h.chrome.add_stripped(line)
        if value_at >= 0:
            h.chrome.add_stripped(lines[value_at])
    return taken


def arrow_header(h: Head, line: str, i: int, silent: bool) -> int:
    """ "alice -> RE: subject (12/10/2011 5:56:36 PM)": author, title and date; site chrome."""
    if h.author is not None or " -> " not in line:
        return 0
    arrow = L.ARROW_HEADER_RE.fullmatch(line)
    if arrow is None:
        return 0
    if not silent:
        h.author = arrow["author"]
        h.title = arrow["title"] or None
        h.date = h.date or dates.normalise(arrow["date"])
        h.chrome.add_stripped(line)
    return 1


def post_subject(h: Head, line: str, i: int, silent: bool) -> int:
    """ "Post subject: Rules" (phpBB): the post's title; site chrome."""
    if not line.startswith("Post subject"):
        return 0
    subject = L.POST_SUBJECT_RE.fullmatch(line)
    if subject is None:
        return 0
    if not silent:
        h.title = subject["title"] or None
        h.chrome.add_stripped(line)
    return 1


def posted(h: Head, line: str, i: int, silent: bool) -> int:
    """ "Posted: Wed Aug 08, 2007 7:52 pm" (phpBB), when no date is known yet; site chrome."""
    if h.date is not None or "Posted:" not in line[:12]:
        return 0
    match = _POSTED.fullmatch(line)
    iso = dates.normalise(match["date"]) if match is not None else None
    if not iso:
        return 0
    if not silent:
        h.date = iso
        h.chrome.add_stripped(line)
    return 1


def thread_starter(h: Head, line: str, i: int, silent: bool) -> int:
    """ "Thread starter alice" over the opening post: its author, unless known; site chrome."""
    starter = L.STARTER_RE.fullmatch(line) if h.opening else None
    if starter is None:
        return 0
    if not silent:
        h.author = h.author or starter["name"]
        h.chrome.add_stripped(line)
    return 1


def start_date(h: Head, line: str, i: int, silent: bool) -> int:
    """ "Start date May 4, 2023" over the opening post: its date, unless known; site chrome."""
    match = L.START_DATE_RE.fullmatch(line) if h.opening else None
    iso = dates.normalise(match["date"]) if match is not None else None
    if not iso:
        return 0
    if not silent:
        h.date = h.date or iso
        h.chrome.add_stripped(line)
    return 1


def date_line(h: Head, line: str, i: int, silent: bool) -> int:
    """A date, maybe with "#2" or "Post #1 of 30" after it: the post's date and number.

    The line is site chrome unless it is nothing but the date taken, and a member's
    join date under the name (:func:`_is_join_date`) is only site chrome."""
    iso = date_of(line)
    if iso is None:
        return 0
    if silent:
        return 1
    if h.date is None and _is_join_date(h, i):
        h.chrome.add_stripped(line)
        return 1
    if h.date is None:
        h.date = iso
    if "#" in line or iso != whole_date(line) or h.date != iso:
        h.chrome.add_stripped(line)
    if h.number is None and "#" in line:
        number = L.POST_NUMBER_RE.search(line)
        if number:
            h.number = int(number["n"])
    return 1


def post_number(h: Head, line: str, i: int, silent: bool) -> int:
    """ "#2", "Post #3 of 30": the post's number, unless known; site chrome."""
    match = L.POST_NUMBER_RE.fullmatch(line) if line[0] in "#Pp" else None
    if match is None:
        return 0
    if not silent:
        h.number = h.number or int(match["n"])
        h.chrome.add_stripped(line)
    return 1


def message_count(h: Head, line: str, i: int, silent: bool) -> int:
    """A bare count under a known name (maker.pro's message count): site chrome."""
    if h.author is None or not line[0].isdigit() or L.NUMBER_RE.fullmatch(line) is None:
        return 0
    if not silent:
        h.chrome.add_stripped(line)
    return 1


def byline(h: Head, line: str, i: int, silent: bool) -> int:
    """A reposted article's bullets, "• Writer - Publisher" then "• May 4, 2023"
    (or the date alone), over the opening post: its byline."""
    first = _BYLINE_BULLET.fullmatch(line) if h.opening and h.byline is None else None
    if first is None:
        return 0
    text = first["text"]
    iso = whole_date(text)
    if iso is not None:
        if not silent:
            h.byline = Byline(date=iso)
        return 1
    lines = h.lines
    nxt = i + 1
    while nxt < len(lines) and not lines[nxt]:
        nxt += 1
    second = _BYLINE_BULLET.fullmatch(lines[nxt]) if nxt < len(lines) else None
    second_date = whole_date(second["text"]) if second else None
    if second_date is None:
        return 0
    if not silent:
        parts = _BYLINE_SPLIT.split(text, maxsplit=1)
        publisher = parts[1] if len(parts) > 1 else None
        h.byline = Byline(author=parts[0], publisher=publisher, date=second_date)
    return nxt + 1 - i


def name(h: Head, line: str, i: int, silent: bool) -> int:
    """A short line that could be a name, proven by the line after it (a rank, stats,
    a date, a post number, the name again; the title, over the opening post): the author."""
    if h.author is not None or len(line) > 40 or not L.is_name_like(line):
        return 0
    following = _next_nonblank(h.lines, i + 1)
    if not (_is_header_evidence(following, line) or (h.opening and following == h.thread_title)):
        return 0
    if not silent:
        h.author = line
    return 1


# ----------------------------------------------------------------- helpers


def _next_nonblank(lines: list[str], pos: int) -> str | None:
    while pos < len(lines):
        if lines[pos]:
            return lines[pos]
        pos += 1
    return None


def _is_header_evidence(line: str | None, name: str) -> bool:
    """Does the line after a candidate name prove it is a post header?"""
    if line is None:
        return False
    first = line[0]
    return (
        line == name
        or L.is_rank(line)
        or (first in L.STATS_FIRST and L.STATS_RE.fullmatch(line) is not None)
        or date_of(line) is not None
        or (first in "#Pp" and L.POST_NUMBER_RE.fullmatch(line) is not None)
    )


def _is_join_date(h: Head, i: int) -> bool:
    """A bare date right under a name and right over a bare count: the member's stats.

    maker.pro's dumps put "May 6, 2020" (when the member joined) and "13" (their
    message count) under each ``#### name`` and give no post date at all.
    """
    lines = h.lines
    following = lines[i + 1] if i + 1 < len(lines) else ""
    return (
        h.author is not None
        and bool(following)
        and following[0].isdigit()
        and L.NUMBER_RE.fullmatch(following) is not None
        and whole_date(lines[i]) is not None
    )


def whole_date(text: str) -> str | None:
    """ISO date of a text that is nothing but a date. The dates module's patterns say
    ``\\s``, which takes CONTROL_SPACES too: a text holding one is no date here."""
    iso = dates.whole_line_date(text)
    return None if iso is None or L.has_control_space(text) else iso


def date_of(line: str) -> str | None:
    """ISO date of a date line, allowing trailing "Thread Starter Post #1 of 30" meta."""
    # Every date spelling starts with a digit, a month or a day name (case
    # matters); anything else, such as most prose, needs no regex at all.
    if not (line[0].isdigit() or line[:3] in dates.DATE_STARTS):
        return None
    # A header's date line is asked about twice in a row: as the evidence after
    # the name line, then as a line of its own. One (line, answer) pair, swapped
    # in whole, so parsers running in two threads cannot mix theirs.
    global _last_date_of
    last = _last_date_of
    if last[0] is line:
        return last[1]
    iso = _date_of_line(line)
    _last_date_of = (line, iso)
    return iso


_last_date_of: tuple[str | None, str | None] = (None, None)


def _date_of_line(line: str) -> str | None:
    # No date spelling holds a "#", and most header date lines end in "#2": those
    # can only be a date followed by the meta.
    if "#" not in line:
        iso = whole_date(line)
        if iso is not None:
            return iso
    # The meta ends in a digit ("#2", "of 30"; each of those holds a "#") or in
    # "Starter", "Poster", "OP": skip the (linear-time) search for every other
    # line, such as prose. (The line is stripped: it ends in no WHITESPACE.)
    end = line[-1]
    if not ((end.isdigit() and "#" in line) or end in "rRpP"):
        return None
    meta = L.TRAILING_META_RE.search(line)
    if meta and meta.start() > 0:
        return whole_date(line[: meta.start()])
    return None
