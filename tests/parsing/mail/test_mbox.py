"""mbox archives: sniffing, splitting, MIME, threading, body blocks, hostile input, real files."""

from __future__ import annotations

import base64
import re
import time
from pathlib import Path

import pytest
from _support import REALDATA
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from threadtui import parsing
from threadtui.errors import ParseError
from threadtui.model import (
    Attachment,
    Block,
    Paragraph,
    Post,
    Quote,
    Thread,
    thread_from_json,
    thread_to_json,
)
from threadtui.parsing.common.decode import decode
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.json.native import dumps
from threadtui.parsing.mail import body as mail_body
from threadtui.parsing.mail import html as mail_html
from threadtui.parsing.mail import mbox
from threadtui.parsing.mail import message as mail_message
from threadtui.parsing.mail import split as mail_split
from threadtui.parsing.mail import thread as mail_thread

MBOX_DIR = REALDATA / "mbox"
FEDORA = MBOX_DIR / "fedora-devel-list_2010-January.mbox"
FEDORA_TRUTH = MBOX_DIR / "fedora-devel-list_2010-January_thread.html"
B4 = MBOX_DIR / "b4_trailers-thread-with-followups.mbox"

SEP = "From someone@example.org Mon Jan  4 10:00:00 2010"


def msg(
    body: str = "Hello.",
    *,
    subject: str | None = "Topic",
    sender: str | None = "Jane Doe <jane@example.org>",
    date: str | None = "Mon, 4 Jan 2010 10:00:00 +0000",
    mid: str | None = None,
    irt: str | None = None,
    refs: str | None = None,
    extra: str = "",
    separator: str = SEP,
) -> str:
    """One mbox message (separator, headers, blank line, body)."""
    head = [separator]
    if sender is not None:
        head.append(f"From: {sender}")
    if date is not None:
        head.append(f"Date: {date}")
    if subject is not None:
        head.append(f"Subject: {subject}")
    if mid is not None:
        head.append(f"Message-ID: <{mid}>")
    if irt is not None:
        head.append(f"In-Reply-To: <{irt}>")
    if refs is not None:
        head.append(f"References: {refs}")
    if extra:
        head.append(extra.rstrip("\n"))
    return "\n".join(head) + "\n\n" + body.rstrip("\n") + "\n\n"


def parse(*messages: str, encoding: str = "utf-8") -> Thread:
    return mbox.parse("".join(messages), source="list.mbox", encoding=encoding)


def posts(thread: Thread) -> list[Post]:
    """The article, then every reply in reading order."""
    return [thread.article, *(post for post, _depth in thread.walk_replies())]


def by_number(thread: Thread) -> dict[int, Post]:
    return {post.number: post for post in posts(thread)}


def body_of(text: str) -> list[Block]:
    return mail_body.body_blocks(text)


def real(path: Path) -> Thread:
    if not path.is_file():
        pytest.skip(f"{path} not present")
    decoded = decode(path.read_bytes())
    return mbox.parse(decoded.text, source=str(path), encoding=decoded.encoding)


# --------------------------------------------------------------------------- sniff


@pytest.mark.parametrize(
    "text",
    [
        msg(),
        "\ufeff\n\n" + msg(),
        msg().replace("\n", "\r\n"),
        # pipermail's obfuscated sender, Thunderbird's dash, mboxrd's epoch date
        msg(separator="From jane at example.org  Thu Dec 31 22:50:51 2009"),
        msg(separator="From - Thu Jan 01 00:00:00 1970"),
        msg(separator="From mboxrd@z Thu Jan  1 00:00:00 1970"),
        # headers folded over several lines before the first key header
        SEP + "\nReceived: from a\n\tby b\n\tfor <c>\nSubject: x\n\nbody\n",
    ],
)
def test_sniff_accepts_mbox(text: str) -> None:
    assert mbox.sniff(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "A thread title\n\nFrom the desk of the editor: hello.\n",
        "From the desk of the editor\n\nWe met on Jan 4, 2010 at 10:00.\n",
        "From time to time 10:00 2010\nwe meet.\n",
        # a separator-like first line but no header block under it
        SEP + "\n\nJust text.\n",
        SEP + "\nNot a header line\nFrom: x\n",
        # headers, but none that says mail
        SEP + "\nX-Foo: 1\nX-Bar: 2\n\nbody\n",
        "Subject: hi\nFrom: x\n\nno separator\n",
        "intro line\n" + msg(),
    ],
)
def test_sniff_refuses_text_that_merely_holds_from(text: str) -> None:
    assert not mbox.sniff(text)


def test_the_real_archives_sniff_as_mbox_and_other_real_data_does_not() -> None:
    if not MBOX_DIR.is_dir():
        pytest.skip("real data not present")
    for path in (FEDORA, B4):
        assert mbox.sniff(decode(path.read_bytes()).text), path
    others = [p for p in MBOX_DIR.parent.rglob("*") if p.is_file() and p.parent != MBOX_DIR]
    for path in others:
        try:
            text = decode(path.read_bytes()).text
        except ParseError:
            continue
        assert not mbox.sniff(text), path


def test_the_registry_routes_mbox_here_when_registered() -> None:
    if not any(fmt.name == mbox.FORMAT for fmt in parsing.FORMATS):
        pytest.skip("mbox is not registered in threadtui.parsing yet")
    assert parsing.sniff(msg()).name == mbox.FORMAT
    assert parsing.sniff("From the desk of the editor\n\nHello.\n").name != mbox.FORMAT
    thread = parsing.parse_bytes(msg().encode(), source="x.mbox")
    assert thread.format == "mbox"


# --------------------------------------------------------------------------- splitting


