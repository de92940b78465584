"""The runs of characters every match of a query holds: the prefilter's *anchors*.

A query's text, or a regular expression's parse tree, is read into *needs*: each
need is one anchor, or several of which every match holds one (the branches of
``a|b``). Why these runs are safe to look for in a file's raw text is the subject of
:mod:`threadtui.search.prefilter`; here is only how they are cut:

* a run of (character, case flags) is cut at whitespace, at characters
  :func:`~threadtui.safe.visible` rewrites and at a change of case flags, and
  loses its leading combining marks (:func:`split_run`);
* words with only spaces between them also make a *phrase* (:func:`phrases`);
* a regex tree gives the runs of literal characters in its top-level sequence
  (inside groups and ``+``/``{n,}`` repeats too, never inside optional parts or
  lookarounds), and one anchor from each branch of an alternation
  (:func:`regex_needs`).

The tree is a :class:`RegexNode` tree, which the prefilter's adapter builds from
the ``regex`` module's own parse (the only code that reads that module's
internals); nothing here touches them.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

import regex

from threadtui.parsing.common.lines import WHITESPACE
from threadtui.safe import visible

__all__ = [
    "CASE_FLAGS",
    "Need",
    "RegexNode",
    "Run",
    "may_touch_placeholder",
    "phrases",
    "regex_needs",
    "run_needs",
    "split_run",
]

#: The case flags an anchor is searched with when the query ignores case.
CASE_FLAGS = regex.IGNORECASE | regex.FULLCASE

#: Characters with the case flags they are matched with.
Run = list[tuple[str, int]]
#: A need: anchors as (text, case flags), one of which every match holds.
Need = tuple[tuple[str, int], ...]

#: What a placeholder's inside is made of: ``U+200D``, ``0xFF``.
_PLACEHOLDER_INSIDE = frozenset("U+0123456789ABCDEFx")
_PLACEHOLDER_INSIDE_FOLDED = frozenset("u+0123456789abcdefx")
#: What only a placeholder's edges are made of: ``⟨ ⟩`` and the control pictures.
_PLACEHOLDER_EDGES = frozenset("⟨⟩") | frozenset(chr(c) for c in range(0x2400, 0x2427))
#: Spellings of an alternation with its neighbours beyond which none are kept.
_MAX_SPELLINGS = 16


@dataclass(frozen=True, slots=True)
class RegexNode:
    """One node of a pattern's parse tree, as the rules here read it.

    ``kind`` is the ``regex`` module's own name for it (``Sequence``, ``Character``,
    ``Branch``, ``Group``, ``GreedyRepeat``, ``LookAround``...). ``children`` are a
    sequence's items, an alternation's branches, the one subpattern of a group or a
    repeat, and whatever nodes any other kind holds.
    """

    kind: str
    children: tuple[RegexNode, ...] = ()
    char: int | None = None  # a Character's code point
    case_flags: int = 0
    positive: bool = True
    zerowidth: bool = False
    min_count: int | None = None  # a repeat's (greedy, lazy or possessive); None otherwise
    fuzzy: bool = False  # a fuzzy-matching part (``(?:...){e<=1}``)

    @property
    def is_char(self) -> bool:
        """Whether the node consumes exactly one given character."""
        return self.kind == "Character" and self.positive and not self.zerowidth

    def char_flags(self) -> tuple[str, int]:
        """A character node as (character, case flags)."""
        assert self.char is not None
        return chr(self.char), self.case_flags & CASE_FLAGS

    def walk(self) -> Iterator[RegexNode]:
        """This node and every node below it (iteratively: trees can be deep)."""
        stack = [self]
        while stack:
            node = stack.pop()
            yield node
            stack.extend(node.children)


# ------------------------------------------------------------------------ runs of text


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


def _pieces(run: Run, *, spaces: bool) -> Iterator[tuple[str, int]]:
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


def split_run(run: Run) -> Iterator[tuple[str, int]]:
    """The anchors in a run of (character, case flags): cut at spaces, controls and a
    change of flags, leading combining characters dropped."""
    for text, flags in _pieces(run, spaces=False):
        start = 0
        while start < len(text) and _composes_backwards(text[start]):
            start += 1
        if start < len(text):
            yield text[start:], flags


def phrases(run: Run) -> Iterator[tuple[str, int]]:
    """The *phrases* in a run of (character, case flags): two or more anchor words that
    the run holds with nothing but spaces between them, as ``"word word"``.

    Every match holds such words with those spaces between them, and a field holds
    them so in the file's text too, only with its whitespace maybe otherwise: a
    paragraph keeps a line's spaces as they are, but a one-line field (an author, a
    reply title) folds a run of whitespace into one space (``one_line``). So a phrase
    is looked for with its words apart by any whitespace (see the prefilter), which
    rules out far more posts than its words one by one: "the rusty" is rarer than
    "the" and "rusty" in the same post. Words that could touch a placeholder make no
    phrase, and neither do words after the first that begin with a mark NFC could
    join to the space before them (they are not cut off as in :func:`split_run`).
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
        if any(may_touch_placeholder(word, flags) for word in words):
            continue
        yield " ".join(words), flags


