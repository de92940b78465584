"""The prefilter never drops a file with a match; phrases and alternations make rarer needs."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import regex
from _folder_support import all_fields, dumps, hits_of, in_thread, queries_for
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from threadtui.parsing import ParseError, parse_bytes
from threadtui.parsing.common.decode import decode
from threadtui.search import Query, QueryError, ThreadIndex, compile_query
from threadtui.search.folder import search_paths
from threadtui.search.prefilter import prefilter_for


@settings(
    max_examples=250,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(dumps(), st.data())
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
            spec = data.draw(queries_for(thread))
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
        for field in all_fields(thread):
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
    hits = hits_of(list(search_paths([str(path)], query)))
    assert [(h.post_number, h.line) for h in hits] == [(2, "Ann Lee"), (3, "Ann Lee")]
    assert [(h.location, h.hit.field, h.hit.start, h.hit.end) for h in hits] == (
        in_thread(str(path), query)
    )


def test_alternations_of_words_are_spelled_out_with_their_neighbours() -> None:
    query = compile_query(r"(?:painted|oiled) the rusty \w+", is_regex=True, case_sensitive=True)
    needs = [tuple(a.text for a in need) for need in prefilter_for(query).needs]
    assert needs[0] == ("painted the rusty", "oiled the rusty")
    assert ("painted", "oiled") in needs
    many = compile_query("(a|b)(c|d)(e|f)(g|h)(i|j)x", is_regex=True)  # 32 spellings: too many
    assert not any(len(need) > 16 for need in prefilter_for(many).needs)
