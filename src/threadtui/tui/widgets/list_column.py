"""The list column: the thread list, with the filter bar above it while a filter is on."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.containers import Vertical

from threadtui.tui.widgets.filter_bar import FilterBar
from threadtui.tui.widgets.thread_list import ThreadList


class ListColumn(Vertical):
    """The thread list and its filter bar (``f``), mounted when first wanted, not in the
    first frame; the class ``-filtering`` shows it (see the stylesheet).

    The bar's messages (``Input.Changed``, ``FilterBar.Closed``) go on up to the screen,
    which wires them. Handled here, the filter change would run in this column, the
    sender then of the ``Highlighted`` the list posts; Textual ends a message's
    bubbling at its sender, so the screen would never hear of the new highlight.
    """

    def __init__(self, paths: Sequence[str], *, id: str | None = None) -> None:  # noqa: A002
        """``paths``: the folders and files listed (see :class:`ThreadList`)."""
        super().__init__(id=id)
        self._paths = paths

    def compose(self) -> ComposeResult:
        yield ThreadList(self._paths, id="threads")

    async def open_filter(self) -> None:
        """Show the filter bar (mounting it the first time) and give it the keys."""
        self.add_class("-filtering")
        bars = self.query(FilterBar)
        if bars:
            bar = bars.first()
        else:
            bar = FilterBar(id="filter")
            await self.mount(bar, before=0)
        # At once, not with Widget.focus (which waits a turn): the keys typed after the f
        # are queued already (see main.TYPE_AHEAD_BINDINGS).
        self.screen.set_focus(bar)

    def drop_filter(self) -> None:
        """List every thread again, with the bar emptied and hidden."""
        bars = self.query(FilterBar)
        if bars:
            bars.first().value = ""
        self.query_one(ThreadList).set_filter(None)
        self.remove_class("-filtering")

    def reveal(self, path: str) -> None:
        """Drop the filter if it hides the thread stored at ``path``."""
        threads = self.query_one(ThreadList)
        if threads.filter is not None and threads.index_of(path) is None:
            self.drop_filter()
