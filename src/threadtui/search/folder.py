"""Searching every thread in a folder: :func:`search_paths`.

Used by the reader's folder-wide search and by ``threadtui search``. The hits for a
thread are *exactly* those of :meth:`ThreadIndex.search` on it. The work is done
file by file in :mod:`threadtui.search.scan`: the prefilter
(:mod:`threadtui.search.prefilter`) rules out the files whose text cannot hold a
match, and of a text dump only the posts that could are parsed.

Worker processes
----------------
From :data:`PARALLEL_MIN_FILES` files, a search without a cache from a
single-threaded process (the CLI, scripts) is shared out among forked workers
(:mod:`threadtui.search.pool`), with the results in the same order. A task is a
:class:`~threadtui.search.scan.Batch` of files, and the hits come back as
:class:`~threadtui.search.hits.HitRow` rows. The reader searches in a worker thread
of its own: its workers come from a fork server, and the threads its cache holds
are searched in its own process, in their place in the order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice

from threadtui.library import ThreadCache
from threadtui.search.hits import FolderError, FolderHit, HitRow, folder_hit
from threadtui.search.pool import fork_workers, ordered_map, server_workers, start_server
from threadtui.search.query import Query
from threadtui.search.scan import Batch, search_batch, search_files
from threadtui.search.thread_index import never_cancelled

__all__ = ["PARALLEL_MIN_FILES", "FolderError", "FolderHit", "search_paths"]

#: From this many files a search is shared out among worker processes (when it may
#: fork: see :mod:`threadtui.search.pool`); below it, starting them costs more than
#: it saves.
PARALLEL_MIN_FILES = 400
#: Files per task sent to a worker: enough to make the round trip cheap, few enough
#: that the first hits come soon and the workers finish together.
_BATCH_FILES = 96

_Item = FolderHit | FolderError


def search_paths(
    paths: Iterable[str],
    query: Query,
    *,
    cache: ThreadCache | None = None,
    cancelled: Callable[[], bool] = never_cancelled,
    limit: int | None = None,
    jobs: int | None = None,
    from_threads: bool = False,
    first_per_file: bool = False,
) -> Iterator[_Item]:
    """Every match of ``query`` in the thread files ``paths``, file by file in the
    order given, in reading order within a thread.

    A file that cannot be read or parsed yields a :class:`FolderError` and the
    search goes on. The search stops early when ``cancelled()`` turns true
    (checked before every file and often inside big threads) or after ``limit``
    hits. ``first_per_file``: only the first hit of each file (``grep -l``).
    Threads are taken from ``cache`` when it holds them, and big threads parsed
    here are put into it (see :data:`threadtui.library.CACHE_MIN_BYTES`).

    ``jobs``: how many processes may share the work (None: one per CPU). Only a
    search of :data:`PARALLEL_MIN_FILES` files or more without a ``cache``, called
    from a single-threaded process, uses more than one; the results are the same.

    ``from_threads``: the caller runs threads (the reader). Its workers are then forked
    from a fork server (:func:`threadtui.search.pool.server_workers`), and the files
    ``cache`` holds are searched here, from the cache, in their place in the order.
    """
    if limit is not None and limit <= 0:
        return
    search = _Search(query, cache, cancelled, limit, first_per_file)
    if from_threads and (jobs is None or jobs > 1):
        paths = list(paths)
        workers = server_workers(jobs)
        if workers > 1 and len(paths) >= PARALLEL_MIN_FILES and _server_started():
            yield from search.in_server_workers(paths, workers)
            return
        yield from search.here(paths, limit)
        return
    if cache is None and (jobs is None or jobs > 1):
        workers = fork_workers(jobs)
        if workers > 1:
            paths = iter(paths)
            first = list(islice(paths, PARALLEL_MIN_FILES))
            if len(first) < PARALLEL_MIN_FILES:
                paths = first
            else:
                yield from search.in_workers(chain(first, paths), workers)
                return
    yield from search.here(paths, limit)


class _Search:
    """One call of :func:`search_paths`: its arguments, and the three ways to run it."""

    def __init__(
        self,
        query: Query,
        cache: ThreadCache | None,
        cancelled: Callable[[], bool],
        limit: int | None,
        first_per_file: bool,
    ) -> None:
        self.query = query
        self.cache = cache
        self.cancelled = cancelled
        self.limit = limit
        self.first_per_file = first_per_file

    def here(self, paths: Iterable[str], limit: int | None) -> Iterator[_Item]:
        """Searched in this process, up to ``limit`` hits."""
        return search_files(
            paths,
            self.query,
            self.cache,
            self.cancelled,
            limit,
            folder_hit,
            first_per_file=self.first_per_file,
        )

    def batch(self, paths: list[str]) -> Batch:
        return Batch(self.query, paths, self.first_per_file)

    def in_workers(self, paths: Iterable[str], workers: int) -> Iterator[_Item]:
        """Shared out among workers forked from this process, in batches."""
        batches = (self.batch(batch) for batch in _batched(paths, _BATCH_FILES))

        def items() -> Iterator[_Item]:
            for rows in ordered_map(search_batch, batches, workers):
                if self.cancelled():
                    return
                yield from map(_from_worker, rows)

        return _up_to(items(), self.limit)

    def in_server_workers(self, paths: list[str], workers: int) -> Iterator[_Item]:
        """For a caller that runs threads: batches of files go to fork-server workers;
        a file the cache holds is searched here, in its place."""
        plan = self._plan(paths)
        tasks = (self.batch(step) for step in plan if isinstance(step, list))
        results = ordered_map(search_batch, tasks, workers, server=True)

        def items() -> Iterator[_Item]:
            try:
                for step in plan:
                    if self.cancelled():
                        return
                    if isinstance(step, str):
                        yield from self.here([step], None)  # _up_to counts every step's hits
                    else:
                        yield from map(_from_worker, next(results))
            finally:
                results.close()  # the workers are stopped and reaped

        return _up_to(items(), self.limit)

    def _plan(self, paths: list[str]) -> list[str | list[str]]:
        """The search in the order of ``paths``: a path the cache holds (searched here),
        or a batch of the others (for a worker)."""
        plan: list[str | list[str]] = []
        run: list[str] = []
        for path in paths:
            if self.cache is not None and self.cache.get(path) is not None:
                if run:
                    plan.append(run)
                    run = []
                plan.append(path)
            else:
                run.append(path)
                if len(run) == _BATCH_FILES:
                    plan.append(run)
                    run = []
        if run:
            plan.append(run)
        return plan


def _from_worker(row: HitRow | FolderError) -> _Item:
    """What a worker sent back for one hit or one unreadable file."""
    return row if isinstance(row, FolderError) else row.folder_hit()


def _batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _up_to(items: Iterator[_Item], limit: int | None) -> Iterator[_Item]:
    """``items`` until ``limit`` hits have gone by; then ``items`` is closed (its
    workers stopped) at once, not when it is collected."""
    found = 0
    try:
        for item in items:
            yield item
            if isinstance(item, FolderHit):
                found += 1
                if limit is not None and found >= limit:
                    return
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def _server_started() -> bool:
    """Whether the fork server runs (it is started if need be); not when it cannot be."""
    try:
        start_server()
    except Exception:  # noqa: BLE001 (any failure: the search runs in this process instead)
        return False
    return True
