"""A message body's text as blocks: paragraphs, ``>`` quotes, patches and the signature.

Mail bodies are plain text with conventions, and this reads them: ``>``
prefixes nest quotes by depth, an attribution line above a quote ("On …, Jane
Doe wrote:") names its author (:mod:`~threadtui.parsing.mail.attribution`), an
inline patch stays one paragraph (:mod:`~threadtui.parsing.mail.patch`), the
``-- `` line starts the signature, the mailing list's footer goes to the
site chrome (:mod:`~threadtui.parsing.mail.footer`), and the armour of an
inline PGP signature is dropped. Quotes are nested with an explicit stack,
not recursion, so hostile ``>`` depths cost no Python stack.
"""

from __future__ import annotations

import re

from threadtui.model import Block, Paragraph, Quote
from threadtui.parsing.common.site_chrome import SiteChrome
from threadtui.parsing.mail.attribution import attribution
from threadtui.parsing.mail.footer import strip_footer, without_quoted_footers
from threadtui.parsing.mail.patch import patch_end, patch_paragraph

#: The ``>`` prefix of a quoted line (``> > ``, ``>>``, `` > ``), its depth the number of ``>``.
_QUOTE_LEAD = re.compile(r"(?:[ \t]*>)+ ?")
#: The armour of an inline (cleartext) PGP signature.
_PGP_BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----"
_PGP_BEGIN_SIG = "-----BEGIN PGP SIGNATURE-----"
_PGP_END_SIG = "-----END PGP SIGNATURE-----"


def body_blocks(text: str, chrome: SiteChrome | None = None) -> list[Block]:
    """A message body as blocks: paragraphs, ``>`` quotes, patches and the signature.

    The list footer, when there is one, goes to ``chrome``.
    """
    chrome = chrome if chrome is not None else SiteChrome()
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = _without_pgp_armour(text.split("\n"))
    end = strip_footer(lines, 0, len(lines), lambda line: line, chrome)
    sig = _signature_start(lines, end)
    blocks: list[Block] = []
    para = _Paragraphs()
    i = 0
    stop = end if sig is None else sig
    while i < stop:
        line = lines[i].rstrip()
        if line.startswith(">"):
            run, i = _quoted_run(lines, i, stop)
            author = para.take_attribution(blocks)
            para.close(blocks)
            quote = _quote(run, author, chrome)
            if quote is not None:
                blocks.append(quote)
            para.closed = None
            continue
        if not line:
            para.close(blocks)
            i += 1
            continue
        patch_stop = patch_end(lines, i, stop)
        if patch_stop is not None:
            para.close(blocks)
            blocks.append(patch_paragraph(lines[i:patch_stop]))
            para.closed = None
            i = patch_stop
            continue
        para.add(line)
        i += 1
    para.close(blocks)
    if sig is not None:
        blocks.extend(_signature_blocks(lines, sig, end, chrome))
    return blocks


def _quoted_run(lines: list[str], i: int, stop: int) -> tuple[list[str], int]:
    """The ``>`` lines from ``lines[i]`` on (right-stripped), and the index after them.

    Blank lines between two quoted passages keep them one quote: they come as ``""``.
    """
    run: list[str] = []
    while i < stop:
        candidate = lines[i].rstrip()
        if candidate.startswith(">"):
            run.append(candidate)
            i += 1
            continue
        if not candidate:
            k = i
            while k < stop and not lines[k].strip():
                k += 1
            if k < stop and lines[k].startswith(">"):
                run.extend([""] * (k - i))
                i = k
                continue
        break
    return run, i


def _paragraph(lines: list[str]) -> Paragraph:
    return Paragraph("\n".join(lines).strip("\n"))


class _Paragraphs:
    """The paragraph being read, and the one closed just before it, for attributions.

    ``closed`` is the paragraph that ended last while only blank lines came
    after it: an attribution line at its end ("On …, Jane Doe wrote:") names
    the author of a quote that follows. Whoever adds another block in between
    sets it to None. :func:`body_blocks` and :func:`_quote` (at each deeper
    quote level) read paragraphs the same way, through this.
    """

    __slots__ = ("lines", "closed")

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.closed: list[str] | None = None

    def add(self, line: str) -> None:
        if not self.lines:
            self.closed = None  # a new paragraph: the last one is no longer just above
        self.lines.append(line)

    def close(self, blocks: list[Block]) -> None:
        """End the open paragraph (if any) as the next block of ``blocks``."""
        if self.lines:
            blocks.append(_paragraph(self.lines))
            self.closed = list(self.lines)
            self.lines.clear()

    def take_attribution(self, blocks: list[Block]) -> str | None:
        """The author named by an attribution ending the open paragraph, else the closed one.

        The attribution's lines are cut from that paragraph (``blocks`` ends
        with the closed one, which is replaced by what is left of it).
        """
        source = self.lines if self.lines else self.closed
        if not source:
            return None
        found = attribution(source)
        if found is None:
            return None
        author, count = found
        if self.lines:
            del self.lines[len(self.lines) - count :]
        else:
            kept = source[: len(source) - count]
            blocks.pop()
            if kept:
                blocks.append(_paragraph(kept))
        self.closed = None
        return author


