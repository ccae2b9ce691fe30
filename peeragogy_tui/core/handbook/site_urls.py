"""Absolute URLs that mean a file of this very handbook folder.

Handbooks kept on GitHub or GitLab often list their chapters by URL
(``https://github.com/OWNER/REPO/blob/BRANCH/FOLDER/file.md``), and sites
link to their own pages by permalink (``https://site.org/chapters/en/x/``).
Read offline, such a link must open the local file, not a web browser.

- A repository URL (GitHub ``blob``/``tree``/``raw``, ``raw.githubusercontent.com``,
  GitLab ``/-/blob/``) names ``FOLDER/file.md`` in ``OWNER/REPO``. It is local
  when the path ends like a file of the handbook and the part before that is a
  folder the contents file already used for this handbook (the contents
  teaches it), or is named like the handbook's folder.
- A site URL is local when its path is a permalink some chapter declares
  (and, if the handbook's Jekyll ``_config.yml`` names its ``url``, on that host).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

__all__ = ["FolderUrls", "jekyll_site_host", "repository_path"]

_GITHUB = re.compile(r"^/([^/]+)/([^/]+)/(?:blob|tree|raw)/[^/]+/(.*)$")
_RAW_GITHUB = re.compile(r"^/([^/]+)/([^/]+)/[^/]+/(.*)$")
_GITLAB = re.compile(r"^/(.+?)/-/(?:blob|tree|raw)/[^/]+/(.*)$")
_CONFIG_URL = re.compile(r"""^url\s*:\s*["']?([^"'\s#]+)""", re.MULTILINE)


def repository_path(url: str) -> tuple[str, str] | None:
    """``(repository, path in it)`` for a GitHub/GitLab file URL, else ``None``.

    ``https://github.com/o/r/blob/main/en/a.md`` → ``("github.com/o/r", "en/a.md")``.
    The branch is left out on purpose: ``main`` and ``master`` links name the same folder.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        return None
    host = parts.hostname or ""
    path = unquote(parts.path)
    if host in ("github.com", "www.github.com"):
        found = _GITHUB.match(path)
        if found:
            return f"github.com/{found.group(1)}/{found.group(2)}", found.group(3)
    elif host == "raw.githubusercontent.com":
        found = _RAW_GITHUB.match(path)
        if found:
            return f"github.com/{found.group(1)}/{found.group(2)}", found.group(3)
    elif host == "gitlab.com" or host.startswith("gitlab."):
        found = _GITLAB.match(path)
        if found:
            return f"{host}/{found.group(1)}", found.group(2)
    return None


def jekyll_site_host(lang_root: Path) -> str | None:
    """The host of the ``url:`` in a Jekyll ``_config.yml`` in ``lang_root`` or a folder above it (two levels)."""
    for folder in (lang_root, *list(lang_root.parents)[:2]):
        config = folder / "_config.yml"
        try:
            text = config.read_text("utf-8", errors="replace") if config.is_file() else ""
        except OSError:
            continue
        found = _CONFIG_URL.search(text)
        if found:
            return urlsplit(found.group(1)).hostname
    return None


@dataclass
class FolderUrls:
    """Which repository URLs are this folder, learnt from the contents file and the folder's name."""

    root: Path
    """The resolved language folder."""
    files: dict[str, Path] = field(default_factory=dict)
    """``relative/posix/path.md`` → resolved file, for every handbook file."""
    bases: set[tuple[str, str]] = field(default_factory=set)
    """``(repository, folder path)`` pairs known to be this folder (``("github.com/o/r", "en-md")``)."""

    @classmethod
    def of(cls, root: Path, paths: Iterable[Path]) -> FolderUrls:
        """For the resolved folder ``root`` and its resolved Markdown files."""
        files = {}
        root_text = str(root)
        below = root_text if root_text.endswith(os.sep) else root_text + os.sep
        for path in paths:
            text = str(path)  # text, not relative_to: the same for resolved paths, at a tenth of the cost
            if text.startswith(below):
                files[text[len(below) :].replace(os.sep, "/")] = path
        return cls(root, files)

    def _matches(self, url: str) -> Iterable[tuple[tuple[str, str], str]]:
        """``(base, relative path)`` for each way ``url`` ends like a local file, longest first."""
        found = repository_path(url)
        if found is None:
            return
        repository, path = found
        segments = [s for s in path.split("/") if s]
        for cut in range(len(segments)):
            relative = "/".join(segments[cut:])
            if relative in self.files:
                yield (repository, "/".join(segments[:cut])), relative

    def learn(self, urls: Iterable[str]) -> None:
        """Learn this folder's URLs from the links of its contents file.

        The folder that explains most of them is this one (and any that explains
        two or more): one stray link to another repository's ``README.md`` teaches nothing.
        """
        counts: dict[tuple[str, str], int] = {}
        for url in urls:
            for base, _relative in self._matches(url):
                counts[base] = counts.get(base, 0) + 1
                break
        if counts:
            best = max(counts.values())
            self.bases |= {base for base, count in counts.items() if count == best or count >= 2}

    def locate(self, url: str) -> Path | None:
        """The local file ``url`` names, or ``None`` if it is not a URL of this folder.

        The folder in the URL must be known (:meth:`learn`) or be named like
        this one. A URL into a known folder whose file is not here gives the
        path it would have, so that it is reported missing rather than external.
        """
        for base, relative in self._matches(url):
            if base in self.bases or base[1].rsplit("/", 1)[-1] == self.root.name:
                return self.files[relative]
        found = repository_path(url)
        if found is None:
            return None
        repository, path = found
        segments = [s for s in path.split("/") if s]
        for cut in range(len(segments)):
            if (repository, "/".join(segments[:cut])) in self.bases and segments[cut:]:
                return self.root.joinpath(*segments[cut:])
        return None
