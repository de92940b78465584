"""The Textual application: CSS, global keys, the command palette, and ``make_app``."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding, BindingType

from threadtui.library.early_scan import EarlyScan
from threadtui.tui.commands import ReaderCommands
from threadtui.tui.screens.help import HelpScreen
from threadtui.tui.screens.main import FILTER_BINDING, MainScreen
from threadtui.tui.widgets.article_view import ArticleView
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.search_bar import SearchBar
from threadtui.tui.widgets.thread_list import ThreadList


class ThreadApp(App[None]):
    """threadtui's reader."""

    CSS_PATH = "threadtui.tcss"
    TITLE = "threadtui"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("question_mark", "help", "Help"),
        Binding("ctrl+p", "command_palette", "Commands", show=False),
    ]

    def __init__(self, paths: list[str], early_scan: EarlyScan | None = None) -> None:
        super().__init__()
        self.paths = paths
        self.early_scan = early_scan

    def get_default_screen(self) -> MainScreen:
        # The main screen is the first screen: no blank default screen is
        # composed and drawn before it.
        return MainScreen(self.paths, self.early_scan)

    def action_help(self) -> None:
        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(
            HelpScreen(
                [
                    ("Everywhere", [*self.BINDINGS, *_listed(MainScreen.BINDINGS), _tab_binding()]),
                    ("Thread list", [*ThreadList.BINDINGS, FILTER_BINDING]),
                    ("Article", list(ArticleView.BINDINGS)),
                    ("Replies", list(ReplyView.BINDINGS)),
                    ("Search bar", list(SearchBar.BINDINGS)),
                ]
            )
        )


def _listed(bindings: list[BindingType]) -> list[BindingType]:
    """The screen's ``bindings`` but the list's filter key (listed with the list's)."""
    return [b for b in bindings if b is not FILTER_BINDING]


def _tab_binding() -> Binding:
    return Binding("tab,shift+tab", "focus_next", "Next / previous pane")


def make_app(paths: list[str], early_scan: EarlyScan | None = None) -> ThreadApp:
    """The app for ``paths`` (folders or files); tests use this too.

    ``early_scan``: the scan of ``paths``, already begun (see :mod:`threadtui.library.early_scan`).
    """
    return ThreadApp(paths, early_scan)
