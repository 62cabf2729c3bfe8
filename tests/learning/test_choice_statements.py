"""A choice reply names its option before a reason, a remark or a denial of another one."""

from __future__ import annotations

import pytest

from bot.learning.answer_key import AnswerKey
from bot.learning.grading import grade_answer

TENSE = AnswerKey(
    "choice",
    "past perfect",
    choices=("past perfect", "simple past", "present perfect", "past continuous"),
)


@pytest.mark.parametrize(
    "reply",
    [
        "I'd pick a",
        "I go with a",
        "I'll go for a",
        "a, because had + participle",
        "a because it uses had",
        "a since it happened first",
        "a - had + participle",
        "a: had plus a participle",
        "it's a not b",
        "a, not b",
        "not b, it's a",
        "not b but a",
        "it's not b, it's a",
        "I'd say it's the first one",
        "the first one because of had",
    ],
)
def test_the_option_named_first_is_the_answer(reply: str) -> None:
    grade = grade_answer(TENSE, reply)
    assert grade.correct and not grade.hedged, reply


@pytest.mark.parametrize(
    "reply",
    ["b, because of the had", "not a, b", "I'd pick c", "d - ing", "I think it's the last one"],
)
def test_another_option_so_named_is_wrong(reply: str) -> None:
    grade = grade_answer(TENSE, reply)
    assert not grade.correct and grade.candidate is not None and not grade.hedged, reply


@pytest.mark.parametrize("reply", ["a, or maybe b", "b, or maybe a", "a or b", "a/b"])
def test_two_letters_offered_are_a_hedge(reply: str) -> None:
    grade = grade_answer(TENSE, reply)
    assert grade.hedged and not grade.correct, reply


@pytest.mark.parametrize("reply", ["not b", "not b, not c", "the answer is a cat"])
def test_denials_and_the_article_a_name_no_option(reply: str) -> None:
    assert grade_answer(TENSE, reply).candidate is None, reply
