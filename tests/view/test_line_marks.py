"""Marking the article line by line (render.FieldLines + marks.LineMarker) draws exactly
what marking every field before wrapping (marks.FieldMarker) draws, and finds the same
current-match line, for any text, width, query and current match."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text

from threadtui.model import Attachment, Byline, Link, Paragraph, Post, Quote, Thread
from threadtui.search import ARTICLE, ThreadIndex, compile_query
from threadtui.view.marks import Highlight, LineMarker
from threadtui.view.render import FieldLines, article_field_lines, article_lines

_console = Console(file=io.StringIO(), width=1000, color_system="truecolor", legacy_windows=False)

_WORDS = [
    "cat",
    "Cat",
    "concatenate",
    "caté",
    "cate\u0301",
    "straße",
    "漢字",
    "a" * 30,  # longer than a narrow measure: folded mid-word
    "\x1b[31m",
    "\u202e",
    "[b]",
    "\t",
]
_text = st.lists(st.sampled_from([*_WORDS, " ", "  ", "\n", "\n\n", ".", " \n"]), max_size=14).map(
    "".join
)
_leaf = st.one_of(
    _text.map(Paragraph),
    st.builds(Link, _text, st.one_of(st.none(), _text)),
    _text.map(Attachment),
)
_block = st.recursive(
    _leaf,
    lambda inner: st.builds(
        Quote, st.one_of(st.none(), _text), st.lists(inner, max_size=3).map(tuple)
    ),
    max_leaves=6,
)


@st.composite
def _threads(draw: st.DrawFn) -> Thread:
    byline = draw(st.one_of(st.none(), st.builds(Byline, _text, _text, st.none())))
    article = Post(
        number=1,
        author=draw(st.one_of(st.none(), _text)),
        byline=byline,
        blocks=tuple(draw(st.lists(_block, max_size=5))),
    )
    return Thread(title=draw(_text), article=article)


_QUERIES = ["cat", "Cat", "a", "strasse", "漢", "␛", "aaaa", "t c"]
_PATTERNS = [r"\s+", r"^\w", r"t\s*c", ".", r"\w+$", r"(?s)cat.*cat"]


def _cells(lines: list[Text]) -> list[list[tuple[str, object]]]:
    """Each line as the characters and styles a terminal would get."""
    return [
        [(char, segment.style) for segment in line.render(_console) for char in segment.text]
        for line in lines
    ]


def _first_line_with(lines: list[Text], style: str) -> int | None:
    for number, line in enumerate(lines):
        if any(span.style == style for span in line.spans):
            return number
    return None


def _check(thread: Thread, layout: FieldLines, width: int, highlight: Highlight) -> None:
    whole = article_lines(thread, width, marker=highlight.at(ARTICLE))
    marks = LineMarker(layout, ARTICLE)
    marks.set_highlight(highlight)
    by_line = [marks.line(number) for number in range(len(layout.lines))]
    assert [line.plain for line in by_line] == [line.plain for line in whole]
    assert _cells(by_line) == _cells(whole)
    if highlight.current is not None:
        assert marks.current_line() == _first_line_with(whole, highlight.current_style)


@settings(max_examples=150, deadline=None)
@given(
    _threads(),
    st.integers(8, 90),
    st.sampled_from([(q, False) for q in _QUERIES] + [(p, True) for p in _PATTERNS]),
    st.booleans(),
)
def test_marking_drawn_lines_draws_what_marking_every_field_draws(
    thread: Thread, width: int, needle: tuple[str, bool], whole_word: bool
) -> None:
    query = compile_query(needle[0], is_regex=needle[1], whole_word=whole_word)
    layout = article_field_lines(thread, width)
    plain = article_lines(thread, width)
    assert _cells(layout.lines) == _cells(plain)  # the field tags are gone
    _check(thread, layout, width, Highlight(query))
    result = ThreadIndex(thread).search(query)
    assert result is not None
    for k in range(min(len(result), 4)):
        hit = result.hit(k)
        if hit.location == ARTICLE:
            _check(thread, layout, width, Highlight(query, current=hit))


def test_only_the_fields_on_the_lines_drawn_are_searched_and_once_per_query() -> None:
    paragraphs = tuple(Paragraph(f"Paragraph {n} speaks of lanterns. " * 6) for n in range(2000))
    thread = Thread(title="Lanterns", article=Post(number=1, author="op", blocks=paragraphs))
    layout = article_field_lines(thread, 78)
    assert len(layout.lines) > 5_000
    marks = LineMarker(layout, ARTICLE)
    query = compile_query("lantern")
    marks.set_highlight(Highlight(query))
    assert marks.searched == 0  # nothing is searched until a line is drawn
    screen = range(3000, 3040)
    for number in screen:
        marks.line(number)
    one_field = max(len(field) for field in layout.fields)
    assert 0 < marks.searched <= 20 * one_field  # the fields on 40 lines, not 2,000
    assert marks.marked_lines <= len(screen)
    searched = marks.searched
    # Moving the current match searches nothing again; the lines are re-marked.
    hit = ThreadIndex(thread).search(query).hit(6000)  # type: ignore[union-attr]
    marks.set_highlight(Highlight(query, current=hit))
    assert marks.marked_lines == 0
    line = marks.current_line()
    assert line is not None and line > 1000
    marked = marks.line(line)
    current = [
        marked.plain[s.start : s.end]
        for s in marked.spans
        if s.style == Highlight(query).current_style
    ]
    assert current == ["lantern"]
    assert marks.searched == searched + len(layout.fields[hit.field])
