"""The measured stages of ``bench_search.py``, each run alone in a fresh subprocess.

``python benchmarks/search_workers.py STAGE ARGS_JSON`` runs one stage and
prints its measurements as JSON. A fresh process per stage keeps one stage's
caches and memory out of the next one's numbers, and makes ``ru_maxrss`` the
peak of that stage alone. Times are taken inside the process, so interpreter
start-up and imports are not in them.

Stages:

* ``build``: the first full build, ``index_for`` on a handbook with no index (with the CPU
  time of this process and of the writer process it waited for);
* ``rows``: the exact batches of rows that build writes, saved for ``floor``
  (untimed preparation);
* ``floor``: those batches inserted into a new file with the real schema,
  the build's pragmas and FTS5 settings, in one transaction, one process;
* ``reopen``: ``index_for`` on an unchanged handbook whose index exists;
* ``queries``: warm ``SearchIndex.search`` times, per query;
* ``load``: ``load_handbook`` in-process;
* ``steps``: where a first build's time goes, each step alone;
* ``app`` / ``bare``: memory of the headless app with the index opened
  through its own access path, and of a bare Textual app (one ``Static``).
"""

from __future__ import annotations

import json
import marshal
import sqlite3
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))


# --------------------------------------------------------------------------- memory


def peak_mb(children: bool = False) -> float:
    """``ru_maxrss`` in MB: of this process, or of the largest child it waited for."""
    import resource

    who = resource.RUSAGE_CHILDREN if children else resource.RUSAGE_SELF
    return resource.getrusage(who).ru_maxrss / 1024


def vmrss_mb() -> float:
    """This process's resident memory now (``VmRSS``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status")


# --------------------------------------------------------------------------- the index


def _lang_root(root: Path) -> Path:
    """The folder ``index_for`` indexes, resolved the same way."""
    from peeragogy_tui.core.handbook import resolve_language
    from peeragogy_tui.core.handbook.markdown_file import resolve_path

    return resolve_path(resolve_language(root, None)[0])


def build(root: Path, data: Path) -> dict[str, Any]:
    """Time a first full build (``data`` holds no index yet), exactly as a search's first open runs it."""
    import resource

    from peeragogy_tui.core.search import index_for

    def children_cpu() -> float:
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        return usage.ru_utime + usage.ru_stime

    writer_before, parent_before = children_cpu(), time.process_time()
    started = time.perf_counter()
    index = index_for(root, include_exercises=False, data_dir=data)
    seconds = time.perf_counter() - started
    parent_cpu, writer_cpu = time.process_time() - parent_before, children_cpu() - writer_before
    assert index.last_sync.indexed == index.last_sync.files, "not a first build"
    sections = index.conn.execute("SELECT count(*) FROM docs_content").fetchone()[0]
    index.close()
    return {
        "seconds": seconds,
        "parent_cpu_s": parent_cpu,
        "writer_cpu_s": writer_cpu,
        "files": index.last_sync.files,
        "sections": sections,
        "index_mb": index.path.stat().st_size / 1e6,
        "rss_mb": peak_mb(),
        "writer_rss_mb": peak_mb(children=True),
    }


def build_batches(root: Path) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """The ``(sql, rows)`` batches a first build of ``root`` writes, in its order (nothing is written)."""
    from peeragogy_tui.core.search import sync

    lang_root = _lang_root(root)
    found = sync.scan(lang_root, [])
    batches: list[tuple[str, list[tuple[Any, ...]]]] = []
    writes = sync._Writes(lambda sql, rows: batches.append((sql, rows)), 1)
    sync._index(list(found), found, {}, lang_root, time.time_ns(), writes, sync.SyncStats())
    return batches


