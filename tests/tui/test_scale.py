"""Scale, not timing: a 20,000-reply thread opens, jumps to its end and folds in normal test time."""

from __future__ import annotations

from pathlib import Path

from ui_support import NBSP, article_text, press, ready, region_text, replies, threads

from threadtui.tui.app import make_app

REPLIES = 20_000


def write_big_thread(path: Path, count: int) -> Path:
    lines = ["A thread with very many replies", "", "opener", "", "opener", ""]
    lines += ["The opening post of a very big thread.", ""]
    for i in range(count):
        number = i + 2
        lines += [NBSP, f"user{i % 97}", f"2021-03-15 #{number}"]
        lines += [f"Reply body number {number}, with a few words in it.", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_twenty_thousand_replies_end_fold_all_unfold_all(tmp_path):
    write_big_thread(tmp_path / "big.txt", REPLIES)
    async with make_app([str(tmp_path)]).run_test(size=(120, 40)) as pilot:
        await ready(pilot, timeout=30)
        assert threads(pilot).current.reply_count == REPLIES
        assert article_text(pilot).startswith("A thread with very many replies")
        rv = replies(pilot)
        layout = rv.reply_layout
        assert len(layout) == REPLIES
        rv.focus()
        await pilot.pause()
        last = REPLIES - 1
        last_number = REPLIES + 1

        await press(pilot, "G")
        assert rv.cursor == last
        assert rv.scroll_y == rv.max_scroll_y > 0
        text = region_text(pilot, rv)
        assert f"#{last_number} · " in text
        assert f"Reply body number {last_number}," in text
        assert rv.border_subtitle == f"#{last_number} · {REPLIES:,} of {REPLIES:,}"

        await press(pilot, "minus")
        assert len(layout.collapsed) == REPLIES
        assert layout.total_rows == REPLIES  # one header row each
        assert rv.cursor == last
        assert f"▸ #{last_number} · " in region_text(pilot, rv)

        await press(pilot, "plus")
        assert layout.collapsed == set()
        assert rv.cursor == last
        assert f"▾ #{last_number} · " in region_text(pilot, rv)

        await press(pilot, "g")
        assert rv.cursor == 0 and rv.scroll_y == 0
        assert "#2 · user0" in region_text(pilot, rv)
