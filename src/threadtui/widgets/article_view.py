"""The article pane: the opening post, wrapped at a readable measure, drawn by line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from threadtui.model import Thread
from threadtui.render import PLAIN, article_lines, wrap
from threadtui.safe import safe_text
from threadtui.search.fields import ARTICLE
from threadtui.widgets.strips import FrameStyle, scroll_row_into_view, text_strip

if TYPE_CHECKING:
    from threadtui.search.marks import Highlight


class ArticleView(FrameStyle, ScrollView, can_focus=True):
    """Shows a thread's title, byline and opening post, or a message (error, empty folder)."""

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
        self._lines: list[Text] = []
        self._width = 0
        self._highlight: Highlight | None = None
        self._reply_count = 0  # counted once per thread, not on every re-mark
        self._remark = False  # the highlight changed; the lines are re-marked when next used

    @property
    def lines(self) -> list[Text]:
        """The wrapped lines currently shown (for tests and search)."""
        self._apply_highlight()
        return self._lines

    def show_thread(self, thread: Thread) -> None:
        """Display ``thread``'s article from the top."""
        self.thread = thread
        self._reply_count = thread.reply_count
        self._message = None
        self._highlight = None
        self._relayout(force=True)
        self.scroll_to(0, 0, animate=False)

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Mark search matches (None: no search), keeping the scroll position."""
        if highlight == self._highlight:
            return
        self._highlight = highlight
        # Re-marked when drawn, not here: of a burst of keys only the last query is drawn.
        # Marks never change how text wraps, so the height stays.
        self._remark = True
        self.refresh()

    def _apply_highlight(self) -> None:
        """Re-mark the lines if the highlight changed (same wrapping: no layout, no refresh)."""
        if self._remark:
            self._remark = False
            if self.thread is not None:
                self._lines = self._article_lines(self._width)

    def _article_lines(self, width: int) -> list[Text]:
        assert self.thread is not None
        marker = self._highlight.at(ARTICLE) if self._highlight is not None else None
        return article_lines(
            self.thread, width, theme=PLAIN, marker=marker, reply_count=self._reply_count
        )

    def current_match_line(self) -> int | None:
        """The line holding the current search match, if it is in the article."""
        if self._highlight is None or self._highlight.current is None:
            return None
        style = self._highlight.current_style
        for number, line in enumerate(self.lines):
            if any(span.style == style for span in line.spans):
                return number
        return None

    def scroll_line_into_view(self, line: int) -> None:
        """Scroll so that ``line`` shows, a third of the way down if it was off screen."""
        scroll_row_into_view(self, line)

    def show_message(self, title: str, body: str, *, error: bool = False) -> None:
        """Display a message instead of a thread (a parse error, an empty folder)."""
        self.thread = None
        self._message = (title, body) if not error else ("⚠ " + title, body)
        self._relayout(force=True)
        self.scroll_to(0, 0, animate=False)

    def _relayout(self, force: bool = False) -> None:
        width = max(self.scrollable_content_region.width - 2, 10)
        if not force and width == self._width:
            return
        self._width = width
        self._remark = False
        if self.thread is not None:
            self._lines = self._article_lines(width)
        elif self._message is not None:
            title, body = self._message
            lines = wrap(safe_text(title, "bold"), min(width, 80))
            lines.append(Text())
            for part in body.split("\n"):
                lines.extend(wrap(safe_text(part), min(width, 80)))
            self._lines = lines
        else:
            self._lines = []
        self.virtual_size = Size(0, len(self._lines))
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._apply_highlight()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_y)
        if index >= len(self._lines):
            return Strip.blank(width, self.base_style)
        line = Text(" ").append_text(self._lines[index])
        return text_strip(line, self.app.console, width, self.base_style, int(self.scroll_x))

    def action_scroll_lines(self, step: int) -> None:
        self.scroll_to(y=self.scroll_y + step, animate=False)

    def action_scroll_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height - 1, 1)
        self.scroll_to(y=self.scroll_y + direction * page, animate=False)

    def action_scroll_edge(self, end: int) -> None:
        self.scroll_to(y=self.max_scroll_y if end else 0, animate=False)
