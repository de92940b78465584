"""Finding thread files under the folders and files a user names.

Nothing is opened here: a folder is listed with ``scandir`` and names are
yielded; FIFOs, sockets and devices are skipped (they are never regular files),
hidden files are skipped, and links that lead nowhere (or whose kind cannot be
told) are yielded so that the scan shows them as error rows. A folder the walk cannot go into (no permission,
a path past the system's limit) is never skipped in silence: :func:`walk` yields
a :class:`WalkError` for it, which the reader shows as an error row.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from threadtui.files import os_cause

#: Files we try to read inside a folder (an explicitly named file is always tried).
THREAD_SUFFIXES = frozenset(
    {".txt", ".text", ".json", ".jsonl", ".dump", ".md", ".mbox", ".mbx", ""}
)


@dataclass(frozen=True, slots=True)
class WalkError:
    """A folder the walk could not list or enter, and why (``permission denied``, …)."""

    path: str
    error: str


def walk(paths: Iterable[str]) -> Iterator[str | WalkError]:
    """Thread files under ``paths`` (files as given; folders walked once each, sorted),
    and a :class:`WalkError` in their place for each folder that could not be walked.

    Links that lead nowhere (dangling, or in a loop) are listed as files: they become
    error rows when read.
    """
    seen_dirs: set[tuple[int, int]] = set()
    for root in paths:
        try:
            st = os.stat(root)
        except OSError:
            yield root  # reported as an error row by summarize()
            continue
        if stat.S_ISDIR(st.st_mode):
            yield from _walk(root, seen_dirs)
        else:
            yield root


def discover(
    paths: Iterable[str], on_error: Callable[[WalkError], object] | None = None
) -> Iterator[str]:
    """The thread files of :func:`walk`; each folder it could not walk goes to ``on_error``."""
    for item in walk(paths):
        if isinstance(item, str):
            yield item
        elif on_error is not None:
            on_error(item)


def _walk(folder: str, seen_dirs: set[tuple[int, int]]) -> Iterator[str | WalkError]:
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
            key = (st.st_dev, st.st_ino)
            if key in seen_dirs:
                continue  # a symlink loop, or the same folder named twice
            seen_dirs.add(key)
            with os.scandir(current) as entries:
                items = sorted(entries, key=lambda e: e.name)
        except FileNotFoundError:
            continue  # gone since it was listed: nothing to show
        except OSError as exc:
            yield WalkError(current, os_cause(exc, missing="no such folder"))
            continue
        subdirs: list[str] = []
        for entry in items:
            if entry.name.startswith("."):
                continue
            try:
                if entry.is_dir():
                    subdirs.append(entry.path)
                elif entry.is_file() and _suffix(entry.name) in THREAD_SUFFIXES:
                    yield entry.path
                elif entry.is_symlink() and not os.path.exists(entry.path):
                    yield entry.path  # a dangling link: show it as an error row
            except OSError:
                # Not even its kind can be told (a link loop, a link through a closed
                # folder, a path too long): reading it says why, on its own error row.
                yield entry.path
        stack.extend(reversed(subdirs))


def _suffix(name: str) -> str:
    """``Path(name).suffix.lower()``, without building a Path for each of 10,000 names."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""
