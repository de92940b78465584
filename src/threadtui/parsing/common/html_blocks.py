"""Post HTML (forum engines, Discourse, Hacker News) as threadtui blocks.

:func:`html_to_blocks` turns the HTML body of one post into paragraphs, quotes
(with their author when the markup names one), link-only lines and
attachments; :func:`html_to_text` flattens a one-line field (a title, a user
name). Both are built on the standard library's :class:`html.parser.HTMLParser`,
whose callbacks see the document as a flat stream of tags and text: nesting
lives in explicit stacks here, so no depth of quoting can exhaust Python's
recursion limit.

What the browser would show is kept, as plain text (nothing is interpreted as
markup, no control character is removed): ``<br>`` is a line break inside a
paragraph, a blank line (``<br><br>``) or a block element (``<p>``,
``<table>``) starts a new paragraph, ``<pre>`` keeps its lines and
indentation, list items become ``• item`` lines (``1. item`` in ordered
lists), a line holding nothing but a link becomes a :class:`Link` block, and
images become :class:`Attachment` blocks (smilies stay inline as their alt
text). ``<script>``, ``<style>`` and other invisible content is dropped.

Quote containers of the common engines are recognised: XenForo 1 and 2
(``bbCodeQuote``, ``bbCodeBlock--quote``; ``data-author``/``data-quote``),
vBulletin (``bbcode_quote``, "Originally Posted by X"), SMF ("Quote from: X on
<date>"), phpBB (``<cite>X wrote:</cite>``), XMB and imported legacy
"Quote:" tables, Discourse (``aside.quote``) and plain ``<blockquote>``. Their
"X said:" headers and "Click to expand..." trailers are site chrome and are
removed once the author has been taken from them.

This module is the parser (the element stack, breaks, lists, links, quote
containers) and the public API; it leans on three by concern:
:mod:`~threadtui.parsing.common.html_lines` (lines of text runs, and how they
become paragraphs and link blocks), :mod:`~threadtui.parsing.common.html_quotes`
(which elements are quotes, their headers and trailers) and
:mod:`~threadtui.parsing.common.html_images` (pixels, smilies, attachments).
"""

from __future__ import annotations

from threadtui.model import Block, Link, Paragraph, Quote
from threadtui.parsing.common.html_images import image_shown
from threadtui.parsing.common.html_lines import (
    HTML_WS,
    LINE_TRIM,
    WS_RUN,
    Line,
    TextParser,
    lines_to_blocks,
    pre_paragraph,
)
from threadtui.parsing.common.html_quotes import (
    AUTHOR_ATTRS,
    QUOTE_CLASSES,
    WRAPPER_CLASSES,
    find_header,
    tidy_quote,
)

__all__ = ["html_to_blocks", "html_to_text"]

# --------------------------------------------------------------------------- vocabulary

#: Elements without an end tag: never pushed on the open-element stack.
_VOID = frozenset(
    "area base br col embed hr img input keygen link meta param source track wbr".split()
)
#: Elements whose content a reader never sees.
_SKIP_TAGS = frozenset("script style template noscript svg head title".split())
#: Classes of forum chrome inside post bodies: end markers, expand buttons, the
#: lightbox phrase table XenForo 2 leaks into bodies, screen-reader duplicates.
_SKIP_CLASSES = frozenset(
    {
        "messageTextEndMarker",
        "quoteExpand",
        "bbCodeBlock-expandLink",
        "js-extraPhrases",
        "sr-only",
    }
)
#: Block elements that start a new paragraph (inside a list: a new line).
_PARAGRAPH_TAGS = frozenset(
    "p h1 h2 h3 h4 h5 h6 table dl figure section article header footer address "
    "fieldset details blockquote".split()
)
#: Block elements that only start a new line.
_LINE_TAGS = frozenset(
    "div tr dt dd caption summary cite center form nav aside main figcaption legend "
    "tbody thead tfoot".split()
)
#: Wrappers displayed inline although they are <div>s (XenForo 2's inline lightbox).
_INLINE_CLASSES = frozenset({"lbContainer--inline"})
#: Embedded media: shown as a Link to their source, their fallback content dropped.
_MEDIA_TAGS = frozenset({"iframe", "video", "audio", "object"})
#: Deeper lists are indented as this one: 100,000 nested lists must not cost
#: 200,000 spaces a line.
_MAX_LIST_INDENT = 12

