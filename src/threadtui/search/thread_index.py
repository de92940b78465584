"""Searching a whole thread fast: its fields joined into a few big strings.

Running a pattern over 400,000 small fields costs a Python call each; over a
handful of one-megabyte chunks it costs almost nothing beyond the regex engine
itself. Fields are joined with a separator holding NUL, which never occurs in
field text (:func:`threadtui.safe.visible` turns NUL into ``␀``), so a match
that contains NUL is one that ran across two fields; those rare matches are
redone field by field, which keeps the answer exactly "the matches of each
field" for any pattern that sees no more than the text it matches and the
characters right beside it (the separator's line breaks, which look like the
start and end of a field to ``^``, ``$`` and ``\\b``). A pattern that can see
further (a lookaround, ``\\A``, ``\\K``, ...) would see the separator and the
neighbouring fields, so it is run over each field on its own instead.

Matches are kept as two flat arrays of positions, so a query matching half a
million times costs a few megabytes, and the k-th match, the match after a
place and the matches inside folded replies are all found by bisection.

The count comes first. A plain ASCII query in an ASCII chunk (nearly every
query and every chunk) is counted with ``str.count`` on the chunk (lowered for
a query in lower case), which finds exactly the non-overlapping matches
``finditer`` would, about three times faster for "the" and twenty times for
"e"; that chunk's match starts are found only when a step or a fold count
first needs them.

The module is a little over 500 lines on purpose: the index and its result share
the chunk layout (separator, chunk starts, the per-chunk lazy starts), and split
apart each would have to reach into the other's private arrays.
"""

from __future__ import annotations

import re
import time
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from unicodedata import is_normalized

from threadtui.model import Thread
from threadtui.search.fields import ARTICLE, article_fields, header_count, reply_fields
from threadtui.search.query import NfcView, Query, QueryTimeout, nfc_view

if TYPE_CHECKING:
    import regex

#: Between two fields in a chunk. NUL cannot occur inside a field.
SEPARATOR = "\n\x00\n"
#: Characters per chunk: big enough to amortise calls, small enough that one
#: emoji only widens its own chunk to four bytes a character.
CHUNK_CHARS = 1 << 20


@dataclass(frozen=True, slots=True)
class Hit:
    """One match: where it is (location, field number) and its span in the field."""

    location: int
    field: int
    start: int
    end: int


def never_cancelled() -> bool:
    return False


