"""The one error type parsers raise: its message is shown to the user as is."""

from __future__ import annotations


class ParseError(Exception):
    """A file that cannot be read as a thread; ``str(exc)`` is the user-facing cause."""
