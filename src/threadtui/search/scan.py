"""The folder search's work on each file, in this process or in a worker's.

A file is read, ruled out by the prefilter when its text cannot hold a match
(:mod:`threadtui.search.prefilter`), and otherwise parsed and searched. The hits
for a thread are *exactly* those of :meth:`ThreadIndex.search` on it (the reader
opens a hit by searching the thread again and selecting it).

Only the posts that could match
-------------------------------
A text dump with separator lines is cut into segments, one per post, and the
same rule picks the segments whose own text holds the anchors (a post's fields
are made from its own segment's lines only). :func:`text_dump.search_view
<threadtui.parsing.text_dump.search_view>` builds just those posts, through the
parser's own head and body readers, and carries the post numbers across the
others, mostly without reading them; the hits are then searched in a thread made
of the opening post and those replies, and their locations mapped back. That is
the same as searching the whole thread only for a *field-local* query, one that
finds the same matches in a field whatever fields are indexed beside it
(:func:`~threadtui.search.prefilter.field_local`: any plain query, a regex without
lookarounds, ``\\A``, ``\\Z``, ``\\X``, Unicode word boundaries or conditionals);
other queries parse the whole file. Plain queries are then searched field by field
(:func:`_literal_hits`), regexes through a ThreadIndex. Property tests hold the
hits equal to those of full parses and of the in-thread search.

A hit is made by the caller's :class:`~threadtui.search.hits.MakeHit`: a
:class:`~threadtui.search.hits.FolderHit` here, a :class:`~threadtui.search.hits.HitRow`
in a worker (:func:`search_batch`).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from typing import NamedTuple, TypeVar
from unicodedata import is_normalized

from threadtui.errors import NO_MEMORY, TOO_DEEP, EmptyFile
from threadtui.files import read_bytes, source_name
from threadtui.library import CACHE_MIN_BYTES, ThreadCache
from threadtui.model import Post, Thread
from threadtui.parsing import ParseError, parse_decoded, sniff
from threadtui.parsing import text_dump as _text_dump
from threadtui.parsing.common.decode import decode
from threadtui.safe import visible
from threadtui.search.fields import ARTICLE, article_fields, reply_fields
from threadtui.search.hits import FolderError, HitRow, MakeHit, hit_line
from threadtui.search.prefilter import Prefilter, field_local, prefilter_for
from threadtui.search.query import Query, nfc_view
from threadtui.search.thread_index import ThreadIndex, never_cancelled

__all__ = ["Batch", "file_hits", "search_batch", "search_files"]

H = TypeVar("H")

#: Hits found between two looks at ``cancelled()`` while a thread's hits are made.
_CANCEL_EVERY = 256


def search_files(
    paths: Iterable[str],
    query: Query,
    cache: ThreadCache | None,
    cancelled: Callable[[], bool],
    limit: int | None,
    make: MakeHit[H],
    *,
    first_per_file: bool = False,
) -> Iterator[H | FolderError]:
    """Every hit in ``paths``, in order, made by ``make`` (see ``search_paths``).

    ``first_per_file``: stop at the first hit of each file (``grep -l``).
    """
    prefilter = prefilter_for(query)
    local = field_local(query)
    found = 0
    for path in paths:
        if cancelled():
            return
        for item in file_hits(path, query, prefilter, local, cache, cancelled, make):
            if item is None:
                return  # cancelled inside the file
            yield item
            if not isinstance(item, FolderError):
                found += 1
                if limit is not None and found >= limit:
                    return
                if first_per_file:
                    break


class Batch(NamedTuple):
    """A worker's task: a batch of files to search for ``query``."""

    query: Query
    paths: list[str]
    first_per_file: bool


def search_batch(task: Batch) -> list[HitRow | FolderError]:
    """A worker's part: every hit in a batch of files, as rows."""
    hits = search_files(
        task.paths,
        task.query,
        None,
        never_cancelled,
        None,
        HitRow,
        first_per_file=task.first_per_file,
    )
    return list(hits)


def file_hits(
    path: str,
    query: Query,
    prefilter: Prefilter,
    local: bool,
    cache: ThreadCache | None,
    cancelled: Callable[[], bool],
    make: MakeHit[H],
) -> Iterator[H | FolderError | None]:
    """The hits in one file (an error instead when it cannot be read); a final None
    when cancelled on the way."""
    # Stat before reading, so a thread put in the cache is never newer than its mtime says.
    stat = _stat(path) if cache is not None else None
    source = source_name(path)
    try:
        decoded = decode(read_bytes(path))
        text = decoded.text
        if prefilter.exact and not prefilter.admits(text, source):
            return
        if cache is not None:
            cached = cache.get(path)
            if cached is not None:
                yield from _thread_hits(path, cached, query, cancelled, make)
                return
        keep = cache is not None and stat is not None and stat.st_size >= CACHE_MIN_BYTES
        if local and not keep:
            view = _search_view(text, source, prefilter, cancelled)
            if view is not None:
                yield from _view_hits(path, view, query, cancelled, make)
                return
            if cancelled():
                yield None
                return
        thread = parse_decoded(decoded, source=source)
    except EmptyFile:
        return  # nothing to match, and nothing wrong: grep says nothing of an empty file
    except ParseError as exc:
        yield FolderError(path, str(exc))
        return
    except MemoryError:
        yield FolderError(path, NO_MEMORY)
        return
    except RecursionError:
        yield FolderError(path, TOO_DEEP)
        return
    if keep and stat is not None and cache is not None:
        cache.put(path, thread, stat.st_size, stat.st_mtime)
    yield from _thread_hits(path, thread, query, cancelled, make)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None  # read_bytes says why


