"""Expressions as learners type them: powers in words or glued ("x2"), and an aside after."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, grade_answer

EXPANDED = AnswerKey("expression", "x^2 + 5x + 6")


@pytest.mark.parametrize(
    "reply",
    [
        "x squared plus 5x plus 6",
        "x squared + 5x + 6",
        "x squared plus five x plus six",
        "x to the power of 2 plus 5x plus 6",
        "I think it is x squared plus 5x plus 6",
        "x times x plus 5 times x plus 6",
    ],
)
def test_an_expression_said_in_words_is_read(reply: str) -> None:
    grade = grade_answer(EXPANDED, reply)
    assert grade.correct and not grade.typed_power


@pytest.mark.parametrize("reply", ["x squared plus 6", "x cubed plus 5x plus 6", "so plus 5x"])
def test_a_wrong_expression_in_words_stays_wrong(reply: str) -> None:
    assert not grade_answer(EXPANDED, reply).correct


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("x = 3", "x = 3 (I think)"),
        ("x = 3", "x=3 (checked it)"),
        ("x = 3", "3 (not sure)"),
        ("x^2 + 5x + 6", "x^2 + 5x + 6 (not sure)"),
    ],
)
def test_an_aside_after_the_math_is_not_part_of_it(answer: str, reply: str) -> None:
    assert grade_answer(AnswerKey("expression", answer), reply).correct


def test_an_aside_that_offers_another_answer_is_a_hedge() -> None:
    grade = grade_answer(AnswerKey("expression", "x = 3"), "x = 3 (or 4)")
    assert not grade.correct and grade.hedged


@pytest.mark.parametrize("reply", ["x2 + 5x + 6", "x2+5x+6", "6 + 5x + x2", "I got x2 + 5x + 6"])
def test_a_power_typed_as_a_glued_digit_is_right_with_a_note(reply: str) -> None:
    grade = grade_answer(EXPANDED, reply)
    assert grade.correct and grade.typed_power


def test_a_glued_digit_is_read_as_a_power_only_where_the_answer_has_powers() -> None:
    wrong = grade_answer(EXPANDED, "x2 + 6")
    assert not wrong.correct and wrong.candidate == "x^2 + 6"
    assert not grade_answer(AnswerKey("expression", "2x"), "x2").correct
    assert not grade_answer(AnswerKey("expression", "x + 2"), "x2").correct