class ThreadIndex:
    """The searchable text of one thread, built once and searched many times.

    Field ``f`` starts at global position ``field_starts[f]``; every field is
    followed by :data:`SEPARATOR`, so its length is the gap to the next start
    minus the separator. Reply ``r``'s fields are ``reply_first_field[r]`` up to
    ``reply_first_field[r + 1]``; the article's come before them all.
    """

    #: Seconds the reader lets a pattern run over one chunk (a megabyte) before giving
    #: up; a real regular expression takes milliseconds.
    CHUNK_TIMEOUT = 5.0

    def __init__(self, thread: Thread, cancelled: Callable[[], bool] = never_cancelled) -> None:
        self.field_starts = array("q")
        self.reply_first_field = array("q")
        self.reply_header_fields = array("b")
        self._views: dict[int, NfcView] = {}  # fields whose NFC form differs
        self.chunks: list[tuple[int, str]] = []
        self.chunk_ascii: list[bool] = []  # per chunk: all ASCII (the counting fast path)
        self._parts: list[str] = []
        self._chunk_base = 0
        self.end = 0  # one past the last field's separator
        self.cancelled = False
        self._add(article_fields(thread))
        flat = not any(post.replies for post in thread.replies)
        posts = thread.replies if flat else (post for post, _ in thread.walk_replies())
        first, header_counts = self.reply_first_field, self.reply_header_fields
        for number, post in enumerate(posts):
            if number % 1024 == 0 and cancelled():
                self.cancelled = True
                return
            first.append(len(self.field_starts))
            fields = reply_fields(post)
            header_counts.append(header_count(post))
            self._add(fields)
        self.reply_first_field.append(len(self.field_starts))
        self._flush()
        del self._parts

    @property
    def reply_count(self) -> int:
        """Replies indexed."""
        return len(self.reply_first_field) - 1

    def _add(self, fields: Iterable[str]) -> None:
        sep = len(SEPARATOR)
        starts, parts = self.field_starts, self._parts
        position = self.end
        for text in fields:
            if not text.isascii() and not is_normalized("NFC", text):
                view = nfc_view(text)
                self._views[len(starts)] = view
                text = view.text
            starts.append(position)
            parts.append(text)
            position += len(text) + sep
        self.end = position
        if position - self._chunk_base >= CHUNK_CHARS:
            self._flush()

    def _flush(self) -> None:
        if self._parts:
            self._parts.append("")  # so the chunk ends with a separator too
            text = SEPARATOR.join(self._parts)
            self.chunks.append((self._chunk_base, text))
            self.chunk_ascii.append(text.isascii())
            self._parts = []
        self._chunk_base = self.end

    def field_at(self, position: int) -> int:
        """The field holding global ``position``."""
        return bisect_right(self.field_starts, position) - 1

    def field_length(self, field: int) -> int:
        """Characters in ``field`` (its NFC form)."""
        nxt = self.field_starts[field + 1] if field + 1 < len(self.field_starts) else self.end
        return nxt - self.field_starts[field] - len(SEPARATOR)

    def location_of(self, field: int) -> tuple[int, int]:
        """(location, field number within it) of global field ``field``."""
        first = self.reply_first_field
        if not first or field < first[0]:
            return ARTICLE, field
        reply = bisect_right(first, field) - 1
        return reply, field - first[reply]

    def first_field_of(self, location: int) -> int:
        """Global number of ``location``'s first field (the end for past-the-end)."""
        if location == ARTICLE:
            return 0
        return self.reply_first_field[min(location, self.reply_count)]

    def position_of_field(self, field: int) -> int:
        """Global position where ``field`` starts (the end for past-the-end)."""
        return self.field_starts[field] if field < len(self.field_starts) else self.end

    def search(
        self,
        query: Query,
        cancelled: Callable[[], bool] = never_cancelled,
        *,
        timeout: float | None = None,
    ) -> SearchResult | None:
        """Every match of ``query``; None when ``cancelled()`` turned true on the way.

        The result may hold only counts for some chunks; their match starts are
        found when first asked for (see :class:`SearchResult`).

        Raises:
            QueryTimeout: the pattern ran over ``timeout`` seconds on one chunk (the
                ``regex`` module can run for ever on a few patterns, and a worker
                stuck in it could not even be cancelled).
        """
        try:
            return self._search(query, cancelled, timeout)
        except TimeoutError:
            raise QueryTimeout("the pattern takes too long to search") from None

    def _search(
        self, query: Query, cancelled: Callable[[], bool], timeout: float | None
    ) -> SearchResult | None:
        found: list[tuple[int, int, array[int] | None]] = []
        finditer = query.pattern.finditer
        needle = _ascii_needle(query)
        per_field = _looks_past_match(query)
        # A regex, or a literal holding a line break or NUL (typed through the API or
        # pasted into the bar), can match into a separator; a regex can match empty.
        exact = query.is_regex or "\n" in query.text or "\x00" in query.text
        for (base, text), ascii_only in zip(self.chunks, self.chunk_ascii, strict=True):
            if cancelled():
                return None
            if needle is not None and ascii_only:
                # ASCII case folding is lower(), so this counts what the pattern would match.
                count = (text if query.case_sensitive else text.lower()).count(needle)
                if count:
                    found.append((base, count, None))
                continue
            if per_field:
                starts = self._per_field_starts(query, base, text, timeout)
            elif exact:
                spans = self._exact_spans(query, base, text, timeout)
                starts = array("q", [s for s, _ in spans])
            else:
                # concurrent: the regex engine lets go of the GIL, so the UI
                # thread keeps drawing while a big thread is searched.
                matches = finditer(text, concurrent=True, timeout=timeout)
                starts = array("q", [m.start() for m in matches])
            if starts:
                found.append((base, len(starts), starts))
        return SearchResult(self, query, found)

    def _exact_spans(
        self, query: Query, base: int, text: str, timeout: float | None = None
    ) -> list[tuple[int, int]]:
        """A chunk's non-empty match spans, each inside one field.

        A match that touches a separator (holds its NUL, or starts or ends on
        one of its newlines) ran across fields or between them; the fields it
        touched are searched again one by one, which gives the field-by-field
        answer for any pattern that :func:`_looks_past_match` lets through.
        """
        found = query.pattern.finditer(text, concurrent=True, timeout=timeout)
        spans = [m.span() for m in found]
        matched = "".join([text[s:e] for s, e in spans])
        if "\n" not in matched and "\x00" not in matched:
            # Most patterns never match a line break: no match can touch a separator.
            return [(s, e) for s, e in spans if e > s]
        bad = [k for k, (s, e) in enumerate(spans) if e > s and _touches_separator(text, s, e)]
        if not bad:
            return [(s, e) for s, e in spans if e > s]
        out: list[tuple[int, int]] = []
        done_field = -1  # fields up to here were searched one by one
        done_until = -1  # and they end here (chunk position)
        bad_set = set(bad)
        for k, (s, e) in enumerate(spans):
            if e == s or (s < done_until and k not in bad_set):
                continue
            if k not in bad_set:
                out.append((s, e))
                continue
            first = max(self.field_at(base + s), done_field + 1)
            last = max(self.field_at(base + e - 1), first - 1)
            if first > last:
                continue  # wholly inside fields already redone
            first_start = self.field_starts[first] - base
            while out and out[-1][0] >= first_start:
                out.pop()  # found again below
            for f in range(first, last + 1):
                local = self.field_starts[f] - base
                for m in query.pattern.finditer(text, local, local + self.field_length(f)):
                    if m.end() > m.start():
                        out.append(m.span())
            done_field = last
            done_until = self.field_starts[last] - base + self.field_length(last)
        return out

    def _per_field_starts(
        self, query: Query, base: int, text: str, timeout: float | None
    ) -> array[int]:
        """A chunk's match starts, each field searched on its own (see the module's doc).

        ``timeout`` bounds the whole chunk, as it does for the other paths.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        starts = array("q")
        f = self.field_at(base)
        fields = len(self.field_starts)
        while f < fields and self.field_starts[f] < base + len(text):
            local = self.field_starts[f] - base
            left = None if deadline is None else deadline - time.monotonic()
            if left is not None and left <= 0:
                raise TimeoutError
            piece = text[local : local + self.field_length(f)]
            starts.extend(local + s for s, _ in _nonempty_spans(query.pattern, piece, left))
            f += 1
        return starts

    def field_spans(
        self, query: Query, field: int, timeout: float | None = None
    ) -> list[tuple[int, int]]:
        """``query``'s non-empty matches in ``field`` alone, as spans of its NFC text.

        This is the per-field answer the chunk search keeps to, and what the
        highlights find too (:func:`threadtui.search.query.find_spans`).
        """
        base, text = self.chunk_of(self.field_starts[field])
        local = self.field_starts[field] - base
        return _nonempty_spans(
            query.pattern, text[local : local + self.field_length(field)], timeout
        )

    def chunk_of(self, position: int) -> tuple[int, str]:
        """(base, text) of the chunk holding global ``position``."""
        k = bisect_right(self.chunks, position, key=lambda c: c[0]) - 1
        return self.chunks[k]


def _ascii_needle(query: Query) -> str | None:
    """What ``str.count`` can look for instead of running ``query``'s pattern, if anything.

    Only a plain, ASCII query qualifies (whole word needs its lookarounds), and
    one without a line break or NUL, which could match into a field separator.
    """
    text = query.text
    if query.is_regex or query.whole_word or not text.isascii():
        return None
    if "\n" in text or "\x00" in text:
        return None
    return text if query.case_sensitive else text.lower()


#: Regex syntax that lets a pattern see text outside its match, beyond the one
#: character each side that the separator's line breaks stand in for:
#: - lookarounds and conditionals;
#: - \A \Z \z and \G (they also differ between a chunk searched from a position
#:   and a field of its own);
#: - \K, which reports a match's start after text it consumed (maybe a separator);
#: - \X, which counts regional indicators backwards; backtracking verbs;
#: - a flag turned off (``(?-m)``: ``$`` only at the chunk's end) and ``(?w)``
#:   (Unicode word and line boundaries look further);
#: - fuzzy matching (``{e<=1}``), whose matches move with the text before them:
#:   "(?:café){e<=1}" matches all of "\u0301café" after a separator, but only "café"
#:   in that field on its own.
#: Sniffing the source is conservative: a false alarm (an escaped backslash before
#: an A, the braces of ``\p{Lu}``) only costs speed.
_LOOKING = ("(?=", "(?!", "(?<=", "(?<!", "(?(", "\\A", "\\Z", "\\z", "\\G", "\\K", "\\X", "(*")
_FLAG_OFF_OR_WORD = re.compile(r"\(\?[A-Za-z0-9^-]*[-w]")
#: A fuzzy constraint: braces holding an error letter (a count's hold only digits).
_FUZZY = re.compile(r"\{[^{}]*[eids][^{}]*\}")


def _looks_past_match(query: Query) -> bool:
    """Whether ``query`` may match differently in a chunk than in a field of its own
    for a reason other than consuming a separator, so that it must be run per field."""
    if not query.is_regex:
        return False  # a literal (whole word: one character each side, never \w in a separator)
    text = query.text
    if any(token in text for token in _LOOKING):
        return True
    return bool(_FLAG_OFF_OR_WORD.search(text) or _FUZZY.search(text))


def _nonempty_spans(
    pattern: regex.Pattern[str], text: str, timeout: float | None
) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text, timeout=timeout) if m.end() > m.start()]


def _touches_separator(text: str, s: int, e: int) -> bool:
    """Whether ``text[s:e]`` holds a separator's NUL or begins or ends on one of its newlines."""
    if "\x00" in text[s:e]:
        return True
    if text[s] == "\n" and (text[s + 1 : s + 2] == "\x00" or (s and text[s - 1] == "\x00")):
        return True
    return text[e - 1] == "\n" and (text[e : e + 1] == "\x00" or (e > 1 and text[e - 2] == "\x00"))


