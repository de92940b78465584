"""The in-thread search's state machine, without Textual: every state, and stale reports.

The index, the results and the fold layout are the real ones; only the screen is
played by the test (it does what each Update says: runs the count, feeds it back).
"""

from __future__ import annotations

import pytest

from threadtui.model import Paragraph, Post, Quote, Thread
from threadtui.search import ARTICLE, ThreadIndex, compile_query
from threadtui.search.session import QueryText
from threadtui.search.thread_index import SearchResult
from threadtui.tui.controllers.thread_search import (
    KEEP,
    NOTHING_TO_SEARCH,
    Count,
    CountLine,
    Phase,
    Status,
    ThreadSearch,
    Update,
)
from threadtui.view.marks import Highlight
from threadtui.view.render import PLAIN
from threadtui.view.reply_layout import ReplyLayout

A, B = "a.json", "b.json"


def _thread() -> Thread:
    """'lantern' 7 times: title, article (1), #3, #4 (under #2), #6's quote, #7."""
    quote = Quote(
        author="quoter",
        blocks=tuple(
            Paragraph(f"quoted line {n}" + (" lantern" if n == 8 else "")) for n in range(1, 10)
        ),
    )
    return Thread(
        title="The Lantern thread",
        article=Post(number=1, author="opener", blocks=(Paragraph("A lantern, and LANTERN."),)),
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
                        replies=(Post(number=4, author="gamma", blocks=(Paragraph("lanterns"),)),),
                    ),
                ),
            ),
            Post(number=5, author="delta", blocks=(Paragraph("Nothing."),)),
            Post(number=6, author="epsilon", blocks=(quote, Paragraph("After the quote."))),
            Post(number=7, author="zeta", blocks=(Paragraph("Last lantern."),)),
        ),
    )


def _other() -> Thread:
    return Thread(
        title="Another thread",
        article=Post(number=1, author="x", blocks=(Paragraph("one lantern only"),)),
    )


INDEXES = {A: ThreadIndex(_thread()), B: ThreadIndex(_other())}


def _count(order: Count | None) -> SearchResult:
    """What the count worker finds for ``order``."""
    assert order is not None
    result = order.index.search(order.query)
    assert result is not None
    return result


def _ready(search: ThreadSearch, path: str, text: str = "lantern") -> Update:
    """Open the bar on ``path`` (shown, indexed), type ``text``, count it: the READY update."""
    search.thread_shown(path)
    assert search.open(ARTICLE).build_index == path
    search.index_ready(path, INDEXES[path])
    typed = search.query_changed(QueryText(text))
    assert typed.count_after_frame == search.generation
    order = search.frame_drawn(search.generation).count
    assert order is not None
    return search.result_arrived(path, order.generation, _count(order))


def _counted(search: ThreadSearch, path: str) -> Update:
    """The frame is drawn, the count runs, its result arrives: that update."""
    order = search.frame_drawn(search.generation).count
    return search.result_arrived(path, search.generation, _count(order))


def _status(search: ThreadSearch, update: Update, folds: ReplyLayout | None = None) -> Status:
    """The status the screen shows for ``update`` (a count line made as the screen does)."""
    status = update.status
    if isinstance(status, CountLine):
        return search.count_status(folds, status.note)
    assert status is not None
    return status


def test_it_starts_closed_and_a_closed_bar_only_keeps_its_text() -> None:
    search = ThreadSearch()
    assert search.phase is Phase.CLOSED and not search.is_open
    assert search.thread_shown(A) == Update()  # no index until the bar opens
    assert search.query_changed(QueryText("lantern")) == Update()
    assert search.query is None and search.text == QueryText("lantern")
    assert search.step(1) == Update() and search.folds_changed() == Update()
    assert search.result is None and search.current is None and search.current_hit() is None


def test_opening_with_nothing_typed_is_empty_and_builds_the_index_once() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    update = search.open(ARTICLE)
    assert search.phase is Phase.EMPTY and search.is_open
    assert update == Update(build_index=A)  # no status: the bar says what it said
    assert search.open(ARTICLE) == Update()  # open already, index on its way
    search.index_ready(A, INDEXES[A])
    assert search.phase is Phase.EMPTY  # nothing to count


