"""What the main screen's thread workers do off the UI thread: scan, read, index, count.

Each is a generator of the messages to post, given its inputs and a ``cancelled``
check; the screen's ``@work`` methods post what they yield. A worker reports by
message only: nothing here touches a widget or calls into the UI thread.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from threadtui import search as lazy_search  # its query and index load with the first search
from threadtui.library import ThreadCache, read_thread
from threadtui.library.early_scan import EarlyScan
from threadtui.model import Thread
from threadtui.parsing import ParseError
from threadtui.tui.messages import (
    IndexReady,
    LibraryBatch,
    SearchDone,
    SearchFailed,
    SearchReport,
    SearchTallied,
    ThreadFailed,
    ThreadLoaded,
)
from threadtui.view.render import PLAIN
from threadtui.view.reply_layout import ReplyLayout

if TYPE_CHECKING:
    from threadtui.tui.controllers.thread_search import Count

#: Whether the worker was cancelled (a newer one of its group replaced it, or the app quits).
Cancelled = Callable[[], bool]

#: Fold state per file, kept for the run: (folded replies, replies with their quotes open).
Folds = dict[str, tuple[set[int], set[int]]]

#: In a thread of more replies than this, reading it freezes the collector's view of it.
BIG_THREAD_REPLIES = 10_000


def scan(early_scan: EarlyScan, cancelled: Cancelled) -> Iterator[LibraryBatch]:
    """Summarise every file, a batch at a time, then say the scan is done."""
    seen = total = 0
    for batch, seen, total in early_scan:
        if cancelled():
            return
        yield LibraryBatch(batch, seen, total, done=False)
    yield LibraryBatch([], seen, total, done=True)
    gc.freeze()  # the summaries and cached threads live for the whole run


def read(
    path: str, width: int, cache: ThreadCache, folds: Folds, cancelled: Cancelled
) -> Iterator[ThreadLoaded | ThreadFailed]:
    """Parse (or take from the cache) and lay out the thread at ``path``, ``width`` wide."""
    thread = cache.get(path)
    if thread is None:
        try:
            thread = read_thread(path)  # big dumps in chunks: a lower peak
        except ParseError as exc:
            yield ThreadFailed(path, str(exc))
            return
    if thread.reply_count > BIG_THREAD_REPLIES:
        # A big thread is millions of long-lived objects; without this, Python's full
        # cyclic collections pause the UI for ~250 ms now and then. The model holds no
        # cycles, so reference counting still frees it when it goes.
        gc.freeze()
    if cancelled():
        return
    collapsed, open_quotes = folds.setdefault(path, (set(), set()))
    layout = ReplyLayout(
        thread, max(width, 20), theme=PLAIN, collapsed=collapsed, open_quotes=open_quotes
    )
    if not cancelled():
        yield ThreadLoaded(path, thread, layout)


def index(thread: Thread, path: str, cancelled: Cancelled) -> Iterator[IndexReady]:
    """Gather the thread's searchable text once (0.3 s for 100,000 replies)."""
    built = lazy_search.ThreadIndex(thread, cancelled=cancelled)
    if not built.cancelled and not cancelled():
        yield IndexReady(path, built)


def count(order: Count, cancelled: Cancelled) -> Iterator[SearchReport]:
    """Find every match of the query; in a big thread, then tally them per reply."""
    index = order.index
    try:
        result = index.search(order.query, cancelled=cancelled, timeout=index.CHUNK_TIMEOUT)
    except lazy_search.QueryError as exc:  # the regex module looped on this pattern
        if not cancelled():
            yield SearchFailed(order.path, order.generation, str(exc))
        return
    if result is None or cancelled():
        return
    yield SearchDone(order.path, order.generation, result)
    # Fold counts over many folded replies read a per-reply tally; until it is there
    # the bar says "counting folded replies…".
    if index.reply_count > result.TALLY_FROM and result.tally_replies(cancelled=cancelled):
        yield SearchTallied(order.path, order.generation)
