"""Searching every thread in a folder: a cheap prefilter, then the in-thread search.

Used by the reader's folder-wide search and by ``threadtui search``. The hits
for a thread are *exactly* those of :meth:`ThreadIndex.search` on it (the reader
opens a hit by searching the thread again and selecting it). What keeps a folder
search fast is not parsing what cannot match: a file is parsed only when its
decoded text could hold a match, and of a text dump only the posts that could.

The prefilter, and why it never drops a file with a match
---------------------------------------------------------
A query yields *anchors*: runs of characters that every match must contain.
For a plain query they are its pieces between whitespace and characters that
:func:`~threadtui.safe.visible` rewrites (controls, format characters); for a
regular expression they are the runs of literal characters in its top-level
sequence (inside groups and ``+``/``{n,}`` repeats too, never inside optional
parts or lookarounds; for an alternation, one anchor from each branch, of which
a file must hold one), read from the ``regex`` module's own parse of the
pattern so that every escape and flag means what it means when matching. A
file is parsed when every anchor (or one of each alternation's) is found in
its text.

Anchors never hold whitespace, a line break or a NUL, so the part of a match an
anchor covers lies inside one field. Every field the text-dump parser makes is
``NFC(visible(piece))`` (``one_line`` also folds whitespace) where the pieces
are substrings of the file's lines, cut at whitespace or at fixed punctuation
(``>``, ``[``, ``](``, ``:``, ``said:``...), and joined with line breaks or
spaces, with two exceptions handled apart: the byline (its date is rewritten
to ISO and its parts joined with ``·``) and a title made from the file name
when the dump has none. So an anchor that matches a field matches the same
characters in ``NFC(file text)`` provided that:

* normalisation does not differ at a cut: no piece ends before a combining
  mark, and the only cut character that composes with a following mark is
  ``>`` (``>`` + U+0338 is ``≯``), so anchors never begin with a combining mark
  or a Hangul vowel/final jamo;
* the anchor does not reach into a placeholder (``⟨U+202E⟩``, ``␛``) that
  ``visible`` wrote where the file holds a control. A match that touches a
  placeholder either covers its ``⟨``/``⟩``/control picture or lies inside its
  ``U+...``/``0x..`` part; anchors that could do either (they hold ``⟨``, ``⟩``
  or a control picture, or consist only of characters that can match
  ``U + 0-9 A-F x``) are looked for in ``NFC(visible(file text))`` instead.
  ``visible`` maps character by character except for a zero-width joiner
  (kept between two pictographs) and tag characters (kept inside a flag), so
  a file holding either is parsed whenever such an anchor is in play;
* the query is case-insensitive in the same way: anchors are searched with the
  query's own flags (full case folding included), through the ``regex`` module,
  and runs are only cut where a case fold cannot straddle (the module never
  folds across two separate literal runs).

Files whose anchors are found anyway, files of another format than the text
dump (threadtui JSON escapes its strings), files with a byline bullet line, and
queries without anchors (``\\d+``, a lone space, a fuzzy or reversed pattern,
one the analysis cannot read) are parsed and searched in full: slower, never
wrong. ``tests/test_folder_search.py`` holds the property test (any file in
which ``ThreadIndex`` finds a match passes the prefilter) over generated
hostile dumps.

Only the posts that could match
-------------------------------
A text dump with separator lines is cut into segments, one per post, and the
same rule picks the segments whose own text holds the anchors (a post's fields
are made from its own segment's lines only). :func:`text_dump.search_view
<threadtui.parsing.text_dump.search_view>` builds just those posts, through the
parser's own head and body readers, and carries the post numbers across the
others, mostly without reading them; the hits are then searched in a thread made
of the opening post and those replies, and their locations mapped back. That is
the same as searching the whole thread only for a *field-local* query, one that
finds the same matches in a field whatever fields are indexed beside it
(:func:`_field_local`: any plain query, a regex without lookarounds, ``\\A``,
``\\Z``, ``\\X``, Unicode word boundaries or conditionals); other queries
parse the whole file. Plain queries are then searched field by field
(:func:`_literal_hits`), regexes through a ThreadIndex. Property tests hold the
hits equal to those of full parses and of the in-thread search.

Worker processes
----------------
From :data:`PARALLEL_MIN_FILES` files, a search without a cache from a
single-threaded process (the CLI, scripts) is shared out among forked workers
(:mod:`threadtui.search.pool`), with the results in the same order. The reader
searches in a worker thread of its own and so always in-process.
"""

from __future__ import annotations

import os
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain, islice
from unicodedata import is_normalized

import regex

from threadtui.files import read_bytes, source_name
from threadtui.library import ThreadCache
from threadtui.model import Post, Thread
from threadtui.parsing import ParseError, parse_decoded, sniff
from threadtui.parsing import text_dump as _text_dump
from threadtui.parsing.common.decode import Decoded, decode
from threadtui.parsing.common.lines import WHITESPACE
from threadtui.safe import visible
from threadtui.search.fields import ARTICLE, article_fields, reply_fields
from threadtui.search.pool import fork_workers, ordered_map, server_workers, start_server
from threadtui.search.query import Query, nfc_view
from threadtui.search.thread_index import Hit, ThreadIndex

