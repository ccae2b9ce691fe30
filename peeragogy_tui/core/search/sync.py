"""Keep the chapter index in step with the files on disk, touching only what changed.

The ``files`` table remembers each indexed file's size, ``mtime_ns`` and
SHA-1. A sync stats every file (no reading), and only a file whose size or
mtime differs is read and hashed; when its hash is unchanged only the stat
is updated, else its document is re-extracted. Files that disappeared are
dropped; a rename is a drop plus an add. An unchanged handbook therefore
costs one directory walk, one ``stat`` per file and one ``SELECT``.

A first build (:func:`build_files`) stores the same rows into a new file;
when there is enough text it hands the SQLite writes to a second process
(:mod:`.row_writer`) so that FTS5 indexing runs beside the text extraction.

A file modified within the file system's timestamp granularity of being
read could change again without its mtime moving ("racy" files, as git
calls them); such files are stored with ``mtime_ns = -1`` so the next sync
hashes them once more.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from peeragogy_tui.core.collector import paused_gc
from peeragogy_tui.core.handbook import FolderCachedResolve, contents_titles
from peeragogy_tui.core.handbook.folder_walk import read_regular_file, walk_markdown
from peeragogy_tui.core.handbook.loading import CONTENTS_NAMES
from peeragogy_tui.core.search.chapter_ids import ChapterIds
from peeragogy_tui.core.search.extract import IndexedDoc, extract_chapter, extract_exercise
from peeragogy_tui.core.search.row_writer import RowWriter
from peeragogy_tui.core.search.sections import split_sections
from peeragogy_tui.core.search.storage import BUILD_PRAGMAS

__all__ = [
    "CHILD_WRITER_BYTES",
    "SCHEMA_VERSION",
    "SyncStats",
    "build_files",
    "create_schema",
    "read_file",
    "sync_files",
]

SCHEMA_VERSION = 7
"""4: snippets lose footnote, alert, directive and HTML syntax; code spans keep theirs.
5: a long document is several rows, one per section (:mod:`.sections`); ``files.sections`` counts them.
6: titles as the reader shows them (contents link text; first H1, else H2; Markdown reduced).
7: prefix indexes of one and two characters (``prefix = '1 2'``): ``b*`` no longer merges every b-word."""
RANK_WEIGHTS = (10.0, 5.0, 1.0)
"""Titles weigh ten times, headings five times as much as body text (``title, headings, body``)."""
RANK = f"bm25({', '.join(map(str, RANK_WEIGHTS))})"
"""The table's ``rank``: FTS5 bm25 with :data:`RANK_WEIGHTS`."""
_RACY_FINE_NS = 100_000_000
_RACY_COARSE_NS = 2_000_000_000
_UNREADABLE = "unreadable"
_HASH_BYTES = 8 << 20
"""Terms FTS5 collects in memory before it writes a segment (default 1 MB): fewer, larger
segments and less merging."""
BUILD_FTS_CONFIG = (("pgsz", 65000), ("hashsize", 64 << 20), ("automerge", 0))
"""FTS5 settings for a first build (the tuned insert floor): leaves that fill a 64 KB page, 64 MB
of pending terms, no merging while inserting. :data:`AFTER_BUILD_FTS_CONFIG` restores the
defaults for later updates."""
AFTER_BUILD_FTS_CONFIG = (("hashsize", _HASH_BYTES), ("automerge", 4))
CHILD_WRITER_BYTES = 4 << 20
"""A first build of at least this much text writes from a second process (see :mod:`.row_writer`).

Measured (2026-12-03, 9 interleaved builds, two free cores): with the process a build took 1.63x
as long for the bundled handbook (100 KB), 1.02-1.07x at 1-2.3 MB and 0.89x at 4 MB; when the
host does not give the build a second core, the process loses even at 11 MB."""
_OPTIMIZE_AFTER = 200
"""Merge the FTS b-trees after a sync that (re)indexed at least this many documents."""


