"""Header values as the thread shows and links them: decoded text, message ids, subjects.

Mail headers carry RFC 2047 encoded words, comments and folding, and list
archives hold every malformed spelling there is. These helpers turn one raw
value into what the rest of the reader needs: the display text of From and
Subject (decoded by ``email``'s ``policy.default`` header classes, with
``email.header`` as the fallback), the ``<id>`` values of Message-ID, In-Reply-To and
References, and the subject with its "Re:" prefixes and list tags taken off, as
threads are matched and titled by it.

Only :mod:`re` is imported up front; ``email`` loads with the first value decoded.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from email.message import Message

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


#: Fields whose value is shown, decoded by ``policy.default`` (RFC 2047 words, quoting).
_DECODED_FIELDS = frozenset(("from", "subject"))


def header_value(msg: Message, name: str) -> str | None:
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
        return decode_raw_header(raw)
    from email import policy

    try:
        return str(policy.default.header_factory(name, raw))
    except Exception:  # noqa: BLE001 - some malformed fields break the header parser
        return decode_raw_header(raw)


def decode_raw_header(raw: str | None) -> str | None:
    """RFC 2047 words decoded with ``email.header``; the raw text if that fails."""
    if raw is None:
        return None
    from email.header import decode_header, make_header

    try:
        return str(make_header(decode_header(raw)))
    except Exception:  # noqa: BLE001
        return raw


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
