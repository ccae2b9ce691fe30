"""Generate deterministic synthetic handbooks for the search and loading benchmarks.

``generate(out, chapters)`` writes ``out/en/...``: chapters with YAML
frontmatter, headings, paragraphs, lists, code blocks and tables, in folders
nested up to nine deep. One chapter in 50 is long (50-90 KB) and one in 40
holds a big table (150-450 rows), so 5,000 chapters come to about 25 MB. Words follow a Zipf-like law over a generated vocabulary (with some
accented words), so common and rare terms both exist. The same arguments
always give byte-identical files.

Usage: python benchmarks/generate_scale.py OUTDIR [--chapters N] [--seed S]
"""

from __future__ import annotations

import argparse
import itertools
import random
from pathlib import Path

__all__ = ["PLANTED", "SEED", "generate", "vocabulary"]

SEED = 20240501
PLANTED = "quixotryx"
"""A token written into exactly one chapter (the one at position ``chapters // 3``)."""
COMMON = (
    "learning peer group question answer practice reflect share notes study team project feedback "
    "meeting facilitator pattern session circle coaching conversation café harvest round purpose "
    "trust goal plan change assess organise cooperate convene listen explain teach learner everyone"
).split()
_ONSETS = "b br c ch d f g gr k l m n p pl r s st t tr v z".split()
_VOWELS = ("a", "e", "i", "o", "u", "ai", "ou", "é", "ö")
_CODAS = ("", "n", "r", "s", "l", "m", "t", "nd", "st")


def vocabulary(size: int = 20_000, seed: int = SEED) -> list[str]:
    """Common words first, then generated ones: ``size`` distinct words in all."""
    rng = random.Random(seed)
    words = list(COMMON)
    seen = set(words)
    while len(words) < size:
        syllables = rng.randint(2, 4)
        word = "".join(
            rng.choice(_ONSETS) + rng.choice(_VOWELS) + rng.choice(_CODAS) for _ in range(syllables)
        )
        if word not in seen:
            seen.add(word)
            words.append(word)
    return words


class _Writer:
    """Random text drawn from the vocabulary with Zipf-like weights."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.words = vocabulary(seed=seed)
        self.weights = list(
            itertools.accumulate(1.0 / (rank + 8) for rank in range(len(self.words)))
        )

    def words_(self, count: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.weights, k=count)

    def sentence(self) -> str:
        words = self.words_(self.rng.randint(6, 18))
        roll = self.rng.random()
        if roll < 0.1:
            words[0] = f"**{words[0]}**"
        elif roll < 0.18:
            words[-1] = f"[{words[-1]}](../other/{self.rng.choice(self.words)}.md)"
        elif roll < 0.24:
            words[1] = f"`{words[1]}`"
        return " ".join(words).capitalize() + "."

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.rng.randint(2, 6)))

    def title(self) -> str:
        return " ".join(self.words_(self.rng.randint(2, 5))).title()

    def table(self, rows: int) -> str:
        columns = self.rng.randint(3, 6)
        head = "| " + " | ".join(self.title() for _ in range(columns)) + " |"
        rule = "|" + "|".join("---" for _ in range(columns)) + "|"
        body = [
            "| " + " | ".join(" ".join(self.words_(2)) for _ in range(columns)) + " |"
            for _ in range(rows)
        ]
        return "\n".join([head, rule, *body])

    def block(self) -> str:
        roll = self.rng.random()
        if roll < 0.6:
            return self.paragraph()
        if roll < 0.75:
            return "\n".join(f"- {self.sentence()}" for _ in range(self.rng.randint(2, 6)))
        if roll < 0.85:
            return "\n".join(f"{n}. {self.sentence()}" for n in range(1, self.rng.randint(3, 6)))
        if roll < 0.92:
            code = "\n".join(
                f"    {' '.join(self.words_(4))} = {n}" for n in range(self.rng.randint(2, 8))
            )
            return f"```python\n{code}\n```"
        if roll < 0.97:
            return "> " + self.paragraph()
        return self.table(self.rng.randint(3, 12))


def _folder(number: int, rng: random.Random) -> Path:
    depth = number % 9
    parts = [f"part-{number % 7}"] + [f"level{d}-{(number // (d + 2)) % 3}" for d in range(depth)]
    return Path(*parts[: 1 + depth]) if rng.random() < 0.9 else Path()


def _chapter(writer: _Writer, number: int, total: int) -> str:
    rng = writer.rng
    title = writer.title()
    front = [
        "---",
        f"title: {title}",
        f"order: {number % 50}",
        f"summary: {writer.sentence().replace('**', '')}",  # no "**" up front: YAML reads "*" as an alias
        f"tags: [{', '.join(writer.words_(3))}]",
        "---",
        "",
        f"# {title}",
        "",
    ]
    if number % 50 == 7:
        target = rng.randint(50_000, 90_000)
    else:
        target = rng.randint(1_000, 3_600)
    blocks: list[str] = []
    size = 0
    while size < target:
        if rng.random() < 0.18:
            block = f"{'#' * rng.randint(2, 4)} {writer.title()}"
        else:
            block = writer.block()
        blocks.append(block)
        size += len(block) + 2
    if number % 40 == 3:
        blocks.append(writer.table(rng.randint(150, 450)))
    if number == total // 3:
        blocks.insert(len(blocks) // 2, f"A rare word appears here: {PLANTED}.")
    return "\n".join(front) + "\n\n".join(blocks) + "\n"


def generate(out: Path, chapters: int, seed: int = SEED) -> Path:
    """Write a handbook of ``chapters`` chapters under ``out/en``; return ``out``."""
    writer = _Writer(seed)
    root = out / "en"
    for number in range(chapters):
        folder = root / _folder(number, writer.rng)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"chapter-{number:05d}.md").write_text(
            _chapter(writer, number, chapters), encoding="utf-8"
        )
    return out


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("outdir", type=Path)
    parser.add_argument("--chapters", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    generate(args.outdir, args.chapters, args.seed)
    files = list((args.outdir / "en").rglob("*.md"))
    total = sum(path.stat().st_size for path in files)
    print(f"{len(files)} chapters, {total / 1e6:.1f} MB in {args.outdir}")


if __name__ == "__main__":
    main()
