"""The help screen: every binding, built from the widgets' own BINDINGS so it never goes stale."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

_KEY_NAMES = {
    "left_square_bracket": "[",
    "right_square_bracket": "]",
    "question_mark": "?",
    "slash": "/",
    "minus": "-",
    "plus": "+",
    "equals_sign": "=",
    "space": "space",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "ctrl+p": "ctrl+p",
}


def _keys(binding: Binding) -> str:
    return " / ".join(_KEY_NAMES.get(k.strip(), k.strip()) for k in binding.key.split(","))


def bindings_table(sections: list[tuple[str, list[BindingType]]]) -> Table:
    """A two-column table of keys and what they do, one section per pane."""
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold")
    table.add_column()
    for title, bindings in sections:
        table.add_row(Text(title, style="bold underline"), "")
        for binding in bindings:
            if isinstance(binding, Binding):
                table.add_row(Text(_keys(binding)), Text(binding.description or binding.action))
        table.add_row("", "")
    return table


class HelpScreen(ModalScreen[None]):
    """Keys for every pane; any of escape, q or ? closes it.

    The body scrolls with the arrows, PgUp/PgDn and Home/End (its ``VerticalScroll``'s
    own bindings) and, for less/mutt hands, ``j``/``k``, ``space`` and ``b`` (or
    ``shift+space``, where the terminal tells it from ``space``) and ``g``/``G``.
    """

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
        Binding("j", "scroll_body('scroll_down')", "Down", show=False),
        Binding("k", "scroll_body('scroll_up')", "Up", show=False),
        Binding("space", "scroll_body('page_down')", "Page down", show=False),
        Binding("b,shift+space", "scroll_body('page_up')", "Page up", show=False),
        Binding("g", "scroll_body('scroll_home')", "Top", show=False),
        Binding("G", "scroll_body('scroll_end')", "Bottom", show=False),
    ]

    def __init__(self, sections: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-body") as body:
            body.border_title = "threadtui keys  (escape closes)"
            yield Static(bindings_table(self.sections))
            yield Static(
                Text(
                    "Mouse: click a thread to show it, double-click to read it; "
                    "click a reply header to fold it; the wheel scrolls.",
                    style="dim",
                )
            )

    def action_scroll_body(self, action: str) -> None:
        """Run the body's own scroll action (``scroll_down``, ``page_up``...), as its keys do."""
        body = self.query_one("#help-body", VerticalScroll)
        getattr(body, f"action_{action}")()
