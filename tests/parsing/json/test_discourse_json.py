"""Discourse topic JSON: reply nesting, post types, dates, hostile and malformed input, real file."""

from __future__ import annotations

import json
from typing import Any

import pytest
from _json_fuzz import JSON_VALUES, mutate
from _support import REALDATA
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.errors import ParseError
from threadtui.model import Block, Paragraph, Post, Quote, Thread
from threadtui.parsing.json import discourse as discourse_json

REAL = REALDATA / "discourse_json" / "discourse_api_topic.json"


def post(number: int, cooked: str = "", user: str | None = "someone", **fields: Any) -> dict:
    data: dict[str, Any] = {
        "id": 100 + number,
        "post_number": number,
        "username": user,
        "name": None,
        "created_at": "2024-05-01T10:00:00.000+02:00",
        "cooked": cooked,
        "post_type": 1,
        "reply_to_post_number": None,
    }
    data.update(fields)
    return data


def topic(*posts: Any, **fields: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "post_stream": {"posts": list(posts), "stream": list(range(len(posts)))},
        "id": 7,
        "title": "Which kettle descaler works best?",
        "fancy_title": "Which kettle descaler works best?",
        "created_at": "2024-05-01T08:00:00Z",
        "posts_count": len(posts),
        "views": 90,
    }
    data.update(fields)
    return data


def parse(value: Any) -> Thread:
    text = value if isinstance(value, str) else json.dumps(value)
    return discourse_json.parse(text, source="d.json", encoding="utf-8")


def _texts(blocks: tuple[Block, ...]) -> str:
    out: list[str] = []
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
        elif isinstance(block, Paragraph):
            out.append(block.text)
    return "\n".join(out)


def _shape(thread: Thread) -> list[tuple[int, int]]:
    return [(p.number, depth) for p, depth in thread.walk_replies()]


def test_topic_fields_and_utc_dates() -> None:
    thread = parse(topic(post(1, "<p>Citric acid, 2 spoons.</p>", "ann"), post(2, "<p>Thanks</p>")))
    assert thread.title == "Which kettle descaler works best?"
    assert thread.format == "discourse-json" and thread.source == "d.json"
    assert thread.article.number == 1 and thread.article.author == "ann"
    assert thread.article.date == thread.date == "2024-05-01T08:00:00"  # +02:00 -> UTC
    assert _texts(thread.article.blocks) == "Citric acid, 2 spoons."
    assert thread.site_chrome == ("2 posts", "90 views")
    assert [r.number for r in thread.replies] == [2]


def test_replies_nest_under_the_post_they_answer() -> None:
    thread = parse(
        topic(
            post(1, "<p>op</p>"),
            post(2, "<p>to op</p>", reply_to_post_number=1),
            post(3, "<p>flat</p>"),
            post(5, "<p>to 2</p>", reply_to_post_number=2),
            post(9, "<p>to 5</p>", reply_to_post_number=5),
            post(10, "<p>to a post not in the file</p>", reply_to_post_number=4),
            post(11, "<p>to 3</p>", reply_to_post_number=3),
            post(12, "<p>to a later post</p>", reply_to_post_number=13),
            post(13, "<p>later</p>"),
        )
    )
    assert _shape(thread) == [(2, 0), (5, 1), (9, 2), (3, 0), (11, 1), (10, 0), (12, 0), (13, 0)]


def test_moderator_and_small_actions_stay_as_replies() -> None:
    thread = parse(
        topic(
            post(1, "<p>op</p>"),
            post(2, "<p>This topic is now pinned.</p>", post_type=2),
            post(3, "", post_type=3, action_code="closed.enabled"),
            post(4, "<p>psst</p>", post_type=4),
        )
    )
    mod, small, whisper = thread.replies
    assert (mod.title, _texts(mod.blocks)) == ("moderator action", "This topic is now pinned.")
    assert (small.title, small.blocks) == ("small action", (Paragraph("action: closed.enabled"),))
    assert whisper.title == "whisper"
    assert thread.article.title is None


def test_deleted_users_and_empty_posts() -> None:
    thread = parse(topic(post(1, "<p>op</p>"), post(2, "", None), post(3, "<p>x</p>", "")))
    assert [r.author for r in thread.replies] == [None, None]
    assert thread.replies[0].blocks == ()
    named = parse(topic(post(1, "<p>op</p>", None, name="Ann Example")))
    assert named.article.author == "Ann Example"


def test_a_later_page_without_the_opening_post() -> None:
    data = topic(post(21, "<p>a</p>"), post(22, "<p>b</p>", reply_to_post_number=21))
    data["post_stream"]["stream"] = list(range(1, 41))
    thread = parse(data)
    assert thread.article == Post(1)
    assert thread.date == "2024-05-01T08:00:00"  # the topic's own date
    assert _shape(thread) == [(21, 0), (22, 1)]
    assert "38 more posts not loaded" in thread.site_chrome
    assert "the opening post is not in this file" in thread.site_chrome


