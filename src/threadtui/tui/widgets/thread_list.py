"""The thread list: a Line-API view, so 10,000 threads cost the same as 10.

The list owns what its border and its empty state say: how many threads, the sort,
the filter, the scan's progress (:attr:`ThreadList.scan`, set by the screen) and,
once the scan found nothing, what to do about it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from threadtui.library import SORT_KEYS, ThreadSummary, sort_summaries, summary_of
from threadtui.model import Thread
from threadtui.safe import one_line, safe_text
from threadtui.tui.widgets.row_cursor import RowCursor
from threadtui.tui.widgets.strips import FrameStyle, text_strip
from threadtui.view.render import wrap

if TYPE_CHECKING:
    from threadtui.search.query import Query

ROW_HEIGHT = RowCursor.ROW_HEIGHT


class ScanProgress(NamedTuple):
    """How far the scan of the folder is: ``seen`` of ``total`` files summarised."""

    seen: int
    total: int
    done: bool


class ThreadList(RowCursor, FrameStyle, ScrollView, can_focus=True):
    """One two-line row per thread: title, then starter · date · replies."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown,space", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("enter", "open", "Read"),
        Binding("s", "cycle_sort", "Sort"),
        # "f" (filter) is the screen's, a key that must be handled before the next one.
    ]

    COMPONENT_CLASSES = {
        "threadlist--cursor",
        "threadlist--title",
        "threadlist--meta",
        "threadlist--error",
        "threadlist--empty",
        "threadlist--match",
    }

    cursor: reactive[int] = reactive(0, repaint=False)
    """Index of the highlighted row in the shown order."""

    sort_key: reactive[str] = reactive("date")
    """One of :data:`threadtui.library.SORT_KEYS`."""

    scan: reactive[ScanProgress | None] = reactive(None, init=False)
    """The scan's last report (None before the first): the border shows its progress."""

    class Highlighted(Message):
        """The highlight moved to another thread."""

        def __init__(self, summary: ThreadSummary) -> None:
            super().__init__()
            self.summary = summary

    class Selected(Message):
        """Enter was pressed on a thread: read it."""

        def __init__(self, summary: ThreadSummary) -> None:
            super().__init__()
            self.summary = summary

    def __init__(self, paths: Sequence[str] = (), *, id: str | None = None) -> None:  # noqa: A002
        """``paths``: the folders and files listed (named when none holds a thread)."""
        super().__init__(id=id)
        self.paths = paths
        self._all: list[ThreadSummary] = []
        self.rows: list[ThreadSummary] = []
        self.filter: Query | None = None
        # Until the user moves the highlight, it stays on the top row while the scan
        # fills the list (otherwise it would stick to whichever file was read first).
        self._user_moved = False
        # The thread on show when a filter matched nothing (the list then has no current
        # row): the one to highlight again when the filter changes or is cleared.
        self._held: ThreadSummary | None = None

    # ------------------------------------------------------------------ data

    def add_rows(self, batch: list[ThreadSummary]) -> None:
        """Append a batch from the scan, keeping the highlighted thread highlighted."""
        current = self.current
        self._all.extend(batch)
        self._resort(keep=current)

    def replace_row(self, summary: ThreadSummary) -> None:
        """Swap in a fresh summary for the same path (after a file changed)."""
        self._all = [summary if r.path == summary.path else r for r in self._all]
        self._resort(keep=self.current)

    def current_read(self, thread: Thread) -> None:
        """The highlighted row's thread was just read: if its file changed since the scan,
        the row says what is shown now."""
        current = self.current
        if current is not None:
            fresh = summary_of(thread, current.path, current.size, current.mtime)
            if fresh != current:
                self.replace_row(fresh)

    @property
    def scanning(self) -> bool:
        """Whether the scan may still add rows."""
        return self.scan is None or not self.scan.done

    def watch_scan(self, scan: ScanProgress | None) -> None:
        if scan is None or scan.done:
            self.border_subtitle = ""
        else:
            percent = 100 * scan.seen // max(scan.total, 1)
            self.border_subtitle = f"reading {scan.seen:,}/{scan.total:,} · {percent}%"

    @property
    def advice(self) -> str:
        """What the empty state says when the folder holds no thread."""
        where = ", ".join(one_line(p) for p in self.paths)
        return (
            f"threadtui looked in {where} and found no thread files. "
            "It reads plain-text forum dumps (.txt), forum, Reddit, Hacker News and "
            "Discourse JSON (.json) and mailing-list archives (.mbox). "
            "Open another folder with: threadtui PATH. Press q to quit."
        )

    @property
    def all_rows(self) -> list[ThreadSummary]:
        """Every listed thread, filtered out or not, in the list's order."""
        return self.rows if self.filter is None else sort_summaries(self._all, self.sort_key)

    @property
    def readable_paths(self) -> list[str]:
        """The files of every listed thread but those the scan could not read."""
        return [row.path for row in self.all_rows if not row.error]

    @property
    def current(self) -> ThreadSummary | None:
        """The highlighted thread, if any."""
        if 0 <= self.cursor < len(self.rows):
            return self.rows[self.cursor]
        return None

    @property
    def thread_coming(self) -> bool:
        """Whether a thread is highlighted that can be read, or the scan may bring one."""
        current = self.current
        return self.scanning if current is None else not current.error

    def index_of(self, path: str) -> int | None:
        """Where the thread stored at ``path`` is in the shown rows (None: not shown)."""
        return next((i for i, row in enumerate(self.rows) if row.path == path), None)

    def filter_by(self, text: str) -> None:
        """Show only threads whose title or starter matches ``text`` as typed (empty: all)."""
        from threadtui import search  # its query module loads with the first filter

        try:
            query = search.compile_query(text)
        except search.QueryError:
            query = None  # empty: every thread
        self.set_filter(query)

    def set_filter(self, query: Query | None) -> None:
        """Show only threads whose title or starter matches ``query`` (None: all)."""
        if query == self.filter:
            return
        self.filter = query
        # The thread on show stays highlighted through a filter change (clearing a filter
        # jumped to the top row and opened another thread), moved by the user or not,
        # also after a filter that matched nothing (a typo on the way).
        keep = self.current or self._held
        self._held = keep
        self._resort(keep=keep, hold=True)

    def _matcher(self, query: Query) -> Callable[[ThreadSummary], bool]:
        """Whether a row's title or starter matches ``query``."""
        from threadtui.search.query import nfc_view  # with the first filter, not at start-up

        pattern = query.pattern
        return lambda row: bool(
            pattern.search(nfc_view(one_line(row.title)).text)
            or (row.author and pattern.search(nfc_view(one_line(row.author)).text))
        )

    def _resort(self, keep: ThreadSummary | None, hold: bool = False) -> None:
        rows = sort_summaries(self._all, self.sort_key)
        if self.filter is not None:
            rows = list(filter(self._matcher(self.filter), rows))
        self.rows = rows
        self._fit_virtual_size()
        if keep is not None and (self._user_moved or hold):
            index = self.index_of(keep.path)
            # When a filter hid the highlighted thread, the top row is now shown.
            self.set_cursor(index or 0, announce=index is None, by_user=False)
        elif self.rows:
            changed = keep is None or self.rows[0].path != keep.path
            self.set_cursor(0, announce=changed, by_user=False)
        self._update_title()
        self.refresh()

    def _update_title(self) -> None:
        arrow = "↓" if self.sort_key in ("date", "replies") else "↑"
        count = f"{len(self.rows):,}"
        if self.filter is not None:
            count = f"{count} of {len(self._all):,} matching"
        self.border_title = f"Threads {count} · by {self.sort_key} {arrow}"

    def watch_sort_key(self) -> None:
        self._resort(keep=self.current)

    # ------------------------------------------------------------------ cursor

    def set_cursor(self, index: int, *, announce: bool = True, by_user: bool = True) -> None:
        """Move the highlight to ``index`` (clamped), scroll it into view, tell the screen.

        Setting the row already highlighted tells the screen again, which opens (reads)
        the thread again. The keys and clicks never do that (see
        ``RowCursor._move_cursor``; the screen's ``[``/``]`` go through ``action_move``).
        """
        if not self.rows:
            return
        self._user_moved = self._user_moved or by_user
        index = max(0, min(index, len(self.rows) - 1))
        old = self.cursor
        self.cursor = index
        self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_to_cursor()
        if announce:
            self.post_message(self.Highlighted(self.rows[index]))

    def _move_cursor(self, index: int) -> None:
        # A key or click on the highlighted row is still the user's choice of it: from
        # now on a re-sort or a new scan batch keeps it highlighted (not the top row).
        self._user_moved = self._user_moved or bool(self.rows)
        super()._move_cursor(index)

    def _refresh_row(self, index: int) -> None:
        y = index * ROW_HEIGHT - int(self.scroll_y)
        self.refresh_lines(y, ROW_HEIGHT)

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Selected(self.current))

    def action_cycle_sort(self) -> None:
        self.sort_key = SORT_KEYS[(SORT_KEYS.index(self.sort_key) + 1) % len(SORT_KEYS)]

    # ------------------------------------------------------------------ drawing

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        row_y = y + int(self.scroll_y)
        index, part = divmod(row_y, ROW_HEIGHT)
        if not self.rows:
            empty_style = self.get_component_rich_style("threadlist--empty")
            lines: list[Text] = []
            for paragraph in self._empty_text().split("\n"):
                lines.extend(wrap(Text(paragraph, style=empty_style), max(width - 2, 10)))
            if y < len(lines):
                return text_strip(Text(" ").append_text(lines[y]), self.app.console, width, base)
            return Strip.blank(width, base)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("threadlist--cursor")
        if part == 0:
            text = Text(" ")
            if row.error:
                text.append("⚠ ", style=self.get_component_rich_style("threadlist--error"))
            title = one_line(row.title)
            spans = self._filter_spans(title)
            cut = spans[0][0] - 8 if spans else 0
            if cut > 0 and spans[0][1] > width - len(text) - 1:
                # The first match lies past the pane's edge: cut the title on the left, so
                # the row shows why it matched (instead of "…" where the match is).
                title = "…" + title[cut:]
                spans = [(start - cut + 1, end - cut + 1) for start, end in spans if start >= cut]
            offset = len(text)
            text.append_text(safe_text(title))
            text.stylize(self.get_component_rich_style("threadlist--title"), 1)
            self._mark(text, spans, offset)
        else:
            meta_style = self.get_component_rich_style("threadlist--meta")
            if row.error:
                text = Text(
                    "   " + one_line(row.error),
                    style=self.get_component_rich_style("threadlist--error"),
                )
            else:
                author = one_line(row.author or "anonymous", 30)
                parts = [author]
                if row.date:
                    parts.append(row.date[:10])
                parts.append(
                    f"{row.reply_count:,} {'reply' if row.reply_count == 1 else 'replies'}"
                )
                text = Text("   " + " · ".join(parts), style=meta_style)
                if row.author:
                    self._mark(text, self._filter_spans(author), 3)
        text.truncate(width, overflow="ellipsis")
        return text_strip(text, self.app.console, width, style)

    def _empty_text(self) -> str:
        """What the list says while no row shows: why not, and what to do."""
        if self.filter is not None and self._all:
            return "No thread's title or starter matches the filter.\n\nEsc clears it."
        if not self.scanning and not self._all:
            # The list says it too (not only the article): at 80 columns that is hidden.
            return f"No threads found.\n\n{self.advice}"
        return "Looking for threads…"

    def _filter_spans(self, shown: str) -> list[tuple[int, int]]:
        """Where the filter matches ``shown`` (a row's title or starter as drawn)."""
        if self.filter is None:
            return []
        from threadtui.search.query import QueryTimeout, find_spans  # loaded by the filter

        try:
            return find_spans(self.filter, shown)
        except QueryTimeout:
            return []

    def _mark(self, text: Text, spans: list[tuple[int, int]], offset: int) -> None:
        """Mark the filter's matches in a row, so it shows why the row is listed."""
        style = self.get_component_rich_style("threadlist--match")
        for start, end in spans:
            text.stylize(style, offset + start, offset + end)

    def on_resize(self) -> None:
        self._fit_virtual_size()
        if self.rows:
            self._scroll_to_cursor()  # a lower view (narrow/wide layout) may have cut it

    def on_focus(self, event: events.Focus) -> None:
        self._refresh_row(self.cursor)

    def on_blur(self, event: events.Blur) -> None:
        self._refresh_row(self.cursor)
