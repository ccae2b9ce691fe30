"""Splitting participants into small groups, round after round.

``split_into_groups`` is pure and deterministic for a given seed. Group
sizes follow one rule: as many groups of ``size`` as fit, with the remainder
spread so that every group has at least ``size - 1`` people (and never one
person alone); when that is impossible, fewer, larger groups are made.
Seven people in groups of 3 give 3+2+2; five people in groups of 4 give one
group of 5 rather than 3+2.

Given the earlier rounds, it prefers arrangements in which people meet
someone new: it scores each candidate by how many pairs sat together before,
keeps the best of several shuffles, then improves it by swapping people
between groups while that lowers the score.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Sequence
from itertools import combinations

from peeragogy_tui.errors import PeeragogyError

__all__ = ["group_sizes", "repeated_pairs", "split_into_groups", "table_names"]

SHUFFLES = 64
"""Candidates tried when earlier rounds are given (the best one is kept)."""


def group_sizes(count: int, size: int) -> list[int]:
    """Sizes (largest first) for ``count`` people in groups of about ``size``."""
    if size < 2:
        raise PeeragogyError(
            f"a group needs at least 2 people (asked for groups of {size})",
            hint="choose a group size of 2 or more",
        )
    if count <= 0:
        return []
    smallest = max(size - 1, 2)
    groups = -(-count // size)
    while groups > 1 and count // groups < smallest:
        groups -= 1
    base, extra = divmod(count, groups)
    return [base + 1] * extra + [base] * (groups - extra)


def _pair(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a <= b else (b, a)


def _met(previous: Sequence[Sequence[Sequence[str]]]) -> Counter[tuple[str, str]]:
    met: Counter[tuple[str, str]] = Counter()
    for arrangement in previous:
        for group in arrangement:
            for a, b in combinations(group, 2):
                if a != b:
                    met[_pair(a, b)] += 1
    return met


def _score(groups: list[list[str]], met: Counter[tuple[str, str]]) -> int:
    return sum(met[_pair(a, b)] for group in groups for a, b in combinations(group, 2))


def _cut(names: list[str], sizes: list[int]) -> list[list[str]]:
    groups, start = [], 0
    for width in sizes:
        groups.append(names[start : start + width])
        start += width
    return groups


def _improve(groups: list[list[str]], met: Counter[tuple[str, str]]) -> None:
    """Swap people between groups while a swap lowers the score (in place)."""

    def cost(person: str, group: list[str], without: str | None = None) -> int:
        return sum(met[_pair(person, other)] for other in group if other not in (person, without))

    improved = True
    while improved:
        improved = False
        for gi, gj in combinations(range(len(groups)), 2):
            for a_index, a in enumerate(groups[gi]):
                for b_index, b in enumerate(groups[gj]):
                    before = cost(a, groups[gi]) + cost(b, groups[gj])
                    after = cost(b, groups[gi], without=a) + cost(a, groups[gj], without=b)
                    if after < before:
                        groups[gi][a_index], groups[gj][b_index] = b, a
                        a = b
                        improved = True


def split_into_groups(
    names: Sequence[str],
    size: int,
    *,
    seed: int | None = None,
    previous: Sequence[Sequence[Sequence[str]]] = (),
) -> list[list[str]]:
    """Random groups of about ``size`` people (see the module docstring for the sizes).

    Args:
        names: The participants (or table numbers); each appears in exactly one group.
        size: The wanted group size, 2 or more.
        seed: Makes the result repeatable; ``None`` uses fresh randomness.
        previous: Earlier rounds' groups; pairs that already met are avoided when possible.

    Raises:
        PeeragogyError: ``size`` is below 2.
    """
    sizes = group_sizes(len(names), size)
    rng = random.Random(seed)
    people = list(names)
    met = _met(previous)
    if not met:
        rng.shuffle(people)
        return _cut(people, sizes)
    best: list[list[str]] | None = None
    best_score = -1
    for _ in range(SHUFFLES):
        rng.shuffle(people)
        candidate = _cut(people, sizes)
        score = _score(candidate, met)
        if best is None or score < best_score:
            best, best_score = candidate, score
            if score == 0:
                break
    assert best is not None
    _improve(best, met)
    return best


def repeated_pairs(rounds: Sequence[Sequence[Sequence[str]]]) -> int:
    """How often two people sit together who already met in an earlier round (0 = all new)."""
    total = 0
    for index in range(1, len(rounds)):
        met = _met(rounds[:index])
        total += sum(
            1 for group in rounds[index] for a, b in combinations(group, 2) if met[_pair(a, b)]
        )
    return total


def table_names(count: int) -> list[str]:
    """``["Table 1", "Table 2", ...]``: participants for a café with numbered tables."""
    if count < 0:
        raise PeeragogyError(f"cannot have {count} tables", hint="give a number of 1 or more")
    return [f"Table {number}" for number in range(1, count + 1)]
