"""Patches in a message body: where an inline diff starts and ends.

Development lists carry patches inline (``git send-email``, ``b4``). A diff's
lines must stay together, blank context lines and all, and keep their leading
spaces: the body reader asks :func:`patch_end` at each line whether a patch
starts there and takes the whole run as one :func:`patch_paragraph`, instead
of breaking it into paragraphs at its blank lines.
"""

from __future__ import annotations

import re

from threadtui.model import Paragraph

#: A diffstat line (" path | 4 ++--") or its summary (" 2 files changed, …").
_DIFFSTAT = re.compile(r" \S.*\|\s+(?:\d+ ?[-+]*|Bin\b.*)| \d+ files? changed.*")
#: The first line of a diff.
_DIFF_START = re.compile(r"diff (?:--git|-[a-zA-Z]+) \S|Index: \S|--- \S")
#: What the lines inside a diff (and its headers) start with.
_DIFF_LINE_PREFIXES = (
    " ", "+", "-", "@@", "diff ", "index ", "Index: ", "====", "\\ No newline", "new file mode",
    "deleted file mode", "similarity index", "dissimilarity index", "rename from", "rename to",
    "copy from", "copy to", "old mode", "new mode", "Binary files", "GIT binary patch",
    "literal ", "delta ", "RCS file:", "retrieving revision", "Only in ", "---", "+++",
)  # fmt: skip


def patch_paragraph(lines: list[str]) -> Paragraph:
    """A patch's lines as one paragraph, its indentation kept, trailing blank lines dropped."""
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return Paragraph("\n".join(line.rstrip("\n") for line in lines))


def patch_end(lines: list[str], i: int, stop: int) -> int | None:
    """When a patch starts at ``lines[i]``, where it ends; else None.

    A patch starts at a ``diff``/``Index:``/``--- a/…`` line (a unified diff
    header has its ``+++`` line next) or at ``---`` over a diffstat, and runs
    while its lines look like diff lines, across blank lines, up to the
    signature.
    """
    line = lines[i]
    nxt = lines[i + 1] if i + 1 < stop else ""
    if line.rstrip() == "---":
        if not _DIFFSTAT.fullmatch(nxt.rstrip()):
            return None
    elif _DIFF_START.match(line) is None:
        return None
    elif line.startswith("--- ") and not nxt.startswith("+++ "):
        return None
    elif line.startswith("Index: ") and not nxt.startswith("===="):
        return None
    j = i + 1
    while j < stop:
        current = lines[j]
        if not current.strip():
            k = j
            while k < stop and not lines[k].strip():
                k += 1
            if k < stop and _is_diff_line(lines[k]):
                j = k
                continue
            break
        if not _is_diff_line(current) and not _DIFFSTAT.fullmatch(current.rstrip()):
            break
        j += 1
    return j


def _is_diff_line(line: str) -> bool:
    """Whether ``line`` can be part of a diff (context, change, hunk or file header)."""
    return line.startswith(_DIFF_LINE_PREFIXES) or line.startswith("diff")
