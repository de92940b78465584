"""The text side of the HTML block reader: lines of runs, and how they become blocks.

:mod:`~threadtui.parsing.common.html_blocks` collects a post's text as
:class:`Line` objects (a prefix such as a list bullet, then runs of text, each
marked with the link it sits in). When a block ends, :func:`lines_to_blocks`
turns the lines into paragraphs (a blank line between them) and a line holding
nothing but one link into a :class:`~threadtui.model.Link`; :func:`pre_paragraph`
does the same for ``<pre>`` text, whose lines and indentation are kept.

The text itself comes from :class:`TextParser`, the base of both HTML readers (this
one and the HTML-only mail's, :mod:`threadtui.parsing.mail.html`): an
:class:`~html.parser.HTMLParser` that keeps what a numeric character reference
names when :func:`html.unescape` would drop it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

from threadtui.model import Block, Link, Paragraph

#: HTML's white space (not Python's: a file separator or U+0085 is text to show).
HTML_WS = " \t\n\r\f"
WS_RUN = re.compile(r"[ \t\n\r\f]+")
#: What a line loses at its ends: white space and no-break spaces (end markers).
LINE_TRIM = HTML_WS + "\xa0"


class Line:
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
        if not self._texted and text.strip(LINE_TRIM):
            self._texted = True

    def has_text(self) -> bool:
        # A flag, not a scan of the runs: a line of nothing but white space collects a
        # run per tag (`<div> ` 20,000 times), and each tag asked again (quadratic: 23 s).
        return self._texted

    def text(self) -> str:
        """The line as shown: white space collapsed, ends trimmed, prefix added."""
        body = WS_RUN.sub(" ", "".join(text for text, _ in self.runs)).strip(LINE_TRIM)
        return self.prefix + body if body else ""


def lines_to_blocks(lines: list[Line], urls: dict[int, str], out: list[Block]) -> None:
    """Append the blocks ``lines`` read as to ``out``: paragraphs, and lines that are one link.

    ``urls`` maps a run's link id to its address.
    """
    paragraph: list[str] = []
    for line in lines:
        link = _sole_link(line, urls)
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


def _sole_link(line: Line, urls: dict[int, str]) -> Link | None:
    """The Link block a line stands for when it holds one link and nothing else."""
    if line.prefix.strip():
        return None
    ids = {link for text, link in line.runs if text.strip(LINE_TRIM)}
    if len(ids) != 1 or 0 in ids:
        return None
    return Link(line.text(), urls[ids.pop()])


def pre_paragraph(parts: list[str]) -> Paragraph | None:
    """The text of a ``<pre>`` as one paragraph, its lines and indentation kept (None if blank)."""
    text = "".join(parts)
    # The HTML input stream turns CR LF and lone CR into LF; the first line
    # break after <pre> is not content.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = 0
    while first < len(lines) and not lines[first].strip(LINE_TRIM):
        first += 1  # blank lines before the code; its indentation stays
    text = "\n".join(lines[first:]).rstrip(LINE_TRIM)
    return Paragraph(text) if text else None


# --------------------------------------------------------------------------- references

#: What :func:`html.unescape` deletes when a numeric reference names it (``&#27;``,
#: ``&#x7;``): C0 controls and DEL. The model keeps them, as it keeps the same
#: characters written literally; the views show them as placeholders.
_DROPPED = frozenset((*range(0x01, 0x09), 0x0B, *range(0x0E, 0x20), 0x7F))
#: Stands in for a kept reference while HTMLParser reads the text: U+E000 (private
#: use), so no entity or white-space rule touches it. A literal one is escaped too.
_MARK = "\ue000"
#: What a marked reference is restored to as it is (the others are html.unescape's).
_KEPT = _DROPPED | {ord(_MARK)}
#: A numeric reference that may need a mark (:func:`_mark` decides): to a C0 control
#: or DEL, to the stand-in, or of eight digits or more. Only those, so the references
#: of ordinary text (&#39; &#x27; &#8217;) cost no Python call. The ";" is optional,
#: as html.unescape reads them; the digits must be all of the reference's.
_NUMERIC = re.compile(
    r"&(#(?:[xX]0*(?:[1-8bBeEfF]|1[0-9a-fA-F]|7[fF]|[eE]000|[0-9a-fA-F]{8,})(?![0-9a-fA-F])"
    r"|0*(?:[1-8]|1[14-9]|2[0-9]|3[01]|127|57344|[0-9]{8,})(?![0-9]));?)"
)
#: Whether a text may hold one: the same, the digits' end consumed, not looked ahead at
#: (twice as fast in re, and most texts hold none; a hit runs :data:`_NUMERIC`).
_MAY_NEED_MARK = re.compile(
    r"&#(?:[xX]0*(?:[1-8bBeEfF]|1[0-9a-fA-F]|7[fF]|[eE]000)(?:[^0-9a-fA-F]|\Z)|[xX][0-9a-fA-F]{8}"
    r"|0*(?:[1-8]|1[14-9]|2[0-9]|3[01]|127|57344)(?:[^0-9]|\Z)|[0-9]{8})"
)
_MARKED = re.compile(_MARK + r"(!|#(?:[xX][0-9a-fA-F]+|[0-9]+);?)")
#: Digits past which a reference is marked whatever it names: html.unescape turns a
#: number past U+10FFFF (1114111) into U+FFFD, and one of over 4,300 digits into a
#: ValueError.
_MAX_DIGITS = 7


def _digits(ref: str) -> tuple[str, int]:
    """The digits of ``#27;`` or ``#x1b`` and their base."""
    body = ref[1:].rstrip(";")
    return (body[1:], 16) if body[:1] in ("x", "X") else (body, 10)


