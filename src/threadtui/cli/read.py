"""``threadtui [PATH...]``: the reader, started as early as it can be.

Everything is imported where it is used: the reader's first screen waits for
every import made before it, and the reader needs neither argparse (for plain
paths), json, nor the parser here.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from threadtui.cli.common import Exit, error

if TYPE_CHECKING:
    import argparse

    from threadtui.tui.app import ThreadApp


def _parser() -> argparse.ArgumentParser:
    import argparse

    from threadtui.cli.args import ArgumentParser

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

    parser = ArgumentParser(
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


def cmd_reader(argv: Sequence[str]) -> int:
    """``threadtui [PATH...]``: open the reader."""
    if any(arg.startswith("-") for arg in argv):
        paths = _parser().parse_args(argv).paths
    else:
        paths = list(argv)  # what argparse would make of them, without importing it
    paths = paths or ["."]
    unusable = [(path, cause) for path in paths if (cause := _cannot_open(path)) is not None]
    for path, cause in unusable:
        error(path, cause)
    if unusable:
        return Exit.USAGE
    start_reader(paths).run()
    return Exit.OK


def _cannot_open(path: str) -> str | None:
    """Why the reader cannot open ``path`` ("no such file or folder", "symbolic link loop",
    ...), or None when it can: what is under a folder is left to the scan's rows."""
    try:
        os.stat(path)
    except OSError as exc:
        from threadtui.files import os_cause

        return os_cause(exc, missing="no such file or folder")
    return None


def start_reader(paths: list[str]) -> ThreadApp:
    """The reader's app for ``paths``, its start-up already under way (bench/ uses this too)."""
    # Until the first frame is drawn, no cyclic garbage collection: importing Textual
    # and building the screen make hundreds of thousands of objects, and collections
    # walking them again and again cost ~10 ms of the start-up. The main screen turns
    # it back on after that frame.
    gc.disable()
    # The folder is read from here on, while Textual is still being imported.
    from threadtui.library.early_scan import EarlyScan

    early_scan = EarlyScan(paths)
    from threadtui.tui.app import make_app

    return make_app(paths, early_scan)