def test_mboxo_from_escaping_is_undone_once() -> None:
    body = ">From the start\n>>From a quote\nFrom nowhere\n"
    thread = parse(msg(body))
    assert thread.article.blocks[0] == Paragraph("From the start")
    # mboxo escapes only "From ": ">>From" was written as it is
    assert thread.article.blocks[1] == Quote(None, (Quote(None, (Paragraph("From a quote"),)),))
    assert thread.article.blocks[2] == Paragraph("From nowhere")


def test_mboxrd_from_escaping_loses_one_level() -> None:
    rd = "From mboxrd@z Thu Jan  1 00:00:00 1970"
    body = ">From the start\n>>From a quote\n"
    thread = parse(msg(body, separator=rd))
    assert thread.article.blocks[0] == Paragraph("From the start")
    assert thread.article.blocks[1] == Quote(None, (Paragraph("From a quote"),))


def test_a_from_line_in_a_body_is_no_separator_without_headers_under_it() -> None:
    body = "Before.\n\nFrom me Mon Jan  4 10:00:00 2010\nto you, greetings.\n"
    thread = parse(msg(body), msg("Second.", subject="Other"))
    assert thread.reply_count == 1
    texts = [b.text for b in thread.article.blocks if isinstance(b, Paragraph)]
    assert "From me Mon Jan  4 10:00:00 2010\nto you, greetings." in texts


def test_text_before_the_first_separator_and_a_single_message_are_kept() -> None:
    single = "From: Jane <j@x>\nSubject: Alone\nDate: Mon, 4 Jan 2010 10:00:00 +0000\n\nHi.\n"
    thread = mbox.parse(single)
    assert (thread.title, thread.article.author) == ("Alone", "Jane")
    assert thread.article.blocks == (Paragraph("Hi."),)


def test_crlf_and_blank_input() -> None:
    thread = parse(msg("One\nTwo\n\nThree").replace("\n", "\r\n"))
    assert thread.article.blocks == (Paragraph("One\nTwo"), Paragraph("Three"))
    with pytest.raises(ParseError):
        mbox.parse("\n \n")


# --------------------------------------------------------------------------- headers


@pytest.mark.parametrize(
    ("sender", "author"),
    [
        ("Jane Doe <jane@example.org>", "Jane Doe"),
        ('"Doe, Jane" <jane@example.org>', "Doe, Jane"),
        ("jane@example.org", "jane@example.org"),
        ("<jane@example.org>", "jane@example.org"),
        ("jane@example.org (Jane Doe)", "Jane Doe"),
        ("=?utf-8?q?J=C3=BCrgen_M=C3=BCller?= <j@example.org>", "Jürgen Müller"),
        ("=?iso-8859-1?q?Ren=E9?= <r@example.org>", "René"),
        ("Jürgen Müller <j@example.org>", "Jürgen Müller"),
    ],
)
def test_author_is_the_display_name_else_the_address(sender: str, author: str) -> None:
    assert parse(msg(sender=sender)).article.author == author


def test_no_from_header_means_no_author() -> None:
    assert parse(msg(sender=None)).article.author is None


@pytest.mark.parametrize(
    ("date", "iso"),
    [
        ("Mon, 4 Jan 2010 10:00:00 +0100", "2010-01-04T09:00:00"),
        ("Fri, 1 Jan 2010 09:20:34 +0530", "2010-01-01T03:50:34"),
        ("Thu, 31 Dec 2009 19:50:34 -0800 (PST)", "2010-01-01T03:50:34"),
        ("4 Jan 2010 10:00 -0000", "2010-01-04T10:00:00"),
        ("Mon, 04 Jan 2010 10:00:00 GMT", "2010-01-04T10:00:00"),
        ("not a date", None),
        ("Mon, 32 Jan 2010 10:00:00 +0000", None),
    ],
)
def test_dates_are_iso_in_utc(date: str, iso: str | None) -> None:
    thread = parse(msg(date=date))
    assert thread.article.date == iso
    assert thread.date == iso


@pytest.mark.parametrize(
    ("subject", "title"),
    [
        ("Re: [fedora-devel] Review request begs", "Review request begs"),
        ("RE: Fwd: AW: Sv: the plan", "the plan"),
        ("Re[2]: the plan", "the plan"),
        ("[PATCH 0/4] This is a cover", "[PATCH 0/4] This is a cover"),
        ("[list] [RFC] idea", "[RFC] idea"),
        ("=?utf-8?q?Caf=C3=A9_talk?=", "Café talk"),
        ("A subject\n folded over\n\ttwo lines", "A subject folded over two lines"),
    ],
)
def test_thread_title_is_the_first_subject_cleaned(subject: str, title: str) -> None:
    assert parse(msg(subject=subject)).title == title


def test_missing_subject_falls_back_to_the_file_name() -> None:
    assert parse(msg(subject=None)).title == "list"


@pytest.mark.parametrize(
    ("source", "title"),
    [
        ("dir/caf\\xe9.mbox", "caf\\xe9"),  # an undecodable name's escape is part of it
        ("dir/.mbox", "(no subject)"),
        ("", "(no subject)"),
    ],
)
def test_the_file_name_titles_as_threadtui_parse_names_it(source: str, title: str) -> None:
    assert mbox.parse(msg(subject=None), source=source).title == title


# --------------------------------------------------------------------------- threading