def test_opening_before_any_thread_is_shown_waits_for_one() -> None:
    search = ThreadSearch()
    assert search.open(ARTICLE) == Update()
    update = search.query_changed(QueryText("lantern"))
    assert search.phase is Phase.INDEXING and update.build_index is None
    update = search.thread_shown(A)  # it arrived: indexed, then searched
    assert update.build_index == A and search.phase is Phase.INDEXING


def test_a_query_typed_before_the_index_is_built_is_counted_when_it_is() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(ARTICLE)
    update = search.query_changed(QueryText("lantern"))
    assert search.phase is Phase.INDEXING
    assert search.query is not None and search.query.text == "lantern"
    assert update.cancel_count and update.status == Status("indexing…")
    assert update.highlight == Highlight(search.query)  # marked at once, before the count
    assert update.count is None and update.count_after_frame is None
    update = search.index_ready(A, INDEXES[A])
    assert search.phase is Phase.COUNTING
    assert update.count == Count(INDEXES[A], search.query, search.generation, A)
    update = search.result_arrived(A, search.generation, _count(update.count))
    assert search.phase is Phase.READY and search.current == 0
    assert update.show == search.current_hit() and update.show.location == ARTICLE
    assert update.highlight == Highlight(search.query, current=update.show)
    assert _status(search, update) == Status("1/7")


def test_with_the_index_there_the_count_starts_after_the_frame() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(ARTICLE)
    search.index_ready(A, INDEXES[A])
    update = search.query_changed(QueryText("lantern"))
    assert search.phase is Phase.COUNTING
    assert update.status == Status("searching…") and update.count is None
    assert update.count_after_frame == search.generation
    order = search.frame_drawn(search.generation).count
    assert order is not None and order.path == A and order.generation == search.generation


def test_only_the_last_query_of_a_burst_is_counted() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(ARTICLE)
    search.index_ready(A, INDEXES[A])
    first = search.query_changed(QueryText("l")).count_after_frame
    last = search.query_changed(QueryText("la")).count_after_frame
    assert first is not None and last == first + 1
    assert search.frame_drawn(first) == Update()  # the frame after both keys
    assert search.frame_drawn(last).count is not None


def test_a_result_for_an_older_query_is_dropped() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(ARTICLE)
    search.index_ready(A, INDEXES[A])
    search.query_changed(QueryText("lantern"))
    old = search.frame_drawn(search.generation).count
    search.query_changed(QueryText("zeta"))
    assert search.result_arrived(A, old.generation, _count(old)) == Update()
    assert search.phase is Phase.COUNTING and search.result is None
    assert search.search_failed(A, old.generation, "too long") == Update()
    assert search.phase is Phase.COUNTING


def test_a_result_for_a_thread_no_longer_shown_is_dropped() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.query_changed(QueryText("lant"))
    order = search.frame_drawn(search.generation).count
    # The thread failed to read again: the generation stays, the thread is gone.
    search.thread_lost()
    assert search.result_arrived(A, order.generation, _count(order)) == Update()
    assert search.search_failed(A, order.generation, "too long") == Update()
    assert search.phase is Phase.ERROR and search.result is None
    # Another thread is shown: the older one's index is no use.
    search.thread_shown(B)
    assert search.index_ready(A, INDEXES[A]) == Update()
    assert search.phase is Phase.INDEXING
    update = search.index_ready(B, INDEXES[B])
    update = search.result_arrived(B, search.generation, _count(update.count))
    assert _status(search, update) == Status("1/1")


def test_erasing_the_query_is_empty_again() -> None:
    search = ThreadSearch()
    _ready(search, A)
    update = search.query_changed(QueryText(""))
    assert search.phase is Phase.EMPTY and search.query is None and search.result is None
    assert update == Update(cancel_count=True, highlight=None, status=Status(""))


def test_a_bad_regex_is_an_error_with_nothing_marked() -> None:
    search = ThreadSearch()
    _ready(search, A)
    update = search.query_changed(QueryText("lant(ern", is_regex=True))
    assert search.phase is Phase.ERROR and search.query is None
    assert update.highlight is None and update.cancel_count
    assert update.status is not None and update.status.error
    assert str(update.status.text).startswith("bad regular expression")
    assert search.step(1) == Update()
    # The next query searches as usual.
    search.query_changed(QueryText("lan.ern", is_regex=True))
    assert search.phase is Phase.COUNTING