__all__ = [
    "LINE_LIMIT",
    "PARALLEL_MIN_FILES",
    "FolderError",
    "FolderHit",
    "Prefilter",
    "hit_line",
    "prefilter_for",
    "search_paths",
]

#: Threads parsed here go into the reader's cache only from files this big: a small
#: one parses again in a millisecond or two, and thousands of small threads kept
#: alive cost memory and garbage-collection time (the scan keeps the same rule).
CACHE_MIN_BYTES = 256 * 1024

#: Characters of context kept in :attr:`FolderHit.line` (the match is kept whole
#: up to this length, with some text before it).
LINE_LIMIT = 200


@dataclass(frozen=True, slots=True)
class FolderHit:
    """One match in one thread of the folder."""

    path: str
    title: str  # the thread title as parsed (raw: callers make it safe)
    location: int  # ARTICLE, or the reply's index in reading order
    post_number: int  # 1 for the article, else Post.number
    hit: Hit  # as ThreadIndex.search gives it (field, start, end)
    line: str  # the field's line around the match: visible text, one line, clipped
    line_start: int  # the match's span within ``line``
    line_end: int


@dataclass(frozen=True, slots=True)
class FolderError:
    """A file that could not be read or parsed (the search goes on)."""

    path: str
    error: str


def _never() -> bool:
    return False


# ----------------------------------------------------------------------------- prefilter

#: What a placeholder's inside is made of: ``U+200D``, ``0xFF``.
_PLACEHOLDER_INSIDE = frozenset("U+0123456789ABCDEFx")
_PLACEHOLDER_INSIDE_FOLDED = frozenset("u+0123456789abcdefx")
#: What only a placeholder's edges are made of: ``⟨ ⟩`` and the control pictures.
_PLACEHOLDER_EDGES = frozenset("⟨⟩") | frozenset(chr(c) for c in range(0x2400, 0x2427))
#: A zero-width joiner or a tag character: ``visible`` treats these by context.
_CONTEXTUAL = re.compile("[\u200d\U000e0000-\U000e007f]")
#: A line that, stripped, starts with a byline bullet (text_dump's _BYLINE_BULLET).
_WS_CLASS = "".join(re.escape(c) for c in WHITESPACE)
_BYLINE_LINE = re.compile(f"(?:^|[\\r\\n])[{_WS_CLASS}]*[•·▪●]")
_BULLETS = "•·▪●"
#: What a title becomes when a dump has none and its file name is empty.
_UNTITLED = "(untitled)"
_CASE_FLAGS = regex.IGNORECASE | regex.FULLCASE


@dataclass(frozen=True, slots=True)
class _Anchor:
    """A run every match contains, and how to look for it."""

    text: str
    case_flags: int  # 0, or IGNORECASE | FULLCASE as the query has them
    in_visible: bool  # look for it in visible(text), not the text itself
    pattern: regex.Pattern[str] | None  # for case-insensitive anchors

    def found_in(self, text: str) -> bool:
        if self.pattern is None:
            return self.text in text
        return self.pattern.search(text) is not None


@dataclass(frozen=True, slots=True)
class Prefilter:
    """Whether a file's decoded text could hold a match of one query.

    Build it with :func:`prefilter_for`. ``needs`` are what every match holds: each
    is one anchor, or several of which one is held (the branches of ``a|b``). With
    no needs it admits everything.
    """

    needs: tuple[tuple[_Anchor, ...], ...]

    @property
    def exact(self) -> bool:
        """False when the query has no anchors, so every file is parsed."""
        return bool(self.needs)

    def admits(self, text: str, source: str) -> bool:
        """Could the thread parsed from ``text`` (file ``source``) hold a match?"""
        if not self.needs:
            return True
        if sniff(text).name != _text_dump.FORMAT:
            return True  # JSON escapes its strings: parse it
        if any(b in text for b in _BULLETS) and _BYLINE_LINE.search(text):
            return True  # a byline: its text is rewritten (ISO date, " · ")
        plain: str | None = None
        shown: str | None = None
        extra: str | None = None
        for need in self.needs:
            for anchor in need:
                if anchor.in_visible:
                    if shown is None:
                        if _CONTEXTUAL.search(text) or _CONTEXTUAL.search(source):
                            return True  # ZWJ or tags: visible() depends on neighbours
                        shown = _nfc(visible(text))
                    haystack = shown
                else:
                    if plain is None:
                        plain = _nfc(text)
                    haystack = plain
                if anchor.found_in(haystack):
                    break
                if extra is None:
                    # The title a dump without one gets comes from the file name.
                    extra = _nfc(visible(f"{source}\n{_UNTITLED}"))
                if anchor.found_in(extra):
                    break
            else:
                return False
        return True

    def may_match_file_name(self, source: str) -> bool:
        """Could the title a dump without one takes from its file name hold a match?"""
        if _CONTEXTUAL.search(source):
            return True  # ZWJ or tags: visible() depends on neighbours
        extra = _nfc(visible(f"{source}\n{_UNTITLED}"))
        return all(any(anchor.found_in(extra) for anchor in need) for need in self.needs)

    def segment_test(self, text: str) -> Callable[[str, list[int]], list[bool]] | None:
        """A test of the segments of a text dump: given ``text`` (with its line ends
        made ``\\n``) and where each segment begins, in order, whether a post read
        from each could hold a match. None when segments cannot be told apart
        cheaply in this text (then the file is parsed).

        The same rule as :meth:`admits`, applied to each segment's lines instead of
        the file's: a post's fields are made only from its own segment's lines, so
        every argument above holds for the segment (an anchor holds no whitespace,
        so it lies inside one line of one segment, never in a separator line). It is
        looked for in ``text`` itself, which needs ``text`` to be NFC already and,
        for anchors that could touch a placeholder, to hold nothing that ``visible``
        rewrites.
        """
        if not self.needs or _nfc(text) is not text:
            return None
        if any(a.in_visible for need in self.needs for a in need) and visible(text) is not text:
            return None
        needs = self.needs

        def could_match(text: str, starts: list[int]) -> list[bool]:
            result: list[bool] | None = None
            for need in needs:
                found = [False] * len(starts)
                for anchor in need:
                    _mark_segments(anchor, text, starts, found)
                result = (
                    found
                    if result is None
                    else [a and b for a, b in zip(result, found, strict=True)]
                )
            assert result is not None
            return result

        return could_match