def _without_pgp_armour(lines: list[str]) -> list[str]:
    """An inline-signed body without its armour (a signature is no part of the text)."""
    if not any(line.startswith("-----BEGIN PGP SIG") for line in lines):
        return lines
    out: list[str] = []
    i = 0
    signed = False
    while i < len(lines):
        line = lines[i].rstrip()
        if line == _PGP_BEGIN_SIGNED:
            signed = True
            i += 1
            while i < len(lines) and lines[i].strip():
                i += 1  # the armour headers ("Hash: SHA1")
            i += 1
            continue
        if line == _PGP_BEGIN_SIG:
            j = i + 1
            while j < len(lines) and lines[j].rstrip() != _PGP_END_SIG:
                j += 1
            if j < len(lines):
                i = j + 1
                signed = False
                continue
        if signed and lines[i].startswith("- "):
            out.append(lines[i][2:])  # dash-escaped line
        else:
            out.append(lines[i])
        i += 1
    return out


def _signature_start(lines: list[str], end: int) -> int | None:
    """The index of the last top-level ``-- `` line (the signature separator), if any."""
    for i in range(end - 1, -1, -1):
        if lines[i] == "-- ":
            return i
    return None


def _signature_blocks(lines: list[str], sig: int, end: int, chrome: SiteChrome) -> list[Block]:
    """The signature as one paragraph; a quote after it (top-posting) is read as body."""
    stop = sig + 1
    while stop < end and not lines[stop].startswith(">"):
        stop += 1
    tail: list[str] = []
    if stop < end:
        # Give the attribution above the quote back to the body.
        k = stop
        while k > sig + 1 and not lines[k - 1].strip():
            k -= 1
        start = k
        while start > sig + 1 and lines[start - 1].strip():
            start -= 1
        paragraph = [line.rstrip() for line in lines[start:k]]
        if paragraph and attribution(paragraph) is not None:
            tail = lines[start:end]
            stop = start
        else:
            tail = lines[stop:end]
    sig_lines = [line.rstrip() for line in lines[sig + 1 : stop]]
    while sig_lines and not sig_lines[-1]:
        sig_lines.pop()
    while sig_lines and not sig_lines[0]:
        sig_lines.pop(0)
    blocks: list[Block] = []
    if sig_lines:
        blocks.append(Paragraph("\n".join(["--", *sig_lines])))
    if tail:
        blocks.extend(body_blocks("\n".join(tail), chrome))
    return blocks


def _quote(run: list[str], author: str | None, chrome: SiteChrome) -> Quote | None:
    """A run of ``>`` lines as a quote, nested by the number of ``>``, built iteratively.

    Blank lines between quoted passages come as ``""`` and break paragraphs.
    A quoted list footer goes to ``chrome``; an attribution line at the end of a
    quoted paragraph names the author of the deeper quote under it.
    """
    items: list[tuple[int, str]] = []  # (depth, text); depth 0 = paragraph break
    for raw in run:
        if not raw:
            items.append((0, ""))
            continue
        lead = _QUOTE_LEAD.match(raw)
        depth = lead.group().count(">") if lead else 0
        items.append((depth, raw[lead.end() :].rstrip() if lead else raw))
    items = without_quoted_footers(items, chrome)
    root: list[Block] = []
    # stack[d] holds the blocks of depth d + 1; authors[d] the author of that quote.
    stack: list[list[Block]] = [root]
    authors: list[str | None] = [author]
    para = _Paragraphs()

    def close_top() -> None:
        inner = stack.pop()
        who = authors.pop()
        if inner or who:
            stack[-1].append(Quote(who, tuple(inner)))

    for depth, text in items:
        if depth == 0 or (not text and depth == len(stack)):
            para.close(stack[-1])
            continue
        if depth > len(stack):
            who = para.take_attribution(stack[-1])
            para.close(stack[-1])
            while len(stack) < depth:
                stack.append([])
                authors.append(who if len(stack) == depth else None)
            para.closed = None
        elif depth < len(stack):
            para.close(stack[-1])
            while len(stack) > depth:
                close_top()
            para.closed = None
        if not text:
            para.close(stack[-1])
            continue
        para.add(text)
    para.close(stack[-1])
    while len(stack) > 1:
        close_top()
    if not root and author is None:
        return None
    return Quote(authors[0], tuple(root))
