"""One headless measurement of ``reader_bench.py``, in a fresh process of its own.

Lean on purpose: until the app is imported this loads nothing but ``sys``, ``os`` and
``time``, so "process spawn -> first screen" holds the app's own start-up and not the
harness's (``reader_bench``'s imports, ~100 ms of argparse, subprocess, statistics,
tempfile..., once sat in both the bare app's figure and ours).

Usage (from reader_bench): headless_case.py CASE TARGET KEY_REPS SPAWN_T
"""

from __future__ import annotations

import os
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

SIZE = (120, 40)
BARE_MARKER = "READY-MARKER"
# At least one row: the list's title reads "Threads 0 · …" before the first row arrives.
ROWS_PATTERN = r"Threads [1-9][\d,]* ·"
FOCUS_REPLIES = "Only this"  # a footer key that shows only while the reply pane has focus
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def vm_status(pid: int) -> dict[str, int]:
    """VmHWM / VmRSS of ``pid`` in bytes."""
    out = {}
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                out[key] = int(value.split()[0]) * 1024
    return out


def sample_titles() -> list[str]:
    """The first 20 characters of each sample's title (as the list and article show them)."""
    from threadtui.parsing import ParseError, parse_path

    titles = []
    samples = os.path.join(ROOT, "samples")
    for name in sorted(os.listdir(samples)):
        try:
            title = parse_path(os.path.join(samples, name)).title
        except ParseError:
            continue
        if title and title.isprintable() and len(title) >= 12:
            titles.append(title[:20])
    return titles


def changed(before: str) -> Callable[[str], bool]:
    return lambda s: s != before


class VirtualTerminal:
    """The screen a terminal would show, built from the frames the app sends it.

    The headless driver drops each frame's update; this keeps it, as a terminal would: it
    renders the update to the escape sequences the real driver writes (that work is part of a
    real frame) and applies its lines to a character grid. Polling reads the grid, so it adds
    no render of its own. (Until this was written the poll re-rendered the whole screen each
    time, a cost a real terminal never pays and one that grows with the number of widgets.)
    """

    def __init__(self, app, size: tuple[int, int]) -> None:  # noqa: ANN001
        from textual._compositor import ChopsUpdate, LayoutUpdate

        self._chops_update, self._layout_update = ChopsUpdate, LayoutUpdate
        self.width, self.height = size
        self.cells = [[" "] * self.width for _ in range(self.height)]
        self.frames = 0
        self.app = app
        self.pred: Callable[[str], bool] | None = None
        self.seen: float | None = None  # perf_counter of the first frame that met ``pred``
        display = app._display

        def keep(screen, renderable) -> None:  # noqa: ANN001
            if renderable is not None and not app._batch_count:  # as App._display drops it
                self.apply(renderable)
            display(screen, renderable)

        app._display = keep

    def _put(self, x: int, y: int, strip) -> None:  # noqa: ANN001
        from rich.cells import cell_len

        if not 0 <= y < self.height:
            return
        row = self.cells[y]
        for segment in strip:
            text = segment.text
            if segment.control or not text:
                continue
            if text.isascii():  # one cell per character: the common case, kept cheap
                end = min(x + len(text), self.width)
                if x >= 0 and end > x:
                    row[x:end] = text[: end - x]
                x += len(text)
                continue
            for char in text:
                width = cell_len(char)
                if 0 <= x < self.width:
                    row[x] = char
                if width == 2 and 0 <= x + 1 < self.width:
                    row[x + 1] = ""  # the right half of a wide character
                x += width

    def apply(self, update) -> None:  # noqa: ANN001
        update.render_segments(self.app.console)  # what the real driver writes
        self.frames += 1
        if isinstance(update, self._layout_update):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    self._put(x, y, strip)
                    x += strip.cell_length
        elif isinstance(update, self._chops_update):
            # The same walk as ChopsUpdate.render_segments.
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(
                    update.chop_ends[y], update.chops[y].items(), strict=False
                ):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    if not (x2 > x >= x1 and end <= x2):
                        strip = strip.crop(0, min(end, x2) - x)
                    self._put(x, y, strip)
        if self.pred is not None and self.seen is None and self.pred(self.text()):
            self.seen = time.perf_counter()

    def watch(self, pred: Callable[[str], bool]) -> None:
        """From now on, note when a frame first puts up a screen that satisfies ``pred``."""
        self.pred, self.seen = pred, None
        if pred(self.text()):
            self.seen = time.perf_counter()

    def text(self) -> str:
        return "\n".join("".join(row) for row in self.cells)


def screen_text(app) -> str:  # noqa: ANN001
    """What the terminal shows now (after the frames so far)."""
    return app._bench_terminal.text()


def check_terminal(app) -> None:  # noqa: ANN001
    """Fail if the virtual terminal's screen differs from a full render of the app's screen."""
    app.screen._on_timer_update()
    update = app.screen._compositor.render_full_update()
    full = "\n".join("".join(strip.text for strip in line) for line in update.strips)
    if screen_text(app) != full:
        raise RuntimeError(f"virtual terminal:\n{screen_text(app)}\nfull render:\n{full}")


