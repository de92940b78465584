"""Issue 18 in the text-dump reader: text that hostile input made vanish.

* Control characters beside syntax: ``\\s`` (and ``str.split()``/``strip()`` with
  no argument) also take U+001C-U+001F and U+0085, which are content here; the
  reader's patterns mean :data:`threadtui.parsing.common.lines.WHITESPACE`.
* ``site_chrome`` (shown nowhere) takes only lines in chrome positions: a
  trailer in the trailer position after a body, in a trailer's own shape; a
  rank, stat, label or date line in a post header, never as the whole body of
  a reply.
* A name that looks like markup is still a name.
"""

from __future__ import annotations

import re
import sys

import pytest

from threadtui.model import Byline, Paragraph, Post, Quote, Thread
from threadtui.parsing.common import lines as L
from threadtui.parsing.text_dump import body, head_rules, parse, quick, segments

NBSP = "\u00a0"
HEAD = "A thread title here\n\nalice\n\nalice\n\nHello.\n"
#: What Python's ``\s`` (and ``str.isspace``) count as space and the reader does not.
CONTROLS = "\x1c\x1d\x1e\x1f\x85"


def _thread(text: str) -> Thread:
    return parse(text, source="t.txt")


def _reply(lines: str) -> Post:
    """The one reply of a dump whose reply is bob's, dated, with these lines as its body."""
    thread = _thread(f"{HEAD}{NBSP}\nbob\nMay 4, 2023 #2\n{lines}\n")
    assert len(thread.replies) == 1
    return thread.replies[0]


# ------------------------------------------------------------------ control characters


def test_the_controls_are_what_python_s_takes_beyond_whitespace() -> None:
    spaces = {chr(code) for code in range(sys.maxunicode + 1) if chr(code).isspace()}
    assert spaces - set(L.WHITESPACE) == set(CONTROLS)
    assert set(L.WHITESPACE) <= spaces


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_beside_said_stays_in_the_quote_author(c: str) -> None:
    reply = _reply(f"X{c} said:\nquoted\nClick to expand...\nmine")
    assert reply.blocks == (Quote(f"X{c}", (Paragraph("quoted"),)), Paragraph("mine"))


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
@pytest.mark.parametrize(
    "opener",
    ["Originally Posted by {c}X", "Quote: Originally Posted by {c}X View Post", "Quote from: {c}X"],
)
def test_a_control_after_a_quote_opener_stays_in_the_quote_author(c: str, opener: str) -> None:
    reply = _reply(f"{opener.format(c=c)}\nquoted\nClick to expand...\nmine")
    assert reply.blocks == (Quote(f"{c}X", (Paragraph("quoted"),)), Paragraph("mine"))


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_after_original_stays_in_the_quote_author(c: str) -> None:
    reply = _reply(f"quote:\nORIGINAL: {c}X\nquoted\nClick to expand...\nmine")
    assert reply.blocks == (Quote(f"{c}X", (Paragraph("quoted"),)), Paragraph("mine"))


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_after_a_markdown_heading_stays_in_the_author(c: str) -> None:
    thread = _thread(f"# A title\n\n#### {c}X\n\nHello.\n\n#### bob\n\nHi.\n")
    assert thread.article.author == f"{c}X"
    assert [r.author for r in thread.replies] == ["bob"]


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_inside_a_date_keeps_the_line(c: str) -> None:
    """ "May<NEL>4, 2023" is no date spelling: the line is text, the reply keeps its date."""
    reply = _reply(f"May{c}4, 2023")
    assert reply.date == "2023-05-04"
    assert reply.blocks == (Paragraph(f"May{c}4, 2023"),)


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_inside_a_byline_keeps_it(c: str) -> None:
    thread = _thread(f"Title\n\nalice\n\nalice\n\n• Writer{c}- Pub\n• May{c}4, 2023\n\nBody.\n")
    assert thread.article.byline is None
    assert thread.article.blocks[0] == Paragraph(f"• Writer{c}- Pub\n• May{c}4, 2023")


def test_a_byline_with_spaces_is_still_one() -> None:
    thread = _thread("Title\n\nalice\n\nalice\n\n•\u00a0Writer - Pub\n• May 4, 2023\n\nBody.\n")
    assert thread.article.byline == Byline("Writer", "Pub", "2023-05-04")


@pytest.mark.parametrize("c", CONTROLS, ids=lambda c: f"U+{ord(c):04X}")
def test_a_control_before_the_metadata_line_keeps_it(c: str) -> None:
    thread = _thread(f"{c}date 2023-05-06 What's new\n\nTitle\n\nalice\n\nalice\n\nBody.\n")
    assert thread.date is None
    assert thread.title == f"{c}date 2023-05-06 What's new"


# Every pattern of the reader, by module: "\s" and "\S" appear in none but the URL
# ones (a URL holds no control character either: such a line stays text), except
# inside lines.SP and lines.NON_SP, which take the controls out of them.
_MODULES = [L, head_rules, body, quick, segments]
_URL_PATTERNS = {"URL_RE", "MD_LINK_RE"}


@pytest.mark.parametrize("module", _MODULES, ids=lambda m: m.__name__)
def test_no_pattern_of_the_reader_says_backslash_s(module: object) -> None:
    found = {
        name
        for name, value in vars(module).items()
        if isinstance(value, re.Pattern)
        and re.search(r"\\[sS]", value.pattern.replace(L.NON_SP, "").replace(L.SP, ""))
        and name not in _URL_PATTERNS
    }
    assert found == set()


# ------------------------------------------------------------------ names that look like markup


@pytest.mark.parametrize(
    "name", ["[b]user[/b]", "[i]Zoë[/i]", "Daan[NL]", "user (mod)", "{x}", "*user*", "**user**"]
)
def test_a_starter_that_looks_like_markup_is_the_starter(name: str) -> None:
    """The seed's shape: title, the starter twice, the title again."""
    thread = _thread(f"A thread title here\n\n{name}\n\n{name}\n\nA thread title here\n\nHi.\n")
    assert thread.article.author == name
    assert thread.article.blocks == (Paragraph("Hi."),)


@pytest.mark.parametrize("name", ["[b]user[/b]", "user (mod)", "**user**"])
def test_a_reply_author_that_looks_like_markup_is_the_author(name: str) -> None:
    thread = _thread(f"{HEAD}{NBSP}\n{name}\n{name}\nMay 4, 2023 #2\nHi.\n")
    assert [(r.author, r.blocks) for r in thread.replies] == [(name, (Paragraph("Hi."),))]


@pytest.mark.parametrize(
    "line",
    [
        "Thanks a lot for that (really)",  # prose: too many words
        "see this]",  # a bracket that closes nothing
        "* a list item",
        "- a list item",
        "*",
        "Done.",
    ],
)
def test_markup_and_prose_that_is_no_name_stays_text(line: str) -> None:
    thread = _thread(f"A thread title here\n\n{line}\n\n{line}\n\nA thread title here\n\nHi.\n")
    assert thread.article.author is None
    assert Paragraph("Hi.") in thread.article.blocks
