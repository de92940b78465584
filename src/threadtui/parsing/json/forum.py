"""Forum threads saved as JSON by TUVIMEN's scrapers (forumscraper, xenforo-scraper).

forumscraper writes one object per thread with a ``format_version`` naming the
engine ("xenforo-2-thread", "phpbb-2+-thread", "smf-2-thread", …), the title,
the breadcrumb ``path``, ``tags``, a ``poll`` and a ``posts`` list; the older
xenforo-scraper writes the same shape without ``format_version`` (it starts
with ``"link"``). Post bodies are HTML, read by :mod:`html_blocks`.

Each engine names its post fields differently: the body is ``text``,
``content`` or ``body``; the author a string or (vBulletin) an object; user
titles and stats come as ``user_extra`` name/value lists, ``user_extras``
pairs, ``userinfo`` key/value lists or loose fields. Everything that is not
the post itself (user titles and stats, signatures, reactions, edit notes,
the poll, tags and breadcrumb) goes to the thread's ``site_chrome``, once.

Any value may have an unexpected type in a hostile file: fields are read
through :func:`_text`, which turns anything that is not a string or a number
into "" instead of failing, and no value is ever passed to ``str()`` (a deeply
nested one would recurse).
"""

from __future__ import annotations

import re
from typing import Any

from threadtui.errors import ParseError
from threadtui.files import stem
from threadtui.model import Attachment, Block, Link, Paragraph, Post, Quote, Thread
from threadtui.parsing.common.dates import normalise
from threadtui.parsing.common.html_blocks import html_to_blocks, html_to_text
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.json.fields import SNIFF_CHARS
from threadtui.parsing.json.fields import load as _load

FORMAT = "forum-json"

__all__ = ["FORMAT", "parse", "sniff"]

#: forumscraper's thread documents; its board and forum listings end otherwise.
_FORMAT_VERSION = re.compile(
    r'"format_version"\s*:\s*"(?:xenforo|phpbb|vbulletin|smf|xmb|invision)[^"]{0,24}-thread"'
)
#: xenforo-scraper's documents (built with jq) start with the thread's link.
_SCRAPER_START = re.compile(r'\{\s*"link"\s*:\s*"')

#: Keys of the post body, by engine: XenForo, phpBB/vBulletin/Invision, SMF/XMB.
_BODY_KEYS = ("text", "content", "body", "message")
#: userinfo keys that hold buttons or pictures, not information.
_UI_KEYS = frozenset({"contact", "profile", "stars", "avatar", "icons", "im_icons", "gender"})
#: A key written for programs ("post-count", "postgroup"): its value speaks for itself.
_MACHINE_KEY = re.compile(r"[a-z0-9_-]+")


def sniff(text: str) -> bool:
    """A forumscraper thread (its ``format_version``) or an xenforo-scraper thread."""
    head = text[:SNIFF_CHARS].lstrip("\ufeff \t\r\n")
    if not head.startswith("{"):
        return False
    return _FORMAT_VERSION.search(head) is not None or _SCRAPER_START.match(head) is not None


def parse(text: str, *, source: str = "", encoding: str = "utf-8") -> Thread:
    """Read one forumscraper or xenforo-scraper thread.

    Raises:
        ParseError: for broken JSON or a document that is not a thread.
    """
    data = _load(text)
    if not isinstance(data, dict):
        raise ParseError("not a forum thread: the JSON is not an object")
    raw_posts = data.get("posts")
    if not isinstance(raw_posts, list):
        raise ParseError('not a forum thread: no "posts" list')
    chrome = SiteChrome()
    title = html_to_text(_text(data.get("title"))) or stem(source) or "(untitled)"
    _thread_chrome(data, chrome)
    posts = [_post(number, raw, title, chrome) for number, raw in enumerate(raw_posts, 1)]
    article = posts[0] if posts else Post(number=1)
    # The thread's own fields stand in for what the opening post lacks (the
    # first page may be missing from a scrape, or the post may not name its author).
    top_author = _name(data.get("user"))
    top_date = _date(_text(data.get("date")), 1, chrome) if not article.date else None
    if (article.author is None and top_author) or (article.date is None and top_date):
        article = Post(
            number=1,
            author=article.author or top_author,
            date=article.date or top_date,
            title=article.title,
            blocks=article.blocks,
        )
    return Thread(
        title=title,
        article=article,
        replies=tuple(posts[1:]),
        date=article.date,
        site_chrome=tuple(chrome.seen),
        source=source,
        format=FORMAT,
        encoding=encoding,
    )


# --------------------------------------------------------------------------- reading


def _text(value: Any) -> str:
    """A field as a string: "" for anything that is neither text nor a number."""
    if isinstance(value, str):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return ""


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _name(value: Any) -> str | None:
    """An author: a string, or vBulletin's user object; None when missing (guests, deleted)."""
    if isinstance(value, dict):
        value = value.get("name")
    return html_to_text(_text(value)) or None


# --------------------------------------------------------------------------- posts

