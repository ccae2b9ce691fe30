"""The authoring loop on the command line (issue 9): options after the command, check where the author is, read by path."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from peeragogy_tui.cli import app

runner = CliRunner()
BOOKS = Path(__file__).resolve().parent.parent / "fixtures" / "books"


def invoke(*args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args))


@pytest.fixture
def in_folder(tmp_path: Path) -> Iterator[Path]:
    before = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(before)


# --- Options where people type them -----------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ["toc", "--handbook", str(BOOKS / "jekyll")],
        ["toc", f"--handbook={BOOKS / 'jekyll'}"],
        ["--handbook", str(BOOKS / "jekyll"), "toc"],
        ["toc", "--json", "--handbook", str(BOOKS / "jekyll")],
    ],
)
def test_handbook_option_before_or_after_the_command(args: list[str]) -> None:
    result = invoke(*args)
    assert result.exit_code == 0, result.output
    assert "Getting started" in result.stdout


def test_lang_and_exercises_after_the_command() -> None:
    spanish = invoke("toc", "--lang", "es")
    assert spanish.exit_code == 0, spanish.output
    assert "Primeros pasos" in spanish.stdout
    listed = invoke("exercises", "list", "--lang", "es")
    assert listed.exit_code == 0, listed.output
    assert "autoevaluación" in listed.stdout


def test_data_dir_after_the_command(tmp_path: Path) -> None:
    result = invoke("answers", "list", "--data-dir", str(tmp_path / "data"))
    assert result.exit_code == 0, result.output


def test_a_commands_own_option_stays_its_own(tmp_path: Path) -> None:
    """``check --handbook`` is check's option: the same folder either way, and nothing is lost."""
    result = invoke("check", "--handbook", str(BOOKS / "mdbook"))
    assert result.exit_code == 0, result.output
    assert "(9 chapters, 0 exercises)" in result.stderr


def test_words_after_double_dash_are_left_alone() -> None:
    result = invoke("read", "--", "--handbook")
    assert result.exit_code == 2
    assert "no chapter '--handbook'" in " ".join(result.stderr.split())


# --- check where the author is ----------------------------------------------------------------


def test_check_without_flags_checks_the_authors_folders(in_folder: Path) -> None:
    (in_folder / "handbook" / "en").mkdir(parents=True)
    (in_folder / "handbook" / "en" / "a.md").write_text("# A\n\n[gone](gone.md)\n", encoding="utf-8")
    (in_folder / "exercises" / "en").mkdir(parents=True)
    (in_folder / "docs").mkdir()
    for where in (in_folder, in_folder / "docs", in_folder / "handbook" / "en"):
        os.chdir(where)
        result = invoke("check")
        assert result.exit_code == 1, result.output
        assert "a.md:3: broken link 'gone.md'" in result.stdout
        message = " ".join(result.stderr.split())
        assert "found from the working directory" in message
        shown = "handbook" if where == in_folder else str((in_folder / "handbook").resolve())
        assert f"Checked {shown} and " in message


def test_check_elsewhere_says_it_checked_the_installed_copy(in_folder: Path) -> None:
    result = invoke("check")
    assert result.exit_code == 0, result.output
    assert "the installed copy" in " ".join(result.stderr.split())


def test_check_counts_outside_links_once_and_strict_lists_them() -> None:
    result = invoke("check", "--handbook", str(BOOKS / "mdbook"))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "2 links point outside the handbook" in " ".join(result.stderr.split())
    strict = invoke("check", "--strict", "--handbook", str(BOOKS / "mdbook"))
    assert strict.exit_code == 1
    assert len(strict.stdout.splitlines()) == 2
    assert all("points outside the handbook folder" in line for line in strict.stdout.splitlines())
    rows = json.loads(invoke("check", "--json", "--strict", "--handbook", str(BOOKS / "mdbook")).stdout)
    assert len(rows) == 2


# --- read by file path ------------------------------------------------------------------------


def test_read_a_file_path_relative_to_the_working_directory(in_folder: Path) -> None:
    shutil.copytree(BOOKS / "mdbook", in_folder / "book")
    result = invoke("read", "--plain", "book/src/setext.md")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Setext title")


def test_read_a_translated_file_by_path_uses_its_language(in_folder: Path) -> None:
    (in_folder / "handbook" / "en").mkdir(parents=True)
    (in_folder / "handbook" / "es").mkdir()
    (in_folder / "exercises").mkdir()
    (in_folder / "handbook" / "en" / "a.md").write_text("# English\n", encoding="utf-8")
    (in_folder / "handbook" / "es" / "a.md").write_text("# Español\n\nHola.\n", encoding="utf-8")
    result = invoke("read", "--plain", "handbook/es/a.md")
    assert result.exit_code == 0, result.output
    assert "Hola." in result.stdout


def test_toc_json_marks_english_fallbacks() -> None:
    rows = json.loads(invoke("toc", "--json", "--lang", "es").stdout)
    by_id = {row["id"]: row for row in rows}
    assert by_id["convening"]["fallback"] is False and by_id["convening"]["lang"] == "es"
    assert by_id["organizing"]["fallback"] is True and by_id["organizing"]["lang"] == "en"
