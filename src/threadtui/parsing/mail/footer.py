"""Mailing-list footers: found at the end of a body (or of a quoted passage) and set aside.

Mailman and its kin append a footer to every message ("fedora-devel-list
mailing list … listinfo …"), and replies quote it back. It is the list's
chrome, not anyone's words: each footer's lines go to a :class:`SiteChrome`
(once per distinct line, whatever the number of messages carrying it), which
becomes the thread's ``site_chrome``, and the body is read without them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

from threadtui.parsing.common.site_chrome import SiteChrome

T = TypeVar("T")

#: The line a footer starts under: a signature dash or a rule.
_SEPARATOR_LIKE = re.compile(r"--\s?|_{5,}|-{5,}|={5,}")
#: What a footer says (somewhere in its lines).
_FOOTER_WORDS = re.compile(
    r"mailing list|listinfo|/mailman/|unsubscribe|list-?archive"
    r"|you received this (?:message|email) because|subscribed to the",
    re.IGNORECASE,
)
#: Where the list lives: a footer names an address or a page (a sentence that merely
#: mentions "the kernel mailing list" under a rule is the author's, and stays).
_FOOTER_ADDRESS = re.compile(r"https?://|www\.|\S@\S")
#: How many lines a footer may have under its separator.
_FOOTER_MAX_LINES = 12


def strip_footer(
    lines: Sequence[T], begin: int, end: int, text_of: Callable[[T], str], chrome: SiteChrome
) -> int:
    """Where the list footer at the end of ``lines[begin:end]`` starts (``end`` if none).

    ``text_of`` gives a line's text (the lines of a quote carry their depth too).

    A footer is a separator line (``--``, ``-- ``, ``_____``) followed by a few
    lines, to the end, that name a mailing list or its listinfo page and give an
    address or a link. Its lines go to ``chrome``.
    """
    found = True
    while found:  # a footer may sit over another (a cross-posted announcement)
        found = False
        last = end
        while last > begin and not text_of(lines[last - 1]).strip():
            last -= 1
        lowest = max(begin, last - _FOOTER_MAX_LINES - 1)
        for s in range(last - 1, lowest - 1, -1):
            if _SEPARATOR_LIKE.fullmatch(text_of(lines[s])) is None:
                continue
            rest = [text_of(line).strip() for line in lines[s + 1 : last]]
            rest = [line for line in rest if line]
            said = "\n".join(rest)
            if rest and _FOOTER_WORDS.search(said) and _FOOTER_ADDRESS.search(said):
                for line in rest:
                    chrome.add(line)
                end = s
                found = True
                break
    return end


def without_quoted_footers(
    items: list[tuple[int, str]], chrome: SiteChrome
) -> list[tuple[int, str]]:
    """``items`` without a list footer quoted at the end of a same-depth passage."""
    if not any(_FOOTER_WORDS.search(text) for _depth, text in items):
        return items
    out = list(items)
    end = len(out)
    while end > 0:
        depth = out[end - 1][0]
        begin = end
        while begin > 0 and out[begin - 1][0] in (depth, 0):
            begin -= 1
        cut = strip_footer(out, begin, end, lambda item: item[1], chrome)
        if cut < end:
            del out[cut:end]
        end = begin
    return out
