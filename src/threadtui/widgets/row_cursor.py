"""Cursor movement shared by the lists of fixed-height rows (threads, search hits).

A mixin, not a widget: the lists stay Line-API ``ScrollView`` subclasses with
their own bindings and drawing; this holds only the arithmetic of moving a
cursor over ``rows`` of ``ROW_HEIGHT`` lines and keeping it in view.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from textual import events

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

    def _scroll_to_cursor(self) -> None:
        height = self.ROW_HEIGHT
        top = self.cursor * height
        view = max(self.scrollable_content_region.height, height)
        if top < self.scroll_y:
            self.scroll_to(y=top, animate=False)
        elif top + height > self.scroll_y + view:
            self.scroll_to(y=top + height - view, animate=False)

    def action_move(self, step: int) -> None:
        self.set_cursor(self.cursor + step)

    def action_page(self, direction: int) -> None:
        page = max(self.scrollable_content_region.height // self.ROW_HEIGHT, 1)
        self.set_cursor(self.cursor + direction * page)

    def action_jump(self, where: int) -> None:
        self.set_cursor(len(self.rows) - 1 if where < 0 else where)

    async def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return  # on the border or the scrollbar
        index = (offset.y + int(self.scroll_y)) // self.ROW_HEIGHT
        if 0 <= index < len(self.rows):
            self.set_cursor(index)
            if event.chain >= 2:
                self.action_open()
