"""Helpers for the Pilot tests: waiting on workers, reading the screen, writing thread files."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from textual.pilot import Pilot
from textual.worker import WorkerState

from threadtui.model import Paragraph, Post, Quote, Thread, thread_to_json
from threadtui.tui.screens.main import MainScreen
from threadtui.tui.widgets.article_view import ArticleView
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.thread_list import ThreadList

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples"
NBSP = "\u00a0"


async def wait_for(
    pilot: Pilot, condition: Callable[[], object], what: str = "", timeout: float = 5.0
) -> None:
    """Let the app run until ``condition()`` holds; fail after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what or condition}")
        await pilot.pause(0.01)


def main_screen(pilot: Pilot) -> MainScreen:
    for screen in pilot.app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no MainScreen on the stack")


def threads(pilot: Pilot) -> ThreadList:
    return main_screen(pilot).query_one(ThreadList)


def article(pilot: Pilot) -> ArticleView:
    return main_screen(pilot).query_one(ArticleView)


def replies(pilot: Pilot) -> ReplyView:
    return main_screen(pilot).query_one(ReplyView)


def _busy(pilot: Pilot) -> bool:
    return any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)


def _settled(pilot: Pilot) -> bool:
    screen = main_screen(pilot)
    if screen.scanning or _busy(pilot):
        return False
    current = screen.query_one(ThreadList).current
    return current is None or screen.thread_path == current.path


async def ready(pilot: Pilot, timeout: float = 5.0) -> None:
    """Wait until the scan is done and the highlighted thread is shown (or failed)."""
    await pilot.pause()
    await wait_for(pilot, lambda: _settled(pilot), "scan and thread load", timeout)
    await pilot.pause()


async def press(pilot: Pilot, *keys: str) -> None:
    """Press keys, then wait for any thread load they started."""
    await pilot.press(*keys)
    await ready(pilot)


def screen_text(pilot: Pilot) -> str:
    """What the terminal shows now, as plain text (one line per row)."""
    strips = pilot.app.screen._compositor.render_strips()
    return "\n".join(strip.text for strip in strips)


def article_text(pilot: Pilot) -> str:
    return "\n".join(line.plain for line in article(pilot).lines)


def region_text(pilot: Pilot, widget: object) -> str:
    """The screen text inside one widget's region."""
    region = widget.region  # type: ignore[attr-defined]
    rows = screen_text(pilot).split("\n")[region.y : region.y + region.height]
    return "\n".join(row[region.x : region.x + region.width] for row in rows)


def write_dump(
    path: Path,
    title: str,
    author: str,
    paragraphs: Sequence[str],
    replies: Sequence[tuple[str, str, str]] = (),
) -> Path:
    """A text dump: title, blank, author twice, paragraphs, then NBSP-separated replies.

    ``replies`` are (author, "DATE #N", body) triples.
    """
    lines = [title, "", author, "", author, ""]
    for paragraph in paragraphs:
        lines += [paragraph, ""]
    for reply_author, stamp, body in replies:
        lines += [NBSP, reply_author, stamp, body, ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def write_many(folder: Path, count: int) -> Path:
    """``count`` small threads named so that title and file order agree."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        write_dump(
            folder / f"t{i:03d}.txt",
            f"Thread number {i:03d}",
            f"poster{i}",
            [f"Opening post of thread {i}."],
            [(f"replier{i}", f"2021-03-{1 + i % 28:02d} #2", f"A reply to thread {i}.")],
        )
    return folder


LONG_QUOTE_LINES = 9


def nested_thread() -> Thread:
    """Replies in reading order: #2 > #3 > #4, then #5, then #6 (with a long quote)."""
    long_quote = Quote(
        author="quoted_person",
        blocks=tuple(Paragraph(f"Quoted line {n} of the long quote.") for n in range(1, 10)),
    )
    return Thread(
        title="Nested fold test thread",
        article=Post(number=1, author="opener", blocks=(Paragraph("The opening post."),)),
        replies=(
            Post(
                number=2,
                author="alpha",
                blocks=(Paragraph("Top level reply two."),),
                replies=(
                    Post(
                        number=3,
                        author="beta",
                        blocks=(Paragraph("Child reply three."),),
                        replies=(
                            Post(number=4, author="gamma", blocks=(Paragraph("Grandchild four."),)),
                        ),
                    ),
                ),
            ),
            Post(number=5, author="delta", blocks=(Paragraph("Top level reply five."),)),
            Post(
                number=6,
                author="epsilon",
                blocks=(long_quote, Paragraph("Reply six answers the long quote.")),
            ),
        ),
    )


def write_nested(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "nested.json"
    path.write_text(json.dumps(thread_to_json(nested_thread())), encoding="utf-8")
    return path


def burst(pilot: Pilot, text: str) -> None:
    """Deliver ``text`` as a terminal delivers a paste or fast typing: all its keys at once.

    The driver posts every key of one read to the app before any of them is handled
    (``pilot.press`` waits for each key to be handled before it sends the next).
    """
    from textual import events
    from textual.keys import _character_to_key

    for char in text:
        pilot.app.post_message(events.Key(_character_to_key(char), char))
