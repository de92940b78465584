"""Our own "threadtui/1" JSON, so that ``threadtui parse`` output reads back losslessly."""

from __future__ import annotations

import json

from threadtui.model import SCHEMA, SchemaError, Thread, thread_from_json
from threadtui.parsing.errors import ParseError

FORMAT = "threadtui-json"


def sniff(text: str) -> bool:
    """A JSON object that names our schema near its start."""
    head = text[:4096].lstrip()
    return head.startswith("{") and f'"schema": "{SCHEMA}"' in head.replace('":"', '": "')


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Read a "threadtui/1" document (one JSON object; JSON Lines takes the first line)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        # `threadtui parse a b > all.jsonl` writes several documents; read the first.
        first = text.lstrip().split("\n", 1)[0]
        try:
            data = json.loads(first)
        except json.JSONDecodeError:
            raise ParseError(f"invalid JSON: {exc.msg} at line {exc.lineno}") from None
    except RecursionError:
        raise ParseError("invalid JSON: nested too deeply") from None
    try:
        return thread_from_json(data)
    except SchemaError as exc:
        raise ParseError(f"not a valid {SCHEMA} document: {exc}") from None
