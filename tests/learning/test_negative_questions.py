"""A negative question proposes its answer; the same words without the "?" reject it."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, Grade, grade_answer
from tests.learning.test_grading_reading import exact, numeric


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        (numeric("7/12"), "7/12, isn't it?"),
        (numeric("7/12"), "7/12 isn't it?"),
        (numeric("7/12"), "is it not 7/12?"),
        (numeric("7/12"), "isn't it 7/12?"),
        (numeric("7/12"), "wouldn't it be 7/12?"),
        (exact("hablo"), "hablo, isn't it?"),
        (exact("hablo"), "is it not hablo?"),
    ],
)
def test_a_negative_question_proposes_the_answer(key: AnswerKey, reply: str) -> None:
    assert grade_answer(key, reply).correct


def test_without_the_question_mark_the_same_words_reject_it() -> None:
    assert grade_answer(numeric("7/12"), "7/12 isn't it") == Grade(False, None)
    assert grade_answer(exact("hablo"), "hablo isn't it") == Grade(False, None)
