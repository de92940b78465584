"""RFC 2047 encoded words (``=?utf-8?q?Caf=C3=A9?=``) in header text, decoded in one pass.

Subjects and display names carry non-ASCII text as encoded words. The standard
library's reader of them, ``policy.default.header_factory``, copies the rest of
the value at every token, so a Subject of 20,000 words took 4 s and 2.8 GB. This
module reads a value the same way (its output is ``policy.default``'s on every
value that reader accepts; a differential test holds it to that) with offsets
instead of copies: time and memory are linear in the value.

The rules it keeps, those of ``email._header_value_parser.get_unstructured``:

* white space between two encoded words is dropped, any other is kept as it is;
* an encoded word is ``=?charset[*lang]?q|b?text?=``; a ``?=`` followed by two hex
  digits ends no word when the word has no ``?`` yet (``=?utf-8?q?=41?=`` is ``A``);
* a word that does not decode (two many ``?``, an unknown encoding, non-ASCII text)
  is text, up to the next space or tab; a word glued to text (``x=?utf-8?q?y?=``)
  is decoded;
* bytes the charset cannot decode, and an unknown charset's bytes, become U+FFFD
  (as ``email.utils._sanitize`` makes them).

``email`` is not imported: only :mod:`base64`, :mod:`binascii` and :mod:`re`.
"""

from __future__ import annotations

import base64
import binascii
import re

__all__ = ["decode_words"]

_FWS = re.compile(r"\s+")  # str.lstrip's white space, as email's get_fws takes it
_WSP = re.compile(r"[ \t]")  # a token ends there, as email's _wsp_splitter cuts
_END = re.compile(r"\?=")
#: The start of something email takes for an encoded word inside a token.
_WORD_START = re.compile(r"=\?[^?]*\?[qQbB]\?")
_Q_ESCAPE = re.compile(rb"=([a-fA-F0-9]{2})")
_HEX = frozenset("0123456789abcdefABCDEF")

_FOLDING, _WORD, _TEXT = 0, 1, 2


class _Next:
    """The first match of a pattern at or after a position, remembered between calls.

    Each user asks with positions that never go back, so a match found from an
    earlier position is still the first from a later one it does not lie before, and
    none found means none: the text is scanned once, not once per word or token.
    """

    __slots__ = ("found", "pattern", "text")

    def __init__(self, text: str, pattern: re.Pattern[str]) -> None:
        self.text = text
        self.pattern = pattern
        self.found = -2  # nothing looked for yet

    def after(self, start: int) -> int:
        """Where the next match starts (-1: there is none)."""
        if self.found == -1 or self.found >= start:
            return self.found
        match = self.pattern.search(self.text, start)
        self.found = -1 if match is None else match.start()
        return self.found


class _Scan:
    """The lookups of one value's reading, each with its own :class:`_Next`."""

    __slots__ = ("ends", "hex_ends", "inner_ends", "spaces")

    def __init__(self, text: str) -> None:
        self.ends = _Next(text, _END)  # a word's "?="
        self.hex_ends = _Next(text, _END)  # the one after a "?=" that hex digits follow
        self.inner_ends = _Next(text, _END)  # one after a word's start inside a token
        self.spaces = _Next(text, _WSP)  # a token's end


def decode_words(text: str) -> str:
    """``text`` with its encoded words decoded, as ``policy.default`` reads an unstructured value.

    ``text`` must be unfolded (no line breaks left).
    """
    if "=?" not in text:
        return text
    parts: list[str] = []
    kinds: list[int] = []
    scan = _Scan(text)
    pos = 0
    while pos < len(text):
        if text[pos] in " \t":
            match = _FWS.match(text, pos)
            assert match is not None  # noqa: S101 - text[pos] is white space
            parts.append(match.group())
            kinds.append(_FOLDING)
            pos = match.end()
            continue
        valid = True
        if text.startswith("=?", pos):
            word = _encoded_word(text, pos, scan)
            if isinstance(word, tuple):
                if len(kinds) > 1 and kinds[-1] == _FOLDING and kinds[-2] == _WORD:
                    parts[-1] = ""  # white space between two encoded words
                parts.append(word[0])
                kinds.append(_WORD)
                pos = word[1]
                continue
            valid = word is None  # None: no "?=" at all, which is no bad word either
        pos = _plain_text(text, pos, valid, scan, parts)
        kinds.append(_TEXT)
    return _sanitise("".join(parts))


