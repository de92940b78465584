"""Which panes the main screen shows at a terminal's width, free of Textual.

Three widths: narrow (under :data:`NARROW` columns) the list and the thread take
turns on screen; from :data:`WIDE` the article and the replies sit side by side;
between, the list sits beside the thread. The one memory is whether going narrow
folded the list away, so that widening again brings it back.
"""

from __future__ import annotations

from enum import Enum

#: Below this many columns the list and the thread take turns on screen.
NARROW = 100
#: From this many columns the article and the replies sit side by side.
WIDE = 200


class Fold(Enum):
    """What a resize does to the thread list."""

    STAY = "stay"
    """The list stays as it is, shown or hidden."""
    HIDE = "hide"
    """Gone narrow while the thread had the keys: the list folds away, the thread stays."""
    SHOW = "show"
    """Wide again after a :attr:`HIDE`: the list comes back beside the thread."""


class PaneLayout:
    """The screen's width class (narrow, wide) and the list folded by a narrowing."""

    def __init__(self) -> None:
        self.narrow = False
        self.wide = False
        self._list_folded = False

    def resize(self, width: int, *, list_shown: bool, thread_has_keys: bool) -> Fold:
        """The terminal is ``width`` columns wide now: what happens to the list.

        ``thread_has_keys``: the focus is in the thread (article, replies, search bar).
        Going narrow then folds the list away, rather than the keys going on to a pane
        that is no longer shown; with the keys in the list, the list takes the screen.
        """
        was_narrow = self.narrow
        self.narrow = width < NARROW
        self.wide = width >= WIDE
        if self.narrow and not was_narrow and list_shown:
            if thread_has_keys:
                self._list_folded = True
                return Fold.HIDE
        elif not self.narrow and was_narrow and self._list_folded:
            self._list_folded = False
            return Fold.SHOW
        return Fold.STAY
