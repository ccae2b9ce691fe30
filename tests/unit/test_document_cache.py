"""The document shown first: stored with the reading position, read back only if nothing changed."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from peeragogy_tui.core import cache_files
from peeragogy_tui.core.render import parse_document
from peeragogy_tui.core.render.document_cache import StartupDocument

BODY = "# Intro\n\nSome *text* with a [link](other.md).\n\n- a\n- b\n"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    root = tmp_path / "book"
    root.mkdir()
    return root


def test_a_saved_document_is_read_back_equal(book: Path) -> None:
    document = parse_document(BODY)
    StartupDocument(book, "en").save("intro", BODY, document)
    loaded = StartupDocument(book, "en").load("intro", BODY)
    assert loaded == document and loaded is not document


@pytest.mark.parametrize(
    ("chapter_id", "body", "lang"),
    [("intro", BODY + "More.\n", "en"), ("other", BODY, "en"), ("intro", BODY, "fr")],
    ids=["edited", "another-chapter", "another-language"],
)
def test_only_the_same_chapter_and_text_match(book: Path, chapter_id: str, body: str, lang: str) -> None:
    StartupDocument(book, "en").save("intro", BODY, parse_document(BODY))
    assert StartupDocument(book, lang).load(chapter_id, body) is None


def test_only_the_first_load_reads_the_file(book: Path) -> None:
    StartupDocument(book, "en").save("intro", BODY, parse_document(BODY))
    cache = StartupDocument(book, "en")
    assert cache.load("other", "x") is None
    assert cache.load("intro", BODY) is None, "later chapters are parsed, not looked up"


def test_saving_the_same_chapter_again_does_not_rewrite(book: Path) -> None:
    cache = StartupDocument(book, "en")
    cache.save("intro", BODY, parse_document(BODY))
    cache.path.write_text("sentinel", encoding="utf-8")
    cache.save("intro", BODY, parse_document(BODY))
    assert cache.path.read_text(encoding="utf-8") == "sentinel"
    cache.save("other", "# Other\n", parse_document("# Other\n"))
    assert StartupDocument(book, "en").load("other", "# Other\n") == parse_document("# Other\n")


def test_a_loaded_entry_is_not_written_again(book: Path) -> None:
    StartupDocument(book, "en").save("intro", BODY, parse_document(BODY))
    cache = StartupDocument(book, "en")
    document = cache.load("intro", BODY)
    assert document is not None
    cache.path.write_text("sentinel", encoding="utf-8")
    cache.save("intro", BODY, document)
    assert cache.path.read_text(encoding="utf-8") == "sentinel"


def test_a_damaged_entry_is_a_miss_and_gets_replaced(book: Path) -> None:
    StartupDocument(book, "en").save("intro", BODY, parse_document(BODY))
    path = StartupDocument(book, "en").path
    stored = json.loads(path.read_text(encoding="utf-8"))
    stored["data"]["document"]["blocks"] = [["p", ["x", [[0, 5, "md.em"]]]]]
    path.write_text(json.dumps(stored), encoding="utf-8")
    cache = StartupDocument(book, "en")
    assert cache.load("intro", BODY) is None
    cache.save("intro", BODY, parse_document(BODY))
    assert StartupDocument(book, "en").load("intro", BODY) == parse_document(BODY)


@pytest.mark.parametrize(
    "damage",
    [b"", b"{", b"[]", b'{"key": "x", "fingerprint": "y", "data": {}}', b"\xff" * 10],
    ids=["empty", "truncated", "list", "foreign", "binary"],
)
def test_a_damaged_file_is_a_miss(book: Path, damage: bytes) -> None:
    cache = StartupDocument(book, "en")
    cache.save("intro", BODY, parse_document(BODY))
    cache.path.write_bytes(damage)
    assert StartupDocument(book, "en").load("intro", BODY) is None


def test_an_older_parser_is_a_miss(book: Path) -> None:
    cache = StartupDocument(book, "en")
    cache.save("intro", BODY, parse_document(BODY))
    stored = json.loads(cache.path.read_text(encoding="utf-8"))
    stored["fingerprint"] = "0/0.0.1/an older parser"
    cache.path.write_text(json.dumps(stored), encoding="utf-8")
    assert StartupDocument(book, "en").load("intro", BODY) is None


def test_the_file_is_private(book: Path, private_home: Path) -> None:
    cache = StartupDocument(book, "en")
    cache.save("intro", BODY, parse_document(BODY))
    assert cache.path.parent == private_home / cache_files.CACHE_FOLDER
    assert stat.S_IMODE(cache.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(cache.path.parent.stat().st_mode) == 0o700


def test_an_unwritable_data_dir_is_no_error(book: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("PEERAGOGY_HOME", str(blocker / "home"))
    cache = StartupDocument(book, "en")
    cache.save("intro", BODY, parse_document(BODY))
    assert StartupDocument(book, "en").load("intro", BODY) is None
