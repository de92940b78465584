"""Pilot tests for the reader: every binding, asserting the state it changes.

Each test waits for the scan and thread-load workers (``ready``) rather than sleeping.
"""

from __future__ import annotations

import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest
from textual import events
from textual.command import CommandPalette
from ui_support import (
    ROOT,
    SAMPLES,
    article,
    article_text,
    main_screen,
    press,
    ready,
    region_text,
    replies,
    screen_text,
    threads,
    wait_for,
    write_dump,
    write_many,
    write_nested,
)

from threadtui import library
from threadtui.library import sort_summaries
from threadtui.tui.app import ThreadApp, make_app
from threadtui.tui.screens.help import HelpScreen, _keys
from threadtui.tui.screens.main import MainScreen
from threadtui.tui.widgets.article_view import ArticleView
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.thread_list import ROW_HEIGHT, ThreadList

BIG = (120, 40)
SMALL = (80, 24)


def sample_app():
    return make_app([str(SAMPLES)])


async def go_to_title(pilot, prefix: str) -> None:
    """Highlight the thread whose title starts with ``prefix`` (via the public cursor API)."""
    tl = threads(pilot)
    index = next(i for i, r in enumerate(tl.rows) if r.title.startswith(prefix))
    tl.set_cursor(index)
    await ready(pilot)
    assert tl.current.title.startswith(prefix)


def in_view(widget, top: int, height: int = 1) -> bool:
    """Rows ``top``..``top+height`` of ``widget``'s content are inside its viewport."""
    view = widget.scrollable_content_region.height
    return widget.scroll_y <= top and top + height <= widget.scroll_y + view


# ---------------------------------------------------------------------------- start-up


async def test_first_screen_shows_list_article_and_replies():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl, av, rv = threads(pilot), article(pilot), replies(pilot)
        assert len(tl.rows) == 13
        assert tl.sort_key == "date"
        assert tl.border_title == "Threads 13 · by date ↓"
        assert pilot.app.focused is tl
        assert all(w.display for w in (tl, av, rv))
        current = tl.current
        assert article_text(pilot).splitlines()[0] == current.title
        assert rv.reply_layout is not None and len(rv.reply_layout) == current.reply_count
        assert rv.border_title == f"Replies ({current.reply_count:,})"
        text = screen_text(pilot)
        assert "Threads 13 · by date ↓" in text
        assert "Article" in text and "Replies (" in text
        # Newest first: the list's order is the date sort.
        assert [r.path for r in tl.rows] == [r.path for r in sort_summaries(tl.rows, "date")]
        # The footer shows the list's keys while the list has focus.
        assert "Sort" in text.splitlines()[-1]


async def test_highlight_starts_on_top_row_when_scan_comes_in_batches(monkeypatch):
    import threadtui.library.early_scan as early_scan_module

    # One file per batch, as happens on a slow disk or a large folder.
    monkeypatch.setattr(early_scan_module, "scan", partial(library.scan, batch_seconds=0.0))
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert tl.cursor == 0, f"highlight on row {tl.cursor}: {tl.current.title!r}"


async def test_the_first_thread_is_opened_after_the_first_frame(monkeypatch):
    """Its parse runs on a worker thread; started sooner it would slow the first frame down."""
    opened: list[tuple[str, bool]] = []
    open_thread = MainScreen.open_thread

    def record(screen: MainScreen, summary: library.ThreadSummary) -> None:
        opened.append((summary.path, screen._first_frame_drawn))
        open_thread(screen, summary)

    monkeypatch.setattr(MainScreen, "open_thread", record)
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert opened and all(drawn for _, drawn in opened), opened
        assert opened[-1][0] == tl.current.path
        assert article_text(pilot).splitlines()[0] == tl.current.title


# ---------------------------------------------------------------------------- thread list


async def test_list_j_k_down_up_move_highlight_and_show_thread():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        assert tl.cursor == 0
        for key, expected in (("j", 1), ("down", 2), ("k", 1), ("up", 0), ("k", 0)):
            await press(pilot, key)
            assert tl.cursor == expected, key
            assert pilot.app.focused is tl
            assert article_text(pilot).splitlines()[0] == tl.rows[expected].title
            assert main_screen(pilot).thread_path == tl.rows[expected].path
        # The highlighted row is drawn on screen with its title.
        assert tl.rows[0].title[:20] in region_text(pilot, tl)


