"""Benchmark the handbook reader against Textual's stock MarkdownViewer.

Run from the repository root with the venv active::

    python benchmarks/bench_reader.py            # full run, a few minutes
    python benchmarks/bench_reader.py --quick    # fewer repetitions, stock capped at 20 s

Prints a Markdown table and writes it to ``benchmarks/results.md``. Each
measurement runs in its own subprocess (a fresh interpreter per repetition),
so runs do not warm each other up and a frozen stock viewer can be killed.
See ``benchmarks/README.md`` for what each number means.

Internally the same file is the worker: ``--worker NAME`` runs one scenario
and writes a JSON result file; the parent orchestrates and summarises.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as _dt
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SIZE = (120, 40)
"""Terminal size (columns, rows) used by every measurement."""

TARGET_FIRST_SCREEN_MS = 300.0
TARGET_JUMP_MS = 100.0
TARGET_KEY_MS = 100.0
TARGET_STALL_MS = 1000.0
TARGET_STARTUP_RATIO = 1.5


# --------------------------------------------------------------------------------------------
# Worker side: one scenario in this process, result to a JSON file.
# --------------------------------------------------------------------------------------------


class Probe:
    """Hooks ``App._display`` to timestamp frames and resolve waits on conditions.

    In headless mode Textual renders every widget line (the compositor update)
    but skips turning it into terminal escape codes; the probe does that step
    too (``render_segments``) so a "frame" costs what it costs on a terminal.
    """

    def __init__(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.app = app
        self.frames: list[float] = []
        self.cpu_at: dict[float, float] = {}
        """Frame time -> CPU time the process had used by then (``time.process_time``)."""
        self._waiters: list[tuple[Callable[[], bool], asyncio.Future[float]]] = []
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if renderable is None or app._batch_count:
                return
            if app.is_headless and isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
            now = time.perf_counter()
            self.frames.append(now)
            self.cpu_at[now] = time.process_time()
            for waiter in list(self._waiters):
                predicate, future = waiter
                if future.done():
                    self._waiters.remove(waiter)
                    continue
                try:
                    ok = predicate()
                except Exception:  # noqa: BLE001 - a predicate on a half-built screen
                    ok = False
                if ok:
                    future.set_result(now)
                    self._waiters.remove(waiter)

        app._display = display

    def frame_when(self, predicate: Callable[[], bool]) -> asyncio.Future[float]:
        """A future resolved with the time of the first frame rendered while ``predicate()`` holds."""
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self._waiters.append((predicate, future))
        return future


class StallMonitor:
    """Measures the longest time the event loop did not get back to a 5 ms sleeper."""

    def __init__(self) -> None:
        self.longest = 0.0
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    def reset(self) -> None:
        self.longest = 0.0

    async def _run(self) -> None:
        last = time.perf_counter()
        while True:
            await asyncio.sleep(0.005)
            now = time.perf_counter()
            self.longest = max(self.longest, now - last - 0.005)
            last = now


def _send_key(app: Any, key: str, character: str | None) -> float:
    """Post a key as the terminal driver would; returns the time it was sent."""
    from textual import events

    event = events.Key(key, character)
    event.set_sender(app)
    sent = time.perf_counter()
    app._driver.send_message(event)
    return sent


def _ms(seconds: float) -> float:
    return round(seconds * 1000.0, 2)


def _maxrss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1)


class Results:
    """A dict written to disk after every phase, so a killed worker still reports."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.data: dict[str, Any] = {}

    def set(self, **values: Any) -> None:
        self.data.update(values)
        self.path.write_text(json.dumps(self.data))


async def _wait(future: asyncio.Future[float], timeout: float) -> float | None:
    try:
        return await asyncio.wait_for(asyncio.shield(future), timeout)
    except asyncio.TimeoutError:
        return None


