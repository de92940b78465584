"""The plain-text forum dump parser (the seed's format and its relatives).

The dump is a web page flattened to text by a crawler. We read it in three
passes, each linear in the number of lines:

1. split the file into post segments, on the no-break-space separator lines
   or, when a tool has flattened those away, on post-header markers;
2. read each segment's *head*: the lines before the body that name the
   author, rank, date and post number (and, for the opening post, the title
   and byline);
3. read the *body* into blocks: paragraphs, quotes (with a stack, never
   recursion), attachments and links.

Nothing is dropped: a line that is neither body nor a structured field goes
to the thread's ``site_chrome`` list.
"""

from __future__ import annotations

import codecs
import gc
import os
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from threadtui.errors import ParseError
from threadtui.files import MAX_BYTES, open_regular, source_name, stem
from threadtui.model import Attachment, Block, Byline, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing.common import dates
from threadtui.parsing.common import lines as L

FORMAT = "text-dump"
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_BYLINE_BULLET = re.compile(r"[•·▪●]\s+(?P<text>.+)")
_BYLINE_SPLIT = re.compile(r"\s+[-–—|]\s+")
_ARROW_HEADER = re.compile(
    r"(?P<author>\S.{0,60}?) -> (?P<title>.*?)\s*\((?P<date>\d{1,2}/\d{1,2}/\d{4}[^)]*)\)"
)
_REPLY_HEADING = re.compile(r"#{2,4}\s+Reply\s+#(?P<n>\d+)", re.IGNORECASE)
_POST_SUBJECT = re.compile(r"Post subject:\s*(?P<title>.*)")
_POSTED = re.compile(r"(?:Post)?Posted:\s*(?P<date>.+)")


# Plain classes rather than dataclasses for the parser's private state: a
# dataclass costs about half a millisecond to create at import, and the
# reader imports this module before its first screen.


class _Chrome:
    """Site chrome seen so far, de-duplicated but in first-seen order."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}

    def add(self, line: str) -> None:
        self.seen.setdefault(line, None)


class _Head:
    """What the head of one post segment told us."""

    __slots__ = ("author", "date", "title", "number", "byline")

    def __init__(self) -> None:
        self.author: str | None = None
        self.date: str | None = None
        self.title: str | None = None
        self.number: int | None = None
        self.byline: Byline | None = None

    def is_empty(self) -> bool:
        """Nothing was found (a segment with no header and no body is no post)."""
        return (
            self.author is None
            and self.date is None
            and self.title is None
            and self.number is None
            and self.byline is None
        )


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only: other separators (U+2028, form feed) are content.

    Same result as ``_LINE_SPLIT.split(text)``, at twice the speed.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


#: First and last characters that may make a body line more than running
#: text (quote syntax, attachments, links, trailers). A line that has neither
#: is a paragraph line; _read_body skips every other test for it.
_PLAIN_FIRST_EXCLUDED = frozenset(">CQOoVvhf[RLUT")
_PLAIN_LAST_EXCLUDED = frozenset(
    ":↑" + "".join(ext[-1] + ext[-1].upper() for ext in L.ATTACHMENT_EXTENSIONS)
)


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Parse a whole dump. Never raises on any ``str`` input."""
    with _no_gc():
        return _parse(text, source=source, encoding=encoding)


@contextmanager
def _no_gc() -> Iterator[None]:
    # A big dump makes hundreds of thousands of small, acyclic objects: the
    # cyclic garbage collector would walk them over and over for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse(text: str, *, source: str, encoding: str) -> Thread:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    chrome = _Chrome()
    capture_date, start, first_line = _metadata_line(text, chrome)
    segments = _segment_lines(text, start, first_line)
    del text  # only the segments still need it (and the caller's copy stays, if any)
    return _build(segments, chrome, capture_date, source=source, encoding=encoding)


def _metadata_line(text: str, chrome: _Chrome) -> tuple[str | None, int, str | None]:
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
        chrome.add(rest)
    return meta[1], len(text) + 1 if newline < 0 else newline + 1, None


