"""``threadtui search PATTERN PATH...``: grep for saved threads.

One line per match, ``FILE:TITLE:#N: LINE`` (the post number ``#1`` is the
opening post), in colour on a terminal and plain when piped. Patterns are
grep's: a basic regular expression by default (``-E`` extended, ``-F`` fixed
strings), translated to the ``regex`` module's syntax here; the matching itself
is the reader's (:mod:`threadtui.search`), so a hit printed here is a hit the
reader shows. Everything printed that comes from a file (names, titles, text)
goes through :mod:`threadtui.safe` first: no control character or escape
sequence from a thread reaches the terminal.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from threadtui.cli.common import Exit, error
from threadtui.library import discover
from threadtui.safe import one_line, visible
from threadtui.search.folder import FolderError, FolderHit, search_paths
from threadtui.search.query import Query, QueryError, compile_query

if TYPE_CHECKING:
    from rich.console import Console

#: Characters of a title shown on each hit line.
TITLE_LIMIT = 60

#: Styles of the coloured output.
STYLE_PATH = "magenta dim"
STYLE_NUMBER = "green dim"
STYLE_SEPARATOR = "dim"
STYLE_TITLE = "bold"
STYLE_MATCH = "bold red"

_HELP = """\
Search every saved thread under the PATHs (folders are searched recursively;
default: the current folder) and print one line per match:

  FILE:TITLE:#N: LINE

where #N is the post number (#1 is the opening post) and LINE the line of
text around the match (about 200 characters of it). A line holding two
matches is printed twice, each time with its own match highlighted. Titles,
authors, bylines, posts, quotes, links and attachment names are searched, as
the reader's / search does; a match never runs from one of them into the
next. Control characters and escape sequences in names, titles and text are
printed as visible placeholders (␛, ⟨U+202E⟩), never as they are.

-c prints FILE:COUNT for every file searched; the count is of matches, where
grep counts lines. -l prints the names of files with a match, -q nothing.

PATTERN is a basic regular expression as in grep: \\( \\) \\{ \\} \\| \\+ \\?
are special and ( ) { } | + ? are plain characters; . * ^ $ [...] work as
usual. -E takes an extended regular expression instead (( ) { } | + ?
special), -F a fixed string. A PATTERN holding line breaks is several
patterns, any of which may match. Text is compared after Unicode NFC
normalisation; -i uses full Unicode case folding ("strasse" finds "Straße").