async def worker_ours(data_dir: Path, chapter: str, results: Results, cap: float) -> None:
    """Our app on ``chapter``: first screen, breakdown, jump to end, one-line scroll."""
    import peeragogy_tui.tui.screens.main as main_module
    import peeragogy_tui.tui.widgets.document_view as view_module
    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.tui.app import create_app
    from peeragogy_tui.tui.widgets.document_view import DocumentView

    started = time.perf_counter()
    handbook = load_handbook(data_dir)
    results.set(load_handbook_ms=_ms(time.perf_counter() - started))
    # Imports are done before the timer, as for the stock viewer (textual's Markdown imports markdown-it);
    # ours imports the parser on its first parse, so import it here.
    from peeragogy_tui.core.render import blocks

    blocks._markdown_parser()

    timings: dict[str, float] = {}
    original_parse, original_layout = main_module.parse_document, view_module.layout_document
    original_show, original_render_line = DocumentView.show, DocumentView.render_line

    def timed_parse(markdown: str) -> Any:
        t = time.perf_counter()
        document = original_parse(markdown)
        timings["parse_ms"] = timings.get("parse_ms", 0.0) + _ms(time.perf_counter() - t)
        return document

    def timed_layout(*args: Any, **kwargs: Any) -> Any:
        t = time.perf_counter()
        layout = original_layout(*args, **kwargs)
        timings["layout_ms"] = timings.get("layout_ms", 0.0) + _ms(time.perf_counter() - t)
        timings["layout_calls"] = timings.get("layout_calls", 0) + 1
        return layout

    def timed_show(self: DocumentView, *args: Any, **kwargs: Any) -> None:
        timings.setdefault("show_at", time.perf_counter())
        original_show(self, *args, **kwargs)

    content_rendered = {"yes": False}

    def flagged_render_line(self: DocumentView, y: int) -> Any:
        if self.layout_result is not None and self.layout_result.lines:
            content_rendered["yes"] = True
        return original_render_line(self, y)

    main_module.parse_document = timed_parse
    view_module.layout_document = timed_layout
    DocumentView.show = timed_show  # type: ignore[method-assign]
    DocumentView.render_line = flagged_render_line  # type: ignore[method-assign]

    import gc

    gc.disable()  # as peeragogy_tui.launch.open_reader does; the app re-enables it after its first frame
    app = create_app(handbook, start=chapter, restore=False)
    probe = Probe(app)
    monitor = StallMonitor()
    monitor.start()
    first_frame = probe.frame_when(lambda: True)
    first_content = probe.frame_when(lambda: content_rendered["yes"])
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    async with app.run_test(size=SIZE):
        shown = await _wait(first_content, cap)
        frame = first_frame.result() if first_frame.done() else None
        view = app.main_screen.document_view
        results.set(
            first_frame_ms=_ms(frame - t0) if frame else None,
            first_screen_ms=_ms(shown - t0) if shown else None,
            first_screen_cpu_ms=_ms(probe.cpu_at[shown] - cpu0) if shown else None,
            show_to_frame_ms=_ms(shown - timings["show_at"]) if shown and "show_at" in timings else None,
            parse_ms=timings.get("parse_ms"),
            layout_ms=timings.get("layout_ms"),
            layout_calls=timings.get("layout_calls"),
            lines=len(view.lines),
            text_width=view.layout_result.width if view.layout_result else None,
            stall_open_ms=_ms(monitor.longest),
        )
        await asyncio.sleep(0.4)  # let startup work (status line, tree) settle

        # One line down: is a keypress handled promptly with this document shown?
        monitor.reset()
        before = view.scroll_y
        moved = probe.frame_when(lambda: view.scroll_y != before)
        sent = _send_key(app, "down", None)
        done = await _wait(moved, 10)
        results.set(key_down_ms=_ms(done - sent) if done else None)
        await asyncio.sleep(0.3)

        # Jump to the end with "G".
        at_end = probe.frame_when(lambda: view.max_scroll_y > 0 and view.scroll_y >= view.max_scroll_y)
        sent = _send_key(app, "G", "G")
        done = await _wait(at_end, 10)
        results.set(jump_end_ms=_ms(done - sent) if done else None, stall_keys_ms=_ms(monitor.longest))
        await asyncio.sleep(0.3)

        # And back to the top with "g".
        at_top = probe.frame_when(lambda: view.scroll_y == 0)
        sent = _send_key(app, "g", "g")
        done = await _wait(at_top, 10)
        results.set(jump_home_ms=_ms(done - sent) if done else None, maxrss_mb=_maxrss_mb())
    results.set(complete=True)


def _strip_frontmatter(text: str) -> str:
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end != -1:
            return text[end + 5 :]
    return text


