"""Mailing-list archives in mbox form (mboxo and mboxrd) as one thread tree.

An archive holds many threads. They become one :class:`Thread`: the first
root message in file order is the article, and every other root is a
top-level reply carrying its Subject as the post's title.

The work is done in four steps, each linear in the size of the archive:

1. split the text on mbox ``From `` separator lines (a separator is only taken
   when a header line follows it), undoing the ``>From `` escaping of mboxo
   (``>From `` becomes ``From ``) or mboxrd (one ``>`` less before ``>*From ``);
2. read each message with the standard library (``email``, its
   ``policy.default`` header classes, ``email.utils``, ``email.header``): author,
   date (``YYYY-MM-DDTHH:MM:SS`` in UTC), subject, ids, and the text of its ``text/plain`` parts
   (HTML-only messages are stripped to text; other parts are listed as
   attachments). A message the library cannot read is read line by line instead,
   so a broken message never loses the rest;
3. thread the messages JWZ-style: the parent is the message named by
   In-Reply-To, else the last message of References present in the archive,
   else (for a "Re:" subject) the first message with the same normalised
   subject; messages whose parent is missing become roots. Siblings are in date
   order (stable on ties; a message without a date keeps its file position);
4. read each body into blocks: paragraphs, ``>`` quotes nested by depth with
   the author from the attribution line above ("On …, Jane Doe wrote:"),
   patches as whole paragraphs, and the signature as a final paragraph. The
   mailing list's footer ("fedora-devel-list mailing list … listinfo …") goes
   to ``site_chrome``.

Only :mod:`re` is imported up front: the registry imports this module for its
sniffer, and ``email`` is loaded with the first archive.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from threadtui.model import Attachment, Block, Paragraph, Post, Quote, Thread
from threadtui.parsing.errors import ParseError

if TYPE_CHECKING:
    from email.message import Message

FORMAT = "mbox"

# --------------------------------------------------------------------------- sniffing

#: How much of the text :func:`sniff` looks at.
_SNIFF_CHARS = 64 * 1024
#: A separator line: ``From <sender> <asctime>``. The date is only asked to hold a
#: clock time or a year, so the pipermail (``x at y.org  Thu …``) and Thunderbird
#: (``From - Thu …``) spellings pass as well.
_SEPARATOR = re.compile(r"From \S+ [^\n]*?(?:\d{1,2}:\d{2}|\b\d{4}\b)[^\n]*")
#: A header line (RFC 5322 field name, then a colon).
_HEADER_LINE = re.compile(r"[!-9;-~]+:")
#: Headers that say "this is a mail message" (any one of them is enough).
_KEY_HEADERS = frozenset(
    ("from", "date", "subject", "message-id", "in-reply-to", "references", "received")
)


def sniff(text: str) -> bool:
    """Whether ``text`` is an mbox: a ``From `` separator line, then RFC 822 headers.

    Blank lines and a byte-order mark may come first. The separator must be the
    first line and the lines under it a header block holding at least one of
    From:, Date:, Subject:, Message-ID:, so a dump that merely has a line
    starting "From " somewhere is not taken.
    """
    head = text[:_SNIFF_CHARS].lstrip("\ufeff")
    pos = 0
    length = len(head)
    # Skip blank lines.
    while pos < length:
        end = head.find("\n", pos)
        end = length if end < 0 else end
        if head[pos:end].strip():
            break
        pos = end + 1
    first_end = head.find("\n", pos)
    if first_end < 0 or not _SEPARATOR.fullmatch(head[pos:first_end].rstrip("\r")):
        return False
    headers = key = 0
    for line in head[first_end + 1 :].split("\n")[:400]:
        line = line.rstrip("\r")
        if not line:
            break
        if line[0] in " \t":
            if not headers:
                return False
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            return False
        headers += 1
        if match.group()[:-1].lower() in _KEY_HEADERS:
            key += 1
    return headers >= 2 and key >= 1


# --------------------------------------------------------------------------- splitting

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
        if not _SEPARATOR.fullmatch(line):
            continue
        body = match.end() + 1
        next_end = text.find("\n", body)
        following = text[body : len(text) if next_end < 0 else next_end]
        if not _HEADER_LINE.match(following):
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


# --------------------------------------------------------------------------- one message


class _Mail:
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
        self.parent: _Mail | None = None
        self.children: list[_Mail] = []
        self.sort_key: tuple[datetime, int] = (datetime.min, index)


class _Chrome:
    """Lines set aside (list footers), de-duplicated in first-seen order."""

    __slots__ = ("seen",)

    def __init__(self) -> None:
        self.seen: dict[str, None] = {}

    def add(self, line: str) -> None:
        line = line.strip()
        if line:
            self.seen.setdefault(line, None)


_ID = re.compile(r"<([^<>\s]+)>")


def _ids(value: str | None) -> list[str]:
    if not value:
        return []
    found = _ID.findall(value)
    if found:
        return found
    bare = value.strip()
    return [bare] if bare and not any(c.isspace() for c in bare) else []


def _read_mail(chunk: str, index: int, encoding: str, chrome: _Chrome) -> _Mail:
    """One message; falls back to a line-by-line reading when ``email`` fails on it."""
    try:
        return _read_with_email(chunk, index, encoding, chrome)
    except Exception:  # noqa: BLE001 - a broken message must not lose the others
        return _read_raw(chunk, index, chrome)


def _read_with_email(chunk: str, index: int, encoding: str, chrome: _Chrome) -> _Mail:
    import email
    from email import policy

    # The structure is read with compat32, which hands header values over as they
    # are: policy.default builds a parsed header object on every access (the
    # parser alone asks for Content-Type four times a part), which took three
    # quarters of the time. The fields shown (From, Subject) are decoded by
    # policy.default's own header classes in _header.
    msg = email.message_from_string(_needed_headers(chunk), policy=policy.compat32)
    mail = _Mail(index)
    _fill_headers(mail, lambda name: _header(msg, name))
    text, attachments = _body(msg, encoding)
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
        if _HEADER_LINE.match(line) is None:
            out.extend(lines[n:])  # a broken header block: the rest as it is
            break
        keep = _NEEDED_HEADER.match(line) is not None
        if keep:
            out.append(line)
    out.append(chunk[split + 1 :])
    return "\n".join(out)


def _read_raw(chunk: str, index: int, chrome: _Chrome) -> _Mail:
    """The headers and body of a message ``email`` could not read, without MIME decoding."""
    head, _sep, body = chunk.partition("\n\n")
    fields: dict[str, str] = {}
    name = None
    for line in head.split("\n"):
        if line[:1] in (" ", "\t") and name is not None:
            fields[name] += " " + line.strip()
            continue
        match = _HEADER_LINE.match(line)
        if match is None:
            name = None
            continue
        name = match.group()[:-1].lower()
        fields.setdefault(name, line[match.end() :].strip())
    mail = _Mail(index)
    _fill_headers(mail, lambda key: _decode_raw_header(fields.get(key)))
    try:
        mail.blocks = body_blocks(body, chrome)
    except Exception:  # noqa: BLE001 - last resort: the body as one paragraph
        text = body.strip()
        mail.blocks = [Paragraph(text)] if text else []
    return mail


def _fill_headers(mail: _Mail, get: Any) -> None:
    for step in (_fill_ids, _fill_subject, _fill_author, _fill_date):
        try:
            step(mail, get)
        except Exception:  # noqa: BLE001, S112 - one bad header leaves the others
            continue


def _fill_ids(mail: _Mail, get: Any) -> None:
    own = _ids(get("message-id"))
    mail.msgid = own[0] if own else None
    mail.in_reply_to = _ids(get("in-reply-to"))[:1]
    mail.references = _ids(get("references"))


def _fill_subject(mail: _Mail, get: Any) -> None:
    subject = get("subject")
    if subject is not None:
        subject = " ".join(subject.split())
        mail.subject = subject or None
    mail.topic, mail.is_reply = normalise_subject(mail.subject or "")


def _fill_author(mail: _Mail, get: Any) -> None:
    from email.utils import parseaddr

    raw = get("from")
    if not raw:
        return
    name, addr = parseaddr(raw)
    name = " ".join(name.split()).strip("\"' ")
    addr = addr.strip()
    mail.author = name or addr or " ".join(raw.split()) or None


def _fill_date(mail: _Mail, get: Any) -> None:
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


#: Fields whose value is shown, decoded by ``policy.default`` (RFC 2047 words, quoting).
_DECODED_FIELDS = frozenset(("from", "subject"))


def _header(msg: Message, name: str) -> str | None:
    """A header's value; From and Subject decoded as ``policy.default`` decodes them.

    ``email.header`` decodes a field that ``policy.default``'s parser chokes on.
    """
    raw = msg.get(name)
    if raw is None:
        return None
    raw = "".join(str(raw).splitlines())
    if name not in _DECODED_FIELDS:
        return raw
    if name == "from" and "<" not in raw and raw.rstrip().endswith(")"):
        # "jane@example.org (Jane Doe)": policy.default drops the comment, which
        # is the only name this old spelling gives.
        return _decode_raw_header(raw)
    from email import policy

    try:
        return str(policy.default.header_factory(name, raw))
    except Exception:  # noqa: BLE001 - some malformed fields break the header parser
        return _decode_raw_header(raw)


def _decode_raw_header(raw: str | None) -> str | None:
    """RFC 2047 words decoded with ``email.header``; the raw text if that fails."""
    if raw is None:
        return None
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(raw)))
    except Exception:  # noqa: BLE001
        return raw


_REPLY_PREFIX = re.compile(
    r"\s*(?:(?P<re>re|aw|sv|vs|antw|odp|réf)(?:\[\d+\]|\(\d+\))?"
    r"|(?P<fwd>fwd?|tr|wg))\s*:\s*",
    re.IGNORECASE,
)
#: A list tag: one bracketed word such as ``[fedora-devel]``. Tags that say what
#: a message is (``[PATCH 1/4]``, ``[RFC]``, ``[ANNOUNCE]``) stay in the title.
_LIST_TAG = re.compile(r"\s*\[(?P<tag>[^\]\s]{1,60})\]\s*")
_KEPT_TAGS = re.compile(
    r"(?:patch|rfc|ann|announce|resend|pull|git|solved|ot|wip|v\d+)\b.*", re.IGNORECASE
)


def clean_subject(subject: str) -> tuple[str, bool]:
    """The subject without leading "Re:"/"Fwd:" and list tags, and whether it had "Re:"."""
    text = " ".join(subject.split())
    is_reply = False
    while text:
        match = _REPLY_PREFIX.match(text)
        if match is not None:
            is_reply = is_reply or match.group("re") is not None
            text = text[match.end() :]
            continue
        match = _LIST_TAG.match(text)
        if match is not None and not _KEPT_TAGS.fullmatch(match.group("tag")):
            text = text[match.end() :]
            continue
        break
    return text.strip(), is_reply


def normalise_subject(subject: str) -> tuple[str, bool]:
    """The subject as threads compare it (cleaned, case-folded) and whether it was a reply."""
    text, is_reply = clean_subject(subject)
    return text.casefold(), is_reply


# --------------------------------------------------------------------------- MIME

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


def _body(msg: Message, encoding: str) -> tuple[str, list[str]]:
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
    name = str(name)
    if "=?" in name:
        name = _decode_raw_header(name) or name
    name = " ".join(name.split())
    return name or None


def _forwarded_name(part: Message) -> str:
    """An attached message, named by its subject."""
    try:
        inner = part.get_payload(0)
        subject = " ".join((_header(inner, "subject") or "").split())
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
            data = part.get_payload(decode=True) or b""
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
    if charset in ("ascii", "us-ascii"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", "replace")
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


# --------------------------------------------------------------------------- HTML


def html_to_text(html: str) -> str:
    """An HTML body as plain text: block elements break lines, blockquotes become ``>`` quotes."""
    from html.parser import HTMLParser

    breaks = {"br"}
    blocks = {
        "p", "div", "tr", "li", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
        "pre", "hr", "dl", "dt", "dd", "section", "article", "header", "footer", "address",
    }  # fmt: skip
    hidden = {"script", "style", "head", "title", "template"}

    class _Text(HTMLParser):
        def __init__(self) -> None:
            super().__init__(convert_charrefs=True)
            self.lines: list[list[Any]] = [[0, ""]]  # [quote depth, text]
            self.depth = 0
            self.hidden = 0
            self.pre = 0

        def newline(self, blank: bool = False) -> None:
            if self.lines[-1][1].strip():
                self.lines.append([self.depth, ""])
            else:
                self.lines[-1] = [self.depth, ""]
            if blank and len(self.lines) > 1 and self.lines[-2][1]:
                self.lines.append([self.depth, ""])

        def handle_starttag(self, tag: str, attrs: Any) -> None:
            if tag in hidden:
                self.hidden += 1
            elif tag == "blockquote":
                self.depth += 1
                self.newline(blank=True)
            elif tag in breaks:
                self.lines.append([self.depth, ""])
            elif tag in blocks:
                self.pre += tag == "pre"
                self.newline(blank=tag == "p")

        def handle_endtag(self, tag: str) -> None:
            if tag in hidden:
                self.hidden = max(0, self.hidden - 1)
            elif tag == "blockquote":
                self.depth = max(0, self.depth - 1)
                self.newline(blank=True)
            elif tag in blocks:
                self.pre = max(0, self.pre - (tag == "pre"))
                self.newline(blank=tag == "p")

        def handle_data(self, data: str) -> None:
            if self.hidden:
                return
            if self.pre:
                first, *rest = data.split("\n")
                self.lines[-1][1] += first
                for line in rest:
                    self.lines.append([self.depth, line])
                return
            text = " ".join(data.split())
            if not text:
                if data and self.lines[-1][1] and not self.lines[-1][1].endswith(" "):
                    self.lines[-1][1] += " "
                return
            if data[:1].isspace() and self.lines[-1][1] and not self.lines[-1][1].endswith(" "):
                text = " " + text
            if data[-1:].isspace():
                text += " "
            if not self.lines[-1][1]:
                self.lines[-1][0] = self.depth
                text = text.lstrip()
            self.lines[-1][1] += text

    parser = _Text()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - whatever was read so far is kept
        pass
    out: list[str] = []
    for depth, text in parser.lines:
        text = text.rstrip()
        line = "> " * depth + text if depth and text else text
        if not line and out and not out[-1]:
            continue
        out.append(line)
    return "\n".join(out).strip("\n")


# --------------------------------------------------------------------------- body

_QUOTE_LEAD = re.compile(r"(?:[ \t]*>)+ ?")
#: Attribution lines: what they start with, and the verb they end with.
_ON_OPENERS = re.compile(
    r"(?:On|Am|Le|El|Em|Il|Op|Den|Dne|Dnia|W dniu|Il giorno|Op|Pe|Στις)\s", re.IGNORECASE
)
_VERBS = (
    r"wrote|writes|said|says|skrev|schrieb|schreef|escribió|escreveu|kirjoitti"
    r"|napsal\(a\)|napsal|napisał\(a\)|napisał|ha scritto|a écrit|написал\(а\)|написал"
)
_ATTR_VERB = re.compile(rf"(?P<who>.*?)\s*(?:{_VERBS})(?:\s+on\s+[^:]{{1,60}})?\s*:", re.IGNORECASE)
_ATTR_SCHRIEB = re.compile(r"(?:Am|On)\s.{1,80}?,?\s+schrieb\s+(?P<who>.+?)\s*:", re.IGNORECASE)
#: Evolution: "ons 2010-01-06 klockan 17:38 +0100 skrev Jane Doe:" (date, verb, name) and
#: "Jane Doe píše v Čt 07. 01. 2010 v 09:28 -0800:" (name, verb, date).
_ATTR_DATE_VERB_NAME = re.compile(
    r"(?=.*\d).{4,80}?\s(?:skrev|schrieb|napsal|kirjoitti|écrit)\s+(?P<who>[^:]{1,80}?)\s*:"
)
_ATTR_NAME_VERB_DATE = re.compile(
    r"(?P<who>[^,:]{1,80}?)\s+(?:wrote|writes|píše|pisze|skrev|schrieb|kirjoitti|a écrit)"
    r"\s+(?:on|v|am|den|le|el|w|em|il|op|el día)\s+.*\d.*:"
)
_ATTR_MUTT = re.compile(r"\*\s+(?P<who>.+?)\s+\[[^\]]{1,60}\]\s*:")
_ATTR_QUOTING = re.compile(r"Quoting\s+(?P<who>.+?)(?:\s+\([^)]{0,60}\))?\s*:", re.IGNORECASE)
_SEPARATOR_LIKE = re.compile(r"--\s?|_{5,}|-{5,}|={5,}")
_FOOTER_WORDS = re.compile(
    r"mailing list|listinfo|/mailman/|unsubscribe|list-?archive"
    r"|you received this (?:message|email) because|subscribed to the",
    re.IGNORECASE,
)
_FOOTER_MAX_LINES = 12
_DIFFSTAT = re.compile(r" \S.*\|\s+(?:\d+ ?[-+]*|Bin\b.*)| \d+ files? changed.*")
_DIFF_START = re.compile(r"diff (?:--git|-[a-zA-Z]+) \S|Index: \S|--- \S")
_DIFF_LINE_PREFIXES = (
    " ", "+", "-", "@@", "diff ", "index ", "Index: ", "====", "\\ No newline", "new file mode",
    "deleted file mode", "similarity index", "dissimilarity index", "rename from", "rename to",
    "copy from", "copy to", "old mode", "new mode", "Binary files", "GIT binary patch",
    "literal ", "delta ", "RCS file:", "retrieving revision", "Only in ", "---", "+++",
)  # fmt: skip
_PGP_BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----"
_PGP_BEGIN_SIG = "-----BEGIN PGP SIGNATURE-----"
_PGP_END_SIG = "-----END PGP SIGNATURE-----"


def body_blocks(text: str, chrome: _Chrome | None = None) -> list[Block]:
    """A message body as blocks: paragraphs, ``>`` quotes, patches and the signature.

    The list footer, when there is one, goes to ``chrome``.
    """
    chrome = chrome if chrome is not None else _Chrome()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _without_pgp_armour(text.split("\n"))
    end = _strip_footer(lines, 0, len(lines), lambda line: line, chrome)
    sig = _signature_start(lines, end)
    blocks: list[Block] = []
    para: list[str] = []
    # The paragraph that ended last, while only blank lines came after it: an
    # attribution line at its end names the author of a quote that follows.
    last_para: list[str] | None = None

    def flush() -> None:
        nonlocal last_para
        if para:
            blocks.append(_paragraph(para))
            last_para = list(para)
            para.clear()

    def take_attribution() -> str | None:
        nonlocal last_para
        source = para if para else last_para
        if not source:
            return None
        found = attribution(source)
        if found is None:
            return None
        author, count = found
        if para:
            del para[len(para) - count :]
        else:
            kept = source[: len(source) - count]
            blocks.pop()
            if kept:
                blocks.append(_paragraph(kept))
            last_para = None
        return author

    i = 0
    stop = end if sig is None else sig
    while i < stop:
        line = lines[i].rstrip()
        if line.startswith(">"):
            j = i
            run: list[str] = []
            while j < stop:
                candidate = lines[j].rstrip()
                if candidate.startswith(">"):
                    run.append(candidate)
                    j += 1
                    continue
                if not candidate:
                    # Blank lines between two quoted passages keep them one quote.
                    k = j
                    while k < stop and not lines[k].strip():
                        k += 1
                    if k < stop and lines[k].startswith(">"):
                        run.extend([""] * (k - j))
                        j = k
                        continue
                break
            author = take_attribution()
            flush()
            quote = _quote(run, author, chrome)
            if quote is not None:
                blocks.append(quote)
            last_para = None
            i = j
            continue
        if not line:
            flush()
            i += 1
            continue
        patch_end = _patch_end(lines, i, stop)
        if patch_end is not None:
            flush()
            blocks.append(_patch(lines[i:patch_end]))
            last_para = None
            i = patch_end
            continue
        if not para:
            last_para = None  # a new paragraph: the last one is no longer just above
        para.append(line)
        i += 1
    flush()
    if sig is not None:
        blocks.extend(_signature_blocks(lines, sig, end, chrome))
    return blocks


def _paragraph(lines: list[str]) -> Paragraph:
    return Paragraph("\n".join(lines).strip("\n"))


def _patch(lines: list[str]) -> Paragraph:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    return Paragraph("\n".join(line.rstrip("\n") for line in lines))


def _without_pgp_armour(lines: list[str]) -> list[str]:
    """An inline-signed body without its armour (a signature is no part of the text)."""
    if not any(line.startswith("-----BEGIN PGP SIG") for line in lines):
        return lines
    out: list[str] = []
    i = 0
    signed = False
    while i < len(lines):
        line = lines[i].rstrip()
        if line == _PGP_BEGIN_SIGNED:
            signed = True
            i += 1
            while i < len(lines) and lines[i].strip():
                i += 1  # the armour headers ("Hash: SHA1")
            i += 1
            continue
        if line == _PGP_BEGIN_SIG:
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != _PGP_END_SIG:
                j += 1
            if j < len(lines):
                i = j + 1
                signed = False
                continue
        if signed and lines[i].startswith("- "):
            out.append(lines[i][2:])  # dash-escaped line
        else:
            out.append(lines[i])
        i += 1
    return out


def _strip_footer(lines: list[str], begin: int, end: int, text_of: Any, chrome: _Chrome) -> int:
    """Where the list footer at the end of ``lines[begin:end]`` starts (``end`` if none).

    A footer is a separator line (``--``, ``-- ``, ``_____``) followed by a few
    lines, to the end, that name a mailing list or its listinfo page. Its lines
    go to ``chrome``.
    """
    found = True
    while found:  # a footer may sit over another (a cross-posted announcement)
        found = False
        last = end
        while last > begin and not text_of(lines[last - 1]).strip():
            last -= 1
        lowest = max(begin, last - _FOOTER_MAX_LINES - 1)
        for s in range(last - 1, lowest - 1, -1):
            if _SEPARATOR_LIKE.fullmatch(text_of(lines[s])) is None:
                continue
            rest = [text_of(line).strip() for line in lines[s + 1 : last]]
            rest = [line for line in rest if line]
            if rest and _FOOTER_WORDS.search("\n".join(rest)):
                for line in rest:
                    chrome.add(line)
                end = s
                found = True
                break
    return end


def _signature_start(lines: list[str], end: int) -> int | None:
    """The index of the last top-level ``-- `` line (the signature separator), if any."""
    for i in range(end - 1, -1, -1):
        if lines[i] == "-- ":
            return i
    return None


def _signature_blocks(lines: list[str], sig: int, end: int, chrome: _Chrome) -> list[Block]:
    """The signature as one paragraph; a quote after it (top-posting) is read as body."""
    stop = sig + 1
    while stop < end and not lines[stop].startswith(">"):
        stop += 1
    tail: list[str] = []
    if stop < end:
        # Give the attribution above the quote back to the body.
        k = stop
        while k > sig + 1 and not lines[k - 1].strip():
            k -= 1
        start = k
        while start > sig + 1 and lines[start - 1].strip():
            start -= 1
        paragraph = [line.rstrip() for line in lines[start:k]]
        if paragraph and attribution(paragraph) is not None:
            tail = lines[start:end]
            stop = start
        else:
            tail = lines[stop:end]
    sig_lines = [line.rstrip() for line in lines[sig + 1 : stop]]
    while sig_lines and not sig_lines[-1]:
        sig_lines.pop()
    while sig_lines and not sig_lines[0]:
        sig_lines.pop(0)
    blocks: list[Block] = []
    if sig_lines:
        blocks.append(Paragraph("\n".join(["--", *sig_lines])))
    if tail:
        blocks.extend(body_blocks("\n".join(tail), chrome))
    return blocks


def _patch_end(lines: list[str], i: int, stop: int) -> int | None:
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
    return line.startswith(_DIFF_LINE_PREFIXES) or line.startswith("diff")


# --------------------------------------------------------------------------- attribution


def attribution(lines: list[str]) -> tuple[str | None, int] | None:
    """The quoted author named by the last line(s) of a paragraph, and how many lines that is.

    Reads "On Mon, 4 Jan 2010, Jane Doe wrote:" (possibly wrapped over two or
    three lines), "Jane Doe <j@x> wrote:", "* Jane Doe <j@x> [2010-01-04]:",
    "2010/1/4 Jane Doe <j@x>:", a paragraph that is only "Jane Doe:" and the
    common translations. None when the paragraph does not end with one.
    """
    if not lines:
        return None
    last = lines[-1].strip()
    if not last.endswith(":") and not (last.endswith(" wrote") and len(lines) <= 3):
        return None
    for count in (3, 2, 1):
        if count > len(lines):
            continue
        tail = [line.strip() for line in lines[len(lines) - count :]]
        if count > 1 and not (_ON_OPENERS.match(tail[0]) or _DATED.match(tail[0])):
            continue
        text = " ".join(tail)
        if len(text) > 300:
            continue
        if not text.endswith(":"):
            if not _ON_OPENERS.match(text):
                continue
            text += ":"  # "On <date>, Jane Doe wrote" (the colon lost)
        author = None
        if count > 1:
            # "On <date>" over "Jane Doe <j@x> wrote:": the last line names her.
            if tail[-1].endswith(":") and (tail[-1][:1].isalpha() or tail[-1][:1] == '"'):
                author = _attribution_author(tail[-1])
        if not author:
            author = _attribution_author(text)
        if author is None and count == 1 and len(lines) == 1:
            author = _name_only(text)
        if author is not None:
            return (author or None), count
    return None


#: "2010/1/4 Jane Doe <j@x>:" (Gmail's old attribution), with an optional time.
_DATED = re.compile(
    r"(?:\d{4}[/-]\d{1,2}[/-]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.]\d{2,4})"
    r"(?:,?\s+\d{1,2}:\d{2}(?::\d{2})?)?\s+(?P<who>.+?)\s*:"
)
#: Date and time words that precede the name in a wrapped "On <date>" attribution.
_DATE_WORD = re.compile(
    r"(?:\d[\d:./-]*|[+-]\d{4}|\([A-Z]{2,5}\)|[AaPp]\.?[Mm]\.?|at|UTC|GMT|[A-Z]{3}T)\s+"
)
_MONTH_OR_DAY = re.compile(
    r"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
    r"[a-z]*\.?,?\s+(?=\d)"
)


def _attribution_author(text: str) -> str | None:
    """The name in one attribution (``""`` when it has none we can tell), or None if not one."""
    match = (
        _ATTR_SCHRIEB.fullmatch(text)
        or _ATTR_MUTT.fullmatch(text)
        or _ATTR_QUOTING.fullmatch(text)
        or _DATED.fullmatch(text)
        or _ATTR_NAME_VERB_DATE.fullmatch(text)
        or _ATTR_DATE_VERB_NAME.fullmatch(text)
    )
    if match is not None:
        who = match.group("who")
        if match.re is _DATED and "<" not in who and _name_only(who + ":") is None:
            return None
    else:
        match = _ATTR_VERB.fullmatch(text)
        if match is None:
            return None
        who = match.group("who").strip()
        if _ON_OPENERS.match(text):
            who = _after_date(who)
            if who is None:
                return ""
        else:
            who = who.removeprefix("* ").strip()
            if not _looks_like_person(who):
                return None  # "As the manual says:" names no one
    return _person(who)


#: Lower-case words a name may hold ("Hans de Goede"), and one-word subjects that are no name.
_NAME_PARTICLES = frozenset("de da del della der den van von le la du di bin al y".split())
_NOT_NAMES = frozenset(
    "he she they you i we it someone somebody everyone everybody who this that which one"
    " above below".split()
)


def _looks_like_person(who: str) -> bool:
    """An address, a nickname (one word) or a name of a few capitalised words."""
    if "@" in who or ("<" in who and who.endswith(">")):
        return True
    words = who.split()
    if len(words) == 1:
        return words[0].casefold() not in _NOT_NAMES
    if not 2 <= len(words) <= 5:
        return False
    return all(word[0].isupper() or word[0] in "\"'(" or word in _NAME_PARTICLES for word in words)


def _person(who: str) -> str:
    """A name from "Jane Doe <j@x>", "j@x (Jane Doe)" or "Jane Doe"; the address if no name."""
    from email.utils import parseaddr

    who = who.strip().strip(",")
    if "@" in who or "<" in who:
        name, addr = parseaddr(who)
        name = " ".join(name.split()).strip("\"' ")
        return name or addr or " ".join(who.split())
    return " ".join(who.split()).strip("\"' ")


def _name_only(text: str) -> str | None:
    """ "Jane Doe:" or "jd <j@x>:" alone above a quote (KNode, some webmail): the name."""
    who = text[:-1].strip()
    if "<" in who and who.endswith(">"):
        words = who[: who.index("<")].split()
        if len(words) <= 4:
            return _person(who)
        return None
    words = who.split()
    if not 2 <= len(words) <= 4:
        return None
    for word in words:
        letters = word.replace(".", "").replace("-", "").replace("'", "")
        if not letters.isalpha() or not (word[0].isupper() or word in _NAME_PARTICLES):
            return None
    return who


def _after_date(text: str) -> str | None:
    """The name after the date in "On <date>, <name>" (the text before "wrote")."""
    quoted = re.search(r',\s*("[^"]+"\s*<[^>]*>)$', text)
    if quoted:
        return quoted.group(1)
    if "," not in text:
        # "On Jan 4 Jane wrote": no comma to tell the date from the name.
        return None
    who = text.rsplit(",", 1)[1].strip()
    # "On Thu, 07 Jan 2010 15:24:05 +0100 Jane Doe <j@x>" (a wrapped line lost
    # the comma after the date): drop the date's remaining words.
    while True:
        match = _DATE_WORD.match(who) or _MONTH_OR_DAY.match(who)
        if match is None:
            break
        who = who[match.end() :]
    return who or None


# --------------------------------------------------------------------------- quotes


def _quote(run: list[str], author: str | None, chrome: _Chrome) -> Quote | None:
    """A run of ``>`` lines as a quote, nested by the number of ``>``, built iteratively.

    Blank lines between quoted passages come as ``""`` and break paragraphs.
    A quoted list footer goes to ``chrome``; an attribution line at the end of a
    quoted paragraph names the author of the deeper quote under it.
    """
    items: list[tuple[int, str]] = []  # (depth, text); depth 0 = paragraph break
    for raw in run:
        if not raw:
            items.append((0, ""))
            continue
        lead = _QUOTE_LEAD.match(raw)
        depth = lead.group().count(">") if lead else 0
        items.append((depth, raw[lead.end() :].rstrip() if lead else raw))
    items = _without_quoted_footers(items, chrome)
    root: list[Block] = []
    # stack[d] holds the blocks of depth d + 1; authors[d] the author of that quote.
    stack: list[list[Block]] = [root]
    authors: list[str | None] = [author]
    para: list[str] = []
    last_para: list[str] | None = None  # as in body_blocks, for attributions

    def flush() -> None:
        nonlocal last_para
        if para:
            stack[-1].append(_paragraph(para))
            last_para = list(para)
            para.clear()

    def take_attribution() -> str | None:
        nonlocal last_para
        source = para if para else last_para
        if not source:
            return None
        found = attribution(source)
        if found is None:
            return None
        who, count = found
        if para:
            del para[len(para) - count :]
        else:
            kept = source[: len(source) - count]
            stack[-1].pop()
            if kept:
                stack[-1].append(_paragraph(kept))
        last_para = None
        return who

    def close_top() -> None:
        inner = stack.pop()
        who = authors.pop()
        if inner or who:
            stack[-1].append(Quote(who, tuple(inner)))

    for depth, text in items:
        if depth == 0 or (not text and depth == len(stack)):
            flush()
            continue
        if depth > len(stack):
            who = take_attribution()
            flush()
            while len(stack) < depth:
                stack.append([])
                authors.append(who if len(stack) == depth else None)
            last_para = None
        elif depth < len(stack):
            flush()
            while len(stack) > depth:
                close_top()
            last_para = None
        if not text:
            flush()
            continue
        if not para:
            last_para = None
        para.append(text)
    flush()
    while len(stack) > 1:
        close_top()
    if not root and author is None:
        return None
    return Quote(authors[0], tuple(root))


def _without_quoted_footers(items: list[tuple[int, str]], chrome: _Chrome) -> list[tuple[int, str]]:
    """``items`` without a list footer quoted at the end of a same-depth passage."""
    if not any(_FOOTER_WORDS.search(text) for _depth, text in items):
        return items
    out = list(items)
    end = len(out)
    while end > 0:
        depth = out[end - 1][0]
        begin = end
        while begin > 0 and out[begin - 1][0] in (depth, 0):
            begin -= 1
        cut = _strip_footer(out, begin, end, lambda item: item[1], chrome)
        if cut < end:
            del out[cut:end]
        end = begin
    return out


# --------------------------------------------------------------------------- threading


class _Roots:
    """Union-find over the reply forest: which root each message hangs under."""

    __slots__ = ("up",)

    def __init__(self, count: int) -> None:
        self.up = list(range(count))

    def find(self, i: int) -> int:
        up = self.up
        root = i
        while up[root] != root:
            root = up[root]
        while up[i] != root:
            up[i], i = root, up[i]
        return root


def thread_mails(mails: list[_Mail]) -> list[_Mail]:
    """Set each message's parent and children; the roots, in file order."""
    by_id: dict[str, _Mail] = {}
    for mail in mails:
        if mail.msgid is not None:
            by_id.setdefault(mail.msgid, mail)
    roots = _Roots(len(mails))

    def link(child: _Mail, parent: _Mail) -> bool:
        if parent is child or roots.find(parent.index) == child.index:
            return False  # would close a loop
        child.parent = parent
        roots.up[child.index] = roots.find(parent.index)
        parent.children.append(child)
        return True

    unlinked: list[_Mail] = []
    for mail in mails:
        candidates = [*mail.in_reply_to, *reversed(mail.references)]
        for ref in candidates:
            parent = by_id.get(ref)
            if parent is not None and link(mail, parent):
                break
        else:
            unlinked.append(mail)
    # Subject fallback: a "Re:" that no id links goes under the first message
    # of its subject (one that is no reply itself, when there is one).
    first_of_topic: dict[str, _Mail] = {}
    first_any: dict[str, _Mail] = {}
    for mail in mails:
        if mail.topic:
            first_any.setdefault(mail.topic, mail)
            if not mail.is_reply:
                first_of_topic.setdefault(mail.topic, mail)
    for mail in unlinked:
        if not mail.is_reply or not mail.topic:
            continue
        if any(ref in by_id for ref in (*mail.in_reply_to, *mail.references)):
            continue  # an id links it (the link would have made a loop)
        parent = first_of_topic.get(mail.topic) or first_any.get(mail.topic)
        if parent is not None:
            link(mail, parent)
    # Reading order: by date; a message without one sorts where the file has it.
    previous = datetime.min
    for mail in mails:
        if mail.when is not None:
            previous = mail.when
        mail.sort_key = (mail.when if mail.when is not None else previous, mail.index)
    return [mail for mail in mails if mail.parent is None]


