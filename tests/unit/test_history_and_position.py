"""Back/forward history, and the saved reading position (private files, damaged JSON set aside)."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from peeragogy_tui import paths
from peeragogy_tui.core.history import History, Location
from peeragogy_tui.core.reading_state import ReadingPosition, load_position, save_position

# --- History -----------------------------------------------------------------------------------


def visit_all(history: History, *chapters: str) -> list[Location]:
    locations = [Location(chapter) for chapter in chapters]
    for location in locations:
        history.visit(location)
    return locations


def test_empty_history() -> None:
    history = History()
    assert history.current is None
    assert not history.can_go_back and not history.can_go_forward
    assert history.back() is None and history.forward() is None
    history.update_current(Location("a", 3))
    assert history.current is None


def test_back_and_forward() -> None:
    history = History()
    a, b, c = visit_all(history, "a", "b", "c")
    assert history.current == c
    assert history.can_go_back and not history.can_go_forward
    assert history.back() == b
    assert history.back() == a
    assert history.back() is None
    assert history.current == a
    assert not history.can_go_back and history.can_go_forward
    assert history.forward() == b
    assert history.forward() == c
    assert history.forward() is None
    assert history.current == c


def test_visit_after_back_drops_forward() -> None:
    history = History()
    a, b, c = visit_all(history, "a", "b", "c")
    history.back()
    history.back()
    d = Location("d")
    history.visit(d)
    assert history.current == d
    assert not history.can_go_forward
    assert history.forward() is None
    assert history.back() == a
    assert history.forward() == d


def test_visiting_the_current_location_again_is_not_a_new_entry() -> None:
    history = History()
    a, b = visit_all(history, "a", "b")
    history.visit(b)
    assert history.back() == a
    assert history.back() is None


def test_same_chapter_different_block_is_a_new_entry() -> None:
    history = History()
    history.visit(Location("a", 0))
    history.visit(Location("a", 7))
    assert history.back() == Location("a", 0)


def test_update_current_only_touches_the_same_chapter() -> None:
    history = History()
    visit_all(history, "a", "b")
    history.update_current(Location("b", 12))
    assert history.current == Location("b", 12)
    history.update_current(Location("a", 5))
    assert history.current == Location("b", 12)
    assert history.back() == Location("a", 0)
    assert history.forward() == Location("b", 12)


@pytest.mark.parametrize("limit", [1, 3, 10])
def test_limit_keeps_the_newest(limit: int) -> None:
    history = History(limit=limit)
    names = [f"c{n}" for n in range(limit + 5)]
    visit_all(history, *names)
    seen = [history.current.chapter_id]
    while (location := history.back()) is not None:
        seen.append(location.chapter_id)
    assert seen == list(reversed(names))[:limit]
    forward = []
    while (location := history.forward()) is not None:
        forward.append(location.chapter_id)
    assert forward == names[-limit + 1 :] if limit > 1 else forward == []


# --- Reading position ----------------------------------------------------------------------------


def test_position_round_trip(tmp_path: Path, private_home: Path) -> None:
    root = tmp_path / "book"
    root.mkdir()
    assert load_position(root, "en") is None
    position = ReadingPosition("chapter-two", block=5, line=42)
    save_position(root, "en", position)
    assert load_position(root, "en") == position
    assert load_position(root, "fr") is None
    assert load_position(tmp_path / "other", "en") is None
    save_position(root, "fr", ReadingPosition("intro"))
    save_position(root, "en", ReadingPosition("chapter-three", 1, 2))
    assert load_position(root, "en") == ReadingPosition("chapter-three", 1, 2)
    assert load_position(root, "fr") == ReadingPosition("intro", 0, 0)
    assert (private_home / "reading.json").is_file()


def test_a_table_row_is_kept_and_a_bad_one_ignored(tmp_path: Path, private_home: Path) -> None:
    root = tmp_path / "book"
    root.mkdir()
    save_position(root, "en", ReadingPosition("attendance", 2, 900, row=420))
    assert load_position(root, "en") == ReadingPosition("attendance", 2, 900, 420)
    stored = json.loads((private_home / "reading.json").read_text(encoding="utf-8"))
    for bad in (-3, "12", True, 1.5):
        (entry,) = stored.values()
        entry["row"] = bad
        (private_home / "reading.json").write_text(json.dumps(stored), encoding="utf-8")
        assert load_position(root, "en") == ReadingPosition("attendance", 2, 900, None)


def test_position_keyed_by_resolved_path(tmp_path: Path) -> None:
    root = tmp_path / "book"
    (root / "sub").mkdir(parents=True)
    save_position(root / "sub" / "..", "en", ReadingPosition("x", 1))
    assert load_position(root, "en") == ReadingPosition("x", 1)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_position_file_and_dir_are_private(tmp_path: Path, private_home: Path) -> None:
    assert not private_home.exists()
    save_position(tmp_path, "en", ReadingPosition("a"))
    assert stat.S_IMODE(private_home.stat().st_mode) == 0o700
    assert stat.S_IMODE((private_home / "reading.json").stat().st_mode) == 0o600
    private_home.chmod(0o755)
    save_position(tmp_path, "en", ReadingPosition("b"))
    assert stat.S_IMODE(private_home.stat().st_mode) == 0o700, "an existing data dir is tightened"
    assert stat.S_IMODE((private_home / "reading.json").stat().st_mode) == 0o600
    assert [p.name for p in private_home.iterdir()] == ["reading.json"], "no temp files left behind"


@pytest.mark.parametrize(
    "damage",
    [b"{not json", b"", b"\xff\xfe\x00garbage", b'{"a": ', "{\"k\": \"caf\u00e9\"".encode("latin-1")],
)
def test_damaged_file_is_set_aside(tmp_path: Path, private_home: Path, damage: bytes) -> None:
    private_home.mkdir()
    state = private_home / "reading.json"
    state.write_bytes(damage)
    assert load_position(tmp_path, "en") is None
    assert not state.exists()
    kept = list(private_home.glob("reading.json.damaged-*"))
    assert len(kept) == 1
    assert kept[0].read_bytes() == damage, "the damaged file is renamed, not deleted"
    save_position(tmp_path, "en", ReadingPosition("fresh"))
    assert load_position(tmp_path, "en") == ReadingPosition("fresh")
    assert kept[0].exists()


@pytest.mark.parametrize(
    "content",
    [
        [1, 2, 3],
        "just a string",
        {"KEY": {"chapter": 7}},
        {"KEY": {"chapter": "ok", "block": "x", "line": None}},
        {"KEY": "not a dict"},
    ],
)
def test_unexpected_shapes_do_not_crash(tmp_path: Path, private_home: Path, content: object) -> None:
    key = f"{tmp_path.resolve()}#en"
    text = json.dumps(content).replace("KEY", key.replace("\\", "\\\\"))
    private_home.mkdir()
    (private_home / "reading.json").write_text(text)
    position = load_position(tmp_path, "en")
    if isinstance(content, dict) and isinstance(content.get("KEY"), dict) and content["KEY"].get("chapter") == "ok":
        assert position == ReadingPosition("ok", 0, 0)
    else:
        assert position is None
    save_position(tmp_path, "en", ReadingPosition("again", 3))
    assert load_position(tmp_path, "en") == ReadingPosition("again", 3)


def test_data_dir_override_wins(tmp_path: Path, private_home: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    paths.set_data_dir_override(elsewhere)
    save_position(tmp_path, "en", ReadingPosition("z"))
    assert (elsewhere / "reading.json").is_file()
    assert not private_home.exists()


def test_position_of_the_bundled_handbook_is_keyed_by_identity_and_old_keys_migrate(private_home: Path) -> None:
    import json

    from peeragogy_tui.core.handbook import load_handbook
    from peeragogy_tui.paths import bundled_handbook_dir

    root = load_handbook(bundled_handbook_dir(), "en").root
    private_home.mkdir(parents=True, exist_ok=True)
    old = {f"{root.resolve()}#en": {"chapter": "principles", "block": 4, "line": 30}}
    (private_home / "reading.json").write_text(json.dumps(old), "utf-8")
    assert load_position(root, "en") == ReadingPosition("principles", 4, 30)  # an old file still works
    save_position(root, "en", ReadingPosition("convening", 1, 2))
    saved = json.loads((private_home / "reading.json").read_text("utf-8"))
    assert list(saved) == ["bundled#en"]  # keyed by identity; the old path key is gone
    assert load_position(root, "en") == ReadingPosition("convening", 1, 2)
