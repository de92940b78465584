"""``threadtui parse FILE...``: each thread as one line of threadtui/1 JSON."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from threadtui.cli.common import Exit, error, is_utf8


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
    import json

    from threadtui.model import thread_to_json
    from threadtui.parsing import ParseError, parse_path
    from threadtui.parsing.json.native import dumps

    args = _parse_command().parse_args(argv)
    # A stdout that cannot hold all of Unicode (PYTHONIOENCODING=ascii, a latin-1
    # locale) gets \u escapes, which every JSON reader turns back into the text.
    ascii_only = not is_utf8(sys.stdout)
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
