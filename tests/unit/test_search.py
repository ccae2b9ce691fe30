"""The search index: ranking, query syntax, accents, incremental updates, answers."""

from __future__ import annotations

import os
import random
import stat
from pathlib import Path

import pytest

from peeragogy_tui.core.handbook import load_handbook
from peeragogy_tui.core.search import (
    ParsedQuery,
    SearchResult,
    find_matches,
    index_for,
    parse_query,
    search_answers,
    snippet_spans,
    sync,
)
from peeragogy_tui.core.store import open_store
from peeragogy_tui.errors import PeeragogyError

CONTROL = "\x1b[31m\x07\x9b2J"
VOCABULARY = [
    "group",
    "learning",
    "question",
    "answer",
    "practice",
    "reflect",
    "share",
    "notes",
    "garden",
    "study",
    "team",
    "project",
    "feedback",
    "meeting",
    "pattern",
    "roadmap",
    "session",
    "circle",
    "coaching",
    "conversation",
    "harvest",
    "round",
    "table",
    "purpose",
]


def write(path: Path, text: str, *, past: bool = True) -> Path:
    """Write ``text``; date it an hour back so the index does not treat it as freshly written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    if past:
        backdate(path)
    return path


def backdate(path: Path, seconds: int = 3600) -> None:
    moment = path.stat().st_mtime - seconds
    os.utime(path, (moment, moment))


def chapter(title: str, body: str) -> str:
    return f"---\ntitle: {title}\n---\n\n{body}\n"


def generated(root: Path, count: int, seed: int) -> Path:
    """A handbook of ``count`` chapters of random words, some nested in folders."""
    rng = random.Random(seed)
    for number in range(count):
        folder = root / f"part-{number % 3}" / ("deep" if number % 5 == 0 else "")
        words = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(80, 160)))
        write(folder / f"chapter-{number:03d}.md", chapter(f"Chapter {number}", words))
    return root


def open_index(root: Path, lang: str | None = None):  # type: ignore[no-untyped-def]
    return index_for(root, lang, include_exercises=False)


def ids(result: SearchResult) -> list[str]:
    return [hit.chapter_id for hit in result]


# --------------------------------------------------------------------------- ranking


@pytest.mark.parametrize("seed,target", [(1, 7), (2, 19), (3, 33)])
def test_a_planted_token_finds_its_chapter_first(tmp_path: Path, seed: int, target: int) -> None:
    root = generated(tmp_path / "hb", 40, seed)
    planted = next(root.rglob(f"chapter-{target:03d}.md"))
    write(planted, planted.read_text() + "\nzanzibarite " * 4)
    for other in (3, 11, 29):
        path = next(root.rglob(f"chapter-{other:03d}.md"))
        write(path, path.read_text() + "\na single zanzibarite here\n")
    handbook = load_handbook(root)
    with open_index(root) as index:
        result = index.search("zanzibarite")
    assert len(result) == 4
    assert result[0].chapter_id == handbook.by_path[planted.resolve()].id
    assert [hit.score for hit in result] == sorted((hit.score for hit in result), reverse=True)


def test_a_title_outranks_body_text(tmp_path: Path) -> None:
    write(
        tmp_path / "a-body.md",
        chapter("Walking", "Zebra crossings. A zebra here, a zebra there, zebra everywhere."),
    )
    write(
        tmp_path / "b-title.md",
        chapter("Zebra crossings", "How to cross roads safely with others. " * 3),
    )
    write(tmp_path / "c-none.md", chapter("Other", "Nothing to see."))
    with open_index(tmp_path) as index:
        assert ids(index.search("zebra")) == ["b-title", "a-body"]


def test_a_heading_outranks_body_text(tmp_path: Path) -> None:
    write(
        tmp_path / "a.md",
        chapter("One", "Text about gardens and a quokka, quokka, quokka.\n\nMore text."),
    )
    write(
        tmp_path / "b.md",
        chapter("Two", "Intro.\n\n## Meeting a quokka\n\nText about other animals entirely."),
    )
    with open_index(tmp_path) as index:
        assert ids(index.search("quokka")) == ["b", "a"]


# --------------------------------------------------------------------------- query syntax


@pytest.fixture()
def small(tmp_path: Path) -> Path:
    write(tmp_path / "cafe.md", chapter("Hosting", "Host a Knowledge Café with three rounds."))
    write(tmp_path / "apart.md", chapter("Apart", "Knowledge grows. Later we went to a cafe."))
    write(
        tmp_path / "facil.md",
        chapter("Roles", "The facilitator keeps time; facilitation is a skill."),
    )
    write(
        tmp_path / "naive.md",
        chapter("Naïve questions", "Ask NAÏVE questions; Øresund crossing; Łódź."),
    )
    return tmp_path


def test_a_prefix_matches_the_start_of_words(small: Path) -> None:
    with open_index(small) as index:
        assert ids(index.search("facilit*")) == ["facil"]
        assert ids(index.search("facilit")) == []
        assert ids(index.search("FACILITAT*")) == ["facil"]


def test_a_phrase_needs_its_words_together(small: Path) -> None:
    with open_index(small) as index:
        assert ids(index.search('"knowledge café"')) == ["cafe"]
        assert sorted(ids(index.search("knowledge café"))) == ["apart", "cafe"]
        assert ids(index.search('"knowledge caf"*')) == ["cafe"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("cafe", ["apart", "cafe"]),
        ("CAFÉ", ["apart", "cafe"]),
        ("naive", ["naive"]),
        ("ØRESUND", ["naive"]),
    ],
)
def test_accents_and_case_do_not_matter(small: Path, query: str, expected: list[str]) -> None:
    with open_index(small) as index:
        assert sorted(ids(index.search(query))) == expected


MALFORMED = [
    '"', '"unclosed phrase', 'a "b', "*", "**", "-", "-cafe", "(", ")", "(cafe", ":", "title:cafe", "^cafe",
    "AND", "OR", "NOT", "NEAR", "cafe AND", "OR cafe", "NOT cafe", "NEAR(cafe knowledge)", "cafe NEAR/2 x",
    "{title}: x", "'", "''", "\\", "\x00", "\x1b[31mcafe", "+", "?", "%", "café*"*40, "x" * 10_000, "", "   ",
    "🙂", "a\nb", 'cafe"*', '"" *', "*cafe", "c*a*f*e",
]  # fmt: skip


@pytest.mark.parametrize("query", MALFORMED)
def test_malformed_queries_never_raise(small: Path, query: str) -> None:
    with open_index(small) as index:
        result = index.search(query)
        assert isinstance(result, SearchResult)
        if not result.query or result.query.empty:
            assert result.hits == [] and result.note and "\n" not in result.note
        index.search_chapter("cafe", query)
    search_answers(query)


def test_operators_are_words_not_syntax() -> None:
    parsed = parse_query('NOT cafe OR "a b" AND x* -y (z)')
    assert parsed.expression == '"not" "cafe" "or" "a b" "and" "x" * "y" "z"'
    assert parse_query('"knowledge café" *').expression == '"knowledge cafe" *'
    assert parse_query('e-mail "open').expression == '"e mail" "open"'
    assert parse_query("*").empty and parse_query("*").note


def test_nothing_searchable_gives_a_note(small: Path) -> None:
    with open_index(small) as index:
        result = index.search("( * - )")
    assert not result and result.hits == []
    assert result.note is not None and "nothing to search for" in result.note


def test_very_long_queries_are_capped() -> None:
    parsed = parse_query(" ".join(f"w{number}" for number in range(100)))
    assert 0 < len(parsed.terms) <= 24 and parsed.note


# --------------------------------------------------------------------------- snippets and in-chapter matches


def test_snippets_are_plain_text_with_spans(tmp_path: Path) -> None:
    write(
        tmp_path / "x.md",
        chapter(
            f"Evil {CONTROL}title", f"Before [bold]markup[/bold] {CONTROL}the Café here.\n\nMore."
        ),
    )
    with open_index(tmp_path) as index:
        hit = index.search("cafe")[0]
    assert (
        "\x1b" not in hit.snippet + hit.title
        and "\x07" not in hit.snippet
        and "\x9b" not in hit.snippet
    )
    assert "[bold]markup[/bold]" in hit.snippet
    assert [hit.snippet[start:end] for start, end in hit.spans] == ["Café"]


def test_snippet_spans_drop_control_and_collapse_space() -> None:
    text, spans = snippet_spans("one\n\x1b]0;x\x07two \x02hit\x03  three\x02\x03")
    assert text == "one two hit three"
    assert spans == ((8, 11),)


def test_search_chapter_gives_lines_and_offsets(tmp_path: Path) -> None:
    body = "First line.\n\nThe Café opens; a café closes.\n```\ncafe in code\n```\nKnowledge\ncafé apart"
    write(tmp_path / "c.md", chapter("C", body))
    handbook = load_handbook(tmp_path)
    found = handbook.by_id["c"]
    with open_index(tmp_path) as index:
        matches = index.search_chapter("c", "cafe")
        lines = found.body.split("\n")
        assert [(m.line, lines[m.line][m.start : m.end]) for m in matches] == [
            (3, "Café"),
            (3, "café"),
            (5, "cafe"),
            (8, "café"),
        ]
        assert matches[0].file_line == found.body_line + 3
        assert index.search_chapter("c", '"knowledge cafe"') == []
        assert index.search_chapter("missing", "cafe") == []
        assert [m.line for m in index.search_chapter("c", "first caf*")] == [1, 3, 3, 5, 8]


def test_hits_can_carry_the_line_of_their_first_match(tmp_path: Path) -> None:
    write(tmp_path / "c.md", chapter("C", "one\ntwo\n\nthe axolotl line"))
    with open_index(tmp_path) as index:
        assert index.search("axolotl")[0].line is None
        assert index.search("axolotl", lines=True)[0].line == 8


def test_find_matches_handles_prefix_phrases_and_odd_characters() -> None:
    body = "İstanbul ﬁle Æther\nstraße Straße"
    assert [(m.line, m.start, m.end) for m in find_matches(body, "istanbul")] == [(0, 0, 8)]
    assert [(m.start, m.end) for m in find_matches(body, '"istanbul ﬁle"')] == [(0, 12)]
    assert len(find_matches(body, "straße")) == 2
    assert find_matches(body, ParsedQuery("", ())) == []


# --------------------------------------------------------------------------- ids and files


def test_chapter_ids_match_the_loader(tmp_path: Path) -> None:
    root = tmp_path / "hb"
    write(
        root / "en" / "SUMMARY.md",
        "# Summary\n\n- [Intro](intro.md)\n- [Deep](a/b/deep.markdown)\n",
    )
    write(root / "en" / "intro.md", chapter("Intro", "shared word"))
    write(root / "en" / "a" / "b" / "deep.markdown", "# Deep title\n\nshared word")
    write(root / "en" / "a" / "loose.md", "shared word, not listed")
    write(root / "fr" / "intro.md", chapter("Intro fr", "mot partagé"))
    handbook = load_handbook(root)
    with open_index(root) as index:
        hits = index.search("shared")
        assert sorted(ids(hits)) == sorted(handbook.by_id) == ["a/b/deep", "a/loose", "intro"]
        assert {hit.title for hit in hits} == {chapter.title for chapter in handbook.chapters}
        assert ids(index.search("summary")) == []
    with open_index(root, "fr") as index:
        assert ids(index.search("partage")) == ["intro"]
    with pytest.raises(PeeragogyError, match="no 'de' translation"):
        open_index(root, "de")
    with pytest.raises(PeeragogyError, match="not found"):
        open_index(tmp_path / "nowhere")


def test_index_files_are_private(tmp_path: Path, private_home: Path) -> None:
    write(tmp_path / "a.md", chapter("A", "text"))
    with open_index(tmp_path) as index:
        assert index.path.parent == private_home / "search"
        assert stat.S_IMODE(index.path.stat().st_mode) == 0o600
        assert stat.S_IMODE(index.path.parent.stat().st_mode) == 0o700


def test_a_damaged_index_file_is_rebuilt(tmp_path: Path) -> None:
    write(tmp_path / "a.md", chapter("A", "walrus"))
    with open_index(tmp_path) as index:
        path = index.path
    path.write_bytes(b"not a database at all" * 100)
    for side in ("-wal", "-shm"):
        Path(f"{path}{side}").unlink(missing_ok=True)
    with open_index(tmp_path) as index:
        assert ids(index.search("walrus")) == ["a"]
        assert index.last_sync.indexed == 1


def test_exercise_prompts_are_indexed(tmp_path: Path) -> None:
    write(tmp_path / "hb" / "intro.md", chapter("Intro", "text"))
    write(
        tmp_path / "exercises" / "ex.md",
        "---\nid: ex\ntitle: An exercise\nchapters: [intro]\nsteps:\n  - type: text\n    prompt: Describe your capybara.\n---\nIntro.\n",
    )
    with index_for(tmp_path / "hb") as index:
        hit = index.search("capybara")[0]
        assert (hit.kind, hit.exercise_id, hit.chapter_id, hit.title) == (
            "exercise",
            "ex",
            "intro",
            "An exercise",
        )
    with index_for(tmp_path / "hb", include_exercises=False) as index:
        assert ids(index.search("capybara")) == []


# --------------------------------------------------------------------------- incremental updates


@pytest.fixture()
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every file the index reads, in order."""
    seen: list[str] = []
    original = sync.read_file

    def counting(path: str) -> bytes:
        seen.append(path)
        return original(path)

    monkeypatch.setattr(sync, "read_file", counting)
    return seen