def rows(root: Path, out: Path, count_file: str = "") -> dict[str, Any]:
    """Save the build's batches to ``out`` for :func:`floor` (preparation, not timed).

    Also counts the sections of the files named ``count_file``, if any.
    """
    batches = build_batches(root)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(marshal.dumps(batches))
    docs = [row for sql, batch in batches if "INTO docs" in sql for row in batch]
    return {
        "sections": len(docs),
        "body_chars": sum(len(row[3]) for row in docs),
        "sections_in_file": sum(
            1 for row in docs if count_file and Path(row[7]).name == count_file
        ),
    }


def new_build_file(path: Path) -> sqlite3.Connection:
    """A new index file set up as a first build sets it up: build pragmas, schema, build FTS5 settings."""
    from peeragogy_tui.core.search import storage, sync

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in storage.BUILD_PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    conn.execute("BEGIN")
    sync.create_schema(conn)
    conn.execute("COMMIT")
    for name, value in sync.BUILD_FTS_CONFIG:
        conn.execute("INSERT INTO docs (docs, rank) VALUES (?, ?)", (name, value))
    return conn


def insert_batches(
    conn: sqlite3.Connection, batches: list[tuple[str, list[tuple[Any, ...]]]]
) -> float:
    """Seconds to write every batch in one transaction (what the build's writer process does)."""
    started = time.perf_counter()
    conn.execute("BEGIN")
    for sql, batch in batches:
        conn.executemany(sql, batch)
    conn.execute("COMMIT")
    return time.perf_counter() - started


def floor(rows_file: Path, data: Path) -> dict[str, Any]:
    """The tuned FTS5 insert floor: the build's own rows into the real schema, no reading or extraction."""
    batches = marshal.loads(rows_file.read_bytes())
    path = data / "floor.sqlite3"
    conn = new_build_file(path)
    seconds = insert_batches(conn, batches)
    conn.close()
    path.unlink()
    return {"seconds": seconds, "rss_mb": peak_mb()}


def reopen(root: Path, data: Path) -> dict[str, Any]:
    """Time opening the existing index of an unchanged handbook (walk, stat, compare)."""
    from peeragogy_tui.core.search import index_for

    started = time.perf_counter()
    index = index_for(root, include_exercises=False, data_dir=data)
    seconds = time.perf_counter() - started
    read = index.last_sync.read
    index.close()
    return {"seconds": seconds, "read": read}


def queries(root: Path, data: Path, texts: list[str], rounds: int, limit: int) -> dict[str, Any]:
    """Each query's times over ``rounds`` interleaved rounds, after one untimed warming round."""
    from peeragogy_tui.core.search import index_for

    index = index_for(root, include_exercises=False, data_dir=data)
    hits = {text: len(index.search(text, limit=limit)) for text in texts}  # warming round
    times: dict[str, list[float]] = {text: [] for text in texts}
    for _round in range(rounds):
        for text in texts:
            started = time.perf_counter()
            index.search(text, limit=limit)
            times[text].append(time.perf_counter() - started)
    index.close()
    return {"times": times, "hits": hits, "rss_mb": peak_mb()}


def spin() -> dict[str, Any]:
    """Seconds for a fixed pure-Python loop: run alone, and two at once, to see how many cores there are."""
    started = time.perf_counter()
    total = 0
    for i in range(3_000_000):
        total += i * i % 7
    return {"seconds": time.perf_counter() - started}


def load(root: Path) -> dict[str, Any]:
    """Time ``load_handbook`` in this process (not the app's first frame)."""
    from peeragogy_tui.core.handbook import load_handbook

    started = time.perf_counter()
    handbook = load_handbook(root)
    return {"seconds": time.perf_counter() - started, "chapters": len(handbook.chapters)}


# --------------------------------------------------------------------------- build steps


