"""An accounting of where every input line of a dump went, independent of the parser.

The property from issue 2: every non-blank input line ends up in a displayed
field, in a structured field (author, date, byline, quote author), or in the
thread's ``site_chrome`` list. :func:`unaccounted` returns the lines for which
no such place can be found. It reads only the parser's *output* (the model),
plus the few spellings of the dump format itself (``X said:``, bullets,
``> `` quoting, Markdown headings and links, the `` date …`` metadata line).
It imports nothing from the parser but :func:`threadtui.parsing.common.lines.strip`
(what "blank" and "surrounding whitespace" mean) and the date normaliser.

How honest each rule is:

* Body text (paragraph lines, link texts and URLs, attachment names) is
  counted as a multiset: two identical input lines need two output copies,
  unless the text is also a title, author, chrome line... (which a dump
  legitimately repeats, such as an author name shown twice).
* Header fields (title, authors, post titles, byline parts, quote authors)
  and ``site_chrome`` are sets: dumps repeat them, the model keeps them once.
* A line that is nothing but a date is accounted for when the ISO date it
  normalises to is the value of some date field of the thread (thread date,
  post date, byline date). That is a global check: it cannot tell *which*
  post's date the line was, so a dropped body line that happens to be a date
  equal to some post's date would slip through. Lines that hold a date *and*
  more (``May 4, 2023 #2``) get no credit for the date: they must be kept
  whole somewhere.
* Pure quote syntax (``Click to expand...``, ``quote:``, a lone ``>``) is
  accounted for only when the thread holds at least one quote.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from threadtui.model import Attachment, Block, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing.common.dates import normalise, whole_line_date
from threadtui.parsing.common.lines import WHITESPACE, strip

# The spaces of the format are WHITESPACE: "\s" would also take the C0 separators
# U+001C-U+001F and NEL (U+0085), which are content (shown as placeholders).
_WS = re.escape(WHITESPACE)
_S = f"[{_WS}]"
_CONTROL_SPACES = re.compile("[\x1c-\x1f\x85]")
_SPLIT = re.compile(r"\r\n|\r|\n")
_METADATA = re.compile(rf"{_S}?date (\d{{4}}-\d{{2}}(?:-\d{{2}})?)(?: (.*))?", re.DOTALL)
_EMPTY = re.compile("")
_SAID_TAIL = re.compile(rf"{_S}+said:{_S}*↑?")
_QUOTE_SYNTAX = re.compile(rf"Click to expand\.\.\.|[Qq]uote:|[>{_WS}]+")
_GT = re.compile(rf">[>{_WS}]*(?P<text>.+)", re.DOTALL)
_HEADING = re.compile(rf"#{{1,6}}{_S}+(?P<text>.+)", re.DOTALL)
_BULLET = re.compile(rf"[•·▪●]{_S}+(?P<text>.+)", re.DOTALL)
_BYLINE_SEP = rf"{_S}+[-–—|]{_S}+"
# A URL has no space and no control: "\s" keeps out both (as the reader's link pattern).
_MD_LINK = re.compile(r"\[(?P<text>[^\]\n]+)\]\((?P<url>[^)\s]+)\)")
# Quote openers other than "X said:": (prefix, suffix) around the author.
_QUOTE_OPENERS = [
    (re.compile(rf"Quote from:{_S}*"), re.compile(r"")),
    (
        re.compile(rf"(?:Quote:{_S}*)?Originally Posted by{_S}+", re.I),
        re.compile(rf"(?:{_S}*View Post)?"),
    ),
    (re.compile(rf"ORIGINAL:{_S}*"), re.compile(r"")),
]


def input_lines(text: str) -> list[str]:
    """The dump's lines, split the way the format defines them (CRLF, CR or LF)."""
    return _SPLIT.split(text)


def _walk_blocks(blocks: Iterable[Block]) -> Iterator[Block]:
    stack = list(blocks)[::-1]
    while stack:
        block = stack.pop()
        yield block
        if isinstance(block, Quote):
            stack.extend(reversed(block.blocks))


def _posts(thread: Thread) -> Iterator[Post]:
    yield thread.article
    stack = list(thread.replies)[::-1]
    while stack:
        post = stack.pop()
        yield post
        stack.extend(reversed(post.replies))


