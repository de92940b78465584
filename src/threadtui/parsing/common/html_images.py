"""What an ``<img>`` in a post shows: nothing, a smiley's text in its sentence, or an attachment.

Tracking pixels and avatars are nothing a reader looks at. A smiley (by its
class or its folder: ``/smilies/``, ``/emoji/``) is part of its sentence and stays
there as its alt text (``:file-stem:`` when the alt says nothing). Any other image
becomes an :class:`~threadtui.model.Attachment` named by its alt or title text, else
its file name.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from threadtui.model import Attachment
from threadtui.parsing.common.html_lines import LINE_TRIM, WS_RUN

_SMILEY_CLASSES = frozenset({"smilie", "smiley", "smilies", "emoji", "emoticon", "mceSmilie"})
_SMILEY_PATH = re.compile(r"/(?:smilies|smileys|smiles|smls|emoticons|emoji)/", re.IGNORECASE)
#: Alt texts that say nothing about the image.
_GENERIC_ALT = frozenset({"", "image", "img", "attachment", "attached image", "photo", "*"})


def image_shown(attributes: dict[str, str], *, inline: bool) -> str | Attachment | None:
    """What an image shows: None, the text it stands for in its line, or an Attachment.

    ``inline``: the image is inside preformatted text, where every image is text.
    """
    classes = set(attributes.get("class", "").split())
    src = attributes.get("data-url") or attributes.get("data-src") or attributes.get("src", "")
    if _is_hidden(attributes) or "avatar" in classes:
        return None  # tracking pixels, avatars: nothing a reader looks at
    if inline or _is_smiley(classes, src):
        # A smiley is part of its sentence: keep it there as its text.
        alt = attributes.get("alt", "").strip(LINE_TRIM)
        return alt if alt.lower() not in _GENERIC_ALT else f":{_file_stem(src)}:"
    return Attachment(_image_name(attributes, src))


def _is_hidden(attributes: dict[str, str]) -> bool:
    style = attributes.get("style", "").replace(" ", "").lower()
    return (
        attributes.get("width", "").strip() == "0"
        or attributes.get("height", "").strip() == "0"
        or "visibility:hidden" in style
        or "display:none" in style
    )


def _is_smiley(classes: set[str], src: str) -> bool:
    if classes & _SMILEY_CLASSES or any(c.startswith("mceSmilie") for c in classes):
        return True
    return _SMILEY_PATH.search(src) is not None


def _file_name(url: str) -> str:
    """The last path segment of a URL, percent-decoded ("" for data: URIs)."""
    if url.startswith("data:"):
        return ""
    try:
        path = urlsplit(url).path
    except ValueError:  # an invalid IPv6 host and the like
        path = url.split("?", 1)[0]
    return unquote(path.rstrip("/").rsplit("/", 1)[-1])


def _file_stem(url: str) -> str:
    return _file_name(url).rsplit(".", 1)[0] or "image"


def _image_name(attributes: dict[str, str], src: str) -> str:
    """What an attachment is called: its alt or title text, else its file name."""
    for key in ("alt", "title"):
        value = attributes.get(key, "").strip(LINE_TRIM)
        if value.lower() not in _GENERIC_ALT:
            return WS_RUN.sub(" ", value)
    return _file_name(src) or "image"
