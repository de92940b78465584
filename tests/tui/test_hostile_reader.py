"""The reader (headless) on hostile, huge and misbehaving input.

What is on screen is read from the compositor (``region_text``), so these
tests see what a user would: literal markup, placeholders, error rows.
The bytes that reach a real terminal are checked in ``test_terminal_bytes.py``.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from hostile_fixtures import BAD_SHOWN, THREADS, write_hostile
from ui_support import (
    NBSP,
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
)

from threadtui.tui.app import make_app

BIG = (120, 40)


async def go_to(pilot, name: str) -> None:
    """Highlight the row of file ``name`` and wait for it to show."""
    tl = threads(pilot)
    index = next(i for i, r in enumerate(tl.rows) if Path(r.path).name == name)
    tl.set_cursor(index)
    await ready(pilot)


def reply_text(pilot) -> str:
    return region_text(pilot, replies(pilot))


# ------------------------------------------------------------------ hostile text on screen


async def test_hostile_threads_show_placeholders_and_literal_markup(tmp_path):
    write_hostile(tmp_path)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert len(tl.rows) == len(THREADS) + 1
        listed = region_text(pilot, tl)
        assert "[bold]Markup[/bold] [link=http://x]title[" in listed  # the list row
        assert "[red]mallory[/] · 2023-05-05" in listed
        assert "⚠ 06-[b]bad[i] ␛]0;evil-name␇.txt" in listed
        assert "CSI ␛[31;5;7mred␛[0m title" in listed
        for thread in THREADS:
            await go_to(pilot, thread.name)
            assert thread.shown in region_text(pilot, article(pilot))
            assert thread.reply_shown in reply_text(pilot)
        # The markup thread: reply header, quote author, folded preview.
        text = reply_text(pilot)
        assert "▾ #2 · [reverse]bob[/reverse] · [link=http://x]re[/link] ␛]0;evil-re␇" in text
        assert "[i]quoter wrote:" in text
        assert "▎ [u]quoted[/u] [" in text
        replies(pilot).focus()
        await press(pilot, "enter")
        assert "▸ #2 · [reverse]bob[/reverse]" in reply_text(pilot)
        # The unreadable file: its name and error, literally.
        await go_to(pilot, "06-[b]bad[i] \x1b]0;evil-name\x07.txt")
        shown = region_text(pilot, article(pilot))
        assert BAD_SHOWN in shown
        assert "binary file, not a text thread" in shown


async def test_palette_shows_hostile_titles_literally(tmp_path):
    write_hostile(tmp_path)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await wait_for(
            pilot, lambda: type(pilot.app.screen).__name__ == "CommandPalette", "the palette"
        )
        await pilot.press(*"markup")
        await wait_for(pilot, lambda: "[bold]Markup[/bold]" in screen_text(pilot), "the hit")
        text = screen_text(pilot)
        assert "[bold]Markup[/bold] [link=http://x]title[/link] [/] [" in text
        assert "[red]mallory[/]" in text  # the hit's help line: author, date, file
        await pilot.press("enter")
        await ready(pilot)
        assert threads(pilot).current.name == "05-markup.json"


# ------------------------------------------------------------------ sizes


async def test_one_megabyte_line_in_the_reader(tmp_path):
    words = "word " * 200_000
    (tmp_path / "long.txt").write_text(f"Long line\n\nalice\n\nalice\n\n{words}\n")
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        av = article(pilot)
        assert sum(line.plain.count("word") for line in av.lines) == 200_000
        av.focus()
        await press(pilot, "G")
        assert av.scroll_y == av.max_scroll_y > 10_000
        assert "word" in region_text(pilot, av)


async def test_100000_nested_quotes_in_the_reply_pane(tmp_path):
    depth = 100_000
    text = (
        "Deep thread\n\nalice\n\nalice\n\nOpening words.\n"
        f"{NBSP}\nbob\nMay 4, 2023 #2\n" + ">" * depth + " the innermost words\n"
        f"{NBSP}\ncarol\nMay 5, 2023 #3\nAfter the deep one.\n"
    )
    (tmp_path / "deep.txt").write_text(text)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot, timeout=20)
        rv = replies(pilot)
        assert len(rv.reply_layout) == 2
        shown = reply_text(pilot)
        assert f"▎{depth} the innermost words" in shown
        assert "#3 · carol" in shown
        rv.focus()
        await press(pilot, "o")  # open the long quotes
        await press(pilot, "G")
        assert "After the deep one." in reply_text(pilot)
        await press(pilot, "minus")
        await press(pilot, "plus")
        assert f"▎{depth} the innermost words" in reply_text(pilot)


async def test_huge_file_is_an_error_row_and_the_rest_loads(tmp_path):
    write_dump(tmp_path / "a.txt", "A normal thread", "alice", ["Hello."])
    with open(tmp_path / "huge.txt", "wb") as handle:
        handle.truncate(2**30)  # sparse
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        rows = {Path(r.path).name: r.error for r in threads(pilot).rows}
        assert rows == {
            "a.txt": None,
            "huge.txt": "file too large (1,024 MiB; the limit is 256 MiB)",
        }
        await go_to(pilot, "huge.txt")
        assert "file too large (1,024 MiB" in region_text(pilot, article(pilot))


def _only_with_m_slow(request: pytest.FixtureRequest) -> None:
    """The slow runs stay out of the default suite (the ``slow`` marker is not deselected there)."""
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("slow: run with -m slow")


@pytest.mark.parametrize(
    "count", [5_000, pytest.param(100_000, marks=pytest.mark.slow, id="100000-slow")]
)
async def test_a_big_folder_loads_and_reports_progress(tmp_path, count, request):
    if count > 5_000:
        _only_with_m_slow(request)
    for i in range(count):
        (tmp_path / f"t{i:06d}.txt").write_bytes(b"Thread %d\n\nposter\n\nposter\n\nHi.\n" % i)
    progress: list[str] = []
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        tl = threads(pilot)

        def done() -> bool:
            if tl.border_subtitle and (not progress or progress[-1] != tl.border_subtitle):
                progress.append(str(tl.border_subtitle))
            return not main_screen(pilot).scanning

        await wait_for(pilot, done, "the scan", timeout=count / 100)
        await ready(pilot)
        assert len(tl.rows) == count
        assert not any(r.error for r in tl.rows)
        # It said what it was doing while it read.
        assert progress and progress[0].startswith("reading ")
        assert progress[0].endswith("%") and f"/{count:,}" in progress[0]
        await press(pilot, "G")
        assert tl.cursor == count - 1


# ------------------------------------------------------------------ the file system under the reader


async def test_vanished_file_shows_a_clear_error_and_the_rest_works(tmp_path):
    write_dump(tmp_path / "a.txt", "Thread A", "alice", ["Alpha."])
    write_dump(tmp_path / "b.txt", "Thread B", "bob", ["Beta."])
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        (tmp_path / "b.txt").unlink()
        await go_to(pilot, "b.txt")
        # The message wraps where the path ends, and the path's length depends on
        # where pytest puts tmp_path: compare words, not lines.
        shown = " ".join(region_text(pilot, article(pilot)).replace("│", " ").split())
        assert "could not be read" in shown
        assert "b.txt: no such file" in shown
        await go_to(pilot, "a.txt")
        assert article_text(pilot).startswith("Thread A")


async def _reselect_after_change(tmp_path, keep_mtime: bool):
    path = write_dump(tmp_path / "a.txt", "Old title", "alice", ["Old body."])
    write_dump(tmp_path / "b.txt", "Other thread", "bob", ["Other body."])
    before = path.stat()
    app = make_app([str(tmp_path)])
    async with app.run_test(size=BIG) as pilot:
        await ready(pilot)
        await go_to(pilot, "a.txt")
        assert "Old body." in article_text(pilot)
        await go_to(pilot, "b.txt")
        write_dump(path, "New, longer title", "alice", ["New body, rewritten."])
        if keep_mtime:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        else:
            os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns + 2 * 10**9))
        await go_to(pilot, "a.txt")
        return article_text(pilot), region_text(pilot, threads(pilot))


async def test_changed_file_shows_new_content_when_reselected(tmp_path):
    text, _ = await _reselect_after_change(tmp_path, keep_mtime=False)
    assert text.startswith("New, longer title")
    assert "New body, rewritten." in text


async def test_changed_file_updates_its_list_row(tmp_path):
    _, listed = await _reselect_after_change(tmp_path, keep_mtime=False)
    assert "New, longer title" in listed


async def test_changed_file_with_the_same_mtime_shows_new_content(tmp_path):
    big = "x " * 200_000  # big enough for the scan to cache it
    path = write_dump(tmp_path / "a.txt", "Old title", "alice", ["Old body.", big])
    write_dump(tmp_path / "b.txt", "Other thread", "bob", ["Other body."])
    before = path.stat()
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        await go_to(pilot, "a.txt")
        await go_to(pilot, "b.txt")
        write_dump(path, "New, longer title", "alice", ["New body, rewritten.", big])
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        await go_to(pilot, "a.txt")
        assert article_text(pilot).startswith("New, longer title")


@pytest.mark.skipif(sys.platform in ("darwin", "win32"), reason="names must be UTF-8 there")
async def test_non_utf8_names_in_the_reader(tmp_path):
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"caf\xe9.txt"), "wb") as handle:
        handle.write(b"Latin-1 named\n\nalice\n\nalice\n\nHello.\n")
    with open(os.path.join(folder, b"broken \xff.txt"), "wb") as handle:
        handle.write(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
        await ready(pilot)
        listed = region_text(pilot, threads(pilot))
        assert "Latin-1 named" in listed
        assert "⚠ broken ⟨0xFF⟩.txt" in listed
        await go_to(pilot, os.fsdecode(b"broken \xff.txt"))
        shown = region_text(pilot, article(pilot))
        assert "⚠ broken ⟨0xFF⟩.txt could not be read" in shown
        assert "⟨0xFF⟩.txt: binary file, not a text thread" in shown  # the path may wrap
        await go_to(pilot, os.fsdecode(b"caf\xe9.txt"))
        assert article_text(pilot).startswith("Latin-1 named")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
async def test_fifo_and_loops_in_the_folder_do_not_stop_the_reader(tmp_path):
    write_dump(tmp_path / "a.txt", "Thread A", "alice", ["Alpha."])
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "loop").symlink_to(tmp_path, target_is_directory=True)
    (tmp_path / "self.txt").symlink_to(tmp_path / "self.txt")
    try:
        async with make_app([str(tmp_path)]).run_test(size=BIG) as pilot:
            await ready(pilot)
            rows = {Path(r.path).name: r.error for r in threads(pilot).rows}
            # The folder loop is walked once; the link to itself is an error row.
            assert rows == {"a.txt": None, "self.txt": "symbolic link loop"}
            await go_to(pilot, "a.txt")
            assert article_text(pilot).startswith("Thread A")
    finally:
        try:  # free a reader that did block on the FIFO, so the test can end
            os.close(os.open(tmp_path / "pipe.txt", os.O_WRONLY | os.O_NONBLOCK))
        except OSError:
            pass
