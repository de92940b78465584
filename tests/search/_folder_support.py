"""Helpers and Hypothesis strategies the folder-search tests share: what the in-thread
search finds, and hostile text dumps with queries drawn from their own text."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import strategies as st

from threadtui.model import Thread
from threadtui.parsing import parse_path
from threadtui.search import ARTICLE, Query, ThreadIndex
from threadtui.search.fields import article_fields, reply_fields
from threadtui.search.folder import FolderError, FolderHit

# --------------------------------------------------------------------------- helpers


def in_thread(path: str, query: Query) -> list[tuple[int, int, int, int]]:
    """What the reader's in-thread search finds: (location, field, start, end) each."""
    result = ThreadIndex(parse_path(path)).search(query)
    assert result is not None
    return [
        (h.location, h.field, h.start, h.end) for h in (result.hit(k) for k in range(len(result)))
    ]


def fields_of(thread: Thread, location: int) -> list[str]:
    if location == ARTICLE:
        return list(article_fields(thread))
    post = [p for p, _ in thread.walk_replies()][location]
    return list(reply_fields(post))


def hits_of(items: list[FolderHit | FolderError]) -> list[FolderHit]:
    return [item for item in items if isinstance(item, FolderHit)]


# Characters chosen to trip every way a field differs from the file's text: controls that
# become placeholders, the placeholders' own characters, whitespace the parser strips or
# folds, composed/decomposed accents and the marks NFC joins to "<", ">", "=", full case
# folds (ß/ss, ﬀ, Kelvin sign, ǰ), zero-width joiners and emoji, tag characters and flags.
_CHARS = [
    "a", "b", "e", "f", "s", "S", "t", "x", "U", "+", "0", "2", "D", "k", "K", "j", "J",
    "ß", "ẞ", "ﬀ", "\u212a", "\u01f0", "\u030c", "é", "e\u0301", "\u0301", "\u0338", "\u0345",
    "ι", "İ", "i", "ς", "Σ", "가", "\u1100", "\u1161", "\u11a8", "≯", "Å", "\u212b",
    "⟨", "⟩", "␛", "\x1b", "\x07", "\x00", "\x85", "\u202e", "\u00ad", "\u200d", "\u2028",
    "👩", "🍳", "🏴", "\U000e0067", "\U000e007f", "\t", "\u00a0", "\u3000", "\u205f", " ", " ",
    ">", "[", "]", "(", ")", ":", "#", "-", "•", "·", ".",
]  # fmt: skip
_word = st.lists(st.sampled_from(_CHARS), min_size=1, max_size=6).map("".join)
_phrase = st.lists(_word, min_size=1, max_size=5).map(" ".join)
# Lines that make the parser take each of its paths (quotes, links, bylines, headers...).
_line = st.one_of(
    _phrase,
    _phrase,
    _phrase.map(lambda p: f"> {p}"),
    _phrase.map(lambda p: f">{p}"),
    _phrase.map(lambda p: f">> {p}"),
    _word.map(lambda w: f"{w} said:"),
    st.just("Click to expand..."),
    _word.map(lambda w: f"Quote from: {w} on May 4, 2023"),
    _word.map(lambda w: f"Originally Posted by {w}View Post"),
    _word.map(lambda w: f"ORIGINAL: {w}"),
    st.tuples(_word, _word).map(lambda t: f"[{t[0]}](https://x.example/{t[1]})"),
    _word.map(lambda w: f"https://x.example/{w}"),
    _word.map(lambda w: f"{w}.png"),
    _word.map(lambda w: f"#### {w}"),
    _word.map(lambda w: f"Post subject: {w}"),
    st.tuples(_word, _word).map(lambda t: f"{t[0]} -> {t[1]} (5/4/2023)"),
    _word.map(lambda w: f"Thread starter {w}"),
    st.tuples(_word, _word).map(lambda t: f"• {t[0]} - {t[1]}"),
    st.just("• May 4, 2023"),
    st.just("Senior Member"),
    st.just("Jan 2, 2024 #3"),
    st.just("\u00a0"),
    st.just(""),
    st.just(" date 2024-01-02 What's new"),
    _phrase.map(lambda p: f" date 2024-01-02 {p}"),
    _phrase.map(lambda p: f"  {p}\t \u00a0"),
)
_eol = st.sampled_from(["\n", "\n", "\r\n", "\r"])


@st.composite
def dumps(draw: st.DrawFn) -> str:
    lines = draw(st.lists(_line, min_size=1, max_size=14))
    out = []
    for line in lines:
        out.append(line + draw(_eol))
    return "".join(out)


