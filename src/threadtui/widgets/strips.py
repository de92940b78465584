"""Turning Rich ``Text`` lines into Textual ``Strip``s for Line-API widgets."""

from __future__ import annotations

from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.strip import Strip


def text_strip(text: Text, console: Console, width: int, style: Style, scroll_x: int = 0) -> Strip:
    """One line of text as a strip exactly ``width`` cells wide, on ``style``.

    ``Text.render`` never interprets markup or control codes: the text was
    already made safe by :mod:`threadtui.safe`.
    """
    segments = list(text.render(console, end=""))
    strip = Strip(segments, text.cell_len)
    return strip.crop_extend(scroll_x, scroll_x + width, style).apply_style(style)