async def test_list_paging_and_ends_scroll(tmp_path):
    folder = write_many(tmp_path / "many", 40)
    async with make_app([str(folder)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert len(tl.rows) == 40
        await press(pilot, "home")
        page = tl.scrollable_content_region.height // ROW_HEIGHT
        assert page == 18
        await press(pilot, "pagedown")
        assert tl.cursor == page
        await press(pilot, "space")
        assert tl.cursor == 2 * page
        assert tl.scroll_y > 0 and in_view(tl, tl.cursor * ROW_HEIGHT, ROW_HEIGHT)
        await press(pilot, "pageup")
        assert tl.cursor == page
        assert in_view(tl, tl.cursor * ROW_HEIGHT, ROW_HEIGHT)
        await press(pilot, "G")
        assert tl.cursor == 39
        assert tl.scroll_y == tl.max_scroll_y > 0
        assert tl.rows[39].title in region_text(pilot, tl)
        assert main_screen(pilot).thread_path == tl.rows[39].path
        await press(pilot, "g")
        assert tl.cursor == 0 and tl.scroll_y == 0
        await press(pilot, "end")
        assert tl.cursor == 39 and tl.scroll_y == tl.max_scroll_y
        await press(pilot, "home")
        assert tl.cursor == 0 and tl.scroll_y == 0
        assert tl.rows[0].title in region_text(pilot, tl)


async def test_enter_moves_focus_to_article():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g", "j", "j")
        await press(pilot, "enter")
        assert isinstance(pilot.app.focused, ArticleView)
        assert tl.cursor == 2
        assert article_text(pilot).splitlines()[0] == tl.rows[2].title
        # All three panes stay on screen at 120 columns.
        assert tl.display and replies(pilot).display


async def test_sort_cycles_and_border_title_says_which():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        kept = tl.current.path
        expected = [
            ("title", "Threads 13 · by title ↑"),
            ("replies", "Threads 13 · by replies ↓"),
            ("file", "Threads 13 · by file ↑"),
            ("date", "Threads 13 · by date ↓"),
        ]
        for key, title in expected:
            await press(pilot, "s")
            assert tl.sort_key == key
            assert tl.border_title == title
            assert title in screen_text(pilot)
            assert [r.path for r in tl.rows] == [r.path for r in sort_summaries(tl.rows, key)]
            # The highlighted thread stays highlighted through a re-sort.
            assert tl.current.path == kept
            if key == "title":
                titles = [r.title.casefold() for r in tl.rows]
                assert titles == sorted(titles)
            if key == "replies":
                assert tl.rows[0].reply_count == 320
            if key == "file":
                assert Path(tl.rows[0].path).name == "01-council-bike-lanes.txt"


# ---------------------------------------------------------------------------- panes


async def test_tab_and_shift_tab_cycle_panes():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        order = [ThreadList, ArticleView, ReplyView, ThreadList]
        assert isinstance(pilot.app.focused, ThreadList)
        for expected in order[1:]:
            await pilot.press("tab")
            assert isinstance(pilot.app.focused, expected)
        for expected in reversed(order[:-1]):
            await pilot.press("shift+tab")
            assert isinstance(pilot.app.focused, expected)


@pytest.mark.parametrize("pane", [ThreadList, ArticleView, ReplyView])
async def test_brackets_step_threads_from_every_pane(pane):
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        main_screen(pilot).query_one(pane).focus()
        await pilot.pause()
        await press(pilot, "right_square_bracket")
        assert tl.cursor == 1
        assert article_text(pilot).splitlines()[0] == tl.rows[1].title
        await press(pilot, "right_square_bracket")
        assert tl.cursor == 2
        await press(pilot, "left_square_bracket")
        assert tl.cursor == 1
        assert main_screen(pilot).thread_path == tl.rows[1].path
        assert isinstance(pilot.app.focused, pane)
        await press(pilot, "left_square_bracket", "left_square_bracket")
        assert tl.cursor == 0  # clamped at the top


async def test_J_K_next_and_previous_reply():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        await go_to_title(pilot, "Pendlecombe")
        rv = replies(pilot)
        assert rv.cursor == 0
        await pilot.press("J")
        assert isinstance(pilot.app.focused, ReplyView)
        assert rv.cursor == 1
        await pilot.press("J", "J")
        assert rv.cursor == 3
        assert rv.border_subtitle == f"#{rv.reply_layout.posts[3].number} · 4 of 320"
        # The current reply's header is at the top of the pane.
        assert rv.scroll_y == rv.reply_layout.row_of(3)
        assert f"#{rv.reply_layout.posts[3].number} · " in region_text(pilot, rv).split("\n")[1]
        await pilot.press("K")
        assert rv.cursor == 2
        await pilot.press("K", "K", "K")
        assert rv.cursor == 0 and rv.scroll_y == 0


async def test_escape_returns_focus_to_list():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g", "j")
        await pilot.press("enter")
        assert isinstance(pilot.app.focused, ArticleView)
        await pilot.press("escape")
        assert pilot.app.focused is tl and tl.cursor == 1
        replies(pilot).focus()
        await pilot.press("escape")
        assert pilot.app.focused is tl


async def test_footer_shows_keys_of_focused_pane():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        footer = lambda: screen_text(pilot).splitlines()[-1]  # noqa: E731
        assert "Read" in footer() and "Sort" in footer() and "Fold all" not in footer()
        replies(pilot).focus()
        await pilot.pause()
        assert "Fold all" in footer() and "Only this" in footer() and "Sort" not in footer()


async def test_r_hides_and_shows_reply_pane():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        screen, rv, av = main_screen(pilot), replies(pilot), article(pilot)
        height = av.region.height
        rv.focus()
        await pilot.press("r")
        assert screen.show_replies is False
        assert rv.display is False and rv.region.height == 0
        assert av.region.height > height  # the article takes the column
        assert pilot.app.focused is av  # focus left the hidden pane
        assert "Replies (" not in screen_text(pilot)
        await pilot.press("r")
        assert screen.show_replies is True and rv.display is True
        assert "Replies (" in screen_text(pilot)
        # J brings a hidden reply pane back and focuses it.
        await pilot.press("r", "J")
        assert screen.show_replies is True and rv.display is True
        assert pilot.app.focused is rv and rv.cursor == 1


async def test_t_hides_and_shows_list():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        screen, tl, av = main_screen(pilot), threads(pilot), article(pilot)
        await pilot.press("t")
        assert screen.show_list is False
        assert tl.parent.display is False and tl.region.width == 0
        assert av.region.x == 0 and av.region.width == 120
        assert pilot.app.focused is av
        assert "Threads 13" not in screen_text(pilot)
        await pilot.press("t")
        assert screen.show_list is True and tl.parent.display is True
        assert pilot.app.focused is tl
        assert "Threads 13" in screen_text(pilot)


# ---------------------------------------------------------------------------- article


async def test_article_scrolling_keys():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        await go_to_title(pilot, "Riverside")
        av = article(pilot)
        await pilot.press("enter")
        assert pilot.app.focused is av
        assert av.max_scroll_y > 20
        page = av.scrollable_content_region.height - 1
        top, bottom = 0, av.max_scroll_y
        # (key, change) for relative moves, (key, None, row) for jumps.
        steps = [
            ("j", +1),
            ("down", +1),
            ("k", -1),
            ("up", -1),
            ("k", -1),
            ("pagedown", +page),
            ("space", +page),
            ("pageup", -page),
            ("G", None, bottom),
            ("pageup", -page),
            ("g", None, top),
            ("end", None, bottom),
            ("home", None, top),
        ]
        expected = 0
        for key, change, *row in steps:
            expected = row[0] if change is None else max(top, min(expected + change, bottom))
            await pilot.press(key)
            assert av.scroll_y == expected, key
        await pilot.press("end")
        last_line = av.lines[-1].plain.strip() or av.lines[-2].plain.strip()
        assert last_line[:30] in region_text(pilot, av)
        await pilot.press("home")
        assert av.lines[0].plain[:30] in region_text(pilot, av)


# ---------------------------------------------------------------------------- replies


async def focus_replies(pilot, title: str) -> ReplyView:
    await go_to_title(pilot, title)
    rv = replies(pilot)
    rv.focus()
    await pilot.pause()
    return rv


async def test_reply_line_page_and_end_keys():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Pendlecombe")
        layout = rv.reply_layout
        await pilot.press("j")
        assert rv.scroll_y == 1
        await pilot.press("down", "down")
        assert rv.scroll_y == 3
        await pilot.press("k")
        assert rv.scroll_y == 2
        await pilot.press("up", "up", "up")
        assert rv.scroll_y == 0
        page = rv.scrollable_content_region.height - 1
        await pilot.press("pagedown")
        assert rv.scroll_y == page
        assert rv.cursor == layout.at_row(page)[0]
        await pilot.press("pagedown")
        assert rv.scroll_y == 2 * page
        await pilot.press("pageup")
        assert rv.scroll_y == page
        await pilot.press("pageup")
        assert rv.scroll_y == 0 and rv.cursor == 0
        last = len(layout) - 1
        for end, home in (("G", "g"), ("end", "home")):
            await pilot.press(end)
            assert rv.cursor == last
            assert rv.scroll_y == rv.max_scroll_y > 0
            assert f"#{layout.posts[last].number} · " in region_text(pilot, rv)
            await pilot.press(home)
            assert rv.cursor == 0 and rv.scroll_y == 0
            assert f"#{layout.posts[0].number} · " in region_text(pilot, rv).split("\n")[1]


@pytest.mark.parametrize("key", ["enter", "space"])
async def test_enter_and_space_toggle_reply_under_cursor(key):
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Pendlecombe")
        layout = rv.reply_layout
        await pilot.press("J")
        assert rv.cursor == 1
        number = layout.posts[1].number
        await pilot.press(key)
        assert layout.collapsed == {1}
        header = next(
            line for line in region_text(pilot, rv).split("\n") if f"#{number} · " in line
        )
        assert "▸" in header
        # Folded: the next reply's header sits right under this one.
        assert layout.row_of(2) == layout.row_of(1) + 1
        await pilot.press(key)
        assert layout.collapsed == set()
        header = next(
            line for line in region_text(pilot, rv).split("\n") if f"#{number} · " in line
        )
        assert "▾" in header


async def test_left_collapses_then_moves_to_parent_right_expands(tmp_path):
    write_nested(tmp_path)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        rv.focus()
        layout = rv.reply_layout
        assert [p.number for p in layout.posts] == [2, 3, 4, 5, 6]
        await pilot.press("J", "J")
        assert rv.cursor == 2  # #4, the grandchild
        await pilot.press("left")
        assert layout.collapsed == {2} and rv.cursor == 2
        await pilot.press("left")  # collapsed: go to the parent (#3)
        assert rv.cursor == 1 and layout.collapsed == {2}
        await pilot.press("h")
        assert layout.collapsed == {1, 2} and rv.cursor == 1
        text = region_text(pilot, rv)
        assert "(+1 hidden)" in text and "#4 · " not in text
        await pilot.press("h")  # to #2
        assert rv.cursor == 0
        await pilot.press("h")
        assert layout.collapsed == {0, 1, 2}
        assert "(+2 hidden)" in region_text(pilot, rv)
        await pilot.press("h")  # a top-level reply has no parent: stays
        assert rv.cursor == 0 and layout.collapsed == {0, 1, 2}
        await pilot.press("right")
        assert layout.collapsed == {1, 2}
        await pilot.press("J")
        assert rv.cursor == 1
        await pilot.press("l")
        assert layout.collapsed == {2}
        assert "#4 · gamma" in region_text(pilot, rv)
        # The nested reply is drawn indented under a guide.
        line = next(row for row in region_text(pilot, rv).split("\n") if "#4 · gamma" in row)
        assert "│ │ " in line


async def test_minus_plus_fold_all_and_z_folds_all_but_path(tmp_path):
    write_nested(tmp_path)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        rv.focus()
        layout = rv.reply_layout
        await pilot.press("J", "J")
        assert rv.cursor == 2
        await pilot.press("minus")
        assert layout.collapsed == set(range(5))
        assert rv.cursor == 0  # back to the top-level ancestor
        text = region_text(pilot, rv)
        assert text.count("▸ #") == 3 and "▾" not in text
        assert "(+2 hidden)" in text
        await pilot.press("plus")
        assert layout.collapsed == set()
        assert region_text(pilot, rv).count("▾ #") == 5
        await pilot.press("minus", "equals_sign")
        assert layout.collapsed == set()
        await pilot.press("J", "J")
        assert rv.cursor == 2
        await pilot.press("z")
        # Everything but #4 and its ancestors (#3, #2) is folded.
        assert layout.collapsed == {3, 4}
        assert rv.cursor == 2
        text = region_text(pilot, rv)
        assert "▾ #2" in text and "▾ #3" in text and "▾ #4" in text
        assert "Grandchild four." in text
        assert "▸ #5" in text and "▸ #6" in text
        assert "Quoted line 1" not in text  # #6's body is folded away


async def test_o_opens_and_folds_long_quotes(tmp_path):
    write_nested(tmp_path)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        rv.focus()
        layout = rv.reply_layout
        await pilot.press("end")
        assert rv.cursor == 4
        text = region_text(pilot, rv)
        assert "more quoted lines (o to open)" in text
        assert "Quoted line 9 " not in text
        await pilot.press("o")
        assert layout.open_quotes == {4}
        assert "more quoted lines" not in region_text(pilot, rv)
        body = [line.plain for line in layout.lines(4)]
        assert any("Quoted line 9 of the long quote." in line for line in body)
        await pilot.press("end")
        assert "Quoted line 9 of the long quote." in region_text(pilot, rv)
        await pilot.press("o")
        assert layout.open_quotes == set()
        assert "more quoted lines (o to open)" in region_text(pilot, rv)


async def test_o_on_a_sample_long_quote():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Ridge path")
        layout = rv.reply_layout
        index = next(i for i, p in enumerate(layout.posts) if p.number == 5)
        rv.go_to_reply(index)
        await pilot.pause()
        closed = len(layout.lines(index))
        assert "o to open" in region_text(pilot, rv)
        await pilot.press("o")
        assert layout.open_quotes == {index}
        assert len(layout.lines(index)) > closed
        assert "o to open" not in region_text(pilot, rv)
        await pilot.press("o")
        assert len(layout.lines(index)) == closed


async def test_fold_state_kept_when_switching_threads():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Pendlecombe")
        tl = threads(pilot)
        start = tl.cursor
        await pilot.press("J", "enter", "J", "J", "enter")
        assert rv.reply_layout.collapsed == {1, 3}
        await press(pilot, "right_square_bracket")
        assert tl.cursor == start + 1
        assert rv.reply_layout.collapsed == set()  # the other thread has its own folds
        await pilot.press("minus")
        await press(pilot, "left_square_bracket")
        assert tl.cursor == start
        assert rv.reply_layout.collapsed == {1, 3}
        layout = rv.reply_layout
        assert layout.row_of(2) == layout.row_of(1) + 1  # drawn folded, not just remembered
        assert f"▸ #{layout.posts[1].number} · " in region_text(pilot, rv)
        await press(pilot, "right_square_bracket")
        assert rv.reply_layout.collapsed == set(range(len(rv.reply_layout)))


async def test_unfold_all_leaves_no_horizontal_scrollbar():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Sourdough")
        assert rv.max_scroll_x == 0 and not rv.show_horizontal_scrollbar
        await pilot.press("minus")
        await pilot.pause()
        await pilot.press("plus")
        await pilot.pause()
        assert rv.max_scroll_y > 0
        assert rv.max_scroll_x == 0 and not rv.show_horizontal_scrollbar


def _cursor_background(widget, y: int):
    """The background colour of the highlight on content row ``y`` (not the base colour)."""
    base = widget.rich_style.bgcolor
    colours = {
        seg.style.bgcolor for seg in widget.render_line(y) if seg.style and seg.style.bgcolor
    }
    colours.discard(base)
    assert len(colours) == 1, colours
    return colours.pop().get_truecolor(), base.get_truecolor()


def _distance(a, b) -> int:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True))


