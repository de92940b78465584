"""Hacker News (node-hnapi / HNPWA) JSON: tree, quoting, hostile and malformed input, real file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _json_fuzz import JSON_VALUES, mutate
from _support import REALDATA
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.errors import ParseError
from threadtui.model import Block, Link, Paragraph, Quote, Thread
from threadtui.parsing.json import hn as hn_json

REAL = REALDATA / "hackernews_json" / "circumflex_comments_25015967.json"


def story(*comments: Any, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": 1,
        "title": "Show HN: A kettle that logs its own limescale",
        "points": 120,
        "user": "boiler",
        "time": 1600000000,
        "content": "",
        "type": "link",
        "url": "https://kettle.example/log",
        "domain": "kettle.example",
        "comments_count": 4,
        "comments": list(comments),
    }
    data.update(fields)
    return data


def comment(content: str, user: str | None = "someone", *replies: Any, **fields: Any) -> dict:
    data: dict[str, Any] = {
        "id": 2,
        "level": 0,
        "user": user,
        "time": 1600000060,
        "content": content,
        "comments": list(replies),
    }
    data.update(fields)
    return data


def parse(value: Any) -> Thread:
    text = value if isinstance(value, str) else json.dumps(value)
    return hn_json.parse(text, source="hn.json", encoding="utf-8")


def _texts(blocks: tuple[Block, ...]) -> str:
    """Every paragraph's text, quotes included, one per line (iteratively)."""
    out: list[str] = []
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
        elif isinstance(block, Paragraph):
            out.append(block.text)
    return "\n".join(out)


def test_story_fields() -> None:
    thread = parse(story(content="<p>Intro &amp; more.<p>Second paragraph."))
    assert thread.title == "Show HN: A kettle that logs its own limescale"
    assert thread.format == "hn-json" and thread.source == "hn.json"
    assert thread.article.number == 1 and thread.article.author == "boiler"
    assert thread.article.date == thread.date == "2020-09-13T12:26:40"
    assert thread.article.blocks[0] == Link("kettle.example", "https://kettle.example/log")
    assert _texts(thread.article.blocks) == "Intro & more.\nSecond paragraph."
    assert thread.site_chrome == ("kettle.example", "120 points", "4 comments")


def test_ask_hn_has_no_link() -> None:
    thread = parse(story(url="item?id=1", domain=None, type="ask", content="<p>Why?"))
    assert not any(isinstance(b, Link) for b in thread.article.blocks)
    assert thread.site_chrome[0] == "ask"


def test_nesting_and_reading_order_numbers() -> None:
    thread = parse(
        story(
            comment("<p>a", "ann", comment("<p>a.1", "bob", comment("<p>a.1.1")), comment("b")),
            comment("<p>c", "cy"),
        )
    )
    walked = [(p.number, _texts(p.blocks), d) for p, d in thread.walk_replies()]
    assert walked == [(2, "a", 0), (3, "a.1", 1), (4, "a.1.1", 2), (5, "b", 1), (6, "c", 0)]
    assert thread.replies[0].date == "2020-09-13T12:27:40"


def test_deleted_and_dead_comments_keep_their_place() -> None:
    thread = parse(
        story(
            comment("", "", comment("<p>answer to a deleted comment", "kid")),
            comment("", None, deleted=True),
            {"id": 9, "level": 0, "comments": []},  # nothing at all but the id
        )
    )
    first, second, third = thread.replies
    assert first.author is None and first.blocks == ()
    assert _texts(first.replies[0].blocks) == "answer to a deleted comment"
    assert second.author is None and second.blocks == ()
    assert third.author is None and third.date is None and third.blocks == ()
    assert thread.reply_count == 4


def test_gt_paragraph_runs_become_quotes() -> None:
    content = (
        "<p>&gt; first quoted<p>&gt; second quoted<p>&gt;&gt; deeper<p>&gt; back"
        "<p>My answer.<p>&gt;<p>&gt; again"
    )
    blocks = parse(story(comment(content))).replies[0].blocks
    assert blocks == (
        Quote(
            None,
            (
                Paragraph("first quoted"),
                Paragraph("second quoted"),
                Quote(None, (Paragraph("deeper"),)),
                Paragraph("back"),
            ),
        ),
        Paragraph("My answer."),
        Paragraph(">"),  # a bare marker is text, not an empty quote
        Quote(None, (Paragraph("again"),)),
    )


def test_quote_runs_on_blocks() -> None:
    blocks = (Paragraph("> > two"), Link("x", "http://x"), Paragraph("  >one"))
    assert hn_json.quote_runs(blocks) == (
        Quote(None, (Quote(None, (Paragraph("two"),)),)),
        Link("x", "http://x"),
        Quote(None, (Paragraph("one"),)),
    )


