"""Attribution lines: who wrote the quote that follows ("On Mon, 4 Jan 2010, Jane Doe wrote:").

Replies name the author they quote in a line above the quote, in as many
spellings as there are mail clients and languages: "On <date>, <name> wrote:"
(wrapped over up to three lines), "<name> wrote:", Mutt's "* <name> [<date>]:",
Gmail's old "2010/1/4 <name>:", Evolution's "<date> skrev <name>:", and a bare
"<name>:". :func:`attribution` reads the name out of the end of a paragraph and
says how many lines the attribution takes, so the body reader can cut them from
the text and put the name on the :class:`~threadtui.model.Quote`.
"""

from __future__ import annotations

import re

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