def _mark_segments(anchor: _Anchor, text: str, starts: list[int], found: list[bool]) -> None:
    """Mark the segments (beginning at ``starts``) where ``anchor`` occurs: one search
    per segment at most, since a search goes on from the next segment on."""
    last = len(starts) - 1
    pos = starts[0]
    pattern, find, needle = anchor.pattern, text.find, anchor.text
    while True:
        if pattern is None:
            at = find(needle, pos)
            if at < 0:
                return
        else:
            match = pattern.search(text, pos)
            if match is None:
                return
            at = match.start()
        k = bisect_right(starts, at) - 1
        found[k] = True
        if k >= last:
            return
        pos = starts[k + 1]


def _nfc(text: str) -> str:
    """``text`` in NFC, cheaply when it already is."""
    if text.isascii():
        return text
    try:
        # Latin-1 text is NFC: none of its characters decomposes or combines with
        # another. The test costs a copy, far less than is_normalized's walk.
        text.encode("latin-1")
        return text
    except UnicodeEncodeError:
        pass
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


@lru_cache(maxsize=64)
def prefilter_for(query: Query) -> Prefilter:
    """The prefilter of ``query`` (cached: the UI asks again on every keystroke)."""
    if query.is_regex:
        found = _regex_needs(query)
        if found is None:
            return Prefilter(())
        needs = found
    else:
        flags = 0 if query.case_sensitive else _CASE_FLAGS
        run = [(ch, flags) for ch in query.text]
        needs = [(anchor,) for anchor in [*_split_run(run), *_phrases(run)]]
    built: dict[tuple[tuple[str, int], ...], tuple[_Anchor, ...]] = {}
    for need in needs:
        built.setdefault(need, tuple(_anchor(text, flags) for text, flags in need))
    # Longest first: the rarest, most often the one that rules a file out.
    ordered = sorted(built.values(), key=lambda need: -min(len(a.text) for a in need))
    return Prefilter(tuple(ordered))


def _anchor(text: str, flags: int) -> _Anchor:
    if " " in text:  # a phrase (see _phrases): its words apart by any whitespace
        source = r"\s+".join(regex.escape(word) for word in text.split(" "))
        return _Anchor(text, flags, False, regex.compile(source, regex.V0 | flags))
    pattern = regex.compile(regex.escape(text), regex.V0 | flags) if flags else None
    return _Anchor(text, flags, _may_touch_placeholder(text, flags), pattern)


@lru_cache(maxsize=4096)
def _anchor_char(ch: str) -> bool:
    """Whether ``ch`` can be part of an anchor: shown as itself and not a space."""
    return not (ch.isspace() or ch in WHITESPACE) and visible(ch) == ch


def _composes_backwards(ch: str) -> bool:
    """A combining mark or Hangul vowel/final jamo: NFC may join it to what precedes."""
    return (
        unicodedata.category(ch).startswith("M")
        or "\u1160" <= ch <= "\u11ff"
        or ("\ud7b0" <= ch <= "\ud7ff")
    )


def _pieces(run: list[tuple[str, int]], *, spaces: bool) -> Iterator[tuple[str, int]]:
    """A run of (character, case flags) cut at controls and at a change of flags, and
    at spaces unless ``spaces`` keeps them inside a piece: each piece's text and flags."""
    piece: list[str] = []
    piece_flags = 0
    for ch, flags in run:
        if spaces and ch == " ":
            if piece:
                piece.append(ch)
            continue
        if not _anchor_char(ch) or (piece and flags != piece_flags):
            if piece:
                yield "".join(piece), piece_flags
                piece.clear()
            if not _anchor_char(ch):
                continue
        if not piece:
            piece_flags = flags
        piece.append(ch)
    if piece:
        yield "".join(piece), piece_flags


