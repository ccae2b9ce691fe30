"""Full-text search over a handbook: :func:`index_for` and :class:`SearchIndex`.

One SQLite FTS5 index per handbook language folder lives in
``<data dir>/search/<hash>.sqlite3``. Opening it syncs it with the files
(see :mod:`.sync`), so a search always reflects what is on disk. Results are
plain values: snippet text with match spans, never markup.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Self

from peeragogy_tui.core.handbook import resolve_language
from peeragogy_tui.core.handbook.markdown_file import parse_markdown_bytes, resolve_path
from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.search.best_sections import FileRanges, best_sections
from peeragogy_tui.core.search.matching import (
    ChapterMatch,
    Span,
    find_matches,
    snippet_spans,
)
from peeragogy_tui.core.search.query import ParsedQuery, parse_query
from peeragogy_tui.core.search.snippets import marked_snippet
from peeragogy_tui.core.search.storage import open_or_build_cache_db, search_dir
from peeragogy_tui.core.search.sync import (
    SCHEMA_VERSION,
    Progress,
    SyncStats,
    build_files,
    create_schema,
    read_file,
    sync_files,
)
from peeragogy_tui.errors import PeeragogyError

if TYPE_CHECKING:
    from peeragogy_tui.core.search.answers import AnswerResult, AnswerSearch

__all__ = ["SearchHit", "SearchIndex", "SearchInterrupted", "SearchResult", "index_for", "index_path"]


class SearchInterrupted(Exception):
    """A query stopped by :meth:`SearchIndex.interrupt` (the user typed on, or left)."""

SNIPPET_TOKENS = 14
"""Words around the match in a snippet (see :mod:`.snippets`)."""
_SECTION_ROWS = (
    "SELECT rowid, chapter_id, title, path, kind, exercise_id, body, body_line FROM docs WHERE rowid IN"
)


@dataclass(frozen=True)
class SearchHit:
    """One chapter (or exercise) that matches, best first."""

    chapter_id: str
    """The chapter's id, as :func:`~peeragogy_tui.core.handbook.load_handbook` names it.
    For an exercise: the first chapter it belongs to, or ``""``."""
    title: str
    path: Path
    snippet: str
    """One line of plain text around the best match; control sequences stripped."""
    spans: tuple[Span, ...]
    """Where the matches are in :attr:`snippet`, as ``(start, end)``."""
    score: float
    """Higher is better (FTS5 bm25, negated)."""
    kind: str = "chapter"
    """``"chapter"`` or ``"exercise"``."""
    exercise_id: str = ""
    line: int | None = None
    """1-based file line of the first match, when asked for (``search(..., lines=True)``)."""


@dataclass(frozen=True)
class SearchResult:
    """Hits best first, and a one-line note when the query had nothing to search for.

    Behaves like the list of hits (``len``, iteration, indexing, truth).
    """

    hits: list[SearchHit] = field(default_factory=list)
    note: str | None = None
    query: ParsedQuery | None = None

    def __iter__(self) -> Iterator[SearchHit]:
        return iter(self.hits)

    def __len__(self) -> int:
        return len(self.hits)

    def __getitem__(self, index: int) -> SearchHit:
        return self.hits[index]

    def __bool__(self) -> bool:
        return bool(self.hits)


def index_path(lang_root: Path, lang: str | None, data_dir: Path | None = None) -> Path:
    """Where the index of one handbook language folder is kept."""
    key = f"{resolve_path(lang_root)}\0{lang or ''}".encode("utf-8", "surrogatepass")
    return (
        search_dir(data_dir) / f"{hashlib.sha1(key).hexdigest()[:20]}.sqlite3"
    )  # a file name, not security


def _exercises_for(handbook_root: Path, exercises_dir: Path | None, lang: str | None) -> list[Path]:
    """The exercise files that go with a handbook, as ``peeragogy check`` pairs them.

    An explicit folder wins; the bundled handbook gets the bundled exercises;
    another handbook gets an ``exercises`` folder next to it, if there is one.
    """
    from peeragogy_tui.core.exercises.loader import exercise_paths
    from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir

    root = resolve_path(handbook_root)
    if exercises_dir is not None:
        directory = resolve_path(exercises_dir)
    elif root == resolve_path(bundled_handbook_dir()):
        directory = resolve_path(bundled_exercises_dir())
    else:
        directory = root.parent / "exercises"
        if directory == root:
            return []
    if not directory.is_dir():
        return []
    try:
        return exercise_paths(directory, lang)
    except (PeeragogyError, OSError):
        return []


def index_for(
    handbook_root: Path,
    lang: str | None = None,
    *,
    exercises_dir: Path | None = None,
    include_exercises: bool = True,
    data_dir: Path | None = None,
    progress: Progress | None = None,
) -> SearchIndex:
    """Open (building or updating as needed) the index of a handbook in one language.

    The language folder is picked exactly as ``load_handbook`` picks it.
    Exercises in the same language are indexed too: from ``exercises_dir``,
    else the ones that go with the handbook (see :func:`_exercises_for`).
    A first build tells ``progress`` ``(files done, files in all)`` as it goes.

    Raises:
        PeeragogyError: the handbook folder is missing, or the index cannot be written.
    """
    lang_root, chosen, _languages = resolve_language(handbook_root, lang)
    lang_root = resolve_path(lang_root)
    exercises = _exercises_for(handbook_root, exercises_dir, chosen) if include_exercises else []
    path = index_path(lang_root, chosen, data_dir)
    conn, built = open_or_build_cache_db(
        path, create_schema, SCHEMA_VERSION, lambda new: build_files(new, lang_root, exercises, progress)
    )
    index = SearchIndex(conn, path=path, lang_root=lang_root, lang=chosen, exercises=exercises)
    if built is not None:
        index.last_sync = built  # just built from the files: nothing to refresh
        return index
    try:
        index.refresh()
    except BaseException:
        index.close()
        raise
    return index


class SearchIndex:
    """An open chapter index. Thread-safe; close it when done (or use ``with``)."""

    def __init__(
        self,
        conn: sqlite3.Connection,
        *,
        path: Path,
        lang_root: Path,
        lang: str | None,
        exercises: list[Path] | None = None,
    ) -> None:
        self.conn = conn
        self.path = path
        """The index file."""
        self.lang_root = lang_root
        """The folder whose files are indexed (``handbook`` or ``handbook/<lang>``)."""
        self.lang = lang
        self.exercises = list(exercises or [])
        self.last_sync = SyncStats()
        """What the most recent :meth:`refresh` did."""
        self._lock = threading.Lock()
        self._querying = False
        self._interrupted = False
        self._ranges: FileRanges | None = None
        """Section rowid -> file, read when first needed after each sync (ours or another connection's)."""
        self._ranges_version: int | None = None
        """``PRAGMA data_version`` when :attr:`_ranges` was read: it changes when another connection
        (a second window on the same data dir) commits a sync, whose re-indexed files have new rowids."""
        self._epoch = 0
        """Bumped by every :meth:`interrupt`; a query asked for before it (its ``ticket``) never runs."""
        self._state = threading.Lock()
        self._answers: AnswerSearch | None = None
        """Searches of the saved answers, made when first asked for."""

    def _check(self, query: str) -> None:
        if self._interrupted:
            raise SearchInterrupted(query)

    def _file_ranges(self) -> FileRanges:
        """The rowid -> file map, read again if the file changed since (call inside the search's transaction)."""
        version = self.conn.execute("PRAGMA data_version").fetchone()[0]
        if self._ranges is None or version != self._ranges_version:
            self._ranges, self._ranges_version = FileRanges(self.conn), version
        return self._ranges

    def ticket(self) -> int:
        """Take this when you decide to search; pass it to :meth:`search` (from any thread)."""
        return self._epoch

    def interrupt(self) -> None:
        """Stop the query running now in another thread: it raises :class:`SearchInterrupted`.

        A query whose ``ticket`` was taken before this call and that has not
        started yet (its thread was still on its way) is stopped too, so an
        interrupt is never lost in that gap. Safe from any thread; does nothing
        to an index update.
        """
        with self._state:
            self._epoch += 1
            self._interrupted = True
            if self._querying:
                self.conn.interrupt()

    def refresh(self) -> SyncStats:
        """Re-read whatever changed on disk since the last sync."""
        with self._lock:
            try:
                self._ranges = None
                self.last_sync = sync_files(self.conn, self.lang_root, self.exercises)
            except sqlite3.OperationalError as error:
                raise PeeragogyError(
                    f"cannot update the search index: {error}",
                    path=self.path,
                    hint="check free disk space; deleting the file rebuilds the index",
                ) from None
        return self.last_sync

    def search(
        self, query: str, limit: int = 20, *, lines: bool = False, ticket: int | None = None
    ) -> SearchResult:
        """Chapters and exercises matching ``query``, best first. Never raises on odd input.

        A long chapter is several sections in the index (:mod:`.sections`):
        each file is ranked by its best section, and the snippet comes from
        that section only. With ``lines=True`` each hit also gets the file line
        of the first match in that section.
        """
        parsed = parse_query(query)
        if parsed.empty:
            return SearchResult([], parsed.note, parsed)
        with self._lock:
            with self._state:
                if ticket is not None and ticket != self._epoch:
                    raise SearchInterrupted(query)  # interrupted between the decision and now
                self._interrupted, self._querying = False, True
            try:
                self.conn.execute("BEGIN")  # one snapshot: ranking, rowid -> file map and rows agree
                picked = best_sections(self.conn, parsed.expression, limit, self._file_ranges, lambda: self._check(query))
                self._check(query)  # interrupted between statements: stop all the same
                rows = self._section_rows([rowid for rowid, _score in picked])
                hits = [
                    self._hit(score, rows[rowid], parsed, lines) for rowid, score in picked if rowid in rows
                ]
            except sqlite3.OperationalError as error:
                if self._interrupted or "interrupt" in str(error):
                    raise SearchInterrupted(query) from None
                raise PeeragogyError(
                    f"the search index cannot be read: {error}",
                    path=self.path,
                    hint="delete this file; the index is rebuilt the next time you search",
                ) from None
            except sqlite3.DatabaseError as error:
                raise PeeragogyError(
                    f"the search index cannot be read: {error}",
                    path=self.path,
                    hint="delete this file; the index is rebuilt the next time you search",
                ) from None
            finally:
                with self._state:
                    self._querying = False  # before the ROLLBACK: an interrupt now must not stop that
                    stopped = self._interrupted
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")  # it only read
            if stopped:  # interrupted after its last check: the caller asked to stop it, so it never returns
                raise SearchInterrupted(query)
        return SearchResult(hits, parsed.note, parsed)

    def _section_rows(self, rowids: list[int]) -> dict[int, tuple]:
        """The stored columns of the chosen sections, by rowid (one statement, no ``MATCH``)."""
        if not rowids:
            return {}
        marks = ", ".join("?" * len(rowids))
        found = self.conn.execute(f"{_SECTION_ROWS} ({marks})", rowids).fetchall()
        return {row[0]: row[1:] for row in found}

    def _hit(self, score: float, row: tuple, parsed: ParsedQuery, lines: bool) -> SearchHit:
        """One result from a section's stored columns: its snippet (and first match line) made here."""
        chapter_id, title, path, kind, exercise_id, body, body_line = row
        text, spans = snippet_spans(marked_snippet(body or "", parsed, SNIPPET_TOKENS))
        line = None
        if lines:
            matches = find_matches(body or "", parsed, body_line=int(body_line or 1))
            line = matches[0].file_line if matches else None
        return SearchHit(
            chapter_id=strip_control(chapter_id or ""),
            title=strip_control(title or ""),
            path=Path(path),
            snippet=text,
            spans=spans,
            score=float(score),
            kind=kind,
            exercise_id=exercise_id or "",
            line=line,
        )

    def search_chapter(self, chapter_id: str, query: str) -> list[ChapterMatch]:
        """Every match of ``query`` in one chapter's body, in reading order (for ``n`` / ``N``).

        Lines are counted in the chapter's body (``Chapter.body``); an unknown
        chapter or an empty query gives ``[]``.
        """
        parsed = parse_query(query)
        if parsed.empty:
            return []
        with self._lock:
            row = self.conn.execute(
                "SELECT path FROM files WHERE chapter_id = ? AND kind = 'chapter' LIMIT 1",
                (chapter_id,),
            ).fetchone()
        return self._matches_in(Path(row[0]), parsed) if row else []

    def _matches_in(self, path: Path, parsed: ParsedQuery) -> list[ChapterMatch]:
        try:
            file = parse_markdown_bytes(path, read_file(str(path)))
        except OSError:
            return []
        return find_matches(file.body, parsed, body_line=file.body_line)

    def search_answers(self, query: str, limit: int = 20) -> AnswerResult:
        """Your saved answers matching ``query``; see :class:`~.answers.AnswerSearch` (the store is read when it changed)."""
        if self._answers is None:
            from peeragogy_tui.core.search.answers import AnswerSearch

            self._answers = AnswerSearch()
        return self._answers.search(query, limit=limit)

    def close(self) -> None:
        """Close the index file (a query still running in another thread is interrupted first)."""
        self.interrupt()
        with self._lock:
            self.conn.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
