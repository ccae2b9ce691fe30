"""Handbook folders for tests: one file writer and the sample books the loader tests share.

Every loader test used to define its own ``write`` and spell out its book as a run of
``write(...)`` calls; a book here is a mapping of relative path to text, written by
``write_book``, so a test names the files it needs and nothing else.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path


def write(root: Path, relative: str, text: str) -> Path:
    """Write ``text`` to ``root/relative`` (folders made as needed) and return that path."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def write_book(root: Path, files: Mapping[str, str]) -> Path:
    """Write every ``relative path: text`` of ``files`` under ``root``; return ``root``."""
    for relative, text in files.items():
        write(root, relative, text)
    return root


FOLDER_BOOK = {  # folders, parts, order, a broken file, tags, a permalink, a title from a heading
    "intro.md": "---\ntitle: Intro\norder: 1\ntags: [a, b]\npermalink: /intro/\n---\n# Ignored\n\nHello.\n",
    "second.md": "---\norder: 2\npart: Basics\nsummary: The second one.\n---\n# Second heading\n\nText.\n",
    "broken.md": "---\ntitle: [unclosed\n---\nBody of a broken file.\n",
    "plain.md": "No frontmatter, no heading.\n",
    "guide/index.md": "---\ntitle: The guide\n---\nGuide intro.\n",
    "guide/step-one.md": "# Step one\n\nFirst.\n",
    "guide/deeper/leaf.md": "# Leaf\n\nDeep.\n",
}

SUMMARY_BOOK = {  # a SUMMARY.md with a child, a missing file, a separator, a part; a stray file
    "SUMMARY.md": (
        "# Summary\n\n- [Start here](start.md)\n  - [Child](child.md)\n- [Missing](gone.md)\n\n"
        "---\n\n# Part two\n\n- [Later](later.md)\n"
    ),
    "start.md": "# Start\n\nStart text.\n",
    "child.md": "# Child file title\n\nChild text.\n",
    "later.md": "# Later\n\nLater text.\n",
    "stray.md": "# Stray\n\nNot in the summary.\n",
}

TRANSLATED_BOOK = {  # English and a French translation that lacks one chapter
    "en/one.md": "---\ntitle: One\npart: First part\n---\nOne.\n",
    "en/two.md": "---\ntitle: Two\npart: First part\n---\nTwo.\n",
    "fr/one.md": "---\ntitle: Un\npart: Première partie\n---\nUn.\n",
}


def folder_book(root: Path) -> Path:
    """``FOLDER_BOOK`` written under ``root``."""
    return write_book(root, FOLDER_BOOK)


def summary_book(root: Path) -> Path:
    """``SUMMARY_BOOK`` written under ``root``."""
    return write_book(root, SUMMARY_BOOK)


def translated_book(root: Path) -> Path:
    """``TRANSLATED_BOOK`` written under ``root`` (open it with ``lang="fr"``)."""
    return write_book(root, TRANSLATED_BOOK)
