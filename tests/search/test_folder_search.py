"""Folder-wide search: hits agree with the in-thread search, errors do not stop the search,
the cache, the limit and cancellation work."""

from __future__ import annotations

import json
import os
import unicodedata
from pathlib import Path

import pytest
from _folder_support import fields_of, hits_of, in_thread
from _support import sample_paths

from threadtui.library import CACHE_MIN_BYTES, ThreadCache
from threadtui.model import Thread, thread_to_json
from threadtui.parsing import parse_path
from threadtui.parsing.common.decode import decode
from threadtui.safe import visible
from threadtui.search import ARTICLE, Query, ThreadIndex, compile_query
from threadtui.search.folder import FolderError, search_paths
from threadtui.search.prefilter import prefilter_for

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
    for hit in hits_of(items):
        got.setdefault(hit.path, []).append(
            (hit.location, hit.hit.field, hit.hit.start, hit.hit.end)
        )
        assert hit.location == hit.hit.location
    for path in paths:
        assert got.get(path, []) == in_thread(path, query), path
    # Files come in the order given.
    order = [h.path for h in hits_of(items)]
    assert order == sorted(order, key=paths.index)


def test_some_sample_queries_match_and_some_are_ruled_out_cheaply() -> None:
    # Keeps the agreement test honest: it must see both outcomes.
    paths = [str(p) for p in sample_paths()]
    assert hits_of(list(search_paths(paths, compile_query("the"))))
    assert not hits_of(list(search_paths(paths, compile_query("zzz-no-such-text"))))
    prefilter = prefilter_for(compile_query("zzz-no-such-text"))
    assert prefilter.exact
    admitted = [p for p in paths if prefilter.admits(decode(Path(p).read_bytes()).text, p)]
    # Only a file with a byline (its text is rewritten, so it is always parsed) gets through.
    assert len(admitted) < len(paths) // 2
    assert all("\u2022" in Path(p).read_text(encoding="utf-8") for p in admitted)


def test_hit_fields() -> None:
    path = next(str(p) for p in sample_paths() if "hiking" in p.name)
    thread = parse_path(path)
    hits = hits_of(list(search_paths([path], compile_query("ridge"))))
    assert hits
    replies = [p for p, _ in thread.walk_replies()]
    for hit in hits:
        assert hit.path == path
        assert hit.title == thread.title
        expected_number = 1 if hit.location == ARTICLE else replies[hit.location].number
        assert hit.post_number == expected_number
        field = fields_of(thread, hit.location)[hit.hit.field]
        assert (
            unicodedata.normalize("NFC", field[hit.hit.start : hit.hit.end]).casefold() == "ridge"
        )
        assert hit.line[hit.line_start : hit.line_end] == field[hit.hit.start : hit.hit.end]
        assert "\n" not in hit.line and visible(hit.line) == hit.line
    assert any(h.location == ARTICLE for h in hits) and any(h.location >= 0 for h in hits)


def test_json_threads_agree_too(tmp_path: Path) -> None:
    source = next(p for p in sample_paths() if "tea" in p.name)
    thread = parse_path(source)
    # threadtui/1 JSON escapes text ("\\u00e9", "\\n"), so it is parsed, never prefiltered.
    target = tmp_path / "tea.json"
    target.write_text(json.dumps(thread_to_json(thread), ensure_ascii=True))
    for query in (compile_query("café"), compile_query("milk"), compile_query("strong, with")):
        hits = hits_of(list(search_paths([str(target)], query)))
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
    hits = hits_of(list(search_paths([str(nameless)], compile_query("zebrafinch"))))
    assert [h.title for h in hits] == ["zebrafinch-notes"]
    # A byline's date is rewritten to ISO and its parts joined with " · ".
    byline = tmp_path / "byline.txt"
    byline.write_text(
        "Council votes on bike lanes\n\n• Peter Martin - Bloomberg News\n• May 4, 2023\n\n"
        "The council voted.\n"
    )
    for text in ("2023-05-04", "Martin · Bloomberg"):
        query = compile_query(text)
        assert in_thread(str(byline), query), "the parser made no byline"
        assert len(hits_of(list(search_paths([str(byline)], query)))) == 1


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
    assert [(e.path, e.error) for e in errors] == [  # an empty file holds no match: no error
        (paths[1], "no such file"),
        (str(binary), "binary file, not a text thread"),
    ]
    assert {h.path for h in hits_of(items)} == set(good)
    # Errors come in their place in the path order.
    kinds = [i.path for i in items if isinstance(i, FolderError) or i.path not in good[1:]]
    assert kinds.index(paths[1]) < kinds.index(str(binary))
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
    first = hits_of(list(search_paths([str(path)], compile_query("ridge"), cache=cache)))
    assert first
    assert cache.get(str(path)) is None  # small: parsing it again is cheaper than keeping it
    # A cached thread is what the search uses: give it a different title to see.
    thread = parse_path(path)
    st_ = os.stat(path)
    renamed = Thread(title="From the cache", article=thread.article, replies=thread.replies)
    cache.put(str(path), renamed, st_.st_size, st_.st_mtime)
    again = hits_of(list(search_paths([str(path)], compile_query("ridge"), cache=cache)))
    assert [h.title for h in again] == ["From the cache"] * (len(first) - 1)  # title hit gone
    # A big file parsed by the search is kept; one the prefilter rules out is not parsed.
    big = tmp_path / "big.txt"
    big.write_text("Big one\n\n" + "ridge walk today. " * (CACHE_MIN_BYTES // 16))
    assert hits_of(list(search_paths([str(big)], compile_query("ridge"), cache=cache, limit=1)))
    assert cache.get(str(big)) is not None
    other = tmp_path / "other.txt"
    other.write_text("Big two\n\n" + "nothing to see. " * (CACHE_MIN_BYTES // 16))
    list(search_paths([str(other)], compile_query("ridge"), cache=cache))
    assert cache.get(str(other)) is None


def test_limit_stops_after_that_many_hits() -> None:
    paths = [str(p) for p in sample_paths()]
    everything = hits_of(list(search_paths(paths, compile_query("the"))))
    assert len(everything) > 5
    assert hits_of(list(search_paths(paths, compile_query("the"), limit=5))) == everything[:5]
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
    everything = hits_of(list(search_paths(paths, compile_query("the"))))
    assert len(hits_of(items)) < len(everything)
    assert {h.path for h in hits_of(items)} <= set(paths[:2])


def test_cancelled_inside_a_big_thread(tmp_path: Path) -> None:
    lines = ["Big thread", "", "Opening post here.", ""]
    for n in range(2, 3000):
        lines += ["\u00a0", f"poster{n % 7}", f"Jan 1, 2024 #{n}", f"reply {n} says kettle", ""]
    big = tmp_path / "big.txt"
    big.write_text("\n".join(lines))
    query = compile_query("kettle")
    assert len(hits_of(list(search_paths([str(big)], query)))) == 2998
    state = {"hits": 0}

    def stop_soon() -> bool:
        return state["hits"] >= 10

    got = 0
    for _item in search_paths([str(big)], query, cancelled=stop_soon):
        got += 1
        state["hits"] = got
    assert got < 2998
