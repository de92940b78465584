"""A post's body: paragraphs, quotes (on an explicit stack, never recursion),
attachments, links, and the per-post chrome (reactions, "Last edited") after it."""

from __future__ import annotations

from threadtui.model import Attachment, Block, Link, Paragraph, Quote
from threadtui.parsing.common import lines as L
from threadtui.parsing.common.site_chrome import SiteChrome

#: First and last characters that may make a body line more than running
#: text (quote syntax, attachments, links, trailers). A line that has neither
#: is a paragraph line: :func:`read_body` skips every other test for it.
PLAIN_FIRST_EXCLUDED = frozenset(">CQOoVvhf[RLUT")
PLAIN_LAST_EXCLUDED = frozenset(
    ":↑" + "".join(ext[-1] + ext[-1].upper() for ext in L.ATTACHMENT_EXTENSIONS)
)


def has_running_text(lines: list[str], pos: int) -> bool:
    """Whether the body from ``pos`` holds a line of running text, so that
    :func:`read_body` would give it at least one block (it need not be read)."""
    first_excluded, last_excluded = PLAIN_FIRST_EXCLUDED, PLAIN_LAST_EXCLUDED
    for i in range(pos, len(lines)):
        line = lines[i]
        if line and line[0] not in first_excluded and line[-1] not in last_excluded:
            return True
    return False


class _Frame:
    """An open quote while its body is read."""

    __slots__ = ("author", "blocks", "terminated", "has_content")

    def __init__(self, author: str | None, terminated: bool) -> None:
        self.author = author
        self.blocks: list[Block] = []
        self.terminated = terminated  # a "Click to expand..." closes it
        self.has_content = False


class _Body:
    """The blocks read so far, the open quotes and the paragraph being gathered."""

    __slots__ = ("root", "frames", "para", "chrome", "paired")

    def __init__(self, chrome: SiteChrome, paired: set[int]) -> None:
        self.root: list[Block] = []
        self.frames: list[_Frame] = []
        self.para: list[str] = []
        self.chrome = chrome
        self.paired = paired

    def flush(self) -> None:
        """End the paragraph being gathered, if any."""
        if self.para:
            frames = self.frames
            (frames[-1].blocks if frames else self.root).append(Paragraph("\n".join(self.para)))
            if frames:
                frames[-1].has_content = True
            self.para.clear()

    def add(self, block: Block) -> None:
        """A block after the paragraph being gathered."""
        self.flush()
        frames = self.frames
        (frames[-1].blocks if frames else self.root).append(block)
        if frames:
            frames[-1].has_content = True

    def close_top(self) -> None:
        """Close the innermost open quote (no paragraph is being gathered)."""
        frames = self.frames
        frame = frames.pop()
        (frames[-1].blocks if frames else self.root).append(
            Quote(frame.author or None, tuple(frame.blocks))
        )
        if frames:
            frames[-1].has_content = True

    def marked(self, line: str, i: int) -> None:
        """Line ``i``, which may be quote syntax, an attachment, a link or a trailer."""
        frames = self.frames
        if line == L.QUOTE_CLOSE:
            self.flush()
            if not frames:
                self.chrome.add_stripped(line)
                return
            # Close unterminated quotes nested inside the one this marker ends.
            while frames and not frames[-1].terminated:
                self.close_top()
            if frames:
                self.close_top()
            return
        author = L.quote_open(line)
        if author is not None:
            self.flush()
            if line.startswith("Quote from:") and L.strip(line[11:]) not in ("", author):
                # "Quote from: X on <date>": the quote's date has no field of its
                # own; keep the whole line rather than drop it.
                self.chrome.add_stripped(line)
            frames.append(_Frame(author or None, terminated=i in self.paired))
            return
        if frames and frames[-1].author is None and not frames[-1].has_content and line[0] == "O":
            original = L.ORIGINAL_RE.fullmatch(line)
            if original:
                frames[-1].author = original["author"]
                return
        self.other(line)

    def other(self, line: str) -> None:
        """Line ``line``, not quote syntax: an attachment, a link, a trailer or text."""
        name = L.attachment_name(line)
        if name is not None:
            self.add(Attachment(name))
            return
        found = L.link(line)
        if found is not None:
            self.add(Link(found[0], found[1]))
            return
        if L.is_trailer(line) and not self.frames:
            self.flush()
            self.chrome.add_stripped(line)
            return
        self.para.append(line)

    def finish(self) -> list[Block]:
        """The body's blocks, every quote still open closed."""
        self.flush()
        while self.frames:
            self.close_top()
        return self.root


def read_body(lines: list[str], pos: int, chrome: SiteChrome) -> list[Block]:
    """The blocks of the body that starts at ``lines[pos]`` and runs to the segment's end."""
    paired = paired_opens(lines, pos) if L.QUOTE_CLOSE in lines[pos:] else set()
    body = _Body(chrome, paired)
    para, frames = body.para, body.frames
    first_excluded, last_excluded = PLAIN_FIRST_EXCLUDED, PLAIN_LAST_EXCLUDED
    gt_run: list[str] = []
    for i in range(pos, len(lines)):
        line = lines[i]
        if gt_run and not line.startswith(">"):
            body.add(gt_quote(gt_run))
            gt_run = []
        if not line:
            if para:
                body.flush()
            if frames and not frames[-1].terminated and frames[-1].has_content:
                body.close_top()
            continue
        first = line[0]
        if first not in first_excluded and line[-1] not in last_excluded:
            para.append(line)  # running text: nothing in body.marked can match it
        elif first == ">":
            body.flush()
            gt_run.append(line)
        else:
            body.marked(line, i)
    if gt_run:
        body.add(gt_quote(gt_run))
    return body.finish()


def paired_opens(lines: list[str], pos: int) -> set[int]:
    """Indices of quote openers from ``pos`` on that a later "Click to expand..." closes."""
    stack: list[int] = []
    paired: set[int] = set()
    for i in range(pos, len(lines)):
        line = lines[i]
        if not line:
            continue
        if line == L.QUOTE_CLOSE:
            if stack:
                paired.add(stack.pop())
        elif L.quote_open(line) is not None:
            stack.append(i)
    return paired


def gt_quote(run: list[str]) -> Quote:
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


def with_link_card(blocks: list[Block]) -> list[Block]:
    """The opening post's trailing related-headline line becomes a link (its URL was lost)."""
    if len(blocks) >= 3 and isinstance(blocks[-1], Paragraph) and L.is_headline(blocks[-1].text):
        if any(isinstance(b, Paragraph) for b in blocks[:-1]):
            return [*blocks[:-1], Link(blocks[-1].text, None)]
    return blocks
