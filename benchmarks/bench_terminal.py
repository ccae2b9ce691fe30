"""Time the reader as a person meets it: from ``exec`` to text on a real terminal (tmux).

Run from the repository root with the venv active::

    python benchmarks/bench_terminal.py              # 7 interleaved repetitions, ~6 minutes
    python benchmarks/bench_terminal.py --reps 3     # a quick look

Two parts, both against a baseline measured in the same run:

* **First text.** Each scenario starts a command in a new tmux window (120 x 40)
  and polls ``tmux capture-pane`` until a marker, a line of the chapter's body
  text (or, for the tree, a title in the tree pane), is on the screen. The
  baseline is a bare Textual app (an ``App`` with one ``Static``) started and
  watched the same way. Scenarios interleave, their order rotating each
  repetition; each cell is the median and minimum of ``--reps`` runs.
* **Never frozen.** ``--gap-worker`` runs the app in a tmux window with a task
  that sleeps 5 ms in a loop and logs every time it got control back late (the
  longest gap is how long the event loop was blocked: no frame, no key). The
  worker drives the app itself: it opens a chapter, scrolls (page and line
  keys), has tmux resize the window from 120 x 40 to 80 x 24, and presses End,
  each phase lasting until the chapter is laid out again and the view is still.
  The baseline is the same sleeper in a bare Textual app scrolling a long
  ``Static``.

See ``benchmarks/README.md`` (``bench_terminal.py``) for exactly what each row
measures. Results go to ``benchmarks/terminal_results.md`` and stdout.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_reader import QuietGate, _cpu_busy, calibrate, machine_info  # noqa: E402

RESULTS = HERE / "terminal_results.md"
WIDTH, HEIGHT = 120, 40
SMALL = (80, 24)
TARGET_RATIO = 1.3
GROWTH_CHAPTERS = (1000, 5000, 20000)
"""Generated handbooks whose tree is timed, to state how the time grows with the chapters."""
TARGET_GAP_MS = 100.0
MARKER_TIMEOUT = 60.0

BARE_APP = '''
from textual.app import App
from textual.widgets import Static


class Bare(App):
    def compose(self):
        yield Static("A bare Textual app: one Static.")


Bare().run()
'''
"""The baseline of the first-text rows: an App with one Static."""


# ------------------------------------------------------------------------------------------ tmux


class Tmux:
    """A private tmux server (its own socket) with one idle session; a window per run."""

    def __init__(self, workdir: Path, env: dict[str, str]) -> None:
        self.socket = str(workdir / "tmux.sock")
        self.env = env
        self._tmux("new-session", "-d", "-x", str(WIDTH), "-y", str(HEIGHT), "-s", "bench", "sleep 86400")

    def _tmux(self, *args: str, check: bool = True) -> str:
        done = subprocess.run(
            ["tmux", "-S", self.socket, "-f", "/dev/null", *args],
            env=self.env, capture_output=True, text=True, check=False,
        )
        if check and done.returncode != 0:
            raise RuntimeError(f"tmux {' '.join(args[:2])}: {done.stderr.strip()}")
        return done.stdout

    def start(self, argv: list[str], env: dict[str, str]) -> str:
        """Start ``argv`` in a new window with ``env`` added; returns the window id."""
        command = "exec " + " ".join(_quote(word) for word in argv)
        options = [item for key, value in env.items() for item in ("-e", f"{key}={value}")]
        return self._tmux("new-window", "-d", "-P", "-F", "#{window_id}", *options, "-t", "bench", command).strip()

    def screen(self, window: str) -> str:
        return self._tmux("capture-pane", "-p", "-t", window, check=False)

    def keys(self, window: str, *keys: str) -> None:
        self._tmux("send-keys", "-t", window, *keys, check=False)

    def alive(self, window: str) -> bool:
        return window in self._tmux("list-windows", "-a", "-F", "#{window_id}", check=False).split()

    def close(self, window: str, quit_keys: tuple[str, ...], timeout: float = 10.0) -> bool:
        """Quit the program with its own keys and wait for it to exit; ``False`` if it had to be killed."""
        self.keys(window, *quit_keys)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if not self.alive(window):
                return True
            time.sleep(0.05)
        self._tmux("kill-window", "-t", window, check=False)
        return False

    def shutdown(self) -> None:
        self._tmux("kill-server", check=False)


def _quote(word: str) -> str:
    import shlex

    return shlex.quote(word)


# ----------------------------------------------------------------------------------- first text


@dataclass
class Scenario:
    """One command whose time from exec to ``marker`` on screen is measured."""

    name: str
    label: str
    argv: list[str]
    marker: str
    """Text that is on screen only once what is measured is drawn (``\\n`` = start of a line)."""
    fresh_data: bool = False
    """A new, empty data dir every run (a first start) instead of one kept across runs."""
    quit_keys: tuple[str, ...] = ("q",)
    baseline: bool = False
    data_dir: Path | None = None
    times: list[float] = field(default_factory=list)
    killed: int = 0


def first_text_once(tmux: Tmux, scenario: Scenario, env: dict[str, str], workdir: Path) -> float:
    """Milliseconds from starting the command to the marker on screen."""
    if scenario.fresh_data or scenario.data_dir is None:
        scenario.data_dir = Path(tempfile.mkdtemp(dir=workdir, prefix=f"home-{scenario.name}-"))
    run_env = dict(env, PEERAGOGY_HOME=str(scenario.data_dir))
    started = time.monotonic()
    window = tmux.start(scenario.argv, run_env)
    deadline = started + MARKER_TIMEOUT
    seen = None
    while time.monotonic() < deadline:
        if scenario.marker in "\n" + tmux.screen(window):
            seen = time.monotonic()
            break
        time.sleep(0.002)
    screen = tmux.screen(window)
    if not tmux.close(window, scenario.quit_keys):
        scenario.killed += 1
    if seen is None:
        raise RuntimeError(f"{scenario.name}: {scenario.marker!r} not on screen after {MARKER_TIMEOUT:.0f} s:\n{screen}")
    return (seen - started) * 1000.0


def scenarios(inputs: dict[str, Path], python: str, peeragogy: str) -> list[Scenario]:
    bare = Scenario("bare", "bare Textual app (one `Static`)", [python, str(inputs["bare"])],
                    "A bare Textual app: one Static.", quit_keys=("C-q",), baseline=True)

    def ours(name: str, label: str, args: list[str], marker: str, fresh: bool = False) -> Scenario:
        return Scenario(name, label, [peeragogy, *args], marker, fresh_data=fresh)

    book = "Picture four colleagues who all need"
    big = "The big generated handbook\n"
    return [
        bare,
        ours("bundled", "`peeragogy` (bundled handbook, second start)", [], book),
        ours("bundled-first", "`peeragogy`, first start (empty data dir)", [], book, fresh=True),
        ours("lang-es", "`peeragogy --lang es`", ["--lang", "es"], "Imagina a cuatro compañeras"),
        ours("big-440k", "`--handbook DIR`, one 440 KB chapter", ["--handbook", str(inputs["440k"])], big),
        ours("big-440k-first", "↳ first start (chapter never parsed)", ["--handbook", str(inputs["440k"])], big, fresh=True),
        ours("big-5m", "`--handbook DIR`, one 5 MB chapter", ["--handbook", str(inputs["5m"])], big),
        ours("big-5m-first", "↳ first start (chapter never parsed)", ["--handbook", str(inputs["5m"])], big, fresh=True),
        ours("wide-table", "`--handbook DIR`, a 1,000 x 20 table", ["--handbook", str(inputs["wide"])],
             "Attendance notes of a study circle"),
        ours("tree-5000", "`--handbook DIR`, 5,000 chapters: the tree", ["--handbook", str(inputs["5000"])],
             inputs["5000-tree-marker"].read_text(encoding="utf-8")),
        ours("tree-5000-text", "↳ its first chapter's text", ["--handbook", str(inputs["5000"])],
             inputs["5000-text-marker"].read_text(encoding="utf-8")),
        ours("tree-5000-first", "↳ the tree, first start (no frontmatter cache)", ["--handbook", str(inputs["5000"])],
             inputs["5000-tree-marker"].read_text(encoding="utf-8"), fresh=True),
        *(
            scenario
            for chapters in GROWTH_CHAPTERS
            if chapters != 5000
            for scenario in (
                ours(f"tree-{chapters}", f"`--handbook DIR`, {chapters:,} chapters: the tree",
                     ["--handbook", str(inputs[str(chapters)])],
                     inputs[f"{chapters}-tree-marker"].read_text(encoding="utf-8")),
                ours(f"tree-{chapters}-first", "↳ the tree, first start (no frontmatter cache)",
                     ["--handbook", str(inputs[str(chapters)])],
                     inputs[f"{chapters}-tree-marker"].read_text(encoding="utf-8"), fresh=True),
            )
        ),
    ]


# ------------------------------------------------------------------------------------- inputs


def prepare_inputs(data: Path) -> dict[str, Path]:
    """Handbook folders, each with the one chapter a scenario opens (generated, seeded)."""
    import generate
    import generate_scale

    inputs: dict[str, Path] = {}
    generated = {
        "440k": generate.BIG_SIZE,
        "5m": 5_000_000,
    }
    for name, size in generated.items():
        folder = data / f"big-{name}"
        if not (folder / "en" / "big.md").exists():
            scratch = data / f"gen-{name}"
            paths = generate.generate(scratch, size=size)
            (folder / "en").mkdir(parents=True, exist_ok=True)
            shutil.copyfile(paths["big"], folder / "en" / "big.md")
            if name == "440k":
                wide = data / "wide-table" / "en"
                wide.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(paths["table-1000x20"], wide / "table-1000x20.md")
            shutil.rmtree(scratch)
        inputs[name] = folder
    inputs["wide"] = data / "wide-table"
    for chapters in GROWTH_CHAPTERS:
        scale = data / f"scale-{chapters}"
        if not scale.exists():
            generate_scale.generate(scale, chapters)
        inputs[str(chapters)] = scale
        inputs.update(_scale_markers(scale, data, chapters))
    bare = data / "bare_app.py"
    bare.write_text(BARE_APP, encoding="utf-8")
    inputs["bare"] = bare
    return inputs


def _scale_markers(scale: Path, data: Path, size: int) -> dict[str, Path]:
    """The tree's second title (at the start of a line) and the first chapter's first code line.

    Read from the handbook as the reader loads it, so they follow the generator.
    """
    from peeragogy_tui.core.handbook import load_handbook

    handbook = load_handbook(scale)
    chapters = list(handbook.chapters)
    second_title = chapters[1].title[:20]
    body = chapters[0].path.read_text(encoding="utf-8").split("\n---\n", 1)[1]
    first_line = next(line.strip() for line in body.splitlines() if line.strip() and not line.startswith(("#", "`")))
    text_marker = " ".join(first_line.split()[:2])
    suffix = "" if size == 5000 else f"-{size}"  # the 5,000 files keep the names they always had
    paths = {
        f"{size}-tree-marker": data / f"tree-marker{suffix}.txt",
        f"{size}-text-marker": data / f"text-marker{suffix}.txt",
    }
    paths[f"{size}-tree-marker"].write_text("\n" + second_title, encoding="utf-8")
    paths[f"{size}-text-marker"].write_text(text_marker, encoding="utf-8")
    return paths


# ---------------------------------------------------------------------------------- gap worker


class GapLog:
    """A task sleeping 5 ms in a loop; records each time it got control back late."""

    def __init__(self) -> None:
        self.gaps: list[tuple[float, float]] = []
        """(monotonic time it woke, milliseconds it was late), for every wake more than 2 ms late."""

    def start(self) -> None:
        asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        last = time.monotonic()
        while True:
            await asyncio.sleep(0.005)
            now = time.monotonic()
            late = (now - last - 0.005) * 1000.0
            if late > 2.0:
                self.gaps.append((now, late))
            last = now

    def longest(self, start: float, end: float) -> float:
        """The longest stretch (ms) inside ``start``..``end`` that the loop was blocked.

        A gap is the time from when the sleeper should have woken to when it did;
        only the part of it inside the window counts. A gap that began before the
        first frame and ended just after it is start-up, not a freeze of the open
        chapter: counted whole, it gave the bare app an "open" gap of ~550 ms.
        """
        longest = 0.0
        for woke, late in self.gaps:
            began = woke - late / 1000.0
            inside = min(woke, end) - max(began, start)
            longest = max(longest, inside * 1000.0)
        return longest


async def _until(predicate: Any, timeout: float = 120.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        await asyncio.sleep(0.01)
    return False


async def _press(app: Any, key: str, times: int, pause: float) -> None:
    from bench_reader import _send_key

    for _ in range(times):
        _send_key(app, key, None)
        await asyncio.sleep(pause)


async def _scroll(app: Any) -> tuple[float, float]:
    """The scroll phase, the same in both apps: page and line keys, then 0.3 s of quiet."""
    mark = time.monotonic()
    await _press(app, "pagedown", 12, 0.05)
    await _press(app, "down", 30, 0.02)
    await _press(app, "pageup", 4, 0.05)
    await asyncio.sleep(0.3)
    return mark, time.monotonic()


async def _resize_window(columns: int, rows: int) -> None:
    """Have tmux resize this process's own window (the terminal sends SIGWINCH, as a person's would)."""
    process = await asyncio.create_subprocess_exec(
        "tmux", "resize-window", "-t", os.environ["TMUX_PANE"], "-x", str(columns), "-y", str(rows)
    )
    await process.wait()


class FirstFrame:
    """Hooks ``App._display``: the time of the first frame drawn while ``predicate()`` holds."""

    def __init__(self, app: Any, predicate: Any) -> None:
        self.at: float | None = None
        original = app._display

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if self.at is None and renderable is not None and not app._batch_count:
                try:
                    if predicate():
                        self.at = time.monotonic()
                except Exception:  # noqa: BLE001 - a predicate on a half-built screen
                    pass

        app._display = display


async def _opened(app: Any, log: GapLog, result: dict[str, Any], first: FirstFrame, settled: Any) -> tuple[float, float]:
    """Wait for the first text frame and then for ``settled()``; the open phase runs between the two."""
    await _until(lambda: first.at is not None)
    assert first.at is not None
    result["startup_gap"] = round(log.longest(result["started"], first.at), 1)
    result["first_text_s"] = round(first.at - result["started"], 3)
    await _until(settled)
    await asyncio.sleep(0.3)
    return first.at, time.monotonic()


async def drive_ours(app: Any, log: GapLog, result: dict[str, Any]) -> None:
    from peeragogy_tui.tui.widgets.document_view import DocumentView

    def view() -> Any:
        try:
            return app.query_one(DocumentView)
        except Exception:  # noqa: BLE001 - not mounted yet
            return None

    def settled() -> bool:
        doc = view()
        return doc is not None and doc.layout_result is not None and bool(doc.lines) and doc.layout_complete

    phases: dict[str, tuple[float, float]] = {}
    first = result.pop("first")
    phases["open"] = await _opened(app, log, result, first, settled)
    doc = view()
    doc.focus()
    await asyncio.sleep(0.1)

    phases["scroll"] = await _scroll(app)

    mark = time.monotonic()
    width_before = doc.layout_result and doc._laid_out_for
    await _resize_window(*SMALL)
    await _until(lambda: app.size == SMALL and doc._laid_out_for != width_before and settled())
    await asyncio.sleep(0.3)
    phases["resize"] = (mark, time.monotonic())

    mark = time.monotonic()
    await _press(app, "end", 1, 0.0)
    await _until(lambda: settled() and doc.scroll_y >= doc.max_scroll_y and doc.max_scroll_y > 0)
    await asyncio.sleep(0.3)
    phases["end"] = (mark, time.monotonic())
    result["lines_at_80"] = len(doc.lines)
    result["percent_at_end"] = doc.position_percent
    result["phases"] = {name: round(log.longest(*window), 1) for name, window in phases.items()}
    result["phase_seconds"] = {name: round(b - a, 2) for name, (a, b) in phases.items()}
    app.exit()


async def drive_bare(app: Any, log: GapLog, result: dict[str, Any]) -> None:
    phases: dict[str, tuple[float, float]] = {}
    first = result.pop("first")
    phases["open"] = await _opened(app, log, result, first, lambda: True)
    phases["scroll"] = await _scroll(app)
    mark = time.monotonic()
    await _resize_window(*SMALL)
    await _until(lambda: app.size == SMALL)
    await asyncio.sleep(0.3)
    phases["resize"] = (mark, time.monotonic())
    mark = time.monotonic()
    await _press(app, "end", 1, 0.0)
    await asyncio.sleep(0.3)
    phases["end"] = (mark, time.monotonic())
    result["phases"] = {name: round(log.longest(*window), 1) for name, window in phases.items()}
    app.exit()


def bare_scroller() -> Any:
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.widgets import Static

    class BareScroller(App):
        BINDINGS = [("pagedown", "page(1)"), ("pageup", "page(-1)"), ("down", "line(1)"), ("end", "end")]

        def compose(self):  # type: ignore[no-untyped-def]
            with VerticalScroll():
                yield Static("\n".join(f"Line {n}: a bare Textual app scrolling a long Static." for n in range(2000)))

        def action_page(self, sign: int) -> None:
            scroll = self.query_one(VerticalScroll)
            scroll.scroll_to(y=scroll.scroll_y + sign * scroll.size.height, animate=False)

        def action_line(self, sign: int) -> None:
            scroll = self.query_one(VerticalScroll)
            scroll.scroll_to(y=scroll.scroll_y + sign, animate=False)

        def action_end(self) -> None:
            self.query_one(VerticalScroll).scroll_end(animate=False)

    return BareScroller()


def gap_worker(kind: str, handbook_dir: str, chapter: str, result_path: Path, started: float) -> None:
    result: dict[str, Any] = {"started": started}
    if kind == "bare":
        from textual.widgets import Static

        app = bare_scroller()
        driver = drive_bare
        result["first"] = FirstFrame(app, lambda: bool(app.query(Static)))
    else:
        from peeragogy_tui.core.handbook.watch import HandbookSource
        from peeragogy_tui.tui.app import create_app

        handbook = HandbookSource(Path(handbook_dir), None).load()
        from peeragogy_tui.tui.widgets.document_view import DocumentView

        app = create_app(handbook, start=chapter, restore=False)
        driver = drive_ours
        result["first"] = FirstFrame(app, lambda: bool(app.query_one(DocumentView).lines))

    async def main() -> None:
        log = GapLog()
        log.start()
        task = asyncio.get_running_loop().create_task(driver(app, log, result))
        await app.run_async()
        if task.done() and task.exception() is not None:
            result["error"] = repr(task.exception())
        elif not task.done():
            task.cancel()
            result["error"] = "the app exited before the script ended"

    asyncio.run(main())
    result.pop("first", None)
    result_path.write_text(json.dumps(result), encoding="utf-8")


@dataclass
class GapScenario:
    name: str
    label: str
    kind: str
    handbook: str = ""
    chapter: str = ""
    runs: list[dict[str, Any]] = field(default_factory=list)


def gap_scenarios(inputs: dict[str, Path]) -> list[GapScenario]:
    return [
        GapScenario("bare", "bare Textual app scrolling a 2,000-line `Static`", "bare"),
        GapScenario("wide-table", "1,000 x 20 table", "ours", str(inputs["wide"]), "table-1000x20"),
        GapScenario("big-440k", "440 KB chapter", "ours", str(inputs["440k"]), "big"),
        GapScenario("big-5m", "5 MB chapter", "ours", str(inputs["5m"]), "big"),
    ]


def gap_once(tmux: Tmux, scenario: GapScenario, env: dict[str, str], workdir: Path, python: str) -> dict[str, Any]:
    result_path = Path(tempfile.mkstemp(dir=workdir, suffix=".json")[1])
    home = tempfile.mkdtemp(dir=workdir, prefix="gap-home-")
    argv = [python, str(Path(__file__)), "--gap-worker", scenario.kind, "--handbook", scenario.handbook or "-",
            "--chapter", scenario.chapter or "-", "--result", str(result_path), "--started"]
    started = time.monotonic()
    window = tmux.start([*argv, repr(started)], dict(env, PEERAGOGY_HOME=home))
    deadline = started + 300
    while tmux.alive(window) and time.monotonic() < deadline:
        time.sleep(0.1)
    screen = tmux.screen(window)
    if tmux.alive(window):
        tmux.close(window, ("C-q",))
    text = result_path.read_text(encoding="utf-8")
    if not text:
        raise RuntimeError(f"gap worker {scenario.name} wrote nothing; its screen:\n{screen}")
    data = json.loads(text)
    if "error" in data or "phases" not in data:
        raise RuntimeError(f"gap worker {scenario.name}: {data.get('error', 'no phases')}")
    return data


# ------------------------------------------------------------------------------------- report


def _median_min(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), min(values)


def _ms(value: float) -> str:
    return f"{value:.0f} ms" if value >= 10 else f"{value:.1f} ms"


def report(first: list[Scenario], gaps: list[GapScenario], header: list[str]) -> str:
    bare = next(s for s in first if s.baseline)
    bare_median, bare_min = _median_min(bare.times)
    lines = [*header, ""]
    lines += [
        "## First text: exec to text on screen (tmux, 120 x 40)",
        "",
        f"Target: within {TARGET_RATIO}x the bare app, on medians and on minimums.",
        "",
        "| scenario | median (min) | × bare, medians (mins) | met? |",
        "|---|---:|---:|:---:|",
    ]
    for scenario in first:
        median, minimum = _median_min(scenario.times)
        if scenario.baseline:
            lines.append(f"| {scenario.label} | {_ms(median)} ({_ms(minimum)}) | 1.00× | baseline |")
            continue
        ratio, ratio_min = median / bare_median, minimum / bare_min
        met = "✅" if ratio <= TARGET_RATIO and ratio_min <= TARGET_RATIO else "❌"
        lines.append(f"| {scenario.label} | {_ms(median)} ({_ms(minimum)}) | {ratio:.2f}× ({ratio_min:.2f}×) | {met} |")
    lines += _growth(first)
    killed = [f"{s.name} ({s.killed})" for s in first if s.killed]
    if killed:
        lines += ["", "Runs that did not exit on their quit key and were killed: " + ", ".join(killed)]
    lines += [
        "",
        f"## Never frozen: the longest event-loop gap (target ≤ {TARGET_GAP_MS:.0f} ms)",
        "",
        "The worst run of each scenario (all runs' maxima in brackets).",
        "",
        "| scenario | open | scroll | resize 120x40 → 80x24 | End | met? | before the first text (not a target) |",
        "|---|---:|---:|---:|---:|:---:|---:|",
    ]
    for scenario in (s for s in gaps if s.runs):  # --gap-reps 0: no gap runs, no rows
        cells = []
        worst_all = 0.0
        for phase in ("open", "scroll", "resize", "end"):
            values = [run["phases"][phase] for run in scenario.runs]
            worst_all = max(worst_all, max(values))
            cells.append(f"{_ms(max(values))} ({', '.join(f'{v:.0f}' for v in values)})")
        met = "baseline" if scenario.kind == "bare" else ("✅" if worst_all <= TARGET_GAP_MS else "❌")
        startup = max(run["startup_gap"] for run in scenario.runs)
        lines.append(f"| {scenario.label} | {' | '.join(cells)} | {met} | {_ms(startup)} |")
    detail = [
        f"{s.label}: {s.runs[0].get('lines_at_80', 0):,} lines at 80 columns, End reads {s.runs[0].get('percent_at_end')}%"
        for s in gaps if s.kind == "ours" and s.runs
    ]
    lines += ["", *(f"- {line}" for line in detail)]
    return "\n".join(lines) + "\n"


def _growth(first: list[Scenario]) -> list[str]:
    """How the tree's time grows with the chapters: k in time ∝ chapters^k, between sizes measured."""
    import math

    by_name = {s.name: s for s in first if s.times}
    lines: list[str] = []
    for suffix, label in (("", "the tree, second start"), ("-first", "the tree, first start")):
        sizes = [n for n in GROWTH_CHAPTERS if f"tree-{n}{suffix}" in by_name]
        if len(sizes) < 2:
            continue
        medians = [_median_min(by_name[f"tree-{n}{suffix}"].times)[0] for n in sizes]
        steps = [
            f"{a:,} → {b:,}: {math.log(mb / ma) / math.log(b / a):.2f}"
            for (a, ma), (b, mb) in zip(zip(sizes, medians), zip(sizes[1:], medians[1:]))
        ]
        lines.append(f"- Growth of {label} (k in time ∝ chapters^k, on medians): " + "; ".join(steps))
    return ["", *lines] if lines else []


