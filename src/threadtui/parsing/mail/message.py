"""One message of an archive read into a :class:`Mail`: ids, author, date, subject, blocks.

Each message is read on its own, so one that cannot be read never costs the
others. The ``email`` package parses it (with ``compat32``, which hands header
values over untouched, bounded by :func:`~threadtui.parsing.mail.headers.reading_policy`,
and only the header fields the reader uses); when ``email`` fails, the message is
read again line by line, without MIME decoding. Either way the fields are read raw
and decoded by the same functions (the Subject's encoded words by
:mod:`~threadtui.parsing.mail.encoded_words`, the author by
:mod:`~threadtui.parsing.mail.address`). Each header field is filled on its own
too, so a bad Date still leaves the author.

The body's text and attachments come from :mod:`~threadtui.parsing.mail.mime`,
its blocks from :mod:`~threadtui.parsing.mail.body`; the ``parent``,
``children`` and ``sort_key`` slots are the threader's
(:mod:`~threadtui.parsing.mail.thread`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime

from threadtui.model import Attachment, Block, Paragraph
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.mail.address import author_name
from threadtui.parsing.mail.body import body_blocks
from threadtui.parsing.mail.encoded_words import decode_words
from threadtui.parsing.mail.headers import (
    header_text,
    message_ids,
    normalise_subject,
    reading_policy,
    unfold,
)
from threadtui.parsing.mail.mime import text_and_attachments
from threadtui.parsing.mail.split import HEADER_LINE


class Mail:
    """What one message gives the thread: its ids, header fields and body blocks."""

    __slots__ = (
        "index",
        "msgid",
        "in_reply_to",
        "references",
        "subject",
        "topic",
        "is_reply",
        "author",
        "when",
        "date",
        "blocks",
        "parent",
        "children",
        "sort_key",
    )

    def __init__(self, index: int) -> None:
        self.index = index
        self.msgid: str | None = None
        self.in_reply_to: list[str] = []
        self.references: list[str] = []
        self.subject: str | None = None
        self.topic = ""  # the normalised subject
        self.is_reply = False
        self.author: str | None = None
        self.when: datetime | None = None
        self.date: str | None = None
        self.blocks: list[Block] = []
        self.parent: Mail | None = None
        self.children: list[Mail] = []
        self.sort_key: tuple[datetime, int] = (datetime.min, index)


def read_mail(chunk: str, index: int, encoding: str, chrome: SiteChrome) -> Mail:
    """One message; falls back to a line-by-line reading when ``email`` fails on it."""
    try:
        return _read_with_email(chunk, index, encoding, chrome)
    except Exception:  # noqa: BLE001 - a broken message must not lose the others
        return _read_raw(chunk, index, chrome)


def _read_with_email(chunk: str, index: int, encoding: str, chrome: SiteChrome) -> Mail:
    """The message as ``email`` parses it: header fields, MIME parts, body blocks."""
    import email

    # The structure is read with compat32, which hands header values over as they
    # are: policy.default builds a parsed header object on every access (the
    # parser alone asks for Content-Type four times a part), which took three
    # quarters of the time, and its header classes are quadratic in a field's words.
    msg = email.message_from_string(_needed_headers(chunk), policy=reading_policy())
    mail = Mail(index)
    _fill_headers(mail, lambda name: header_text(msg, name))
    text, attachments = text_and_attachments(msg, encoding)
    mail.blocks = body_blocks(text, chrome)
    mail.blocks.extend(Attachment(name) for name in attachments)
    return mail


#: The top-level headers a message is read for; the others (Received, DKIM-Signature,
#: X-…: two thirds of a list archive's headers) are left out before ``email`` parses it.
_NEEDED_HEADER = re.compile(
    r"(?:from|date|subject|message-id|in-reply-to|references|mime-version|content-[!-9;-~]*):",
    re.IGNORECASE,
)


def _needed_headers(chunk: str) -> str:
    """``chunk`` without the top-level header fields the reader never reads.

    Lines that are no header field at all are kept, so ``email`` sees a broken
    header block as it is.
    """
    split = chunk.find("\n\n")
    if split < 0:
        return chunk
    out: list[str] = []
    keep = True
    lines = chunk[:split].split("\n")
    for n, line in enumerate(lines):
        if line[:1] in (" ", "\t"):
            if keep:
                out.append(line)
            continue
        if HEADER_LINE.match(line) is None:
            out.extend(lines[n:])  # a broken header block: the rest as it is
            break
        keep = _NEEDED_HEADER.match(line) is not None
        if keep:
            out.append(line)
    out.append(chunk[split + 1 :])
    return "\n".join(out)


def _read_raw(chunk: str, index: int, chrome: SiteChrome) -> Mail:
    """The headers and body of a message ``email`` could not read, without MIME decoding."""
    head, _sep, body = chunk.partition("\n\n")
    fields: dict[str, list[str]] = {}
    lines: list[str] | None = None  # the field being read (None: a field met before)
    for line in head.split("\n"):
        if line[:1] in (" ", "\t"):
            if lines is not None:
                lines.append(line)
            continue
        match = HEADER_LINE.match(line)
        name = None if match is None else match.group()[:-1].lower()
        if match is None or name is None or name in fields:
            lines = None  # not a field, or one met before: its lines are not read
            continue
        lines = fields[name] = [line[match.end() :].lstrip()]
    mail = Mail(index)
    _fill_headers(mail, lambda key: unfold("\n".join(fields[key])) if key in fields else None)
    try:
        mail.blocks = body_blocks(body, chrome)
    except Exception:  # noqa: BLE001 - last resort: the body as one paragraph
        text = body.strip()
        mail.blocks = [Paragraph(text)] if text else []
    return mail


#: A header field's value by its lower-case name (None when the message lacks it).
_Get = Callable[[str], str | None]


def _fill_headers(mail: Mail, get: _Get) -> None:
    """Each header field from ``get(name)``; one that fails is left unset, the others filled."""
    for step in (_fill_ids, _fill_subject, _fill_author, _fill_date):
        try:
            step(mail, get)
        except Exception:  # noqa: BLE001, S112 - one bad header leaves the others
            continue


def _fill_ids(mail: Mail, get: _Get) -> None:
    own = message_ids(get("message-id"))
    mail.msgid = own[0] if own else None
    mail.in_reply_to = message_ids(get("in-reply-to"))[:1]
    mail.references = message_ids(get("references"))


def _fill_subject(mail: Mail, get: _Get) -> None:
    subject = get("subject")
    if subject is not None:
        subject = " ".join(decode_words(subject).split())
        mail.subject = subject or None
    mail.topic, mail.is_reply = normalise_subject(mail.subject or "")


def _fill_author(mail: Mail, get: _Get) -> None:
    mail.author = author_name(get("from"))


def _fill_date(mail: Mail, get: _Get) -> None:
    from email.utils import parsedate_to_datetime

    raw = get("date")
    if not raw:
        return
    try:
        when = parsedate_to_datetime(raw.strip())
    except (TypeError, ValueError, OverflowError, IndexError):
        return
    if when.tzinfo is not None:
        try:
            when = when.astimezone(UTC).replace(tzinfo=None)
        except (OverflowError, ValueError):
            when = when.replace(tzinfo=None)
    mail.when = when
    mail.date = when.isoformat(timespec="seconds")
