"""Pilot tests for four fixes: the palette's literal text (A), the help's less-style keys (B),
no re-open on a move to the row already highlighted (C), whole-row list scrolling (D).
"""

from __future__ import annotations

import json

import pytest
from textual import events
from textual.command import CommandPalette
from ui_support import (
    SAMPLES,
    article,
    main_screen,
    press,
    ready,
    region_text,
    screen_text,
    threads,
    wait_for,
    write_many,
)

from threadtui.model import Paragraph, Post, Thread, thread_to_json
from threadtui.tui.app import make_app
from threadtui.tui.screens.help import HelpScreen
from threadtui.tui.widgets.thread_list import ROW_HEIGHT, ThreadList

BIG = (120, 40)
SMALL = (80, 24)

# ---------------------------------------------------------------------------- A: palette


#: (starter, title part) pairs: markup look-alikes a file may hold.
LOOKALIKES = [
    ("[NL]Daan", "[SOLVED] one"),
    ("[B]ert", "[B]two[/B]"),
    ("[bold]carol[/bold]", "[bold]three[/bold]"),
    ("dave[/]", "four [/] here"),
    ("[link=x]erin[/link]", "[link=x]five[/link]"),
    ("\\[b]frank", "six \\[b] escaped"),
    ("grace [", "seven lone ["),
]


async def test_palette_shows_markup_lookalikes_literally(tmp_path):
    for n, (starter, title) in enumerate(LOOKALIKES):
        thread = Thread(
            title=f"Quokka {title}",
            article=Post(number=1, author=starter, blocks=(Paragraph("Body."),)),
            replies=(),
        )
        path = tmp_path / f"{n}-[B]{n}.json"  # the file name is in the help line too
        path.write_text(json.dumps(thread_to_json(thread)), encoding="utf-8")
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        # The list shows them literally (the parser kept them): the reference.
        assert {r.author for r in threads(pilot).rows} == {s for s, _ in LOOKALIKES}
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "palette")
        await pilot.press(*"quokka")
        await wait_for(
            pilot, lambda: screen_text(pilot).count("Go to thread ·") == len(LOOKALIKES), "hits"
        )
        text = screen_text(pilot)
        for n, (starter, title) in enumerate(LOOKALIKES):
            assert f"Quokka {title}" in text, title  # the hit's title line
            help_line = f"Go to thread · {starter} · no date · {n}-[B]{n}.json"
            assert help_line in text, help_line
        # Choosing one still goes to it.
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette), "close")
        await ready(pilot)


# ---------------------------------------------------------------------------- B: help keys


async def test_help_scrolls_with_less_keys_and_still_closes():
    async with make_app([str(SAMPLES)]).run_test(size=SMALL) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")
        body = pilot.app.screen.query_one("#help-body")
        assert body.max_scroll_y > body.size.height  # more than two pages: space and b show

        async def key(name: str) -> float:
            await pilot.press(name)
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            return body.scroll_y

        assert await key("j") == 1
        assert await key("j") == 2
        assert await key("k") == 1
        page = await key("space")
        assert page > 2
        assert await key("b") < page
        assert await key("G") == body.max_scroll_y
        assert await key("g") == 0
        assert await key("space") > 0
        assert await key("shift+space") == 0
        # The list behind it did not move.
        assert threads(pilot).cursor == 0
        for close in ("escape", "q", "question_mark"):
            await pilot.press(close)
            await pilot.pause()
            assert not isinstance(pilot.app.screen, HelpScreen), close
            await pilot.press("question_mark")
            await wait_for(pilot, lambda: isinstance(pilot.app.screen, HelpScreen), "help")
        await pilot.press("escape")
        assert pilot.app.is_running


# ---------------------------------------------------------------------------- C: no re-open


def record_highlights(tl: ThreadList) -> list[ThreadList.Highlighted]:
    """Every ``Highlighted`` the list posts from now on."""
    sent: list[ThreadList.Highlighted] = []
    post = tl.post_message

    def recording(message):
        if isinstance(message, ThreadList.Highlighted):
            sent.append(message)
        return post(message)

    tl.post_message = recording  # type: ignore[method-assign]
    return sent