def test_an_unchanged_reopen_reads_nothing(tmp_path: Path, reads: list[str]) -> None:
    root = generated(tmp_path / "hb", 30, 5)
    with open_index(root) as index:
        assert len(reads) == 30 and index.last_sync.indexed == 30
    reads.clear()
    with open_index(root) as index:
        assert reads == [] and index.last_sync.read == 0 and index.last_sync.files == 30
        assert len(index.search("garden", limit=100)) == 30


def test_edit_delete_and_rename_update_the_index(tmp_path: Path, reads: list[str]) -> None:
    root = generated(tmp_path / "hb", 12, 9)
    edited, deleted, renamed = (next(root.rglob(f"chapter-{n:03d}.md")) for n in (1, 2, 3))
    write(renamed, renamed.read_text() + "\nplatypus\n")
    open_index(root).close()
    reads.clear()
    write(edited, chapter("Edited", "now about a wombat"))
    deleted.unlink()
    moved = renamed.with_name("moved.md")
    renamed.rename(moved)
    with open_index(root) as index:
        assert sorted(reads) == sorted([str(edited.resolve()), str(moved.resolve())])
        assert (index.last_sync.indexed, index.last_sync.removed) == (2, 2)
        assert ids(index.search("wombat")) == [load_handbook(root).by_path[edited.resolve()].id]
        assert ids(index.search('"chapter 2"')) == []
        assert ids(index.search("platypus")) == [load_handbook(root).by_path[moved.resolve()].id]
        assert len(index.search("garden", limit=100)) == 10


