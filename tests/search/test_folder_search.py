"""Folder-wide search: hits agree with the in-thread search, the prefilter never drops a
file with a match, errors do not stop the search, cancellation does."""

from __future__ import annotations

import json
import os
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pytest
import regex
from _support import sample_paths
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from threadtui.library import CACHE_MIN_BYTES, ThreadCache
from threadtui.model import Post, Thread, thread_to_json
from threadtui.parsing import ParseError, parse_bytes, parse_path
from threadtui.parsing.common.decode import decode
from threadtui.safe import visible
from threadtui.search import ARTICLE, Query, QueryError, ThreadIndex, compile_query
from threadtui.search.fields import article_fields, reply_fields
from threadtui.search.folder import PARALLEL_MIN_FILES, FolderError, FolderHit, search_paths
from threadtui.search.hits import hit_line
from threadtui.search.prefilter import field_local, prefilter_for

# --------------------------------------------------------------------------- helpers


def _in_thread(path: str, query: Query) -> list[tuple[int, int, int, int]]:
    """What the reader's in-thread search finds: (location, field, start, end) each."""
    result = ThreadIndex(parse_path(path)).search(query)
    assert result is not None
    return [
        (h.location, h.field, h.start, h.end) for h in (result.hit(k) for k in range(len(result)))
    ]


def _fields(thread: Thread, location: int) -> list[str]:
    if location == ARTICLE:
        return list(article_fields(thread))
    post = [p for p, _ in thread.walk_replies()][location]
    return list(reply_fields(post))


def _hits(items: list[FolderHit | FolderError]) -> list[FolderHit]:
    return [item for item in items if isinstance(item, FolderHit)]


SAMPLE_QUERIES = [
    compile_query("the"),
    compile_query("The"),
    compile_query("ridge path"),
    compile_query("tea", whole_word=True),
    compile_query("strasse"),
    compile_query("café"),
    compile_query("cafe\u0301"),  # decomposed: finds the composed spelling too
    compile_query("2024"),  # only characters a placeholder can hold (U+, hex digits)
    compile_query("said"),
    compile_query("␛"),
    compile_query("⟨U+202E⟩"),
    compile_query("png"),
    compile_query(r"\d{4}-\d\d", is_regex=True),  # no literal run: every file is parsed
    compile_query(r"(?:tea|coffee) \w+", is_regex=True),
    compile_query(r"ri(dg)e\s+pa+th", is_regex=True),
    compile_query(r"^Click", is_regex=True),
    compile_query(r"(?i)MILK", is_regex=True),
    compile_query("zzz-no-such-text"),
]


# --------------------------------------------------------------------------- agreement


@pytest.mark.parametrize("query", SAMPLE_QUERIES, ids=lambda q: repr(q.text))
def test_hits_are_exactly_the_in_thread_search_on_every_sample(query: Query) -> None:
    paths = [str(p) for p in sample_paths()]
    assert paths, "samples/ is empty"
    items = list(search_paths(paths, query))
    assert not [i for i in items if isinstance(i, FolderError)]
    got: dict[str, list[tuple[int, int, int, int]]] = {}
    for hit in _hits(items):
        got.setdefault(hit.path, []).append(
            (hit.location, hit.hit.field, hit.hit.start, hit.hit.end)
        )
        assert hit.location == hit.hit.location
    for path in paths:
        assert got.get(path, []) == _in_thread(path, query), path
    # Files come in the order given.
    order = [h.path for h in _hits(items)]
    assert order == sorted(order, key=paths.index)


def test_some_sample_queries_match_and_some_are_ruled_out_cheaply() -> None:
    # Keeps the agreement test honest: it must see both outcomes.
    paths = [str(p) for p in sample_paths()]
    assert _hits(list(search_paths(paths, compile_query("the"))))
    assert not _hits(list(search_paths(paths, compile_query("zzz-no-such-text"))))
    prefilter = prefilter_for(compile_query("zzz-no-such-text"))
    assert prefilter.exact
    admitted = [p for p in paths if prefilter.admits(decode(Path(p).read_bytes()).text, p)]
    # Only a file with a byline (its text is rewritten, so it is always parsed) gets through.
    assert len(admitted) < len(paths) // 2
    assert all("\u2022" in Path(p).read_text(encoding="utf-8") for p in admitted)


