"""The command palette shows text from files literally (bug A: ``[NL]Daan`` lost its ``[NL]``).

The palette reads a hit's ``help`` with Textual's markup parser, which takes ``[NL]`` or
``[B]`` for tags; Rich's and Textual's ``escape`` only escape tags that start with a
lower-case letter, ``#``, ``/`` or ``@``. ``literal_markup`` must survive the very parser
the palette uses, for every look-alike; ``safe_highlight`` must never parse at all.
"""

from __future__ import annotations

import pytest
from textual.content import Content
from textual.fuzzy import Matcher
from textual.markup import escape as textual_escape

from threadtui.tui.commands import literal_markup, safe_highlight

LOOKALIKES = [
    "[NL]Daan",
    "[B]old[/B]",
    "[bold]bold[/bold]",
    "[/]",
    "a [/] b",
    "[link=x]link[/link]",
    "[link='http://x']quoted[/]",
    "[@click=app.quit]click[/]",
    "[on red]x",
    "[#ff0000]red",
    "[_private]",
    "[$var]x",
    "\\[bold] escaped already",
    "\\\\[bold] two backslashes",
    "back\\slash",
    "ends with a backslash \\",
    "a lone [",
    "[",
    "]",
    "[]",
    "[[B]]",
    "[NL][B][bold][/][link=x]\\[[ all at once",
    "$name and ${name} and $$",
]


@pytest.mark.parametrize("text", LOOKALIKES)
def test_literal_markup_round_trips_through_textual_markup(text):
    content = Content.from_markup(literal_markup(text))
    assert content.plain == text
    assert not content.spans  # no style, no link, no action from the file


@pytest.mark.parametrize("text", LOOKALIKES)
def test_literal_markup_in_the_palette_help_line(text):
    """As ``ReaderCommands`` builds it: a prefix of ours, then the file's text."""
    help_line = f"Go to thread · {text} · 2024-08-12 · {text}.txt"
    assert Content.from_markup(literal_markup(help_line)).plain == help_line


def test_textual_escape_is_not_enough():
    """Why ``literal_markup`` exists: the library escape loses capitalised tags."""
    assert Content.from_markup(textual_escape("[NL]Daan")).plain == "Daan"


@pytest.mark.parametrize("text", LOOKALIKES)
def test_safe_highlight_never_parses_the_title(text):
    matcher = Matcher(text[:3] or "x")
    highlighted = safe_highlight(matcher, text)
    assert highlighted.plain == text
    assert Content.from_rich_text(highlighted).plain == text


def test_safe_highlight_marks_the_matched_letters():
    title = "[B]old [NL] Daan"
    highlighted = safe_highlight(Matcher("daan"), title)
    styled = {i for span in highlighted.spans for i in range(span.start, span.end)}
    assert styled == set(range(title.index("Daan"), len(title)))


def test_safe_highlight_survives_case_folding_that_changes_length():
    # "İ".lower() is two characters: the fuzzy offsets are past the title's end.
    title = "İİİİ [NL]x"
    highlighted = safe_highlight(Matcher("x"), title)
    assert highlighted.plain == title
