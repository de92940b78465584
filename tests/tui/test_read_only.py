"""The read-only guarantee: a whole reading session leaves the user's folder exactly as it was.

Before and after a headless session that uses every pane and key (list,
article, replies, folds, panes, sort, palette, help, and the searches when
the reader has them), every entry of the folder is fingerprinted: its name
(as bytes), type, mode, size, mtime, ctime, inode and, for files, a SHA-256
of its content. Meanwhile every call that could write, move, delete, lock or
re-stamp a file is recorded. Nothing may touch the folder.
"""

from __future__ import annotations

import builtins
import hashlib
import io
import os
import shutil
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hostile_fixtures import write_hostile
from ui_support import SAMPLES, main_screen, press, ready, replies, threads, wait_for, write_nested

from threadtui.tui.app import make_app

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None  # type: ignore[assignment]

WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def fingerprint(folder: Path) -> dict[bytes, tuple]:
    """Every entry under ``folder`` (links not followed): metadata, and content hashes."""
    prints: dict[bytes, tuple] = {}
    root = os.fsencode(folder)
    for current, dirs, files in os.walk(root):
        for name in dirs + files:
            path = os.path.join(current, name)
            st = os.lstat(path)
            digest = None
            if stat.S_ISREG(st.st_mode):
                with open(path, "rb") as handle:
                    digest = hashlib.sha256(handle.read()).hexdigest()
            prints[os.path.relpath(path, root)] = (
                stat.S_IFMT(st.st_mode),
                st.st_mode,
                st.st_size,
                st.st_mtime_ns,
                st.st_ctime_ns,
                st.st_ino,
                digest,
            )
    return prints