def all_fields(thread: Thread) -> list[str]:
    fields = list(article_fields(thread))
    for post, _ in thread.walk_replies():
        fields.extend(reply_fields(post))
    return fields


QuerySpec = tuple[str, bool, bool, bool | None]  # text, is_regex, whole_word, case_sensitive


@st.composite
def queries_for(draw: st.DrawFn, thread: Thread) -> QuerySpec | None:
    """A query, most often built from a piece of the thread's own text so that it matches.

    Compiled by the test, not here: compiling may shrink the regex module's cache, which
    uses ``random``, and strategies must not touch it.
    """
    fields = [unicodedata.normalize("NFC", f) for f in all_fields(thread) if f]
    if fields and draw(st.integers(0, 4)):
        field = draw(st.sampled_from(fields))
        start = draw(st.integers(0, len(field) - 1))
        end = draw(st.integers(start + 1, min(len(field), start + 12)))
        text = field[start:end]
        text = draw(
            st.sampled_from(
                [
                    text,
                    text.upper(),
                    text.lower(),
                    text.casefold(),
                    unicodedata.normalize("NFD", text),
                ]
            )
        )
    else:
        text = draw(_word)
    kind = draw(
        st.sampled_from(
            [
                "literal",
                "literal",
                "regex",
                "optional",
                "alternative",
                "open",
                "split",
                "fuzzy",
                "around",
            ]
        )
    )
    case = draw(st.sampled_from([None, True, False]))
    whole = draw(st.booleans())
    escaped = regex.escape(text)
    # "zq7" (and "q") is in no generated file: only a prefilter that wrongly requires it fails.
    is_regex = kind != "literal"
    source = {
        "literal": text,
        "regex": escaped,
        "optional": f"(?:{escaped})+(?:zq7)?(zq7)*(?!zq7)(?<!zq7)",
        "alternative": f"(?:zq7|{escaped})",
        "open": f"(?:zq7|{escaped}|[^\\w\\s])",  # a branch without anchors: needs nothing
        "split": "",
        "around": "",
        "fuzzy": f"(?:{escaped}q){{e<=1}}",  # "q" is in no file either
    }[kind]
    if kind == "split":
        cut = draw(st.integers(0, len(text)))
        # (Not "(?:\\w|\\W)?": the regex module never returns from "(?fi)\\w?J\u030c" on
        # "\u01f0x", a bug of its own that would hang this test.)
        source = f"{regex.escape(text[:cut])}(?:zq7)?{regex.escape(text[cut:])}"
    if kind == "around":
        # Plain words around an alternation of plain words: the prefilter spells them out.
        cut = draw(st.integers(0, len(text)))
        cut2 = draw(st.integers(cut, len(text)))
        head, middle, tail = (regex.escape(t) for t in (text[:cut], text[cut:cut2], text[cut2:]))
        source = f"{head}(?:zq7|{middle}|q){tail}"
    if not text.strip() and not is_regex:
        return None
    return source, is_regex, whole, case


_number = st.integers(0, 12).map(str) | st.sampled_from(["99", "1" * 16, "٣", "00"])
# Lines of a post's head and body: header numbers that go up, down or jump, numbers in
# bodies, stats keys, ranks, and long prose (what makes _surely_a_post sure).
_post_line = st.one_of(
    _line,
    _word,
    _number.map(lambda n: f"Jan 2, 2024 at 4:12 PM #{n}"),
    _number.map(lambda n: f"Jan 2, 2024 # {n}"),
    _number.map(lambda n: f"Post #{n} of 30"),
    _number.map(lambda n: f"## Reply #{n}"),
    _number.map(lambda n: f"#{n}"),
    st.sampled_from(["Joined", "Messages: 5", "Posts 12", "Senior Member", "Jan 2, 2024"]),
    st.just("Plain prose that runs on for well over forty characters, as replies do."),
    st.tuples(_phrase, _phrase).map(lambda t: f"{t[0]} and so on and so forth {t[1]}"),
    st.tuples(_phrase, _number).map(lambda t: f"{t[0]} is a long line that cites #{t[1]}"),
)


@st.composite
def segmented_dumps(draw: st.DrawFn) -> str:
    """Dumps with separator lines between posts, most posts with a head."""
    out = draw(st.lists(_line, min_size=1, max_size=4))
    for _ in range(draw(st.integers(0, 8))):
        out.append(draw(st.sampled_from(["\u00a0", " \u00a0 "])))
        out.extend(draw(st.lists(_post_line, max_size=6)))
    eol = draw(_eol)
    return eol.join(out) + draw(st.sampled_from(["", eol]))
