"""The folder search's results: two lines a hit, drawn by line, so 100,000 hits cost nothing."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from threadtui.safe import one_line, safe_text
from threadtui.search.hits import FolderError, FolderHit
from threadtui.tui.widgets.row_cursor import RowCursor
from threadtui.tui.widgets.strips import FrameStyle, text_strip

ROW_HEIGHT = RowCursor.ROW_HEIGHT


def in_view(line: Text, start: int, end: int, width: int) -> Text:
    """``line``, cut on the left (marked ``…``) if that is what it takes to show the match.

    The folder search keeps up to 200 characters around a match, a third of the room
    before it; a narrower pane would cut a match that lies far in off on the right.
    """
    plain = line.plain
    if cell_len(plain[:end]) < width:
        return line  # the match ends inside the pane already
    room = max(width - 1 - cell_len(plain[start:end]), 0)  # 1: the "…" put in front
    lo, before = start, 0
    while lo > 0 and before + cell_len(plain[lo - 1]) <= room // 3:
        lo -= 1
        before += cell_len(plain[lo])
    return Text("…") + line[lo:]


class HitList(RowCursor, FrameStyle, ScrollView, can_focus=True):
    """Thread title and post number, then the line around the match, the match marked."""

    BINDINGS = [
        Binding("down,j", "move(1)", "Down", show=False),
        Binding("up,k", "move(-1)", "Up", show=False),
        Binding("pagedown", "page(1)", "Page down", show=False),
        Binding("pageup", "page(-1)", "Page up", show=False),
        Binding("home,g", "jump(0)", "First", show=False),
        Binding("end,G", "jump(-1)", "Last", show=False),
        Binding("enter", "open", "Open"),
    ]

    COMPONENT_CLASSES = {
        "hitlist--cursor",
        "hitlist--title",
        "hitlist--meta",
        "hitlist--match",
        "hitlist--error",
    }

    cursor: reactive[int] = reactive(0, repaint=False)

    class Chosen(Message):
        """Enter (or a double click) on a hit: open it."""

        def __init__(self, hit: FolderHit) -> None:
            super().__init__()
            self.hit = hit

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.rows: list[FolderHit | FolderError] = []

    def clear(self) -> None:
        """No results (a new query started)."""
        self.rows = []
        self.cursor = 0
        self._fit_virtual_size()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def add(self, batch: list[FolderHit | FolderError]) -> None:
        """Append results as the search finds them."""
        self.rows.extend(batch)
        self._fit_virtual_size()
        self.refresh()

    @property
    def current(self) -> FolderHit | None:
        """The highlighted hit (None on an error row or when empty)."""
        if 0 <= self.cursor < len(self.rows):
            row = self.rows[self.cursor]
            return row if isinstance(row, FolderHit) else None
        return None

    def set_cursor(self, index: int) -> None:
        """Highlight row ``index`` (clamped) and scroll it into view."""
        if not self.rows:
            return
        self.cursor = max(0, min(index, len(self.rows) - 1))
        self._scroll_to_cursor()
        self.refresh()

    def action_open(self) -> None:
        if self.current is not None:
            self.post_message(self.Chosen(self.current))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        index, part = divmod(y + int(self.scroll_y), ROW_HEIGHT)
        if index >= len(self.rows):
            return Strip.blank(width, base)
        row = self.rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style(
                "hitlist--cursor", partial=not self.has_focus
            )
        if isinstance(row, FolderError):
            error_style = self.get_component_rich_style("hitlist--error")
            if part == 0:
                text = Text(" ⚠ ", style=error_style).append_text(safe_text(one_line(row.path)))
            else:
                text = Text("   ").append_text(safe_text(one_line(row.error), ""))
                text.stylize(error_style)
        elif part == 0:
            text = Text(" ")
            text.append_text(safe_text(one_line(row.title)))
            text.stylize(self.get_component_rich_style("hitlist--title"), 1)
            where = "article" if row.post_number == 1 else f"#{row.post_number}"
            text.append(f"  {where}", style=self.get_component_rich_style("hitlist--meta"))
        else:
            text = Text("   ")
            line = safe_text(row.line)  # already one visible line; never markup
            line.stylize(
                self.get_component_rich_style("hitlist--match"), row.line_start, row.line_end
            )
            text.append_text(in_view(line, row.line_start, row.line_end, width - len(text)))
        text.truncate(width, overflow="ellipsis")
        return text_strip(text, self.app.console, width, style)

    def on_resize(self) -> None:
        self._fit_virtual_size()  # whole-row scrolling needs the padding for this height

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()
