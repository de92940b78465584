"""The text a message is read for, out of its MIME structure, and what it attaches.

A message is a tree of parts. The reader wants its words: the ``text/plain``
parts (one of each ``multipart/alternative``, HTML turned to text only when a
message has no plain text), with the transfer encoding undone and the charset
decoded. Every other part (files, images, forwarded messages) is only named, as
an attachment; the signature part of a signed message is no attachment at all.

``email`` and the codec modules are imported by the functions that use them,
with the first archive read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from threadtui.parsing.mail.encoded_words import decode_words
from threadtui.parsing.mail.headers import header_text, unfold

if TYPE_CHECKING:
    from email.message import Message

#: Parts that are the signature of a signed message, not something its author attached.
_CRYPTO_SIGNATURES = frozenset(
    (
        "application/pgp-signature",
        "application/pkcs7-signature",
        "application/x-pkcs7-signature",
    )
)
#: ``encoding`` names under which the text is Unicode already, whatever a part declares.
_UNICODE_ENCODINGS = ("utf-8", "utf-16")


def text_and_attachments(msg: Message, encoding: str) -> tuple[str, list[str]]:
    """The text to read (``text/plain`` parts, else HTML as text) and the attachments' names."""
    plain: list[str] = []
    html: list[str] = []
    attachments: list[str] = []
    stack: list[Message] = [msg]
    while stack:
        part = stack.pop()
        ctype = part.get_content_type()
        if ctype.startswith("message/") and part.is_multipart():
            attachments.append(_filename(part) or _forwarded_name(part))
            continue
        if part.is_multipart():
            payload = part.get_payload()
            subparts = (
                [sub for sub in payload if not isinstance(sub, str)]
                if isinstance(payload, list)
                else []
            )
            if ctype == "multipart/alternative" and subparts:
                subparts = [_best_alternative(subparts)]
            stack.extend(reversed(subparts))
            continue
        if ctype in _CRYPTO_SIGNATURES:
            continue
        disposition = part.get_content_disposition()
        filename = _filename(part)
        if disposition != "attachment" and ctype == "text/plain":
            plain.append(_part_text(part, encoding))
        elif disposition != "attachment" and ctype == "text/html" and not filename:
            html.append(_part_text(part, encoding))
        elif filename or disposition == "attachment" or not ctype.startswith("text/"):
            attachments.append(filename or ctype)
        else:
            plain.append(_part_text(part, encoding))
    if not plain and html:
        from threadtui.parsing.mail.html import html_to_text  # html.parser, only when needed

        plain = [html_to_text(h) for h in html]
    return "\n\n".join(p.strip("\n") for p in plain), attachments


def _best_alternative(parts: list[Message]) -> Message:
    """The part of a multipart/alternative to read: plain text if there is one, else HTML."""
    for wanted in ("text/plain", "text/html"):
        for part in parts:
            if part.get_content_type() == wanted and part.get_content_disposition() != "attachment":
                return part
    for part in parts:
        if part.is_multipart():
            return part
    return parts[-1]


def _filename(part: Message) -> str | None:
    """The part's file name (RFC 2231 parameters, and the RFC 2047 words some mailers use)."""
    try:
        name = part.get_filename()
    except Exception:  # noqa: BLE001 - a malformed RFC 2231 parameter
        return None
    if not name:
        return None
    name = " ".join(decode_words(unfold(str(name))).split())
    return name or None


def _forwarded_name(part: Message) -> str:
    """An attached message, named by its subject."""
    try:
        inner = part.get_payload(0)
        found = header_text(inner, "subject") if not isinstance(inner, str) else None
        subject = " ".join(decode_words(found or "").split())
    except Exception:  # noqa: BLE001
        subject = ""
    return f"{subject}.eml" if subject else "forwarded-message.eml"


def _part_text(part: Message, encoding: str) -> str:
    """A text part's content: transfer encoding undone, its charset decoded.

    ``parse`` is given text, so an 8bit part's characters were decoded with the
    file; they are taken as they are, unless the file was read with a single-byte
    code page and the part names another charset (then the bytes are re-read).
    """
    import codecs

    charset = part.get_content_charset() or "us-ascii"
    try:
        charset = codecs.lookup(charset).name
    except LookupError:
        charset = "utf-8"
    cte = str(part.get("content-transfer-encoding", "") or "").strip().lower()
    payload = part.get_payload()
    if not isinstance(payload, str):
        return ""
    if cte in ("quoted-printable", "base64", "x-uuencode", "uuencode", "x-uue", "uue"):
        if payload.isascii():
            decoded = part.get_payload(decode=True)
            data = decoded if isinstance(decoded, bytes) else b""
        else:
            data = _transfer_decode(payload, cte, charset)
        return _decode_bytes(data, charset)
    if payload.isascii() or encoding.startswith(_UNICODE_ENCODINGS) or encoding.startswith("mixed"):
        return payload
    if charset in ("ascii", "us-ascii"):
        return payload
    try:
        return payload.encode(encoding).decode(charset)
    except (UnicodeError, LookupError):
        return payload


def _transfer_decode(payload: str, cte: str, charset: str) -> bytes:
    """Undo quoted-printable or base64 on a payload holding raw non-ASCII characters."""
    import base64
    import quopri

    raw = payload.encode(charset if charset not in ("ascii", "us-ascii") else "utf-8", "replace")
    if cte == "quoted-printable":
        return quopri.decodestring(raw)
    if cte == "base64":
        try:
            return base64.b64decode(raw, validate=False)
        except ValueError:
            return raw
    return raw


def _decode_bytes(data: bytes, charset: str) -> str:
    """Decoded part bytes; a part that claims ASCII is tried as UTF-8, then cp1252."""
    if charset in ("ascii", "us-ascii"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", "replace")
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")
