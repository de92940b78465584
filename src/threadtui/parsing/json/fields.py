"""Loading a saved JSON thread and typed reads of its fields (forum, Reddit, HN, Discourse).

Each reader makes one :class:`JsonFields` naming its format; a value of the wrong
type anywhere becomes one :class:`ParseError` line ("not a valid Reddit thread: a
comment's 'body' is not a string"), never a ``KeyError`` or ``TypeError``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from threadtui.errors import ParseError

if TYPE_CHECKING:
    from json import JSONDecodeError


def load(text: str) -> Any:
    """The JSON document, at any nesting depth; broken JSON is one ParseError line.

    The line is worded alike on every Python version the reader runs on (see
    :func:`_decode_error`), and never holds more than one line of the cause.
    """
    # The JSON reader (and json) load with the first JSON file, not at start-up.
    from json import JSONDecodeError

    from threadtui.parsing.json.native import loads

    try:
        return loads(text)
    except JSONDecodeError as exc:
        raise ParseError(f"invalid JSON: {_decode_error(exc)}") from None
    except ValueError as exc:  # e.g. an integer longer than Python reads (4,300 digits)
        message = str(exc).splitlines()[0][:120] if str(exc) else type(exc).__name__
        raise ParseError(f"invalid JSON: {message}") from None


#: Python 3.13 names a trailing comma at the comma ("[1,\n]"); 3.11 and 3.12 name what
#: should have come after it, at the bracket. The readers say it the older way.
_OLDER_WORDING = {
    "Illegal trailing comma before end of array": "Expecting value",
    "Illegal trailing comma before end of object": (
        "Expecting property name enclosed in double quotes"
    ),
}
_JSON_WS = re.compile(r"[ \t\n\r]*")


def _decode_error(exc: JSONDecodeError) -> str:
    """``Expecting value at line 3``: the cause and its line, the same on Python 3.11 to 3.13."""
    msg, pos = exc.msg, exc.pos
    older = _OLDER_WORDING.get(msg)
    if older is not None:
        msg = older
        after = _JSON_WS.match(exc.doc, pos + 1)
        pos = after.end() if after is not None else pos
    line = exc.doc.count("\n", 0, pos) + 1
    # "Invalid control character at": the position follows in json's own message.
    return f"{msg.removesuffix(' at')} at line {line}"


#: How much of a file the JSON readers' sniffers look at.
SNIFF_CHARS = 4096


def head_holds(
    text: str,
    opener: str,
    wanted: tuple[re.Pattern[str], ...],
    unwanted: re.Pattern[str] | None = None,
) -> bool:
    """A sniffer's test: the file's head opens with ``opener``, holds all ``wanted``, no ``unwanted``.

    ``unwanted`` matches the keys of other JSON formats, so that two readers never claim
    one file.
    """
    head = text[:SNIFF_CHARS].lstrip()
    if not head.startswith(opener) or (unwanted is not None and unwanted.search(head)):
        return False
    return all(pattern.search(head) is not None for pattern in wanted)


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
