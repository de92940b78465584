"""ThreadIndex at its edges: matches that reach a field separator, fields that NFC
changed, and regex features that look past the text they match.

Every case here is held against the same per-field answer: the pattern run over each
field on its own (what the highlights draw). A hit must lie inside its field's text,
and nothing but QueryError/QueryTimeout may come out of ``search`` or ``hit``.
"""

from __future__ import annotations

import unicodedata
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.model import Paragraph, Post, Thread
from threadtui.search import ARTICLE, QueryError, ThreadIndex, compile_query, thread_index
from threadtui.search.fields import article_fields, reply_fields
from threadtui.search.query import Query, find_spans, nfc_view
from threadtui.search.thread_index import Hit


def _thread(article: list[str], replies: list[list[str]] = ()) -> Thread:  # type: ignore[assignment]
    return Thread(
        title=article[0] if article else "",
        article=Post(number=1, blocks=tuple(Paragraph(p) for p in article[1:])),
        replies=tuple(
            Post(number=n + 2, blocks=tuple(Paragraph(p) for p in body))
            for n, body in enumerate(replies)
        ),
    )


def _fields(thread: Thread) -> list[tuple[int, int, str]]:
    """(location, field number, text) of every field, as the reader draws them."""
    out = [(ARTICLE, n, text) for n, text in enumerate(article_fields(thread))]
    for r, post in enumerate(thread.replies):
        out.extend((r, n, text) for n, text in enumerate(reply_fields(post)))
    return out


def _expected_hits(thread: Thread, query: Query) -> list[Hit]:
    """What the highlights draw: each field searched on its own."""
    return [
        Hit(location, number, start, end)
        for location, number, text in _fields(thread)
        for start, end in find_spans(query, text)
    ]


def _independent_count(thread: Thread, query: Query) -> int:
    """The pattern over each field's NFC form, with no offset mapping at all."""
    return sum(
        1
        for _, _, text in _fields(thread)
        for m in query.pattern.finditer(unicodedata.normalize("NFC", text))
        if m.end() > m.start()
    )


def _hits(thread: Thread, query: Query) -> list[Hit]:
    result = ThreadIndex(thread).search(query)
    assert result is not None
    hits = [result.hit(k) for k in range(len(result))]
    texts = {(location, number): text for location, number, text in _fields(thread)}
    for hit in hits:
        # Inside the field's own (original, not normalised) text, and not empty.
        assert 0 <= hit.start < hit.end <= len(texts[hit.location, hit.field]), hit
    assert len(result) == _independent_count(thread, query)
    return hits


# ----------------------------------------------------------------------------- reported


@pytest.mark.parametrize(
    "pattern", [r"(?:café.){e<=2}", r"(?:é\n){e<=1}", r"(?:e\n){e<=2}", r"é(?s:.){e<=1}"]
)
def test_a_fuzzy_match_past_a_normalised_field_stays_in_it(pattern: str) -> None:
    # "e\u0301" is one character after NFC: the field's offset map is shorter than its text.
    thread = _thread(["cafe\u0301", "x"], [["cafe\u0301"], ["e\u0301 e\u0301\nzz"]])
    query = compile_query(pattern, is_regex=True)
    assert _hits(thread, query) == _expected_hits(thread, query)


@pytest.mark.parametrize("needle", ["\x00", "\n", "é\n", "\nx", "b\n", "\n\x00\n", "a\x00b"])
def test_a_plain_query_with_nul_or_a_line_break_matches_only_inside_fields(needle: str) -> None:
    thread = _thread(["ab", "cafe\u0301", "x"], [["b\nx"], ["é\nx", "\n"]])
    query = compile_query(needle)
    assert _hits(thread, query) == _expected_hits(thread, query)


@pytest.mark.parametrize(
    "pattern",
    [
        r"(?<=\n)x",  # the separator's line break is not a field's
        r"b(?=\n)",
        r"(?<![\s\S])x",  # a field start has nothing before it
        r"b(?![\s\S])",
        r"\Ax",
        r"b\Z",
        r"\n\Kx",
        r"(?-m:b$)",
        r"\Gx",
        r"(?(?=x)x|b)",
    ],
)
def test_a_pattern_that_looks_past_its_match_sees_only_its_field(pattern: str) -> None:
    thread = _thread(["ab", "x"], [["b\nx", "xb"], ["x"]])
    query = compile_query(pattern, is_regex=True)
    assert _hits(thread, query) == _expected_hits(thread, query)


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


# ----------------------------------------------------------------------------- property

_PIECES = [
    "cat",
    "café",
    "cafe\u0301",  # NFC changes it
    "e\u0301\u0301",
    "\u0301",  # a combining mark with nothing to combine with
    "ﬁ",
    "straße",
    "🇫🇷🇩",  # regional indicators: \X pairs them
    "a",
    "b",
    "x",
    " ",
    "\n",
    "\n\n",
    "\x00",  # visible() turns it into a placeholder
]
_field_text = st.lists(st.sampled_from(_PIECES), max_size=8).map("".join)

_PATTERNS = [
    # fuzzy
    r"(?:café){e<=1}",
    r"(?:cat\n){e<=1}",
    r"(?:e\u0301x){e<=2}",
    r"(?:ab){i<=2}",
    r"(?:a\nb){e<=1}",
    r"(?e)(?:cat){e<=1}",
    # lookarounds and anchors
    r"(?<=\n)\w",
    r"\w(?=\n)",
    r"(?<!\w)c",
    r"a(?!\n)",
    r"(?<![\s\S])\X",
    r"\X(?![\s\S])",
    r"\A.",
    r".\Z",
    r"^\X",
    r"\X$",
    r"\n\K.",
    # graphemes, dots, classes that take line breaks and NUL
    r"\X",
    r"\X\X",
    r"(?s).",
    r"[\s\S]{2}",
    r"[^a]+",
    r"\x00",
    r"\n\x00",
    r"\n+",
    r"e\u0301",
    r"\u0301",
    r"é",
    r"(?i)STRASSE",
    r"\b\w",
    r"\w+\b",
    r"\p{Mn}",
    r"\p{Regional_Indicator}{2}",
]
_PLAIN = ["\x00", "\n", "\n\n", "a\n", "\nb", "é\n", "cafe\u0301", "é", "\u0301", "x\x00"]


@st.composite
def _threads(draw: st.DrawFn) -> Thread:
    article = draw(st.lists(_field_text, min_size=1, max_size=4))
    replies = draw(st.lists(st.lists(_field_text, max_size=3), max_size=4))
    return _thread(article, replies)


#: (text, is_regex): compiled in the test, not in a strategy (compiling a pattern moves
#: the random module's state, which hypothesis objects to).
_queries = st.one_of(
    st.tuples(st.sampled_from(_PLAIN), st.just(False)),
    st.tuples(st.sampled_from(_PATTERNS), st.just(True)),
)


@settings(max_examples=400, deadline=None)
@given(_threads(), _queries, st.booleans(), st.sampled_from([1 << 20, 8, 1]))
def test_hits_are_each_fields_own_matches(
    thread: Thread, text_and_kind: tuple[str, bool], whole_word: bool, chunk: int
) -> None:
    text, is_regex = text_and_kind
    query = compile_query(text, is_regex=is_regex, whole_word=whole_word)
    # Small chunks too: matches then also meet a chunk's first and last field.
    with mock.patch.object(thread_index, "CHUNK_CHARS", chunk):
        assert _hits(thread, query) == _expected_hits(thread, query)
