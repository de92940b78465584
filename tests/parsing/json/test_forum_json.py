"""The forumscraper / xenforo-scraper thread JSON reader ("forum-json").

The fixtures are invented here (their HTML only imitates the engines' markup);
the real files under /work/shared/realdata are read in place, never copied,
and their tests skip where that folder does not exist.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest
from _support import REALDATA, SAMPLES
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.errors import ParseError
from threadtui.model import Attachment, Block, Paragraph, Post, Quote, Thread
from threadtui.parsing.json import forum as forum_json
from threadtui.parsing.json.forum import iso_date, parse, sniff
from threadtui.parsing.json.native import dumps


def _thread(**top: Any) -> str:
    """A small forumscraper-style XenForo 2 thread; ``top`` overrides top-level fields."""
    data: dict[str, Any] = {
        "format_version": "xenforo-2-thread",
        "url": "https://forum.example/threads/kettles.1/",
        "id": 1,
        "title": "Kettles &amp; teapots",
        "user_id": 5,
        "user": "Ada",
        "date": "2021-03-04T09:15:00+0100",
        "path": ["Home", "Forums", "Kitchen"],
        "tags": ["tea", "kettle"],
        "poll": {"title": "Best?", "answers": [{"option": "Copper", "votes": 3}]},
        "posts": [
            {
                "user": "Ada",
                "user_title": "Tea Lover",
                "user_banners": ["Staff member"],
                "user_extras": {"pairs": [{"key": "join-date", "value": "Joined 2009"}]},
                "id": 11,
                "date": "2021-03-04T09:15:00+0100",
                "text": "<p>Which kettle?</p><p>Mine <b>whistles</b>.</p>",
                "attachments": [{"name": "kettle.jpg"}],
                "signature": "Brewing since <i>1999</i><br />Ada",
                "reactions": [{"user": "Bo", "reaction": "Like", "date": "2021-03-05"}],
            },
            {
                "user": "Bo",
                "id": 12,
                "date": "2021-03-04T10:00:00+0100",
                "text": (
                    '<blockquote class="bbCodeBlock bbCodeBlock--quote" data-quote="Ada">'
                    '<div class="bbCodeBlock-title">Ada said:</div>'
                    '<div class="bbCodeBlock-content">Which kettle?</div></blockquote>'
                    "Copper, always."
                ),
                "attachments": [],
                "reactions": [],
            },
            {"user": "", "id": 13, "date": "Today at 10:00 AM", "text": "", "attachments": []},
        ],
    }
    data.update(top)
    return json.dumps(data)


def _all_blocks(post: Post) -> list[Block]:
    out: list[Block] = []
    stack: list[Block] = list(post.blocks)
    while stack:
        block = stack.pop()
        out.append(block)
        if isinstance(block, Quote):
            stack.extend(block.blocks)
    return out


# --------------------------------------------------------------------------- the thread


def test_thread_fields() -> None:
    thread = parse(_thread(), source="dir/kettles.json", encoding="cp1252")
    assert thread.title == "Kettles & teapots"
    assert thread.format == forum_json.FORMAT == "forum-json"
    assert thread.source == "dir/kettles.json"
    assert thread.encoding == "cp1252"
    assert thread.date == thread.article.date == "2021-03-04T09:15"
    assert [p.number for p in (thread.article, *thread.replies)] == [1, 2, 3]
    assert [p.author for p in (thread.article, *thread.replies)] == ["Ada", "Bo", None]


def test_posts_blocks_quotes_and_attachments() -> None:
    thread = parse(_thread())
    assert thread.article.blocks == (
        Paragraph("Which kettle?"),
        Paragraph("Mine whistles."),
        Attachment("kettle.jpg"),
    )
    assert thread.replies[0].blocks == (
        Quote("Ada", (Paragraph("Which kettle?"),)),
        Paragraph("Copper, always."),
    )
    assert thread.replies[1].blocks == ()  # an empty body is an empty post, still counted


def test_chrome_holds_metadata_once() -> None:
    thread = parse(_thread())
    assert thread.site_chrome == (
        "Home › Forums › Kitchen",
        "Tags: tea, kettle",
        "Poll: Best?",
        "Poll: Copper (3)",
        "Ada: Tea Lover · Staff member · Joined 2009",
        "Signature of Ada: Brewing since 1999 / Ada",
        "#1 reactions: Like: Bo",
        "#3 posted Today at 10:00 AM",  # a date we cannot place is kept as written
    )
    assert thread.replies[1].date is None


def test_the_thread_fields_stand_in_for_a_missing_first_post() -> None:
    thread = parse(_thread(posts=[]))
    assert thread.article == Post(number=1, author="Ada", date="2021-03-04T09:15")
    assert thread.replies == ()


def test_engines_field_names() -> None:
    posts = [
        {  # phpBB
            "postid": 1,
            "date": "Tue Mar 05, 2013 4:45 pm",
            "content": "<blockquote><div><cite>Cy wrote:</cite>hi</div></blockquote> yo",
            "signature": "",
            "user": "Di",
            "userinfo": [
                {"key": "Rank", "value": "Regular"},
                {"key": "Posts", "value": '<a href="./search.php">42</a>'},
                {"key": "Contact", "value": '<a href="#">Contact Di</a>'},
            ],
        },
        {  # vBulletin: the user is an object, the post has a title
            "date": "2012-12-02T07:28:57-08:00",
            "title": '<img src="/icon.png" alt="" /> A better title',
            "content": "vb body",
            "user": {"name": "Ed", "title": "Member", "custom": [{"key": "Posts:", "value": "7"}]},
            "edited": {"user": "Ed", "date": ". Thu 6 Dec '12, 3:02pm"},
            "reactions": [{"type": "👍", "count": 2}],
        },
        {  # SMF
            "date": "March 08, 2012, 05:57:10 PM",
            "body": "smf&nbsp; body",
            "user": "Fay",
            "edited": "&#171; <em>Last Edit: March 09, 2012 by Fay</em> &#187;",
            "userinfo": [{"key": "postgroup", "value": "Jr. Member"}],
        },
        {  # XMB: the subject opens the body, dates are day-first
            "body": '<font class="subject"> <strong>Sub ject<br /></strong> </font> <br />xmb',
            "date": "20-6-2006 at 17:44",
            "user": "Gus",
            "rank": " Hazard",
        },
    ]
    thread = parse(_thread(format_version="phpbb-2+-thread", title="T", posts=posts))
    article, vb, smf, xmb = thread.article, *thread.replies
    assert article.author == "Di" and article.date == "2013-03-05T16:45"
    assert article.blocks == (Quote("Cy", (Paragraph("hi"),)), Paragraph("yo"))
    assert (vb.author, vb.date, vb.title, vb.blocks) == (
        "Ed",
        "2012-12-02T07:28:57",
        "A better title",
        (Paragraph("vb body"),),
    )
    assert (smf.date, smf.blocks) == ("2012-03-08T17:57:10", (Paragraph("smf\xa0 body"),))
    assert (xmb.title, xmb.date, xmb.blocks) == (
        "Sub ject",
        "2006-06-20T17:44",
        (Paragraph("xmb"),),
    )
    assert "Di: Rank: Regular · Posts: 42" in thread.site_chrome
    assert "Ed: Member · Posts: 7" in thread.site_chrome
    assert "#2 last edited by Ed Thu 6 Dec '12, 3:02pm" in thread.site_chrome
    assert "#2 reactions: 👍 2" in thread.site_chrome
    assert "#3 Last Edit: March 09, 2012 by Fay" in thread.site_chrome
    assert "Fay: Jr. Member" in thread.site_chrome
    assert "Gus: Hazard" in thread.site_chrome


def test_xenforo_scraper_shape() -> None:
    text = json.dumps(
        {
            "link": "https://forum.example/threads/x.9/",
            "id": "9",
            "title": "Old scraper",
            "user": "Hal",
            "date": "2013-01-27T13:50:31+0000",
            "path": "Site/Support/",
            "tags": [],
            "poll": {"title": "", "answers": []},
            "posts": [
                {"user": "Hal", "date": "2013-01-27T13:50:31+0000", "text": "hello"},
                {
                    "user": "Ivy",
                    "date": "2013-02-01T08:00:00+0000",
                    "text": 'with <img alt="photo.png" class="bbImage" src="/a/1/">',
                    "attachments": '<li class="file"><a href="/a/1/"><img src="/t.jpg" '
                    'alt="photo.png"></a><span class="file-name">photo.png</span></li>'
                    '<li class="file"><img src="/t2.jpg" alt="plan.pdf"></li>',
                },
            ],
        }
    )
    assert sniff(text)
    thread = parse(text)
    assert thread.title == "Old scraper"
    assert thread.site_chrome == ("Site › Support",)
    # The inline image and the attachment list name the same file once.
    assert thread.replies[0].blocks == (
        Paragraph("with"),
        Attachment("photo.png"),
        Attachment("plan.pdf"),
    )


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("16 Jul 2008 at 7:19 AM", "2008-07-16T07:19"),
        ("Jul 25, 2023 at 1:51 PM", "2023-07-25T13:51"),
        ("Fri Apr 19, 2013 4:45 am", "2013-04-19T04:45"),
        ("August 08, 2011, 05:57:10 PM", "2011-08-08T17:57:10"),
        ("2003-06-19T19:00:44-0400", "2003-06-19T19:00:44"),
        ("2024-01-22T02:40:52Z", "2024-01-22T02:40:52"),
        ("2010-10-05T23:09:00+01:00", "2010-10-05T23:09"),
        ("2010-10-05", "2010-10-05"),
        ("20-6-2006 at 17:44", "2006-06-20T17:44"),
        ("5-6-2006", "2006-06-05"),
        ("16 Jul 2008", "2008-07-16"),
        ('<span class="DateTime">9 Jun 2008</span>', "2008-06-09"),
        ("Today at 10:00 AM", None),
        ("10:15", None),
        ("31-13-2006", None),
        ("", None),
        ("not a date", None),
    ],
)
def test_dates(raw: str, iso: str | None) -> None:
    assert iso_date(raw) == iso


# --------------------------------------------------------------------------- sniffing


def test_sniff_accepts_forumscraper_threads_only() -> None:
    assert sniff(_thread())
    assert sniff("\ufeff  " + _thread())
    assert sniff(_thread(format_version="smf-2-thread"))
    assert not sniff(_thread(format_version="xenforo-2-forum"))  # a board listing
    assert not sniff(json.dumps({"format_version": "other-thread", "posts": []}))


def test_sniff_rejects_other_formats() -> None:
    ours = dumps(Thread(title="t", article=Post(number=1, blocks=(Paragraph("x"),))))
    others = [
        "",
        ours,
        json.dumps({"id": 1, "title": "hn", "user": "u", "comments": []}),
        json.dumps([{"kind": "Listing"}]),
        json.dumps({"post_stream": {"posts": []}, "title": "discourse"}),
        " date 2023-05-06 What's new\nTitle\nTitle\nauthor\ntext\n",
        "From mboxrd@git Thu Jan  1 00:00:00 1970\nSubject: x\n",
        'link to "format_version": "xenforo-2-thread" in prose',
    ]
    for text in others:
        assert not sniff(text), text[:40]
    for sample in sorted(SAMPLES.glob("*")):
        if sample.is_file():
            assert not sniff(sample.read_text(encoding="utf-8", errors="replace")), sample


# --------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"format_version": "xenforo-2-thread", "posts": [', "invalid JSON: "),
        ('{"link": "x", "id": "1\n"}', "invalid JSON: Invalid control character at line 1"),
        ('{"format_version": "xmb-thread", "posts": {}}', 'not a forum thread: no "posts" list'),
        ('{"format_version": "xmb-thread"}', 'not a forum thread: no "posts" list'),
        ('{"format_version": "xmb-thread", "posts": [1]}', "not a forum thread: post 1 is not"),
        ("[1, 2]", "not a forum thread: the JSON is not an object"),
        ('{"link": "x", "posts": [], "n": ' + "9" * 5000 + "}", "invalid JSON: "),
    ],
)
def test_malformed_input_is_one_line_parse_error(text: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse(text)
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("dir/caf\\xe9.json", "caf\\xe9"),  # an undecodable name's escape is part of it
        ("dir/.json", "(untitled)"),
        ("", "(untitled)"),
    ],
)
def test_an_untitled_thread_is_named_as_threadtui_parse_names_it(source: str, title: str) -> None:
    assert parse(_thread(title=""), source=source).title == title


def test_fields_of_the_wrong_type_are_ignored() -> None:
    posts = [
        {"user": [1, 2], "date": {"x": 1}, "text": 5, "title": None, "attachments": {"a": 1}},
        {"user": {"name": 7}, "date": 20240101, "content": ["x"], "reactions": "lots"},
        {"user": True, "user_extra": [1, "x", {"name": None}], "userinfo": "bad", "edited": []},
    ]
    thread = parse(_thread(posts=posts, path=5, tags="x", poll=[1], title=["t"]))
    assert thread.title == "(untitled)"
    assert thread.article.author == "Ada"  # the thread's user stands in
    assert thread.replies[0].author == "7"
    assert thread.replies[1].author is None


def test_deep_json_does_not_exhaust_the_stack() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    text = '{"format_version": "xmb-thread", "user": ' + deep + ', "posts": [{"user": '
    text += deep + ', "body": "ok"}]}'
    thread = parse(text)
    assert thread.article.blocks == (Paragraph("ok"),)


# --------------------------------------------------------------------------- hostile text


def test_hostile_strings_stay_verbatim() -> None:
    evil = "\x1b[31m[bold]x[/bold]\x1b]0;t\x07\u202e"
    posts = [{"user": evil, "date": "2020-01-01", "text": f"<p>{evil}</p>", "signature": evil}]
    thread = parse(_thread(title=evil, posts=posts))
    assert thread.title == evil
    assert thread.article.author == evil
    assert thread.article.blocks == (Paragraph(evil),)
    assert f"Signature of {evil}: {evil}" in thread.site_chrome


def test_five_thousand_nested_quotes_in_a_post() -> None:
    levels = 5000
    body = "<blockquote>" * levels + "core" + "</blockquote>" * levels
    thread = parse(_thread(posts=[{"user": "a", "text": body}]))
    depth = 0
    blocks = thread.article.blocks
    while blocks and isinstance(blocks[0], Quote):
        depth += 1
        blocks = blocks[0].blocks
    assert depth == levels
    assert blocks == (Paragraph("core"),)
    assert dumps(thread)  # and it writes back out as threadtui/1


# --------------------------------------------------------------------------- real data

_REAL_DIRS = ("xenforo_json", "forum_json")
_MALFORMED = "xenforo-scraper_thread-example_HEAD_malformed.json"


def _real_files() -> list[Path]:
    if not REALDATA.is_dir():
        return []
    return sorted(p for d in _REAL_DIRS for p in (REALDATA / d).glob("*.json"))


def _real_ids() -> list[str]:
    return [p.name for p in _real_files()] or ["none"]


@pytest.mark.parametrize("name", _real_ids())
def test_real_files_parse_with_every_post(name: str) -> None:
    path = next((p for p in _real_files() if p.name == name), None)
    if path is None:
        pytest.skip("no real data here")
    text = path.read_text(encoding="utf-8")
    assert sniff(text)
    if name == _MALFORMED:
        with pytest.raises(ParseError, match="^invalid JSON: "):
            parse(text, source=str(path))
        return
    started = time.perf_counter()
    thread = parse(text, source=str(path))
    elapsed = time.perf_counter() - started
    expected = len(json.loads(text)["posts"])
    assert 1 + len(thread.replies) == expected
    assert thread.title and thread.format == "forum-json"
    assert thread.date is not None
    posts = (thread.article, *thread.replies)
    assert all(p.date is not None and p.author for p in posts)
    quotes = [b for p in posts for b in _all_blocks(p) if isinstance(b, Quote)]
    if "Click to expand" in text or "Originally posted by" in text:
        assert quotes and any(q.author for q in quotes)
    for quote in quotes:  # headers and trailers were taken out
        assert not any(
            isinstance(b, Paragraph) and "Click to expand..." in b.text for b in quote.blocks
        )
    assert elapsed < 2.0, f"{name}: {elapsed:.3f} s"


def test_other_real_files_are_not_sniffed() -> None:
    if not REALDATA.is_dir():
        pytest.skip("no real data here")
    ours = set(_real_files())
    for path in sorted(REALDATA.rglob("*")):
        if path.is_file() and path.parent != REALDATA and path not in ours:
            head = path.read_bytes()[:8192].decode("utf-8", "replace")
            assert not sniff(head), path


# --------------------------------------------------------------------------- properties

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False)
    | st.text(alphabet=st.sampled_from(list("<>/&;#=\"' ab:\x1b[]é-")), max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)
_KEYS = st.sampled_from(
    [
        "user",
        "date",
        "text",
        "content",
        "body",
        "title",
        "signature",
        "attachments",
        "reactions",
        "edited",
        "user_extra",
        "userinfo",
        "user_extras",
        "thankedby",
        "rank",
        "posts",
    ]
)


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(_KEYS, _JSON, max_size=5),
    st.lists(st.dictionaries(_KEYS, _JSON, max_size=8), max_size=4),
)
def test_any_field_values_give_a_thread_or_a_parse_error(
    top: dict[str, Any], posts: list[dict[str, Any]]
) -> None:
    text = json.dumps({"format_version": "xenforo-1-thread", **top, "posts": posts})
    assert sniff(text)
    thread = parse(text)
    assert 1 + len(thread.replies) == max(len(posts), 1)
    dumps(thread)
