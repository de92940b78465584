"""The main screen: the one place that coordinates the panes.

Panes never talk to each other. They post messages up (``ThreadList.Highlighted``,
``ReplyView.FoldsChanged``) and this screen sets their attributes and calls their
public methods (``show_thread``, ``go_to_reply``); each pane words its own border and
messages. Scanning, parsing, indexing and counting run in thread workers
(:mod:`threadtui.tui.background`) that report back with messages from
:mod:`threadtui.tui.messages`.

What holds state of its own is Textual-free, in :mod:`threadtui.tui.controllers`: the
search in a thread (:class:`~threadtui.tui.controllers.thread_search.ThreadSearch`; this
screen hands it the bar's and the workers' events and does what each returned
``Update`` says, :meth:`MainScreen._apply`) and the panes shown at each width
(:class:`~threadtui.tui.controllers.pane_layout.PaneLayout`). The columns mount their
own bars: the filter bar (:class:`~threadtui.tui.widgets.list_column.ListColumn`) and
the search bar (:class:`~threadtui.tui.widgets.reader_column.ReaderColumn`).

Over 500 lines (about 550) because what is left is the wiring itself: the type-ahead
keys, four workers and their seven messages, the list's and the bars' messages, the
search controller's ``Update`` and the focus around the search bar. Each part is a
few lines of calls into the modules above; split, they would be a second coordinator.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from threadtui.search import Hit, Query
    from threadtui.search.folder import FolderHit

from threadtui.library import ThreadSummary
from threadtui.library.early_scan import EarlyScan
from threadtui.model import Thread
from threadtui.search import ARTICLE
from threadtui.search.session import QueryText
from threadtui.tui import background
from threadtui.tui.controllers.pane_layout import Fold, PaneLayout
from threadtui.tui.controllers.thread_search import KEEP, Count, CountLine, ThreadSearch, Update
from threadtui.tui.messages import (
    IndexReady,
    LibraryBatch,
    SearchDone,
    SearchFailed,
    SearchTallied,
    ThreadFailed,
    ThreadLoaded,
)
from threadtui.tui.widgets.article_view import ArticleView
from threadtui.tui.widgets.filter_bar import FilterBar
from threadtui.tui.widgets.list_column import ListColumn
from threadtui.tui.widgets.reader_column import ReaderColumn
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.search_bar import SearchBar
from threadtui.tui.widgets.thread_list import ScanProgress, ThreadList

#: ``f`` in the thread list. The screen holds it, as a type-ahead key (below), and it
#: shows in the footer only while the list has the focus.
FILTER_BINDING = Binding("f", "type_ahead('filter_list')", "Filter", priority=True)

#: The keys that open a text field are priority bindings, taken ahead of every other
#: key. A terminal hands over a paste of "/word" (or fast typing) in one read, and the
#: app forwards each key to the focused pane before the pane has handled the "/": the
#: letters went to the list as bindings ("s" sorted it). A priority binding runs in the
#: app's own key loop, which waits for it, and the action moves the focus before it
#: returns, so the keys after it reach the new field.
TYPE_AHEAD_BINDINGS = [
    FILTER_BINDING,
    Binding("slash", "type_ahead('search')", "Search", priority=True),
    Binding("F", "type_ahead('search_folder')", "Search all", priority=True),
]


class MainScreen(Screen[None]):
    """Thread list, article pane and reply pane."""

    BINDINGS = [
        FILTER_BINDING,  # first: in the footer it follows the list's own keys
        Binding("left_square_bracket", "step_thread(-1)", "Prev thread"),
        Binding("right_square_bracket", "step_thread(1)", "Next thread"),
        Binding("J", "step_reply(1)", "Next reply", show=False),
        Binding("K", "step_reply(-1)", "Prev reply", show=False),
        Binding("r", "toggle_replies", "Replies"),
        Binding("t", "toggle_list", "List"),
        *TYPE_AHEAD_BINDINGS[1:],
        Binding("ctrl+f", "search", "Search", show=False),
        Binding("n", "search_step(1)", "Next match", show=False),
        Binding("N", "search_step(-1)", "Previous match", show=False),
        Binding("escape", "back_to_list", "Back", show=False),
    ]

    show_replies: var[bool] = var(True)
    """Whether the reply pane is shown (``r``)."""

    show_list: var[bool] = var(True)
    """Whether the thread list is shown (``t``; narrow terminals show one side at a time)."""

    def __init__(self, paths: list[str], early_scan: EarlyScan | None = None) -> None:
        super().__init__()
        self.paths = paths
        # The command line starts the scan before Textual is imported; tests start it here.
        self.early_scan = early_scan if early_scan is not None else EarlyScan(paths)
        self.cache = self.early_scan.cache
        self.thread: Thread | None = None
        self.thread_path: str | None = None
        # Fold state per file, kept for this run.
        self._folds: background.Folds = {}
        # Search in the open thread (/): its states; the screen does what they say.
        self.search = ThreadSearch()
        # Where the keys were when the bar opened (Esc gives them back).
        self._focus_before: Widget | None = None
        self.pane_layout = PaneLayout()
        # Until the first frame is drawn, a highlighted thread waits to be opened.
        self._first_frame_drawn = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield ListColumn(self.paths, id="list-column")  # the list, and its filter bar
            # The article and the replies; the search bar is mounted after the first frame.
            yield ReaderColumn(self._query_changed, id="reader")
        yield Footer()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(ThreadList))
        self._apply_width(self.size.width)
        first = self.early_scan.ready()
        if first is not None:
            # Read while Textual was starting: the first frame shows it. The rest of
            # the scan waits for that frame: a scanning thread holds the interpreter
            # lock half the time and would slow it down.
            self.on_library_batch(LibraryBatch(*first, done=False))
            self.call_after_refresh(self.scan_library)
        else:
            self.scan_library()  # nothing to show yet: the first row comes from the worker
        self.call_after_refresh(self._after_first_frame)

    async def _after_first_frame(self) -> None:
        self._first_frame_drawn = True
        current = self.query_one(ThreadList).current
        if current is not None and self.thread_path is None:
            # Parsing it on a worker thread sooner would hold the interpreter lock for
            # part of the time the first frame is built, delaying the list it shows.
            self.open_thread(current)
        if not gc.isenabled():
            # The command line turned cyclic collection off for the start-up (see
            # cli.start_reader). What was built so far lives for the whole run, so later
            # collections need not walk it.
            gc.freeze()
            gc.enable()
        await self.query_one(ReaderColumn).mount_search_bar()

    # ------------------------------------------------------------------ layout

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        reader = self.query_one(ReaderColumn)
        in_thread = self.focused is not None and reader in self.focused.ancestors_with_self
        fold = self.pane_layout.resize(width, list_shown=self.show_list, thread_has_keys=in_thread)
        self.set_class(self.pane_layout.narrow, "-narrow")
        self.set_class(self.pane_layout.wide, "-wide")
        if fold is Fold.HIDE:
            self.show_list = False
        elif fold is Fold.SHOW:  # the list comes back beside the thread, the keys stay put
            self.set_reactive(MainScreen.show_list, True)
            self.remove_class("-hide-list")

    def watch_show_replies(self, show: bool) -> None:
        self.set_class(not show, "-hide-replies")
        if not show and self.focused is self.query_one(ReplyView):
            self.set_focus(self.query_one(ArticleView))

    def watch_show_list(self, show: bool) -> None:
        self.set_class(not show, "-hide-list")
        if show:
            self.set_focus(self.query_one(ThreadList))
        elif self.focused is self.query_one(ThreadList):
            self.set_focus(self.query_one(ArticleView))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "type_ahead":
            # In a text field these keys are text; "f" filters only from the list (as its
            # own binding says). Refused here, the key goes on to the focused widget.
            if isinstance(self.focused, Input):
                return False
            return parameters != ("filter_list",) or self.focused is self.query_one(ThreadList)
        return True

    async def action_type_ahead(self, action: str) -> None:
        """Run ``action`` (search, filter_list, search_folder), which opens a text field
        and moves the focus into it, before the next key is handled.

        Its own action, not the three bindings calling those: check_action refuses these
        keys in a text field, and must not refuse the palette's commands of those names.
        """
        await getattr(self, f"action_{action}")()

    def action_toggle_replies(self) -> None:
        self.show_replies = not self.show_replies

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list

    def action_back_to_list(self) -> None:
        if self.searching:
            self._close_search()
            return
        threads = self.query_one(ThreadList)
        if self.focused is threads and threads.filter is not None:
            # The list's empty state says so: Esc in the list drops the filter too.
            self.query_one(ListColumn).drop_filter()
            return
        if self.pane_layout.narrow and not self.show_list:
            self.show_list = True
        elif self.focused is not self.query_one(ThreadList) and self.show_list:
            self.set_focus(self.query_one(ThreadList))

    # ------------------------------------------------------------------ scanning

    @work(thread=True, exclusive=True, group="scan")
    def scan_library(self) -> None:
        """Summarise every file, posting batches as they come."""
        self._post_all(background.scan(self.early_scan, _cancelled()))

    def _post_all(self, messages: Iterator[Message]) -> None:
        """Post what a worker yields (from its thread)."""
        for message in messages:
            self.post_message(message)

    @property
    def scanning(self) -> bool:
        """Whether the scan of the folder is still going on."""
        return self.query_one(ThreadList).scanning

    def on_library_batch(self, message: LibraryBatch) -> None:
        threads = self.query_one(ThreadList)
        if message.batch:
            threads.add_rows(message.batch)
        threads.scan = ScanProgress(message.seen, message.total, message.done)
        if message.done and not threads.rows:
            self.query_one(ArticleView).show_no_threads(threads.advice)
            self.query_one(ReplyView).clear()

    # ------------------------------------------------------------------ opening threads

    @on(ThreadList.Highlighted)
    def _thread_highlighted(self, message: ThreadList.Highlighted) -> None:
        if self._first_frame_drawn:
            self.open_thread(message.summary)

    @on(ThreadList.Selected)
    def _thread_selected(self, message: ThreadList.Selected) -> None:
        if self.thread_path != message.summary.path:
            self.open_thread(message.summary)
        if self.pane_layout.narrow:
            self.show_list = False
        self.set_focus(self.query_one(ArticleView))

    def open_thread(self, summary: ThreadSummary) -> None:
        """Show the thread behind a list row (parsing it in a worker)."""
        if summary.error:
            self._thread_lost(summary.path, summary.error, summary.name)
            return
        self.load_thread(
            summary.path, self.query_one(ReplyView).scrollable_content_region.width - 1
        )

    @work(thread=True, exclusive=True, group="load")
    def load_thread(self, path: str, width: int) -> None:
        """Parse (or take from the cache) and lay out one thread, off the UI thread."""
        self._post_all(background.read(path, width, self.cache, self._folds, _cancelled()))

    def on_thread_loaded(self, message: ThreadLoaded) -> None:
        current = self.query_one(ThreadList).current
        if current is not None and current.path != message.path:
            return  # the highlight moved on while this one was parsing
        self.thread = message.thread
        self.thread_path = message.path
        self.query_one(ThreadList).current_read(message.thread)
        collapsed, open_quotes = self._folds[message.path]
        self.query_one(ArticleView).show_thread(message.thread)
        replies = self.query_one(ReplyView)
        replies.show_thread(message.thread, collapsed, open_quotes, message.layout)
        self._apply(self.search.thread_shown(message.path))

    def on_thread_failed(self, message: ThreadFailed) -> None:
        self._thread_lost(message.path, message.error)

    def _thread_lost(self, path: str, error: str, name: str | None = None) -> None:
        """The thread at ``path`` cannot be shown: the article says why."""
        self._apply(self.search.thread_lost())
        self.thread = None
        self.thread_path = path
        self.query_one(ArticleView).show_unreadable(path, error, name)
        self.query_one(ReplyView).clear()

    def go_to_thread(self, path: str) -> None:
        """Highlight and show the thread stored at ``path`` (from the command palette)."""
        threads = self.query_one(ThreadList)
        index = threads.index_of(path)
        if index is not None and (index != threads.cursor or self.thread_path != path):
            threads.set_cursor(index)  # the open thread stays as it is, in place

    # ------------------------------------------------------------------ navigation

    def action_step_thread(self, step: int) -> None:
        # As a key in the list does: past either end it stays put, the thread not re-read.
        self.query_one(ThreadList).action_move(step)

    def action_step_reply(self, step: int) -> None:
        replies = self.query_one(ReplyView)
        if not self.show_replies:
            self.show_replies = True
        self.set_focus(replies)
        replies.next_reply(step)

    @on(ReplyView.FoldsChanged)
    def _folds_changed(self) -> None:
        self._apply(self.search.folds_changed())

    # ------------------------------------------------------------------ palette actions

    def action_fold_all(self) -> None:
        self.query_one(ReplyView).action_collapse_all()

    def action_unfold_all(self) -> None:
        self.query_one(ReplyView).action_expand_all()

    def action_fold_path(self) -> None:
        self.query_one(ReplyView).action_focus_path()

    def action_cycle_sort(self) -> None:
        self.query_one(ThreadList).action_cycle_sort()

    # ------------------------------------------------------------------ list filter

    async def action_filter_list(self) -> None:
        """``f``: the filter bar over the list, with the keys."""
        if not self.show_list:
            self.show_list = True
        await self.query_one(ListColumn).open_filter()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        message.stop()
        self.query_one(ThreadList).filter_by(message.value)

    @on(FilterBar.Closed)
    def _filter_closed(self, message: FilterBar.Closed) -> None:
        if message.clear or not self.query_one(FilterBar).value:
            self.query_one(ListColumn).drop_filter()
        self.set_focus(self.query_one(ThreadList))

    # ------------------------------------------------------------------ search the folder

    async def action_search_folder(self) -> None:
        """``F``: search every listed thread, then open the chosen hit."""
        from threadtui.tui.screens.folder_search import FolderSearchScreen  # only when used

        paths = self.query_one(ThreadList).readable_paths
        text = self.query_one(SearchBar).text if self.searching else ""
        await self.app.push_screen(
            FolderSearchScreen(paths, self.cache, text), self._open_folder_hit
        )

    async def _open_folder_hit(self, chosen: tuple[FolderHit, Query] | None) -> None:
        """Open the thread of a folder-search hit, at that match, highlighted."""
        if chosen is None:
            return
        await self.query_one(ReaderColumn).mount_search_bar()
        found, query = chosen
        self._before_the_bar()
        # The hit is selected once its thread is searched; if it is the open thread,
        # its index is built now (it may not exist if / was never used on it).
        self._apply(self.search.open_at(found.path, found.hit))
        self.add_class("-searching")
        self.query_one(ListColumn).reveal(found.path)  # if the filter hid it, it goes
        # Filling in the bar searches the open thread; if the hit is in another one,
        # opening it searches again and the hit is picked from that result.
        bar = self.query_one(SearchBar)
        bar.set_query(query.text, is_regex=query.is_regex, whole_word=query.whole_word)
        if self.thread_path != found.path:
            self.go_to_thread(found.path)

    # ------------------------------------------------------------------ search in a thread

    @property
    def searching(self) -> bool:
        """Whether the search bar is open."""
        return self.search.is_open

    async def action_search(self, focus_bar: bool = True) -> None:
        """``/``: open the search bar (or go back to it)."""
        await self.query_one(ReaderColumn).mount_search_bar()
        # A thread still being read (or the first one, while the folder is) is searched
        # as soon as it arrives (on_thread_loaded).
        if self.thread is None and not self.query_one(ThreadList).thread_coming:
            self.notify("Open a thread to search it.", timeout=3)
            return
        replies = self.query_one(ReplyView)
        origin = ARTICLE
        if self.focused is replies and replies.reply_layout is not None:
            origin = replies.cursor
        self._before_the_bar()
        self.add_class("-searching")
        if focus_bar:
            self.query_one(SearchBar).open()
        self._apply(self.search.open(origin))

    def _before_the_bar(self) -> None:
        """Narrow, the thread (and the bar) take the screen; then, unless the bar is open
        already, note where the keys are, for Esc to give them back (not to the list,
        hidden by then)."""
        if self.pane_layout.narrow and self.show_list:
            self.show_list = False
        if not self.searching:
            self._focus_before = self.focused

    def _query_changed(self, text: QueryText) -> None:
        # Called by the bar in the keystroke's own step, so the highlights are drawn in
        # the same frame as the typed character (a message lands a frame later).
        self._apply(self.search.query_changed(text))

    def _apply(self, update: Update) -> None:
        """Do what the search controller says after an event, in its order."""
        if update.cancel_count:
            self.workers.cancel_group(self, "search")
        if update.build_index is not None and self.thread is not None:
            self.build_index(self.thread, update.build_index)
        if update.highlight is not KEEP:
            self.query_one(ArticleView).set_highlight(update.highlight)
            self.query_one(ReplyView).set_highlight(update.highlight)
        if update.show is not None:
            self._bring_into_view(update.show)
        status = update.status
        if isinstance(status, CountLine):  # after the match came into view: folds opened
            status = self.search.count_status(self.query_one(ReplyView).reply_layout, status.note)
        if status is not None:
            self.query_one(SearchBar).set_status(status.text, error=status.error)
        if update.focus is not None:
            self.set_focus(self._pane_of(update.focus))
        if update.count is not None:
            self.run_search(update.count)
        if update.count_after_frame is not None:
            self.call_after_refresh(self._frame_drawn, update.count_after_frame)

    def _frame_drawn(self, generation: int) -> None:
        self._apply(self.search.frame_drawn(generation))

    def _bring_into_view(self, hit: Hit) -> None:
        """Scroll to the current match ``hit`` (the panes mark it already)."""
        if hit.location == ARTICLE:
            self.query_one(ArticleView).go_to_match()
        else:
            if not self.show_replies:
                self.show_replies = True
            self.query_one(ReplyView).go_to_match(hit.location)

    def _pane_of(self, hit: Hit) -> Widget:
        """The pane that shows ``hit`` (the article when the replies are hidden)."""
        if hit.location == ARTICLE or not self.show_replies:
            return self.query_one(ArticleView)
        return self.query_one(ReplyView)

    @work(thread=True, exclusive=True, group="index")
    def build_index(self, thread: Thread, path: str) -> None:
        """Build the thread's search index, once per thread shown."""
        self._post_all(background.index(thread, path, _cancelled()))

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, count: Count) -> None:
        """Find every match; a newer query cancels this one."""
        self._post_all(background.count(count, _cancelled()))

    def on_index_ready(self, message: IndexReady) -> None:
        self._apply(self.search.index_ready(message.path, message.index))

    def on_search_done(self, message: SearchDone) -> None:
        self._apply(self.search.result_arrived(message.path, message.generation, message.result))

    def on_search_failed(self, message: SearchFailed) -> None:
        self._apply(self.search.search_failed(message.path, message.generation, message.error))

    def on_search_tallied(self, message: SearchTallied) -> None:
        self._apply(self.search.tallied(message.path, message.generation))

    @on(SearchBar.Step)
    async def _bar_step(self, message: SearchBar.Step) -> None:
        await self.action_search_step(message.direction)

    async def action_search_step(self, direction: int) -> None:
        """``n``/``N``: the next or previous match, wrapping round (the status says so)."""
        if self.searching:
            self._apply(self.search.step(direction))
            return
        ready = self.query_one(ReaderColumn).has_search_bar
        history = self.query_one(SearchBar).history.entries if ready else []
        if not history:
            self.notify("Nothing searched yet: press / to search.", timeout=3)
            return
        # As in less and vim: n repeats the last search (the bar reopens with it).
        self.search.repeat(direction)
        await self.action_search(focus_bar=False)

    @on(SearchBar.Left)
    def _bar_left(self) -> None:
        """Tab in the bar: to the pane with the current match (else where / came from)."""
        hit = self.search.current_hit()
        replies = self.query_one(ReplyView)
        if hit is not None:
            self.set_focus(self._pane_of(hit))
        elif self._focus_before is replies and self.show_replies:
            self.set_focus(replies)
        else:
            self.set_focus(self.query_one(ArticleView))

    @on(SearchBar.Closed)
    def _bar_closed(self, message: SearchBar.Closed) -> None:
        self._close_search()

    def _close_search(self) -> None:
        """Esc: close the bar and clear the highlights; the cursor stays on the last match."""
        update = self.search.close()
        self.remove_class("-searching")
        self._apply(update)
        if update.focus is not None:
            return  # the keys went to the pane with the match
        if self._focus_before is not None and self._focus_before.is_attached:
            self.set_focus(self._focus_before)  # back to where / came from
        else:
            self.set_focus(self.query_one(ArticleView))


def _cancelled() -> background.Cancelled:
    """The running worker's cancel flag, as a check (call it in the worker's thread)."""
    worker = get_current_worker()
    return lambda: worker.is_cancelled
