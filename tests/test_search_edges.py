"""ThreadIndex at its edges: matches that reach a field separator, fields that NFC
changed, and regex features that look past the text they match.
"""

from __future__ import annotations

import pytest

from threadtui.search import QueryError, compile_query
from threadtui.search.query import nfc_view


def test_a_reverse_pattern_is_a_query_error() -> None:
    # (?r) finds matches from the end backwards: neither steps nor counts can use that.
    for pattern in ("(?r)ab", "a(?r:b)"):
        with pytest.raises(QueryError, match="reverse"):
            compile_query(pattern, is_regex=True)


def test_original_span_never_leaves_the_text() -> None:
    view = nfc_view("cafe\u0301!")
    assert view.text == "café!"
    assert view.original_span(2, 4) == (2, 5)
    # Past the end of the normalised text: clamped to the original's end, not an IndexError.
    assert view.original_span(3, 9) == (3, 6)
    assert view.original_span(7, 9) == (6, 6)
    assert view.original_span(-1, 1) == (0, 1)