def test_a_touched_but_unchanged_file_is_hashed_not_reindexed(
    tmp_path: Path, reads: list[str]
) -> None:
    path = write(tmp_path / "a.md", chapter("A", "kiwi"))
    open_index(tmp_path).close()
    backdate(path, 60)
    reads.clear()
    with open_index(tmp_path) as index:
        assert len(reads) == 1 and (index.last_sync.read, index.last_sync.indexed) == (1, 0)
    reads.clear()
    open_index(tmp_path).close()
    assert reads == []


def test_a_fresh_file_is_checked_again_even_if_size_and_mtime_stay(tmp_path: Path) -> None:
    path = write(tmp_path / "a.md", chapter("A", "alpha"), past=False)
    before = path.stat()
    open_index(tmp_path).close()
    write(path, chapter("A", "gamma"), past=False)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    with open_index(tmp_path) as index:
        assert ids(index.search("gamma")) == ["a"] and ids(index.search("alpha")) == []


def test_an_unreadable_file_is_listed_by_name_and_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "secret-notes.md", chapter("Secret", "hidden"))
    original = sync.read_file

    def denied(name: str) -> bytes:
        if name == str(path.resolve()):
            raise PermissionError(13, "Permission denied", name)
        return original(name)

    monkeypatch.setattr(sync, "read_file", denied)
    with open_index(tmp_path) as index:
        assert ids(index.search("secret notes")) == ["secret-notes"]
        assert ids(index.search("hidden")) == []
    monkeypatch.setattr(sync, "read_file", original)
    with open_index(tmp_path) as index:
        assert ids(index.search("hidden")) == ["secret-notes"]


