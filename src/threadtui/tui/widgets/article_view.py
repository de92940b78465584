"""The article pane: the opening post, wrapped at a readable measure, drawn by line.

The article is laid out once per thread and width. Search marks are put on each line
as it is drawn (:class:`threadtui.view.marks.LineMarker`), never on the whole post:
an opening post can be a 1.6 MB mailbox of 36,000 lines, and a key typed in the
search bar must cost what is on screen.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from threadtui.model import Thread
from threadtui.safe import one_line, safe_text
from threadtui.search.fields import ARTICLE
from threadtui.tui.widgets.strips import FrameStyle, scroll_row_into_view, text_strip
from threadtui.view.render import FieldLines, article_field_lines, wrap

if TYPE_CHECKING:
    from threadtui.view.marks import Highlight, LineMarker


class ArticleView(FrameStyle, ScrollView, can_focus=True):
    """Shows a thread's title, byline and opening post, or a message (error, empty folder)."""

    BORDER_TITLE = "Article"

    BINDINGS = [
        Binding("down,j", "scroll_lines(1)", "Down", show=False),
        Binding("up,k", "scroll_lines(-1)", "Up", show=False),
        Binding("pagedown,space", "scroll_page(1)", "Page down", show=False),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False),
        Binding("home,g", "scroll_edge(0)", "Top", show=False),
        Binding("end,G", "scroll_edge(1)", "Bottom", show=False),
    ]

    COMPONENT_CLASSES = {"articleview--title", "articleview--meta", "articleview--error"}

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.thread: Thread | None = None
        self._message: tuple[str, str] | None = ("", "")
        self._lines: list[Text] = []  # as laid out, never marked
        self._width = 0
        self._highlight: Highlight | None = None
        self._reply_count = 0  # counted once per thread, not on every re-mark
        # The article's lines with where each field lies on them (None while a message
        # shows), and what marks them as they are drawn (None while no search is on). A
        # new query or current match lays nothing out and searches nothing: the lines
        # drawn next are marked, and the fields on them searched, so a key costs a
        # screenful however long the post.
        self._layout: FieldLines | None = None
        self._marks: LineMarker | None = None

    @property
    def lines(self) -> list[Text]:
        """The wrapped lines, marked (for tests: this marks every line)."""
        return [self._line(number) for number in range(len(self._lines))]

    @property
    def line_marker(self) -> LineMarker | None:
        """What marks the article's lines as they are drawn (for tests)."""
        return self._marks

    def _line(self, number: int) -> Text:
        marks = self._marks
        return self._lines[number] if marks is None else marks.line(number)

    def show_thread(self, thread: Thread) -> None:
        """Display ``thread``'s article from the top."""
        self.thread = thread
        self._reply_count = thread.reply_count
        self._message = None
        self._highlight = None
        self._marks = None
        self.remove_class("-message")
        self._relayout(force=True)
        self.scroll_to(0, 0, animate=False)

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Mark search matches (None: no search), keeping the scroll position."""
        if highlight == self._highlight:
            return
        self._highlight = highlight
        self._follow_highlight()
        self.refresh()

    def _follow_highlight(self) -> None:
        """Give the line marker the highlight. Marks never change how text wraps: the
        lines and the height stay, and the lines on screen are marked when next drawn."""
        if self._highlight is None or self._layout is None:
            self._marks = None
            return
        if self._marks is None:
            # Loaded with the search machinery, at the first query (not at start-up).
            from threadtui.view.marks import LineMarker

            self._marks = LineMarker(self._layout, ARTICLE)
        self._marks.set_highlight(self._highlight)

    def current_match_line(self) -> int | None:
        """The line holding the current search match, if it is in the article."""
        return None if self._marks is None else self._marks.current_line()

    def go_to_match(self) -> None:
        """Scroll the current search match into view (a third of the way down if it was off
        screen); nothing moves while it is not in the article."""
        line = self.current_match_line()
        if line is not None:
            scroll_row_into_view(self, line)

    def show_unreadable(self, path: str, error: str, name: str | None = None) -> None:
        """Say that the thread in ``path`` (named ``name`` in the list) could not be read."""
        title = "This thread" if name is None else one_line(name)
        self.show_message(f"{title} could not be read", f"{one_line(path)}: {error}", error=True)

    def show_no_threads(self, advice: str) -> None:
        """Say that the folder holds no thread, and what to do (``advice``)."""
        self.show_message("No threads here", advice)

    def show_message(self, title: str, body: str, *, error: bool = False) -> None:
        """Display a message instead of a thread (a parse error, an empty folder)."""
        self.thread = None
        self._message = (title, body) if not error else ("⚠ " + title, body)
        self.add_class("-message")  # a message keeps the pane's full share (see the CSS)
        self._relayout(force=True)
        self.scroll_to(0, 0, animate=False)

    def _relayout(self, force: bool = False) -> None:
        # The scrollbar's columns are kept free whether it shows or not (see ReplyView).
        width = max(self.content_region.width - self.styles.scrollbar_size_vertical - 2, 10)
        if not force and width == self._width:
            return
        self._width = width
        if self.thread is not None:
            layout = article_field_lines(self.thread, width, reply_count=self._reply_count)
            self._layout = layout
            self._lines = layout.lines
            if self._marks is not None:
                self._marks.set_layout(layout)
            else:
                self._follow_highlight()
        elif self._message is not None:
            title, body = self._message
            lines = wrap(safe_text(title, "bold"), min(width, 80))
            lines.append(Text())
            for part in body.split("\n"):
                lines.extend(wrap(safe_text(part), min(width, 80)))
            self._lines = lines
            self._layout = self._marks = None
        else:
            self._lines = []
            self._layout = self._marks = None
        self.virtual_size = Size(0, len(self._lines))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(width, self.base_style)
        line = Text(" ").append_text(self._line(index))
        return text_strip(line, self.app.console, width, self.base_style, int(self.scroll_x))

    def action_scroll_lines(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False)

    def action_scroll_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_y + direction * page, animate=False)

    def action_scroll_edge(self, end: int) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False)
