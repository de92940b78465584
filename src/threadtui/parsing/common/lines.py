"""Splitting a plain-text forum dump into lines, and classifying single lines.

Every predicate here looks at one line (already stripped of surrounding
whitespace) and is cheap on ordinary prose: each starts with a test on the
first or last characters so the regular expression runs only when it might
match. That keeps the parser near ``str.splitlines`` speed.
"""

from __future__ import annotations

import re

#: What counts as blank: ASCII and Unicode spaces, including the no-break
#: space crawlers leave between posts. Control characters are NOT blank: they
#: are content, shown later as placeholders, never silently dropped.
WHITESPACE = " \t\r\n\f\v\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"

METADATA_RE = re.compile(r"\s?date (\d{4}-\d{2}(?:-\d{2})?)(?: (.*))?")

#: Navigation text that XenForo-style pages put above the thread.
CHROME = frozenset(
    s.casefold()
    for s in (
        "What's new",
        "Forums",
        "New posts",
        "Search forums",
        "Log in",
        "Register",
        "Log in Register",
        "Menu",
        "Home",
        "Members",
        "Latest activity",
        "Search",
        "Install the app",
        "Install",
        "Navigation",
        "New profile posts",
        "Current visitors",
        "Media",
        "Resources",
        "Watched",
        "Contact us",
        "Terms and rules",
        "Privacy policy",
        "Help",
        "Top",
        "RSS",
        "Share:",
        "Share",
        "Reply",
        "Report",
        "Like",
        "Quote",
        "Multi-quote",
        "Message",
        "Author Message",
        "Offline",
        "Online",
        "User avatar",
    )
)

#: User titles forums print under the name; sometimes the only post header.
RANKS = frozenset(
    s.casefold()
    for s in (
        "Member",
        "New member",
        "New Member",
        "Active member",
        "Well-known member",
        "Registered Member",
        "Senior Member",
        "Junior Member",
        "Full Member",
        "Platinum Member",
        "Premium Member",
        "Supporting Member",
        "Banned",
        "Moderator",
        "Super Moderator",
        "Global Moderator",
        "Administrator",
        "Admin",
        "Staff member",
        "Staff",
        "Guest",
        "Thread Starter",
        "Original Poster",
        "Lieutenant General",
        "Major General",
        "Brigadier",
        "Colonel",
        "Lieutenant",
        "Captain",
        "Major",
        "General",
        "Sergeant",
        "Corporal",
        "Private",
        "Veteran",
        "Elite Member",
        "Legendary Member",
        "Honored Member",
    )
)

STATS_RE = re.compile(
    r"(?P<key>Joined|Messages|Posts|Likes|Reaction score|Points|Location|Trophy points|"
    r"Gender|Age|Reputation|Solutions|Likes received|Occupation|Website)"
    # "Joined: Mar 3, 2019", "Posts 3342", or the key alone ("Joined", value on
    # the next line). Not "Location matters more than price": that is prose.
    r"(?:\s*:\s*(?P<value>.*)|\s+(?P<count>\d[\d,.]*\s*[KkMm]?)|\s*)",
    re.IGNORECASE,
)
#: Every character STATS_RE can start with, case-insensitively ("ſ" matches "s").
#: A line starting otherwise needs no regex. A test checks it is complete.
STATS_FIRST = frozenset("AGJLMOPRSTWagjlmoprstw\u017f")
NUMBER_RE = re.compile(r"[\d][\d,.\s]*[KkMm]?")
POST_NUMBER_RE = re.compile(r"(?:Post\s+)?#\s?(?P<n>\d{1,9})(?:\s+of\s+[\d,]+)?", re.IGNORECASE)
TRAILING_META_RE = re.compile(
    r"(?P<rest>(?:\s*(?:Thread Starter|Original Poster|OP|Post\s+#\s?\d+(?:\s+of\s+[\d,]+)?|#\s?\d+))+)\s*$",
    re.IGNORECASE,
)
#: Post headers a dump's posts can start with (the head rules and the marker
#: breaks both look for them): "alice -> RE: subject (12/10/2011 5:56:36 PM)",
#: "## Reply #3", "Post subject: Rules".
ARROW_HEADER_RE = re.compile(
    r"(?P<author>\S.{0,60}?) -> (?P<title>.*?)\s*\((?P<date>\d{1,2}/\d{1,2}/\d{4}[^)]*)\)"
)
REPLY_HEADING_RE = re.compile(r"#{2,4}\s+Reply\s+#(?P<n>\d+)", re.IGNORECASE)
POST_SUBJECT_RE = re.compile(r"Post subject:\s*(?P<title>.*)")
STARTER_RE = re.compile(r"Thread starter\s+(?P<name>.+)", re.IGNORECASE)
START_DATE_RE = re.compile(r"Start date\s+(?P<date>.+)", re.IGNORECASE)
TRAILER_PREFIXES = (
    "Reactions:",
    "Reaction:",
    "Last edited",
    "Like Tree",
    "Likes:",
    "Liked by",
    "Upvote",
    "Thanks:",
)
_THANKS_RE = re.compile(r"The following \d+ (?:users?|members?) (?:say|says|like|likes|thank)\b.*")

