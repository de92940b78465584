"""Mailing-list archives in mbox form (mboxo and mboxrd) as one thread tree.

An archive holds many threads. They become one :class:`Thread`: the first
root message in file order is the article, and every other root is a
top-level reply carrying its Subject as the post's title.

This module is the format's entry point (:func:`sniff` and :func:`parse`, which
the registry in :mod:`threadtui.parsing` calls); the work is done in four
steps, each linear in the size of the archive, by the other modules of this package:

1. :mod:`~threadtui.parsing.mail.split` splits the text on mbox ``From ``
   separator lines (a separator is only taken when a header line follows it),
   undoing the ``>From `` escaping of mboxo (``>From `` becomes ``From ``) or
   mboxrd (one ``>`` less before ``>*From ``);
2. :mod:`~threadtui.parsing.mail.message` reads each message with the standard
   library (``email`` with ``compat32``, ``email.utils``), its header fields decoded
   by this package's linear readers (:mod:`~threadtui.parsing.mail.headers`,
   :mod:`~threadtui.parsing.mail.encoded_words`, :mod:`~threadtui.parsing.mail.address`):
   author, date (``YYYY-MM-DDTHH:MM:SS`` in UTC), subject, ids, and the text of its
   ``text/plain`` parts (:mod:`~threadtui.parsing.mail.mime`; HTML-only messages
   are stripped to text by :mod:`~threadtui.parsing.mail.html`; other parts are
   listed as attachments). A message the library cannot read is read line by
   line instead, so a broken message never loses the rest;
3. :mod:`~threadtui.parsing.mail.thread` threads the messages JWZ-style: the
   parent is the message named by In-Reply-To, else the last message of
   References present in the archive, else (for a "Re:" subject) the first
   message with the same normalised subject; messages whose parent is missing
   become roots. Siblings are in date order (stable on ties; a message without
   a date keeps its file position);
4. :mod:`~threadtui.parsing.mail.body` reads each body into blocks: paragraphs,
   ``>`` quotes nested by depth with the author from the attribution line
   above ("On …, Jane Doe wrote:", :mod:`~threadtui.parsing.mail.attribution`),
   patches as whole paragraphs (:mod:`~threadtui.parsing.mail.patch`), and the
   signature as a final paragraph. The mailing list's footer ("fedora-devel-list
   mailing list … listinfo …") goes to ``site_chrome``
   (:mod:`~threadtui.parsing.mail.footer`).

None of these imports ``email`` up front: the registry imports this module for
its sniffer, and ``email`` is loaded with the first archive.
"""

from __future__ import annotations

from threadtui.errors import ParseError
from threadtui.files import stem
from threadtui.model import Thread
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.mail.headers import clean_subject
from threadtui.parsing.mail.message import read_mail
from threadtui.parsing.mail.split import HEADER_LINE, SEPARATOR, split_messages
from threadtui.parsing.mail.thread import build_posts, reading_order, thread_mails

FORMAT = "mbox"

#: How much of the text :func:`sniff` looks at.
_SNIFF_CHARS = 64 * 1024
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
    if first_end < 0 or not SEPARATOR.fullmatch(head[pos:first_end].rstrip("\r")):
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
        match = HEADER_LINE.match(line)
        if match is None:
            return False
        headers += 1
        if match.group()[:-1].lower() in _KEY_HEADERS:
            key += 1
    return headers >= 2 and key >= 1


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """An mbox archive as one thread.

    Raises:
        ParseError: when the text holds no message.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.lstrip("\ufeff")
    chrome = SiteChrome()
    mails = [read_mail(chunk, n, encoding, chrome) for n, chunk in enumerate(split_messages(text))]
    if not mails:
        raise ParseError("no messages in the mbox")
    roots = thread_mails(mails)
    first = roots[0]
    top = sorted([*first.children, *roots[1:]], key=reading_order)
    article, replies = build_posts(first, top)
    untitled = stem(source) if source else ""
    title = clean_subject(first.subject or "")[0] or untitled or "(no subject)"
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
