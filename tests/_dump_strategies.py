"""Hypothesis strategies for text dumps: dump-like documents full of the parser's traps."""

from __future__ import annotations

from hypothesis import strategies as st

from threadtui.parsing.common.lines import WHITESPACE

NBSP = "\u00a0"

# ------------------------------------------------------------------ generated dumps

# Text with everything a stranger might paste: controls, bidi overrides, NBSP,
# combining marks, emoji, CJK, RTL. No line breaks: the composer places those.
_WEIRD = "\x00\x07\x1b\x7f\x85\u200b\u200d\u202e\u2066\ufeff\u00a0\u2028\t\x0b\x0c\u0301"
_CHARS = st.characters(blacklist_categories=["Cs"], blacklist_characters="\r\n")
_RAW = st.text(_CHARS, min_size=1, max_size=40)
_WORDS = st.sampled_from(
    "the a ridge path Zoë 茶 شاي תה 👩‍🍳 🇲🇦 said: Click expand... • — - # > [b] "
    "http://x.example/p 2023 May 4, #2 Reactions: Senior Member What's new".split(" ")
)
_SENTENCE = st.lists(_WORDS, min_size=1, max_size=12).map(" ".join)
_TEXT = st.one_of(
    _SENTENCE,
    _SENTENCE.map(lambda s: s + "."),
    _RAW,
    st.tuples(_SENTENCE, st.sampled_from(_WEIRD), _SENTENCE).map("".join),
)
_NAME = st.one_of(
    st.sampled_from(
        ["beijingwalker", "Zoë_bakes", "[NL]Daan", "山田はなこ", "مريم", "Sam Ellery"]
        + ["[b]user[/b]", "user (mod)", "**user**"]  # names that look like markup
    ),
    st.text(
        st.characters(whitelist_categories=("L", "N"), whitelist_characters="_ .-[]"),
        min_size=1,
        max_size=20,
    ),
)
# Lines that look like structure: each is a trap for some rule of the parser.
_SPECIAL = st.sampled_from(
    [
        "#### ArgonautQuest",
        "##### Hop - AC8NS",
        "### Reply #6",
        "# How to create an equation",
        "Beren -> RE: subject (12/10/2011 5:56:36 PM)",
        "Post subject: Rules Discussion",
        "PostPosted: Wed Aug 08, 2007 7:52 pm",
        "Thread starter beijingwalker",
        "Start date May 4, 2023",
        "ORIGINAL: Beren",
        "Quote from: Eccentro on August 08, 2011, 07:28:07 PM",
        "Originally Posted by woffie View Post",
        "Quote: Originally Posted by woffie",
        "quote:",
        "Click to expand...",
        "said:",
        " said:",
        "x said: ↑",
        "…",
        "...",
        ">",
        "> >",
        "• May 4, 2023",
        "• Peter Martin - Bloomberg News",
        "  •  ",
        "What's new",
        "Log in Register",
        "Senior Member",
        "Joined",
        "Joined:",
        "Messages",
        "13",
        "11,760",
        "#1",
        "Post #3 of 30",
        "The following 2 users say thank you",
        "Liked by 3 people",
        "View attachment 70063",
        "Willson微博 MQA科普及飞傲产品的MQA支持情况629.png",
        "photo.JPG",
        ".png",
        "https://",
        "[a](https://b.example/c)",
        "[a](ftp://b)",
        "2021-09",
        "2022-02-30",
        "Mar 15, 2022 at 9:48 PM Thread Starter Post #1 of 30",
        "6m ago",
        " date 2023-05-06",
        "\u00a0",
        "\u00a0 \u00a0",
        "\t",
        "\x0c",
        "\u2028",
        "\x85",
        # Controls beside syntax: Python's "\s" takes them, the format does not.
        "x\x85 said:",
        "Originally Posted by \x1fX",
        "Quote from: \x1cX",
        "#### \x85X",
        "# \x85 the",
        "May\x854, 2023",
        "May 4, 2023\x1e#2",
        "• May\x1d4, 2023",
        "Thread starter\x85bob",
        "\x85date 2023-05-06",
        "\x1b[31mred\x1b[0m",
        "\x1b]52;c;aGk=\x07",
        "\u202eevil\u202c",
    ]
)
_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()


