"""Fuzzing the parser, the renderer, the JSON round trip and the reader with hostile dumps.

Strategies build dump-like documents (headers, dates, quotes, NBSP
separators, link and attachment lines) whose text is full of what strangers
paste: escape sequences, C1 controls, NUL, bidi and zero-width characters,
Rich-markup look-alikes and lone brackets; then encode them in every way a
file can be (UTF-8 with or without BOM, UTF-16 with BOM, cp1252, latin-1,
mixed lines, stray bytes). Raw bytes are fuzzed too.

Properties:

* ``parse_bytes`` returns a thread or raises our one-line ``ParseError``;
  nothing else, ever;
* no content is lost (``_accounting.unaccounted``, shared with
  ``test_no_content_lost.py``);
* the renderer, at every width, writes no control or invisible format
  character, keeps every body character, and fits the width;
* the JSON form reads back to the same document;
* the reader, headless, opens a folder of such files and survives the keys.

The default suite runs a few hundred examples; ``pytest -m slow`` runs the
long fuzz and prints how many inputs it tried.
"""

from __future__ import annotations

import asyncio
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
from _accounting import unaccounted
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadtui.model import Attachment, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing import ParseError, parse_bytes
from threadtui.parsing.common.decode import decode
from threadtui.parsing.json import native as threadtui_json
from threadtui.safe import visible
from threadtui.view.render import thread_lines

NBSP = "\u00a0"

# ------------------------------------------------------------------ strategies

_NASTY = [
    "\x1b[31m",
    "\x1b[0m",
    "\x1b[2J",
    "\x1b[H",
    "\x1b[4242;1H",
    "\x1b]0;evil\x07",
    "\x1b]2;evil\x1b\\",
    "\x1b]8;;http://evil.example/\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1bP+q\x1b\\",
    "\x9b2J",
    "\x9d0;c1\x9c",
    "\x85",
    "\x00",
    "\x07",
    "\x08",
    "\x7f",
    "\t",
    "\x0b",
    "\x0c",
    "\u202e",
    "\u202d",
    "\u2066",
    "\u2069",
    "\u200b",
    "\u200d",
    "\u2060",
    "\ufeff",
    "\u00ad",
    "\u2028",
    "\U000e0041",
    "👩\u200d🍳",
    "🇲🇦",
    "e\u0301",
    "茶",
    "شاي",
    "[bold]",
    "[/bold]",
    "[/]",
    "[",
    "]",
    "\\[",
    "[link=http://x]",
    "[@click=app.quit]",
    "[red on blue]",
    "\\",
    NBSP,
]
_WORD = st.one_of(
    st.sampled_from("the a ridge path Zoë said: quote expand ... • — - # > 2023 May #2".split()),
    st.sampled_from(_NASTY),
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=6),
)
TEXT = st.lists(_WORD, min_size=1, max_size=10).map(" ".join)
_NAME = st.one_of(
    st.sampled_from(
        ["alice", "bob", "Zoë_bakes", "[NL]Daan", "山田", "mal\x1b[31mlory", "[b]x[/b]"]
    ),
    TEXT.map(lambda t: t[:20]),
)
_DATE = st.sampled_from(
    ["May 4, 2023", "Mar 15, 2022 at 9:48 PM", "16 Jul 2008 at 7:19 AM", "2021-09-01", "6m ago"]
)


@st.composite
def _line(draw: st.DrawFn) -> list[str]:
    kind = draw(
        st.sampled_from(
            ["text", "text", "text", "said", "end", "gt", "attach", "link", "head", "blank", "sep"]
        )
    )
    if kind == "said":
        return [f"{draw(_NAME)} said:"]
    if kind == "end":
        return ["Click to expand..."]
    if kind == "gt":
        return [">" * draw(st.integers(1, 6)) + " " + draw(TEXT)]
    if kind == "attach":
        return [draw(st.sampled_from(["IMG_1.png", "View attachment 7", f"{draw(_NAME)}.jpg"]))]
    if kind == "link":
        return [draw(st.sampled_from(["https://example.org/a?b=[c]", "[t](https://x.example)"]))]
    if kind == "head":
        return [draw(_NAME), f"{draw(_DATE)} #{draw(st.integers(2, 99))}"]
    if kind == "blank":
        return [""]
    if kind == "sep":
        return [draw(st.sampled_from([NBSP, f" {NBSP} ", f"#### {draw(_NAME)}"]))]
    return [draw(TEXT)]


