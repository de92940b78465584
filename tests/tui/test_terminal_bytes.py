"""The real program in a pseudo-terminal: what reaches the terminal is never content's controls.

The reader and ``threadtui show`` run as subprocesses on a pty (so Textual and
Rich believe they talk to a real xterm), over a folder of hostile threads
(:mod:`hostile_fixtures`). Every byte written is captured; the tests then
check that

* no escape sequence the program wrote carries anything from the content
  (the markers ``evil``, ``4242``, the OSC 52 payload, ``http``...),
* no window-title, hyperlink, clipboard or palette OSC was written at all,
* no C1 control, NUL, bidi control or zero-width character was written,
* the output is valid UTF-8 (no raw byte of a file went through),
* the placeholders (``␛``, ``⟨U+202E⟩``, ``␀``) and the literal markup did show.

The same holds for hostile file names given on the command line (as a shell glob
gives them): the reader, ``parse`` and ``show`` name them only with placeholders,
in their rows, their error lines and argparse's usage errors alike.

Each key press waits for the text it should bring on screen, so the test
proves the hostile parts were really drawn, not merely skipped.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest
from hostile_fixtures import (
    BAD_NAME,
    BAD_SHOWN,
    C1_NAME,
    C1_SHOWN,
    DASH_NAME,
    DASH_SHOWN,
    GONE_NAME,
    GONE_SHOWN,
    HOSTILE_OSC,
    MARKERS,
    THREADS,
    write_hostile,
    write_hostile_names,
)

try:
    import fcntl
    import struct
    import termios
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

pytestmark = pytest.mark.skipif(
    fcntl is None or not hasattr(os, "openpty"), reason="needs a POSIX pseudo-terminal"
)

COLS, ROWS = 120, 40
#: The escape key, followed by a focus-in report: a complete sequence that makes
#: Textual hand over the escape key at once instead of waiting to see what follows.
ESC = b"\x1b\x1b[I"

# Escape sequences as a terminal parses them (ECMA-48): CSI, OSC/DCS/APC/PM/SOS
# strings (ended by BEL or ST), and two-byte escapes.
_CSI = rb"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]"
_STRING = rb"\x1b[\]P_^X][^\x07\x1b]*(?:\x07|\x1b\\)?"
_OTHER = rb"\x1b[\x20-\x2f]*[\x30-\x7e]"
SEQUENCE = re.compile(b"|".join([_CSI, _STRING, _OTHER]))
OSC_NUMBER = re.compile(rb"\x1b\](\d*)")

#: Characters that must never be written as themselves.
FORBIDDEN_CHARS = re.compile("[\x00\x80-\x9f\u200b\u200c\u2060\ufeff\u202a-\u202e\u2066-\u2069]")


def visible_text(raw: bytes) -> str:
    """The text the terminal would draw: the output with every escape sequence removed."""
    return SEQUENCE.sub(b"", raw).decode("utf-8", "replace")


def assert_inert(raw: bytes) -> None:
    """No escape sequence in ``raw`` came from content; no forbidden character was written."""
    text = raw.decode("utf-8")  # strict: a raw byte from a file would not decode
    bad_chars = sorted({f"U+{ord(c):04X}" for c in FORBIDDEN_CHARS.findall(text)})
    assert not bad_chars, f"written as themselves: {bad_chars}"
    sequences = SEQUENCE.findall(raw)
    assert sequences or raw.count(b"\x1b") == 0
    for seq in sequences:
        for marker in MARKERS:
            assert marker not in seq, f"content inside an escape sequence: {seq!r}"
    for number in OSC_NUMBER.findall(raw):
        assert number not in HOSTILE_OSC, f"OSC {number.decode()} written"
    # An ESC that starts no complete sequence would swallow the text after it.
    assert raw.count(b"\x1b") == sum(seq.count(b"\x1b") for seq in sequences)
    # BEL only ever ends one of the program's own OSC strings.
    assert raw.count(b"\x07") == sum(seq.endswith(b"\x07") for seq in sequences)


class Terminal:
    """A subprocess on a pseudo-terminal of COLS x ROWS; keeps every byte it writes."""

    def __init__(self, args: Sequence[str], cwd: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLS, 0, 0))
        env = {
            **os.environ,
            "TERM": "xterm-256color",
            "COLUMNS": str(COLS),
            "LINES": str(ROWS),
            "COLORTERM": "truecolor",
        }
        env.pop("NO_COLOR", None)
        env.pop("TEXTUAL", None)
        self.process = subprocess.Popen(
            list(args),
            stdin=slave,
            stdout=slave,
            stderr=slave,
            cwd=cwd,
            env=env,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.output = bytearray()
        self.mark = 0
        self.eof = False

    def _pump(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.eof:
            left = deadline - time.monotonic()
            if left <= 0:
                return
            ready, _, _ = select.select([self.master], [], [], min(left, 0.05))
            if not ready:
                continue
            try:
                data = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed the terminal
                data = b""
            if not data:
                self.eof = True
                return
            self.output.extend(data)

    def expect(self, text: str, since: int | None = None, timeout: float = 15.0) -> None:
        """Read until ``text`` has been drawn since the last key press (or offset ``since``)."""
        start = self.mark if since is None else since
        deadline = time.monotonic() + timeout
        while text not in visible_text(bytes(self.output[start:])):
            if self.eof or time.monotonic() > deadline:
                tail = visible_text(bytes(self.output[start:]))[-1500:]
                raise AssertionError(f"{text!r} never drawn; the screen showed:\n{tail}")
            self._pump(0.05)

    def settle(self, quiet: float = 0.15, timeout: float = 10.0) -> None:
        """Read until nothing has been drawn for ``quiet`` seconds: the last key is handled.

        A key's effects can arrive in several frames (a focus change, then the
        footer), and Textual hands a key to whichever widget has the focus when
        it gets to it; so a key that moves the focus must be finished before the
        next one is sent.
        """
        deadline = time.monotonic() + timeout
        while not self.eof and time.monotonic() < deadline:
            before = len(self.output)
            self._pump(quiet)
            if len(self.output) == before:
                return

    def press(self, keys: bytes, expect: str | None = None) -> int:
        """Send keys and wait for their result: ``expect`` drawn, or the screen settled.

        Returns the output offset before the keys. A lone ESC is special: a key
        arriving within Textual's escape delay after it would be read as
        alt+key; send :data:`ESC` instead.
        """
        self._pump(0)
        self.mark = len(self.output)
        os.write(self.master, keys)
        if expect is not None:
            self.expect(expect)
        self.settle()
        return self.mark

    def finish(self, timeout: float = 15.0) -> int:
        """Wait for the program to exit (killing it if it does not) and return its status."""
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            self._pump(0.05)
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
            raise AssertionError("the program did not exit")
        self._pump(0.2)  # whatever is still buffered in the pty
        os.close(self.master)
        return self.process.returncode


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile(tmp_path_factory.mktemp("hostile"))


def threadtui(*args: str) -> list[str]:
    return [sys.executable, "-m", "threadtui", *args]


@pytest.fixture
def terminal(hostile_dir: Path) -> Iterator[Terminal]:
    term = Terminal(threadtui(str(hostile_dir)), hostile_dir)
    yield term
    if term.process.poll() is None:  # a failed test: do not leave the reader running
        term.process.kill()
        term.process.wait()
        os.close(term.master)


# ------------------------------------------------------------------ the reader


def search_key_bound() -> bool:
    """Whether ``/`` opens a search in this version of the reader (the search is landing)."""
    from threadtui.tui.screens.main import MainScreen

    keys = {key.strip() for binding in MainScreen.BINDINGS for key in binding.key.split(",")}  # type: ignore[union-attr]
    return "slash" in keys


def test_reader_writes_no_content_control(terminal: Terminal) -> None:
    """Open every hostile thread, read its replies, fold, toggle panes, palette, help; quit."""
    term = terminal
    term.expect(f"Threads {len(THREADS) + 1}")
    term.expect(THREADS[0].shown)
    start = 0
    for index, thread in enumerate(THREADS):
        if index:
            start = term.press(b"]", expect=thread.shown)  # next thread, from whichever pane
        term.expect(thread.reply_shown, since=start)  # the reply pane shows with it
        if index == 0:  # the pane keys, once
            term.press(b"\r")  # Enter: read it (focus to the article)
            term.press(b"G")  # article: to the end
            # Tab: the reply pane. Wait for its keys in the footer: a key sent before
            # the focus has moved would go to the article.
            term.press(b"\t", expect="Fold")
            term.press(b"J")  # next reply
            term.press(b" ", expect="▸ #2")  # fold it: its header with a preview
            term.press(b" ", expect=thread.reply_shown)  # unfold
            term.press(b"o")  # open its long quotes
        elif index == len(THREADS) - 1:  # the markup thread: its folded preview
            term.press(b"J")  # the focus is still on the replies (J would move it there)
            term.press(b" ", expect="▸ #2 · [reverse]bob[/reverse]")
    term.press(b"]", expect=BAD_SHOWN)  # the unreadable file: its error in the article pane
    term.press(b"r")  # hide the replies
    term.press(b"r")
    term.press(b"t")  # hide the list
    term.press(b"t", expect="Threads")  # and show it again
    bidi = THREADS[3]
    term.press(b"\x10", expect="Search for commands")  # ctrl+p: the command palette
    term.press(b"isolate", expect="evil-rlo")  # a hostile title as a palette hit
    term.press(b"\r", expect=bidi.shown)  # go to that thread
    if search_key_bound():
        term.press(b"/", expect="search this thread")
        term.press(b"evil", expect="evil")
        term.press(b"\r")  # next match
        term.press(ESC)  # close the search
    term.press(b"?", expect="Thread list")  # help
    term.press(b"?", expect=bidi.shown)  # closed: the article behind it is drawn again
    term.press(b"q")
    assert term.finish() == 0
    raw = bytes(term.output)
    assert_inert(raw)
    shown = visible_text(raw)
    for placeholder in ("␛", "␇", "␀", "␡", "⟨U+009B⟩", "⟨U+202E⟩", "⟨U+2066⟩", "⟨U+200B⟩"):
        assert placeholder in shown
    assert "[bold]Markup[/bold] [link=http://x]title[/link] [/] [" in shown
    assert "[reverse]bob[/reverse]" in shown
    assert "[i]quoter wrote:" in shown


def test_reader_error_row_name_is_inert(terminal: Terminal) -> None:
    """The unreadable file's name (markup and an OSC 0 in it) in the list and the error pane."""
    term = terminal
    term.expect(f"Threads {len(THREADS) + 1}")
    term.press(b"G", expect=BAD_SHOWN)  # the last row; its error shows at once
    term.press(b"q")
    assert term.finish() == 0
    raw = bytes(term.output)
    assert_inert(raw)
    shown = visible_text(raw)
    assert "⚠ 06-[b]bad[i] ␛]0;evil-name␇.txt" in shown
    assert "binary file, not a text thread" in shown


