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
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import unquote, urlsplit

from threadtui.model import Attachment, Block, Link, Paragraph, Quote

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
#: Classes that make an element a quote container (any element).
_QUOTE_CLASSES = frozenset(
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
_WRAPPER_CLASSES = frozenset({"messageText", "quoteContainer", "SelectQuoteContainer"})
#: Attributes naming a quote's author (XenForo 1, XenForo 2, Discourse).
_AUTHOR_ATTRS = ("data-author", "data-quote", "data-username")
_SMILEY_CLASSES = frozenset({"smilie", "smiley", "smilies", "emoji", "emoticon", "mceSmilie"})
_SMILEY_PATH = re.compile(r"/(?:smilies|smileys|smiles|smls|emoticons|emoji)/", re.IGNORECASE)
#: Alt texts that say nothing about the image.
_GENERIC_ALT = frozenset({"", "image", "img", "attachment", "attached image", "photo", "*"})

#: Deeper lists are indented as this one: 100,000 nested lists must not cost
#: 200,000 spaces a line.
_MAX_LIST_INDENT = 12

#: HTML's white space (not Python's: a file separator or U+0085 is text to show).
_HTML_WS = " \t\n\r\f"
_WS_RUN = re.compile(r"[ \t\n\r\f]+")
#: What a line loses at its ends: white space and no-break spaces (end markers).
_LINE_TRIM = _HTML_WS + "\xa0"

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


# --------------------------------------------------------------------------- state


class _Line:
    """One line of the paragraph being built: a prefix (list bullet, indent) and text runs.

    Each run carries the id of the link it is inside (0: none), so that a line
    holding nothing but one link can become a :class:`Link` block.
    """

    __slots__ = ("prefix", "runs", "_texted")

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.runs: list[tuple[str, int]] = []
        self._texted = False

    def add(self, text: str, link: int = 0) -> None:
        self.runs.append((text, link))
        if not self._texted and text.strip(_LINE_TRIM):
            self._texted = True

    def has_text(self) -> bool:
        # A flag, not a scan of the runs: a line of nothing but white space collects a
        # run per tag (`<div> ` 20,000 times), and each tag asked again (quadratic: 23 s).
        return self._texted

    def text(self) -> str:
        """The line as shown: white space collapsed, ends trimmed, prefix added."""
        body = _WS_RUN.sub(" ", "".join(text for text, _ in self.runs)).strip(_LINE_TRIM)
        return self.prefix + body if body else ""


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


class _BlockParser(HTMLParser):
    """Builds blocks from HTMLParser's callbacks; every nesting is an explicit stack."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive decoded (html.unescape)
        self._open: list[_Element] = []
        self._open_count: dict[str, int] = {}
        self._containers: list[_Container] = [_Container(None)]
        self._lines: list[_Line] = [_Line()]
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

    def handle_data(self, data: str) -> None:
        if self._skip:
            return
        if self._pre:
            self._pre_parts.append(data)
        else:
            self._lines[-1].add(data, self._links[-1] if self._links else 0)

    def parse_marked_section(self, i: int, report: int = 1) -> int:
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
            self._lines.append(_Line(self._indent()))

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
                self._lines.append(_Line(self._indent()))
        elif tag == "hr" and not self._pre:
            self._paragraph_break()
        elif tag == "img":
            self._image(attributes)

    def _image(self, attributes: dict[str, str]) -> None:
        classes = set(attributes.get("class", "").split())
        src = attributes.get("data-url") or attributes.get("data-src") or attributes.get("src", "")
        if _is_hidden(attributes) or "avatar" in classes:
            return  # tracking pixels, avatars: nothing a reader looks at
        if self._pre or _is_smiley(classes, src):
            # A smiley is part of its sentence: keep it there as its text.
            alt = attributes.get("alt", "").strip(_LINE_TRIM)
            text = alt if alt.lower() not in _GENERIC_ALT else f":{_file_stem(src)}:"
            self.handle_data(text)
            return
        self._add_block(Attachment(_image_name(attributes, src)))

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
        href = attributes.get("href", "").strip(_HTML_WS)
        if not href:
            return  # an anchor (<a name=…>), not a link
        element.link = len(self._urls) + 1
        self._urls[element.link] = href
        self._links.append(element.link)

    # ----------------------------------------------------------------- quotes

    def _starts_quote(self, tag: str, classes: set[str]) -> bool:
        if classes & _QUOTE_CLASSES:
            return True
        if tag in ("table", "aside") and "quote" in classes:
            return True  # XMB's quote table, Discourse's quote aside
        if tag != "blockquote" or classes & _WRAPPER_CLASSES:
            return False
        container = self._containers[-1]
        if container.absorbs_blockquote:
            container.absorbs_blockquote = False
            return False
        return True

    def _open_quote(self, tag: str, attributes: dict[str, str]) -> None:
        author = next((attributes[a] for a in _AUTHOR_ATTRS if attributes.get(a)), None)
        header = self._take_header(label_only=False)  # SMF: the header precedes the quote
        self._flush()
        absorbs = tag == "aside"
        self._containers.append(_Container(author or header or None, absorbs_blockquote=absorbs))

    def _close_quote(self) -> None:
        self._flush()
        container = self._containers.pop()
        author, blocks = _tidy_quote(container.author, container.blocks)
        self._containers[-1].blocks.append(Quote(author, tuple(blocks)))

    def _take_header(self, *, label_only: bool) -> str | None:
        """Remove a quote header standing on the last line before a quote.

        Returns the author it names, "" for a bare "Quote:" label, or None (and
        removes nothing) when the last line is not a header.
        """
        lines = self._lines
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
        if not found:
            return None
        del lines[index:]
        lines.append(_Line(self._indent()))
        return author or ""

    # ----------------------------------------------------------------- output

    def _add_block(self, block: Block) -> None:
        self._flush()
        self._containers[-1].blocks.append(block)

    def _flush(self) -> None:
        """Turn the lines read so far into blocks of the innermost container."""
        lines = self._lines
        self._lines = [_Line(self._indent())]
        if len(lines) == 1 and not lines[0].runs:
            return
        out = self._containers[-1].blocks
        paragraph: list[str] = []
        for line in lines:
            link = self._sole_link(line)
            text = "" if link is not None else line.text()
            if text:
                paragraph.append(text)
                continue
            if paragraph:
                out.append(Paragraph("\n".join(paragraph)))
                paragraph = []
            if link is not None:
                out.append(link)
        if paragraph:
            out.append(Paragraph("\n".join(paragraph)))

    def _sole_link(self, line: _Line) -> Link | None:
        """The Link block a line stands for when it holds one link and nothing else."""
        if line.prefix.strip():
            return None
        ids = {link for text, link in line.runs if text.strip(_LINE_TRIM)}
        if len(ids) != 1 or 0 in ids:
            return None
        return Link(line.text(), self._urls[ids.pop()])

    def _flush_pre(self) -> None:
        text = "".join(self._pre_parts)
        self._pre_parts = []
        # The HTML input stream turns CR LF and lone CR into LF; the first line
        # break after <pre> is not content.
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        lines = text.split("\n")
        first = 0
        while first < len(lines) and not lines[first].strip(_LINE_TRIM):
            first += 1  # blank lines before the code; its indentation stays
        text = "\n".join(lines[first:]).rstrip(_LINE_TRIM)
        if text:
            self._containers[-1].blocks.append(Paragraph(text))


# --------------------------------------------------------------------------- helpers


def _is_hidden(attributes: dict[str, str]) -> bool:
    style = attributes.get("style", "").replace(" ", "").lower()
    return (
        attributes.get("width", "").strip() == "0"
        or attributes.get("height", "").strip() == "0"
        or "visibility:hidden" in style
        or "display:none" in style
    )


def _is_smiley(classes: set[str], src: str) -> bool:
    if classes & _SMILEY_CLASSES or any(c.startswith("mceSmilie") for c in classes):
        return True
    return _SMILEY_PATH.search(src) is not None


def _file_name(url: str) -> str:
    """The last path segment of a URL, percent-decoded ("" for data: URIs)."""
    if url.startswith("data:"):
        return ""
    try:
        path = urlsplit(url).path
    except ValueError:  # an invalid IPv6 host and the like
        path = url.split("?", 1)[0]
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


def _file_stem(url: str) -> str:
    return _file_name(url).rsplit(".", 1)[0] or "image"


def _image_name(attributes: dict[str, str], src: str) -> str:
    """What an attachment is called: its alt or title text, else its file name."""
    for key in ("alt", "title"):
        value = attributes.get(key, "").strip(_LINE_TRIM)
        if value.lower() not in _GENERIC_ALT:
            return _WS_RUN.sub(" ", value)
    return _file_name(src) or "image"


def _header(line: str, author: str | None, *, outside: bool) -> tuple[bool, str | None]:
    """Whether ``line`` is a quote header, and the author it names.

    ``author`` is the one the markup already gave (XenForo's ``data-author``):
    "zooman said:" and Discourse's "sam:" are then headers too. A line
    standing outside the quote is a header only with a short name, so that
    "The minister told reporters he said:" stays a sentence.
    """
    text = line.strip(_LINE_TRIM)
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


def _tidy_quote(author: str | None, blocks: list[Block]) -> tuple[str | None, list[Block]]:
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
            text = last.text
            head, _, tail = text.rpartition("\n")
            if _TRAILER.fullmatch(tail.strip(_LINE_TRIM)):
                if head:
                    blocks[-1] = Paragraph(head)
                else:
                    del blocks[-1]
    return author, blocks


# --------------------------------------------------------------------------- public API


def html_to_blocks(html: str) -> tuple[Block, ...]:
    """The blocks of one post's HTML body, in reading order.

    Never raises on malformed markup: unclosed elements are closed at the end,
    stray end tags are ignored, and text outside any element is kept.
    """
    if not html or not html.strip(_HTML_WS):
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
        return _WS_RUN.sub(" ", html).strip(_LINE_TRIM)
    parts: list[str] = []
    stack: list[Block] = list(reversed(html_to_blocks(html)))
    while stack:
        block = stack.pop()
        if isinstance(block, Paragraph | Link):
            parts.append(block.text)
        elif isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
    return _WS_RUN.sub(" ", " ".join(parts)).strip(_LINE_TRIM)
