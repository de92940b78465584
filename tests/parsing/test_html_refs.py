"""Numeric character references in HTML: what they name is kept, controls included.

:func:`html.unescape` deletes a reference to a C0 control or DEL (``&#27;``,
``&#x1b;``, ``&#7;``), so ``<p>a&#27;b&#x1b;c&#7;d</p>`` read as ``abcd`` in forum
JSON, Hacker News and HTML-only mail: text lost without a trace. The readers keep
the characters (the views show them as placeholders, as they show the same
characters written literally), and a reference too long for any number no longer
raises ValueError.
"""

from __future__ import annotations

import base64
import html
import json
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from threadtui.model import Attachment, Link, Paragraph
from threadtui.parsing.common.html_blocks import html_to_blocks, html_to_text
from threadtui.parsing.common.html_lines import LINE_TRIM, WS_RUN
from threadtui.parsing.json import forum, hn
from threadtui.parsing.mail import html as mail_html
from threadtui.parsing.mail import mbox

CONTROLS = "<p>a&#27;b&#x1b;c&#7;d</p>"
KEPT = "a\x1bb\x1bc\x07d"


def test_forum_json_keeps_referenced_controls() -> None:
    thread = forum.parse(
        json.dumps(
            {
                "format_version": "xenforo-2-thread",
                "title": "t&#7;",
                "posts": [{"user": "u&#x1f;", "date": "2021-03-04", "text": CONTROLS}],
            }
        )
    )
    assert thread.article.blocks == (Paragraph(KEPT),)
    assert (thread.title, thread.article.author) == ("t\x07", "u\x1f")


def test_hacker_news_keeps_referenced_controls() -> None:
    story = {"id": 1, "title": "s", "user": "u", "time": 1600000000, "content": CONTROLS}
    story["comments"] = [
        {"id": 2, "level": 0, "user": "v", "time": 1600000060, "content": CONTROLS}
    ]
    thread = hn.parse(json.dumps(story))
    assert thread.article.blocks[-1] == Paragraph(KEPT)
    assert thread.replies[0].blocks == (Paragraph(KEPT),)


def test_html_mail_keeps_referenced_controls() -> None:
    body = base64.encodebytes(CONTROLS.encode()).decode()
    text = (
        "From someone@example.org Mon Jan  4 10:00:00 2010\nFrom: a@b\nSubject: s\n"
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
        f"Content-Transfer-Encoding: base64\n\n{body}\n"
    )
    assert mbox.parse(text).article.blocks == (Paragraph(KEPT),)
    assert mail_html.html_to_text(CONTROLS) == KEPT


@pytest.mark.parametrize(
    ("html", "blocks"),
    [
        # what html.unescape keeps is kept as it keeps it
        ("<p>&#0;&#65;&#x85;&#13;x&#x2028;</p>", (Paragraph("\ufffdA\u2026 x\u2028"),)),
        ("<p>&#x7f&#1;x&#x0B;</p>", (Paragraph("\x7f\x01x\x0b"),)),  # no ";" needed
        # in attribute values too
        ('<a href="h&#7;">x</a>', (Link("x", "h\x07"),)),
        ('<img src="p.png" alt="a&#x1c;b">', (Attachment("a\x1cb"),)),
        # unquoted: the reference is no white space that ends the value
        ("<img src=p.png alt=a&#x1c;b>", (Attachment("a\x1cb"),)),
        # scripts and styles are not decoded: inside <pre> a script is text as written
        ("<pre><script>&#27;</script></pre>", (Paragraph("&#27;"),)),
        # the private-use stand-in, written literally, is text like any other
        ("<p>\ue000!\ue000#27;&#xE000;</p>", (Paragraph("\ue000!\ue000#27;\ue000"),)),
        # a number too long for any character: U+FFFD, as html.unescape reads one
        ("<p>&#" + "1" * 5000 + ";z &#" + "0" * 5000 + "65;</p>", (Paragraph("\ufffdz A"),)),
        ("<p>&#x" + "f" * 5000 + ";</p>", (Paragraph("\ufffd"),)),
    ],
    ids=[
        "unescape-kept", "no-semicolon", "href", "alt", "unquoted-alt", "script-in-pre",
        "stand-in", "long-decimal", "long-hex",
    ],
)  # fmt: skip
def test_references_the_readers_decode(html: str, blocks: tuple[object, ...]) -> None:
    assert html_to_blocks(html) == blocks


def test_one_line_fields_keep_them_too() -> None:
    assert html_to_text("Re: <b>a&#27;b</b>") == "Re: a\x1bb"


_REF = st.one_of(
    st.integers(0, 0x11_0000).map(lambda n: f"&#{n};"),
    st.integers(0, 0x11_0000).map(lambda n: f"&#x{n:x}"),
    st.integers(0, 0x20).map(lambda n: f"&#{n:03}"),
    st.sampled_from(["&amp;", "&lt", "&#", "&#x", "&", "\ue000", "!", "#7;", "x", " "]),
)
_DROPPED = {*range(1, 9), 0x0B, *range(0x0E, 0x20), 0x7F}
_NUMERIC = re.compile(r"&#(?:[xX]([0-9a-fA-F]+)|([0-9]+));?")


def _literal_controls(match: re.Match[str]) -> str:
    code = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return chr(code) if code in _DROPPED else match.group()


@given(st.lists(_REF, max_size=12).map("".join))
@example("a&#27;b&#x1b;c&#7;d")
@example("&lt&#7;")
def test_text_reads_as_html_unescape_reads_it_with_the_controls_kept(text: str) -> None:
    # The same text with the controls written literally, which html.unescape keeps.
    expected = html.unescape(_NUMERIC.sub(_literal_controls, text))
    expected = WS_RUN.sub(" ", expected).strip(LINE_TRIM)
    blocks = html_to_blocks(text)
    assert blocks == ((Paragraph(expected),) if expected else ())


def test_the_reference_filters_find_every_reference_that_needs_a_mark() -> None:
    # The readers run the exact decision (html_lines._mark) only where two regular
    # expressions say it may be needed: they must agree with it on every reference.
    from threadtui.parsing.common import html_lines

    kept = {*range(1, 9), 0x0B, *range(0x0E, 0x20), 0x7F, 0xE000}
    numbers = [*range(0x200), 0xDFFF, 0xE000, 0xE001, 0x10FFFF, 0x110000, 10**7, 10**8]
    for n in numbers:
        for ref in (f"&#{n};", f"&#{n}", f"&#x{n:x};", f"&#X{n:X}", f"&#00{n};", f"&#{n:08d}"):
            for text in (ref, ref + "x", ref + "5", ref + ";", ref + "&#65;"):
                first = _NUMERIC.match(text)
                assert first is not None
                digits = first.group(1) or first.group(2)
                code = int(digits, 16 if first.group(1) else 10)
                needs = len(digits) > 7 or code in kept
                candidate = html_lines._NUMERIC.match(text)
                assert (candidate is not None) == needs, text
                assert candidate is None or html_lines._mark(candidate) != candidate.group()
                assert not needs or html_lines._MAY_NEED_MARK.match(text), text