@dataclass
class Fields:
    """Everything the thread shows, gathered from the model."""

    body: Counter[str] = field(default_factory=Counter)
    heads: set[str] = field(default_factory=set)  # title, authors, post titles, byline parts
    quote_authors: set[str] = field(default_factory=set)
    chrome: set[str] = field(default_factory=set)
    dates: set[str] = field(default_factory=set)
    links: set[tuple[str, str | None]] = field(default_factory=set)
    bylines: set[tuple[str | None, str | None]] = field(default_factory=set)
    has_quote: bool = False

    @classmethod
    def of(cls, thread: Thread) -> Fields:
        f = cls()
        f.heads.add(thread.title)
        f.chrome.update(thread.site_chrome)
        if thread.date:
            f.dates.add(thread.date)
        for post in _posts(thread):
            for value in (post.author, post.title):
                if value:
                    f.heads.add(value)
            if post.date:
                f.dates.add(post.date)
            if post.byline is not None:
                b = post.byline
                f.heads.update(v for v in (b.author, b.publisher) if v)
                if b.date:
                    f.dates.add(b.date)
                f.bylines.add((b.author, b.publisher))
            for block in _walk_blocks(post.blocks):
                match block:
                    case Paragraph(text=text):
                        f.body.update(text.split("\n"))
                    case Link(text=text, url=url):
                        f.body[text] += 1
                        if url is not None and url != text:
                            f.body[url] += 1
                        f.links.add((text, url))
                    case Attachment(name=name):
                        f.body[name] += 1
                    case Quote(author=author):
                        f.has_quote = True
                        if author:
                            f.quote_authors.add(author)
        return f


class Accountant:
    """Matches input lines to the thread's fields, consuming body copies as it goes."""

    def __init__(self, thread: Thread) -> None:
        self.f = Fields.of(thread)
        self.left = Counter(self.f.body)

    def _named(self) -> set[str]:
        return self.f.heads | self.f.chrome

    def _take_body(self, text: str) -> bool:
        if self.left[text] > 0:
            self.left[text] -= 1
            return True
        return False

    def _is_date(self, text: str) -> bool:
        # The date patterns say "\s": a control among them makes the line no date.
        iso = whole_line_date(text)
        return iso is not None and iso in self.f.dates and not _CONTROL_SPACES.search(text)

    def _wrapped(
        self, line: str, values: Iterable[str], prefix: re.Pattern[str], suffix: re.Pattern[str]
    ) -> bool:
        """``line`` is ``prefix + value + suffix`` for one of ``values``."""
        for value in values:
            start = line.find(value)
            while start != -1:
                if prefix.fullmatch(line[:start]) and suffix.fullmatch(line[start + len(value) :]):
                    return True
                start = line.find(value, start + 1)
        return False

    def account(self, line: str) -> bool:
        """Is this (stripped, non-blank) line kept somewhere in the thread?

        Explanations that use up nothing come first; only then is a copy of
        body text consumed, so that a heading such as "# Title" cannot eat the
        body copy that a later, identical body line needs.
        """
        f = self.f
        if line in self._named() or line in f.quote_authors or self._is_date(line):
            return True
        # Quote openers and quote syntax.
        if self._wrapped(line, f.quote_authors, _EMPTY, _SAID_TAIL):
            return True
        for prefix, suffix in _QUOTE_OPENERS:
            if self._wrapped(line, f.quote_authors, prefix, suffix):
                return True
        if f.has_quote and _QUOTE_SYNTAX.fullmatch(line):
            return True
        # Markdown headings: "# Title", "#### author".
        heading = _HEADING.fullmatch(line)
        if heading and strip(heading["text"]) in self._named():
            return True
        # Bylines: "• Writer - Publisher", "• May 4, 2023".
        bullet = _BULLET.fullmatch(line)
        if bullet and self._is_byline(bullet["text"]):
            return True
        md = _MD_LINK.fullmatch(line)
        if md and (md["text"], md["url"]) in f.links:
            return True
        # Body text, counted.
        if self._take_body(line):
            return True
        gt = _GT.fullmatch(line)
        return bool(gt and f.has_quote and self._take_body(strip(gt["text"])))

    def _is_byline(self, text: str) -> bool:
        if self._is_date(text):
            return True
        for author, publisher in self.f.bylines:
            if publisher is None and author == text:
                return True
            if author and publisher:
                pattern = re.escape(author) + _BYLINE_SEP + re.escape(publisher)
                if re.fullmatch(pattern, text):
                    return True
        return False


def unaccounted(text: str, thread: Thread) -> list[str]:
    """Non-blank input lines that ended up nowhere in ``thread``."""
    acct = Accountant(thread)
    lost: list[str] = []
    lines = input_lines(text)
    for index, raw in enumerate(lines):
        line = strip(raw)
        if not line:
            continue
        if index == 0:
            meta = _METADATA.fullmatch(raw)
            if meta:
                iso = normalise(meta[1])
                rest = strip(meta[2] or "")
                if iso is not None and iso in acct.f.dates:
                    if rest and not acct.account(rest):
                        lost.append(rest)
                    continue
        if not acct.account(line):
            lost.append(line)
    return lost
