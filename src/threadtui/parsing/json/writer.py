"""``threadtui parse`` output written a post at a time: a thread's "threadtui/1" JSON as chunks.

Encoding the whole document at once (:func:`threadtui.parsing.json.native.dumps`)
holds the thread's schema dicts, the document and its encoded bytes at the same
time: about three times the output on top of the thread, which is what made a
100 MB dump need gigabytes. :func:`chunks` builds one post's dict at a time and
hands out the text in pieces of about :data:`CHUNK_CHARS`, so memory stays the
thread plus one post.

The text is what ``native.dumps`` gives, character for character, with one
difference for the terminal's sake: the characters JSON may carry raw but a
terminal acts on (C1 controls such as U+009B, the CSI; bidirectional overrides
and isolates) and lone surrogates (which no UTF-8 stream can carry) are written
as ``\\u009b``-style escapes. JSON's own syntax is ASCII, so escaping them
anywhere in the text only ever touches string contents: the data read back is
the same.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from dataclasses import replace
from itertools import chain
from typing import Any

from threadtui.model import Block, Post, Quote, Thread, post_to_json, thread_to_json
from threadtui.parsing.json.native import MAX_INDENT_DEPTH, dumps_data

#: Text handed out per chunk (a post is never split, so a chunk can be larger).
CHUNK_CHARS = 1 << 16

#: What a terminal would act on, and what a UTF-8 stream cannot carry: C1 controls,
#: bidi embeddings/overrides (U+202A-U+202E) and isolates (U+2066-U+2069), surrogates.
#: Invisible characters (zero-width space, BOM) stay as they are: real files hold them,
#: and the output of every one of those stays byte for byte what it was.
TERMINAL_UNSAFE = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
#: With ``ascii_only`` every character past ASCII (and DEL) is escaped, as ``json.dumps`` does.
NOT_ASCII = re.compile("[\x7f-\U0010ffff]")


def chunks(thread: Thread, indent: int | None = None, *, ascii_only: bool = False) -> Iterator[str]:
    """The text of ``native.dumps(thread, indent)`` in pieces, unsafe characters escaped.

    ``ascii_only``: escape everything past ASCII (what ``json.dumps(..., ensure_ascii=True)``
    writes), for a stream that cannot carry all of Unicode.
    """
    layout = _Layout(indent, capped=_indent_capped(thread, indent))
    unsafe = NOT_ASCII if ascii_only else TERMINAL_UNSAFE
    pending: list[str] = []
    size = 0
    for piece in _pieces(thread, layout):
        pending.append(piece)
        size += len(piece)
        if size >= CHUNK_CHARS:
            yield _escaped("".join(pending), unsafe)
            pending, size = [], 0
    if pending:
        yield _escaped("".join(pending), unsafe)


def _escaped(text: str, unsafe: re.Pattern[str]) -> str:
    return unsafe.sub(_escape, text) if unsafe.search(text) else text


def _escape(match: re.Match[str]) -> str:
    """A character as JSON's ``\\uXXXX`` escape (a surrogate pair past the BMP), as json does."""
    code = ord(match.group())
    if code > 0xFFFF:
        code -= 0x10000
        return f"\\u{0xD800 | (code >> 10):04x}\\u{0xDC00 | (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