def may_touch_placeholder(text: str, flags: int) -> bool:
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


def run_needs(run: Run) -> Iterator[Need]:
    """A run's anchors and phrases, each a need of its own."""
    for anchor in split_run(run):
        yield (anchor,)
    for phrase in phrases(run):
        yield (phrase,)


# ------------------------------------------------------------------------ a regex tree


def regex_needs(tree: RegexNode) -> list[Need]:
    """What every match of the pattern parsed as ``tree`` consumes: the runs of
    literal characters in its top-level sequence, and for an alternation one anchor
    from each branch (iterative, but for alternations)."""
    needs: list[Need] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if node.kind == "Sequence":
            _sequence_needs(node.children, needs, stack)
        elif node.is_char:
            _sequence_needs((node,), needs, stack)
        elif node.kind in ("Group", "Atomic") or (node.min_count or 0) >= 1:
            stack.extend(node.children)  # the subpattern, which every match goes through
        elif node.kind == "Branch":
            need = _branch_need(node)
            if need is not None:
                needs.append(need)
        # Anything else (optional parts, lookarounds, sets, references, a negated
        # character such as [^u]): nothing in it is certain to be consumed.
    return needs


def _branch_need(node: RegexNode) -> Need | None:
    """An alternation's need: the longest single anchor of each branch (a match takes
    one branch, so it holds the anchor picked from that one); None when a branch has
    none."""
    choice: list[tuple[str, int]] = []
    for branch in node.children:
        singles = [need[0] for need in regex_needs(branch) if len(need) == 1]
        if not singles:
            return None  # a branch without anchors: the alternation needs nothing
        choice.append(max(singles, key=lambda anchor: len(anchor[0])))
    return tuple(dict.fromkeys(choice))


def _sequence_needs(
    items: tuple[RegexNode, ...], needs: list[Need], stack: list[RegexNode]
) -> None:
    """The needs of a sequence's runs of characters; its other items go on ``stack``.

    Around an alternation of plain words, the literal text each branch makes with its
    neighbours is a need too: "(?:painted|oiled) the rusty" needs "painted the rusty"
    or "oiled the rusty", rarer than any of its words.
    """
    run: Run = []
    spelled: list[Run] | None = None
    for item in items:
        if item.is_char:
            char = item.char_flags()
            run.append(char)
            for text in spelled or ():
                text.append(char)
            continue
        words = _literal_branches(item)
        if words is not None and len(words) * len(spelled or [[]]) <= _MAX_SPELLINGS:
            start = [list(run)] if spelled is None else spelled
            spelled = [[*before, *word] for before in start for word in words]
        elif spelled is not None:
            _add_spelled(spelled, needs)
            spelled = None
        if run:
            needs.extend(run_needs(run))
            run = []
        stack.append(item)
    if run:
        needs.extend(run_needs(run))
    if spelled is not None:
        _add_spelled(spelled, needs)


def _literal_branches(node: RegexNode) -> list[Run] | None:
    """The branches of an alternation (maybe in a group) that are all plain text, as
    runs of (character, case flags); None for anything else."""
    if node.kind == "Group":
        (node,) = node.children
    if node.kind != "Branch":
        return None
    out: list[Run] = []
    for branch in node.children:
        items = branch.children if branch.kind == "Sequence" else (branch,)
        if not all(item.is_char for item in items):
            return None
        out.append([item.char_flags() for item in items])
    return out


def _add_spelled(spelled: list[Run], needs: list[Need]) -> None:
    """One need from the texts of an alternation's branches with their neighbours: the
    longest anchor or phrase of each (no need if one of them has none)."""
    choice: list[tuple[str, int]] = []
    for text in spelled:
        found = [*split_run(text), *phrases(text)]
        if not found:
            return
        choice.append(max(found, key=lambda anchor: len(anchor[0])))
    needs.append(tuple(dict.fromkeys(choice)))