def test_hit_fields() -> None:
    path = next(str(p) for p in sample_paths() if "hiking" in p.name)
    thread = parse_path(path)
    hits = _hits(list(search_paths([path], compile_query("ridge"))))
    assert hits
    replies = [p for p, _ in thread.walk_replies()]
    for hit in hits:
        assert hit.path == path
        assert hit.title == thread.title
        expected_number = 1 if hit.location == ARTICLE else replies[hit.location].number
        assert hit.post_number == expected_number
        field = _fields(thread, hit.location)[hit.hit.field]
        assert (
            unicodedata.normalize("NFC", field[hit.hit.start : hit.hit.end]).casefold() == "ridge"
        )
        assert hit.line[hit.line_start : hit.line_end] == field[hit.hit.start : hit.hit.end]
        assert "\n" not in hit.line and visible(hit.line) == hit.line
    assert any(h.location == ARTICLE for h in hits) and any(h.location >= 0 for h in hits)


def test_hit_line_is_the_line_of_the_match_clipped_around_it() -> None:
    field = "first line\nsecond ridge line\nthird"
    line, start, end = hit_line(field, 18, 23)
    assert (line, line[start:end]) == ("second ridge line", "ridge")
    long = "x" * 500 + " needle " + "y" * 500
    line, start, end = hit_line(long, 501, 507)
    assert line[start:end] == "needle"
    assert line.startswith("…") and line.endswith("…")
    assert len(line) <= 202
    # A match over a line break is cut at the end of its first line.
    line, start, end = hit_line("ab\ncd", 1, 4)
    assert (line, start, end) == ("ab", 1, 2)
    # A match that begins with the break before its line shows that line.
    line, start, end = hit_line("ab\ncd", 2, 4)
    assert (line, start, end) == ("cd", 0, 1)
    # A match longer than the limit is clipped too.
    line, start, end = hit_line("z" * 1000, 0, 1000)
    assert len(line) <= 202 and end - start <= 200


def test_json_threads_agree_too(tmp_path: Path) -> None:
    source = next(p for p in sample_paths() if "tea" in p.name)
    thread = parse_path(source)
    # threadtui/1 JSON escapes text ("\\u00e9", "\\n"), so it is parsed, never prefiltered.
    target = tmp_path / "tea.json"
    target.write_text(json.dumps(thread_to_json(thread), ensure_ascii=True))
    for query in (compile_query("café"), compile_query("milk"), compile_query("strong, with")):
        hits = _hits(list(search_paths([str(target)], query)))
        assert [(h.location, h.hit) for h in hits] == [
            (loc, _hit) for loc, _hit in _pairs(str(target), query)
        ]
        assert hits


def _pairs(path: str, query: Query) -> list[tuple[int, object]]:
    result = ThreadIndex(parse_path(path)).search(query)
    assert result is not None
    return [(result.hit(k).location, result.hit(k)) for k in range(len(result))]


def test_title_from_the_file_name_and_byline_are_found(tmp_path: Path) -> None:
    # No title line at all: the title is the file's name, which the text never holds.
    nameless = tmp_path / "zebrafinch-notes.txt"
    nameless.write_text("Home\nForums\n")
    hits = _hits(list(search_paths([str(nameless)], compile_query("zebrafinch"))))
    assert [h.title for h in hits] == ["zebrafinch-notes"]
    # A byline's date is rewritten to ISO and its parts joined with " · ".
    byline = tmp_path / "byline.txt"
    byline.write_text(
        "Council votes on bike lanes\n\n• Peter Martin - Bloomberg News\n• May 4, 2023\n\n"
        "The council voted.\n"
    )
    for text in ("2023-05-04", "Martin · Bloomberg"):
        query = compile_query(text)
        assert _in_thread(str(byline), query), "the parser made no byline"
        assert len(_hits(list(search_paths([str(byline)], query)))) == 1


# --------------------------------------------------------------------------- errors, cache