async def poll(app, pred: Callable[[str], bool], timeout: float, what: str) -> float:  # noqa: ANN001
    """Run frames until one puts up a screen that satisfies ``pred``; return perf_counter then.

    The time is that of the frame, as a terminal would show it, not of this loop's next look
    (frames also come from inside ``run_test``'s start-up and from the app's own timer).
    """
    import asyncio

    terminal: VirtualTerminal = app._bench_terminal
    if terminal.pred is not pred:
        terminal.watch(pred)
    deadline = time.perf_counter() + timeout
    while terminal.seen is None:
        await asyncio.sleep(0.001)  # let queued messages and worker results through
        app.screen._on_timer_update()  # the frame the 60 fps timer would run
        if time.perf_counter() > deadline:
            raise RuntimeError(f"headless: timed out waiting for {what}:\n{terminal.text()}")
    return terminal.seen


def press(app, key: str) -> float:  # noqa: ANN001
    from textual import events

    t0 = time.perf_counter()
    app._driver.send_message(events.Key(key, key if len(key) == 1 else None))
    return t0


def headless_case(case: str, target: str, spawn_t: float, key_reps: int) -> dict:
    """One headless measurement in this (fresh) process; times in ms."""
    if case == "bare":
        import importlib.util

        spec = importlib.util.spec_from_file_location("bare_app", target)
        module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
        spec.loader.exec_module(module)  # type: ignore[union-attr]
        app = module.BareApp()
    else:
        # As `threadtui PATH` starts: the scan begins before Textual is imported.
        from threadtui.cli.read import start_reader

        app = start_reader([target])
    imported = time.time()
    result: dict[str, object] = {"import_ms": (imported - spawn_t) * 1000}
    # The harness's own imports come after the mark (Textual is loaded by now).
    import asyncio
    import re

    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import gen_inputs  # noqa: E402  (bench/ is not a package)

    rows_re = re.compile(ROWS_PATTERN)

    # Worked out before the clock starts, as the tmux runs do: it is the bench's work, not
    # the app's (inside the timed region it once added 25-60 ms to the samples' figure).
    titles = sample_titles() if case == "samples" else []
    spawn_to_run = time.time()

    app._bench_terminal = terminal = VirtualTerminal(app, SIZE)
    first: Callable[[str], bool]
    if case == "bare":
        first, what = (lambda s: BARE_MARKER in s), BARE_MARKER
    elif case == "samples":
        first, what = (lambda s: any(t in s for t in titles)), "a title"
    elif case == "folder":
        first, what = (lambda s: rows_re.search(s) is not None), "rows"
    else:
        first, what = (lambda s: "Threads 3 ·" in s and "reading" not in s), "scan"
    terminal.watch(first)  # the first screen may come before run_test hands over

    async def run() -> None:
        t0 = time.perf_counter()
        async with app.run_test(size=SIZE) as pilot:
            seen = await poll(app, first, 240, what)
            result["first_ms"] = (seen - t0) * 1000
            result["first_from_spawn_ms"] = (imported - spawn_t) * 1000 + (seen - t0) * 1000
            result["titles_ms"] = (spawn_to_run - imported) * 1000  # left out of both figures
            if case == "select":
                await pilot.pause(1.0)
                k0 = press(app, "G")
                seen = await poll(app, lambda s: gen_inputs.FIRST_MARKER in s, 60, "first reply")
                result["select_ms"] = (seen - k0) * 1000
                for _ in range(6):  # Tab until the footer shows the reply pane's keys
                    await pilot.pause(0.3)
                    press(app, "tab")
                    await pilot.pause(0.2)
                    app.screen._on_timer_update()
                    if FOCUS_REPLIES in screen_text(app):
                        break
                else:
                    raise RuntimeError("Tab never focused the reply pane")
                await pilot.pause(0.3)
                k0 = press(app, "end")
                seen = await poll(app, lambda s: gen_inputs.LAST_MARKER in s, 60, "last reply")
                result["end_ms"] = (seen - k0) * 1000
                keys = []
                for _ in range(key_reps):
                    for key in ("k", "j"):
                        await pilot.pause(0.1)
                        app.screen._on_timer_update()
                        before = screen_text(app)
                        k0 = press(app, key)
                        seen = await poll(app, changed(before), 10, f"repaint after {key}")
                        keys.append((seen - k0) * 1000)
                result["key_ms"] = keys
            check_terminal(app)
            # VmHWM, not ru_maxrss: Linux carries ru_maxrss across exec from the parent.
            result["maxrss"] = vm_status(os.getpid())["VmHWM"]
            app.exit()

    asyncio.run(run())
    return result


def main() -> int:
    case, target, key_reps, spawn_t = sys.argv[1:5]
    result = headless_case(case, target, float(spawn_t), int(key_reps))
    import json

    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