class _Layout:
    """Where the line breaks and indentation go, as ``json.dumps(indent=...)`` puts them.

    A container at level ``L`` (the document is level 0) has its members on lines
    indented ``L + 1`` steps and its closing bracket on a line indented ``L`` steps.
    When ``capped``, indentation stops growing at ``MAX_INDENT_DEPTH`` steps, as
    ``native.encode_deep`` does for a document too deep for ``json.dumps``.
    """

    def __init__(self, indent: int | None, *, capped: bool) -> None:
        self.indent = indent
        self.capped = capped
        self.sep = ", " if indent is None else ","

    def newline(self, level: int) -> str:
        """The break before a line at ``level`` ("" when not pretty-printing)."""
        if self.indent is None:
            return ""
        if self.capped:
            level = min(level, MAX_INDENT_DEPTH)
        return "\n" + " " * (self.indent * level)

    def open_object(self, data: dict[str, Any], level: int) -> str:
        """``data`` as an object at ``level``, left open for more members (no ``}``)."""
        text = dumps_data(data, self.indent)
        text = text[: -len(self.newline(0)) - 1]  # the closing "}" and the break before it
        if self.indent is None or level == 0:
            return text
        if not self.capped:
            return text.replace("\n", self.newline(level))
        # Indentation relative to the object, made absolute and capped (it may already be
        # capped relative to the object, when the object was itself too deep for json).
        step = max(self.indent, 1)
        return re.sub(r"\n( *)", lambda m: self.newline(level + len(m.group(1)) // step), text)


#: What :func:`_pieces` works through: text to write, or a post to write at a level.
_Item = str | tuple[Post, int]


def _pieces(thread: Thread, layout: _Layout) -> Iterator[str]:
    """The document's text, post by post, without recursion (replies nest to any depth).

    The stack holds one iterator per open level, so it grows with the nesting, never
    with the number of replies.
    """
    head = thread_to_json(replace(thread, article=Post(1), replies=()))
    del head["article"], head["replies"]  # the last two keys: written below, post by post
    sep, newline = layout.sep, layout.newline
    yield layout.open_object(head, 0) + sep + newline(1) + '"article": '
    stack: list[Iterator[_Item]] = [
        chain(
            [(thread.article, 1), sep + newline(1) + '"replies": '],
            _replies(thread.replies, 1, layout),
            [newline(0) + "}"],
        )
    ]
    while stack:
        item = next(stack[-1], None)
        if item is None:
            stack.pop()
        elif isinstance(item, str):
            yield item
        else:
            post, level = item
            # Its own fields only: its replies are written one by one, as items of the stack.
            fields = post_to_json(replace(post, replies=()) if post.replies else post)
            del fields["replies"]  # the last key: written here, child by child
            yield layout.open_object(fields, level) + sep + newline(level + 1) + '"replies": '
            stack.append(chain(_replies(post.replies, level + 1, layout), [newline(level) + "}"]))


def _replies(replies: tuple[Post, ...], level: int, layout: _Layout) -> Iterator[_Item]:
    """The list ``replies`` at ``level``: its brackets and separators, and each post."""
    if not replies:
        yield "[]"
        return
    for index, reply in enumerate(replies):
        yield ("[" if index == 0 else layout.sep) + layout.newline(level + 1)
        yield reply, level + 1
    yield layout.newline(level) + "]"


# --------------------------------------------------------------------------- deep documents


def _indent_capped(thread: Thread, indent: int | None) -> bool:
    """Whether ``native.dumps(thread, indent)`` caps the indentation: whether the document
    is too deep for ``json.dumps``, which then leaves it to ``native.encode_deep``.

    Only pretty-printing can tell; a document as shallow as the cap cannot either.
    """
    if indent is None or indent <= 0:
        return False
    depth = _depth(thread)
    if depth <= MAX_INDENT_DEPTH:
        return False
    if depth >= sys.getrecursionlimit():
        return True
    # A nest as deep as the document, tried from about as far down the stack as native.dumps
    # tries it (within a frame or two: how threadtui was started moves that limit anyway).
    nest: list[Any] = []
    for _ in range(depth - 1):
        nest = [nest]
    try:
        json.dumps(nest, indent=indent)
    except RecursionError:
        return True
    return False


def _depth(thread: Thread) -> int:
    """How many containers deep the thread's JSON nests (the document alone is 1)."""
    deepest = 2  # the document, and its site_chrome list
    posts: list[tuple[Post, int]] = [(thread.article, 2)]
    posts.extend((reply, 3) for reply in thread.replies)
    while posts:
        post, depth = posts.pop()
        # Its blocks and replies lists (and byline) one deeper, its replies' dicts two.
        deepest = max(deepest, _blocks_depth(post.blocks, depth + 1))
        posts.extend((reply, depth + 2) for reply in post.replies)
    return deepest


def _blocks_depth(blocks: tuple[Block, ...], depth: int) -> int:
    """The depth a ``blocks`` list at ``depth`` reaches: each quote nests two deeper."""
    deepest = depth + 1 if blocks else depth
    stack = [(block, depth + 1) for block in blocks if isinstance(block, Quote)]
    while stack:
        quote, at = stack.pop()
        deepest = max(deepest, at + 2 if quote.blocks else at + 1)
        stack.extend((block, at + 2) for block in quote.blocks if isinstance(block, Quote))
    return deepest
