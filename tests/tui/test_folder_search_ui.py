"""F: search every thread of the folder, then open a hit at its match (issue 4)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input
from ui_support import (
    SAMPLES,
    article,
    burst,
    main_screen,
    ready,
    region_text,
    replies,
    threads,
    wait_for,
    write_dump,
)

from threadtui.search import ARTICLE, ThreadIndex, compile_query
from threadtui.search.hits import FolderHit
from threadtui.tui.app import make_app
from threadtui.tui.screens.folder_search import FolderSearchScreen
from threadtui.tui.widgets.hit_list import HitList
from threadtui.tui.widgets.search_bar import SearchBar

CURRENT = "bold #ffffff on #d7005f"


def _modal(pilot) -> FolderSearchScreen:
    screen = pilot.app.screen
    assert isinstance(screen, FolderSearchScreen)
    return screen


async def _folder_search(pilot, text: str) -> FolderSearchScreen:
    await pilot.press("F")
    modal = _modal(pilot)
    await pilot.press(*text)
    await wait_for(
        pilot,
        lambda: str(modal.query_one("#folder-status").render()).startswith(
            ("no matches", "1", "2", "3", "4", "5", "6", "7", "8", "9")
        ),
        "the folder search to finish",
    )
    return modal


def _expected_hits(query_text: str) -> list[tuple[str, int]]:
    """(file name, location) of every match in every sample, by the in-thread search."""
    from threadtui.parsing import parse_path

    query = compile_query(query_text)
    out = []
    for path in sorted(SAMPLES.iterdir()):
        result = ThreadIndex(parse_path(str(path))).search(query)
        out.extend((path.name, result.hit(k).location) for k in range(len(result)))
    return out


async def test_F_lists_every_hit_of_every_thread(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        modal = await _folder_search(pilot, "cable")
        hits = modal.query_one(HitList)
        found = [(Path(h.path).name, h.location) for h in hits.rows if isinstance(h, FolderHit)]
        assert sorted(found) == sorted(_expected_hits("cable"))
        threads_hit = len({name for name, _ in found})
        assert str(modal.query_one("#folder-status").render()).startswith(
            f"{len(found)} matches in {threads_hit} of 13 threads"
        )
        # Each row: the thread title and post, then the line with the match marked.
        first = hits.rows[0]
        assert isinstance(first, FolderHit)
        assert first.line[first.line_start : first.line_end].lower() == "cable"


async def test_enter_opens_the_thread_at_that_match_highlighted(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        modal = await _folder_search(pilot, "cable")
        hits = modal.query_one(HitList)
        target = next(
            k for k, h in enumerate(hits.rows) if isinstance(h, FolderHit) and h.location != ARTICLE
        )
        chosen = hits.rows[target]
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        screen = main_screen(pilot)
        await wait_for(
            pilot,
            lambda: screen.thread_path == chosen.path and screen.search.current is not None,
            "the hit to open",
        )
        await ready(pilot)
        assert isinstance(pilot.app.screen, type(screen))
        assert screen.query_one(SearchBar).display
        assert screen.query_one(SearchBar).text == "cable"
        current = screen.search.result.hit(screen.search.current)
        assert (current.location, current.field, current.start) == (
            chosen.location,
            chosen.hit.field,
            chosen.hit.start,
        )
        assert pilot.app.focused is replies(pilot) and replies(pilot).cursor == chosen.location
        lines = replies(pilot).reply_layout.lines(chosen.location)
        assert [ln.plain[s.start : s.end] for ln in lines for s in ln.spans if s.style == CURRENT]
        assert threads(pilot).current.path == chosen.path


async def test_escape_closes_and_a_bad_regex_is_reported(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("F")
        modal = _modal(pilot)
        assert pilot.app.focused is modal.query_one(Input)
        await pilot.press("ctrl+r", *"ca(ble")
        await pilot.pause()
        status = modal.query_one("#folder-status")
        assert str(status.render()).startswith("bad regular expression") and status.has_class(
            "-error"
        )
        assert not modal.query_one(HitList).rows
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(pilot.app.screen, FolderSearchScreen)
        assert article(pilot).thread is not None


async def test_palette_offers_search_all_threads(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p", *"search all threads")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, FolderSearchScreen), "the folder search"
        )


async def test_a_match_far_along_its_line_is_shown(tmp_path):
    """The hit's line is cut on the left, not the right, when the match lies past the pane."""
    words = " ".join(f"word{k}" for k in range(40))  # ~270 characters before the match
    write_dump(tmp_path / "a.txt", "Far along", "alice", [f"{words} zebracrossing ends here."])
    async with make_app([str(tmp_path)]).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        modal = await _folder_search(pilot, "zebracrossing")
        hits = modal.query_one(HitList)
        (hit,) = hits.rows
        assert isinstance(hit, FolderHit) and hit.line_start > hits.size.width
        shown = region_text(pilot, hits).splitlines()[1]
        assert "…" in shown and "zebracrossing ends here." in shown


