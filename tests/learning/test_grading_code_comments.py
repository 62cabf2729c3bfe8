"""A line of code is still the answer with a comment closing it ("// at the end", "# one")."""

from __future__ import annotations

import pytest

from bot.learning.answer_key import AnswerKey
from bot.learning.grading import grade_answer

PUSH = AnswerKey("pattern", "nums.push(4);", pattern=r"^nums\.push\(\s*4\s*\);?$")
INCREMENT = AnswerKey("pattern", "x += 1", pattern=r"^x\s*(\+=\s*1|=\s*x\s*\+\s*1)$")


@pytest.mark.parametrize(
    "reply",
    [
        "nums.push(4) // adds to the end",
        "nums.push(4); //end",
        "// add it at the end\nnums.push(4);",
        "nums.push(4);  -- appended",
    ],
)
def test_a_comment_after_the_code_is_set_aside(reply: str) -> None:
    assert grade_answer(PUSH, reply).correct


@pytest.mark.parametrize("reply", ["x += 1  # one more", "# count it\nx = x + 1", "x += 1\n# done"])
def test_python_comments_too(reply: str) -> None:
    assert grade_answer(INCREMENT, reply).correct


@pytest.mark.parametrize("reply", ["nums.push(5) // 4", "#x += 1", "nums.push(4) nums.pop()"])
def test_the_code_itself_must_still_be_right(reply: str) -> None:
    assert not grade_answer(PUSH if "nums" in reply else INCREMENT, reply).correct


def test_two_lines_offered_together_are_still_a_hedge() -> None:
    grade = grade_answer(PUSH, "nums.push(4) or nums.push(5)")
    assert grade.hedged and not grade.correct