@st.composite
def dump_texts(draw: st.DrawFn) -> str:
    """A dump-like document: optional metadata line, title, starter, then lines of every kind."""
    lines: list[str] = []
    if draw(st.booleans()):
        lines += [f" date {draw(st.sampled_from(['2023-05-06', '2021-09']))} {draw(TEXT)}", ""]
    name = draw(_NAME)
    lines += [draw(TEXT), "", name, "", name, ""]
    for _ in range(draw(st.integers(0, 25))):
        lines += draw(_line())
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    return newline.join(lines) + draw(st.sampled_from(["", newline]))


@st.composite
def dump_bytes(draw: st.DrawFn) -> bytes:
    """A dump as a file's bytes, in one of the encodings a file can come in, maybe damaged."""
    text = draw(dump_texts())
    how = draw(
        st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1", "mixed"])
    )
    if how == "utf-8-sig":
        data = "\ufeff".encode() + text.encode("utf-8")
    elif how == "utf-16":
        data = text.encode("utf-16")  # with its BOM
    elif how in ("cp1252", "latin-1"):
        data = text.encode(how, errors="replace")
    elif how == "mixed":
        parts = [
            line.encode("cp1252", "replace") if i % 3 == 2 else line.encode()
            for i, line in enumerate(text.split("\n"))
        ]
        data = b"\n".join(parts)
    else:
        data = text.encode("utf-8")
    if draw(st.integers(0, 4)) == 0 and data:  # damage: stray bytes somewhere
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.binary(min_size=1, max_size=4)) + data[at:]
    return data


# ------------------------------------------------------------------ the checks


def _unsafe(char: str) -> bool:
    """Characters a terminal must never get from content (see test_hostile_input)."""
    return char != "\n" and unicodedata.category(char) in ("Cc", "Cf", "Cs", "Zl", "Zp")


def _allowed_format(char: str) -> bool:
    # A ZWJ inside an emoji sequence and tags inside a flag stay; prepended
    # concatenation marks are visible signs.
    code = ord(char)
    return char == "\u200d" or 0xE0020 <= code <= 0xE007F or code in _PREPENDED


_PREPENDED = {0x600, 0x601, 0x602, 0x603, 0x604, 0x605, 0x6DD, 0x70F, 0x890, 0x891, 0x8E2}


def _walk_blocks(post: Post):  # noqa: ANN202
    stack = list(post.blocks)
    while stack:
        block = stack.pop()
        yield block
        if isinstance(block, Quote):
            stack.extend(block.blocks)


def _posts(thread: Thread):  # noqa: ANN202
    yield thread.article
    for post, _ in thread.walk_replies():
        yield post


def _body_chars(thread: Thread) -> Counter[str]:
    """The characters of every body block, as they must show (made visible, no spaces)."""
    parts = [thread.title]
    for post in _posts(thread):
        for block in _walk_blocks(post):
            if isinstance(block, Paragraph):
                parts.append(block.text)
            elif isinstance(block, Link):
                parts.append(block.text)
            elif isinstance(block, Attachment):
                parts.append(block.name)
    return Counter("".join(visible("".join(parts)).split()))


def parse_checked(data: bytes) -> Thread | None:
    """``parse_bytes``: a thread that lost nothing, or one clean ParseError line."""
    try:
        thread = parse_bytes(data, source="fuzz.txt")
    except ParseError as exc:
        message = str(exc)
        assert message and "\n" not in message and "Traceback" not in message
        return None
    assert isinstance(thread, Thread)
    if thread.format == "text-dump":
        assert unaccounted(decode(data).text, thread) == []
    return thread


def render_checked(thread: Thread, width: int) -> None:
    """Every width: nothing unsafe drawn, every body character drawn, lines fit from 80 up."""
    lines = list(thread_lines(thread, width))
    drawn = "\n".join(line.plain for line in lines)
    bad = {f"U+{ord(c):04X}" for c in drawn if _unsafe(c) and not _allowed_format(c)}
    assert not bad, bad
    assert "\x1b" not in drawn
    missing = _body_chars(thread) - Counter("".join(drawn.split()))
    assert not missing, missing
    if width >= 80:
        assert max(line.cell_len for line in lines) <= width


def round_trip_checked(thread: Thread) -> None:
    text = threadtui_json.dumps(thread)
    again = parse_bytes(text.encode("utf-8"), source="fuzz.json")
    assert threadtui_json.dumps(again) == text


#: Down to 3 cells: render never wraps narrower than 2, so a wide character always fits.
WIDTHS = (3, 20, 33, 80, 200)
FUZZ = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)


# ------------------------------------------------------------------ default suite: a few hundred