async def worker_stock(path: Path, results: Results, cap: float) -> None:
    """Textual's MarkdownViewer on the same Markdown: first blocks, fully mounted, end, one line."""
    from textual.app import App, ComposeResult
    from textual.await_complete import AwaitComplete
    from textual.widgets import Markdown, MarkdownViewer

    markdown = _strip_frontmatter(path.read_text(encoding="utf-8"))
    loaded: dict[str, float] = {}
    original_update = Markdown.update

    def update(self: Markdown, text: str) -> AwaitComplete:
        inner = original_update(self, text)

        async def finish() -> None:
            await inner
            if text:
                loaded.setdefault("at", time.perf_counter())

        return AwaitComplete(finish())

    Markdown.update = update  # type: ignore[method-assign]

    class StockApp(App[None]):
        def compose(self) -> ComposeResult:
            yield MarkdownViewer(markdown)

    app = StockApp()
    probe = Probe(app)
    monitor = StallMonitor()
    monitor.start()

    def viewer() -> MarkdownViewer:
        return app.query_one(MarkdownViewer)

    first_content = probe.frame_when(lambda: len(viewer().document.children) > 0)
    fully = probe.frame_when(lambda: "at" in loaded)
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    async with app.run_test(size=SIZE):
        shown = await _wait(first_content, cap)
        results.set(
            first_screen_ms=_ms(shown - t0) if shown else None,
            first_screen_cpu_ms=_ms(probe.cpu_at[shown] - cpu0) if shown else None,
            cap_s=cap,
        )
        remaining = cap - (time.perf_counter() - t0)
        done = await _wait(fully, max(remaining, 0.01))
        results.set(
            loaded_ms=_ms(done - t0) if done else None,
            blocks=len(viewer().document.children),
            stall_open_ms=_ms(monitor.longest),
            maxrss_mb=_maxrss_mb(),
        )
        if done is None:
            results.set(complete=True)
            os._exit(0)  # capped: skip the teardown, which would wait for the mounting to finish
        await asyncio.sleep(0.4)
        view = viewer()
        view.document.focus()
        await asyncio.sleep(0.1)

        monitor.reset()
        before = view.scroll_y
        moved = probe.frame_when(lambda: view.scroll_y != before)
        sent = _send_key(app, "down", None)
        done = await _wait(moved, 10)
        results.set(key_down_ms=_ms(done - sent) if done else None)
        await asyncio.sleep(0.5)

        first_move = probe.frame_when(lambda: view.scroll_y > before + 1)
        at_end = probe.frame_when(lambda: view.max_scroll_y > 0 and view.scroll_y >= view.max_scroll_y)
        sent = _send_key(app, "end", None)
        done = await _wait(at_end, 10)
        moved_at = first_move.result() if first_move.done() else None
        results.set(
            jump_end_ms=_ms(done - sent) if done else None,
            jump_end_first_move_ms=_ms(moved_at - sent) if moved_at else None,
            stall_keys_ms=_ms(monitor.longest),
            maxrss_mb=_maxrss_mb(),
            complete=True,
        )
        os._exit(0)  # removing a thousand mounted widgets takes seconds; not part of the benchmark


def run_worker(args: argparse.Namespace) -> None:
    results = Results(Path(args.result))
    if args.worker == "ours":
        asyncio.run(worker_ours(Path(args.data), args.chapter, results, args.cap))
    elif args.worker == "stock":
        asyncio.run(worker_stock(Path(args.data) / "en" / f"{args.chapter}.md", results, args.cap))
    else:
        raise SystemExit(f"unknown worker {args.worker}")
    sys.stdout.flush()
    os._exit(0)  # skip interpreter teardown (the stock viewer's can take seconds)


# --------------------------------------------------------------------------------------------
# Startup: a subprocess from exec to its first frame.
# --------------------------------------------------------------------------------------------

_STARTUP_HOOK = """
import json, os, resource, sys, time
QUIT = os.environ.get("PEERAGOGY_BENCH_QUIT") == "1"  # warm-up: leave as a user does (q), saving what q saves
def _hook(app, ready):
    from textual._compositor import CompositorUpdate
    original = app._display
    seen = {}
    def display(screen, renderable):
        original(screen, renderable)
        if renderable is None or app._batch_count or "t" in seen:
            return
        renderable.render_segments(app.console)
        if ready():
            seen["t"] = time.monotonic()
            if QUIT:
                app.call_later(app.run_action, "quit")
            else:
                app.exit()
    app._display = display
    return seen
def _report(seen):
    with open(sys.argv[1], "w") as out:
        json.dump({"first_frame": seen.get("t"),
                   "maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, out)
"""

STARTUP_BARE = (
    _STARTUP_HOOK
    + """
from textual.app import App
app = App()
seen = _hook(app, lambda: True)
app.run(headless=True, size=(%d, %d))
_report(seen)
"""
    % SIZE
)

STARTUP_OURS = (
    _STARTUP_HOOK
    + """
# The steps of peeragogy_tui.launch.open_reader (what `peeragogy` runs), with the app in reach of the hook.
import gc
gc.disable()  # as open_reader does; the app re-enables it after the first frame
from peeragogy_tui.core.handbook import load_handbook  # with the frontmatter cache, as open_reader
from peeragogy_tui.paths import bundled_exercises_dir, bundled_handbook_dir
from peeragogy_tui.tui.app import create_app
from peeragogy_tui.tui.widgets.document_view import DocumentView
app = create_app(load_handbook(bundled_handbook_dir()), exercises_dir=bundled_exercises_dir(), restore=False)
def ready():
    view = app.screen.query_one(DocumentView)
    return view.layout_result is not None and len(view.lines) > 0
seen = _hook(app, ready)
app.run(headless=True, size=(%d, %d))
_report(seen)
"""
    % SIZE
)


