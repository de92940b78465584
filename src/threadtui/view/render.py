"""Turning model objects into Rich ``Text`` lines, wrapped to a width.

Both ``threadtui show`` and the reader's panes draw through here, so a thread
looks the same everywhere. Everything is built from ``Text`` objects (never
markup) via :func:`threadtui.safe.safe_text`. Nested quotes are laid out with an
explicit stack, so 100,000 levels of quoting cost no Python recursion.

Search marks can be drawn two ways. A :class:`Marker` passed to a ``*_lines``
function marks every field before it is wrapped: simple, but each change of
query lays the whole text out again. :func:`article_field_lines` instead lays
the article out once, unmarked, and notes where each field's text landed on
each line (:class:`FieldLines`), so the reader marks only the lines it draws
(:class:`threadtui.view.marks.LineMarker`): typing in a 1.6 MB article then
costs a screenful of lines a key, not 36,000.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import NamedTuple, Protocol, cast

from rich.console import Console
from rich.text import Span, Text

from threadtui.model import Attachment, Block, Link, Paragraph, Post, Quote, Thread
from threadtui.safe import one_line, safe_text

#: A comfortable reading measure, as in print and in the best pagers.
MEASURE = 80
#: Deeper quotes are drawn at this depth with a count, not as a wall of bars.
MAX_QUOTE_BARS = 6

_console = Console(file=io.StringIO(), width=1000, color_system=None, legacy_windows=False)


@dataclass(frozen=True, slots=True)
class Theme:
    """Rich style strings for each part; the reader overrides these from its CSS."""

    title: str = "bold"
    meta: str = "dim"
    byline: str = "italic"
    quote_bar: str = "dim"
    quote_author: str = "bold dim"
    link: str = "underline"
    attachment: str = "cyan"
    header: str = "bold"
    fold_marker: str = "dim italic"


PLAIN = Theme()


class Marker(Protocol):
    """Search highlighting (:class:`threadtui.view.marks.FieldMarker`).

    Render hands it every field of content it draws, whole and in the order of
    :mod:`threadtui.search.fields`, before wrapping, so a highlight survives
    line breaks.
    """

    def mark(self, text: Text) -> Text: ...


def _mark(marker: Marker | None, text: Text) -> Text:
    return text if marker is None else marker.mark(text)


def _clip(text: Text, limit: int) -> Text:
    """``text`` cut to ``limit`` characters with an ellipsis, as :func:`one_line` does."""
    if len(text) <= limit:
        return text
    clipped = text[: max(limit - 1, 0)]
    clipped.append("…")
    return clipped


def field_line(text: str, style: str, marker: Marker | None, limit: int = 60) -> Text:
    """A one-line field (an author, a title) made safe, marked, then clipped."""
    return _clip(_mark(marker, safe_text(one_line(text), style)), limit)


def wrap(text: Text, width: int) -> list[Text]:
    """``text`` wrapped to ``width`` cells, one ``Text`` per line.

    Never narrower than 2 cells: Rich cannot fold a double-width character
    into one cell and would drop it, and a line too wide beats a lost word.
    """
    width = max(width, 2)
    if not text.plain:
        return [text]
    lines = list(text.wrap(_console, width, overflow="fold"))
    for line in lines:
        line.rstrip()  # the break's space would otherwise trail every line
    return lines


def post_header(post: Post, *, theme: Theme = PLAIN, marker: Marker | None = None) -> Text:
    """ "#2 · alice · 2023-05-05" for a reply header line."""
    header = Text(f"#{post.number}", style=theme.header)
    header.append(" · ", style=theme.meta)
    if post.author:
        header.append_text(field_line(post.author, theme.header, marker))
    else:
        header.append("anonymous", style=theme.header)
    if post.date:
        header.append(" · ", style=theme.meta)
        header.append(post.date.replace("T", " "), style=theme.meta)
    if post.title:
        header.append(" · ", style=theme.meta)
        header.append_text(field_line(post.title, theme.meta, marker))
    return header


def preview(post: Post, limit: int = 200) -> str:
    """The first words of a post, on one line, for a folded reply."""
    for block in post.blocks:
        match block:
            case Paragraph(text=text):
                return one_line(text, limit)
            case Link(text=text):
                return one_line(text, limit)
            case Attachment(name=name):
                return one_line(f"📎 {name}", limit)
    return "(quote only)" if post.blocks else "(empty)"


def block_lines(
    blocks: Iterable[Block],
    width: int,
    *,
    theme: Theme = PLAIN,
    quote_fold: int | None = None,
    open_quotes: frozenset[int] = frozenset(),
    marker: Marker | None = None,
) -> list[Text]:
    """All lines of a list of blocks at ``width``.

    Args:
        blocks: the post's blocks.
        width: cells available.
        theme: styles.
        quote_fold: fold each top-level quote to this many lines (None: never).
        open_quotes: indices of top-level quotes the reader has unfolded.
        marker: search highlighting, if a search is on.
    """
    out: list[Text] = []
    first = True
    for index, block in enumerate(blocks):
        if not first:
            out.append(Text())
        first = False
        if isinstance(block, Quote):
            lines = _quote_lines(block, width, theme, marker)
            if quote_fold is not None and index not in open_quotes and len(lines) > quote_fold + 1:
                hidden = len(lines) - quote_fold
                out.extend(lines[:quote_fold])
                fold = Text("┆ ", style=theme.quote_bar)
                fold.append(f"… {hidden} more quoted lines (o to open)", style=theme.fold_marker)
                out.append(fold)
            else:
                out.extend(lines)
        else:
            out.extend(_leaf_lines(block, width, theme, marker))
    return out


def _leaf_lines(block: Block, width: int, theme: Theme, marker: Marker | None) -> list[Text]:
    match block:
        case Paragraph(text=text):
            whole = safe_text(text)
            if type(marker) is _FieldProbe:
                # Every character of a paragraph's lines is the paragraph's: tag the lines
                # once wrapped, sparing Rich the carrying of a tag through every cut.
                return marker.tag_lines(whole, _paragraph_lines(whole, width))
            return _paragraph_lines(_mark(marker, whole), width)
        case Link(text=text, url=url):
            line = Text("↗ ", style=theme.link)
            line.append_text(_mark(marker, safe_text(text, theme.link)))
            if url and url != text:
                line.append(" <", style=theme.meta)
                line.append_text(_mark(marker, safe_text(url, theme.meta)))
                line.append(">", style=theme.meta)
            return wrap(line, width)
        case Attachment(name=name):
            line = Text("📎 ", style=theme.attachment)
            line.append_text(_mark(marker, safe_text(name, theme.attachment)))
            return wrap(line, width)
    return []


def _paragraph_lines(whole: Text, width: int) -> list[Text]:
    if "\n" not in whole.plain:
        return wrap(whole, width)
    lines: list[Text] = []
    for part in whole.split("\n", allow_blank=True):
        lines.extend(wrap(part, width))
    return lines


def _quote_lines(quote: Quote, width: int, theme: Theme, marker: Marker | None) -> list[Text]:
    """A quote with its author line and a bar per nesting level, iteratively."""
    out: list[Text] = []
    # Each stack item: (block, depth) or a separator marker (None, depth).
    stack: list[tuple[Block | None, int]] = [(quote, 1)]
    while stack:
        block, depth = stack.pop()
        bars = _bars(depth, theme)
        inner = max(width - bars.cell_len, 8)
        if block is None:
            out.append(bars.copy())
            continue
        if isinstance(block, Quote):
            if block.author:
                # The author line sits outside the quote's own bar, on its parent's.
                author = _bars(depth - 1, theme)
                author.append_text(field_line(block.author, theme.quote_author, marker))
                author.append(" wrote:", style=theme.quote_author)
                out.append(author)
            children: list[tuple[Block | None, int]] = []
            for k, child in enumerate(block.blocks):
                if k:
                    children.append((None, depth))
                children.append((child, depth + 1 if isinstance(child, Quote) else depth))
            stack.extend(reversed(children))
            continue
        for line in _leaf_lines(block, inner, theme, marker):
            out.append(bars.copy().append_text(line))
    return out


#: A quote's bar: a heavier stroke than the reply pane's tree guides (│), so quotes inside
#: nested replies read as quotes and not as one more level of the tree.
QUOTE_BAR = "▎"


def _bars(depth: int, theme: Theme) -> Text:
    if depth <= 0:
        return Text()
    if depth <= MAX_QUOTE_BARS:
        return Text(f"{QUOTE_BAR} " * depth, style=theme.quote_bar)
    return Text(
        f"{QUOTE_BAR} " * (MAX_QUOTE_BARS - 1) + f"{QUOTE_BAR}{depth} ", style=theme.quote_bar
    )


def article_lines(
    thread: Thread,
    width: int,
    *,
    theme: Theme = PLAIN,
    marker: Marker | None = None,
    reply_count: int | None = None,
) -> list[Text]:
    """The article pane: title, starter and date, byline, then the opening post.

    ``reply_count`` saves counting the replies again: ``Thread.reply_count``
    looks at every reply (about 10 ms for 100,000), too slow to redo on each
    keystroke of a search that re-marks the article.
    """
    measure = min(width, MEASURE)
    lines = wrap(_mark(marker, safe_text(thread.title, theme.title)), measure)
    meta = Text(style=theme.meta)
    if thread.article.author:
        meta.append_text(field_line(thread.article.author, theme.meta, marker))
    else:
        meta.append("anonymous")
    date = thread.article.date or thread.date
    if date:
        meta.append(f" · {date.replace('T', ' ')}")
    count = thread.reply_count if reply_count is None else reply_count
    meta.append(f" · {count:,} {'reply' if count == 1 else 'replies'}")
    if thread.encoding not in ("utf-8", "utf-8-sig"):
        meta.append(f" · {thread.encoding}")
    lines.extend(wrap(meta, measure))
    byline = thread.article.byline
    if byline is not None and byline.text:
        by = Text("By ", style=theme.byline)
        by.append_text(_mark(marker, safe_text(byline.text, theme.byline)))
        lines.extend(wrap(by, measure))
    lines.append(Text())
    lines.extend(block_lines(thread.article.blocks, measure, theme=theme, marker=marker))
    return lines


def reply_body_lines(
    post: Post,
    width: int,
    *,
    theme: Theme = PLAIN,
    quote_fold: int | None = None,
    open_quotes: frozenset[int] = frozenset(),
    marker: Marker | None = None,
) -> list[Text]:
    """A reply's body at a readable measure."""
    return block_lines(
        post.blocks,
        min(width, MEASURE),
        theme=theme,
        quote_fold=quote_fold,
        open_quotes=open_quotes,
        marker=marker,
    )


