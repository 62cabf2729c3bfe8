"""A re-framed problem keeps exactly the original's numbers: a pure check."""

from __future__ import annotations

import pytest

from bot.llm.numbers import numbers_in, same_numbers

ORIGINAL = "Mia has 3/4 of a pizza and eats 1/8 of it. She shares 12 slices with 2 friends."


@pytest.mark.parametrize(
    "reframed",
    [
        "A striker has 3/4 of a season left and misses 1/8 of it. 12 goals, 2 teammates.",
        "12 songs and 2 bandmates: a drummer plays 3/4 of a set, then 1/8 of it again.",
        "Mia has 3/4 of a cake and eats 1/8. 12 slices, 2 friends.",
    ],
)
def test_the_same_numbers_in_any_order_and_context_pass(reframed: str) -> None:
    assert same_numbers(ORIGINAL, reframed)


@pytest.mark.parametrize(
    "reframed",
    [
        "A striker has 3/4 of a season left and misses 1/8 of it. 12 goals, 3 teammates.",
        "A striker has 3/4 of a season and misses 1/8. 12 goals, 2 teammates, 5/8 left.",
        "A striker has 3/4 of a season and misses 1/8. Twelve goals, 2 teammates.",
        "A striker has 3/4 of a season and misses 1/8 of it. 12 goals.",
        "A striker has 3/4 of a season and 3/4 again, misses 1/8. 12 goals, 2 teammates.",
    ],
    ids=["changed", "added-the-answer", "in-words", "dropped", "repeated"],
)
def test_any_number_changed_added_dropped_or_repeated_fails(reframed: str) -> None:
    assert not same_numbers(ORIGINAL, reframed)


def test_numbers_are_read_by_value_with_either_mark() -> None:
    assert same_numbers("It costs 2.50 and 1,000 more.", "1000 more, and 2.5 first.")
    assert same_numbers("2,5 kg", "2.5 kg")
    assert numbers_in("Solve 2x + 3 = 11.") == numbers_in("11 = 3 + 2x")
    assert not same_numbers("a 10-minute walk", "a 10-minute walk, 10 times")
    assert sum(numbers_in("no digits here").values()) == 0