def test_a_search_that_gives_up_is_an_error_and_the_next_query_searches() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.query_changed(QueryText("lantern!"))
    order = search.frame_drawn(search.generation).count
    update = search.search_failed(A, order.generation, "the pattern takes too long to search")
    assert search.phase is Phase.ERROR
    assert update == Update(status=Status("the pattern takes too long to search", error=True))
    assert search.search_failed(A, order.generation, "again") == Update()  # said once
    search.query_changed(QueryText("lantern"))
    assert search.phase is Phase.COUNTING


def test_no_matches() -> None:
    search = ThreadSearch()
    update = _ready(search, A, "zzz")
    assert search.phase is Phase.READY and search.current is None
    assert update == Update(status=CountLine())
    assert _status(search, update) == Status("no matches")
    assert search.step(1) == Update() and search.step(-1) == Update()


def test_steps_wrap_round_and_the_status_says_so() -> None:
    search = ThreadSearch()
    _ready(search, A)
    update = search.step(1)
    assert search.current == 1 and update.show == search.current_hit()
    assert _status(search, update) == Status("2/7")
    search.step(-1)
    update = search.step(-1)
    assert search.current == 6
    assert _status(search, update) == Status("7/7 · wrapped to the bottom")
    update = search.step(1)
    assert search.current == 0 and _status(search, update) == Status("1/7 · wrapped to the top")
    assert _status(search, search.step(1)) == Status("2/7")  # the note goes with the next step


def test_steps_wait_for_the_count() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(ARTICLE)
    search.query_changed(QueryText("lantern"))
    assert search.phase is Phase.INDEXING and search.step(1) == Update()
    search.index_ready(A, INDEXES[A])
    assert search.phase is Phase.COUNTING and search.step(1) == Update()


def test_the_first_match_is_the_first_from_the_origin() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(1)  # from reply #3 (index 1): its match is the 4th
    search.index_ready(A, INDEXES[A])
    search.query_changed(QueryText("lantern"))
    update = _counted(search, A)
    assert search.current == 3 and update.show is not None and update.show.location == 1


def test_closing_leaves_the_keys_at_the_current_match() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.step(1)
    hit = search.current_hit()
    generation = search.generation
    update = search.close()
    assert search.phase is Phase.CLOSED and search.query is None and search.result is None
    assert update == Update(cancel_count=True, highlight=None, focus=hit)
    assert search.generation == generation + 1
    assert search.folds_changed() == Update() and search.step(1) == Update()


def test_closing_while_counting_drops_the_count_and_focuses_nothing() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.query_changed(QueryText("lanterns"))
    order = search.frame_drawn(search.generation).count
    update = search.close()
    assert update.focus is None  # no match: the screen gives the keys back to where / was
    assert search.result_arrived(A, order.generation, _count(order)) == Update()
    assert search.tallied(A, order.generation) == Update()
    assert search.phase is Phase.CLOSED and search.result is None


def test_reopening_searches_the_text_the_bar_kept() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.close()
    update = search.open(ARTICLE)
    assert search.phase is Phase.COUNTING  # the index of the thread is kept
    assert update.status == Status("searching…") and update.count_after_frame is not None
    search.query_changed(QueryText(""))
    search.close()
    assert search.open(ARTICLE) == Update()  # nothing typed: nothing searched, nothing said
    assert search.phase is Phase.EMPTY


def test_n_with_the_bar_closed_goes_on_from_the_last_match() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.step(1)
    search.step(1)
    search.close()  # at 3/7
    for direction, expected in ((1, "4/7"), (-1, "3/7")):
        search.repeat(direction)
        search.open(ARTICLE)
        update = _counted(search, A)
        assert _status(search, update) == Status(expected)
        search.close()
    # A single match: n comes back to it, and says so.
    search.open(ARTICLE)
    search.query_changed(QueryText("zeta"))
    _counted(search, A)
    search.close()
    search.repeat(1)
    search.open(ARTICLE)
    update = _counted(search, A)
    assert _status(search, update) == Status("1/1 · wrapped to the top")


def test_n_in_another_thread_starts_from_the_origin() -> None:
    search = ThreadSearch()
    _ready(search, A)
    search.step(1)
    search.close()
    search.thread_shown(B)
    search.repeat(1)  # the last match was in A
    search.open(ARTICLE)
    update = search.index_ready(B, INDEXES[B])
    update = search.result_arrived(B, search.generation, _count(update.count))
    assert search.current == 0 and _status(search, update) == Status("1/1")


