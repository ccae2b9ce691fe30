"""What the index stores for one file: title, headings and plain body text.

This runs only for files that are new or changed, but on a first build it
runs for every file, so it avoids a full Markdown parse: headings come from
a line scan (ATX ``#`` and setext underlines, outside code fences) and the
body is the Markdown with its syntax lightly stripped by a few regular
expressions. The body keeps one output line per input line so that a line
of the index text is a line of the chapter. The title is read without YAML
when the frontmatter is simple
(:mod:`peeragogy_tui.core.handbook.quick_frontmatter`).

Text is control-stripped before it is stored, so FTS5 snippets can mark
matches with ``\\x02``/``\\x03`` without any chance of a clash.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peeragogy_tui.core.handbook import chapter_id_for, chapter_title, is_contents_file
from peeragogy_tui.core.handbook.markdown_file import parse_markdown_bytes
from peeragogy_tui.core.handbook.quick_frontmatter import quick_parse
from peeragogy_tui.core.sanitize import strip_control

__all__ = [
    "IndexedDoc",
    "extract_chapter",
    "extract_exercise",
    "markdown_to_plain",
    "scan_headings",
]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
_NOT_PARAGRAPH = re.compile(r"^\s*(?:$|[-*+>|#]|\d+[.)]\s|```|~~~|<)")

# The patterns below work on the text with a "\n" put in front and start with
# that literal "\n" instead of a MULTILINE "^": the regex engine then jumps from
# newline to newline instead of trying a match at every character (4-10x faster
# on large chapters). Each one keeps its leading "\n" in the replacement.
_FENCE_LINE = re.compile(r"\n {0,3}(`{3,}|~{3,})")
"""A line that opens or may close a code block (as :data:`_FENCE`)."""
_HEADING_LIKE_LINE = re.compile(
    r"\n {0,3}(?:(?P<atx>#)|(?P<fence>```|~~~)|(?P<underline>(?:=+|-+)[ \t]*\r*(?=\n|\Z)))"
)
"""Every line :func:`scan_headings` must look at, named by the group that matched: an ATX heading
(or a line starting with ``#``), a fence, a setext underline."""
_ATX_AT = re.compile(r" {0,3}#{1,6}(?:[ \t]+([^\n]*?))?(?:[ \t]+#+)?[ \t]*\r*(?=\n|\Z)")
""":data:`_ATX` matched in the text at a line's start (its trailing ``\\r`` included, as the line's
``rstrip`` took them off), so a heading is read without cutting its line out first."""
_LINE_RULES = re.compile(
    # Three rules in one pass; each empties a whole line or strips its start, so trying
    # them in this order at each line start gives what applying them one after another did.
    # [ref]: url "title" (not a footnote, [^1]: its text, which is kept)
    r"\n(?: {0,3}\[(?!\^)[^\]\n]+\]:[ \t]*\S+.*"
    # lines of only rule characters: table rules, thematic breaks, setext underlines
    r"|[ \t|:=*_~-]+(?=\n|\Z)"
    # block markers at the start of a line: quotes, a heading's #, list bullets and numbers,
    # a definition's ":"
    r"|(?=[ \t>#*+\d:-])[ \t]*(?:>[ \t]?)*"
    r"(?:#{1,6}(?=[ \t]|$)|(?:[-+*]|\d{1,9}[.)]|:)(?=[ \t])(?:[ \t]+\[[ xX]\])?)?)",
    re.MULTILINE,
)
_LINK_TEXT = r"([^\[\]\n]*(?:\n[^\[\]\n]*)?)"
"""A link's text: one line break allowed, so a link that wraps in the source still loses its ``](url)``."""
_INLINE_RULES: tuple[tuple[tuple[str, ...], re.Pattern[str], Any], ...] = (
    (("[^",), re.compile(r"\[\^[^\]\s]+\]:?"), ""),  # footnote references and the label of a definition
    (("![",), re.compile(r"!\[" + _LINK_TEXT + r"\]\([^)\n]*\)"), r"\1"),  # images -> alt text
    (("](", "]["), re.compile(r"\[" + _LINK_TEXT + r"\](?:\([^)\n]*\)|\[[^\]\n]*\])"), r"\1"),  # links -> text
    (("[!",), re.compile(r"\[!([A-Za-z][\w-]*)\][+-]?"), lambda m: m.group(1).capitalize()),  # > [!NOTE] -> Note
    (("<http", "<mailto:"), re.compile(r"<(?:https?://|mailto:)([^>\n]*)>"), r"\1"),  # autolinks
)
"""``(triggers, pattern, replacement)``: a rule runs only when one of its triggers (text that every
match holds) is in the text at that point, as each ``in`` is a far faster scan than the pattern's."""
_BRACKET_RULES = tuple(rule for rule in _INLINE_RULES if all(trigger[0] != "<" for trigger in rule[0]))
"""The rules whose triggers hold a ``[`` (all but autolinks): a text with no ``<`` is not scanned for them."""
_HTML_RULES: tuple[tuple[re.Pattern[str], Any], ...] = (
    # <script>/<style> contents and comments never show; their line breaks stay (one line per line)
    (
        re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|\Z)|<!--.*?(?:-->|\Z)", re.IGNORECASE | re.DOTALL),
        lambda m: "\n" * m.group(0).count("\n"),
    ),
    (
        re.compile(r"<img\b[^>]*?\balt\s*=\s*(?:\"([^\"]*)\"|'([^']*)')[^>]*>", re.IGNORECASE),
        lambda m: f" {m.group(1) or m.group(2) or ''} ",
    ),  # images -> alt text
    (re.compile(r"</?[A-Za-z][^>\n]*>"), " "),  # other tags
)
_DIRECTIVES = re.compile(r"\{\{\s*#(\w+)\s*([^}\n]*?)\s*\}\}|\{%-?\s*([^\n]*?)\s*-?%\}")
"""mdBook ``{{#include x}}`` and Jekyll ``{% tag %}``: shown as their words."""
_CODE_SPAN = re.compile(r"`(`*)([^`\n]+?)`\1")
"""A code span: a run of backticks, text, the same run. Written to start with a literal backtick, which
the regex engine finds by a fast scan (``(`+)`` first made it try every position, 12x slower)."""
_SPECIAL = "<>[]_*~|{}&!"
_HIDE = str.maketrans(_SPECIAL, "".join(chr(0xE100 + n) for n in range(len(_SPECIAL))))
_HIDDEN_CHARS = tuple(chr(0xE100 + n) for n in range(len(_SPECIAL)))
_HIDDEN = re.compile("[\ue100-\ue10b]")
"""Inside code spans, characters the rules would touch are swapped for private-use ones and back
(back by :func:`_show_code`: a search for the few swapped characters, where ``str.translate``
over the whole text took half of all extraction time)."""
_EMPHASIS_UNDERSCORES = re.compile(r"(?<![\w\ue100-\ue10b])_+(?=[^\s_])|(?<=[^\s_])_+(?![\w\ue100-\ue10b])")
"""``_emphasis_`` marks, not the underscore of ``snake_case``."""


