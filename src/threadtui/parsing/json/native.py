"""Our own "threadtui/1" JSON, so that ``threadtui parse`` output reads back losslessly.

Python's ``json`` module recurses once per nesting level, so a thread holding
100,000 levels of quoting (a hostile file can) would stop it with a
``RecursionError``. :func:`dumps` and :func:`parse` fall back to encoders
written with an explicit stack; ordinary threads still take the fast C path.
"""

from __future__ import annotations

import json
import math
import re
import sys
from json.decoder import JSONDecodeError, JSONDecoder
from json.encoder import encode_basestring
from typing import Any

from threadtui.errors import ParseError
from threadtui.model import SCHEMA, SchemaError, Thread, thread_from_json, thread_to_json
from threadtui.parsing.json.fields import load


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Read a "threadtui/1" document (one JSON object; JSON Lines takes the first line).

    Raises:
        ParseError: for broken JSON (worded as every JSON reader words it) or a document
            that is not "threadtui/1".
    """
    try:
        data = load(text)
    except ParseError as error:
        # `threadtui parse a b > all.jsonl` writes several documents; read the first.
        first = text.lstrip().split("\n", 1)[0]
        try:
            data = loads(first)
        except ValueError:  # JSONDecodeError is one
            raise error from None
    try:
        return thread_from_json(data)
    except SchemaError as exc:
        raise ParseError(f"not a valid {SCHEMA} document: {exc}") from None


def dumps(thread: Thread, indent: int | None = None) -> str:
    """``thread`` as one "threadtui/1" document (what ``threadtui parse`` prints), at any depth."""
    return dumps_data(thread_to_json(thread), indent)


def dumps_data(data: Any, indent: int | None = None) -> str:
    """``json.dumps(data, ensure_ascii=False, indent=indent)``, without a nesting limit."""
    try:
        return json.dumps(data, ensure_ascii=False, indent=indent)
    except RecursionError:
        return encode_deep(data, indent)


def loads(text: str) -> Any:
    """``json.loads(text)``, without a nesting limit.

    Raises:
        JSONDecodeError: as ``json.loads`` does.
    """
    try:
        return json.loads(text)
    except RecursionError:
        return decode_deep(text)


# --------------------------------------------------------------------------- encoding

#: Deeper levels are indented as this one (see :func:`encode_deep`).
MAX_INDENT_DEPTH = 32


def encode_deep(data: Any, indent: int | None = None) -> str:
    """The text ``json.dumps(data, ensure_ascii=False, indent=indent)`` gives, built iteratively.

    Handles what the schema holds: dicts with string keys, lists, strings,
    numbers, booleans and None. Indentation stops growing at
    :data:`MAX_INDENT_DEPTH` levels: pretty-printing 100,000 levels in full
    would take 10 GB of spaces.
    """
    item_sep = ", " if indent is None else ","
    out: list[str] = []
    # A work item is raw text to emit (str) or a value to encode at a depth (tuple).
    stack: list[str | tuple[Any, int]] = [(data, 0)]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            out.append(item)
            continue
        value, depth = item
        if isinstance(value, dict):
            if not value:
                out.append("{}")
                continue
            members = [(encode_basestring(_key(k)) + ": ", v) for k, v in value.items()]
            _push_container(stack, out, "{", "}", members, depth, indent, item_sep)
        elif isinstance(value, list | tuple):
            if not value:
                out.append("[]")
                continue
            _push_container(stack, out, "[", "]", [("", v) for v in value], depth, indent, item_sep)
        else:
            out.append(_scalar(value))
    return "".join(out)


def _push_container(
    stack: list[str | tuple[Any, int]],
    out: list[str],
    opener: str,
    closer: str,
    members: list[tuple[str, Any]],
    depth: int,
    indent: int | None,
    item_sep: str,
) -> None:
    if indent is None:
        first_sep, sep, last = "", item_sep, closer
    else:
        inner = "\n" + " " * (indent * min(depth + 1, MAX_INDENT_DEPTH))
        outer = "\n" + " " * (indent * min(depth, MAX_INDENT_DEPTH))
        first_sep, sep, last = inner, item_sep + inner, outer + closer
    out.append(opener)
    stack.append(last)
    for index in range(len(members) - 1, -1, -1):
        prefix, child = members[index]
        stack.append((child, depth + 1))
        stack.append((first_sep if index == 0 else sep) + prefix)


def _key(key: Any) -> str:
    if isinstance(key, str):
        return key
    raise TypeError(f"keys must be str, not {type(key).__name__}")


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return encode_basestring(value)
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "NaN"
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


# --------------------------------------------------------------------------- decoding

_WS = re.compile(r"[ \t\n\r]*")
#: Python 3.13 names a trailing comma ("[1,]"); older versions name what should follow it.
_NAMES_TRAILING_COMMA = sys.version_info >= (3, 13)
#: Reads the JSON string at a position: ``raw_decode`` hands it to the C ``scanstring``
#: (which the type stubs do not declare), with the same errors.
_read_string = JSONDecoder().raw_decode
_WS_CHARS = " \t\n\r"
_NUMBER = re.compile(r"(-?(?:0|[1-9]\d*))(\.\d+)?([eE][-+]?\d+)?")
_CONSTANTS: dict[str, Any] = {
    "null": None,
    "true": True,
    "false": False,
    "NaN": math.nan,
    "Infinity": math.inf,
    "-Infinity": -math.inf,
}


def decode_deep(text: str) -> Any:
    """``json.loads(text)`` with an explicit stack instead of recursion.

    Raises:
        JSONDecodeError: with the same kind of message as ``json.loads``.
    """
    containers: list[list[Any] | dict[str, Any]] = []
    keys: list[str] = []
    end = len(text)
    pos = _skip(text, 0)
    while True:
        # Read one value at pos; an opening bracket pushes and reads its first member.
        char = text[pos : pos + 1]
        value: Any
        if char == "{":
            pos = _skip(text, pos + 1)
            if text.startswith("}", pos):
                value, pos = {}, pos + 1
            else:
                key, pos = _member_key(text, pos)
                containers.append({})
                keys.append(key)
                continue
        elif char == "[":
            pos = _skip(text, pos + 1)
            if text.startswith("]", pos):
                value, pos = [], pos + 1
            else:
                containers.append([])
                keys.append("")
                continue
        elif char == '"':
            value, pos = _read_string(text, pos)
        else:
            value, pos = _number_or_constant(text, pos)
        # Hand the value to its container; close every container that ends here.
        while True:
            pos = _skip(text, pos)
            if not containers:
                if pos != end:
                    raise JSONDecodeError("Extra data", text, pos)
                return value
            parent = containers[-1]
            if isinstance(parent, list):
                parent.append(value)
            else:
                parent[keys[-1]] = value
            char = text[pos : pos + 1]
            if char == ",":
                pos = _after_comma(text, pos, isinstance(parent, list))
                if isinstance(parent, dict):
                    keys[-1], pos = _member_key(text, pos)
                break
            if char != ("]" if isinstance(parent, list) else "}"):
                raise JSONDecodeError("Expecting ',' delimiter", text, pos)
            value = containers.pop()
            keys.pop()
            pos += 1


def _skip(text: str, pos: int) -> int:
    if text[pos : pos + 1] not in _WS_CHARS:
        return pos  # the common case: no white space here (the slice is "" at the end)
    match = _WS.match(text, pos)
    return match.end() if match is not None else pos  # it always matches


def _after_comma(text: str, comma: int, in_array: bool) -> int:
    """Where the member after a comma starts; a trailing comma is named as ``json`` names it."""
    pos = _skip(text, comma + 1)
    if _NAMES_TRAILING_COMMA and text.startswith("]" if in_array else "}", pos):
        kind = "array" if in_array else "object"
        raise JSONDecodeError(f"Illegal trailing comma before end of {kind}", text, comma)
    return pos


def _member_key(text: str, pos: int) -> tuple[str, int]:
    if not text.startswith('"', pos):
        raise JSONDecodeError("Expecting property name enclosed in double quotes", text, pos)
    key, pos = _read_string(text, pos)
    pos = _skip(text, pos)
    if not text.startswith(":", pos):
        raise JSONDecodeError("Expecting ':' delimiter", text, pos)
    return key, _skip(text, pos + 1)


def _number_or_constant(text: str, pos: int) -> tuple[Any, int]:
    for word, constant in _CONSTANTS.items():
        if text.startswith(word, pos):
            return constant, pos + len(word)
    match = _NUMBER.match(text, pos)
    if match is None:
        raise JSONDecodeError("Expecting value", text, pos)
    integer, fraction, exponent = match.groups()
    if fraction or exponent:
        return float(integer + (fraction or "") + (exponent or "")), match.end()
    return int(integer), match.end()
