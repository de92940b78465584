"""The reader's old private names, for tests outside tests/parsing that still use them.

tests/search/test_folder_search.py rebuilds the walk from these (``_reference_view``)
and tests/library/test_library_scan.py patches ``_is_a_post`` and ``_CHUNK_BYTES``.
They are not the package's API, and patching them here changes nothing the reader
does (it now lives in ``walker``, ``quick`` and ``stream``): those tests should move
to the modules' own names, and this module go.
"""

from __future__ import annotations

from collections.abc import Iterator

from threadtui.model import Block
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump import segments, walker
from threadtui.parsing.text_dump.body import read_body
from threadtui.parsing.text_dump.head import Head, read_head
from threadtui.parsing.text_dump.stream import _CHUNK_BYTES as _CHUNK_BYTES

_Chrome = SiteChrome
_metadata_line = segments.metadata_line
_segment_lines = segments.segment_lines
_separator_lines = segments.separator_lines


class _Head(Head):
    """A head to give :func:`_read_head`."""

    def __init__(self) -> None:
        super().__init__(SiteChrome(), None, False)


def _read_head(
    lines: list[str],
    pos: int,
    end: int,
    head: Head,
    chrome: SiteChrome,
    *,
    title: str | None,
    is_article: bool,
) -> int:
    head.chrome, head.thread_title, head.opening = chrome, title, is_article
    return read_head(head, lines[:end], pos)


def _read_body(lines: list[str], pos: int, end: int, chrome: SiteChrome) -> list[Block]:
    return read_body(lines[:end], pos, chrome)


def _read_article(
    lines_of_segments: Iterator[list[str]], chrome: SiteChrome
) -> tuple[str | None, Head, list[Block], list[str] | None]:
    """The title, the opening post's head and blocks; then the next segment, if any."""
    stream = segments.Streamed(lines_of_segments)
    walked = walker._read_opening(stream, chrome, walker.BUILD)
    return walked.title, walked.head, walked.blocks, stream.lines(walked.next_segment)


def _is_a_post(lines: list[str], chrome: SiteChrome, title: str | None) -> bool:
    """Does this reply segment become a post? (Read in full.)"""
    head = Head(chrome, title, False)
    pos = read_head(head, lines, 0)
    return bool(read_body(lines, pos, chrome)) or not head.is_empty()
