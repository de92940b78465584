"""Cutting a dump into segments: the thread head, then one segment per post.

Posts are separated by lines that are blank but hold a no-break space. When a
tool has flattened those away, posts are found by their header markers
instead (:func:`marker_breaks`). A crawler's `` date 2023-05-06 What's new``
first line is read off before either (:func:`metadata_line`).

Three kinds of :class:`Segments` feed the one walk (see ``walker``):
:class:`Separated` (a text with separator lines; a segment is split into lines
only when the walk asks for it), :class:`Marked` (a text without them, split
into lines at once) and :class:`Streamed` (a big file read in chunks, segment
after segment). All of them give each segment as its stripped lines.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Protocol

from threadtui.parsing.common import dates
from threadtui.parsing.common import lines as L
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump.quick import numbered_next


class Segments(Protocol):
    """A dump's segments, asked for in order (``k`` = 0, 1, 2, ...; some may be skipped)."""

    #: How many segments there are (``sys.maxsize`` when not known yet: read to the end).
    count: int

    def lines(self, k: int) -> list[str] | None:
        """The stripped lines of segment ``k``, or None past the last one."""

    def has(self, k: int) -> bool:
        """Whether there is a segment ``k``."""

    def surely_numbered(self, k: int, next_number: int) -> bool:
        """True when reply segment ``k`` certainly becomes a post numbered
        ``next_number``; False: no idea."""


def cut(text: str, start: int, first_line: str | None) -> Separated | Marked:
    """``text[start:]`` (``\\n`` line ends only) cut into segments.

    ``first_line`` replaces the first line of the first segment (see :func:`metadata_line`).
    """
    segments = separated(text, start, first_line)
    if segments is not None:
        return segments
    lines = stripped_lines(text, start, len(text) + 1)
    if first_line is not None and lines:
        lines[0] = first_line
    return Marked(lines, marker_breaks(lines, 0))


def separated(text: str, start: int, first_line: str | None) -> Separated | None:
    """``text[start:]`` cut at its separator lines, if it has any (see :func:`cut`)."""
    separators = separator_lines(text, start)
    return Separated(text, start, first_line, separators) if separators else None


class Separated:
    """A text cut at its separator lines; a segment is split into lines when asked for."""

    __slots__ = ("text", "first_line", "begins", "ends", "count")

    def __init__(
        self, text: str, start: int, first_line: str | None, separators: list[tuple[int, int]]
    ) -> None:
        self.text = text
        self.first_line = first_line
        #: Where each segment begins, and where the line after it starts (``len(text) + 1``
        #: for the last): a separator line belongs to no segment.
        self.begins = [start, *[end + 1 for _, end in separators]]
        self.ends = [first for first, _ in separators]
        self.ends.append(len(text) + 1)
        self.count = len(self.begins)

    def starts(self) -> list[int]:
        """Where each segment begins in :attr:`text` (a new list, the caller's to keep)."""
        return self.begins.copy()

    def lines(self, k: int) -> list[str] | None:
        if k >= self.count:
            return None
        lines = stripped_lines(self.text, self.begins[k], self.ends[k])
        if k == 0 and self.first_line is not None and lines:
            lines[0] = self.first_line
        return lines

    def has(self, k: int) -> bool:
        return k < self.count

    def surely_numbered(self, k: int, next_number: int) -> bool:
        text = self.text
        return numbered_next(text, self.begins[k], min(self.ends[k], len(text)), next_number)


class Marked:
    """A text without separator lines, split into lines at once and cut at post headers."""

    __slots__ = ("_lines", "_bounds", "count")

    def __init__(self, lines: list[str], breaks: list[int]) -> None:
        self._lines = lines
        self._bounds = [0, *breaks, len(lines)]
        self.count = len(breaks) + 1

    def lines(self, k: int) -> list[str] | None:
        if k >= self.count:
            return None
        return self._lines[self._bounds[k] : self._bounds[k + 1]]

    def has(self, k: int) -> bool:
        return k < self.count

    def surely_numbered(self, k: int, next_number: int) -> bool:
        return False  # never asked: a search view needs separator lines


class Streamed:
    """Segments from an iterator, each given once and in order (``k`` is not looked at)."""

    __slots__ = ("_segments", "_ahead", "count")

    def __init__(self, segments: Iterator[list[str]]) -> None:
        self._segments = segments
        self._ahead: list[str] | None = None
        self.count = sys.maxsize

    def lines(self, k: int) -> list[str] | None:
        ahead, self._ahead = self._ahead, None
        return ahead if ahead is not None else next(self._segments, None)

    def has(self, k: int) -> bool:
        if self._ahead is None:
            self._ahead = next(self._segments, None)
        return self._ahead is not None

    def surely_numbered(self, k: int, next_number: int) -> bool:
        return False  # never asked: a stream is only ever built in full


