"""Finding thread files under the folders and files a user names.

Nothing is opened here: a folder is listed with ``scandir`` and names are
yielded; FIFOs, sockets and devices are skipped (they are never regular files),
hidden files are skipped, and links that lead nowhere are yielded so that the
scan shows them as error rows.
"""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Iterable, Iterator

#: Files we try to read inside a folder (an explicitly named file is always tried).
THREAD_SUFFIXES = frozenset(
    {".txt", ".text", ".json", ".jsonl", ".dump", ".md", ".mbox", ".mbx", ""}
)


def discover(paths: Iterable[str]) -> Iterator[str]:
    """Thread files under ``paths`` (files as given; folders walked once each, sorted).

    Links that lead nowhere (dangling, or in a loop) are listed too: they become error rows.
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


def _walk(folder: str, seen_dirs: set[tuple[int, int]]) -> Iterator[str]:
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            st = os.stat(current)
        except OSError:
            continue
        key = (st.st_dev, st.st_ino)
        if key in seen_dirs:
            continue  # a symlink loop, or the same folder named twice
        seen_dirs.add(key)
        try:
            with os.scandir(current) as entries:
                items = sorted(entries, key=lambda e: e.name)
        except OSError:
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
            except OSError as exc:
                if exc.errno == errno.ELOOP:
                    yield entry.path  # a link loop, like a dangling link: an error row
                continue
        stack.extend(reversed(subdirs))


def _suffix(name: str) -> str:
    """``Path(name).suffix.lower()``, without building a Path for each of 10,000 names."""
    dot = name.rfind(".")
    return name[dot:].lower() if 0 < dot < len(name) - 1 else ""
