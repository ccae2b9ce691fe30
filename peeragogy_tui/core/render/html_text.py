"""Raw HTML in Markdown, reduced to the text a reader should see.

``<script>`` and ``<style>`` contents and comments never appear; ``<img>``
becomes ``[image: alt]``; ``<br>`` a line break; every other tag goes and
its inner text stays (``<details><summary>`` reads as its summary line, then
the Markdown inside it). Entities are decoded. The caller strips control
sequences.
"""

from __future__ import annotations

import re

__all__ = ["IMAGE_ROLE", "html_text", "image_alt", "image_placeholder", "opens_hidden", "closes_hidden"]

IMAGE_ROLE = "md.image"

_HIDDEN = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_BR = re.compile(r"<br\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r"""\balt\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""", re.IGNORECASE)
_TAG = re.compile(r"</?[A-Za-z][^>]*>|<![^>]*>|<\?[^>]*\?>")
_OPEN_HIDDEN = re.compile(r"<(script|style)\b", re.IGNORECASE)
_CLOSE_HIDDEN = re.compile(r"</(script|style)\s*>", re.IGNORECASE)


def image_alt(tag: str) -> str:
    """The ``alt`` text of an ``<img>`` tag, entities decoded ("" when it has none)."""
    found = _ALT.search(tag)
    if found is None:
        return ""
    import html  # its entity tables are not needed before the first parse

    return html.unescape(next(group for group in found.groups() if group is not None)).strip()


def image_placeholder(alt: str) -> str:
    """What an image shows in the text: ``[image: alt]``, or ``[image]``."""
    return f"[image: {alt}]" if alt else "[image]"


def opens_hidden(tag: str) -> bool:
    """True for an inline ``<script>``/``<style>`` opening tag (its content must not show)."""
    return bool(_OPEN_HIDDEN.match(tag)) and not _CLOSE_HIDDEN.search(tag)


def closes_hidden(tag: str) -> bool:
    """True for ``</script>`` or ``</style>``."""
    return bool(_CLOSE_HIDDEN.match(tag))


def html_text(source: str) -> tuple[str, list[tuple[int, int]]]:
    """The visible text of an HTML block, and the ``(start, end)`` offsets of its image placeholders."""
    import html  # its entity tables are not needed before the first parse

    source = _COMMENT.sub("", _HIDDEN.sub("", source))
    pieces: list[str] = []
    images: list[tuple[int, int]] = []
    """Offsets of the placeholders in the joined pieces."""
    offset = 0
    position = 0
    for tag in re.finditer(r"<[^>]*>", source):
        before = html.unescape(_TAG.sub("", source[position : tag.start()]))
        pieces.append(before)
        offset += len(before)
        markup = tag.group(0)
        if _IMG.match(markup):
            placeholder = image_placeholder(image_alt(markup))
            images.append((offset, offset + len(placeholder)))
            pieces.append(placeholder)
            offset += len(placeholder)
        elif _BR.match(markup):
            pieces.append("\n")
            offset += 1
        elif not _TAG.fullmatch(markup):
            text = html.unescape(markup)  # "<" that starts no tag ("a <b" is text)
            pieces.append(text)
            offset += len(text)
        position = tag.end()
    pieces.append(html.unescape(source[position:]))
    # Blank lines and indentation left where tags were go; placeholders are found again after.
    text = "\n".join(line.strip() for line in "".join(pieces).split("\n") if line.strip())
    placeholders: list[tuple[int, int]] = []
    cursor = 0
    for start, end in images:
        placeholder = "".join(pieces)[start:end]
        found = text.find(placeholder, cursor)
        if found >= 0:
            placeholders.append((found, found + len(placeholder)))
            cursor = found + len(placeholder)
    return text, placeholders
