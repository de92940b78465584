"""The one walk over a dump's segments, and the three ways of reading a dump built on it.

The first segment holds the thread head (the title, navigation chrome) and the
opening post; in Markdown and arrow-header dumps it holds only the title, and
the first post segment is the opening post. Every later segment that holds a
header or a body is a reply, numbered by its header unless that is missing or
goes backwards. :func:`walk` is that, once, for every reader; a :class:`Mode`
says what the walk is for:

* :data:`BUILD` (:func:`parse`, and ``parse_file`` for big files): every post is built;
* :data:`COUNT` (:func:`summarize`): replies are counted, and a reply is read only
  when a quick look (:mod:`.quick`) cannot tell that it is one;
* :meth:`Mode.wanting` (:func:`search_view`): only the replies of the segments a
  search wants are built; of the others only what their number takes, and nothing
  after the last wanted one.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable

from threadtui.files import stem
from threadtui.model import Block, Paragraph, Post, Thread
from threadtui.parsing.common import lines as L
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump.body import has_running_text, read_body, with_link_card
from threadtui.parsing.text_dump.head import Head, read_head, read_title
from threadtui.parsing.text_dump.quick import surely_a_post
from threadtui.parsing.text_dump.segments import Segments, cut, metadata_line, separated

FORMAT = "text-dump"


class Mode:
    """What a walk is for: which posts it builds, and how far it reads the rest."""

    __slots__ = ("everything", "flags", "stop", "article_wanted", "cancelled")

    def __init__(
        self,
        everything: bool,
        *,
        flags: list[bool] | None = None,
        article_wanted: bool,
        cancelled: Callable[[], bool] | None = None,
    ) -> None:
        self.everything = everything  # every segment is wanted
        self.flags = flags  # else: which segments are, one flag each (None: none)
        # Nothing after the last wanted segment is read (None: all are read).
        self.stop = None if flags is None else _last(flags) + 1
        self.article_wanted = article_wanted  # the opening post is built in any case
        self.cancelled = cancelled  # asked every 1,024 segments; true: stop the walk

    @classmethod
    def wanting(
        cls, flags: list[bool], article_wanted: bool, cancelled: Callable[[], bool] | None
    ) -> Mode:
        """Build the posts of the segments whose flag is set (and the opening post,
        if ``article_wanted``); ask ``cancelled`` on the way."""
        return cls(False, flags=flags, article_wanted=article_wanted, cancelled=cancelled)

    def wants(self, k: int) -> bool:
        """Whether segment ``k``'s post is built."""
        return self.everything or (self.flags is not None and self.flags[k])


BUILD = Mode(True, article_wanted=True)
COUNT = Mode(False, article_wanted=False)


def _last(flags: list[bool]) -> int:
    """The index of the last set flag (0 when none is set)."""
    return len(flags) - 1 - flags[::-1].index(True) if True in flags else 0


class Cancelled(Exception):
    """The mode's ``cancelled()`` turned true during a walk."""


class Walked:
    """What a walk found: the title, the opening post's head and blocks, the replies built."""

    __slots__ = (
        "title",
        "head",
        "blocks",
        "article_wanted",
        "next_segment",
        "replies",
        "places",
        "count",
    )

    def __init__(
        self, title: str | None, head: Head, blocks: list[Block], article_wanted: bool, k: int
    ) -> None:
        self.title = title
        self.head = head
        #: The opening post's blocks; when not ``article_wanted``, only known to be
        #: empty or not (a stand-in paragraph).
        self.blocks = blocks
        self.article_wanted = article_wanted
        self.next_segment = k  # the first reply segment
        self.replies: list[Post] = []  # the replies built
        self.places: list[int] = []  # their indices among all replies (in a search)
        self.count = 0  # how many replies the walk passed (all, unless it stopped early)


def walk(segments: Segments, chrome: SiteChrome, mode: Mode) -> Walked:
    """Read the segments as ``mode`` says.

    The opening post comes first (:func:`_read_opening`), then each reply
    segment in turn: a wanted one is read and built; any other only as far as
    it takes to know whether it is a post and, while a later one may be built,
    its number.

    Raises:
        Cancelled: when the mode's ``cancelled()`` turned true.
    """
    walked = _read_opening(segments, chrome, mode)
    title, replies, places = walked.title, walked.replies, walked.places
    everything, flags, cancelled = mode.everything, mode.flags, mode.cancelled
    next_number = 2
    index = 0  # the next reply's index among all replies
    k = walked.next_segment
    stop = segments.count if mode.stop is None else mode.stop
    while k < stop:
        if cancelled is not None and k % 1024 == 0 and cancelled():
            raise Cancelled
        wanted = everything or (flags is not None and flags[k])  # mode.wants(k), inlined
        if not wanted and flags is not None and segments.surely_numbered(k, next_number):
            next_number += 1  # a search's unwanted reply, not even split into lines
            index += 1
            k += 1
            continue
        lines = segments.lines(k)
        if lines is None:
            break
        k += 1
        if not wanted and flags is None and surely_a_post(lines):
            index += 1  # a counted reply, not read (its number does not matter)
            continue
        head = Head(chrome, title, False)
        pos = read_head(head, lines, 0)
        blocks: list[Block] = []
        if wanted or head.is_empty():
            blocks = read_body(lines, pos, chrome)
            if not blocks and head.is_empty():
                continue  # no header and no body: no post
        number = head.number if head.number and head.number >= next_number else next_number
        next_number = number + 1
        if wanted:
            replies.append(_reply(number, head, blocks))
            if flags is not None:  # a search's: where it is among all replies
                places.append(index)
        index += 1
    walked.count = index
    return walked