async def test_moving_to_the_highlighted_row_keeps_the_reading_position():
    """The tester's steps: f dew Enter, Enter, space, shift+Tab, then g (and the rest)."""
    async with make_app([str(SAMPLES)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl, av = threads(pilot), article(pilot)
        await press(pilot, "f", *"dew", "enter")
        assert len(tl.rows) == 1
        await press(pilot, "enter")
        assert pilot.app.focused is av
        await press(pilot, "space")
        position = av.scroll_y
        shown = main_screen(pilot).thread
        assert position > 0
        await press(pilot, "shift+tab")
        assert pilot.app.focused is tl
        sent = record_highlights(tl)
        for key in ("g", "G", "home", "end", "j", "k", "pagedown", "pageup", "space"):
            await press(pilot, key)
            assert sent == [], key
            assert av.scroll_y == position, key
            assert main_screen(pilot).thread is shown, key
        await press(pilot, "right_square_bracket", "left_square_bracket")  # ] and [
        await pilot.click(ThreadList, offset=(5, 1))  # a click on the row itself
        await ready(pilot)
        assert sent == []
        assert av.scroll_y == position and main_screen(pilot).thread is shown


async def test_a_real_move_still_announces_and_the_ends_do_not(tmp_path):
    write_many(tmp_path, 5)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        sent = record_highlights(tl)
        await press(pilot, "g")  # already on the first row
        assert sent == []
        await press(pilot, "G")
        assert [m.summary.path for m in sent] == [tl.rows[-1].path]
        await press(pilot, "G", "end", "j", "pagedown")  # already on the last row
        assert len(sent) == 1
        await press(pilot, "k")
        assert len(sent) == 2 and sent[-1].summary.path == tl.rows[-2].path
        assert main_screen(pilot).thread_path == tl.rows[-2].path


# ---------------------------------------------------------------------------- D: whole rows


def assert_whole_rows(tl: ThreadList, what: str = "") -> None:
    """The top line is a row's first line, and the cursor row shows whole."""
    view = tl.scrollable_content_region.height
    assert tl.scroll_y % ROW_HEIGHT == 0, (what, tl.scroll_y)
    top = tl.cursor * ROW_HEIGHT
    assert tl.scroll_y <= top and top + ROW_HEIGHT <= tl.scroll_y + view, (what, tl.scroll_y)


def top_line(pilot, tl: ThreadList) -> str:
    """The list's first screen row inside its border."""
    return region_text(pilot, tl).split("\n")[1][1:-1]


async def test_the_testers_steps_leave_no_orphaned_starter_line():
    """80x24, samples: G k k k Enter Esc showed `harbourlight · …` alone at the top."""
    async with make_app([str(SAMPLES)]).run_test(size=SMALL) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert tl.scrollable_content_region.height % ROW_HEIGHT == 1  # an odd view
        await press(pilot, "G")
        assert_whole_rows(tl, "G")
        assert tl.scroll_y == tl.max_scroll_y  # the end is reachable by whole rows
        titles = {r.title.split()[0] for r in tl.rows}
        for key in ("k", "k", "k", "enter", "escape"):
            await press(pilot, key)
            if tl.display and tl.region.height:
                assert_whole_rows(tl, key)
                assert top_line(pilot, tl).split()[0] in titles, (key, top_line(pilot, tl))
        assert "harbourlight" not in top_line(pilot, tl)


@pytest.mark.parametrize("height", [21, 22, 23, 24, 25, 30])
async def test_keyboard_moves_keep_whole_rows_at_any_height(tmp_path, height):
    write_many(tmp_path, 40)
    async with make_app([str(tmp_path)]).run_test(size=(120, height)) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        keys = ["G", "pageup", "pageup", "k", "pagedown", "g", "space", "j", "j", "j", "end"]
        keys += ["home"] + ["j"] * 15 + ["k"] * 20
        for key in keys:
            await press(pilot, key)
            assert_whole_rows(tl, key)


async def test_resize_and_wheel_keep_whole_rows(tmp_path):
    write_many(tmp_path, 40)
    async with make_app([str(tmp_path)]).run_test(size=(120, 30)) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "G")
        for size in [(120, 29), (120, 27), (80, 24), (80, 23), (120, 40), (120, 25), (90, 26)]:
            await pilot.resize_terminal(*size)
            await ready(pilot)
            if tl.display and tl.region.height:
                assert_whole_rows(tl, str(size))
        await pilot.resize_terminal(120, 29)
        await ready(pilot)
        # The wheel, at the default sensitivity and at one line a notch.
        for sensitivity in (2.0, 1.0, 3.0):
            pilot.app.scroll_sensitivity_y = sensitivity
            for event, notches in ((events.MouseScrollUp, 7), (events.MouseScrollDown, 30)):
                for _ in range(notches):
                    before = tl.scroll_y
                    tl.post_message(event(tl, 2, 2, 0, 0, 0, False, False, False))
                    await pilot.pause()
                    assert tl.scroll_y % ROW_HEIGHT == 0, (sensitivity, event, tl.scroll_y)
                    if event is events.MouseScrollDown and before < tl.max_scroll_y:
                        assert tl.scroll_y > before  # never stuck between two rows
            assert tl.scroll_y == tl.max_scroll_y
        # The scrollbar (or anything else) asking for a half-row offset gets a whole one.
        tl.scroll_to(y=7, animate=False)
        await pilot.pause()
        assert tl.scroll_y % ROW_HEIGHT == 0
        # The last row shows whole at the end, under a blank padding line if need be.
        last = (len(tl.rows) - 1) * ROW_HEIGHT
        assert last + ROW_HEIGHT <= tl.max_scroll_y + tl.scrollable_content_region.height


@pytest.mark.parametrize("height", [24, 25])
async def test_hit_list_scrolls_by_whole_rows_too(tmp_path, height):
    write_many(tmp_path, 40)
    async with make_app([str(tmp_path)]).run_test(size=(80, height)) as pilot:
        await ready(pilot)
        await pilot.press("F", *"reply")
        from threadtui.tui.widgets.hit_list import HitList

        hits = pilot.app.screen.query_one(HitList)
        await wait_for(pilot, lambda: len(hits.rows) >= 40, "the hits", timeout=20)
        hits.focus()
        for key in ("G", "k", "k", "pageup", "j", "pagedown", "g"):
            await pilot.press(key)
            await pilot.pause()
            assert hits.scroll_y % ROW_HEIGHT == 0, (key, hits.scroll_y)
            top = hits.cursor * ROW_HEIGHT
            view = hits.scrollable_content_region.height
            assert hits.scroll_y <= top and top + ROW_HEIGHT <= hits.scroll_y + view, key