@settings(FUZZ, max_examples=250)
@given(dump_bytes())
def test_fuzz_parse_dump_bytes(data: bytes) -> None:
    parse_checked(data)


@settings(FUZZ, max_examples=250)
@given(st.binary(max_size=512))
def test_fuzz_parse_raw_bytes(data: bytes) -> None:
    parse_checked(data)


@settings(FUZZ, max_examples=100)
@given(dump_texts(), st.sampled_from(WIDTHS))
def test_fuzz_render(text: str, width: int) -> None:
    thread = parse_checked(text.encode("utf-8"))
    if thread is None:  # only a NUL makes UTF-8 text unreadable (read as binary)
        assert "\x00" in text
        return
    render_checked(thread, width)


@settings(FUZZ, max_examples=100)
@given(dump_bytes())
def test_fuzz_json_round_trip(data: bytes) -> None:
    thread = parse_checked(data)
    if thread is not None:
        round_trip_checked(thread)


async def _settle(pilot, timeout: float = 20.0) -> None:  # noqa: ANN001
    """Wait for the scan and any thread load to finish (a fuzzed file may be slow to parse)."""
    from textual.worker import WorkerState

    from threadtui.tui.screens.main import MainScreen

    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        await pilot.pause(0.01)
        screen = next(s for s in pilot.app.screen_stack if isinstance(s, MainScreen))
        busy = any(w.state in (WorkerState.PENDING, WorkerState.RUNNING) for w in pilot.app.workers)
        if not screen.scanning and not busy:
            return
        assert loop.time() < deadline, "the reader did not settle"


async def _reader_session(folder: Path, count: int) -> None:
    from threadtui.tui.app import make_app
    from threadtui.tui.widgets.thread_list import ThreadList

    async with make_app([str(folder)]).run_test(size=(100, 30)) as pilot:
        await _settle(pilot)
        assert len(pilot.app.screen.query_one(ThreadList).rows) == count
        for key in ["j"] * count + ["g", "enter", "G", "tab", "J", "space", "o", "minus", "plus"]:
            await pilot.press(key)
            await _settle(pilot)
        await pilot.press("q")


@settings(FUZZ, max_examples=2)
@given(st.lists(dump_bytes(), min_size=2, max_size=2))
def test_fuzz_reader(files: list[bytes]) -> None:
    """A folder of fuzzed files: the reader opens each and survives the keys (no exception)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for index, data in enumerate(files):
            (folder / f"f{index}.txt").write_bytes(data)
        asyncio.run(_reader_session(folder, len(files)))


# ------------------------------------------------------------------ the long run (-m slow)

LONG_RUN = 20_000
_tried: Counter[str] = Counter()


def _only_with_m_slow(request: pytest.FixtureRequest) -> None:
    """The ``slow`` marker is not deselected by default: skip unless asked for."""
    if "slow" not in (request.config.getoption("markexpr") or ""):
        pytest.skip("slow: run with -m slow")


@pytest.mark.slow
def test_long_fuzz(request: pytest.FixtureRequest, capsys: pytest.CaptureFixture[str]) -> None:
    _only_with_m_slow(request)

    @settings(FUZZ, max_examples=LONG_RUN)
    @given(dump_bytes())
    def dumps_as_bytes(data: bytes) -> None:
        _tried["dump bytes"] += 1
        thread = parse_checked(data)
        if thread is not None:
            round_trip_checked(thread)

    @settings(FUZZ, max_examples=LONG_RUN)
    @given(st.binary(max_size=2048))
    def raw_bytes(data: bytes) -> None:
        _tried["raw bytes"] += 1
        parse_checked(data)

    @settings(FUZZ, max_examples=LONG_RUN // 4)
    @given(dump_texts(), st.sampled_from(WIDTHS))
    def rendered(text: str, width: int) -> None:
        _tried["rendered"] += 1
        thread = parse_checked(text.encode("utf-8"))
        if thread is None:
            assert "\x00" in text
            return
        render_checked(thread, width)

    @settings(FUZZ, max_examples=20)
    @given(st.lists(dump_bytes(), min_size=3, max_size=3))
    def reader(files: list[bytes]) -> None:
        _tried["reader folders"] += 1
        test_fuzz_reader.hypothesis.inner_test(files)  # type: ignore[attr-defined]

    for run in (dumps_as_bytes, raw_bytes, rendered, reader):
        run()
    with capsys.disabled():
        print(f"\nlong fuzz: {sum(_tried.values()):,} inputs tried: {dict(_tried)}")