async def test_cursor_highlight_is_stronger_in_the_focused_pane():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl, rv = threads(pilot), replies(pilot)
        await press(pilot, "g")
        list_row_y = 1  # the cursor row's second line (row 0 is at the top)
        focused_list = _cursor_background(tl, list_row_y)
        unfocused_reply = _cursor_background(rv, 0)
        rv.focus()
        await pilot.pause()
        unfocused_list = _cursor_background(tl, list_row_y)
        focused_reply = _cursor_background(rv, 0)
        assert _distance(*focused_list) > _distance(*unfocused_list)
        assert _distance(*focused_reply) > _distance(*unfocused_reply)


# ---------------------------------------------------------------------------- help, palette, quit


async def test_question_mark_opens_help_listing_bindings_and_escape_closes():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpScreen)
        top = screen_text(pilot)
        assert "threadtui keys" in top and "Everywhere" in top and "Thread list" in top
        # The help scrolls with the keyboard to show the rest.
        body = pilot.app.screen.query_one("#help-body")
        await pilot.press("end")
        assert body.scroll_y == body.max_scroll_y > 0
        text = top + screen_text(pilot)
        assert "Replies" in text and "Mouse:" in text
        sections = [
            ThreadApp.BINDINGS,
            MainScreen.BINDINGS,
            ThreadList.BINDINGS,
            ArticleView.BINDINGS,
            ReplyView.BINDINGS,
        ]
        for binding in (b for section in sections for b in section):
            assert f"{_keys(binding)}  {binding.description}" in text, binding
        assert "tab / shift+tab  Next / previous pane" in text
        assert "/  Search" in text and "ctrl+f  Search" in text and "type_ahead" not in text
        for keys in ("[  Prev", "]  Next", "PgDn", "home / g", "end / G", "left / h", "-  Fold"):
            assert keys in text, keys
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, HelpScreen)
        assert pilot.app.focused is threads(pilot)
        assert "threadtui keys" not in screen_text(pilot)
        # "?" toggles it too.
        await pilot.press("question_mark")
        assert isinstance(pilot.app.screen, HelpScreen)
        await pilot.press("question_mark")
        assert not isinstance(pilot.app.screen, HelpScreen)


