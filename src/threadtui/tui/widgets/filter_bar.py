"""The thread-list filter: a one-line input above the list (``f``)."""

from __future__ import annotations

from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input


class FilterBar(Input):
    """Filters the thread list by title and starter as you type.

    Enter keeps the filter and goes back to the list; Esc clears it.
    """

    BINDINGS = [
        Binding("escape", "close(True)", "Clear filter"),
        Binding("down", "close(False)", "To the list", show=False),
    ]

    class Closed(Message):
        """The filter is done with; ``clear`` says whether to drop it."""

        def __init__(self, clear: bool) -> None:
            super().__init__()
            self.clear = clear

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(placeholder="filter by title or starter", id=id, select_on_focus=False)

    def action_close(self, clear: bool) -> None:
        if clear:
            self.value = ""
        self.post_message(self.Closed(clear))

    async def action_submit(self) -> None:
        self.post_message(self.Closed(False))
