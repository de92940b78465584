"""The search in the open thread (``/``), as a state machine free of Textual.

The main screen hands it events: the bar opened or closed, its query changed, a
worker built the thread's index or counted the matches, n/N, another thread is
shown, the replies were folded. Each call returns an :class:`Update` saying what
the screen must do: the highlights to set, the match to bring into view, the bar's
status, the pane the keys go to, the worker to start.

The states (:class:`Phase`), and the events that move between them::

    event                    from          to
    /                        CLOSED        EMPTY, or on as for a query (the bar kept one)
    a query typed            any open      INDEXING (no index yet) or COUNTING
    the query erased         any open      EMPTY
    a bad query              any open      ERROR
    the index built          INDEXING      COUNTING
    the count done           COUNTING      READY (ERROR: the regex module ran too long)
    another thread shown     any open      on as for a query, in that thread
    the thread unreadable    any open      ERROR
    Esc                      any           CLOSED

Every query has a generation. What a worker reports for an older one, or for a
thread no longer shown, is dropped: keys arrive faster than matches are counted.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, replace
from enum import Enum
from typing import TYPE_CHECKING, Final, NamedTuple, Protocol

from threadtui import search as lazy_search  # its query and index load with the first search
from threadtui.search import ARTICLE
from threadtui.search.session import QueryText, SearchSession

if TYPE_CHECKING:
    from threadtui.search import Hit, Query, SearchResult, ThreadIndex
    from threadtui.view.marks import Highlight


class Phase(Enum):
    """Where the search in the open thread stands."""

    CLOSED = "closed"
    """The bar is shut: nothing is searched or marked (the bar keeps its text)."""
    EMPTY = "empty"
    """The bar is open with nothing typed in it."""
    INDEXING = "indexing"
    """A query waits for the thread's index (built once per thread, in a worker)."""
    COUNTING = "counting"
    """The index is there and a worker counts the query's matches."""
    READY = "ready"
    """The matches are counted; n/N step through them."""
    ERROR = "error"
    """The query does not compile, its search gave up, or the thread cannot be read."""


class Keep(Enum):
    """The type of :data:`KEEP`."""

    KEEP = "keep"


#: :attr:`Update.highlight` when the highlights stay as they are (None clears them).
KEEP: Final = Keep.KEEP


@dataclass(frozen=True, slots=True)
class Status:
    """A status for the bar, shown as it is (``searching…``, an error)."""

    text: str
    error: bool = False


@dataclass(frozen=True, slots=True)
class CountLine:
    """The bar's ``3/17 · 2 in folded replies`` status, with ``note`` after it.

    Made by :meth:`ThreadSearch.count_status` once the match is in view: bringing it
    there unfolds its replies, which changes how many matches the folded ones hide.
    """

    note: str = ""


@dataclass(frozen=True, slots=True)
class Count:
    """Work for the count worker; its report carries ``generation`` and ``path`` back."""

    index: ThreadIndex
    query: Query
    generation: int
    path: str


@dataclass(frozen=True, slots=True)
class Update:
    """What the screen does after an event, in this order. A field at its default: nothing."""

    cancel_count: bool = False
    """Stop the count worker (its query is no longer the latest)."""
    build_index: str | None = None
    """Build the index of the thread shown, which is at this path."""
    highlight: Highlight | None | Keep = KEEP
    """The highlights for both panes (None: no search)."""
    show: Hit | None = None
    """Bring this match into view (showing the replies and unfolding its path if need be)."""
    status: Status | CountLine | None = None
    """The bar's status (None: as it is)."""
    focus: Hit | None = None
    """Move the keys to the pane that shows this match."""
    count: Count | None = None
    """Start counting now."""
    count_after_frame: int | None = None
    """Call :meth:`ThreadSearch.frame_drawn` with this generation once the frame is drawn."""


class Folds(Protocol):
    """How the replies are folded (a :class:`~threadtui.view.reply_layout.ReplyLayout`)."""

    @property
    def collapsed(self) -> Collection[int]:
        """The folded replies."""
        ...

    @property
    def end(self) -> Sequence[int]:
        """Per reply, one past the last reply of its subtree."""
        ...


class _Mark(NamedTuple):
    """A match in the thread at ``path``."""

    path: str
    hit: Hit


#: The bar's status while the thread shown cannot be searched (it failed to read).
NOTHING_TO_SEARCH = Status("nothing to search here", error=True)


