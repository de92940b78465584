"""Cursor movement shared by the lists of fixed-height rows (threads, search hits).

A mixin, not a widget: the lists stay Line-API ``ScrollView`` subclasses with
their own bindings and drawing; this holds only the arithmetic of moving a
cursor over ``rows`` of ``ROW_HEIGHT`` lines and keeping it in view.

The lists scroll by whole rows: ``scroll_y`` is always a multiple of
``ROW_HEIGHT``, so the top line of a list is always a row's first line (never a
starter line without its title). Every way of scrolling goes through
``validate_scroll_y`` (keys, the wheel, the scrollbar, a resize clamping the
offset), which rounds an offset between two rows in the direction it moved.
For the last row to be reachable that way, the virtual height is padded with
blank lines up to a whole number of rows past the view (``_fit_virtual_size``):
with an odd view height and 2-line rows, the bottom line is then blank when
scrolled to the end, instead of the top line showing half a row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events
from textual.geometry import Size

if TYPE_CHECKING:
    from textual.scroll_view import ScrollView

    _Base = ScrollView
else:
    _Base = object


class RowCursor(_Base):
    """``action_move``/``page``/``jump``, keeping the cursor row in view, click to select.

    The class using it provides ``rows``, ``cursor``, ``set_cursor(index)`` and
    ``action_open()``.
    """

    ROW_HEIGHT = 2
    rows: Sequence[Any]
    cursor: int

    def set_cursor(self, index: int) -> None:  # pragma: no cover - provided by the list
        raise NotImplementedError

    def action_open(self) -> None:  # pragma: no cover - provided by the list
        raise NotImplementedError

    # ------------------------------------------------------------ whole-row scrolling

    def _fit_virtual_size(self) -> None:
        """Set the virtual height: every row, plus the padding that ends it on a row.

        Call it when the rows or the view's height change (the lists' ``on_resize``).
        """
        height = len(self.rows) * self.ROW_HEIGHT
        view = self.scrollable_content_region.height
        if height > view > 0:
            height += -(height - view) % self.ROW_HEIGHT  # max_scroll_y: a whole row
        self.virtual_size = Size(0, height)

    def _whole_rows(self, value: float, current: float) -> float:
        """``value`` rounded to a row boundary: up when it moved down, down otherwise."""
        below = value - value % self.ROW_HEIGHT
        if below == value:
            return value
        above = below + self.ROW_HEIGHT
        if value > current and above <= self.max_scroll_y:
            return above
        return below

    def validate_scroll_y(self, value: float) -> float:
        return self._whole_rows(super().validate_scroll_y(value), self.scroll_y)

    def validate_scroll_target_y(self, value: float) -> float:
        return self._whole_rows(super().validate_scroll_target_y(value), self.scroll_target_y)

    def _scroll_to_cursor(self) -> None:
        """Scroll (by whole rows) so that the cursor row shows whole; no move if it does."""
        height = self.ROW_HEIGHT
        top = self.cursor * height
        view = max(self.scrollable_content_region.height, height)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + height > self.scroll_y + view:
            y = top + height - view
            self.scroll_to(y=y + -y % height, animate=False)  # the first whole-row offset

    # ------------------------------------------------------------ moving

    def _move_cursor(self, index: int) -> None:
        """The user moves the highlight to ``index`` (clamped).

        Onto the row already highlighted (``g`` on the first row, ``G`` or ``j`` on the
        last, a click on it) this only scrolls the row into view: ``set_cursor`` is not
        called, so the thread list posts no ``Highlighted`` and the screen does not open
        the thread again (that reparsed it and lost the reading position in the article).
        """
        if not self.rows:
            return
        if max(0, min(index, len(self.rows) - 1)) == self.cursor:
            self._scroll_to_cursor()
            return
        self.set_cursor(index)

    def action_move(self, step: int) -> None:
        self._move_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height // self.ROW_HEIGHT, 1)
        self._move_cursor(self.cursor + direction * page)

    def action_jump(self, where: int) -> None:
        self._move_cursor(len(self.rows) - 1 if where < 0 else where)

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return  # on the border or the scrollbar
        index = (offset.y + int(self.scroll_y)) // self.ROW_HEIGHT
        if 0 <= index < len(self.rows):
            self._move_cursor(index)
            if event.chain >= 2:
                self.action_open()