Exit status: 0 if something matched, 1 if nothing did, 2 on an error (a bad
pattern, a missing path, a file that cannot be read as a thread), even when
other files matched, as in grep. With -q, a match gives 0 even after an
error. Ctrl+C stops the search with status 130. Colour: --color=auto (the default) colours only a terminal, and
NO_COLOR (set and not empty) or TERM=dumb turn it off; --color=always and
--color=never override both.
"""


# ------------------------------------------------------------------ pattern syntax


class PatternError(ValueError):
    """A grep pattern that cannot be translated (an unmatched ``[``, a bad ``\\{\\}``)."""


_INTERVAL = re.compile(r"(\d*)(?:,(\d*))?")


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

    def repeatable(self) -> bool:
        """Is there something to repeat (else a repetition is dropped or plain)?"""
        return self.atom is not None


_ANCHOR_ESCAPES = {"`": r"(?:\A)", "'": r"(?:\Z)"}
#: Word anchors: GNU grep keeps them required when repeated (``a\b*`` is ``a\b``).
_WORD_ANCHORS = {"<": r"\m", ">": r"\M", "b": r"\b", "B": r"\B"}


def _translate(pattern: str, *, extended: bool) -> str:
    """Translate as GNU grep reads the pattern (see :func:`bre_to_regex`).

    Where GNU grep repeats nothing (``-E '*a'``, ``'(+a)'``, ``'a|?b'``: a
    repetition at the start of an expression, a group or an alternative) the
    repetition is dropped; in a basic expression it is a plain character.
    """
    em = _Emitter()
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        drop_repeat, em.after_word_anchor = em.after_word_anchor, False
        if ch == "\\":
            if i + 1 >= n:
                raise PatternError("trailing backslash (\\)")
            nxt = pattern[i + 1]
            i += 2
            if not extended and nxt == "(":
                em.open_group()
            elif not extended and nxt == ")":
                if not em.groups:
                    raise PatternError("unmatched ) or \\)")
                em.close_group()
            elif not extended and nxt == "|":
                em.alternative()
            elif not extended and nxt in "+?":
                if drop_repeat:
                    em.after_word_anchor = True
                elif em.atom is None:
                    em.item(re.escape(nxt))  # nothing to repeat: the character itself
                else:
                    em.repeat(nxt)
            elif not extended and nxt == "{" and em.atom is None and not drop_repeat:
                em.item(re.escape("{"))  # nothing to repeat: a plain brace, as GNU grep reads it
            elif not extended and nxt == "{":
                close = pattern.find("\\}", i)
                if close < 0:
                    raise PatternError("unmatched \\{")
                interval = _interval(pattern[i:close])
                if interval is None:
                    raise PatternError("invalid content of \\{\\}")
                i = close + 2
                if drop_repeat:
                    em.after_word_anchor = True
                else:
                    em.repeat(interval)
            elif nxt in _WORD_ANCHORS:
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
            continue
        if ch == "[":
            text, i = _bracket(pattern, i)
            em.item(text)
            continue
        i += 1
        if ch == ".":
            em.item(".")
        elif ch == "*" or (extended and ch in "+?"):
            if drop_repeat:
                em.after_word_anchor = True
            elif em.atom is not None:
                em.repeat(ch)
            elif not extended:
                em.item(re.escape(ch))
            # extended, nothing before it: repeats the empty string, which adds nothing
        elif ch == "^" and extended:
            em.item("(?:^)")  # an item: GNU grep -E reads ^* as "an optional ^"
        elif ch == "^" and em.at_start:
            em.start_anchor()
        elif ch == "$" and extended:
            em.item("(?:$)")
        elif ch == "$" and (i == n or pattern.startswith("\\)", i) or pattern.startswith("\\|", i)):
            em.item("$")
        elif extended and ch == "(":
            em.open_group()
        elif extended and ch == ")":
            if em.groups:
                em.close_group()
            else:
                em.item(re.escape(ch))  # GNU grep -E: an unmatched ) is itself
        elif extended and ch == "|":
            em.alternative()
        elif extended and ch == "{":
            close = pattern.find("}", i)
            interval = _interval(pattern[i:close]) if close >= 0 else None
            if close == i:  # "{}"
                if em.atom is not None and em.out[em.atom] != "(?:^)":
                    raise PatternError("invalid content of \\{\\}")  # "a{}", as GNU grep -E says
                em.item(re.escape(ch))  # nothing to repeat: "{" is itself
            elif interval is not None:
                i = close + 1
                if drop_repeat:
                    em.after_word_anchor = True
                elif em.atom is not None:
                    em.repeat(interval)
                # else nothing to repeat: repeating the empty string adds nothing
            else:
                em.item(re.escape(ch))  # not an interval: a plain brace, as GNU grep -E reads it
        else:
            em.item(re.escape(ch))
    if em.groups:
        raise PatternError("unmatched ( or \\(")
    return "".join(em.out)


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


_CLASSES = frozenset(
    "alpha digit alnum upper lower space blank punct print graph cntrl xdigit".split()
)


def _bracket(pattern: str, i: int) -> tuple[str, int]:
    """Translate the bracket expression starting at ``pattern[i] == "["``.

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
            j = close + 2
            continue
        if ch == "-" and out[-1] not in ("[", "^") and j + 1 < n and pattern[j + 1] != "]":
            out.append("-")  # a range
        else:
            out.append(re.escape(ch) if ch in "\\[]^-&|~" else ch)
        j += 1


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


# ------------------------------------------------------------------------- output


def _safe_name(path: str) -> str:
    """A file name as one line of visible text (a newline in a name is shown as ␤)."""
    return visible(path).replace("\n", "\u2424")


def _hit_line(
    hit: FolderHit, names: tuple[str, str] | None = None
) -> tuple[str, str, str, str, int, int]:
    """(path, title, number, line, match start, match end), all safe to print.

    ``names``: the first two, when the caller has them already (a file's hits come
    one after another, all with the same path and title).
    """
    line, start, end = hit.line, hit.line_start, hit.line_end
    if "\n" in line or visible(line) != line:
        # FolderHit promises shown text; keep that promise here whatever happens.
        line, start, end = one_line(line), 0, 0
    path, title = names or (_safe_name(hit.path), one_line(hit.title, TITLE_LIMIT))
    return path, title, f"#{hit.post_number}", line, start, end


class _Printer:
    """Writes hit lines, plain or coloured (Rich ``Text``, never markup)."""

    def __init__(self, out: TextIO, colour: bool) -> None:
        self.out = out
        self.console: Console | None = None
        self._named: tuple[str, str] | None = None  # (path, title) of the last hit
        self._names = ("", "")  # and how they are printed
        if colour:
            # Rich's console takes ~0.1 s to import: only a coloured run pays for it.
            from rich.console import Console

            self.console = Console(
                file=out,
                force_terminal=True,
                color_system="standard",
                highlight=False,
                markup=False,
                emoji=False,
                soft_wrap=True,
            )

    def hit(self, hit: FolderHit) -> None:
        if (hit.path, hit.title) != self._named:
            self._named = (hit.path, hit.title)
            self._names = (_safe_name(hit.path), one_line(hit.title, TITLE_LIMIT))
        path, title, number, line, start, end = _hit_line(hit, self._names)
        if self.console is None:
            self.out.write(f"{path}:{title}:{number}: {line}\n")
            return
        text = Text()
        text.append(path, STYLE_PATH)
        text.append(":", STYLE_SEPARATOR)
        text.append(title, STYLE_TITLE)
        text.append(":", STYLE_SEPARATOR)
        text.append(number, STYLE_NUMBER)
        text.append(": ", STYLE_SEPARATOR)
        text.append(line[:start])
        text.append(line[start:end], STYLE_MATCH)
        text.append(line[end:])
        self.console.print(text)

    def count(self, path: str, count: int) -> None:
        self._name(_safe_name(path), f":{count}")

    def name(self, path: str) -> None:
        self._name(_safe_name(path), "")

    def _name(self, name: str, suffix: str) -> None:
        if self.console is None:
            self.out.write(f"{name}{suffix}\n")
            return
        text = Text(name, STYLE_PATH)
        text.append(suffix)
        self.console.print(text)


def use_colour(when: str, stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """``--color``: ``always``, ``never``, or ``auto`` (a terminal, unless NO_COLOR or TERM=dumb)."""
    if when == "always":
        return True
    if when == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


# ------------------------------------------------------------------------ command


def _command() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="threadtui search",
        usage="threadtui search [OPTIONS] PATTERN [PATH...]\n"
        "       threadtui search [OPTIONS] -e PATTERN [-e PATTERN...] [PATH...]",
        description="Find a pattern in saved threads, grep-style.",
        epilog=_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("args", nargs="*", metavar="PATTERN PATH", help=argparse.SUPPRESS)
    syntax = parser.add_mutually_exclusive_group()
    syntax.add_argument(
        "-E", "--extended-regexp", action="store_true", help="PATTERN is an extended regex"
    )
    syntax.add_argument(
        "-F", "--fixed-strings", action="store_true", help="PATTERN is a fixed string"
    )
    syntax.add_argument(
        "-G",
        "--basic-regexp",
        action="store_true",
        help="PATTERN is a basic regex (the default)",
    )
    parser.add_argument(
        "-e",
        "--regexp",
        action="append",
        metavar="PATTERN",
        help="a pattern (repeat for several; then every argument is a PATH)",
    )
    parser.add_argument(
        "-i", "--ignore-case", action="store_true", help="ignore case (full Unicode case folding)"
    )
    parser.add_argument("-w", "--word-regexp", action="store_true", help="match whole words only")
    output = parser.add_mutually_exclusive_group()
    output.add_argument(
        "-c", "--count", action="store_true", help="print each file's number of matches"
    )
    output.add_argument(
        "-l",
        "--files-with-matches",
        action="store_true",
        help="print only names of files with a match",
    )
    output.add_argument(
        "-q", "--quiet", action="store_true", help="print nothing; stop at the first match"
    )
    parser.add_argument(
        "-s", "--no-messages", action="store_true", help="no messages about unreadable files"
    )
    parser.add_argument(
        "--color",
        "--colour",
        nargs="?",
        const="auto",
        default="auto",
        choices=("auto", "always", "never"),
        metavar="WHEN",
        help="colour: auto (default), always or never",
    )
    return parser


def cmd_search(argv: list[str]) -> int:
    """``threadtui search``: print matches; exit 0 (matched), 1 (no match) or 2 (error)."""
    parser = _command()
    try:
        args = parser.parse_args(_attach_patterns(argv))
    except SystemExit as exc:  # --help, or a usage error (argparse says which)
        return int(exc.code or 0) if isinstance(exc.code, int | None) else Exit.USAGE
    positional: list[str] = list(args.args)
    if args.regexp:
        patterns = list(args.regexp)
    elif positional:
        patterns = [positional.pop(0)]
    else:
        parser.print_usage(sys.stderr)
        print("threadtui search: error: no PATTERN given", file=sys.stderr)
        return Exit.USAGE
    try:
        query = build_query(
            patterns,
            extended=args.extended_regexp,
            fixed=args.fixed_strings,
            ignore_case=args.ignore_case,
            whole_word=args.word_regexp,
        )
    except (PatternError, QueryError) as exc:
        print(f"threadtui: search: {one_line(str(exc))}", file=sys.stderr)
        return Exit.USAGE
    _tolerate_unencodable(sys.stdout)
    printer = _Printer(sys.stdout, use_colour(args.color, sys.stdout))
    files = list(discover(positional or ["."]))
    matched, failed = _run(files, query, args, printer)
    sys.stdout.flush()
    if matched and (args.quiet or not failed):
        return Exit.OK
    return Exit.USAGE if failed else Exit.FAILED


def _attach_patterns(argv: list[str]) -> list[str]:
    """``-e PATTERN`` as ``--regexp=PATTERN``: as in grep, the pattern may begin with a dash
    (argparse would take ``-e -v`` for a missing pattern and an option)."""
    out: list[str] = []
    args = iter(argv)
    for arg in args:
        if arg == "--":
            out.append(arg)
            out.extend(args)
            break
        if arg in ("-e", "--regexp"):
            value = next(args, None)
            out.append(arg if value is None else f"--regexp={value}")
        else:
            out.append(arg)
    return out


def _run(
    files: list[str], query: Query, args: argparse.Namespace, printer: _Printer
) -> tuple[bool, bool]:
    """Search and print; return (something matched, some file failed)."""
    matched = failed = False
    failed_paths: set[str] = set()

    def report(item: FolderError) -> None:
        nonlocal failed
        failed = True
        failed_paths.add(item.path)
        if not args.no_messages:
            sys.stdout.flush()  # keep the error after the hits printed before it
            error(item.path, item.error)

    if args.files_with_matches:
        for path in files:
            for item in search_paths([path], query, limit=1):
                if isinstance(item, FolderError):
                    report(item)
                else:
                    matched = True
                    printer.name(path)
        return matched, failed
    items: Iterable[FolderHit | FolderError] = search_paths(
        files, query, limit=1 if args.quiet else None
    )
    counts: dict[str, int] = {}
    for item in items:
        if isinstance(item, FolderError):
            report(item)
            continue
        matched = True
        if args.quiet:
            break
        if args.count:
            counts[item.path] = counts.get(item.path, 0) + 1
        else:
            printer.hit(item)
    if args.count:
        for path in files:
            if path not in failed_paths:  # as grep -c: an unreadable file gets no count
                printer.count(path, counts.get(path, 0))
    return matched, failed


def _tolerate_unencodable(stream: TextIO) -> None:
    """On a non-UTF-8 stdout, write ``\\u2400``-style escapes rather than crash."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    if encoding not in ("utf-8", "utf8") and hasattr(stream, "reconfigure"):
        stream.reconfigure(errors="backslashreplace")