async def test_q_quits():
    app = sample_app()
    async with app.run_test(size=BIG) as pilot:
        await ready(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running
    assert app.return_code == 0


async def test_command_palette_goes_to_thread_by_title():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "palette")
        await pilot.press(*"sourdough starter")
        await wait_for(pilot, lambda: "Go to thread" in screen_text(pilot), "a thread hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(pilot.app.screen, CommandPalette), "close")
        await ready(pilot)
        assert tl.current.title.startswith("Sourdough starter")
        assert article_text(pilot).startswith("Sourdough starter")
        # Going to the thread already open keeps it as it is: not read again, not rewound.
        screen = main_screen(pilot)
        shown, rv = screen.thread, replies(pilot)
        rv.focus()
        await pilot.press("J", "J")
        assert rv.cursor == 2
        screen.go_to_thread(tl.current.path)
        await ready(pilot)
        assert screen.thread is shown and rv.cursor == 2


async def test_command_palette_runs_an_action():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "palette")
        await pilot.press(*"sort threads")
        await wait_for(pilot, lambda: "Sort threads" in screen_text(pilot), "the action hit")
        await pilot.press("enter")
        await wait_for(pilot, lambda: threads(pilot).sort_key == "title", "sort by title")


# ---------------------------------------------------------------------------- mouse


