"""Progress a reader can see: chapters read, exercises done, reflection over the weeks.

Pure: it takes what the stores hold and the handbook's chapters, and returns
a :class:`ProgressReport`; :func:`activity_chart` draws answers per week with
block characters and numbers, so it reads without colour and at 80 columns.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

__all__ = [
    "READ_THRESHOLD",
    "ChapterProgress",
    "ExerciseProgress",
    "PartProgress",
    "ProgressReport",
    "WeekActivity",
    "activity_chart",
    "build_progress",
    "collect_progress",
    "parts_from_tree",
    "format_duration",
    "progress_bar",
]

READ_THRESHOLD = 0.9
"""A chapter counts as read once its furthest point reaches 90%."""

_NO_PART = "Other chapters"
_BARS = " ▁▂▃▄▅▆▇█"


@dataclass(frozen=True)
class ChapterProgress:
    chapter_id: str
    title: str
    part: str
    seconds: float
    furthest: float

    @property
    def read(self) -> bool:
        return self.furthest >= READ_THRESHOLD

    @property
    def started(self) -> bool:
        return self.furthest > 0 or self.seconds > 0


@dataclass(frozen=True)
class PartProgress:
    """A part of the handbook (for ours: a lifecycle phase or a group of formats)."""

    name: str
    chapters: tuple[ChapterProgress, ...]

    @property
    def read(self) -> int:
        return sum(1 for chapter in self.chapters if chapter.read)

    @property
    def seconds(self) -> float:
        return sum(chapter.seconds for chapter in self.chapters)


@dataclass(frozen=True)
class ExerciseProgress:
    exercise_id: str
    title: str
    status: str  # "new", "in_progress" or "done"


@dataclass(frozen=True)
class WeekActivity:
    start: date  # the Monday
    answers: int


@dataclass(frozen=True)
class ProgressReport:
    parts: tuple[PartProgress, ...]
    exercises: tuple[ExerciseProgress, ...]
    weeks: tuple[WeekActivity, ...]
    chapters: tuple[ChapterProgress, ...] = field(default=())

    @property
    def chapters_read(self) -> int:
        return sum(1 for chapter in self.chapters if chapter.read)

    @property
    def seconds(self) -> float:
        return sum(chapter.seconds for chapter in self.chapters)

    @property
    def exercises_done(self) -> int:
        return sum(1 for exercise in self.exercises if exercise.status == "done")

    def to_dict(self) -> dict[str, object]:
        """Plain data for ``progress --json``."""
        return {
            "chapters": {"read": self.chapters_read, "total": len(self.chapters), "seconds": round(self.seconds)},
            "parts": [
                {
                    "name": part.name,
                    "read": part.read,
                    "total": len(part.chapters),
                    "seconds": round(part.seconds),
                    "chapters": [
                        {
                            "id": chapter.chapter_id,
                            "title": chapter.title,
                            "seconds": round(chapter.seconds),
                            "furthest": round(chapter.furthest, 3),
                            "read": chapter.read,
                        }
                        for chapter in part.chapters
                    ],
                }
                for part in self.parts
            ],
            "exercises": {
                "done": self.exercises_done,
                "in_progress": sum(1 for e in self.exercises if e.status == "in_progress"),
                "total": len(self.exercises),
                "items": [{"id": e.exercise_id, "title": e.title, "status": e.status} for e in self.exercises],
            },
            "weeks": [{"week": week.start.isoformat(), "answers": week.answers} for week in self.weeks],
        }


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _local_day(stamp: str) -> date | None:
    try:
        moment = datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone()
    return moment.date()


def build_progress(
    chapters: Iterable[tuple[str, str, str | None]],
    reading: Mapping[str, tuple[float, float]],
    exercises: Iterable[tuple[str, str]],
    statuses: Mapping[str, str],
    answer_times: Iterable[str],
    *,
    today: date,
    weeks: int = 12,
) -> ProgressReport:
    """Put the pieces together.

    ``chapters`` are ``(id, title, part)`` in reading order; ``reading`` maps a
    chapter id to ``(seconds, furthest)``; ``exercises`` are ``(id, title)``;
    ``statuses`` maps an exercise id to its status; ``answer_times`` are the
    ISO times of saved answers. The last ``weeks`` weeks end with this one.
    """
    rows: list[ChapterProgress] = []
    for chapter_id, title, part in chapters:
        seconds, furthest = reading.get(chapter_id, (0.0, 0.0))
        rows.append(ChapterProgress(chapter_id, title, part or _NO_PART, seconds, furthest))
    grouped: dict[str, list[ChapterProgress]] = {}
    for row in rows:
        grouped.setdefault(row.part, []).append(row)
    parts = tuple(PartProgress(name, tuple(items)) for name, items in grouped.items())
    done = tuple(ExerciseProgress(eid, title, statuses.get(eid, "new")) for eid, title in exercises)
    this_week = _monday(today)
    first = this_week - timedelta(weeks=weeks - 1)
    counts = {first + timedelta(weeks=n): 0 for n in range(weeks)}
    for stamp in answer_times:
        day = _local_day(stamp)
        if day is not None and first <= _monday(day) <= this_week:
            counts[_monday(day)] += 1
    return ProgressReport(parts, done, tuple(WeekActivity(start, n) for start, n in counts.items()), tuple(rows))


def format_duration(seconds: float) -> str:
    """``0 min``, ``7 min``, ``1 h 05 min``."""
    minutes = int(round(seconds / 60))
    if minutes < 60:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """``[██████░░░░]``-style bar that reads without colour."""
    if total <= 0:
        return "[" + "·" * width + "]"
    filled = round(width * done / total)
    return "[" + "█" * filled + "░" * (width - filled) + "]"


def _short(count: int) -> str:
    return str(count) if count < 1000 else f"{count // 1000}k"


def activity_chart(weeks: Sequence[WeekActivity], *, height: int = 4) -> list[str]:
    """Answers per week as rows of block characters, the busiest week ``height`` rows tall.

    Each week is a column four characters wide; under the bars come the
    count, the Monday's day of the month and the month where it changes, so
    the chart gives its numbers without colour. Twelve weeks fit in 48 columns.
    """
    if not weeks:
        return []
    peak = max(week.answers for week in weeks)
    steps = len(_BARS) - 1
    lines: list[str] = []
    for row in range(height, 0, -1):
        cells = []
        for week in weeks:
            level = week.answers * height * steps / peak if peak else 0
            eighths = int(round(min(max(level - (row - 1) * steps, 0), steps)))
            if week.answers and row == 1:
                eighths = max(eighths, 1)  # any activity shows, however small beside the peak
            cells.append(_BARS[eighths] * 3 + " ")
        lines.append("".join(cells).rstrip())
    lines.append("".join(f"{_short(week.answers):>3} " for week in weeks).rstrip())
    lines.append("".join(f"{week.start.day:>3} " for week in weeks).rstrip())
    months, previous = [], None
    for week in weeks:
        months.append(week.start.strftime("%b") + " " if week.start.month != previous else "    ")
        previous = week.start.month
    lines.append("".join(months).rstrip())
    return lines


def parts_from_tree(handbook) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    """``chapter_id -> title of the top-level part it sits in`` (``None`` outside any part), from the tree.

    The tree is what the reader shows (a SUMMARY's part titles, folders, or
    frontmatter ``part``), so progress groups chapters the way the tree does.
    """
    found: dict[str, str | None] = {}

    def walk(nodes, part):  # type: ignore[no-untyped-def]
        for node in nodes:
            if node.chapter is not None:
                found.setdefault(node.chapter.id, part)
            inner = node.title if part is None and node.chapter is None and node.kind == "part" else part
            walk(node.children, inner)

    walk(handbook.tree, None)
    return found


def collect_progress(handbook, exercises, reading_store, statuses, *, today: date) -> ProgressReport:  # type: ignore[no-untyped-def]
    """The report for one open handbook: its chapters, the exercises that go with it, the stores' data.

    ``handbook`` is a :class:`~peeragogy_tui.core.handbook.Handbook`,
    ``exercises`` an iterable of exercises (``id``, ``title``, ``chapters``);
    only those tied to a chapter of this handbook count. ``reading_store`` is
    a :class:`~peeragogy_tui.core.store.reading.ReadingStore` or ``None`` when
    nothing has been stored yet, ``statuses`` the answer store's
    ``exercise_id -> status``.
    """
    from peeragogy_tui.core.handbook.identity import handbook_key

    key = handbook_key(handbook.root, handbook.lang)
    reading = reading_store.reading(key) if reading_store is not None else {}
    times = reading_store.answer_times() if reading_store is not None else []
    parts = parts_from_tree(handbook)
    ours = [e for e in exercises if any(handbook.get(chapter_id) is not None for chapter_id in e.chapters)]
    return build_progress(
        ((c.id, c.title, parts.get(c.id, c.part)) for c in handbook.chapters),
        {chapter_id: (entry.seconds, entry.furthest) for chapter_id, entry in reading.items()},
        ((exercise.id, exercise.title) for exercise in ours),
        statuses,
        times,
        today=today,
    )
