"""Which folder to read: ``root`` itself, or ``root/<lang>`` for per-language content.

Handbooks and exercise sets share this rule, so ``--lang`` means the same for both.
"""

from __future__ import annotations

import re
from pathlib import Path

from peeragogy_tui.core.handbook.folder_walk import has_markdown, is_probably_markdown, refuse_system_folder
from peeragogy_tui.errors import PeeragogyError

__all__ = ["LANG_DIR", "pick_language_folder"]

LANG_DIR = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
"""A folder name that looks like a language code: ``en``, ``fr``, ``pt-BR``."""

_NOT_CONTENT = ("index.md", "readme.md", "_index.md", "summary.md", "license.md", "contributing.md", "changelog.md")


def pick_language_folder(root: Path, lang: str | None, *, missing: str) -> tuple[Path, str | None, list[str]]:
    """``(folder, lang, languages)`` for content under ``root``.

    Content files at the top level mean there are no language folders: short
    folder names next to them (``faq``, ``img``) are just folders. ``missing``
    is the message when ``lang`` names no folder; ``{lang}`` is filled in.

    Raises:
        PeeragogyError: ``lang`` is given and has no folder, or ``root`` is a system folder (``/proc``).
    """
    refuse_system_folder(root)
    if any(
        child.name.lower() not in _NOT_CONTENT and is_probably_markdown(child) and child.is_file()
        for child in root.iterdir()
    ):
        return root, lang, []
    languages = sorted(
        child.name
        for child in root.iterdir()
        if LANG_DIR.match(child.name) and child.is_dir() and has_markdown(child)
    )
    if not languages:
        return root, lang, []
    chosen = lang if lang is not None else ("en" if "en" in languages else languages[0])
    if chosen not in languages:
        raise PeeragogyError(
            missing.format(lang=chosen),
            path=root,
            hint=f"use --lang with one of: {', '.join(languages)}",
        )
    return root / chosen, chosen, languages