def test_hostile_strings_are_kept_verbatim() -> None:
    nasty = "\x1b[31mred\x1b]0;t\x07 [bold]x[/] \u202eevil \x9b2J"
    thread = parse(story(comment(f"<p>{nasty}", nasty), title=nasty, user=nasty))
    assert thread.title == nasty and thread.article.author == nasty
    assert thread.replies[0].author == nasty
    assert "\x1b[31mred" in _texts(thread.replies[0].blocks)
    assert "[bold]x[/]" in _texts(thread.replies[0].blocks)


def test_deep_comment_nesting_does_not_recurse() -> None:
    depth = 5000
    head = json.dumps(story())[: -len("]}")]  # the story up to its open "comments" list
    opener = '{"user": "d", "time": 1, "content": "<p>level", "comments": ['
    text = head + opener * depth + '{"user": "d", "content": "bottom"}' + "]}" * depth + "]}"
    thread = parse(text)
    assert thread.reply_count == depth + 1
    assert max(d for _, d in thread.walk_replies()) == depth


def test_deep_gt_quoting_does_not_recurse() -> None:
    blocks = parse(story(comment("<p>" + "&gt;" * 5000 + " bottom"))).replies[0].blocks
    level = 0
    while isinstance(blocks[0], Quote):
        blocks = blocks[0].blocks
        level += 1
    assert level == 5000 and blocks == (Paragraph("bottom"),)


@pytest.mark.parametrize(
    "value",
    [
        "{",
        "[]",
        '"story"',
        {"title": 5, "time": 1},
        story(time="yesterday"),
        story(time=True),
        story(time=1e300),
        story(user=["a"]),
        story(content={}),
        story(comments={}),
        story(comment(5)),  # type: ignore[arg-type]
        story(comment("x", comments="none")),
        story("a comment as a string"),
        '{"time": ' + "1" * 5000 + "}",
    ],
)
def test_malformed_input_is_one_parse_error(value: Any) -> None:
    with pytest.raises(ParseError) as info:
        parse(value)
    assert "\n" not in str(info.value) and str(info.value)


def test_sniff() -> None:
    assert hn_json.sniff(json.dumps(story(comment("x"))))
    assert hn_json.sniff(json.dumps(story(), indent=2))
    for other in [
        '{"schema": "threadtui/1", "title": "t", "time": 1, "user": "u", "points": 1}',
        '{"format_version": "xenforo-2-thread", "posts": [{"user": "u", "time": 1}]}',
        '{"post_stream": {"posts": []}, "title": "t"}',
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3"}]}}]',
        "From alice@example.org Thu Jan  1 00:00:00 1970\nSubject: hi\n\nbody\n",
        'A title\n\nalice\n"user": "x", "time": 1, "points": 2\n',
    ]:
        assert not hn_json.sniff(other), other


_JSON = JSON_VALUES


@given(_JSON)
def test_random_json_values_raise_only_parse_error(value: Any) -> None:
    try:
        parse(json.dumps(value))
    except ParseError:
        pass


_mutate = mutate


_SKELETON = story(comment("<p>&gt; q<p>a", "x", comment("<p>b <a href='http://e'>e</a>", "y")))


@settings(max_examples=300)
@given(st.lists(st.integers(0, 50), max_size=10), _JSON)
def test_wrong_types_anywhere_raise_only_parse_error(path: list[int], value: Any) -> None:
    try:
        parse(_mutate(_SKELETON, path, value))
    except ParseError:
        pass


# --------------------------------------------------------------------------- the real file


def test_real_hn_file() -> None:
    if not REAL.is_file():
        pytest.skip(f"{REAL} not present")
    text = REAL.read_text(encoding="utf-8")
    assert hn_json.sniff(text)
    raw = json.loads(text)
    levels: list[int] = []
    stack = list(raw["comments"])
    while stack:
        item = stack.pop()
        levels.append(item["level"])
        stack.extend(item["comments"])
    thread = parse(text)  # its speed is bench/'s to measure: a timed test fails under load
    assert thread.title == "Biden wins White House, vowing new direction for divided U.S."
    assert thread.reply_count == len(levels) == 2170
    assert max(d for _, d in thread.walk_replies()) == max(levels) == 3
    assert [p.number for p, _ in thread.walk_replies()] == list(range(2, 2172))
    assert thread.article.blocks[0] == Link("apnews.com", raw["url"])
    assert "3089 points" in thread.site_chrome
    quotes = sum(isinstance(b, Quote) for p, _ in thread.walk_replies() for b in p.blocks)
    assert quotes > 0  # the thread does quote with "&gt;"
