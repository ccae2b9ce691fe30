"""Benchmark search (issue 12): first build against the tuned FTS5 floor, queries, big chapters, memory.

For each size (60, 1,000, 5,000 and 20,000 chapters by default) this generates
a handbook with :mod:`generate_scale` and measures, each stage in a fresh
subprocess (:mod:`search_workers`):

* ``grep -ri WORD`` over the same files: one pass, warm page cache;
* the first full index build (``index_for`` with no index), and beside it the
  *tuned FTS5 insert floor*: the very rows that build writes (its sections,
  extracted beforehand, untimed) inserted into a new file with the real
  schema, the build's pragmas and FTS5 settings, in one transaction and one
  process. Target: build within 1.2x of the floor;
* the unchanged reopen, warm queries (target: median < 5 ms; p95 and the
  slowest query are reported with it) and ``load_handbook`` in-process;
* the real app's memory: headless ``create_app`` started as ``peeragogy``
  starts it, the index built (and, separately, reopened) through the app's
  own ``search_index()``, beside a bare Textual app measured the same way
  (target: at most 150 MB);
* where a first build's time goes, step by step (at the largest size).

Then handbooks of :mod:`generate` with one chapter of 4 KB, 1 MB, 4 MB and
16 MB: first build and warm queries per size (target: flat).

grep, builds, floors and the memory runs are repeated ``--reps`` times,
interleaved; queries run ``--reps`` rounds. Cells read median (min), or for
memory median (max). Results go to ``benchmarks/search_results.md`` (see
:mod:`search_report`) and stdout. Generated data lives in a temporary
directory (or ``--out``) and is never committed.

Usage: python benchmarks/bench_search.py [--sizes 60,1000,5000,20000] [--big 4000,1048576,...]
       [--reps 7] [--wait-quiet S] [--out DIR] [--no-write]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate as generate_big
from bench_reader import QuietGate, _cpu_busy, calibrate
from generate_scale import COMMON, PLANTED, generate, vocabulary
from search_report import report

RESULTS = HERE / "search_results.md"
QUERY_LIMIT = 50
"""Hits asked for per query: what the search screen asks for (``_CHAPTER_LIMIT``)."""
BIG_SIZES = (4_000, 1 << 20, 4 << 20, 16 << 20)
BIG_LAST_WORDS = '"last paragraph"'
"""A phrase only in the last section of the big chapter (generate.py's closing paragraph)."""


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


def big_queries() -> list[str]:
    """Queries that all match the big chapter: common words, pairs, phrases, prefixes, its last paragraph."""
    words = generate_big.WORDS
    return [
        *words[:10],
        *(f"{a} {b}" for a, b in zip(words[10:14], words[14:18])),
        '"peer learning"', '"learning group"', BIG_LAST_WORDS, "handbook end",
        "lea*", "st*", "c*", "pr*",
    ]  # fmt: skip


# --------------------------------------------------------------------------- running stages


def run_worker(stage: str, home: Path | None = None, **arguments: Any) -> dict[str, Any]:
    """Run one stage of :mod:`search_workers` in a fresh subprocess; its JSON result."""
    env = dict(os.environ)
    if home is not None:
        env["PEERAGOGY_HOME"] = str(home)
    done = subprocess.run(
        [
            sys.executable,
            str(HERE / "search_workers.py"),
            stage,
            json.dumps(arguments, default=str),
        ],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    if done.returncode != 0:
        raise SystemExit(f"worker {stage} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def two_at_once() -> float:
    """How much longer a fixed loop takes when two run at once than alone (best of 3 each).

    1.0 means two free cores; 2.0 means the two processes of a build share one core's worth
    of CPU (other load, or virtual CPUs that are not whole cores), so overlapping the
    extraction with the FTS5 insert cannot help.
    """
    alone = min(run_worker("spin")["seconds"] for _ in range(3))
    pairs = []
    for _ in range(3):
        command = [sys.executable, str(HERE / "search_workers.py"), "spin", "{}"]
        children = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
        pairs.append(max(json.loads(child.communicate()[0])["seconds"] for child in children))
    return min(pairs) / alone


def grep_seconds(root: Path) -> float:
    """Wall time of one ``grep -ri PLANTED root``."""
    started = time.perf_counter()
    subprocess.run(["grep", "-ri", PLANTED, str(root)], stdout=subprocess.DEVNULL, check=False)
    return time.perf_counter() - started


def median_min(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "min": min(values), "n": len(values)}


def median_max(values: list[float]) -> dict[str, float]:
    return {"median": statistics.median(values), "max": max(values), "n": len(values)}


def query_summary(times: dict[str, list[float]]) -> dict[str, Any]:
    """Median over queries of each query's median time, the p95 of those, and the slowest query."""
    per_query = {text: statistics.median(values) * 1000 for text, values in times.items()}
    ordered = sorted(per_query.values())
    slowest = max(per_query, key=lambda text: per_query[text])
    return {
        "median_ms": statistics.median(ordered),
        "p95_ms": ordered[max(math.ceil(len(ordered) * 0.95) - 1, 0)],
        "max_ms": per_query[slowest],
        "slowest": slowest,
        "count": len(ordered),
        "rounds": len(next(iter(times.values()))),
    }


def builds_and_floors(
    root: Path, base: Path, reps: int, gate: QuietGate, with_grep: bool = True, count_file: str = ""
) -> dict[str, Any]:
    """grep, first build and floor, ``reps`` times interleaved; the index is left built in ``base/data``."""
    data, rows_file = base / "data", base / "rows.marshal"
    prepared = run_worker("rows", root=root, out=rows_file, count_file=count_file)
    greps, builds, floors = [], [], []
    for _rep in range(reps):  # interleaved, so that load from elsewhere hits all three alike
        gate()
        if with_grep:
            greps.append(grep_seconds(root))
        shutil.rmtree(data, ignore_errors=True)
        builds.append(run_worker("build", root=root, data=data))
        floors.append(run_worker("floor", rows=rows_file, data=base / "floor"))
    rows_file.unlink()
    last = builds[-1]
    assert last["sections"] == prepared["sections"], "the floor's rows are not the build's"
    return {
        "grep": median_min(greps) if greps else None,
        "build": median_min([b["seconds"] for b in builds]),
        "parent_cpu": median_min([b["parent_cpu_s"] for b in builds]),
        "writer_cpu": median_min([b["writer_cpu_s"] for b in builds]),
        "floor": median_min([f["seconds"] for f in floors]),
        "sections": last["sections"],
        "sections_in_file": prepared["sections_in_file"],
        "body_mb": prepared["body_chars"] / 1e6,
        "index_mb": last["index_mb"],
        "build_rss_mb": max(b["rss_mb"] for b in builds),
        "writer_rss_mb": max(b["writer_rss_mb"] for b in builds),
    }


def memory(root: Path, base: Path, reps: int, gate: QuietGate) -> dict[str, Any]:
    """The app built and reopened its index, and a bare Textual app, ``reps`` times interleaved."""
    home = base / "home"
    first, again, bares = [], [], []
    for _rep in range(reps):
        gate()
        shutil.rmtree(home, ignore_errors=True)
        home.mkdir()
        first.append(run_worker("app", home, root=root))
        again.append(run_worker("app", home, root=root))
        bares.append(run_worker("bare", home))
    assert all(run["indexed"] == run["chapters"] for run in first), (
        "the app did not build its index"
    )
    assert all(run["indexed"] == 0 for run in again), "the app's reopen re-indexed files"
    shutil.rmtree(home, ignore_errors=True)
    return {
        "app_build": memory_summary(first),
        "app_reopen": memory_summary(again),
        "bare": memory_summary(bares),
    }


def memory_summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Median (max) of each memory figure; median (min) of the index's open time, where there is one."""
    summary: dict[str, Any] = {
        field: median_max([run[field] for run in runs])
        for field in ("vmrss_mb", "peak_mb", "child_peak_mb")
    }
    if "open_s" in runs[0]:
        summary["open_s"] = median_min([run["open_s"] for run in runs])
    return summary


# --------------------------------------------------------------------------- one handbook


def handbook_facts(root: Path) -> dict[str, Any]:
    files = list(root.rglob("*.md"))
    sizes = [path.stat().st_size for path in files]
    return {
        "files": len(files),
        "mb": sum(sizes) / 1e6,
        "largest_mb": max(sizes) / 1e6,
        "depth": max(len(path.relative_to(root).parts) for path in files) - 1,
    }


def measure_size(size: int, base: Path, reps: int, gate: QuietGate) -> dict[str, Any]:
    """Every measurement for a generated handbook of ``size`` chapters."""
    work = base / f"scale-{size}"
    root = work / "handbook"
    shutil.rmtree(work, ignore_errors=True)
    started = time.perf_counter()
    generate(root, size)
    row: dict[str, Any] = {
        "chapters": size,
        "generate_s": time.perf_counter() - started,
        **handbook_facts(root),
    }
    time.sleep(0.3)  # let the newest files age past the index's "racy mtime" window
    grep_seconds(root)  # warm the page cache
    row.update(builds_and_floors(root, work, reps, gate))
    data = work / "data"
    reopens = [run_worker("reopen", root=root, data=data) for _ in range(reps)]
    assert all(r["read"] == 0 for r in reopens), "an unchanged reopen re-read files"
    row["reopen"] = median_min([r["seconds"] for r in reopens])
    gate()
    result = run_worker(
        "queries", root=root, data=data, texts=queries(), rounds=reps, limit=QUERY_LIMIT
    )
    assert result["hits"][PLANTED] == 1, (
        f"the planted word was found {result['hits'][PLANTED]} times"
    )
    row["query"] = query_summary(result["times"])
    row["load"] = median_min([run_worker("load", root=root)["seconds"] for _ in range(reps)])
    row["memory"] = memory(root, work, reps, gate)
    return row


def measure_big(size: int, base: Path, reps: int, gate: QuietGate) -> dict[str, Any]:
    """First build and warm queries on a handbook whose big chapter is about ``size`` bytes."""
    work = base / f"big-{size}"
    root = work / "handbook"
    shutil.rmtree(work, ignore_errors=True)
    generate_big.generate(root, size=size)
    time.sleep(0.3)
    row: dict[str, Any] = {
        "size": size,
        "big_mb": (root / "en" / "big.md").stat().st_size / 1e6,
        **handbook_facts(root),
    }
    row.update(builds_and_floors(root, work, reps, gate, with_grep=False, count_file="big.md"))
    gate()
    result = run_worker(
        "queries",
        root=root,
        data=work / "data",
        texts=big_queries(),
        rounds=reps,
        limit=QUERY_LIMIT,
    )
    assert all(result["hits"][text] >= 1 for text in big_queries()), (
        "a big-chapter query found nothing"
    )
    row["query"] = query_summary(result["times"])
    shutil.rmtree(work, ignore_errors=True)
    return row


# --------------------------------------------------------------------------- driver


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes", default="60,1000,5000,20000", help="comma-separated chapter counts"
    )
    parser.add_argument(
        "--big",
        default=",".join(map(str, BIG_SIZES)),
        help="comma-separated big-chapter sizes in bytes ('' skips)",
    )
    parser.add_argument(
        "--reps", type=int, default=7, help="repetitions of each measurement (>= 7 for publishing)"
    )
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0.0,
        metavar="S",
        help="before each repetition wait (up to S seconds in all) for the CPUs to be mostly idle",
    )
    parser.add_argument(
        "--out", type=Path, help="keep generated data here (default: a temporary directory)"
    )
    parser.add_argument(
        "--no-write", action="store_true", help=f"print only; do not write {RESULTS.name}"
    )
    return parser.parse_args()


def main() -> None:
    """Command-line entry point."""
    args = parse_args()
    base = args.out or Path(tempfile.mkdtemp(prefix="peeragogy-bench-"))
    base.mkdir(parents=True, exist_ok=True)

    def log(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    gate = QuietGate(args.wait_quiet, log)
    machine = {
        "busy_start": _cpu_busy(),
        "load_start": os.getloadavg()[0],
        "speed_start": calibrate(),
        "pair_start": two_at_once(),
    }
    started = time.perf_counter()
    rows, bigs = [], []
    try:
        for size in (int(part) for part in args.sizes.split(",")):
            log(f"measuring {size:,} chapters ...")
            rows.append(measure_size(size, base, args.reps, gate))
        gate()
        largest = base / f"scale-{rows[-1]['chapters']}" / "handbook"
        rows[-1]["steps"] = run_worker("steps", root=largest)["steps"]
        for size in (int(part) for part in args.big.split(",") if part):
            log(f"measuring a {size / 1e6:.1f} MB chapter ...")
            bigs.append(measure_big(size, base, args.reps, gate))
    finally:
        if args.out is None:
            shutil.rmtree(base, ignore_errors=True)
    machine.update(load_end=os.getloadavg()[0], speed_end=calibrate(), pair_end=two_at_once(), waited=gate.waited)
    command = "python benchmarks/bench_search.py " + " ".join(sys.argv[1:])
    text = report(rows, bigs, time.perf_counter() - started, machine, command.strip(), args.reps)
    print(text)
    if not args.no_write:
        RESULTS.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
