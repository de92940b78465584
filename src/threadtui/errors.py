"""The error type parsers raise: its message is shown to the user as is."""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be read as a thread; ``str(exc)`` is the user-facing cause."""


class EmptyFile(ParseError):
    """A file with nothing but white space in it.

    The reader lists it as an error row; a search passes over it as grep does an
    empty file (nothing matches, nothing is wrong).
    """

    def __init__(self) -> None:
        super().__init__("empty file")


#: The cause shown for a structure deeper than Python's recursion limit.
TOO_DEEP = "structure nested too deeply to read"

#: The cause shown when a file's thread does not fit in memory.
NO_MEMORY = "out of memory"