QUOTE_OPEN_RE = re.compile(r"(?P<author>\S(?:.{0,78}\S)?)\s+said:\s*(?:↑|\u2191)?")
QUOTE_FROM_RE = re.compile(r"Quote from:\s*(?P<author>.+?)(?:\s+on\s+.+)?")
ORIGINALLY_RE = re.compile(
    r"(?:Quote:\s*)?Originally Posted by\s+(?P<author>.+?)(?:\s*View Post)?", re.IGNORECASE
)
ORIGINAL_RE = re.compile(r"ORIGINAL:\s*(?P<author>.+)")
QUOTE_CLOSE = "Click to expand..."

ATTACHMENT_EXTENSIONS = (
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".webp",
    ".bmp",
    ".svg",
    ".heic",
    ".tif",
    ".tiff",
    ".pdf",
    ".zip",
    ".mp4",
    ".webm",
    ".mov",
    ".mp3",
    ".txt",
)
_ATTACHMENT_RE = re.compile(r"[^\s/\\<>\"']+(?: [^\s/\\<>\"']+)?")
VIEW_ATTACHMENT_RE = re.compile(r"View attachment \d+(?: .*)?", re.IGNORECASE)
URL_RE = re.compile(r"(?:https?|ftp)://\S+")
MD_LINK_RE = re.compile(r"\[(?P<text>[^\]\n]+)\]\((?P<url>(?:https?|ftp)://[^)\s]+)\)")

_SENTENCE_END = tuple(".!?:;,…\"”'’)]}")
_MD_AUTHOR_RE = re.compile(r"#{2,4}\s+(?P<name>\S.*)")
_MD_RANK_RE = re.compile(r"#{5,6}\s+(?P<rank>\S.*)")


def strip(line: str) -> str:
    """The line without surrounding whitespace (see :data:`WHITESPACE`)."""
    return line.strip(WHITESPACE)


def normal_newlines(text: str) -> str:
    """The text with every CRLF and CR made LF (the only line ends a dump has)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


def split_lines(text: str) -> list[str]:
    """Split on CRLF, CR or LF only: other separators (U+2028, form feed) are content.

    Same result as ``re.split(r"\r\n|\r|\n", text)``, at twice the speed.
    """
    return normal_newlines(text).split("\n")


def is_chrome(line: str) -> bool:
    """A navigation label such as "What's new" or "Log in"."""
    return len(line) < 40 and line.casefold() in CHROME


def is_rank(line: str) -> bool:
    """A user title such as "Senior Member", or a Markdown ``##### Title`` line."""
    if line.startswith("#####"):
        return _MD_RANK_RE.fullmatch(line) is not None
    return len(line) < 40 and line.casefold() in RANKS


def md_author(line: str) -> str | None:
    """The name in a Markdown author heading (``#### name``)."""
    if not line.startswith("##") or line.startswith("#####"):
        return None
    match = _MD_AUTHOR_RE.fullmatch(line)
    return match["name"] if match else None


def is_name_like(line: str) -> bool:
    """Could be a user name: short, a few words, no sentence punctuation at the end."""
    return (
        0 < len(line) <= 40
        and line.count(" ") <= 3
        and not line.endswith(_SENTENCE_END)
        and not line.startswith(("#", ">", "-", "*", "•", "·"))
        # "[NL]Daan" is a name; "[text](url)" is a link (and ends with ")" anyway).
        and not (line[0] == "[" and link(line) is not None)
    )


def is_headline(line: str) -> bool:
    """A link-card title: a single line of four or more words without final punctuation."""
    words = line.split()
    return (
        4 <= len(words) <= 24
        and len(line) <= 180
        and "\n" not in line
        and not line.endswith(_SENTENCE_END)
        and (line[0].isupper() or line[0].isdigit())
    )


def attachment_name(line: str) -> str | None:
    """The attachment named by a line: a bare file name, or "View attachment N"."""
    if line[-4:].lower() in ATTACHMENT_EXTENSIONS or line[-5:].lower() in ATTACHMENT_EXTENSIONS:
        if (
            len(line) <= 200
            and _ATTACHMENT_RE.fullmatch(line)
            and not line.startswith(("http", "www."))
        ):
            return line
        return None
    if line[:4] in ("View", "view") and VIEW_ATTACHMENT_RE.fullmatch(line):
        return line
    return None


def link(line: str) -> tuple[str, str] | None:
    """(text, url) when the line is nothing but a URL or a Markdown link."""
    first = line[0]
    if first in "hf" and URL_RE.fullmatch(line):
        return line, line
    if first == "[":
        match = MD_LINK_RE.fullmatch(line)
        if match:
            return match["text"], match["url"]
    return None


def quote_open(line: str) -> str | None:
    """The quoted author when the line opens a quote ("Name said:"); "" if anonymous."""
    last = line[-1]
    if last in ":↑" and "said:" in line:
        match = QUOTE_OPEN_RE.fullmatch(line)
        if match:
            return match["author"]
    first = line[0]
    if first == "Q" and line.startswith("Quote from:"):
        match = QUOTE_FROM_RE.fullmatch(line)
        if match:
            return match["author"]
    if first in "OoQ" and "riginally" in line:
        match = ORIGINALLY_RE.fullmatch(line)
        if match:
            return match["author"]
    if line in ("quote:", "Quote:"):
        return ""
    return None


def is_trailer(line: str) -> bool:
    """Reactions, "Last edited", like counters: per-post chrome after the body."""
    if line.startswith(TRAILER_PREFIXES):
        return True
    return line.startswith("The following ") and _THANKS_RE.fullmatch(line) is not None
