"""The reader's start-up: the first frame holds the first row, and collection comes back on."""

from __future__ import annotations

import gc

from ui_support import SAMPLES, ready, threads

from threadtui.library.early_scan import EarlyScan
from threadtui.tui.app import make_app


async def test_first_frame_holds_the_early_scans_first_row():
    early = EarlyScan([str(SAMPLES)])
    early._stepped.wait(10)  # as when the scan was quicker than Textual's start-up
    app = make_app([str(SAMPLES)], early)
    async with app.run_test(size=(120, 40)) as pilot:
        # No pause: what on_mount put there, before any worker reported.
        assert threads(pilot).rows, "the first row was not in the first frame"
        await ready(pilot)
        assert len(threads(pilot).rows) == len(
            [p for p in SAMPLES.iterdir() if not p.name.startswith(".")]
        )


async def test_collection_is_back_on_after_the_first_frame(monkeypatch):
    # start_reader turns cyclic collection off for the start-up; the screen turns it back
    # on after the first frame and freezes what start-up built. (The scan worker also
    # freezes, from its own thread, when the scan ends: only the UI thread's call counts.)
    import threading

    import threadtui.tui.screens.main as main_module

    frozen_on_ui_thread: list[bool] = []
    real_freeze = gc.freeze

    def spy_freeze() -> None:
        frozen_on_ui_thread.append(threading.current_thread() is threading.main_thread())
        real_freeze()

    monkeypatch.setattr(main_module.gc, "freeze", spy_freeze)
    gc.disable()
    try:
        app = make_app([str(SAMPLES)])
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            assert gc.isenabled()
            assert True in frozen_on_ui_thread
    finally:
        gc.enable()
        gc.unfreeze()


async def test_a_search_typed_at_once_waits_for_the_search_bar(tmp_path):
    from ui_support import main_screen, wait_for

    from threadtui.tui.widgets.search_bar import SearchBar

    (tmp_path / "t.txt").write_text("Lantern talk\nby someone\n\nA lantern post.\n")
    app = make_app([str(tmp_path)])
    async with app.run_test(size=(120, 40)) as pilot:
        screen = main_screen(pilot)
        # The bar is not part of the first frame: a / pressed first waits for its mount.
        # (Pilot hands over one key at a time; keys a terminal delivers in one burst
        # before the first frame are not all kept: see docs/performance.md.)
        await pilot.press("slash", *"lantern")
        await wait_for(pilot, lambda: screen.search.result is not None, "the count")
        bar = screen.query_one(SearchBar)
        assert bar.text == "lantern" and screen.searching
        assert len(screen.search.result) == 2  # the title and the post
