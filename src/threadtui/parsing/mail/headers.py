"""Header values as the thread reads them: unfolded text, message ids, subjects.

Mail headers carry RFC 2047 encoded words, comments and folding, and list
archives hold every malformed spelling there is. The fields are read raw
(``compat32`` hands them over as they are) and unfolded here; the shown ones are
decoded by this package's own linear readers, not by ``policy.default``'s header
classes, whose cost grows with the square of a field's words (a Subject of
20,000 encoded words took 4 s and 2.8 GB): the Subject by
:mod:`~threadtui.parsing.mail.encoded_words`, the author of a From by
:mod:`~threadtui.parsing.mail.address`. Here too: the ``<id>`` values of
Message-ID, In-Reply-To and References, the subject with its "Re:" prefixes and
list tags taken off (threads are matched and titled by it), and the policy ``email``
parses a message with (:func:`reading_policy`).

Only :mod:`re` is imported up front; ``email`` loads with the first message read.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.header import Header
    from email.message import Message
    from email.policy import Compat32

#: One message id in angle brackets.
_ID = re.compile(r"<([^<>\s]+)>")


def message_ids(value: str | None) -> list[str]:
    """The ids in a Message-ID, In-Reply-To or References value (a bare id alone too)."""
    if not value:
        return []
    found = _ID.findall(value)
    if found:
        return found
    bare = value.strip()
    return [bare] if bare and not any(c.isspace() for c in bare) else []


def unfold(value: str) -> str:
    """A header value on one line: its line breaks taken out, the white space after them kept.

    Only CR and LF fold a header: U+0085, U+2028 or a file separator in it is text.
    """
    if "\n" not in value and "\r" not in value:
        return value
    return value.replace("\r", "").replace("\n", "")


def header_text(msg: Message, name: str) -> str | None:
    """A header's value as the message has it, unfolded (None when it has none)."""
    raw = msg.get(name)
    return None if raw is None else unfold(str(raw))


#: Content-* fields are read for their parameters (type, charset, boundary, file
#: name) by email's parameter parser, which copies the rest of the field at every
#: ";" and counts quotes from its start at each: a 100 KB Content-Type took 11 s.
#: Real fields hold a few parameters, so these bounds cut only what is hostile.
_CONTENT_FIELD_LIMIT = 4096
_PARAMETER_LIMIT = 64


@cache
def reading_policy() -> Compat32:
    """``compat32`` (values as they are), with each Content-* field cut to its bounds."""
    from email.policy import Compat32

    class _Reading(Compat32):
        # The override's return type is Compat32's own (typeshed ignores the same).
        def header_fetch_parse(self, name: str, value: str) -> str | Header:  # type: ignore[override]
            if len(value) > _PARAMETER_LIMIT and name[:8].lower() == "content-":
                value = _bounded(value)
            return super().header_fetch_parse(name, value)

    return _Reading()


def _bounded(value: str) -> str:
    """A Content-* value cut to :data:`_CONTENT_FIELD_LIMIT` characters and parameters."""
    value = value[:_CONTENT_FIELD_LIMIT]
    cut = -1
    for _ in range(_PARAMETER_LIMIT):
        cut = value.find(";", cut + 1)
        if cut < 0:
            return value
    return value[:cut]


#: A "Re:" (in the common translations, with a "[2]" count) or "Fwd:" prefix.
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
    pos = 0  # an offset, not a copy per prefix: "Re: " 100,000 times is one pass
    while pos < len(text):
        match = _REPLY_PREFIX.match(text, pos)
        if match is not None:
            is_reply = is_reply or match.group("re") is not None
            pos = match.end()
            continue
        match = _LIST_TAG.match(text, pos)
        if match is not None and not _KEPT_TAGS.fullmatch(match.group("tag")):
            pos = match.end()
            continue
        break
    return text[pos:].strip(), is_reply


def normalise_subject(subject: str) -> tuple[str, bool]:
    """The subject as threads compare it (cleaned, case-folded) and whether it was a reply."""
    text, is_reply = clean_subject(subject)
    return text.casefold(), is_reply
