"""grep's pattern syntax, translated to the ``regex`` module's: what ``threadtui search`` takes.

A basic regular expression (BRE, grep's default) or an extended one (ERE, ``-E``) is
read as GNU grep reads it and written in the ``regex`` module's syntax; fixed strings
(``-F``) are escaped. :func:`build_query` turns the patterns into the one
:class:`~threadtui.search.query.Query` the reader's own search runs, so a hit the
command prints is a hit the reader shows.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from threadtui.search.query import Query, QueryError, compile_query

__all__ = ["PatternError", "bre_to_regex", "build_query", "ere_to_regex"]


class PatternError(ValueError):
    """A grep pattern that cannot be translated (an unmatched ``[``, a bad ``\\{\\}``)."""


def bre_to_regex(pattern: str) -> str:
    """A POSIX/GNU basic regular expression in the ``regex`` module's syntax.

    ``\\( \\) \\{ \\} \\| \\+ \\?`` are operators and ``( ) { } | + ?`` plain
    characters; ``*`` is plain at the start of an expression (or a group or an
    alternative), ``^`` is an anchor only there and ``$`` only at the end.
    GNU's ``\\< \\> \\b \\B \\w \\W \\s \\S \\` \\'`` and back-references work.
    """
    return _translate(pattern, extended=False)


def ere_to_regex(pattern: str) -> str:
    """A POSIX/GNU extended regular expression (``grep -E``) in the ``regex`` module's syntax."""
    return _translate(pattern, extended=True)


def build_query(
    patterns: Sequence[str],
    *,
    extended: bool = False,
    fixed: bool = False,
    ignore_case: bool = False,
    whole_word: bool = False,
) -> Query:
    """The :class:`Query` for grep-style ``patterns`` (any of them may match).

    Raises:
        PatternError: a pattern grep would refuse.
        QueryError: the translated expression does not compile, or it is empty.
    """
    pieces = [p for pattern in patterns for p in pattern.split("\n")]
    if any(not p for p in pieces):
        raise QueryError("empty pattern (it would match every line)")
    case_sensitive = not ignore_case
    if len(pieces) == 1 and (fixed or not _has_operators(pieces[0], extended)):
        return compile_query(
            pieces[0], is_regex=False, whole_word=whole_word, case_sensitive=case_sensitive
        )
    if fixed:
        sources = [re.escape(p) for p in pieces]
    else:
        sources = [ere_to_regex(p) if extended else bre_to_regex(p) for p in pieces]
    source = sources[0] if len(sources) == 1 else "|".join(f"(?:{s})" for s in sources)
    return compile_query(
        source, is_regex=True, whole_word=whole_word, case_sensitive=case_sensitive
    )


def _has_operators(pattern: str, extended: bool) -> bool:
    special = "\\.*[^$+?|(){}" if extended else "\\.*[^$"
    return any(ch in special for ch in pattern)


# ------------------------------------------------------------------------ the translator


class _Emitter:
    """The translated expression, built atom by atom.

    POSIX lets repetitions stack (``a**``, ``a+?``: a repetition of a
    repetition) where the ``regex`` module reads ``+?`` as a lazy ``+``; the
    emitter wraps the repeated item in ``(?:...)`` first, so the meaning stays
    POSIX's.
    """

    def __init__(self) -> None:
        self.out: list[str] = []
        self.groups: list[int] = []  # where each open group starts in out
        self.closed = 0  # groups closed so far (back-references may only name those)
        self.atom: int | None = None  # where the last repeatable item starts
        self.repeated = False  # the last thing emitted was a repetition
        self.at_start = True  # at the start of the expression, a group or an alternative
        self.after_word_anchor = False  # a repetition here is dropped (GNU grep)

    def item(self, text: str) -> None:
        self.atom = len(self.out)
        self.out.append(text)
        self.repeated = False
        self.at_start = False

    def repeat(self, op: str) -> None:
        assert self.atom is not None
        if self.repeated:
            self.out[self.atom :] = ["(?:" + "".join(self.out[self.atom :]) + ")"]
        self.out.append(op)
        self.repeated = True
        self.at_start = False

    def repetition(self, op: str, *, dropped: bool, plain: str | None) -> None:
        """A repetition operator where the pattern has one: dropped right after a word
        anchor (which stays required, as in GNU grep; the next one is dropped too),
        else it repeats the last item, or with nothing to repeat it is the ``plain``
        text (None: it repeats the empty string, which adds nothing)."""
        if dropped:
            self.after_word_anchor = True
        elif self.atom is not None:
            self.repeat(op)
        elif plain is not None:
            self.item(plain)

    def open_group(self) -> None:
        self.groups.append(len(self.out))
        self.out.append("(")
        self.atom, self.repeated, self.at_start = None, False, True

    def close_group(self) -> None:
        start = self.groups.pop()
        self.closed += 1
        self.out.append(")")
        self.atom, self.repeated, self.at_start = start, False, False

    def alternative(self) -> None:
        self.out.append("|")
        self.atom, self.repeated, self.at_start = None, False, True

    def start_anchor(self) -> None:
        self.out.append("^")  # nothing to repeat yet: a repetition here is dropped or plain
        self.atom, self.repeated, self.at_start = None, False, False

    def word_anchor(self, text: str, *, extended: bool) -> None:
        self.out.append(text)
        self.atom, self.repeated, self.at_start = None, False, False
        # GNU grep: a repetition after a word anchor is dropped in an extended
        # expression (a\b* is a\b) and a plain character in a basic one.
        self.after_word_anchor = extended


_INTERVAL = re.compile(r"(\d*)(?:,(\d*))?")
_ANCHOR_ESCAPES = {"`": r"(?:\A)", "'": r"(?:\Z)"}
#: Word anchors: GNU grep keeps them required when repeated (``a\b*`` is ``a\b``).
_WORD_ANCHORS = {"<": r"\m", ">": r"\M", "b": r"\b", "B": r"\B"}
_CLASSES = frozenset(
    "alpha digit alnum upper lower space blank punct print graph cntrl xdigit".split()
)


def _translate(pattern: str, *, extended: bool) -> str:
    """Translate as GNU grep reads the pattern (see :func:`bre_to_regex`).

    Where GNU grep repeats nothing (``-E '*a'``, ``'(+a)'``, ``'a|?b'``: a
    repetition at the start of an expression, a group or an alternative) the
    repetition is dropped; in a basic expression it is a plain character. Each
    reader below takes the position after what it reads and returns where to go on.
    """
    em = _Emitter()
    i = 0
    while i < len(pattern):
        dropped, em.after_word_anchor = em.after_word_anchor, False
        ch = pattern[i]
        if ch == "\\":
            i = _escape(em, pattern, i + 1, extended=extended, dropped=dropped)
        elif ch == "[":
            text, i = _bracket(pattern, i)
            em.item(text)
        else:
            i = _character(em, pattern, i + 1, extended=extended, dropped=dropped)
    if em.groups:
        raise PatternError("unmatched ( or \\(")
    return "".join(em.out)


def _escape(em: _Emitter, pattern: str, i: int, *, extended: bool, dropped: bool) -> int:
    """The escape whose backslash comes just before ``pattern[i]``."""
    if i >= len(pattern):
        raise PatternError("trailing backslash (\\)")
    nxt = pattern[i]
    i += 1
    if not extended and nxt in "()|+?{":
        return _bre_operator(em, pattern, i, nxt, dropped=dropped)
    if nxt in _WORD_ANCHORS:
        em.word_anchor(_WORD_ANCHORS[nxt], extended=extended)
    elif nxt in _ANCHOR_ESCAPES:
        em.item(_ANCHOR_ESCAPES[nxt])
    elif nxt in "123456789":
        if int(nxt) > em.closed:
            raise PatternError("invalid back reference")
        em.item("\\" + nxt)
    elif nxt in "wWsS":
        em.item("\\" + nxt)
    else:
        em.item(re.escape(nxt))  # \. \* \[ \\ and stray escapes: the character
    return i


def _bre_operator(em: _Emitter, pattern: str, i: int, op: str, *, dropped: bool) -> int:
    """A basic expression's ``\\( \\) \\| \\+ \\? \\{`` (``op`` is what follows the
    backslash; ``pattern[i]`` comes after it)."""
    if op == "(":
        em.open_group()
    elif op == ")":
        if not em.groups:
            raise PatternError("unmatched ) or \\)")
        em.close_group()
    elif op == "|":
        em.alternative()
    elif op in "+?":
        em.repetition(op, dropped=dropped, plain=re.escape(op))
    elif em.atom is None and not dropped:
        em.item(re.escape("{"))  # nothing to repeat: a plain brace, as GNU grep reads it
    else:
        close = pattern.find("\\}", i)
        if close < 0:
            raise PatternError("unmatched \\{")
        interval = _interval(pattern[i:close])
        if interval is None:
            raise PatternError("invalid content of \\{\\}")
        em.repetition(interval, dropped=dropped, plain=None)
        i = close + 2
    return i


def _character(em: _Emitter, pattern: str, i: int, *, extended: bool, dropped: bool) -> int:
    """``pattern[i - 1]``, a character outside brackets and escapes."""
    ch = pattern[i - 1]
    if ch == ".":
        em.item(".")
    elif ch == "*" or (extended and ch in "+?"):
        # With nothing to repeat, a basic expression's * is itself (an extended one's
        # repeats the empty string, which adds nothing).
        em.repetition(ch, dropped=dropped, plain=None if extended else re.escape(ch))
    elif ch == "^" and extended:
        em.item("(?:^)")  # an item: GNU grep -E reads ^* as "an optional ^"
    elif ch == "^" and em.at_start:
        em.start_anchor()
    elif ch == "$" and extended:
        em.item("(?:$)")
    elif ch == "$" and (
        i == len(pattern) or pattern.startswith("\\)", i) or pattern.startswith("\\|", i)
    ):
        em.item("$")
    elif extended and ch in "()|{":
        return _ere_operator(em, pattern, i, ch, dropped=dropped)
    else:
        em.item(re.escape(ch))
    return i


def _ere_operator(em: _Emitter, pattern: str, i: int, op: str, *, dropped: bool) -> int:
    """An extended expression's ``( ) | {`` (``op``; ``pattern[i]`` comes after it)."""
    if op == "(":
        em.open_group()
    elif op == ")":
        if em.groups:
            em.close_group()
        else:
            em.item(re.escape(op))  # GNU grep -E: an unmatched ) is itself
    elif op == "|":
        em.alternative()
    else:
        close = pattern.find("}", i)
        interval = _interval(pattern[i:close]) if close >= 0 else None
        if close == i:  # "{}"
            if em.atom is not None and em.out[em.atom] != "(?:^)":
                raise PatternError("invalid content of \\{\\}")  # "a{}", as GNU grep -E says
            em.item(re.escape(op))  # nothing to repeat: "{" is itself
        elif interval is not None:
            em.repetition(interval, dropped=dropped, plain=None)
            i = close + 1
        else:
            em.item(re.escape(op))  # not an interval: a plain brace, as GNU grep -E reads it
    return i


def _interval(body: str) -> str | None:
    """``{body}`` as the ``regex`` module writes it (``,5`` is ``0,5``), or None if invalid."""
    match = _INTERVAL.fullmatch(body)
    if match is None or not body:
        return None
    low, high = match[1] or "0", match[2]
    if high is None:
        return "{" + low + "}"
    if high and int(low) > int(high):
        return None
    return "{" + low + "," + high + "}"


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """Translate the bracket expression starting at ``pattern[i] == "["``; return it
    and where the pattern goes on.

    In POSIX brackets a backslash is a plain character and a ``]`` first is a
    member; in the ``regex`` module both need escaping.
    """
    n = len(pattern)
    j = i + 1
    out = ["["]
    end = pattern.find("]", i + 2)
    if pattern.startswith("[:", i) and end > i + 2 and pattern[end - 1] == ":":
        # GNU grep refuses "[:space:]" outside brackets: surely "[[:space:]]" was meant.
        raise PatternError("character class syntax is [[:space:]], not [:space:]")
    if j < n and pattern[j] == "^":
        out.append("^")
        j += 1
    first = True
    while True:
        if j >= n:
            raise PatternError("unmatched [, [^, [:, [., or [=")
        ch = pattern[j]
        if ch == "]" and not first:
            out.append("]")
            return "".join(out), j + 1
        first = False
        if ch == "[" and j + 1 < n and pattern[j + 1] in ":=.":
            j = _bracket_class(pattern, j, out)
            continue
        if ch == "-" and out[-1] not in ("[", "^") and j + 1 < n and pattern[j + 1] != "]":
            out.append("-")  # a range
        else:
            out.append(re.escape(ch) if ch in "\\[]^-&|~" else ch)
        j += 1


def _bracket_class(pattern: str, j: int, out: list[str]) -> int:
    """A ``[:name:]``, ``[=c=]`` or ``[.c.]`` inside brackets, at ``pattern[j]``: added
    to ``out``; returns where the bracket goes on."""
    kind = pattern[j + 1]
    close = pattern.find(kind + "]", j + 2)
    if close < 0:
        raise PatternError("unmatched [, [^, [:, [., or [=")
    name = pattern[j + 2 : close]
    if kind == ":":
        if name not in _CLASSES:
            raise PatternError(f"invalid character class [:{name}:]")
        out.append(f"[:{name}:]")
    else:
        out.append("".join(re.escape(c) for c in name))  # [=a=] and [.a.]: the character
    return close + 2
