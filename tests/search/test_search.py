"""The search core: queries, counts against an independent regex count, highlights, stepping."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.model import Attachment, Byline, Link, Paragraph, Post, Quote, Thread
from threadtui.safe import one_line, visible
from threadtui.search import ARTICLE, QueryError, ThreadIndex, compile_query, find_spans
from threadtui.search.session import History, SearchSession
from threadtui.view.marks import Highlight
from threadtui.view.render import PLAIN, article_lines
from threadtui.view.reply_layout import ReplyLayout

# ----------------------------------------------------------------------------- queries


def test_smart_case() -> None:
    assert not compile_query("cable").case_sensitive
    assert compile_query("Cable").case_sensitive
    # A capital inside a regex escape (\S, \W) is not a capital letter to match.
    assert not compile_query(r"\Sable", is_regex=True).case_sensitive
    assert compile_query(r"\SAble", is_regex=True).case_sensitive
    assert compile_query("cable", case_sensitive=True).case_sensitive


def test_lower_case_query_matches_every_case_and_capital_does_not() -> None:
    assert find_spans(compile_query("cable"), "Cable CABLE cable") == [(0, 5), (6, 11), (12, 17)]
    assert find_spans(compile_query("Cable"), "Cable CABLE cable") == [(0, 5)]


def test_full_unicode_case_folding() -> None:
    # Simple case folding (Python's re) cannot do either of these.
    assert find_spans(compile_query("strasse"), "Die Straße") == [(4, 10)]
    assert find_spans(compile_query("ﬁle"), "FILE") == [(0, 4)]
    assert re.search("strasse", "Straße", re.IGNORECASE) is None


def test_composed_and_decomposed_accents_match_each_other() -> None:
    composed = "caf\u00e9"
    decomposed = "cafe\u0301"
    # Spans are in the field's own text, so a highlight covers the whole accent.
    assert find_spans(compile_query(composed), f"a {decomposed}!") == [(2, 7)]
    assert find_spans(compile_query(decomposed), f"a {composed}!") == [(2, 6)]


def test_whole_word_and_regex() -> None:
    text = "cat catalog bobcat cat."
    assert find_spans(compile_query("cat", whole_word=True), text) == [(0, 3), (19, 22)]
    assert find_spans(compile_query(r"c\w+g", is_regex=True), text) == [(4, 11)]
    # Whole word works for patterns that start or end with punctuation too (grep -w).
    assert find_spans(compile_query(".net", whole_word=True), "a .net b.netc") == [(2, 6)]


@pytest.mark.parametrize("bad", ["(", "[a-", "a{2,1}", "a)"])
def test_bad_regex_is_an_error_not_a_crash(bad: str) -> None:
    with pytest.raises(QueryError, match="bad regular expression"):
        compile_query(bad, is_regex=True)
    # The same text is fine as a literal.
    assert find_spans(compile_query(bad), f"x{bad}x") == [(1, 1 + len(bad))]


def test_empty_query_is_an_error() -> None:
    with pytest.raises(QueryError):
        compile_query("")


def test_regex_that_matches_empty_counts_nothing_empty() -> None:
    assert find_spans(compile_query("x*", is_regex=True), "axxb") == [(1, 3)]


# ----------------------------------------------------------------------------- threads

_WORDS = [
    "cat",
    "Cat",
    "CAT",
    "caté",
    "cate\u0301",
    "straße",
    "STRASSE",
    "dog",
    "a",
    "\x1b",
    "\u202e",
    "[b]",
]
_text = st.lists(st.sampled_from(_WORDS + [" ", "\n", ".", "\x00"]), max_size=12).map("".join)
_leaf = st.one_of(
    _text.map(Paragraph),
    st.builds(Link, _text, st.one_of(st.none(), _text)),
    _text.map(Attachment),
)
_block = st.recursive(
    _leaf,
    lambda inner: st.builds(
        Quote, st.one_of(st.none(), _text), st.lists(inner, max_size=3).map(tuple)
    ),
    max_leaves=6,
)
_blocks = st.lists(_block, max_size=4).map(tuple)


@st.composite
def _threads(draw: st.DrawFn) -> Thread:
    counter = iter(range(2, 10_000))

    def post(depth: int) -> Post:
        replies = tuple(post(depth + 1) for _ in range(draw(st.integers(0, 2 if depth < 2 else 0))))
        return Post(
            number=next(counter),
            author=draw(st.one_of(st.none(), _text)),
            title=draw(st.one_of(st.none(), _text)),
            blocks=draw(_blocks),
            replies=replies,
        )

    byline = draw(st.one_of(st.none(), st.builds(Byline, _text, _text, st.none())))
    article = Post(
        number=1, author=draw(st.one_of(st.none(), _text)), byline=byline, blocks=draw(_blocks)
    )
    return Thread(
        title=draw(_text),
        article=article,
        replies=tuple(post(0) for _ in range(draw(st.integers(0, 4)))),
    )


def _independent_fields(thread: Thread) -> list[str]:
    """The thread's searchable text, gathered here by plain recursion (not by fields.py)."""

    def blocks(items: tuple) -> list[str]:
        out: list[str] = []
        for block in items:
            if isinstance(block, Paragraph):
                out.append(visible(block.text))
            elif isinstance(block, Link):
                out.append(visible(block.text))
                if block.url and block.url != block.text:
                    out.append(visible(block.url))
            elif isinstance(block, Attachment):
                out.append(visible(block.name))
            else:
                if block.author:
                    out.append(one_line(block.author))
                out.extend(blocks(block.blocks))
        return out

    def replies(posts: tuple[Post, ...]) -> list[str]:
        out: list[str] = []
        for p in posts:
            out.extend(one_line(x) for x in (p.author, p.title) if x)
            out.extend(blocks(p.blocks))
            out.extend(replies(p.replies))
        return out

    art = thread.article
    head = [visible(thread.title)]
    if art.author:
        head.append(one_line(art.author))
    if art.byline and any((art.byline.author, art.byline.publisher, art.byline.date)):
        parts = [x for x in (art.byline.author, art.byline.publisher, art.byline.date) if x]
        head.append(visible(" · ".join(parts)))
    return head + blocks(art.blocks) + replies(thread.replies)


