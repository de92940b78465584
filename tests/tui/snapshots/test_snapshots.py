"""Snapshot tests (pytest-textual-snapshot) at 80x24 and 120x40.

The app reads fixed folders under ``fixtures/`` (not ``samples/``), opened by a
relative path from inside ``fixtures/`` so paths shown on screen never depend on
where the checkout lives. Every snapshot waits for the scan and thread-load
workers and puts the highlight on the first row before the picture is taken.

Regenerate with ``pytest tests/snapshots --snapshot-update`` and look at the SVGs.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerState

from threadtui.tui.app import make_app
from threadtui.tui.screens.main import MainScreen
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.thread_list import ThreadList

FIXTURES = Path(__file__).resolve().parent / "fixtures"
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture(autouse=True)
def _in_fixtures(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES)


def _main(pilot: Pilot) -> MainScreen:
    return next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))


def _settled(pilot: Pilot) -> bool:
    screen = _main(pilot)
    busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
    if screen.scanning or busy:
        return False
    current = screen.query_one(ThreadList).current
    return current is None or screen.thread_path == current.path


async def settle(pilot: Pilot, timeout: float = 5.0) -> None:
    """Wait until the scan is over and the highlighted thread is on screen."""
    deadline = time.monotonic() + timeout
    await pilot.pause()
    while not _settled(pilot):
        assert time.monotonic() < deadline, "workers did not finish"
        await pilot.pause(0.01)
    await pilot.pause()


def steps(*keys: str):
    """A run_before: wait for the workers, highlight the first thread, then press ``keys``."""

    async def run_before(pilot: Pilot) -> None:
        await settle(pilot)
        _main(pilot).query_one(ThreadList).set_cursor(0)
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


async def _focus_replies(pilot: Pilot) -> None:
    _main(pilot).query_one(ReplyView).focus()
    await pilot.pause()


def replies_steps(*keys: str):
    """Like :func:`steps`, reading the thread with the reply pane focused first."""

    async def run_before(pilot: Pilot) -> None:
        await steps()(pilot)
        if pilot.app.size.width < 100:
            await pilot.press("enter")  # narrow: open the thread over the list
        await _focus_replies(pilot)
        for key in keys:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", SIZES)
def test_list_article_and_replies(snap_compare, size):
    """Wide: all three panes; narrow: the list alone, full width."""
    assert snap_compare(make_app(["library"]), terminal_size=size, run_before=steps())


def test_thread_opened_narrow(snap_compare):
    """80x24: Enter shows the article and replies in place of the list."""
    app = make_app(["library"])
    assert snap_compare(app, terminal_size=(80, 24), run_before=steps("enter"))


@pytest.mark.parametrize("size", SIZES)
def test_replies_folded(snap_compare, size):
    app = make_app(["library"])
    assert snap_compare(app, terminal_size=size, run_before=replies_steps("minus"))


@pytest.mark.parametrize("size", SIZES)
def test_replies_unfolded(snap_compare, size):
    app = make_app(["library"])
    assert snap_compare(app, terminal_size=size, run_before=replies_steps("minus", "plus"))


@pytest.mark.parametrize("size", SIZES)
def test_help_screen(snap_compare, size):
    app = make_app(["library"])
    assert snap_compare(app, terminal_size=size, run_before=steps("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_thread_that_failed_to_parse(snap_compare, size):
    """broken/ holds good.txt and an empty empty.txt; the error row is highlighted."""

    async def run_before(pilot: Pilot) -> None:
        await steps()(pilot)
        threads = _main(pilot).query_one(ThreadList)
        threads.set_cursor(next(i for i, r in enumerate(threads.rows) if r.error))
        await settle(pilot)
        if pilot.app.size.width < 100:
            await pilot.press("enter")
            await settle(pilot)

    assert snap_compare(make_app(["broken"]), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_empty_folder(snap_compare, size):
    assert snap_compare(make_app(["empty"]), terminal_size=size, run_before=steps())


@pytest.mark.parametrize("size", SIZES)
def test_search_in_thread(snap_compare, size):
    """``/the``, Enter: matches marked, the current one stands out, ``k/N`` in the bar."""

    async def run_before(pilot: Pilot) -> None:
        await steps("enter")(pilot)
        await pilot.press("slash", *"the")
        await settle(pilot)
        await pilot.press("enter", "tab")  # out of the input: no blinking cursor in the picture
        await settle(pilot)

    assert snap_compare(make_app(["library"]), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES)
def test_search_all_threads(snap_compare, size):
    """``F``, then ``the``: every hit of every thread, title and post, the match marked."""

    async def run_before(pilot: Pilot) -> None:
        await steps("F")(pilot)
        await pilot.press(*"the")
        await settle(pilot)
        await pilot.press("tab")  # to the hit list: no blinking cursor in the picture
        await settle(pilot)

    assert snap_compare(make_app(["library"]), terminal_size=size, run_before=run_before)
