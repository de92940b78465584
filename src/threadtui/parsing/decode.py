"""Turning a file's bytes into text honestly, and saying which encoding it was.

The order matters: a byte-order mark is proof, strict UTF-8 is near-proof,
NUL bytes without a UTF-16 mark mean a binary file, and only then do we guess.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

from threadtui.parsing.errors import ParseError

#: Bytes cp1252 leaves undefined; a file holding them is latin-1 (or not text).
_CP1252_HOLES = frozenset(b"\x81\x8d\x8f\x90\x9d")
#: Encodings charset-normalizer may name that we trust enough to report.
_SNIFF_SAMPLE = 64 * 1024


@dataclass(frozen=True, slots=True)
class Decoded:
    """Text plus the name of the encoding that produced it."""

    text: str
    encoding: str


def decode(data: bytes) -> Decoded:
    """Decode a dump file's bytes.

    Raises:
        ParseError: for an empty or binary file.
    """
    if not data.strip(b" \t\r\n"):
        raise ParseError("empty file")
    for bom, name in (
        (codecs.BOM_UTF8, "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(name.removesuffix("-sig"))
            except UnicodeDecodeError as exc:
                raise ParseError(
                    f"starts with a {name} byte-order mark but is not {name}: {exc.reason}"
                ) from None
            if not text.strip():
                raise ParseError("empty file")
            return Decoded(text, name)
    if b"\x00" in data[:_SNIFF_SAMPLE] and _looks_binary(data[:_SNIFF_SAMPLE]):
        raise ParseError("binary file, not a text thread")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    mixed = _decode_mixed(data)
    if mixed is not None:
        return mixed
    return _decode_legacy(data)


def _looks_binary(sample: bytes) -> bool:
    """NULs plus a good share of other control bytes: an image, an archive, a database."""
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return controls / max(len(sample), 1) > 0.01 or sample.count(0) > 16


def _decode_mixed(data: bytes) -> Decoded | None:
    """A UTF-8 file with a few legacy lines pasted in: decode line by line.

    Only taken when most non-ASCII lines really are UTF-8, so a plain cp1252
    file is not mislabelled.
    """
    lines = data.split(b"\n")
    utf8_lines = legacy_lines = 0
    parts: list[str] = []
    for line in lines:
        try:
            parts.append(line.decode("utf-8"))
            if not line.isascii():
                utf8_lines += 1
        except UnicodeDecodeError:
            legacy_lines += 1
            parts.append(_legacy_line(line))
    if utf8_lines == 0 or legacy_lines > utf8_lines * 4:
        return None
    return Decoded("\n".join(parts), "mixed (utf-8, cp1252)")


def _legacy_line(line: bytes) -> str:
    if _CP1252_HOLES.isdisjoint(line):
        return line.decode("cp1252")
    return line.decode("latin-1")


def _decode_legacy(data: bytes) -> Decoded:
    """Not UTF-8: ask charset-normalizer, then fall back to the Western code pages."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 4 * _SNIFF_SAMPLE]).best()
    if best is not None and best.encoding not in {"ascii", "utf_8"}:
        name = codecs.lookup(best.encoding).name
        try:
            return Decoded(data.decode(name), name)
        except (UnicodeDecodeError, LookupError):
            pass
    if _CP1252_HOLES.isdisjoint(data):
        return Decoded(data.decode("cp1252"), "cp1252")
    return Decoded(data.decode("latin-1"), "latin-1")
