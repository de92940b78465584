"""Search every thread of the folder at once (``F``, or the palette).

A modal over the reader: a query, regex and whole-word toggles, and the hits
as they come (thread title, post number, the line around the match). Enter
dismisses with the chosen hit; the main screen opens that thread there.
"""

from __future__ import annotations

import time

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static
from textual.worker import get_current_worker

from threadtui.library import ThreadCache
from threadtui.safe import safe_text
from threadtui.search import Query, QueryError, compile_query
from threadtui.search.folder import PARALLEL_MIN_FILES, search_paths
from threadtui.search.hits import FolderError, FolderHit
from threadtui.search.pool import start_server
from threadtui.tui.widgets.hit_list import HitList

#: Results reach the list at most this often, so a flood of hits never floods the UI.
BATCH_SECONDS = 0.1


class FolderSearchScreen(ModalScreen[tuple[FolderHit, Query] | None]):
    """Every match of a query in every listed thread."""

    BINDINGS = [
        Binding("escape", "dismiss_none", "Close"),
        Binding("alt+r,ctrl+r", "toggle_regex", "Regex"),
        Binding("alt+w,ctrl+t", "toggle_word", "Whole word"),
        Binding("down", "move(1)", "Next hit", show=False),
        Binding("up", "move(-1)", "Previous hit", show=False),
        # From the query box too (the keys the box has no use for).
        Binding("pagedown", "page(1)", "Page of hits down", show=False),
        Binding("pageup", "page(-1)", "Page of hits up", show=False),
        Binding("ctrl+home", "jump(0)", "First hit", show=False),
        Binding("ctrl+end", "jump(-1)", "Last hit", show=False),
    ]

    class Found(Message):
        """A batch of results from the search worker."""

        def __init__(
            self, generation: int, batch: list[FolderHit | FolderError], done: bool, files: int
        ) -> None:
            super().__init__()
            self.generation = generation
            self.batch = batch
            self.done = done
            self.files = files

    def __init__(self, paths: list[str], cache: ThreadCache, text: str = "") -> None:
        super().__init__()
        self.paths = paths
        self.cache = cache
        self.initial = text
        self.is_regex = False
        self.whole_word = False
        self.query_: Query | None = None
        self._generation = 0
        self._hits = 0
        self._threads: set[str] = set()

    def compose(self) -> ComposeResult:
        with Vertical(id="folder-search"):
            with Horizontal(id="folder-search-bar"):
                yield Input(
                    value=self.initial,
                    placeholder=f"search all {len(self.paths):,} threads",
                    id="folder-query",
                )
                yield Static(" .* ", id="folder-regex", classes="toggle")
                yield Static(" w ", id="folder-word", classes="toggle")
            yield Static(id="folder-status")
            yield HitList(id="folder-hits")

    def on_mount(self) -> None:
        self.query_one("#folder-search").border_title = "Search all threads"
        # At once: keys typed right after F are already queued (see main.TYPE_AHEAD_BINDINGS).
        self.set_focus(self.query_one("#folder-query", Input))
        if len(self.paths) >= PARALLEL_MIN_FILES:
            self.start_workers_server()
        if self.initial:
            self._start()

    @work(thread=True, group="folder-search-server")
    def start_workers_server(self) -> None:
        """Start the search's fork server while the query is being typed (~0.2 s)."""
        try:
            start_server()
        except Exception:  # noqa: BLE001 (the search itself then runs in this process)
            pass

    # ------------------------------------------------------------------ query

    @on(Input.Changed, "#folder-query")
    def _typed(self) -> None:
        self._start()

    def _start(self) -> None:
        self._generation += 1
        self.workers.cancel_group(self, "folder-search")
        hits = self.query_one(HitList)
        hits.clear()
        self._hits = 0
        self._threads = set()
        text = self.query_one("#folder-query", Input).value
        if not text:
            self.query_ = None
            self._status("")
            return
        try:
            query = compile_query(text, is_regex=self.is_regex, whole_word=self.whole_word)
        except QueryError as exc:
            self.query_ = None
            self._status(str(exc), error=True)
            return
        self.query_ = query
        self._status("searching…")
        self.search(query, self._generation)

    @work(thread=True, exclusive=True, group="folder-search")
    def search(self, query: Query, generation: int) -> None:
        """Run the folder search, posting results in batches."""
        worker = get_current_worker()
        batch: list[FolderHit | FolderError] = []
        files: set[str] = set()
        last = time.monotonic()
        for found in search_paths(
            self.paths,
            query,
            cache=self.cache,
            cancelled=lambda: worker.is_cancelled,
            from_threads=True,
        ):
            if worker.is_cancelled:
                return
            batch.append(found)
            files.add(found.path)
            if time.monotonic() - last >= BATCH_SECONDS:
                self.post_message(self.Found(generation, batch, False, len(files)))
                batch, last = [], time.monotonic()
        if not worker.is_cancelled:
            self.post_message(self.Found(generation, batch, True, len(files)))

    def on_folder_search_screen_found(self, message: Found) -> None:
        if message.generation != self._generation:
            return
        hits = self.query_one(HitList)
        first = not hits.rows
        hits.add(message.batch)
        if first and hits.rows:
            hits.set_cursor(0)
        for found in message.batch:
            if isinstance(found, FolderHit):
                self._hits += 1
                self._threads.add(found.path)
        if message.done:
            if self._hits:
                self._status(
                    f"{self._hits:,} matches in {len(self._threads):,} of "
                    f"{len(self.paths):,} threads"
                )
            else:
                self._status(f"no matches in {len(self.paths):,} threads")
        else:
            self._status(f"{self._hits:,} matches so far…")

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#folder-status", Static)
        status.update(safe_text(text))
        status.set_class(error, "-error")

    # ------------------------------------------------------------------ keys

    def action_toggle_regex(self) -> None:
        self.is_regex = not self.is_regex
        self.query_one("#folder-regex").set_class(self.is_regex, "-on")
        self._start()

    def action_toggle_word(self) -> None:
        self.whole_word = not self.whole_word
        self.query_one("#folder-word").set_class(self.whole_word, "-on")
        self._start()

    @on(events.Click, "#folder-regex")
    def _click_regex(self) -> None:
        self.action_toggle_regex()

    @on(events.Click, "#folder-word")
    def _click_word(self) -> None:
        self.action_toggle_word()

    def action_move(self, step: int) -> None:
        self.query_one(HitList).action_move(step)

    def action_page(self, direction: int) -> None:
        self.query_one(HitList).action_page(direction)

    def action_jump(self, where: int) -> None:
        self.query_one(HitList).action_jump(where)

    def action_dismiss_none(self) -> None:
        self.workers.cancel_group(self, "folder-search")
        self.dismiss(None)

    @on(Input.Submitted, "#folder-query")
    def _submitted(self) -> None:
        self.query_one(HitList).action_open()

    @on(HitList.Chosen)
    def _chosen(self, message: HitList.Chosen) -> None:
        if self.query_ is not None:
            self.workers.cancel_group(self, "folder-search")
            self.dismiss((message.hit, self.query_))
