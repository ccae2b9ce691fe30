"""The authoring loop, measured: ``toc`` and the first screen on a 500-file mdBook book, and the watcher at rest.

Rows (each against a baseline from the same run):

- ``peeragogy --handbook BOOK toc`` and ``ls -R BOOK`` (and, for scale, a bare ``python -c pass``),
  as subprocesses, interleaved (ls, python, toc, first screen, ls, ...), ``--reps`` times
  (default 7) after one warm-up (which fills the frontmatter cache, as any second start finds it);
- the first screen: ``peeragogy --handbook BOOK`` from exec to the first frame that shows
  the chapter (headless, 120x40; the hook is bench_reader's);
- idle CPU: the reader left alone for ``--idle`` seconds (default 60) with live reload on
  and with it off, both at once, CPU time of each whole process over the same window;
- reload latency: a chapter edited ``--reps`` times while the app is open, the seconds
  until the pane shows the edit.

The book (``generate_book``): ``book.toml`` with ``src/SUMMARY.md`` listing 500 chapters in
20 parts of 25 (prefix chapter, part titles, nested folders), each chapter 2-6 KB of
headings, paragraphs with links and emphasis, a footnote, an alert, a list, a code block
and sometimes a table; the same seed gives the same bytes.

Usage: python benchmarks/bench_authoring.py [--reps N] [--idle S] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

from bench_reader import _STARTUP_HOOK  # noqa: E402 - the same first-frame probe as the reader benchmark

WORDS = (
    "learning peer group question answer practice reflect share notes study team project feedback "
    "meeting facilitator pattern session circle coaching conversation harvest round purpose trust "
    "goal plan change assess organise cooperate convene listen explain teach learner everyone"
).split()


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 16))]
    if rng.random() < 0.3:
        words[2] = f"**{words[2]}**"
    if rng.random() < 0.3:
        words[4] = f"[{words[4]}](../part-01/chapter-001.md)"
    return " ".join(words).capitalize() + "."


def generate_book(out: Path, files: int = 500, seed: int = 9) -> Path:
    """An mdBook book of ``files`` Markdown files (SUMMARY.md and the intro included) under ``out``."""
    rng = random.Random(seed)
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    (out / "book.toml").write_text('[book]\ntitle = "Bench"\nsrc = "src"\n', encoding="utf-8")
    summary = ["# Summary", "", "[Introduction](README.md)", ""]
    (src / "README.md").write_text("# Introduction\n\n" + _sentence(rng) + "\n", encoding="utf-8")
    chapters = files - 2
    per_part = 25
    for number in range(chapters):
        part, index = divmod(number, per_part)
        if index == 0:
            summary += ["", f"# Part {part + 1}", ""]
        folder = src / f"part-{part + 1:02d}"
        folder.mkdir(exist_ok=True)
        name = f"chapter-{number + 1:03d}.md"
        body = [f"# Chapter {number + 1}", ""]
        for section in range(rng.randint(2, 5)):
            body += [f"## Section {section + 1}", ""]
            body += [" ".join(_sentence(rng) for _ in range(rng.randint(2, 5))), ""]
            if rng.random() < 0.4:
                body += [f"- {_sentence(rng)}" for _ in range(3)] + [""]
            if rng.random() < 0.3:
                body += ["```text", *(_sentence(rng) for _ in range(3)), "```", ""]
            if rng.random() < 0.15:
                body += ["| a | b |", "|---|---|", *(f"| {rng.choice(WORDS)} | {rng.randint(1, 99)} |" for _ in range(5)), ""]
        body += ["> [!NOTE]", f"> {_sentence(rng)}", "", f"A claim.[^1]", "", f"[^1]: {_sentence(rng)}", ""]
        (folder / name).write_text("\n".join(body), encoding="utf-8")
        indent = "  " if index else ""
        summary.append(f"{indent}- [Chapter {number + 1}](part-{part + 1:02d}/{name})")
    (src / "SUMMARY.md").write_text("\n".join(summary) + "\n", encoding="utf-8")
    return out


FIRST_SCREEN = _STARTUP_HOOK + textwrap.dedent(
    """
    import gc, sys
    gc.disable()
    import textual.app
    _run = textual.app.App.run
    hooked = {}
    def run(self, *args, **kwargs):
        def ready():
            from peeragogy_tui.tui.widgets.document_view import DocumentView
            view = self.screen.query_one(DocumentView)
            return view.layout_result is not None and len(view.lines) > 0
        hooked["seen"] = _hook(self, ready)
        return _run(self, headless=True, size=(120, 40))
    textual.app.App.run = run
    book = sys.argv[2]
    argv, sys.argv = sys.argv, ["peeragogy", "--handbook", book]
    from peeragogy_tui.launch import main
    try:
        main()
    except SystemExit:
        pass
    sys.argv = argv
    _report(hooked.get("seen", {}))
    """
)

IDLE = textwrap.dedent(
    """
    import json, sys, time
    from pathlib import Path
    from peeragogy_tui.core.handbook.watch import HandbookSource
    from peeragogy_tui.tui.app import PeeragogyApp
    out, book, live, seconds = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1", float(sys.argv[4])
    source = HandbookSource(book)
    marks = {}
    class IdleApp(PeeragogyApp):
        CSS_PATH = PeeragogyApp.CSS_PATH if Path(str(PeeragogyApp.CSS_PATH)).is_absolute() else str(
            Path(sys.modules[PeeragogyApp.__module__].__file__).parent / str(PeeragogyApp.CSS_PATH)
        )
        def on_ready(self):  # Textual calls PeeragogyApp.on_ready as well
            self.set_timer(3.0, self.begin)  # settle: first layout, exercises, the watcher's first timeout
        def begin(self):
            marks["watching"] = bool(self.live_reload and self.live_reload.running)
            marks["cpu0"], marks["t0"] = time.process_time(), time.monotonic()
            self.set_timer(seconds, self.finish)
        def finish(self):
            marks["cpu1"], marks["t1"] = time.process_time(), time.monotonic()
            self.exit()
    app = IdleApp(source.load(), restore=False, live_reload=source if live else None)
    app.run(headless=True, size=(120, 40))
    json.dump(marks, open(out, "w"))
    """
)

LATENCY = textwrap.dedent(
    """
    import asyncio, json, sys, time
    from pathlib import Path
    from peeragogy_tui.core.handbook.watch import HandbookSource
    from peeragogy_tui.tui.app import create_app
    out, book, reps = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
    source = HandbookSource(book)
    chapter = book / "src" / "part-01" / "chapter-002.md"
    async def main():
        app = create_app(source.load(), start="part-01/chapter-002", restore=False, live_reload=source)
        seconds = []
        async with app.run_test(size=(120, 40)) as pilot:
            while app.live_reload is None or not app.live_reload.ready.is_set():
                await pilot.pause(0.01)
            view = app.main_screen.document_view
            original = chapter.read_text()
            for rep in range(reps):
                marker = f"edit number {rep} by the author"
                start = time.monotonic()
                chapter.write_text(original.replace("## Section 1", "## Section 1\\n\\n" + marker, 1))
                while not any(marker in line.plain for line in view.lines):
                    await pilot.pause(0.005)
                    if time.monotonic() - start > 30:
                        raise SystemExit("no reload in 30 s")
                seconds.append(time.monotonic() - start)
                await pilot.pause(0.3)
            chapter.write_text(original)
        json.dump({"seconds": seconds}, open(out, "w"))
    asyncio.run(main())
    """
)


def _env(home: Path) -> dict[str, str]:
    env = dict(os.environ, PEERAGOGY_HOME=str(home), PYTHONPATH=str(REPO))
    env.pop("NO_COLOR", None)
    return env


def _timed(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True, timeout=120)
    return time.perf_counter() - start


def _first_screen(book: Path, env: dict[str, str], work: Path) -> float:
    report = work / "first.json"
    start = time.monotonic()
    subprocess.run([sys.executable, "-c", FIRST_SCREEN, str(report), str(book)], env=env, check=True, timeout=120)
    frame = json.loads(report.read_text())["first_frame"]
    if frame is None:
        raise RuntimeError("no first frame with the chapter")
    return frame - start


def _summary(values: list[float]) -> str:
    return f"{statistics.median(values) * 1000:.0f} ms (min {min(values) * 1000:.0f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--reps", type=int, default=7)
    parser.add_argument("--idle", type=float, default=60.0)
    parser.add_argument("--out", type=Path, default=HERE / "authoring_results.md")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-authoring-") as tmp:
        work = Path(tmp)
        book = generate_book(work / "book")
        env = _env(work / "home")
        toc = [sys.executable, "-m", "peeragogy_tui", "--handbook", str(book), "toc"]
        ls = ["ls", "-R", str(book)]
        _timed(toc, env)  # warm-up: frontmatter cache, bytecode
        _first_screen(book, env, work)
        bare = [sys.executable, "-c", "pass"]
        rows: dict[str, list[float]] = {"ls": [], "python": [], "toc": [], "first": []}
        for _ in range(args.reps):  # interleaved, so a busy moment hits them all alike
            rows["ls"].append(_timed(ls, env))
            rows["python"].append(_timed(bare, env))
            rows["toc"].append(_timed(toc, env))
            rows["first"].append(_first_screen(book, env, work))

        latency_out = work / "latency.json"
        subprocess.run([sys.executable, "-c", LATENCY, str(latency_out), str(book), str(args.reps)], env=env, check=True, timeout=600)
        latency = json.loads(latency_out.read_text())["seconds"]

        idle: dict[str, dict[str, float]] = {}
        processes = []
        script = work / "idle_child.py"  # a file: Textual finds an app class's stylesheet beside its source
        script.write_text(IDLE, encoding="utf-8")
        for live in ("1", "0"):
            out = work / f"idle-{live}.json"
            processes.append((live, out, subprocess.Popen([sys.executable, str(script), str(out), str(book), live, str(args.idle)], env=env)))
        for live, out, process in processes:
            process.wait(timeout=args.idle + 120)
            idle[live] = json.loads(out.read_text())
    cpu = {live: marks["cpu1"] - marks["cpu0"] for live, marks in idle.items()}
    wall = {live: marks["t1"] - marks["t0"] for live, marks in idle.items()}
    assert idle["1"]["watching"] and not idle["0"]["watching"], idle
    median = statistics.median
    lines = [
        "| measurement | ours | baseline, same run |",
        "|---|---|---|",
        f"| `toc`, 500-file mdBook book (process start to exit) | {_summary(rows['toc'])} | `ls -R` {_summary(rows['ls'])} "
        f"({median(rows['toc']) / median(rows['ls']):.0f}×); a bare `python -c pass` {_summary(rows['python'])} |",
        f"| first screen of it (`peeragogy --handbook BOOK`, exec to the chapter's first frame) | {_summary(rows['first'])} | `ls -R` {_summary(rows['ls'])} |",
        f"| an edit shows in the open chapter (live reload) | {_summary(latency)}, max {max(latency) * 1000:.0f} ms | target < 1 s |",
        f"| idle CPU over {args.idle:.0f} s, live reload on | {cpu['1'] * 1000:.0f} ms CPU ({100 * cpu['1'] / wall['1']:.2f} % of a core) | "
        f"reader without the watcher {cpu['0'] * 1000:.0f} ms ({100 * cpu['0'] / wall['0']:.2f} %) |",
    ]
    header = (
        f"Measured by `benchmarks/bench_authoring.py` on {os.cpu_count()} CPUs, {args.reps} interleaved repetitions "
        f"(median, min); load average {os.getloadavg()[0]:.2f} at the end.\n\n"
    )
    table = header + "\n".join(lines) + "\n"
    args.out.write_text(table, encoding="utf-8")
    print(table)


if __name__ == "__main__":
    main()
