"""Splitting an mbox archive into its messages' texts.

An mbox is messages laid end to end, each opened by a ``From `` separator line.
A body line that starts with ``From `` was escaped by the writer so it cannot be
taken for a separator: mboxo wrote ``>From `` for it, mboxrd adds one ``>`` to
any ``>*From ``. This module finds the real separators (a date on the line and a
header under it), cuts the text there and undoes that escaping, so the reader of
one message never sees the archive around it.

The two patterns that make a separator are shared with the sniffer in
:mod:`threadtui.parsing.mail.mbox`, which asks the same question of a file's start.
"""

from __future__ import annotations

import re

#: A separator line: ``From <sender> <asctime>``. The date is only asked to hold a
#: clock time or a year, so the pipermail (``x at y.org  Thu …``) and Thunderbird
#: (``From - Thu …``) spellings pass as well.
SEPARATOR = re.compile(r"From \S+ [^\n]*?(?:\d{1,2}:\d{2}|\b\d{4}\b)[^\n]*")
#: A header line (RFC 5322 field name, then a colon).
HEADER_LINE = re.compile(r"[!-9;-~]+:")


_SEPARATOR_LINE = re.compile(r"^From \S+ [^\n]*$", re.MULTILINE)
_MBOXRD_ESCAPE = re.compile(r"^>(>*From )", re.MULTILINE)
_MBOXO_ESCAPE = re.compile(r"^>(From )", re.MULTILINE)


def split_messages(text: str) -> list[str]:
    """Each message's text (headers and body, without its separator), ``>From `` unescaped.

    ``text`` must have ``\\n`` line ends. A ``From `` line is a separator only
    when it holds a date (a clock time or a year) and a header line comes under
    it; any other is body text. Text before the first separator is a message of its
    own when it is not blank (a single message saved without one, say).
    """
    starts: list[tuple[int, int]] = []  # (separator start, message start)
    rd = False
    for match in _SEPARATOR_LINE.finditer(text):
        line = match.group()
        if not SEPARATOR.fullmatch(line):
            continue
        body = match.end() + 1
        next_end = text.find("\n", body)
        following = text[body : len(text) if next_end < 0 else next_end]
        if not HEADER_LINE.match(following):
            continue
        if line.startswith("From mboxrd@"):
            rd = True
        starts.append((match.start(), body))
    chunks: list[str] = []
    if not starts:
        return [text] if text.strip() else []
    if text[: starts[0][0]].strip():
        chunks.append(text[: starts[0][0]])
    for n, (_sep, begin) in enumerate(starts):
        end = starts[n + 1][0] if n + 1 < len(starts) else len(text)
        chunks.append(text[begin:end])
    # mboxrd writers say so in the separator ("From mboxrd@z …": public-inbox, b4,
    # lore). Otherwise it is mboxo, where only ">From " was escaped: a ">>From "
    # line was written as it is.
    unescape = _MBOXRD_ESCAPE if rd else _MBOXO_ESCAPE
    return [unescape.sub(r"\1", chunk) if ">" in chunk else chunk for chunk in chunks]
