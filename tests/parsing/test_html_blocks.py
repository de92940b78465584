"""Post HTML to blocks: paragraphs, quotes of every engine, lists, code, images, links.

Every fixture here is invented for the test; none is copied from real forum data.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from threadtui.model import Attachment, Block, Link, Paragraph, Quote
from threadtui.parsing.common.html_blocks import html_to_blocks, html_to_text

# --------------------------------------------------------------------------- helpers


def texts(blocks: tuple[Block, ...]) -> list[str]:
    """Every text of the blocks in reading order (quote authors included), iteratively."""
    out: list[str] = []
    stack: list[Block] = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if isinstance(block, Quote):
            out.append(block.author or "")
            stack.extend(reversed(block.blocks))
        elif isinstance(block, Attachment):
            out.append(block.name)
        else:
            out.append(block.text)
    return out


def quote_depth(blocks: tuple[Block, ...]) -> tuple[int, tuple[Block, ...]]:
    """How deep the first quotes nest, and the blocks of the innermost one."""
    depth = 0
    while blocks and isinstance(blocks[0], Quote):
        depth += 1
        blocks = blocks[0].blocks
    return depth, blocks


# --------------------------------------------------------------------------- paragraphs


def test_paragraphs_and_line_breaks() -> None:
    html = "<p>one</p><p>two<br>lines</p>three<br/><br />four"
    assert html_to_blocks(html) == (
        Paragraph("one"),
        Paragraph("two\nlines"),
        Paragraph("three"),
        Paragraph("four"),
    )


def test_white_space_collapses_like_a_browser() -> None:
    assert html_to_blocks("  a \n\t  b  <b> bold </b>  c ") == (Paragraph("a b bold c"),)


def test_divs_start_lines_not_paragraphs() -> None:
    assert html_to_blocks("<div>first</div><div>second</div>") == (Paragraph("first\nsecond"),)


def test_entities_are_decoded_once() -> None:
    html = "&amp; &lt;b&gt; &quot;x&quot; &#39;y&#039; caf&eacute; &#x1F600; &amp;amp;"
    assert html_to_blocks(html) == (Paragraph("& <b> \"x\" 'y' café 😀 &amp;"),)


def test_nbsp_only_end_markers_and_empty_bodies() -> None:
    marker = '<div class="messageTextEndMarker">&nbsp;</div>'
    assert html_to_blocks(f"<blockquote class='messageText'>Hi there {marker}</blockquote>") == (
        Paragraph("Hi there"),
    )
    for empty in ("", "   \n", "<p></p>", "<div>&nbsp;</div>", "<br><br>", "<!-- c -->"):
        assert html_to_blocks(empty) == ()


def test_a_blank_nbsp_line_separates_paragraphs() -> None:
    assert html_to_blocks("one<br />&nbsp; <br />two") == (Paragraph("one"), Paragraph("two"))


def test_script_style_and_noscript_are_dropped() -> None:
    html = (
        "before<script>alert('x')</script><style>p {color: red}</style>"
        '<script class="js-extraPhrases" type="application/json">{"lightbox_close": "Close"}'
        "</script><noscript><img src='dup.png'></noscript> after"
    )
    assert html_to_blocks(html) == (Paragraph("before after"),)


# --------------------------------------------------------------------------- quotes


def test_plain_blockquote() -> None:
    assert html_to_blocks("<blockquote>quoted</blockquote>reply") == (
        Quote(None, (Paragraph("quoted"),)),
        Paragraph("reply"),
    )


def test_nested_plain_blockquotes() -> None:
    html = "<blockquote><blockquote>inner</blockquote>middle</blockquote>outer"
    assert html_to_blocks(html) == (
        Quote(None, (Quote(None, (Paragraph("inner"),)), Paragraph("middle"))),
        Paragraph("outer"),
    )


def _xf1_quote(author: str, body: str) -> str:
    return (
        f'<div class="bbCodeBlock bbCodeQuote" data-author="{author}"><aside>'
        f'<div class="attribution type">{author} said: '
        '<a href="goto/post?id=1" class="AttributionLink">&uarr;</a></div>'
        f'<blockquote class="quoteContainer"><div class="quote">{body}</div>'
        '<div class="quoteExpand">Click to expand...</div></blockquote></aside></div>'
    )


def test_xenforo1_quote_author_header_and_trailer() -> None:
    html = (
        '<blockquote class="messageText SelectQuoteContainer ugc baseHtml">'
        + _xf1_quote("Marigold", "Line one<br />Line two")
        + 'My answer. <div class="messageTextEndMarker">&nbsp;</div></blockquote>'
    )
    assert html_to_blocks(html) == (
        Quote("Marigold", (Paragraph("Line one\nLine two"),)),
        Paragraph("My answer."),
    )


def test_xenforo1_nested_quotes_keep_both_authors() -> None:
    html = _xf1_quote("Outer Owl", _xf1_quote("Inner Ibis", "deepest") + "outer words") + "reply"
    assert html_to_blocks(html) == (
        Quote(
            "Outer Owl",
            (Quote("Inner Ibis", (Paragraph("deepest"),)), Paragraph("outer words")),
        ),
        Paragraph("reply"),
    )


def test_xenforo2_quote() -> None:
    html = (
        '<blockquote class="bbCodeBlock bbCodeBlock--expandable bbCodeBlock--quote" '
        'data-quote="Pip Fern" data-source="post: 7">'
        '<div class="bbCodeBlock-title"><a href="/goto/7" class="bbCodeBlock-sourceJump">'
        "Pip Fern said:</a></div>"
        '<div class="bbCodeBlock-content"><div class="bbCodeBlock-expandContent">the text</div>'
        '<div class="bbCodeBlock-expandLink"><a role="button">Click to expand...</a></div>'
        "</div></blockquote>Thanks"
    )
    assert html_to_blocks(html) == (
        Quote("Pip Fern", (Paragraph("the text"),)),
        Paragraph("Thanks"),
    )


def test_xenforo_said_header_without_attribute() -> None:
    html = '<div class="bbCodeBlock bbCodeQuote"><div>Rowan said:</div>words</div>'
    assert html_to_blocks(html) == (Quote("Rowan", (Paragraph("words"),)),)


def test_vbulletin_originally_posted_by() -> None:
    html = (
        '<div class="bbcode_container"><div class="bbcode_quote"><div class="quote_container">'
        '<div class="bbcode_quote_container"></div>'
        '<div class="bbcode_postedby"> Originally Posted by <strong>tansy</strong> '
        '<a href="/p#1" rel="nofollow"><span aria-hidden="true"></span></a></div>'
        '<div class="message">vb words</div></div></div></div>my reply'
    )
    assert html_to_blocks(html) == (
        Quote("tansy", (Paragraph("vb words"),)),
        Paragraph("my reply"),
    )


def test_smf_quote_header_before_the_blockquote() -> None:
    html = (
        '<div class="quoteheader"><div class="topslice_quote"><a href="/msg1#1">'
        "Quote from: Hazel Nut on May 04, 2020, 07:28:07 PM</a></div></div>"
        '<blockquote class="bbc_standard_quote">smf words<br /></blockquote>'
        '<div class="quotefooter"><div class="botslice_quote"></div></div><br />answer'
    )
    assert html_to_blocks(html) == (
        Quote("Hazel Nut", (Paragraph("smf words"),)),
        Paragraph("answer"),
    )


def test_phpbb_cite_and_uncited() -> None:
    html = (
        "<blockquote><div><cite>Juniper wrote:</cite>cited words</div></blockquote>"
        '<blockquote class="uncited"><div>anonymous words</div></blockquote>after'
    )
    assert html_to_blocks(html) == (
        Quote("Juniper", (Paragraph("cited words"),)),
        Quote(None, (Paragraph("anonymous words"),)),
        Paragraph("after"),
    )


def test_legacy_quote_label_before_a_table() -> None:
    html = (
        'Quote:<br /> <div class="bbTable"><table><tr><td><i>Originally posted by Finch</i>'
        "<br /> <b>old words</b></td></tr></table></div>new words"
    )
    assert html_to_blocks(html) == (
        Quote("Finch", (Paragraph("old words"),)),
        Paragraph("new words"),
    )


def test_xmb_quote_table() -> None:
    html = (
        '<table class="quote"><tr><td class="quote">Quote:</td></tr>'
        '<tr><td class="quotemessage"><em>Originally posted by Wren</em><br /> xmb words'
        "</td></tr></table>reply"
    )
    assert html_to_blocks(html) == (
        Quote("Wren", (Paragraph("xmb words"),)),
        Paragraph("reply"),
    )


def test_discourse_aside_is_one_quote() -> None:
    html = (
        '<aside class="quote" data-username="sorrel" data-post="2"><div class="title">'
        '<img class="avatar" src="/a.png" alt=""> sorrel:</div>'
        "<blockquote><p>discourse words</p></blockquote></aside><p>reply</p>"
    )
    assert html_to_blocks(html) == (
        Quote("sorrel", (Paragraph("discourse words"),)),
        Paragraph("reply"),
    )


def test_header_lookalikes_stay_text() -> None:
    html = "<p>The minister told reporters afterwards he said:</p><blockquote>no</blockquote>"
    assert html_to_blocks(html) == (
        Paragraph("The minister told reporters afterwards he said:"),
        Quote(None, (Paragraph("no"),)),
    )
    # A "Quote:" line with no table after it is text.
    assert html_to_blocks("Quote:<br>just words") == (Paragraph("Quote:\njust words"),)


def test_five_thousand_nested_quotes() -> None:
    levels = 5000
    html = "<blockquote>" * levels + "core" + "</blockquote>" * levels + "tail"
    blocks = html_to_blocks(html)
    depth, inner = quote_depth(blocks)
    assert depth == levels
    assert inner == (Paragraph("core"),)
    assert blocks[-1] == Paragraph("tail")


def test_five_thousand_nested_forum_quotes_unclosed() -> None:
    levels = 5000
    html = '<div class="bbCodeBlock bbCodeQuote" data-author="a">x' * levels
    blocks = html_to_blocks(html)
    depth = 0
    while blocks and isinstance(blocks[-1], Quote):  # each level: "x", then the next quote
        depth += 1
        assert blocks[-1].author == "a"
        blocks = blocks[-1].blocks
    assert depth == levels
    assert blocks == (Paragraph("x"),)


# --------------------------------------------------------------------------- lists and code


def test_lists() -> None:
    html = "<p>Shopping:</p><ul><li>eggs</li><li>flour <b>fine</b></li></ul><p>done</p>"
    assert html_to_blocks(html) == (
        Paragraph("Shopping:"),
        Paragraph("• eggs\n• flour fine"),
        Paragraph("done"),
    )


def test_ordered_nested_and_unclosed_items() -> None:
    html = '<ol start="3"><li>three<li>four<ul><li>sub</ul><li><p>five</p><p>more</p></ol>'
    assert html_to_blocks(html) == (Paragraph("3. three\n4. four\n  • sub\n5. five\n  more"),)


def test_pre_keeps_lines_and_indentation() -> None:
    html = "<p>Try:</p><pre>\ndef f():\n    return  1\n\n\nf()\n</pre><p>ok</p>"
    assert html_to_blocks(html) == (
        Paragraph("Try:"),
        Paragraph("def f():\n    return  1\n\n\nf()"),
        Paragraph("ok"),
    )


def test_xenforo_code_block_and_inline_code() -> None:
    html = (
        '<div class="bbCodeBlock bbCodeBlock--code"><div class="bbCodeBlock-title">Code:</div>'
        '<div class="bbCodeBlock-content"><pre class="bbCodeCode"><code>a = 1\n  b = 2'
        "</code></pre></div></div>Use <code>a</code> here."
    )
    assert html_to_blocks(html) == (
        Paragraph("Code:"),
        Paragraph("a = 1\n  b = 2"),
        Paragraph("Use a here."),
    )


def test_smf_code_with_br_lines() -> None:
    html = 'x<code class="bbc_code">mov eax, 1<br />&nbsp; &nbsp; ret<br /></code>y'
    assert html_to_blocks(html) == (
        Paragraph("x"),
        Paragraph("mov eax, 1\n\xa0 \xa0 ret"),
        Paragraph("y"),
    )


# --------------------------------------------------------------------------- images and links


def test_images_become_attachments() -> None:
    html = (
        'Look<img src="/data/att/holiday%20snap.jpg?x=1" alt="">'
        '<img src="/x/1234/" alt="Garden Plan.png" class="bbImage">'
        '<img src="data:image/png;base64,AAAA" alt="Image">after'
    )
    assert html_to_blocks(html) == (
        Paragraph("Look"),
        Attachment("holiday snap.jpg"),
        Attachment("Garden Plan.png"),
        Attachment("image"),
        Paragraph("after"),
    )


def test_smilies_stay_in_their_sentence_and_pixels_vanish() -> None:
    html = (
        'fine <img src="/s.gif" class="smilie" alt=":)"> and '
        '<img data-url="http://x/images/smilies/grin.gif" class="bbImage" alt="Image"> '
        '<img src="https://t.example/p" width="0" height="0"> end'
    )
    assert html_to_blocks(html) == (Paragraph("fine :) and :grin: end"),)


def test_named_link_inside_a_sentence_keeps_the_sentence() -> None:
    html = '<p>Read <a href="https://docs.example/guide">the guide</a> first.</p>'
    assert html_to_blocks(html) == (Paragraph("Read the guide first."),)


def test_link_alone_on_a_line_becomes_a_link_block() -> None:
    html = (
        '<a href="https://example.org/a">https://example.org/a</a><br />'
        'text around<br /><a href="https://example.org/b">Named page</a><br>more'
    )
    assert html_to_blocks(html) == (
        Link("https://example.org/a", "https://example.org/a"),
        Paragraph("text around"),
        Link("Named page", "https://example.org/b"),
        Paragraph("more"),
    )


def test_anchors_without_href_are_text_and_embeds_are_links() -> None:
    assert html_to_blocks('<a name="top">Top</a>') == (Paragraph("Top"),)
    html = '<iframe src="https://video.example/e/1">no frames</iframe>'
    assert html_to_blocks(html) == (Link("https://video.example/e/1", "https://video.example/e/1"),)


def test_table_cells_are_separated() -> None:
    assert html_to_blocks("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>") == (
        Paragraph("a | b\nc"),
    )


# --------------------------------------------------------------------------- hostile and malformed


def test_hostile_text_is_kept_verbatim() -> None:
    html = "<p>\x1b[31mred\x1b[0m [bold]x[/bold] [link=file:///etc]y[/] \u202eevil</p>"
    html += '<img alt="\x1b]0;title\x07.png" src="z">'
    assert html_to_blocks(html) == (
        Paragraph("\x1b[31mred\x1b[0m [bold]x[/bold] [link=file:///etc]y[/] \u202eevil"),
        Attachment("\x1b]0;title\x07.png"),
    )


def test_controls_that_look_like_white_space_are_not_stripped() -> None:
    assert html_to_blocks("\x1c text \x85") == (Paragraph("\x1c text \x85"),)


def test_malformed_markup_never_raises() -> None:
    samples = [
        "<",
        "a < b > c",
        "<p",
        "<div><span>unclosed",
        "</blockquote></div>stray",
        "<![foo[ bar ]]>after",
        "<![if !supportLists]>x<![endif]>",
        "<!DOCTYPE html><html><body>x",
        "<a href='x'><a href='y'>nested</a></a>",
        "<li>orphan item",
        "<ul><li>a</ol></ul>",
        "&#0; &#xD800; &#99999999; &bogus; &",
        "<img>",
        "<table><td>cell",
        "<pre>unclosed\n  code",
        "<script>never closed",
        "\x00<p>\x00</p>",
    ]
    for html in samples:
        blocks = html_to_blocks(html)
        assert isinstance(blocks, tuple)


def test_text_outside_closed_elements_survives_malformed_markup() -> None:
    assert texts(html_to_blocks("</b>one<div>two")) == ["one\ntwo"]
    assert texts(html_to_blocks("<pre>unclosed\n  code")) == ["unclosed\n  code"]


# --------------------------------------------------------------------------- html_to_text


def test_html_to_text_for_one_line_fields() -> None:
    assert html_to_text("Re: <b>Hello</b>\n  world &amp; co") == "Re: Hello world & co"
    assert html_to_text('<img src="/i/icon14.png" alt=""> Title') == "Title"
    assert html_to_text("plain  text\n") == "plain text"
    assert html_to_text("x <p>y</p><br>z") == "x y z"
    assert html_to_text("") == ""
    assert html_to_text("[bold]\x1b[0m") == "[bold]\x1b[0m"


# --------------------------------------------------------------------------- properties

_HTMLISH = st.text(
    alphabet=st.sampled_from(list("<>/&;#=\"' \n!-[]abpdivlqutersc\x1bé\xa0")), max_size=200
)


@settings(max_examples=300, deadline=None)
@given(_HTMLISH)
def test_random_htmlish_strings_never_raise(html: str) -> None:
    blocks = html_to_blocks(html)
    assert all(isinstance(b, Paragraph | Quote | Link | Attachment) for b in blocks)
    assert isinstance(html_to_text(html), str)


#: Words that could make a quote header or trailer ("quote", "posted by", "click to expand").
_HEADER_WORDS = {"quote", "posted", "click"}
_WORDS = st.from_regex(r"[a-z]{1,8}", fullmatch=True).filter(lambda w: w not in _HEADER_WORDS)
_TAGS = ["p", "div", "span", "b", "i", "em", "blockquote", "li", "ul", "ol", "td", "h2", "pre"]


@st.composite
def _markup(draw: st.DrawFn) -> tuple[str, list[str]]:
    """Random simple markup and its words in order."""
    tree = draw(
        st.recursive(
            st.lists(_WORDS, min_size=1, max_size=3).map(lambda ws: ("text", ws)),
            lambda inner: st.tuples(
                st.sampled_from([*_TAGS, "a", "br"]), st.lists(inner, max_size=3)
            ),
            max_leaves=25,
        )
    )
    parts: list[str] = []
    words: list[str] = []
    stack: list[object] = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            parts.append(node)
            continue
        kind, payload = node  # type: ignore[misc]
        if kind == "text":
            words.extend(payload)
            parts.append(" " + " ".join(payload) + " ")
        elif kind == "br":
            parts.append("<br>")
            stack.extend(reversed(payload))
        else:
            opener = '<a href="https://example.org/">' if kind == "a" else f"<{kind}>"
            stack.append(f"</{kind}>")
            stack.extend(reversed(payload))
            parts.append(opener)
    return "".join(parts), words


@settings(max_examples=300, deadline=None)
@given(_markup())
def test_all_visible_words_of_simple_markup_survive_in_order(sample: tuple[str, list[str]]) -> None:
    html, words = sample
    out = " ".join(texts(html_to_blocks(html)))
    assert re.findall(r"[a-z]+", out) == words


def test_white_space_between_many_tags_costs_linear_time() -> None:
    # Each tag asked whether the line had text by scanning every run before it: 20,000
    # `<div> ` took 23 s, and a forum post can be built to hang the folder scan. With the
    # flag it is a fraction of a second; a return to the scan would stall this test (and
    # CI's time limit), which is the regression guard.
    assert html_to_blocks("<div> " * 20000) == ()
    assert html_to_blocks("<table><tr>" + "<td> " * 20000) == ()
    blocks = html_to_blocks("<ul><li>x" + "<br><table>" * 20000)
    assert [b.text for b in blocks if isinstance(b, Paragraph)] == ["• x"]