def _split_run(run: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """The anchors in a run of (character, case flags): cut at spaces, controls and a
    change of flags, leading combining characters dropped."""
    for text, flags in _pieces(run, spaces=False):
        start = 0
        while start < len(text) and _composes_backwards(text[start]):
            start += 1
        if start < len(text):
            yield text[start:], flags


def _phrases(run: list[tuple[str, int]]) -> Iterator[tuple[str, int]]:
    """The *phrases* in a run of (character, case flags): two or more anchor words that
    the run holds with nothing but spaces between them, as ``"word word"``.

    Every match holds such words with those spaces between them, and a field holds
    them so in the file's text too, only with its whitespace maybe otherwise: a
    paragraph keeps a line's spaces as they are, but a one-line field (an author, a
    reply title) folds a run of whitespace into one space (``one_line``). So a phrase
    is looked for with its words apart by any whitespace (:func:`_anchor`), which
    rules out far more posts than its words one by one: "the rusty" is rarer than
    "the" and "rusty" in the same post. Words that could touch a placeholder make no
    phrase, and neither do words after the first that begin with a mark NFC could
    join to the space before them (they are not cut off as in :func:`_split_run`).
    """
    for text, flags in _pieces(run, spaces=True):
        words = [word for word in text.split(" ") if word]
        if words:
            start = 0
            while start < len(words[0]) and _composes_backwards(words[0][start]):
                start += 1
            words[0] = words[0][start:]
            words = [word for word in words if word]
        if len(words) < 2 or any(_composes_backwards(word[0]) for word in words[1:]):
            continue
        if any(_may_touch_placeholder(word, flags) for word in words):
            continue
        yield " ".join(words), flags


def _may_touch_placeholder(text: str, flags: int) -> bool:
    """Could a match of ``text`` cover part of a placeholder ``visible`` wrote?"""
    if any(ch in _PLACEHOLDER_EDGES for ch in text):
        return True
    if flags:
        inside = _PLACEHOLDER_INSIDE_FOLDED
        return all(
            any(set(form) <= inside for form in (ch.casefold(), ch.lower(), ch.upper().lower()))
            for ch in text
        )
    return all(ch in _PLACEHOLDER_INSIDE for ch in text)


# --------------------------------------------------------------- literal runs of a regex


#: A need: anchors as (text, case flags), one of which every match holds.
_Need = tuple[tuple[str, int], ...]


def _regex_needs(query: Query) -> list[_Need] | None:
    """What every match of the regex ``query`` consumes, or None when the pattern
    cannot be analysed (then every file is parsed)."""
    try:
        tree, flags = _parse_regex(query)
        if flags & regex.REVERSE or _has_fuzzy(tree):
            return None
        needs: list[_Need] = []
        _collect_needs(tree, needs)
    except Exception:  # noqa: BLE001  (an internal API: any surprise means "no prefilter")
        return None
    return needs


def _parse_regex(query: Query) -> tuple[object, int]:
    """The ``regex`` module's own parse tree of the query, as it compiles it."""
    from regex import _regex_core as core

    flags = regex.MULTILINE | regex.V0
    if not query.case_sensitive:
        flags |= _CASE_FLAGS
    while True:
        source = core.Source(query.text)
        info = core.Info(flags, source.char_type)
        source.ignore_space = bool(info.flags & regex.VERBOSE)
        try:
            tree = core._parse_pattern(source, info)
        except core._UnscopedFlagSet:
            flags = info.global_flags  # an inline (?x)-style flag: parse again with it
            continue
        if not source.at_end():
            raise ValueError("unbalanced parenthesis")
        return tree, info.flags


def _children(node: object) -> list[object]:
    out: list[object] = []
    for value in getattr(node, "__dict__", {}).values():
        if isinstance(value, list | tuple):
            out.extend(v for v in value if hasattr(v, "__dict__") and hasattr(v, "dump"))
        elif hasattr(value, "__dict__") and hasattr(value, "dump"):
            out.append(value)
    return out


def _has_fuzzy(tree: object) -> bool:
    from regex import _regex_core as core

    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, core.Fuzzy):
            return True
        stack.extend(_children(node))
    return False


