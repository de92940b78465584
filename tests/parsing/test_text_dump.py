"""Regression tests for parser bugs found while writing the property tests."""

from __future__ import annotations

from threadtui.model import Paragraph, Quote
from threadtui.parsing.text_dump import parse

NBSP = "\u00a0"
HEAD = "A thread title here\n\nalice\n\nalice\n\nHello.\n"


def test_prose_starting_with_a_stats_key_is_body() -> None:
    text = (
        HEAD + f"{NBSP}\nbob\nMay 4, 2023 #2\nLocation matters more than price here.\n"
        f"Second line.\n{NBSP}\nAge is just a number, they say.\n"
    )
    thread = parse(text)
    assert [r.blocks for r in thread.replies] == [
        (Paragraph("Location matters more than price here.\nSecond line."),),
        (Paragraph("Age is just a number, they say."),),
    ]
    assert thread.site_chrome == ("May 4, 2023 #2",)


def test_stats_lines_are_still_chrome() -> None:
    text = HEAD + f"{NBSP}\nbob\nJoined: Mar 3, 2019\nPosts 3342\nLocation\nGuangzhou\nHi.\n"
    thread = parse(text)
    assert thread.replies[0].author == "bob"
    assert thread.replies[0].blocks == (Paragraph("Hi."),)
    assert thread.site_chrome == ("Joined: Mar 3, 2019", "Posts 3342", "Location", "Guangzhou")


def test_bracketed_user_name() -> None:
    thread = parse(f"{HEAD}{NBSP}\n[NL]Daan\nAug 12, 2024 #2\nFound it.\n")
    assert thread.replies[0].author == "[NL]Daan"
    assert thread.replies[0].blocks == (Paragraph("Found it."),)


def test_quote_from_keeps_its_date() -> None:
    line = "Quote from: Eccentro on August 08, 2011, 07:28:07 PM"
    thread = parse(f"{HEAD}{NBSP}\n{line}\nquoted\nClick to expand...\nreply\n")
    assert thread.replies[0].blocks == (
        Quote("Eccentro", (Paragraph("quoted"),)),
        Paragraph("reply"),
    )
    assert line in thread.site_chrome


def test_arrow_header_does_not_overwrite_a_date_line() -> None:
    text = f"{HEAD}{NBSP}\nJan 1, 1990\nBeren -> RE: subject (12/10/2011 5:56:36 PM)\ntext\n"
    reply = parse(text).replies[0]
    assert reply.date == "1990-01-01"
    assert reply.author == "Beren"


def test_gt_quote_strips_all_whitespace() -> None:
    thread = parse(f"{HEAD}{NBSP}\n>\x0cform feed\n> \u00a0nbsp\n")
    assert thread.replies[0].blocks == (Quote(None, (Paragraph("form feed\nnbsp"),)),)


def test_a_date_over_a_message_count_is_the_members_join_date() -> None:
    """maker.pro style: "#### name", the date the member joined, their message count."""
    text = (
        "# Which resistor do I need\n\n#### wirewound_wendy\n\nMarch 2, 2018\n1,204\n"
        "Start with Ohm's law.\n\n#### wirewound_wendy\n\nMarch 2, 2018\n1,204\n"
        "And measure twice.\n\n#### ohm_sweet_ohm\n\nJan 9, 2021\nThat helped, thanks.\n"
    )
    thread = parse(text)
    posts = [thread.article, *thread.replies]
    assert [(p.author, p.date) for p in posts] == [
        ("wirewound_wendy", None),
        ("wirewound_wendy", None),
        ("ohm_sweet_ohm", "2021-01-09"),  # no count under it: the post's own date
    ]
    assert thread.site_chrome == ("March 2, 2018", "1,204")  # kept, once, as chrome
    assert posts[2].blocks == (Paragraph("That helped, thanks."),)