# --------------------------------------------------------------------------------------- main


def main() -> None:
    parser = argparse.ArgumentParser(description="Exec-to-text and event-loop gaps on a real terminal (tmux).")
    parser.add_argument("--reps", type=int, default=7, help="repetitions of each first-text scenario (default 7)")
    parser.add_argument("--gap-reps", type=int, default=3, help="repetitions of each gap scenario (default 3)")
    parser.add_argument("--wait-quiet", type=float, default=120.0, metavar="S",
                        help="wait up to S seconds in all for the CPUs to be idle before measurements")
    parser.add_argument("--data", type=Path, help="generated inputs here (kept); default a temp dir")
    parser.add_argument("--only", help="comma-separated scenario names (the bare baseline always runs)")
    parser.add_argument("--out", type=Path,
                        help=f"write the report here (and .json beside it); default {RESULTS.name}, "
                        "but only for a full run: with --only the report is printed unless --out is given")
    parser.add_argument("--gap-worker", help=argparse.SUPPRESS)
    parser.add_argument("--handbook", help=argparse.SUPPRESS)
    parser.add_argument("--chapter", help=argparse.SUPPRESS)
    parser.add_argument("--result", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--started", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.gap_worker:
        gap_worker(args.gap_worker, args.handbook, args.chapter, args.result, args.started)
        return
    if shutil.which("tmux") is None:
        raise SystemExit("bench_terminal: tmux is not installed (apt-get install -y tmux)")

    began = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="bench-terminal-"))
    data = args.data or workdir / "data"
    data.mkdir(parents=True, exist_ok=True)
    print("generating inputs…", flush=True)
    inputs = prepare_inputs(data)
    env = {key: value for key, value in os.environ.items() if not key.startswith(("TMUX", "PEERAGOGY_"))}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.update(TERM="xterm-256color", PYTHONPYCACHEPREFIX=str(workdir / "pycache"), PYTHONPATH=str(REPO), COLORTERM="truecolor")
    python = sys.executable
    peeragogy = str(Path(python).with_name("peeragogy"))
    tmux = Tmux(workdir, env)

    def log(message: str) -> None:
        print(message, flush=True)

    gate = QuietGate(args.wait_quiet, log)
    speed_start, busy_start, load_start = calibrate(), _cpu_busy(), os.getloadavg()[0]
    first = scenarios(inputs, python, peeragogy)
    gaps = gap_scenarios(inputs)
    if args.only:
        wanted = set(args.only.split(","))
        first = [s for s in first if s.baseline or s.name in wanted]
        gaps = [s for s in gaps if s.kind == "bare" or s.name in wanted]
    try:
        print("warm-up: one untimed run of each (bytecode, frontmatter and document caches)", flush=True)
        for scenario in first:
            first_text_once(tmux, scenario, env, workdir)
        for rep in range(args.reps):
            order = first[rep % len(first):] + first[: rep % len(first)]
            for scenario in order:
                gate(per_call=10.0)
                scenario.times.append(first_text_once(tmux, scenario, env, workdir))
            print(f"first text, repetition {rep + 1}/{args.reps}: "
                  + ", ".join(f"{s.name} {s.times[-1]:.0f}" for s in first), flush=True)
        for rep in range(args.gap_reps):
            for scenario in gaps:
                gate(per_call=10.0)
                scenario.runs.append(gap_once(tmux, scenario, env, workdir, python))
                print(f"gaps {scenario.name}: {scenario.runs[-1]['phases']}", flush=True)
    finally:
        tmux.shutdown()
    info = machine_info()
    header = [
        "# Terminal benchmark: exec to text, and event-loop gaps",
        "",
        f"- Date: {info['date']}; commit {info['commit']}",
        f"- Machine: {info['cpu']}, {info['nproc']} CPUs; Python {info['python']}, Textual {info['textual']}, "
        f"Rich {info['rich']}; tmux {subprocess.run(['tmux', '-V'], capture_output=True, text=True).stdout.strip()}",
        f"- Command: `python benchmarks/bench_terminal.py --reps {args.reps} --gap-reps {args.gap_reps}` "
        f"({time.monotonic() - began:.0f} s in all)",
        f"- Machine state: CPU speed check {speed_start:.0f} ms at start, {calibrate():.0f} ms at end (about 84 ms "
        f"when quiet); CPUs {busy_start:.0%} busy from elsewhere at start; load average {load_start:.2f} at start, "
        f"{os.getloadavg()[0]:.2f} at end",
    ]
    text = report(first, gaps, header)
    out = args.out or (None if args.only else RESULTS)  # a partial run never replaces the published results
    if out is not None:
        out.write_text(text, encoding="utf-8")
        (out.with_suffix(".json")).write_text(json.dumps({
            "first_text_ms": {s.name: s.times for s in first},
            "gaps_ms": {s.name: [run["phases"] for run in s.runs] for s in gaps},
        }, indent=1), encoding="utf-8")
    print(text)
    shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
