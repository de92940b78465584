"""The ``threadtui`` command: ``parse``, ``show``, ``search``, or the reader.

One module per subcommand; this one only dispatches, importing the one asked
for. Every failure a user can meet becomes one line, ``threadtui: FILE: cause``,
and a fixed exit status (:class:`threadtui.cli.common.Exit`); no traceback
ever escapes, and no library's warning reaches the user either.
"""

from __future__ import annotations

import os
import sys
import warnings
from collections.abc import Sequence

from threadtui.cli.common import Exit

SUBCOMMANDS = ("parse", "show", "search")


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point for the console script and ``python -m threadtui``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if not sys.warnoptions:
        # A library's warning (dateutil's UnknownTimezoneWarning on "10:00 M", with a
        # site-packages path) means nothing to a user; `python -W` still shows them.
        # No cost to the reader's start: typing, which every start imports, loads warnings.
        warnings.simplefilter("ignore")
    try:
        if argv and argv[0] == "parse":
            from threadtui.cli.parse import cmd_parse

            return cmd_parse(argv[1:])
        if argv and argv[0] == "show":
            from threadtui.cli.show import cmd_show

            return cmd_show(argv[1:])
        if argv and argv[0] == "search":
            from threadtui.cli.search import cmd_search

            return cmd_search(argv[1:])
        from threadtui.cli.read import cmd_reader

        return cmd_reader(argv)
    except KeyboardInterrupt:
        return Exit.INTERRUPTED
    except MemoryError:
        # parse and show name the file; this is the net under everything else.
        print("threadtui: out of memory", file=sys.stderr)
        return Exit.FAILED
    except BrokenPipeError:
        # `threadtui parse … | head`: the reader went away; that is not an error.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return Exit.OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
