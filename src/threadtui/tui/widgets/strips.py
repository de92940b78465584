"""What the Line-API panes share: Rich ``Text`` lines into ``Strip``s, a base style per
frame, and scrolling a found row into view."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

if TYPE_CHECKING:
    from textual.geometry import Region
    from textual.scroll_view import ScrollView

    _Base = ScrollView
else:
    _Base = object


def text_strip(text: Text, console: Console, width: int, style: Style, scroll_x: int = 0) -> Strip:
    """One line of text as a strip exactly ``width`` cells wide, on ``style``.

    ``Text.render`` never interprets markup or control codes: the text was
    already made safe by :mod:`threadtui.safe`.
    """
    segments = list(text.render(console, end=""))
    strip = Strip(segments, text.cell_len)
    return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)


class FrameStyle(_Base):
    """A mixin giving Line-API widgets their base style once per frame, not once per line.

    ``Widget.rich_style`` walks the ancestors and blends their backgrounds on every
    call (about 40 µs): a 40-line pane looked it up 40 times a frame. Lines drawn
    outside a frame (a test calling ``render_line``) look it up themselves.
    """

    _frame_style: Style | None = None

    def render_lines(self, crop: Region) -> list[Strip]:
        self._frame_style = self.rich_style
        try:
            return super().render_lines(crop)
        finally:
            self._frame_style = None

    @property
    def base_style(self) -> Style:
        """The widget's style under its text (its colour on its ancestors' backgrounds)."""
        return self._frame_style if self._frame_style is not None else self.rich_style


def scroll_row_into_view(view: ScrollView, row: int) -> None:
    """Scroll ``view`` so its content row ``row`` shows.

    A row already on screen stays put; another comes a third of the way down, with
    context above it, as less and mutt place a search hit.
    """
    height = max(view.scrollable_content_region.height, 1)
    if not view.scroll_y <= row < view.scroll_y + height:
        view.scroll_to(y=max(row - height // 3, 0), animate=False)
