"""The Markdown report of ``bench_search.py``: tables, growth exponents and targets (issue 12)."""

from __future__ import annotations

import itertools
import math
import os
import platform
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
TARGET_SIZE = 5_000
"""The issue's targets are stated at 5,000 chapters."""
TARGETS = {"build_x_floor": 1.2, "query_ms": 5.0, "rss_mb": 150.0, "flat_x": 1.5}


def _ms(cell: dict[str, float]) -> str:
    return f"{cell['median'] * 1000:.0f} ms ({cell['min'] * 1000:.0f})"


def _s(cell: dict[str, float]) -> str:
    return f"{cell['median']:.2f} s ({cell['min']:.2f})"


def _ratio(top: dict[str, float], bottom: dict[str, float]) -> str:
    return f"{top['median'] / bottom['median']:.2f}× ({top['min'] / bottom['min']:.2f}×)"


def _mb(cell: dict[str, float]) -> str:
    return f"{cell['median']:.0f} ({cell['max']:.0f})"


def _size(mb: float) -> str:
    return f"{mb * 1000:.0f} KB" if mb < 1 else f"{mb:.1f} MB"


def _check(ok: bool) -> str:
    return "✅" if ok else "❌"


def exponents(points: list[tuple[float, float]]) -> str:
    """k in value ∝ n^k between consecutive ``(n, value)`` points, e.g. ``0.98, 1.02 (linear)``."""
    ks = [
        math.log(big / small) / math.log(n_big / n_small)
        for (n_small, small), (n_big, big) in itertools.pairwise(points)
        if small > 0 and big > 0 and n_big != n_small
    ]
    if not ks:
        return "-"
    worst = max(ks)
    verdict = (
        "flat"
        if worst < 0.2
        else "sub-linear"
        if worst < 0.8
        else "linear"
        if worst <= 1.2
        else "super-linear"
    )
    return ", ".join(f"{k:.2f}" for k in ks) + f" ({verdict})"


# --------------------------------------------------------------------------- environment


def _machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        total = next(
            line
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        )
        memory = f", {int(total.split()[1]) / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        memory = ""
    return f"{platform.system()} {platform.release()}, {cpu}, {os.cpu_count()} CPUs{memory}"


