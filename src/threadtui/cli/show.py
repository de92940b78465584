"""``threadtui show FILE``: a thread laid out for reading, on the terminal or a pipe."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from threadtui.cli.common import Exit, error, positive_int, tolerate_unencodable
from threadtui.errors import NO_MEMORY

if TYPE_CHECKING:
    from rich.text import Text

    from threadtui.model import Thread


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
    args = _show_command().parse_args(argv)
    tolerate_unencodable(sys.stdout)  # what the terminal cannot show prints as \u escapes
    return Exit.OK if _show_thread(args.file, args.width) else Exit.FAILED


def _show_thread(path: str, width: int | None) -> bool:
    """Print the thread of ``path`` laid out at ``width``; or its error line."""
    from itertools import islice

    from rich.console import Console
    from rich.text import Text

    from threadtui.parsing import ParseError, parse_path
    from threadtui.view.render import thread_lines

    thread: Thread | None = None
    lines: Iterator[Text] | None = None
    try:
        thread = parse_path(path)
        console = Console(width=width, highlight=False, emoji=False, markup=False)
        lines = thread_lines(thread, console.width)
        # A few hundred lines per print: one print per line spent two thirds of the
        # time of a big thread in Rich's per-call set-up (console size, terminal checks).
        while batch := list(islice(lines, SHOW_BATCH)):
            console.print(Text("\n").join(batch), soft_wrap=True)
    except ParseError as exc:
        error(path, str(exc))
        return False
    except MemoryError:
        thread = lines = None  # free them before reporting
        sys.stdout.flush()
        error(path, NO_MEMORY)
        return False
    return True