def _independent_count(thread: Thread, needle: str, ignore_case: bool) -> int:
    """Python's re over each NFC field (the test alphabet folds the same simply and fully)."""
    needle = unicodedata.normalize("NFC", needle)
    flags = re.IGNORECASE if ignore_case else 0
    if ignore_case:
        # re folds simply; give it both spellings of the one full fold in the alphabet.
        needle_re = re.escape(needle).replace("ss", "(?:ss|ß)").replace("ß", "(?:ss|ß)")
    else:
        needle_re = re.escape(needle)
    return sum(
        len(re.findall(needle_re, unicodedata.normalize("NFC", field), flags))
        for field in _independent_fields(thread)
    )


_needles = st.sampled_from(
    ["cat", "Cat", "caté", "a", "dog", "straße", "␛", "[b]", "t c", "at\nd", "t\n", "\nc", "\x00"]
)


@settings(max_examples=300, deadline=None)
@given(_threads(), _needles)
def test_count_equals_an_independent_regex_count(thread: Thread, needle: str) -> None:
    query = compile_query(needle)
    result = ThreadIndex(thread).search(query)
    assert result is not None
    expected = _independent_count(thread, needle, not query.case_sensitive)
    assert len(result) == expected


@settings(max_examples=200, deadline=None)
@given(_threads(), _needles)
def test_every_hit_is_drawn_highlighted_where_search_says(thread: Thread, needle: str) -> None:
    """Render draws fields in fields.py's order: each hit k, made current, is styled current."""
    query = compile_query(needle)
    result = ThreadIndex(thread).search(query)
    assert result is not None
    layout = ReplyLayout(thread, 60, theme=PLAIN)
    layout.open_quotes.update(range(len(layout)))
    highlight = Highlight(query)
    drawn = _marked_article(thread, highlight)
    for index in range(len(layout)):
        marker = highlight.at(index)
        _render_with(layout, index, marker)
        drawn += marker.marked
    assert drawn == len(result)
    for k in range(min(len(result), 6)):
        hit = result.hit(k)
        current = Highlight(query, current=hit)
        if hit.location == ARTICLE:
            lines = article_lines(thread, 60, marker=current.at(ARTICLE))
        else:
            layout.set_highlight(current)
            lines = layout.lines(hit.location)
        assert any(span.style == current.current_style for line in lines for span in line.spans)