STARTUP_CLI = (
    _STARTUP_HOOK
    + """
import gc, sys
gc.disable()  # launch.main disables GC before its first heavy import; hooking App.run imports textual here
import textual.app
_run = textual.app.App.run
hooked = {}
def run(self, *args, **kwargs):
    def ready():
        from peeragogy_tui.tui.widgets.document_view import DocumentView
        view = self.screen.query_one(DocumentView)
        return view.layout_result is not None and len(view.lines) > 0
    hooked["seen"] = _hook(self, ready)
    return _run(self, headless=True, size=SIZE)
textual.app.App.run = run
argv, sys.argv = sys.argv, ["peeragogy"]
from peeragogy_tui.launch import main  # the console script's entry point
try:
    main()
except SystemExit:
    pass
sys.argv = argv
_report(hooked.get("seen", {}))
""".replace("SIZE", repr(SIZE))
)
"""The ``peeragogy`` command itself (its entry point, with an empty command line), opening the reader."""


def startup_envs(env: dict[str, str], workdir: Path) -> dict[str, dict[str, str]]:
    """Environments for the startup runs.

    ``warm``: a bytecode cache for every module, ours included (``pip install``
    compiles them; a source checkout writes them on first run), and a frontmatter
    cache filled by a warm-up run. ``nopyc``: our modules compiled from source on
    every run (``PYTHONDONTWRITEBYTECODE``; installed packages keep their
    ``.pyc``), as earlier runs of this benchmark measured on this machine.
    """
    warm = dict(env, PYTHONPYCACHEPREFIX=str(workdir / "pycache"))
    warm.pop("PYTHONDONTWRITEBYTECODE", None)
    nopyc = dict(env, PYTHONDONTWRITEBYTECODE="1")
    nopyc.pop("PYTHONPYCACHEPREFIX", None)
    return {"warm": warm, "nopyc": nopyc}


def measure_startup(code: str, env: dict[str, str]) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = handle.name
    started = time.monotonic()
    process = subprocess.run(
        [sys.executable, "-c", code, result_path],
        env=env,
        cwd=tempfile.gettempdir(),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        timeout=60,
        check=True,
    )
    ended = time.monotonic()
    data = json.loads(Path(result_path).read_text())
    os.unlink(result_path)
    if data["first_frame"] is None:
        raise RuntimeError("startup subprocess exited without a frame:\n" + process.stderr.decode(errors="replace")[-3000:])
    return {
        "first_frame_ms": _ms(data["first_frame"] - started),
        "exit_ms": _ms(ended - started),
        "maxrss_mb": round(data["maxrss_mb"], 1),
    }


# --------------------------------------------------------------------------------------------
# Parent side.
# --------------------------------------------------------------------------------------------


