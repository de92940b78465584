"""``threadtui parse FILE...``: each thread as one line of threadtui/1 JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from threadtui.cli.common import Exit, error, is_utf8
from threadtui.errors import NO_MEMORY


def _parse_command() -> argparse.ArgumentParser:
    from threadtui.cli.args import ArgumentParser

    parser = ArgumentParser(
        prog="threadtui parse", description="Print each thread as one line of threadtui/1 JSON."
    )
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument(
        "--indent", type=int, default=None, metavar="N", help="pretty-print with N spaces"
    )
    return parser


def cmd_parse(argv: Sequence[str]) -> int:
    """``threadtui parse FILE...``: JSON Lines on stdout, one error line per bad file."""
    args = _parse_command().parse_args(argv)
    # A stdout that cannot hold all of Unicode (PYTHONIOENCODING=ascii, a latin-1
    # locale) gets \u escapes, which every JSON reader turns back into the text.
    ascii_only = not is_utf8(sys.stdout)
    status = Exit.OK
    for path in args.files:
        if not _print_thread(path, args.indent, ascii_only):
            status = Exit.FAILED
    return status


def _print_thread(path: str, indent: int | None, ascii_only: bool) -> bool:
    """Write the thread of ``path`` as one JSON line, streamed; or its error line."""
    from threadtui.library import read_thread
    from threadtui.parsing import ParseError
    from threadtui.parsing.json.writer import chunks

    thread = None
    started = False
    try:
        # read_thread reads a big plain-text dump in chunks; the JSON goes out a post at a
        # time: the peak is the thread itself, not the thread, its dicts and the text.
        thread = read_thread(path, _size(path))
        for chunk in chunks(thread, indent, ascii_only=ascii_only):
            sys.stdout.write(chunk)
            started = True
        sys.stdout.write("\n")
    except ParseError as exc:
        error(path, str(exc))
        return False
    except MemoryError:
        thread = None  # free it before reporting
        if started:
            sys.stdout.write("\n")  # end the cut document: the next one has its own line
        sys.stdout.flush()
        error(path, NO_MEMORY)
        return False
    return True


def _size(path: str) -> int | None:
    """The file's size if it can be stat'ed (read_thread then picks how to read it)."""
    import os

    try:
        return os.stat(path).st_size
    except OSError:
        return None  # read_thread's parse reports why
