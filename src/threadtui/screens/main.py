"""The main screen: the one place that coordinates the panes.

Panes never talk to each other. They post messages up (``ThreadList.Highlighted``,
``ReplyView.CursorMoved``) and this screen calls their public methods
(``show_thread``, ``go_to_reply``). Scanning and parsing run in thread workers
that report back with messages from :mod:`threadtui.messages`.
"""

from __future__ import annotations

import gc

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer
from textual.worker import get_current_worker

from threadtui.library import ThreadCache, ThreadSummary, scan
from threadtui.messages import LibraryBatch, ThreadFailed, ThreadLoaded
from threadtui.model import Thread
from threadtui.parsing import ParseError, parse_path
from threadtui.render import PLAIN
from threadtui.reply_layout import ReplyLayout
from threadtui.safe import one_line
from threadtui.widgets.article_view import ArticleView
from threadtui.widgets.reply_view import ReplyView
from threadtui.widgets.thread_list import ThreadList

#: Below this many columns the list and the thread take turns on screen.
NARROW = 100
#: From this many columns the article and the replies sit side by side.
WIDE = 200


class MainScreen(Screen[None]):
    """Thread list, article pane and reply pane."""

    BINDINGS = [
        Binding("left_square_bracket", "step_thread(-1)", "Prev thread"),
        Binding("right_square_bracket", "step_thread(1)", "Next thread"),
        Binding("J", "step_reply(1)", "Next reply", show=False),
        Binding("K", "step_reply(-1)", "Prev reply", show=False),
        Binding("r", "toggle_replies", "Replies"),
        Binding("t", "toggle_list", "List"),
        Binding("escape", "back_to_list", "Back", show=False),
    ]

    show_replies: var[bool] = var(True)
    """Whether the reply pane is shown (``r``)."""

    show_list: var[bool] = var(True)
    """Whether the thread list is shown (``t``; narrow terminals show one side at a time)."""

    def __init__(self, paths: list[str]) -> None:
        super().__init__()
        self.paths = paths
        self.cache = ThreadCache()
        self.thread: Thread | None = None
        self.thread_path: str | None = None
        self.scanning = True
        # Fold state per file, kept for this run: (collapsed replies, replies with quotes open).
        self._folds: dict[str, tuple[set[int], set[int]]] = {}

    def compose(self) -> ComposeResult:
        with Horizontal(id="body"):
            yield ThreadList(id="threads")
            with Vertical(id="reader"):
                yield ArticleView(id="article")
                yield ReplyView(id="replies")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(ArticleView).border_title = "Article"
        self.query_one(ReplyView).border_title = "Replies"
        self.query_one(ThreadList).focus()
        self._apply_width(self.size.width)
        self.scan_library()

    # ------------------------------------------------------------------ layout

    def on_resize(self) -> None:
        self._apply_width(self.size.width)

    def _apply_width(self, width: int) -> None:
        self.set_class(width < NARROW, "-narrow")
        self.set_class(width >= WIDE, "-wide")

    def watch_show_replies(self, show: bool) -> None:
        self.set_class(not show, "-hide-replies")
        if not show and self.focused is self.query_one(ReplyView):
            self.query_one(ArticleView).focus()

    def watch_show_list(self, show: bool) -> None:
        self.set_class(not show, "-hide-list")
        if show:
            self.query_one(ThreadList).focus()
        elif self.focused is self.query_one(ThreadList):
            self.query_one(ArticleView).focus()

    def action_toggle_replies(self) -> None:
        self.show_replies = not self.show_replies

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list

    def action_back_to_list(self) -> None:
        if self.has_class("-narrow") and not self.show_list:
            self.show_list = True
        elif self.focused is not self.query_one(ThreadList) and self.show_list:
            self.query_one(ThreadList).focus()

    # ------------------------------------------------------------------ scanning

    @work(thread=True, exclusive=True, group="scan")
    def scan_library(self) -> None:
        """Summarise every file, posting batches as they come."""
        worker = get_current_worker()
        seen = total = 0
        for batch, seen, total in scan(self.paths, self.cache):
            if worker.is_cancelled:
                return
            self.post_message(LibraryBatch(batch, seen, total, done=False))
        self.post_message(LibraryBatch([], seen, total, done=True))
        gc.freeze()  # the summaries and cached threads live for the whole run

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
                    "It reads plain-text forum dumps (.txt) and threadtui JSON (.json). "
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
        self.open_thread(message.summary)

    @on(ThreadList.Selected)
    def _thread_selected(self, message: ThreadList.Selected) -> None:
        if self.thread_path != message.summary.path:
            self.open_thread(message.summary)
        if self.has_class("-narrow"):
            self.show_list = False
        self.query_one(ArticleView).focus()

    def open_thread(self, summary: ThreadSummary) -> None:
        """Show the thread behind a list row (parsing it in a worker)."""
        if summary.error:
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
        worker = get_current_worker()
        thread = self.cache.get(path)
        if thread is None:
            try:
                thread = parse_path(path)
            except ParseError as exc:
                self.post_message(ThreadFailed(path, str(exc)))
                return
        if thread.reply_count > 10_000:
            # A big thread is millions of long-lived objects; without this, Python's
            # full cyclic collections pause the UI for ~250 ms now and then. The model
            # holds no cycles, so reference counting still frees it when it goes.
            gc.freeze()
        if worker.is_cancelled:
            return
        collapsed, open_quotes = self._folds.setdefault(path, (set(), set()))
        layout = ReplyLayout(
            thread, max(width, 20), theme=PLAIN, collapsed=collapsed, open_quotes=open_quotes
        )
        if not worker.is_cancelled:
            self.post_message(ThreadLoaded(path, thread, layout))

    def on_thread_loaded(self, message: ThreadLoaded) -> None:
        current = self.query_one(ThreadList).current
        if current is not None and current.path != message.path:
            return  # the highlight moved on while this one was parsing
        self.thread = message.thread
        self.thread_path = message.path
        collapsed, open_quotes = self._folds[message.path]
        self.query_one(ArticleView).show_thread(message.thread)
        replies = self.query_one(ReplyView)
        replies.show_thread(message.thread, collapsed, open_quotes, message.layout)
        count = len(message.layout)
        replies.border_title = f"Replies ({count:,})"
        replies.border_subtitle = ""

    def on_thread_failed(self, message: ThreadFailed) -> None:
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
                threads.set_cursor(index)
                return

    # ------------------------------------------------------------------ navigation

    def action_step_thread(self, step: int) -> None:
        threads = self.query_one(ThreadList)
        threads.set_cursor(threads.cursor + step)

    def action_step_reply(self, step: int) -> None:
        replies = self.query_one(ReplyView)
        if not self.show_replies:
            self.show_replies = True
        replies.focus()
        replies.next_reply(step)

    @on(ReplyView.CursorMoved)
    def _reply_moved(self, message: ReplyView.CursorMoved) -> None:
        replies = self.query_one(ReplyView)
        total = len(replies.reply_layout) if replies.reply_layout else 0
        replies.border_subtitle = f"#{message.number} · {message.index + 1:,} of {total:,}"

    # ------------------------------------------------------------------ palette actions

    def action_fold_all(self) -> None:
        self.query_one(ReplyView).action_collapse_all()

    def action_unfold_all(self) -> None:
        self.query_one(ReplyView).action_expand_all()

    def action_fold_path(self) -> None:
        self.query_one(ReplyView).action_focus_path()

    def action_cycle_sort(self) -> None:
        self.query_one(ThreadList).action_cycle_sort()
