"""Per-file work: the search view (only the posts that could match) gives the hits of
the full parse, and field-local queries are the ones that may take it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from _folder_support import dumps, hits_of, in_thread, queries_for, segmented_dumps
from _support import SEED, realdata_text_paths, sample_paths
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from threadtui.model import Post, Thread
from threadtui.parsing import ParseError, parse_path, text_dump
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.text_dump import segments, walker
from threadtui.parsing.text_dump.body import read_body
from threadtui.parsing.text_dump.head import Head, read_head
from threadtui.search import Query, QueryError, compile_query
from threadtui.search.folder import FolderError, FolderHit, search_paths
from threadtui.search.prefilter import field_local


def _reference_view(text: str) -> tuple[Thread, int, list[tuple[int, int]]]:
    """The full parse, how many segments the opening post takes, and (index in
    thread.replies, segment) for each reply: what ``_build`` does, segment by
    segment, with no shortcut."""
    thread = text_dump.parse(text, source="dir/t.txt")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chrome = SiteChrome()
    _, start, first_line = segments.metadata_line(text, chrome)
    read = 0

    def counted() -> Iterator[list[str]]:
        nonlocal read
        for seg in segments.segment_lines(text, start, first_line):
            read += 1
            yield seg

    stream = segments.Streamed(counted())
    opening = walker._read_opening(stream, chrome, walker.BUILD)
    pending = stream.lines(opening.next_segment)
    article_segments = read - 1 if pending is not None else read
    places: list[tuple[int, int]] = []
    while pending is not None:
        k = read - 1
        head = Head(chrome, opening.title, False)
        pos = read_head(head, pending, 0)
        blocks = read_body(pending, pos, chrome)
        pending = stream.lines(k + 1)  # a stream hands its segments out in order
        if blocks or not head.is_empty():
            places.append((len(places), k))
    assert len(places) == len(thread.replies)
    return thread, article_segments, places


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(segmented_dumps() | dumps(), st.data())
@example(
    "Title\n\nBody\n\u00a0\nann\nJan 2, 2024 #3\ntext\n\u00a0\nbob\nJan 2, 2024 #2\nmore #9\n", None
)
@example("Senior Member\n\u00a0\n• May 4, 2023", None)  # a byline in the second segment
def test_the_search_view_is_the_parse_of_the_wanted_replies(
    text: str, data: st.DataObject | None
) -> None:
    """``search_view`` gives the title, the opening post (when wanted) and exactly the
    replies of the wanted segments (with their index and number) that the full parse
    gives."""
    picks: list[bool] = []

    def wanted(seen: str, starts: list[int]) -> list[bool]:
        assert starts == sorted(starts)
        for k in range(len(starts)):
            picks.append(data.draw(st.booleans()) if data is not None else k % 2 == 1)
        return picks

    forced = data.draw(st.booleans()) if data is not None else False
    view = text_dump.search_view(text, source="dir/t.txt", wanted=wanted, article_wanted=forced)
    thread = text_dump.parse(text, source="dir/t.txt")
    if view is None:
        normal = text.replace("\r\n", "\n").replace("\r", "\n")
        assert not segments.separator_lines(normal, 0)
        return
    assert view.title == thread.title
    _, article_segments, places = _reference_view(text)
    must = forced or any(picks[:article_segments]) or thread.article.byline is not None
    assert view.article_wanted == must
    assert view.article == (thread.article if must else Post(number=1))
    expected = [(index, thread.replies[index]) for index, k in places if picks[k]]
    assert view.replies == expected


def _search_hits(paths: list[str], query: Query) -> list[FolderHit | FolderError]:
    return list(search_paths(paths, query))


def _full_hits(paths: list[str], query: Query, monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The same search through full parses only (the search view switched off)."""
    with monkeypatch.context() as patch:
        patch.setattr("threadtui.search.scan.field_local", lambda _query: False)
        return list(search_paths(paths, query))


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(text=segmented_dumps() | dumps(), data=st.data())
def test_folder_hits_through_the_search_view_are_the_reader_s(
    text: str, data: st.DataObject, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the dump and the query, the hits (post number, field, span, line) are
    those of the in-thread search of the whole parsed thread."""
    path = tmp_path / "zebra\u200dnote.txt"
    path.write_bytes(text.encode("utf-8"))
    try:
        thread = parse_path(path)
    except ParseError:
        return
    for _ in range(3):
        spec = data.draw(queries_for(thread))
        if spec is None:
            continue
        source, is_regex, whole, case = spec
        if "{e<=" in source or "\x00" in source or (not is_regex and "\n" in source):
            # None of these takes the search view, and all trip ThreadIndex (not this
            # test's subject): a fuzzy match can run into the separator after a field
            # NFC changed, and a literal NUL or line break can match a separator's own.
            continue
        try:
            query = compile_query(source, is_regex=is_regex, whole_word=whole, case_sensitive=case)
        except QueryError:
            continue
        got = _search_hits([str(path)], query)
        assert got == _full_hits([str(path)], query, monkeypatch), query
        assert [(h.location, h.hit.field, h.hit.start, h.hit.end) for h in hits_of(got)] == (
            in_thread(str(path), query)
        )


REAL_QUERIES = [
    compile_query("the"),
    compile_query("I"),
    compile_query("said"),
    compile_query("2023"),
    compile_query("#"),
    compile_query("e", whole_word=True),
    compile_query(r"[A-Z][a-z]+ \w+", is_regex=True),
    compile_query(r"^\w", is_regex=True),
    compile_query(r"post(ed)?\b", is_regex=True),
]


@pytest.mark.parametrize("query", REAL_QUERIES, ids=lambda q: repr(q.text))
def test_real_dumps_agree_with_full_parses(query: Query, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(p) for p in [*sample_paths(), *realdata_text_paths()]]
    if SEED.is_file():
        paths.append(str(SEED))
    got = _search_hits(paths, query)
    assert hits_of(got)
    assert got == _full_hits(paths, query, monkeypatch)


def test_post_numbers_carry_on_past_replies_that_are_not_read(tmp_path: Path) -> None:
    """Replies before a hit are numbered from their heads, even when a head's number
    jumps ahead or goes backwards, and a body mentioning a bigger one changes nothing."""
    posts = [
        ("ann", "Jan 2, 2024 #2", "plain reply text that is long enough to be a post body"),
        ("bob", "Jan 2, 2024 #7", "jumped ahead to seven, and this line is long as well"),
        ("cy", "Jan 2, 2024 #3", "went backwards: numbered eight then, long line again"),
        ("di", "Jan 3, 2024", "no number here, see #40 in the body of this long line"),
        ("ed", "Jan 4, 2024 #2", "the kettle is here, in a line long enough for a body"),
    ]
    lines = ["Thread title", "", "Opening post body.", ""]
    for author, date, body in posts:
        lines += ["\u00a0", author, date, body, ""]
    path = tmp_path / "t.txt"
    path.write_text("\n".join(lines))
    hits = hits_of(list(search_paths([str(path)], compile_query("kettle"))))
    assert [(h.post_number, h.location) for h in hits] == [(10, 4)]
    thread = parse_path(path)
    assert [p.number for p in thread.replies] == [2, 7, 8, 9, 10]


def test_field_local_queries() -> None:
    """Queries that look outside their match use full parses (see field_local)."""
    local = ["kettle", r"(?:a|b) \w+", r"^x", r"x$", r"\bx\b", r"(\w)\1", r"[^a]+", r"a++"]
    not_local = [r"(?<=a)b", r"a(?=b)", r"\Ax", r"x\Z", r"(?w)\bx", r"\X", r"(a)?(?(1)a|b)"]
    for text in local:
        assert field_local(compile_query(text, is_regex=True)), text
    for text in not_local:
        assert not field_local(compile_query(text, is_regex=True)), text
    assert field_local(compile_query("x y", whole_word=True))
    # A literal line break or NUL can meet a separator's own: whole parses only.
    assert not field_local(compile_query("x\ny"))
    assert not field_local(compile_query("x\x00"))