def test_errors_are_reported_and_the_search_goes_on(tmp_path: Path) -> None:
    good = [str(p) for p in sample_paths()[:3]]
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.txt"
    binary.write_bytes(bytes(range(256)) * 64)
    paths = [good[0], str(tmp_path / "missing.txt"), str(empty), good[1], str(binary), good[2]]
    query = compile_query(r"\w+", is_regex=True)
    items = list(search_paths(paths, query))
    errors = [i for i in items if isinstance(i, FolderError)]
    assert [(e.path, e.error) for e in errors] == [
        (paths[1], "no such file"),
        (str(empty), "empty file"),
        (str(binary), "binary file, not a text thread"),
    ]
    assert {h.path for h in _hits(items)} == set(good)
    # Errors come in their place in the path order.
    kinds = [i.path for i in items if isinstance(i, FolderError) or i.path not in good[1:]]
    assert kinds.index(paths[1]) < kinds.index(str(empty))
    # A file the prefilter rules out is still read, so its errors do not depend on the query.
    rare = list(search_paths(paths, compile_query("zzz-no-such-text")))
    assert [(e.path, e.error) for e in rare if isinstance(e, FolderError)] == [
        (e.path, e.error) for e in errors
    ]


def test_a_folder_is_not_a_thread(tmp_path: Path) -> None:
    items = list(search_paths([str(tmp_path)], compile_query("x")))
    assert items == [FolderError(str(tmp_path), "is a folder")]