def _versions() -> str:
    import textual

    from peeragogy_tui import __version__

    commit = subprocess.run(
        ["git", "-C", str(HERE), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    grep = subprocess.run(
        ["grep", "--version"], capture_output=True, text=True, check=False
    ).stdout.split("\n")[0]
    return (
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, Textual {textual.__version__}, {grep},"
        f" peeragogy {__version__}{f' (git {commit})' if commit else ''}"
    )


# --------------------------------------------------------------------------- tables


def markdown_table(header: list[str], align: str, cells: list[list[str]]) -> list[str]:
    """A Markdown table; ``align`` has one letter per column: ``r`` right, ``l`` left."""
    rule = "|" + "|".join("---:" if letter == "r" else "---" for letter in align) + "|"
    return [
        "| " + " | ".join(header) + " |",
        rule,
        *("| " + " | ".join(row) + " |" for row in cells),
    ]


def _query_cells(query: dict[str, Any]) -> list[str]:
    return [
        f"{query['median_ms']:.2f} ms",
        f"{query['p95_ms']:.2f} ms",
        f"{query['max_ms']:.1f} ms `{query['slowest']}`",
    ]


def scale_table(rows: list[dict[str, Any]]) -> list[str]:
    header = [
        "chapters", "MB", "sections", "grep -ri", "first build", "FTS5 floor", "build/floor",
        "build/grep", "index MB", "unchanged reopen", "query median", "query p95", "slowest query",
        "load_handbook (in-process)",
    ]
    cells = [
        [
            f"{row['chapters']:,}",
            f"{row['mb']:.1f}",
            f"{row['sections']:,}",
            _ms(row["grep"]),
            _s(row["build"]),
            _s(row["floor"]),
            _ratio(row["build"], row["floor"]),
            _ratio(row["build"], row["grep"]),
            f"{row['index_mb']:.1f}",
            _ms(row["reopen"]),
            *_query_cells(row["query"]),
            _s(row["load"]),
        ]
        for row in rows
    ]
    return markdown_table(header, "rrrrrrrrrrrrlr", cells)


def memory_table(rows: list[dict[str, Any]]) -> list[str]:
    header = [
        "chapters", "app, index built in it: VmRSS", "its peak", "its writer process's peak",
        "app, index reopened: VmRSS", "its peak", "bare Textual app: VmRSS", "its peak",
        "app peak − bare peak",
    ]
    cells = []
    for row in rows:
        built, again, bare = (row["memory"][key] for key in ("app_build", "app_reopen", "bare"))
        worst = max(built["peak_mb"]["median"], again["peak_mb"]["median"])
        cells.append(
            [
                f"{row['chapters']:,}",
                _mb(built["vmrss_mb"]),
                _mb(built["peak_mb"]),
                _mb(built["child_peak_mb"]),
                _mb(again["vmrss_mb"]),
                _mb(again["peak_mb"]),
                _mb(bare["vmrss_mb"]),
                _mb(bare["peak_mb"]),
                f"{worst - bare['peak_mb']['median']:.0f}",
            ]
        )
    return markdown_table(header, "rrrrrrrrr", cells)


def big_table(bigs: list[dict[str, Any]]) -> list[str]:
    header = [
        "big chapter", "its sections", "first build (whole handbook)", "FTS5 floor", "build/floor",
        "query median", "query p95", "slowest query",
    ]
    cells = [
        [
            _size(big["big_mb"]),
            f"{big['sections_in_file']:,}",
            _s(big["build"]),
            _s(big["floor"]),
            _ratio(big["build"], big["floor"]),
            *_query_cells(big["query"]),
        ]
        for big in bigs
    ]
    return markdown_table(header, "rrrrrrrl", cells)


def steps_table(row: dict[str, Any]) -> list[str]:
    steps = {**row["steps"], "FTS5 insert (the floor, median)": row["floor"]["median"]}
    total = sum(steps.values())
    return [
        (
            f"Where a first build's time goes at {row['chapters']:,} chapters, each step alone in one process"
            f" (the build runs the FTS5 insert in a second process, beside the others; its median was"
            f" {row['build']['median'] * 1000:.0f} ms):"
        ),
        "",
        "| step | time | share |",
        "|---|---:|---:|",
        *(
            f"| {name} | {seconds * 1000:.0f} ms | {seconds / total:.0%} |"
            for name, seconds in steps.items()
        ),
        f"| sum | {total * 1000:.0f} ms | |",
    ]


def growth(rows: list[dict[str, Any]]) -> list[str]:
    def points(value: Any) -> list[tuple[float, float]]:
        return [(row["chapters"], value(row)) for row in rows]

    series = {
        "grep -ri": lambda row: row["grep"]["median"],
        "first build": lambda row: row["build"]["median"],
        "FTS5 floor": lambda row: row["floor"]["median"],
        "unchanged reopen": lambda row: row["reopen"]["median"],
        "query median": lambda row: row["query"]["median_ms"],
        "query p95": lambda row: row["query"]["p95_ms"],
        "load_handbook (in-process)": lambda row: row["load"]["median"],
        "index size": lambda row: row["index_mb"],
        "app VmRSS, index built": lambda row: row["memory"]["app_build"]["vmrss_mb"]["median"],
        "app peak RSS, index built": lambda row: row["memory"]["app_build"]["peak_mb"]["median"],
    }
    sizes = ", ".join(f"{row['chapters']:,}" for row in rows)
    return [
        f"Growth exponent k (value ∝ chapters^k) between consecutive sizes ({sizes}):",
        "",
        *(f"- {name}: {exponents(points(value))}" for name, value in series.items()),
    ]


# --------------------------------------------------------------------------- targets


def _build_cpu(at: dict[str, Any]) -> list[str]:
    """Where the first build's wall time went: the CPU of its two processes, and the app's own build."""
    if "parent_cpu" not in at:
        return []
    parent, writer, build = at["parent_cpu"]["median"], at["writer_cpu"]["median"], at["build"]["median"]
    opened = at["memory"]["app_build"].get("open_s")
    app = (
        f"; the app's own first `/` (the same build in a worker thread beside the UI): {_s(opened)}"
        if opened
        else ""
    )
    return [
        (
            f"  - its CPU (medians): {parent:.2f} s in the process that walks, reads and extracts, {writer:.2f} s"
            f" in the writer process (the FTS5 insert), {parent + writer:.2f} s in all over {build:.2f} s of wall"
            f" time ({(parent + writer) / build:.2f} cores busy on average){app}"
        )
    ]


def targets(rows: list[dict[str, Any]], bigs: list[dict[str, Any]]) -> list[str]:
    at = next((row for row in rows if row["chapters"] == TARGET_SIZE), rows[-1])
    build, floor = at["build"], at["floor"]
    ratio, ratio_min = build["median"] / floor["median"], build["min"] / floor["min"]
    query = at["query"]
    built = at["memory"]["app_build"]
    peak, vmrss = built["peak_mb"]["median"], built["vmrss_mb"]["median"]
    lines = [
        f"Targets (issue 12) at {at['chapters']:,} chapters:",
        "",
        (
            f"- first build within {TARGETS['build_x_floor']}× the tuned FTS5 insert floor: {build['median']:.2f} s ="
            f" {ratio:.2f}× the floor's {floor['median']:.2f} s on medians, {ratio_min:.2f}× on minimums"
            f" {_check(ratio <= TARGETS['build_x_floor'])} (and {build['median'] / at['grep']['median']:.0f}× one grep pass)"
        ),
        *_build_cpu(at),
        (
            f"- warm query median < {TARGETS['query_ms']:.0f} ms: {query['median_ms']:.2f} ms"
            f" {_check(query['median_ms'] < TARGETS['query_ms'])} (p95 {query['p95_ms']:.2f} ms;"
            f" slowest {query['max_ms']:.1f} ms, `{query['slowest']}`)"
        ),
        (
            f"- app at most {TARGETS['rss_mb']:.0f} MB with the chapters open and the index built in it: peak"
            f" {peak:.0f} MB, VmRSS after {vmrss:.0f} MB {_check(peak <= TARGETS['rss_mb'])}"
            f" (bare Textual app: peak {at['memory']['bare']['peak_mb']['median']:.0f} MB; the build's writer process"
            f" peaks at {built['child_peak_mb']['median']:.0f} MB on its own, not counted in the app's)"
        ),
    ]
    if len(bigs) >= 2:
        small, largest = bigs[0], bigs[-1]
        times = [(big["query"]["median_ms"], big["query"]["max_ms"]) for big in bigs[1:]]
        flat = all(
            median <= TARGETS["flat_x"] * small["query"]["median_ms"]
            and slowest <= TARGETS["flat_x"] * small["query"]["max_ms"]
            for median, slowest in times
        )
        lines.append(
            f"- big chapters flat (read here: every big size's query median and slowest query within"
            f" {TARGETS['flat_x']}× the {_size(small['big_mb'])} chapter's): median"
            f" {small['query']['median_ms']:.2f} ms → {largest['query']['median_ms']:.2f} ms, slowest"
            f" {small['query']['max_ms']:.1f} ms → {largest['query']['max_ms']:.1f} ms at"
            f" {_size(largest['big_mb'])} {_check(flat)}"
        )
    return lines


def report(
    rows: list[dict[str, Any]],
    bigs: list[dict[str, Any]],
    seconds: float,
    machine: dict[str, float],
    command: str,
    reps: int,
) -> str:
    """The whole Markdown file."""
    date = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Search benchmark (issue 12: search and scale)",
        "",
        f"- Date: {date}",
        f"- Machine: {_machine()}",
        f"- Versions: {_versions()}",
        (
            f"- Command: `{command}` ({seconds / 60:.1f} min in all, run under `flock /work/land.lock`"
            " when published)"
        ),
        f"- Repetitions: {reps} of each, interleaved; cells read median (min), memory median (max)",
        "",
        *targets(rows, bigs),
        "",
        "## Scale",
        "",
        *scale_table(rows),
        "",
        *growth(rows),
        "",
        "## Memory (MB)",
        "",
        *memory_table(rows),
        "",
    ]
    if bigs:
        lines += [
            "## One big chapter",
            "",
            (
                "Handbooks of `benchmarks/generate.py --size N`: one big chapter and two table chapters"
                " (1,000 and 5,000 rows); every query below matches the big chapter."
            ),
            "",
            *big_table(bigs),
            "",
            "Growth exponent k (query time ∝ chapter size^k): median "
            + exponents([(big["big_mb"], big["query"]["median_ms"]) for big in bigs])
            + "; slowest "
            + exponents([(big["big_mb"], big["query"]["max_ms"]) for big in bigs])
            + "; first build "
            + exponents([(big["big_mb"], big["build"]["median"]) for big in bigs]),
            "",
        ]
    if "steps" in rows[-1]:
        lines += [*steps_table(rows[-1]), ""]
    lines += [
        "What each column measures: see the `bench_search.py` section of `benchmarks/README.md`.",
        "",
        (
            f"Machine state: CPU speed check {machine['speed_start']:.0f} ms at start, {machine['speed_end']:.0f} ms"
            f" at end (a fixed Python loop, about 84 ms when quiet); CPUs {machine['busy_start']:.0%} busy"
            f" from elsewhere at start; load average {machine['load_start']:.2f} at start,"
            f" {machine['load_end']:.2f} at end; waited {machine['waited']:.0f} s in all for a quiet machine."
            + (
                f" Two copies of a fixed loop run at once took {machine['pair_start']:.2f}× (start) and"
                f" {machine['pair_end']:.2f}× (end) the time of one alone (1.00× = two free cores; 2.00× = one"
                " core's worth for both processes of a build)."
                if "pair_start" in machine
                else ""
            )
        ),
        "",
    ]
    return "\n".join(lines)
