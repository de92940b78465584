"""Command palette (ctrl+p): go to a thread by title, and every reader action."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from rich.text import Text
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider

from threadtui.safe import one_line, safe_text

if TYPE_CHECKING:
    from threadtui.tui.screens.main import MainScreen

#: (title, help, action on the main screen) for the palette.
ACTIONS: list[tuple[str, str, str]] = [
    ("Next thread", "Show the next thread in the list (])", "step_thread(1)"),
    ("Previous thread", "Show the previous thread in the list ([)", "step_thread(-1)"),
    ("Next reply", "Go to the next reply (J)", "step_reply(1)"),
    ("Previous reply", "Go to the previous reply (K)", "step_reply(-1)"),
    ("Toggle reply pane", "Show or hide the replies (r)", "toggle_replies"),
    ("Toggle thread list", "Show or hide the thread list (t)", "toggle_list"),
    ("Fold all replies", "Collapse every reply (-)", "fold_all"),
    ("Unfold all replies", "Expand every reply (+)", "unfold_all"),
    (
        "Fold all but this reply",
        "Collapse everything except the path to the current reply (z)",
        "fold_path",
    ),
    ("Search this thread", "Find a word in the open thread (/)", "search"),
    ("Search all threads", "Find a phrase in every thread of the folder (F)", "search_folder"),
    ("Filter the thread list", "Show threads whose title or starter matches (f)", "filter_list"),
    ("Sort threads", "Cycle the list's sort: date, title, replies, file (s)", "cycle_sort"),
    ("Help", "Every key binding (?)", "app.help"),
]


def literal_markup(text: str) -> str:
    """``text`` as Textual content markup that shows every character of it literally.

    The palette reads a hit's ``help`` as Textual markup (``Content.from_markup``), and a
    ``str`` is the only type ``Hit.help`` takes, so text from a file has to be escaped.
    Neither ``rich.markup.escape`` nor ``textual.markup.escape`` will do: both escape only
    brackets their regex takes for a tag (``[a-z#/@]`` after the ``[``), while Textual's
    parser also reads ``[NL]``, ``[B]`` or ``[_x]`` as tags. Here every ``[`` gets a
    backslash. The parser never starts a tag at an ``[`` behind a backslash and turns each
    ``\\[`` of the text back into ``[``, removing exactly the backslashes added, so a
    backslash of the text (``\\[``, a trailing ``\\``) stays too. Nothing else in a
    markup string's text is special (``]`` only ends a tag; ``$`` is substituted only when
    variables are passed, which the palette never does).
    """
    return text.replace("[", "\\[")


def safe_highlight(matcher: Matcher, candidate: str) -> Text:
    """Like ``Matcher.highlight`` but never reads the candidate as markup (titles are hostile).

    ``Matcher.highlight`` parses the candidate with ``Content.from_markup``; this builds a
    Rich ``Text`` (which the palette converts with ``Content.from_rich_text``, no parsing),
    with controls as styled placeholders, as the thread list shows them. The match
    offsets are clamped to the text: the fuzzy search lower-cases the candidate, which can
    change its length (``"İ".lower()`` is two characters).
    """
    text = safe_text(candidate)
    score, offsets = matcher.fuzzy_search.match(matcher.query, candidate)
    if score:
        for offset in offsets:
            if offset < len(candidate) and not candidate[offset].isspace():
                text.stylize("bold underline", offset, offset + 1)
    return text


class ReaderCommands(Provider):
    """Threads by title, then the reader's actions."""

    def _screen(self) -> MainScreen | None:
        from threadtui.tui.screens.main import MainScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, MainScreen):
                return screen
        return None

    def _run(self, action: str) -> Callable[[], object]:
        screen = self._screen()
        return partial(self.app.run_action, action, screen)

    async def discover(self) -> Hits:
        for title, help_text, action in ACTIONS:
            yield DiscoveryHit(title, self._run(action), help=literal_markup(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, action in ACTIONS:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score,
                    safe_highlight(matcher, title),
                    self._run(action),
                    help=literal_markup(help_text),
                )
        screen = self._screen()
        if screen is None:
            return
        from threadtui.tui.widgets.thread_list import ThreadList

        for row in list(screen.query_one(ThreadList).rows):
            title = one_line(row.title, 100)
            score = matcher.match(title)
            if score > 0:
                # The palette reads `help` as markup: every `[` of it is escaped.
                details = one_line(
                    f"{row.author or 'anonymous'} · {row.date or 'no date'} · {row.name}"
                )
                yield Hit(
                    score,
                    safe_highlight(matcher, title),
                    partial(screen.go_to_thread, row.path),
                    text=f"Go to thread: {title}",
                    help=literal_markup(f"Go to thread · {details}"),
                )
