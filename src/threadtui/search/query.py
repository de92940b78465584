"""A search query: smart case, full Unicode case folding, NFC, regex and whole word.

Everything that decides *whether text matches* lives here, so the reader's
highlights, its match count, the folder search and ``threadtui search`` can
never disagree. The ``regex`` module is used instead of ``re`` because it does
full case folding ("strasse" finds "Straße"), which ``re`` cannot.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from functools import cache, lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import regex

__all__ = [
    "FIELD_TIMEOUT",
    "Query",
    "QueryError",
    "QueryTimeout",
    "compile_query",
    "find_spans",
    "nfc_view",
]


@cache
def _escapes() -> regex.Pattern[str]:
    import regex

    return regex.compile(r"\\.", regex.DOTALL)


#: Seconds a pattern may run over one field. The ``regex`` module can run for ever on
#: a few patterns (``(?fi)\w?J\u030c`` against "ǰx"), and highlights are found on the
#: UI thread; a field of real text takes microseconds.
FIELD_TIMEOUT = 0.1


class QueryError(ValueError):
    """A query that cannot be searched for (a bad regular expression)."""


class QueryTimeout(QueryError):
    """The pattern ran longer than it was allowed to (see :data:`FIELD_TIMEOUT`)."""


@dataclass(frozen=True, slots=True)
class Query:
    """A compiled query. Build it with :func:`compile_query`."""

    text: str
    is_regex: bool
    whole_word: bool
    case_sensitive: bool
    pattern: regex.Pattern[str] = field(compare=False, repr=False)


def smart_case_sensitive(text: str, *, is_regex: bool) -> bool:
    """True when ``text`` holds a capital letter (outside regex escapes such as ``\\S``)."""
    if is_regex:
        text = _escapes().sub("", text)
    return any(ch.isupper() for ch in text)


def compile_query(
    text: str,
    *,
    is_regex: bool = False,
    whole_word: bool = False,
    case_sensitive: bool | None = None,
) -> Query:
    """Compile ``text``; ``case_sensitive=None`` means smart case.

    Raises:
        QueryError: the query is empty, or a regular expression that does not compile.
    """
    if not text:
        raise QueryError("empty query")
    if case_sensitive is None:
        case_sensitive = smart_case_sensitive(text, is_regex=is_regex)
    return _compile(unicodedata.normalize("NFC", text), is_regex, whole_word, case_sensitive)


@lru_cache(maxsize=64)
def _compile(text: str, is_regex: bool, whole_word: bool, case_sensitive: bool) -> Query:
    # Imported here, not at the top: it takes ~6 ms, and the reader's first frame
    # needs nothing from it (the first query pays it once).
    import regex

    source = text if is_regex else regex.escape(text)
    if whole_word:
        # As grep -w: the match is neither preceded nor followed by a word character.
        # Lookarounds (not \b) so that patterns starting with punctuation work too.
        source = rf"(?<!\w)(?:{source})(?!\w)"
    # MULTILINE: ^ and $ match at line starts and ends inside a paragraph.
    flags = regex.MULTILINE | regex.V0
    if not case_sensitive:
        flags |= regex.IGNORECASE | regex.FULLCASE
    try:
        pattern = regex.compile(source, flags)
    except (regex.error, OverflowError, RecursionError, ValueError) as exc:
        raise QueryError(f"bad regular expression: {exc}") from None
    if pattern.flags & regex.REVERSE:
        # (?r) makes finditer run from the end backwards and match() anchor at the end:
        # match starts would come out of order, and a hit could not be found again
        # from its start.
        raise QueryError("bad regular expression: reverse search (?r) is not supported")
    return Query(text, is_regex, whole_word, case_sensitive, pattern)


# --------------------------------------------------------------------------- NFC


@cache
def _graphemes() -> regex.Pattern[str]:
    import regex

    return regex.compile(r"\X", regex.DOTALL)


@dataclass(frozen=True, slots=True)
class NfcView:
    """``text`` in NFC with a map back: ``starts[i]``/``ends[i]`` bound the
    original cluster that normalised character ``i`` came from."""

    text: str
    starts: list[int] | None = None
    ends: list[int] | None = None

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """The span in the original text covering normalised ``[start, end)``.

        Offsets outside the normalised text are clamped to it (to the original's end
        past it), so a span that overshoots the field still maps inside the field
        instead of raising IndexError.
        """
        if self.starts is None or self.ends is None:
            return start, end
        size = len(self.starts)
        start = min(max(start, 0), size)
        end = min(max(end, start), size)
        if start == size:
            # Nothing left to cover: an empty span at the original's end (ends[-1]; a
            # changed text is never empty, so there is one).
            return self.ends[-1], self.ends[-1]
        first = self.starts[start]
        return first, (self.ends[end - 1] if end > start else first)


def nfc_view(text: str) -> NfcView:
    """``text`` normalised to NFC, with offsets back to ``text`` when it changed.

    Most text is already NFC (a fast C check), and then it is used as is. Otherwise
    each grapheme cluster is normalised on its own: composition never crosses a
    cluster boundary, so the pieces join to the NFC of the whole, and every
    normalised character knows the original cluster it belongs to.
    """
    if unicodedata.is_normalized("NFC", text):
        return NfcView(text)
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for match in _graphemes().finditer(text):
        piece = unicodedata.normalize("NFC", match.group())
        pieces.append(piece)
        starts.extend([match.start()] * len(piece))
        ends.extend([match.end()] * len(piece))
    return NfcView("".join(pieces), starts, ends)


def find_spans(query: Query, text: str) -> list[tuple[int, int]]:
    """Every non-empty match of ``query`` in ``text``, as spans of ``text`` itself.

    Raises:
        QueryTimeout: the pattern ran over :data:`FIELD_TIMEOUT` on this text.
    """
    view = nfc_view(text)
    try:
        found = query.pattern.finditer(view.text, timeout=FIELD_TIMEOUT)
        spans = [m.span() for m in found if m.end() > m.start()]
    except TimeoutError:
        raise QueryTimeout("the pattern takes too long to search") from None
    if view.starts is None:
        return spans
    return [view.original_span(start, end) for start, end in spans]
