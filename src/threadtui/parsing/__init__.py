"""Format registry: sniff a file's format from its content and hand it to the right parser.

Parsers are plain functions ``parse(text, *, source, encoding) -> Thread``; a
format registers a ``sniff(text) -> bool`` too. The plain-text dump is the
fallback, since a dump can start with almost anything.
"""

from __future__ import annotations

import errno
import os
import stat as _stat
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module

from threadtui.model import SCHEMA, Thread
from threadtui.parsing import text_dump
from threadtui.parsing.decode import Decoded, decode
from threadtui.parsing.errors import ParseError

__all__ = [
    "FORMATS",
    "MAX_BYTES",
    "Format",
    "ParseError",
    "parse_bytes",
    "parse_decoded",
    "parse_path",
    "read_bytes",
    "sniff",
    "source_name",
]

#: Larger files are refused with a clear message instead of filling memory:
#: a thread dump this size is almost surely something else.
MAX_BYTES = 256 * 1024 * 1024


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
    from threadtui.parsing import threadtui_json

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
        return import_module(module).parse(text, **kwargs)

    return Format(name, sniff, parse)


FORMATS: list[Format] = [
    Format(JSON_FORMAT, sniff_json, _parse_json),
    _lazy_format("forum-json", "threadtui.parsing.forum_json", _looks_like_json),
    _lazy_format("reddit-json", "threadtui.parsing.reddit_json", _looks_like_json),
    _lazy_format("hn-json", "threadtui.parsing.hn_json", _looks_like_json),
    _lazy_format("discourse-json", "threadtui.parsing.discourse_json", _looks_like_json),
    _lazy_format("mbox", "threadtui.parsing.mbox", _looks_like_mbox),
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
        raise ParseError("structure nested too deeply to read") from None


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """A file's bytes, read-only, refusing non-regular files and huge ones.

    Only a regular file is ever opened (a FIFO would block, a device could
    act on being opened), and the open is checked again on the descriptor,
    so a file swapped for something else between the two is still refused.

    Raises:
        ParseError: with the user-facing reason (missing, permission, FIFO, size).
    """
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _os_error(exc, missing="no such file") from None
    _check_kind(st)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise _os_error(exc, missing="file vanished while being read") from None
    try:
        expected = os.fstat(fd)
        _check_kind(expected)
        data = _read_all(fd, expected.st_size)
    except OSError as exc:
        raise _os_error(exc, missing="file vanished while being read") from None
    finally:
        os.close(fd)
    if len(data) > MAX_BYTES:
        raise ParseError(_too_large(len(data), grew=True))
    return data


def _read_all(fd: int, expected: int) -> bytes:
    """Read to the end: one call and one buffer when the file is as large as stat said."""
    first = os.read(fd, expected + 1)
    if len(first) == expected:
        return first
    # Shorter (truncated meanwhile, or a file system that reads in parts) or longer
    # (it is growing): read on, but never past the limit.
    chunks = [first]
    size = len(first)
    while size <= MAX_BYTES:
        chunk = os.read(fd, min(MAX_BYTES + 1 - size, _CHUNK))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


#: Read size: large enough that a 30 MB dump takes a handful of calls.
_CHUNK = 16 * 2**20


def _check_kind(st: os.stat_result) -> None:
    if _stat.S_ISDIR(st.st_mode):
        raise ParseError("is a folder")
    if not _stat.S_ISREG(st.st_mode):
        # Opening a FIFO would block forever; devices and sockets are not threads.
        raise ParseError("not a regular file")
    if st.st_size > MAX_BYTES:
        raise ParseError(_too_large(st.st_size))


def _too_large(size: int, *, grew: bool = False) -> str:
    what = "file grew too large while being read" if grew else "file too large"
    return f"{what} ({size / 2**20:,.0f} MiB; the limit is {MAX_BYTES // 2**20} MiB)"


#: OS errors a user meets on a folder of files, in words rather than strerror's.
_CAUSES = {
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.ELOOP: "symbolic link loop",
    errno.ENAMETOOLONG: "file name too long",
    errno.ENOTDIR: "no such file (a part of the path is not a folder)",
    errno.EIO: "input/output error (a failing disk or network file system)",
}


def _os_error(exc: OSError, *, missing: str) -> ParseError:
    """The user-facing cause for an OS error on a thread file."""
    if isinstance(exc, FileNotFoundError):
        return ParseError(missing)
    cause = _CAUSES.get(exc.errno or 0)
    if cause is None:
        text = exc.strerror or str(exc) or type(exc).__name__
        cause = text[:1].lower() + text[1:]
    return ParseError(cause)


def source_name(path: str | os.PathLike[str]) -> str:
    """``path`` as text that any UTF-8 stream can carry.

    A name that is not valid UTF-8 keeps its odd bytes as ``\\xff`` escapes
    (Python's surrogate escapes cannot be written to JSON or a strict stream).
    """
    name = os.fsdecode(path)
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(name).decode("utf-8", "backslashreplace")
    return name


def parse_path(path: str | os.PathLike[str]) -> Thread:
    """Read and parse one file.

    Raises:
        ParseError: with the user-facing reason.
    """
    return parse_bytes(read_bytes(path), source=source_name(path))
