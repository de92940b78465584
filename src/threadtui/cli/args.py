"""The one argument parser every subcommand uses: argparse, with its messages made safe.

argparse names the arguments it rejects (``unrecognized arguments: …``, ``invalid
choice: …``), and those are often file names a shell glob handed over: a file named
``--<ESC>]0;PWN<BEL>.txt`` in the folder of ``threadtui parse *`` would otherwise
reach the terminal raw and set its title. Every message goes out through
:func:`threadtui.safe.one_line`, so such a name shows as ``--␛]0;PWN␇.txt``.

Imported only where a parser is built: the reader's start does without argparse.
"""

from __future__ import annotations

import argparse
import sys
from typing import NoReturn

from threadtui.cli.common import Exit
from threadtui.safe import one_line


class ArgumentParser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` whose error message shows controls as placeholders."""

    def error(self, message: str) -> NoReturn:
        """What argparse does (usage, then ``PROG: error: MESSAGE``, status 2), made safe."""
        self.print_usage(sys.stderr)
        self.exit(Exit.USAGE, f"{one_line(self.prog)}: error: {one_line(message)}\n")