def test_in_reply_to_and_references_build_the_tree() -> None:
    thread = parse(
        msg("Root.", mid="a", subject="Plan"),
        msg("Child.", mid="b", irt="a", subject="Re: Plan"),
        # In-Reply-To names a message not in the archive: the last known References id wins
        msg("Grandchild.", mid="c", irt="gone", refs="<a> <b> <gone>", subject="Re: Plan"),
        msg("Other child.", mid="d", refs="<a>", subject="Re: Plan"),
    )
    assert thread.title == "Plan"
    assert [p.blocks[0] for p in thread.replies] == [Paragraph("Child."), Paragraph("Other child.")]
    assert thread.replies[0].replies[0].blocks[0] == Paragraph("Grandchild.")
    assert [p.number for p in posts(thread)] == [1, 2, 3, 4]
    assert all(p.title is None for p in posts(thread))


def test_every_other_root_is_a_top_level_reply_with_its_subject() -> None:
    thread = parse(
        msg("First thread.", mid="a", subject="[list] First topic"),
        msg("Second thread.", mid="b", subject="Second topic"),
        msg("Orphan.", mid="c", irt="elsewhere", subject="Re: Third topic"),
        msg("Reply to second.", mid="d", irt="b", subject="Re: Second topic"),
    )
    assert thread.title == "First topic"
    assert thread.article.title is None
    assert [p.title for p in thread.replies] == ["Second topic", "Re: Third topic"]
    assert thread.replies[0].replies[0].title is None


def test_a_reply_that_changes_the_subject_keeps_it_as_title() -> None:
    thread = parse(
        msg("Root.", mid="a", subject="Plan"),
        msg("Same.", mid="b", irt="a", subject="Re: [list] plan"),
        msg("Changed.", mid="c", irt="a", subject="New plan (was: Re: Plan)"),
    )
    assert [p.title for p in thread.replies] == [None, "New plan (was: Re: Plan)"]


def test_subject_fallback_when_no_id_links_a_reply() -> None:
    thread = parse(
        msg("Root.", mid="a", subject="[list] Plan"),
        msg("Unrelated.", mid="x", subject="Other"),
        msg("No ids at all.", subject="Re: Plan"),
        msg("Unknown parent.", irt="gone", subject="RE: [list] plan"),
        # not a "Re:": a new thread with the same subject stays a root
        msg("Same subject, new thread.", subject="Plan"),
    )
    under_root = [p.blocks[0] for p in thread.replies if p.title is None]
    assert under_root == [Paragraph("No ids at all."), Paragraph("Unknown parent.")]
    assert [p.title for p in thread.replies if p.title] == ["Other", "Plan"]


def test_loops_in_the_ids_lose_no_message() -> None:
    thread = parse(
        msg("A.", mid="a", irt="b", subject="Loop"),
        msg("B.", mid="b", irt="a", subject="Re: Loop"),
        msg("Self.", mid="s", irt="s", subject="Self"),
        msg("Dup id.", mid="a", irt="a", subject="Re: Loop"),
    )
    assert sorted(p.blocks[0].text for p in posts(thread)) == ["A.", "B.", "Dup id.", "Self."]
    assert len({p.number for p in posts(thread)}) == 4


def test_siblings_read_in_date_order_stable_on_ties_file_order_without_dates() -> None:
    thread = parse(
        msg("Root.", mid="r", date="Mon, 4 Jan 2010 09:00:00 +0000"),
        msg("Late.", mid="l", irt="r", date="Mon, 4 Jan 2010 12:00:00 +0000"),
        msg("Early.", mid="e", irt="r", date="Mon, 4 Jan 2010 10:00:00 +0000"),
        # the same instant written in another zone: a tie, kept in file order
        msg("Tie A.", mid="ta", irt="r", date="Mon, 4 Jan 2010 11:00:00 +0000"),
        msg("Tie B.", mid="tb", irt="r", date="Mon, 4 Jan 2010 12:00:00 +0100"),
        # no date: it keeps its place after the message before it in the file
        msg("Undated.", mid="u", irt="r", date=None),
    )
    assert [p.blocks[0].text for p in thread.replies] == [
        "Early.",
        "Tie A.",
        "Tie B.",
        "Undated.",
        "Late.",
    ]
    assert [p.number for p in thread.replies] == [2, 3, 4, 5, 6]


def test_numbers_follow_reading_order_depth_first() -> None:
    thread = parse(
        msg("Root.", mid="r", date="Mon, 4 Jan 2010 09:00:00 +0000"),
        msg("B.", mid="b", irt="r", date="Mon, 4 Jan 2010 11:00:00 +0000"),
        msg("A.", mid="a", irt="r", date="Mon, 4 Jan 2010 10:00:00 +0000"),
        msg("A1.", mid="a1", irt="a", date="Mon, 4 Jan 2010 12:00:00 +0000"),
    )
    assert [(p.blocks[0].text, p.number) for p in posts(thread)] == [
        ("Root.", 1),
        ("A.", 2),
        ("A1.", 3),
        ("B.", 4),
    ]


# --------------------------------------------------------------------------- body


def test_paragraphs_split_on_blank_lines_and_keep_line_breaks() -> None:
    assert body_of("One line\nanother line\n\n\nNext   \n   indented\n") == [
        Paragraph("One line\nanother line"),
        Paragraph("Next\n   indented"),
    ]


def test_quotes_nest_by_depth() -> None:
    text = "> outer\n> more outer\n>> inner\n> > inner too\n>\n> outer again\nMy answer.\n"
    assert body_of(text) == [
        Quote(
            None,
            (
                Paragraph("outer\nmore outer"),
                Quote(None, (Paragraph("inner\ninner too"),)),
                Paragraph("outer again"),
            ),
        ),
        Paragraph("My answer."),
    ]


def test_quoted_passages_split_by_blank_lines_stay_one_quote() -> None:
    assert body_of("> one\n\n> two\n") == [Quote(None, (Paragraph("one"), Paragraph("two")))]


