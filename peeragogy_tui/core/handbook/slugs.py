"""Slugs for heading anchors and chapter ids, GitHub-style."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold_accents", "slugify", "unique_slugs"]

_NOT_SLUG = re.compile(r"[^\w\- ]+", re.UNICODE)


def fold_accents(text: str) -> str:
    """``"Café"`` -> ``"Cafe"``: drop combining marks after NFKD decomposition."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def slugify(text: str) -> str:
    """``"The Knowledge Café!"`` -> ``"the-knowledge-cafe"``."""
    folded = fold_accents(text).strip().lower()
    return _NOT_SLUG.sub("", folded).replace(" ", "-")


def unique_slugs(titles: list[str]) -> list[str]:
    """Slugs for headings in order; repeats get ``-1``, ``-2`` as on GitHub."""
    counts: dict[str, int] = {}
    result = []
    for title in titles:
        base = slugify(title)
        slug = base
        while slug in counts:  # "a-1" may already be taken by a heading called "A 1"
            counts[base] += 1
            slug = f"{base}-{counts[base]}"
        counts[slug] = 0
        result.append(slug)
    return result
