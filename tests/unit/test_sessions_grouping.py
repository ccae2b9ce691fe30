"""Splitting into groups: sizes, nobody alone, determinism, fewer repeated pairs."""

from __future__ import annotations

from collections import Counter

import pytest

from peeragogy_tui.core.sessions import (
    group_sizes,
    repeated_pairs,
    split_into_groups,
    table_names,
)
from peeragogy_tui.errors import PeeragogyError

NAMES = [f"Person {number}" for number in range(1, 13)]


@pytest.mark.parametrize(
    ("count", "size", "sizes"),
    [
        (12, 4, [4, 4, 4]),
        (7, 3, [3, 2, 2]),
        (10, 4, [4, 3, 3]),
        (9, 4, [3, 3, 3]),
        (5, 4, [5]),
        (5, 2, [3, 2]),
        (3, 2, [3]),
        (2, 2, [2]),
        (8, 5, [4, 4]),
        (0, 3, []),
    ],
)
def test_group_sizes(count: int, size: int, sizes: list[int]) -> None:
    assert group_sizes(count, size) == sizes


@pytest.mark.parametrize("count", range(2, 40))
@pytest.mark.parametrize("size", [2, 3, 4, 5, 6])
def test_nobody_sits_alone_and_groups_are_close_to_size(count: int, size: int) -> None:
    sizes = group_sizes(count, size)
    assert sum(sizes) == count
    assert min(sizes) >= 2, "one person never sits alone"
    if count >= size:
        assert min(sizes) >= size - 1
    assert max(sizes) - min(sizes) <= 1 or len(sizes) == 1


def test_everyone_is_placed_exactly_once() -> None:
    names = [*NAMES, "[@click=app.quit]", "Zoë 🎉"]
    groups = split_into_groups(names, 3, seed=5)
    placed = [name for group in groups for name in group]
    assert Counter(placed) == Counter(names)
    assert [len(group) for group in groups] == group_sizes(len(names), 3)


def test_a_seed_makes_it_repeatable() -> None:
    first = split_into_groups(NAMES, 4, seed=42)
    assert split_into_groups(NAMES, 4, seed=42) == first
    assert any(split_into_groups(NAMES, 4, seed=seed) != first for seed in range(43, 48))
    earlier = [first]
    assert split_into_groups(NAMES, 4, seed=7, previous=earlier) == split_into_groups(
        NAMES, 4, seed=7, previous=earlier
    )


def test_group_size_below_two_is_refused() -> None:
    with pytest.raises(PeeragogyError, match="at least 2"):
        split_into_groups(NAMES, 1)


def test_one_person_is_a_group_of_one_when_nothing_else_is_possible() -> None:
    assert split_into_groups(["Solo"], 3, seed=1) == [["Solo"]]
    assert split_into_groups([], 3, seed=1) == []


def _rounds(seed: int, *, remember: bool, count: int = 3) -> list[list[list[str]]]:
    rounds: list[list[list[str]]] = []
    for number in range(count):
        previous = rounds if remember else []
        rounds.append(split_into_groups(NAMES, 4, seed=seed * 10 + number, previous=previous))
    return rounds


def test_later_rounds_repeat_fewer_pairs_than_independent_shuffles() -> None:
    ours = [repeated_pairs(_rounds(seed, remember=True)) for seed in range(30)]
    naive = [repeated_pairs(_rounds(seed, remember=False)) for seed in range(30)]
    assert sum(ours) < 0.75 * sum(naive), (sum(ours), sum(naive))
    assert sum(1 for a, b in zip(ours, naive, strict=True) if a <= b) >= 27


def test_second_round_reaches_the_minimum_possible_repeats() -> None:
    # 12 people in 3 groups of 4: a new group of 4 drawn from 3 old groups must
    # hold two people who met, so each group repeats at least one pair.
    for seed in range(10):
        first = split_into_groups(NAMES, 4, seed=seed)
        second = split_into_groups(NAMES, 4, seed=seed + 100, previous=[first])
        assert repeated_pairs([first, second]) == 3


def test_repeated_pairs_counts_pairs_that_met_before() -> None:
    assert repeated_pairs([[["a", "b"], ["c", "d"]], [["a", "c"], ["b", "d"]]]) == 0
    assert repeated_pairs([[["a", "b", "c"]], [["a", "b"], ["c"]], [["a", "b", "c"]]]) == 1 + 3


def test_table_names() -> None:
    assert table_names(3) == ["Table 1", "Table 2", "Table 3"]
    assert table_names(0) == []
