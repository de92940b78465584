"""A segment's head: the lines before the body that name the author, rank, date
and post number (and, over the opening post, the title and byline).

The head is read by an ordered table of small rules, :data:`HEAD_RULES`
(the rules themselves are in :mod:`.head_rules`). For each non-blank line the
rules are tried in table order and the first that takes the line wins; the
head ends at the first line no rule takes, where the body begins.

A row may say when its rule cannot take a line: only lines starting with
certain characters (``starts``), only over the opening post (``opening``),
only once or only while the author is known (``author``). Those are
hints, not conditions: every rule checks its own conditions, and the hints
only let :func:`read_head` skip rules that would say no (a test compares
with trying every rule). The rules worth trying for each kind of line are
worked out on first sight of its first character and kept.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from threadtui.model import Byline
from threadtui.parsing.common import dates
from threadtui.parsing.common import lines as L
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump import head_rules as R

_NO_LINES: list[str] = []


class Head:
    """What the head of one segment told us, and what its rules read it with.

    Plain slots, not a dataclass: one is made per post, and a dataclass would
    cost import time before the reader's first screen.
    """

    __slots__ = (
        "author",
        "date",
        "title",
        "number",
        "byline",
        "chrome",
        "thread_title",
        "opening",
        "lines",
    )

    def __init__(self, chrome: SiteChrome, thread_title: str | None, opening: bool) -> None:
        self.author: str | None = None
        self.date: str | None = None
        self.title: str | None = None  # the post's own title ("Post subject: ...")
        self.number: int | None = None
        self.byline: Byline | None = None
        self.chrome = chrome
        self.thread_title = thread_title
        self.opening = opening  # the opening post's head
        self.lines = _NO_LINES  # the segment's lines, while its head is read

    def is_empty(self) -> bool:
        """Nothing was found (a segment with no header and no body is no post)."""
        return (
            self.author is None
            and self.date is None
            and self.title is None
            and self.number is None
            and self.byline is None
        )


Take = Callable[[Head, str, int, bool], int]


class HeadRule:
    """A row of :data:`HEAD_RULES`: a rule's name, its function, and when it cannot match."""

    __slots__ = ("name", "take", "starts", "opening", "author")

    def __init__(
        self,
        name: str,
        take: Take,
        starts: str | frozenset[str] | Callable[[str], bool] | None = None,
        *,
        opening: bool = False,
        author: bool | None = None,
    ) -> None:
        self.name = name
        self.take = take
        #: Whether a line starting with a character can be taken (None: any can).
        self.starts = starts.__contains__ if isinstance(starts, str | frozenset) else starts
        self.opening = opening  # only over the opening post
        self.author = author  # True: only once the author is known; False: only while not

    def may_take(self, first: str, opening: bool, author_known: bool) -> bool:
        """Whether the rule can take a line starting with ``first`` in such a head."""
        return (
            (opening or not self.opening)
            and self.author in (None, author_known)
            and (self.starts is None or self.starts(first))
        )

    def __repr__(self) -> str:
        return f"HeadRule({self.name!r})"


def _casefolds_into(words: frozenset[str]) -> Callable[[str], bool]:
    """Whether a line starting with the character can casefold to one of ``words``."""
    return lambda first: any(word.startswith(first.casefold()) for word in words)


def _first_letter_of(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    """Whether a line starting with the character can match ``pattern``, whose first
    character is a letter (under IGNORECASE more characters than its two cases can)."""
    letter = re.compile(re.escape(pattern.pattern[0]), pattern.flags)
    return lambda first: letter.fullmatch(first) is not None


_LABEL_FIRST = _casefolds_into(L.CHROME)
_RANK_WORD_FIRST = _casefolds_into(L.RANKS)
_STARTER_FIRST = _first_letter_of(L.STARTER_RE)
_START_DATE_FIRST = _first_letter_of(L.START_DATE_RE)
_DATE_STARTS_FIRST = frozenset(start[0] for start in dates.DATE_STARTS)


def _rank_first(first: str) -> bool:
    return first == "#" or _RANK_WORD_FIRST(first)


def _date_first(first: str) -> bool:
    return first.isdigit() or first in _DATE_STARTS_FIRST


#: The head rules, in the order they are tried: the first that takes a line wins.
#: Columns: the rule's name, its function, the first characters of the lines it
#: can take, and ``opening=True`` (only over the opening post) or ``author=``
#: (True: only once the author is known, False: only while not). Then an example.
# fmt: off
HEAD_RULES: tuple[HeadRule, ...] = (
    HeadRule("title again",     R.title_again,     opening=True),
    HeadRule("author again",    R.author_again,    author=True),
    HeadRule("site label",      R.site_label,      _LABEL_FIRST),         # What's new
    HeadRule("markdown author", R.markdown_author, "#", author=False),    # #### alice
    HeadRule("rank",            R.rank,            _rank_first),          # Senior Member
    HeadRule("stats",           R.stats,           L.STATS_FIRST),        # Joined: Mar 3, 2019
    HeadRule("arrow header",    R.arrow_header,    author=False),         # al -> RE: x (5/6/2011)
    HeadRule("post subject",    R.post_subject,    "P"),                  # Post subject: Rules
    HeadRule("posted",          R.posted,          "P"),                  # Posted: Aug 08, 2007
    HeadRule("thread starter",  R.thread_starter,  _STARTER_FIRST, opening=True),  # Thread starter
    HeadRule("start date",      R.start_date,      _START_DATE_FIRST, opening=True),  # Start date
    HeadRule("date",            R.date_line,       _date_first),          # May 4, 2023 #2
    HeadRule("post number",     R.post_number,     "#Pp"),                # Post #3 of 30
    HeadRule("message count",   R.message_count,   str.isdigit, author=True),  # 1,204
    HeadRule("byline",          R.byline,          "•·▪●", opening=True),  # • May 4, 2023
    HeadRule("name",            R.name,            author=False),         # alice
)
# fmt: on

#: The rules worth trying, by [opening post?][author known?][first character].
_CHAINS: tuple[tuple[dict[str, tuple[Take, ...]], ...], ...] = (({}, {}), ({}, {}))


def _chain(opening: bool, author_known: bool, first: str) -> tuple[Take, ...]:
    """The rules of :data:`HEAD_RULES` that may take such a line, in order (kept)."""
    chain = tuple(r.take for r in HEAD_RULES if r.may_take(first, opening, author_known))
    _CHAINS[opening][author_known][first] = chain
    return chain


def read_head(h: Head, lines: list[str], pos: int) -> int:
    """Read the head of ``lines`` from ``pos`` into ``h``; return where the body starts."""
    h.lines = lines
    end = len(lines)
    chains = _CHAINS[h.opening]
    while pos < end:
        line = lines[pos]
        if not line:
            pos += 1
            continue
        known = h.author is not None
        chain = chains[known].get(line[0])
        if chain is None:
            chain = _chain(h.opening, known, line[0])
        taken = 0
        for take in chain:
            taken = take(h, line, pos, False)
            if taken:
                break
        if not taken:
            break
        pos += taken
    h.lines = _NO_LINES
    return pos


def read_title(lines: list[str], chrome: SiteChrome) -> tuple[str | None, int]:
    """The thread title: the first line that is not navigation chrome; and the line after it."""
    pos = 0
    while pos < len(lines):
        line = lines[pos]
        pos += 1
        if not line:
            continue
        if L.is_chrome(line):
            chrome.add_stripped(line)
            continue
        if line.startswith("# "):
            return L.strip(line[2:]) or line, pos
        return line, pos
    return None, pos