async def test_click_on_list_row_title_selects_it():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        # Row 3's title line: one border row, then two rows per thread.
        await pilot.click(ThreadList, offset=(5, 1 + 3 * ROW_HEIGHT))
        await ready(pilot)
        assert tl.cursor == 3
        assert article_text(pilot).splitlines()[0] == tl.rows[3].title


async def test_click_on_list_row_meta_line_selects_that_row():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        await pilot.click(ThreadList, offset=(5, 2 + 3 * ROW_HEIGHT))
        await ready(pilot)
        assert tl.cursor == 3


async def test_double_click_on_list_row_reads_it():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        await press(pilot, "g")
        await pilot.double_click(ThreadList, offset=(5, 1 + 2 * ROW_HEIGHT))
        await ready(pilot)
        assert tl.cursor == 2
        assert isinstance(pilot.app.focused, ArticleView)


async def test_click_on_reply_header_toggles_it():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Pendlecombe")
        layout = rv.reply_layout
        # Reply 0's header is the first content row, just under the border.
        assert f"#{layout.posts[0].number} · " in region_text(pilot, rv).split("\n")[1]
        await pilot.click(ReplyView, offset=(10, 1))
        await pilot.pause()
        assert layout.collapsed == {0}


async def test_click_on_reply_body_moves_cursor_without_folding():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Pendlecombe")
        layout = rv.reply_layout
        # A line inside reply 1's body (its header row + 2, plus the border row).
        y = layout.row_of(1) + 2 + 1
        await pilot.click(ReplyView, offset=(10, y))
        await pilot.pause()
        assert rv.cursor == 1
        assert layout.collapsed == set()


