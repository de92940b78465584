"""A folder of hostile threads: escape sequences, C1 controls, bidi tricks, markup look-alikes.

Every sequence carries a marker (``evil``, ``4242``, ``ZXZpbC1``) that must never
show up inside an escape sequence the program writes, and each thread has a
``shown`` string: its visible placeholder form, which must show up.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from threadtui.model import Paragraph, Post, Quote, Thread, thread_to_json

NBSP = "\u00a0"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200 + b"IEND\xaeB`\x82"
#: Enough ordinary text that a NUL or two does not make the file look binary.
FILLER = " ".join(["Ordinary words keep this thread looking like text."] * 12)

#: Substrings of the content that must never be part of a real escape sequence.
MARKERS = (b"evil", b"4242", b"ZXZpbC1", b"http", b"#evil")
#: OSC numbers content tries to use: window titles, hyperlinks, clipboard, colours.
HOSTILE_OSC = (b"0", b"1", b"2", b"4", b"8", b"52", b"104")


@dataclass(frozen=True)
class Hostile:
    """One thread file: its name, its text, and what must be visible once it is shown."""

    name: str
    text: str
    shown: str  # in the article pane (placeholders, literal markup)
    reply_shown: str  # in the reply pane


def _dump(date: str, title: str, author: str, body: list[str], replies: list[tuple]) -> str:
    lines = [f" date {date}", "", title, "", author, "", author, ""]
    for paragraph in body:
        lines += [paragraph, ""]
    for reply_author, stamp, text in replies:
        lines += [NBSP, reply_author, stamp, text, ""]
    return "\n".join(lines) + "\n"


THREADS = [
    Hostile(
        "01-csi.txt",
        _dump(
            "2023-05-09",
            "CSI \x1b[31;5;7mred\x1b[0m title",
            "mal\x1b[4242;4242Hlory",
            ["Wipe \x1b[2J\x1b[H4242 here, hide \x1b[?25l the cursor.", FILLER],
            [("bob", "May 9, 2023 #2", "Reply \x1b[4242;1H\x1b[K moves and \x1b[6n asks.")],
        ),
        shown="CSI ␛[31;5;7mred␛[0m title",
        reply_shown="Reply ␛[4242;1H␛[K moves",
    ),
    Hostile(
        "02-osc.txt",
        _dump(
            "2023-05-08",
            "OSC \x1b]0;evil-title\x07 title",
            "eve\x1b]2;evil-two\x1b\\",
            [
                "Clip \x1b]52;c;ZXZpbC1wYXlsb2Fk\x07 done.",
                "Link \x1b]8;;http://evil.example/\x07click\x1b]8;;\x07 here.",
                "Colour \x1b]4;1;rgb:ff/00/00\x1b\\ and reset \x1b]104\x07.",
            ],
            [
                (
                    "bob",
                    "May 8, 2023 #2",
                    "DCS \x1bPq#evil-dcs\x1b\\ and APC \x1b_evil-apc\x1b\\ end",
                )
            ],
        ),
        shown="Clip ␛]52;c;ZXZpbC1wYXlsb2Fk␇ done.",
        reply_shown="DCS ␛Pq#evil-dcs␛\\ and APC",
    ),
    Hostile(
        "03-c1-nul.txt",
        _dump(
            "2023-05-07",
            "C1 \x9b31m and \x9d0;evil-c1\x9c title",
            "carol",
            [f"NUL nul\x00here, DEL \x7f, BEL \x07, NEL \x85 end. {FILLER}"],
            [("bob", "May 7, 2023 #2", "C1 CSI \x9b4242;4242H in a reply")],
        ),
        shown="nul␀here, DEL ␡, BEL ␇, NEL ⟨U+0085⟩ end.",
        reply_shown="C1 CSI ⟨U+009B⟩4242;4242H",
    ),
    Hostile(
        "04-bidi.txt",
        _dump(
            "2023-05-06",
            "Bidi \u202eevil-rlo\u202c and \u2066isolate\u2069 title",
            "zw\u200bsp\u200dace",
            ["Zero \u200b\u200c\u2060\ufeff width and \u202dLRO\u202c and \u2067RLI\u2069."],
            [("bob", "May 6, 2023 #2", "Reply \u202eevil-reply\u202c reversed")],
        ),
        shown="Bidi ⟨U+202E⟩evil-rlo⟨U+202C⟩ and ⟨U+2066⟩isolate⟨U+2069⟩ title",
        reply_shown="Reply ⟨U+202E⟩evil-reply⟨U+202C⟩ reversed",
    ),
    Hostile(
        "05-markup.json",
        json.dumps(
            thread_to_json(
                Thread(
                    title="[bold]Markup[/bold] [link=http://x]title[/link] [/] [",
                    article=Post(
                        1,
                        author="[red]mallory[/]",
                        date="2023-05-05",
                        blocks=(
                            Paragraph(
                                "[b]not bold[/b] \\[escaped] [link=http://x]click[/] "
                                "[@click=app.quit]q[/] ["
                            ),
                        ),
                    ),
                    replies=(
                        Post(
                            2,
                            author="[reverse]bob[/reverse]",
                            title="[link=http://x]re[/link] \x1b]0;evil-re\x07",
                            blocks=(
                                Quote("[i]quoter", (Paragraph("[u]quoted[/u] ["),)),
                                Paragraph("[blink]reply[/blink] ["),
                            ),
                        ),
                    ),
                    date="2023-05-05",
                )
            )
        ),
        shown="[b]not bold[/b] \\[escaped] [link=http://x]click[/]",
        reply_shown="[reverse]bob[/reverse]",
    ),
]

#: A file that cannot be read, with markup and an escape in its name.
BAD_NAME = "06-[b]bad[i] \x1b]0;evil-name\x07.txt"
BAD_SHOWN = "06-[b]bad[i] ␛]0;evil-name␇.txt could not be read"


def write_hostile(folder: Path) -> Path:
    """Write every hostile thread (and the unreadable one) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for thread in THREADS:
        (folder / thread.name).write_text(thread.text, encoding="utf-8")
    (folder / BAD_NAME).write_bytes(PNG)
    return folder


#: File names as a shell glob hands them over (``threadtui parse *``): one argparse takes for
#: an option (and, before the fix, echoed raw: an OSC 0 that sets the title), one with C1
#: and bidi controls, one that is not there.
DASH_NAME = "--\x1b]0;evil-arg\x07.txt"
DASH_SHOWN = "--␛]0;evil-arg␇.txt"
C1_NAME = "07-\x9b4242;4242H \u202eevil-c1\u202c.txt"
C1_SHOWN = "07-⟨U+009B⟩4242;4242H ⟨U+202E⟩evil-c1⟨U+202C⟩.txt"
GONE_NAME = "gone \x1b]0;evil-gone\x07.txt"
GONE_SHOWN = "gone ␛]0;evil-gone␇.txt"


#: The bidi thread without its zero-width characters: ``parse`` keeps those as they are
#: (JSON data, harmless to a terminal, and in real files), only ``show`` and the reader
#: draw them as placeholders.
BIDI_TEXT = THREADS[3].text.translate(dict.fromkeys([0x200B, 0x200C, 0x2060, 0xFEFF]))


def write_hostile_names(folder: Path) -> Path:
    """:func:`write_hostile`, plus threads under the hostile names (not GONE_NAME)."""
    write_hostile(folder)
    (folder / DASH_NAME).write_text(BIDI_TEXT, encoding="utf-8")
    (folder / C1_NAME).write_text(THREADS[2].text, encoding="utf-8")  # the C1 thread
    return folder
