"""``threadtui parse`` output: streamed a post at a time, safe on a terminal, one line on failure.

* C1 controls, bidi overrides/isolates and lone surrogates are written as ``\\u`` escapes
  (JSON lets them through raw; a terminal acts on them, a UTF-8 stream cannot carry
  a surrogate);
* otherwise the text is what ``native.dumps`` gives, character for character;
* the document goes out in chunks, never whole;
* running out of memory is one line naming the file.
"""

from __future__ import annotations

import json
import re
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from _support import run_cli, sample_paths
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.cli import main
from threadtui.model import (
    Attachment,
    Block,
    Byline,
    Link,
    Paragraph,
    Post,
    Quote,
    Thread,
    thread_to_json,
)
from threadtui.parsing import parse_bytes, parse_path
from threadtui.parsing.json import native, writer

#: Raw, these must never be written (as UTF-8 they are what the terminal would get).
UNSAFE_RAW = re.compile("[\x80-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
HOSTILE = (
    "CSI \x9b2J, NEL \x85, RLO \u202eevil\u202c, RLI \u2067x\u2069, ESC \x1b[31m,"
    " ZWJ 👩\u200d🍳 kept."
)


def _doc(title: str, text: str) -> str:
    """A threadtui/1 document (ASCII, as json.dumps writes it: the file holds only escapes)."""
    thread = Thread(title, Post(1, author="alice", blocks=(Paragraph(text),)), source="x.json")
    return json.dumps(thread_to_json(thread))


def _joined(thread: Thread, indent: int | None = None, **kwargs: Any) -> str:
    return "".join(writer.chunks(thread, indent, **kwargs))


# ------------------------------------------------------------------ terminal-unsafe characters


@pytest.mark.parametrize("indent", [None, 2])
def test_c1_and_bidi_controls_are_escaped(tmp_path: Path, indent: int | None) -> None:
    path = tmp_path / "hostile.json"
    path.write_text(_doc(f"Title {HOSTILE}", f"Body {HOSTILE}"), encoding="ascii")
    args = ["parse", str(path)] + ([] if indent is None else ["--indent", str(indent)])
    result = run_cli(*args)
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")  # strict
    assert not UNSAFE_RAW.findall(out)
    assert "\x1b" not in out
    for escape in ("\\u009b", "\\u0085", "\\u202e", "\\u202c", "\\u2067", "\\u2069", "\\u001b"):
        assert escape in out
    assert "👩\u200d🍳" in out  # an emoji sequence stays whole
    data = json.loads(out)  # the same data: only the spelling changed
    assert data["title"] == f"Title {HOSTILE}"
    assert data["article"]["blocks"][0]["text"] == f"Body {HOSTILE}"


REDDIT = (
    '[{"kind": "Listing", "data": {"children": [{"kind": "t3", "data": {"title": "t\\ud800",'
    ' "name": "t3_a", "author": "x\\udfff", "selftext": "s\\ud800", "is_self": true}}]}},'
    ' {"kind": "Listing", "data": {"children": [{"kind": "t1", "data": {"author": "y",'
    ' "body": "lone \\udc80 low", "replies": ""}}]}}]'
)


@pytest.mark.parametrize(
    "text",
    [_doc("t\ud800", "lone \udc80 low"), REDDIT],
    ids=["threadtui-1", "reddit"],
)
def test_a_lone_surrogate_is_written_as_an_escape(tmp_path: Path, text: str) -> None:
    path = tmp_path / "surrogate.json"
    path.write_text(text, encoding="ascii")
    result = run_cli("parse", str(path))
    assert b"Traceback" not in result.stderr
    assert result.returncode == 0, result.stderr
    out = result.stdout.decode("utf-8")  # strict: a surrogate could not have been encoded
    assert "\\ud800" in out and "\\udc80" in out
    assert json.loads(out)["title"] == "t\ud800"
    assert parse_bytes(result.stdout).title == parse_path(path).title  # it reads back


# ------------------------------------------------------------------ the same text as before

_SAFE_TEXT = st.text(max_size=12).filter(lambda t: not UNSAFE_RAW.search(t))
#: Text with the characters the writer escapes, surrogates included.
_ANY_TEXT = st.text(
    st.one_of(
        st.sampled_from(list("\x85\x9b\u202e\u2066\u200b\ufeff\u200d\ud800\udc80😀\x1b\x7f")),
        st.characters(blacklist_categories=()),
    ),
    max_size=8,
)


def _blocks(text: st.SearchStrategy[str]) -> st.SearchStrategy[tuple[Block, ...]]:
    leaf = st.one_of(
        text.map(Paragraph),
        st.builds(Link, text, st.none() | text),
        text.map(Attachment),
    )
    nested = st.recursive(
        leaf,
        lambda inner: st.builds(Quote, st.none() | text, st.lists(inner, max_size=3).map(tuple)),
        max_leaves=6,
    )
    return st.lists(nested, max_size=3).map(tuple)


def _posts(text: st.SearchStrategy[str]) -> st.SearchStrategy[Post]:
    byline = st.none() | st.builds(Byline, st.none() | text, st.none() | text, st.none() | text)
    leaf = st.builds(
        Post,
        st.integers(1, 10**6),
        st.none() | text,
        st.none() | text,
        st.none() | text,
        byline,
        _blocks(text),
    )
    return st.recursive(
        leaf,
        lambda inner: st.builds(
            Post,
            st.integers(1, 10**6),
            st.none() | text,
            blocks=_blocks(text),
            replies=st.lists(inner, max_size=3).map(tuple),
        ),
        max_leaves=8,
    )


def _threads(text: st.SearchStrategy[str]) -> st.SearchStrategy[Thread]:
    return st.builds(
        Thread,
        text,
        _posts(text),
        st.lists(_posts(text), max_size=4).map(tuple),
        st.none() | text,
        st.lists(text, max_size=2).map(tuple),
        text,
        st.sampled_from(["text-dump", "reddit-json"]),
    )


INDENTS = st.sampled_from([None, 0, 1, 2, 4, -1])


@settings(max_examples=300)
@given(_threads(_SAFE_TEXT), INDENTS)
def test_the_streamed_text_is_native_dumps(thread: Thread, indent: int | None) -> None:
    assert _joined(thread, indent) == native.dumps(thread, indent)
    ascii_doc = json.dumps(thread_to_json(thread), ensure_ascii=True, indent=indent)
    assert _joined(thread, indent, ascii_only=True) == ascii_doc


@settings(max_examples=200)
@given(_threads(_ANY_TEXT), INDENTS)
def test_unsafe_characters_change_the_spelling_only(thread: Thread, indent: int | None) -> None:
    text = _joined(thread, indent)
    assert not UNSAFE_RAW.findall(text)
    assert json.loads(text) == json.loads(native.dumps(thread, indent))
    if not UNSAFE_RAW.search(native.dumps(thread, indent)):
        assert text == native.dumps(thread, indent)


def test_every_sample_is_written_as_before() -> None:
    for path in sample_paths():
        thread = parse_path(path)
        for indent in (None, 2):
            assert _joined(thread, indent) == native.dumps(thread, indent), path


def _quotes(depth: int) -> Block:
    block: Block = Paragraph("the innermost words")
    for level in range(depth):
        block = Quote(f"q{level}", (block,))
    return block


def _replies(depth: int) -> Post:
    post = Post(depth + 1, blocks=(Paragraph("deepest"),))
    for level in range(depth, 0, -1):
        post = Post(level, "x", byline=Byline("b"), blocks=(Paragraph("t"),), replies=(post,))
    return post


@pytest.mark.parametrize("depth", [15, 40, 300, 480, 5_000])
@pytest.mark.parametrize("indent", [None, 2])
def test_deep_documents_are_written_as_before(depth: int, indent: int | None) -> None:
    """Shallow or deep (past json.dumps, where native caps the indentation), the same text."""
    quoted = Thread("T", Post(1, blocks=(_quotes(depth),)), (Post(2, blocks=(_quotes(3),)),))
    nested = Thread("T", Post(1), (_replies(depth // 2), Post(99)))
    for thread in (quoted, nested):
        assert _joined(thread, indent) == native.dumps(thread, indent)


# ------------------------------------------------------------------ streamed


def _many_replies(count: int) -> Thread:
    replies = tuple(
        Post(n, f"user{n % 7}", "2023-05-04", blocks=(Paragraph(f"Reply number {n}. " * 8),))
        for n in range(2, count + 2)
    )
    return Thread("Big", Post(1, "op", blocks=(Paragraph("Hello."),)), replies)


def test_the_document_goes_out_in_chunks() -> None:
    thread = _many_replies(20_000)
    expected = native.dumps(thread)
    tracemalloc.start()
    try:
        sizes = [len(chunk) for chunk in writer.chunks(thread)]
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert sum(sizes) == len(expected)
    assert len(sizes) > 10
    assert max(sizes) < 2 * writer.CHUNK_CHARS
    assert peak < len(expected) // 10, "the writer held the document (or its dicts)"


# ------------------------------------------------------------------ out of memory


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    for path in (first, second):
        path.write_text(f"{path.stem} thread\n\nalice\n\nalice\n\nHello.\n", encoding="utf-8")
    return first, second


def test_out_of_memory_while_writing_is_one_line(
    two_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    first, second = two_files
    real = writer.chunks

    def runs_out(thread: Thread, *args: Any, **kwargs: Any) -> Iterator[str]:
        if thread.title.startswith("first"):
            yield '{"schema": '
            raise MemoryError
        yield from real(thread, *args, **kwargs)

    monkeypatch.setattr(writer, "chunks", runs_out)
    assert main(["parse", str(first), str(second)]) == 1
    out, err = capsys.readouterr()
    assert err == f"threadtui: {first}: out of memory\n"
    cut, whole = out.splitlines()  # the cut document ends its own line
    assert cut == '{"schema": '
    assert json.loads(whole)["title"] == "second thread"


def test_out_of_memory_while_reading_is_one_line(
    two_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import threadtui.library as library

    first, second = two_files
    real = library.read_thread

    def runs_out(path: str, size: int | None = None) -> Thread:
        if path == str(first):
            raise MemoryError
        return real(path, size)

    monkeypatch.setattr(library, "read_thread", runs_out)
    assert main(["parse", str(first), str(second)]) == 1
    out, err = capsys.readouterr()
    assert err == f"threadtui: {first}: out of memory\n"
    assert json.loads(out)["title"] == "second thread"


def test_show_out_of_memory_is_one_line(
    two_files: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    import threadtui.parsing as parsing

    def runs_out(path: object) -> Thread:
        raise MemoryError

    monkeypatch.setattr(parsing, "parse_path", runs_out)
    assert main(["show", str(two_files[0])]) == 1
    assert capsys.readouterr().err == f"threadtui: {two_files[0]}: out of memory\n"


def test_out_of_memory_anywhere_else_is_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    """The net under every command: whatever runs out, the user gets a line, not a traceback."""
    import threadtui.cli.read as read

    def runs_out(argv: object) -> int:
        raise MemoryError

    monkeypatch.setattr(read, "cmd_reader", runs_out)
    assert main(["somewhere"]) == 1
    assert capsys.readouterr().err == "threadtui: out of memory\n"
