"""Each pane words its own border and messages from what the screen hands it.

The screen passes attributes down (the scan's progress, a thread, an error) and the
pane says it: these mount one pane alone, with no screen to do it for them.
"""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.widget import Widget
from ui_support import nested_thread

from threadtui.tui.widgets.article_view import ArticleView
from threadtui.tui.widgets.reply_view import ReplyView
from threadtui.tui.widgets.thread_list import ScanProgress, ThreadList


class _Alone(App[None]):
    """An app showing one widget and nothing else."""

    def __init__(self, widget: Widget) -> None:
        super().__init__()
        self.widget = widget

    def compose(self) -> ComposeResult:
        yield self.widget


def _shown(view: ThreadList) -> str:
    """The list's rows as drawn, one line each."""
    return "\n".join(view.render_line(y).text for y in range(view.size.height)).strip()


async def test_the_thread_list_shows_the_scan_progress_and_the_empty_folder_advice() -> None:
    view = ThreadList(["/tmp/no\x1bthreads"])
    async with _Alone(view).run_test(size=(60, 20)) as pilot:
        assert not view.border_subtitle and view.scanning
        assert _shown(view) == "Looking for threads…"
        view.scan = ScanProgress(3, 8, done=False)
        assert view.border_subtitle == "reading 3/8 · 37%" and view.scanning
        view.scan = ScanProgress(8, 8, done=True)
        await pilot.pause()
        assert view.border_subtitle == "" and not view.scanning
        shown = " ".join(_shown(view).split())
        # The path is shown as one safe line: its escape is a visible placeholder.
        assert shown.startswith("No threads found. threadtui looked in /tmp/no")
        assert "\x1b" not in shown and "found no thread files" in shown
        assert shown.endswith(" ".join(view.advice.split()))


async def test_the_reply_pane_says_how_many_replies_and_where_the_cursor_is() -> None:
    view = ReplyView()
    async with _Alone(view).run_test(size=(80, 30)) as pilot:
        assert view.border_title == "Replies" and not view.border_subtitle
        view.show_thread(nested_thread(), set(), set())
        total = len(view.reply_layout or ())
        assert view.border_title == f"Replies ({total})"
        assert view.border_subtitle == f"#2 · 1 of {total}"
        view.next_reply(1)
        assert view.border_subtitle == f"#3 · 2 of {total}"
        view.clear()
        await pilot.pause()
        assert (view.border_title, view.border_subtitle) == ("Replies", "")


async def test_the_article_says_which_thread_could_not_be_read() -> None:
    view = ArticleView()
    async with _Alone(view).run_test(size=(80, 20)):
        assert view.border_title == "Article"
        view.show_unreadable("/data/a\nb.txt", "empty file", name="a\nb.txt")
        lines = [line.plain for line in view.lines]
        assert lines[:3] == ["⚠ a b.txt could not be read", "", "/data/a b.txt: empty file"]
        view.show_unreadable("/data/gone.txt", "No such file")
        assert view.lines[0].plain == "⚠ This thread could not be read"
        view.show_no_threads("Look elsewhere.")
        assert [line.plain for line in view.lines] == ["No threads here", "", "Look elsewhere."]
