"""Where every reply sits, in rows, without wrapping 100,000 replies up front.

The reply tree is flattened in reading order. Each reply has a height in
rows: an *estimate* from character counts until it is first drawn, then its
exact wrapped height. Heights live in a Fenwick tree, so finding the reply
at row ``y`` and the row of reply ``i`` both cost O(log n), and so does
correcting one estimate. Fold state is plain data here (a set of indices);
the widget only draws what this module says is visible.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text

from threadtui.model import Block, Paragraph, Post, Quote, Thread
from threadtui.safe import safe_text
from threadtui.view.render import MEASURE, Theme, post_header, preview, reply_body_lines

if TYPE_CHECKING:
    from threadtui.view.marks import Highlight

#: Long quotes in replies fold to this many lines until opened.
QUOTE_FOLD = 4
#: Indentation stops growing here so deep threads stay readable.
MAX_INDENT_DEPTH = 10


class Fenwick:
    """Prefix sums over a list of non-negative ints with O(log n) update and search."""

    def __init__(self, values: list[int]) -> None:
        n = len(values)
        tree = [0] * (n + 1)
        for i, value in enumerate(values, 1):
            tree[i] += value
            parent = i + (i & -i)
            if parent <= n:
                tree[parent] += tree[i]
        self._tree = tree
        self._n = n
        self.values = list(values)
        self.total = sum(values)

    def set(self, index: int, value: int) -> None:
        """Set ``values[index]``."""
        delta = value - self.values[index]
        if not delta:
            return
        self.values[index] = value
        self.total += delta
        i = index + 1
        tree, n = self._tree, self._n
        while i <= n:
            tree[i] += delta
            i += i & -i

    def prefix(self, index: int) -> int:
        """Sum of ``values[:index]``."""
        total = 0
        tree = self._tree
        i = index
        while i > 0:
            total += tree[i]
            i -= i & -i
        return total

    def find(self, row: int) -> int:
        """The index whose span holds ``row`` (clamped to the last non-empty item)."""
        if row < 0:
            row = 0
        position = 0
        remaining = row
        step = 1 << self._n.bit_length()
        tree, n = self._tree, self._n
        while step:
            nxt = position + step
            if nxt <= n and tree[nxt] <= remaining:
                position = nxt
                remaining -= tree[nxt]
            step >>= 1
        if position >= n:
            # Past the end: the last item with any height.
            position = n - 1
            while position > 0 and self.values[position] == 0:
                position -= 1
        return position


class ReplyLayout:
    """Rows, folds and rendered lines of a thread's replies at one width."""

    def __init__(
        self,
        thread: Thread,
        width: int,
        *,
        theme: Theme,
        collapsed: set[int] | None = None,
        open_quotes: set[int] | None = None,
    ) -> None:
        self.theme = theme
        if not any(post.replies for post in thread.replies):
            # Flat dumps (the common case): no tree walk needed.
            self.posts: list[Post] = list(thread.replies)
            n = len(self.posts)
            self.depth: list[int] = [0] * n
            self.parent: list[int] = [-1] * n
            self.end = list(range(1, n + 1))
        else:
            self.posts, self.depth, self.parent = [], [], []
            parents: list[int] = []
            for post, depth in thread.walk_replies():
                del parents[depth:]
                self.parent.append(parents[-1] if parents else -1)
                parents.append(len(self.posts))
                self.posts.append(post)
                self.depth.append(depth)
            n = len(self.posts)
            # end[i]: one past the last reply in i's subtree (preorder makes it a range).
            self.end = [n] * n
            stack: list[int] = []
            for i, depth in enumerate(self.depth):
                while stack and self.depth[stack[-1]] >= depth:
                    self.end[stack.pop()] = i
                stack.append(i)
        self.collapsed: set[int] = collapsed if collapsed is not None else set()
        self.open_quotes: set[int] = open_quotes if open_quotes is not None else set()
        self.width = max(width, 10)
        self._exact: OrderedDict[int, list[Text]] = OrderedDict()
        self._exact_heights: dict[int, int] = {}
        self.highlight: Highlight | None = None
        self.rows = Fenwick(self._all_heights())

    # ------------------------------------------------------------- structure

    def __len__(self) -> int:
        return len(self.posts)

    def hidden_count(self, index: int) -> int:
        """Replies under ``index`` (its whole subtree)."""
        return self.end[index] - index - 1

    def is_visible(self, index: int) -> bool:
        """False when an ancestor is folded."""
        parent = self.parent[index]
        while parent >= 0:
            if parent in self.collapsed:
                return False
            parent = self.parent[parent]
        return True

    def ancestors(self, index: int) -> list[int]:
        """Parent chain of ``index``, nearest first."""
        chain = []
        parent = self.parent[index]
        while parent >= 0:
            chain.append(parent)
            parent = self.parent[parent]
        return chain

    def next_visible(self, index: int, step: int) -> int | None:
        """The next (``step`` = 1) or previous (-1) visible reply."""
        i = index
        while True:
            i = self.end[i] if step > 0 and i in self.collapsed else i + step
            if not 0 <= i < len(self.posts):
                return None
            if step > 0 or self.is_visible(i):
                return i

    # ------------------------------------------------------------- heights

    def indent(self, index: int) -> int:
        """Cells of indentation (guides) for ``index``."""
        return 2 * min(self.depth[index], MAX_INDENT_DEPTH)

    def body_width(self, index: int) -> int:
        """Cells available to the body: pane width minus margin, guides and the body's indent."""
        return max(min(self.width - self.indent(index) - 4, MEASURE), 10)

    def _height(self, index: int) -> int:
        if index in self._exact_heights:
            return self._exact_heights[index]
        if index in self.collapsed:
            return 1
        return 2 + _estimate(
            self.posts[index].blocks, self.body_width(index), index in self.open_quotes
        )

    def _all_heights(self) -> list[int]:
        posts = self.posts
        heights = [0] * len(posts)
        if not self.collapsed and not self._exact_heights and not self.open_quotes:
            # Fresh layout: nothing folded, nothing drawn yet. One tight loop.
            widths = [self.body_width(i) for i in range(len(posts))] if any(self.depth) else None
            width = self.body_width(0) if posts else 0
            for i, post in enumerate(posts):
                heights[i] = 2 + _estimate(post.blocks, widths[i] if widths else width, False)
            return heights
        hidden_until = 0
        for i in range(len(posts)):
            if i < hidden_until:
                continue
            heights[i] = self._height(i)
            if i in self.collapsed:
                hidden_until = self.end[i]
        return heights

    def rebuild(self) -> None:
        """Recompute every height (after collapse-all, expand-all or a resize)."""
        self.rows = Fenwick(self._all_heights())

    def set_width(self, width: int) -> None:
        """Re-flow at a new width: cached lines and exact heights are dropped."""
        width = max(width, 10)
        if width == self.width:
            return
        self.width = width
        self._exact.clear()
        self._exact_heights.clear()
        self.rebuild()

    def row_of(self, index: int) -> int:
        """First row of reply ``index``."""
        return self.rows.prefix(index)

    def at_row(self, row: int) -> tuple[int, int]:
        """(reply index, line within it) for ``row``."""
        index = self.rows.find(row)
        return index, row - self.rows.prefix(index)

    @property
    def total_rows(self) -> int:
        """Height of the whole pane's content."""
        return self.rows.total

    # ------------------------------------------------------------- folding

    def _invalidate(self, index: int) -> None:
        self._exact.pop(index, None)
        self._exact_heights.pop(index, None)

    def _refresh_subtree(self, index: int) -> None:
        self._invalidate(index)
        self.rows.set(index, self._height(index) if self.is_visible(index) else 0)
        i = index + 1
        hidden_until = (
            self.end[index] if index in self.collapsed or not self.is_visible(index) else 0
        )
        while i < self.end[index]:
            if i < hidden_until:
                self.rows.set(i, 0)
            else:
                self.rows.set(i, self._height(i))
                if i in self.collapsed:
                    hidden_until = self.end[i]
            i += 1

    def toggle(self, index: int) -> None:
        """Fold or unfold one reply (and so its subtree)."""
        self.set_collapsed(index, index not in self.collapsed)

    def set_collapsed(self, index: int, collapsed: bool) -> None:
        """Fold (True) or unfold one reply."""
        if (index in self.collapsed) == collapsed:
            return
        if collapsed:
            self.collapsed.add(index)
        else:
            self.collapsed.discard(index)
        self._refresh_subtree(index)

    def collapse_all(self) -> None:
        """Fold every reply."""
        self.collapsed.clear()
        self.collapsed.update(range(len(self.posts)))
        self._exact.clear()
        self._exact_heights.clear()
        self.rebuild()

    def expand_all(self) -> None:
        """Unfold every reply."""
        self.collapsed.clear()
        self._exact.clear()
        self._exact_heights.clear()
        self.rebuild()

    def focus_path(self, index: int) -> None:
        """Fold everything except ``index`` and its ancestors."""
        keep = {index, *self.ancestors(index)}
        self.collapsed.clear()
        self.collapsed.update(i for i in range(len(self.posts)) if i not in keep)
        self._exact.clear()
        self._exact_heights.clear()
        self.rebuild()

    def toggle_quotes(self, index: int) -> None:
        """Open or fold the long quotes of one reply."""
        if index in self.open_quotes:
            self.open_quotes.discard(index)
        else:
            self.open_quotes.add(index)
        self._invalidate(index)
        if self.is_visible(index):
            self.rows.set(index, self._height(index))

    # ------------------------------------------------------------- search

    def set_highlight(self, highlight: Highlight | None) -> None:
        """Draw search matches from now on (None: no search). Heights stay:
        styling never changes how text wraps, so only cached lines go."""
        if highlight == self.highlight:
            return
        old, self.highlight = self.highlight, highlight
        if (
            old is not None
            and highlight is not None
            and replace(old, current=highlight.current) == highlight
        ):
            # Only the current match moved (a step, or the count arriving): just the
            # replies holding the old and the new one are drawn differently.
            for hit in (old.current, highlight.current):
                if hit is not None:
                    self._exact.pop(hit.location, None)
            return
        self._exact.clear()

    def reveal(self, index: int) -> None:
        """Unfold ``index`` and its ancestors, and nothing else (a search hit there)."""
        for ancestor in reversed(self.ancestors(index)):
            self.set_collapsed(ancestor, False)
        self.set_collapsed(index, False)

    def current_match_line(self, index: int) -> int | None:
        """The line of reply ``index`` holding the current search match, if drawn."""
        if self.highlight is None:
            return None
        style = self.highlight.current_style
        for number, line in enumerate(self.lines(index)):
            if any(span.style == style for span in line.spans):
                return number
        return None

    # ------------------------------------------------------------- drawing

    def lines(self, index: int) -> list[Text]:
        """The rendered lines of one reply (header, body, spacer), cached and exact.

        Drawing a reply corrects its estimated height; callers re-read rows after.
        """
        cached = self._exact.get(index)
        if cached is not None:
            self._exact.move_to_end(index)
            return cached
        lines = self._render(index)
        self._exact[index] = lines
        if len(self._exact) > 2048:
            # Drop the oldest lines; its exact height stays known in _exact_heights.
            self._exact.popitem(last=False)
        self._exact_heights[index] = len(lines)
        if self.is_visible(index):
            self.rows.set(index, len(lines))
        return lines

    def _render(self, index: int) -> list[Text]:
        post = self.posts[index]
        theme = self.theme
        folded = index in self.collapsed
        marker = self.highlight.at(index) if self.highlight is not None else None
        header = Text("▸ " if folded else "▾ ", style=theme.meta)
        header.append_text(post_header(post, theme=theme, marker=marker))
        if folded:
            hidden = self.hidden_count(index)
            header.append("  ")
            header.append_text(safe_text(preview(post), theme.meta))
            if hidden:
                header.append(f"  (+{hidden} hidden)", style=theme.fold_marker)
            header.truncate(max(self.width - self.indent(index), 10), overflow="ellipsis")
            return [header]
        body = reply_body_lines(
            post,
            self.body_width(index),
            theme=theme,
            quote_fold=QUOTE_FOLD,
            open_quotes=frozenset(range(len(post.blocks)))
            if index in self.open_quotes
            else frozenset(),
            marker=marker,
        )
        out = [header]
        out.extend(Text("  ").append_text(line) for line in body)
        out.append(Text())
        return out


