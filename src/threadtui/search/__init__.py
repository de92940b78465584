"""Search: queries, the searchable fields of a thread, and finding every match.

Textual-free, like the model and the parsers: the reader, the folder search and
``threadtui search`` all search through here.

The names below load with their module on first use (PEP 562), not with the
package: the reader's first screen needs ``ARTICLE`` but no query, index or
highlighter, and those cost ~10 ms to import before it.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from threadtui.search.fields import ARTICLE

if TYPE_CHECKING:
    from threadtui.search.query import Query, QueryError, compile_query, find_spans
    from threadtui.search.thread_index import Hit, SearchResult, ThreadIndex

__all__ = [
    "ARTICLE",
    "Hit",
    "Query",
    "QueryError",
    "SearchResult",
    "ThreadIndex",
    "compile_query",
    "find_spans",
]

_LAZY = {
    "Hit": "threadtui.search.thread_index",
    "Query": "threadtui.search.query",
    "QueryError": "threadtui.search.query",
    "SearchResult": "threadtui.search.thread_index",
    "ThreadIndex": "threadtui.search.thread_index",
    "compile_query": "threadtui.search.query",
    "find_spans": "threadtui.search.query",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # found directly from now on
    return value
