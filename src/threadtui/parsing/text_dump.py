"""The plain-text forum dump parser (the seed's format and its relatives).

The dump is a web page flattened to text by a crawler. We read it in three
passes, each linear in the number of lines:

1. split the file into post segments, on the no-break-space separator lines
   or, when a tool has flattened those away, on post-header markers;
2. read each segment's *head*: the lines before the body that name the
   author, rank, date and post number (and, for the opening post, the title
   and byline);
3. read the *body* into blocks: paragraphs, quotes (with a stack, never
   recursion), attachments and links.

Nothing is dropped: a line that is neither body nor a structured field goes
to the thread's ``site_chrome`` list.
"""

from __future__ import annotations

import gc
import re
from dataclasses import dataclass, field

from threadtui.model import Attachment, Block, Byline, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing import dates
from threadtui.parsing import lines as L

FORMAT = "text-dump"
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_BYLINE_BULLET = re.compile(r"[•·▪●]\s+(?P<text>.+)")
_BYLINE_SPLIT = re.compile(r"\s+[-–—|]\s+")
_ARROW_HEADER = re.compile(
    r"(?P<author>\S.{0,60}?) -> (?P<title>.*?)\s*\((?P<date>\d{1,2}/\d{1,2}/\d{4}[^)]*)\)"
)
_REPLY_HEADING = re.compile(r"#{2,4}\s+Reply\s+#(?P<n>\d+)", re.IGNORECASE)
_POST_SUBJECT = re.compile(r"Post subject:\s*(?P<title>.*)")
_POSTED = re.compile(r"(?:Post)?Posted:\s*(?P<date>.+)")


@dataclass(slots=True)
class _Chrome:
    """Site chrome seen so far, de-duplicated but in first-seen order."""

    seen: dict[str, None] = field(default_factory=dict)

    def add(self, line: str) -> None:
        self.seen.setdefault(line, None)


@dataclass(slots=True)
class _Head:
    """What the head of one post segment told us."""

    author: str | None = None
    date: str | None = None
    title: str | None = None
    number: int | None = None
    byline: Byline | None = None


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only: other separators (U+2028, form feed) are content.

    Same result as ``_LINE_SPLIT.split(text)``, at twice the speed.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.split("\n")


