"""Quick looks: whether a reply segment surely becomes a post, without reading it.

The walk asks these when it need not build a reply (a summary counts replies, a
search builds only the replies it wants). They answer True only when reading
the segment's head and body would make it a post; False means "no idea", and
the walk reads it. Each is proven against the full read by property tests.
"""

from __future__ import annotations

import re

from threadtui.parsing.common import lines as L
from threadtui.parsing.text_dump.body import PLAIN_FIRST_EXCLUDED, PLAIN_LAST_EXCLUDED

#: A number after "#" (and maybe one space): every post number a head can hold is one
#: of these, or a prefix of one (see REPLY_HEADING_RE and POST_NUMBER_RE).
_ANY_NUMBER = re.compile(rf"#{L.SP}?(\d+)")
#: Lines of a segment :func:`numbered_next` hands to :func:`surely_a_post`.
_QUICK_LINES = 8


def numbered_next(text: str, begin: int, end: int, next_number: int) -> bool:
    """True when the reply segment ``text[begin:end]`` certainly becomes a post
    numbered ``next_number``; False: no idea.

    A reply is numbered ``max(next_number, its head's number)``. Its head's number
    is read from a line of the segment, after ``#`` and at most one space, so it is
    at most the largest such number anywhere in the segment; when none is bigger
    than ``next_number`` the reply takes ``next_number`` whatever its head says.
    Whether it is a post at all is :func:`surely_a_post` over its first lines (a
    post from them is a post from all of them: that test stops at the first line
    that proves it).
    """
    hash_at = text.find("#", begin, end)
    if hash_at >= 0:
        for match in _ANY_NUMBER.finditer(text, hash_at, end):
            digits = match[1]
            if len(digits) > 15 or int(digits) > next_number:
                return False
    whitespace = L.WHITESPACE
    first = text[begin:end].split("\n", _QUICK_LINES)[:_QUICK_LINES]
    return surely_a_post([line.strip(whitespace) for line in first])


def surely_a_post(lines: list[str]) -> bool:
    """True when a reply segment (or its first lines) certainly becomes a post; False: no idea.

    It does if a line is long running text that no head rule can take without
    filling a header field: longer than any name, rank or chrome label (40);
    not a Markdown heading, arrow header, "Posted:" or "Post subject" line, or
    stats line; not the value of a bare stats key before it; and running text
    for the body (see ``PLAIN_FIRST_EXCLUDED``). The head either stops at or
    before it, so the body makes it a paragraph, or takes it as a date, a post
    number or the author's name again, which are header fields.
    """
    stats, stats_first = L.STATS_RE, L.STATS_FIRST
    previous = ""
    for line in lines:
        if not line:
            continue
        if (
            len(line) > 40
            and line[0] not in PLAIN_FIRST_EXCLUDED
            and line[-1] not in PLAIN_LAST_EXCLUDED
            and line[0] != "#"
            and " -> " not in line
            and "Posted:" not in line[:12]
            and not line.startswith("Post subject")
            and not (line[0] in stats_first and stats.fullmatch(line))
            and not _is_bare_stats_key(previous)
        ):
            return True
        previous = line
    return False


def _is_bare_stats_key(line: str) -> bool:
    """A stats key alone ("Joined"): the head takes the next line as its value."""
    if not line or line[0] not in L.STATS_FIRST:
        return False
    stat = L.STATS_RE.fullmatch(line)
    return stat is not None and not (stat["value"] or stat["count"])
