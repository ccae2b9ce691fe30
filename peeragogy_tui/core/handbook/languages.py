"""Which folder to read: ``root`` itself, or ``root/<lang>`` for per-language content.

Handbooks and exercise sets share this rule, so ``--lang`` means the same for both.
Without ``--lang``, the user's locale chooses (``LANG=es_ES.UTF-8`` opens ``es``)
when the content has that language, else English.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

from peeragogy_tui.core.handbook.folder_walk import has_markdown, is_probably_markdown, refuse_system_folder
from peeragogy_tui.errors import PeeragogyError

__all__ = ["LANG_DIR", "environment_languages", "pick_language_folder"]

LANG_DIR = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})?$")
"""A folder name that looks like a language code: ``en``, ``fr``, ``pt-BR``."""

_NOT_CONTENT = ("index.md", "readme.md", "_index.md", "summary.md", "license.md", "contributing.md", "changelog.md")


def environment_languages(environ: Mapping[str, str] | None = None) -> list[str]:
    """The languages the locale asks for, most wanted first: ``es_ES.UTF-8`` → ``["es_ES", "es-ES", "es"]``.

    As gettext reads them: the locale is the first of ``LC_ALL``, ``LC_MESSAGES``
    and ``LANG`` that is set; ``LANGUAGE`` (a ``:`` list) comes first unless the
    locale is ``C``/``POSIX``, which asks for no language at all.
    """
    env = os.environ if environ is None else environ
    locale = next((env[key] for key in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(key)), "")
    if locale.split(".")[0] in ("", "C", "POSIX"):
        return []
    wanted: list[str] = []
    for code in [*env.get("LANGUAGE", "").split(":"), locale]:
        code = code.split(".")[0].split("@")[0].strip()
        if not code or code in ("C", "POSIX"):
            continue
        for form in (code, code.replace("_", "-"), re.split(r"[-_]", code)[0]):
            if form not in wanted:
                wanted.append(form)
    return wanted


def pick_language_folder(root: Path, lang: str | None, *, missing: str) -> tuple[Path, str | None, list[str]]:
    """``(folder, lang, languages)`` for content under ``root``.

    Content files at the top level mean there are no language folders: short
    folder names next to them (``faq``, ``img``) are just folders. ``missing``
    is the message when ``lang`` names no folder; ``{lang}`` is filled in.
    Without ``lang``: the locale's language when there is a folder for it
    (see :func:`environment_languages`), else ``en``, else the first.

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
    if lang is None:
        lang = next((code for code in environment_languages() if code in languages), None)
    chosen = lang if lang is not None else ("en" if "en" in languages else languages[0])
    if chosen not in languages:
        raise PeeragogyError(
            missing.format(lang=chosen),
            path=root,
            hint=f"use --lang with one of: {', '.join(languages)}",
        )
    return root / chosen, chosen, languages
