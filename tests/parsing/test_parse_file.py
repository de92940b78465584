"""Segment-at-a-time parsing: the same threads as reading the whole text, in less memory."""

from __future__ import annotations

import codecs
import os
import re
from pathlib import Path

import pytest
from _dump_strategies import dumps
from _support import sample_paths
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadtui.model import thread_to_json
from threadtui.parsing import parse_bytes, parse_path
from threadtui.parsing import text_dump as T
from threadtui.parsing.common import lines as L
from threadtui.parsing.text_dump import segments, stream

NBSP = "\u00a0"
_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_PIECES = st.sampled_from(
    [NBSP, f" {NBSP}\t", "\n", "\r", "\r\n", "x", " date 2023-05-06", "a said:", "\u2028", " "]
)


def _reference_segments(text: str, start_line: int) -> list[list[str]]:
    """The old definition: split every line, then cut at blank lines holding a NBSP."""
    raw = _LINE_SPLIT.split(text)
    lines = [L.strip(line) for line in raw]
    seps = [i for i, line in enumerate(raw) if i >= start_line and not lines[i] and NBSP in line]
    bounds = [start_line - 1, *seps, len(lines)]
    return [lines[bounds[k] + 1 : bounds[k + 1]] for k in range(len(bounds) - 1)]


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join), st.booleans())
def test_segments_are_the_line_split_definition(text: str, skip_first: bool) -> None:
    normal = text.replace("\r\n", "\n").replace("\r", "\n")
    newline = normal.find("\n")
    start, start_line = 0, 0
    if skip_first:  # after a metadata line
        start, start_line = (len(normal) + 1 if newline < 0 else newline + 1), 1
    if not segments.separator_lines(normal, start):
        return  # no separators: the marker path, which still splits every line
    assert list(segments.segment_lines(normal, start, None)) == _reference_segments(
        text, start_line
    )


def _same_as_parse_bytes(path: Path, data: bytes) -> None:
    expected = thread_to_json(parse_bytes(data, source=str(path)))
    streamed = T.parse_file(path)
    assert streamed is not None
    assert thread_to_json(streamed) == expected


@pytest.mark.parametrize("chunk", [1, 3, 64, 1 << 20])
@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_samples_read_in_chunks_parse_the_same(tmp_path, monkeypatch, chunk, newline) -> None:
    monkeypatch.setattr(stream, "_CHUNK_BYTES", chunk)
    for sample in sample_paths():
        data = sample.read_bytes().replace(b"\n", newline.encode())
        path = tmp_path / sample.name
        path.write_bytes(data)
        _same_as_parse_bytes(path, data)


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(dumps(), st.sampled_from([1, 2, 5, 13]))
def test_generated_dumps_read_in_chunks_parse_the_same(tmp_path, text: str, chunk: int) -> None:
    data = text.encode("utf-8")
    path = tmp_path / "gen.txt"
    path.write_bytes(data)
    old = stream._CHUNK_BYTES
    stream._CHUNK_BYTES = chunk
    try:
        streamed = T.parse_file(path)
    finally:
        stream._CHUNK_BYTES = old
    if streamed is None:  # blank, or no separator at all: the general path decides
        return
    assert thread_to_json(streamed) == thread_to_json(parse_bytes(data, source=str(path)))


DUMP = f"A title for this thread\n\nalice\n\nalice\n\nHello.\n{NBSP}\nbob\nMay 7, 2023 #2\nHi.\n"


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b" \r\n\t\n", id="blank"),
        pytest.param(codecs.BOM_UTF8 + DUMP.encode(), id="utf-8 BOM"),
        pytest.param(DUMP.encode("utf-16"), id="utf-16"),
        pytest.param(DUMP.replace("Hi.", "Caf\xe9.").encode("cp1252"), id="cp1252"),
        pytest.param(DUMP.encode() + b"\xe2\x82", id="cut inside a character"),
        pytest.param(b"\x00" + DUMP.encode(), id="NUL"),
        pytest.param(b'{"schema": "threadtui/1", "title": "t"}', id="threadtui JSON"),
    ],
)
def test_anything_unusual_is_left_to_the_general_path(tmp_path, data: bytes) -> None:
    path = tmp_path / "t.txt"
    path.write_bytes(data)
    assert T.parse_file(path) is None


def test_no_separator_early_on_is_left_to_the_general_path(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(stream, "_CHUNK_BYTES", 16)
    monkeypatch.setattr(stream, "_PROBE_CHARS", 1000)  # the first read is 64 KiB anyway
    path = tmp_path / "t.txt"
    path.write_text("A title\n\n" + "words " * 20_000 + f"\n{NBSP}\nbob\nHi.\n", encoding="utf-8")
    assert T.parse_file(path) is None
    path.write_text("A title\n\nalice\n\nalice\n\n#### bob\nHi.\n", encoding="utf-8")
    assert thread_to_json(T.parse_file(path)) == thread_to_json(parse_path(path))


def test_what_cannot_be_opened_is_left_to_the_general_path(tmp_path) -> None:
    assert T.parse_file(tmp_path / "missing.txt") is None
    assert T.parse_file(tmp_path) is None
    fifo = tmp_path / "fifo.txt"
    os.mkfifo(fifo)
    # Opening a FIFO for reading would block: parse_file must not try.
    assert T.parse_file(fifo) is None


def test_repeated_names_share_one_string(tmp_path) -> None:
    text = "A title\n\nalice\n\nalice\n\nHello.\n" + "".join(
        f"{NBSP}\nbob\nMay 7, 2023 #{n}\nHi {n}.\n" for n in range(2, 6)
    )
    thread = T.parse(text)
    authors = [reply.author for reply in thread.replies]
    assert authors == ["bob"] * 4
    assert all(author is authors[0] for author in authors)
