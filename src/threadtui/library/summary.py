"""One list row per thread file, and the time-boxed batches of the folder scan.

No Textual here: the reader runs :func:`scan` in a thread worker and posts
each batch to the UI.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from threadtui.errors import NO_MEMORY, TOO_DEEP
from threadtui.files import read_bytes, source_name
from threadtui.library.cache import ThreadCache
from threadtui.library.folders import WalkError, walk
from threadtui.model import Thread
from threadtui.parsing import ParseError, parse_bytes, parse_path, sniff, text_dump
from threadtui.parsing.common.decode import decode

#: The scan keeps the threads of files at least this big in the cache: parsing
#: one again when it is selected would take a noticeable time (about 70 ms per
#: MB), while a small one parses in a millisecond or two. Keeping thousands of
#: small threads would cost memory and make every garbage collection walk them
#: (that was a quarter of the time to scan a folder of 10,000 threads).
CACHE_MIN_BYTES = 256 * 1024


@dataclass(frozen=True, slots=True)
class ThreadSummary:
    """One row of the thread list: enough to show and sort it without the thread."""

    path: str
    title: str
    author: str | None = None
    date: str | None = None
    reply_count: int = 0
    size: int = 0
    mtime: float = 0.0
    error: str | None = None

    @property
    def name(self) -> str:
        """The file name, for sorting and for error rows."""
        return os.path.basename(self.path)


def summarize(path: str, cache: ThreadCache | None = None) -> ThreadSummary:
    """One file's list row; a failure becomes a row with ``error`` set.

    Gives what ``summary_of(parse_path(path))`` gives. A big file's thread is
    parsed in full and goes into ``cache`` (see :data:`CACHE_MIN_BYTES`); a
    small text dump is only summarised (:func:`threadtui.parsing.text_dump.summarize`),
    which costs about a third of a full parse.
    """
    try:
        st = os.stat(path)
        size, mtime = st.st_size, st.st_mtime
    except OSError:
        size, mtime = 0, 0.0
    try:
        if size < CACHE_MIN_BYTES:
            return _summary_of_small_file(path, size, mtime)
        thread = read_thread(path, size)
    except ParseError as exc:
        return ThreadSummary(path, os.path.basename(path), size=size, mtime=mtime, error=str(exc))
    except MemoryError:
        return ThreadSummary(path, os.path.basename(path), size=size, mtime=mtime, error=NO_MEMORY)
    except RecursionError:
        return ThreadSummary(path, os.path.basename(path), size=size, mtime=mtime, error=TOO_DEEP)
    if cache is not None:
        cache.put(path, thread, size, mtime)
    return summary_of(thread, path, size, mtime)


#: The cause of a file too big for the memory left (what ``threadtui parse`` says too).


def _summary_of_small_file(path: str, size: int, mtime: float) -> ThreadSummary:
    """``parse_path``'s steps (same errors), summarising a text dump instead of parsing it."""
    source = source_name(path)
    data = read_bytes(path)
    decoded = decode(data)
    if sniff(decoded.text).name != text_dump.FORMAT:
        return summary_of(parse_bytes(data, source=source), path, size, mtime)
    del data
    title, author, date, replies = text_dump.summarize(decoded.text, source=source)
    return ThreadSummary(path, title, author, date, replies, size, mtime)


def read_thread(path: str, size: int | None = None) -> Thread:
    """``parse_path(path)``, reading a big plain-text dump in chunks to save memory.

    ``size`` is the file's size if the caller has just stat'ed it.

    Raises:
        ParseError: as ``parse_path`` does.
    """
    if size is None or size >= text_dump.STREAM_MIN_BYTES:
        thread = text_dump.parse_file(path)
        if thread is not None:
            return thread
    return parse_path(path)


def summary_of(thread: Thread, path: str, size: int = 0, mtime: float = 0.0) -> ThreadSummary:
    """The list row for an already parsed thread."""
    return ThreadSummary(
        path=path,
        title=thread.title,
        author=thread.article.author,
        date=thread.date or thread.article.date,
        reply_count=thread.reply_count,
        size=size,
        mtime=mtime,
    )


def scan(
    paths: Iterable[str], cache: ThreadCache | None = None, batch_seconds: float = 0.25
) -> Iterator[tuple[list[ThreadSummary], int, int]]:
    """Yield ``(batch, files_done, files_total)``: the first file at once, then every ``batch_seconds``.

    Listing a folder is cheap (10,000 names in a few ms), so the total is
    known up front and the reader can show real progress. A folder that could
    not be walked is a row too, with its ``error``. The first row goes
    out immediately so the first screen has content; after that, time-boxed
    batches keep the UI fed without re-sorting the list hundreds of times.
    """
    files = list(walk(paths))
    total = len(files)
    batch: list[ThreadSummary] = []
    deadline = time.monotonic()
    for done, item in enumerate(files, 1):
        batch.append(_folder_row(item) if isinstance(item, WalkError) else summarize(item, cache))
        if time.monotonic() >= deadline:
            yield batch, done, total
            batch = []
            deadline = time.monotonic() + batch_seconds
    yield batch, total, total


def _folder_row(failed: WalkError) -> ThreadSummary:
    """The error row of a folder the walk could not go into, titled ``name/``."""
    return ThreadSummary(failed.path, os.path.basename(failed.path) + "/", error=failed.error)


SORT_KEYS = ("date", "title", "replies", "file")


def sort_summaries(rows: list[ThreadSummary], key: str) -> list[ThreadSummary]:
    """Rows in the order the list shows for ``key`` (dates and counts: largest first)."""
    if key == "title":
        return sorted(rows, key=lambda r: (r.title.casefold(), r.path))
    if key == "replies":
        return sorted(rows, key=lambda r: (-r.reply_count, r.title.casefold()))
    if key == "file":
        return sorted(rows, key=lambda r: r.path)
    # Newest first; undated threads after dated ones, by file time.
    return sorted(rows, key=lambda r: (r.date is not None, r.date or "", r.mtime), reverse=True)