# ------------------------------------------------------------------ threadtui show


@pytest.mark.parametrize("thread", THREADS, ids=[t.name for t in THREADS])
def test_show_on_a_terminal_writes_no_content_control(hostile_dir: Path, thread) -> None:
    """On a terminal ``show`` styles its output (Rich's colours), but content stays inert."""
    term = Terminal(threadtui("show", thread.name), hostile_dir)
    assert term.finish() == 0
    raw = bytes(term.output)
    assert b"\x1b[" in raw, "expected Rich to style output on a terminal"
    assert_inert(raw)
    shown = visible_text(raw).replace("\r\n", "\n")
    assert thread.shown in shown
    assert thread.reply_shown in shown


def test_show_error_on_a_terminal_is_one_inert_line(hostile_dir: Path) -> None:
    term = Terminal(threadtui("show", BAD_NAME), hostile_dir)
    assert term.finish() == 1
    raw = bytes(term.output)
    assert_inert(raw)
    assert raw.decode("utf-8").splitlines() == [
        "threadtui: 06-[b]bad[i] ␛]0;evil-name␇.txt: binary file, not a text thread"
    ]


def test_show_piped_is_plain_and_inert(hostile_dir: Path) -> None:
    """Piped, ``show`` writes no escape sequence at all: not Rich's and not the content's."""
    for thread in THREADS:
        result = subprocess.run(
            threadtui("show", "--width", "100", thread.name),
            cwd=hostile_dir,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        assert result.stderr == b""
        assert b"\x1b" not in result.stdout
        assert_inert(result.stdout)
        out = result.stdout.decode("utf-8")
        assert thread.shown in out
        assert thread.reply_shown in out


# ------------------------------------------------------------------ hostile names as arguments


@pytest.fixture(scope="module")
def names_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_hostile_names(tmp_path_factory.mktemp("names"))


def _run_on_terminal(args: Sequence[str], cwd: Path, status: int) -> str:
    """Run a command that needs no keys on the terminal; its output, checked inert."""
    term = Terminal(threadtui(*args), cwd)
    assert term.finish() == status
    raw = bytes(term.output)
    assert_inert(raw)
    return visible_text(raw).replace("\r\n", "\n")


def test_reader_started_with_hostile_names(names_dir: Path) -> None:
    """``threadtui NAME...``: each hostile name is a row (or an error row) with placeholders."""
    term = Terminal(threadtui(C1_NAME, BAD_NAME, THREADS[3].name), names_dir)
    term.expect("Threads 3")
    term.expect(THREADS[2].shown)  # the thread in the C1-named file, the newest
    term.press(b"G", expect=BAD_SHOWN)  # the unreadable one: last, its error at once
    term.press(b"q")
    assert term.finish() == 0
    raw = bytes(term.output)
    assert_inert(raw)
    assert "⚠ 06-[b]bad[i] ␛]0;evil-name␇.txt" in visible_text(raw)


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ([DASH_NAME, THREADS[0].name], DASH_SHOWN),  # threadtui *: argparse refuses it
        ([GONE_NAME, THREADS[0].name], GONE_SHOWN),  # not there
        (["parse", THREADS[0].name, DASH_NAME, BAD_NAME], DASH_SHOWN),  # threadtui parse *
        (["show", THREADS[0].name, C1_NAME, DASH_NAME], C1_SHOWN),  # show *: the extra names
    ],
    ids=["reader-option", "reader-missing", "parse-option", "show-extra"],
)
def test_a_refused_hostile_name_is_named_inert(
    names_dir: Path, args: list[str], shown: str
) -> None:
    """The usage error or the missing path: status 2, the name shown with placeholders."""
    text = _run_on_terminal(args, names_dir, status=2)
    assert shown in text
    assert "Traceback" not in text


