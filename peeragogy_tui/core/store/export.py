"""Turn stored runs into a JSON document (byte-exact) or a Markdown one (for reading).

JSON keeps every answer exactly as stored. Markdown is a display form: text
passes through :func:`~peeragogy_tui.core.sanitize.strip_control` so that
``cat answers.md`` cannot drive the terminal.
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

from peeragogy_tui.core.sanitize import strip_control
from peeragogy_tui.core.store.base import storable

if TYPE_CHECKING:
    from peeragogy_tui.core.store.records import StoredRun

__all__ = [
    "EXPORT_FORMAT",
    "display_value",
    "export_json",
    "export_markdown",
    "json_text",
    "run_to_dict",
    "scale_text",
]

EXPORT_FORMAT = "peeragogy-answers"
EXPORT_VERSION = 1


def _step(answer: Any) -> dict[str, Any]:
    step = {
        "key": answer.step_key,
        "index": answer.step_index,
        "prompt": answer.prompt,
        "type": answer.step_type,
        "answer": answer.value,
        "skipped": answer.skipped,
    }
    if answer.scale is not None:
        step["scale"] = answer.scale
    return step


def run_to_dict(run: StoredRun) -> dict[str, Any]:
    """One run as plain data, answers as stored (a scale answer also carries its ``scale``)."""
    return {
        "run": run.id,
        "uuid": run.uuid,
        "exercise_id": run.exercise_id,
        "exercise_title": run.exercise_title,
        "status": run.status,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "steps": [_step(answer) for answer in run.answers],
    }


def export_json(
    runs: list[StoredRun], *, exported_at: str, bookmarks: list[dict[str, Any]] | None = None
) -> str:
    """``{"format", "version", "exported_at", "runs": [...], "bookmarks": [...]}`` as indented JSON text."""
    document = {
        "format": EXPORT_FORMAT,
        "version": EXPORT_VERSION,
        "exported_at": exported_at,
        "runs": [run_to_dict(run) for run in runs],
        "bookmarks": list(bookmarks or []),
    }
    return json_text(document) + "\n"


_RAW_IN_JSON = re.compile("[\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""What ``json.dumps(ensure_ascii=False)`` leaves raw but a terminal may act on: DEL, C1, bidi controls."""


def json_text(document: Any) -> str:
    """Indented JSON that is safe to print: the same data, byte-exact once parsed.

    ``json.dumps`` escapes C0 controls but leaves DEL, C1 controls (``\\x9b``
    is CSI) and bidi overrides raw; these become ``\\u`` escapes, valid only
    inside strings, which is the only place they can be. Lone surrogates make
    the whole text ASCII-escaped, as they cannot be written as UTF-8.
    """
    text = json.dumps(document, ensure_ascii=False, indent=2)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(document, ensure_ascii=True, indent=2)
    return _RAW_IN_JSON.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def _shown(text: str) -> str:
    """Control sequences stripped, lone surrogates (kept exactly in the store) as U+FFFD."""
    return strip_control(storable(text))


def scale_text(value: int, scale: dict[str, Any]) -> str:
    """``4 of 5``, with the scale's words: ``5 of 5 (Mostly with peers)`` at an end, both ends between."""
    low, high = scale.get("min"), scale.get("max")
    low_label = strip_control(str(scale.get("min_label") or "")).replace("\n", " ")
    high_label = strip_control(str(scale.get("max_label") or "")).replace("\n", " ")
    text = f"{value} of {high}"
    if value == low and low_label:
        return f"{text} ({low_label})"
    if value == high and high_label:
        return f"{text} ({high_label})"
    ends = [f"{number} = {label}" for number, label in ((low, low_label), (high, high_label)) if label]
    return f"{text} ({' … '.join(ends)})" if ends else text


def display_value(value: Any, step_type: str = "text", scale: dict[str, Any] | None = None) -> str:
    """An answer as plain, safe text for people (not for storage); a scale answer reads "4 of 5 (…)"."""
    if value is None:
        return "(skipped)"
    if step_type == "scale" and scale is not None and isinstance(value, int) and not isinstance(value, bool):
        return scale_text(value, scale)
    if isinstance(value, list):
        if not value:
            return "(none ticked)" if step_type == "checklist" else "(none)"
        return "\n".join(f"- {_shown(str(item))}" for item in value)
    if step_type == "timer":
        return _shown(value) if isinstance(value, str) and value else "(done)"
    return _shown(str(value))


def export_markdown(
    runs: list[StoredRun], *, exported_at: str, bookmarks: list[dict[str, Any]] | None = None
) -> str:
    """A Markdown document with one section per run, then the bookmarks."""
    out = ["# Peeragogy answers", "", f"Exported {exported_at}.", ""]
    if not runs:
        out += ["No answers yet.", ""]
    for run in runs:
        title = strip_control(run.exercise_title).replace("\n", " ")
        out += [f"## {title} (run {run.id})", ""]
        out.append(f"- Exercise: {strip_control(run.exercise_id)}")
        out.append(f"- Status: {run.status.replace('_', ' ')}")
        out.append(f"- Started: {run.started_at}")
        out.append(f"- Finished: {run.finished_at or '-'}")
        out.append("")
        for answer in run.answers:
            out += [f"### {strip_control(answer.prompt).replace(chr(10), ' ')}", ""]
            text = display_value(answer.value, answer.step_type, answer.scale)
            out += [f"> {line}" if line else ">" for line in text.split("\n")]
            out.append("")
    if bookmarks:
        out += ["## Bookmarks", ""]
        for mark in bookmarks:
            title = strip_control(str(mark["chapter_title"])).replace("\n", " ")
            line = f"- {title} (chapter {strip_control(str(mark['chapter_id']))}, line {int(mark['line']) + 1})"
            note = strip_control(str(mark["note"])).replace("\n", " ")
            out.append(f"{line}: {note}" if note else line)
        out.append("")
    return "\n".join(out)
