"""Format registry: sniff a file's format from its content and hand it to the right parser.

Parsers are plain functions ``parse(text, *, source, encoding) -> Thread``; a
format registers a ``sniff(text) -> bool`` too. The plain-text dump is the
fallback, since a dump can start with almost anything.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from threadtui.errors import TOO_DEEP, ParseError
from threadtui.files import read_bytes, source_name
from threadtui.model import SCHEMA, Thread
from threadtui.parsing import text_dump
from threadtui.parsing.common.decode import Decoded, decode

__all__ = [
    "FORMATS",
    "Format",
    "ParseError",
    "parse_bytes",
    "parse_decoded",
    "parse_path",
    "sniff",
]


@dataclass(frozen=True, slots=True)
class Format:
    """One registered input format."""

    name: str
    sniff: Callable[[str], bool]
    parse: Callable[..., Thread]


JSON_FORMAT = "threadtui-json"


def sniff_json(text: str) -> bool:
    """A JSON object that names our schema near its start (a threadtui/1 document)."""
    head = text[:4096].lstrip()
    return head.startswith("{") and f'"schema": "{SCHEMA}"' in head.replace('":"', '": "')


def _parse_json(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    # The JSON reader (and the json module under it) loads with the first JSON file:
    # opening a folder of text dumps never needs it.
    from threadtui.parsing.json import native as threadtui_json

    return threadtui_json.parse(text, source=source, encoding=encoding)


def _looks_like_json(text: str) -> bool:
    return text[:256].lstrip("\ufeff \t\r\n")[:1] in ("{", "[")


def _looks_like_mbox(text: str) -> bool:
    return text[:256].lstrip("\ufeff \t\r\n").startswith("From ")


def _lazy_format(name: str, module: str, looks_like: Callable[[str], bool]) -> Format:
    """A format whose module loads only for a file that ``looks_like`` it.

    A folder of text dumps (and the reader's first screen) never imports the JSON,
    HTML or e-mail readers: the cheap first-character test says no before them.
    """

    def sniff(text: str) -> bool:
        return looks_like(text) and import_module(module).sniff(text)

    def parse(text: str, **kwargs: str) -> Thread:
        parser: Callable[..., Thread] = import_module(module).parse
        return parser(text, **kwargs)

    return Format(name, sniff, parse)


FORMATS: list[Format] = [
    Format(JSON_FORMAT, sniff_json, _parse_json),
    _lazy_format("forum-json", "threadtui.parsing.json.forum", _looks_like_json),
    _lazy_format("reddit-json", "threadtui.parsing.json.reddit", _looks_like_json),
    _lazy_format("hn-json", "threadtui.parsing.json.hn", _looks_like_json),
    _lazy_format("discourse-json", "threadtui.parsing.json.discourse", _looks_like_json),
    _lazy_format("mbox", "threadtui.parsing.mail.mbox", _looks_like_mbox),
    Format(text_dump.FORMAT, lambda _text: True, text_dump.parse),
]


def sniff(text: str) -> Format:
    """The first registered format whose sniffer accepts the text."""
    return next(fmt for fmt in FORMATS if fmt.sniff(text))


def parse_bytes(data: bytes, source: str = "") -> Thread:
    """Decode and parse a file's content.

    Raises:
        ParseError: when the bytes are not a readable thread.
    """
    return parse_decoded(decode(data), source=source)


def parse_decoded(decoded: Decoded, source: str = "") -> Thread:
    """Parse a file's content already decoded (what :func:`parse_bytes` does after decoding).

    Raises:
        ParseError: when the text is not a readable thread.
    """
    fmt = sniff(decoded.text)
    try:
        return fmt.parse(decoded.text, source=source, encoding=decoded.encoding)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError(TOO_DEEP) from None


def parse_path(path: str | os.PathLike[str]) -> Thread:
    """Read and parse one file.

    Raises:
        ParseError: with the user-facing reason.
    """
    return parse_bytes(read_bytes(path), source=source_name(path))
