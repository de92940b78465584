"""Format registry: sniff a file's format from its content and hand it to the right parser.

Parsers are plain functions ``parse(text, *, source, encoding) -> Thread``; a
format registers a ``sniff(text) -> bool`` too. The plain-text dump is the
fallback, since a dump can start with almost anything.
"""

from __future__ import annotations

import os
import stat as _stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from threadtui.model import Thread
from threadtui.parsing import text_dump, threadtui_json
from threadtui.parsing.decode import Decoded, decode
from threadtui.parsing.errors import ParseError

__all__ = ["FORMATS", "MAX_BYTES", "Format", "ParseError", "parse_bytes", "parse_path", "sniff"]

#: Larger files are refused with a clear message instead of filling memory:
#: a thread dump this size is almost surely something else.
MAX_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Format:
    """One registered input format."""

    name: str
    sniff: Callable[[str], bool]
    parse: Callable[..., Thread]


FORMATS: list[Format] = [
    Format(threadtui_json.FORMAT, threadtui_json.sniff, threadtui_json.parse),
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
    decoded: Decoded = decode(data)
    fmt = sniff(decoded.text)
    try:
        return fmt.parse(decoded.text, source=source, encoding=decoded.encoding)
    except ParseError:
        raise
    except RecursionError:
        raise ParseError("structure nested too deeply to read") from None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, read-only, refusing non-regular files and huge ones.

    Raises:
        ParseError: with the user-facing reason (missing, permission, FIFO, size).
    """
    p = Path(path)
    try:
        st = p.stat()
    except OSError as exc:
        raise _os_error(exc, missing="no such file") from None

    if _stat.S_ISDIR(st.st_mode):
        raise ParseError("is a folder")
    if not _stat.S_ISREG(st.st_mode):
        # Opening a FIFO would block forever; devices and sockets are not threads.
        raise ParseError("not a regular file")
    if st.st_size > MAX_BYTES:
        raise ParseError(
            f"file too large ({st.st_size / 2**20:,.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB)"
        )
    try:
        with open(p, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except OSError as exc:
        raise _os_error(exc, missing="file vanished while being read") from None


def _os_error(exc: OSError, *, missing: str) -> ParseError:
    """The user-facing cause for an OS error on a thread file."""
    if isinstance(exc, FileNotFoundError):
        return ParseError(missing)
    if isinstance(exc, PermissionError):
        return ParseError("permission denied")
    return ParseError(exc.strerror or str(exc))


def parse_path(path: str | os.PathLike[str]) -> Thread:
    """Read and parse one file.

    Raises:
        ParseError: with the user-facing reason.
    """
    return parse_bytes(read_bytes(path), source=os.fsdecode(path))
