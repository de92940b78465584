"""Search within a thread, in the reader (issue 4): Pilot tests asserting real state."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input
from ui_support import article, burst, main_screen, ready, replies, threads, wait_for

from threadtui.model import Paragraph, Post, Quote, Thread, thread_to_json
from threadtui.search import ARTICLE, ThreadIndex, compile_query
from threadtui.search.thread_index import SearchResult
from threadtui.tui.app import make_app
from threadtui.tui.widgets.search_bar import SearchBar

MATCH = "#000000 on #ffd75f"
CURRENT = "bold #ffffff on #d7005f"


def _thread() -> Thread:
    """A thread with 'lantern' in the title, the article, nested replies and a long quote."""
    long_quote = Quote(
        author="quoter",
        blocks=tuple(
            Paragraph(f"quoted line {n}" + (" lantern" if n == 8 else "")) for n in range(1, 10)
        ),
    )
    return Thread(
        title="The Lantern thread",
        article=Post(
            number=1, author="opener", blocks=(Paragraph("A lantern, and another LANTERN."),)
        ),
        replies=(
            Post(
                number=2,
                author="alpha",
                blocks=(Paragraph("No match here."),),
                replies=(
                    Post(
                        number=3,
                        author="beta",
                        blocks=(Paragraph("A lantern in a child."),),
                        replies=(
                            Post(
                                number=4, author="gamma", blocks=(Paragraph("lanterns grandchild"),)
                            ),
                        ),
                    ),
                ),
            ),
            Post(number=5, author="delta", blocks=(Paragraph("Nothing."),)),
            Post(number=6, author="epsilon", blocks=(long_quote, Paragraph("After the quote."))),
            Post(number=7, author="zeta", blocks=(Paragraph("Last lantern."),)),
        ),
    )


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "threads"
    folder.mkdir()
    (folder / "lantern.json").write_text(json.dumps(thread_to_json(_thread())), encoding="utf-8")
    return folder


def _bar(pilot) -> SearchBar:
    return main_screen(pilot).query_one(SearchBar)


def _status(pilot) -> str:
    return str(_bar(pilot).query_one("#search-status").render())


async def _search(pilot, text: str) -> None:
    await pilot.press("slash")
    await pilot.press(*text)
    await _settle(pilot)


async def _settle(pilot) -> None:
    screen = main_screen(pilot)
    await wait_for(
        pilot,
        lambda: screen.search.query is None or screen.search.result is not None,
        "the search to finish",
    )
    await ready(pilot)


def _styled(lines, style: str) -> list[str]:
    return [line.plain[s.start : s.end] for line in lines for s in line.spans if s.style == style]


def _reply_lines(pilot, index: int):
    layout = replies(pilot).reply_layout
    assert layout is not None
    return layout.lines(index)


async def test_slash_opens_the_bar_and_typing_highlights_and_counts(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert not _bar(pilot).display
        await _search(pilot, "lantern")
        assert _bar(pilot).display
        assert isinstance(app.focused, Input) and app.focused.id == "search-input"
        expected = len(ThreadIndex(_thread()).search(compile_query("lantern")))
        assert expected == 7
        assert _status(pilot).startswith(f"1/{expected}")
        # Every visible article match is marked, the first (in the title) as current.
        marked = _styled(article(pilot).lines, MATCH) + _styled(article(pilot).lines, CURRENT)
        assert sorted(m.lower() for m in marked) == ["lantern"] * 3
        assert _styled(article(pilot).lines, CURRENT) == ["Lantern"]


async def test_typing_marks_the_panes_in_the_same_step_and_counts_after(tmp_path):
    # The highlights must be set while the keystroke is handled (so the frame showing the
    # typed character shows them too); the count comes from a worker afterwards.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "x")  # the bar is open and the index built
        screen = main_screen(pilot)
        field = _bar(pilot).query_one(Input)
        field.value = "lantern"  # no await: nothing else has run since
        layout = replies(pilot).reply_layout
        assert layout is not None and layout.highlight is not None
        assert layout.highlight.query.text == "lantern"
        assert screen.search.query is not None and screen.search.query.text == "lantern"
        assert _styled(article(pilot).lines, MATCH)  # the article is re-marked already
        assert screen.search.result is None and _status(pilot) == "searching…"
        await _settle(pilot)
        assert _status(pilot).startswith("1/7")
        # The same status again is not redrawn; a new one is.
        bar = _bar(pilot)
        label = bar.query_one("#search-status")
        before = label.render()
        bar.set_status(_status(pilot))
        assert label.render() is before
        bar.set_status("no matches")
        assert str(label.render()) == "no matches" and label.has_class("-none")


async def test_ctrl_f_opens_the_bar_too(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+f")
        assert _bar(pilot).display and app.focused is _bar(pilot).query_one(Input)


async def test_smart_case(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "LANTERN")
        assert _status(pilot) == "1/1"
        await pilot.press("ctrl+u", *"lantern")
        await _settle(pilot)
        assert _status(pilot).startswith("1/7")


async def test_enter_and_n_step_forward_N_back_with_wrap_notice(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        screen = main_screen(pilot)
        assert screen.search.current == 0
        await pilot.press("enter")
        assert screen.search.current == 1
        await pilot.press("tab")  # out of the bar: n and N are plain keys now
        assert not isinstance(app.focused, Input)
        await pilot.press("n")
        assert screen.search.current == 2
        await pilot.press("N", "N")
        assert _status(pilot) == "1/7"
        await pilot.press("N")
        assert screen.search.current == 6  # wrapped round backwards
        assert _status(pilot) == "7/7 · wrapped to the bottom"
        await pilot.press("n")
        assert screen.search.current == 0
        assert _status(pilot) == "1/7 · wrapped to the top"
        await pilot.press("n")
        assert _status(pilot) == "2/7"  # the note goes with the next step
        # Said in the bar, not in a toast over it (the bar is the last row above the footer).
        assert not app._notifications


async def test_n_laps_visit_every_match_once(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        screen = main_screen(pilot)
        result = screen.search.result
        assert result is not None
        seen = []
        for _ in range(len(result)):
            hit = result.hit(screen.search.current)
            seen.append((hit.location, hit.field, hit.start))
            # The current match is the one drawn in the current style.
            lines = (
                article(pilot).lines
                if hit.location == ARTICLE
                else _reply_lines(pilot, hit.location)
            )
            assert len(_styled(lines, CURRENT)) == 1
            await pilot.press("enter")
        assert len(set(seen)) == len(result) == 7
        assert screen.search.current == 0  # one lap closes where it began


async def test_match_in_folded_reply_unfolds_only_its_path(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = replies(pilot)
        view.focus()
        await pilot.press("minus")  # fold every reply
        layout = view.reply_layout
        assert layout is not None and layout.collapsed == set(range(len(layout)))
        await _search(pilot, "lantern")
        # Searching from the reply cursor (#2): the first match after it is in #3,
        # a child of #2. Its path (#2 and #3) opened; every other reply is still folded.
        hit = main_screen(pilot).search.result.hit(3)
        assert hit.location == 1
        assert _status(pilot) == "4/7 · 3 in folded replies"
        assert view.cursor == 1
        assert layout.collapsed == set(range(len(layout))) - {0, 1}
        row = layout.row_of(1)
        assert view.scroll_y <= row < view.scroll_y + view.scrollable_content_region.height
        # The next match is in #4, #3's folded child: only it opens in addition.
        await pilot.press("enter")
        assert layout.collapsed == set(range(len(layout))) - {0, 1, 2}
        assert _status(pilot) == "5/7 · 2 in folded replies"


async def test_match_in_folded_quote_opens_that_quote(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        layout = replies(pilot).reply_layout
        assert layout is not None and 4 not in layout.open_quotes
        screen = main_screen(pilot)
        while screen.search.result.hit(screen.search.current).location != 4:
            await pilot.press("enter")
        assert 4 in layout.open_quotes
        assert _styled(layout.lines(4), CURRENT) == ["lantern"]
        assert replies(pilot).cursor == 4


async def test_regex_and_word_toggles_and_a_bad_regex(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        assert _status(pilot).startswith("1/7")
        await pilot.press("ctrl+t")  # whole word: 'lanterns' no longer counts
        await _settle(pilot)
        assert _bar(pilot).whole_word and _bar(pilot).query_one("#toggle-word").has_class("-on")
        assert _status(pilot).startswith("1/6")
        await pilot.press("ctrl+t", "ctrl+r", "ctrl+u", *"lant(ern")
        await _settle(pilot)
        assert _bar(pilot).is_regex
        assert _status(pilot).startswith("bad regular expression")
        assert _bar(pilot).query_one("#search-status").has_class("-error")
        assert not _styled(article(pilot).lines, MATCH)
        await pilot.press("ctrl+u", *"lan.ern")
        await _settle(pilot)
        assert _status(pilot).startswith("1/7")
        # A click on a toggle works as the key does.
        await pilot.click("#toggle-regex")
        await _settle(pilot)
        assert not _bar(pilot).is_regex and _status(pilot) == "no matches"


async def test_escape_closes_clears_highlights_and_leaves_cursor_at_match(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        for _ in range(6):
            await pilot.press("enter")  # the last match, in reply #7
        await pilot.press("escape")
        assert not _bar(pilot).display
        assert app.focused is replies(pilot)
        assert replies(pilot).cursor == 5
        assert not _styled(article(pilot).lines, MATCH)
        assert not _styled(_reply_lines(pilot, 5), CURRENT)


async def test_up_and_down_recall_earlier_queries(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "alpha")
        await pilot.press("enter", "ctrl+u", *"beta", "enter", "ctrl+u", *"gam")
        field = _bar(pilot).query_one(Input)
        await pilot.press("up")
        assert field.value == "beta"
        await pilot.press("up")
        assert field.value == "alpha"
        await pilot.press("down", "down")
        assert field.value == "gam"


async def test_n_with_the_bar_closed_repeats_the_last_search(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("n")
        assert any("press /" in n.message for n in app._notifications)
        await _search(pilot, "lantern")
        await pilot.press("enter", "enter")
        assert _status(pilot) == "3/7"
        await pilot.press("escape")
        assert not _bar(pilot).display
        # As in less: n goes on from the match that was current, not from the cursor.
        await pilot.press("n")
        await _settle(pilot)
        assert _bar(pilot).display and _status(pilot) == "4/7"
        assert not isinstance(app.focused, Input)
        await pilot.press("escape", "N")
        await _settle(pilot)
        assert _status(pilot) == "3/7"
        await pilot.press("escape")
        await _search(pilot, "zeta")  # a single match: n comes back to it, and says so
        await pilot.press("escape", "n")
        await _settle(pilot)
        assert _status(pilot) == "1/1 · wrapped to the top"


async def test_search_follows_to_another_thread(tmp_path):
    folder = _folder(tmp_path)
    other = Thread(
        title="Another thread",
        article=Post(number=1, author="x", blocks=(Paragraph("one lantern only"),)),
        date="1999-01-01",
    )
    (folder / "other.json").write_text(json.dumps(thread_to_json(other)), encoding="utf-8")
    app = make_app([str(folder)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        counts = {"other.json": "1/1", "lantern.json": "1/7"}
        first = Path(main_screen(pilot).thread_path).name
        await _search(pilot, "lantern")
        assert _status(pilot) == counts[first]
        await pilot.press("tab")
        await pilot.press("right_square_bracket")
        await ready(pilot)
        await _settle(pilot)
        second = Path(main_screen(pilot).thread_path).name
        assert second != first
        assert _status(pilot) == counts[second]


async def test_a_looping_regex_shows_an_error_and_the_reader_stays_usable(tmp_path, monkeypatch):
    from threadtui.search import query as query_module
    from threadtui.view import marks

    # The regex module runs for ever on this pattern against "ǰx"; shorten the limits.
    monkeypatch.setattr(query_module, "FIELD_TIMEOUT", 0.02)
    monkeypatch.setattr(ThreadIndex, "CHUNK_TIMEOUT", 0.1)
    monkeypatch.setattr(marks, "_TIMED_OUT", set())
    folder = tmp_path / "threads"
    folder.mkdir()
    thread = Thread(
        title="Caron", article=Post(number=1, blocks=(Paragraph("ǰx and a lantern"),)), replies=()
    )
    (folder / "caron.json").write_text(json.dumps(thread_to_json(thread)), encoding="utf-8")
    app = make_app([str(folder)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash", "ctrl+r")
        _bar(pilot).query_one(Input).value = r"(?fi)\w?J\u030c"
        await wait_for(pilot, lambda: "too long" in _status(pilot), "the timeout in the bar")
        assert _bar(pilot).query_one("#search-status").has_class("-error")
        assert not _styled(article(pilot).lines, MATCH)
        # The next query searches as usual.
        await pilot.press("ctrl+r", "ctrl+u", *"lantern")
        await _settle(pilot)
        assert _status(pilot).startswith("1/1")


async def test_slash_while_the_thread_is_still_being_read_searches_it_when_it_arrives(
    tmp_path, monkeypatch
):
    import threading

    from threadtui.tui import background

    folder = _folder(tmp_path)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 not a thread \xff" * 40)
    app = make_app([str(folder)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        screen = main_screen(pilot)
        listed = screen.query_one("ThreadList")
        broken = next(i for i, row in enumerate(listed.rows) if row.error)
        good = 1 - broken
        listed.set_cursor(broken)
        await ready(pilot)
        assert screen.thread is None
        # Reading the good thread now takes until the test says so.
        release = threading.Event()
        real = background.read_thread
        monkeypatch.setattr(
            background, "read_thread", lambda *a, **k: release.wait(10) and real(*a, **k)
        )
        listed.set_cursor(good)
        await pilot.press("slash", *"lantern")
        assert screen.thread is None, "the thread was meant to be still loading"
        assert screen.searching and _bar(pilot).text == "lantern"
        assert not app._notifications, "the bar refused a thread that was on its way"
        release.set()
        await wait_for(pilot, lambda: screen.thread is not None, "the thread to arrive")
        await _settle(pilot)
        assert _status(pilot) == "1/7"
        # Back on the unreadable one, the bar says there is nothing to search.
        listed.set_cursor(broken)
        await ready(pilot)
        assert _status(pilot) == "nothing to search here"


async def test_keys_typed_in_one_burst_with_the_slash_reach_the_bar(tmp_path):
    # A paste of "/lantern", or fast typing: every key arrives before "/" is handled.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listed = threads(pilot)
        sort_before, cursor_before = listed.sort_key, listed.cursor
        burst(pilot, "/lantern")
        await _settle(pilot)
        assert _bar(pilot).text == "lantern"
        assert app.focused is _bar(pilot).query_one(Input)
        assert _status(pilot).startswith("1/7")
        # None of the typed letters reached the list as a binding (s sorts, j/k move).
        assert (listed.sort_key, listed.cursor) == (sort_before, cursor_before)
        # A slash typed in the bar is text, not a new search.
        burst(pilot, "/x")
        await _settle(pilot)
        assert _bar(pilot).text == "lantern/x"


@pytest.mark.parametrize("tally_from", [2000, 0])
async def test_folding_with_the_bar_open_updates_the_folded_count(
    tmp_path, monkeypatch, tally_from
):
    # 0: every fold count reads the per-reply tally the search worker builds (the path a
    # thread of thousands of replies takes), 2000: each folded reply's bounds are ranked.
    monkeypatch.setattr(SearchResult, "TALLY_FROM", tally_from)
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        assert _status(pilot) == "1/7"
        view = replies(pilot)
        view.focus()  # the bar stays open
        await pilot.pause()
        assert app.focused is view
        await pilot.press("minus")  # fold every reply: #3 and #4 under #2, #6's quote, #7
        await wait_for(pilot, lambda: "folded" in _status(pilot) and "…" not in _status(pilot))
        assert _status(pilot) == "1/7 · 4 in folded replies"
        await pilot.press("enter")  # unfold #2: its child #3 shows folded (its header only)
        assert _status(pilot) == "1/7 · 4 in folded replies"
        await pilot.press("plus")
        assert _status(pilot) == "1/7"


async def test_slash_from_the_list_on_a_narrow_terminal_focuses_the_bar(tmp_path):
    # Narrow: "/" folds the list away, which moved the focus to the article after the
    # bar had it, so the typed letters ran as commands ("r" hid the replies).
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        assert app.focused is threads(pilot)
        await pilot.press("slash", *"lantern")
        await _settle(pilot)
        screen = main_screen(pilot)
        assert not screen.show_list and screen.show_replies
        assert app.focused is _bar(pilot).query_one(Input)
        assert _bar(pilot).text == "lantern" and _status(pilot).startswith("1/7")


async def test_tab_in_the_bar_goes_to_the_pane_of_the_current_match(tmp_path):
    # It went on to the thread list, where j opened another thread.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        assert _status(pilot) == "1/7"  # the title: in the article
        await pilot.press("tab")
        assert app.focused is article(pilot) and _bar(pilot).display
        await pilot.press("n", "n", "n")  # #3, in the replies
        await pilot.press("slash", "tab")
        assert app.focused is replies(pilot) and _status(pilot) == "4/7"


async def test_filling_in_the_query_the_bar_holds_searches_it_again(tmp_path):
    # The folder search fills in its query; when the bar holds that text already, no
    # keystroke reports it, yet the toggles (and the pick of the hit) need a new search.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await _search(pilot, "lantern")
        screen = main_screen(pilot)
        assert _status(pilot) == "1/7"
        generation = screen.search.generation
        _bar(pilot).set_query("lantern", is_regex=False, whole_word=True)
        assert screen.search.generation == generation + 1  # searched once, at once
        await _settle(pilot)
        assert _status(pilot) == "1/6"  # 'lanterns' is not a whole word
        _bar(pilot).set_query("lantern", is_regex=False, whole_word=True)
        assert screen.search.generation == generation + 2
        await _settle(pilot)
        assert _status(pilot) == "1/6"
