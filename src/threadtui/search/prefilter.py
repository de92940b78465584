"""Whether a file could hold a match, from its raw text: the folder search's prefilter.

What keeps a folder search fast is not parsing what cannot match: a file is parsed
only when its decoded text could hold a match, and of a text dump only the posts
that could (:mod:`threadtui.search.scan`).

Why it never drops a file with a match
--------------------------------------
A query yields *anchors* (:mod:`threadtui.search.anchors`): runs of characters that
every match must contain. For a plain query they are its pieces between whitespace
and characters that :func:`~threadtui.safe.visible` rewrites (controls, format
characters); for a regular expression they are the runs of literal characters in
its top-level sequence (inside groups and ``+``/``{n,}`` repeats too, never inside
optional parts or lookarounds; for an alternation, one anchor from each branch, of
which a file must hold one), read from the ``regex`` module's own parse of the
pattern so that every escape and flag means what it means when matching. A file is
parsed when every anchor (or one of each alternation's) is found in its text.

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
wrong. ``tests/search/test_prefilter.py`` holds the property test (any file in
which ``ThreadIndex`` finds a match passes the prefilter) over generated hostile
dumps.

Reading the ``regex`` module's parse: one adapter, and its fall-back made visible
-------------------------------------------------------------------------------
The ``regex`` module has no public parse tree; its private ``regex._regex_core``
has one. :func:`parse_regex` is the only code that reads it: it parses the pattern
as the module compiles it and copies the tree into :class:`~threadtui.search.anchors.RegexNode`
nodes, which are all that the anchor rules and :func:`field_local` read. Every
class and attribute it uses is named in this one function and its helpers.

If that reading fails (a ``regex`` release changed what we read), the query is
searched without a prefilter and without the search view: slower, never wrong. That
fall-back is not silent: each one adds to :func:`prefilter_fallbacks` (a count per
process), is logged at DEBUG level on the ``threadtui.search.prefilter`` logger
with its cause, and ``threadtui search --stats`` prints the count
(``prefilter_fallbacks=N``) with the query's number of needs (``prefilter_needs=0``
means every file is parsed). ``tests/search/test_prefilter_regex.py`` pins what the
adapter reads for the ``regex`` versions ``pyproject.toml`` allows, and fails when a
release changes it, so the loss is seen in CI rather than in the speed.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from typing import Any

import regex

from threadtui.parsing import sniff
from threadtui.parsing import text_dump as _text_dump
from threadtui.parsing.common.lines import WHITESPACE
from threadtui.safe import visible
from threadtui.search.anchors import (
    CASE_FLAGS,
    Need,
    RegexNode,
    may_touch_placeholder,
    regex_needs,
    run_needs,
)
from threadtui.search.query import Query

__all__ = [
    "Anchor",
    "ParsedRegex",
    "Prefilter",
    "field_local",
    "parse_regex",
    "prefilter_fallbacks",
    "prefilter_for",
]

_log = logging.getLogger(__name__)

#: A zero-width joiner or a tag character: ``visible`` treats these by context.
_CONTEXTUAL = re.compile("[\u200d\U000e0000-\U000e007f]")
#: A line that, stripped, starts with a byline bullet (text_dump.head_rules._BYLINE_BULLET).
_WS_CLASS = "".join(re.escape(c) for c in WHITESPACE)
_BYLINE_LINE = re.compile(f"(?:^|[\\r\\n])[{_WS_CLASS}]*[•·▪●]")
_BULLETS = "•·▪●"
#: What a title becomes when a dump has none and its file name is empty.
_UNTITLED = "(untitled)"


@dataclass(frozen=True, slots=True)
class Anchor:
    """A run every match contains, and how to look for it."""

    text: str
    case_flags: int  # 0, or IGNORECASE | FULLCASE as the query has them
    in_visible: bool  # look for it in visible(text), not the text itself
    pattern: regex.Pattern[str] | None  # for case-insensitive anchors

    def found_in(self, text: str) -> bool:
        """Whether ``text`` holds the anchor."""
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

    needs: tuple[tuple[Anchor, ...], ...]

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


def _mark_segments(anchor: Anchor, text: str, starts: list[int], found: list[bool]) -> None:
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
        needs = _regex_needs(query)
    else:
        flags = 0 if query.case_sensitive else CASE_FLAGS
        needs = list(run_needs([(ch, flags) for ch in query.text]))
    built: dict[Need, tuple[Anchor, ...]] = {}
    for need in needs:
        built.setdefault(need, tuple(_anchor(text, flags) for text, flags in need))
    # Longest first: the rarest, most often the one that rules a file out.
    ordered = sorted(built.values(), key=lambda need: -min(len(a.text) for a in need))
    return Prefilter(tuple(ordered))


def _regex_needs(query: Query) -> list[Need]:
    """What every match of the regex ``query`` consumes; nothing when the pattern
    cannot be analysed (then every file is parsed)."""
    parsed = parse_regex(query)
    if parsed is None or parsed.flags & regex.REVERSE:
        return []
    if any(node.fuzzy for node in parsed.tree.walk()):
        return []  # a fuzzy match need not hold its literal text
    return regex_needs(parsed.tree)


def _anchor(text: str, flags: int) -> Anchor:
    if " " in text:  # a phrase (see anchors.phrases): its words apart by any whitespace
        source = r"\s+".join(regex.escape(word) for word in text.split(" "))
        return Anchor(text, flags, False, regex.compile(source, regex.V0 | flags))
    pattern = regex.compile(regex.escape(text), regex.V0 | flags) if flags else None
    return Anchor(text, flags, may_touch_placeholder(text, flags), pattern)


# ------------------------------------------------------------ the search view's question

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
#: Nodes that consume a character unless the parser made them zero-width (a lookaround).
_CONSUMING = frozenset(
    "Any AnyAll AnyU Character Property Range SetDiff SetInter SetSymDiff SetUnion String".split()
)


@lru_cache(maxsize=64)
def field_local(query: Query) -> bool:
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
    parsed = parse_regex(query)
    if parsed is None or parsed.flags & regex.REVERSE:
        return False
    for node in parsed.tree.walk():
        if node.kind not in _LOCAL_NODES:
            return False
        if node.zerowidth and node.kind in _CONSUMING:
            return False  # a one-character lookaround the parser folded into a node
    return True


# ------------------------------------------------------------ the adapter over regex's parse


@dataclass(frozen=True, slots=True)
class ParsedRegex:
    """A pattern as the ``regex`` module parses it, in our own nodes."""

    tree: RegexNode
    flags: int  # the flags it is matched with, inline ones such as (?x) included


class _Fallbacks:
    """Queries whose parse could not be read, in this process (see the module's doc).

    Not locked: the reader's searches run in threads, and a lost increment between two
    of them would only undercount a count that is zero unless ``regex`` changed.
    """

    count = 0

    @classmethod
    def note(cls, query: Query, exc: BaseException) -> None:
        cls.count += 1
        _log.debug(
            "no prefilter for %r: the regex module's parse could not be read (%s: %s)",
            query.text,
            type(exc).__name__,
            exc,
        )


def prefilter_fallbacks() -> int:
    """How many regular expressions this process searched without a prefilter because
    the ``regex`` module's parse could not be read (0 unless a release changed it)."""
    return _Fallbacks.count


@lru_cache(maxsize=64)
def parse_regex(query: Query) -> ParsedRegex | None:
    """The regex ``query`` as the ``regex`` module parses it when compiling, or None
    (counted by :func:`prefilter_fallbacks`, logged) when that cannot be read."""
    try:
        core = import_module("regex._regex_core")
        _check_kinds(core)
        tree, flags = _parse(core, query)
        return ParsedRegex(_copy_tree(core, tree), flags)
    except Exception as exc:  # noqa: BLE001  (an internal API: any surprise means "cannot read")
        _Fallbacks.note(query, exc)
        return None


#: Every class of ``regex._regex_core`` the adapter or the rules above name: one that a
#: release renames or removes makes the adapter fail (loudly) instead of a rule
#: quietly never matching.
_KINDS = _LOCAL_NODES | {"Fuzzy", "RegexBase"}
_REPEATS = ("GreedyRepeat", "LazyRepeat", "PossessiveRepeat")


def _check_kinds(core: Any) -> None:
    missing = sorted(name for name in _KINDS if not isinstance(getattr(core, name, None), type))
    if missing:
        raise AttributeError(f"regex._regex_core lacks {', '.join(missing)}")


def _parse(core: Any, query: Query) -> tuple[Any, int]:
    """The module's own parse tree of the query, as it compiles it, and its flags."""
    flags = regex.MULTILINE | regex.V0
    if not query.case_sensitive:
        flags |= CASE_FLAGS
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
        return tree, int(info.flags)


def _copy_tree(core: Any, root: Any) -> RegexNode:
    """``root``'s tree in :class:`RegexNode` nodes (iterative: trees can be deep)."""
    order: list[tuple[Any, list[Any]]] = []  # each node before the nodes it holds
    stack = [root]
    while stack:
        raw = stack.pop()
        held = _held_nodes(core, raw)
        order.append((raw, held))
        stack.extend(held)
    built: dict[int, RegexNode] = {}
    for raw, held in reversed(order):
        built[id(raw)] = _copy_node(core, raw, tuple(built[id(node)] for node in held))
    return built[id(root)]


def _held_nodes(core: Any, raw: Any) -> list[Any]:
    """The nodes below ``raw``: a sequence's items, an alternation's branches, the
    subpattern of a group or a repeat, or any nodes another kind holds."""
    kind = type(raw)
    if kind is core.Sequence:
        return list(raw.items)
    if kind is core.Branch:
        return list(raw.branches)
    if kind in (core.Group, core.Atomic) or _is_repeat(core, raw):
        return [raw.subpattern]
    held: list[Any] = []
    for value in vars(raw).values():
        if isinstance(value, list | tuple):
            held.extend(v for v in value if isinstance(v, core.RegexBase))
        elif isinstance(value, core.RegexBase):
            held.append(value)
    return held


def _is_repeat(core: Any, raw: Any) -> bool:
    return isinstance(raw, tuple(getattr(core, name) for name in _REPEATS))


def _copy_node(core: Any, raw: Any, children: tuple[RegexNode, ...]) -> RegexNode:
    kind = type(raw).__name__
    if type(raw) is core.Character:
        return RegexNode(
            kind,
            children,
            char=int(raw.value),
            case_flags=int(raw.case_flags),
            positive=bool(raw.positive),
            zerowidth=bool(raw.zerowidth),
        )
    return RegexNode(
        kind,
        children,
        zerowidth=bool(getattr(raw, "zerowidth", False)),
        min_count=int(raw.min_count) if _is_repeat(core, raw) else None,
        fuzzy=isinstance(raw, core.Fuzzy),
    )
