"""Highlighting matches while a view draws: the render side of search.

A view hands :mod:`threadtui.render` a :class:`FieldMarker` for the location
it draws (the article, or reply ``i``). Render passes it each field's ``Text``
in the order of :mod:`threadtui.search.fields`; the marker counts fields as they
come, finds the query's matches in each and styles them, the current match
in a style of its own. Only what is drawn is searched, so highlights cost
nothing for the 99,990 replies off screen.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text

from threadtui.search.query import Query, QueryTimeout, find_spans
from threadtui.search.thread_index import Hit

#: Queries whose pattern timed out on a field: never run again while drawing, so a
#: pathological pattern costs one timeout, not one per field on screen.
_TIMED_OUT: set[Query] = set()


@dataclass(frozen=True, slots=True)
class Highlight:
    """What to highlight: a query, the current match, and the two styles."""

    query: Query
    current: Hit | None = None
    match_style: str = "#000000 on #ffd75f"
    current_style: str = "bold #ffffff on #d7005f"

    def at(self, location: int) -> FieldMarker:
        """A marker for drawing one location's fields."""
        return FieldMarker(self, location)


class FieldMarker:
    """Marks the matches in one location's fields, in drawing order."""

    __slots__ = ("highlight", "location", "field", "marked", "current_marked")

    def __init__(self, highlight: Highlight, location: int) -> None:
        self.highlight = highlight
        self.location = location
        self.field = 0
        self.marked = 0  # matches styled so far (for tests and counts)
        self.current_marked = False

    def mark(self, text: Text) -> Text:
        """Style every match in ``text`` (one whole field) and move to the next field."""
        field = self.field
        self.field += 1
        highlight = self.highlight
        current = highlight.current
        is_here = (
            current is not None and current.location == self.location and current.field == field
        )
        query = highlight.query
        if query in _TIMED_OUT:
            return text
        try:
            spans = find_spans(query, text.plain)
        except QueryTimeout:
            if len(_TIMED_OUT) >= 64:
                _TIMED_OUT.clear()
            _TIMED_OUT.add(query)
            return text  # the count's worker reports the error in the bar
        for start, end in spans:
            if is_here and current is not None and start == current.start:
                text.stylize(highlight.current_style, start, end)
                self.current_marked = True
            else:
                text.stylize(highlight.match_style, start, end)
            self.marked += 1
        return text
