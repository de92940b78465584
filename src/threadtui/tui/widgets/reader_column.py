"""The reader column: the open thread's article and replies, the search bar under them."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from textual.app import ComposeResult
from textual.containers import Vertical

from threadtui.search.session import QueryText
from threadtui.tui.widgets.article_view import ArticleView
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.search_bar import SearchBar


class ReaderColumn(Vertical):
    """The article over the replies (beside them on a wide screen), then the search bar.

    The bar is not part of the first frame (six widgets, one an Input): the screen
    mounts it right after (:meth:`mount_search_bar`), and a ``/`` pressed sooner waits
    there for it.
    """

    def __init__(
        self,
        on_query_change: Callable[[QueryText], None],
        *,
        id: str | None = None,  # noqa: A002 (Textual's name)
    ) -> None:
        """``on_query_change``: the search bar's ``on_change`` (see :class:`SearchBar`)."""
        super().__init__(id=id)
        self._on_query_change = on_query_change
        self._search_bar_mounted = asyncio.Event()

    def compose(self) -> ComposeResult:
        with Vertical(id="panes"):
            yield ArticleView(id="article")
            yield ReplyView(id="replies")

    @property
    def has_search_bar(self) -> bool:
        """Whether the search bar is mounted."""
        return self._search_bar_mounted.is_set()

    async def mount_search_bar(self) -> None:
        """Mount the search bar if that has not been done; return once it is mounted."""
        if self._search_bar_mounted.is_set():
            return
        if not self.query(SearchBar):
            if not self.is_attached:
                return  # the app is closing (q pressed at once): nothing to mount into
            await self.mount(SearchBar(self._on_query_change, id="search"))
            self._search_bar_mounted.set()
        await self._search_bar_mounted.wait()  # another call is mounting it