def test_cache_is_used_and_big_threads_go_into_it(tmp_path: Path) -> None:
    src = next(p for p in sample_paths() if "hiking" in p.name)
    path = tmp_path / "hiking.txt"
    path.write_bytes(src.read_bytes())
    cache = ThreadCache()
    first = _hits(list(search_paths([str(path)], compile_query("ridge"), cache=cache)))
    assert first
    assert cache.get(str(path)) is None  # small: parsing it again is cheaper than keeping it
    # A cached thread is what the search uses: give it a different title to see.
    thread = parse_path(path)
    st_ = os.stat(path)
    renamed = Thread(title="From the cache", article=thread.article, replies=thread.replies)
    cache.put(str(path), renamed, st_.st_size, st_.st_mtime)
    again = _hits(list(search_paths([str(path)], compile_query("ridge"), cache=cache)))
    assert [h.title for h in again] == ["From the cache"] * (len(first) - 1)  # title hit gone
    # A big file parsed by the search is kept; one the prefilter rules out is not parsed.
    big = tmp_path / "big.txt"
    big.write_text("Big one\n\n" + "ridge walk today. " * (CACHE_MIN_BYTES // 16))
    assert _hits(list(search_paths([str(big)], compile_query("ridge"), cache=cache, limit=1)))
    assert cache.get(str(big)) is not None
    other = tmp_path / "other.txt"
    other.write_text("Big two\n\n" + "nothing to see. " * (CACHE_MIN_BYTES // 16))
    list(search_paths([str(other)], compile_query("ridge"), cache=cache))
    assert cache.get(str(other)) is None


def test_limit_stops_after_that_many_hits() -> None:
    paths = [str(p) for p in sample_paths()]
    everything = _hits(list(search_paths(paths, compile_query("the"))))
    assert len(everything) > 5
    assert _hits(list(search_paths(paths, compile_query("the"), limit=5))) == everything[:5]
    assert list(search_paths(paths, compile_query("the"), limit=0)) == []


def test_cancellation_stops_between_files_and_inside_threads() -> None:
    paths = [str(p) for p in sample_paths()]
    assert list(search_paths(paths, compile_query("the"), cancelled=lambda: True)) == []
    calls = 0

    def after_two_files() -> bool:
        nonlocal calls
        calls += 1
        return calls > 2

    items = list(search_paths(paths, compile_query("the"), cancelled=after_two_files))
    everything = _hits(list(search_paths(paths, compile_query("the"))))
    assert len(_hits(items)) < len(everything)
    assert {h.path for h in _hits(items)} <= set(paths[:2])


def test_cancelled_inside_a_big_thread(tmp_path: Path) -> None:
    lines = ["Big thread", "", "Opening post here.", ""]
    for n in range(2, 3000):
        lines += ["\u00a0", f"poster{n % 7}", f"Jan 1, 2024 #{n}", f"reply {n} says kettle", ""]
    big = tmp_path / "big.txt"
    big.write_text("\n".join(lines))
    query = compile_query("kettle")
    assert len(_hits(list(search_paths([str(big)], query)))) == 2998
    state = {"hits": 0}

    def stop_soon() -> bool:
        return state["hits"] >= 10

    got = 0
    for _item in search_paths([str(big)], query, cancelled=stop_soon):
        got += 1
        state["hits"] = got
    assert got < 2998


# --------------------------------------------------------------------------- the prefilter property

# Characters chosen to trip every way a field differs from the file's text: controls that
# become placeholders, the placeholders' own characters, whitespace the parser strips or
# folds, composed/decomposed accents and the marks NFC joins to "<", ">", "=", full case
# folds (ß/ss, ﬀ, Kelvin sign, ǰ), zero-width joiners and emoji, tag characters and flags.
_CHARS = [
    "a", "b", "e", "f", "s", "S", "t", "x", "U", "+", "0", "2", "D", "k", "K", "j", "J",
    "ß", "ẞ", "ﬀ", "\u212a", "\u01f0", "\u030c", "é", "e\u0301", "\u0301", "\u0338", "\u0345",
    "ι", "İ", "i", "ς", "Σ", "가", "\u1100", "\u1161", "\u11a8", "≯", "Å", "\u212b",
    "⟨", "⟩", "␛", "\x1b", "\x07", "\x00", "\x85", "\u202e", "\u00ad", "\u200d", "\u2028",
    "👩", "🍳", "🏴", "\U000e0067", "\U000e007f", "\t", "\u00a0", "\u3000", "\u205f", " ", " ",
    ">", "[", "]", "(", ")", ":", "#", "-", "•", "·", ".",
]  # fmt: skip
_word = st.lists(st.sampled_from(_CHARS), min_size=1, max_size=6).map("".join)
_phrase = st.lists(_word, min_size=1, max_size=5).map(" ".join)
# Lines that make the parser take each of its paths (quotes, links, bylines, headers...).
_line = st.one_of(
    _phrase,
    _phrase,
    _phrase.map(lambda p: f"> {p}"),
    _phrase.map(lambda p: f">{p}"),
    _phrase.map(lambda p: f">> {p}"),
    _word.map(lambda w: f"{w} said:"),
    st.just("Click to expand..."),
    _word.map(lambda w: f"Quote from: {w} on May 4, 2023"),
    _word.map(lambda w: f"Originally Posted by {w}View Post"),
    _word.map(lambda w: f"ORIGINAL: {w}"),
    st.tuples(_word, _word).map(lambda t: f"[{t[0]}](https://x.example/{t[1]})"),
    _word.map(lambda w: f"https://x.example/{w}"),
    _word.map(lambda w: f"{w}.png"),
    _word.map(lambda w: f"#### {w}"),
    _word.map(lambda w: f"Post subject: {w}"),
    st.tuples(_word, _word).map(lambda t: f"{t[0]} -> {t[1]} (5/4/2023)"),
    _word.map(lambda w: f"Thread starter {w}"),
    st.tuples(_word, _word).map(lambda t: f"• {t[0]} - {t[1]}"),
    st.just("• May 4, 2023"),
    st.just("Senior Member"),
    st.just("Jan 2, 2024 #3"),
    st.just("\u00a0"),
    st.just(""),
    st.just(" date 2024-01-02 What's new"),
    _phrase.map(lambda p: f" date 2024-01-02 {p}"),
    _phrase.map(lambda p: f"  {p}\t \u00a0"),
)
_eol = st.sampled_from(["\n", "\n", "\r\n", "\r"])


@st.composite
def _dumps(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line, min_size=1, max_size=14))
    out = []
    for line in lines:
        out.append(line + draw(_eol))
    return "".join(out)


def _all_fields(thread: Thread) -> list[str]:
    fields = list(article_fields(thread))
    for post, _ in thread.walk_replies():
        fields.extend(reply_fields(post))
    return fields


_QuerySpec = tuple[str, bool, bool, bool | None]  # text, is_regex, whole_word, case_sensitive


@st.composite
def _queries_for(draw: st.DrawFn, thread: Thread) -> _QuerySpec | None:
    """A query, most often built from a piece of the thread's own text so that it matches.

    Compiled by the test, not here: compiling may shrink the regex module's cache, which
    uses ``random``, and strategies must not touch it.
    """
    fields = [unicodedata.normalize("NFC", f) for f in _all_fields(thread) if f]
    if fields and draw(st.integers(0, 4)):
        field = draw(st.sampled_from(fields))
        start = draw(st.integers(0, len(field) - 1))
        end = draw(st.integers(start + 1, min(len(field), start + 12)))
        text = field[start:end]
        text = draw(
            st.sampled_from(
                [
                    text,
                    text.upper(),
                    text.lower(),
                    text.casefold(),
                    unicodedata.normalize("NFD", text),
                ]
            )
        )
    else:
        text = draw(_word)
    kind = draw(
        st.sampled_from(
            [
                "literal",
                "literal",
                "regex",
                "optional",
                "alternative",
                "open",
                "split",
                "fuzzy",
                "around",
            ]
        )
    )
    case = draw(st.sampled_from([None, True, False]))
    whole = draw(st.booleans())
    escaped = regex.escape(text)
    # "zq7" (and "q") is in no generated file: only a prefilter that wrongly requires it fails.
    is_regex = kind != "literal"
    source = {
        "literal": text,
        "regex": escaped,
        "optional": f"(?:{escaped})+(?:zq7)?(zq7)*(?!zq7)(?<!zq7)",
        "alternative": f"(?:zq7|{escaped})",
        "open": f"(?:zq7|{escaped}|[^\\w\\s])",  # a branch without anchors: needs nothing
        "split": "",
        "around": "",
        "fuzzy": f"(?:{escaped}q){{e<=1}}",  # "q" is in no file either
    }[kind]
    if kind == "split":
        cut = draw(st.integers(0, len(text)))
        # (Not "(?:\\w|\\W)?": the regex module never returns from "(?fi)\\w?J\u030c" on
        # "\u01f0x", a bug of its own that would hang this test.)
        source = f"{regex.escape(text[:cut])}(?:zq7)?{regex.escape(text[cut:])}"
    if kind == "around":
        # Plain words around an alternation of plain words: the prefilter spells them out.
        cut = draw(st.integers(0, len(text)))
        cut2 = draw(st.integers(cut, len(text)))
        head, middle, tail = (regex.escape(t) for t in (text[:cut], text[cut:cut2], text[cut2:]))
        source = f"{head}(?:zq7|{middle}|q){tail}"
    if not text.strip() and not is_regex:
        return None
    return source, is_regex, whole, case


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(_dumps(), st.data())
@example("Title\n\n>\u0338abc\n", None)
@example("Title\n\n• Writer - Pub\n• May 4, 2023\n\nBody\n", None)
@example("Title\n\n\u3000\u200d🍳 x\n", None)
@example("Title\n\n\U000e0067 \u2028\n", None)
def test_the_prefilter_never_drops_a_file_the_thread_search_finds_a_match_in(
    text: str, data: st.DataObject | None
) -> None:
    data_bytes = text.encode("utf-8")
    try:
        thread = parse_bytes(data_bytes, source="dir/zebra\u200dnote.txt")
    except ParseError:
        return  # read and reported as an error whatever the query
    queries: list[Query] = []
    if data is not None:
        for _ in range(3):
            spec = data.draw(_queries_for(thread))
            if spec is None:
                continue
            source, is_regex, whole, case = spec
            try:
                query = compile_query(
                    source, is_regex=is_regex, whole_word=whole, case_sensitive=case
                )
            except QueryError:
                continue
            queries.append(query)
    else:
        # The explicit examples: every piece of every field, as a literal and as a regex.
        for field in _all_fields(thread):
            for i in range(len(field)):
                for j in range(i + 1, min(len(field), i + 6) + 1):
                    piece = unicodedata.normalize("NFC", field[i:j])
                    if piece.strip():
                        queries.append(compile_query(piece, case_sensitive=True))
                        queries.append(compile_query(regex.escape(piece), is_regex=True))
    decoded = decode(data_bytes).text
    for query in queries:
        result = ThreadIndex(thread).search(query)
        assert result is not None
        if len(result):
            assert prefilter_for(query).admits(decoded, "dir/zebra\u200dnote.txt"), (
                query,
                [result.hit(k) for k in range(min(len(result), 3))],
            )


# --------------------------------------------------------------------------- the search view

from _support import SEED, realdata_text_paths  # noqa: E402

from threadtui.parsing import text_dump  # noqa: E402


def _reference_view(text: str) -> tuple[Thread, int, list[tuple[int, int]]]:
    """The full parse, how many segments the opening post takes, and (index in
    thread.replies, segment) for each reply: what ``_build`` does, segment by
    segment, with no shortcut."""
    thread = text_dump.parse(text, source="dir/t.txt")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chrome = text_dump._Chrome()
    _, start, first_line = text_dump._metadata_line(text, chrome)
    read = 0

    def counted() -> object:
        nonlocal read
        for seg in text_dump._segment_lines(text, start, first_line):
            read += 1
            yield seg

    segments = counted()
    title, _, _, pending = text_dump._read_article(segments, chrome)  # type: ignore[arg-type]
    article_segments = read - 1 if pending is not None else read
    places: list[tuple[int, int]] = []
    while pending is not None:
        k = read - 1
        head = text_dump._Head()
        pos = text_dump._read_head(
            pending, 0, len(pending), head, chrome, title=title, is_article=False
        )
        blocks = text_dump._read_body(pending, pos, len(pending), chrome)
        pending = next(segments, None)  # type: ignore[call-overload]
        if blocks or not head.is_empty():
            places.append((len(places), k))
    assert len(places) == len(thread.replies)
    return thread, article_segments, places


_number = st.integers(0, 12).map(str) | st.sampled_from(["99", "1" * 16, "٣", "00"])
# Lines of a post's head and body: header numbers that go up, down or jump, numbers in
# bodies, stats keys, ranks, and long prose (what makes _surely_a_post sure).
_post_line = st.one_of(
    _line,
    _word,
    _number.map(lambda n: f"Jan 2, 2024 at 4:12 PM #{n}"),
    _number.map(lambda n: f"Jan 2, 2024 # {n}"),
    _number.map(lambda n: f"Post #{n} of 30"),
    _number.map(lambda n: f"## Reply #{n}"),
    _number.map(lambda n: f"#{n}"),
    st.sampled_from(["Joined", "Messages: 5", "Posts 12", "Senior Member", "Jan 2, 2024"]),
    st.just("Plain prose that runs on for well over forty characters, as replies do."),
    st.tuples(_phrase, _phrase).map(lambda t: f"{t[0]} and so on and so forth {t[1]}"),
    st.tuples(_phrase, _number).map(lambda t: f"{t[0]} is a long line that cites #{t[1]}"),
)


@st.composite
def _segmented_dumps(draw: st.DrawFn) -> str:
    """Dumps with separator lines between posts, most posts with a head."""
    out = draw(st.lists(_line, min_size=1, max_size=4))
    for _ in range(draw(st.integers(0, 8))):
        out.append(draw(st.sampled_from(["\u00a0", " \u00a0 "])))
        out.extend(draw(st.lists(_post_line, max_size=6)))
    eol = draw(_eol)
    return eol.join(out) + draw(st.sampled_from(["", eol]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_segmented_dumps() | _dumps(), st.data())
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
        assert not text_dump._separator_lines(normal, 0)
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
@given(text=_segmented_dumps() | _dumps(), data=st.data())
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
        spec = data.draw(_queries_for(thread))
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
        assert [(h.location, h.hit.field, h.hit.start, h.hit.end) for h in _hits(got)] == (
            _in_thread(str(path), query)
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
    assert _hits(got)
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
    hits = _hits(list(search_paths([str(path)], compile_query("kettle"))))
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


# --------------------------------------------------------------------------- worker processes

import multiprocessing  # noqa: E402
import signal  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402

from threadtui.search import folder as _folder  # noqa: E402
from threadtui.search.pool import fork_workers  # noqa: E402
from threadtui.search.thread_index import never_cancelled  # noqa: E402


def _many_paths(tmp_path: Path) -> list[str]:
    """Enough files for the worker processes: the samples over and over, and a bad one."""
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe" + b"\x00\xd8" * 4)  # UTF-16 with a lone surrogate
    paths = [str(p) for p in sample_paths()] * 60
    paths.insert(7, str(tmp_path / "missing.txt"))
    paths.insert(300, str(bad))
    assert len(paths) >= PARALLEL_MIN_FILES
    return paths


def _in_workers(paths: list[str], query: Query, **kw: object) -> list[FolderHit | FolderError]:
    # Called directly: search_paths only forks in a single-threaded process, and a
    # test runner may have threads of its own.
    return list(_workers(paths, query, **kw))


def _workers(paths: list[str], query: Query, **kw: object) -> Iterator[FolderHit | FolderError]:
    cancelled = kw.get("cancelled", never_cancelled)
    search = _folder._Search(query, None, cancelled, kw.get("limit"), False)  # type: ignore[arg-type]
    return search.in_workers(paths, 2)


def test_worker_processes_give_the_same_results_in_the_same_order(tmp_path: Path) -> None:
    paths = _many_paths(tmp_path)
    for query in (compile_query("the"), compile_query(r"(?:tea|coffee) \w+", is_regex=True)):
        serial = list(search_paths(paths, query, jobs=1))
        assert any(isinstance(i, FolderError) for i in serial)
        assert _in_workers(paths, query) == serial
    assert not multiprocessing.active_children()


def test_worker_processes_stop_at_the_limit_and_when_cancelled(tmp_path: Path) -> None:
    paths = _many_paths(tmp_path)
    query = compile_query("the")
    serial = _hits(list(search_paths(paths, query, jobs=1)))
    assert _hits(_in_workers(paths, query, limit=25)) == serial[:25]
    calls = 0

    def soon() -> bool:
        nonlocal calls
        calls += 1
        return calls > 3

    assert len(_in_workers(paths, query, cancelled=soon)) < len(serial)
    # A consumer that walks away: the workers are stopped and reaped, not left behind.
    items = _workers(paths, query)
    next(items)
    assert multiprocessing.active_children()
    items.close()
    assert not multiprocessing.active_children()


def test_forking_only_from_a_single_thread() -> None:
    assert fork_workers(1) == 1
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert fork_workers(None) == 1  # another thread runs: never fork
    finally:
        stop.set()
        thread.join()


_CHILD = """
import sys, time
from threadtui.search import compile_query
from threadtui.search.folder import search_paths
paths = sys.argv[1:] * 400
for n, item in enumerate(search_paths(paths, compile_query("the"))):
    if n == 50:
        print("started", flush=True)
        time.sleep(60)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers only fork on Linux")
def test_ctrl_c_leaves_no_worker_behind() -> None:
    """A single-threaded process searching many files forks workers; Ctrl+C stops it
    and them (they ignore the signal themselves, the parent ends them)."""
    paths = [str(p) for p in sample_paths()]
    proc = subprocess.Popen(
        [sys.executable, "-c", _CHILD, *paths], stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        assert proc.stdout is not None
        assert proc.stdout.readline() == b"started\n"
        children = _children_of(proc.pid)
        assert children, "no worker processes were started"
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
        assert b"KeyboardInterrupt" in proc.stderr.read()  # type: ignore[union-attr]
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in children if _alive(pid)]
    finally:
        proc.kill()
        proc.wait()


def _children_of(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(p) for p in fh.read().split()]
    except OSError:
        return []


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split(")")[-1].split()[0] != "Z"
    except OSError:
        return False


_STARTED = None  # a multiprocessing.Value, inherited by the forked workers


def _counted(task: int) -> int:
    assert _STARTED is not None
    with _STARTED.get_lock():
        _STARTED.value += 1
    return task * 2


def test_workers_wait_for_a_slow_consumer() -> None:
    """Results do not pile up: the workers get only a few tasks beyond the one awaited."""
    global _STARTED
    from threadtui.search.pool import AHEAD, ordered_map

    _STARTED = multiprocessing.get_context("fork").Value("i", 0)
    results = ordered_map(_counted, iter(range(500)), 2)
    assert next(results) == 0
    time.sleep(0.5)
    assert _STARTED.value <= 1 + AHEAD * 2 + 2
    assert list(results) == [2 * n for n in range(1, 500)]
    assert _STARTED.value == 500
    assert not multiprocessing.active_children()


def test_phrases_are_found_where_one_line_folds_whitespace(tmp_path: Path) -> None:
    """A query with spaces needs its words together, but a one-line field (an author)
    folds the file's whitespace runs into single spaces: those posts still match."""
    lines = ["Thread title", "", "Opening post about nothing much at all, really.", ""]
    lines += [
        "\u00a0",
        "Ann\u00a0 Lee",
        "Jan 2, 2024 #2",
        "A reply that is long enough to be a body.",
        "",
    ]
    lines += [
        "\u00a0",
        "Bob",
        "Jan 3, 2024 #3",
        "Ann\tLee said:",
        "quoted words",
        "Click to expand...",
        "",
    ]
    lines += ["\u00a0", "Cy", "Jan 4, 2024 #4", "Ann and Lee are both here, but not together.", ""]
    path = tmp_path / "t.txt"
    path.write_text("\n".join(lines))
    query = compile_query("ann lee")
    assert prefilter_for(query).needs[0][0].text == "ann lee"
    hits = _hits(list(search_paths([str(path)], query)))
    assert [(h.post_number, h.line) for h in hits] == [(2, "Ann Lee"), (3, "Ann Lee")]
    assert [(h.location, h.hit.field, h.hit.start, h.hit.end) for h in hits] == (
        _in_thread(str(path), query)
    )


def test_alternations_of_words_are_spelled_out_with_their_neighbours() -> None:
    query = compile_query(r"(?:painted|oiled) the rusty \w+", is_regex=True, case_sensitive=True)
    needs = [tuple(a.text for a in need) for need in prefilter_for(query).needs]
    assert needs[0] == ("painted the rusty", "oiled the rusty")
    assert ("painted", "oiled") in needs
    many = compile_query("(a|b)(c|d)(e|f)(g|h)(i|j)x", is_regex=True)  # 32 spellings: too many
    assert not any(len(need) > 16 for need in prefilter_for(many).needs)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a fork server needs Linux")
def test_from_threads_workers_come_from_a_fork_server_and_cached_threads_are_read_here(
    tmp_path: Path,
) -> None:
    """The reader's search: it runs threads, so its workers are forked from a fork
    server; a thread its cache holds is searched from the cache, in its place."""
    paths = _many_paths(tmp_path)
    cached = paths[5]
    cache = ThreadCache()
    st = os.stat(cached)
    cache.put(cached, parse_path(cached), st.st_size, st.st_mtime)
    assert cache.get(cached) is not None
    read_here: list[str] = []
    real = _folder.search_files

    def spy(paths_here, *args, **kwargs):  # noqa: ANN001, ANN202
        paths_here = list(paths_here)
        read_here.extend(paths_here)
        return real(paths_here, *args, **kwargs)

    for query in (compile_query("the"), compile_query(r"(?:tea|coffee) \w+", is_regex=True)):
        serial = list(search_paths(paths, query, jobs=1))
        got: list[FolderHit | FolderError] = []
        workers_seen: list[bool] = []
        read_here.clear()

        def run(query: Query, got: list, workers_seen: list) -> None:
            _folder.search_files = spy  # type: ignore[assignment]
            try:
                items = search_paths(paths, query, cache=cache, from_threads=True)
                got.append(next(items))
                workers_seen.append(bool(multiprocessing.active_children()))
                got.extend(items)
            finally:
                _folder.search_files = real  # type: ignore[assignment]

        # Another thread runs beside the search, as the reader's UI does.
        thread = threading.Thread(target=run, args=(query, got, workers_seen))
        thread.start()
        thread.join(120)
        assert not thread.is_alive()
        assert got == serial
        assert workers_seen == [True]
        # Only the cached thread, every time it is listed, was searched in this process.
        assert read_here and set(read_here) == {cached}
        assert not multiprocessing.active_children()
