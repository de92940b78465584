"""The lines a reader sets aside as a thread's ``site_chrome``, once each, in order."""

from __future__ import annotations


class SiteChrome:
    """Lines set aside (list footers, user stats, polls), de-duplicated in first-seen order."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}

    def add(self, line: str) -> None:
        """Set a line aside, stripped of white space; a blank line is dropped."""
        line = line.strip()
        if line:
            self.seen.setdefault(line, None)

    def add_stripped(self, line: str) -> None:
        """Set aside a line its reader has already stripped by its own rules, as it is.

        The text-dump reader strips only :data:`threadtui.parsing.common.lines.WHITESPACE`
        (control characters are content there), so ``add`` would cut more.
        """
        self.seen.setdefault(line, None)
