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
#: What Python's ``\s``, ``str.isspace`` and ``str.split()`` take as space beyond
#: :data:`WHITESPACE`: the C0 separators and NEL, content like every control.
CONTROL_SPACES = "\x1c\x1d\x1e\x1f\x85"
_WS = "".join(re.escape(char) for char in WHITESPACE)
#: ``\s`` and ``\S`` as the patterns here mean them: a character of WHITESPACE, and
#: any other (``\s`` would take CONTROL_SPACES, and text beside syntax with them).
# The same sets written around \s (which also takes U+001C-U+001F and NEL): a class
# of 22 escaped characters costs re ~0.7 ms to compile against 0.02 ms for these,
# and the reader compiles dozens of patterns with them before its first screen.
SP = r"[^\S\x1c-\x1f\x85]"
NON_SP = r"[\S\x1c-\x1f\x85]"
_WORDS_RE = re.compile(f"{NON_SP}+")
_CONTROL_SPACE_RE = re.compile(f"[{CONTROL_SPACES}]")

METADATA_RE = re.compile(rf"{SP}?date (\d{{4}}-\d{{2}}(?:-\d{{2}})?)(?: (.*))?")

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
    rf"(?:{SP}*:{SP}*(?P<value>.*)|{SP}+(?P<count>\d[\d,.]*{SP}*[KkMm]?)|{SP}*)",
    re.IGNORECASE,
)
#: Every character STATS_RE can start with, case-insensitively ("ſ" matches "s").
#: A line starting otherwise needs no regex. A test checks it is complete.
STATS_FIRST = frozenset("AGJLMOPRSTWagjlmoprstw\u017f")
NUMBER_RE = re.compile(rf"[\d][\d,.{_WS}]*[KkMm]?")
POST_NUMBER_RE = re.compile(
    rf"(?:Post{SP}+)?#{SP}?(?P<n>\d{{1,9}})(?:{SP}+of{SP}+[\d,]+)?", re.IGNORECASE
)
TRAILING_META_RE = re.compile(
    rf"(?P<rest>(?:{SP}*(?:Thread Starter|Original Poster|OP|Post{SP}+#{SP}?\d+"
    rf"(?:{SP}+of{SP}+[\d,]+)?|#{SP}?\d+))+){SP}*$",
    re.IGNORECASE,
)
#: Post headers a dump's posts can start with (the head rules and the marker
#: breaks both look for them): "alice -> RE: subject (12/10/2011 5:56:36 PM)",
#: "## Reply #3", "Post subject: Rules".
ARROW_HEADER_RE = re.compile(
    rf"(?P<author>{NON_SP}.{{0,60}}?) -> (?P<title>.*?){SP}*"
    r"\((?P<date>\d{1,2}/\d{1,2}/\d{4}[^)]*)\)"
)
REPLY_HEADING_RE = re.compile(rf"#{{2,4}}{SP}+Reply{SP}+#(?P<n>\d+)", re.IGNORECASE)
POST_SUBJECT_RE = re.compile(rf"Post subject:{SP}*(?P<title>.*)")
STARTER_RE = re.compile(rf"Thread starter{SP}+(?P<name>.+)", re.IGNORECASE)
START_DATE_RE = re.compile(rf"Start date{SP}+(?P<date>.+)", re.IGNORECASE)
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

QUOTE_OPEN_RE = re.compile(
    rf"(?P<author>{NON_SP}(?:.{{0,78}}{NON_SP})?){SP}+said:{SP}*(?:↑|\u2191)?"
)
QUOTE_FROM_RE = re.compile(rf"Quote from:{SP}*(?P<author>.+?)(?:{SP}+on{SP}+.+)?")
ORIGINALLY_RE = re.compile(
    rf"(?:Quote:{SP}*)?Originally Posted by{SP}+(?P<author>.+?)(?:{SP}*View Post)?",
    re.IGNORECASE,
)
ORIGINAL_RE = re.compile(rf"ORIGINAL:{SP}*(?P<author>.+)")
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
_ATTACHMENT_RE = re.compile(rf"[^{_WS}/\\<>\"']+(?: [^{_WS}/\\<>\"']+)?")
VIEW_ATTACHMENT_RE = re.compile(r"View attachment \d+(?: .*)?", re.IGNORECASE)
# A URL holds no control character either: here "\S" keeps out CONTROL_SPACES too,
# and a line with one stays text (nothing is lost; no such URL is followed).
URL_RE = re.compile(r"(?:https?|ftp)://\S+")
MD_LINK_RE = re.compile(r"\[(?P<text>[^\]\n]+)\]\((?P<url>(?:https?|ftp)://[^)\s]+)\)")

_SENTENCE_END = tuple(".!?:;,…\"”'’)]}")
_CLOSERS = {")": "(", "]": "[", "}": "{"}  # a closing bracket, and the one it closes
_MD_AUTHOR_RE = re.compile(rf"#{{2,4}}{SP}+(?P<name>{NON_SP}.*)")
_MD_RANK_RE = re.compile(rf"#{{5,6}}{SP}+(?P<rank>{NON_SP}.*)")


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
    """Could be a user name: short, a few words, no sentence punctuation at the end.

    A name may look like markup: "[b]user[/b]", "Daan[NL]" or "user (mod)" end in a
    bracket the name opened, and "*user*" is no list item ("* item")."""
    if not (0 < len(line) <= 40 and line.count(" ") <= 3):
        return False
    last, first = line[-1], line[0]
    if last in _CLOSERS:
        if _CLOSERS[last] not in line:
            return False
    elif line.endswith(_SENTENCE_END):
        return False
    if first in "*-" and (len(line) == 1 or line[1] in WHITESPACE):
        return False  # a list item
    return (
        first not in "#>•·"
        # "[NL]Daan" is a name; "[text](url)" is a link.
        and not (first == "[" and link(line) is not None)
    )


def is_headline(line: str) -> bool:
    """A link-card title: a single line of four or more words without final punctuation."""
    return (
        len(line) <= 180
        and "\n" not in line
        and 4 <= word_count(line) <= 24
        and not line.endswith(_SENTENCE_END)
        and (line[0].isupper() or line[0].isdigit())
    )


def word_count(text: str) -> int:
    """How many words ``text`` has, between runs of :data:`WHITESPACE` (``str.split()``
    would also split at CONTROL_SPACES)."""
    return len(_WORDS_RE.findall(text))


def has_control_space(text: str) -> bool:
    """Whether ``text`` holds one of :data:`CONTROL_SPACES` (which a pattern of
    :mod:`threadtui.parsing.common.dates` would take as space)."""
    return _CONTROL_SPACE_RE.search(text) is not None


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
