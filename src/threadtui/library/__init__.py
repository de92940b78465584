"""The library: the thread files under a user's folders, their list rows, and a cache.

Textual-free. Files are opened read-only and never locked (through
:mod:`threadtui.files`); :func:`scan` yields the rows in time-boxed batches, and
:class:`ThreadCache` keeps recently parsed threads while their files are unchanged.
"""

from __future__ import annotations

from threadtui.library.cache import ThreadCache
from threadtui.library.folders import THREAD_SUFFIXES, discover
from threadtui.library.summary import (
    CACHE_MIN_BYTES,
    SORT_KEYS,
    ThreadSummary,
    read_thread,
    scan,
    sort_summaries,
    summarize,
    summary_of,
)

__all__ = [
    "CACHE_MIN_BYTES",
    "SORT_KEYS",
    "THREAD_SUFFIXES",
    "ThreadCache",
    "ThreadSummary",
    "discover",
    "read_thread",
    "scan",
    "sort_summaries",
    "summarize",
    "summary_of",
]
