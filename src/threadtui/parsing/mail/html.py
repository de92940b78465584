"""An HTML-only message body as plain text, for the body reader to take apart.

Some mailers send HTML with no plain-text alternative. Rather than a second
block reader, the HTML becomes the text a plain mailer would have written:
block elements break lines, ``<pre>`` keeps its lines, scripts and styles are
dropped, and each ``<blockquote>`` level becomes a ``> `` prefix, so quotes are
read by the same rules as everywhere else.

:mod:`html.parser` is imported on the first call: most archives never need it.
"""

from __future__ import annotations

from typing import Any

#: Deeper HTML quotes are shown at this depth (the renderer numbers deep bars anyway).
MAX_QUOTE_DEPTH = 64


def html_to_text(html: str) -> str:
    """An HTML body as plain text: block elements break lines, blockquotes become ``>`` quotes."""
    from html.parser import HTMLParser

    breaks = {"br"}
    blocks = {
        "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer", "address",
    }  # fmt: skip
    hidden = {"script", "style", "head", "title", "template"}

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.lines: list[list[Any]] = [[0, ""]]  # [quote depth, text]
            self.depth = 0
            self.hidden = 0
            self.pre = 0

        def newline(self, blank: bool = False) -> None:
            if self.lines[-1][1].strip():
                self.lines.append([self.depth, ""])
            else:
                self.lines[-1] = [self.depth, ""]
            if blank and len(self.lines) > 1 and self.lines[-2][1]:
                self.lines.append([self.depth, ""])

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in hidden:
                self.hidden += 1
            elif tag == "blockquote":
                self.depth += 1
                self.newline(blank=True)
            elif tag in breaks:
                self.lines.append([self.depth, ""])
            elif tag in blocks:
                self.pre += tag == "pre"
                self.newline(blank=tag == "p")

        def handle_endtag(self, tag: str) -> None:
            if tag in hidden:
                self.hidden = max(0, self.hidden - 1)
            elif tag == "blockquote":
                self.depth = max(0, self.depth - 1)
                self.newline(blank=True)
            elif tag in blocks:
                self.pre = max(0, self.pre - (tag == "pre"))
                self.newline(blank=tag == "p")

        def handle_data(self, data: str) -> None:
            if self.hidden:
                return
            if self.pre:
                first, *rest = data.split("\n")
                self.lines[-1][1] += first
                for line in rest:
                    self.lines.append([self.depth, line])
                return
            text = " ".join(data.split())
            if not text:
                if data and self.lines[-1][1] and not self.lines[-1][1].endswith(" "):
                    self.lines[-1][1] += " "
                return
            if data[:1].isspace() and self.lines[-1][1] and not self.lines[-1][1].endswith(" "):
                text = " " + text
            if data[-1:].isspace():
                text += " "
            if not self.lines[-1][1]:
                self.lines[-1][0] = self.depth
                text = text.lstrip()
            self.lines[-1][1] += text

    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - whatever was read so far is kept
        pass
    out: list[str] = []
    for depth, text in parser.lines:
        text = text.rstrip()
        # Every line carries its quote depth as "> " prefixes: capped, or thousands of open
        # <blockquote>s times thousands of lines built hundreds of megabytes.
        line = "> " * min(depth, MAX_QUOTE_DEPTH) + text if depth and text else text
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")
