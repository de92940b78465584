"""The main screen: the one place that coordinates the panes.

Panes never talk to each other. They post messages up (``ThreadList.Highlighted``,
``ReplyView.CursorMoved``) and this screen calls their public methods
(``show_thread``, ``go_to_reply``). Scanning, parsing, indexing and counting run in
thread workers (:mod:`threadtui.tui.background`) that report back with messages
from :mod:`threadtui.tui.messages`.

The search in a thread is a state machine of its own,
:class:`~threadtui.tui.controllers.thread_search.ThreadSearch`: this screen hands it
the bar's and the workers' events and does what each returned ``Update`` says
(:meth:`MainScreen._apply`).

Over 500 lines because it is the one coordinator: of the list, the two panes, the
filter and search bars, the folder search's hits, the layout at each width and the
four workers. What holds state or logic of its own lives in the modules named above.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Iterator
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

if TYPE_CHECKING:
    from threadtui.search import Hit, Query
    from threadtui.search.folder import FolderHit

from threadtui import search as lazy_search  # its query and index load with the first search
from threadtui.library import ThreadSummary, summary_of
from threadtui.library.early_scan import EarlyScan
from threadtui.model import Thread
from threadtui.safe import one_line
from threadtui.search import ARTICLE
from threadtui.search.session import QueryText
from threadtui.tui import background
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
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.search_bar import SearchBar
from threadtui.tui.widgets.thread_list import ThreadList

#: Below this many columns the list and the thread take turns on screen.
NARROW = 100
#: From this many columns the article and the replies sit side by side.
WIDE = 200


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
        self.scanning = True
        # Fold state per file, kept for this run.
        self._folds: background.Folds = {}
        # Search in the open thread (/): its states; the screen does what they say.
        self.search = ThreadSearch()
        # Where the keys were when the bar opened (Esc gives them back).
        self._focus_before: Widget | None = None
        # Whether going under NARROW columns folded the list away (widening brings it back).
        self._list_folded_by_width = False
        # Set once the search bar, left out of the first frame, is mounted.
        self._search_bar_mounted = asyncio.Event()
        # Until the first frame is drawn, a highlighted thread waits to be opened.
        self._first_frame_drawn = False

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            with Vertical(id="list-column"):
                # The filter bar is mounted when first wanted: not in the first frame.
                yield ThreadList(id="threads")
            with Vertical(id="reader"):
                with Vertical(id="panes"):
                    yield ArticleView(id="article")
                    yield ReplyView(id="replies")
                # The search bar is mounted right after the first frame (see below).
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleView).border_title = "Article"
        self.query_one(ReplyView).border_title = "Replies"
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
        await self._mount_search_bar()

    async def _mount_search_bar(self) -> None:
        """Mount the search bar if that has not been done; return once it is mounted.

        It is not part of the first frame (six widgets, one an Input): it comes right
        after. A ``/`` pressed sooner waits here for it.
        """
        if self._search_bar_mounted.is_set():
            return
        if not self.query(SearchBar):
            reader = self.query_one("#reader")
            if not reader.is_attached:
                return  # the app is closing (q pressed at once): nothing to mount into
            await reader.mount(SearchBar(self._query_changed, id="search"))
            self._search_bar_mounted.set()
        await self._search_bar_mounted.wait()

    # ------------------------------------------------------------------ layout

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        was_narrow = self.has_class("-narrow")
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")
        if width < NARROW and not was_narrow and self.show_list:
            reader = self.query_one("#reader")
            if self.focused is not None and reader in self.focused.ancestors_with_self:
                # The thread has the keys: it stays on screen and the list folds away,
                # rather than the keys going on to a pane that is no longer shown.
                self.show_list = False
                self._list_folded_by_width = True
        elif width >= NARROW and was_narrow and self._list_folded_by_width:
            # Wide again: the list comes back beside the thread, the keys stay put.
            self.set_reactive(MainScreen.show_list, True)
            self.remove_class("-hide-list")
            self._list_folded_by_width = False

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
            self.query_one(FilterBar).action_close(True)
            return
        if self.has_class("-narrow") and not self.show_list:
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

    def on_library_batch(self, message: LibraryBatch) -> None:
        threads = self.query_one(ThreadList)
        if message.batch:
            threads.add_rows(message.batch)
        if message.done:
            self.scanning = False
            threads.border_subtitle = ""
            if not threads.rows:
                where = ", ".join(one_line(p) for p in self.paths)
                advice = (
                    f"threadtui looked in {where} and found no thread files. "
                    "It reads plain-text forum dumps (.txt), forum, Reddit, Hacker News and "
                    "Discourse JSON (.json) and mailing-list archives (.mbox). "
                    "Open another folder with: threadtui PATH. Press q to quit."
                )
                # The list says it too: at 80 columns the article pane is hidden.
                threads.empty_text = f"No threads found.\n\n{advice}"
                threads.refresh()
                self.query_one(ArticleView).show_message("No threads here", advice)
                self.query_one(ReplyView).clear()
        else:
            percent = 100 * message.seen // max(message.total, 1)
            threads.border_subtitle = f"reading {message.seen:,}/{message.total:,} · {percent}%"

    # ------------------------------------------------------------------ opening threads

    @on(ThreadList.Highlighted)
    def _thread_highlighted(self, message: ThreadList.Highlighted) -> None:
        if self._first_frame_drawn:
            self.open_thread(message.summary)

    @on(ThreadList.Selected)
    def _thread_selected(self, message: ThreadList.Selected) -> None:
        if self.thread_path != message.summary.path:
            self.open_thread(message.summary)
        if self.has_class("-narrow"):
            self.show_list = False
        self.set_focus(self.query_one(ArticleView))

    def open_thread(self, summary: ThreadSummary) -> None:
        """Show the thread behind a list row (parsing it in a worker)."""
        if summary.error:
            self._apply(self.search.thread_lost())
            self.thread = None
            self.thread_path = summary.path
            self.query_one(ArticleView).show_message(
                f"{one_line(summary.name)} could not be read",
                f"{one_line(summary.path)}: {summary.error}",
                error=True,
            )
            self._clear_replies()
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
        if current is not None:
            fresh = summary_of(message.thread, current.path, current.size, current.mtime)
            if fresh != current:
                # The file changed since the scan read it: the row says what is shown now.
                self.query_one(ThreadList).replace_row(fresh)
        collapsed, open_quotes = self._folds[message.path]
        self.query_one(ArticleView).show_thread(message.thread)
        replies = self.query_one(ReplyView)
        replies.show_thread(message.thread, collapsed, open_quotes, message.layout)
        count = len(message.layout)
        replies.border_title = f"Replies ({count:,})"
        self._show_reply_place(replies.cursor)
        self._apply(self.search.thread_shown(message.path))

    def on_thread_failed(self, message: ThreadFailed) -> None:
        self._apply(self.search.thread_lost())
        self.thread = None
        self.thread_path = message.path
        self.query_one(ArticleView).show_message(
            "This thread could not be read",
            f"{one_line(message.path)}: {message.error}",
            error=True,
        )
        self._clear_replies()

    def _clear_replies(self) -> None:
        replies = self.query_one(ReplyView)
        replies.clear()
        replies.border_title = "Replies"
        replies.border_subtitle = ""

    def go_to_thread(self, path: str) -> None:
        """Highlight and show the thread stored at ``path`` (from the command palette)."""
        threads = self.query_one(ThreadList)
        for index, row in enumerate(threads.rows):
            if row.path == path:
                if index != threads.cursor or self.thread_path != path:
                    threads.set_cursor(index)  # the open thread stays as it is, in place
                return

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

    @on(ReplyView.CursorMoved)
    def _reply_moved(self, message: ReplyView.CursorMoved) -> None:
        self._show_reply_place(message.index)

    def _show_reply_place(self, index: int) -> None:
        """``#7 · 6 of 320`` under the replies: where the reply cursor is."""
        replies = self.query_one(ReplyView)
        layout = replies.reply_layout
        if layout is None or not 0 <= index < len(layout):
            replies.border_subtitle = ""
            return
        number = layout.posts[index].number
        replies.border_subtitle = f"#{number} · {index + 1:,} of {len(layout):,}"

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
        """``f``: the filter bar over the list (mounted when first wanted), with the keys."""
        if not self.show_list:
            self.show_list = True
        self.add_class("-filtering")
        bars = self.query(FilterBar)
        if bars:
            bar = bars.first()
        else:
            bar = FilterBar(id="filter")
            await self.query_one("#list-column").mount(bar, before=0)
        self.set_focus(bar)  # at once: keys after the f are queued already (TYPE_AHEAD_BINDINGS)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, message: Input.Changed) -> None:
        message.stop()
        try:
            query = lazy_search.compile_query(message.value)
        except lazy_search.QueryError:
            query = None  # empty: every thread
        self.query_one(ThreadList).set_filter(query)

    @on(FilterBar.Closed)
    def _filter_closed(self, message: FilterBar.Closed) -> None:
        if message.clear or not self.query_one(FilterBar).value:
            self.query_one(ThreadList).set_filter(None)
            self.remove_class("-filtering")
        self.set_focus(self.query_one(ThreadList))

    # ------------------------------------------------------------------ search the folder

    async def action_search_folder(self) -> None:
        """``F``: search every listed thread, then open the chosen hit."""
        from threadtui.tui.screens.folder_search import FolderSearchScreen  # only when used

        paths = [row.path for row in self.query_one(ThreadList).all_rows if not row.error]
        text = self.query_one(SearchBar).text if self.searching else ""
        await self.app.push_screen(
            FolderSearchScreen(paths, self.cache, text),
            self._open_folder_hit,
        )

    async def _open_folder_hit(self, chosen: tuple[FolderHit, Query] | None) -> None:
        """Open the thread of a folder-search hit, at that match, highlighted."""
        if chosen is None:
            return
        await self._mount_search_bar()
        found, query = chosen
        if self.has_class("-narrow") and self.show_list:
            # Narrow: the thread (and its bar) take the screen. First, so that the focus
            # Esc goes back to is not the list, hidden now.
            self.show_list = False
        if not self.searching:
            self._focus_before = self.focused
        # The hit is selected once its thread is searched; if it is the open thread,
        # its index is built now (it may not exist if / was never used on it).
        self._apply(self.search.open_at(found.path, found.hit))
        self.add_class("-searching")
        threads = self.query_one(ThreadList)
        if threads.filter is not None and all(r.path != found.path for r in threads.rows):
            self.query_one(FilterBar).value = ""  # the filter hid it: show everything again
            threads.set_filter(None)
            self.remove_class("-filtering")
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

    @property
    def _query(self) -> Query | None:
        # For tests/tui/test_big_article.py, which waits on it; self.search.query is the one.
        return self.search.query

    async def action_search(self, focus_bar: bool = True) -> None:
        """``/``: open the search bar (or go back to it)."""
        await self._mount_search_bar()
        current = self.query_one(ThreadList).current
        # A thread still being read (or the first one, while the folder is) is searched
        # as soon as it arrives (on_thread_loaded).
        on_its_way = (current is None and self.scanning) or (
            current is not None and not current.error
        )
        if self.thread is None and not on_its_way:
            self.notify("Open a thread to search it.", timeout=3)
            return
        replies = self.query_one(ReplyView)
        origin = ARTICLE
        if self.focused is replies and replies.reply_layout is not None:
            origin = replies.cursor
        if self.has_class("-narrow") and self.show_list:
            self.show_list = False  # narrow: the bar lives with the thread, not the list
        if not self.searching:
            self._focus_before = self.focused
        self.add_class("-searching")
        if focus_bar:
            self.query_one(SearchBar).open()
        self._apply(self.search.open(origin))

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
            article = self.query_one(ArticleView)
            line = article.current_match_line()
            if line is not None:
                article.scroll_line_into_view(line)
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
        ready = self._search_bar_mounted.is_set()
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