def thread_lines(thread: Thread, width: int, *, theme: Theme = PLAIN) -> Iterator[Text]:
    """The whole thread as ``threadtui show`` prints it."""
    yield from article_lines(thread, width, theme=theme)
    for post, depth in thread.walk_replies():
        indent = Text("  " * min(depth, 8))
        yield Text()
        rule = indent.copy()
        rule.append_text(post_header(post, theme=theme))
        yield rule
        for line in reply_body_lines(post, width - indent.cell_len - 2, theme=theme):
            yield indent.copy().append("  ").append_text(line)


class FieldPiece(NamedTuple):
    """Where a piece of one field's text lies on one drawn line."""

    field: int  # the field's number in its location (the order of search.fields)
    column: int  # where the piece starts in the line's text
    start: int  # where it starts in the field's text
    end: int  # where it ends in the field's text


class _FieldTag(int):
    """A span "style" tagging a field's text through wrapping; never drawn."""

    __slots__ = ()


def _tag(number: int) -> str:
    """Field ``number``'s tag, typed as the style Rich's ``Span`` declares it holds.

    Rich only carries a span's style along while text is wrapped and cut; the
    tags are taken out (:meth:`FieldLines.build`) before anything is drawn.
    """
    return cast(str, _FieldTag(number))


class _FieldProbe:
    """A :class:`Marker` that marks nothing: it notes each field and tags its text."""

    __slots__ = ("fields",)

    def __init__(self) -> None:
        self.fields: list[str] = []

    def mark(self, text: Text) -> Text:
        number = len(self.fields)
        self.fields.append(text.plain)
        if text.plain:
            # Wrapping, splitting, clipping and appending all carry spans along, cut to
            # each line: afterwards the tag says which part of a line is this field.
            text.spans.append(Span(0, len(text), _tag(number)))
        return text

    def tag_lines(self, field: Text, lines: list[Text]) -> list[Text]:
        """Note ``field`` and tag ``lines``, all of whose text is the field's."""
        tag = _tag(len(self.fields))
        self.fields.append(field.plain)
        for line in lines:
            if line.plain:
                line.spans.append(Span(0, len(line), tag))
        return lines