def _build(
    segments: Iterator[list[str]],
    chrome: _Chrome,
    capture_date: str | None,
    *,
    source: str,
    encoding: str,
) -> Thread:
    """The thread from its segments' lines: the head segment, then one per post.

    Each segment is read and dropped before the next is asked for.
    """
    title, head, blocks, pending = _read_article(segments, chrome)
    article = _article_post(head, blocks)

    replies: list[Post] = []
    next_number = 2
    while pending is not None:
        seg, pending = pending, None
        end = len(seg)
        reply_head = _Head()
        pos = _read_head(seg, 0, end, reply_head, chrome, title=title, is_article=False)
        reply_blocks = _read_body(seg, pos, end, chrome)
        del seg
        pending = next(segments, None)
        if not reply_blocks and reply_head.is_empty():
            continue
        number = _reply_number(reply_head, next_number)
        next_number = number + 1
        replies.append(_reply_post(number, reply_head, reply_blocks))
    thread_date = capture_date or (head.date[:10] if head.date else None)
    return Thread(
        title=title or stem(source),
        date=thread_date,
        site_chrome=tuple(chrome.seen),
        article=article,
        replies=tuple(replies),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


def _article_post(head: _Head, blocks: list[Block]) -> Post:
    """The opening post from its head and body blocks."""
    return Post(
        number=1,
        author=_interned(head.author),
        date=head.date,
        title=head.title,
        byline=head.byline,
        blocks=tuple(_with_link_card(blocks)),
    )


def _reply_number(head: _Head, next_number: int) -> int:
    """A reply's number: its header's, unless that is missing or goes backwards."""
    return head.number if head.number and head.number >= next_number else next_number


def _reply_post(number: int, head: _Head, blocks: list[Block]) -> Post:
    return Post(
        number=number,
        author=_interned(head.author),
        date=head.date,
        title=head.title,
        byline=head.byline,
        blocks=tuple(blocks),
    )


def _read_article(
    segments: Iterator[list[str]], chrome: _Chrome
) -> tuple[str | None, _Head, list[Block], list[str] | None]:
    """The title and the opening post's head and blocks; then the next segment, if any."""
    head_lines = next(segments)
    end = len(head_lines)
    title, pos = _read_title(head_lines, 0, end, chrome)
    head = _Head()
    pos = _read_head(head_lines, pos, end, head, chrome, title=title, is_article=True)
    blocks = _read_body(head_lines, pos, end, chrome)
    del head_lines
    pending = next(segments, None)
    if not blocks and pending is not None and head.author is None:
        # Markdown and arrow-header dumps: the head segment holds only the
        # title; the first post segment is the opening post.
        end = len(pending)
        pos = _read_head(pending, 0, end, head, chrome, title=title, is_article=True)
        blocks = _read_body(pending, pos, end, chrome)
        pending = next(segments, None)
    return title, head, blocks, pending


def summarize(text: str, *, source: str = "") -> tuple[str, str | None, str | None, int]:
    """What the thread list shows, as :func:`parse` would give it, for less work.

    Returns ``(title, starter, date, reply count)``: ``thread.title``,
    ``thread.article.author``, ``thread.date or thread.article.date`` and
    ``thread.reply_count`` of ``parse(text, source=source)``. The replies are
    counted, not built: a reply segment is read in full only when a quick look
    (:func:`_surely_a_post`) cannot tell that it holds a post.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    chrome = _Chrome()  # collected, never consulted: skipping segments changes nothing
    capture_date, start, first_line = _metadata_line(text, chrome)
    segments = _segment_lines(text, start, first_line)
    del text
    title, head, _, pending = _read_article(segments, chrome)
    count = 0
    while pending is not None:
        if _surely_a_post(pending) or _is_a_post(pending, chrome, title):
            count += 1
        pending = next(segments, None)
    thread_date = capture_date or (head.date[:10] if head.date else None)
    return title or stem(source), head.author, thread_date or head.date, count


class SearchView:
    """What a folder search needs of a dump: see :func:`search_view`."""

    __slots__ = ("title", "article", "article_wanted", "replies")

    def __init__(
        self, title: str, article: Post, article_wanted: bool, replies: list[tuple[int, Post]]
    ) -> None:
        self.title = title  # thread.title
        self.article = article  # thread.article, or a stand-in when not article_wanted
        self.article_wanted = article_wanted
        self.replies = replies  # (index in thread.replies, the reply) of the wanted segments


def search_view(
    text: str,
    *,
    source: str = "",
    wanted: Callable[[str, list[int]], list[bool]],
    article_wanted: bool = False,
    cancelled: Callable[[], bool] | None = None,
) -> SearchView | None:
    """The title and some posts of ``parse(text, source=source)``, for less work
    than :func:`parse`.

    ``wanted(text, starts)`` tells which segments are wanted, one flag each:
    ``text`` is the dump with its line ends made ``\\n`` and segment ``k`` is
    ``text[starts[k]:starts[k + 1]]`` (up to the end for the last one, and less
    the separator line at its end, which holds nothing but whitespace). The
    replies of the wanted segments are built, each with its index in
    ``thread.replies``, exactly as :func:`parse` builds them. Of the other segments
    only the head is read (post numbers carry on from one reply to the next), or
    not even that when :func:`_numbered_next` can tell the number, and the body
    only when the head is empty (it decides whether the segment is a post at
    all); nothing after the last wanted segment is read.

    The opening post is ``thread.article`` when one of its segments is wanted,
    when it has a byline (whose text is not the file's: the date is rewritten) or
    when the caller says ``article_wanted``; else it is a stand-in
    (``Post(1)``: no author, no blocks) and its body is read only as far as it
    takes to know where it ends. ``view.article_wanted`` tells which.

    Returns None when the dump has no separator lines (its posts are found by
    :func:`_marker_breaks` over all its lines: callers parse it), or when
    ``cancelled()`` turned true on the way.
    """
    # As _no_gc, without the context manager's cost (this runs once per file searched).
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _search_view(text, source, wanted, article_wanted, cancelled)
    finally:
        if gc_was_enabled:
            gc.enable()


def _search_view(
    text: str,
    source: str,
    wanted: Callable[[str, list[int]], list[bool]],
    article_wanted: bool,
    cancelled: Callable[[], bool] | None,
) -> SearchView | None:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    chrome = _Chrome()  # collected, never consulted (as in summarize)
    capture_date, start, first_line = _metadata_line(text, chrome)
    separators = _separator_lines(text, start)
    if not separators:
        return None
    # The segments as _segment_lines cuts them: (begin, start of the line after).
    bounds: list[tuple[int, int]] = []
    begin = start
    for line_start, line_end in separators:
        bounds.append((begin, line_start))
        begin = line_end + 1
    bounds.append((begin, len(text) + 1))
    size = len(text)
    want = wanted(text, [b for b, _ in bounds])
    last = len(want) - 1 - want[::-1].index(True) if True in want else 0  # the last wanted

    def lines_of(k: int) -> list[str]:
        lines = _stripped_lines(text, *bounds[k])
        if k == 0 and first_line is not None and lines:
            lines[0] = first_line
        return lines

    # The opening post, as _read_article reads it.
    head_lines = lines_of(0)
    end = len(head_lines)
    title, pos = _read_title(head_lines, 0, end, chrome)
    head = _Head()
    pos = _read_head(head_lines, pos, end, head, chrome, title=title, is_article=True)
    article_wanted = article_wanted or want[0] or head.byline is not None
    if not article_wanted and _has_running_text(head_lines, pos, end):
        blocks: list[Block] = [Paragraph("")]  # not read: only known not to be empty
    else:
        blocks = _read_body(head_lines, pos, end, chrome)
    del head_lines
    k = 1  # the first reply segment
    if not blocks and len(bounds) > 1 and head.author is None:
        # Markdown and arrow-header dumps: the first post segment is the opening post.
        article_wanted = article_wanted or want[1]
        first_post = lines_of(1)
        end = len(first_post)
        pos = _read_head(first_post, 0, end, head, chrome, title=title, is_article=True)
        blocks = _read_body(first_post, pos, end, chrome)
        del first_post
        k = 2
        article_wanted = article_wanted or head.byline is not None  # a byline from there
    article = _article_post(head, blocks) if article_wanted else Post(number=1)

    replies: list[tuple[int, Post]] = []
    next_number = 2
    index = 0  # the next post's index in thread.replies
    while k <= last:
        if cancelled is not None and k % 1024 == 0 and cancelled():
            return None
        if not want[k]:
            b, e = bounds[k]
            if _numbered_next(text, b, min(e, size), next_number):
                next_number += 1
                index += 1
                k += 1
                continue
        seg = lines_of(k)
        end = len(seg)
        reply_head = _Head()
        pos = _read_head(seg, 0, end, reply_head, chrome, title=title, is_article=False)
        if want[k] or reply_head.is_empty():
            reply_blocks = _read_body(seg, pos, end, chrome)
            is_post = bool(reply_blocks) or not reply_head.is_empty()
        else:
            reply_blocks, is_post = [], True
        del seg
        k += 1
        if not is_post:
            continue
        number = _reply_number(reply_head, next_number)
        next_number = number + 1
        if want[k - 1]:
            replies.append((index, _reply_post(number, reply_head, reply_blocks)))
        index += 1
    return SearchView(title or stem(source), article, article_wanted, replies)


def _has_running_text(lines: list[str], pos: int, end: int) -> bool:
    """Whether a body holds a line of running text, which :func:`_read_body` always
    makes (part of) a paragraph, so that the body has at least one block."""
    for i in range(pos, end):
        line = lines[i]
        if line and line[0] not in _PLAIN_FIRST_EXCLUDED and line[-1] not in _PLAIN_LAST_EXCLUDED:
            return True
    return False


#: A number after "#" (and maybe one space): every post number a head can hold is one
#: of these, or a prefix of one (see _REPLY_HEADING and POST_NUMBER_RE).
_ANY_NUMBER = re.compile(r"#\s?(\d+)")
#: Lines _numbered_next hands to _surely_a_post.
_QUICK_LINES = 8


def _numbered_next(text: str, begin: int, end: int, next_number: int) -> bool:
    """True when the reply segment ``text[begin:end]`` certainly becomes a post
    numbered ``next_number``; False: no idea.

    A reply is numbered ``max(next_number, its head's number)``. Its head's number
    is read from a line of the segment, after ``#`` and at most one space, so it is
    at most the largest such number anywhere in the segment; when none is bigger
    than ``next_number`` the reply takes ``next_number`` whatever its head says.
    Whether it is a post at all is :func:`_surely_a_post` over its first lines (a
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
    return _surely_a_post([line.strip(whitespace) for line in first])


def _is_a_post(lines: list[str], chrome: _Chrome, title: str | None) -> bool:
    """Does this reply segment become a post? (What ``_build`` decides, the slow way.)"""
    end = len(lines)
    head = _Head()
    pos = _read_head(lines, 0, end, head, chrome, title=title, is_article=False)
    return bool(_read_body(lines, pos, end, chrome)) or not head.is_empty()


def _surely_a_post(lines: list[str]) -> bool:
    """True when a reply segment certainly becomes a post; False: no idea.

    It does if a line is long running text that no head rule can take without
    filling a header field: longer than any name, rank or chrome label (40);
    not a Markdown heading, arrow header, "Posted:" or "Post subject" line, or
    stats line; not the value of a bare stats key before it; and running text
    for the body (see _PLAIN_FIRST_EXCLUDED). The head either stops at or
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
            and line[0] not in _PLAIN_FIRST_EXCLUDED
            and line[-1] not in _PLAIN_LAST_EXCLUDED
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


def _interned(name: str | None) -> str | None:
    """One string object per distinct name: a big thread repeats a few hundred
    names tens of thousands of times (about 60 bytes saved per repeat)."""
    return None if name is None else sys.intern(name)


# ----------------------------------------------------------------- big files

#: Files from this size are read in chunks by :func:`parse_file`.
STREAM_MIN_BYTES = 1 << 20
_CHUNK_BYTES = 1 << 20
#: Without a separator line this early on, a file is left to :func:`parse`.
_PROBE_CHARS = 4 << 20


def parse_file(path: str | os.PathLike[str], *, source: str | None = None) -> Thread | None:
    """Parse a large UTF-8 text dump while reading it, never holding all its text.

    Peak memory is the thread being built plus about a megabyte, instead of
    the file's bytes, its text and the thread at once (for a 30 MB dump,
    about 60 MB less). Gives the same thread as ``parse_bytes(data)`` would.

    Returns None, having built nothing that is kept, whenever the general
    path has to decide: the file cannot be opened or read, is not a regular
    file, is over :data:`threadtui.files.MAX_BYTES`, has a byte-order mark,
    holds NUL bytes early on or any byte sequence that is not UTF-8, is
    blank, is another format (threadtui JSON), or has no separator line in
    its first few megabytes. Callers then use ``parse_path``, which reports
    every error the usual way.
    """
    from threadtui.parsing import sniff

    source = source_name(path) if source is None else source
    try:
        fd, _ = open_regular(path)
    except ParseError:
        return None  # the general path reports it
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            chunks = _utf8_chunks(handle, MAX_BYTES)
            buf = next(chunks, "")
            if not buf or sniff(buf).name != FORMAT:
                return None
            while not _separator_lines(buf, 0, buf.rfind("\n") + 1):
                more = next(chunks, None)
                if more is None:  # the whole (small) text is here
                    return parse(buf, source=source)
                if len(buf) > _PROBE_CHARS:
                    return None  # a dump without separators: see _marker_breaks
                buf += more
            with _no_gc():
                chrome = _Chrome()
                capture_date, start, first_line = _metadata_line(buf, chrome)
                segments = _stream_segments(buf, start, first_line, chunks)
                del buf
                return _build(segments, chrome, capture_date, source=source, encoding="utf-8")
    except (OSError, _NotPlainUtf8):
        return None
    finally:
        os.close(fd)


class _NotPlainUtf8(Exception):
    """The bytes are not what :func:`threadtui.parsing.common.decode.decode` would read as plain UTF-8."""


def _utf8_chunks(handle: BinaryIO, max_bytes: int) -> Iterator[str]:
    """The file's text, chunk by chunk, with every line end turned into ``\n``.

    Raises:
        _NotPlainUtf8: where ``decode`` would not simply decode UTF-8 (a
            byte-order mark, early NUL bytes, a bad sequence, only blanks).
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    # The first read covers what decode() sniffs: the byte-order mark and NULs early on.
    data = handle.read(max(_CHUNK_BYTES, _SNIFF_BYTES))
    if data.startswith(_BOMS) or b"\x00" in data[:_SNIFF_BYTES]:
        raise _NotPlainUtf8
    total = 0
    blank = True
    carry = ""  # a chunk's final CR, until we know whether LF follows
    while data:
        total += len(data)
        if total > max_bytes:
            raise _NotPlainUtf8
        blank = blank and not data.strip(b" \t\r\n")
        try:
            text = carry + decoder.decode(data)
        except UnicodeDecodeError:
            raise _NotPlainUtf8 from None
        carry = ""
        if text.endswith("\r"):
            text, carry = text[:-1], "\r"
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if text:
            yield text
        data = handle.read(_CHUNK_BYTES)
    try:
        text = carry + decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # the file ends inside a character
        raise _NotPlainUtf8 from None
    if blank:
        raise _NotPlainUtf8
    if text:
        yield text.replace("\r", "\n")


_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SNIFF_BYTES = 64 * 1024


def _is_site_label(text: str) -> bool:
    """Rest of the metadata line: chrome ("What's new", "UrduPoint.com") or body text."""
    if L.is_chrome(text):
        return True
    words = text.split()
    return len(words) <= 3 and len(text) <= 40 and not text.endswith((".", "!", "?", "…"))


# ----------------------------------------------------------------- segmenting


def _segment_lines(text: str, start: int, first_line: str | None) -> Iterator[list[str]]:
    """The stripped lines of each segment of ``text[start:]`` (``\n`` line ends only).

    The first segment holds the thread head, each later one a post. Segments
    are split into lines one at a time, so a 30 MB dump never has all its
    lines alive at once: only the one being read and the posts made so far.
    ``first_line`` replaces the first line of the first segment.
    """
    separators = _separator_lines(text, start)
    if not separators:
        lines = _stripped_lines(text, start, len(text) + 1)
        if first_line is not None and lines:
            lines[0] = first_line
        bounds = [0, *_marker_breaks(lines, 0), len(lines)]
        del text
        for k in range(len(bounds) - 1):
            yield lines[bounds[k] : bounds[k + 1]]
        return
    begin = start
    for line_start, line_end in separators:
        lines = _stripped_lines(text, begin, line_start)
        if first_line is not None and lines:
            lines[0] = first_line
        first_line = None
        yield lines
        begin = line_end + 1  # a separator line belongs to no segment
    yield _stripped_lines(text, begin, len(text) + 1)


def _stream_segments(
    buf: str, start: int, first_line: str | None, more: Iterator[str]
) -> Iterator[list[str]]:
    """:func:`_segment_lines` over ``buf`` followed by the chunks of ``more``.

    Only the current segment and one chunk are held: complete segments are
    split off the front of the buffer as soon as the separator after them shows.
    """
    begin = scan = start  # the current segment's start; where to look for separators
    while True:
        chunk = next(more, None)
        stop = len(buf) if chunk is None else buf.rfind("\n") + 1  # only whole lines
        for line_start, line_end in _separator_lines(buf, scan, stop):
            lines = _stripped_lines(buf, begin, line_start)
            if first_line is not None and lines:
                lines[0] = first_line
            first_line = None
            yield lines
            begin = line_end + 1
        if chunk is None:
            yield _stripped_lines(buf, begin, len(buf) + 1)
            return
        scan = stop - begin
        buf = buf[begin:] + chunk
        begin = 0


def _stripped_lines(text: str, begin: int, next_start: int) -> list[str]:
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


def _separator_lines(text: str, start: int, stop: int | None = None) -> list[tuple[int, int]]:
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


def _marker_breaks(lines: list[str], start: int) -> list[int]:
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
        if first == "#" and (L.md_author(line) or _REPLY_HEADING.fullmatch(line)):
            if not (breaks and breaks[-1] >= i - 2 and lines[breaks[-1]].startswith("#")):
                breaks.append(i)
        elif " -> " in line and _ARROW_HEADER.fullmatch(line):
            breaks.append(i)
        elif first == "P" and _POST_SUBJECT.fullmatch(line):
            breaks.append(i)
        elif run >= 2 and L.is_rank(line):
            breaks.append(i)
    return breaks


# ----------------------------------------------------------------- heads


def _read_title(lines: list[str], pos: int, end: int, chrome: _Chrome) -> tuple[str | None, int]:
    """The thread title: the first line that is not navigation chrome."""
    while pos < end:
        line = lines[pos]
        pos += 1
        if not line:
            continue
        if L.is_chrome(line):
            chrome.add(line)
            continue
        if line.startswith("# "):
            return L.strip(line[2:]) or line, pos
        return line, pos
    return None, pos


def _next_nonblank(lines: list[str], pos: int, end: int) -> str | None:
    while pos < end:
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
        or _date_of(line) is not None
        or (first in "#Pp" and L.POST_NUMBER_RE.fullmatch(line) is not None)
    )


def _date_of(line: str) -> str | None:
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
        iso = dates.whole_line_date(line)
        if iso is not None:
            return iso
    # The meta ends in a digit ("#2", "of 30"; each of those holds a "#") or in
    # "Starter", "Poster", "OP": skip the (linear-time) search for every other
    # line, such as prose.
    tail = line.rstrip()
    if not tail:
        return None
    end = tail[-1]
    if not ((end.isdigit() and "#" in line) or end in "rRpP"):
        return None
    meta = L.TRAILING_META_RE.search(line)
    if meta and meta.start() > 0:
        return dates.whole_line_date(line[: meta.start()])
    return None


def _read_head(
    lines: list[str],
    pos: int,
    end: int,
    head: _Head,
    chrome: _Chrome,
    *,
    title: str | None,
    is_article: bool,
) -> int:
    """Consume header lines from ``pos``; return where the body starts.

    The rules are tried in a fixed order, the first that matches wins. Each
    is guarded by a test on the first character or the length that its
    pattern implies, so the usual line (prose) costs a few comparisons.
    """
    add = chrome.add
    chrome_words, ranks, stats_first = L.CHROME, L.RANKS, L.STATS_FIRST
    expect_stat_value = False
    while pos < end:
        line = lines[pos]
        if not line:
            pos += 1
            continue
        if expect_stat_value:
            expect_stat_value = False
            add(line)
            pos += 1
            continue
        if title is not None and line == title and is_article:
            pos += 1
            continue
        if head.author is not None and line == head.author:
            pos += 1
            continue
        first = line[0]
        folded = line.casefold() if len(line) < 40 else ""  # what is_chrome / is_rank look up
        if folded in chrome_words:
            add(line)
            pos += 1
            continue
        name = L.md_author(line) if first == "#" else None
        if name is not None and head.author is None:
            reply_no = _REPLY_HEADING.fullmatch(line)
            if reply_no:
                head.number = int(reply_no["n"])
                add(line)
            else:
                head.author = name
            pos += 1
            continue
        if folded in ranks or (first == "#" and L.is_rank(line)):
            add(line)
            pos += 1
            continue
        stat = L.STATS_RE.fullmatch(line) if first in stats_first else None
        value = stat is not None and (stat["value"] or stat["count"])
        if stat is not None and (head.author is not None or not is_article or value):
            add(line)
            expect_stat_value = not value
            pos += 1
            continue
        arrow = _ARROW_HEADER.fullmatch(line) if " -> " in line else None
        if arrow is not None and head.author is None:
            head.author = arrow["author"]
            head.title = arrow["title"] or None
            head.date = head.date or dates.normalise(arrow["date"])
            add(line)
            pos += 1
            continue
        subject = (
            _POST_SUBJECT.fullmatch(line)
            if first == "P" and line.startswith("Post subject")
            else None
        )
        if subject is not None:
            head.title = subject["title"] or None
            add(line)
            pos += 1
            continue
        posted = _POSTED.fullmatch(line) if "Posted:" in line[:12] else None
        if posted is not None and head.date is None and dates.normalise(posted["date"]):
            head.date = dates.normalise(posted["date"])
            add(line)
            pos += 1
            continue
        starter = L.STARTER_RE.fullmatch(line) if is_article else None
        if starter is not None:
            head.author = head.author or starter["name"]
            add(line)
            pos += 1
            continue
        start_date = L.START_DATE_RE.fullmatch(line) if is_article else None
        if start_date is not None and dates.normalise(start_date["date"]):
            head.date = head.date or dates.normalise(start_date["date"])
            add(line)
            pos += 1
            continue
        iso = _date_of(line)
        if iso is not None:
            if head.date is None and _is_join_date(lines, pos, end, head):
                add(line)  # kept with the header lines, not taken as the post's date
                pos += 1
                continue
            if head.date is None:
                head.date = iso
            if "#" in line or iso != dates.whole_line_date(line) or head.date != iso:
                add(line)
            if head.number is None and "#" in line:
                number = L.POST_NUMBER_RE.search(line)
                if number:
                    head.number = int(number["n"])
            pos += 1
            continue
        post_no = L.POST_NUMBER_RE.fullmatch(line) if first in "#Pp" else None
        if post_no is not None:
            head.number = head.number or int(post_no["n"])
            add(line)
            pos += 1
            continue
        if head.author is not None and first.isdigit() and L.NUMBER_RE.fullmatch(line):
            add(line)  # message count under the name (maker.pro)
            pos += 1
            continue
        if is_article and head.byline is None:
            consumed = _read_byline(lines, pos, end, head)
            if consumed:
                pos = consumed
                continue
        if head.author is None and len(line) <= 40 and L.is_name_like(line):
            following = _next_nonblank(lines, pos + 1, end)
            if _is_header_evidence(following, line) or (is_article and following == title):
                head.author = line
                pos += 1
                continue
        break
    return pos


def _is_join_date(lines: list[str], pos: int, end: int, head: _Head) -> bool:
    """A bare date right under a name and right over a bare count: the member's stats.

    maker.pro's dumps put "May 6, 2020" (when the member joined) and "13" (their
    message count) under each ``#### name`` and give no post date at all.
    """
    following = lines[pos + 1] if pos + 1 < end else ""
    return (
        head.author is not None
        and bool(following)
        and following[0].isdigit()
        and L.NUMBER_RE.fullmatch(following) is not None
        and dates.whole_line_date(lines[pos]) is not None
    )


def _read_byline(lines: list[str], pos: int, end: int, head: _Head) -> int:
    """A reposted article's bullets: "• Writer - Publisher" then "• May 4, 2023"."""
    first = _BYLINE_BULLET.fullmatch(lines[pos])
    if first is None:
        return 0
    text = first["text"]
    iso = dates.whole_line_date(text)
    if iso is not None:
        head.byline = Byline(date=iso)
        return pos + 1
    nxt = pos + 1
    while nxt < end and not lines[nxt]:
        nxt += 1
    second = _BYLINE_BULLET.fullmatch(lines[nxt]) if nxt < end else None
    second_date = dates.whole_line_date(second["text"]) if second else None
    if second_date is None:
        return 0
    parts = _BYLINE_SPLIT.split(text, maxsplit=1)
    author = parts[0]
    publisher = parts[1] if len(parts) > 1 else None
    head.byline = Byline(author=author, publisher=publisher, date=second_date)
    return nxt + 1


# ----------------------------------------------------------------- bodies


class _Frame:
    """An open quote while its body is read."""

    __slots__ = ("author", "blocks", "terminated", "has_content")

    def __init__(self, author: str | None, blocks: list[Block], terminated: bool) -> None:
        self.author = author
        self.blocks = blocks
        self.terminated = terminated
        self.has_content = False


def _paired_opens(lines: list[str], pos: int, end: int) -> set[int]:
    """Indices of quote openers that have a matching "Click to expand..." later on."""
    stack: list[int] = []
    paired: set[int] = set()
    for i in range(pos, end):
        line = lines[i]
        if not line:
            continue
        if line == L.QUOTE_CLOSE:
            if stack:
                paired.add(stack.pop())
        elif L.quote_open(line) is not None:
            stack.append(i)
    return paired


def _read_body(lines: list[str], pos: int, end: int, chrome: _Chrome) -> list[Block]:
    """Blocks of one post's body. Quotes nest on an explicit stack."""
    paired = _paired_opens(lines, pos, end) if L.QUOTE_CLOSE in lines[pos:end] else set()
    root: list[Block] = []
    frames: list[_Frame] = []
    para: list[str] = []

    def target() -> list[Block]:
        return frames[-1].blocks if frames else root

    def flush() -> None:
        if para:
            target().append(Paragraph("\n".join(para)))
            if frames:
                frames[-1].has_content = True
            para.clear()

    def close_top() -> None:
        frame = frames.pop()
        target().append(Quote(frame.author or None, tuple(frame.blocks)))
        if frames:
            frames[-1].has_content = True

    def add(block: Block) -> None:
        flush()
        target().append(block)
        if frames:
            frames[-1].has_content = True

    gt_run: list[str] = []
    for i in range(pos, end):
        line = lines[i]
        if gt_run and not line.startswith(">"):
            flush()
            add(_gt_quote(gt_run))
            gt_run = []
        if not line:
            if para:
                flush()
            if frames and not frames[-1].terminated and frames[-1].has_content:
                close_top()
            continue
        first = line[0]
        if first not in _PLAIN_FIRST_EXCLUDED and line[-1] not in _PLAIN_LAST_EXCLUDED:
            para.append(line)  # running text: nothing below can match it
            continue
        if first == ">":
            flush()
            gt_run.append(line)
            continue
        if line == L.QUOTE_CLOSE:
            flush()
            if frames:
                # Close unterminated quotes nested inside the one this marker ends.
                while frames and not frames[-1].terminated:
                    close_top()
                if frames:
                    close_top()
            else:
                chrome.add(line)
            continue
        author = L.quote_open(line)
        if author is not None:
            flush()
            if line.startswith("Quote from:") and L.strip(line[11:]) not in ("", author):
                # "Quote from: X on <date>": the quote's date has no field of its
                # own; keep the whole line rather than drop it.
                chrome.add(line)
            frames.append(_Frame(author or None, [], terminated=i in paired))
            continue
        if frames and frames[-1].author is None and not frames[-1].has_content and first == "O":
            original = L.ORIGINAL_RE.fullmatch(line)
            if original:
                frames[-1].author = original["author"]
                continue
        name = L.attachment_name(line)
        if name is not None:
            add(Attachment(name))
            continue
        found = L.link(line)
        if found is not None:
            add(Link(found[0], found[1]))
            continue
        if L.is_trailer(line) and not frames:
            flush()
            chrome.add(line)
            continue
        para.append(line)
    if gt_run:
        flush()
        add(_gt_quote(gt_run))
    flush()
    while frames:
        close_top()
    return root


def _gt_quote(run: list[str]) -> Quote:
    """E-mail style ``>`` quoting, nested by the number of markers, built iteratively."""
    root_blocks: list[Block] = []
    stack: list[list[Block]] = [root_blocks]  # stack[d] holds blocks at depth d+1
    para: list[str] = []
    para_depth = 1

    def flush() -> None:
        if para:
            stack[para_depth - 1].append(Paragraph("\n".join(para)))
            para.clear()

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            inner = stack.pop()
            stack[-1].append(Quote(None, tuple(inner)))

    for raw in run:
        depth = 0
        i = 0
        while i < len(raw) and (raw[i] == ">" or raw[i] in L.WHITESPACE):
            if raw[i] == ">":
                depth += 1
            i += 1
        text = raw[i:]
        if depth != para_depth or not text:
            flush()
        if depth > len(stack):
            while len(stack) < depth:
                stack.append([])
        elif depth < len(stack):
            close_to(depth)
        para_depth = depth
        if text:
            para.append(text)
    flush()
    close_to(1)
    return Quote(None, tuple(root_blocks))


def _with_link_card(blocks: list[Block]) -> list[Block]:
    """The opening post's trailing related-headline line becomes a link (its URL was lost)."""
    if len(blocks) >= 3 and isinstance(blocks[-1], Paragraph) and L.is_headline(blocks[-1].text):
        if any(isinstance(b, Paragraph) for b in blocks[:-1]):
            return [*blocks[:-1], Link(blocks[-1].text, None)]
    return blocks
