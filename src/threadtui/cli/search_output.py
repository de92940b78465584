"""What ``threadtui search`` prints: hit lines, counts and names, plain or in colour.

Everything printed that comes from a file (names, titles, text) goes through
:mod:`threadtui.safe` first, and colour is Rich ``Text`` with styles, never markup:
no control character or escape sequence from a thread reaches the terminal.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, TextIO

from rich.text import Text

from threadtui.safe import one_line, visible

if TYPE_CHECKING:
    from rich.console import Console

    from threadtui.search.hits import FolderHit

__all__ = ["TITLE_LIMIT", "Printer", "hit_fields", "safe_name", "use_colour"]

#: Characters of a title shown on each hit line.
TITLE_LIMIT = 60

#: Styles of the coloured output.
STYLE_PATH = "magenta dim"
STYLE_NUMBER = "green dim"
STYLE_SEPARATOR = "dim"
STYLE_TITLE = "bold"
STYLE_MATCH = "bold red"


def safe_name(path: str) -> str:
    """A file name as one line of visible text (a newline in a name is shown as ␤)."""
    return visible(path).replace("\n", "\u2424")


def hit_fields(
    hit: FolderHit, names: tuple[str, str] | None = None
) -> tuple[str, str, str, str, int, int]:
    """(path, title, number, line, match start, match end), all safe to print.

    ``names``: the first two, when the caller has them already (a file's hits come
    one after another, all with the same path and title).
    """
    line, start, end = hit.line, hit.line_start, hit.line_end
    if "\n" in line or visible(line) != line:
        # FolderHit promises shown text; keep that promise here whatever happens.
        line, start, end = one_line(line), 0, 0
    path, title = names or (safe_name(hit.path), one_line(hit.title, TITLE_LIMIT))
    return path, title, f"#{hit.post_number}", line, start, end


class Printer:
    """Writes hit lines, plain or coloured (Rich ``Text``, never markup)."""

    def __init__(self, out: TextIO, colour: bool) -> None:
        self.out = out
        self.console: Console | None = None
        self._named: tuple[str, str] | None = None  # (path, title) of the last hit
        self._names = ("", "")  # and how they are printed
        if colour:
            # Rich's console takes ~0.1 s to import: only a coloured run pays for it.
            from rich.console import Console

            self.console = Console(
                file=out,
                force_terminal=True,
                color_system="standard",
                highlight=False,
                markup=False,
                emoji=False,
                soft_wrap=True,
            )

    def hit(self, hit: FolderHit) -> None:
        """``FILE:TITLE:#N: LINE``, the match highlighted in colour."""
        if (hit.path, hit.title) != self._named:
            self._named = (hit.path, hit.title)
            self._names = (safe_name(hit.path), one_line(hit.title, TITLE_LIMIT))
        path, title, number, line, start, end = hit_fields(hit, self._names)
        if self.console is None:
            self.out.write(f"{path}:{title}:{number}: {line}\n")
            return
        text = Text()
        text.append(path, STYLE_PATH)
        text.append(":", STYLE_SEPARATOR)
        text.append(title, STYLE_TITLE)
        text.append(":", STYLE_SEPARATOR)
        text.append(number, STYLE_NUMBER)
        text.append(": ", STYLE_SEPARATOR)
        text.append(line[:start])
        text.append(line[start:end], STYLE_MATCH)
        text.append(line[end:])
        self.console.print(text)

    def count(self, path: str, count: int) -> None:
        """``FILE:COUNT`` (``-c``)."""
        self._name(safe_name(path), f":{count}")

    def name(self, path: str) -> None:
        """``FILE`` (``-l``)."""
        self._name(safe_name(path), "")

    def _name(self, name: str, suffix: str) -> None:
        if self.console is None:
            self.out.write(f"{name}{suffix}\n")
            return
        text = Text(name, STYLE_PATH)
        text.append(suffix)
        self.console.print(text)


def use_colour(when: str, stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    """``--color``: ``always``, ``never``, or ``auto`` (a terminal, unless NO_COLOR or TERM=dumb)."""
    if when == "always":
        return True
    if when == "never":
        return False
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR") or env.get("TERM") == "dumb":
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
