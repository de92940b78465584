"""Date normalisation: the fast reader agrees with dateutil wherever it answers."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.parsing.common import dates

MONTHS = [
    "Jan", "January", "Feb", "February", "Mar", "March", "Apr", "April", "May", "Jun", "June",
    "Jul", "July", "Aug", "August", "Sep", "Sept", "September", "Oct", "October", "Nov",
    "November", "Dec", "December", "may", "MAY", "Mayday", "Janx",
]  # fmt: skip


@st.composite
def date_strings(draw: st.DrawFn) -> str:
    y = draw(st.integers(0, 2100))
    m = draw(st.integers(0, 13))
    d = draw(st.integers(0, 32))
    mon = draw(st.sampled_from(MONTHS))
    suffix = draw(st.sampled_from(["", "st", "nd", "rd", "th"]))
    dot = draw(st.sampled_from(["", "."]))
    comma = draw(st.sampled_from(["", ","]))
    base = draw(
        st.sampled_from(
            [
                f"{mon}{dot} {d}{suffix}{comma} {y:04d}",
                f"{d}{suffix} {mon}{dot}{comma} {y:04d}",
                f"{y:04d}-{m:02d}-{d:02d}",
            ]
        )
    )
    if draw(st.booleans()):
        h, mi, s = draw(st.integers(0, 25)), draw(st.integers(0, 61)), draw(st.integers(0, 61))
        sep = draw(st.sampled_from([" ", ", ", " at ", "T"]))
        secs = f":{s:02d}" if draw(st.booleans()) else ""
        ampm = draw(st.sampled_from(["", "", " AM", " PM", "am", " pm"]))
        base += f"{sep}{h:{draw(st.sampled_from(['', '02']))}}:{mi:02d}{secs}{ampm}"
    return base


@settings(max_examples=1500, deadline=None)
@given(date_strings())
def test_fast_path_agrees_with_dateutil(raw: str) -> None:
    fast = dates._fast(raw)
    if fast is dates._Defer.TO_DATEUTIL:
        return
    assert fast == dates._slow(raw)


@pytest.mark.parametrize(
    ("raw", "iso"),
    [
        ("May 4, 2023", "2023-05-04"),
        ("May 4, 2023 at 9:48 PM", "2023-05-04T21:48"),
        ("16 Jul 2008 at 7:19 AM", "2008-07-16T07:19"),
        ("Sept 3rd, 2021", "2021-09-03"),
        ("2023-05-04 10:00", "2023-05-04T10:00"),
        ("12/10/2011 5:56:36 PM", "2011-12-10T17:56:36"),
        ("Wed Aug 08, 2007 7:52 pm", "2007-08-08T19:52"),
        ("2021-09", "2021-09"),
        ("2021-13", None),
        ("Feb 30, 2023", None),
        ("May 4, 2023 13:00 PM", None),
    ],
)
def test_normalise(raw: str, iso: str | None) -> None:
    assert dates.normalise(raw) == iso


@pytest.mark.parametrize(
    ("line", "iso"),
    [
        ("  May 4, 2023 ", "2023-05-04"),
        ("Mar 15, 2022 at 9:48 PM", "2022-03-15T21:48"),
        ("May 4, 2023 #2", None),
        ("I saw it on May 4, 2023.", None),
        ("May", None),
    ],
)
def test_whole_line_date(line: str, iso: str | None) -> None:
    assert dates.whole_line_date(line) == iso
