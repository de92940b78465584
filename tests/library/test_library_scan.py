"""The library scan: rows, errors, which threads it keeps, and big files read in chunks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from _dump_strategies import dumps
from _support import SEED, realdata_text_paths, sample_paths
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from threadtui import library
from threadtui.library import (
    ThreadCache,
    discover,
    folders,
    read_thread,
    scan,
    summarize,
    summary,
    summary_of,
)
from threadtui.model import Thread, thread_to_json
from threadtui.parsing import parse_path
from threadtui.parsing import text_dump as T
from threadtui.parsing.text_dump import stream

NBSP = "\u00a0"


def _dump(replies: int, title: str = "A title for this thread") -> str:
    parts = [f"{title}\n\nalice\n\nalice\n\nHello.\n"]
    parts += [f"{NBSP}\nbob\nMay 7, 2023 #{n}\nReply {n} says hi.\n" for n in range(2, replies + 2)]
    return "".join(parts)


@given(st.text(st.sampled_from("ab.TXT"), max_size=8))
def test_suffix_is_the_path_suffix(name: str) -> None:
    assert folders._suffix(name) == Path(name).suffix.lower()


def test_discover_walks_sorted_and_skips_other_files(tmp_path: Path) -> None:
    (tmp_path / "b.txt").write_text("x")
    (tmp_path / "a.TXT").write_text("x")
    (tmp_path / "c.png").write_bytes(b"x")
    (tmp_path / ".hidden.txt").write_text("x")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "d").write_text("x")
    names = [os.path.relpath(p, tmp_path) for p in discover([str(tmp_path)])]
    assert names == ["a.TXT", "b.txt", os.path.join("sub", "d")]


def _fields(thread: Thread) -> tuple[str, str | None, str | None, int]:
    return (
        thread.title,
        thread.article.author,
        thread.date or thread.article.date,
        thread.reply_count,
    )


@pytest.mark.parametrize(
    "path",
    [*sample_paths(), *([SEED] if SEED.is_file() else []), *realdata_text_paths()],
    ids=lambda p: p.name,
)
def test_a_files_row_is_what_its_parsed_thread_gives(path: Path) -> None:
    assert summarize(str(path)) == summary_of(parse_path(path), str(path), *_stat(path))


def _stat(path: Path) -> tuple[int, float]:
    st = path.stat()
    return st.st_size, st.st_mtime


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps())
def test_summarize_gives_the_parsed_threads_fields(text: str) -> None:
    assert T.summarize(text, source="d/t.txt") == _fields(T.parse(text, source="d/t.txt"))


_LONG = "A line of running text, well over the forty characters of a name"
_PIECES = st.sampled_from(
    [NBSP, "", "Joined", "Location", "Messages 3", "Joined: May 4, 2023", _LONG, _LONG + ":"]
    + ["#### bob", "bob", "May 4, 2023 #2", "Reply", "Reactions: a", "Click to expand..."]
    + ["a said:", "Posted: " + _LONG, "Location " + _LONG, "Post subject: " + _LONG]
    + ["x -> " + _LONG, "Post #3 of 5", _LONG + " Thread Starter", "> " + _LONG]
)


_OPENING = "A title for this thread\n\nalice\n\nalice\n\nHello.\n"


@settings(max_examples=1000, deadline=None)
@given(st.lists(_PIECES, max_size=30).map(lambda pieces: _OPENING + "\n".join(pieces)))
@example(f"{_OPENING}{NBSP}\nLocation\n\n{_LONG}\n")  # the long line is the stats value
def test_summarize_counts_what_parse_keeps_on_tricky_segments(text: str) -> None:
    """Segments of chrome, bare stats keys and their values, headers only: the quick
    look must never count a segment that parse drops."""
    assert T.summarize(text) == _fields(T.parse(text))


def test_an_unreadable_file_is_a_row_with_its_error(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    row = summarize(str(empty))
    assert row.error == "empty file" and row.title == "empty.txt"


def test_only_big_threads_are_kept_in_the_cache(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(summary, "CACHE_MIN_BYTES", 2000)
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
    monkeypatch.setattr(stream, "_CHUNK_BYTES", 4096)
    path = tmp_path / "big.txt"
    path.write_bytes(_dump(2000).replace("\n", newline).encode())
    calls: list[str] = []
    monkeypatch.setattr(summary, "parse_path", lambda p: calls.append(p) or parse_path(p))
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


def test_an_untitled_dump_with_an_undecodable_name_gets_one_title_everywhere(tmp_path) -> None:
    """The list row, ``threadtui parse`` and the parsed thread agree on a name like caf\\xe9.txt."""
    import json
    import os

    from _support import run_cli

    from threadtui.parsing import parse_path

    name = os.fsencode(tmp_path) + b"/caf\xe9.txt"
    with open(name, "wb") as handle:
        handle.write(b" date 2023-05-06\n\n")  # a dump with no title line
    (row,) = [row for batch, _, _ in library.scan([os.fsdecode(name)]) for row in batch]
    parsed = json.loads(run_cli("parse", os.fsdecode(name)).stdout)
    assert row.title == parse_path(name).title == parsed["title"] == "caf\\xe9"
