"""Reddit's own comment-page JSON (``https://www.reddit.com/r/SUB/comments/ID/.json``).

The document is ``[Listing{children: [t3 submission]}, Listing{children: [t1 comment, ...]}]``.
A ``t1`` holds its answers in ``replies``: a nested Listing, or the empty string ``""``
when there are none. Big threads also hold ``kind: "more"`` stubs standing for comments
the page did not load; they are skipped and counted in ``site_chrome``.

Comment bodies are Markdown with ``&``, ``<`` and ``>`` escaped as entities. Blank lines
separate paragraphs and runs of ``>`` lines become (nested) quotes; all other Markdown is
kept as literal text: the reader shows what was typed, never markup.

The comment tree can nest to any depth in a hostile file, so it is walked with explicit
stacks, and quote nesting is read the same way.
"""

from __future__ import annotations

import re
from typing import Any

from threadtui.errors import ParseError
from threadtui.model import Block, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing.common.post_tree import Draft, PostTree
from threadtui.parsing.json.fields import JsonFields, head_holds
from threadtui.parsing.json.fields import count as _count
from threadtui.parsing.json.fields import load as _load

FORMAT = "reddit-json"

_FIELDS = JsonFields("not a valid Reddit thread")
_WHAT = _FIELDS.kind
_obj, _opt_str, _epoch = _FIELDS.obj, _FIELDS.opt_str, _FIELDS.epoch

# Sniffing looks at the head only. A comment page starts with the submission's Listing,
# and "kind": "t3" is near the top, unless keys were re-sorted: then "kind" comes last,
# but the submission's "children" list and its "name": "t3_..." (before "selftext") still
# show within the first few KB.
_LISTING = re.compile(r'"kind"\s*:\s*"Listing"|"children"\s*:\s*\[')
_SUBMISSION = re.compile(r'"kind"\s*:\s*"t3"|"name"\s*:\s*"t3_|"subreddit"\s*:')


def sniff(text: str) -> bool:
    """A JSON array whose head holds a Reddit Listing with a submission."""
    return head_holds(text, "[", (_LISTING, _SUBMISSION))


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Read a Reddit comment page.

    Raises:
        ParseError: when the text is not valid JSON or not shaped as a comment page.
    """
    data = _load(text)
    if not isinstance(data, list) or not data:
        raise ParseError(f"{_WHAT}: expected a list of Listings")
    submissions = _listing_children(data[0], "the first Listing")
    if not submissions:
        raise ParseError(f"{_WHAT}: the first Listing holds no submission")
    first = _obj(submissions[0], "the submission")
    if first.get("kind") != "t3":
        raise ParseError(f"{_WHAT}: the first Listing does not start with a submission (t3)")
    sub = _obj(first.get("data"), "the submission's data")

    title = _opt_str(sub, "title", "the submission") or ""
    article = Post(
        number=1,
        author=_author(sub, "the submission"),
        date=_epoch(sub.get("created_utc"), "the submission"),
        blocks=_submission_blocks(sub),
    )
    chrome = _submission_chrome(sub)
    top_level: list[Any] = []
    for listing in data[1:]:
        top_level.extend(_listing_children(listing, "a comment Listing"))
    replies, more = _comment_tree(top_level)
    if more:
        chrome.append(_more_note(*more))
    return Thread(
        title=title,
        article=article,
        replies=replies,
        date=article.date,
        site_chrome=tuple(dict.fromkeys(chrome)),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


# --------------------------------------------------------------------------- the submission


def _submission_blocks(sub: dict[str, Any]) -> tuple[Block, ...]:
    """A link post's URL as a Link (its text the domain), then the self text."""
    blocks: list[Block] = []
    url = _opt_str(sub, "url", "the submission")
    domain = _opt_str(sub, "domain", "the submission")
    is_self = sub.get("is_self")
    if not isinstance(is_self, bool):  # older or trimmed dumps: self posts say "self.SUB"
        is_self = bool(domain and domain.startswith("self."))
    if url and not is_self:
        blocks.append(Link(domain or url, url))
    selftext = _opt_str(sub, "selftext", "the submission")
    if selftext:
        blocks.extend(markdown_blocks(selftext))
    return tuple(blocks)


def _submission_chrome(sub: dict[str, Any]) -> list[str]:
    """Short metadata lines: where, how popular, flags."""
    chrome: list[str] = []
    subreddit = sub.get("subreddit_name_prefixed") or sub.get("subreddit")
    if isinstance(subreddit, str) and subreddit:
        chrome.append(subreddit if subreddit.startswith("r/") else f"r/{subreddit}")
    domain = sub.get("domain")
    if isinstance(domain, str) and domain and not domain.startswith("self."):
        chrome.append(domain)
    score = _count(sub.get("score"))
    if score is not None:
        chrome.append(f"{score} points")
    ratio = sub.get("upvote_ratio")
    if isinstance(ratio, int | float) and not isinstance(ratio, bool) and 0 <= ratio <= 1:
        chrome.append(f"{round(ratio * 100)}% upvoted")
    comments = _count(sub.get("num_comments"))
    if comments is not None:
        chrome.append(f"{comments} comments")
    flair = sub.get("link_flair_text")
    if isinstance(flair, str) and flair:
        chrome.append(f"flair: {flair}")
    for key, label in (("over_18", "NSFW"), ("locked", "locked"), ("archived", "archived")):
        if sub.get(key) is True:
            chrome.append(label)
    return chrome


