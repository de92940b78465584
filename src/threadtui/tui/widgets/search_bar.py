"""The search bar under a thread: a query, regex and word toggles, and ``k/N``.

It knows nothing of threads. It says what the user asked for in messages
(:class:`SearchBar.Step`, :class:`SearchBar.Closed`, :class:`SearchBar.Left`)
and shows whatever status the screen gives it.

A new query (typed, recalled, filled in, or a toggle) is the exception: it goes
to the ``on_change`` callback the screen gives, at once, in the same step as the
keystroke. Posted, it would reach the screen only after the typed character has
been drawn, so the highlights came a frame later (about 17 ms at Textual's 60
frames a second, plus drawing the bar twice).
"""

from __future__ import annotations

from collections.abc import Callable

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Static

from threadtui.safe import safe_text
from threadtui.search.session import History, QueryText


class SearchBar(Horizontal):
    """``/`` query ``[.*] [w]`` ``3/17 · 2 in folded replies``."""

    BINDINGS = [
        Binding("escape", "close", "Close search"),
        Binding("enter", "step(1)", "Next match", show=False),
        Binding("shift+enter,f3", "step(-1)", "Previous match", show=False),
        Binding("alt+r,ctrl+r", "toggle_regex", "Regex"),
        Binding("alt+w,ctrl+t", "toggle_word", "Whole word"),
        Binding("up", "history(-1)", "Older query", show=False),
        Binding("down", "history(1)", "Newer query", show=False),
        Binding("tab", "leave", "To the thread", show=False),
    ]

    class Step(Message):
        """Go to the next (1) or previous (-1) match."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class Closed(Message):
        """Esc: close the bar and clear the highlights."""

    class Left(Message):
        """Tab: back to the thread with the bar open (for n/N)."""

    def __init__(
        self,
        on_change: Callable[[QueryText], None],
        *,
        id: str | None = None,  # noqa: A002 (Textual's name)
    ) -> None:
        super().__init__(id=id)
        self.is_regex = False
        self.whole_word = False
        self.history = History()
        #: Called with every change of the query or a toggle, at once (see above).
        self._on_change = on_change
        self._status: tuple[str, bool] = ("", False)
        self._status_width = 0

    def compose(self) -> ComposeResult:
        yield Static("/", id="search-prompt")
        yield Input(placeholder="search this thread", id="search-input", select_on_focus=False)
        yield Static(" .* ", id="toggle-regex", classes="toggle")
        yield Static(" w ", id="toggle-word", classes="toggle")
        yield Static(id="search-status")

    def on_mount(self) -> None:
        self._show_toggles()
        # A watcher runs inside the keystroke's own handling, before the Input is redrawn
        # (Input.Changed would arrive after that frame).
        self.watch(self.query_one(Input), "value", self._changed, init=False)

    @property
    def text(self) -> str:
        """What is typed."""
        return self.query_one(Input).value

    def open(self) -> None:
        """Focus the query, all of it selected so typing replaces it."""
        field = self.query_one(Input)
        # At once (focus() waits for the keys already queued, and they would miss the bar).
        self.screen.set_focus(field)
        field.select_all()

    def set_query(self, text: str, *, is_regex: bool, whole_word: bool) -> None:
        """Fill in a query from elsewhere (the folder search); ``on_change`` hears of it
        once, even when the bar held that query already (the screen searches it again)."""
        self.is_regex = is_regex
        self.whole_word = whole_word
        self._show_toggles()
        field = self.query_one(Input)
        if field.value == text:
            self._changed()  # the value watcher runs only on a new value
        else:
            field.value = text
        self.history.add(text)

    def set_status(self, status: str, *, error: bool = False) -> None:
        """Show ``status`` (``3/17``, ``no matches``, a regex error) at the right."""
        if (status, error) == self._status:
            return  # the same text again ("searching…" on each key): no redraw, no layout
        self._status = (status, error)
        text = safe_text(status)
        label = self.query_one("#search-status", Static)
        # The label is as wide as its text: only a new width needs a layout of the screen.
        label.update(text, layout=text.cell_len != self._status_width)
        self._status_width = text.cell_len
        label.set_class(error, "-error")
        label.set_class(status == "no matches", "-none")

    def _show_toggles(self) -> None:
        regex = self.query_one("#toggle-regex", Static)
        regex.set_class(self.is_regex, "-on")
        regex.tooltip = f"regular expression: {'on' if self.is_regex else 'off'} (ctrl+r)"
        word = self.query_one("#toggle-word", Static)
        word.set_class(self.whole_word, "-on")
        word.tooltip = f"whole word: {'on' if self.whole_word else 'off'} (ctrl+t)"

    @on(events.Click, "#toggle-regex")
    def _click_regex(self) -> None:
        self.action_toggle_regex()

    @on(events.Click, "#toggle-word")
    def _click_word(self) -> None:
        self.action_toggle_word()

    def _changed(self) -> None:
        self._on_change(QueryText(self.text, self.is_regex, self.whole_word))

    @on(Input.Changed, "#search-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()  # already reported by the value watcher

    @on(Input.Submitted, "#search-input")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_step(1)

    def action_step(self, direction: int) -> None:
        self.history.add(self.text)
        self.post_message(self.Step(direction))

    def action_close(self) -> None:
        self.history.add(self.text)
        self.post_message(self.Closed())

    def action_leave(self) -> None:
        self.history.add(self.text)
        self.post_message(self.Left())

    def action_toggle_regex(self) -> None:
        self.is_regex = not self.is_regex
        self._show_toggles()
        self._changed()

    def action_toggle_word(self) -> None:
        self.whole_word = not self.whole_word
        self._show_toggles()
        self._changed()

    def action_history(self, step: int) -> None:
        field = self.query_one(Input)
        recalled = self.history.older(field.value) if step < 0 else self.history.newer()
        if recalled is not None:
            field.value = recalled
            field.cursor_position = len(recalled)
