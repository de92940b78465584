"""Discourse topic JSON (``https://forum.example/t/SLUG/ID.json``).

``{post_stream: {posts: [...], stream: [ids]}, title, fancy_title, created_at, views, ...}``.
Each post has ``post_number`` (kept as the reply's number: gaps such as 1, 2, 3, 14 are
real), ``username``, ``created_at`` (ISO with an offset, stored here in UTC), ``cooked``
(HTML, converted by :mod:`threadtui.parsing.common.html_blocks`), ``post_type`` and
``reply_to_post_number``.

* A post answering another post present in the file is nested under it; a post answering
  the opening post, a missing post, or nothing is a top-level reply.
* Posts that are not ordinary (``post_type`` 2 moderator action, 3 small action such as
  "closed", 4 whisper) stay replies in their place, with the kind as the post's title
  (shown in its header) and, when ``cooked`` is empty, the ``action_code`` as its body.
* A topic of more than about 20 posts is paged: the posts not in the file are counted in
  ``site_chrome``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from threadtui.errors import ParseError
from threadtui.model import Paragraph, Post, Thread
from threadtui.parsing.common.html_blocks import html_to_blocks, html_to_text
from threadtui.parsing.common.post_tree import Draft, PostTree
from threadtui.parsing.json.fields import JsonFields, head_holds
from threadtui.parsing.json.fields import load as _load

FORMAT = "discourse-json"

_FIELDS = JsonFields("not a valid Discourse topic")
_WHAT = _FIELDS.kind
_obj, _opt_str = _FIELDS.obj, _FIELDS.opt_str

_POST_STREAM = re.compile(r'"post_stream"\s*:\s*\{')
_OTHERS = re.compile(r'"(?:schema|format_version)"\s*:')

#: Titles for the post types that are not ordinary posts.
_KINDS = {2: "moderator action", 3: "small action", 4: "whisper"}


def sniff(text: str) -> bool:
    """A JSON object with a ``post_stream`` object near its start."""
    return head_holds(text, "{", (_POST_STREAM,), _OTHERS)


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Read a Discourse topic.

    Raises:
        ParseError: when the text is not valid JSON or not shaped as a topic.
    """
    topic = _obj(_load(text), "the document")
    stream = _obj(topic.get("post_stream"), "'post_stream'")
    posts = stream.get("posts")
    if not isinstance(posts, list):
        raise ParseError(f"{_WHAT}: 'post_stream' has no list of posts")

    title = _opt_str(topic, "title", "the topic")
    if title is None:  # fancy_title is HTML-escaped ("&ndash;")
        fancy = _opt_str(topic, "fancy_title", "the topic")
        title = html_to_text(fancy) if fancy else ""

    article, replies = _post_tree(posts)
    chrome = _chrome(topic)
    ids = stream.get("stream")
    if isinstance(ids, list) and len(ids) > len(posts):
        chrome.append(f"{len(ids) - len(posts)} more posts not loaded")
    if article is None:
        # A later page of a topic: the opening post is not here. An empty article keeps
        # number 1 for it, and the thread says so.
        article = Post(1)
        chrome.append("the opening post is not in this file")
    return Thread(
        title=title,
        article=article,
        replies=replies,
        date=article.date or _iso(topic.get("created_at"), "the topic"),
        site_chrome=tuple(dict.fromkeys(chrome)),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


def _post_tree(posts: list[Any]) -> tuple[Post | None, tuple[Post, ...]]:
    """The opening post (None when the file lacks it) and the replies' tree.

    Reading order is the file's; a reply goes under the post it answers when that post
    came earlier in the file (so the tree can never loop).
    """
    article: Post | None = None
    tree = PostTree()
    by_number: dict[int, int] = {}  # post_number: index in the tree (the first such post)
    for item in posts:
        post = _obj(item, "a post")
        draft, reply_to = _draft(post)
        assert draft.number is not None  # _draft always reads one
        if draft.number == 1 and article is None:
            article = Post(1, draft.author, draft.date, draft.title, None, draft.blocks)
            continue
        # An answer to the opening post is a top-level reply, as is one to a post not here.
        parent = by_number.get(reply_to) if reply_to is not None and reply_to != 1 else None
        by_number.setdefault(draft.number, tree.add(draft, parent))
    return article, tree.build()


def _draft(post: dict[str, Any]) -> tuple[Draft, int | None]:
    """One post's fields, and the number of the post it answers."""
    number = post.get("post_number")
    if isinstance(number, bool) or not isinstance(number, int):
        raise ParseError(f"{_WHAT}: a post has no integer 'post_number'")
    kind = post.get("post_type")
    if kind is not None and (isinstance(kind, bool) or not isinstance(kind, int)):
        raise ParseError(f"{_WHAT}: a post's 'post_type' is not an integer")
    reply_to = post.get("reply_to_post_number")
    if reply_to is not None and (isinstance(reply_to, bool) or not isinstance(reply_to, int)):
        raise ParseError(f"{_WHAT}: a post's 'reply_to_post_number' is not an integer")
    blocks = html_to_blocks(_opt_str(post, "cooked", "a post") or "")
    action = _opt_str(post, "action_code", "a post")
    if not blocks and action:
        blocks = (Paragraph(f"action: {action}"),)
    draft = Draft(
        _author(post),
        _iso(post.get("created_at"), "a post"),
        blocks,
        title=_KINDS.get(kind) if kind is not None else None,
        number=number,
    )
    return draft, reply_to


def _chrome(topic: dict[str, Any]) -> list[str]:
    chrome: list[str] = []
    for key, label in (("posts_count", "posts"), ("views", "views"), ("like_count", "likes")):
        value = topic.get(key)
        if isinstance(value, int) and not isinstance(value, bool):
            chrome.append(f"{value} {label}")
    tags = topic.get("tags")
    if isinstance(tags, list):
        # Older Discourse lists names; newer lists {"id", "name", "slug"} objects.
        found = (t.get("name") if isinstance(t, dict) else t for t in tags)
        names = [name for name in found if isinstance(name, str) and name]
        if names:
            chrome.append("tags: " + ", ".join(names))
    for key in ("pinned", "closed", "archived"):
        if topic.get(key) is True:
            chrome.append(key)
    return chrome


# --------------------------------------------------------------------------- values


def _author(post: dict[str, Any]) -> str | None:
    """The username (the display name when there is none); None for a deleted user."""
    for key in ("username", "name"):
        value = _opt_str(post, key, "a post")
        if value:
            return value
    return None


def _iso(value: Any, what: str) -> str | None:
    """An ISO timestamp with any offset as ``YYYY-MM-DDTHH:MM:SS`` in UTC; None when absent."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ParseError(f"{_WHAT}: {what}'s 'created_at' is not a string")
    try:
        when = datetime.fromisoformat(value)
        if when.tzinfo is not None:
            when = when.astimezone(UTC)
    except (ValueError, OverflowError):
        raise ParseError(f"{_WHAT}: {what}'s 'created_at' is not an ISO date") from None
    return when.replace(tzinfo=None).isoformat(timespec="seconds")