#: First and last characters that may make a body line more than running
#: text (quote syntax, attachments, links, trailers). A line that has neither
#: is a paragraph line; _read_body skips every other test for it.
_PLAIN_FIRST_EXCLUDED = frozenset(">CQOoVvhf[RLUT")
_PLAIN_LAST_EXCLUDED = frozenset(
    ":↑" + "".join(ext[-1] + ext[-1].upper() for ext in L.ATTACHMENT_EXTENSIONS)
)


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Parse a whole dump. Never raises on any ``str`` input."""
    # A big dump makes hundreds of thousands of small, acyclic objects: the
    # cyclic garbage collector would walk them over and over for nothing.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _parse(text, source=source, encoding=encoding)
    finally:
        if gc_was_enabled:
            gc.enable()


def _parse(text: str, *, source: str, encoding: str) -> Thread:
    raw = split_lines(text)
    lines = [L.strip(line) for line in raw]
    # Lines that are blank but hold a no-break space: the crawler's post separator.
    separators = [i for i, line in enumerate(raw) if not lines[i] and "\u00a0" in line]
    chrome = _Chrome()
    capture_date: str | None = None
    start = 0
    meta = L.METADATA_RE.fullmatch(raw[0]) if raw else None
    if meta and dates.normalise(meta[1]):
        capture_date = meta[1]
        rest = L.strip(meta[2] or "")
        if rest and not _is_site_label(rest):
            # The crawler glued the page's first text to the date line: keep it
            # as the first line of the page.
            lines[0] = rest
        else:
            if rest:
                chrome.add(rest)
            start = 1

    segments = _segments(lines, start, separators)
    head_seg = segments[0]
    title, pos = _read_title(lines, head_seg[0], head_seg[1], chrome)
    head = _Head()
    pos = _read_head(lines, pos, head_seg[1], head, chrome, title=title, is_article=True)
    blocks = _read_body(lines, pos, head_seg[1], chrome)
    reply_segments = segments[1:]
    if not blocks and reply_segments and head.author is None:
        # Markdown and arrow-header dumps: the head segment holds only the
        # title; the first post segment is the opening post.
        first = reply_segments.pop(0)
        pos = _read_head(lines, first[0], first[1], head, chrome, title=title, is_article=True)
        blocks = _read_body(lines, pos, first[1], chrome)
    blocks = _with_link_card(blocks)
    article = Post(
        number=1,
        author=head.author,
        date=head.date,
        title=head.title,
        byline=head.byline,
        blocks=tuple(blocks),
    )

    replies: list[Post] = []
    next_number = 2
    for seg_start, seg_end in reply_segments:
        reply_head = _Head()
        pos = _read_head(
            lines, seg_start, seg_end, reply_head, chrome, title=title, is_article=False
        )
        reply_blocks = _read_body(lines, pos, seg_end, chrome)
        if not reply_blocks and reply_head == _Head():
            continue
        number = (
            reply_head.number
            if reply_head.number and reply_head.number >= next_number
            else next_number
        )
        next_number = number + 1
        replies.append(
            Post(
                number=number,
                author=reply_head.author,
                date=reply_head.date,
                title=reply_head.title,
                byline=reply_head.byline,
                blocks=tuple(reply_blocks),
            )
        )
    thread_date = capture_date or (head.date[:10] if head.date else None)
    return Thread(
        title=title or _stem(source),
        date=thread_date,
        site_chrome=tuple(chrome.seen),
        article=article,
        replies=tuple(replies),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


def _stem(source: str) -> str:
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else (name or "(untitled)")


def _is_site_label(text: str) -> bool:
    """Rest of the metadata line: chrome ("What's new", "UrduPoint.com") or body text."""
    if L.is_chrome(text):
        return True
    words = text.split()
    return len(words) <= 3 and len(text) <= 40 and not text.endswith((".", "!", "?", "…"))


# ----------------------------------------------------------------- segmenting


def _segments(lines: list[str], start: int, separators: list[int]) -> list[tuple[int, int]]:
    """Half-open line ranges: the first holds the thread head, the rest one post each."""
    separators = [i for i in separators if i >= start]
    if separators:
        bounds = [start, *separators, len(lines)]
        # A separator line belongs to no segment: each post begins after one.
        return [(bounds[0], bounds[1])] + [
            (bounds[k] + 1, bounds[k + 1]) for k in range(1, len(bounds) - 1)
        ]
    markers = _marker_breaks(lines, start)
    if not markers:
        return [(start, len(lines))]
    bounds = [start, *markers, len(lines)]
    return [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]


def _marker_breaks(lines: list[str], start: int) -> list[int]:
    """Post boundaries in a dump whose separator lines were lost."""
    breaks: list[int] = []
    blank_run = 0
    seen_title = False
    for i in range(start, len(lines)):
        line = lines[i]
        if not line:
            blank_run += 1
            continue
        run, blank_run = blank_run, 0
        if not seen_title:
            seen_title = True
            continue
        first = line[0]
        if first == "#" and (L.md_author(line) or _REPLY_HEADING.fullmatch(line)):
            if not (breaks and breaks[-1] >= i - 2 and lines[breaks[-1]].startswith("#")):
                breaks.append(i)
        elif " -> " in line and _ARROW_HEADER.fullmatch(line):
            breaks.append(i)
        elif first == "P" and _POST_SUBJECT.fullmatch(line):
            breaks.append(i)
        elif run >= 2 and L.is_rank(line):
            breaks.append(i)
    return breaks


# ----------------------------------------------------------------- heads


def _read_title(lines: list[str], pos: int, end: int, chrome: _Chrome) -> tuple[str | None, int]:
    """The thread title: the first line that is not navigation chrome."""
    while pos < end:
        line = lines[pos]
        pos += 1
        if not line:
            continue
        if L.is_chrome(line):
            chrome.add(line)
            continue
        if line.startswith("# "):
            return L.strip(line[2:]) or line, pos
        return line, pos
    return None, pos


def _next_nonblank(lines: list[str], pos: int, end: int) -> str | None:
    while pos < end:
        if lines[pos]:
            return lines[pos]
        pos += 1
    return None


def _is_header_evidence(line: str | None, name: str) -> bool:
    """Does the line after a candidate name prove it is a post header?"""
    if line is None:
        return False
    return (
        line == name
        or L.is_rank(line)
        or L.STATS_RE.fullmatch(line) is not None
        or _date_of(line) is not None
        or L.POST_NUMBER_RE.fullmatch(line) is not None
    )


def _date_of(line: str) -> str | None:
    """ISO date of a date line, allowing trailing "Thread Starter Post #1 of 30" meta."""
    first = line[0]
    if not (first.isdigit() or first.isalpha()):
        return None
    iso = dates.whole_line_date(line)
    if iso is not None:
        return iso
    # The meta ends in a digit ("#2", "of 30") or in "Starter", "Poster", "OP":
    # skip the (linear-time) search for every other line, such as prose.
    tail = line.rstrip()
    if not tail or not (tail[-1].isdigit() or tail[-1] in "rRpP"):
        return None
    meta = L.TRAILING_META_RE.search(line)
    if meta and meta.start() > 0:
        return dates.whole_line_date(line[: meta.start()])
    return None


def _read_head(
    lines: list[str],
    pos: int,
    end: int,
    head: _Head,
    chrome: _Chrome,
    *,
    title: str | None,
    is_article: bool,
) -> int:
    """Consume header lines from ``pos``; return where the body starts."""
    expect_stat_value = False
    while pos < end:
        line = lines[pos]
        if not line:
            pos += 1
            continue
        if expect_stat_value:
            expect_stat_value = False
            chrome.add(line)
            pos += 1
            continue
        if title is not None and line == title and is_article:
            pos += 1
            continue
        if head.author is not None and line == head.author:
            pos += 1
            continue
        if L.is_chrome(line):
            chrome.add(line)
            pos += 1
            continue
        name = L.md_author(line)
        if name is not None and head.author is None:
            reply_no = _REPLY_HEADING.fullmatch(line)
            if reply_no:
                head.number = int(reply_no["n"])
                chrome.add(line)
            else:
                head.author = name
            pos += 1
            continue
        if L.is_rank(line):
            chrome.add(line)
            pos += 1
            continue
        stat = L.STATS_RE.fullmatch(line)
        value = stat is not None and (stat["value"] or stat["count"])
        if stat is not None and (head.author is not None or not is_article or value):
            chrome.add(line)
            expect_stat_value = not value
            pos += 1
            continue
        arrow = _ARROW_HEADER.fullmatch(line) if " -> " in line else None
        if arrow is not None and head.author is None:
            head.author = arrow["author"]
            head.title = arrow["title"] or None
            head.date = head.date or dates.normalise(arrow["date"])
            chrome.add(line)
            pos += 1
            continue
        subject = _POST_SUBJECT.fullmatch(line) if line.startswith("Post subject") else None
        if subject is not None:
            head.title = subject["title"] or None
            chrome.add(line)
            pos += 1
            continue
        posted = _POSTED.fullmatch(line) if "Posted:" in line[:12] else None
        if posted is not None and head.date is None and dates.normalise(posted["date"]):
            head.date = dates.normalise(posted["date"])
            chrome.add(line)
            pos += 1
            continue
        starter = L.STARTER_RE.fullmatch(line) if is_article else None
        if starter is not None:
            head.author = head.author or starter["name"]
            chrome.add(line)
            pos += 1
            continue
        start_date = L.START_DATE_RE.fullmatch(line) if is_article else None
        if start_date is not None and dates.normalise(start_date["date"]):
            head.date = head.date or dates.normalise(start_date["date"])
            chrome.add(line)
            pos += 1
            continue
        iso = _date_of(line)
        if iso is not None:
            if head.date is None:
                head.date = iso
            if iso != dates.whole_line_date(line) or head.date != iso:
                chrome.add(line)
            number = L.POST_NUMBER_RE.search(line)
            if number and head.number is None and "#" in line:
                head.number = int(number["n"])
            pos += 1
            continue
        post_no = L.POST_NUMBER_RE.fullmatch(line) if line[0] in "#Pp" else None
        if post_no is not None:
            head.number = head.number or int(post_no["n"])
            chrome.add(line)
            pos += 1
            continue
        if head.author is not None and L.NUMBER_RE.fullmatch(line):
            chrome.add(line)  # message count under the name (maker.pro)
            pos += 1
            continue
        if is_article and head.byline is None:
            consumed = _read_byline(lines, pos, end, head)
            if consumed:
                pos = consumed
                continue
        if head.author is None and L.is_name_like(line):
            following = _next_nonblank(lines, pos + 1, end)
            if _is_header_evidence(following, line) or (is_article and following == title):
                head.author = line
                pos += 1
                continue
        break
    return pos


def _read_byline(lines: list[str], pos: int, end: int, head: _Head) -> int:
    """A reposted article's bullets: "• Writer - Publisher" then "• May 4, 2023"."""
    first = _BYLINE_BULLET.fullmatch(lines[pos])
    if first is None:
        return 0
    text = first["text"]
    iso = dates.whole_line_date(text)
    if iso is not None:
        head.byline = Byline(date=iso)
        return pos + 1
    nxt = pos + 1
    while nxt < end and not lines[nxt]:
        nxt += 1
    second = _BYLINE_BULLET.fullmatch(lines[nxt]) if nxt < end else None
    second_date = dates.whole_line_date(second["text"]) if second else None
    if second_date is None:
        return 0
    parts = _BYLINE_SPLIT.split(text, maxsplit=1)
    author = parts[0]
    publisher = parts[1] if len(parts) > 1 else None
    head.byline = Byline(author=author, publisher=publisher, date=second_date)
    return nxt + 1


