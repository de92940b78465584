"""Highlighting matches while a view draws: the render side of search.

A view hands :mod:`threadtui.view.render` a :class:`FieldMarker` for the location
it draws (the article, or reply ``i``). Render passes it each field's ``Text``
in the order of :mod:`threadtui.search.fields`; the marker counts fields as they
come, finds the query's matches in each and styles them, the current match
in a style of its own. Only what is drawn is searched, so highlights cost
nothing for the 99,990 replies off screen.

A single location can be huge too (a 1.6 MB mailbox read as one opening post:
36,000 lines). For it a view keeps the lines laid out once, unmarked, with where
each field lies on them (:class:`threadtui.view.render.FieldLines`), and a
:class:`LineMarker` marks each line as it is drawn: a field is searched when the
first of its lines is drawn (once per query), and a change of query or current
match costs nothing until then.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text

from threadtui.search.query import Query, QueryTimeout, find_spans
from threadtui.search.thread_index import Hit

if TYPE_CHECKING:
    from threadtui.view.render import FieldLines

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
        for start, end in _find(highlight.query, text.plain):
            if is_here and current is not None and start == current.start:
                text.stylize(highlight.current_style, start, end)
                self.current_marked = True
            else:
                text.stylize(highlight.match_style, start, end)
            self.marked += 1
        return text


def _find(query: Query, text: str) -> list[tuple[int, int]]:
    """The spans of ``query``'s matches in ``text``; none once the pattern timed out."""
    if query in _TIMED_OUT:
        return []
    try:
        return find_spans(query, text)
    except QueryTimeout:
        if len(_TIMED_OUT) >= 64:
            _TIMED_OUT.clear()
        _TIMED_OUT.add(query)
        return []  # the count's worker reports the error in the bar


def _span_end(span: tuple[int, int]) -> int:
    return span[1]


class LineMarker:
    """Marks the lines of one location's :class:`~threadtui.view.render.FieldLines` one at a time.

    What a line looks like marked is what :class:`FieldMarker` makes of it when the
    whole location is drawn with it (a test holds the two together), but only the
    lines asked for are marked, and only the fields on them are searched.
    """

    #: Marked lines kept: a few screens, so scrolling back does not mark them again.
    KEEP = 512

    __slots__ = ("layout", "location", "highlight", "_found", "_found_for", "_marked", "searched")

    def __init__(self, layout: FieldLines, location: int) -> None:
        self.layout = layout
        self.location = location
        self.highlight: Highlight | None = None
        self._found: dict[int, list[tuple[int, int]]] = {}  # field -> its matches
        self._found_for: Query | None = None  # the query _found holds matches of
        self._marked: dict[int, Text] = {}  # line number -> the line, marked
        self.searched = 0  # characters of field text searched so far (for tests)

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Mark with ``highlight`` from now on (None: no marks); nothing is searched yet."""
        if highlight == self.highlight:
            return
        self.highlight = highlight
        self._marked.clear()
        if highlight is None or highlight.query != self._found_for:
            self._found.clear()  # a step keeps them: only the current match moved
            self._found_for = None if highlight is None else highlight.query

    def set_layout(self, layout: FieldLines) -> None:
        """Lines laid out again (another width): the fields and their matches stay."""
        self.layout = layout
        self._marked.clear()

    @property
    def marked_lines(self) -> int:
        """How many lines are held marked (for tests)."""
        return len(self._marked)

    def line(self, number: int) -> Text:
        """Line ``number``, its matches marked (the line itself if it holds none)."""
        layout = self.layout
        line = layout.lines[number]
        highlight = self.highlight
        pieces = layout.pieces[number]
        if highlight is None or not pieces:
            return line
        marked = self._marked.get(number)
        if marked is not None:
            return marked
        current = highlight.current
        if current is not None and current.location != self.location:
            current = None
        marked = line
        for field, column, start, end in pieces:
            spans = self._matches(field)
            if not spans:
                continue
            shift = column - start
            for index in range(bisect_right(spans, start, key=_span_end), len(spans)):
                match_start, match_end = spans[index]
                if match_start >= end:
                    break
                if marked is line:
                    marked = line.copy()
                is_current = (
                    current is not None and current.field == field and current.start == match_start
                )
                marked.stylize(
                    highlight.current_style if is_current else highlight.match_style,
                    max(match_start, start) + shift,
                    min(match_end, end) + shift,
                )
        if len(self._marked) >= self.KEEP:
            self._marked.clear()
        self._marked[number] = marked
        return marked

    def _matches(self, field: int) -> list[tuple[int, int]]:
        found = self._found.get(field)
        if found is None:
            assert self.highlight is not None
            text = self.layout.fields[field]
            self.searched += len(text)
            found = self._found[field] = _find(self.highlight.query, text)
        return found

    def current_line(self) -> int | None:
        """The line holding the current match, if it is in this location and drawn."""
        highlight = self.highlight
        if highlight is None or highlight.current is None:
            return None
        current = highlight.current
        if current.location != self.location:
            return None
        return self.layout.line_of(current.field, current.start, current.end)
