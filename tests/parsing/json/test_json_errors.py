"""Broken JSON: one ParseError line, worded alike by every JSON reader on every Python."""

from __future__ import annotations

import json

import pytest

from threadtui.errors import ParseError
from threadtui.model import Post, Thread
from threadtui.parsing import parse_bytes
from threadtui.parsing.json import native
from threadtui.parsing.json.fields import _decode_error, load

OURS = '{"schema": "threadtui/1", '
FORUM = '{"format_version": "xenforo-2-thread", '
HUGE = "9" * 5000  # more digits than Python turns into an int


@pytest.mark.parametrize("head", [OURS, FORUM, '{"post_stream": {"posts": []}, '])
@pytest.mark.parametrize(
    ("tail", "message"),
    [
        # Python 3.13 says "Illegal trailing comma ..." at the comma (line 1); the readers
        # keep the wording and the line of 3.11 and 3.12: what was expected, at the bracket.
        ('"title": "x",\n}', "Expecting property name enclosed in double quotes at line 2"),
        ('"posts": [1,\n\n ]}', "Expecting value at line 3"),
        ('"title": "x\x01"}', "Invalid control character at line 1"),  # not "at at"
        ('"title": ', "Expecting value at line 1"),
    ],
)
def test_broken_json_is_worded_alike_everywhere(head: str, tail: str, message: str) -> None:
    with pytest.raises(ParseError) as info:
        parse_bytes((head + tail).encode())
    assert str(info.value) == f"invalid JSON: {message}"


@pytest.mark.parametrize(
    ("msg", "doc", "pos", "worded"),
    [
        ("Illegal trailing comma before end of array", "[1,\n ]", 2, "Expecting value at line 2"),
        (
            "Illegal trailing comma before end of object",
            '{"a": 1 ,}',
            8,
            "Expecting property name enclosed in double quotes at line 1",
        ),
        ("Expecting ',' delimiter", "[1\n2]", 3, "Expecting ',' delimiter at line 2"),
    ],
)
def test_the_newer_wording_reads_as_the_older(msg: str, doc: str, pos: int, worded: str) -> None:
    """Python 3.13's trailing-comma errors, made by hand so every version tests them."""
    assert _decode_error(json.JSONDecodeError(msg, doc, pos)) == worded


def test_an_integer_too_long_for_python_is_a_parse_error_in_our_json() -> None:
    with pytest.raises(ParseError) as info:
        parse_bytes(f'{OURS}"title": "x", "n": {HUGE}}}'.encode())
    assert str(info.value).startswith("invalid JSON: Exceeds the limit")
    assert "\n" not in str(info.value)


def test_json_lines_read_the_first_document_whatever_follows() -> None:
    first = native.dumps(Thread(title="first", article=Post(1)))
    for rest in ('{"title": ', f'{{"n": {HUGE}}}'):
        assert parse_bytes(f"{first}\n{rest}\n".encode()).title == "first"


def test_deep_broken_json_is_worded_as_shallow() -> None:
    """Past json's recursion limit the explicit-stack decoder answers, in the same words."""
    deep = "[" * 100_000
    for tail, message in (
        ("1,]", "Expecting value at line 1"),
        ("1\n}", "Expecting ',' delimiter at line 2"),
    ):
        with pytest.raises(ParseError) as info:
            load(deep + tail)
        assert str(info.value) == f"invalid JSON: {message}"