@dataclass(slots=True)
class FieldLines:
    """Lines drawn without search marks, and where each field's text lies on them.

    ``pieces[i]`` are the parts of fields on ``lines[i]`` (most lines hold one part of
    one field; a title or blank line may hold none), ``fields[k]`` is field ``k``'s
    text as a :class:`Marker` would be handed it, and ``spread[k]`` the first and last
    line showing it (``(-1, -1)`` if none does: an empty field).
    """

    lines: list[Text]
    pieces: list[tuple[FieldPiece, ...]]
    fields: list[str]
    spread: list[tuple[int, int]]

    @classmethod
    def build(cls, lines: list[Text], fields: list[str]) -> FieldLines:
        """Take the field tags out of ``lines`` (drawn with a probe) and note them."""
        cursor = [0] * len(fields)
        spread = [(-1, -1)] * len(fields)
        pieces: list[tuple[FieldPiece, ...]] = []
        none: tuple[FieldPiece, ...] = ()
        tag_type: type[object] = _FieldTag
        for number, line in enumerate(lines):
            spans = line.spans
            tags = [span for span in spans if type(span.style) is tag_type] if spans else spans
            if not tags:
                pieces.append(none)
                continue
            line.spans = [span for span in spans if type(span.style) is not tag_type]
            plain = line.plain
            found: list[FieldPiece] = []
            for column, end, tag in tags:
                field = int(cast(_FieldTag, tag))
                part = plain[column:end]
                # The part is the field's text cut by wrapping; only whitespace (a line
                # break's space, stripped) and line feeds lie between two parts.
                at = fields[field].find(part, cursor[field])
                if at < 0:  # Rich changed a character (never seen): keep the count going
                    at = cursor[field]
                cursor[field] = at + len(part)
                found.append(FieldPiece(field, column, at, at + len(part)))
                first = spread[field][0]
                spread[field] = (number if first < 0 else first, number)
            pieces.append(tuple(found))
        return cls(lines, pieces, fields, spread)

    def line_of(self, field: int, start: int, end: int) -> int | None:
        """The first line showing any of field ``field``'s text from ``start`` to ``end``."""
        if not 0 <= field < len(self.spread):
            return None
        first, last = self.spread[field]
        if first < 0:
            return None
        for number in range(first, last + 1):
            for piece in self.pieces[number]:
                if piece.field == field and piece.start < end and start < piece.end:
                    return number
        return None


def article_field_lines(
    thread: Thread, width: int, *, theme: Theme = PLAIN, reply_count: int | None = None
) -> FieldLines:
    """:func:`article_lines` unmarked, with where each field lies (see :class:`FieldLines`)."""
    probe = _FieldProbe()
    lines = article_lines(thread, width, theme=theme, marker=probe, reply_count=reply_count)
    return FieldLines.build(lines, probe.fields)
