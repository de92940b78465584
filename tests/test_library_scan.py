"""The library scan: rows, errors, which threads it keeps, and big files read in chunks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _support import sample_paths
from hypothesis import given
from hypothesis import strategies as st

from threadtui import library
from threadtui.library import ThreadCache, discover, read_thread, scan, summarize
from threadtui.model import thread_to_json
from threadtui.parsing import parse_path
from threadtui.parsing import text_dump as T

NBSP = "\u00a0"


def _dump(replies: int, title: str = "A title for this thread") -> str:
    parts = [f"{title}\n\nalice\n\nalice\n\nHello.\n"]
    parts += [f"{NBSP}\nbob\nMay 7, 2023 #{n}\nReply {n} says hi.\n" for n in range(2, replies + 2)]
    return "".join(parts)


@given(st.text(st.sampled_from("ab.TXT"), max_size=8))
def test_suffix_is_the_path_suffix(name: str) -> None:
    assert library._suffix(name) == Path(name).suffix.lower()


def test_discover_walks_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.TXT").write_text("x")
    (tmp_path / "c.png").write_bytes(b"x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d").write_text("x")
    names = [os.path.relpath(p, tmp_path) for p in discover([str(tmp_path)])]
    assert names == ["a.TXT", "b.txt", os.path.join("sub", "d")]


def test_summaries_of_the_samples_match_their_threads() -> None:
    for path in sample_paths():
        row = summarize(str(path))
        thread = parse_path(path)
        assert (row.title, row.author, row.reply_count, row.error) == (
            thread.title,
            thread.article.author,
            thread.reply_count,
            None,
        )


def test_an_unreadable_file_is_a_row_with_its_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    row = summarize(str(empty))
    assert row.error == "empty file" and row.title == "empty.txt"


def test_only_big_threads_are_kept_in_the_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(library, "CACHE_MIN_BYTES", 2000)
    small, big = tmp_path / "small.txt", tmp_path / "big.txt"
    small.write_text(_dump(2), encoding="utf-8")
    big.write_text(_dump(100), encoding="utf-8")
    assert small.stat().st_size < 2000 <= big.stat().st_size
    cache = ThreadCache()
    rows = [row for batch, _, _ in scan([str(tmp_path)], cache) for row in batch]
    assert [(r.name, r.reply_count) for r in rows] == [("big.txt", 100), ("small.txt", 2)]
    assert cache.get(str(small)) is None
    cached = cache.get(str(big))
    assert cached is not None and cached.reply_count == 100


def test_the_first_row_comes_at_once_and_the_rest_in_one_batch(tmp_path: Path) -> None:
    for i in range(5):
        (tmp_path / f"t{i}.txt").write_text(_dump(1, f"Thread number {i} here"))
    batches = list(scan([str(tmp_path)], batch_seconds=60))
    assert [(len(b), done, total) for b, done, total in batches] == [(1, 1, 5), (4, 5, 5)]


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_read_thread_reads_a_big_dump_in_chunks_with_the_same_result(
    tmp_path: Path, monkeypatch, newline: str
) -> None:
    monkeypatch.setattr(T, "_CHUNK_BYTES", 4096)
    path = tmp_path / "big.txt"
    path.write_bytes(_dump(2000).replace("\n", newline).encode())
    calls: list[str] = []
    monkeypatch.setattr(library, "parse_path", lambda p: calls.append(p) or parse_path(p))
    thread = read_thread(str(path))  # size unknown: try reading in chunks
    assert calls == []  # parse_file did it
    assert thread_to_json(thread) == thread_to_json(parse_path(path))
    read_thread(str(path), path.stat().st_size)  # known to be small: the general path
    assert calls == [str(path)]


def test_read_thread_falls_back_to_parse_path(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes(_dump(3).replace("Hello.", "Caf\xe9.").encode("cp1252"))
    assert T.parse_file(path) is None
    thread = read_thread(str(path), T.STREAM_MIN_BYTES)
    assert thread.encoding == "cp1252" and thread.article.blocks[0].text == "Caf\xe9."