def _sort_key(mail: _Mail) -> tuple[datetime, int]:
    return mail.sort_key


# --------------------------------------------------------------------------- the thread


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """An mbox archive as one thread.

    Raises:
        ParseError: when the text holds no message.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    chrome = _Chrome()
    mails = [_read_mail(chunk, n, encoding, chrome) for n, chunk in enumerate(split_messages(text))]
    if not mails:
        raise ParseError("no messages in the mbox")
    roots = thread_mails(mails)
    first = roots[0]
    top = sorted([*first.children, *roots[1:]], key=_sort_key)
    article, replies = _posts(first, top)
    title = clean_subject(first.subject or "")[0] or _stem(source) or "(no subject)"
    return Thread(
        title=title,
        date=first.date,
        site_chrome=tuple(chrome.seen),
        article=article,
        replies=replies,
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


def _stem(source: str) -> str:
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[0] if "." in name else name


def _posts(first: _Mail, top: list[_Mail]) -> tuple[Post, tuple[Post, ...]]:
    """The article and the reply tree, numbered in reading order, built without recursion."""
    # Pre-order walk: numbers, and each message's children in reading order.
    order: list[_Mail] = [first]
    kids: dict[int, list[_Mail]] = {first.index: top}
    stack = list(reversed(top))
    while stack:
        mail = stack.pop()
        order.append(mail)
        children = sorted(mail.children, key=_sort_key)
        kids[mail.index] = children
        stack.extend(reversed(children))
    numbers = {mail.index: n for n, mail in enumerate(order, start=1)}
    built: dict[int, Post] = {}
    for mail in reversed(order):
        if mail is first:
            title = None
        elif mail.parent is None:
            title = mail.subject  # another thread's opening message
        else:
            title = mail.subject if mail.topic != mail.parent.topic else None
        built[mail.index] = Post(
            number=numbers[mail.index],
            author=mail.author,
            date=mail.date,
            title=title,
            blocks=tuple(mail.blocks),
            replies=()
            if mail is first
            else tuple(built.pop(child.index) for child in kids[mail.index]),
        )
    replies = tuple(built.pop(child.index) for child in top)
    return built[first.index], replies