def create_schema(conn: sqlite3.Connection) -> None:
    """Tables of a new chapter index (run inside a transaction)."""
    conn.execute(
        """CREATE TABLE files (
            path TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            sha1 TEXT NOT NULL,
            doc INTEGER,
            chapter_id TEXT,
            sections INTEGER NOT NULL DEFAULT 1
        ) WITHOUT ROWID"""
    )
    conn.execute("CREATE INDEX files_by_chapter ON files (chapter_id)")
    conn.execute(
        """CREATE VIRTUAL TABLE docs USING fts5(
            title, headings, body,
            kind UNINDEXED, chapter_id UNINDEXED, exercise_id UNINDEXED, path UNINDEXED, body_line UNINDEXED,
            tokenize = 'unicode61 remove_diacritics 2', prefix = '1 2'
        )"""
    )
    conn.execute("INSERT INTO docs (docs, rank) VALUES ('rank', ?)", (RANK,))
    conn.execute("INSERT INTO docs (docs, rank) VALUES ('hashsize', ?)", (_HASH_BYTES,))


@dataclass
class SyncStats:
    """What one sync did."""

    files: int = 0
    """Files on disk (chapters and exercises)."""
    read: int = 0
    """Files read and hashed."""
    indexed: int = 0
    """Documents (re)extracted and written."""
    removed: int = 0
    """Files gone from disk, dropped from the index."""
    seconds: float = 0.0


def read_file(path: str) -> bytes:
    """Read one file (regular files only: never blocks on a pipe); tests replace this to count reads."""
    return read_regular_file(path)


Entry = tuple[str, int, int, Path]
"""``(kind, size, mtime_ns, path)`` of a file on disk: the walk's own ``Path``, kept so that
extracting the file does not make another (thousands of ``Path`` objects cost as much as stats)."""


def scan(
    lang_root: Path, exercises: list[Path], sized: Callable[[int], object] | None = None
) -> dict[str, Entry]:
    """Every handbook and exercise file with its size and mtime (stat only, no reading).

    ``sized`` hears each file's size as it is found (a first build starts its
    writer process once the sizes add up to enough text).
    """
    found: dict[str, Entry] = {}
    for kind, paths in (("chapter", walk_markdown(lang_root).files), ("exercise", exercises)):
        for path in paths:
            name = str(path)
            try:
                stat = os.stat(name)
                found[name] = (kind, stat.st_size, stat.st_mtime_ns, path)
            except OSError:
                found[name] = (kind, -1, -1, path)
                continue
            if sized is not None:
                sized(stat.st_size)
    return found


Stored = tuple[str, int, int, str, int | None, int]
"""``(kind, size, mtime_ns, sha1, first doc rowid, number of section rows)`` of an indexed file."""


def _stored(conn: sqlite3.Connection) -> dict[str, Stored]:
    rows = conn.execute("SELECT path, kind, size, mtime_ns, sha1, doc, sections FROM files")
    return {row[0]: (row[1], row[2], row[3], row[4], row[5], row[6]) for row in rows}


def _doc_rows(old: Stored) -> tuple[int, int]:
    """``(first, past the last)`` rowid of a stored file's section rows (they are consecutive)."""
    assert old[4] is not None
    return old[4], old[4] + max(old[5], 1)


def _pending(found: dict[str, Entry], stored: dict[str, Stored]) -> tuple[list[str], list[str]]:
    removed = [path for path in stored if path not in found]
    changed = [
        path
        for path, (kind, size, mtime, _file) in found.items()
        if (old := stored.get(path)) is None or old[0] != kind or old[1] != size or old[2] != mtime
    ]
    return removed, changed


