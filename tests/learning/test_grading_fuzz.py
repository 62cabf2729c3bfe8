"""A seeded, bounded fuzz of the grader: every hostile answer gets a verdict, none hangs."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.learning.grading import AnswerKey, Grade, grade_answer
from bot.learning.grading_pool import GradingPool
from bot.learning.mathparse import MathParseError, parse_math
from tests.support.grading_fuzz import fuzz_cases

CASES = 400


@pytest.fixture(scope="module")
def pool() -> Iterator[GradingPool]:
    # The limit only guards against a hang; a healthy grade takes milliseconds.
    pool = GradingPool(time_limit=20.0, workers=2)
    yield pool
    pool.close()


def test_every_fuzzed_answer_is_graded_within_the_limit(pool: GradingPool) -> None:
    cases = list(fuzz_cases(seed=20261130, count=CASES))
    grades = pool.grade(cases)
    assert pool.timeouts == 0
    assert all(isinstance(grade, Grade) for grade in grades)
    assert not any(grade.unchecked for grade in grades if grade is not None)


def test_fuzzing_finds_right_answers_too(pool: GradingPool) -> None:
    # Otherwise the fuzz would only prove that everything is wrong.
    cases = [(key, key.answer) for key, _ in fuzz_cases(seed=3, count=50)]
    grades = pool.grade(cases)
    assert all(grade is not None and grade.correct for grade in grades)


@pytest.mark.parametrize(
    "text",
    ["3^(x+2^64)", "2^(x^64+10^30)", "9^9^9^9", "x^(2^64)", "(x+1)^(99999999999x)"],
)
def test_huge_exponents_are_refused_before_sympy_works_on_them(text: str) -> None:
    with pytest.raises(MathParseError):
        parse_math(text)


def test_the_freezing_answer_grades_at_once_in_process() -> None:
    grade = grade_answer(AnswerKey("expression", "x = 3"), "3^(x+2^64)")
    assert not grade.correct and not grade.unchecked
