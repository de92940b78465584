"""Big dumps read while they are parsed: UTF-8 chunk by chunk, never all the text at once."""

from __future__ import annotations

import codecs
import os
from collections.abc import Iterator
from typing import BinaryIO

from threadtui.errors import ParseError
from threadtui.files import MAX_BYTES, open_regular, source_name
from threadtui.model import Thread
from threadtui.parsing.common.lines import normal_newlines
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump.segments import (
    Streamed,
    metadata_line,
    separator_lines,
    stream_segments,
)
from threadtui.parsing.text_dump.walker import FORMAT, build_thread, no_gc, parse

#: Files from this size are read in chunks by :func:`parse_file`.
STREAM_MIN_BYTES = 1 << 20
_CHUNK_BYTES = 1 << 20
#: Without a separator line this early on, a file is left to :func:`parse`.
_PROBE_CHARS = 4 << 20
#: What :func:`threadtui.parsing.common.decode.decode` looks at before it decodes UTF-8.
_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
_SNIFF_BYTES = 64 * 1024


def parse_file(path: str | os.PathLike[str], *, source: str | None = None) -> Thread | None:
    """Parse a large UTF-8 text dump while reading it, never holding all its text.

    Peak memory is the thread being built plus about a megabyte, instead of
    the file's bytes, its text and the thread at once (for a 30 MB dump,
    about 60 MB less). Gives the same thread as ``parse_bytes(data)`` would.

    Returns None, having built nothing that is kept, whenever the general
    path has to decide: the file cannot be opened or read, is not a regular
    file, is over :data:`threadtui.files.MAX_BYTES`, has a byte-order mark,
    holds NUL bytes early on or any byte sequence that is not UTF-8, is
    blank, is another format (threadtui JSON), or has no separator line in
    its first few megabytes. Callers then use ``parse_path``, which reports
    every error the usual way.
    """
    source = source_name(path) if source is None else source
    try:
        fd, _ = open_regular(path)
    except ParseError:
        return None  # the general path reports it
    try:
        with os.fdopen(fd, "rb", closefd=False) as handle:
            return _parse_chunks(_utf8_chunks(handle, MAX_BYTES), source)
    except (OSError, _NotPlainUtf8):
        return None
    finally:
        os.close(fd)


def _parse_chunks(chunks: Iterator[str], source: str) -> Thread | None:
    """The thread of a dump's text, chunk by chunk (see :func:`parse_file`)."""
    from threadtui.parsing import sniff

    buf = next(chunks, "")
    if not buf or sniff(buf).name != FORMAT:
        return None
    while not separator_lines(buf, 0, buf.rfind("\n") + 1):
        more = next(chunks, None)
        if more is None:  # the whole (small) text is here
            return parse(buf, source=source)
        if len(buf) > _PROBE_CHARS:
            return None  # a dump without separators: its posts are found over all its lines
        buf += more
    with no_gc():
        chrome = SiteChrome()
        capture_date, start, first_line = metadata_line(buf, chrome)
        segments = Streamed(stream_segments(buf, start, first_line, chunks))
        del buf
        return build_thread(segments, chrome, capture_date, source=source, encoding="utf-8")


class _NotPlainUtf8(Exception):
    """The bytes are not what :func:`threadtui.parsing.common.decode.decode` would read
    as plain UTF-8."""


def _utf8_chunks(handle: BinaryIO, max_bytes: int) -> Iterator[str]:
    """The file's text, chunk by chunk, with every line end turned into ``\\n``.

    Raises:
        _NotPlainUtf8: where ``decode`` would not simply decode UTF-8 (a
            byte-order mark, early NUL bytes, a bad sequence, only blanks).
    """
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    # The first read covers what decode() sniffs: the byte-order mark and NULs early on.
    data = handle.read(max(_CHUNK_BYTES, _SNIFF_BYTES))
    if data.startswith(_BOMS) or b"\x00" in data[:_SNIFF_BYTES]:
        raise _NotPlainUtf8
    total = 0
    blank = True
    carry = ""  # a chunk's final CR, until we know whether LF follows
    while data:
        total += len(data)
        if total > max_bytes:
            raise _NotPlainUtf8
        blank = blank and not data.strip(b" \t\r\n")
        try:
            text = carry + decoder.decode(data)
        except UnicodeDecodeError:
            raise _NotPlainUtf8 from None
        carry = ""
        if text.endswith("\r"):
            text, carry = text[:-1], "\r"
        text = normal_newlines(text)
        if text:
            yield text
        data = handle.read(_CHUNK_BYTES)
    try:
        text = carry + decoder.decode(b"", final=True)
    except UnicodeDecodeError:  # the file ends inside a character
        raise _NotPlainUtf8 from None
    if blank:
        raise _NotPlainUtf8
    if text:
        yield text.replace("\r", "\n")