def test_fancy_title_when_there_is_no_title_and_tags() -> None:
    data = topic(post(1, "<p>op</p>"), title=None, fancy_title="Tea &amp; kettles &ndash; 2024")
    data["tags"] = ["tea", {"id": 3, "name": "kettles", "slug": "kettles"}, 5]
    thread = parse(data)
    assert thread.title == "Tea & kettles – 2024"
    assert "tags: tea, kettles" in thread.site_chrome


def test_hostile_strings_are_kept_verbatim() -> None:
    nasty = "\x1b[31mred\x1b]0;t\x07 [bold]x[/] \u202eevil \x9b2J"
    thread = parse(topic(post(1, f"<p>{nasty}</p>", nasty), title=nasty))
    assert thread.title == nasty and thread.article.author == nasty
    assert "\x1b[31mred" in _texts(thread.article.blocks)
    assert "[bold]x[/]" in _texts(thread.article.blocks)


def test_deep_reply_chains_do_not_recurse() -> None:
    depth = 5000
    posts = [post(1, "<p>op</p>")] + [
        post(n, "<p>r</p>", reply_to_post_number=n - 1 if n > 2 else None)
        for n in range(2, depth + 2)
    ]
    thread = parse(topic(*posts))
    assert thread.reply_count == depth
    assert max(d for _, d in thread.walk_replies()) == depth - 1


@pytest.mark.parametrize(
    "value",
    [
        "{",
        "[]",
        "{}",
        {"post_stream": []},
        {"post_stream": {"posts": {}}},
        topic(post(1), title=5),
        topic(post(1, created_at="yesterday")),
        topic(post(1, created_at=5)),
        topic(post(1, cooked=["x"])),
        topic(post(1, username=3)),
        topic(post(1, post_number="1")),
        topic(post(1, post_number=True)),
        topic(post(1, post_type="2")),
        topic(post(1, reply_to_post_number=[1])),
        topic(post(1, action_code=2)),
        topic("a post as a string"),
        topic(post(2), created_at="2024-13-45"),  # read only when post 1 is missing
        '{"post_stream": {"posts": [{"post_number": ' + "1" * 5000 + "}]}}",
    ],
)
def test_malformed_input_is_one_parse_error(value: Any) -> None:
    with pytest.raises(ParseError) as info:
        parse(value)
    assert "\n" not in str(info.value) and str(info.value)


def test_sniff() -> None:
    assert discourse_json.sniff(json.dumps(topic(post(1))))
    assert discourse_json.sniff(json.dumps(topic(post(1)), indent=2))
    for other in [
        '{"schema": "threadtui/1", "title": "t", "post_stream": {}}',
        '{"format_version": "xenforo-2-thread", "posts": []}',
        '{"id": 1, "title": "t", "points": 3, "user": "u", "time": 1, "comments": []}',
        '[{"kind": "Listing", "data": {"children": [{"kind": "t3"}]}}]',
        "From alice@example.org Thu Jan  1 00:00:00 1970\nSubject: hi\n\nbody\n",
        'A title\n\nalice\n"post_stream": {\n',
    ]:
        assert not discourse_json.sniff(other), other


_JSON = JSON_VALUES


@given(_JSON)
def test_random_json_values_raise_only_parse_error(value: Any) -> None:
    try:
        parse(json.dumps(value))
    except ParseError:
        pass


_mutate = mutate


_SKELETON = topic(
    post(1, "<p>op <a href='http://e'>e</a></p>"),
    post(2, "", post_type=3, action_code="pinned.enabled"),
    post(3, "<blockquote><p>q</p></blockquote><p>a</p>", reply_to_post_number=2),
    tags=["t", {"name": "u"}],
)


@settings(max_examples=300)
@given(st.lists(st.integers(0, 50), max_size=10), _JSON)
def test_wrong_types_anywhere_raise_only_parse_error(path: list[int], value: Any) -> None:
    try:
        parse(_mutate(_SKELETON, path, value))
    except ParseError:
        pass


# --------------------------------------------------------------------------- the real file


def test_real_discourse_file() -> None:
    if not REAL.is_file():
        pytest.skip(f"{REAL} not present")
    text = REAL.read_text(encoding="utf-8")
    assert discourse_json.sniff(text)
    raw = json.loads(text)["post_stream"]["posts"]
    thread = parse(text)
    assert thread.title == "THIS SITE IS A SANDBOX -- it is reset every day"
    assert thread.reply_count == len(raw) - 1 == 3
    assert _shape(thread) == [(2, 0), (3, 0), (14, 0)]  # 14 answers post 1: top level
    assert thread.replies[0].title == "moderator action"
    assert thread.date == "2013-02-04T20:26:26"
    assert thread.article.author == "samsaffron"
