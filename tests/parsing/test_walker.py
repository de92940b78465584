"""The one walk in its three modes: building, counting and a search's wanted posts agree,
and the counting and search modes skip what they say they skip."""

from __future__ import annotations

import pytest
from _dump_strategies import dumps
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadtui.model import Post, Thread
from threadtui.parsing import text_dump as T
from threadtui.parsing.text_dump import segments, walker

NBSP = "\u00a0"
OPENING = "A title for this thread\n\nalice\n\nalice\n\nHello.\n"


def _dump(replies: int) -> str:
    return OPENING + "".join(
        f"{NBSP}\nbob\nMay 7, 2023 #{n}\nHere reply {n} says hi, in a sentence of body text.\n"
        for n in range(2, replies + 2)
    )


def _fields(thread: Thread) -> tuple[str, str | None, str | None, int]:
    return (
        thread.title,
        thread.article.author,
        thread.date or thread.article.date,
        len(thread.replies),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps(), st.data())
def test_the_modes_agree_with_the_built_thread(text: str, data: st.DataObject) -> None:
    thread = T.parse(text, source="d/t.txt")
    assert T.summarize(text, source="d/t.txt") == _fields(thread)
    everything = T.search_view(text, source="d/t.txt", wanted=lambda _t, s: [True] * len(s))
    if everything is None:  # no separator lines
        assert not segments.separator_lines(text.replace("\r\n", "\n").replace("\r", "\n"), 0)
        return
    assert everything.title == thread.title and everything.article == thread.article
    assert everything.replies == list(enumerate(thread.replies))
    flags: list[bool] = []

    def some(_text: str, starts: list[int]) -> list[bool]:
        flags.extend(data.draw(st.lists(st.booleans(), min_size=len(starts), max_size=len(starts))))
        return flags

    view = T.search_view(text, source="d/t.txt", wanted=some)
    assert view is not None
    assert set(view.replies) <= set(enumerate(thread.replies))
    assert view.article in (thread.article, Post(number=1))


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(
            "# A Markdown thread\n\n#### alice\n\nHello.\n\n#### bob\n\nHi.\n", id="markers"
        ),
        pytest.param(
            f"A title\n{NBSP}\n#### alice\nHello.\n{NBSP}\n#### bob\nHi.\n", id="separated"
        ),
        pytest.param(
            f"A title\n{NBSP}\nal -> A title (12/10/2011 5:56 PM)\nHello.\n{NBSP}\nbob\n#2\nHi.\n",
            id="arrow",
        ),
    ],
)
def test_a_first_segment_of_only_a_title_leaves_the_opening_post_to_the_next(text: str) -> None:
    thread = T.parse(text)
    assert thread.article.author in ("alice", "al")
    assert [reply.author for reply in thread.replies] == ["bob"]
    assert T.summarize(text) == _fields(thread)
    view = T.search_view(text, wanted=lambda _t, s: [k == 1 for k in range(len(s))])
    if view is not None:
        assert view.article_wanted and view.article == thread.article and view.replies == []


def test_counting_reads_no_ordinary_reply(monkeypatch: pytest.MonkeyPatch) -> None:
    heads: list[list[str]] = []
    read_head = walker.read_head
    monkeypatch.setattr(
        walker, "read_head", lambda h, lines, pos: heads.append(lines) or read_head(h, lines, pos)
    )
    assert T.summarize(_dump(50)) == ("A title for this thread", "alice", None, 50)
    assert len(heads) == 1  # the opening post's


def test_a_search_splits_no_unwanted_reply_whose_number_is_sure(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    split: list[int] = []
    lines = segments.Separated.lines
    monkeypatch.setattr(
        segments.Separated, "lines", lambda self, k: split.append(k) or lines(self, k)
    )
    view = T.search_view(_dump(50), wanted=lambda _t, s: [k == 30 for k in range(len(s))])
    assert view is not None and split == [0, 30]
    assert [(index, post.number) for index, post in view.replies] == [(29, 31)]
    assert view.article == Post(number=1) and not view.article_wanted


def test_a_search_reads_nothing_after_its_last_wanted_reply(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[int] = []
    sure = segments.Separated.surely_numbered
    monkeypatch.setattr(
        segments.Separated,
        "surely_numbered",
        lambda self, k, number: asked.append(k) or sure(self, k, number),
    )
    T.search_view(_dump(50), wanted=lambda _t, s: [k == 10 for k in range(len(s))])
    assert asked == list(range(1, 10))


def test_a_cancelled_search_gives_nothing() -> None:
    calls: list[None] = []

    def cancelled() -> bool:
        calls.append(None)
        return True

    assert (
        T.search_view(_dump(3000), wanted=lambda _t, s: [True] * len(s), cancelled=cancelled)
        is None
    )
    assert calls == [None]  # asked at segment 1,024
