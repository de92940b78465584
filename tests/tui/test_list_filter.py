"""``f`` in the thread list: filter by title and starter as you type (issue 4)."""

from __future__ import annotations

from ui_support import burst, main_screen, ready, threads, write_dump

from threadtui.tui.app import make_app
from threadtui.tui.widgets.filter_bar import FilterBar


def _folder(tmp_path):
    folder = tmp_path / "f"
    folder.mkdir()
    write_dump(folder / "a.txt", "Lantern repair tips", "alice", ["x"])
    write_dump(folder / "b.txt", "Bicycle lights", "Lantern_Larry", ["x"])
    write_dump(folder / "c.txt", "Garden pond", "carol", ["lantern in the body only"])
    write_dump(folder / "d.txt", "Straße names", "dora", ["x"])
    return folder


async def test_f_filters_by_title_and_starter_with_count(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        # Not part of the first frame: mounted when first wanted.
        assert not main_screen(pilot).query(FilterBar)
        await pilot.press("f")
        bar = main_screen(pilot).query_one(FilterBar)
        assert bar.display and app.focused is bar
        await pilot.press(*"lantern")
        await ready(pilot)
        listed = threads(pilot)
        # Title or starter, smart case; the body does not count.
        assert sorted(r.title for r in listed.rows) == ["Bicycle lights", "Lantern repair tips"]
        assert listed.border_title.startswith("Threads 2 of 4 matching")
        # The highlight follows the filtered list and shows that thread.
        assert listed.current is not None and main_screen(pilot).thread_path == listed.current.path
        await pilot.press("enter")
        assert app.focused is listed and bar.display  # the filter stays on, and shows
        await pilot.press("j")
        assert listed.cursor == 1
        await pilot.press("f", "ctrl+u", *"strasse")  # full case folding
        await ready(pilot)
        assert [r.title for r in listed.rows] == ["Straße names"]
        await pilot.press("ctrl+u", *"LANTERN")  # capitals: case-sensitive
        await ready(pilot)
        assert listed.rows == []


async def test_escape_clears_the_filter_and_no_match_says_so(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f", *"zzz")
        await ready(pilot)
        listed = threads(pilot)
        assert listed.rows == [] and listed.border_title.startswith("Threads 0 of 4")
        region = listed.region
        shown = "\n".join(
            strip.text[region.x : region.right]
            for strip in pilot.app.screen._compositor.render_strips()[region.y : region.bottom]
        )
        assert "No thread's title or starter" in shown
        await pilot.press("escape")
        await ready(pilot)
        assert len(listed.rows) == 4 and listed.filter is None
        assert not main_screen(pilot).query_one(FilterBar).display
        assert app.focused is listed


async def test_keys_typed_in_one_burst_with_the_f_reach_the_filter(tmp_path):
    # "f" then a word, fast: the letters arrive before "f" is handled. They used to reach
    # the list as bindings ("s" sorted it) while the filter bar was being mounted.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listed = threads(pilot)
        burst(pilot, "fsgj")
        await ready(pilot)
        bar = main_screen(pilot).query_one(FilterBar)
        assert bar.value == "sgj" and app.focused is bar
        assert listed.sort_key == "date" and listed.filter is not None
        # In the filter bar, f and / are text.
        burst(pilot, "f/")
        await ready(pilot)
        assert bar.value == "sgjf/"
        assert not main_screen(pilot).searching


async def test_escape_in_the_list_drops_a_kept_filter(tmp_path):
    # "Esc clears it", says the list when nothing matches; Esc in the list did nothing.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("f", *"zzz", "enter")
        await ready(pilot)
        listed = threads(pilot)
        assert app.focused is listed and listed.rows == [] and listed.filter is not None
        await pilot.press("escape")
        await ready(pilot)
        assert listed.filter is None and len(listed.rows) == 4
        assert not main_screen(pilot).query_one(FilterBar).display
        assert app.focused is listed


async def test_clearing_a_filter_keeps_the_thread_on_show(tmp_path):
    # Esc on the filter jumped back to the top row and opened another thread.
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listed = threads(pilot)
        await pilot.press("f", *"pond", "enter")
        await ready(pilot)
        assert [r.title for r in listed.rows] == ["Garden pond"]
        shown = main_screen(pilot).thread
        await pilot.press("escape")
        await ready(pilot)
        assert listed.filter is None and len(listed.rows) == 4
        assert listed.current.title == "Garden pond"
        assert main_screen(pilot).thread is shown


async def test_the_filter_marks_what_it_matched_even_past_the_pane_edge(tmp_path):
    folder = _folder(tmp_path)
    long_title = "A very long title about sheds, paths and borders that ends with teapots"
    write_dump(folder / "e.txt", long_title, "erin", ["x"])
    app = make_app([str(folder)])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listed = threads(pilot)
        await pilot.press("f", *"teapot", "enter")
        await ready(pilot)
        assert [r.title for r in listed.rows] == [long_title]
        title_row = listed.render_line(0)
        shown = title_row.text
        assert "teapot" in shown and shown.lstrip().startswith("…")  # cut on the left
        match = listed.get_component_rich_style("threadlist--match")
        marked = "".join(
            seg.text for seg in title_row if seg.style and match.bgcolor == seg.style.bgcolor
        )
        assert marked == "teapot"
        await pilot.press("f", "ctrl+u", *"larry")  # the starter is marked too
        await ready(pilot)
        meta_row = listed.render_line(1)
        marked = "".join(
            seg.text for seg in meta_row if seg.style and match.bgcolor == seg.style.bgcolor
        )
        assert marked.lower() == "larry"


async def test_a_filter_matching_nothing_does_not_lose_the_thread_on_show(tmp_path):
    app = make_app([str(_folder(tmp_path))])
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        listed = threads(pilot)
        below = [r.title for r in listed.rows].index("Garden pond")
        assert below > 0  # not the top row, where a lost highlight would land anyway
        await pilot.press(*["j"] * below)
        await ready(pilot)
        shown = main_screen(pilot).thread
        assert listed.current.title == "Garden pond"
        await pilot.press("f", *"zzzq")  # a typo: nothing matches
        await ready(pilot)
        assert listed.rows == []
        await pilot.press("escape")
        await ready(pilot)
        assert listed.current.title == "Garden pond"
        assert main_screen(pilot).thread is shown
