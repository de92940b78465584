"""Threading an archive's messages into one reply tree, in reading order.

Mail has no thread structure of its own, only references between messages.
:func:`thread_mails` links them JWZ-style: a message's parent is the one named
by In-Reply-To, else the last message of References present in the archive,
else (for a "Re:" subject no id links) the first message with the same
normalised subject. A link that would close a loop is refused (a union-find
over the roots tells), so hostile ids cannot make the tree a cycle. Siblings
are read in date order, stable on ties; a message without a date keeps its
place in the file. :func:`build_posts` turns the tree into the model's posts
(:mod:`threadtui.parsing.common.post_tree`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from threadtui.model import Post
from threadtui.parsing.common.post_tree import Draft, PostTree

if TYPE_CHECKING:
    from threadtui.parsing.mail.message import Mail


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


def thread_mails(mails: list[Mail]) -> list[Mail]:
    """Set each message's parent and children; the roots, in file order."""
    by_id: dict[str, Mail] = {}
    for mail in mails:
        if mail.msgid is not None:
            by_id.setdefault(mail.msgid, mail)
    roots = _Roots(len(mails))

    def link(child: Mail, parent: Mail) -> bool:
        if parent is child or roots.find(parent.index) == child.index:
            return False  # would close a loop
        child.parent = parent
        roots.up[child.index] = roots.find(parent.index)
        parent.children.append(child)
        return True

    unlinked: list[Mail] = []
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
    first_of_topic: dict[str, Mail] = {}
    first_any: dict[str, Mail] = {}
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


def reading_order(mail: Mail) -> tuple[datetime, int]:
    """The sort key of siblings: date, then file position (set by :func:`thread_mails`)."""
    return mail.sort_key


def build_posts(first: Mail, top: list[Mail]) -> tuple[Post, tuple[Post, ...]]:
    """The article and the reply tree, numbered from 1 in reading order.

    ``first`` is the article; ``top`` the top-level replies (its answers and the other
    threads' first messages), each followed by its answers in :func:`reading_order`.
    """
    tree = PostTree(first_number=1)
    tree.add(Draft(first.author, first.date, tuple(first.blocks)))
    tree.grow(top, _draft)
    article, *replies = tree.build()
    return article, tuple(replies)


def _draft(mail: Mail) -> tuple[Draft, list[Mail]]:
    """A message's post, titled when its subject is not its parent's, and its answers."""
    if mail.parent is None:
        title = mail.subject  # another thread's opening message
    else:
        title = mail.subject if mail.topic != mail.parent.topic else None
    draft = Draft(mail.author, mail.date, tuple(mail.blocks), title=title)
    return draft, sorted(mail.children, key=reading_order)