_HARMLESS_BYTES = (
    bytes(range(0x20, 0x7F)) + b"\t\n" + bytes(range(0x80, 0xC2)) + bytes(range(0xC3, 0x100))
)
"""UTF-8 bytes that cannot be part of a control character (C1 controls are ``\xc2\x80``-``\xc2\x9f``)."""


def _has_no_control(raw: bytes) -> bool:
    """True when ``raw`` holds no character :func:`strip_control` would remove.

    ``bytes.translate`` runs several times faster than the regular expression
    ``strip_control`` uses to look; when in doubt (a ``\r``, a ``\xc2``) it says no.
    """
    return not raw.translate(None, _HARMLESS_BYTES)


def _drop_marks(text: str) -> str:
    """Emphasis, code and strike marks go; table cell bars become spaces.

    None of these are token characters for FTS5, so this only tidies snippets.
    Underscores stay inside words: ``snake_case`` must keep splitting into two words.
    (``str.replace`` chains are several times faster than ``str.translate`` here.)
    """
    text = text.replace("*", "").replace("`", "").replace("~", "").replace("|", " ")
    return _EMPHASIS_UNDERSCORES.sub("", text) if "_" in text else text


def _hide_code(match: re.Match[str]) -> str:
    return match.group(0).translate(_HIDE)


def _show_code(text: str) -> str:
    """Undo :func:`_hide_code` (and, as before, turn any such private-use character into its special)."""
    if not any(hidden in text for hidden in _HIDDEN_CHARS):  # each ``in`` is a fast scan; the regex is not
        return text
    return _HIDDEN.sub(lambda m: _SPECIAL[ord(m.group(0)) - 0xE100], text)


