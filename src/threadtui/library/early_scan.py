"""The folder scan, begun before the reader's UI exists.

Importing Textual and building the screen take most of the time to the first
frame (about 150 ms), and listing the folder and summarising its first file
need none of it. :class:`EarlyScan` takes the scan's first step on a plain
thread from the moment the command line is read, so the first frame can
already hold a row; the screen's worker then carries on with the same scan.

Only the first step runs early: the rest would compete with the UI's start-up
for the interpreter lock and delay the very frame it is meant to fill.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

from threadtui.library import ThreadCache, ThreadSummary, scan

Batch = tuple[list[ThreadSummary], int, int]
"""What :func:`threadtui.library.scan` yields: (rows, files done, files in all)."""


class EarlyScan:
    """A :func:`~threadtui.library.scan` whose first batch is read on a thread of its own.

    Each batch is handed out once: :meth:`ready` gives the first one if it is
    already there (it never waits), and iterating gives every batch not yet
    handed out, waiting for the first.
    """

    def __init__(self, paths: list[str], cache: ThreadCache | None = None) -> None:
        self.paths = list(paths)
        self.cache = cache if cache is not None else ThreadCache()
        self._scan = scan(self.paths, self.cache)
        self._first: Batch | None = None
        self._error: BaseException | None = None
        self._taken = False
        self._lock = threading.Lock()
        self._stepped = threading.Event()
        threading.Thread(target=self._step, name="threadtui-early-scan", daemon=True).start()

    def _step(self) -> None:
        try:
            self._first = next(self._scan, None)
        except BaseException as exc:  # raised again in whoever iterates
            self._error = exc
        finally:
            self._stepped.set()

    def _take_first(self) -> Batch | None:
        with self._lock:
            if self._taken:
                return None
            self._taken = True
            return self._first

    def ready(self) -> Batch | None:
        """The first batch if it has been read and not handed out yet; never waits."""
        if not self._stepped.is_set() or self._error is not None:
            return None
        return self._take_first()

    def __iter__(self) -> Iterator[Batch]:
        self._stepped.wait()
        if self._error is not None:
            raise self._error
        first = self._take_first()
        if first is not None:
            yield first
        if self._first is not None:  # otherwise the scan has already ended
            yield from self._scan
