"""Messages that cross widgets: workers (scan, parse, search) report to the main screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message

from threadtui.library import ThreadSummary
from threadtui.model import Thread
from threadtui.view.reply_layout import ReplyLayout

if TYPE_CHECKING:
    from threadtui.search import SearchResult, ThreadIndex


class LibraryBatch(Message):
    """A batch of summarised threads from the scan worker."""

    def __init__(self, batch: list[ThreadSummary], seen: int, total: int, done: bool) -> None:
        super().__init__()
        self.batch = batch
        self.seen = seen
        self.total = total
        self.done = done


class ThreadLoaded(Message):
    """A thread finished parsing (and laying out) in a worker."""

    def __init__(self, path: str, thread: Thread, layout: ReplyLayout) -> None:
        super().__init__()
        self.path = path
        self.thread = thread
        self.layout = layout


class ThreadFailed(Message):
    """A thread could not be read when it was opened."""

    def __init__(self, path: str, error: str) -> None:
        super().__init__()
        self.path = path
        self.error = error


class IndexReady(Message):
    """A thread's search index was built (in a worker)."""

    def __init__(self, path: str, index: ThreadIndex) -> None:
        super().__init__()
        self.path = path
        self.index = index


class SearchReport(Message):
    """From the count worker of a search in the thread at ``path``.

    ``generation`` names the query it was for: a report for an older query, or for
    a thread no longer shown, is dropped (see :mod:`threadtui.tui.controllers.thread_search`).
    """

    def __init__(self, path: str, generation: int) -> None:
        super().__init__()
        self.path = path
        self.generation = generation


class SearchDone(SearchReport):
    """Every match of the query was found."""

    def __init__(self, path: str, generation: int, result: SearchResult) -> None:
        super().__init__(path, generation)
        self.result = result


class SearchFailed(SearchReport):
    """The search gave up (the regex module ran too long on the pattern)."""

    def __init__(self, path: str, generation: int, error: str) -> None:
        super().__init__(path, generation)
        self.error = error


class SearchTallied(SearchReport):
    """The result's matches are tallied per reply: counting folded ones is cheap now."""