def test_parse_on_a_terminal_with_hostile_names(names_dir: Path) -> None:
    """``threadtui parse -- *``: each thread's JSON and each error line, with no raw control."""
    names = [DASH_NAME, C1_NAME, BAD_NAME, GONE_NAME]
    text = _run_on_terminal(["parse", "--", *names], names_dir, status=1)
    lines = text.splitlines()
    assert f"threadtui: {BAD_SHOWN.removesuffix(' could not be read')}: binary file" in text
    assert f"threadtui: {GONE_SHOWN}: no such file" in lines
    assert sum(line.startswith('{"schema": "threadtui/1"') for line in lines) == 2
    assert "\\u009b" in text and "\\u202e" in text  # the content's controls, escaped


def test_show_on_a_terminal_with_a_hostile_name(names_dir: Path) -> None:
    text = _run_on_terminal(["show", C1_NAME], names_dir, status=0)
    assert THREADS[2].shown in text


def test_the_checker_catches_a_leak() -> None:
    """The assertions above can fail: a raw OSC 52, a C1 CSI or a bidi override is caught."""
    leaks = [
        b"ok \x1b]52;c;ZXZpbC1wYXlsb2Fk\x07",
        b"ok \x1b]0;evil\x07",
        b"ok \x1b[4242;4242H",
        "ok \u009b2J".encode(),
        "ok \u202eevil".encode(),
        b"ok \xff",
        b"ok \x1b",
        b"ok \x07",
    ]
    for leak in leaks:
        with pytest.raises((AssertionError, UnicodeDecodeError)):
            assert_inert(b"\x1b[1;1H\x1b[0m" + leak)
    assert_inert("\x1b[1;1H␛]52;c;ZXZpbC1wYXlsb2Fk␇ \x1b]22;default\x07".encode())
