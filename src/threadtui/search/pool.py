"""Running a folder search in forked worker processes, with its results in order.

Parsing is Python work, so threads cannot share it out; processes can. They are
forked, because a forked worker starts in milliseconds with every module already
imported, where a spawned one pays for a new interpreter and its imports (about
as long as searching a few hundred files). Forking is only safe when the calling
process runs a single thread (a lock held by another thread at the fork stays
locked in the child forever), so :func:`fork_workers` answers 1 otherwise: the
reader, whose searches run in a worker thread, always searches in-process.

Workers ignore Ctrl+C: the parent gets the ``KeyboardInterrupt`` and, like on any
other way out (an exhausted search, a limit reached, the consumer dropping the
generator), terminates and reaps them, so none is left behind.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from multiprocessing.context import ForkServerContext

__all__ = ["fork_workers", "ordered_map", "server_workers", "start_server"]

#: What a fork server imports once, so that the workers it forks start ready.
SERVER_PRELOAD = ["threadtui.search.folder"]

T = TypeVar("T")
R = TypeVar("R")


def fork_workers(requested: int | None = None) -> int:
    """How many worker processes to use: ``requested`` (None: one per CPU this
    process may run on), and 1 when forking is not safe or not available here."""
    if threading.active_count() != 1 or threading.current_thread() is not threading.main_thread():
        return 1  # a lock held by another thread would stay locked in the child
    return server_workers(requested)


def server_workers(requested: int | None = None) -> int:
    """How many worker processes a process that runs threads (the reader) may use.

    They are forked from a fork server (:func:`start_server`), a process of its own
    that runs a single thread, so no lock held by one of the caller's threads is
    ever copied into a worker. 1 where there is no fork server (not Linux).
    """
    if requested is not None and requested <= 1:
        return 1
    if not sys.platform.startswith("linux"):
        return 1  # fork is the default only here; macOS frameworks break in forked children
    return _cpus(requested)


def _cpus(requested: int | None) -> int:
    """``requested``, at most the CPUs this process may run on (None: all of them)."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(requested or cpus, cpus))


def _server_context() -> ForkServerContext:
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(SERVER_PRELOAD)  # no effect once the server runs
    return context


_server_lock = threading.Lock()


def start_server() -> None:
    """Start the fork server now, so that the first search does not wait for it
    (about 0.2 s: an interpreter and :data:`SERVER_PRELOAD`'s imports).

    The server and multiprocessing's resource tracker are started with ``sys.stderr``
    on the null device: under the reader, ``sys.stderr`` is Textual's capture (its
    ``fileno()`` is -1, which the tracker's start-up cannot take), and the terminal
    belongs to the reader (a warning written there would be drawn over the screen).
    """
    from multiprocessing import forkserver, resource_tracker

    _server_context()
    with _server_lock, open(os.devnull, "w") as devnull:
        saved = sys.stderr
        sys.stderr = devnull
        try:
            resource_tracker.ensure_running()
            forkserver.ensure_running()
        finally:
            sys.stderr = saved


def _ignore_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _quiet_worker() -> None:
    """A fork-server worker: no Ctrl+C, and nothing it prints can reach the terminal
    (the reader owns it; a stray line would be drawn over the screen)."""
    _ignore_interrupts()
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)


def ordered_map(
    fn: Callable[[T], R], tasks: Iterable[T], workers: int, *, server: bool = False
) -> Generator[R, None, None]:
    """``fn(task)`` for each task, computed in ``workers`` forked processes, yielded in
    the order of ``tasks``. ``fn`` must be a module-level function; tasks and results
    cross the process boundary by pickling. ``server``: fork them from the fork server
    (see :func:`server_workers`) instead of from this process.

    At most :data:`AHEAD` tasks per worker are handed out beyond the result being
    waited for, so a slow consumer (a terminal printing every hit) holds back the
    workers instead of piling their results up in memory.
    """
    import multiprocessing

    # Whatever the parent has buffered would be written again by each child on exit.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (AttributeError, OSError, ValueError):
            pass
    window = threading.Semaphore(AHEAD * workers)
    stopping = False

    def feed() -> Iterator[T]:
        # Runs in the pool's task-handler thread.
        for task in tasks:
            window.acquire()
            if stopping:
                return
            yield task

    if server:
        pool = _server_context().Pool(workers, initializer=_quiet_worker)
    else:
        pool = multiprocessing.get_context("fork").Pool(workers, initializer=_ignore_interrupts)
    try:
        for result in pool.imap(fn, feed()):
            window.release()
            yield result
    finally:
        stopping = True
        window.release()  # a feeder waiting for room sees the stop (terminate joins it)
        pool.terminate()
        pool.join()


#: Tasks handed out per worker beyond the one whose result is awaited.
AHEAD = 4