async def test_mouse_wheel_scrolls_panes(tmp_path):
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = await focus_replies(pilot, "Pendlecombe")
        av = article(pilot)
        assert rv.scroll_y == 0
        await pilot._post_mouse_events([events.MouseScrollDown], ReplyView, (10, 5))
        await pilot.pause()
        assert rv.scroll_y > 0
        down = rv.scroll_y
        await pilot._post_mouse_events([events.MouseScrollUp], ReplyView, (10, 5))
        await pilot.pause()
        assert rv.scroll_y < down
        await go_to_title(pilot, "Riverside")
        assert av.scroll_y == 0
        await pilot._post_mouse_events([events.MouseScrollDown], ArticleView, (10, 5))
        await pilot.pause()
        assert av.scroll_y > 0


# ---------------------------------------------------------------------------- errors and empty


async def test_unparsable_files_stay_listed_marked_with_error_in_article(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_dump(folder / "good.txt", "A perfectly good thread", "someone", ["Hello there."])
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 8 + b"\x00\x00\xff\xfe" * 64)
    async with make_app([str(folder)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert len(tl.rows) == 3
        errors = {Path(r.path).name: r.error for r in tl.rows if r.error}
        assert set(errors) == {"empty.txt", "binary.txt"}, errors
        listed = region_text(pilot, tl)
        assert listed.count("⚠") == 2
        assert "A perfectly good thread" in listed
        for name, error in errors.items():
            index = next(i for i, r in enumerate(tl.rows) if Path(r.path).name == name)
            tl.set_cursor(index)
            await ready(pilot)
            text = article_text(pilot)
            assert text.startswith(f"⚠ {name} could not be read")
            assert error in text
            assert error[:30] in region_text(pilot, article(pilot))
            assert replies(pilot).reply_layout is None
        # Moving back to the good thread shows it again.
        good = next(i for i, r in enumerate(tl.rows) if not r.error)
        tl.set_cursor(good)
        await ready(pilot)
        assert article_text(pilot).startswith("A perfectly good thread")


async def test_failed_thread_does_not_show_stale_reply_count(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    write_dump(
        folder / "good.txt",
        "A good thread",
        "someone",
        ["Hello."],
        [("other", "2023-06-02 #2", "A reply.")],
    )
    (folder / "empty.txt").write_bytes(b"")
    async with make_app([str(folder)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl, rv = threads(pilot), replies(pilot)
        good = next(i for i, r in enumerate(tl.rows) if not r.error)
        tl.set_cursor(good)
        await ready(pilot)
        assert rv.border_title == "Replies (1)"
        tl.set_cursor(1 - good)
        await ready(pilot)
        assert tl.current.error
        assert rv.reply_layout is None
        assert "(1)" not in (rv.border_title or "")


async def test_empty_folder_shows_empty_state(tmp_path):
    folder = tmp_path / "nothing"
    folder.mkdir()
    async with make_app([str(folder)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert tl.rows == [] and tl.current is None
        assert tl.border_title == "Threads 0 · by date ↓"
        text = screen_text(pilot)
        assert "No threads found." in text
        assert "No threads here" in text
        assert "found no thread files" in article_text(pilot)
        # Keys on an empty list do nothing harmful.
        await pilot.press("j", "G", "enter", "s", "right_square_bracket", "J", "minus")
        await pilot.pause()
        assert "No threads here" in screen_text(pilot)


async def test_empty_folder_is_helpful_at_80x24(tmp_path):
    folder = tmp_path / "nothing"
    folder.mkdir()
    async with make_app([str(folder)]).run_test(size=SMALL) as pilot:
        await ready(pilot)
        assert "No threads found." in screen_text(pilot)
        assert "found no thread files" in screen_text(pilot)


def test_missing_path_exits_2_with_one_stderr_line():
    result = subprocess.run(
        [sys.executable, "-m", "threadtui", "/no/such"],
        capture_output=True,
        timeout=30,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 2
    assert result.stdout == b""  # no TUI, no escape sequences
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1, lines
    assert "/no/such" in lines[0]
    assert "\x1b" not in result.stderr.decode()


# ---------------------------------------------------------------------------- small terminal and resize


async def test_80x24_list_full_width_enter_reads_escape_returns():
    async with sample_app().run_test(size=SMALL) as pilot:
        await ready(pilot)
        tl, av = threads(pilot), article(pilot)
        assert tl.region.width == 80
        assert not av.region  # the reader waits behind the list
        await press(pilot, "g", "j")
        await press(pilot, "enter")
        assert tl.parent.display is False and tl.region.width == 0
        assert pilot.app.focused is av
        assert av.region.width == 80
        title = tl.rows[1].title
        assert title[:40] in screen_text(pilot)
        await pilot.press("escape")
        assert tl.parent.display is True and pilot.app.focused is tl
        assert tl.region.width == 80 and tl.cursor == 1
        assert title[:30] in screen_text(pilot)


async def test_resize_switches_layouts():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        screen, tl, av = main_screen(pilot), threads(pilot), article(pilot)
        assert av.region.width > 0
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert tl.region.width == 80 and not av.region
        await pilot.resize_terminal(*BIG)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert av.region.width > 0 and tl.region.width < 80


async def test_narrowing_while_reading_keeps_the_thread_and_its_keys():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        screen, tl, rv = main_screen(pilot), threads(pilot), replies(pilot)
        await press(pilot, "enter", "tab")
        assert pilot.app.focused is rv
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        # The focused pane stays on screen: keys never go to a hidden pane.
        assert screen.has_class("-narrow") and not screen.show_list
        assert pilot.app.focused is rv and rv.region.width == 80
        cursor = rv.cursor
        await press(pilot, "J")
        assert rv.cursor == cursor + 1
        await pilot.resize_terminal(*BIG)
        await pilot.pause()
        # Wide again: the list is back beside the thread, the keys still in the replies.
        assert screen.show_list and tl.region.width > 0 and rv.region.width > 0
        assert pilot.app.focused is rv


async def test_narrowing_from_the_list_shows_the_list():
    async with sample_app().run_test(size=BIG) as pilot:
        await ready(pilot)
        screen, tl = main_screen(pilot), threads(pilot)
        await pilot.resize_terminal(*SMALL)
        await pilot.pause()
        assert screen.show_list and pilot.app.focused is tl and tl.region.width == 80


async def test_j_and_k_walk_the_replies_when_they_all_fit(tmp_path):
    # Folded, the replies fit the pane and nothing scrolls: j always went to the reply
    # after the top one (#2 -> #5, and from #6 back to #5) and k never moved.
    write_nested(tmp_path)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        rv.focus()
        await pilot.press("minus")  # #2 (holding #3 and #4), #5 and #6, all folded
        assert rv.max_scroll_y == 0 and rv.cursor == 0
        seen = []
        for key in ("j", "j", "j", "k", "k", "k", "G", "k", "j"):
            await pilot.press(key)
            seen.append(rv.reply_layout.posts[rv.cursor].number)
        assert seen == [5, 6, 6, 5, 2, 2, 6, 5, 6]
        assert rv.scroll_y == 0


async def test_the_reply_pane_says_where_its_cursor_is_from_the_start(tmp_path):
    # The "#N · k of M" line under the replies was blank after ] or [ until a key moved.
    write_nested(tmp_path / "a")
    write_nested(tmp_path / "b")
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        assert rv.border_subtitle == "#2 · 1 of 5"
        await press(pilot, "right_square_bracket")
        assert rv.border_subtitle == "#2 · 1 of 5"
        rv.focus()
        await pilot.press("J")
        assert rv.border_subtitle == "#3 · 2 of 5"


async def test_replies_wrap_to_the_same_width_on_the_first_opening_and_later(tmp_path):
    # The scrollbar appeared after the first wrap and nothing re-wrapped: the first
    # opening of a long thread was a column wider than every later one.
    folder = tmp_path / "long"
    folder.mkdir()
    for name in ("a", "b"):
        posts = [(f"user{n}", f"Jan 2, 2024 #{n + 2}", "word " * 150) for n in range(30)]
        write_dump(folder / f"{name}.txt", f"Thread {name}", "alice", ["Opening."], posts)
    async with make_app([str(folder)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        first = rv.reply_layout.width  # the highlighted thread, opened at start
        assert rv.show_vertical_scrollbar
        await press(pilot, "right_square_bracket")
        await press(pilot, "left_square_bracket")
        assert rv.reply_layout.width == first
        widest = max(
            line.cell_len for i in range(len(rv.reply_layout)) for line in rv.reply_layout.lines(i)
        )
        assert widest + 1 + 2 * max(rv.reply_layout.depth) <= rv.scrollable_content_region.width


async def test_j_and_k_bring_back_a_cursor_the_wheel_left_behind(tmp_path):
    # After End the cursor is on the last reply; the wheel scrolled to the top, and k
    # walked that unseen cursor up one reply a key while nothing on screen moved.
    folder = tmp_path / "long"
    folder.mkdir()
    posts = [(f"user{n}", f"Jan 2, 2024 #{n + 2}", "word " * 150) for n in range(30)]
    write_dump(folder / "a.txt", "Thread a", "alice", ["Opening."], posts)
    async with make_app([str(folder)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rv = replies(pilot)
        rv.focus()
        await pilot.press("end")
        assert rv.cursor == 29
        rv.scroll_to(y=0, animate=False)  # as the wheel does: the cursor stays put
        await pilot.pause()
        await pilot.press("k")
        assert rv.cursor == 0 and rv._cursor_in_view()
        await pilot.press("home")
        rv.scroll_to(y=rv.max_scroll_y, animate=False)
        await pilot.pause()
        await pilot.press("j")
        assert rv._cursor_in_view() and rv.cursor > 20
