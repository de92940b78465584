"""``threadtui search PATTERN PATH...``: grep for saved threads.

One line per match, ``FILE:TITLE:#N: LINE`` (the post number ``#1`` is the
opening post), in colour on a terminal and plain when piped. Patterns are
grep's: a basic regular expression by default (``-E`` extended, ``-F`` fixed
strings), translated to the ``regex`` module's syntax by
:mod:`threadtui.search.grep`; the matching itself is the reader's
(:mod:`threadtui.search`), so a hit printed here is a hit the reader shows. What
is printed, and how it is kept safe, is :mod:`threadtui.cli.search_output`.
This module is the command: its arguments and the run.
"""

from __future__ import annotations

import argparse
import sys

from threadtui.cli.args import ArgumentParser
from threadtui.cli.common import Exit, error, tolerate_unencodable
from threadtui.cli.search_output import Printer, use_colour
from threadtui.library import discover
from threadtui.library.folders import WalkError
from threadtui.safe import one_line
from threadtui.search.folder import FolderError, search_paths
from threadtui.search.grep import PatternError, build_query
from threadtui.search.prefilter import prefilter_fallbacks, prefilter_for
from threadtui.search.query import Query, QueryError

__all__ = ["cmd_search"]

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

--stats prints one line on stderr after the search: the files found, how many
could not be read, and the prefilter's state (prefilter_needs=0: every file is
parsed, the pattern holding no literal text to look for first;
prefilter_fallbacks: patterns whose analysis failed and which are therefore
searched without a prefilter, 0 unless the regex module changed).
"""


def _command() -> argparse.ArgumentParser:
    parser = ArgumentParser(
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
    parser.add_argument(
        "--stats", action="store_true", help="print search statistics on stderr at the end"
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
    tolerate_unencodable(sys.stdout)
    printer = Printer(sys.stdout, use_colour(args.color, sys.stdout))
    unwalked: list[WalkError] = []
    files = list(discover(positional or ["."], on_error=unwalked.append))
    for item in unwalked:  # a folder that could not be listed: one line each, as grep
        if not args.no_messages:
            error(item.path, item.error)
    matched, failed = _run(files, query, args, printer)
    failed.update(item.path for item in unwalked)
    sys.stdout.flush()
    if args.stats:
        print(_stats(files, failed, query), file=sys.stderr)
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
    files: list[str], query: Query, args: argparse.Namespace, printer: Printer
) -> tuple[bool, set[str]]:
    """Search and print; return whether something matched, and the files that failed.

    Every output mode takes the same one search (in worker processes for many files):
    ``-l`` asks it for each file's first hit only, ``-q`` for the first hit at all.
    """
    matched = False
    failed: set[str] = set()
    counts: dict[str, int] = {}
    items = search_paths(
        files,
        query,
        limit=1 if args.quiet else None,
        first_per_file=args.files_with_matches,
    )
    for item in items:
        if isinstance(item, FolderError):
            failed.add(item.path)
            if not args.no_messages:
                sys.stdout.flush()  # keep the error after the hits printed before it
                error(item.path, item.error)
            continue
        matched = True
        if args.quiet:
            break
        if args.count:
            counts[item.path] = counts.get(item.path, 0) + 1
        elif args.files_with_matches:
            printer.name(item.path)
        else:
            printer.hit(item)
    if args.count:
        for path in files:
            if path not in failed:  # as grep -c: an unreadable file gets no count
                printer.count(path, counts.get(path, 0))
    return matched, failed


def _stats(files: list[str], failed: set[str], query: Query) -> str:
    """``--stats``: the files found, those that failed, and the prefilter's state (see
    :mod:`threadtui.search.prefilter`)."""
    needs = len(prefilter_for(query).needs)
    return (
        f"threadtui: search: files={len(files)} errors={len(failed)} "
        f"prefilter_needs={needs} prefilter_fallbacks={prefilter_fallbacks()}"
    )
