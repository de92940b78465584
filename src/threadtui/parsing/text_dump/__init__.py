"""The plain-text forum dump reader (the seed's format and its relatives).

The dump is a web page flattened to text by a crawler. It is read in one walk
over its segments, linear in the number of lines:

1. :mod:`.segments` cuts it into segments: the thread head, then one per post,
   on the no-break-space separator lines or, when a tool has flattened those
   away, on post-header markers (:mod:`.stream` does it while reading a big file);
2. :mod:`.head` reads each segment's *head*, the lines before the body that
   name the author, rank, date and post number (and, for the opening post, the
   title and byline), with the ordered table of rules in :mod:`.head_rules`;
3. :mod:`.body` reads the *body* into blocks: paragraphs, quotes (with a stack,
   never recursion), attachments and links.

:mod:`.walker` is the walk, in three modes: build the thread (:func:`parse`,
:func:`parse_file`), count its replies (:func:`summarize`), or build only the
posts a search wants (:func:`search_view`); :mod:`.quick` holds the quick looks
that let the last two skip segments.

Nothing is dropped: a line that is neither body nor a structured field goes
to the thread's ``site_chrome`` list.
"""

from __future__ import annotations

from threadtui.parsing.common.lines import split_lines
from threadtui.parsing.text_dump.stream import STREAM_MIN_BYTES, parse_file
from threadtui.parsing.text_dump.walker import (
    FORMAT,
    SearchView,
    parse,
    search_view,
    summarize,
)

__all__ = [
    "FORMAT",
    "STREAM_MIN_BYTES",
    "SearchView",
    "parse",
    "parse_file",
    "search_view",
    "split_lines",
    "summarize",
]
