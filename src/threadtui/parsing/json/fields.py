"""Loading a saved JSON thread and typed reads of its fields (forum, Reddit, HN, Discourse).

Each reader makes one :class:`JsonFields` naming its format; a value of the wrong
type anywhere becomes one :class:`ParseError` line ("not a valid Reddit thread: a
comment's 'body' is not a string"), never a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from threadtui.errors import ParseError


def load(text: str) -> Any:
    """The JSON document, at any nesting depth; broken JSON is one ParseError line."""
    # The JSON reader (and json) load with the first JSON file, not at start-up.
    from json import JSONDecodeError

    from threadtui.parsing.json.native import loads

    try:
        return loads(text)
    except JSONDecodeError as exc:
        msg = exc.msg.removesuffix(" at")  # "Invalid control character at" (a position follows)
        raise ParseError(f"invalid JSON: {msg} at line {exc.lineno}") from None
    except ValueError as exc:  # e.g. an integer longer than Python reads (4,300 digits)
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ParseError(f"invalid JSON: {message}") from None


def count(value: Any) -> int | None:
    """An integer counter (score, points, comments), or None when absent or odd (chrome)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


class JsonFields:
    """Field readers whose errors name the format (``kind``: "not a valid … thread")."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def error(self, problem: str) -> ParseError:
        return ParseError(f"{self.kind}: {problem}")

    def obj(self, value: Any, what: str) -> dict[str, Any]:
        """``value`` as an object, or the error that ``what`` is not one."""
        if not isinstance(value, dict):
            raise self.error(f"{what} is not an object")
        return value

    def opt_str(self, data: dict[str, Any], key: str, what: str) -> str | None:
        """``data[key]`` if it is a string, None if absent or null."""
        value = data.get(key)
        if value is None or isinstance(value, str):
            return value
        raise self.error(f"{what}'s {key!r} is not a string")

    def epoch(self, value: Any, what: str, field: str = "date") -> str | None:
        """Epoch seconds as ``YYYY-MM-DDTHH:MM:SS`` in UTC; None when absent."""
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.error(f"{what}'s {field} is not a number")
        try:
            when = datetime.fromtimestamp(int(value), tz=UTC)
        except (OverflowError, OSError, ValueError):  # NaN, infinity, years past 9999
            raise self.error(f"{what}'s {field} is out of range") from None
        return when.replace(tzinfo=None).isoformat(timespec="seconds")
