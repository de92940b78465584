"""Bytes to text: empty, binary, BOMs, legacy code pages, mixed files, line ends."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from threadtui.cli import main
from threadtui.model import Attachment, Paragraph
from threadtui.parsing import ParseError, parse_bytes, parse_path
from threadtui.parsing.common.decode import decode

NBSP = "\u00a0"
DUMP = (
    " date 2023-05-06 What's new\n\nCafé crème — “the best” in town?\n\nZoë\n\nZoë\n\n"
    "Café crème — “the best” in town?\n\nWe tried the café on rue Lepic: très bien.\n"
    f"{NBSP}\nMaybe… but the croissants were better last year.\n{NBSP}\n"
)


def _write(tmp_path: Path, data: bytes, name: str = "thread.txt") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("data", [b"", b"   \n\r\n\t\n"], ids=["empty", "whitespace"])
def test_empty_file(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(ParseError, match="^empty file$"):
        parse_path(_write(tmp_path, data))


def test_bom_only_is_empty() -> None:
    with pytest.raises(ParseError, match="empty file"):
        parse_bytes(codecs.BOM_UTF8 + b"\n")


def test_binary_file(tmp_path: Path) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 64 + bytes(range(256))
    with pytest.raises(ParseError, match="binary"):
        parse_path(_write(tmp_path, png, "photo.txt"))


def _check_dump(data: bytes, encoding: str, tmp_path: Path) -> None:
    thread = parse_path(_write(tmp_path, data))
    assert thread.encoding == encoding
    assert thread.title == "Café crème — “the best” in town?"
    assert thread.article.author == "Zoë"
    assert thread.article.blocks == (Paragraph("We tried the café on rue Lepic: très bien."),)
    assert thread.replies[0].blocks == (
        Paragraph("Maybe… but the croissants were better last year."),
    )


@pytest.mark.parametrize(
    ("bom", "codec", "name"),
    [
        (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
        (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16-be"),
    ],
)
def test_byte_order_marks(tmp_path: Path, bom: bytes, codec: str, name: str) -> None:
    _check_dump(bom + DUMP.encode(codec), name, tmp_path)


def test_plain_utf8(tmp_path: Path) -> None:
    _check_dump(DUMP.encode("utf-8"), "utf-8", tmp_path)


def test_utf16_bom_with_odd_length_is_an_error() -> None:
    with pytest.raises(ParseError, match="byte-order mark"):
        parse_bytes(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le") + b"\x00")


def test_cp1252(tmp_path: Path) -> None:
    data = DUMP.encode("cp1252")
    assert b"\x93" in data and b"\x94" in data and b"\xe9" in data
    _check_dump(data, "cp1252", tmp_path)


def test_cp1252_short_post() -> None:
    decoded = decode(b"Caf\xe9 \x93x\x94 \x96 ok\n")
    assert decoded == type(decoded)("Café “x” – ok\n", "cp1252")


def test_latin1_with_bytes_cp1252_lacks() -> None:
    text = "Title here\n\nbob\n\nbob\n\nA stray \x81 byte and été.\n"
    data = text.encode("latin-1")
    assert b"\x81" in data
    thread = parse_bytes(data)
    assert thread.encoding == "latin-1"
    assert thread.article.blocks == (Paragraph("A stray \x81 byte and été."),)


def test_cyrillic_cp1251_is_not_read_as_cp1252() -> None:
    text = "Привет, как дела? Это тест форума, обычный текст.\n"
    decoded = decode(text.encode("cp1251"))
    assert decoded.text == text
    assert decoded.encoding == "cp1251"


def test_mixed_utf8_and_cp1252(tmp_path: Path) -> None:
    data = (
        "Tea — café\n\nZoë\n\nZoë\n\nUTF-8 line: crème brûlée.\n".encode()
        + b"Pasted from Word: \x93quoted\x94 caf\xe9\n"
        + "Back to UTF-8: naïve.\n".encode()
    )
    path = _write(tmp_path, data)
    thread = parse_path(path)
    assert thread.encoding == "mixed (utf-8, cp1252)"
    assert thread.article.blocks == (
        Paragraph(
            "UTF-8 line: crème brûlée.\nPasted from Word: “quoted” café\nBack to UTF-8: naïve."
        ),
    )


def test_encoding_is_reported_in_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, DUMP.encode("cp1252"))
    assert main(["parse", str(path)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["encoding"] == "cp1252"
    assert data["title"] == "Café crème — “the best” in town?"


SEED_LIKE = (
    " date 2023-05-06 What's new\n\nA title for the thread\n\nalice\n\nalice\n\n"
    "First paragraph.\n\nSecond paragraph\nwith a kept break.\n"
    f"{NBSP}\nA reply.\n{NBSP}\nAnother reply.\n\n\nphoto.png\n{NBSP}\n"
)


@pytest.mark.parametrize("newline", ["\r\n", "\r"], ids=["crlf", "cr"])
def test_line_ends_parse_like_lf(newline: str) -> None:
    lf = parse_bytes(SEED_LIKE.encode(), source="x.txt")
    other = parse_bytes(SEED_LIKE.replace("\n", newline).encode(), source="x.txt")
    assert other == lf
    assert lf.replies[-1].blocks == (Paragraph("Another reply."), Attachment("photo.png"))
    assert lf.article.blocks[-1] == Paragraph("Second paragraph\nwith a kept break.")
    assert "\r" not in json.dumps(
        [b.text for b in other.article.blocks if isinstance(b, Paragraph)]
    )


def test_mixed_line_ends() -> None:
    mixed = SEED_LIKE.replace("\n", "\r\n", 3).replace("\n\n", "\r\r", 1)
    assert parse_bytes(mixed.encode(), source="x.txt") == parse_bytes(
        SEED_LIKE.encode(), source="x.txt"
    )


TURKISH = (
    "Merhaba arkadaşlar, bu konuyu açtığım için özür dilerim. Işık ve güzel şeyler.\n"
    "İstanbul'da yağmur yağıyor, çok üzgünüm. Şimdi ne yapmalıyız?\n"
)


@pytest.mark.parametrize("text", [TURKISH, "Teşekkürler, çok iyi oldu.\n", "Iğdır'a gidiyoruz.\n"])
def test_turkish_cp1254_is_not_read_as_cp1252(text: str) -> None:
    """The two code pages differ only in six letters; cp1252 turned "ş" into "þ"."""
    decoded = decode(text.encode("cp1254"))
    assert (decoded.text, decoded.encoding) == (text, "cp1254")


@pytest.mark.parametrize(
    "text",
    [
        "Þetta er íslenskur texti með ð og þ. Ég fór í búðina í gær og keypti brauð.\n",
        "Grüße aus München! Die Brötchen waren köstlich, danke für die Tipps.\n",
        "Le café était très bon, merci à tous. Ça m'a plu.\n",
        "Ýmir and Þór: a note on Old Norse names (not Turkish at all).\n",
    ],
)
def test_western_text_with_icelandic_letters_stays_cp1252(text: str) -> None:
    decoded = decode(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


def test_bytes_cp1254_lacks_keep_the_cp1252_reading() -> None:
    """Ž and ž (0x8E, 0x9E) exist in cp1252 only: Turkish-looking letters do not win then."""
    text = "Teþekkür to Žižek.\n"
    decoded = decode(text.encode("cp1252"))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


# --------------------------------------------------------------------------- undefined bytes

#: cp1252 text with bytes cp1252 leaves undefined standing alone: read as cp1252, the
#: bytes kept as the C1 controls of their number (shown as placeholders). Before,
#: each was read by another code page, every curly quote with it.
STRAY = [
    ("It’s a “test” post — really. \x81\x8d\x8f\x90\x9d", "cp1251"),
    ("Café “quoted” naïve — it’s fine. \x81 end", "cp1256"),
    ("The council’s “bike lanes” plan – again… \x81", "cp1251"),
    ("Zoë said: “don’t” \x9d\x90 ok", "cp775"),
]


def _cp1252_with_holes(text: str) -> bytes:
    return b"".join(
        bytes([ord(c)]) if c in "\x81\x8d\x8f\x90\x9d" else c.encode("cp1252") for c in text
    )


@pytest.mark.parametrize(
    ("text", "read_as_before"), STRAY, ids=["five-holes", "french", "english", "two-holes"]
)
def test_stray_bytes_cp1252_lacks_keep_the_cp1252_reading(text: str, read_as_before: str) -> None:
    text = f"Title\n\nbob\n\nbob\n\n{text}\n"
    decoded = decode(_cp1252_with_holes(text))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")  # was read_as_before


def test_the_mac_iceland_reading_of_a_cp1252_post() -> None:
    # "It’s a “test”" came out as "Itís a ìtestî", and the lone 0x81 as "Å".
    text = "Title\n\nbob\n\nbob\n\nIt’s a “test” — really. \x81 end\n"
    decoded = decode(_cp1252_with_holes(text))
    assert (decoded.text, decoded.encoding) == (text, "cp1252")


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        # ť, Ť: 0x9D and 0x8D in cp1250, beside letters
        ("Žluťoučký kůň úpěl ďábelské ódy. Zítra přijedu.", "cp1250"),
        ("Ťukání na dveře; ať už je to kdokoli, ťuk ťuk.", "cp1250"),
        ("Ѓорѓи рече: добар ден. Ова е обичен текст на форумот.", "cp1251"),  # Ѓ: 0x81
        ("Grüße aus München! Für die Übersicht: über 100 Einträge, schön.", "cp850"),  # ü: 0x81
        ("Ça va très bien, merci. Où êtes-vous? C'est la fête.", "mac_roman"),  # è: 0x8F
    ],
)
def test_bytes_cp1252_lacks_beside_letters_still_name_their_code_page(
    text: str, encoding: str
) -> None:
    assert decode(text.encode(encoding)).text == text


def test_a_legacy_line_of_a_mixed_file_keeps_cp1252_beside_undefined_bytes() -> None:
    data = (
        "Tea — café\n\nZoë\n\nZoë\n\nUTF-8 line: crème brûlée.\n".encode()
        + b"Pasted from Word: \x93quoted\x94 \x81 caf\xe9\n"
    )
    decoded = decode(data)
    assert decoded.encoding == "mixed (utf-8, cp1252)"
    assert decoded.text.endswith("Pasted from Word: “quoted” \x81 café\n")  # not U+0093