class WriteSpy:
    """Records every call that could change a file under ``folder``."""

    def __init__(self, folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.folder = os.path.realpath(folder)
        self.calls: list[str] = []
        self.opened = 0
        real_open = builtins.open
        real_os_open = os.open

        def spy_open(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
            if isinstance(file, (str, bytes, os.PathLike)) and self._inside(file):
                self.opened += 1
                if any(flag in mode for flag in "wax+"):
                    self.calls.append(f"open({file!r}, {mode!r})")
            return real_open(file, mode, *args, **kwargs)

        def spy_os_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if self._inside(path):
                self.opened += 1
                if flags & WRITE_FLAGS:
                    self.calls.append(f"os.open({path!r}, {flags:#o})")
            return real_os_open(path, flags, *args, **kwargs)

        monkeypatch.setattr(builtins, "open", spy_open)
        monkeypatch.setattr(io, "open", spy_open)
        monkeypatch.setattr(os, "open", spy_os_open)
        for name in (
            "rename",
            "replace",
            "remove",
            "unlink",
            "rmdir",
            "mkdir",
            "makedirs",
            "utime",
            "chmod",
            "chown",
            "truncate",
            "link",
            "symlink",
            "mkfifo",
        ):
            if hasattr(os, name):
                monkeypatch.setattr(os, name, self._refuse(f"os.{name}", getattr(os, name)))
        for name in ("move", "copy", "copy2", "copyfile", "rmtree"):
            monkeypatch.setattr(shutil, name, self._refuse(f"shutil.{name}", getattr(shutil, name)))
        if fcntl is not None:
            for name in ("flock", "lockf"):
                monkeypatch.setattr(fcntl, name, self._lock(f"fcntl.{name}", getattr(fcntl, name)))

    def _inside(self, path: Any) -> bool:
        try:
            full = os.path.realpath(os.fsdecode(path))
        except (TypeError, ValueError):
            return False
        return full == self.folder or full.startswith(self.folder + os.sep)

    def _refuse(self, what: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def spy(*args: Any, **kwargs: Any) -> Any:
            if any(self._inside(a) for a in args if isinstance(a, (str, bytes, os.PathLike))):
                self.calls.append(f"{what}{args!r}")
            return real(*args, **kwargs)

        return spy

    def _lock(self, what: str, real: Callable[..., Any]) -> Callable[..., Any]:
        def spy(fd: Any, *args: Any, **kwargs: Any) -> Any:
            self.calls.append(f"{what}({fd!r}, ...)")  # we never lock anything, anywhere
            return real(fd, *args, **kwargs)

        return spy


def _bound(*keys: str) -> bool:
    """Whether the main screen binds all these keys (the searches are landing meanwhile)."""
    from threadtui.tui.screens.main import MainScreen

    bound = {k.strip() for b in MainScreen.BINDINGS for k in b.key.split(",")}  # type: ignore[union-attr]
    return all(key in bound for key in keys)


@pytest.fixture
def library(tmp_path: Path) -> Path:
    folder = tmp_path / "library"
    shutil.copytree(SAMPLES, folder / "samples")
    write_hostile(folder / "hostile")
    write_nested(folder / "json")
    (folder / "notes").mkdir()
    (folder / "notes" / ".hidden.txt").write_text("hidden\n")
    (folder / "notes" / "empty.txt").write_bytes(b"")
    (folder / "link.txt").symlink_to(folder / "samples" / sorted(os.listdir(SAMPLES))[0])
    if hasattr(os, "mkfifo"):
        os.mkfifo(folder / "notes" / "pipe.txt")
    os.chmod(folder / "notes" / "empty.txt", 0o444)  # read-only, as many archives are
    return folder


async def test_a_full_session_changes_nothing(library: Path, monkeypatch: pytest.MonkeyPatch):
    before = fingerprint(library)
    spy = WriteSpy(library, monkeypatch)
    async with make_app([str(library)]).run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        tl = threads(pilot)
        assert len(tl.rows) >= 20
        # The list: move (each step opens a thread), page, ends.
        for _ in range(3):
            await press(pilot, "j")
        await press(pilot, "G", "home", "s")
        await press(pilot, "enter")  # read: focus to the article
        await press(pilot, "j", "space", "G", "g")
        await press(pilot, "tab")  # the replies
        await press(pilot, "J", "K", "enter", "enter", "minus", "plus", "z", "o")
        await press(pilot, "right_square_bracket", "left_square_bracket")
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: type(pilot.app.screen).__name__ == "HelpScreen", "help")
        await pilot.press("escape")
        await wait_for(
            pilot, lambda: type(pilot.app.screen).__name__ == "MainScreen", "help closed"
        )
        await pilot.press("ctrl+p")
        await wait_for(
            pilot, lambda: type(pilot.app.screen).__name__ == "CommandPalette", "the palette"
        )
        await pilot.press(*"nested", "enter")
        await ready(pilot)
        assert replies(pilot).reply_layout is not None
        await search_session(pilot)
        assert main_screen(pilot).thread_path is not None
        await pilot.press("q")
    assert spy.opened > 20  # the spy saw the reads: it was really in the way
    assert spy.calls == []
    assert fingerprint(library) == before


async def search_session(pilot) -> None:
    """The hook for the searches: used when the reader binds them, skipped before."""
    if _bound("slash"):
        await pilot.press("slash")
        await pilot.pause()
        await pilot.press(*"the", "enter", "enter")
        await ready(pilot)
        await press(pilot, "escape")
        await press(pilot, "n", "N")
    if _bound("F"):
        await pilot.press("F")
        await pilot.pause()
        await pilot.press(*"evil", "enter")
        await pilot.pause(0.2)
        await pilot.press("escape")
        await ready(pilot)


def test_the_spy_sees_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The checks above can fail: each kind of change is caught."""
    folder = tmp_path / "f"
    folder.mkdir()
    target = folder / "a.txt"
    target.write_text("x")
    before = fingerprint(folder)
    spy = WriteSpy(folder, monkeypatch)
    with open(target, "a") as handle:
        handle.write("y")
    os.close(os.open(target, os.O_RDWR))
    os.utime(target)
    os.rename(target, folder / "b.txt")
    if fcntl is not None:
        with open(folder / "b.txt", "rb") as handle:
            fcntl.flock(handle.fileno(), fcntl.LOCK_SH)
    assert [call.split("(")[0] for call in spy.calls] == [
        "open",
        "os.open",
        "os.utime",
        "os.rename",
        *(["fcntl.flock"] if fcntl is not None else []),
    ]
    assert fingerprint(folder) != before