def _marked_article(thread: Thread, highlight: Highlight) -> int:
    marker = highlight.at(ARTICLE)
    article_lines(thread, 60, marker=marker)
    return marker.marked


def _render_with(layout: ReplyLayout, index: int, marker: object) -> None:
    from threadtui.view.render import post_header, reply_body_lines

    post = layout.posts[index]
    post_header(post, marker=marker)  # type: ignore[arg-type]
    reply_body_lines(post, 60, marker=marker)  # type: ignore[arg-type]


@settings(max_examples=100, deadline=None)
@given(_threads(), st.sampled_from([r"c\w*", r"t\s+c", r"(?s).", r"$", r"^.", r"a|\n"]))
def test_regex_never_runs_across_fields(thread: Thread, pattern: str) -> None:
    query = compile_query(pattern, is_regex=True)
    result = ThreadIndex(thread).search(query)
    assert result is not None
    expected = sum(
        sum(
            1
            for m in query.pattern.finditer(unicodedata.normalize("NFC", f))
            if m.end() > m.start()
        )
        for f in _independent_fields(thread)
    )
    assert len(result) == expected


# ----------------------------------------------------------------------------- stepping


@settings(max_examples=100, deadline=None)
@given(_threads(), _needles, st.integers(-1, 8), st.sampled_from([1, -1]))
def test_stepping_visits_every_match_once_per_lap(
    thread: Thread, needle: str, origin: int, direction: int
) -> None:
    result = ThreadIndex(thread).search(compile_query(needle))
    assert result is not None
    session = SearchSession()
    start = session.set_result(result, origin)
    if not len(result):
        assert start is None and session.step(direction) is None
        return
    seen = [start]
    wraps = 0
    for _ in range(len(result) - 1):
        step = session.step(direction)
        assert step is not None
        seen.append(step.match)
        wraps += step.wrapped
    assert sorted(seen) == list(range(len(result)))
    assert wraps <= 1
    # One more step closes the lap where it began.
    last = session.step(direction)
    assert last is not None and last.match == start


def test_first_match_is_at_or_after_the_origin_and_wraps() -> None:
    replies = tuple(
        Post(number=n, blocks=(Paragraph("cat" if n in (3, 5) else "dog"),)) for n in range(2, 7)
    )
    thread = Thread(title="t", article=Post(number=1, blocks=(Paragraph("cat"),)), replies=replies)
    result = ThreadIndex(thread).search(compile_query("cat"))
    assert result is not None
    assert [result.hit(k).location for k in range(len(result))] == [ARTICLE, 1, 3]
    session = SearchSession()
    assert session.set_result(result, 2) == 2  # reply 2 has none: the next is reply 3
    assert session.set_result(result, 4) == 0  # nothing after: wrap to the first
    assert session.status() == "1/3"


def test_hidden_counts_folded_bodies_and_subtrees_not_folded_headers() -> None:
    child = Post(number=3, author="cat", blocks=(Paragraph("cat"),))
    parent = Post(number=2, author="cat", blocks=(Paragraph("cat cat"),), replies=(child,))
    thread = Thread(
        title="t",
        article=Post(number=1),
        replies=(parent, Post(number=4, blocks=(Paragraph("cat"),))),
    )
    layout = ReplyLayout(thread, 60, theme=PLAIN)
    result = ThreadIndex(thread).search(compile_query("cat"))
    assert result is not None and len(result) == 6
    assert result.hidden(set(), layout.end) == 0
    # Folding reply 0 hides its body (2) and its child (header and body: 2); its header shows.
    assert result.hidden({0}, layout.end) == 4
    assert result.hidden({0, 1}, layout.end) == 4
    assert result.hidden({1}, layout.end) == 1
    assert SearchSession().status() == ""


def test_history_recalls_older_and_newer_then_the_draft() -> None:
    history = History()
    for query in ("one", "two", "three", "two"):
        history.add(query)
    assert history.entries == ["one", "three", "two"]
    assert history.older("dra") == "two"
    assert history.older("") == "three"
    assert history.older("") == "one"
    assert history.older("") is None
    assert history.newer() == "three"
    assert history.newer() == "two"
    assert history.newer() == "dra"
    assert history.newer() is None