# ----------------------------------------------------------------- bodies


@dataclass(slots=True)
class _Frame:
    """An open quote while its body is read."""

    author: str | None
    blocks: list[Block]
    terminated: bool
    has_content: bool = False


def _paired_opens(lines: list[str], pos: int, end: int) -> set[int]:
    """Indices of quote openers that have a matching "Click to expand..." later on."""
    stack: list[int] = []
    paired: set[int] = set()
    for i in range(pos, end):
        line = lines[i]
        if not line:
            continue
        if line == L.QUOTE_CLOSE:
            if stack:
                paired.add(stack.pop())
        elif L.quote_open(line) is not None:
            stack.append(i)
    return paired


def _read_body(lines: list[str], pos: int, end: int, chrome: _Chrome) -> list[Block]:
    """Blocks of one post's body. Quotes nest on an explicit stack."""
    paired = _paired_opens(lines, pos, end) if L.QUOTE_CLOSE in lines[pos:end] else set()
    root: list[Block] = []
    frames: list[_Frame] = []
    para: list[str] = []

    def target() -> list[Block]:
        return frames[-1].blocks if frames else root

    def flush() -> None:
        if para:
            target().append(Paragraph("\n".join(para)))
            if frames:
                frames[-1].has_content = True
            para.clear()

    def close_top() -> None:
        frame = frames.pop()
        target().append(Quote(frame.author or None, tuple(frame.blocks)))
        if frames:
            frames[-1].has_content = True

    def add(block: Block) -> None:
        flush()
        target().append(block)
        if frames:
            frames[-1].has_content = True

    gt_run: list[str] = []
    for i in range(pos, end):
        line = lines[i]
        if gt_run and not line.startswith(">"):
            flush()
            add(_gt_quote(gt_run))
            gt_run = []
        if not line:
            flush()
            if frames and not frames[-1].terminated and frames[-1].has_content:
                close_top()
            continue
        first = line[0]
        if first not in _PLAIN_FIRST_EXCLUDED and line[-1] not in _PLAIN_LAST_EXCLUDED:
            para.append(line)  # running text: nothing below can match it
            continue
        if first == ">":
            flush()
            gt_run.append(line)
            continue
        if line == L.QUOTE_CLOSE:
            flush()
            if frames:
                # Close unterminated quotes nested inside the one this marker ends.
                while frames and not frames[-1].terminated:
                    close_top()
                if frames:
                    close_top()
            else:
                chrome.add(line)
            continue
        author = L.quote_open(line)
        if author is not None:
            flush()
            if line.startswith("Quote from:") and L.strip(line[11:]) not in ("", author):
                # "Quote from: X on <date>": the quote's date has no field of its
                # own; keep the whole line rather than drop it.
                chrome.add(line)
            frames.append(_Frame(author or None, [], terminated=i in paired))
            continue
        if frames and frames[-1].author is None and not frames[-1].has_content and first == "O":
            original = L.ORIGINAL_RE.fullmatch(line)
            if original:
                frames[-1].author = original["author"]
                continue
        name = L.attachment_name(line)
        if name is not None:
            add(Attachment(name))
            continue
        found = L.link(line)
        if found is not None:
            add(Link(found[0], found[1]))
            continue
        if L.is_trailer(line) and not frames:
            flush()
            chrome.add(line)
            continue
        para.append(line)
    if gt_run:
        flush()
        add(_gt_quote(gt_run))
    flush()
    while frames:
        close_top()
    return root