#: XMB puts the post's subject at the top of its body.
_XMB_SUBJECT = re.compile(
    r'\s*<font class="subject">(?P<subject>.*?)</font>', re.IGNORECASE | re.DOTALL
)


def _post(number: int, raw: Any, thread_title: str, chrome: SiteChrome) -> Post:
    if not isinstance(raw, dict):
        raise ParseError(f"not a forum thread: post {number} is not an object")
    author = _name(raw.get("user"))
    body = next((_text(raw[k]) for k in _BODY_KEYS if _text(raw.get(k))), "")
    title = html_to_text(_text(raw.get("title")))
    subject = _XMB_SUBJECT.match(body)
    if subject is not None:
        title = title or html_to_text(subject["subject"])
        body = body[subject.end() :]
    blocks = list(html_to_blocks(body))
    blocks.extend(_attachments(raw.get("attachments"), blocks))
    _user_chrome(author, raw, chrome)
    _post_chrome(number, author, raw, chrome)
    return Post(
        number=number,
        author=author,
        date=_date(_text(raw.get("date")), number, chrome),
        title=title if title and title != thread_title else None,
        blocks=tuple(blocks),
    )


def _attachments(value: Any, body: list[Block]) -> list[Block]:
    """The post's attachment list as Attachment blocks, leaving out those the body shows."""
    shown = {block.name for block in body if isinstance(block, Attachment)}
    names: list[str] = []
    items = [value] if isinstance(value, str) else _list(value)
    for item in items:
        if isinstance(item, dict):
            item = next((_text(item[k]) for k in _ATTACHMENT_KEYS if _text(item.get(k))), "")
        html = _text(item)
        if not html.strip():
            continue
        found = [b.name for b in html_to_blocks(html) if isinstance(b, Attachment)]
        names.extend(found or [html_to_text(html)])
    out: list[Block] = []
    for name in names:
        if name and name not in shown:
            shown.add(name)
            out.append(Attachment(name))
    return out


_ATTACHMENT_KEYS = ("name", "filename", "file_name", "title", "link", "url", "src")


# --------------------------------------------------------------------------- dates

_ISO_WITH_TIME = re.compile(
    r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:\.\d+)?(?:Z|[+-]\d{2}(?::?\d{2})?)?"
)
#: XMB writes day-month-year with dashes ("20-6-2006 at 17:44").
_DAY_FIRST = re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})(?P<rest>(?:,?\s+(?:at\s+)?\d.*)?)")
#: phpBB starts with the weekday ("Fri Apr 19, 2013 4:45 am").
_WEEKDAY = re.compile(r"(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?,?\s+", re.IGNORECASE)
_ISO_RESULT = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?")
_MONTH_NAMES = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()
#: Older results are dateutil reading a bare time ("10:15") on its default day.
_FIRST_YEAR = 1900


def iso_date(raw: str) -> str | None:
    """A forum's date string as ``YYYY-MM-DD[THH:MM[:SS]]``, or None.

    ISO dates with an offset keep the wall-clock time the site showed (the
    offset goes), as the text dumps do.
    """
    text = html_to_text(raw)
    match = _ISO_WITH_TIME.fullmatch(text)
    if match is not None:
        text = f"{match[1]} {match[2]}"
    elif (match := _DAY_FIRST.fullmatch(text)) is not None:
        day, month, year = int(match[1]), int(match[2]), match[3]
        if not 1 <= month <= 12:
            return None
        text = f"{day} {_MONTH_NAMES[month - 1]} {year}{match['rest']}"
    elif (match := _WEEKDAY.match(text)) is not None:
        text = text[match.end() :]
    if not text:
        return None
    result = normalise(text)
    if result is None:
        return None
    match = _ISO_RESULT.match(result)
    if match is None or int(result[:4]) < _FIRST_YEAR:
        return None
    return match.group()


def _date(raw: str, number: int, chrome: SiteChrome) -> str | None:
    """The post's ISO date; a date we cannot read is kept in the chrome as written."""
    if not raw.strip():
        return None
    date = iso_date(raw)
    if date is None:
        chrome.add(f"#{number} posted {html_to_text(raw)}")
    return date


# --------------------------------------------------------------------------- chrome


def _thread_chrome(data: dict[str, Any], chrome: SiteChrome) -> None:
    """Breadcrumb, tags and poll: one line each (one per poll question)."""
    path = data.get("path")
    crumbs = path.split("/") if isinstance(path, str) else [_text(p) for p in _list(path)]
    crumbs = [html_to_text(c) for c in crumbs]
    if any(crumbs):
        chrome.add(" › ".join(c for c in crumbs if c))
    tags = [html_to_text(_text(_dict(t).get("name")) or _text(t)) for t in _list(data.get("tags"))]
    if any(tags):
        chrome.add("Tags: " + ", ".join(t for t in tags if t))
    _poll_chrome(_dict(data.get("poll")), chrome)


