"""Reddit comment-page JSON: structure, Markdown, hostile and malformed input, the real file."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from _json_fuzz import JSON_VALUES, mutate
from _support import REALDATA
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.errors import ParseError
from threadtui.model import Link, Paragraph, Quote, Thread
from threadtui.parsing.json import reddit as reddit_json

REAL = REALDATA / "reddit_json" / "rtv_r-Python_2xmo63_comments.json"


def listing(*children: Any) -> dict[str, Any]:
    return {"kind": "Listing", "data": {"children": list(children)}}


def t3(**fields: Any) -> dict[str, Any]:
    data = {
        "title": "Kettle descaling: vinegar or citric acid?",
        "name": "t3_k3tl",
        "author": "steam_fan",
        "created_utc": 1700000000.0,
        "selftext": "",
        "is_self": True,
        "domain": "self.kettles",
        "subreddit": "kettles",
        "score": 42,
        "num_comments": 3,
    }
    data.update(fields)
    return {"kind": "t3", "data": data}


def t1(body: str, author: str = "someone", *replies: Any, **fields: Any) -> dict[str, Any]:
    data = {
        "author": author,
        "body": body,
        "created_utc": 1700000100,
        "score": 5,
        "replies": listing(*replies) if replies else "",
    }
    data.update(fields)
    return {"kind": "t1", "data": data}


def page(submission: dict[str, Any], *comments: Any) -> str:
    return json.dumps([listing(submission), listing(*comments)])


def parse(text: str) -> Thread:
    return reddit_json.parse(text, source="r.json", encoding="utf-8")


def test_submission_and_thread_fields() -> None:
    thread = parse(page(t3(selftext="First para.\n\nSecond &amp; last.")))
    assert thread.title == "Kettle descaling: vinegar or citric acid?"
    assert thread.format == "reddit-json" and thread.source == "r.json"
    assert thread.article.number == 1
    assert thread.article.author == "steam_fan"
    assert thread.article.date == thread.date == "2023-11-14T22:13:20"
    assert thread.article.blocks == (Paragraph("First para."), Paragraph("Second & last."))
    assert thread.site_chrome == ("r/kettles", "42 points", "3 comments")
    assert thread.replies == ()


def test_link_post_is_a_link_block() -> None:
    sub = t3(is_self=False, url="https://example.org/a?b=1", domain="example.org")
    thread = parse(page(sub))
    assert thread.article.blocks == (Link("example.org", "https://example.org/a?b=1"),)
    assert "example.org" in thread.site_chrome


def test_nesting_and_reading_order_numbers() -> None:
    text = page(
        t3(),
        t1("a", "ann", t1("a.1", "bob", t1("a.1.1", "cy")), t1("a.2", "dee")),
        t1("b", "eve"),
    )
    thread = parse(text)
    walked = [(p.number, p.blocks[0].text, depth) for p, depth in thread.walk_replies()]  # type: ignore[union-attr]
    assert walked == [(2, "a", 0), (3, "a.1", 1), (4, "a.1.1", 2), (5, "a.2", 1), (6, "b", 0)]
    assert [r.author for r in thread.replies] == ["ann", "eve"]
    assert thread.replies[0].date == "2023-11-14T22:15:00"


def test_deleted_and_empty_authors_are_none() -> None:
    text = page(
        t3(author="[deleted]"),
        t1("[deleted]", "[deleted]"),
        t1("kept", ""),
        t1("kept too", None),  # type: ignore[arg-type]
    )
    thread = parse(text)
    assert thread.article.author is None
    assert [r.author for r in thread.replies] == [None, None, None]
    assert thread.replies[0].blocks == (Paragraph("[deleted]"),)


def test_empty_body_is_still_a_reply() -> None:
    thread = parse(page(t3(), t1("", "gone", t1("child", "kid"))))
    assert thread.replies[0].blocks == ()
    assert thread.replies[0].replies[0].blocks == (Paragraph("child"),)


@pytest.mark.parametrize("empty", ["", None, listing()])
def test_replies_empty_string_null_or_empty_listing(empty: Any) -> None:
    thread = parse(page(t3(), t1("only", "x", replies=empty)))
    assert thread.reply_count == 1 and thread.replies[0].replies == ()


def test_more_stubs_are_skipped_and_counted() -> None:
    more = {"kind": "more", "data": {"count": 12, "children": ["a", "b"]}}
    deeper = {"kind": "more", "data": {"count": 0, "children": []}}
    text = page(t3(), t1("a", "x", t1("b", "y"), deeper), more)
    thread = parse(text)
    assert thread.reply_count == 2
    assert thread.site_chrome[-1] == "12 more comments not loaded (2 'more' stubs skipped)"
    only_deeper = parse(page(t3(), t1("a", "x", deeper)))
    assert only_deeper.site_chrome[-1] == "deeper comments not loaded (1 'more' stub skipped)"


def test_markdown_quotes_paragraphs_and_literal_markup() -> None:
    body = (
        "I said\n&gt;quoted right after a line\n\n"
        "&gt; outer\n&gt;&gt; inner\n&gt; outer again\n\n"
        "**bold** [a](http://x) &amp;lt; stays\n\n"
        "    code line\n      indented\n"
    )
    blocks = parse(page(t3(), t1(body))).replies[0].blocks
    assert blocks == (
        Paragraph("I said"),
        Quote(None, (Paragraph("quoted right after a line"),)),
        Quote(
            None,
            (Paragraph("outer"), Quote(None, (Paragraph("inner"),)), Paragraph("outer again")),
        ),
        Paragraph("**bold** [a](http://x) &lt; stays"),
        Paragraph("code line\n  indented"),
    )


def test_hostile_strings_are_kept_verbatim() -> None:
    nasty = "\x1b[31mred\x1b]0;title\x07 [bold]x[/] \u202eevil \x00 \x9b2J \u2028 \x1e"
    thread = parse(page(t3(title=nasty, author=nasty, selftext=nasty), t1(nasty, nasty)))
    assert thread.title == nasty
    assert thread.article.author == nasty
    assert thread.article.blocks == (Paragraph(nasty),)
    assert thread.replies[0].blocks == (Paragraph(nasty),)


def test_deep_reply_nesting_does_not_recurse() -> None:
    depth = 5000
    head = json.dumps(listing(t3()))
    # Built as text: json.dumps itself would recurse 5,000 levels deep.
    opener = '{"kind": "t1", "data": {"author": "d", "body": "level", "replies": '
    opener += '{"kind": "Listing", "data": {"children": ['
    inner = '{"kind": "t1", "data": {"author": "d", "body": "bottom", "replies": ""}}'
    text = f'[{head}, {{"kind": "Listing", "data": {{"children": [{opener * depth}{inner}{"]}}}}" * depth}]}}}}]'
    thread = parse(text)
    assert thread.reply_count == depth + 1
    assert max(d for _, d in thread.walk_replies()) == depth


def test_deep_markdown_quoting_does_not_recurse() -> None:
    blocks = parse(page(t3(), t1("&gt;" * 5000 + " bottom"))).replies[0].blocks
    level = 0
    while isinstance(blocks[0], Quote):
        blocks = blocks[0].blocks
        level += 1
    assert level == 5000 and blocks == (Paragraph("bottom"),)


@pytest.mark.parametrize(
    "text",
    [
        "[",
        "[]",
        "{}",
        '"x"',
        "[1]",
        json.dumps([listing()]),
        json.dumps([listing(t1("not a submission"))]),
        json.dumps([{"kind": "Listing", "data": {"children": 5}}]),
        page(t3(title=5)),
        page(t3(created_utc="yesterday")),
        page(t3(created_utc=True)),
        page(t3(created_utc=1e300)),
        page(t3(), t1(5)),  # type: ignore[arg-type]
        page(t3(), t1("x", replies=7)),
        page(t3(), t1("x", replies={"kind": "t1"})),
        page(t3(), {"kind": "t9", "data": {}}),
        page(t3(), "a comment as a string"),
        json.dumps([listing(t3()), listing(t1("x")), 3]),
        "[" + "9" * 5000 + "]",
    ],
)
def test_malformed_input_is_one_parse_error(text: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert "\n" not in str(info.value) and str(info.value)


def test_sniff() -> None:
    assert reddit_json.sniff(page(t3(), t1("x")))
    assert reddit_json.sniff("\n  " + page(t3()))
    sorted_keys = json.dumps([listing(t3(selftext="z" * 5000))], sort_keys=True)
    assert reddit_json.sniff(sorted_keys)  # "kind"s come last; "name": "t3_…" does not
    for other in [
        '{"schema": "threadtui/1", "title": "t"}',
        '{"format_version": "xenforo-2-thread", "posts": []}',
        '{"id": 1, "title": "t", "points": 3, "user": "u", "time": 1, "comments": []}',
        '{"post_stream": {"posts": []}, "title": "t"}',
        "From alice@example.org Thu Jan  1 00:00:00 1970\nSubject: hi\n\nbody\n",
        "A title\n\nalice\nHello [kind] Listing t3\n",
        '[{"kind": "Listing"}]',
    ]:
        assert not reddit_json.sniff(other), other


_JSON = JSON_VALUES


@given(_JSON)
def test_random_json_values_raise_only_parse_error(value: Any) -> None:
    try:
        parse(json.dumps(value))
    except ParseError:
        pass


_mutate = mutate


_SKELETON = [
    listing(t3(is_self=False, url="http://e.org", domain="e.org", upvote_ratio=0.5)),
    listing(t1("a\n&gt; q", "x", t1("b", "y"), {"kind": "more", "data": {"count": 2}})),
]


@settings(max_examples=300)
@given(st.lists(st.integers(0, 50), max_size=12), _JSON)
def test_wrong_types_anywhere_raise_only_parse_error(path: list[int], value: Any) -> None:
    try:
        parse(json.dumps(_mutate(_SKELETON, path, value)))
    except ParseError:
        pass


# --------------------------------------------------------------------------- the real file


def _raw_comments(data: Any) -> list[dict[str, Any]]:
    out, stack = [], list(data[1]["data"]["children"])
    while stack:
        thing = stack.pop()
        if thing["kind"] == "t1":
            out.append(thing["data"])
            if isinstance(thing["data"]["replies"], dict):
                stack.extend(thing["data"]["replies"]["data"]["children"])
    return out


def test_real_reddit_file() -> None:
    if not REAL.is_file():
        pytest.skip(f"{REAL} not present")
    text = REAL.read_text(encoding="utf-8")
    assert reddit_json.sniff(text)
    raw = _raw_comments(json.loads(text))
    start = time.perf_counter()
    thread = parse(text)
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0
    assert thread.title == "A python terminal viewer for browsing reddit"
    assert thread.reply_count == len(raw) == 45
    assert max(d for _, d in thread.walk_replies()) == max(c["depth"] for c in raw)
    assert sum(r.author is None for r, _ in thread.walk_replies()) == 2
    assert isinstance(thread.article.blocks[0], Link)
    numbers = [p.number for p, _ in thread.walk_replies()]
    assert numbers == list(range(2, 47))