def _prose_inline(text: str) -> str:
    """Inline Markdown and HTML to text: what is left after the line rules; never adds or removes a line."""
    coded = "`" in text
    if coded:
        text = _CODE_SPAN.sub(_hide_code, text)
    if "<" in text:
        for pattern, replacement in _HTML_RULES:
            text = pattern.sub(replacement, text)
    rules = _INLINE_RULES if "<" in text else _BRACKET_RULES if "[" in text else ()
    for triggers, pattern, replacement in rules:
        for trigger in triggers:  # a loop, not any(): a generator per rule cost as much as the scans
            if trigger in text:
                text = pattern.sub(replacement, text)
                break
    if "{" in text:
        text = _DIRECTIVES.sub(lambda m: f"{m.group(1)} {m.group(2)}" if m.group(1) else m.group(3), text)
    text = _drop_marks(text)
    if "&" in text:
        unescaped = strip_control(html.unescape(text))
        text = unescaped if unescaped.count("\n") == text.count("\n") else text
    return _show_code(text) if coded else text


@dataclass(frozen=True)
class IndexedDoc:
    """One searchable document: a chapter or an exercise."""

    kind: str
    """``"chapter"`` or ``"exercise"``."""
    chapter_id: str
    """The chapter's id; for an exercise, the first chapter it belongs to (or ``""``)."""
    title: str
    headings: str
    """One heading per line."""
    body: str
    """Plain text; line ``n`` (0-based) is line ``body_line + n`` of the file."""
    body_line: int = 1
    exercise_id: str = ""


def _closes(opener: re.Match[str] | None, fence: str, line: str) -> bool:
    """True when ``line`` closes a code block opened by ``fence``."""
    if opener is None:
        return False
    mark = opener.group(1)
    return mark[0] == fence[0] and len(mark) >= len(fence) and not line.strip().lstrip(fence[0])


def scan_headings(body: str) -> list[str]:
    """The text of every ATX (``# x``) and setext (``x`` over ``===``) heading outside code fences.

    Only lines that could be a fence, a heading or an underline are visited,
    and an ATX heading is read where it is; the line above a setext
    underline is looked up only for an underline.
    """
    headings: list[str] = []
    text = "\n" + body
    fence: str | None = None
    previous = ""
    """The line above the current one when it was a visited line, or "" after a fence or a heading."""
    last_end = 0
    for candidate in _HEADING_LIKE_LINE.finditer(text):
        at = candidate.start()
        gap_start = last_end if at > last_end else -1
        """Where the ordinary lines between the last visited line and this one start (-1: none)."""
        end = text.find("\n", at + 1)
        end = len(text) if end < 0 else end
        last_end = end
        kind = candidate.lastgroup
        if fence is not None:
            if kind == "fence":
                line = text[at + 1 : end].rstrip("\r")
                if _closes(_FENCE.match(line), fence, line):
                    fence = None
            previous = ""
        elif kind == "fence":
            opener = _FENCE.match(text[at + 1 : end])
            assert opener is not None  # the candidate pattern matched a fence here
            fence = opener.group(1)
            previous = ""
        elif kind == "atx" and (atx := _ATX_AT.match(text, at + 1)):
            heading = (atx.group(1) or "").strip()
            if heading:
                headings.append(heading)
            previous = ""
        elif kind == "underline" and _is_paragraph(above := _line_above(text, gap_start, at, previous)):
            headings.append(above.strip())
            previous = ""
        else:
            previous = text[at + 1 : end].rstrip("\r")
    return _headings_plain([heading for heading in headings if heading])


def _line_above(text: str, gap_start: int, at: int, previous: str) -> str:
    """The line above the one at ``at``: the last ordinary line from ``gap_start`` on, else ``previous``."""
    return text[text.rfind("\n", gap_start, at) + 1 : at].rstrip("\r") if gap_start >= 0 else previous


def _is_paragraph(line: str) -> bool:
    """True when ``line`` is paragraph text that a setext underline below makes a heading."""
    return bool(line) and not _NOT_PARAGRAPH.match(line)


_NOT_TOGETHER = ("[", "<", "&", "{", *_HIDDEN_CHARS)
"""Where an inline rule may match across a line break (a link's text, HTML, an entity that
unescapes to one, a directive's white space), and the private-use characters that only a heading
with a code span turns back into specials: headings holding none of these can be reduced
together, one per line, with the same result as one by one."""