def _search_view(
    text: str, source: str, prefilter: Prefilter, cancelled: Callable[[], bool]
) -> _text_dump.SearchView | None:
    """The parts of a text dump that could hold a match (see ``text_dump.search_view``),
    or None when the file must be parsed in full (another format, no separator lines,
    text the segment test cannot read cheaply, or cancelled)."""
    if sniff(text).name != _text_dump.FORMAT:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    wanted = prefilter.segment_test(text)
    if wanted is None:
        return None
    try:
        return _text_dump.search_view(
            text,
            source=source,
            wanted=wanted,
            article_wanted=prefilter.may_match_file_name(source),
            cancelled=cancelled,
        )
    except RecursionError:
        raise ParseError(TOO_DEEP) from None


def _view_hits(
    path: str,
    view: _text_dump.SearchView,
    query: Query,
    cancelled: Callable[[], bool],
    make: MakeHit[H],
) -> Iterator[H | None]:
    """The hits in the posts of a search view, where they are in the whole thread.

    A stand-in article (see ``search_view``) holds no match: its one field, the
    title, is not searched in vain, as the file's anchors showed.
    """
    if not query.is_regex:
        return _literal_hits(path, view, query, cancelled, make)
    thread = Thread(view.title, view.article, tuple(post for _, post in view.replies))
    places = [place for place, _ in view.replies]
    return _thread_hits(path, thread, query, cancelled, make, places)


def _thread_hits(
    path: str,
    thread: Thread,
    query: Query,
    cancelled: Callable[[], bool],
    make: MakeHit[H],
    places: list[int] | None = None,
) -> Iterator[H | None]:
    """The thread's hits; a final None when cancelled on the way.

    ``places``: when ``thread`` holds only some of the real thread's replies, where
    each of them is in the real one (its index in ``thread.replies`` there).
    """
    index = ThreadIndex(thread, cancelled)
    result = None if index.cancelled else index.search(query, cancelled)
    if result is None:
        yield None
        return
    if not len(result):
        return
    posts = _Posts(thread)
    for k in range(len(result)):
        if k % _CANCEL_EVERY == _CANCEL_EVERY - 1 and cancelled():
            yield None
            return
        hit = result.hit(k)
        post, fields = posts.at(hit.location)
        line, start, end = hit_line(fields[hit.field], hit.start, hit.end)
        number = 1 if hit.location == ARTICLE else post.number
        location = hit.location
        if places is not None and location != ARTICLE:
            location = places[location]
        yield make(
            path, thread.title, location, number, hit.field, hit.start, hit.end, line, start, end
        )


class _Posts:
    """A thread's posts by location, with the fields of the last one asked for (hits
    come in reading order, so a post's hits ask for its fields one after another)."""

    def __init__(self, thread: Thread) -> None:
        self.thread = thread
        self.replies: list[Post] | None = None
        self.location = ARTICLE - 1
        self.fields: list[str] = []

    def at(self, location: int) -> tuple[Post, list[str]]:
        """The post at ``location`` (ARTICLE or a reply's index in reading order) and
        its fields."""
        thread = self.thread
        if location == ARTICLE:
            post = thread.article
        else:
            if self.replies is None:
                flat = not any(reply.replies for reply in thread.replies)
                self.replies = (
                    list(thread.replies) if flat else [p for p, _ in thread.walk_replies()]
                )
            post = self.replies[location]
        if self.location != location:
            fields = article_fields(thread) if location == ARTICLE else reply_fields(post)
            self.location, self.fields = location, list(fields)
        return post, self.fields


def _literal_hits(
    path: str,
    view: _text_dump.SearchView,
    query: Query,
    cancelled: Callable[[], bool],
    make: MakeHit[H],
) -> Iterator[H | None]:
    """:func:`_thread_hits` for a plain query, field by field, without a ThreadIndex.

    The same hits: for a query that is not a regular expression and holds no NUL or
    line break (see ``field_local``), ThreadIndex's matches are those of each
    field searched on its own (a match cannot reach into a separator; a whole-word query's
    lookarounds see a line break or the end of the string at a field's edges,
    neither of them a word character); and a field is searched in NFC and its
    spans mapped back exactly as ThreadIndex does (``nfc_view``).
    """
    finditer = query.pattern.finditer
    title = view.title
    found = 0
    for location, number, fields in _view_posts(view):
        for f, text in enumerate(fields):
            normal = None if text.isascii() or is_normalized("NFC", text) else nfc_view(text)
            for match in finditer(text if normal is None else normal.text):
                start, end = match.span()
                if end == start:
                    continue
                if normal is not None:
                    start, end = normal.original_span(start, end)
                found += 1
                if found % _CANCEL_EVERY == 0 and cancelled():
                    yield None
                    return
                line, line_start, line_end = hit_line(text, start, end)
                yield make(path, title, location, number, f, start, end, line, line_start, line_end)


def _view_posts(view: _text_dump.SearchView) -> Iterator[tuple[int, int, list[str]]]:
    """(location, post number, fields) of each post of a search view."""
    if view.article_wanted:
        yield ARTICLE, 1, list(article_fields(Thread(view.title, view.article)))
    else:
        yield ARTICLE, 1, [visible(view.title)]  # what article_fields gives for the stand-in
    for place, post in view.replies:
        yield place, post.number, reply_fields(post)
