"""The parser's speed-ups give exactly the results of the plain code they short-cut."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.parsing.common import dates
from threadtui.parsing.common import lines as L
from threadtui.parsing.text_dump.body import PLAIN_FIRST_EXCLUDED, PLAIN_LAST_EXCLUDED
from threadtui.parsing.text_dump.head_rules import date_of

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")
_PIECES = st.sampled_from(["\r\n", "\r", "\n", "\n\r", "a", " ", "\u00a0", "\u2028", "\x0c", "é"])


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.text(), st.lists(_PIECES).map("".join)))
def test_split_lines_is_the_regex_split(text: str) -> None:
    assert L.split_lines(text) == _LINE_SPLIT.split(text)


_BODY_CHARS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n")
_TRICKY_LINES = st.one_of(
    st.text(_BODY_CHARS, min_size=1, max_size=30),
    st.tuples(
        st.sampled_from(["", "x ", "Quote from: ", "View attachment 1 ", "Reactions: ", "> "]),
        st.text(_BODY_CHARS, max_size=10),
        st.sampled_from(["", " said:", ".PNG", ".jpeg", ".Mp4", "...", ":", "↑", "\u212a"]),
    ).map("".join),
)


@settings(max_examples=1000, deadline=None)
@given(_TRICKY_LINES)
def test_plain_body_lines_match_no_rule(line: str) -> None:
    """A line the body fast path appends straight to the paragraph matches no body rule."""
    line = L.strip(line)
    if not line or line[0] in PLAIN_FIRST_EXCLUDED or line[-1] in PLAIN_LAST_EXCLUDED:
        return
    assert not line.startswith(">")
    assert line != L.QUOTE_CLOSE
    assert L.quote_open(line) is None
    assert L.ORIGINAL_RE.fullmatch(line) is None
    assert L.attachment_name(line) is None
    assert L.link(line) is None
    assert not L.is_trailer(line)


def test_attachment_last_characters_cover_every_case_mapping() -> None:
    """``line[-4:].lower()`` may meet an extension through any character that lowercases
    to an extension's last letter; every such character is in the excluded set."""
    lasts = {ext[-1] for ext in L.ATTACHMENT_EXTENSIONS}
    missing = [
        hex(code)
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF
        and chr(code).lower()[-1:] in lasts
        and chr(code) not in PLAIN_LAST_EXCLUDED
    ]
    assert missing == []


def _date_of_reference(line: str) -> str | None:
    first = line[0]
    if not (first.isdigit() or first.isalpha()):
        return None
    if re.search("[\x1c-\x1f\x85]", line):
        return None  # the dates module's "\s" takes these: they are content here
    iso = dates.whole_line_date(line)
    if iso is not None:
        return iso
    meta = L.TRAILING_META_RE.search(line)
    if meta and meta.start() > 0:
        return dates.whole_line_date(line[: meta.start()])
    return None


_META_LINES = st.tuples(
    st.sampled_from(["May 4, 2023", "2023-05-04", "16 Jul 2008 at 7:19 AM", "x", "4"]),
    st.sampled_from(["", " ", "\x1f", "\u00a0", "\t"]),
    st.sampled_from(["#2", "Post #3 of 7", "Thread Starter", "OP", "op", "#٣", "Original Poster"]),
    st.sampled_from(["", " ", "\x1c", "\u3000", ".", "x"]),
).map("".join)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(_META_LINES, st.text(min_size=1, max_size=40)))
def test_date_of_matches_reference(line: str) -> None:
    line = L.strip(line)
    if line:
        assert date_of(line) == _date_of_reference(line)


def test_stats_first_holds_every_character_a_stats_key_can_start_with() -> None:
    """The head tries STATS_RE only on a line whose first character is in STATS_FIRST;
    under IGNORECASE a key may start with more than its ASCII letters ("ſ" is "s")."""
    keys = L.STATS_RE.pattern.split("(?P<key>", 1)[1].split(")", 1)[0].split("|")
    initials = re.compile("|".join(sorted({key[0] for key in keys})), re.IGNORECASE)
    can_start = {
        chr(code)
        for code in range(0x110000)
        if not 0xD800 <= code <= 0xDFFF and initials.fullmatch(chr(code))
    }
    assert can_start <= L.STATS_FIRST


@settings(max_examples=1000, deadline=None)
@given(st.from_regex(dates._WHOLE_DATE, fullmatch=True))
def test_every_date_starts_with_a_digit_or_a_date_start(text: str) -> None:
    """``date_of`` returns None at once for other lines; here, lines the date regex takes."""
    line = L.strip(text)
    if line and (line[0].isdigit() or line[0].isalpha()):
        assert line[0].isdigit() or line[:3] in dates.DATE_STARTS


def test_threads_parsing_at_once_get_the_same_threads() -> None:
    """The scan and the thread loader parse in two threads at once; date_of's memo of
    the last line must never hand one parser the other's answer."""
    from concurrent.futures import ThreadPoolExecutor

    from _support import sample_paths

    from threadtui.model import thread_to_json
    from threadtui.parsing import parse_bytes

    datas = [path.read_bytes() for path in sample_paths()] * 4
    expected = [thread_to_json(parse_bytes(data)) for data in datas]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda data: thread_to_json(parse_bytes(data)), datas))
    assert got == expected
