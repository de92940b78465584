"""Search: queries, the searchable fields of a thread, and finding every match.

Textual-free, like the model and the parsers: the reader, the folder search and
``threadtui search`` all search through here.
"""

from threadtui.search.fields import ARTICLE
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
