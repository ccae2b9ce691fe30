"""Benchmark the search index and handbook loading on synthetic handbooks of growing size.

For each size (60, 1,000 and 5,000 chapters by default) this generates a
handbook with :mod:`generate_scale`, then measures, each in a fresh
subprocess so that peak memory (``ru_maxrss``) is per stage:

* ``grep -ri WORD`` over the same files (the baseline, same run, warm cache);
* the first full index build;
* reopening the unchanged index (walk + stat + compare; target < 500 ms);
* warm queries: the median over ~50 queries (target < 20 ms at 5,000);
* ``load_handbook``, i.e. the time before the chapter tree can appear
  (target < 1 s at 5,000);
* peak memory of each stage (target < 300 MB).

Times are measured inside the subprocess (interpreter start-up and imports
excluded). Results go to ``benchmarks/search_results.md`` and stdout.
Generated data lives in a temporary directory (or ``--out``, e.g. the
git-ignored ``benchmarks/out/``) and is never committed.

Usage: python benchmarks/bench_search.py [--sizes 60,1000,5000] [--out DIR] [--keep]
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
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate_scale import COMMON, PLANTED, generate, vocabulary

RESULTS = HERE / "search_results.md"
TARGETS = {"query_ms": 20.0, "reopen_ms": 500.0, "load_s": 1.0, "rss_mb": 300.0}


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
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def worker(stage: str, root: Path, data: Path) -> dict[str, Any]:
    """Run one stage in this (fresh) process; return its measurements."""
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.core.search import index_for

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


def grep_seconds(root: Path, runs: int = 3) -> float:
    """Median wall time of ``grep -ri PLANTED root`` (after one untimed run to warm the cache)."""
    command = ["grep", "-ri", PLANTED, str(root)]
    subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, stdout=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def measure(size: int, base: Path) -> dict[str, Any]:
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
    row["grep_s"] = grep_seconds(root)
    build = run_worker("build", root, data)
    row.update(build_s=build["seconds"], build_rss_mb=build["rss_mb"], index_mb=build["index_mb"])
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


def report(rows: list[dict[str, Any]], seconds: float) -> str:
    """The Markdown results: environment, one table row per size, growth, targets."""
    date = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Search and loading benchmark",
        "",
        f"- Date: {date}",
        f"- Machine: {_machine()}",
        f"- Versions: {_versions()}",
        f"- Command: `python benchmarks/bench_search.py` ({seconds:.0f} s in all)",
        "",
        "| chapters | MB | depth | grep -ri | first build | build/grep | index MB | unchanged reopen |"
        " query median | query p95 | load_handbook | peak RSS (build/query/load) |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row['chapters']:,} | {row['mb']:.1f} | {row['depth']} | {row['grep_s'] * 1000:.0f} ms"
            f" | {row['build_s']:.2f} s | {row['build_s'] / row['grep_s']:.0f}× | {row['index_mb']:.1f}"
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
    lines += [
        f"Targets at {largest['chapters']:,} chapters:",
        "",
        f"- warm query median < {TARGETS['query_ms']:.0f} ms: {largest['query_median_ms']:.2f} ms"
        f" {_check(largest['query_median_ms'], TARGETS['query_ms'])}"
        f" (p95 {largest['query_p95_ms']:.1f} ms, slowest {largest['query_max_ms']:.1f} ms for {largest['slowest']!r})",
        f"- unchanged reopen < {TARGETS['reopen_ms']:.0f} ms: {largest['reopen_ms']:.0f} ms"
        f" {_check(largest['reopen_ms'], TARGETS['reopen_ms'])}",
        f"- tree appears (load_handbook) < {TARGETS['load_s']:.0f} s: {largest['load_s']:.2f} s"
        f" {_check(largest['load_s'], TARGETS['load_s'])}",
        f"- peak memory < {TARGETS['rss_mb']:.0f} MB: {largest['peak_rss_mb']:.0f} MB"
        f" {_check(largest['peak_rss_mb'], TARGETS['rss_mb'])}",
        "",
        "Times are measured inside a fresh subprocess per stage, after the page cache was",
        "warmed by one untimed grep; interpreter start-up and imports are not included.",
        "RSS is the subprocess's `ru_maxrss`, which includes the interpreter and imports.",
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
    started = time.perf_counter()
    rows = []
    try:
        for size in (int(part) for part in args.sizes.split(",")):
            print(f"measuring {size:,} chapters ...", file=sys.stderr, flush=True)
            rows.append(measure(size, base))
    finally:
        if args.out is None and not args.keep:
            shutil.rmtree(base, ignore_errors=True)
    text = report(rows, time.perf_counter() - started)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
