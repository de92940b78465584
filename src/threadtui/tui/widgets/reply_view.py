"""The reply pane: every reply foldable, drawn line by line from :class:`ReplyLayout`.

Only the replies on screen are wrapped. Keyboard scrolling is *anchored* to
(reply, line) rather than to an absolute row: a reply's height is an
estimate until it is first drawn, and anchoring keeps the text you are
reading still when an estimate above it is corrected.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from threadtui.model import Thread
from threadtui.tui.widgets.strips import FrameStyle, scroll_row_into_view, text_strip
from threadtui.view.render import PLAIN
from threadtui.view.reply_layout import MAX_INDENT_DEPTH, ReplyLayout

if TYPE_CHECKING:
    from threadtui.view.marks import Highlight


class ReplyView(FrameStyle, ScrollView, can_focus=True):
    """All replies of one thread, nested, each with a header that folds it.

    Its border says how many replies there are (``Replies (320)``) and, under them,
    where the cursor is (``#7 · 6 of 320``).
    """

    BORDER_TITLE = "Replies"

    BINDINGS = [
        Binding("down,j", "scroll_lines(1)", "Down", show=False),
        Binding("up,k", "scroll_lines(-1)", "Up", show=False),
        Binding("pagedown", "scroll_page(1)", "Page down", show=False),
        Binding("pageup", "scroll_page(-1)", "Page up", show=False),
        Binding("home,g", "edge(0)", "First", show=False),
        Binding("end,G", "edge(1)", "Last", show=False),
        Binding("enter,space", "toggle_fold", "Fold"),
        Binding("left,h", "collapse", "Collapse", show=False),
        Binding("right,l", "expand", "Expand", show=False),
        Binding("minus", "collapse_all", "Fold all"),
        Binding("plus,equals_sign", "expand_all", "Unfold all"),
        Binding("z", "focus_path", "Only this"),
        Binding("o", "toggle_quotes", "Quotes"),
    ]

    COMPONENT_CLASSES = {
        "replyview--cursor",
        "replyview--guide",
        "replyview--header",
        "replyview--empty",
    }

    cursor: reactive[int] = reactive(0, repaint=False)
    """Index (in reading order) of the current reply."""

    class FoldsChanged(Message):
        """Replies were folded or unfolded by the user (the search's fold count follows)."""

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self.reply_layout: ReplyLayout | None = None
        self._strips: LRUCache[tuple[int, int, int, bool, bool], Strip] = LRUCache(4096)

    # ------------------------------------------------------------------ loading

    def show_thread(
        self,
        thread: Thread,
        collapsed: set[int],
        open_quotes: set[int],
        layout: ReplyLayout | None = None,
    ) -> None:
        """Show ``thread``'s replies; the fold sets are shared with the caller and kept up to date."""
        width = self._content_width()
        self.reply_layout = layout or ReplyLayout(
            thread, width, theme=PLAIN, collapsed=collapsed, open_quotes=open_quotes
        )
        self.reply_layout.set_width(width)
        self._strips.clear()
        self.cursor = 0
        self.border_title = f"Replies ({len(self.reply_layout):,})"
        self._show_place()
        self._sync_size()
        self.scroll_to(0, 0, animate=False)
        self.refresh()

    def clear(self) -> None:
        """Show nothing (no thread selected, or an error)."""
        self.reply_layout = None
        self._strips.clear()
        self.border_title = self.BORDER_TITLE
        self._show_place()
        self.virtual_size = Size(0, 0)
        self.refresh()

    def _show_place(self) -> None:
        """``#7 · 6 of 320`` under the replies: where the cursor is (nothing without replies)."""
        layout = self.reply_layout
        if layout is None or not len(layout):
            self.border_subtitle = ""
            return
        number = layout.posts[self.cursor].number
        self.border_subtitle = f"#{number} · {self.cursor + 1:,} of {len(layout):,}"

    def _content_width(self) -> int:
        # The scrollbar's columns are kept free whether it shows or not: it appears only
        # once the wrapped replies overflow, after they were wrapped, and nothing else
        # re-wraps then (the first opening was a column wider than every later one).
        return max(self.content_region.width - self.styles.scrollbar_size_vertical - 1, 20)

    def _sync_size(self) -> None:
        if self.reply_layout is not None:
            # Width 0: lines are wrapped to the pane, so there is never a horizontal scroll.
            self.virtual_size = Size(0, self.reply_layout.total_rows)

    def on_resize(self) -> None:
        if self.reply_layout is None:
            return
        anchor = self._anchor()
        self.reply_layout.set_width(self._content_width())
        self._strips.clear()
        self._scroll_to_anchor(*anchor)

    # ------------------------------------------------------------------ anchors

    def _anchor(self) -> tuple[int, int]:
        assert self.reply_layout is not None
        return self.reply_layout.at_row(int(self.scroll_y))

    def _scroll_to_anchor(self, index: int, offset: int) -> None:
        """Put line ``offset`` of reply ``index`` at the top, after making the view exact."""
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        self._settle_from(index)
        top = layout.row_of(index) + offset
        self._sync_size()
        self.scroll_to(y=top, animate=False)
        self.refresh()

    def _settle_from(self, index: int) -> None:
        """Draw the replies from ``index`` down one screen, so their heights are exact."""
        layout = self.reply_layout
        assert layout is not None
        height = max(self.scrollable_content_region.height, 1)
        filled = 0
        i: int | None = index
        while i is not None and filled < height * 2:
            if layout.is_visible(i):
                filled += len(layout.lines(i))
            i = layout.next_visible(i, 1)

    def _set_cursor(self, index: int) -> None:
        if self.reply_layout is None or not len(self.reply_layout):
            return
        index = max(0, min(index, len(self.reply_layout) - 1))
        if index != self.cursor:
            # No cache to clear: a strip's key says whether its reply was the cursor.
            self.cursor = index
            self.refresh()
            self._show_place()

    # ------------------------------------------------------------------ navigation

    def action_scroll_lines(self, step: int) -> None:
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        index, offset = self._anchor()
        if not self._cursor_in_view():
            # The wheel or the scrollbar moved the view away from the cursor: it comes
            # back to the view's top reply before any walking (it walked out of sight).
            self._set_cursor(index)
        if step > 0:
            if int(self.scroll_y) >= self.max_scroll_y:
                # Nothing left to scroll (or it all fits): the cursor walks on instead,
                # from itself (it is below the top reply by now), not from the top one.
                following = layout.next_visible(self.cursor, 1)
                if following is not None:
                    self._set_cursor(following)
                return
            index, offset = layout.at_row(int(self.scroll_y) + step)
        elif self.cursor > index and int(self.scroll_y) == 0:
            # Nothing above to scroll to, and the cursor walked down past the top reply
            # (everything fits): it walks back up, one reply a key.
            previous = layout.next_visible(self.cursor, -1)
            self._set_cursor(index if previous is None else max(previous, index))
            return
        elif offset > 0:
            offset -= 1
        else:
            previous = layout.next_visible(index, -1)
            if previous is None:
                return
            index, offset = previous, len(layout.lines(previous)) - 1
        self._scroll_to_anchor(index, offset)
        self._set_cursor(index)

    def _cursor_in_view(self) -> bool:
        """Whether the cursor reply has a row on screen."""
        layout = self.reply_layout
        assert layout is not None
        top = int(self.scroll_y)
        first, end = layout.row_of(self.cursor), layout.row_of(self.cursor + 1)
        return first < top + self.scrollable_content_region.height and end > top

    def action_scroll_page(self, direction: int) -> None:
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        page = max(self.scrollable_content_region.height - 1, 1)
        index, offset = self._anchor()
        if direction > 0:
            self._settle_from(index)
            index, offset = layout.at_row(layout.row_of(index) + offset + page)
        else:
            remaining = page
            while remaining > offset:
                previous = layout.next_visible(index, -1)
                if previous is None:
                    offset = remaining = 0
                    break
                remaining -= offset + 1
                index = previous
                offset = len(layout.lines(previous)) - 1
            offset -= remaining
        self._scroll_to_anchor(index, max(offset, 0))
        self._set_cursor(index)

    def action_edge(self, end: int) -> None:
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        if not end:
            self._set_cursor(0)
            self._scroll_to_anchor(0, 0)
            return
        last = len(layout) - 1
        while last > 0 and not layout.is_visible(last):
            last -= 1
        # Walk back one screen from the end, drawing each reply so the bottom is exact.
        height = max(self.scrollable_content_region.height, 1)
        index, remaining = last, height - len(layout.lines(last))
        while remaining > 0:
            previous = layout.next_visible(index, -1)
            if previous is None:
                break
            index = previous
            remaining -= len(layout.lines(previous))
        self._set_cursor(last)
        self._scroll_to_anchor(index, max(-remaining, 0))

    def go_to_reply(self, index: int) -> None:
        """Make ``index`` current, unfolding its ancestors, header at the top."""
        layout = self.reply_layout
        if layout is None or not 0 <= index < len(layout):
            return
        for ancestor in layout.ancestors(index):
            layout.set_collapsed(ancestor, False)
        self._strips.clear()
        self._set_cursor(index)
        self._scroll_to_anchor(index, 0)

    def next_reply(self, step: int) -> None:
        """J/K: the next or previous visible reply."""
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        target = layout.next_visible(self.cursor, step)
        if target is not None:
            self.go_to_reply(target)

    # ------------------------------------------------------------------ search

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Mark search matches (None: no search); the layout keeps its heights."""
        if self.reply_layout is None or self.reply_layout.highlight == highlight:
            return
        self.reply_layout.set_highlight(highlight)
        self._strips.clear()
        self.refresh()

    def go_to_match(self, index: int) -> None:
        """Show the current match, which is in reply ``index``.

        Only that reply's path unfolds, and its long quotes open if the match is
        inside one; the cursor moves to the reply and the match's line is
        scrolled into view (a third of the way down when it was off screen).
        """
        layout = self.reply_layout
        if layout is None or not 0 <= index < len(layout):
            return
        layout.reveal(index)
        line = layout.current_match_line(index)
        if line is None and index not in layout.open_quotes:
            layout.toggle_quotes(index)  # the match is in a folded quote
            line = layout.current_match_line(index)
        self._strips.clear()
        self._set_cursor(index)
        self._settle_from(index)
        self._sync_size()
        scroll_row_into_view(self, layout.row_of(index) + (line or 0))
        self.refresh()

    # ------------------------------------------------------------------ folding

    def _after_fold(self, index: int) -> None:
        """Keep the reply's header where it was on screen after its height changed."""
        layout = self.reply_layout
        assert layout is not None
        self.post_message(self.FoldsChanged())
        self._strips.clear()
        header_row = layout.row_of(index)
        if header_row < self.scroll_y:
            self._scroll_to_anchor(index, 0)
        else:
            self._sync_size()
            self.refresh()

    def action_toggle_fold(self) -> None:
        if self.reply_layout is not None and len(self.reply_layout):
            self.reply_layout.toggle(self.cursor)
            self._after_fold(self.cursor)

    def action_collapse(self) -> None:
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        if self.cursor in layout.collapsed:
            parent = layout.parent[self.cursor]
            if parent >= 0:
                self.go_to_reply(parent)
            return
        layout.set_collapsed(self.cursor, True)
        self._after_fold(self.cursor)

    def action_expand(self) -> None:
        layout = self.reply_layout
        if layout is not None and len(layout):
            layout.set_collapsed(self.cursor, False)
            self._after_fold(self.cursor)

    def action_collapse_all(self) -> None:
        if self.reply_layout is not None and len(self.reply_layout):
            top = self.cursor
            while self.reply_layout.parent[top] >= 0:
                top = self.reply_layout.parent[top]
            self.reply_layout.collapse_all()
            self.post_message(self.FoldsChanged())
            self._set_cursor(top)
            self._strips.clear()
            self._scroll_to_anchor(top, 0)

    def action_expand_all(self) -> None:
        if self.reply_layout is not None and len(self.reply_layout):
            self.reply_layout.expand_all()
            self.post_message(self.FoldsChanged())
            self._strips.clear()
            self._scroll_to_anchor(self.cursor, 0)

    def action_focus_path(self) -> None:
        if self.reply_layout is not None and len(self.reply_layout):
            self.reply_layout.focus_path(self.cursor)
            self.post_message(self.FoldsChanged())
            self._strips.clear()
            self._scroll_to_anchor(self.cursor, 0)

    def action_toggle_quotes(self) -> None:
        if self.reply_layout is not None and len(self.reply_layout):
            self.reply_layout.toggle_quotes(self.cursor)
            self._after_fold(self.cursor)

    # ------------------------------------------------------------------ mouse

    async def on_click(self, event: events.Click) -> None:
        layout = self.reply_layout
        if layout is None or not len(layout):
            return
        content = event.get_content_offset(self)
        if content is None:
            return  # on the border or the scrollbar
        index, offset = layout.at_row(content.y + int(self.scroll_y))
        self._set_cursor(index)
        if offset == 0:
            layout.toggle(index)
            self._after_fold(index)

    # ------------------------------------------------------------------ drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        layout = self.reply_layout
        if layout is not None and len(layout):
            # Make every reply in view exact before drawing, so rows line up.
            top = int(self.scroll_y)
            index, _ = layout.at_row(top)
            before = layout.total_rows
            self._settle_from(index)
            if layout.total_rows != before:
                self._sync_size()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.base_style
        layout = self.reply_layout
        if layout is None or not len(layout):
            if y == 0 and layout is not None:
                empty = Text(
                    " No replies.", style=self.get_component_rich_style("replyview--empty")
                )
                return text_strip(empty, self.app.console, width, base)
            return Strip.blank(width, base)
        row = y + int(self.scroll_y)
        if row >= layout.total_rows:
            return Strip.blank(width, base)
        index, offset = layout.at_row(row)
        at_cursor = index == self.cursor
        is_cursor = at_cursor and self.has_focus
        key = (index, offset, width, at_cursor, is_cursor)
        cached = self._strips.get(key)
        if cached is not None:
            return cached
        lines = layout.lines(index)
        if offset >= len(lines):
            return Strip.blank(width, base)
        strip = self._draw(index, offset, lines[offset], width, base, is_cursor)
        self._strips[key] = strip
        return strip

    def _draw(
        self, index: int, offset: int, line: Text, width: int, base: Style, is_cursor: bool
    ) -> Strip:
        layout = self.reply_layout
        assert layout is not None
        guide_style = self.get_component_rich_style("replyview--guide")
        depth = min(layout.depth[index], MAX_INDENT_DEPTH)
        text = Text(" ")
        text.append("│ " * depth, style=guide_style)
        if offset == 0:
            header_style = self.get_component_rich_style("replyview--header")
            if index == self.cursor:
                header_style += self.get_component_rich_style(
                    "replyview--cursor", partial=not is_cursor
                )
            header = line.copy()
            # Underneath the line's own styles, so search matches stay marked.
            header.stylize_before(header_style)
            header.truncate(max(width - text.cell_len, 1), overflow="ellipsis")
            text.append_text(header)
            if index == self.cursor:
                text.pad_right(max(width - text.cell_len, 0))
                text.stylize_before(header_style, 1 + 2 * depth)
        else:
            text.append_text(line)
        return text_strip(text, self.app.console, width, base)

    def on_focus(self) -> None:
        self._strips.clear()
        self.refresh()

    def on_blur(self) -> None:
        self._strips.clear()
        self.refresh()