def test_a_folder_hit_in_the_open_thread_is_selected_and_focused() -> None:
    search = ThreadSearch()
    _ready(search, A)
    result = search.result
    wanted = result.hit(4)
    search.close()
    assert search.open_at(A, wanted) == Update()  # its index is there already
    assert search.is_open
    search.query_changed(QueryText("lantern"))
    update = _counted(search, A)
    assert search.current == 4 and update.show == wanted and update.focus == wanted
    # Picked once: the next result of the thread starts from the origin again.
    search.query_changed(QueryText("lantern"))  # the same query again
    update = _counted(search, A)
    assert search.current == 0 and update.focus is None


def test_a_folder_hit_in_another_thread_waits_for_that_thread() -> None:
    search = ThreadSearch()
    search.thread_shown(B)
    wanted = _count(Count(INDEXES[A], compile_query("lantern"), 0, A)).hit(6)
    assert search.open_at(A, wanted) == Update()  # B's index is not A's
    assert search.phase is Phase.EMPTY and search.is_open
    search.query_changed(QueryText("lantern"))  # filled in: B is searched first
    update = search.index_ready(B, INDEXES[B])
    update = search.result_arrived(B, search.generation, _count(update.count))
    assert search.current == 0 and update.focus is None  # not B's match
    update = search.thread_shown(A)  # the screen opened A
    assert update.build_index == A and search.phase is Phase.INDEXING
    update = search.index_ready(A, INDEXES[A])
    update = search.result_arrived(A, search.generation, _count(update.count))
    assert search.current == 6 and update.focus == wanted


def test_a_folder_hit_builds_the_open_threads_index_if_it_was_never_searched() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    hit = _count(Count(INDEXES[A], compile_query("lantern"), 0, A)).hit(2)
    assert search.open_at(A, hit) == Update(build_index=A)


def test_another_thread_shown_with_the_bar_open_is_searched_from_its_start() -> None:
    search = ThreadSearch()
    search.thread_shown(A)
    search.open(3)
    search.index_ready(A, INDEXES[A])
    search.query_changed(QueryText("lantern"))
    update = search.thread_shown(A)  # read again (or another one): its own index
    assert update.build_index == A and update.cancel_count
    assert search.phase is Phase.INDEXING and search.result is None
    update = search.index_ready(A, INDEXES[A])
    update = search.result_arrived(A, search.generation, _count(update.count))
    assert search.current == 0  # from the article, not from the old reply cursor


def test_an_unreadable_thread_has_nothing_to_search() -> None:
    search = ThreadSearch()
    _ready(search, A)
    update = search.thread_lost()
    assert search.phase is Phase.ERROR and search.result is None
    assert update == Update(highlight=None, status=NOTHING_TO_SEARCH)
    assert search.open(ARTICLE) == Update()  # no thread: no index
    search.close()
    assert search.thread_lost() == Update()  # closed: nothing to say


def test_folding_updates_the_count_of_matches_in_folded_replies() -> None:
    search = ThreadSearch()
    update = _ready(search, A)
    layout = ReplyLayout(_thread(), 80, theme=PLAIN)
    assert _status(search, update, layout) == Status("1/7")
    layout.collapsed.update(range(len(layout)))
    update = search.folds_changed()
    assert update == Update(status=CountLine())
    assert _status(search, update, layout) == Status("1/7 · 4 in folded replies")
    assert update.highlight is KEEP


def test_a_big_threads_folded_count_waits_for_the_tally(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(SearchResult, "TALLY_FROM", 0)
    search = ThreadSearch()
    update = _ready(search, A)
    generation = search.generation
    layout = ReplyLayout(_thread(), 80, theme=PLAIN, collapsed=set(range(6)))
    assert _status(search, update, layout) == Status("1/7 · counting folded replies…")
    assert search.tallied(A, generation - 1) == Update()  # an older query's tally
    assert search.tallied(B, generation) == Update()  # another thread's
    assert search.result is not None and search.result.tally_replies()
    update = search.tallied(A, generation)
    assert _status(search, update, layout) == Status("1/7 · 4 in folded replies")
    assert search.tallied(A, generation) == Update()  # no longer waiting