def _collect_needs(tree: object, needs: list[_Need]) -> None:
    """Add the needs of ``tree``: the runs of literal characters every match consumes,
    and for an alternation one anchor from each branch (iterative, but for alternations)."""
    from regex import _regex_core as core

    repeats = (core.GreedyRepeat, core.LazyRepeat, core.PossessiveRepeat)
    stack = [tree]

    def add(run: list[tuple[str, int]]) -> None:
        needs.extend((anchor,) for anchor in _split_run(run))
        needs.extend((phrase,) for phrase in _phrases(run))

    while stack:
        node = stack.pop()
        if type(node) is core.Sequence:
            items = node.items
        elif type(node) is core.Character:
            items = [node]
        elif type(node) in (core.Group, core.Atomic):
            stack.append(node.subpattern)
            continue
        elif isinstance(node, repeats) and node.min_count >= 1:
            stack.append(node.subpattern)
            continue
        elif type(node) is core.Branch:
            # A match takes one branch: it holds the anchor we pick from that branch.
            choice: list[tuple[str, int]] = []
            for branch in node.branches:
                sub: list[_Need] = []
                _collect_needs(branch, sub)
                singles = [need[0] for need in sub if len(need) == 1]
                if not singles:
                    break  # a branch without anchors: the alternation needs nothing
                choice.append(max(singles, key=lambda anchor: len(anchor[0])))
            else:
                needs.append(tuple(dict.fromkeys(choice)))
            continue
        else:
            # Optional parts, lookarounds, sets, references: nothing in them is
            # certain to be consumed.
            continue
        run: list[tuple[str, int]] = []
        # Around an alternation of plain words, the literal text each branch makes
        # with its neighbours: "(?:painted|oiled) the rusty" needs "painted the
        # rusty" or "oiled the rusty", rarer than any of its words.
        spelled: list[list[tuple[str, int]]] | None = None
        for item in items:
            if _is_char(item, core):
                char = (chr(item.value), item.case_flags & _CASE_FLAGS)
                run.append(char)
                for text in spelled or ():
                    text.append(char)
                continue
            words = _literal_branches(item, core)
            if words is not None and len(words) * len(spelled or [[]]) <= 16:
                start = [list(run)] if spelled is None else spelled
                spelled = [[*before, *word] for before in start for word in words]
            elif spelled is not None:
                _add_spelled(spelled, needs)
                spelled = None
            if run:
                add(run)
                run = []
            stack.append(item)
        if run:
            add(run)
        if spelled is not None:
            _add_spelled(spelled, needs)


def _is_char(node: object, core: object) -> bool:
    """A node that consumes exactly one given character."""
    return type(node) is core.Character and node.positive and not node.zerowidth  # type: ignore[attr-defined]


def _literal_branches(node: object, core: object) -> list[list[tuple[str, int]]] | None:
    """The branches of an alternation (maybe in a group) that are all plain text, as
    runs of (character, case flags); None for anything else."""
    if type(node) is core.Group:  # type: ignore[attr-defined]
        node = node.subpattern  # type: ignore[attr-defined]
    if type(node) is not core.Branch:  # type: ignore[attr-defined]
        return None
    out: list[list[tuple[str, int]]] = []
    for branch in node.branches:  # type: ignore[attr-defined]
        items = branch.items if type(branch) is core.Sequence else [branch]  # type: ignore[attr-defined]
        if not all(_is_char(item, core) for item in items):
            return None
        out.append([(chr(item.value), item.case_flags & _CASE_FLAGS) for item in items])
    return out


def _add_spelled(spelled: list[list[tuple[str, int]]], needs: list[_Need]) -> None:
    """One need from the texts of an alternation's branches with their neighbours: the
    longest anchor or phrase of each (no need if one of them has none)."""
    choice: list[tuple[str, int]] = []
    for text in spelled:
        found = [*_split_run(text), *_phrases(text)]
        if not found:
            return
        choice.append(max(found, key=lambda anchor: len(anchor[0])))
    needs.append(tuple(dict.fromkeys(choice)))


# ----------------------------------------------------------------------------- search


#: From this many files a search is shared out among worker processes (when it may
#: fork: see :mod:`threadtui.search.pool`); below it, starting them costs more than
#: it saves.
PARALLEL_MIN_FILES = 400
#: Files per task sent to a worker: enough to make the round trip cheap, few enough
#: that the first hits come soon and the workers finish together.
_BATCH_FILES = 96


def search_paths(
    paths: Iterable[str],
    query: Query,
    *,
    cache: ThreadCache | None = None,
    cancelled: Callable[[], bool] = _never,
    limit: int | None = None,
    jobs: int | None = None,
    from_threads: bool = False,
) -> Iterator[FolderHit | FolderError]:
    """Every match of ``query`` in the thread files ``paths``, file by file in the
    order given, in reading order within a thread.

    A file that cannot be read or parsed yields a :class:`FolderError` and the
    search goes on. The search stops early when ``cancelled()`` turns true
    (checked before every file and often inside big threads) or after ``limit``
    hits. Threads are taken from ``cache`` when it holds them, and big threads
    parsed here are put into it (see :data:`CACHE_MIN_BYTES`).

    ``jobs``: how many processes may share the work (None: one per CPU). Only a
    search of :data:`PARALLEL_MIN_FILES` files or more without a ``cache``, called
    from a single-threaded process, uses more than one; the results are the same.

    ``from_threads``: the caller runs threads (the reader). Its workers are then forked
    from a fork server (:func:`threadtui.search.pool.server_workers`), and the files
    ``cache`` holds are searched here, from the cache, in their place in the order.
    """
    if limit is not None and limit <= 0:
        return
    if from_threads and (jobs is None or jobs > 1):
        paths = list(paths)
        workers = server_workers(jobs)
        if workers > 1 and len(paths) >= PARALLEL_MIN_FILES and _server_started():
            yield from _in_server_workers(paths, query, cache, cancelled, limit, workers)
            return
        yield from _in_process(paths, query, cache, cancelled, limit)
        return
    if cache is None and (jobs is None or jobs > 1):
        workers = fork_workers(jobs)
        if workers > 1:
            paths = iter(paths)
            first = list(islice(paths, PARALLEL_MIN_FILES))
            if len(first) < PARALLEL_MIN_FILES:
                paths = first
            else:
                yield from _in_workers(chain(first, paths), query, cancelled, limit, workers)
                return
    yield from _in_process(paths, query, cache, cancelled, limit)