def _code(ref: str) -> int | None:
    """The code point ``#27;`` or ``#x1b`` names; None above U+10FFFF."""
    digits, base = _digits(ref)
    digits = digits.lstrip("0") or "0"
    if len(digits) > _MAX_DIGITS:
        return None
    code = int(digits, base)
    return code if code <= 0x10FFFF else None


def _mark(match: re.Match[str]) -> str:
    ref = match.group(1)
    if len(_digits(ref)[0]) > _MAX_DIGITS or _code(ref) in _KEPT:
        return _MARK + ref
    return match.group()


def _unmark_text(match: re.Match[str]) -> str:
    ref = match.group(1)
    if ref == "!":
        return _MARK
    code = _code(ref)
    if code is None:
        return "\ufffd"  # as html.unescape reads a number past U+10FFFF
    if code in _KEPT:
        return chr(code)
    return html.unescape(f"&#{code};")  # zeros in front: html.unescape's reading, shorter


def _unmark_raw(match: re.Match[str]) -> str:
    return _MARK if match.group(1) == "!" else "&" + match.group(1)


class TextParser(HTMLParser):
    """An HTMLParser (entities decoded) that keeps the controls numeric references name.

    :func:`html.unescape` deletes ``&#27;``, ``&#x1b;`` and ``&#7;``: ``a&#27;b`` read
    as ``ab``, text lost with no trace. :meth:`feed` marks those references before
    HTMLParser sees them; :meth:`text` turns the marks in a piece of data or an
    attribute value into the characters (or, inside ``<script>`` and ``<style>``,
    whose text is not decoded, back into the references written). Numbers too long
    for a character are marked too: unescaping one of 4,300 digits raised ValueError.

    :meth:`feed` must be given the whole document at once (a reference cut in two
    across calls is not marked).
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        #: Whether :meth:`feed` marked anything: handlers skip :meth:`text` until then.
        self.marked = False

    def feed(self, data: str) -> None:
        if _MARK in data:
            data = data.replace(_MARK, _MARK + "!")
            self.marked = True
        if "&#" in data and _MAY_NEED_MARK.search(data) is not None:
            data = _NUMERIC.sub(_mark, data)
            self.marked = self.marked or _MARK in data
        super().feed(data)

    def text(self, data: str) -> str:
        """``data`` (handed to a handler) with the kept references in it."""
        if _MARK not in data:
            return data
        return _MARKED.sub(_unmark_raw if self.cdata_elem else _unmark_text, data)