def _poll_chrome(poll: dict[str, Any], chrome: SiteChrome) -> None:
    title = html_to_text(_text(poll.get("title")))
    questions = [_dict(q) for q in _list(poll.get("questions"))]
    if poll.get("answers") is not None:
        questions.insert(0, {"question": "", "answers": poll.get("answers")})
    lines = []
    for question in questions:
        answers = [_dict(a) for a in _list(question.get("answers"))]
        options = ", ".join(
            f"{html_to_text(_text(a.get('option')))} ({_text(a.get('votes')) or 0})"
            for a in answers
        )
        label = html_to_text(_text(question.get("question")))
        if options or label:
            lines.append(f"{label}: {options}" if label and options else label or options)
    if not title and not lines:
        return
    chrome.add(f"Poll: {title}" if title else "Poll")
    for line in lines:
        chrome.add(f"Poll: {line}")


def _user_chrome(author: str | None, raw: dict[str, Any], chrome: SiteChrome) -> None:
    """The author's titles and stats, as one line (the same line for every post of theirs)."""
    parts: list[str] = []
    user = _dict(raw.get("user"))
    for value in (
        raw.get("user_title"),
        user.get("title"),
        user.get("rank-name"),
        raw.get("group"),
        raw.get("rank_title"),
        raw.get("rank"),
        raw.get("user_banner"),
        *_list(raw.get("user_banners")),
        *_list(raw.get("badges")),
    ):
        parts.append(html_to_text(_text(value)))
    extras = _dict(raw.get("user_extras"))
    for key in ("user_extra", "userinfo", "user_info"):
        parts.extend(_pairs(_list(raw.get(key))))
    parts.extend(_pairs(_list(extras.get("pairs"))))
    parts.extend(_pairs(_list(user.get("custom"))))
    # XMB's fields come shifted by one from their names in the scrape: values only.
    for key in ("posts", "registered", "location", "custom"):
        parts.append(html_to_text(_text(raw.get(key))))
    parts = list(dict.fromkeys(p for p in parts if p))
    if parts:
        chrome.add(f"{author or 'guest'}: " + " · ".join(parts))


def _pairs(items: list[Any]) -> list[str]:
    """Name/value lists (``user_extra``, ``userinfo``, pairs) as "Name: value" strings."""
    out = []
    for item in items:
        item = _dict(item)
        key = html_to_text(_text(item.get("name") or item.get("key"))).rstrip(":").strip()
        if key.lower() in _UI_KEYS:
            continue
        value = html_to_text(_text(item.get("value")))
        if not value:
            continue
        out.append(value if not key or _MACHINE_KEY.fullmatch(key) else f"{key}: {value}")
    return out


def _post_chrome(number: int, author: str | None, raw: dict[str, Any], chrome: SiteChrome) -> None:
    """Signature, reactions, thanks and edit note of one post."""
    signature = _flatten(html_to_blocks(_text(raw.get("signature"))))
    if signature:
        chrome.add(f"Signature of {author or 'guest'}: {signature}")
    reactions = _reactions(raw)
    if reactions:
        chrome.add(f"#{number} reactions: {reactions}")
    thanked = [_name(t) or _text(t) for t in _list(raw.get("thankedby"))]
    if any(thanked):
        chrome.add(f"#{number} thanked by: " + ", ".join(t for t in thanked if t))
    edited = raw.get("edited")
    if isinstance(edited, dict):
        who = _name(edited.get("user"))
        when = html_to_text(_text(edited.get("date"))).lstrip(". ")
        if who or when:
            chrome.add(" ".join(p for p in (f"#{number} last edited by", who, when) if p))
    else:
        note = html_to_text(_text(edited)).strip("«» ")
        if note:
            chrome.add(f"#{number} {note}")


def _reactions(raw: dict[str, Any]) -> str:
    """``Like: ann, bob`` (who reacted how) or ``👍 3`` (counts), joined with "; "."""
    by_kind: dict[str, list[str]] = {}
    counts: list[str] = []
    for item in _list(raw.get("reactions")):
        item = _dict(item)
        kind = html_to_text(_text(item.get("reaction") or item.get("type") or item.get("name")))
        count = _text(item.get("count"))
        who = _name(item.get("user"))
        if who:
            by_kind.setdefault(kind or "reaction", []).append(who)
        elif kind or count:
            counts.append(" ".join(p for p in (kind, count) if p))
    users = [_name(u) for u in _list(raw.get("reactions_users"))]
    parts = [f"{kind}: {', '.join(names)}" for kind, names in by_kind.items()] + counts
    if any(users):
        parts.append("by " + ", ".join(u for u in users if u))
    return "; ".join(parts)


def _flatten(blocks: tuple[Block, ...]) -> str:
    """Blocks as one line (a signature): texts joined with " / ", images left out."""
    parts: list[str] = []
    stack: list[Block] = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, Paragraph | Link):
            parts.extend(line.strip() for line in block.text.split("\n") if line.strip())
        elif isinstance(block, Quote):
            stack.extend(reversed(block.blocks))
    return " / ".join(parts)
