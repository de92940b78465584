"""What every subcommand shares: exit statuses, the one-line error, stream checks."""

from __future__ import annotations

import sys
from enum import IntEnum


class Exit(IntEnum):
    """Exit statuses, documented in docs/hostile-input.md."""

    OK = 0
    FAILED = 1  # some file could not be read/parsed (or, for search: no match)
    USAGE = 2  # bad arguments, a path that does not exist, a search error
    INTERRUPTED = 130


def error(path: str, cause: str) -> None:
    """One line on stderr naming the file and the cause, made safe for the terminal."""
    from threadtui.safe import one_line

    print(f"threadtui: {one_line(path)}: {one_line(cause)}", file=sys.stderr)


def positive_int(value: str) -> int:
    """An argparse type: a whole number of at least 1 (Rich prints nothing at width 0)."""
    import argparse

    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, not {number}")
    return number


def is_utf8(stream: object) -> bool:
    """Whether ``stream`` writes UTF-8 (so it can carry any character)."""
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("_", "-")
    return encoding in ("utf-8", "utf8", "utf-8-sig")


def tolerate_unencodable(stream: object) -> None:
    """On a stream that does not write UTF-8, write characters its encoding lacks as
    ``\\u2400``-style escapes rather than fail on them."""
    if not is_utf8(stream):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
