"""The one reply-tree builder: parents, numbering, reading order, any depth."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from threadtui.model import Paragraph, Post
from threadtui.parsing.common.post_tree import Draft, PostTree


def draft(text: str, *, title: str | None = None, number: int | None = None) -> Draft:
    return Draft(f"{text}-author", f"{text}-date", (Paragraph(text),), title, number)


def text(post: Post) -> str:
    (block,) = post.blocks
    assert isinstance(block, Paragraph)
    return block.text


#: A reply tree as a reader might hold it: a name and the items answering it.
Node = tuple[str, list["Node"]]


def walk(posts: tuple[Post, ...]) -> Iterator[tuple[Post, Post | None]]:
    """Every post with its parent, in pre-order, without recursion."""
    stack: list[tuple[Post, Post | None]] = [(post, None) for post in reversed(posts)]
    while stack:
        post, parent = stack.pop()
        yield post, parent
        stack.extend((child, post) for child in reversed(post.replies))


def test_an_empty_tree_has_no_posts() -> None:
    assert PostTree().build() == ()


def test_posts_are_numbered_in_adding_order_from_first_number() -> None:
    tree = PostTree(first_number=1)
    a = tree.add(draft("a"))
    tree.add(draft("b"), a)
    tree.add(draft("c"))
    assert len(tree) == 3
    assert tree.build() == (
        Post(1, "a-author", "a-date", None, None, (Paragraph("a"),), (
            Post(2, "b-author", "b-date", None, None, (Paragraph("b"),)),
        )),
        Post(3, "c-author", "c-date", None, None, (Paragraph("c"),)),
    )  # fmt: skip


def test_a_given_number_and_title_are_kept() -> None:
    tree = PostTree()
    first = tree.add(draft("a", number=14, title="whisper"))
    tree.add(draft("b"), first)
    (post,) = tree.build()
    assert (post.number, post.title) == (14, "whisper")
    assert post.replies[0].number == 3  # its place (the second post) counted from 2


@pytest.mark.parametrize("parent", [0, 1, -1, 7])
def test_a_parent_must_be_added_before_its_reply(parent: int) -> None:
    tree = PostTree()
    with pytest.raises(ValueError, match="not added yet"):
        tree.add(draft("a"), parent)
    assert len(tree) == 0


def test_grow_adds_a_tree_in_reading_order() -> None:
    # (name, answers): a answered by b (answered by c) and d; then e.
    forest: list[Node] = [("a", [("b", [("c", [])]), ("d", [])]), ("e", [])]

    def read(item: Node) -> tuple[Draft, list[Node]]:
        return draft(item[0]), item[1]

    tree = PostTree()
    tree.grow(forest, read)
    got = [(p.number, text(p), q.number if q else None) for p, q in walk(tree.build())]
    assert got == [(2, "a", None), (3, "b", 2), (4, "c", 3), (5, "d", 2), (6, "e", None)]


def test_grow_leaves_out_an_item_that_is_no_post_and_what_is_under_it() -> None:
    forest: list[Node] = [("a", [("more", [("hidden", [])]), ("b", [])]), ("more", [])]

    def read(item: Node) -> tuple[Draft, list[Node]] | None:
        return None if item[0] == "more" else (draft(item[0]), item[1])

    tree = PostTree()
    tree.grow(forest, read)
    assert [(p.number, text(p)) for p, _ in walk(tree.build())] == [(2, "a"), (3, "b")]


def test_grow_under_a_post_already_added() -> None:
    tree = PostTree(first_number=1)
    root = tree.add(draft("root"))
    tree.grow(["x", "y"], lambda name: (draft(name), []), parent=root)
    (post,) = tree.build()
    assert [reply.number for reply in post.replies] == [2, 3]


def test_any_depth_builds_without_recursion() -> None:
    depth = 100_000
    chain: Node = ("deepest", [])
    for _ in range(depth - 1):
        chain = ("x", [chain])
    tree = PostTree()
    tree.grow([chain], lambda item: (Draft(None, None, ()), item[1]))
    posts = tree.build()
    assert sum(1 for _ in walk(posts)) == depth
    last, _parent = list(walk(posts))[-1]
    assert last.number == depth + 1 and last.replies == ()


@given(st.lists(st.integers(min_value=-1, max_value=10**6), max_size=60))
def test_each_post_holds_the_posts_that_answer_it_in_adding_order(picks: list[int]) -> None:
    # Post i answers picks[i] % i (an earlier post), or is a top-level post when the pick is -1.
    parents = [None if pick < 0 or index == 0 else pick % index for index, pick in enumerate(picks)]
    tree = PostTree(first_number=1)
    for index, parent in enumerate(parents):
        assert tree.add(Draft(None, None, ()), parent) == index
    posts = tree.build()
    seen = {post.number: (parent.number if parent else None) for post, parent in walk(posts)}
    assert seen == {
        index + 1: (p + 1 if p is not None else None) for index, p in enumerate(parents)
    }
    for post, _parent in walk(posts):
        numbers = [reply.number for reply in post.replies]
        assert numbers == sorted(numbers)
    assert [post.number for post in posts] == [i + 1 for i, p in enumerate(parents) if p is None]