def _in_workers(
    paths: Iterable[str],
    query: Query,
    cancelled: Callable[[], bool],
    limit: int | None,
    workers: int,
) -> Iterator[FolderHit | FolderError]:
    """:func:`search_paths` with the files shared out among forked workers, in batches."""
    batches = ((query, batch) for batch in _batched(paths, _BATCH_FILES))

    def items() -> Iterator[FolderHit | FolderError]:
        for rows in ordered_map(_search_batch, batches, workers):
            if cancelled():
                return
            yield from map(_item_from_row, rows)

    yield from _up_to(items(), limit)


def _up_to(
    items: Iterator[FolderHit | FolderError], limit: int | None
) -> Iterator[FolderHit | FolderError]:
    """``items`` until ``limit`` hits have gone by; then ``items`` is closed (its
    workers stopped) at once, not when it is collected."""
    found = 0
    try:
        for item in items:
            yield item
            if isinstance(item, FolderHit):
                found += 1
                if limit is not None and found >= limit:
                    return
    finally:
        close = getattr(items, "close", None)
        if close is not None:
            close()


def _item_from_row(row: _Row) -> FolderHit | FolderError:
    """What a worker sent back for one hit or one unreadable file."""
    return FolderError(*row) if len(row) == 2 else _hit_from_row(row)  # type: ignore[arg-type]


def _server_started() -> bool:
    """Whether the fork server runs (it is started if need be); not when it cannot be."""
    try:
        start_server()
    except Exception:  # noqa: BLE001 (any failure: the search runs in this process instead)
        return False
    return True


def _in_server_workers(
    paths: list[str],
    query: Query,
    cache: ThreadCache | None,
    cancelled: Callable[[], bool],
    limit: int | None,
    workers: int,
) -> Iterator[FolderHit | FolderError]:
    """:func:`search_paths` for a caller that runs threads: batches of files go to
    fork-server workers; a file the cache holds is searched here, in its place."""
    # The plan, in the order of paths: a path searched here, or a batch's size.
    plan: list[str | int] = []
    batches: list[list[str]] = []
    run: list[str] = []

    def close_run() -> None:
        if run:
            batches.append(list(run))
            plan.append(len(run))
            run.clear()

    for path in paths:
        if cache is not None and cache.get(path) is not None:
            close_run()
            plan.append(path)
        else:
            run.append(path)
            if len(run) == _BATCH_FILES:
                close_run()
    close_run()
    tasks = ((query, batch) for batch in batches)
    results = ordered_map(_search_batch, tasks, workers, server=True)

    def items() -> Iterator[FolderHit | FolderError]:
        try:
            for step in plan:
                if cancelled():
                    return
                if isinstance(step, str):
                    yield from _in_process([step], query, cache, cancelled, None)
                else:
                    yield from map(_item_from_row, next(results))
        finally:
            results.close()  # the workers are stopped and reaped

    yield from _up_to(items(), limit)


