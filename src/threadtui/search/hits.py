"""What a folder search yields, the row a hit crosses a process as, and a hit's line.

:class:`FolderHit` and :class:`FolderError` are what :func:`threadtui.search.folder.search_paths`
gives its callers. A worker process sends a hit as a :class:`HitRow` instead: a named
tuple pickles several times faster than the dataclasses (with a :class:`Hit` inside),
and the parent unpickles every one of them. An error crosses as the
:class:`FolderError` itself (they are few).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, TypeVar

from threadtui.search.thread_index import Hit

__all__ = [
    "LINE_LIMIT",
    "FolderError",
    "FolderHit",
    "HitRow",
    "MakeHit",
    "folder_hit",
    "hit_line",
]

#: Characters of context kept in :attr:`FolderHit.line` (the match is kept whole
#: up to this length, with some text before it).
LINE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class FolderHit:
    """One match in one thread of the folder."""

    path: str
    title: str  # the thread title as parsed (raw: callers make it safe)
    location: int  # ARTICLE, or the reply's index in reading order
    post_number: int  # 1 for the article, else Post.number
    hit: Hit  # as ThreadIndex.search gives it (field, start, end)
    line: str  # the field's line around the match: visible text, one line, clipped
    line_start: int  # the match's span within ``line``
    line_end: int


@dataclass(frozen=True, slots=True)
class FolderError:
    """A file that could not be read or parsed (the search goes on)."""

    path: str
    error: str


class HitRow(NamedTuple):
    """A :class:`FolderHit` as a worker process sends it (see the module's doc)."""

    path: str
    title: str
    location: int  # FolderHit.location, which is also its Hit's location
    post_number: int
    field: int
    start: int
    end: int
    line: str
    line_start: int
    line_end: int

    def folder_hit(self) -> FolderHit:
        """The hit this row stands for."""
        return folder_hit(*self)


def folder_hit(
    path: str,
    title: str,
    location: int,
    post_number: int,
    field: int,
    start: int,
    end: int,
    line: str,
    line_start: int,
    line_end: int,
) -> FolderHit:
    """A :class:`FolderHit` from :class:`HitRow`'s fields, in their order."""
    hit = Hit(location, field, start, end)
    return FolderHit(path, title, location, post_number, hit, line, line_start, line_end)


H = TypeVar("H")

#: What makes a hit from :class:`HitRow`'s fields, in their order: :func:`folder_hit` in
#: the process that shows the hits, :class:`HitRow` itself in a worker.
MakeHit = Callable[[str, str, int, int, int, int, int, str, int, int], H]


def hit_line(field: str, start: int, end: int, limit: int = LINE_LIMIT) -> tuple[str, int, int]:
    """The line of ``field`` holding the match ``[start, end)``, clipped to about
    ``limit`` characters around it; with the match's span in that line.

    A match that runs over a line break is cut at the end of its first line. Clipped
    ends are marked ``…``. ``field`` is shown text already (see
    :mod:`threadtui.search.fields`), so the line is safe to print.
    """
    first = start
    while first < end and field[first] == "\n":
        first += 1  # a regex match may begin with the break before its line
    if first == end:
        first = start
    line_start = field.rfind("\n", 0, first) + 1
    line_end = field.find("\n", first)
    if line_end < 0:
        line_end = len(field)
    match_start, match_end = first, min(max(end, first), line_end)
    if line_end - line_start <= limit:
        return field[line_start:line_end], match_start - line_start, match_end - line_start
    # Keep the match (up to the limit) with a third of the rest before it.
    match_end = min(match_end, match_start + limit)
    room = limit - (match_end - match_start)
    lo = max(line_start, match_start - room // 3)
    hi = min(line_end, match_end + (room - (match_start - lo)))
    lo = max(line_start, min(lo, hi - limit))
    head = "…" if lo > line_start else ""
    tail = "…" if hi < line_end else ""
    text = head + field[lo:hi] + tail
    return text, match_start - lo + len(head), match_end - lo + len(head)