class ThreadSearch:
    """The state of ``/`` in the open thread, from the bar's opening to its closing."""

    def __init__(self) -> None:
        self.phase = Phase.CLOSED
        #: What the bar holds (it keeps it while closed: ``/`` searches it again).
        self.text = QueryText()
        #: The query searched for (INDEXING, COUNTING, READY; after ERROR, what failed).
        self.query: Query | None = None
        #: Which query is the latest; a worker's report names the one it was for.
        self.generation = 0
        #: The result (READY) and its current match.
        self.session = SearchSession()
        self._path: str | None = None  # the thread shown, if it can be searched
        self._index: ThreadIndex | None = None
        self._index_path: str | None = None  # the thread whose index is built or on its way
        self._origin = ARTICLE  # the first match is the first at or after this location
        self._pending: _Mark | None = None  # a folder-search hit, selected once searched
        # As in less: the current match when the bar closed, and the n/N that reopened
        # it, which then goes on from that match rather than from the cursor.
        self._last: _Mark | None = None
        self._resume: tuple[_Mark, int] | None = None
        self._waiting_for_tally = False  # the status says "counting folded replies…"

    # ------------------------------------------------------------------ what it holds

    @property
    def is_open(self) -> bool:
        """Whether the bar is open."""
        return self.phase is not Phase.CLOSED

    @property
    def result(self) -> SearchResult | None:
        """Every match of the query in the thread (READY), else None."""
        return self.session.result

    @property
    def current(self) -> int | None:
        """The number of the current match, if there is one."""
        return self.session.current

    def current_hit(self) -> Hit | None:
        """The current match, if there is one."""
        result, current = self.session.result, self.session.current
        return None if result is None or current is None else result.hit(current)

    def count_status(self, folds: Folds | None, note: str = "") -> Status:
        """The ``k/N`` status (:class:`CountLine`) now, with the replies folded as ``folds``."""
        result = self.session.result
        hidden: int | None = 0
        if result is not None and folds is not None:
            hidden = result.hidden(folds.collapsed, folds.end)
        self._waiting_for_tally = hidden is None
        line = self.session.status(hidden)
        return Status(f"{line} · {note}" if note else line)

    # ------------------------------------------------------------------ the bar

    def open(self, origin: int) -> Update:
        """``/``: open the bar (or go back to it); the first match is looked for from
        location ``origin`` (the reply cursor, or :data:`ARTICLE`)."""
        self._origin = origin
        if self.is_open:
            return self._ensure_index()
        self.phase = Phase.EMPTY
        build = self._ensure_index()
        if not self.text.text:
            return build
        return replace(self._search(), build_index=build.build_index)

    def open_at(self, path: str, hit: Hit) -> Update:
        """A folder-search hit: open the bar, and select ``hit`` once ``path`` is searched.

        The query follows from the bar (:meth:`query_changed`); if ``path`` is not the
        thread shown, the screen opens it and :meth:`thread_shown` searches it.
        """
        self._pending = _Mark(path, hit)
        self._origin = ARTICLE
        if self.phase is Phase.CLOSED:
            self.phase = Phase.EMPTY
        return self._ensure_index() if path == self._path else Update()

    def query_changed(self, text: QueryText) -> Update:
        """The bar's query or one of its toggles changed: search for it."""
        self.text = text
        if not self.is_open:
            return Update()  # the bar is shut: it only keeps the text
        return self._search()

    def step(self, direction: int) -> Update:
        """n/N (Enter, Shift+Enter in the bar): the next (1) or previous (-1) match,
        wrapping round (the status says so)."""
        if self.phase is not Phase.READY:
            return Update()  # the bar says "searching…" (or why not)
        return self._step(direction)

    def repeat(self, direction: int) -> None:
        """n/N with the bar closed, before the screen opens it again with the last query.

        As in less and vim: the step goes on from the match that was current when the
        bar closed, if that was in the thread shown.
        """
        last = self._last
        if last is not None and last.path == self._path:
            self._resume = (last, direction)

    def close(self) -> Update:
        """Esc: close the bar and clear the highlights.

        :attr:`Update.focus` is the current match, where the cursor stays, or None
        (the screen gives the keys back to where ``/`` came from).
        """
        hit = self.current_hit()
        self.generation += 1
        self.phase = Phase.CLOSED
        self.query = None
        self._clear_result()
        self._last = _Mark(self._path, hit) if hit is not None and self._path else None
        return Update(cancel_count=True, highlight=None, focus=hit)

    # ------------------------------------------------------------------ the thread

    def thread_shown(self, path: str) -> Update:
        """The thread at ``path`` is shown (another one, or the same read again)."""
        self._path = path
        self._forget_thread()
        if not self.is_open:
            return Update()  # its index is built when the bar next opens
        self._origin = ARTICLE
        build = self._ensure_index()
        return replace(self._search(), build_index=build.build_index)

    def thread_lost(self) -> Update:
        """The thread shown could not be read: there is nothing to search."""
        self._path = None
        self._forget_thread()
        if not self.is_open:
            return Update()
        self.phase = Phase.ERROR
        return Update(highlight=None, status=NOTHING_TO_SEARCH)

    def folds_changed(self) -> Update:
        """Replies were folded or unfolded: the count of matches they hide changes."""
        if self.phase is not Phase.READY:
            return Update()
        return Update(status=CountLine())

    # ------------------------------------------------------------------ the workers

    def frame_drawn(self, generation: int) -> Update:
        """The frame showing a query's highlights is drawn: count it, if still the latest."""
        if generation != self.generation or self.phase is not Phase.COUNTING:
            return Update()
        return Update(count=self._count())

    def index_ready(self, path: str, index: ThreadIndex) -> Update:
        """The index of the thread at ``path`` is built: count the query waiting for it."""
        if path != self._path:
            return Update()  # another thread is shown now
        self._index = index
        if self.phase is not Phase.INDEXING:
            return Update()
        self.phase = Phase.COUNTING
        return Update(count=self._count())

    def result_arrived(self, path: str, generation: int, result: SearchResult) -> Update:
        """The count worker found every match: select one and bring it into view."""
        if not self._latest(path, generation):
            return Update()  # a newer query, or another thread, came since
        self.phase = Phase.READY
        first = self.session.set_result(result, self._origin)
        resume, self._resume = self._resume, None
        if resume is not None and resume[0].path == path:
            last = result.find(resume[0].hit)
            if last is not None:
                self.session.current = last
                return self._step(resume[1])
        pending = self._pending
        if pending is not None and pending.path == path:
            self._pending = None
            found = result.find(pending.hit)
            if found is not None:
                self.session.current = found
                shown = self._show(found)
                return replace(shown, focus=shown.show)
        if first is None:
            return Update(status=CountLine())  # "no matches"
        return self._show(first)

    def search_failed(self, path: str, generation: int, error: str) -> Update:
        """The count worker gave up (the regex module ran too long on the pattern)."""
        if not self._latest(path, generation) or self.phase is not Phase.COUNTING:
            return Update()
        self.phase = Phase.ERROR
        return Update(status=Status(error, error=True))

    def tallied(self, path: str, generation: int) -> Update:
        """The count worker tallied the matches per reply: the folded count is cheap now."""
        waiting = self.phase is Phase.READY and self._waiting_for_tally
        if not waiting or not self._latest(path, generation):
            return Update()
        return Update(status=CountLine())

    # ------------------------------------------------------------------ inside

    def _search(self) -> Update:
        """Search for what the bar holds: highlight at once, count after the frame."""
        self.generation += 1
        self._clear_result()
        text = self.text
        if not text.text:
            self.query = None
            self.phase = Phase.EMPTY
            return Update(cancel_count=True, highlight=None, status=Status(""))
        try:
            query = lazy_search.compile_query(
                text.text, is_regex=text.is_regex, whole_word=text.whole_word
            )
        except lazy_search.QueryError as exc:
            self.query = None
            self.phase = Phase.ERROR
            return Update(cancel_count=True, highlight=None, status=Status(str(exc), error=True))
        self.query = query
        # The panes mark what they draw straight away; the count follows from the worker.
        if self._index is None:
            self.phase = Phase.INDEXING
            return Update(
                cancel_count=True, highlight=_highlight(query), status=Status("indexing…")
            )
        self.phase = Phase.COUNTING
        # The count starts once the highlights are on screen, not before: a worker takes
        # the GIL from the UI thread in 5 ms slices and would slow that frame. Keys that
        # arrive together (a paste, a fast typist) are all handled before that frame, so
        # only the last query of the burst is counted.
        return Update(
            cancel_count=True,
            highlight=_highlight(query),
            status=Status("searching…"),
            count_after_frame=self.generation,
        )

    def _count(self) -> Count:
        assert self._index is not None and self.query is not None and self._path is not None
        return Count(self._index, self.query, self.generation, self._path)

    def _step(self, direction: int) -> Update:
        step = self.session.step(direction)
        if step is None:
            return Update()  # the bar says "no matches"
        # In the bar's status, where the eye is (as vim and less say it): a toast would
        # sit on top of the bar, the last row above the footer.
        note = f"wrapped to the {'top' if direction > 0 else 'bottom'}" if step.wrapped else ""
        return self._show(step.match, note)

    def _show(self, k: int, note: str = "") -> Update:
        """Make match ``k`` the current one and bring it into view."""
        assert self.session.result is not None and self.query is not None
        hit = self.session.result.hit(k)
        return Update(
            highlight=_highlight(self.query, current=hit), show=hit, status=CountLine(note)
        )

    def _ensure_index(self) -> Update:
        """Have the index of the thread shown built, once."""
        if self._path is None or self._index_path == self._path:
            return Update()
        self._index = None
        self._index_path = self._path
        return Update(build_index=self._path)

    def _forget_thread(self) -> None:
        self._index = None
        self._index_path = None
        self._clear_result()

    def _clear_result(self) -> None:
        self.session.clear()
        self._waiting_for_tally = False

    def _latest(self, path: str, generation: int) -> bool:
        return generation == self.generation and path == self._path


def _highlight(query: Query, current: Hit | None = None) -> Highlight:
    """A highlighter for ``query``; its module loads with the first search, not at start-up."""
    from threadtui.view.marks import Highlight

    return Highlight(query, current=current)
