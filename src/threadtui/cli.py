"""The ``threadtui`` command: ``parse``, ``show``, ``search``, or the reader.

Every failure a user can meet becomes one line, ``threadtui: FILE: cause``,
and a fixed exit status (see :class:`Exit`); no traceback ever escapes.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from threadtui.app import ThreadApp

# Everything else is imported where it is used: the reader's first screen
# waits for every import made before it, and the reader needs neither
# argparse (for plain paths), json, nor the parser here.

SUBCOMMANDS = ("parse", "show", "search")


class Exit(IntEnum):
    """Exit statuses, documented in the README."""

    OK = 0
    FAILED = 1  # some file could not be read/parsed (or, for search: no match)
    USAGE = 2  # bad arguments, a path that does not exist, a search error
    INTERRUPTED = 130


def error(path: str, cause: str) -> None:
    """One line on stderr naming the file and the cause, made safe for the terminal."""
    from threadtui.safe import one_line

    print(f"threadtui: {one_line(path)}: {one_line(cause)}", file=sys.stderr)


def _parser() -> argparse.ArgumentParser:
    import argparse

    class _VersionAction(argparse.Action):
        """``--version``, reading the package metadata only when asked."""

        def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
            super().__init__(option_strings, dest, nargs=0, help="show the version and exit")

        def __call__(
            self, parser: argparse.ArgumentParser, *args: object, **kwargs: object
        ) -> None:
            import threadtui

            print(f"threadtui {threadtui.__version__}")
            parser.exit()

    parser = argparse.ArgumentParser(
        prog="threadtui",
        description="Read saved discussion threads (forum dumps, comment archives) in the terminal.",
        epilog="Commands: parse FILE... | show FILE | search PATTERN PATH... "
        "(see `threadtui COMMAND --help`). Without a command, opens the reader.",
    )
    parser.add_argument(
        "paths", nargs="*", metavar="PATH", help="folders or thread files (default: .)"
    )
    parser.add_argument("--version", action=_VersionAction)
    return parser


def _parse_command() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="threadtui parse", description="Print each thread as one line of threadtui/1 JSON."
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--indent", type=int, default=None, metavar="N", help="pretty-print with N spaces"
    )
    return parser


def _show_command() -> argparse.ArgumentParser:
    import argparse

    parser = argparse.ArgumentParser(
        prog="threadtui show", description="Print a thread, laid out for reading."
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument(
        "--width",
        type=_positive_int,
        default=None,
        help="columns (default: the terminal's, or 80)",
    )
    return parser


def _positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1 (Rich prints nothing at width 0)."""
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def _is_utf8(stream: object) -> bool:
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8", "utf-8-sig")


def cmd_parse(argv: Sequence[str]) -> int:
    """``threadtui parse FILE...``: JSON Lines on stdout, one error line per bad file."""
    import json

    from threadtui.model import thread_to_json
    from threadtui.parsing import ParseError, parse_path
    from threadtui.parsing.threadtui_json import dumps

    args = _parse_command().parse_args(argv)
    # A stdout that cannot hold all of Unicode (PYTHONIOENCODING=ascii, a latin-1
    # locale) gets \u escapes, which every JSON reader turns back into the text.
    ascii_only = not _is_utf8(sys.stdout)
    status = Exit.OK
    for path in args.files:
        try:
            thread = parse_path(path)
        except ParseError as exc:
            error(path, str(exc))
            status = Exit.FAILED
            continue
        if ascii_only:
            text = json.dumps(thread_to_json(thread), ensure_ascii=True, indent=args.indent)
        else:
            text = dumps(thread, indent=args.indent)  # any nesting depth, no RecursionError
        sys.stdout.write(text + "\n")
    return status


#: Lines of ``show`` output per Rich print.
SHOW_BATCH = 500


def cmd_show(argv: Sequence[str]) -> int:
    """``threadtui show FILE``: the thread with Rich; plain text when piped."""
    from itertools import islice

    from rich.console import Console
    from rich.text import Text

    from threadtui.parsing import ParseError, parse_path
    from threadtui.render import thread_lines

    args = _show_command().parse_args(argv)
    if not _is_utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
        # Characters the terminal's encoding lacks print as \u escapes, not a traceback.
        sys.stdout.reconfigure(errors="backslashreplace")
    try:
        thread = parse_path(args.file)
    except ParseError as exc:
        error(args.file, str(exc))
        return Exit.FAILED
    console = Console(width=args.width, highlight=False, emoji=False, markup=False)
    width = console.width
    lines = thread_lines(thread, width)
    # A few hundred lines per print: one print per line spent two thirds of the
    # time of a big thread in Rich's per-call set-up (console size, terminal checks).
    while batch := list(islice(lines, SHOW_BATCH)):
        console.print(Text("\n").join(batch), soft_wrap=True)
    return Exit.OK


def cmd_reader(argv: Sequence[str]) -> int:
    """``threadtui [PATH...]``: open the reader."""
    if any(arg.startswith("-") for arg in argv):
        paths = _parser().parse_args(argv).paths
    else:
        paths = list(argv)  # what argparse would make of them, without importing it
    paths = paths or ["."]
    missing = [p for p in paths if not os.path.exists(p)]
    for path in missing:
        error(path, "no such file or folder")
    if missing:
        return Exit.USAGE
    start_reader(paths).run()
    return Exit.OK


def start_reader(paths: list[str]) -> ThreadApp:
    """The reader's app for ``paths``, its start-up already under way (bench/ uses this too)."""
    # Until the first frame is drawn, no cyclic garbage collection: importing Textual
    # and building the screen make hundreds of thousands of objects, and collections
    # walking them again and again cost ~10 ms of the start-up. The main screen turns
    # it back on after that frame.
    gc.disable()
    # The folder is read from here on, while Textual is still being imported.
    from threadtui.early_scan import EarlyScan

    early_scan = EarlyScan(paths)
    from threadtui.app import make_app

    return make_app(paths, early_scan)


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the console script and ``python -m threadtui``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    try:
        if argv and argv[0] == "parse":
            return cmd_parse(argv[1:])
        if argv and argv[0] == "show":
            return cmd_show(argv[1:])
        if argv and argv[0] == "search":
            from threadtui.search_cli import cmd_search

            return cmd_search(argv[1:])
        return cmd_reader(argv)
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except BrokenPipeError:
        # `threadtui parse … | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return Exit.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