def test_moving_the_current_match_redraws_only_the_replies_it_left_and_entered() -> None:
    replies = tuple(Post(number=n, blocks=(Paragraph(f"cat {n}"),)) for n in range(2, 8))
    thread = Thread(title="t", article=Post(number=1), replies=replies)
    layout = ReplyLayout(thread, 60, theme=PLAIN)
    result = ThreadIndex(thread).search(compile_query("cat"))
    assert result is not None and len(result) == 6
    query = compile_query("cat")
    layout.set_highlight(Highlight(query, current=result.hit(1)))
    before = [layout.lines(i) for i in range(6)]
    layout.set_highlight(Highlight(query, current=result.hit(3)))
    after = [layout.lines(i) for i in range(6)]
    assert [a is b for a, b in zip(before, after, strict=True)] == [
        True, False, True, False, True, True
    ]  # fmt: skip
    assert _styled_text(after[3], Highlight(query).current_style) == ["cat"]
    assert _styled_text(after[1], Highlight(query).current_style) == []
    # Another query redraws everything.
    layout.set_highlight(Highlight(compile_query("3"), current=None))
    assert all(layout.lines(i) is not after[i] for i in range(6))


def _styled_text(lines, style: str) -> list[str]:  # noqa: ANN001
    return [line.plain[s.start : s.end] for line in lines for s in line.spans if s.style == style]


_WORDS = st.sampled_from(["cat", "Cat", "dog", "the cat", "scatter", "x", "ümlaut cat"])


@st.composite
def _nested_threads(draw: st.DrawFn) -> Thread:
    """Small reply trees whose authors, titles and bodies may hold the word."""
    counter = iter(range(2, 10_000))

    def post(depth: int) -> Post:
        children = draw(st.integers(0, 3 if depth < 3 else 0))
        return Post(
            number=next(counter),
            author=draw(st.none() | _WORDS),
            title=draw(st.none() | _WORDS),
            blocks=tuple(Paragraph(w) for w in draw(st.lists(_WORDS, max_size=3))),
            replies=tuple(post(depth + 1) for _ in range(children)),
        )

    top = draw(st.integers(1, 6))
    return Thread(title="t", article=Post(number=1), replies=tuple(post(0) for _ in range(top)))


@given(thread=_nested_threads(), data=st.data())
@settings(max_examples=60, deadline=None)
def test_tallied_fold_counts_equal_ranked_ones(thread: Thread, data: st.DataObject) -> None:
    # Past TALLY_FROM replies the fold count reads the per-reply tally: the same number.
    layout = ReplyLayout(thread, 60, theme=PLAIN)
    folded = data.draw(st.sets(st.integers(0, len(layout.posts) - 1)))
    direct = ThreadIndex(thread).search(compile_query("cat"))
    tallied = ThreadIndex(thread).search(compile_query("cat"))
    assert direct is not None and tallied is not None
    assert tallied.tally_replies()
    assert tallied.hidden(folded, layout.end) == direct.hidden(folded, layout.end)


def test_many_folds_wait_for_the_tally_and_a_cancelled_tally_leaves_none() -> None:
    posts = tuple(Post(number=n + 2, blocks=(Paragraph("cat"),)) for n in range(30))
    thread = Thread(title="t", article=Post(number=1), replies=posts)
    layout = ReplyLayout(thread, 60, theme=PLAIN)
    result = ThreadIndex(thread).search(compile_query("cat"))
    assert result is not None
    everything = set(range(30))
    assert result.hidden(everything, layout.end) == 30  # a small thread: ranked at once
    result.TALLY_FROM = 10
    assert result.hidden(set(), layout.end) == 0
    assert result.hidden({3}, layout.end) is None  # a big one waits for the tally
    assert not result.tally_replies(cancelled=lambda: True)
    assert result.hidden(everything, layout.end) is None
    assert result.tally_replies()
    assert result.hidden(everything, layout.end) == 30
    session = SearchSession()
    session.set_result(result, 0)
    assert session.status(None) == "1/30 · counting folded replies…"
