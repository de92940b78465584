"""``threadtui show FILE``: a thread laid out for reading, on the terminal or a pipe."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from threadtui.cli.common import Exit, error, is_utf8, positive_int


def _show_command() -> argparse.ArgumentParser:
    from threadtui.cli.args import ArgumentParser

    parser = ArgumentParser(
        prog="threadtui show", description="Print a thread, laid out for reading."
    )
    parser.add_argument("file", metavar="FILE")
    parser.add_argument(
        "--width",
        type=positive_int,
        default=None,
        help="columns (default: the terminal's, or 80)",
    )
    return parser


#: Lines of ``show`` output per Rich print.
SHOW_BATCH = 500


def cmd_show(argv: Sequence[str]) -> int:
    """``threadtui show FILE``: the thread with Rich; plain text when piped."""
    from itertools import islice

    from rich.console import Console
    from rich.text import Text

    from threadtui.parsing import ParseError, parse_path
    from threadtui.view.render import thread_lines

    args = _show_command().parse_args(argv)
    if not is_utf8(sys.stdout) and hasattr(sys.stdout, "reconfigure"):
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