def _headings_plain(headings: list[str]) -> list[str]:
    """Each heading reduced to plain text on one line (all at once when that cannot differ)."""
    joined = "\n".join(headings)
    if len(headings) > 1 and not any(mark in joined for mark in _NOT_TOGETHER):
        lines = _prose_inline(joined).split("\n")
        if len(lines) == len(headings):
            return [" ".join(line.split()) for line in lines]
    return [_inline_plain(heading) for heading in headings]


def _inline_plain(text: str) -> str:
    return " ".join(_prose_inline(text).split())


def _prose_plain(text: str) -> str:
    return _prose_inline(_LINE_RULES.sub("\n", "\n" + text)[1:])


def markdown_to_plain(body: str) -> str:
    """Markdown with its syntax lightly stripped; code kept as is; same number of lines."""
    if "```" not in body and "~~~" not in body:
        return _prose_plain(body)
    text = "\n" + body
    out: list[str] = []
    fence: str | None = None
    cursor = 1
    """Where the lines not yet written out start."""
    for candidate in _FENCE_LINE.finditer(text):
        start = candidate.start() + 1
        end = text.find("\n", start)
        end = len(text) if end < 0 else end
        if fence is None:
            if start > cursor:
                out.append(_prose_plain(text[cursor : start - 1]))
            fence = candidate.group(1)
        elif _closes(candidate, fence, text[start:end]):
            if start > cursor:
                out.append(text[cursor : start - 1])  # code, as is
            fence = None
        else:
            continue
        out.append("")  # the fence line itself
        cursor = end + 1
    if cursor <= len(text):
        out.append(_prose_plain(text[cursor:]) if fence is None else text[cursor:])
    return "\n".join(out)


def extract_chapter(
    path: Path, raw: bytes, lang_root: Path, chapter_id: str | None = None, title: str | None = None
) -> IndexedDoc | None:
    """The index document for the handbook file ``path``; ``None`` for a contents file that is no chapter (see ``is_contents_file``).

    ``chapter_id`` is computed with ``chapter_id_for`` unless given (see :class:`.ChapterIds`);
    ``title`` (the contents file's link text, see ``contents_titles``) wins over the file's own.
    """
    contents_name = path.name.lower() in ("summary.md", "readme.md", "index.md")
    file = None if contents_name else quick_parse(path, raw)
    if file is None:
        file = parse_markdown_bytes(path, raw)
        if contents_name and is_contents_file(file, lang_root):
            return None
    body = file.body if _has_no_control(raw) else strip_control(file.body)
    return IndexedDoc(
        kind="chapter",
        chapter_id=chapter_id if chapter_id is not None else chapter_id_for(path, lang_root),
        title=title or chapter_title(file),
        headings="\n".join(strip_control(h).replace("\n", " ") for h in scan_headings(body)),
        body=markdown_to_plain(body),
        body_line=file.body_line,
    )


def _text(value: Any) -> str:
    return strip_control(value) if isinstance(value, str) else ""


def extract_exercise(path: Path, raw: bytes) -> IndexedDoc:
    """The index document for an exercise file: its title, summary, step prompts, hints and intro.

    Read leniently (no validation): a half-written exercise is still findable.
    """
    file = parse_markdown_bytes(path, raw)
    meta = file.meta
    title = _text(meta.get("title")).strip() or path.stem
    chapters = meta.get("chapters")
    first_chapter = (
        chapters[0]
        if isinstance(chapters, list) and chapters and isinstance(chapters[0], str)
        else ""
    )
    lines = [_text(meta.get("summary"))]
    steps = meta.get("steps")
    for step in steps if isinstance(steps, list) else []:
        if not isinstance(step, dict):
            continue
        lines.append(_text(step.get("prompt")))
        lines.append(_text(step.get("hint")))
        for key in ("options", "items"):
            values = step.get(key)
            if isinstance(values, list):
                lines.extend(_text(value) for value in values)
    lines.append(markdown_to_plain(strip_control(file.body)))
    return IndexedDoc(
        kind="exercise",
        chapter_id=strip_control(first_chapter),
        title=title.replace("\n", " "),
        headings="",
        body="\n".join(line for line in lines if line),
        body_line=file.body_line,
        exercise_id=_text(meta.get("id")) or path.stem,
    )
