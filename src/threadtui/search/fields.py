"""The searchable text of a thread, field by field, in the order it is drawn.

A *field* is one piece of text the reader draws from content: the title, an
author, a byline, a paragraph, a link's text or address, an attachment name,
a quote's author. Search matches never span two fields. Fields are numbered
per *location* (the article is :data:`ARTICLE`, replies are numbered in
reading order from 0), and :mod:`threadtui.view.render` draws them in exactly this
order, which is how a highlight finds its field (a test holds the two
together).

Field text is what the reader shows: controls already turned into their
placeholders (:func:`threadtui.safe.visible`), one-line fields (authors,
reply titles) with their whitespace folded (:func:`threadtui.safe.one_line`).
"""

from __future__ import annotations

from collections.abc import Iterator

from threadtui.model import Attachment, Block, Link, Paragraph, Post, Quote, Thread
from threadtui.safe import one_line, visible

#: The location of the article (title, byline, opening post).
ARTICLE = -1


def block_fields(blocks: tuple[Block, ...]) -> Iterator[str]:
    """Fields of a post's body, quotes in reading order, without recursion."""
    stack: list[Block] = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if type(block) is Paragraph:
            yield visible(block.text)
        elif type(block) is Quote:
            if block.author:
                yield one_line(block.author)
            stack.extend(reversed(block.blocks))
        elif type(block) is Link:
            yield visible(block.text)
            if block.url and block.url != block.text:
                yield visible(block.url)
        elif type(block) is Attachment:
            yield visible(block.name)


def article_fields(thread: Thread) -> Iterator[str]:
    """Title, starter, byline, then the opening post's body."""
    yield visible(thread.title)
    if thread.article.author:
        yield one_line(thread.article.author)
    byline = thread.article.byline
    if byline is not None and byline.text:
        yield visible(byline.text)
    yield from block_fields(thread.article.blocks)


def header_fields(post: Post) -> Iterator[str]:
    """The fields of a reply's header line: author, then title."""
    if post.author:
        yield one_line(post.author)
    if post.title:
        yield one_line(post.title)


def header_count(post: Post) -> int:
    """How many fields :func:`header_fields` gives for ``post``."""
    return bool(post.author) + bool(post.title)


def body_fields(blocks: tuple[Block, ...]) -> list[str]:
    """:func:`block_fields` as a list, without the generator for the common case."""
    if all(type(block) is Paragraph for block in blocks):
        # Nearly every reply is plain paragraphs: one comprehension, no generator chain.
        return [visible(block.text) for block in blocks]  # type: ignore[union-attr]
    return list(block_fields(blocks))


def reply_fields(post: Post) -> list[str]:
    """A reply's header fields, then its body."""
    fields = list(header_fields(post)) if post.author or post.title else []
    fields.extend(body_fields(post.blocks))
    return fields
