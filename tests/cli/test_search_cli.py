"""``peeragogy search`` through Typer's CliRunner."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from peeragogy_tui.cli import app
from peeragogy_tui.core.store import open_store

runner = CliRunner()
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    moment = path.stat().st_mtime - 3600
    os.utime(path, (moment, moment))


@pytest.fixture()
def handbook(tmp_path: Path) -> Path:
    root = tmp_path / "hb"
    write(
        root / "cafe.md",
        "---\ntitle: Knowledge Café\n---\n\nHost a café in \x1b[31mthree\x1b[0m rounds.\n",
    )
    write(
        root / "rounds.md",
        "---\ntitle: Rounds\n---\n\nEach round of the café lasts twenty minutes.\n",
    )
    for number in range(6):
        write(
            root / f"other-{number}.md",
            f"---\ntitle: Other {number}\n---\n\nA café mention, number {number}.\n",
        )
    return root


def search(handbook: Path, *args: str) -> Result:
    return runner.invoke(app, ["--handbook", str(handbook), "search", *args])


def test_plain_output_lists_title_id_and_snippet(handbook: Path) -> None:
    result = search(handbook, "knowledge", "cafe")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Knowledge Café  (cafe)"
    assert "café" in lines[1] and lines[1].startswith("    ")
    assert not CONTROL.search(result.stdout)


def test_json_is_a_list_best_first(handbook: Path) -> None:
    result = search(handbook, "café", "--json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert rows[0]["chapter"] == "cafe" and rows[0]["title"] == "Knowledge Café"
    assert len(rows) == 8
    assert {"chapter", "title", "snippet", "score"} <= set(rows[0])
    assert [row["score"] for row in rows] == sorted((row["score"] for row in rows), reverse=True)
    assert all(not CONTROL.search(row["snippet"]) for row in rows)
    assert "three rounds" in rows[0]["snippet"]


def test_limit_caps_the_hits(handbook: Path) -> None:
    result = search(handbook, "cafe", "--json", "--limit", "3")
    assert [row["chapter"] for row in json.loads(result.stdout)][:1] == ["cafe"]
    assert len(json.loads(result.stdout)) == 3
    plain = search(handbook, "cafe", "-n", "2")
    assert plain.stdout.count("  (") == 2


@pytest.mark.parametrize("query", ['"', "*", "(", "AND", "NEAR(", "-x", "title:", "^", '"café'])
def test_malformed_queries_exit_zero(handbook: Path, query: str) -> None:
    result = search(handbook, query)
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    as_json = search(handbook, query, "--json")
    assert as_json.exit_code == 0 and isinstance(json.loads(as_json.stdout), list)


def test_nothing_to_search_for_prints_a_note(handbook: Path) -> None:
    result = search(handbook, "*")
    assert result.stdout.strip().startswith("nothing to search for")
    assert search(handbook, "zzzqqq").stdout.strip() == "No matches for 'zzzqqq'."


def test_answers_are_searched_with_the_flag(handbook: Path) -> None:
    with open_store() as store:
        run = store.start_run("knowledge-cafe", "Host a Knowledge Café")
        store.save_answer(
            run, "insight", "The harvest was full of pangolins.", step_index=0, prompt="Insight?"
        )
    rows = json.loads(search(handbook, "--answers", "pangolin*", "--json").stdout)
    assert [(row["run"], row["prompt"]) for row in rows] == [(run, "Insight?")]
    plain = search(handbook, "pangolins", "--answers")
    assert "Host a Knowledge Café" in plain.stdout and "pangolins" in plain.stdout
    assert json.loads(search(handbook, "pangolins", "--json").stdout) == []


def test_a_missing_handbook_is_a_clean_error(tmp_path: Path) -> None:
    result = search(tmp_path / "nowhere", "x")
    assert result.exit_code == 2
    assert result.stderr.startswith("peeragogy: error: ") and "Traceback" not in result.output


def test_search_has_help() -> None:
    result = runner.invoke(app, ["search", "--help"])
    assert result.exit_code == 0 and "--answers" in result.stdout and "--limit" in result.stdout