def _read_opening(segments: Segments, chrome: SiteChrome, mode: Mode) -> Walked:
    """The title and the opening post, from the first segment or the first two."""
    lines = segments.lines(0) or []
    title, pos = read_title(lines, chrome)
    head = Head(chrome, title, True)
    pos = read_head(head, lines, pos)
    wanted = mode.article_wanted or mode.wants(0) or head.byline is not None
    blocks = _opening_blocks(lines, pos, chrome, wanted)
    if blocks or head.author is not None or not segments.has(1):
        return Walked(title, head, blocks, wanted, 1)
    # Markdown and arrow-header dumps: the first segment holds only the title,
    # the first post segment is the opening post.
    lines = segments.lines(1) or []
    pos = read_head(head, lines, 0)
    wanted = wanted or mode.wants(1) or head.byline is not None
    return Walked(title, head, _opening_blocks(lines, pos, chrome, wanted), wanted, 2)


def _opening_blocks(lines: list[str], pos: int, chrome: SiteChrome, wanted: bool) -> list[Block]:
    """The opening post's blocks; when not wanted, a stand-in if they cannot be empty."""
    if not wanted and has_running_text(lines, pos):
        return [Paragraph("")]  # not read: only known not to be empty
    return read_body(lines, pos, chrome)


def _article(head: Head, blocks: list[Block]) -> Post:
    """The opening post from its head and body blocks."""
    return Post(
        number=1,
        author=_interned(head.author),
        date=head.date,
        title=head.title,
        byline=head.byline,
        blocks=tuple(with_link_card(blocks)),
    )


def _reply(number: int, head: Head, blocks: list[Block]) -> Post:
    return Post(
        number=number,
        author=_interned(head.author),
        date=head.date,
        title=head.title,
        byline=head.byline,
        blocks=tuple(blocks),
    )


def _interned(name: str | None) -> str | None:
    """One string object per distinct name: a big thread repeats a few hundred
    names tens of thousands of times (about 60 bytes saved per repeat)."""
    return None if name is None else sys.intern(name)


def _thread_date(capture_date: str | None, head: Head) -> str | None:
    """The thread's date: the crawler's capture date, else the opening post's day."""
    return capture_date or (head.date[:10] if head.date else None)


class no_gc:  # noqa: N801 (used as a function: ``with no_gc():``)
    """Keep the cyclic garbage collector off while a dump is read.

    A big dump makes hundreds of thousands of small, acyclic objects: the
    collector would walk them over and over for nothing.
    """

    __slots__ = ("was_enabled",)

    def __enter__(self) -> None:
        self.was_enabled = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc: object) -> None:
        if self.was_enabled:
            gc.enable()


# ----------------------------------------------------------------- the readers


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Parse a whole dump. Never raises on any ``str`` input."""
    with no_gc():
        text = L.normal_newlines(text)
        chrome = SiteChrome()
        capture_date, start, first_line = metadata_line(text, chrome)
        segments = cut(text, start, first_line)
        del text  # only the segments still need it (and the caller's copy stays, if any)
        return build_thread(segments, chrome, capture_date, source=source, encoding=encoding)


def build_thread(
    segments: Segments,
    chrome: SiteChrome,
    capture_date: str | None,
    *,
    source: str,
    encoding: str,
) -> Thread:
    """The thread from its segments: each is read and dropped before the next is asked for."""
    walked = walk(segments, chrome, BUILD)
    return Thread(
        title=walked.title or stem(source),
        date=_thread_date(capture_date, walked.head),
        site_chrome=tuple(chrome.seen),
        article=_article(walked.head, walked.blocks),
        replies=tuple(walked.replies),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


def summarize(text: str, *, source: str = "") -> tuple[str, str | None, str | None, int]:
    """What the thread list shows, as :func:`parse` would give it, for less work.

    Returns ``(title, starter, date, reply count)``: ``thread.title``,
    ``thread.article.author``, ``thread.date or thread.article.date`` and
    ``thread.reply_count`` of ``parse(text, source=source)``. The replies are
    counted, not built: a reply segment is read only when a quick look cannot
    tell that it holds a post.
    """
    text = L.normal_newlines(text)
    chrome = SiteChrome()  # collected, never consulted: skipping segments changes nothing
    capture_date, start, first_line = metadata_line(text, chrome)
    walked = walk(cut(text, start, first_line), chrome, COUNT)
    head = walked.head
    date = _thread_date(capture_date, head) or head.date
    return walked.title or stem(source), head.author, date, walked.count


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
    not even that when a quick look can tell the number, and the body only when
    the head is empty (it decides whether the segment is a post at all); nothing
    after the last wanted segment is read.

    The opening post is ``thread.article`` when one of its segments is wanted,
    when it has a byline (whose text is not the file's: the date is rewritten) or
    when the caller says ``article_wanted``; else it is a stand-in
    (``Post(1)``: no author, no blocks) and its body is read only as far as it
    takes to know whether it is empty. ``view.article_wanted`` tells which.

    Returns None when the dump has no separator lines (its posts are found by
    their header markers over all its lines: callers parse it), or when
    ``cancelled()`` turned true on the way.
    """
    with no_gc():
        text = L.normal_newlines(text)
        chrome = SiteChrome()  # collected, never consulted (as in summarize)
        _, start, first_line = metadata_line(text, chrome)
        segments = separated(text, start, first_line)
        if segments is None:
            return None
        mode = Mode.wanting(wanted(text, segments.starts()), article_wanted, cancelled)
        try:
            walked = walk(segments, chrome, mode)
        except Cancelled:
            return None
        article = _article(walked.head, walked.blocks) if walked.article_wanted else Post(1)
        replies = list(zip(walked.places, walked.replies, strict=True))
        return SearchView(walked.title or stem(source), article, walked.article_wanted, replies)