@st.composite
def _date(draw: st.DrawFn) -> str:
    y, m, d = draw(st.integers(1990, 2030)), draw(st.integers(1, 12)), draw(st.integers(1, 28))
    hh, mm = draw(st.integers(1, 12)), draw(st.integers(0, 59))
    ampm = draw(st.sampled_from(["AM", "PM"]))
    mon = _MONTHS[m - 1]
    return draw(
        st.sampled_from(
            [
                f"{mon} {d}, {y}",
                f"{mon} {d}, {y} at {hh}:{mm:02d} {ampm}",
                f"{d} {mon} {y} at {hh}:{mm:02d} {ampm}",
                f"{y}-{m:02d}-{d:02d}",
                f"{m}/{d}/{y} {hh}:{mm:02d}:00 {ampm}",
            ]
        )
    )


@st.composite
def _header(draw: st.DrawFn, number: int) -> list[str]:
    lines: list[str] = []
    if draw(st.booleans()):
        name = draw(_NAME)
        lines += [name] * draw(st.integers(1, 2))
    if draw(st.booleans()):
        lines += draw(
            st.lists(
                st.sampled_from(["Senior Member", "Registered Member", "Moderator", "New member"]),
                max_size=2,
            )
        )
    stats = draw(st.sampled_from(["none", "inline", "split"]))
    if stats == "inline":
        lines += [f"Joined: {draw(_date())}", f"Messages: {draw(st.integers(0, 99999)):,}"]
    elif stats == "split":
        lines += ["Joined", draw(_date()), "Messages", f"{draw(st.integers(0, 99999)):,}"]
    if draw(st.integers(0, 3)) == 0:
        lines.append(draw(_SPECIAL))
    if draw(st.booleans()):
        date = draw(_date())
        lines.append(
            draw(st.sampled_from([date, f"{date} #{number}", f"{date} Post #{number} of 99"]))
        )
        if draw(st.booleans()):
            lines.append(f"#{number}")
    return lines


@st.composite
def _quote(draw: st.DrawFn, depth: int = 0) -> list[str]:
    lines = [
        f"{draw(_NAME)} said:"
        if draw(st.booleans())
        else draw(st.sampled_from(["quote:", "Quote from: x"]))
    ]
    if depth < 3 and draw(st.integers(0, 3)) == 0:
        lines += draw(_quote(depth + 1))
    lines += draw(st.lists(_TEXT, min_size=0, max_size=3))
    ending = draw(st.sampled_from(["close", "close", "blank", "none"]))
    if ending == "close":
        lines.append("Click to expand...")
    elif ending == "blank":
        lines.append("")
    return lines


@st.composite
def _body(draw: st.DrawFn) -> list[str]:
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 5))):
        kind = draw(
            st.sampled_from(
                [
                    "para",
                    "para",
                    "para",
                    "quote",
                    "gt",
                    "attach",
                    "url",
                    "trailer",
                    "blank",
                    "special",
                ]
            )
        )
        if kind == "para":
            lines += draw(st.lists(_TEXT, min_size=1, max_size=3))
        elif kind == "quote":
            lines += draw(_quote())
        elif kind == "gt":
            lines += draw(
                st.lists(
                    st.tuples(st.sampled_from([">", "> ", ">> ", "> > "]), _TEXT).map("".join),
                    min_size=1,
                    max_size=3,
                )
            )
        elif kind == "attach":
            lines += draw(
                st.lists(
                    st.one_of(
                        st.builds(lambda n: f"View attachment {n}", st.integers(1, 99999)),
                        st.builds(
                            lambda w, e: f"{w}{e}",
                            st.sampled_from(["IMG_1", "回路図 2", "1694406968291"]),
                            st.sampled_from([".png", ".jpg", ".webp"]),
                        ),
                    ),
                    min_size=1,
                    max_size=3,
                )
            )
        elif kind == "url":
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            "https://example.org/a?b=[c]",
                            "http://x.example/",
                            "[docs](https://d.example/x)",
                        ]
                    )
                )
            )
        elif kind == "special":
            lines += draw(st.lists(_SPECIAL, min_size=1, max_size=3))
        elif kind == "trailer":
            lines.append(
                draw(
                    st.sampled_from(
                        [
                            "Reactions: a, b and 3 others",
                            "Last edited: May 5, 2023",
                            "Like Tree5Likes",
                        ]
                    )
                )
            )
        else:
            lines.append("")
    return lines


