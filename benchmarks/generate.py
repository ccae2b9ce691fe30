"""Generate large, deterministic Markdown inputs for the reader benchmarks.

Writes a small handbook (one language folder) under OUTDIR::

    OUTDIR/en/big.md          ~440 KB single-file handbook, ~1,100 top-level blocks
    OUTDIR/en/table-1000.md   a chapter holding a 1,000-row, 5-column table
    OUTDIR/en/table-5000.md   a chapter holding a 5,000-row, 5-column table

Every file has the frontmatter the handbook loader expects. The output depends
only on the seed: the same command always writes byte-identical files.

Usage: python benchmarks/generate.py OUTDIR [--seed N] [--size BYTES]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

SEED = 1729
BIG_SIZE = 440_000

WORDS = (
    "learning peer group question answer practice reflect share notes garden study team "
    "statistics project feedback meeting facilitator newcomer pattern roadmap heartbeat "
    "session circle coaching conversation cafe harvest round table purpose welcome space "
    "small start often month plan goal trust shared open problem solution definition "
    "context example story experience insight action review iterate change assess organise "
    "cooperate convene curiosity listen explain teach learner teacher everyone together "
    "workshop timer roster agenda check-in case reflection wiki draft chapter handbook "
    "method course community neighbour volunteer library schedule resource map path"
).split()

CHAPTERS = ("convening", "organizing", "cooperating", "assessing", "changing", "patterns", "principles")
LANGS = ("python", "text", "yaml", "bash")


def _words(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(low, high)))


def _sentence(rng: random.Random) -> str:
    words = _words(rng, 6, 16).split()
    roll = rng.random()
    if roll < 0.12:
        at = rng.randrange(len(words))
        words[at] = f"**{words[at]}**"
    elif roll < 0.24:
        at = rng.randrange(len(words))
        words[at] = f"*{words[at]}*"
    elif roll < 0.32:
        at = rng.randrange(len(words))
        words[at] = f"`{words[at]}`"
    elif roll < 0.44:
        at = rng.randrange(len(words))
        target = rng.choice(CHAPTERS)
        words[at] = f"[{words[at]} {rng.choice(WORDS)}]({target}.md#{rng.choice(WORDS)})"
    elif roll < 0.47:
        words.append("([source](https://example.org/peeragogy))")
    text = " ".join(words)
    return text[0].upper() + text[1:] + rng.choice(".....?!")


def _paragraph(rng: random.Random, low: int = 3, high: int = 6) -> str:
    return " ".join(_sentence(rng) for _ in range(rng.randint(low, high)))


def _heading(rng: random.Random, level: int, number: int) -> str:
    return f"{'#' * level} {_words(rng, 2, 5).capitalize()} {number}"


def _list(rng: random.Random) -> str:
    ordered = rng.random() < 0.35
    lines = []
    for index in range(1, rng.randint(3, 7) + 1):
        marker = f"{index}." if ordered else "-"
        lines.append(f"{marker} {_sentence(rng)}")
        if rng.random() < 0.15:
            for _ in range(rng.randint(1, 3)):
                lines.append(f"    - {_sentence(rng)}")
    return "\n".join(lines)


def _code(rng: random.Random) -> str:
    body = [f"{rng.choice(WORDS)}_{i} = \"{_words(rng, 1, 4)}\"  # {_words(rng, 2, 6)}" for i in range(rng.randint(4, 10))]
    return f"```{rng.choice(LANGS)}\n" + "\n".join(body) + "\n```"


def _quote(rng: random.Random) -> str:
    parts = [_paragraph(rng, 1, 3) for _ in range(rng.randint(1, 2))]
    return "\n>\n".join("> " + part for part in parts)


def _table(rng: random.Random, rows: int, columns: int = 5) -> str:
    header = ["#", "Name", "Role", "Status", "Notes"][:columns]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---:"] + ["---"] * (columns - 1)) + "|"]
    for number in range(1, rows + 1):
        notes = _words(rng, 2, 9)
        if number % 7 == 0:
            notes = f"*{notes}*"
        if number % 11 == 0:
            notes += f" [{rng.choice(CHAPTERS)}]({rng.choice(CHAPTERS)}.md)"
        cells = [
            str(number),
            f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()}",
            rng.choice(("learner", "facilitator", "host", "note-taker", "timekeeper")),
            rng.choice(("active", "paused", "**done**", "new")),
            notes,
        ][:columns]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _frontmatter(title: str, order: int, slug: str) -> str:
    return (
        "---\n"
        f"title: {title}\n"
        f"order: {order}\n"
        "lang: en\n"
        f"permalink: /chapters/en/{slug}/\n"
        f"summary: Generated benchmark input ({title}).\n"
        "part: Benchmarks\n"
        "tags: [benchmark]\n"
        "---\n\n"
    )


def big_handbook(rng: random.Random, size: int = BIG_SIZE) -> tuple[str, int]:
    """A ~``size``-byte single-file handbook; returns (text, top-level block count)."""
    blocks = ["# The big generated handbook", _paragraph(rng)]
    total = sum(len(b) + 2 for b in blocks)
    section = 0
    while total < size:
        roll = rng.random()
        if roll < 0.06:
            section += 1
            block = _heading(rng, 2, section)
        elif roll < 0.14:
            block = _heading(rng, 3, len(blocks))
        elif roll < 0.62:
            block = _paragraph(rng)
        elif roll < 0.80:
            block = _list(rng)
        elif roll < 0.87:
            block = _code(rng)
        elif roll < 0.96:
            block = _quote(rng)
        elif roll < 0.975:
            block = _table(rng, rng.randint(3, 6), rng.randint(3, 5))
        else:
            block = "---"
        blocks.append(block)
        total += len(block) + 2
    blocks.append("## The end\n\nThis is the last paragraph of the big generated handbook.")
    return "\n\n".join(blocks) + "\n", len(blocks)


def table_chapter(rng: random.Random, rows: int) -> str:
    intro = _paragraph(rng, 2, 3)
    return f"# A table of {rows:,} rows\n\n{intro}\n\n{_table(rng, rows)}\n\nThe table ends here.\n"


def wide_table_chapter(rng: random.Random, rows: int, columns: int) -> str:
    """A table of ``rows`` x ``columns`` cells, far wider than 80 columns (it must scroll sideways)."""
    header = ["#", "Participant"] + [f"Week {week}" for week in range(1, columns - 1)]
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---:"] + ["---"] * (columns - 1)) + "|"]
    for number in range(1, rows + 1):
        name = f"{rng.choice(WORDS).capitalize()} {rng.choice(WORDS).capitalize()}"
        cells = [str(number), name] + [_words(rng, 1, 4) for _ in range(columns - 2)]
        lines.append("| " + " | ".join(cells) + " |")
    intro = "Attendance notes of a study circle, one row per participant and one column per week."
    return f"# Attendance, {rows:,} rows by {columns} columns\n\n{intro}\n\n" + "\n".join(lines) + "\n\nThe table ends here.\n"


def generate(outdir: Path, seed: int = SEED, size: int = BIG_SIZE) -> dict[str, Path]:
    """Write the inputs under ``outdir/en``; returns their paths by name.

    ``table-1000x20`` draws on its own random generator, so adding it left the
    other files byte-identical to what earlier runs measured.
    """
    en = outdir / "en"
    en.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    big, _count = big_handbook(rng, size)
    files = {
        "big": (_frontmatter("Big generated handbook", 1, "big") + big),
        "table-1000": _frontmatter("Table of 1,000 rows", 2, "table-1000") + table_chapter(rng, 1000),
        "table-5000": _frontmatter("Table of 5,000 rows", 3, "table-5000") + table_chapter(rng, 5000),
        "table-1000x20": _frontmatter("Wide table, 1,000 x 20", 4, "table-1000x20")
        + wide_table_chapter(random.Random(seed + 1), 1000, 20),
    }
    paths = {}
    for name, text in files.items():
        path = en / f"{name}.md"
        path.write_text(text, encoding="utf-8")
        paths[name] = path
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--size", type=int, default=BIG_SIZE, help="approximate size of big.md in bytes")
    args = parser.parse_args()
    paths = generate(args.outdir, args.seed, args.size)
    for name, path in paths.items():
        text = path.read_text(encoding="utf-8")
        detail = ""
        try:  # the block count as the reader sees it, when the package is importable
            from peeragogy_tui.core.handbook.markdown_file import read_markdown_file
            from peeragogy_tui.core.render import parse_document

            detail = f", {len(parse_document(read_markdown_file(path).body).blocks):,} top-level blocks"
        except Exception:  # noqa: BLE001 - the count is only informative
            pass
        print(f"{path}: {len(text.encode('utf-8')):,} bytes, {text.count(chr(10)):,} lines{detail}")


if __name__ == "__main__":
    main()
