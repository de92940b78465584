"""The author of a message: the display name of its From header, whole.

A From header is ``Jane Doe <jane@example.org>``, ``"Doe, Jane" <…>``,
``jane@example.org (Jane Doe)`` or a bare address; list archives add every
spelling no RFC allows: ``Smith, John <j@x>``, ``John [ACME] Smith <j@x>``,
``J@ne Doe``, ``Name: Sub <j@x>``. An address parser reads the unquoted comma, the
brackets, the ``@`` and the colon as structure and keeps one piece of the name
(``Smith``, ``John``, ``J@ne``, ``Sub``). What a reader wants is the name as its
sender wrote it, so the header is read here for the few things that really are
structure in a name, in one pass:

* a quoted string is text, its quotes and backslashes taken off;
* a comment (nested or not) is no part of the name; ``addr (Name)`` is named by it;
* the first ``<…>`` outside those ends the name: what is after it is not read;
* an encoded word is one piece (its ``?``, ``<`` or ``"`` are its text), decoded
  afterwards with the rest (:mod:`~threadtui.parsing.mail.encoded_words`).

Without a name, the author is the address, as :func:`email.utils.parseaddr`
reads it; without ``<…>``, the whole header is the name unless it is one bare
address. Every step is linear in the header (the standard library's parser
recurses on nested comments and copies the rest of the header at every word).
"""

from __future__ import annotations

import re

from threadtui.parsing.mail.encoded_words import decode_words

__all__ = ["author_name"]

#: What ends a run of ordinary text: a quote, a comment, an address, an encoded word.
_STRUCTURE = re.compile(r'["(<]|=\?')
_IN_QUOTES = re.compile(r'["\\]')
_IN_COMMENT = re.compile(r"[()\\]")
#: An encoded word read as one piece (email's phrase reader splits at "?=" too).
_WORD = re.compile(r"=\?[^?]*\?[qQbB]\?[^?]*\?=")
#: The longest address handed to parseaddr (an RFC 5321 path is 256 octets).
_ADDRESS_LIMIT = 1000


class _Mailbox:
    """What one pass over a From header found: the name's text, comments, the address."""

    __slots__ = ("address", "comments", "name")

    def __init__(self) -> None:
        self.name: list[str] = []
        self.comments: list[str] = []
        self.address: str | None = None


def author_name(value: str | None) -> str | None:
    """The name a From value gives its sender, else the address; None for an empty value.

    ``value`` is the unfolded header as the message has it (encoded words and all).
    """
    if not value:
        return None
    box = _read(value)
    name = _tidy(decode_words("".join(box.name)))
    if box.address is not None:
        return name or _address(box.address) or _tidy(value) or None
    bare = name.strip()
    if bare and not any(c.isspace() for c in bare) and _is_address(bare):
        # "jane@example.org (Jane Doe)": the comment is the only name this spelling gives.
        return _tidy(decode_words(" ".join(box.comments))) or bare
    return name or _tidy(value) or None


def _read(value: str) -> _Mailbox:
    box = _Mailbox()
    pos = 0
    while pos < len(value):
        match = _STRUCTURE.search(value, pos)
        end = len(value) if match is None else match.start()
        if box.address is None:
            box.name.append(value[pos:end])
        if match is None:
            break
        mark = match.group()
        if mark == '"':
            text, pos = _quoted(value, end + 1)
            if box.address is None:
                box.name.append(text)
        elif mark == "(":
            text, pos = _comment(value, end + 1)
            box.comments.append(text)
            box.name.append(" ")
        elif mark == "<" and box.address is None:
            close = value.find(">", end + 1)
            pos = len(value) if close < 0 else close + 1
            box.address = value[end + 1 : close if close >= 0 else len(value)]
        else:
            word = _WORD.match(value, end) if mark == "=?" else None
            pos = end + len(mark) if word is None else word.end()
            if box.address is None:
                box.name.append(value[end:pos])
    return box


def _quoted(value: str, pos: int) -> tuple[str, int]:
    """A quoted string's text from after its opening quote, and where it ends."""
    parts: list[str] = []
    while True:
        match = _IN_QUOTES.search(value, pos)
        if match is None:
            parts.append(value[pos:])  # unterminated: the rest is quoted
            return "".join(parts), len(value)
        parts.append(value[pos : match.start()])
        if match.group() == '"':
            return "".join(parts), match.end()
        parts.append(value[match.end() : match.end() + 1])  # a quoted pair
        pos = match.end() + 1


def _comment(value: str, pos: int) -> tuple[str, int]:
    """A comment's text from after its opening parenthesis (nested ones without theirs)."""
    parts: list[str] = []
    depth = 1
    while True:
        match = _IN_COMMENT.search(value, pos)
        if match is None:
            parts.append(value[pos:])
            return "".join(parts), len(value)
        parts.append(value[pos : match.start()])
        mark = match.group()
        pos = match.end()
        if mark == "\\":
            parts.append(value[pos : pos + 1])
            pos += 1
            continue
        depth += 1 if mark == "(" else -1
        if not depth:
            return "".join(parts), pos


def _is_address(text: str) -> bool:
    """Whether ``text`` (one word) is one address, as the standard library reads it."""
    from email.utils import getaddresses

    return len(text) <= _ADDRESS_LIMIT and getaddresses([text]) == [("", text)]


def _address(inside: str) -> str:
    """The address between ``<`` and ``>`` as :func:`email.utils.parseaddr` gives it."""
    if len(inside) > _ADDRESS_LIMIT or "(" in inside:
        return " ".join(inside.split())  # parseaddr recurses into nested comments
    from email.utils import parseaddr

    return parseaddr(f"<{inside}>")[1].strip() or " ".join(inside.split())


def _tidy(name: str) -> str:
    """White space collapsed, the quotes some mailers leave around a name taken off."""
    return " ".join(name.split()).strip("\"' ")
