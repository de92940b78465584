"""A hit's line: the line of the match, clipped around it."""

from __future__ import annotations

from threadtui.search.hits import hit_line


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
