"""Searching in a huge opening post (a mailbox read as one post): each key costs what is on
screen. Typing lays nothing out again and marks only the lines drawn; the current match
still gets its own colour, and going to it still scrolls there."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.style import Style
from ui_support import article, main_screen, ready, wait_for

import threadtui.view.render
from threadtui.model import Paragraph, Post, Thread, thread_to_json
from threadtui.tui.app import make_app

MATCH = "#000000 on #ffd75f"
CURRENT = "bold #ffffff on #d7005f"
PARAGRAPHS = 3000


def _big_thread() -> Thread:
    """~12,000 lines of article; 'lantern' in every paragraph, 'zymurgy' once, near the end."""
    blocks = [
        Paragraph(f"Paragraph {n} holds a lantern among many other ordinary words. " * 3)
        for n in range(PARAGRAPHS)
    ]
    blocks[2900] = Paragraph("Only here is the word zymurgy, once in the whole article.")
    return Thread(
        title="One huge post", article=Post(number=1, author="mbox", blocks=tuple(blocks))
    )


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "threads"
    folder.mkdir()
    (folder / "big.json").write_text(json.dumps(thread_to_json(_big_thread())), encoding="utf-8")
    return folder


def _marked_cells(view, row: int) -> int:
    """How many cells of the pane's row ``row`` are drawn on a match's background."""
    on = {Style.parse(MATCH).bgcolor, Style.parse(CURRENT).bgcolor}
    strip = view.render_line(row)
    return sum(len(seg.text) for seg in strip if seg.style is not None and seg.style.bgcolor in on)


def _styled(line, style: str) -> list[str]:
    return [line.plain[s.start : s.end] for s in line.spans if s.style == style]


async def _settle(pilot) -> None:
    screen = main_screen(pilot)
    await wait_for(
        pilot,
        lambda: screen.search.query is None or screen.search.result is not None,
        "the search to finish",
        timeout=20,
    )
    await ready(pilot)


@pytest.fixture
def wraps(monkeypatch):
    """Counts the lines render wraps (laying the article out again wraps every one)."""
    calls = [0]
    original = threadtui.view.render.wrap

    def counting(text, width):
        calls[0] += 1
        return original(text, width)

    monkeypatch.setattr(threadtui.view.render, "wrap", counting)
    return calls


async def test_typing_marks_only_the_lines_on_screen(tmp_path, wraps):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, timeout=20)
        view = article(pilot)
        total = len(view._lines)
        assert total > 10_000
        height = view.scrollable_content_region.height
        await pilot.press("slash")
        wraps[0] = 0
        for char in "lantern":
            await pilot.press(char)
            await pilot.pause()
        await _settle(pilot)
        assert wraps[0] == 0, "a key laid the article out again"
        marks = view.line_marker
        assert marks is not None and marks.highlight is not None
        assert marks.highlight.query.text == "lantern"
        # Only the lines drawn are marked, and only the paragraphs on them searched.
        assert 0 < marks.marked_lines <= height
        article_chars = sum(len(field) for field in marks.layout.fields)
        assert marks.searched < article_chars // 50
        # What shows is marked: every paragraph on screen holds a match.
        top = int(view.scroll_y)
        shown = [marks.line(top + row) for row in range(height)]
        assert sum(len(_styled(line, MATCH) + _styled(line, CURRENT)) for line in shown) >= 5
        # The drawn screen carries the marks too.
        assert sum(_marked_cells(view, row) for row in range(height)) >= 5 * len("lantern")


async def test_a_match_deep_in_a_huge_article_is_current_and_scrolled_to(tmp_path, wraps):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot, timeout=20)
        view = article(pilot)
        height = view.scrollable_content_region.height
        await pilot.press("slash")
        wraps[0] = 0
        await pilot.press(*"zymurgy")
        await _settle(pilot)
        assert wraps[0] == 0
        line = view.current_match_line()
        assert line is not None and line > 11_000
        # Brought into view, and drawn in the current match's own colour.
        assert view.scroll_y <= line < view.scroll_y + height
        assert _styled(view.line_marker.line(line), CURRENT) == ["zymurgy"]
        await pilot.pause()
        row = line - int(view.scroll_y)
        assert "zymurgy" in "".join(seg.text for seg in view.render_line(row))
        assert _marked_cells(view, row) == len("zymurgy")
        assert view.line_marker.marked_lines <= height
        # Another query (the first paragraphs' word) scrolls back up without a relayout.
        await pilot.press("ctrl+u", *"paragraph 0 ")
        await _settle(pilot)
        assert wraps[0] == 0
        line = view.current_match_line()
        assert line is not None and line < 10
        assert view.scroll_y <= line < view.scroll_y + height
        # Esc clears the marks: nothing is marked, nothing laid out.
        await pilot.press("escape")
        await pilot.pause()
        assert view.line_marker is None and view.current_match_line() is None
        assert not _styled(view.lines[line], CURRENT) and not _styled(view.lines[line], MATCH)
        assert _marked_cells(view, line - int(view.scroll_y)) == 0
        assert wraps[0] == 0
