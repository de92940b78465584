"""Remake docs/screenshot.svg: the reader on samples/ at 120x40, drawn by Textual itself.

Run from the checkout: ``.venv/bin/python docs/make_screenshot.py`` (``--out FILE`` to write
elsewhere). The app runs headless (``run_test``), so no terminal is needed and the picture
does not depend on the terminal's font or colours.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerState

from threadtui.tui.app import make_app
from threadtui.tui.screens.main import MainScreen
from threadtui.tui.widgets.thread_list import ThreadList

ROOT = Path(__file__).resolve().parents[1]
SIZE = (120, 40)
#: The thread shown: one with an article, quotes and nested replies.
THREAD = "03-hiking-quotes.txt"


async def _settle(pilot: Pilot[None], screen: MainScreen, timeout: float = 10.0) -> None:
    """Wait until the scan is done and the highlighted thread is on show."""
    deadline = time.monotonic() + timeout
    while True:
        await pilot.pause(0.05)
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
        current = screen.query_one(ThreadList).current
        shown = current is None or screen.thread_path == current.path
        if not screen.scanning and not busy and shown:
            return
        if time.monotonic() > deadline:
            raise SystemExit("the reader did not settle on samples/ in time")


async def _shoot(out: Path) -> None:
    app = make_app([str(ROOT / "samples")])
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await _settle(pilot, screen)
        threads = screen.query_one(ThreadList)
        # Step down the list (as a user would with j) until the chosen thread shows.
        for _ in range(100):
            current = threads.current
            if current is not None and Path(current.path).name == THREAD:
                break
            await pilot.press("j")
            await _settle(pilot, screen)
        else:
            raise SystemExit(f"{THREAD} is not in samples/")
        app.save_screenshot(filename=out.name, path=str(out.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshot.svg")
    args = parser.parse_args()
    asyncio.run(_shoot(args.out.resolve()))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