def spawn_worker(kind: str, chapter: str, data_dir: Path, env: dict[str, str], cap: float) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as handle:
        result_path = Path(handle.name)
    result_path.write_text("{}")
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "--worker",
        kind,
        "--chapter",
        chapter,
        "--data",
        str(data_dir),
        "--result",
        str(result_path),
        "--cap",
        str(cap),
    ]
    # A fresh data dir per run: every run parses its chapter (no document cache from an earlier run).
    run_env = dict(env, PEERAGOGY_HOME=tempfile.mkdtemp(prefix="peeragogy-bench-home-"))
    process = subprocess.Popen(
        command, env=run_env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    killed = False
    try:
        _, stderr = process.communicate(timeout=cap + 20)
    except subprocess.TimeoutExpired:
        process.kill()
        _, stderr = process.communicate()
        killed = True
    data = json.loads(result_path.read_text() or "{}")
    result_path.unlink()
    if killed:
        data["killed"] = True
    if process.returncode not in (0, None) and not killed:
        sys.stderr.write(stderr.decode(errors="replace")[-3000:])
        data["error"] = f"exit {process.returncode}"
    return data


def _values(runs: list[dict[str, Any]], key: str) -> list[float]:
    return [run[key] for run in runs if isinstance(run.get(key), (int, float))]


class Stat:
    """Median and min of some runs; ``capped`` when a run hit the time cap."""

    def __init__(self, values: list[float], runs: int, cap_ms: float | None = None) -> None:
        self.values = values
        self.runs = runs
        self.capped = len(values) < runs
        self.cap_ms = cap_ms

    @property
    def median(self) -> float | None:
        if self.capped and self.cap_ms is not None:
            return None
        return statistics.median(self.values) if self.values else None

    @property
    def min(self) -> float | None:
        return min(self.values) if self.values else None

    def fmt(self, unit: str = "ms") -> str:
        if not self.runs:
            return "not run"
        if self.capped and self.cap_ms is not None:
            return f"> {self.cap_ms / 1000:.0f} s (capped)"
        if not self.values:
            return "n/a"
        return f"{_fmt(self.median, unit)} (min {_fmt(self.min, unit)}, n={len(self.values)})"


def _fmt(value: float | None, unit: str) -> str:
    if value is None:
        return "n/a"
    if unit == "MB":
        return f"{value:.0f} MB"
    if value >= 10_000:
        return f"{value / 1000:.1f} s"
    if value >= 1000:
        return f"{value / 1000:.2f} s"
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _verdict(ok: bool | None) -> str:
    return "n/a" if ok is None else ("✅ yes" if ok else "❌ no")


def _cpu_busy(seconds: float = 1.0) -> float:
    """Fraction of all CPUs busy over ``seconds`` (from /proc/stat; 0.0 where unavailable)."""

    def sample() -> tuple[int, int]:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
        idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
        return sum(fields), idle

    try:
        total0, idle0 = sample()
        time.sleep(seconds)
        total1, idle1 = sample()
    except (OSError, ValueError, IndexError):
        return 0.0
    return 1.0 - (idle1 - idle0) / max(total1 - total0, 1)


def calibrate() -> float:
    """Milliseconds for a fixed pure-Python loop (best of 3): how fast the CPU is right now."""

    def once() -> float:
        started = time.perf_counter()
        total = 0
        for i in range(2_000_000):
            total += i * i % 7
        return time.perf_counter() - started

    return _ms(min(once() for _ in range(3)))


class QuietGate:
    """Before each measurement, wait (within an overall budget) for the CPUs to be mostly idle."""

    def __init__(self, budget: float, log: Callable[[str], None]) -> None:
        self.budget = budget
        self.log = log
        self.waited = 0.0
        self.busy_seen: list[float] = []

    def __call__(self, per_call: float = 20.0) -> None:
        if self.budget <= 0:
            return
        started = time.monotonic()
        busy = _cpu_busy(0.5)
        while busy > 0.2 and self.waited + (time.monotonic() - started) < self.budget:
            if time.monotonic() - started > per_call:
                break
            time.sleep(1.5)
            busy = _cpu_busy(0.5)
        waited = time.monotonic() - started
        self.waited += waited
        self.busy_seen.append(busy)
        if waited > 2:
            self.log(f"waited {waited:.0f} s for the machine to quieten (now {busy:.0%} busy)")


def machine_info() -> dict[str, str]:
    import markdown_it
    import rich
    import textual

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        from importlib.metadata import version

        rich_version = version("rich")
        mdit_version = version("markdown-it-py")
    except Exception:  # noqa: BLE001
        rich_version = getattr(rich, "__version__", "?")
        mdit_version = getattr(markdown_it, "__version__", "?")
    commit = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "date": _dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "nproc": str(os.cpu_count()),
        "cpu": cpu,
        "python": platform.python_version(),
        "textual": textual.__version__,
        "rich": rich_version,
        "markdown-it-py": mdit_version,
        "platform": platform.platform(),
        "commit": commit,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="Reader benchmarks (see benchmarks/README.md).")
    parser.add_argument("--reps", type=int, default=5, help="repetitions of our measurements")
    parser.add_argument("--startup-reps", type=int, default=9, help="repetitions of the startup measurements")
    parser.add_argument("--stock-reps", type=int, default=2, help="repetitions of the stock viewer on the 440 KB file")
    parser.add_argument("--stock-table-reps", type=int, default=1, help="repetitions of the stock viewer on tables")
    parser.add_argument("--cap", type=float, default=60.0, help="seconds before a stock run is called capped")
    parser.add_argument("--skip-stock", action="store_true", help="measure only our reader and startup")
    parser.add_argument("--quick", action="store_true", help="3 reps, stock once and capped at 20 s")
    parser.add_argument("--wait-quiet", type=float, default=0.0, metavar="S",
                        help="first wait up to S seconds for the CPUs to be mostly idle (shared machines)")
    parser.add_argument("--out", type=Path, default=HERE / "results.md")
    parser.add_argument("--data", type=Path, help="use (or create) generated inputs here")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--chapter", default="big", help=argparse.SUPPRESS)
    parser.add_argument("--result", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        run_worker(args)
        return
    if args.quick:
        args.reps, args.startup_reps, args.stock_reps, args.stock_table_reps, args.cap = 3, 3, 1, 1, 20.0

    sys.path.insert(0, str(HERE))
    from generate import generate

    began = time.perf_counter()
    load_start = os.getloadavg()[0]
    workdir = Path(tempfile.mkdtemp(prefix="peeragogy-bench-"))
    data_dir = args.data or workdir / "handbook"
    if not (data_dir / "en" / "big.md").exists():
        generate(data_dir)
    env = dict(os.environ, PEERAGOGY_HOME=str(workdir / "home"))
    env.pop("TEXTUAL", None)
    sizes = {name: (data_dir / "en" / f"{name}.md").stat().st_size for name in ("big", "table-1000", "table-5000")}

    def log(message: str) -> None:
        print(f"[{time.perf_counter() - began:6.1f}s] {message}", file=sys.stderr, flush=True)

    gate = QuietGate(args.wait_quiet, log)
    busy_start = _cpu_busy()
    calibration_start = calibrate()
    ours: dict[str, list[dict[str, Any]]] = {}
    stock: dict[str, list[dict[str, Any]]] = {}
    for chapter in ("big", "table-1000", "table-5000"):
        ours[chapter] = []
        for rep in range(args.reps):
            gate()
            ours[chapter].append(spawn_worker("ours", chapter, data_dir, env, 30))
            log(f"ours  {chapter} #{rep + 1}: {ours[chapter][-1]}")
    envs = startup_envs(env, workdir)
    for code in (STARTUP_BARE, STARTUP_OURS, STARTUP_CLI):
        # Warm-up, ending as a user does (q): writes the bytecode, frontmatter and first-document caches.
        measure_startup(code, dict(envs["warm"], PEERAGOGY_BENCH_QUIT="1"))
    startup: dict[str, list[dict[str, float]]] = {"bare": [], "ours": [], "first": [], "nopyc": [], "cli": []}
    for rep in range(args.startup_reps):
        gate()
        first_env = dict(envs["warm"], PEERAGOGY_HOME=str(workdir / f"first-start-{rep}"))
        kinds = [
            ("bare", STARTUP_BARE, envs["warm"]),
            ("ours", STARTUP_OURS, envs["warm"]),
            ("first", STARTUP_OURS, first_env),  # an empty data dir: no frontmatter cache yet
            ("nopyc", STARTUP_OURS, envs["nopyc"]),
            ("cli", STARTUP_CLI, envs["warm"]),
        ]
        turn = rep % len(kinds)  # each kind goes first (just after the quiet-gate's pause) equally often
        for kind, code, run_env in kinds[turn:] + kinds[:turn]:
            startup[kind].append(measure_startup(code, run_env))
            log(f"startup {kind} #{rep + 1}: {startup[kind][-1]}")
    if not args.skip_stock:
        for chapter, reps in (("big", args.stock_reps), ("table-1000", args.stock_table_reps), ("table-5000", args.stock_table_reps)):
            stock[chapter] = []
            for rep in range(reps):
                gate()
                stock[chapter].append(spawn_worker("stock", chapter, data_dir, env, args.cap))
                log(f"stock {chapter} #{rep + 1}: {stock[chapter][-1]}")

    cap_ms = args.cap * 1000

    def o(chapter: str, key: str) -> Stat:
        return Stat(_values(ours[chapter], key), len(ours[chapter]))

    def s(chapter: str, key: str, capped: bool = True) -> Stat:
        runs = stock.get(chapter, [])
        return Stat(_values(runs, key), len(runs), cap_ms if capped else None)

    def below(stat: Stat, limit: float) -> bool | None:
        return None if stat.median is None else stat.median < limit

    rows: list[tuple[str, str, str, str, str]] = []
    verdicts: list[tuple[str, bool | None]] = []

    def row(name: str, ours_stat: Stat | str, base: Stat | str, target: str, ok: bool | None, check: bool = True) -> None:
        ours_text = ours_stat if isinstance(ours_stat, str) else ours_stat.fmt()
        base_text = base if isinstance(base, str) else base.fmt()
        rows.append((name, ours_text, base_text, target, _verdict(ok) if check else "—"))
        if check:
            verdicts.append((name, ok))

    big_kb = sizes["big"] / 1000
    first = o("big", "first_screen_ms")
    row(f"First screen, {big_kb:.0f} KB handbook (app start → first frame showing its text)", first,
        s("big", "first_screen_ms"), f"< {TARGET_FIRST_SCREEN_MS:.0f} ms", below(first, TARGET_FIRST_SCREEN_MS))
    row("↳ CPU time the app process used until that frame (less sensitive to other load)",
        o("big", "first_screen_cpu_ms"), s("big", "first_screen_cpu_ms"), "—", None, check=False)
    row("↳ same document fully scrollable (stock: every block mounted, then a frame)", first,
        s("big", "loaded_ms"), "—", None, check=False)
    row("↳ ours: `show()` → first frame with text", o("big", "show_to_frame_ms"), "—", "—", None, check=False)
    row(f"↳ ours: `parse_document` ({big_kb:.0f} KB)", o("big", "parse_ms"), "—", "—", None, check=False)
    text_width = _values(ours["big"], "text_width")
    row(f"↳ ours: `layout_document` ({text_width[0] if text_width else '?'} columns, "
        f"{int(statistics.median(_values(ours['big'], 'lines')) if _values(ours['big'], 'lines') else 0):,} lines)", o("big", "layout_ms"), "—", "—", None, check=False)
    row("↳ app start → first frame of any kind", o("big", "first_frame_ms"), "—", "—", None, check=False)
    jump = o("big", "jump_end_ms")
    row('Jump to end of the 440 KB handbook (ours "G", stock "end" → frame at the bottom)', jump,
        s("big", "jump_end_ms"), f"< {TARGET_JUMP_MS:.0f} ms", below(jump, TARGET_JUMP_MS))
    row('↳ stock: "end" → first frame that has moved (it animates for 1 s)', "—",
        s("big", "jump_end_first_move_ms"), "—", None, check=False)
    row('Back to the top (ours "g")', o("big", "jump_home_ms"), "—", "—", None, check=False)
    key = o("big", "key_down_ms")
    row("Scroll one line on the 440 KB handbook (down → frame)", key, s("big", "key_down_ms"),
        f"< {TARGET_KEY_MS:.0f} ms (our reading)", below(key, TARGET_KEY_MS))
    stall = o("big", "stall_open_ms")
    row("Longest event-loop stall while opening the 440 KB handbook", stall, s("big", "stall_open_ms"),
        f"< {TARGET_STALL_MS / 1000:.0f} s (our reading of 'responsive')", below(stall, TARGET_STALL_MS))
    for chapter in ("table-1000", "table-5000"):
        rows_count = chapter.split("-")[1]
        shown = o(chapter, "first_screen_ms")
        row(f"Show the {int(rows_count):,}-row table chapter (start → first frame with text)", shown,
            s(chapter, "first_screen_ms"), "—", None, check=False)
        row(f"↳ {int(rows_count):,}-row table fully scrollable (stock: all mounted)", shown,
            s(chapter, "loaded_ms"), "—", None, check=False)
        stall = o(chapter, "stall_open_ms")
        row(f"Longest event-loop stall while opening the {int(rows_count):,}-row table", stall,
            s(chapter, "stall_open_ms"), f"< {TARGET_STALL_MS / 1000:.0f} s (our reading of 'responsive')", below(stall, TARGET_STALL_MS))
        key = o(chapter, "key_down_ms")
        row(f"Keypress after the {int(rows_count):,}-row table is shown (down → frame)", key,
            s(chapter, "key_down_ms"), f"< {TARGET_KEY_MS:.0f} ms (our reading)", below(key, TARGET_KEY_MS))
        jump = o(chapter, "jump_end_ms")
        row(f"Jump to end of the {int(rows_count):,}-row table", jump, s(chapter, "jump_end_ms"),
            f"< {TARGET_JUMP_MS:.0f} ms", below(jump, TARGET_JUMP_MS))

    bare_start = Stat(_values(startup["bare"], "first_frame_ms"), len(startup["bare"]))
    ours_start = Stat(_values(startup["ours"], "first_frame_ms"), len(startup["ours"]))

    def ratios(kind: str) -> tuple[float | None, float | None]:
        stat = Stat(_values(startup[kind], "first_frame_ms"), len(startup[kind]))
        median = stat.median / bare_start.median if stat.median and bare_start.median else None
        minimum = stat.min / bare_start.min if stat.min and bare_start.min else None
        return median, minimum

    def ratio_text(kind: str) -> str:
        median, minimum = ratios(kind)
        return f"{median:.2f}× (min/min {minimum:.2f}×)" if median and minimum else "n/a"

    ratio, min_ratio = ratios("ours")
    row("Startup to first frame, bundled handbook (subprocess exec → frame showing the chapter)", ours_start,
        bare_start, f"≤ {TARGET_STARTUP_RATIO}× bare app",
        None if ratio is None or min_ratio is None else max(ratio, min_ratio) <= TARGET_STARTUP_RATIO)
    rows.append(("↳ startup ratio ours / bare (median; min/min)", f"{ratio:.2f}×" if ratio else "n/a",
                 f"{min_ratio:.2f}× on minimums" if min_ratio else "—", f"≤ {TARGET_STARTUP_RATIO}×", "—"))
    for kind, name in (
        ("first", "↳ first start: empty data dir, so no frontmatter cache yet (YAML parsed, cache written)"),
        ("nopyc", "↳ no `.pyc` for our modules (`PYTHONDONTWRITEBYTECODE=1`, as this row was measured before)"),
        ("cli", "↳ the `peeragogy` command itself (`launch.main`, empty command line, position restore on)"),
    ):
        rows.append((name, Stat(_values(startup[kind], "first_frame_ms"), len(startup[kind])).fmt(),
                     f"ratio {ratio_text(kind)}", "—", "—"))
    row("↳ startup: exec → process exit", Stat(_values(startup["ours"], "exit_ms"), len(startup["ours"])),
        Stat(_values(startup["bare"], "exit_ms"), len(startup["bare"])), "—", None, check=False)
    mem_ours = Stat(_values(ours["big"], "maxrss_mb"), len(ours["big"]))
    mem_stock = s("big", "maxrss_mb", capped=False)
    rows.append((f"Peak RSS showing the {big_kb:.0f} KB handbook (ru_maxrss of the worker)", mem_ours.fmt("MB"),
                 mem_stock.fmt("MB"), "—", "—"))
    mem_bare = Stat(_values(startup["bare"], "maxrss_mb"), len(startup["bare"]))
    mem_start = Stat(_values(startup["ours"], "maxrss_mb"), len(startup["ours"]))
    rows.append(("↳ peak RSS at startup (bundled handbook vs bare app)", mem_start.fmt("MB"), mem_bare.fmt("MB"), "—", "—"))

    info = machine_info()
    lines = [
        "# Reader benchmark results",
        "",
        f"- Date: {info['date']}  (commit {info['commit']})",
        f"- Machine: {info['nproc']} CPUs ({info['cpu']}), {info['platform']}",
        f"- Python {info['python']}, Textual {info['textual']}, Rich {info['rich']}, markdown-it-py {info['markdown-it-py']}",
        f"- Terminal size {SIZE[0]}×{SIZE[1]} (headless); inputs from `benchmarks/generate.py` (seeded): "
        f"big.md {sizes['big'] / 1000:.0f} KB, table-1000.md {sizes['table-1000'] / 1000:.0f} KB, "
        f"table-5000.md {sizes['table-5000'] / 1000:.0f} KB (KB = 1,000 bytes)",
        f"- Other load: CPUs {busy_start:.0%} busy just before the run; load average (1 min) at start / end "
        f"{load_start:.2f} / {os.getloadavg()[0]:.2f}"
        + (f"; waited {gate.waited:.0f} s in all for quiet moments before measurements (--wait-quiet), "
           f"CPUs then {statistics.median(gate.busy_seen):.0%} busy (median)" if gate.busy_seen else "")
        + ". Other work on the machine inflates medians; minimums are the better guide to what the code can do",
        f"- CPU speed check (a fixed 2M-step Python loop, best of 3): {calibration_start:.0f} ms at start, "
        f"{calibrate():.0f} ms at end (~84 ms when this machine's host was quiet); "
        "timings scale roughly with it",
        f"- Repetitions: ours {args.reps}, startup {args.startup_reps} (bare, ours and its variants interleaved), stock viewer {args.stock_reps} (440 KB) / "
        f"{args.stock_table_reps} (tables), stock capped at {args.cap:.0f} s"
        + (" — stock viewer skipped" if args.skip_stock else ""),
        (
            "- Startup runs have a bytecode cache for every module, ours included, as after `pip install` "
            "(`PYTHONPYCACHEPREFIX` in the work dir), and the caches an earlier session leaves in the data dir "
            "(frontmatter, first document): one untimed warm-up run of each snippet, ended with `q`, fills them. "
            "The rows under the startup ratio show a first start, a start without `.pyc` and the `peeragogy` "
            "command. Passing needs the ratio on medians and on minimums. The reader rows above use a fresh data "
            "dir per run, so each parses its chapter"
        ),
        "- Cells read `median (min, n=runs)`.",
        "",
        "| measurement | ours | baseline (stock MarkdownViewer or bare app) | target | pass? |",
        "|---|---|---|---|---|",
    ]
    lines += [f"| {' | '.join(cells)} |" for cells in rows]
    lines += ["", "## Targets", ""]
    lines += [f"- {_verdict(ok)} — {name}" for name, ok in verdicts]
    lines += ["", f"Benchmark wall time: {time.perf_counter() - began:.0f} s.", ""]
    report = "\n".join(lines)
    print(report)
    args.out.write_text(report, encoding="utf-8")
    raw = args.out.with_suffix(".json")
    raw.write_text(json.dumps({"machine": info, "ours": ours, "stock": stock, "startup": startup}, indent=1))
    log(f"wrote {args.out} and {raw}")


if __name__ == "__main__":
    main()
