"""Money said in two units ("16 dollars 25 cents") is one amount, in replies and in keys."""

from __future__ import annotations

import pytest

from bot.learning.answer_key import AnswerKey
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import grade_answer

CHANGE = AnswerKey("numeric", "$16.25", tolerance=0.001)


@pytest.mark.parametrize(
    "reply",
    [
        "16 dollars 25 cents",
        "$16 and 25 cents",
        "16 dollars and 25",
        "$16 25c",
        "16 dollars, 25 cents.",
        "I get 16 euros 25",
        "£16 25p",
        "16 pounds and 25 pence",
    ],
)
def test_an_amount_in_two_units_is_one_number(reply: str) -> None:
    grade = grade_answer(CHANGE, reply)
    assert grade.correct, reply


@pytest.mark.parametrize(
    "reply", ["16 dollars 20 cents", "16 25", "$16 25", "16 dollars 5", "16 dollars 25.5"]
)
def test_other_amounts_and_bare_pairs_are_not_it(reply: str) -> None:
    assert not grade_answer(CHANGE, reply).correct, reply


def test_a_count_after_an_amount_is_no_cents() -> None:
    grade = grade_answer(AnswerKey("numeric", "60"), "I paid 20 dollars 3 times, so 60")
    assert grade.correct
    assert grade_answer(AnswerKey("numeric", "20.03"), "20 dollars 3 times").candidate != (
        "20 dollars 3"
    )


def test_a_key_written_in_two_units_and_its_leaks() -> None:
    key = AnswerKey("numeric", "16 dollars 25 cents")
    assert grade_answer(key, "16.25").correct and not grade_answer(key, "25").correct
    assert reveals_answer(CHANGE, "You get 16 dollars and 25 cents back.")
    assert not reveals_answer(
        CHANGE, "Work out 20 - 3.75.", public_texts=("A $3.75 sandwich, a $20 note.",)
    )
