"""An HTML-only message body as plain text, for the body reader to take apart.

Some mailers send HTML with no plain-text alternative. Rather than a second
block reader, the HTML becomes the text a plain mailer would have written:
block elements break lines, ``<pre>`` keeps its lines, scripts and styles are
dropped, and each ``<blockquote>`` level becomes a ``> `` prefix, so quotes are
read by the same rules as everywhere else.

Why not :mod:`threadtui.parsing.common.html_blocks`, the forum posts' HTML reader:
it answers with blocks, and what a mail body means is found in its text, by
:mod:`~threadtui.parsing.mail.body`: the attribution above a quote ("On Mon, 4 Jan
2010, Jane Doe wrote:" names the quote's author, which html_blocks leaves as a
paragraph), the ``-- `` signature, the list footer and inline patches. html_blocks
also reads HTML as a forum shows it (list items as "• " lines, a line that is only a
link as a Link, forum quote headers taken out), so the thread would not be the same.
Merging them would change what every HTML-only mail shows; this reader is small and
only turns HTML into the text the body reader already reads.

Loaded by :mod:`~threadtui.parsing.mail.mime` with the first HTML-only message:
most archives never need :mod:`html.parser`.
"""

from __future__ import annotations

from threadtui.parsing.common.html_lines import TextParser

#: Deeper HTML quotes are shown at this depth (the renderer numbers deep bars anyway).
MAX_QUOTE_DEPTH = 64

_BREAKS = frozenset({"br"})
_BLOCKS = frozenset(
    {
        "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer", "address",
    }
)  # fmt: skip
_HIDDEN = frozenset({"script", "style", "head", "title", "template"})


class _Line:
    """One line of text, and the quote depth it is read at."""

    __slots__ = ("depth", "text")

    def __init__(self, depth: int, text: str = "") -> None:
        self.depth = depth
        self.text = text


class _TextParser(TextParser):
    """Collects lines of text from HTMLParser's callbacks (nesting is only counted)."""

    def __init__(self) -> None:
        super().__init__()  # entities arrive decoded, references to controls kept
        self.lines = [_Line(0)]
        self.depth = 0  # open <blockquote>s
        self.hidden = 0
        self.pre = 0

    def newline(self, blank: bool = False) -> None:
        if self.lines[-1].text.strip():
            self.lines.append(_Line(self.depth))
        else:
            self.lines[-1] = _Line(self.depth)
        if blank and len(self.lines) > 1 and self.lines[-2].text:
            self.lines.append(_Line(self.depth))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag == "blockquote":
            self.depth += 1
            self.newline(blank=True)
        elif tag in _BREAKS:
            self.lines.append(_Line(self.depth))
        elif tag in _BLOCKS:
            self.pre += tag == "pre"
            self.newline(blank=tag == "p")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag == "blockquote":
            self.depth = max(0, self.depth - 1)
            self.newline(blank=True)
        elif tag in _BLOCKS:
            self.pre = max(0, self.pre - (tag == "pre"))
            self.newline(blank=tag == "p")

    def handle_data(self, data: str) -> None:
        if self.hidden:
            return
        if self.marked:
            data = self.text(data)
        last = self.lines[-1]
        if self.pre:
            first, *rest = data.split("\n")
            last.text += first
            self.lines.extend(_Line(self.depth, line) for line in rest)
            return
        text = " ".join(data.split())
        if not text:
            if data and last.text and not last.text.endswith(" "):
                last.text += " "
            return
        if data[:1].isspace() and last.text and not last.text.endswith(" "):
            text = " " + text
        if data[-1:].isspace():
            text += " "
        if not last.text:
            last.depth = self.depth
            text = text.lstrip()
        last.text += text


def html_to_text(html: str) -> str:
    """An HTML body as plain text: block elements break lines, blockquotes become ``>`` quotes."""
    parser = _TextParser()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - whatever was read so far is kept
        pass
    out: list[str] = []
    for line in parser.lines:
        text = line.text.rstrip()
        # Every line carries its quote depth as "> " prefixes: capped, or thousands of open
        # <blockquote>s times thousands of lines built hundreds of megabytes.
        if line.depth and text:
            text = "> " * min(line.depth, MAX_QUOTE_DEPTH) + text
        if not text and out and not out[-1]:
            continue
        out.append(text)
    return "\n".join(out).strip("\n")