async def test_keys_typed_in_one_burst_with_the_F_reach_the_query(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        burst(pilot, "Flanes")
        await wait_for(
            pilot, lambda: isinstance(pilot.app.screen, FolderSearchScreen), "the folder search"
        )
        modal = _modal(pilot)
        field = modal.query_one("#folder-query", Input)
        await wait_for(pilot, lambda: field.value == "lanes", "the typed query")
        assert pilot.app.focused is field


async def _open_first_reply_hit(pilot, text: str) -> FolderHit:
    """F, ``text``, then Enter on the first hit inside a reply of the open thread."""
    screen = main_screen(pilot)
    modal = await _folder_search(pilot, text)
    hits = modal.query_one(HitList)
    target = next(
        k
        for k, h in enumerate(hits.rows)
        if isinstance(h, FolderHit) and h.path == screen.thread_path and h.location != ARTICLE
    )
    for _ in range(target):
        await pilot.press("down")
    await pilot.press("enter")
    return hits.rows[target]


async def test_a_hit_in_the_open_thread_is_searched_there_before_any_slash(tmp_path):
    # The open thread had no search index yet (/ never pressed): the bar stayed on
    # "indexing…" for ever, no match was current and the keys stayed on the list.
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main_screen(pilot)
        opened = screen.thread_path
        chosen = await _open_first_reply_hit(pilot, "the")
        await wait_for(pilot, lambda: screen.search.current is not None, "the hit to open")
        await ready(pilot)
        assert screen.thread_path == opened
        current = screen.search.result.hit(screen.search.current)
        assert (current.location, current.field, current.start) == (
            chosen.location,
            chosen.hit.field,
            chosen.hit.start,
        )
        status = str(screen.query_one(SearchBar).query_one("#search-status").render())
        assert status.startswith(f"{screen.search.current + 1}/")
        assert pilot.app.focused is replies(pilot)


async def test_a_hit_opened_on_a_narrow_terminal_shows_the_thread(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = main_screen(pilot)
        await _open_first_reply_hit(pilot, "the")
        await wait_for(pilot, lambda: screen.search.current is not None, "the hit to open")
        await ready(pilot)
        # The list gave way to the thread: the pane with the keys is on screen.
        assert not screen.show_list and not threads(pilot).region
        assert pilot.app.focused is replies(pilot) and replies(pilot).region
        assert screen.query_one(SearchBar).region


async def test_page_keys_in_the_query_box_move_through_the_hits(tmp_path):
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        modal = await _folder_search(pilot, "the")
        hits = modal.query_one(HitList)
        field = modal.query_one("#folder-query", Input)
        assert pilot.app.focused is field and hits.cursor == 0 and len(hits.rows) > 40
        await pilot.press("pagedown")
        assert hits.cursor > 5 and pilot.app.focused is field
        await pilot.press("ctrl+end")
        assert hits.cursor == len(hits.rows) - 1
        await pilot.press("pageup", "ctrl+home")
        assert hits.cursor == 0 and field.value == "the"


async def test_escape_right_after_a_narrow_hit_keeps_the_keys_on_the_thread(tmp_path, monkeypatch):
    # The focus Esc returns to was taken before the list folded away: Esc before the hit's
    # thread was searched (a big one is still indexing) put the keys on the hidden list,
    # where j and k opened other threads behind the article.
    from threadtui.tui.screens.main import MainScreen

    monkeypatch.setattr(MainScreen, "run_search", lambda *args: None)  # never done
    app = make_app([str(SAMPLES)])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        screen = main_screen(pilot)
        assert pilot.app.focused is threads(pilot)
        modal = await _folder_search(pilot, "the")
        hits = modal.query_one(HitList)
        target = next(
            k
            for k, h in enumerate(hits.rows)
            if isinstance(h, FolderHit) and h.path != screen.thread_path
        )
        for _ in range(target):
            await pilot.press("down")
        await pilot.press("enter")
        await ready(pilot)
        assert screen.search.current is None and not screen.show_list
        await pilot.press("escape")
        assert pilot.app.focused is not threads(pilot) and pilot.app.focused.region