def test_quote_keeps_the_indentation_after_the_marker() -> None:
    assert body_of(">   $ tclsh\n>   % package require Tk\n") == [
        Quote(None, (Paragraph("  $ tclsh\n  % package require Tk"),))
    ]


@pytest.mark.parametrize(
    ("attribution", "author"),
    [
        ("On Mon, 4 Jan 2010, Jane Doe wrote:", "Jane Doe"),
        ("On Mon, 4 Jan 2010 10:00:00 +0100, Jane Doe <j@x.org> wrote:", "Jane Doe"),
        ("On Tue, Dec 29, 2009 at 7:56 PM, Jane Doe <j@x.org> wrote:", "Jane Doe"),
        ("On 12/30/2009 02:15 AM, Hans de Goede wrote:", "Hans de Goede"),
        ("On Sat, 2010-01-02 at 11:53 +0100, Jane Doe wrote:", "Jane Doe"),
        ("On Thu, 07 Jan 2010 15:24:05 +0100\nJane Doe <j@x.org> wrote:", "Jane Doe"),
        ("On Mon, Jan 4, 2010 at 10:55 AM, Jane Doe\n<j@x.org> wrote:", "Jane Doe"),
        ("On Mon, 4 Jan 2010, Jane Doe wrote", "Jane Doe"),
        ("Jane Doe <j@x.org> wrote:", "Jane Doe"),
        ("Jane Doe wrote:", "Jane Doe"),
        ("nodata wrote:", "nodata"),
        ("* Jane Doe <j@x.org> [2010-01-04 10:00]:", "Jane Doe"),
        ("Quoting Jane Doe (j@x.org):", "Jane Doe"),
        ("2010/1/4 Jane Doe <j@x.org>:", "Jane Doe"),
        ("Am 04.01.2010 10:00, schrieb Jane Doe:", "Jane Doe"),
        ("Le 04/01/2010 10:00, Jane Doe a écrit :", "Jane Doe"),
        ("Dne 1.1.2010 08:10, Jane Doe napsal(a):", "Jane Doe"),
        ("ons 2010-01-06 klockan 17:38 +0100 skrev Jane Doe:", "Jane Doe"),
        ("Jane Doe píše v Čt 07. 01. 2010 v 09:28 -0800:", "Jane Doe"),
        ("Jane Doe:", "Jane Doe"),
    ],
)
def test_attribution_names_the_quote_and_is_not_repeated(attribution: str, author: str) -> None:
    blocks = body_of(f"Hi,\n\n{attribution}\n> quoted text\n\nMy answer.\n")
    assert blocks == [
        Paragraph("Hi,"),
        Quote(author, (Paragraph("quoted text"),)),
        Paragraph("My answer."),
    ]


def test_attribution_at_the_end_of_a_paragraph_or_above_a_blank_line() -> None:
    blocks = body_of("Some words.\nOn Mon, 4 Jan 2010, Jane Doe wrote:\n\n> quoted\n")
    assert blocks == [Paragraph("Some words."), Quote("Jane Doe", (Paragraph("quoted"),))]


@pytest.mark.parametrize(
    "line",
    [
        "As the manual says:",
        "Here is what he wrote:",
        "The steps to reproduce:",
        "FYI:",
        "On the other hand:",
    ],
)
def test_lines_that_are_no_attribution_stay_text(line: str) -> None:
    blocks = body_of(f"{line}\n> quoted\n")
    assert blocks == [Paragraph(line), Quote(None, (Paragraph("quoted"),))]


def test_nested_attributions_name_nested_quotes() -> None:
    text = (
        "On Tue, 5 Jan 2010, Bob wrote:\n"
        "> On Mon, 4 Jan 2010, Alice <a@x.org> wrote:\n"
        ">> The first point.\n"
        ">\n"
        "> Agreed.\n"
        "\n"
        "Me too.\n"
    )
    assert body_of(text) == [
        Quote("Bob", (Quote("Alice", (Paragraph("The first point."),)), Paragraph("Agreed."))),
        Paragraph("Me too."),
    ]


def test_signature_is_the_final_paragraph() -> None:
    blocks = body_of("Thanks.\n\n-- \nJane Doe\nhttp://jane.example.org\n")
    assert blocks == [Paragraph("Thanks."), Paragraph("--\nJane Doe\nhttp://jane.example.org")]


def test_only_the_last_signature_separator_counts_and_a_bare_dashes_line_is_text() -> None:
    blocks = body_of("Text\n--\nnot a signature\n\n-- \nsig\n")
    assert blocks == [Paragraph("Text\n--\nnot a signature"), Paragraph("--\nsig")]


def test_a_quote_after_the_signature_is_read_as_a_quote() -> None:
    blocks = body_of("Top post.\n-- \nJane\n\nOn Mon, 4 Jan 2010, Bob wrote:\n> original\n")
    assert blocks == [
        Paragraph("Top post."),
        Paragraph("--\nJane"),
        Quote("Bob", (Paragraph("original"),)),
    ]


FOOTER = (
    "--\nfedora-devel-list mailing list\nfedora-devel-list@redhat.com\n"
    "https://www.redhat.com/mailman/listinfo/fedora-devel-list\n"
)


def test_list_footer_goes_to_site_chrome_and_the_signature_stays() -> None:
    body = "Thanks.\n\n-- \nJane Doe\n\n" + FOOTER
    thread = parse(msg(body), msg(body, subject="Re: Topic"))
    for post in posts(thread):
        assert post.blocks == (Paragraph("Thanks."), Paragraph("--\nJane Doe"))
    assert thread.site_chrome == (
        "fedora-devel-list mailing list",
        "fedora-devel-list@redhat.com",
        "https://www.redhat.com/mailman/listinfo/fedora-devel-list",
    )


