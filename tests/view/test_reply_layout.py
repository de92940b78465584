"""The reply pane's data side: row arithmetic and folding, without Textual."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.model import Paragraph, Post, Quote, Thread
from threadtui.view.render import Theme
from threadtui.view.reply_layout import QUOTE_FOLD, Fenwick, ReplyLayout


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(st.integers(min_value=0, max_value=50), min_size=1, max_size=200),
    updates=st.lists(st.tuples(st.integers(min_value=0), st.integers(0, 50)), max_size=30),
)
def test_fenwick_matches_naive_prefix_sums(values, updates):
    tree = Fenwick(values)
    naive = list(values)
    for index, value in updates:
        index %= len(naive)
        tree.set(index, value)
        naive[index] = value
    assert tree.total == sum(naive)
    for i in range(len(naive) + 1):
        assert tree.prefix(i) == sum(naive[:i])
    for row in range(sum(naive)):
        found = tree.find(row)
        # The item whose half-open span [prefix, prefix + height) holds the row.
        assert sum(naive[:found]) <= row < sum(naive[: found + 1])


def _post(number: int, text: str, replies: tuple[Post, ...] = ()) -> Post:
    return Post(number=number, author=f"user{number}", blocks=(Paragraph(text),), replies=replies)


def _tree() -> Thread:
    # 2 ── 3 ── 4
    #  └── 5
    # 6
    return Thread(
        title="t",
        article=Post(1),
        replies=(
            _post(2, "two", (_post(3, "three", (_post(4, "four"),)), _post(5, "five"))),
            _post(6, "six"),
        ),
    )


def _numbers(layout: ReplyLayout) -> list[int]:
    """Reply numbers in the order their headers appear when drawn."""
    seen = []
    row = 0
    while row < layout.total_rows:
        index, offset = layout.at_row(row)
        layout.lines(index)
        if offset == 0:
            seen.append(layout.posts[index].number)
        row = layout.row_of(index) + layout.rows.values[index]
    return seen


def test_tree_is_flattened_in_reading_order_with_subtree_ranges():
    layout = ReplyLayout(_tree(), 80, theme=Theme())
    assert [p.number for p in layout.posts] == [2, 3, 4, 5, 6]
    assert layout.depth == [0, 1, 2, 1, 0]
    assert layout.parent == [-1, 0, 1, 0, -1]
    assert layout.end == [4, 3, 3, 4, 5]
    assert layout.hidden_count(0) == 3


def test_folding_hides_the_subtree_and_unfolding_restores_nested_folds():
    layout = ReplyLayout(_tree(), 80, theme=Theme())
    layout.set_collapsed(1, True)  # fold #3 (hides #4)
    assert _numbers(layout) == [2, 3, 5, 6]
    layout.set_collapsed(0, True)  # fold #2 (hides #3, #4, #5)
    assert _numbers(layout) == [2, 6]
    assert layout.lines(0)[0].plain.startswith("▸ #2")
    assert "(+3 hidden)" in layout.lines(0)[0].plain
    layout.set_collapsed(0, False)  # #3 stays folded
    assert _numbers(layout) == [2, 3, 5, 6]
    assert not layout.is_visible(2)


def test_next_visible_skips_folded_subtrees():
    layout = ReplyLayout(_tree(), 80, theme=Theme())
    layout.set_collapsed(0, True)
    assert layout.next_visible(0, 1) == 4
    assert layout.next_visible(4, -1) == 0
    assert layout.next_visible(4, 1) is None


def test_focus_path_folds_everything_but_the_ancestors():
    layout = ReplyLayout(_tree(), 80, theme=Theme())
    layout.focus_path(2)  # #4, under #3 under #2
    assert layout.collapsed == {3, 4}
    assert _numbers(layout) == [2, 3, 4, 5, 6]
    assert layout.lines(3)[0].plain.startswith("▸ #5")


def test_collapse_all_and_expand_all_give_one_row_per_reply_then_full_bodies():
    layout = ReplyLayout(_tree(), 80, theme=Theme())
    layout.collapse_all()
    assert _numbers(layout) == [2, 6]
    assert layout.total_rows == 2
    layout.expand_all()
    assert _numbers(layout) == [2, 3, 4, 5, 6]


def test_drawing_corrects_estimates_and_keeps_rows_consistent():
    long = " ".join(["word"] * 400)  # wraps to many lines; estimate is by characters
    thread = Thread(title="t", article=Post(1), replies=tuple(_post(n, long) for n in range(2, 50)))
    layout = ReplyLayout(thread, 60, theme=Theme())
    for index in range(len(layout)):
        exact = len(layout.lines(index))
        assert layout.rows.values[index] == exact
    assert layout.total_rows == sum(len(layout.lines(i)) for i in range(len(layout)))


def test_width_change_reflows():
    long = " ".join(["word"] * 100)
    thread = Thread(title="t", article=Post(1), replies=(_post(2, long),))
    layout = ReplyLayout(thread, 100, theme=Theme())
    wide = len(layout.lines(0))
    layout.set_width(40)
    assert len(layout.lines(0)) > wide
    assert max(line.cell_len for line in layout.lines(0)) <= 40


def test_long_quotes_fold_and_open_on_demand():
    quote = Quote("alice", tuple(Paragraph(f"line {i}") for i in range(12)))
    thread = Thread(
        title="t", article=Post(1), replies=(Post(2, blocks=(quote, Paragraph("my answer"))),)
    )
    layout = ReplyLayout(thread, 80, theme=Theme())
    folded = [line.plain for line in layout.lines(0)]
    assert any("more quoted lines" in line for line in folded)
    assert not any("line 11" in line for line in folded)
    assert len([line for line in folded if "line " in line]) <= QUOTE_FOLD
    layout.toggle_quotes(0)
    opened = [line.plain for line in layout.lines(0)]
    assert any("line 11" in line for line in opened)
    assert not any("more quoted lines" in line for line in opened)


def test_hostile_text_in_replies_is_made_visible():
    thread = Thread(
        title="t",
        article=Post(1),
        replies=(Post(2, author="\x1b]0;owned\x07eve", blocks=(Paragraph("a\x1b[2Jb\u202ec"),)),),
    )
    layout = ReplyLayout(thread, 80, theme=Theme())
    text = "\n".join(line.plain for line in layout.lines(0))
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "␛" in text and "⟨U+202E⟩" in text