def _more_note(stubs: int, hidden: int) -> str:
    """What the ``more`` stubs stood for, in words."""
    s = "" if stubs == 1 else "s"
    if hidden:
        return f"{hidden} more comments not loaded ({stubs} 'more' stub{s} skipped)"
    return f"deeper comments not loaded ({stubs} 'more' stub{s} skipped)"


# --------------------------------------------------------------------------- the comment tree


def _comment_tree(top_level: list[Any]) -> tuple[tuple[Post, ...], tuple[int, int] | None]:
    """The comments as nested Posts numbered from 2 in reading order, and (stubs, hidden).

    A ``more`` stub is no post: it is counted (and the comments it stands for) and
    left out of the tree.
    """
    stubs = hidden = 0

    def read(item: Any) -> tuple[Draft, list[Any]] | None:
        nonlocal stubs, hidden
        thing = _obj(item, "a comment")
        kind = thing.get("kind")
        if kind == "more":
            stubs += 1
            hidden += _hidden_by(thing.get("data"))
            return None
        if kind != "t1":
            raise ParseError(f"{_WHAT}: a comment of unknown kind")
        data = _obj(thing.get("data"), "a comment's data")
        body = _opt_str(data, "body", "a comment") or ""
        draft = Draft(
            _author(data, "a comment"),
            _epoch(data.get("created_utc"), "a comment"),
            markdown_blocks(body),
        )
        answers = data.get("replies")
        if answers is None or answers == "":
            return draft, []  # Reddit writes "" for "no replies"
        return draft, _listing_children(answers, "replies")

    tree = PostTree(first_number=2)
    tree.grow(top_level, read)
    return tree.build(), ((stubs, hidden) if stubs else None)


def _hidden_by(more: Any) -> int:
    """How many comments a ``more`` stub stands for: its count, else its list of ids."""
    if not isinstance(more, dict):
        return 0
    count = _count(more.get("count"))
    ids = more.get("children")
    return count if count is not None else len(ids) if isinstance(ids, list) else 0


def _listing_children(value: Any, what: str) -> list[Any]:
    listing = _obj(value, what)
    if listing.get("kind") != "Listing":
        raise ParseError(f"{_WHAT}: {what} is not a Listing")
    children = _obj(listing.get("data"), f"{what}'s data").get("children", [])
    if not isinstance(children, list):
        raise ParseError(f"{_WHAT}: {what} has no list of children")
    return children


# --------------------------------------------------------------------------- Markdown

_ENTITY = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
#: A quote line: up to three spaces, then ">" (four spaces would make it code).
_QUOTE_LINE = re.compile(r" {0,3}>")


def unescape(body: str) -> str:
    """Reddit's three entities decoded in one pass (``&amp;lt;`` stays ``&lt;``, as typed)."""
    if "&" not in body:
        return body
    return _ENTITY.sub(lambda m: _ENTITIES[m.group(1)], body)


def markdown_blocks(body: str) -> tuple[Block, ...]:
    """A Markdown body as blocks: blank-line paragraphs and nested ``>`` quotes.

    Everything but quoting stays literal. Lines split on ``\\n`` only (a CRLF body is
    read as LF): other separators such as U+2028 or U+001E are content, kept for the
    renderer to show. Quote depth is unbounded: each quote level is a frame on an
    explicit stack, and lines are views (text, offset) so stripping a ``>`` per level
    copies nothing.
    """
    text = unescape(body).replace("\r\n", "\n")
    root: list[Block] = []
    # A frame: [its lines as (line, start offset), the next line to read, its blocks,
    # the block list its Quote goes to when it ends (None for the body itself)].
    stack: list[list[Any]] = [[[(line, 0) for line in text.split("\n")], 0, root, None]]
    while stack:
        frame = stack[-1]
        lines, pos, out = frame[0], frame[1], frame[2]
        para: list[str] = []
        quote: list[tuple[str, int]] = []
        while pos < len(lines):
            line, start = lines[pos]
            match = _QUOTE_LINE.match(line, start)
            if match is None:
                if _is_blank(line, start):
                    _flush(para, out)
                else:
                    para.append(line[start:] if start else line)
                pos += 1
                continue
            _flush(para, out)
            while match is not None:  # the whole run of ">" lines is one quote
                cut = match.end()
                if line.startswith(" ", cut):
                    cut += 1  # "> text": the space belongs to the marker
                quote.append((line, cut))
                pos += 1
                if pos == len(lines):
                    break
                line, start = lines[pos]
                match = _QUOTE_LINE.match(line, start)
            break
        _flush(para, out)
        if quote:  # read the quote first; this frame goes on after it
            frame[1] = pos
            stack.append([quote, 0, [], out])
            continue
        stack.pop()
        if frame[3] is not None:
            frame[3].append(Quote(None, tuple(out)))
    return tuple(root)


def _is_blank(line: str, start: int) -> bool:
    # Only spaces and tabs make a line blank: a line of control characters is content.
    return not line[start:].strip(" \t")


def _flush(para: list[str], out: list[Block]) -> None:
    """End a paragraph: its common indentation goes, so an indented code block keeps its shape."""
    if para:
        indent = min(len(line) - len(line.lstrip(" \t")) for line in para)
        text = "\n".join(line[indent:] for line in para) if indent else "\n".join(para)
        out.append(Paragraph(text.rstrip(" \t")))
        para.clear()


# --------------------------------------------------------------------------- values


def _author(data: dict[str, Any], what: str) -> str | None:
    """The author's name; None for "[deleted]", an empty or a missing name."""
    author = _opt_str(data, "author", what)
    return None if not author or author == "[deleted]" else author