def test_underscore_footer_and_a_quoted_footer_go_to_site_chrome() -> None:
    footer = (
        "_______________________________________________\nDevel-announce mailing list\n"
        "devel-announce@example.org\nhttps://lists.example.org/mailman/listinfo/devel-announce\n"
    )
    quoted = "".join(f"> {line}\n" for line in ("Quoted text.", "", *FOOTER.splitlines(), ""))
    blocks = body_of(quoted + "\nMy reply.\n\n" + footer)
    assert blocks == [Quote(None, (Paragraph("Quoted text."),)), Paragraph("My reply.")]


def test_a_signature_that_mentions_a_url_is_no_footer() -> None:
    blocks = body_of("Hi.\n-- \nAdam Williamson\nIRC: adamw\nhttp://www.happyassassin.net\n")
    assert blocks[-1] == Paragraph("--\nAdam Williamson\nIRC: adamw\nhttp://www.happyassassin.net")


PATCH_BODY = """Fix the thing.

Signed-off-by: Jane Doe <j@x.org>
---
 file2.txt | 1 -
 1 file changed, 1 deletion(-)

diff --git a/file2.txt b/file2.txt
index d5a0124..3eac351 100644
--- a/file2.txt
+++ b/file2.txt
@@ -1,4 +1,3 @@
 This is file 2.
 
-This is a new line in file 2.
 The end.

-- 
2.30.0
"""


def test_a_patch_stays_one_paragraph_with_its_lines() -> None:
    blocks = body_of(PATCH_BODY)
    assert blocks[:2] == [
        Paragraph("Fix the thing."),
        Paragraph("Signed-off-by: Jane Doe <j@x.org>"),
    ]
    patch = blocks[2]
    assert isinstance(patch, Paragraph)
    assert patch.text.startswith("---\n file2.txt | 1 -\n")
    assert "\n\ndiff --git a/file2.txt b/file2.txt\n" in patch.text
    assert "\n This is file 2.\n \n-This is a new line in file 2.\n The end." in patch.text
    assert blocks[3:] == [Paragraph("--\n2.30.0")]


def test_prose_after_a_patch_is_a_paragraph_again() -> None:
    text = "diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new\n\nWhat do you think?\n"
    blocks = body_of(text)
    assert blocks == [
        Paragraph("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +1 @@\n-old\n+new"),
        Paragraph("What do you think?"),
    ]


def test_inline_pgp_armour_is_dropped() -> None:
    text = (
        "-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA1\n\nSigned words.\n\n- -- \nNikola\n"
        "-----BEGIN PGP SIGNATURE-----\nVersion: GnuPG v1\n\niEYEARECAAYFAks\n=bTvR\n"
        "-----END PGP SIGNATURE-----\n"
    )
    assert body_of(text) == [Paragraph("Signed words."), Paragraph("--\nNikola")]


# --------------------------------------------------------------------------- MIME


def multipart(*parts: str, kind: str = "mixed", boundary: str = "BOUNDARY") -> str:
    extra = f'MIME-Version: 1.0\nContent-Type: multipart/{kind}; boundary="{boundary}"'
    body = "".join(f"--{boundary}\n{part.rstrip(chr(10))}\n" for part in parts)
    return msg(body + f"--{boundary}--\n", extra=extra)


def test_plain_part_with_attachments_listed_by_file_name() -> None:
    thread = parse(
        multipart(
            "Content-Type: text/plain; charset=utf-8\n\nSee attached.\n",
            "Content-Type: text/x-vcard; name=jane.vcf\nContent-Disposition: attachment;"
            " filename=jane.vcf\n\nBEGIN:VCARD\n",
            "Content-Type: image/png\nContent-Disposition: attachment;"
            " filename*=utf-8''%C3%BCber.png\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n",
            "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAAA\n",
        )
    )
    assert thread.article.blocks == (
        Paragraph("See attached."),
        Attachment("jane.vcf"),
        Attachment("über.png"),
        Attachment("application/octet-stream"),
    )


def test_signed_message_reads_its_text_and_lists_no_signature() -> None:
    thread = parse(
        multipart(
            "Content-Type: text/plain; charset=us-ascii\n\nSigned text.\n",
            'Content-Type: application/pgp-signature; name="signature.asc"\n\n'
            "-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n",
            kind='signed; micalg=pgp-sha1; protocol="application/pgp-signature"',
        )
    )
    assert thread.article.blocks == (Paragraph("Signed text."),)


def test_alternative_prefers_plain_text() -> None:
    thread = parse(
        multipart(
            "Content-Type: text/plain; charset=utf-8\n\nPlain version.\n",
            "Content-Type: text/html; charset=utf-8\n\n<p>HTML version.</p>\n",
            kind="alternative",
        )
    )
    assert thread.article.blocks == (Paragraph("Plain version."),)


def test_html_only_message_is_stripped_to_text() -> None:
    page = (
        "<html><head><style>p {color: red}</style></head><body>"
        "<p>Hello&nbsp;<b>world</b> &amp; friends.</p><div>Line one<br>Line two</div>"
        "<blockquote><p>Quoted words.</p></blockquote>"
        "<script>alert(1)</script><p>Bye.</p></body></html>"
    )
    encoded = base64.encodebytes(page.encode()).decode()
    extra = (
        "MIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
        "Content-Transfer-Encoding: base64"
    )
    thread = parse(msg(encoded, extra=extra))
    assert thread.article.blocks == (
        Paragraph("Hello world & friends."),
        Paragraph("Line one\nLine two"),
        Quote(None, (Paragraph("Quoted words."),)),
        Paragraph("Bye."),
    )