def _gt_quote(run: list[str]) -> Quote:
    """E-mail style ``>`` quoting, nested by the number of markers, built iteratively."""
    root_blocks: list[Block] = []
    stack: list[list[Block]] = [root_blocks]  # stack[d] holds blocks at depth d+1
    para: list[str] = []
    para_depth = 1

    def flush() -> None:
        if para:
            stack[para_depth - 1].append(Paragraph("\n".join(para)))
            para.clear()

    def close_to(depth: int) -> None:
        while len(stack) > depth:
            inner = stack.pop()
            stack[-1].append(Quote(None, tuple(inner)))

    for raw in run:
        depth = 0
        i = 0
        while i < len(raw) and (raw[i] == ">" or raw[i] in L.WHITESPACE):
            if raw[i] == ">":
                depth += 1
            i += 1
        text = raw[i:]
        if depth != para_depth or not text:
            flush()
        if depth > len(stack):
            while len(stack) < depth:
                stack.append([])
        elif depth < len(stack):
            close_to(depth)
        para_depth = depth
        if text:
            para.append(text)
    flush()
    close_to(1)
    return Quote(None, tuple(root_blocks))


def _with_link_card(blocks: list[Block]) -> list[Block]:
    """The opening post's trailing related-headline line becomes a link (its URL was lost)."""
    if len(blocks) >= 3 and isinstance(blocks[-1], Paragraph) and L.is_headline(blocks[-1].text):
        if any(isinstance(b, Paragraph) for b in blocks[:-1]):
            return [*blocks[:-1], Link(blocks[-1].text, None)]
    return blocks