def stream_segments(
    buf: str, start: int, first_line: str | None, more: Iterator[str]
) -> Iterator[list[str]]:
    """The segments of ``buf`` followed by the chunks of ``more``, as :func:`cut` gives them
    (the text must have separator lines).

    Only the current segment and one chunk are held: complete segments are
    split off the front of the buffer as soon as the separator after them shows.
    """
    begin = scan = start  # the current segment's start; where to look for separators
    while True:
        chunk = next(more, None)
        stop = len(buf) if chunk is None else buf.rfind("\n") + 1  # only whole lines
        for line_start, line_end in separator_lines(buf, scan, stop):
            lines = stripped_lines(buf, begin, line_start)
            if first_line is not None and lines:
                lines[0] = first_line
            first_line = None
            yield lines
            begin = line_end + 1
        if chunk is None:
            yield stripped_lines(buf, begin, len(buf) + 1)
            return
        scan = stop - begin
        buf = buf[begin:] + chunk
        begin = 0


def segment_lines(text: str, start: int, first_line: str | None) -> Iterator[list[str]]:
    """The stripped lines of each segment of ``text[start:]``, in order (see :func:`cut`)."""
    segments = cut(text, start, first_line)
    for k in range(segments.count):
        lines = segments.lines(k)
        assert lines is not None
        yield lines


def stripped_lines(text: str, begin: int, next_start: int) -> list[str]:
    """Stripped lines starting in ``[begin, next_start)``; ``next_start`` begins a line
    (or is ``len(text) + 1``: to the end, where ``split`` keeps a final empty line)."""
    if begin >= next_start:
        return []
    end = next_start - 1  # the newline that ends the last line
    whitespace = L.WHITESPACE  # L.strip, inlined: this runs for every line of the file
    return [
        line.strip(whitespace)
        for line in (text[begin:end] if begin or end < len(text) else text).split("\n")
    ]


def separator_lines(text: str, start: int, stop: int | None = None) -> list[tuple[int, int]]:
    """``(first, end)`` offsets of each separator line starting in ``[start, stop)``.

    ``stop`` must begin a line; a line with no newline after it ends the text.

    A separator is a line that is blank but holds a no-break space. Such
    spaces are rare elsewhere, so finding each one is cheaper than looking
    at every line.
    """
    out: list[tuple[int, int]] = []
    find, rfind, strip, whitespace = text.find, text.rfind, str.strip, L.WHITESPACE
    if stop is None:
        stop = len(text)
    hit = find("\u00a0", start, stop)
    while hit >= 0:
        first = rfind("\n", 0, hit) + 1
        end = find("\n", hit)
        if end < 0:
            end = len(text)
        if first >= start and not strip(text[first:end], whitespace):
            out.append((first, end))
        hit = find("\u00a0", end, stop)
    return out


def marker_breaks(lines: list[str], start: int) -> list[int]:
    """Post boundaries in a dump whose separator lines were lost."""
    breaks: list[int] = []
    blank_run = 0
    seen_title = False
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            blank_run += 1
            continue
        run, blank_run = blank_run, 0
        if not seen_title:
            seen_title = True
            continue
        first = line[0]
        if first == "#" and (L.md_author(line) or L.REPLY_HEADING_RE.fullmatch(line)):
            if not (breaks and breaks[-1] >= i - 2 and lines[breaks[-1]].startswith("#")):
                breaks.append(i)
        elif " -> " in line and L.ARROW_HEADER_RE.fullmatch(line):
            breaks.append(i)
        elif first == "P" and L.POST_SUBJECT_RE.fullmatch(line):
            breaks.append(i)
        elif run >= 2 and L.is_rank(line):
            breaks.append(i)
    return breaks


def metadata_line(text: str, chrome: SiteChrome) -> tuple[str | None, int, str | None]:
    """The crawler's `` date 2023-05-06 What's new`` first line, if there is one.

    Returns the capture date, the offset where the page begins (after that
    line, unless it also holds the page's first text) and, in that case,
    what the page's first line reads as.
    """
    newline = text.find("\n")
    meta = L.METADATA_RE.fullmatch(text if newline < 0 else text[:newline])
    if not (meta and dates.normalise(meta[1])):
        return None, 0, None
    rest = L.strip(meta[2] or "")
    if rest and not _is_site_label(rest):
        # The crawler glued the page's first text to the date line: keep it
        # as the first line of the page.
        return meta[1], 0, rest
    if rest:
        chrome.add_stripped(rest)
    return meta[1], len(text) + 1 if newline < 0 else newline + 1, None


def _is_site_label(text: str) -> bool:
    """Rest of the metadata line: chrome ("What's new", "UrduPoint.com") or body text."""
    if L.is_chrome(text):
        return True
    return len(text) <= 40 and L.word_count(text) <= 3 and not text.endswith((".", "!", "?", "…"))
