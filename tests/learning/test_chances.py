"""Chances and shares as people say them ("1 in 6", "one out of six"), and percents rounded."""

import pytest

from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import AnswerKey, grade_answer

SIXTH = AnswerKey("numeric", "1/6")


@pytest.mark.parametrize(
    "reply",
    ["1 in 6", "one in six", "one out of six", "a 1 in 6 chance", "1 out of 6 faces", "1/6"],
)
def test_a_part_of_a_whole_is_one_fraction(reply: str) -> None:
    assert grade_answer(SIXTH, reply).correct


@pytest.mark.parametrize(
    ("reply", "key", "correct"),
    [
        ("3 out of 4 students", "3/4", True),
        ("1 in 4", "25%", True),
        ("2 in 3 hours", "2/3", False),  # a time, not a chance
        ("1 in 6", "6", False),
    ],
)
def test_only_a_part_no_bigger_than_its_whole_is_joined(
    reply: str, key: str, correct: bool
) -> None:
    assert grade_answer(AnswerKey("numeric", key), reply).correct is correct


@pytest.mark.parametrize("reply", ["16.7%", "about 17%", "16.67%"])
def test_a_percent_rounded_from_a_fraction_is_rounded_not_wrong(reply: str) -> None:
    grade = grade_answer(SIXTH, reply)
    assert not grade.correct and grade.rounded


@pytest.mark.parametrize(("reply", "key"), [("20%", "1/6"), ("17%", "17/100"), ("25%", "1/6")])
def test_other_percents_are_not_rounded(reply: str, key: str) -> None:
    assert not grade_answer(AnswerKey("numeric", key), reply).rounded


def test_the_leak_guard_reads_a_chance_said_in_words() -> None:
    prompt = ["What is the probability of rolling a 6 on a fair six-sided die?"]
    assert reveals_answer(SIXTH, "It's a 1 in 6 chance.", public_texts=prompt)
    assert reveals_answer(SIXTH, "one out of six", public_texts=prompt)
    assert not reveals_answer(SIXTH, "How many faces are there in all?", public_texts=prompt)


@pytest.mark.parametrize(
    ("language", "reply"),
    [
        ("es", "3 de 8"),
        ("es", "3 de cada 8"),
        ("fr", "3 sur 8"),
        ("de", "3 von 8"),
        ("it", "3 su 8"),
    ],
)
def test_a_part_of_a_whole_in_the_course_language(language: str, reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", "3/8", language=language), reply).correct


def test_a_time_or_a_date_after_de_is_no_part_of_a_whole() -> None:
    key = AnswerKey("numeric", "2/3", language="es")
    assert not grade_answer(key, "2 de 3 horas").correct
