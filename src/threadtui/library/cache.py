"""Recently parsed threads, kept while their files are unchanged."""

from __future__ import annotations

import os
from collections import OrderedDict

from threadtui.model import Thread


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
