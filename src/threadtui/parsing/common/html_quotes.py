"""How forum engines mark a quote in a post's HTML, and the chrome around it.

:mod:`~threadtui.parsing.common.html_blocks` asks here which elements are quote
containers (XenForo 1 and 2, vBulletin, phpBB, SMF, XMB, Discourse, plain
``<blockquote>``), and reads the header lines the engines write with a quote: "X
said:", "Quote from: X on <date>", "Originally Posted by X", a bare "Quote:". A
header names the quote's author and is site chrome, as is the "Click to expand..."
trailer: :func:`tidy_quote` takes the author from them and drops both, and
:func:`find_header` finds a header written just above its quote (SMF, legacy tables).
"""

from __future__ import annotations

import re

from threadtui.model import Block, Link, Paragraph
from threadtui.parsing.common.html_lines import LINE_TRIM, Line

#: Classes that make an element a quote container (any element).
QUOTE_CLASSES = frozenset(
    {
        "bbCodeQuote",  # XenForo 1
        "bbCodeBlock--quote",  # XenForo 2
        "bbcode_quote",  # vBulletin 3-5
        "quotecontent",  # phpBB 3.0 (subSilver2 and older prosilver)
        "bbc_standard_quote",  # SMF 2.0
        "bbc_alternate_quote",  # SMF 2.0, nested levels
    }
)
#: Classes of a ``<blockquote>`` that wraps a whole post or a quote's body (XenForo 1).
WRAPPER_CLASSES = frozenset({"messageText", "quoteContainer", "SelectQuoteContainer"})
#: Attributes naming a quote's author (XenForo 1, XenForo 2, Discourse).
AUTHOR_ATTRS = ("data-author", "data-quote", "data-username")

#: A quote header on its own line; ``a`` is the author when it names one.
_QUOTE_LABEL = re.compile(r"quote(?:\s+from)?\s*:?", re.IGNORECASE)
_QUOTE_FROM = re.compile(r"quote from:\s*(?P<a>.+?)(?:\s+on\s+.+)?", re.IGNORECASE)
_POSTED_BY = re.compile(r"(?:originally\s+)?posted\s+by:?\s*(?P<a>.+?)", re.IGNORECASE)
_SAID = re.compile(r"(?P<a>.{1,80}?)\s+(?:said|wrote)\s*:", re.IGNORECASE)
_HEADERS = (_QUOTE_LABEL, _QUOTE_FROM, _POSTED_BY, _SAID)
#: The longest line taken for a quote header; the longest name before "said:" when
#: the line stands outside the quote (a sentence ending in "said:" is not a header).
_MAX_HEADER = 160
#: How many blank lines may stand between a quote header and its quote.
_HEADER_LOOKBACK = 8
_MAX_OUTSIDE_NAME_WORDS = 4
#: Arrows and separators forums put after the author's name ("zooman said: ↑").
_HEADER_TAIL = " \t\xa0↑»›:"
_TRAILER = re.compile(r"click to (?:expand|shrink)\s*(?:\.\.\.|…)?", re.IGNORECASE)


def find_header(lines: list[Line], *, label_only: bool) -> tuple[int, str] | None:
    """A quote header on the last line with text, as (its index, the author it names).

    The author is "" for a bare "Quote:" label (``label_only`` looks for nothing else).
    None when that line is no header, or stands too far up (over more than a few blank
    lines), or is inside a list item.
    """
    index = len(lines) - 1
    # A header stands right above its quote: a few blank lines at most (walking back
    # over every blank line made each <table> in a long list cost the whole list).
    lowest = max(index - _HEADER_LOOKBACK, -1)
    while index > lowest and not lines[index].has_text():
        index -= 1
    if index == lowest:
        return None
    if index < 0 or lines[index].prefix.strip():
        return None
    text = lines[index].text()
    if label_only:
        found = _QUOTE_LABEL.fullmatch(text) is not None and text.endswith(":")
        author: str | None = ""
    else:
        found, author = _header(text, None, outside=True)
    return (index, author or "") if found else None


def _header(line: str, author: str | None, *, outside: bool) -> tuple[bool, str | None]:
    """Whether ``line`` is a quote header, and the author it names.

    ``author`` is the one the markup already gave (XenForo's ``data-author``):
    "zooman said:" and Discourse's "sam:" are then headers too. A line
    standing outside the quote is a header only with a short name, so that
    "The minister told reporters he said:" stays a sentence.
    """
    text = line.strip(LINE_TRIM)
    if not text or len(text) > _MAX_HEADER:
        return False, None
    bare = text.rstrip(_HEADER_TAIL)
    if author is not None and bare == author:
        return True, author
    for pattern in _HEADERS:
        match = pattern.fullmatch(text) or pattern.fullmatch(bare + ":") or pattern.fullmatch(bare)
        if match is None:
            continue
        name = (match.groupdict().get("a") or "").strip(_HEADER_TAIL) or None
        if outside and name is not None and len(name.split()) > _MAX_OUTSIDE_NAME_WORDS:
            return False, None
        return True, name
    return False, None


def tidy_quote(author: str | None, blocks: list[Block]) -> tuple[str | None, list[Block]]:
    """Take the author from a quote's header line, drop the header and the expand trailer."""
    for _ in range(2):  # "Quote:" then "Originally posted by X" (XMB)
        if not blocks:
            break
        first = blocks[0]
        if isinstance(first, Paragraph):
            line, _, rest = first.text.partition("\n")
        elif isinstance(first, Link):
            line, rest = first.text, ""
        else:
            break
        found, name = _header(line, author, outside=False)
        if not found:
            break
        author = author or name
        if rest:
            blocks[0] = Paragraph(rest)
        else:
            del blocks[0]
    if blocks:
        last = blocks[-1]
        if isinstance(last, Paragraph | Link):
            head, _, tail = last.text.rpartition("\n")
            if _TRAILER.fullmatch(tail.strip(LINE_TRIM)):
                if head:
                    blocks[-1] = Paragraph(head)
                else:
                    del blocks[-1]
    return author, blocks