@st.composite
def dumps(draw: st.DrawFn) -> str:
    lines: list[str] = []
    if draw(st.booleans()):
        date = draw(st.sampled_from(["2023-05-06", "2021-09", "2022-02-30", "1999-13"]))
        rest = draw(st.sampled_from(["What's new", "Forums", "", "UrduPoint.com"]) | _TEXT)
        lines.append(f" date {date} {rest}" if rest else f" date {date}")
        lines.append("")
    title = draw(_TEXT)
    starter = draw(_NAME)
    lines += [title, "", starter, "", starter, ""]
    if draw(st.booleans()):
        lines += [title, ""]
    if draw(st.booleans()):
        lines += [f"  • {draw(_NAME)} - {draw(_NAME)}", f"  • {draw(_date())}"]
    lines += draw(_body())
    if draw(st.booleans()):
        lines += ["", draw(_SENTENCE), ""]
    separator = draw(st.sampled_from([NBSP, NBSP, " \u00a0 ", "", "\n"]))
    for number in range(2, 2 + draw(st.integers(0, 5))):
        lines.append(separator)
        lines += draw(_header(number)) + draw(_body())
    if draw(st.booleans()):
        lines.append(NBSP)
    newline = draw(st.sampled_from(["\n", "\n", "\r\n", "\r"]))
    text = newline.join(lines)
    if draw(st.booleans()):
        text += newline
    if draw(st.integers(0, 4)) == 0 and text:
        text = text[: draw(st.integers(0, len(text)))]  # truncated mid-file
    return text


# ------------------------------------------------------------------ head lines

# The words the head rules look up, in spellings that fold or match case-insensitively
# to them: the rule table's first-character hints must admit every one of them.
HEAD_WORDS = (
    ["What's new", "Log in Register", "Reply", "Senior Member", "Moderator", "Staff member"]
    + ["Joined", "Location", "Messages: 5", "Posts 12", "Thread starter bob", "Install"]
    + ["Start date May 4, 2023", "Post #3 of 30", "Posted: Wed Aug 08, 2007 7:52 pm"]
)


def spellings(word: str) -> list[str]:
    """``word`` as typed, in other cases, and with letters that fold or match
    case-insensitively to its own."""
    return [
        word,
        word.upper(),
        word.lower(),
        word.swapcase(),
        word.replace("s", "\u017f").replace("S", "\u017f"),  # ſ folds to s
        word.replace("k", "\u212a").replace("K", "\u212a"),  # the Kelvin sign folds to k
        "\u0130" + word[1:],  # İ folds to i and a combining dot
        "\u0131" + word[1:],  # dotless ı
    ]


_FOLDED = st.sampled_from(HEAD_WORDS).flatmap(lambda word: st.sampled_from(spellings(word)))


@st.composite
def head_lines(draw: st.DrawFn) -> list[str]:
    """The first lines of a segment: header lines in any order, some body lines, blanks."""
    pieces = st.one_of(
        _header(draw(st.integers(1, 40))),
        st.lists(st.one_of(_SPECIAL, _FOLDED, _NAME, _TEXT, _date(), st.just("")), max_size=4),
    )
    lines = [line for piece in draw(st.lists(pieces, max_size=5)) for line in piece]
    return [line.strip(WHITESPACE) for line in lines]