def test_html_to_text_keeps_pre_and_skips_hidden_elements() -> None:
    text = mail_html.html_to_text("<title>T</title><pre>  code\n    more</pre><p>x</p>")
    assert text == "  code\n    more\n\nx"


@pytest.mark.parametrize(
    ("cte", "charset", "payload", "expected"),
    [
        ("quoted-printable", "iso-8859-1", "Caf=E9 cr=E8me=\n br=FBl=E9e", "Café crème brûlée"),
        ("quoted-printable", "utf-8", "Caf=C3=A9", "Café"),
        ("base64", "koi8-r", base64.b64encode("Привет".encode("koi8-r")).decode(), "Привет"),
        ("base64", "utf-8", base64.b64encode("naïve ☃".encode()).decode(), "naïve ☃"),
        ("8bit", "iso-8859-1", "Café", "Café"),
        ("8bit", "bogus-charset", "Café", "Café"),
    ],
)
def test_transfer_encodings_and_charsets_are_decoded(
    cte: str, charset: str, payload: str, expected: str
) -> None:
    extra = (
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset={charset}\n"
        f"Content-Transfer-Encoding: {cte}"
    )
    assert parse(msg(payload, extra=extra)).article.blocks == (Paragraph(expected),)


def test_8bit_text_is_reread_in_its_charset_when_the_file_was_read_as_a_code_page() -> None:
    # A UTF-8 message inside a file decoded as cp1252 arrives as mojibake.
    mojibake = "Café".encode().decode("cp1252")
    extra = "Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit"
    thread = parse(msg(mojibake, extra=extra), encoding="cp1252")
    assert thread.article.blocks == (Paragraph("Café"),)
    # ... but a file read as UTF-8 already holds the right characters
    thread = parse(msg("Café", extra=extra.replace("utf-8", "iso-8859-1")))
    assert thread.article.blocks == (Paragraph("Café"),)


def test_forwarded_message_is_listed_as_an_attachment() -> None:
    inner = "From: Bob <b@x.org>\nSubject: Original news\n\nInner text.\n"
    thread = parse(
        multipart(
            "Content-Type: text/plain\n\nSee below.\n",
            "Content-Type: message/rfc822\n\n" + inner,
        )
    )
    assert thread.article.blocks == (Paragraph("See below."), Attachment("Original news.eml"))


# --------------------------------------------------------------------------- broken input


def test_a_message_email_cannot_read_is_read_line_by_line(monkeypatch: pytest.MonkeyPatch) -> None:
    real_reader = mail_message._read_with_email

    def flaky(chunk: str, index: int, encoding: str, chrome: SiteChrome) -> mail_message.Mail:
        if "Broken" in chunk:
            raise ValueError("boom")
        return real_reader(chunk, index, encoding, chrome)

    monkeypatch.setattr(mail_message, "_read_with_email", flaky)
    thread = parse(
        msg("Root.", mid="a", subject="Plan"),
        msg("Broken body.\n> quoted", mid="b", irt="a", subject="=?utf-8?q?Broken?="),
        msg("After.", mid="c", irt="b", subject="Re: Plan"),
    )
    broken = thread.replies[0]
    assert (broken.author, broken.date, broken.title) == (
        "Jane Doe",
        "2010-01-04T10:00:00",
        "Broken",
    )
    assert broken.blocks == (Paragraph("Broken body."), Quote(None, (Paragraph("quoted"),)))
    assert broken.replies[0].blocks == (Paragraph("After."),)


@pytest.mark.parametrize(
    "bad",
    [
        # a multipart without a boundary, with a broken one, and bad base64
        msg("text", extra="MIME-Version: 1.0\nContent-Type: multipart/mixed"),
        msg("--x\nno end", extra='Content-Type: multipart/mixed; boundary="x"'),
        msg("!!!not base64", extra="Content-Type: text/plain\nContent-Transfer-Encoding: base64"),
        msg("x", extra="Content-Type: text/plain; charset*=bogus''%FF%FE"),
        msg("x", extra='Content-Disposition: attachment; filename*0*=bad%ZZ; filename*1="x"'),
        msg("x", sender="=?bogus?q?=FF?= <<<@@@>>>", date="Mon, 99 Foo 2010 99:99:99 +9999"),
        msg("x", extra="Message-ID: <<<>>>\nReferences: <a> <<b> c>\nIn-Reply-To: ((("),
        SEP + "\nFrom: x\nnot a header line\nSubject: y\n\nbody\n\n",
        SEP + "\nSubject: headers only, no body\n",
    ],
)
def test_broken_messages_lose_nothing_around_them(bad: str) -> None:
    thread = parse(msg("Before.", subject="Start"), bad, msg("After.", subject="End"))
    texts = [
        p.blocks[0].text for p in posts(thread) if p.blocks and isinstance(p.blocks[0], Paragraph)
    ]
    assert "Before." in texts and "After." in texts
    assert 1 + thread.reply_count == 3
    dumps(thread)  # and it serialises


def test_deep_reply_chain_and_deep_quotes_need_no_recursion() -> None:
    depth = 3000
    chain = [msg("Root.", mid="m0", subject="Chain")]
    chain += [
        msg(f"Reply {n}.", mid=f"m{n}", irt=f"m{n - 1}", subject="Re: Chain")
        for n in range(1, depth)
    ]
    deep_quote = "\n".join(">" * n + " level" for n in range(1, depth)) + "\nAnswer.\n"
    chain.append(msg(deep_quote, mid="q", irt="m0", subject="Re: Chain"))
    started = time.perf_counter()
    thread = parse(*chain)
    assert time.perf_counter() - started < 20
    assert thread.reply_count == depth
    assert max(d for _p, d in thread.walk_replies()) == depth - 2
    data = thread_to_json(thread)
    assert thread_from_json(data).reply_count == depth


