"""Worker processes: the same results in the same order, stopped at the limit, on
cancel and on Ctrl+C, never forked beside another thread; the reader's fork server."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from _folder_support import hits_of
from _support import sample_paths

from threadtui.library import ThreadCache
from threadtui.parsing import parse_path
from threadtui.search import Query, compile_query
from threadtui.search import folder as _folder
from threadtui.search.folder import PARALLEL_MIN_FILES, FolderError, FolderHit, search_paths
from threadtui.search.pool import fork_workers
from threadtui.search.thread_index import never_cancelled


def _many_paths(tmp_path: Path) -> list[str]:
    """Enough files for the worker processes: the samples over and over, and a bad one."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe" + b"\x00\xd8" * 4)  # UTF-16 with a lone surrogate
    paths = [str(p) for p in sample_paths()] * 60
    paths.insert(7, str(tmp_path / "missing.txt"))
    paths.insert(300, str(bad))
    assert len(paths) >= PARALLEL_MIN_FILES
    return paths


def _in_workers(paths: list[str], query: Query, **kw: object) -> list[FolderHit | FolderError]:
    # Called directly: search_paths only forks in a single-threaded process, and a
    # test runner may have threads of its own.
    return list(_workers(paths, query, **kw))


def _workers(paths: list[str], query: Query, **kw: object) -> Iterator[FolderHit | FolderError]:
    cancelled = kw.get("cancelled", never_cancelled)
    search = _folder._Search(query, None, cancelled, kw.get("limit"), False)  # type: ignore[arg-type]
    return search.in_workers(paths, 2)


def test_worker_processes_give_the_same_results_in_the_same_order(tmp_path: Path) -> None:
    paths = _many_paths(tmp_path)
    for query in (compile_query("the"), compile_query(r"(?:tea|coffee) \w+", is_regex=True)):
        serial = list(search_paths(paths, query, jobs=1))
        assert any(isinstance(i, FolderError) for i in serial)
        assert _in_workers(paths, query) == serial
    assert not multiprocessing.active_children()


def test_worker_processes_stop_at_the_limit_and_when_cancelled(tmp_path: Path) -> None:
    paths = _many_paths(tmp_path)
    query = compile_query("the")
    serial = hits_of(list(search_paths(paths, query, jobs=1)))
    assert hits_of(_in_workers(paths, query, limit=25)) == serial[:25]
    calls = 0

    def soon() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    assert len(_in_workers(paths, query, cancelled=soon)) < len(serial)
    # A consumer that walks away: the workers are stopped and reaped, not left behind.
    items = _workers(paths, query)
    next(items)
    assert multiprocessing.active_children()
    items.close()
    assert not multiprocessing.active_children()


def test_forking_only_from_a_single_thread() -> None:
    assert fork_workers(1) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert fork_workers(None) == 1  # another thread runs: never fork
    finally:
        stop.set()
        thread.join()


_CHILD = """
import sys, time
from threadtui.search import compile_query
from threadtui.search.folder import search_paths
paths = sys.argv[1:] * 400
for n, item in enumerate(search_paths(paths, compile_query("the"))):
    if n == 50:
        print("started", flush=True)
        time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers only fork on Linux")
def test_ctrl_c_leaves_no_worker_behind() -> None:
    """A single-threaded process searching many files forks workers; Ctrl+C stops it
    and them (they ignore the signal themselves, the parent ends them)."""
    paths = [str(p) for p in sample_paths()]
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *paths], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"started\n"
        children = _children_of(proc.pid)
        assert children, "no worker processes were started"
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        assert b"KeyboardInterrupt" in proc.stderr.read()  # type: ignore[union-attr]
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        proc.kill()
        proc.wait()


def _children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


_STARTED = None  # a multiprocessing.Value, inherited by the forked workers


def _counted(task: int) -> int:
    assert _STARTED is not None
    with _STARTED.get_lock():
        _STARTED.value += 1
    return task * 2


def test_workers_wait_for_a_slow_consumer() -> None:
    """Results do not pile up: the workers get only a few tasks beyond the one awaited."""
    global _STARTED
    from threadtui.search.pool import AHEAD, ordered_map

    _STARTED = multiprocessing.get_context("fork").Value("i", 0)
    results = ordered_map(_counted, iter(range(500)), 2)
    assert next(results) == 0
    time.sleep(0.5)
    assert _STARTED.value <= 1 + AHEAD * 2 + 2
    assert list(results) == [2 * n for n in range(1, 500)]
    assert _STARTED.value == 500
    assert not multiprocessing.active_children()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a fork server needs Linux")
def test_from_threads_workers_come_from_a_fork_server_and_cached_threads_are_read_here(
    tmp_path: Path,
) -> None:
    """The reader's search: it runs threads, so its workers are forked from a fork
    server; a thread its cache holds is searched from the cache, in its place."""
    paths = _many_paths(tmp_path)
    cached = paths[5]
    cache = ThreadCache()
    st = os.stat(cached)
    cache.put(cached, parse_path(cached), st.st_size, st.st_mtime)
    assert cache.get(cached) is not None
    read_here: list[str] = []
    real = _folder.search_files

    def spy(paths_here, *args, **kwargs):  # noqa: ANN001, ANN202
        paths_here = list(paths_here)
        read_here.extend(paths_here)
        return real(paths_here, *args, **kwargs)

    for query in (compile_query("the"), compile_query(r"(?:tea|coffee) \w+", is_regex=True)):
        serial = list(search_paths(paths, query, jobs=1))
        got: list[FolderHit | FolderError] = []
        workers_seen: list[bool] = []
        read_here.clear()

        def run(query: Query, got: list, workers_seen: list) -> None:
            _folder.search_files = spy  # type: ignore[assignment]
            try:
                items = search_paths(paths, query, cache=cache, from_threads=True)
                got.append(next(items))
                workers_seen.append(bool(multiprocessing.active_children()))
                got.extend(items)
            finally:
                _folder.search_files = real  # type: ignore[assignment]

        # Another thread runs beside the search, as the reader's UI does.
        thread = threading.Thread(target=run, args=(query, got, workers_seen))
        thread.start()
        thread.join(120)
        assert not thread.is_alive()
        assert got == serial
        assert workers_seen == [True]
        # Only the cached thread, every time it is listed, was searched in this process.
        assert read_here and set(read_here) == {cached}
        assert not multiprocessing.active_children()
