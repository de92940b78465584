"""The count's fast path (``str.count`` on ASCII chunks, match starts found later)
gives exactly what running the pattern over every chunk gives."""

from __future__ import annotations

import pytest
from rich.text import Text

from threadtui.model import Paragraph, Post, Thread
from threadtui.search import ThreadIndex, compile_query, thread_index
from threadtui.search.session import SearchSession
from threadtui.view.render import PLAIN
from threadtui.view.reply_layout import ReplyLayout

_LINES = [
    "The cat sat on the mat, then the other cat.",
    "nothing here",
    "THE END of thethe",
    "Ein Straße, the café and a naïve cat",  # not ASCII: its chunk takes the slow path
    "e e e eee",
]


def _thread(replies: int = 60) -> Thread:
    posts = tuple(
        Post(number=n + 2, author=f"user{n % 3}", blocks=(Paragraph(_LINES[n % len(_LINES)]),))
        for n in range(replies)
    )
    article = Post(number=1, author="op", blocks=(Paragraph("the article: the cat"),))
    return Thread(title="The thread", article=article, replies=posts)


@pytest.fixture
def small_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Chunks of about one reply each, so a thread of 60 replies spans dozens."""
    monkeypatch.setattr(thread_index, "CHUNK_CHARS", 60)


@pytest.mark.usefixtures("small_chunks")
@pytest.mark.parametrize("needle", ["the", "The", "THE", "e", "cat", "at, t", "zzqxj", "user1"])
def test_fast_count_and_late_starts_equal_the_pattern(
    needle: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    index = ThreadIndex(_thread())
    assert len(index.chunks) > 10 and not all(index.chunk_ascii) and any(index.chunk_ascii)
    query = compile_query(needle)
    fast = index.search(query)
    assert fast is not None
    monkeypatch.setattr(thread_index, "_ascii_needle", lambda _query: None)
    slow = index.search(query)
    assert slow is not None
    assert all(starts is not None for starts in slow._starts)
    chunks = zip(index.chunks, index.chunk_ascii, strict=True)
    ascii_bases = {base for (base, _), plain in chunks if plain}
    if ascii_bases & set(slow._bases):
        assert any(starts is None for starts in fast._starts)  # counted only, so far
    assert len(fast) == len(slow)
    # Ranks at every position (chunk starts included) before the starts are all known.
    for position in range(0, index.end, 7):
        assert fast.rank(position) == slow.rank(position)
    assert [fast.hit(k) for k in range(len(fast))] == [slow.hit(k) for k in range(len(slow))]
    layout = ReplyLayout(_thread(), 60, theme=PLAIN)
    folded = {1, 7, 30, 59}
    assert fast.hidden(folded, layout.end) == slow.hidden(folded, layout.end)


@pytest.mark.usefixtures("small_chunks")
def test_stepping_a_fast_result_visits_every_match_once() -> None:
    result = ThreadIndex(_thread()).search(compile_query("the"))
    assert result is not None and len(result) > 50
    session = SearchSession()
    start = session.set_result(result, 20)
    assert start is not None
    seen = [start]
    for _ in range(len(result) - 1):
        step = session.step(1)
        assert step is not None
        seen.append(step.match)
    assert sorted(seen) == list(range(len(result)))
    positions = [result.position(k) for k in range(len(result))]
    assert positions == sorted(positions) and len(set(positions)) == len(positions)


@pytest.mark.parametrize(
    ("needle", "is_regex", "whole_word", "fast"),
    [
        ("the", False, False, True),
        ("The", False, False, True),
        ("the", True, False, False),  # a regex runs its pattern
        ("the", False, True, False),  # whole word needs the lookarounds
        ("café", False, False, False),  # not ASCII: full case folding
        ("at\nd", False, False, False),  # a line break could reach into a separator
    ],
)
def test_which_queries_take_the_fast_path(
    needle: str, is_regex: bool, whole_word: bool, fast: bool
) -> None:
    query = compile_query(needle, is_regex=is_regex, whole_word=whole_word)
    assert (thread_index._ascii_needle(query) is not None) == fast


# ----------------------------------------------------------------------------- timeouts

#: The ``regex`` module runs for ever on this pattern against "ǰx".
_LOOPING = r"(?fi)\w?J\u030c"


def test_a_looping_pattern_times_out_instead_of_hanging(monkeypatch: pytest.MonkeyPatch) -> None:
    from threadtui.search import query as query_module
    from threadtui.search.query import QueryTimeout, find_spans
    from threadtui.view import marks
    from threadtui.view.marks import Highlight

    monkeypatch.setattr(query_module, "FIELD_TIMEOUT", 0.02)
    looping = compile_query(_LOOPING, is_regex=True)
    with pytest.raises(QueryTimeout):
        find_spans(looping, "ǰx")
    # Drawing gives up on the pattern once and leaves the text unmarked after that.
    monkeypatch.setattr(marks, "_TIMED_OUT", set())
    marker = Highlight(looping).at(0)
    text = Text("ǰx")
    assert marker.mark(text).spans == [] and looping in marks._TIMED_OUT
    assert Highlight(looping).at(0).mark(Text("ǰx ǰx")).spans == []
    # The count's worker gets an error it can show, not a thread stuck in the regex engine.
    thread = Thread(title="t", article=Post(number=1, blocks=(Paragraph("ǰx"),)), replies=())
    index = ThreadIndex(thread)
    with pytest.raises(QueryTimeout):
        index.search(looping, timeout=0.02)
    result = index.search(compile_query("x"), timeout=0.02)
    assert result is not None and len(result) == 1
