"""Issue 2's property: the parser never crashes and never drops content silently.

Every non-blank input line must end up in a displayed field, a structured
field or ``site_chrome``; see ``_accounting.py`` for the exact rules and how
far each one can be trusted. Checked on every sample, the seed, the real text
dumps and 1,000+ generated dump-like documents per run.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from _accounting import unaccounted
from _dump_strategies import dumps
from _support import SEED, realdata_text_paths, sample_paths
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from threadtui.model import Paragraph, Post, Thread
from threadtui.parsing import ParseError, parse_bytes
from threadtui.parsing.common.decode import decode
from threadtui.parsing.text_dump import parse

NBSP = "\u00a0"


def _check_file(path: Path) -> None:
    data = path.read_bytes()
    thread = parse_bytes(data, source=str(path))
    assert unaccounted(decode(data).text, thread) == []


# ------------------------------------------------------------------ the checker itself


def _thread(text: str) -> Thread:
    return parse(text, source="t.txt")


DOC = (
    " date 2023-05-06 What's new\n\nA title for this thread\n\nalice\n\nalice\n\n"
    "First line of the post.\n\nSecond paragraph.\n"
    f"{NBSP}\nbob\nSenior Member\nMay 7, 2023 #2\nalice said:\nFirst line of the post.\n"
    "Click to expand...\nA reply.\nA reply.\n"
)


def test_checker_accepts_a_faithful_parse() -> None:
    assert unaccounted(DOC, _thread(DOC)) == []


def test_checker_notices_a_dropped_paragraph() -> None:
    thread = _thread(DOC)
    article = dataclasses.replace(thread.article, blocks=thread.article.blocks[:-1])
    assert unaccounted(DOC, dataclasses.replace(thread, article=article)) == ["Second paragraph."]


def test_checker_counts_repeated_body_lines() -> None:
    thread = _thread(DOC)
    reply = thread.replies[0]
    assert reply.blocks[-1] == Paragraph("A reply.\nA reply.")
    shorter = dataclasses.replace(reply, blocks=(*reply.blocks[:-1], Paragraph("A reply.")))
    assert unaccounted(DOC, dataclasses.replace(thread, replies=(shorter,))) == ["A reply."]


def test_checker_notices_dropped_chrome_and_header_fields() -> None:
    thread = _thread(DOC)
    reply: Post = dataclasses.replace(thread.replies[0], author=None)
    lost = unaccounted(DOC, dataclasses.replace(thread, site_chrome=(), replies=(reply,)))
    assert lost == ["What's new", "bob", "Senior Member", "May 7, 2023 #2"]


@pytest.mark.parametrize("c", "\x1c\x1d\x1e\x1f\x85", ids=lambda c: f"U+{ord(c):04X}")
def test_checker_takes_a_control_beside_syntax_as_content(c: str) -> None:
    """The checker's patterns mean the reader's WHITESPACE, not Python's "\\s"."""
    doc = f"# {c} the\n\nalice\n\nalice\n\nX{c} said:\nq\nClick to expand...\nr\n"
    thread = _thread(doc)
    assert thread.title == f"{c} the"
    assert unaccounted(doc, thread) == []
    wrong = dataclasses.replace(thread, title="the")
    assert unaccounted(doc, wrong) == [f"# {c} the"]


def test_checker_gives_no_credit_for_a_date_with_a_control_in_it() -> None:
    doc = "Title line here\n\nalice\n\nalice\n\nMay\x854, 2023\n"
    thread = Thread(
        title="Title line here", article=Post(number=1, author="alice", date="2023-05-04")
    )
    assert unaccounted(doc, thread) == ["May\x854, 2023"]


def test_checker_gives_no_credit_for_a_date_nobody_holds() -> None:
    doc = "Title line here\n\nMay 4, 2023\n"
    thread = Thread(title="Title line here", article=Post(number=1))
    assert unaccounted(doc, thread) == ["May 4, 2023"]


# ------------------------------------------------------------------ real files

SAMPLES = sample_paths()
REAL = realdata_text_paths()


@pytest.mark.parametrize("path", SAMPLES, ids=[p.name for p in SAMPLES])
def test_samples_lose_nothing(path: Path) -> None:
    _check_file(path)


def test_seed_loses_nothing() -> None:
    if not SEED.is_file():
        pytest.skip("seed not present")
    _check_file(SEED)


@pytest.mark.skipif(not REAL, reason="realdata text dumps not present")
@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_real_text_dumps_lose_nothing(path: Path) -> None:
    _check_file(path)


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dumps())
def test_generated_dumps_lose_nothing(text: str) -> None:
    thread = parse(text, source="gen.txt")
    assert unaccounted(text, thread) == []


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_parse_never_raises_on_any_text(text: str) -> None:
    thread = parse(text, source="any.txt")
    assert isinstance(thread, Thread)
    assert unaccounted(text, thread) == []


@settings(max_examples=300, deadline=None)
@given(st.binary())
# A random CI run of test_fuzz's dump bytes: the accounting's own "\s" took the NEL.
@example(b"# \xc2\x85 the\n\nalice\n\nalice\n")
def test_parse_bytes_raises_only_parse_error_and_loses_nothing(data: bytes) -> None:
    try:
        thread = parse_bytes(data, source="any.bin")
    except ParseError as exc:
        assert str(exc)
    else:
        assert isinstance(thread, Thread)
        if thread.format == "text-dump":
            assert unaccounted(decode(data).text, thread) == []