def steps(root: Path) -> dict[str, Any]:
    """A first build's steps, each timed alone in this one process; the FTS5 insert is the floor's."""
    import hashlib

    from peeragogy_tui.core.handbook.markdown_file import parse_markdown_bytes
    from peeragogy_tui.core.handbook.quick_frontmatter import quick_parse
    from peeragogy_tui.core.search import sync
    from peeragogy_tui.core.search.chapter_ids import ChapterIds
    from peeragogy_tui.core.search.extract import extract_chapter
    from peeragogy_tui.core.search.sections import split_sections

    lang_root = _lang_root(root)
    times: dict[str, float] = {}
    started = time.perf_counter()
    found = sync.scan(lang_root, [])
    times["walk + stat"] = time.perf_counter() - started
    started = time.perf_counter()
    raws = [(path, sync.read_file(path)) for path in found]
    for _path, raw in raws:
        hashlib.sha1(raw).hexdigest()
    times["read + SHA-1"] = time.perf_counter() - started
    started = time.perf_counter()
    for path, raw in raws:
        quick_parse(Path(path), raw) or parse_markdown_bytes(Path(path), raw)
    times["split + frontmatter (title)"] = time.perf_counter() - started
    ids = ChapterIds(lang_root)
    started = time.perf_counter()
    docs = [extract_chapter(Path(path), raw, lang_root, ids(path)) for path, raw in raws]
    times["extraction (without the frontmatter)"] = (
        time.perf_counter() - started - times["split + frontmatter (title)"]
    )
    started = time.perf_counter()
    for doc in docs:
        if doc is not None:
            split_sections(doc.headings, doc.body, doc.body_line)
    times["cut into sections"] = time.perf_counter() - started
    return {"steps": times}


# --------------------------------------------------------------------------- app memory


def _memory(extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "vmrss_mb": vmrss_mb(),
        "peak_mb": peak_mb(),
        "child_peak_mb": peak_mb(children=True),
        **extra,
    }


def app(root: Path) -> dict[str, Any]:
    """The real app, headless, started as ``peeragogy`` starts it; the index opened as ``/`` opens it.

    As ``launch.py``: garbage collection off until the first frame, the
    handbook loaded through ``HandbookSource`` and watched for edits. Then
    ``app.search_index()`` runs in a worker thread (building the index when
    ``PEERAGOGY_HOME`` has none), one query runs, and memory is read.
    """
    import asyncio
    import gc

    gc.disable()
    from peeragogy_tui.core.handbook.watch import HandbookSource
    from peeragogy_tui.tui.app import create_app

    source = HandbookSource(root, None)
    handbook = source.load()
    application = create_app(handbook, live_reload=source)

    async def run() -> dict[str, Any]:
        async with application.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            started = time.perf_counter()
            index = await asyncio.to_thread(application.search_index)
            opened = time.perf_counter() - started
            found = len(index.search("learning", limit=50))
            await pilot.pause()
            return _memory(
                {
                    "open_s": opened,
                    "indexed": index.last_sync.indexed,
                    "hits": found,
                    "chapters": len(handbook.chapters),
                }
            )

    return asyncio.run(run())


def bare() -> dict[str, Any]:
    """A bare Textual app (one ``Static``), headless, measured as :func:`app` is."""
    import asyncio

    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App[None]):
        def compose(self) -> ComposeResult:
            yield Static("bare")

    async def run() -> dict[str, Any]:
        async with Bare().run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.pause()
            return _memory({})

    return asyncio.run(run())


STAGES = {
    "build": lambda a: build(Path(a["root"]), Path(a["data"])),
    "rows": lambda a: rows(Path(a["root"]), Path(a["out"]), a.get("count_file", "")),
    "floor": lambda a: floor(Path(a["rows"]), Path(a["data"])),
    "reopen": lambda a: reopen(Path(a["root"]), Path(a["data"])),
    "queries": lambda a: queries(
        Path(a["root"]), Path(a["data"]), a["texts"], a["rounds"], a["limit"]
    ),
    "load": lambda a: load(Path(a["root"])),
    "spin": lambda a: spin(),
    "steps": lambda a: steps(Path(a["root"])),
    "app": lambda a: app(Path(a["root"])),
    "bare": lambda a: bare(),
}


if __name__ == "__main__":
    stage, arguments = sys.argv[1], json.loads(sys.argv[2])
    print(json.dumps(STAGES[stage](arguments)))
