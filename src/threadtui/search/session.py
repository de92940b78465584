"""The state of a search in the reader, kept free of Textual so it can be tested alone.

What the search bar holds, which match is current, stepping to the next and
previous with wrap-around, the ``k/N`` status line, and the history of queries
(Up/Down in the bar).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from threadtui.search.thread_index import SearchResult

#: Queries remembered for Up/Down, oldest dropped first.
HISTORY_LIMIT = 100


@dataclass(frozen=True, slots=True)
class QueryText:
    """What the search bar holds: the typed text and its two toggles."""

    text: str = ""
    is_regex: bool = False
    whole_word: bool = False


@dataclass(frozen=True, slots=True)
class Step:
    """Where a step landed: the match number, and whether it wrapped round."""

    match: int
    wrapped: bool


class SearchSession:
    """The current result and the current match in it."""

    def __init__(self) -> None:
        self.result: SearchResult | None = None
        self.current: int | None = None

    def clear(self) -> None:
        """No search (the bar closed, or the thread changed)."""
        self.result = None
        self.current = None

    def set_result(self, result: SearchResult, origin: int) -> int | None:
        """A new result; the current match is the first at or after location ``origin``."""
        self.result = result
        self.current = result.first_from(origin)
        return self.current

    def step(self, direction: int) -> Step | None:
        """Move to the next (``direction`` = 1) or previous (-1) match, wrapping."""
        result = self.result
        if result is None or not len(result):
            return None
        total = len(result)
        if self.current is None:
            target = 0 if direction > 0 else total - 1
            self.current = target
            return Step(target, False)
        target = self.current + (1 if direction > 0 else -1)
        wrapped = not 0 <= target < total
        self.current = target % total
        return Step(self.current, wrapped)

    def status(self, hidden: int | None = 0) -> str:
        """``3/17 · 2 in folded replies``, ``0/17``, or ``no matches``.

        ``hidden`` None: the folded replies' share is still being counted.
        """
        result = self.result
        if result is None:
            return ""
        total = len(result)
        if not total:
            return "no matches"
        where = f"{self.current + 1:,}" if self.current is not None else "0"
        text = f"{where}/{total:,}"
        if hidden is None:
            text += " · counting folded replies…"
        elif hidden:
            text += f" · {hidden:,} in folded replies"
        return text


class History:
    """Earlier queries of this run, recalled with Up (older) and Down (newer)."""

    def __init__(self) -> None:
        self.entries: list[str] = []
        self._position: int | None = None
        self._draft = ""

    def add(self, query: str) -> None:
        """Remember ``query`` as the newest (moving it up if it was there already)."""
        if query:
            if query in self.entries:
                self.entries.remove(query)
            self.entries.append(query)
            del self.entries[:-HISTORY_LIMIT]
        self._position = None

    def older(self, draft: str) -> str | None:
        """The query before the one shown; ``draft`` is what is typed now."""
        if not self.entries:
            return None
        if self._position is None:
            self._draft = draft
            self._position = len(self.entries)
        if self._position == 0:
            return None
        self._position -= 1
        return self.entries[self._position]

    def newer(self) -> str | None:
        """The query after the one shown, and finally the draft again."""
        if self._position is None:
            return None
        self._position += 1
        if self._position >= len(self.entries):
            self._position = None
            return self._draft
        return self.entries[self._position]
