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
    """Keys for every pane; any of escape, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "dismiss", "Close")]

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
