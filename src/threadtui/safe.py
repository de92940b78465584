"""Making hostile text safe to show: every control becomes a visible placeholder.

Thread text comes from strangers. Before any of it reaches a terminal it goes
through :func:`visible`, which maps

* ESC to ``␛`` and the other C0 controls to their Control Pictures (``␀`` …),
* DEL to ``␡``, C1 controls to ``⟨U+0085⟩``-style tags,
* bidirectional overrides/isolates and invisible format characters
  (zero-width space, word joiner, BOM, soft hyphen, ...) to ``⟨U+202E⟩`` tags,
* a zero-width joiner to a tag too, unless it sits between two pictographs
  (emoji ZWJ sequences such as 👩‍🍳 stay whole),
* lone surrogates to tags: ``⟨0xFF⟩`` for a byte a file name held that was
  not UTF-8 (Python keeps those as U+DC80-U+DCFF), ``⟨U+D800⟩`` otherwise.
  Written out as they are, they crash a strict UTF-8 stream or send the raw
  byte to the terminal.

Line feeds are kept (callers split on them); tabs become four spaces so the
column arithmetic stays honest.
"""

from __future__ import annotations

import re
from functools import cache

from rich.text import Text

#: Style for placeholders, so a reader can tell ``␛`` in content from a real glyph.
PLACEHOLDER_STYLE = "reverse"


@cache
def _table() -> dict[int, str]:
    """What :meth:`str.translate` makes of each character to show.

    Built at first need: its 2,300 entries took ~3 ms of the reader's start-up, and most
    text never needs them.
    """
    table: dict[int, str] = {}
    for code in range(0x20):
        table[code] = chr(0x2400 + code)
    table[0x1B] = "␛"
    table[0x0A] = "\n"
    table[0x09] = "    "
    table[0x7F] = "␡"
    for code in range(0x80, 0xA0):
        table[code] = f"⟨U+{code:04X}⟩"
    for code in (
        0x00AD,  # soft hyphen
        0x061C,  # Arabic letter mark
        0x180E,  # Mongolian vowel separator
        *range(0x200B, 0x200D),  # zero-width space, non-joiner
        0x200E,
        0x200F,  # LRM, RLM
        0x2028,
        0x2029,  # line / paragraph separator: would break our line arithmetic
        *range(0x202A, 0x202F),  # LRE RLE PDF LRO RLO
        *range(0x2060, 0x2065),  # word joiner, invisible operators
        *range(0x2066, 0x206A),  # LRI RLI FSI PDI
        *range(0x206A, 0x2070),  # deprecated format controls
        0xFEFF,  # zero-width no-break space / stray BOM
        *range(0xFFF9, 0xFFFC),  # interlinear annotation controls
        *range(0xE0000, 0xE0080),  # tag characters (outside flag sequences handled below)
        *range(0x13430, 0x13440),  # Egyptian hieroglyph format controls
        *range(0x1BCA0, 0x1BCA4),  # shorthand format controls
        *range(0x1D173, 0x1D17B),  # musical symbol format controls (invisible beams, ties)
        *range(0xD800, 0xDC80),  # surrogates (never valid text on their own)
        *range(0xDD00, 0xE000),
    ):
        table[code] = f"⟨U+{code:04X}⟩"
    # What os.fsdecode makes of a name's undecodable byte: show the byte itself.
    for code in range(0xDC80, 0xDD00):
        table[code] = f"⟨0x{code - 0xDC00:02X}⟩"
    return table


# Tag characters are legitimate inside subdivision flags (🏴 + tags + cancel tag).
_FLAG_TAGS = re.compile("\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f")
_PICTO = "\u00a9\u00ae\u203c-\u3299\U0001f000-\U0001faff"


@cache
def _zwj_outside_emoji() -> re.Pattern[str]:
    """A zero-width joiner not inside an emoji sequence (compiled at first need, ~1 ms)."""
    return re.compile(f"(?<![{_PICTO}\ufe0f\U0001f3fb-\U0001f3ff])\u200d|\u200d(?![{_PICTO}])")


_NEEDS_WORK = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f"
    "\ud800-\udfff\ufeff\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0000-\U000e007f]"
)


def visible(text: str) -> str:
    """``text`` with every control and invisible format character made visible."""
    if not _NEEDS_WORK.search(text):
        return text  # the common case: ordinary prose, no copy made
    if "\u200d" in text:
        text = _zwj_outside_emoji().sub("⟨U+200D⟩", text)
    if "\U000e007f" in text:
        parts: list[str] = []
        last = 0
        for match in _FLAG_TAGS.finditer(text):
            parts.append(text[last : match.start()].translate(_table()))
            parts.append(match.group())
            last = match.end()
        parts.append(text[last:].translate(_table()))
        return "".join(parts)
    return text.translate(_table())


_PLACEHOLDER_RE = re.compile("[\u2400-\u2421\u2424]|⟨(?:U\\+[0-9A-F]{4,5}|0x[0-9A-F]{2})⟩")


def safe_text(text: str, style: str = "") -> Text:
    """A Rich ``Text`` of untrusted content: never markup, controls as styled placeholders."""
    shown = visible(text)
    result = Text(shown, style=style, no_wrap=False)
    if shown is not text:
        result.highlight_regex(_PLACEHOLDER_RE, PLACEHOLDER_STYLE)
    return result


def one_line(text: str, limit: int | None = None) -> str:
    """Visible text folded onto a single line (for list rows, headers, error messages)."""
    flat = " ".join(visible(text).split())
    if limit is not None and len(flat) > limit:
        return flat[: max(limit - 1, 0)] + "…"
    return flat