def _batched(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


#: A hit or an error as a worker sends it: plain tuples pickle several times faster
#: than the dataclasses, and the parent unpickles every one of them.
_Row = tuple[object, ...]


def _search_batch(task: tuple[Query, list[str]]) -> list[_Row]:
    """A worker's part: every hit in a batch of files, as rows (see :func:`_as_row`)."""
    query, paths = task
    return [
        (item.path, item.error) if isinstance(item, FolderError) else item  # type: ignore[misc]
        for item in _in_process(paths, query, None, _never, None, _as_row)
    ]


def _as_row(*row: object) -> _Row:
    """A hit as :func:`_make_hit`'s arguments: what a worker sends instead."""
    return row


def _make_hit(
    path: str,
    title: str,
    location: int,
    number: int,
    hit_location: int,
    field: int,
    start: int,
    end: int,
    line: str,
    line_start: int,
    line_end: int,
) -> FolderHit:
    hit = Hit(hit_location, field, start, end)
    return FolderHit(path, title, location, number, hit, line, line_start, line_end)


def _hit_from_row(row: _Row) -> FolderHit:
    return _make_hit(*row)  # type: ignore[arg-type]


#: Makes a hit from :func:`_make_hit`'s arguments: FolderHit, or a row in a worker.
_Make = Callable[..., object]


def _in_process(
    paths: Iterable[str],
    query: Query,
    cache: ThreadCache | None,
    cancelled: Callable[[], bool],
    limit: int | None,
    make: _Make = _make_hit,
) -> Iterator[FolderHit | FolderError]:
    prefilter = prefilter_for(query)
    local = _field_local(query)
    found = 0
    for path in paths:
        if cancelled():
            return
        for item in _file_hits(path, query, prefilter, local, cache, cancelled, make):
            if item is None:
                return  # cancelled inside the file
            yield item  # type: ignore[misc]
            if not isinstance(item, FolderError):
                found += 1
                if limit is not None and found >= limit:
                    return


def _file_hits(
    path: str,
    query: Query,
    prefilter: Prefilter,
    local: bool,
    cache: ThreadCache | None,
    cancelled: Callable[[], bool],
    make: _Make,
) -> Iterator[object]:
    """The hits in one file (made by ``make``; an error instead when it cannot be
    read); a final None when cancelled on the way."""
    # Stat before reading, so a thread put in the cache is never newer than its mtime says.
    stat = _stat(path) if cache is not None else None
    source = source_name(path)
    try:
        decoded = decode(read_bytes(path))
        text = decoded.text
        if prefilter.exact and not prefilter.admits(text, source):
            return
        if cache is not None:
            cached = cache.get(path)
            if cached is not None:
                yield from _thread_hits(path, cached, query, cancelled, make)
                return
        keep = cache is not None and stat is not None and stat.st_size >= CACHE_MIN_BYTES
        if local and not keep:
            view = _search_view(text, source, prefilter, cancelled)
            if view is not None:
                # A stand-in article (see search_view) holds no match: its one field,
                # the title, is not searched in vain, as the file's anchors showed.
                if query.is_regex:
                    thread = Thread(view.title, view.article, tuple(p for _, p in view.replies))
                    places = [k for k, _ in view.replies]
                    yield from _thread_hits(path, thread, query, cancelled, make, places)
                else:
                    yield from _literal_hits(path, view, query, cancelled, make)
                return
            if cancelled():
                yield None
                return
        thread = _parse(decoded, source)
    except ParseError as exc:
        yield FolderError(path, str(exc))
        return
    except (MemoryError, RecursionError) as exc:
        yield FolderError(path, type(exc).__name__)
        return
    if keep and stat is not None and cache is not None:
        cache.put(path, thread, stat.st_size, stat.st_mtime)
    yield from _thread_hits(path, thread, query, cancelled, make)


def _parse(decoded: Decoded, source: str) -> Thread:
    return parse_decoded(decoded, source=source)


def _search_view(
    text: str, source: str, prefilter: Prefilter, cancelled: Callable[[], bool]
) -> _text_dump.SearchView | None:
    """The parts of a text dump that could hold a match (see ``text_dump.search_view``),
    or None when the file must be parsed in full (another format, no separator lines,
    text the segment test cannot read cheaply, or cancelled)."""
    if sniff(text).name != _text_dump.FORMAT:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    wanted = prefilter.segment_test(text)
    if wanted is None:
        return None
    try:
        return _text_dump.search_view(
            text,
            source=source,
            wanted=wanted,
            article_wanted=prefilter.may_match_file_name(source),
            cancelled=cancelled,
        )
    except RecursionError:
        raise ParseError("structure nested too deeply to read") from None


#: Regex nodes whose matching looks at no text outside the match but the characters
#: right beside it. Between two fields of a ThreadIndex chunk those are always the
#: separator's line breaks, whichever fields are neighbours, so such a query finds the
#: same matches in a field whatever else is indexed with it.
_LOCAL_NODES = frozenset(
    (
        "Any AnyAll AnyU Atomic Boundary Branch Character EndOfLine EndOfLineU EndOfWord "
        "GreedyRepeat Group LazyRepeat PossessiveRepeat Property Range RefGroup Sequence "
        "SetDiff SetInter SetSymDiff SetUnion StartOfLine StartOfLineU StartOfWord String"
    ).split()
)


@lru_cache(maxsize=64)
def _field_local(query: Query) -> bool:
    """Whether ``query`` finds the same matches in a field whichever fields sit next to it
    in the index, so that a thread can be searched through some of its replies only.

    A plain query always does (a whole-word query looks at one character each side).
    A regular expression does when it holds nothing but the nodes above: no
    lookaround (it could look into the field before), no ``\\A``/``\\Z``, no
    Unicode word boundary (``(?w)``: it may look further than one character), no
    grapheme (``\\X`` counts regional indicators backwards), no conditional.
    """
    if not query.is_regex:
        # A literal line break or NUL can match a separator's own (ThreadIndex does
        # not redo literal matches field by field), and what sits there depends on
        # where the index's chunks begin, which depends on every field before.
        return "\n" not in query.text and "\x00" not in query.text
    try:
        tree, flags = _parse_regex(query)
    except Exception:  # noqa: BLE001  (an internal API: any surprise means "not local")
        return False
    if flags & regex.REVERSE:
        return False
    from regex import _regex_core as core

    stack = [tree]
    while stack:
        node = stack.pop()
        name = type(node).__name__
        if name not in _LOCAL_NODES:
            return False
        if getattr(node, "zerowidth", False) and name in _CONSUMING:
            return False  # a one-character lookaround the parser folded into a node
        stack.extend(child for child in _children(node) if isinstance(child, core.RegexBase))
    return True


#: Nodes that consume a character unless the parser made them zero-width (a lookaround).
_CONSUMING = frozenset(
    "Any AnyAll AnyU Character Property Range SetDiff SetInter SetSymDiff SetUnion String".split()
)


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None  # read_bytes says why


def _thread_hits(
    path: str,
    thread: Thread,
    query: Query,
    cancelled: Callable[[], bool],
    make: _Make = _make_hit,
    places: list[int] | None = None,
) -> Iterator[object]:
    """The thread's hits; a final None when cancelled on the way.

    ``places``: when ``thread`` holds only some of the real thread's replies, where
    each of them is in the real one (its index in ``thread.replies`` there).
    """
    index = ThreadIndex(thread, cancelled)
    if index.cancelled:
        yield None
        return
    result = index.search(query, cancelled)
    if result is None:
        yield None
        return
    if not len(result):
        return
    replies: list[Post] | None = None
    fields_of = (ARTICLE - 1, [""])  # (location, its fields), the last one asked for
    for k in range(len(result)):
        if k % 256 == 255 and cancelled():
            yield None
            return
        hit = result.hit(k)
        if hit.location == ARTICLE:
            post = thread.article
        else:
            if replies is None:
                flat = not any(reply.replies for reply in thread.replies)
                replies = list(thread.replies) if flat else [p for p, _ in thread.walk_replies()]
            post = replies[hit.location]
        if fields_of[0] != hit.location:
            fields = article_fields(thread) if hit.location == ARTICLE else reply_fields(post)
            fields_of = (hit.location, list(fields))
        line, start, end = hit_line(fields_of[1][hit.field], hit.start, hit.end)
        number = 1 if hit.location == ARTICLE else post.number
        location = hit.location
        if places is not None and location != ARTICLE:
            location = places[location]
        yield make(
            path, thread.title, location, number, location, hit.field, hit.start, hit.end,
            line, start, end,
        )  # fmt: skip


def _literal_hits(
    path: str,
    view: _text_dump.SearchView,
    query: Query,
    cancelled: Callable[[], bool],
    make: _Make,
) -> Iterator[object]:
    """:func:`_thread_hits` for a plain query, field by field, without a ThreadIndex.

    The same hits: for a query that is not a regular expression and holds no NUL or
    line break (see :func:`_field_local`), ThreadIndex's matches are those of each
    field searched on its own (a match cannot reach into a separator; a whole-word query's
    lookarounds see a line break or the end of the string at a field's edges,
    neither of them a word character); and a field is searched in NFC and its
    spans mapped back exactly as ThreadIndex does (``nfc_view``).
    """
    finditer = query.pattern.finditer
    title = view.title
    found = 0
    if view.article_wanted:
        article = list(article_fields(Thread(title, view.article)))
    else:
        article = [visible(title)]  # what article_fields gives for the stand-in
    posts = [(ARTICLE, 1, article)]
    posts.extend((place, post.number, reply_fields(post)) for place, post in view.replies)
    for location, number, fields in posts:
        for f, text in enumerate(fields):
            view = None if text.isascii() or is_normalized("NFC", text) else nfc_view(text)
            for match in finditer(text if view is None else view.text):
                start, end = match.span()
                if end == start:
                    continue
                if view is not None:
                    start, end = view.original_span(start, end)
                found += 1
                if found % 256 == 0 and cancelled():
                    yield None
                    return
                line, line_start, line_end = hit_line(text, start, end)
                yield make(
                    path, title, location, number, location, f, start, end,
                    line, line_start, line_end,
                )  # fmt: skip


def hit_line(field: str, start: int, end: int, limit: int = LINE_LIMIT) -> tuple[str, int, int]:
    """The line of ``field`` holding the match ``[start, end)``, clipped to about
    ``limit`` characters around it; with the match's span in that line.

    A match that runs over a line break is cut at the end of its first line. Clipped
    ends are marked ``…``. ``field`` is shown text already (see
    :mod:`threadtui.search.fields`), so the line is safe to print.
    """
    first = start
    while first < end and field[first] == "\n":
        first += 1  # a regex match may begin with the break before its line
    if first == end:
        first = start
    line_start = field.rfind("\n", 0, first) + 1
    line_end = field.find("\n", first)
    if line_end < 0:
        line_end = len(field)
    match_start, match_end = first, min(max(end, first), line_end)
    if line_end - line_start <= limit:
        return field[line_start:line_end], match_start - line_start, match_end - line_start
    # Keep the match (up to the limit) with a third of the rest before it.
    match_end = min(match_end, match_start + limit)
    room = limit - (match_end - match_start)
    lo = max(line_start, match_start - room // 3)
    hi = min(line_end, match_end + (room - (match_start - lo)))
    lo = max(line_start, min(lo, hi - limit))
    head = "…" if lo > line_start else ""
    tail = "…" if hi < line_end else ""
    text = head + field[lo:hi] + tail
    return text, match_start - lo + len(head), match_end - lo + len(head)
