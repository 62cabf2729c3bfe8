"""A negative question proposes its answer; a tag without its "?" rejects it."""

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


@pytest.mark.parametrize(
    ("key", "reply"),
    [
        (numeric("20"), "wouldn't it be 20"),
        (numeric("20"), "is it not 20"),
        (numeric("20"), "shouldn't the answer be 20"),
        (exact("mitochondria"), "wouldn't it be the mitochondria"),
        (exact("mitochondria"), "isn't it the mitochondria"),
    ],
)
def test_an_inverted_question_proposes_without_its_question_mark(
    key: AnswerKey, reply: str
) -> None:
    assert grade_answer(key, reply).correct


def test_a_wrong_answer_proposed_so_is_an_attempt_and_a_statement_still_denies() -> None:
    key = exact("mitochondria")
    assert grade_answer(key, "is it not the nucleus").candidate == "the nucleus"
    assert grade_answer(key, "wouldn't it be the nucleus").candidate is not None
    assert grade_answer(key, "it isn't the nucleus").candidate is None
    assert grade_answer(numeric("20"), "it wouldn't be 20") == Grade(False, None)