def _estimate(blocks: tuple[Block, ...], width: int, quotes_open: bool) -> int:
    """Rows a body will take, from character counts (exact for short ASCII lines)."""
    w = max(width, 8)
    total = 0
    for block in blocks:
        # Fast path: plain paragraphs are nearly every block of nearly every reply.
        if type(block) is Paragraph:
            text = block.text
            if "\n" in text:
                for part in text.split("\n"):
                    total += (len(part) + w - 1) // w or 1
            else:
                total += (len(text) + w - 1) // w or 1
        elif type(block) is Quote:
            total += QUOTE_FOLD + 1 if not quotes_open else _estimate_quote(block, w)
        else:
            total += 1
        total += 1  # blank line between blocks
    return total - 1 if blocks else 0


def _estimate_quote(quote: Quote, width: int) -> int:
    """Rows of an open quote, nested ones included, without recursion."""
    total = 0
    stack: list[tuple[Block, int]] = [(quote, width)]
    while stack:
        block, w = stack.pop()
        w = max(w, 8)
        if isinstance(block, Paragraph):
            total += sum((len(part) + w - 1) // w or 1 for part in block.text.split("\n"))
        elif isinstance(block, Quote):
            total += (1 if block.author else 0) + max(len(block.blocks) - 1, 0)
            stack.extend((child, w - 2) for child in block.blocks)
        else:
            total += 1
    return total