_INSERT_DOCS = (
    "INSERT INTO docs (rowid, title, headings, body, kind, chapter_id, exercise_id, path, body_line)"
    " VALUES (?, ?, ?, CAST(? AS TEXT), ?, ?, ?, ?, ?)"
)
"""The body comes as its UTF-8 bytes, stored as the same text: a first build sends megabytes of it
to the writer process, and bytes cross the pipe without being decoded there (``marshal`` turned the
text back into ``str`` only for SQLite to encode it again)."""
_INSERT_FILES = (
    "INSERT OR REPLACE INTO files (path, kind, size, mtime_ns, sha1, doc, chapter_id, sections)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_DELETE_DOCS = "DELETE FROM docs WHERE rowid >= ? AND rowid < ?"
_BATCH = 32
"""Documents written per ``executemany``: few calls, bounded memory, and a short last batch (the writer
process inserts it after this one is done, so its size is time the build waits at the end)."""


Execute = Callable[[str, list[tuple[Any, ...]]], object]
"""``executemany``: a connection's, or a :class:`.RowWriter`'s."""
Progress = Callable[[int, int], object]
"""Told ``(files done, files in all)`` as a first build goes (from the building thread)."""


class _Writes:
    """Row changes collected during a sync and written in batches."""

    def __init__(self, execute: Execute, next_rowid: int) -> None:
        self.execute = execute
        self.next_rowid = next_rowid
        self.drop_docs: list[tuple[Any, ...]] = []
        self.docs: list[tuple[Any, ...]] = []
        self.files: list[tuple[Any, ...]] = []
        self.touched: list[tuple[Any, ...]] = []

    def add(
        self, doc: IndexedDoc | None, path: str, kind: str, size: int, mtime: int, digest: str
    ) -> None:
        rowid = None
        count = 1
        if doc is not None:
            rowid = self.next_rowid
            sections = split_sections(doc.headings, doc.body, doc.body_line)
            count = len(sections)
            for section in sections:
                self.docs.append(
                    (
                        self.next_rowid,
                        doc.title,
                        section.headings,
                        section.body.encode("utf-8"),
                        doc.kind,
                        doc.chapter_id,
                        doc.exercise_id,
                        path,
                        section.body_line,
                    )
                )
                self.next_rowid += 1
        chapter_id = doc.chapter_id if doc is not None and kind == "chapter" else None
        self.files.append((path, kind, size, mtime, digest, rowid, chapter_id, count))
        if len(self.docs) >= _BATCH:
            self.flush()

    def flush(self) -> None:
        for sql, rows in (
            (_DELETE_DOCS, self.drop_docs),
            (_INSERT_DOCS, self.docs),
            (_INSERT_FILES, self.files),
            ("UPDATE files SET size = ?, mtime_ns = ? WHERE path = ?", self.touched),
        ):
            if rows:
                self.execute(sql, rows)
        self.drop_docs, self.docs, self.files, self.touched = [], [], [], []


def _is_contents_path(path: str, lang_root: Path) -> bool:
    """True for a ``SUMMARY.md``/``README.md``/``index.md`` directly in ``lang_root``.

    The name is looked at first, as text: making a ``Path`` of each of thousands of files cost more
    than reading them.
    """
    return os.path.basename(path).lower() in CONTENTS_NAMES and Path(path).parent == lang_root


def _index(
    changed: list[str],
    found: dict[str, Entry],
    stored: dict[str, Stored],
    lang_root: Path,
    started_ns: int,
    writes: _Writes,
    stats: SyncStats,
    progress: Progress | None = None,
) -> None:
    """Read, hash and (when the hash changed) extract each of ``changed``; queue the rows.

    A changed contents file (``SUMMARY.md``…) may retitle any chapter, so then
    every chapter is extracted again, whatever its hash.
    """
    chapter_ids = ChapterIds(lang_root)
    resolve = FolderCachedResolve()
    titles = contents_titles(lang_root)
    retitle = any(_is_contents_path(path, lang_root) for path in changed)
    if retitle:
        changed = sorted(set(changed) | {path for path, entry in found.items() if entry[0] != "exercise"})
    total = len(changed)
    for done, path in enumerate(changed):
        if progress is not None and done % 64 == 0:
            progress(done, total)
        kind, size, mtime, file = found[path]
        try:
            raw: bytes | None = read_file(path)
        except OSError:
            raw = None
        stats.read += 1
        digest = (
            hashlib.sha1(raw).hexdigest() if raw is not None else _UNREADABLE
        )  # change detection, not security
        window = _RACY_COARSE_NS if mtime % 1_000_000_000 == 0 else _RACY_FINE_NS
        if raw is None or mtime > started_ns - window:
            mtime = -1
        old = stored.get(path)
        if old is not None and old[0] == kind and old[3] == digest and digest != _UNREADABLE and not retitle:
            writes.touched.append((size, mtime, path))
            continue
        if old is not None and old[4] is not None:
            writes.drop_docs.append(_doc_rows(old))
        if kind == "exercise":
            doc: IndexedDoc | None = extract_exercise(file, raw or b"")
        else:
            title = titles.get(resolve(file)) if titles else None
            doc = extract_chapter(file, raw or b"", lang_root, chapter_ids(path), title)
        writes.add(doc, path, kind, size, mtime, digest)
        stats.indexed += 1
    writes.flush()


def _apply(
    conn: sqlite3.Connection,
    lang_root: Path,
    found: dict[str, Entry],
    started_ns: int,
    stats: SyncStats,
) -> None:
    stored = _stored(conn)
    removed, changed = _pending(found, stored)
    next_rowid = 1 + conn.execute("SELECT coalesce(max(id), 0) FROM docs_content").fetchone()[0]
    writes = _Writes(conn.executemany, next_rowid)
    writes.drop_docs = [_doc_rows(stored[path]) for path in removed if stored[path][4] is not None]
    writes.flush()
    conn.executemany("DELETE FROM files WHERE path = ?", [(path,) for path in removed])
    stats.removed = len(removed)
    _index(changed, found, stored, lang_root, started_ns, writes, stats)


def sync_files(conn: sqlite3.Connection, lang_root: Path, exercises: list[Path]) -> SyncStats:
    """Bring the index up to date with ``lang_root`` and the ``exercises`` files."""
    started = time.perf_counter()
    started_ns = time.time_ns()
    found = scan(lang_root, exercises)
    stats = SyncStats(files=len(found))
    removed, changed = _pending(found, _stored(conn))
    if removed or changed:
        conn.execute("BEGIN IMMEDIATE")
        try:
            _apply(conn, lang_root, found, started_ns, stats)
            if stats.indexed >= _OPTIMIZE_AFTER:
                conn.execute("INSERT INTO docs (docs) VALUES ('optimize')")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    stats.seconds = time.perf_counter() - started
    return stats


class _WriterWhenBig:
    """Starts the build's writer process once the files found add up to :data:`CHILD_WRITER_BYTES`.

    Counting during the scan, not after it, lets the child's start-up (tens of
    milliseconds) overlap the rest of the scan; a small handbook, such as the
    bundled one, never starts a process at all.
    """

    def __init__(self, conn: sqlite3.Connection) -> None:
        self._conn = conn
        self._bytes = 0
        self.writer: RowWriter | None = None

    def __call__(self, size: int) -> None:
        self._bytes += size
        if self.writer is None and self._bytes >= CHILD_WRITER_BYTES:
            database = self._conn.execute("PRAGMA database_list").fetchone()[2]
            self.writer = RowWriter.start(self._conn, database, BUILD_PRAGMAS)

    def finish_scan(self) -> RowWriter:
        """The writer to use: the child if the handbook was big enough, else this process's ``conn``."""
        if self.writer is None:
            self.writer = RowWriter.start(self._conn, "", BUILD_PRAGMAS)
        return self.writer


def build_files(
    conn: sqlite3.Connection, lang_root: Path, exercises: list[Path], progress: Progress | None = None
) -> SyncStats:
    """Index every file into the new, empty index behind ``conn`` (a first build).

    Stores exactly what :func:`sync_files` would. With enough text to make it
    worth a process, the SQLite writes run in a :class:`.RowWriter` child
    while this process reads and extracts the files; the child is started
    during the scan, as soon as the files found are known to be that much
    text (:class:`_WriterWhenBig`). ``conn`` must have no open transaction.
    ``progress`` hears how far it got, every 64 files and at the end.
    """
    started = time.perf_counter()
    started_ns = time.time_ns()
    for name, value in BUILD_FTS_CONFIG:
        conn.execute("INSERT INTO docs (docs, rank) VALUES (?, ?)", (name, value))
    when_big = _WriterWhenBig(conn)
    try:
        found = scan(lang_root, exercises, when_big)
        writer = when_big.finish_scan()
        stats = SyncStats(files=len(found))
        with paused_gc():  # thousands of documents, no cycles: collections only cost time (~8 %)
            _index(list(found), found, {}, lang_root, started_ns, _Writes(writer.executemany, 1), stats, progress)
        writer.finish()  # no 'optimize': with 8 MB segments it made no query measurably faster
    except BaseException:
        if when_big.writer is not None:
            when_big.writer.abort()
        raise
    for name, value in AFTER_BUILD_FTS_CONFIG:
        conn.execute("INSERT INTO docs (docs, rank) VALUES (?, ?)", (name, value))
    stats.seconds = time.perf_counter() - started
    if progress is not None:
        progress(len(found), len(found))
    return stats
