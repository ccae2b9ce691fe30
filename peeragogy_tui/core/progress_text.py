"""The progress report as plain lines: for ``peeragogy progress`` and the progress screen.

Nothing depends on colour: bars are block characters with the numbers beside
them, and the weekly chart prints its counts. Titles come from handbook files,
so they pass through :func:`~peeragogy_tui.core.sanitize.strip_control`.
"""

from __future__ import annotations

from peeragogy_tui.core.progress import ProgressReport, activity_chart, format_duration, progress_bar
from peeragogy_tui.core.sanitize import strip_control

__all__ = ["progress_lines"]

_STATUS_MARK = {"done": "●", "in_progress": "◐", "new": "○"}
_STATUS_WORD = {"done": "done", "in_progress": "in progress", "new": "not started"}


def _cut(text: str, width: int) -> str:
    text = strip_control(text).replace("\n", " ")
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _percent(fraction: float) -> str:
    return f"{round(100 * fraction):>3}%"


def _chart_lines(report: ProgressReport) -> list[str]:
    total = sum(week.answers for week in report.weeks)
    lines = [f"Reflection: answers per week, last {len(report.weeks)} weeks ({total} in all)"]
    if total:
        lines += ["  " + line for line in activity_chart(report.weeks)]
    else:
        lines.append("  No answers yet: press e in the reader to start an exercise.")
    return lines


def progress_lines(report: ProgressReport, *, width: int = 80, detail: bool = True) -> list[str]:
    """The report as lines at most ``width`` wide (at least 40); ``detail`` adds a row per chapter.

    The totals, the weekly chart and one row per part come first, so that
    they fit on one 80×24 screen; the chapters and exercises follow.
    """
    width = max(width, 40)
    bar = 16 if width >= 60 else 10
    total = len(report.chapters)
    lines = [
        f"Chapters read   {progress_bar(report.chapters_read, total, bar)} "
        f"{report.chapters_read} of {total} · {format_duration(report.seconds)} reading",
        f"Exercises done  {progress_bar(report.exercises_done, len(report.exercises), bar)} "
        f"{report.exercises_done} of {len(report.exercises)}",
        "",
        *_chart_lines(report),
        "",
        "By part",
    ]
    name_width = max(width - bar - 30, 12)
    for part in report.parts:
        lines.append(
            f"  {_cut(part.name, name_width):<{name_width}} {progress_bar(part.read, len(part.chapters), bar)}"
            f" {part.read:>2}/{len(part.chapters):<2} {format_duration(part.seconds):>9}"
        )
    if detail:
        lines += ["", "Chapters  (✓ read  · started)"]
        title_width = name_width + 16
        for part in report.parts:
            lines.append(f"  {_cut(part.name, width - 2)}")
            for chapter in part.chapters:
                mark = "✓" if chapter.read else ("·" if chapter.started else " ")
                lines.append(
                    f"    {mark} {_cut(chapter.title, title_width):<{title_width}} "
                    f"furthest {_percent(chapter.furthest)} {format_duration(chapter.seconds):>9}"
                )
    lines += ["", "Exercises  (● done  ◐ in progress  ○ not started)"]
    title_width = min(max((len(e.title) for e in report.exercises), default=0), width - 20)
    for exercise in report.exercises:
        status = _STATUS_WORD.get(exercise.status, exercise.status)
        mark = _STATUS_MARK.get(exercise.status, "○")
        lines.append(f"  {mark} {_cut(exercise.title, title_width):<{title_width}}  {status}")
    if not report.exercises:
        lines.append("  No exercises go with this handbook.")
    return lines
