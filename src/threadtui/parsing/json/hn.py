"""Hacker News threads in the node-hnapi / HNPWA shape (what most HN clients save).

``{id, title, points, user, time, content, type, url, domain, comments: [{id, level, user,
time, content, comments: [...]}, ...]}``. ``content`` is HTML (``<p>`` between paragraphs,
entities, ``<a>`` links), converted by :mod:`threadtui.parsing.common.html_blocks`. HN has no
quote markup: people start a paragraph with ``>``, so runs of such paragraphs become Quote
blocks (``>>`` nests). Deleted and dead comments keep their place with an empty body.

Comments nest to any depth in a hostile file: the tree is walked with an explicit stack.
"""

from __future__ import annotations

import re
from typing import Any

from threadtui.errors import ParseError
from threadtui.model import Block, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing.common.html_blocks import html_to_blocks
from threadtui.parsing.common.post_tree import Draft, PostTree
from threadtui.parsing.json.fields import JsonFields, head_holds
from threadtui.parsing.json.fields import count as _count
from threadtui.parsing.json.fields import load as _load

FORMAT = "hn-json"

_FIELDS = JsonFields("not a valid Hacker News thread")
_WHAT = _FIELDS.kind
_obj, _opt_str = _FIELDS.obj, _FIELDS.opt_str

#: Other JSON formats this one must never claim (threadtui/1, forumscraper, Discourse).
_OTHERS = re.compile(r'"(?:schema|format_version|post_stream)"\s*:')
#: HN's ``user``, numeric ``time`` and ``points``/``comments``.
_WANTED = (
    re.compile(r'"time"\s*:\s*-?\d'),
    re.compile(r'"user"\s*:'),
    re.compile(r'"(?:points|comments|comments_count)"\s*:'),
)


def sniff(text: str) -> bool:
    """A JSON object whose head has HN's ``user``, numeric ``time`` and ``points``/``comments``."""
    return head_holds(text, "{", _WANTED, _OTHERS)


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Read an HN story (or item) with its comment tree.

    Raises:
        ParseError: when the text is not valid JSON or not shaped as an HN item.
    """
    story = _obj(_load(text), "the document")
    title = _opt_str(story, "title", "the story") or ""
    blocks: list[Block] = []
    url = _opt_str(story, "url", "the story")
    domain = _opt_str(story, "domain", "the story")
    if url and not url.startswith("item?id="):  # Ask HN and jobs point at themselves
        blocks.append(Link(domain or url, url))
    blocks.extend(quote_runs(html_to_blocks(_opt_str(story, "content", "the story") or "")))
    article = Post(
        number=1,
        author=_author(story, "the story"),
        date=_epoch(story.get("time"), "the story"),
        blocks=tuple(blocks),
    )
    return Thread(
        title=title,
        article=article,
        replies=_comment_tree(_comments(story, "the story")),
        date=article.date,
        site_chrome=tuple(dict.fromkeys(_chrome(story))),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


def _chrome(story: dict[str, Any]) -> list[str]:
    chrome: list[str] = []
    kind = story.get("type")
    if isinstance(kind, str) and kind and kind != "link":
        chrome.append(kind)  # "ask", "job", "poll", "show"
    domain = story.get("domain")
    if isinstance(domain, str) and domain:
        chrome.append(domain)
    points = _count(story.get("points"))
    if points is not None:
        chrome.append(f"{points} points")
    comments = _count(story.get("comments_count"))
    if comments is not None:
        chrome.append(f"{comments} comments")
    return chrome


def _comment_tree(top_level: list[Any]) -> tuple[Post, ...]:
    """The comments as nested Posts numbered from 2 in reading order."""
    tree = PostTree(first_number=2)
    tree.grow(top_level, _comment)
    return tree.build()


def _comment(item: Any) -> tuple[Draft, list[Any]]:
    """One comment's post, and the comments answering it."""
    comment = _obj(item, "a comment")
    content = _opt_str(comment, "content", "a comment") or ""
    draft = Draft(
        _author(comment, "a comment"),
        _epoch(comment.get("time"), "a comment"),
        quote_runs(html_to_blocks(content)),
    )
    return draft, _comments(comment, "a comment")


#: Leading quote markers: ">", "> >", ">>" (and the spaces between them).
_MARKERS = re.compile(r"[ \t]*((?:>[ \t]*)+)")


def quote_runs(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Runs of paragraphs starting with ``>`` as Quote blocks; ``>>`` paragraphs nest deeper.

    A paragraph's depth is its count of leading ``>``; other blocks (links, images,
    quotes from ``<blockquote>``) are at depth 0 and end a run. Built with a stack of
    open levels, so any depth costs no recursion.
    """
    if not any(isinstance(b, Paragraph) and b.text.lstrip(" \t").startswith(">") for b in blocks):
        return blocks  # the common case: no quoting at all
    levels: list[list[Block]] = [[]]
    for block in blocks:
        depth = 0
        if isinstance(block, Paragraph):
            match = _MARKERS.match(block.text)
            if match is not None and match.end() < len(block.text):  # a bare ">" stays text
                depth = match.group(1).count(">")
                block = Paragraph(block.text[match.end() :])
        while len(levels) - 1 > depth:
            inner = levels.pop()
            levels[-1].append(Quote(None, tuple(inner)))
        while len(levels) - 1 < depth:
            levels.append([])
        levels[-1].append(block)
    while len(levels) > 1:
        inner = levels.pop()
        levels[-1].append(Quote(None, tuple(inner)))
    return tuple(levels[0])


# --------------------------------------------------------------------------- values


def _comments(data: dict[str, Any], what: str) -> list[Any]:
    value = data.get("comments")
    if value is None:
        return []
    if not isinstance(value, list):
        raise ParseError(f"{_WHAT}: {what}'s 'comments' is not a list")
    return value


def _author(data: dict[str, Any], what: str) -> str | None:
    """The author's name; None for a deleted comment's empty or missing ``user``."""
    user = _opt_str(data, "user", what)
    return None if not user or user == "[deleted]" else user


def _epoch(value: Any, what: str) -> str | None:
    return _FIELDS.epoch(value, what, "'time'")