def test_two_open_indexes_of_one_handbook_share_the_file(tmp_path: Path) -> None:
    write(tmp_path / "a.md", chapter("A", "okapi"))
    with open_index(tmp_path) as first, open_index(tmp_path) as second:
        assert first.path == second.path
        write(tmp_path / "b.md", chapter("B", "okapi"))
        second.refresh()
        first.refresh()
        assert sorted(ids(first.search("okapi"))) == ["a", "b"]
        assert first.conn.execute("SELECT count(*) FROM files").fetchone()[0] == 2


def long_chapter(title: str, word: str, parts: int) -> str:
    """A chapter of ``parts`` sections (each over half of ``SECTION_CHARS``), ``word`` in every one."""
    filler = "Some filler words to make the part long enough. " * 200
    return chapter(title, "\n\n".join(f"## Part {n}\n\n{word} in part {n}.\n\n{filler}" for n in range(parts)))


def test_a_sync_by_another_index_of_the_same_file_is_seen_by_the_next_search(tmp_path: Path) -> None:
    """Two windows on one data dir: the other one re-indexed a file, so its sections have new rowids.

    This index's map of rowids to files, read at its first search, would say that
    none of the new rows belong to a file: every section of the re-indexed chapter
    would be a hit of its own, and the best one would not stand for its chapter.
    """
    write(tmp_path / "long.md", long_chapter("Long", "okapi", parts=3))
    write(tmp_path / "short.md", chapter("Short", "okapi and more okapi"))
    with open_index(tmp_path) as first:
        assert sorted(ids(first.search("okapi"))) == ["long", "short"]
        write(tmp_path / "long.md", long_chapter("Long", "okapi okapi", parts=4))
        with open_index(tmp_path) as second:  # its opening syncs the file: the long chapter's rows move
            assert second.last_sync.indexed == 1
            expected = second.search("okapi", lines=True)
        found = first.search("okapi", lines=True)
    assert sorted(ids(expected)) == ["long", "short"]
    assert ids(found) == ids(expected) and found.hits == expected.hits


