"""lines.SP and lines.NON_SP are exactly WHITESPACE and its complement, over all of Unicode."""

from __future__ import annotations

import re

from threadtui.parsing.common import lines as L


def test_sp_is_whitespace_and_non_sp_everything_else() -> None:
    sp, non_sp = re.compile(L.SP), re.compile(L.NON_SP)
    wrong = [
        hex(code)
        for code in range(0x110000)
        if bool(sp.fullmatch(chr(code))) != (chr(code) in L.WHITESPACE)
        or bool(non_sp.fullmatch(chr(code))) == (chr(code) in L.WHITESPACE)
    ]
    assert wrong == []
    assert all(not sp.fullmatch(c) for c in L.CONTROL_SPACES)
