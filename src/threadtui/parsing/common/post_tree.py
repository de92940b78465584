"""The one builder of a reply tree: posts with their children, numbered in reading order.

Readers whose threads nest (Hacker News, Reddit, Discourse, mail archives) meet the
same problem: :class:`~threadtui.model.Post` is frozen, so a parent can only be made
once its replies exist, and a hostile file can nest replies to any depth, so neither
the walk nor the build may recurse. A reader adds each post's fields once, parent
before child (:meth:`PostTree.add`, or :meth:`PostTree.grow` for a tree walked in
reading order); :meth:`PostTree.build` then makes the Posts from the last added to
the first, so every reply exists before the post it answers.

* Reading order is the order of adding: siblings keep it, and :meth:`~PostTree.grow`
  adds a tree in pre-order (a post, then its replies, then its next sibling).
* A post's number is the one its reader gives (Discourse keeps ``post_number``), else
  its place in that order counted from ``first_number``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple, TypeVar

from threadtui.model import Block, Post

__all__ = ["Draft", "PostTree"]

T = TypeVar("T")


class Draft(NamedTuple):
    """One post's own fields, before its replies are known."""

    author: str | None
    date: str | None
    blocks: tuple[Block, ...]
    title: str | None = None
    #: None: the post's place in reading order, counted from the tree's ``first_number``.
    number: int | None = None


class PostTree:
    """Posts added parent first, built bottom-up into frozen :class:`Post` trees."""

    __slots__ = ("first_number", "_drafts", "_parents")

    def __init__(self, first_number: int = 2) -> None:
        #: The number of the first post added without one (2: the replies of an article).
        self.first_number = first_number
        self._drafts: list[tuple[int, str | None, str | None, str | None, tuple[Block, ...]]] = []
        self._parents: list[int] = []  # per post: the index of the post it answers, -1 for none

    def __len__(self) -> int:
        return len(self._drafts)

    def add(self, draft: Draft, parent: int | None = None) -> int:
        """Add a post answering the post at index ``parent`` (None: a top-level post).

        Returns the post's index, which later posts name as their ``parent``. A parent
        must have been added before: the tree can never loop.
        """
        index = len(self._drafts)
        if parent is None:
            parent = -1
        elif not 0 <= parent < index:
            raise ValueError(f"post {index} answers post {parent}, which is not added yet")
        number = self.first_number + index if draft.number is None else draft.number
        self._drafts.append((number, draft.author, draft.date, draft.title, draft.blocks))
        self._parents.append(parent)
        return index

    def grow(
        self,
        top: Sequence[T],
        read: Callable[[T], tuple[Draft, Sequence[T]] | None],
        parent: int | None = None,
    ) -> None:
        """Add the tree under ``top`` in reading (pre-)order, walked with an explicit stack.

        ``read(item)`` gives an item's fields and its answers in reading order, or None
        for an item that is no post (a Reddit "more" stub): it is left out, and so is
        anything under it.
        """
        stack: list[tuple[T, int | None]] = [(item, parent) for item in reversed(top)]
        while stack:
            item, under = stack.pop()
            found = read(item)
            if found is None:
                continue
            draft, children = found
            index = self.add(draft, under)
            stack.extend((child, index) for child in reversed(children))

    def build(self) -> tuple[Post, ...]:
        """The top-level posts, each holding its replies, in reading order."""
        # From the last post to the first: a post's replies all come after it, so they
        # are built by the time it is; each waits in its parent's list (newest first).
        waiting: dict[int, list[Post]] = {}
        drafts, parents = self._drafts, self._parents
        for index in range(len(drafts) - 1, -1, -1):
            number, author, date, title, blocks = drafts[index]
            replies = waiting.pop(index, None)
            post = Post(number, author, date, title, None, blocks, _oldest_first(replies))
            waiting.setdefault(parents[index], []).append(post)
        return _oldest_first(waiting.pop(-1, None))


def _oldest_first(posts: list[Post] | None) -> tuple[Post, ...]:
    return tuple(reversed(posts)) if posts else ()