# --------------------------------------------------------------------------- state


class _Element:
    """An open element and what closing it must undo."""

    __slots__ = ("tag", "skip", "quote", "pre", "list", "item", "link", "inline", "block")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.skip = False
        self.quote = False
        self.pre = False
        self.list = False
        self.item = False
        self.link = 0
        self.inline = False
        self.block = ""  # "paragraph", "line" or ""


class _Container:
    """The post, or a quote being read: its author and finished blocks."""

    __slots__ = ("author", "blocks", "absorbs_blockquote")

    def __init__(self, author: str | None, *, absorbs_blockquote: bool = False) -> None:
        self.author = author
        self.blocks: list[Block] = []
        # Discourse wraps a quote's body in a <blockquote> inside <aside class="quote">:
        # that first blockquote is the same quote, not a nested one.
        self.absorbs_blockquote = absorbs_blockquote


# --------------------------------------------------------------------------- parser


class _BlockParser(TextParser):
    """Builds blocks from HTMLParser's callbacks; every nesting is an explicit stack."""

    def __init__(self) -> None:
        super().__init__()  # entities arrive decoded, references to controls kept
        self._open: list[_Element] = []
        self._open_count: dict[str, int] = {}
        self._containers: list[_Container] = [_Container(None)]
        self._lines: list[Line] = [Line()]
        self._skip = 0
        self._pre = 0
        self._pre_parts: list[str] = []
        self._inline = 0
        self._lists: list[int | None] = []  # per open list: next number, None for <ul>
        self._links: list[int] = []
        self._urls: dict[int, str] = {}

    # ----------------------------------------------------------------- results

    def blocks(self) -> tuple[Block, ...]:
        """Close whatever the markup left open and return the post's blocks."""
        self.close()
        self._close_to(0)
        self._flush()
        return tuple(self._containers[0].blocks)

    # ----------------------------------------------------------------- HTMLParser hooks

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if self.marked:
            attributes = {name: self.text(value) for name, value in attributes.items()}
        if tag in _VOID:
            self._void(tag, attributes)
            return
        element = _Element(tag)
        if self._skip or self._pre:
            self._push(element)  # only its end tag matters
            return
        classes = set(attributes.get("class", "").split())
        if tag in _SKIP_TAGS or classes & _SKIP_CLASSES:
            element.skip = True
            self._skip += 1
        elif tag in _MEDIA_TAGS:
            self._media(attributes)
            element.skip = True  # fallback content ("your browser does not…")
            self._skip += 1
        elif self._starts_quote(tag, classes):
            element.quote = True
            self._open_quote(tag, attributes)
        elif tag == "pre" or (tag == "code" and "bbc_code" in classes):
            # SMF's code blocks are <code> with <br> line breaks; others use <pre>.
            element.pre = True
            self._flush()
            self._pre += 1
        elif tag in ("ul", "ol"):
            element.list = True
            self._start_list(tag, attributes)
        elif tag == "li":
            element.item = True
            self._start_item()
        elif tag == "a":
            self._start_link(element, attributes)
        elif classes & _INLINE_CLASSES:
            element.inline = True  # shown inline: no line break around it or inside
            self._inline += 1
        elif tag in ("td", "th"):
            if self._lines[-1].has_text():
                self._lines[-1].add(" | ")
        else:
            self._start_block(element, tag)
        self._push(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br /> is one line break: only </br> alone counts as another.
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "br":  # </br> is a line break in every browser
            self._void(tag, {})
            return
        if not self._open_count.get(tag):
            return  # a stray end tag: nothing to close
        index = len(self._open) - 1
        while self._open[index].tag != tag:
            index -= 1
        self._close_to(index)

    def handle_data(self, data: str, *, decoded: bool = False) -> None:
        """Text of the post; ``decoded``: given by this parser, its references decoded."""
        if self._skip:
            return
        if self.marked and not decoded:
            data = self.text(data)
        if self._pre:
            self._pre_parts.append(data)
        else:
            self._lines[-1].add(data, self._links[-1] if self._links else 0)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![foo[`` is a bogus comment in HTML; _markupbase raises AssertionError on it."""
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            return self.parse_bogus_comment(i)

    # ----------------------------------------------------------------- element stack

    def _push(self, element: _Element) -> None:
        self._open.append(element)
        self._open_count[element.tag] = self._open_count.get(element.tag, 0) + 1

    def _close_to(self, index: int) -> None:
        """Close the open elements from the innermost down to ``index`` (implied end tags)."""
        while len(self._open) > index:
            element = self._open.pop()
            self._open_count[element.tag] -= 1
            self._close(element)

    def _close(self, element: _Element) -> None:
        if element.skip:
            self._skip -= 1
        elif element.quote:
            self._close_quote()
        elif element.pre:
            self._pre -= 1
            if not self._pre:
                self._flush_pre()
        elif element.list:
            self._lists.pop()
            self._paragraph_break()
        elif element.item:
            self._line_break()
        elif element.link:
            if self._links[-1] == element.link:
                self._links.pop()  # the usual case, O(1) however deep the links nest
            else:
                self._links.remove(element.link)
        elif element.inline:
            self._inline -= 1
        elif element.block == "paragraph":
            self._paragraph_break()
        elif element.block == "line":
            self._line_break()

    # ----------------------------------------------------------------- breaks

    def _indent(self) -> str:
        """The prefix of a continuation line inside list items."""
        return "  " * min(len(self._lists), _MAX_LIST_INDENT)

    def _line_break(self) -> None:
        """A block boundary: a new line unless the current one is still empty."""
        if self._lines[-1].has_text():
            self._lines.append(Line(self._indent()))

    def _paragraph_break(self) -> None:
        # Inside a list, <p> and <table> only start a new line: the item stays whole.
        if self._lists:
            self._line_break()
        else:
            self._flush()

    def _start_block(self, element: _Element, tag: str) -> None:
        if tag == "table" and self._take_header(label_only=True) is not None:
            # An imported legacy quote: a "Quote:" line, then a table holding the quote.
            element.quote = True
            self._flush()
            self._containers.append(_Container(None))
        elif self._inline:
            return
        elif tag in _PARAGRAPH_TAGS:
            element.block = "paragraph"
            self._paragraph_break()
        elif tag in _LINE_TAGS:
            element.block = "line"
            self._line_break()

    # ----------------------------------------------------------------- void elements

    def _void(self, tag: str, attributes: dict[str, str]) -> None:
        if self._skip:
            return
        if tag == "br":
            if self._pre:
                self._pre_parts.append("\n")
            else:
                self._lines.append(Line(self._indent()))
        elif tag == "hr" and not self._pre:
            self._paragraph_break()
        elif tag == "img":
            self._image(attributes)

    def _image(self, attributes: dict[str, str]) -> None:
        shown = image_shown(attributes, inline=bool(self._pre))
        if isinstance(shown, str):
            self.handle_data(shown, decoded=True)  # the alt text, decoded with the attributes
        elif shown is not None:
            self._add_block(shown)

    def _media(self, attributes: dict[str, str]) -> None:
        src = attributes.get("src") or attributes.get("data-src") or attributes.get("data", "")
        if src:
            self._add_block(Link(attributes.get("title") or src, src))

    # ----------------------------------------------------------------- lists and links

    def _start_list(self, tag: str, attributes: dict[str, str]) -> None:
        start = attributes.get("start", "1").strip()
        number = int(start) if start.isdigit() and len(start) < 10 else 1
        self._paragraph_break()
        self._lists.append(number if tag == "ol" else None)

    def _start_item(self) -> None:
        # <li> without </li> before the next one: close the previous item of this list.
        for index in range(len(self._open) - 1, -1, -1):
            element = self._open[index]
            if element.list:
                break
            if element.item:
                self._close_to(index)
                break
        self._line_break()
        depth = max(len(self._lists), 1)
        number = self._lists[-1] if self._lists else None
        if number is None:
            marker = "• "
        else:
            marker = f"{number}. "
            self._lists[-1] = number + 1
        self._lines[-1].prefix = "  " * min(depth - 1, _MAX_LIST_INDENT) + marker

    def _start_link(self, element: _Element, attributes: dict[str, str]) -> None:
        href = attributes.get("href", "").strip(HTML_WS)
        if not href:
            return  # an anchor (<a name=…>), not a link
        element.link = len(self._urls) + 1
        self._urls[element.link] = href
        self._links.append(element.link)

    # ----------------------------------------------------------------- quotes

    def _starts_quote(self, tag: str, classes: set[str]) -> bool:
        if classes & QUOTE_CLASSES:
            return True
        if tag in ("table", "aside") and "quote" in classes:
            return True  # XMB's quote table, Discourse's quote aside
        if tag != "blockquote" or classes & WRAPPER_CLASSES:
            return False
        container = self._containers[-1]
        if container.absorbs_blockquote:
            container.absorbs_blockquote = False
            return False
        return True

    def _open_quote(self, tag: str, attributes: dict[str, str]) -> None:
        author = next((attributes[a] for a in AUTHOR_ATTRS if attributes.get(a)), None)
        header = self._take_header(label_only=False)  # SMF: the header precedes the quote
        self._flush()
        absorbs = tag == "aside"
        self._containers.append(_Container(author or header or None, absorbs_blockquote=absorbs))

    def _close_quote(self) -> None:
        self._flush()
        container = self._containers.pop()
        author, blocks = tidy_quote(container.author, container.blocks)
        self._containers[-1].blocks.append(Quote(author, tuple(blocks)))

    def _take_header(self, *, label_only: bool) -> str | None:
        """Remove a quote header standing on the last line before a quote.

        Returns the author it names, "" for a bare "Quote:" label, or None (and
        removes nothing) when the last line is not a header.
        """
        found = find_header(self._lines, label_only=label_only)
        if found is None:
            return None
        index, author = found
        del self._lines[index:]
        self._lines.append(Line(self._indent()))
        return author

    # ----------------------------------------------------------------- output

    def _add_block(self, block: Block) -> None:
        self._flush()
        self._containers[-1].blocks.append(block)

    def _flush(self) -> None:
        """Turn the lines read so far into blocks of the innermost container."""
        lines = self._lines
        self._lines = [Line(self._indent())]
        if len(lines) == 1 and not lines[0].runs:
            return
        lines_to_blocks(lines, self._urls, self._containers[-1].blocks)

    def _flush_pre(self) -> None:
        paragraph = pre_paragraph(self._pre_parts)
        self._pre_parts = []
        if paragraph is not None:
            self._containers[-1].blocks.append(paragraph)


# --------------------------------------------------------------------------- public API


def html_to_blocks(html: str) -> tuple[Block, ...]:
    """The blocks of one post's HTML body, in reading order.

    Never raises on malformed markup: unclosed elements are closed at the end,
    stray end tags are ignored, and text outside any element is kept.
    """
    if not html or not html.strip(HTML_WS):
        return ()
    parser = _BlockParser()
    try:
        parser.feed(html)
        return parser.blocks()
    except AssertionError:
        # HTMLParser's last-resort internal checks: read the markup as text rather
        # than lose the post (no known input reaches this).
        return _text_blocks(html)


def _text_blocks(html: str) -> tuple[Block, ...]:
    parser = _BlockParser()
    parser.feed(html.replace("&", "&amp;").replace("<", "&lt;"))
    return parser.blocks()


def html_to_text(html: str) -> str:
    """A one-line field (a title, a user name) as plain text.

    Entities are decoded, tags and images dropped (smilies keep their text),
    and every run of white space, line breaks included, becomes one space.
    """
    if "<" not in html and "&" not in html:
        return WS_RUN.sub(" ", html).strip(LINE_TRIM)
    parts: list[str] = []
    stack: list[Block] = list(reversed(html_to_blocks(html)))
    while stack:
        block = stack.pop()
        if isinstance(block, Paragraph | Link):
            parts.append(block.text)
        elif isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
    return WS_RUN.sub(" ", " ".join(parts)).strip(LINE_TRIM)
