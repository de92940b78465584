"""Turning a file's bytes into text honestly, and saying which encoding it was.

The order matters: a byte-order mark is proof, strict UTF-8 is near-proof,
NUL bytes without a UTF-16 mark mean a binary file, and only then do we guess.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from threadtui.errors import EmptyFile, ParseError

#: Bytes cp1252 leaves undefined. They are read as the C1 controls of the same
#: number, as browsers read windows-1252 (the WHATWG Encoding Standard) and as
#: latin-1 does: kept, shown as placeholders. Standing alone they are no reason to
#: read the file by another code page (:func:`_western_loses`).
_HOLE_BYTES = b"\x81\x8d\x8f\x90\x9d"
_CP1252_HOLES = frozenset(_HOLE_BYTES)
#: An undefined byte beside a letter (ASCII, or a byte most code pages make a letter).
_LETTER = rb"[A-Za-z\xc0-\xff]"
_LETTER_HOLE = re.compile(_LETTER + rb"[\x81\x8d\x8f\x90\x9d]|[\x81\x8d\x8f\x90\x9d]" + _LETTER)
#: The bytes 0x80-0x9F where cp1252 has a character: latin-1's reading of them
#: (a C1 control) to cp1252's.
_CP1252_C1 = {
    byte: bytes([byte]).decode("cp1252") for byte in range(0x80, 0xA0) if byte not in _CP1252_HOLES
}
#: How much of the start is looked at for NUL bytes (four times as much for the legacy guess).
_SNIFF_SAMPLE = 64 * 1024
#: How much messier (charset-normalizer's mess ratio) the Western reading may
#: be than the detector's favourite and still win. Wrong readings of
#: Cyrillic, Polish or Japanese text score around 1 or more; a latin-1 file's
#: stray C1 control scores about 0.15.
_WESTERN_TOLERANCE = 0.25
#: The six bytes where Turkish cp1254 and Western cp1252 differ in letters: Ğ İ Ş ğ ı ş
#: in cp1254, Ð Ý Þ ð ý þ in cp1252 (letters that only Icelandic and Faroese use).
_CP1254_ONLY = tuple(bytes([b]) for b in b"\xd0\xdd\xde\xf0\xfd\xfe")
#: Ç Ö Ü ç ö ü: the same bytes and letters in both, and common in Turkish.
_TURKISH_SHARED = tuple(bytes([b]) for b in b"\xc7\xd6\xdc\xe7\xf6\xfc")
#: Á É Í Ó Ú Æ á é í ó ú æ: Icelandic has them beside ð and þ; Turkish does not.
_NOT_TURKISH = tuple(bytes([b]) for b in b"\xc1\xc9\xcd\xd3\xda\xc6\xe1\xe9\xed\xf3\xfa\xe6")


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
        raise EmptyFile()
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
                raise EmptyFile()
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
    # ESC does not count: text scraped from terminals is full of colour codes.
    controls = sum(1 for b in sample if b < 9 or 13 < b < 27 or 27 < b < 32)
    # A handful of stray controls in a short post is text, not binary.
    return controls > max(8, len(sample) // 100) or sample.count(0) > 16


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
    return _western(line)[0]


def _western(data: bytes) -> tuple[str, str]:
    """The Western reading of single-byte text and its name: cp1252, its undefined bytes kept.

    Named latin-1 when the file holds undefined bytes and none of cp1252's others in
    0x80-0x9F: the two read it alike, and latin-1 says what it is.
    """
    if _CP1252_HOLES.isdisjoint(data):
        return data.decode("cp1252"), "cp1252"
    text = data.decode("latin-1")
    shown = text.translate(_CP1252_C1)
    return shown, ("latin-1" if shown == text else "cp1252")


def _decode_legacy(data: bytes) -> Decoded:
    """Not UTF-8: the Western code page unless charset-normalizer finds a much better fit.

    charset-normalizer alone is a poor judge of short Western text: it reads a
    cp1252 post with curly quotes as cp775 (Baltic DOS) and turns "café" into
    "cafķ". Forum dumps that are not UTF-8 are overwhelmingly cp1252 (its
    undefined bytes kept as they are, see :func:`_western`), so that reading
    wins unless it is clearly messier than the detector's best guess: that is
    what Cyrillic, Greek, Central European or Shift-JIS text looks like when
    read as cp1252.
    """
    from charset_normalizer import from_bytes

    text, western = _western(data)
    sample = data[: 4 * _SNIFF_SAMPLE]
    best = from_bytes(sample).best()
    if best is not None and best.encoding not in {"ascii", "utf_8"}:
        try:
            name = codecs.lookup(best.encoding).name
            other = data.decode(name)
        except (UnicodeDecodeError, LookupError):
            return Decoded(text, western)
        if name != western and _western_loses(data, sample, best.chaos):
            return Decoded(other, name)
    if western == "cp1252" and _looks_turkish(sample):
        try:
            return Decoded(data.decode("cp1254"), "cp1254")
        except UnicodeDecodeError:
            pass  # Ž or ž (0x8E, 0x9E): cp1252 after all
    return Decoded(text, western)


def _western_loses(data: bytes, sample: bytes, chaos: float) -> bool:
    """Whether the detector's reading, of mess ``chaos``, is clearly less messy than cp1252's.

    The bytes cp1252 leaves undefined count as what they look like. Beside a letter
    they are letters of another code page (ü is 0x81 in DOS, è 0x8F on a Mac, ť 0x9D
    in cp1250), and the text is judged as latin-1 reads it, C1 controls and all.
    Standing alone they are stray bytes that say nothing of the rest of the text: it is
    judged without them, and they are kept as they are (cp1256 made a lone 0x81 in a
    French post an Arabic letter, mac-iceland an Å and the post's curly quotes ì and î).
    """
    from charset_normalizer.md import mess_ratio

    if _CP1252_HOLES.isdisjoint(data):
        text = sample.decode("cp1252")
    elif _LETTER_HOLE.search(data) is not None:
        text = sample.decode("latin-1")
    else:
        text = sample.translate(None, _HOLE_BYTES).decode("cp1252")
    return mess_ratio(text, maximum_threshold=1.0) > chaos + _WESTERN_TOLERANCE


def _looks_turkish(data: bytes) -> bool:
    """Whether single-byte text is Turkish (cp1254) rather than Western (cp1252).

    Both code pages read the file without error and charset-normalizer cannot tell
    them apart (it names cp1252 even when it says the language is Turkish), so this
    looks at letters: Turkish uses ş, ı, ğ (cp1252's þ, ý, ð), more than one or beside
    ç, ö, ü, and hardly ever the acute vowels and æ that Icelandic writes beside its ð
    and þ.
    """
    only = sum(data.count(b) for b in _CP1254_ONLY)
    if not only:
        return False
    shared = sum(data.count(b) for b in _TURKISH_SHARED)
    other = sum(data.count(b) for b in _NOT_TURKISH)
    return (shared > 0 or only > 1) and other * 10 <= only + shared
