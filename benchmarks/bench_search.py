"""Benchmark the search index and handbook loading on synthetic handbooks of growing size.

For each size (60, 1,000 and 5,000 chapters by default) this generates a
handbook with :mod:`generate_scale`, then measures, each in a fresh
subprocess so that peak memory (``ru_maxrss``) is per stage:

* ``grep -ri WORD`` over the same files (the baseline, same run, warm cache);
* the first full index build (target < 5x grep), and beside it the *FTS5
  floor*: the raw text of the same files inserted into a bare FTS5 table
  with the same tokenizer (one column, no prefix index, no journal, one
  transaction), i.e. what any FTS5 index of these bytes costs on one core;
* where a first build's time goes, each step timed alone in one process
  (largest size only);
* reopening the unchanged index (walk + stat + compare; target < 500 ms);
* warm queries: the median over ~50 queries (target < 20 ms at 5,000);
* ``load_handbook``, i.e. the time before the chapter tree can appear
  (target < 1 s at 5,000);
* peak memory of each stage (target < 300 MB).

Times are measured inside the subprocess (interpreter start-up and imports
excluded). grep, the build and the floor run ``--reps`` times each,
interleaved, and are reported as median (min). Results go to
``benchmarks/search_results.md`` and stdout.
Generated data lives in a temporary directory (or ``--out``, e.g. the
git-ignored ``benchmarks/out/``) and is never committed.

Usage: python benchmarks/bench_search.py [--sizes 60,1000,5000] [--reps 5] [--wait-quiet S] [--out DIR] [--keep]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from bench_reader import QuietGate, _cpu_busy, calibrate
from generate_scale import COMMON, PLANTED, generate, vocabulary

RESULTS = HERE / "search_results.md"
TARGETS = {
    "build_x_grep": 5.0,
    "query_ms": 20.0,
    "reopen_ms": 500.0,
    "load_s": 1.0,
    "rss_mb": 300.0,
}


def queries() -> list[str]:
    """About 50 queries: common and rare words, pairs, phrases, prefixes, accents, odd input."""
    words = vocabulary()
    rare = [words[-(1 + 397 * n)] for n in range(8)]
    middle = [words[2_000 + 131 * n] for n in range(6)]
    return [
        *COMMON[:10],
        *(f"{a} {b}" for a, b in zip(COMMON[10:18], COMMON[18:26])),
        '"peer learning"', '"learning group"', '"question answer"', '"café harvest"',
        "lea*", "st*", "b*", "tr*", "caf*", "fac*", "conv*", "pl*",
        *rare, *middle,
        "cafe", "CAFÉ", PLANTED, "AND", '"unclosed', "*",
    ]  # fmt: skip


# --------------------------------------------------------------------------- workers (subprocesses)


def _rss_mb() -> float:
    """Peak RSS of this process plus the largest child it waited for (a build's writer process)."""
    import resource

    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (own + resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024


def floor(root: Path, data: Path) -> dict[str, Any]:
    """The FTS5 floor: every file's raw text into a bare FTS5 table, one transaction."""
    from peeragogy_tui.core.handbook.folder_walk import walk_markdown

    texts = [(path.read_text("utf-8", "replace"),) for path in walk_markdown(root / "en").files]
    data.mkdir(parents=True, exist_ok=True)
    path = data / "floor.sqlite3"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -65536"):
        conn.execute(f"PRAGMA {pragma}")
    conn.execute(
        "CREATE VIRTUAL TABLE t USING fts5(body, tokenize = 'unicode61 remove_diacritics 2')"
    )
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO t (body) VALUES (?)", texts)
    conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    path.unlink()
    return {"seconds": seconds, "rss_mb": _rss_mb()}


def stages(root: Path, data: Path) -> dict[str, Any]:
    """A first build's steps, each timed alone, in this one process (no writer process)."""
    import hashlib

    from peeragogy_tui.core.handbook.markdown_file import parse_markdown_bytes
    from peeragogy_tui.core.search import storage, sync
    from peeragogy_tui.core.search.chapter_ids import ChapterIds
    from peeragogy_tui.core.search.extract import extract_chapter
    from peeragogy_tui.core.search.quick_frontmatter import quick_parse

    lang_root = (root / "en").resolve()
    times: dict[str, float] = {}

    def timed(name: str, started: float) -> None:
        times[name] = time.perf_counter() - started

    started = time.perf_counter()
    found = sync.scan(lang_root, [])
    timed("walk + stat", started)
    started = time.perf_counter()
    raws = [(path, sync.read_file(path)) for path in found]
    for _path, raw in raws:
        hashlib.sha1(raw).hexdigest()
    timed("read + SHA-1", started)
    started = time.perf_counter()
    for path, raw in raws:
        quick_parse(Path(path), raw) or parse_markdown_bytes(Path(path), raw)
    timed("split + frontmatter (title)", started)
    ids = ChapterIds(lang_root)
    started = time.perf_counter()
    rows = []
    for number, (path, raw) in enumerate(raws, start=1):
        doc = extract_chapter(Path(path), raw, lang_root, ids(path))
        if doc is not None:
            rows.append(
                (
                    number,
                    doc.title,
                    doc.headings,
                    doc.body,
                    doc.kind,
                    doc.chapter_id,
                    "",
                    path,
                    doc.body_line,
                )
            )
    times["extraction (without the frontmatter)"] = (
        time.perf_counter() - started - times["split + frontmatter (title)"]
    )
    data.mkdir(parents=True, exist_ok=True)
    path = data / "stages.sqlite3"
    path.unlink(missing_ok=True)
    conn = sqlite3.connect(path, isolation_level=None)
    for pragma in storage.BUILD_PRAGMAS:
        conn.execute(f"PRAGMA {pragma}")
    sync.create_schema(conn)
    started = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany(sync._INSERT_DOCS, rows)
    conn.execute("COMMIT")
    timed("FTS5 insert (our table)", started)
    conn.close()
    path.unlink()
    return {"stages": times}


def worker(stage: str, root: Path, data: Path) -> dict[str, Any]:
    """Run one stage in this (fresh) process; return its measurements."""
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.core.search import index_for

    if stage == "floor":
        return floor(root, data)
    if stage == "stages":
        return stages(root, data)
    if stage == "load":
        started = time.perf_counter()
        handbook = load_handbook(root)
        return {
            "seconds": time.perf_counter() - started,
            "chapters": len(handbook.chapters),
            "rss_mb": _rss_mb(),
        }
    started = time.perf_counter()
    index = index_for(root, include_exercises=False, data_dir=data)
    opened = time.perf_counter() - started
    result: dict[str, Any] = {
        "seconds": opened,
        "read": index.last_sync.read,
        "indexed": index.last_sync.indexed,
    }
    if stage == "query":
        timings: dict[str, list[float]] = {}
        for query in queries():
            index.search(query)  # warm
        for _round in range(3):
            for query in queries():
                tick = time.perf_counter()
                hits = index.search(query)
                timings.setdefault(query, []).append(time.perf_counter() - tick)
                if query == PLANTED:
                    assert len(hits) == 1, f"planted word found {len(hits)} times"
        per_query = sorted(statistics.median(values) * 1000 for values in timings.values())
        result["query_median_ms"] = statistics.median(per_query)
        result["query_p95_ms"] = per_query[int(len(per_query) * 0.95) - 1]
        result["query_max_ms"] = per_query[-1]
        result["slowest"] = max(timings, key=lambda q: statistics.median(timings[q]))
    index.close()
    result["index_mb"] = index.path.stat().st_size / 1e6
    result["rss_mb"] = _rss_mb()
    return result


def run_worker(stage: str, root: Path, data: Path) -> dict[str, Any]:
    """Run :func:`worker` in a subprocess and parse its JSON."""
    done = subprocess.run(
        [sys.executable, __file__, "--worker", stage, str(root), str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {stage} failed:\n{done.stderr}")
    return json.loads(done.stdout)


# --------------------------------------------------------------------------- driver


def grep_seconds(root: Path) -> float:
    """Wall time of one ``grep -ri PLANTED root``."""
    command = ["grep", "-ri", PLANTED, str(root)]
    started = time.perf_counter()
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def measure(size: int, base: Path, reps: int, gate: QuietGate) -> dict[str, Any]:
    """Every measurement for one handbook size."""
    root = base / f"handbook-{size}"
    data = base / f"data-{size}"
    shutil.rmtree(root, ignore_errors=True)
    shutil.rmtree(data, ignore_errors=True)
    started = time.perf_counter()
    generate(root, size)
    generated = time.perf_counter() - started
    files = list(root.rglob("*.md"))
    row: dict[str, Any] = {
        "chapters": size,
        "mb": sum(path.stat().st_size for path in files) / 1e6,
        "depth": max(len(path.relative_to(root).parts) for path in files) - 1,
        "generate_s": generated,
    }
    time.sleep(0.3)  # let the newest files age past the index's "racy mtime" window
    grep_seconds(root)  # warm the page cache
    greps, builds, floors = [], [], []
    for _rep in range(reps):  # interleaved, so that load from elsewhere hits all three alike
        gate()
        greps.append(grep_seconds(root))
        shutil.rmtree(data, ignore_errors=True)
        builds.append(run_worker("build", root, data))
        floors.append(run_worker("floor", root, base / "floor"))
    row["grep_s"], row["grep_min_s"] = _median_min(greps)
    row["build_s"], row["build_min_s"] = _median_min([b["seconds"] for b in builds])
    row["floor_s"], row["floor_min_s"] = _median_min([f["seconds"] for f in floors])
    row["build_rss_mb"] = max(b["rss_mb"] for b in builds)
    row["index_mb"] = builds[-1]["index_mb"]
    row["build_cpu_busy"] = gate.busy_seen[-reps:] if gate.busy_seen else []
    reopens = [run_worker("reopen", root, data) for _ in range(3)]
    assert all(r["read"] == 0 for r in reopens), "an unchanged reopen re-read files"
    row["reopen_ms"] = statistics.median(r["seconds"] for r in reopens) * 1000
    query = run_worker("query", root, data)
    row.update(
        {key: query[key] for key in ("query_median_ms", "query_p95_ms", "query_max_ms", "slowest")}
    )
    row["query_rss_mb"] = query["rss_mb"]
    loads = [run_worker("load", root, data) for _ in range(3)]
    row["load_s"] = statistics.median(r["seconds"] for r in loads)
    row["load_rss_mb"] = max(r["rss_mb"] for r in loads)
    row["peak_rss_mb"] = max(row["build_rss_mb"], row["query_rss_mb"], row["load_rss_mb"])
    return row


def _median_min(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), min(values)


def _growth(rows: list[dict[str, Any]], key: str) -> str:
    """Exponent k in time ~ n^k between consecutive sizes, e.g. ``0.98, 1.02 (linear)``."""
    exponents = []
    for small, big in itertools.pairwise(rows):
        if small[key] > 0 and big[key] > 0:
            exponents.append(
                math.log(big[key] / small[key]) / math.log(big["chapters"] / small["chapters"])
            )
    if not exponents:
        return "-"
    worst = max(exponents)
    verdict = "sub-linear" if worst < 0.8 else "linear" if worst <= 1.2 else "super-linear"
    return ", ".join(f"{k:.2f}" for k in exponents) + f" ({verdict})"


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        total = next(
            line
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f", {int(total.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{memory}"


def _versions() -> str:
    from peeragogy_tui import __version__

    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=False,
        ).stdout.strip()
    except OSError:
        commit = ""
    grep = subprocess.run(
        ["grep", "--version"], capture_output=True, text=True, check=False
    ).stdout.split("\n")[0]
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, {grep}, "
        f"peeragogy {__version__}{f' (git {commit})' if commit else ''}"
    )


def _check(value: float, target: float) -> str:
    return "✓" if value < target else "✗"


def report(rows: list[dict[str, Any]], seconds: float, machine: dict[str, float]) -> str:
    """The Markdown results: environment, one table row per size, growth, targets."""
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Search and loading benchmark",
        "",
        f"- Date: {date}",
        f"- Machine: {_machine()}",
        f"- Versions: {_versions()}",
        f"- Command: `python benchmarks/bench_search.py` ({seconds:.0f} s in all)",
        "",
        (
            "| chapters | MB | depth | grep -ri | first build | build/grep | FTS5 floor | floor/grep | index MB |"
            " unchanged reopen | query median | query p95 | load_handbook | peak RSS (build/query/load) |"
        ),
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['chapters']:,} | {row['mb']:.1f} | {row['depth']}"
            f" | {row['grep_s'] * 1000:.0f} ms ({row['grep_min_s'] * 1000:.0f})"
            f" | {row['build_s']:.2f} s ({row['build_min_s']:.2f})"
            f" | {row['build_s'] / row['grep_s']:.0f}× ({row['build_min_s'] / row['grep_min_s']:.0f}×)"
            f" | {row['floor_s']:.2f} s ({row['floor_min_s']:.2f})"
            f" | {row['floor_s'] / row['grep_s']:.0f}× ({row['floor_min_s'] / row['grep_min_s']:.0f}×)"
            f" | {row['index_mb']:.1f}"
            f" | {row['reopen_ms']:.0f} ms | {row['query_median_ms']:.2f} ms | {row['query_p95_ms']:.2f} ms"
            f" | {row['load_s']:.2f} s | {row['build_rss_mb']:.0f} / {row['query_rss_mb']:.0f}"
            f" / {row['load_rss_mb']:.0f} MB |"
        )
    lines += [
        "",
        "Growth exponent k (time ∝ chapters^k) between consecutive sizes:",
        "",
        f"- first build: {_growth(rows, 'build_s')}",
        f"- grep baseline: {_growth(rows, 'grep_s')}",
        f"- unchanged reopen: {_growth(rows, 'reopen_ms')}",
        f"- query median: {_growth(rows, 'query_median_ms')}",
        f"- load_handbook: {_growth(rows, 'load_s')}",
        f"- peak RSS: {_growth(rows, 'peak_rss_mb')}",
        "",
    ]
    largest = rows[-1]
    ratio, ratio_min = (
        largest["build_s"] / largest["grep_s"],
        largest["build_min_s"] / largest["grep_min_s"],
    )
    lines += [
        f"Targets at {largest['chapters']:,} chapters:",
        "",
        (
            f"- first build < {TARGETS['build_x_grep']:.0f}× one grep pass: {largest['build_s']:.2f} s ="
            f" {ratio:.1f}× grep on medians, {ratio_min:.1f}× on minimums"
            f" {_check(ratio, TARGETS['build_x_grep'])} (the FTS5 floor alone is"
            f" {largest['floor_s'] / largest['grep_s']:.1f}× grep)"
        ),
        (
            f"- warm query median < {TARGETS['query_ms']:.0f} ms: {largest['query_median_ms']:.2f} ms"
            f" {_check(largest['query_median_ms'], TARGETS['query_ms'])}"
            f" (p95 {largest['query_p95_ms']:.1f} ms, slowest {largest['query_max_ms']:.1f} ms for {largest['slowest']!r})"
        ),
        (
            f"- unchanged reopen < {TARGETS['reopen_ms']:.0f} ms: {largest['reopen_ms']:.0f} ms"
            f" {_check(largest['reopen_ms'], TARGETS['reopen_ms'])}"
        ),
        (
            f"- tree appears (load_handbook) < {TARGETS['load_s']:.0f} s: {largest['load_s']:.2f} s"
            f" {_check(largest['load_s'], TARGETS['load_s'])}"
        ),
        (
            f"- peak memory < {TARGETS['rss_mb']:.0f} MB: {largest['peak_rss_mb']:.0f} MB"
            f" {_check(largest['peak_rss_mb'], TARGETS['rss_mb'])}"
        ),
        "",
        "Times are measured inside a fresh subprocess per stage, after the page cache was",
        "warmed by one untimed grep; interpreter start-up and imports are not included.",
        "grep, first build and floor cells read median (min) of the interleaved repetitions.",
        "RSS is the subprocess's `ru_maxrss` (plus its writer process's, for a build),",
        "which includes the interpreter and imports.",
        "",
    ]
    if "stages" in largest:
        total = sum(largest["stages"].values())
        lines += [
            (
                f"Where a first build's time goes at {largest['chapters']:,} chapters, each step alone in"
                " one process (the build itself runs the FTS5 steps in a second process, beside the others):"
            ),
            "",
            "| step | time | share |",
            "|---|---:|---:|",
            *(
                f"| {name} | {seconds * 1000:.0f} ms | {seconds / total:.0%} |"
                for name, seconds in largest["stages"].items()
            ),
            f"| sum | {total * 1000:.0f} ms | |",
            "",
        ]
    lines += [
        (
            f"Machine state: CPU speed check {machine['speed_start']:.0f} ms at start, {machine['speed_end']:.0f} ms"
            f" at end (a fixed Python loop, about 84 ms when quiet); CPUs {machine['busy_start']:.0%} busy"
            f" from elsewhere at start; load average {machine['load_start']:.2f} at start,"
            f" {machine['load_end']:.2f} at end."
        ),
        "",
    ]
    return "\n".join(lines)


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="60,1000,5000", help="comma-separated chapter counts")
    parser.add_argument(
        "--out", type=Path, help="keep generated data here (default: a temporary directory)"
    )
    parser.add_argument("--keep", action="store_true", help="do not delete the temporary directory")
    parser.add_argument("--reps", type=int, default=5, help="grep / build / floor repetitions")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="S",
        help="before each repetition wait (up to S seconds in all) for the CPUs to be mostly idle",
    )
    parser.add_argument(
        "--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}"
    )
    parser.add_argument(
        "--worker", nargs=3, metavar=("STAGE", "ROOT", "DATA"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.worker:
        stage, root, data = args.worker
        print(json.dumps(worker(stage, Path(root), Path(data))))
        return
    base = args.out or Path(tempfile.mkdtemp(prefix="peeragogy-bench-"))
    base.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    gate = QuietGate(args.wait_quiet, log)
    machine = {
        "busy_start": _cpu_busy(),
        "load_start": os.getloadavg()[0],
        "speed_start": calibrate(),
    }
    started = time.perf_counter()
    rows = []
    try:
        for size in (int(part) for part in args.sizes.split(",")):
            log(f"measuring {size:,} chapters ...")
            rows.append(measure(size, base, args.reps, gate))
        gate()
        rows[-1]["stages"] = run_worker(
            "stages", base / f"handbook-{rows[-1]['chapters']}", base / "stages"
        )["stages"]
    finally:
        if args.out is None and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    machine.update(load_end=os.getloadavg()[0], speed_end=calibrate())
    text = report(rows, time.perf_counter() - started, machine)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