class SearchResult:
    """The matches of one query in one thread, in reading order.

    Per chunk with a match: its base, how many matches, and their starts
    (chunk-relative, in a compact array), or None until first needed. A match's
    end and its place in a field are worked out only when asked for.
    """

    def __init__(
        self, index: ThreadIndex, query: Query, found: list[tuple[int, int, array[int] | None]]
    ) -> None:
        self.index = index
        self.query = query
        self._bases = [base for base, _, _ in found]
        self._starts: list[array[int] | None] = [starts for _, _, starts in found]
        self._counts = [count for _, count, _ in found]
        self._before: list[int] = []  # matches in earlier chunks, per chunk
        total = 0
        for count in self._counts:
            self._before.append(total)
            total += count
        self._count = total
        # The field the last hit was in, its matches (start: end) and its length: hits
        # are asked for in order (stepping, finding a hit, the folder search), so one
        # field will do.
        self._field_ends: tuple[int, dict[int, int], int] = (-1, {}, 0)
        # Per reply: the matches before it (plus the total) and those in its header.
        self._tally: tuple[array[int], array[int]] | None = None

    def __len__(self) -> int:
        return self._count

    def _chunk_starts(self, c: int) -> array[int]:
        """The match starts in found chunk ``c``, found now if only counted so far."""
        starts = self._starts[c]
        if starts is None:
            base, text = self.index.chunk_of(self._bases[c])
            # Counted by the ASCII fast path, so a plain query: finditer gives these matches.
            found = self.query.pattern.finditer(text, concurrent=True)
            starts = array("q", [m.start() for m in found])
            self._starts[c] = starts
        return starts

    def position(self, k: int) -> int:
        """Global position where match ``k`` starts."""
        c = bisect_right(self._before, k) - 1
        return self._bases[c] + self._chunk_starts(c)[k - self._before[c]]

    def rank(self, position: int) -> int:
        """How many matches start before global ``position``."""
        c = bisect_right(self._bases, position) - 1
        if c < 0:
            return 0
        offset = position - self._bases[c]
        if offset == 0:
            return self._before[c]  # a chunk's start: no need for its match starts
        return self._before[c] + bisect_left(self._chunk_starts(c), offset)

    def hit(self, k: int) -> Hit:
        """Match ``k``: its location, field and span in the field's shown text.

        Raises:
            QueryTimeout: the pattern ran over :attr:`ThreadIndex.CHUNK_TIMEOUT` on
                the field (it did not on the chunk, so hardly ever).
        """
        index = self.index
        position = self.position(k)
        f = index.field_at(position)
        start = position - index.field_starts[f]
        # The match's end comes from the field searched on its own, not from matching
        # again at ``position`` in the chunk: there a pattern could run on past the
        # field's end into the separator and the next field (a fuzzy one, say), and
        # the end would then fall outside the field (and its offset map).
        cached, ends, length = self._field_ends
        if cached != f:
            try:
                spans = index.field_spans(self.query, f, timeout=index.CHUNK_TIMEOUT)
            except TimeoutError:
                raise QueryTimeout("the pattern takes too long to search") from None
            ends, length = dict(spans), index.field_length(f)
            self._field_ends = (f, ends, length)
        end = ends.get(start)
        if end is None:  # not expected (the count is the fields' own matches): stay inside
            start = min(max(start, 0), length)
            end = min(start + 1, length)
        view = index._views.get(f)
        if view is not None:
            start, end = view.original_span(start, end)
        location, ordinal = index.location_of(f)
        return Hit(location, ordinal, start, end)

    def first_from(self, location: int) -> int | None:
        """The first match in ``location`` or after it (wrapping to the first), or None."""
        if not self._count:
            return None
        k = self.rank(self.index.position_of_field(self.index.first_field_of(location)))
        return k if k < self._count else 0

    def find(self, hit: Hit) -> int | None:
        """The match number of ``hit`` (None if it is not one of ours)."""
        k = self.first_from(hit.location)
        while k is not None and k < self._count:
            found = self.hit(k)
            if found.location != hit.location:
                return None
            if (found.field, found.start) == (hit.field, hit.start):
                return k
            k += 1
        return None

    def in_replies(self, first: int, end: int, *, skip_header: bool = False) -> int:
        """Matches in replies ``first`` to ``end - 1``, optionally leaving out
        ``first``'s header line (which stays in view when it is folded)."""
        index = self.index
        field_first = index.reply_first_field[first]
        if skip_header:
            field_first += index.reply_header_fields[first]
        lo = index.position_of_field(field_first)
        hi = index.position_of_field(index.reply_first_field[end])
        return self.rank(hi) - self.rank(lo)

    #: In a thread of more replies than this, :meth:`hidden` reads a per-reply tally
    #: (:meth:`tally_replies`, built by the search's worker) instead of ranking each
    #: folded reply's bounds: with 100,000 replies folded that took 0.3 s for "the" and
    #: 1.8 s for "e" (most of it finding match starts), on every n/N, with the UI waiting.
    TALLY_FROM = 2000

    def tally_replies(self, cancelled: Callable[[], bool] = never_cancelled) -> bool:
        """Count each reply's matches once (from a worker), so fold counts cost little.

        Returns whether the tally is there (False: ``cancelled`` said stop).
        """
        if self._tally is not None:
            return True
        index = self.index
        count = index.reply_count
        first, header_fields = index.reply_first_field, index.reply_header_fields
        before = array("q", bytes(8 * (count + 1)))
        header = array("q", bytes(8 * count))
        for reply in range(count + 1):
            if reply % 4096 == 0 and cancelled():
                return False
            field = first[reply]
            before[reply] = self.rank(index.position_of_field(field))
            if reply < count:
                body = index.position_of_field(field + header_fields[reply])
                header[reply] = self.rank(body) - before[reply]
        self._tally = (before, header)
        return True

    def hidden(self, collapsed: Collection[int], subtree_end: Sequence[int]) -> int | None:
        """Matches that folded replies hide: a folded reply's body and its subtree.

        None while that waits for :meth:`tally_replies` (a thread of more than
        :attr:`TALLY_FROM` replies).
        """
        if not self._count or not collapsed:
            return 0
        tally = self._tally
        if tally is None and self.index.reply_count > self.TALLY_FROM:
            return None
        total = 0
        covered = -1
        for reply in sorted(collapsed):
            if reply < covered:
                continue  # inside a folded subtree already counted
            end = subtree_end[reply]
            if tally is None:
                total += self.in_replies(reply, end, skip_header=True)
            else:
                before, header = tally
                total += before[end] - before[reply] - header[reply]
            covered = end
        return total
