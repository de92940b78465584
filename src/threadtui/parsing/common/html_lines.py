"""The text side of the HTML block reader: lines of runs, and how they become blocks.

:mod:`~threadtui.parsing.common.html_blocks` collects a post's text as
:class:`Line` objects (a prefix such as a list bullet, then runs of text, each
marked with the link it sits in). When a block ends, :func:`lines_to_blocks`
turns the lines into paragraphs (a blank line between them) and a line holding
nothing but one link into a :class:`~threadtui.model.Link`; :func:`pre_paragraph`
does the same for ``<pre>`` text, whose lines and indentation are kept.
"""

from __future__ import annotations

import re

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
