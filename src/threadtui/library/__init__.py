"""Finding thread files in folders and summarising them, in time-boxed batches.

No Textual here: the reader runs :func:`scan` in a thread worker and posts
each batch to the UI. Files are opened read-only and never locked; FIFOs,
sockets and devices are skipped without being opened (opening a FIFO blocks).
"""

from __future__ import annotations

import errno
import os
import stat
import time
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from threadtui.files import read_bytes, source_name
from threadtui.model import Thread
from threadtui.parsing import ParseError, parse_bytes, parse_path, sniff, text_dump
from threadtui.parsing.common.decode import decode

#: Files we try to read inside a folder (an explicitly named file is always tried).
THREAD_SUFFIXES = frozenset(
    {".txt", ".text", ".json", ".jsonl", ".dump", ".md", ".mbox", ".mbx", ""}
)

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


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Thread files under ``paths`` (files as given; folders walked once each, sorted).

    Links that lead nowhere (dangling, or in a loop) are listed too: they become error rows.
    """
    seen_dirs: set[tuple[int, int]] = set()
    for root in paths:
        try:
            st = os.stat(root)
        except OSError:
            yield root  # reported as an error row by summarize()
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(root, seen_dirs)
        else:
            yield root


def _walk(folder: str, seen_dirs: set[tuple[int, int]]) -> Iterator[str]:
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            continue  # a symlink loop, or the same folder named twice
        seen_dirs.add(key)
        try:
            with os.scandir(current) as entries:
                items = sorted(entries, key=lambda e: e.name)
        except OSError:
            continue
        subdirs: list[str] = []
        for entry in items:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subdirs.append(entry.path)
                elif entry.is_file() and _suffix(entry.name) in THREAD_SUFFIXES:
                    yield entry.path
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    yield entry.path  # a dangling link: show it as an error row
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    yield entry.path  # a link loop, like a dangling link: an error row
                continue
        stack.extend(reversed(subdirs))


def _suffix(name: str) -> str:
    """``Path(name).suffix.lower()``, without building a Path for each of 10,000 names."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""


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
    except (MemoryError, RecursionError) as exc:
        return ThreadSummary(
            path, os.path.basename(path), size=size, mtime=mtime, error=type(exc).__name__
        )
    if cache is not None:
        cache.put(path, thread, size, mtime)
    return summary_of(thread, path, size, mtime)


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
    known up front and the reader can show real progress. The first row goes
    out immediately so the first screen has content; after that, time-boxed
    batches keep the UI fed without re-sorting the list hundreds of times.
    """
    files = list(discover(paths))
    total = len(files)
    batch: list[ThreadSummary] = []
    deadline = time.monotonic()
    for done, path in enumerate(files, 1):
        batch.append(summarize(path, cache))
        if time.monotonic() >= deadline:
            yield batch, done, total
            batch = []
            deadline = time.monotonic() + batch_seconds
    yield batch, total, total


class ThreadCache:
    """Recently parsed threads, bounded by the total size of their source files.

    The scan has to parse every file to summarise it; keeping the latest ones
    means selecting a thread right after the scan costs nothing.
    """

    def __init__(self, budget_bytes: int = 48 * 2**20) -> None:
        self.budget = budget_bytes
        self._items: OrderedDict[str, tuple[Thread, int, tuple[int, ...]]] = OrderedDict()
        self._total = 0

    def put(self, path: str, thread: Thread, size: int, mtime: float) -> None:
        """Remember a thread parsed from ``path`` as it was at ``size`` and ``mtime``.

        Evicts the oldest beyond the budget; nothing is kept if the file has
        already changed since (its size or mtime differ).
        """
        if size > self.budget:
            return
        try:
            st = os.stat(path)
        except OSError:
            return
        if st.st_size != size or st.st_mtime != mtime:
            return
        stamp = _stamp_of(st)
        self._drop(path)
        self._items[path] = (thread, size, stamp)
        self._total += size
        while self._total > self.budget and self._items:
            _, (_, old_size, _) = self._items.popitem(last=False)
            self._total -= old_size

    def get(self, path: str) -> Thread | None:
        """The cached thread, unless the file changed since it was parsed."""
        item = self._items.get(path)
        if item is None:
            return None
        thread, _, stamp = item
        if _stamp(path) != stamp:
            self._drop(path)
            return None
        self._items.move_to_end(path)
        return thread

    def _drop(self, path: str) -> None:
        old = self._items.pop(path, None)
        if old is not None:
            self._total -= old[1]


def _stamp(path: str) -> tuple[int, ...] | None:
    try:
        return _stamp_of(os.stat(path))
    except OSError:
        return None


def _stamp_of(st: os.stat_result) -> tuple[int, ...]:
    """What tells a rewritten file apart: size, mtime, and the inode change time,
    which ``cp -p`` and ``rsync -t`` cannot set back as they do the mtime."""
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


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