def _plain_text(text: str, pos: int, valid: bool, scan: _Scan, parts: list[str]) -> int:
    """Append the text token at ``pos``; stop before an encoded word glued to it."""
    end = scan.spaces.after(pos)
    end = len(text) if end < 0 else end
    if valid:
        start = _WORD_START.search(text, pos, end)
        if start is not None and -1 < scan.inner_ends.after(start.end()) < end - 1:
            end = max(text.find("=?", pos + 1, end), pos + 1)  # the text before the word
    parts.append(text[pos:end])
    return end


def _encoded_word(text: str, pos: int, scan: _Scan) -> tuple[str, int] | bool | None:
    """The encoded word at ``pos`` decoded and where it ends; False if it is none.

    None when no ``?=`` follows at all (email then reads on as for a valid word).
    """
    start = pos + 2
    close = scan.ends.after(start)
    if close < 0:
        return None
    end = close + 2
    if (
        end + 1 < len(text)
        and text[end] in _HEX
        and text[end + 1] in _HEX
        and _marks(text, start, close, 2) < 2
    ):
        # "?=" then hex digits, and no "?" before: the "?=" was "?" + an "=XX" escape.
        close = scan.hex_ends.after(end)
        if close < 0:
            close = end = len(text)
        else:
            end = close + 2
    if _marks(text, start, close, 3) != 2:
        return False
    first = text.index("?", start, close)
    second = text.index("?", first + 1, close)
    decoded = _decode(text[start:first], text[first + 1 : second], text[second + 1 : close])
    return False if decoded is None else (decoded, end)


def _marks(text: str, start: int, stop: int, limit: int) -> int:
    """How many ``?`` are in ``text[start:stop]``, counting no further than ``limit``."""
    count = 0
    while count < limit:
        start = text.find("?", start, stop) + 1
        if not start:
            break
        count += 1
    return count


def _decode(charset: str, encoding: str, encoded: str) -> str | None:
    """One word's text (None if email would not take it for a word)."""
    charset = charset.partition("*")[0]  # RFC 2231 language: "=?utf-8*en?q?…?="
    try:
        data = encoded.encode("ascii")
    except UnicodeEncodeError:
        return None
    encoding = encoding.lower()
    if encoding == "q":
        data = _Q_ESCAPE.sub(lambda m: bytes.fromhex(m.group(1).decode()), data.replace(b"_", b" "))
    elif encoding == "b":
        data = _decode_b(data)
    else:
        return None
    try:
        try:
            return data.decode(charset)
        except UnicodeDecodeError:
            return data.decode(charset, "surrogateescape")
        except (LookupError, UnicodeEncodeError):
            return data.decode("ascii", "surrogateescape")
    except (ValueError, LookupError, TypeError):  # a codec that fails in its own way
        return None


def _decode_b(data: bytes) -> bytes:
    """Base64 as email reads it: padding mended, stray characters skipped, else as it is."""
    missing = -len(data) % 4
    try:
        return base64.b64decode(data + b"=" * missing if missing else data, validate=True)
    except binascii.Error:
        pass
    for padding in (b"", b"=="):
        try:
            return base64.b64decode(data + padding)
        except binascii.Error:
            continue
    return data


def _sanitise(text: str) -> str:
    """Undecodable bytes (kept as surrogate escapes) as U+FFFD, UTF-8 sequences among them read."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        try:
            return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        except UnicodeEncodeError:  # a surrogate no escape made
            return text.encode("utf-8", "replace").decode("utf-8")
    return text