def test_long_lines_and_many_separators_stay_linear() -> None:
    noise = "From " + "x" * 200_000 + "\n"
    started = time.perf_counter()
    thread = parse(msg(noise + "> " * 50_000 + "\n" + "-" * 100_000))
    assert time.perf_counter() - started < 10
    assert thread.article.author == "Jane Doe"


_LINES = st.sampled_from(
    [
        "",
        " ",
        "-- ",
        "--",
        "> quoted",
        ">> deeper",
        "> On Mon, 4 Jan 2010, Bob wrote:",
        "On Mon, 4 Jan 2010, Jane Doe wrote:",
        "Jane Doe:",
        "plain words",
        "From nowhere in particular",
        ">From escaped",
        "diff --git a/x b/x",
        "--- a/x",
        "+++ b/x",
        "@@ -1 +1 @@",
        "---",
        " x | 1 +",
        "_______________________________________________",
        "list mailing list",
        "https://lists.example.org/mailman/listinfo/list",
        "Subject: inner",
        "Content-Type: multipart/mixed; boundary=b",
        "--b",
        "<p>html</p>",
        "-----BEGIN PGP SIGNATURE-----",
        "-----END PGP SIGNATURE-----",
        "=?utf-8?q?x?=",
        "\x1b[31m\u202e",
    ]
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.lists(_LINES | st.text(max_size=30), max_size=12),
            st.sampled_from(["a", "b", "c", None]),
            st.sampled_from(["a", "b", "c", "zz", None]),
            st.sampled_from(["Plan", "Re: Plan", "[l] Re: plan", None]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_any_archive_parses_with_one_post_per_message(messages: list) -> None:
    text = "".join(
        msg("\n".join(lines).replace("\r", ""), mid=mid, irt=irt, subject=subject)
        for lines, mid, irt, subject in messages
    )
    thread = mbox.parse(text, source="f.mbox")
    assert 1 + thread.reply_count == len(messages)
    assert sorted(p.number for p in posts(thread)) == list(range(1, len(messages) + 1))
    assert thread_from_json(thread_to_json(thread)) == thread


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_any_text_parses_or_is_refused_cleanly(text: str) -> None:
    try:
        thread = mbox.parse(text)
    except ParseError:
        assert not text.replace("\ufeff", "").strip()
        return
    dumps(thread)


# --------------------------------------------------------------------------- real files


def _truth_parents() -> dict[int, int | None]:
    """Message number -> parent number in the list archive's own thread index.

    MHonArc numbers messages in file order (msg00000 is the first), and shows at
    most four levels: a deeper reply is listed under its ancestor at the third level.
    """
    if not FEDORA_TRUTH.is_file():
        pytest.skip(f"{FEDORA_TRUTH} not present")
    page = FEDORA_TRUTH.read_text(encoding="latin-1")
    page = page[page.index("<HR>") :]
    parents: dict[int, int | None] = {}
    open_lists: list[int | None] = []
    last: int | None = None
    for token in re.finditer(r'<ul>|</ul>|<li><strong><a name="(\d+)"', page, re.IGNORECASE):
        tag = token.group(0).lower()
        if tag == "<ul>":
            open_lists.append(last)
        elif tag == "</ul>":
            open_lists.pop()
        else:
            last = int(token.group(1))
            parents[last] = open_lists[-1] if open_lists else None
    return parents


def test_fedora_archive_threads_as_the_list_archive_does() -> None:
    thread = real(FEDORA)
    truth = _truth_parents()
    assert len(truth) == 292
    # Our tree, keyed by file position (the article's subject and authors are unique
    # enough to map the two; each post's number is its reading position, so map
    # through the file order the parser also keeps).
    assert 1 + thread.reply_count == 292
    ours = _file_order_parents()
    cap = max(_depth(truth, n) for n in truth)
    assert cap == 3
    for number, parent in truth.items():
        chain = _ancestors(ours, number)  # nearest first
        depth = len(chain)
        if depth <= cap:
            assert parent == (chain[0] if chain else None), number
        else:
            assert parent == chain[depth - cap], number
    assert (
        sum(1 for n in truth if truth[n] is None) == sum(1 for n in ours if ours[n] is None) == 60
    )


def _file_order_parents() -> dict[int, int | None]:
    decoded = decode(FEDORA.read_bytes())
    text = decoded.text.replace("\r\n", "\n")
    chrome = SiteChrome()
    mails = [
        mail_message.read_mail(chunk, n, decoded.encoding, chrome)
        for n, chunk in enumerate(mail_split.split_messages(text))
    ]
    mail_thread.thread_mails(mails)
    return {m.index: (m.parent.index if m.parent else None) for m in mails}


def _ancestors(parents: dict[int, int | None], number: int) -> list[int]:
    chain: list[int] = []
    current = parents[number]
    while current is not None:
        chain.append(current)
        current = parents[current]
    return chain


def _depth(parents: dict[int, int | None], number: int) -> int:
    return len(_ancestors(parents, number))


def test_fedora_archive_posts_read_well() -> None:
    thread = real(FEDORA)
    assert thread.title == "Package Review Stats for 2009!"
    assert (thread.article.author, thread.date) == ("Rakesh Pandit", "2010-01-01T03:50:34")
    assert thread.format == "mbox"
    # The 59 other threads, and the article's own replies, are the top-level replies.
    truth = _truth_parents()
    assert len(thread.replies) == 59 + sum(1 for parent in truth.values() if parent == 0)
    everything = posts(thread)
    assert all(p.author and "<" not in p.author for p in everything)
    assert all(
        p.date and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", p.date) for p in everything
    )
    # Siblings are in date order everywhere.
    stack = [thread.replies]
    while stack:
        siblings = stack.pop()
        dates = [p.date for p in siblings]
        assert dates == sorted(dates)
        stack.extend(p.replies for p in siblings)
    # The list footer went to site_chrome, also where it was quoted.
    assert "fedora-devel-list mailing list" in thread.site_chrome
    dump = dumps(thread)
    assert "fedora-devel-list mailing list" not in dump.split('"article"', 1)[1]
    # Quotes carry their authors from attribution lines, which are not repeated.
    authors = _quote_authors(everything)
    assert {"Jiri Moskovcak", "Jan Kratochvil", "Adam Jackson", "Till Maas"} <= authors
    assert not any(re.match(r"\d|On ", a) for a in authors)
    # A Czech attribution and a Latin-1 name decode properly.
    assert "Haïkel Guémar" in authors
    assert "Parag AN(पराग) : 428" in thread.article.blocks[1].text
    # The vCard attachment is listed by name; the PGP signatures are not.
    names = {b.name for p in everything for b in p.blocks if isinstance(b, Attachment)}
    assert names == {"jmoskovc.vcf", "bodhi-no-frozen-rawhide-critpath.patch"}


def _quote_authors(all_posts: list[Post]) -> set[str]:
    found: set[str] = set()
    stack: list[Block] = [b for p in all_posts for b in p.blocks]
    while stack:
        block = stack.pop()
        if isinstance(block, Quote):
            if block.author:
                found.add(block.author)
            stack.extend(block.blocks)
    return found


def test_fedora_archive_round_trips_through_json_and_parses_quickly() -> None:
    thread = real(FEDORA)
    assert thread_from_json(thread_to_json(thread)) == thread
    decoded = decode(FEDORA.read_bytes())
    started = time.perf_counter()
    mbox.parse(decoded.text, encoding=decoded.encoding)
    assert time.perf_counter() - started < 5  # ~0.25 s here


def test_b4_patch_series_with_follow_ups() -> None:
    thread = real(B4)
    assert thread.title == "[PATCH 0/4] This is a cover for test series 1"
    assert thread.article.author == "Konstantin Ryabitsev"
    assert thread.article.date == "2022-10-25T17:38:41"
    assert thread.article.blocks[-1] == Paragraph(
        "--\nKonstantin Ryabitsev <konstantin@linuxfoundation.org>"
    )
    titles = [p.title for p in thread.replies]
    assert titles == [
        "[PATCH 1/4] Remove line 2 from file2",
        "[PATCH 2/4] Add more lines to file 1",
        "[PATCH 3/4] Add some paragraphs to lipsum",
        "[PATCH 4/4] Minor typo changes imitation",
    ]
    for patch in thread.replies:
        diffs = [b for b in patch.blocks if isinstance(b, Paragraph) and "diff --git" in b.text]
        assert len(diffs) == 1
        assert diffs[0].text.startswith("---\n ")
        assert patch.blocks[-1] == Paragraph("--\nb4 0.11.0-dev-58177")
    lipsum = thread.replies[2].blocks
    assert any("\n+\n+Interdum et malesuada" in b.text for b in lipsum if isinstance(b, Paragraph))
    follow_up = thread.replies[3].replies[0]
    assert (follow_up.author, follow_up.title, follow_up.number) == ("Follow Upper", None, 6)
    assert follow_up.blocks == (
        Quote(
            None,
            (
                Paragraph("Life imitatus artem."),
                Paragraph("Signed-off-by: Konstantin Ryabitsev <konstantin@linuxfoundation.org>"),
            ),
        ),
        Paragraph("Reviewed-by: Follow Upper <follow.upper@example.org>"),
        Paragraph("--\nFollow Upper"),
    )
    assert thread.site_chrome == ()


def test_html_entities_in_titles_and_bodies_stay_literal_text() -> None:
    thread = parse(msg("Use <b>bold</b> &amp; [red]this[/red].", subject="A [bold]x[/bold] &amp;"))
    assert thread.title == "A [bold]x[/bold] &amp;"
    assert thread.article.blocks == (Paragraph("Use <b>bold</b> &amp; [red]this[/red]."),)


def test_deep_html_quotes_are_capped_not_repeated_on_every_line() -> None:
    # Each line was prefixed with its full depth: 4,000 <blockquote>s over 4,000 lines
    # built a 32 MB string (and several GB from a few hundred KB).
    text = mail_html.html_to_text("<blockquote>" * 4000 + "x<br>" * 4000)
    assert len(text) < 4000 * (2 * mail_html.MAX_QUOTE_DEPTH + 2)
    assert text.splitlines()[0] == "> " * mail_html.MAX_QUOTE_DEPTH + "x"


def test_a_rule_over_the_authors_own_words_is_not_a_list_footer() -> None:
    # "mailing list" under a rule, with no list address or page, is what the author wrote.
    chrome = SiteChrome()
    blocks = mail_body.body_blocks(
        "Hi all,\n\nThe build broke again.\n\n-----\n"
        "I also asked on the kernel mailing list, no answer yet.\nAny ideas?\n",
        chrome,
    )
    texts = [b.text for b in blocks if isinstance(b, Paragraph)]
    assert any("kernel mailing list" in t for t in texts) and not chrome.seen
    chrome = SiteChrome()
    mail_body.body_blocks(
        "Thanks.\n\n-- \nexample-devel mailing list\nexample-devel@lists.example.org\n"
        "https://lists.example.org/mailman/listinfo/example-devel\n",
        chrome,
    )
    assert "example-devel mailing list" in chrome.seen