# --------------------------------------------------------------------------- own answers


def test_answers_search_finds_a_saved_answer(private_home: Path) -> None:
    with open_store() as store:
        run = store.start_run("knowledge-cafe", "Host a Knowledge Café")
        store.save_answer(
            run,
            "insight",
            f"We learned that {CONTROL}tardigrades are tough.",
            step_index=0,
            prompt="Your insight?",
        )
        store.save_answer(run, "skip", None, step_index=1, prompt="Skipped step")
        store.save_answer(
            run,
            "pick",
            ["Tardigrade facts", "Other"],
            step_index=2,
            prompt="Pick",
            step_type="checklist",
        )
    result = search_answers("tardigrade*")
    assert [(hit.run_id, hit.step_key) for hit in result] == [(run, "insight"), (run, "pick")] or [
        (hit.run_id, hit.step_key) for hit in result
    ] == [(run, "pick"), (run, "insight")]
    insight = next(hit for hit in result if hit.step_key == "insight")
    assert insight.exercise_title == "Host a Knowledge Café" and insight.prompt == "Your insight?"
    assert "\x1b" not in insight.snippet and "tardigrades" in insight.snippet
    assert [insight.snippet[a:b] for a, b in insight.spans] == ["tardigrades"]
    assert search_answers("cafe")[0].exercise_id == "knowledge-cafe"
    copy = private_home / "search" / "answers.sqlite3"
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with open_store() as store:
        assert (
            store.find_run(run).answers[0].value
            == f"We learned that {CONTROL}tardigrades are tough."
        )  # type: ignore[union-attr]
        store.delete_run(run)
    assert search_answers("tardigrades").hits == []
    leftovers = b"".join(p.read_bytes() for p in copy.parent.glob("answers.sqlite3*"))
    assert b"tardigrade" not in leftovers.lower()


def test_answers_search_without_a_store_says_so() -> None:
    result = search_answers("anything")
    assert result.hits == [] and result.note == "no saved answers yet"
