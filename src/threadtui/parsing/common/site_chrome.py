"""The lines a reader sets aside as a thread's ``site_chrome``, once each, in order."""

from __future__ import annotations


class SiteChrome:
    """Lines set aside (list footers, user stats, polls), de-duplicated in first-seen order."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}

    def add(self, line: str) -> None:
        line = line.strip()
        if line:
            self.seen.setdefault(line, None)
