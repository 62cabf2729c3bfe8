"""Math as learners write it: LaTeX pasted in, and a sum written out but not worked out."""

from __future__ import annotations

import pytest

from bot.learning.grading import AnswerKey, grade_answer


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("7/12", r"\frac{7}{12}"),
        ("7/12", r"$\frac{7}{12}$"),
        ("7/12", r"it is \dfrac{7}{12} because the pieces match"),
        ("0.5", r"\tfrac{1}{2}"),
        ("0.5", r"50\%"),
    ],
)
def test_latex_is_read_as_the_math_it_writes(answer: str, reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", answer), reply).correct


def test_latex_in_an_equation() -> None:
    assert grade_answer(AnswerKey("expression", "x = 4"), r"x=\frac{8}{2}").correct
    assert not grade_answer(AnswerKey("numeric", "7/12"), r"\frac{5}{12}").correct


@pytest.mark.parametrize(
    ("answer", "reply", "step"),
    [
        ("12", "3 × 4", "3 × 4"),  # the right sum, still to work out
        ("12", "3*4", "3*4"),
        ("12", "20 - 8", "20 - 8"),
        ("12", "2 x 3 + 6", "2 x 3 + 6"),
        ("4", "3 × 4", None),  # before, its last number was read: "correct"
        ("4", "2 + 2 + 1", None),
        ("5/4", "2/4 + 3/4", "2/4 + 3/4"),  # fractions too
        ("5/4", "1/2 + 1/4", None),
    ],
)
def test_a_sum_written_out_is_no_answer_yet(answer: str, reply: str, step: str | None) -> None:
    grade = grade_answer(AnswerKey("numeric", answer), reply)
    assert not grade.correct
    assert grade.step == step


@pytest.mark.parametrize(
    ("answer", "reply"),
    [
        ("12", "3 × 4 = 12"),  # worked out
        ("12", "I did 3 x 4 so 12"),
        ("4", "8/2"),  # a fraction is one value
        ("-4", "-4"),
        ("6e23", "6 x 10^23"),  # scientific notation, not a sum
    ],
)
def test_a_worked_out_result_is_still_the_answer(answer: str, reply: str) -> None:
    assert grade_answer(AnswerKey("numeric", answer), reply).correct


@pytest.mark.parametrize(
    "reply", ["x = 12 divided by 3", "x equals twelve over three", "x = 8 minus 4", "x = 2 times 2"]
)
def test_an_operation_said_in_words_is_read_in_an_equation(reply: str) -> None:
    assert grade_answer(AnswerKey("expression", "x = 4"), reply).correct


@pytest.mark.parametrize(("reply", "step"), [("3 times 4", "3 times 4"), ("8 minus 4", None)])
def test_a_sum_said_in_words_is_no_answer_yet(reply: str, step: str | None) -> None:
    grade = grade_answer(AnswerKey("numeric", "12"), reply)
    assert not grade.correct and grade.step == step


RETURN = AnswerKey(
    "pattern",
    "return width * height",
    pattern=r"^\s*return\s*\(?\s*(width\s*\*\s*height|height\s*\*\s*width)\s*\)?\s*$",
)


@pytest.mark.parametrize(
    "reply",
    [
        "return width * height",
        "`return width * height`",
        "```return width * height```",
        "```python\n    return width * height\n```",
        "```py\nreturn width * height```",
    ],
)
def test_code_wrapped_in_chat_formatting_is_read_as_the_code(reply: str) -> None:
    assert grade_answer(RETURN, reply).correct


def test_printed_lines_in_a_code_block() -> None:
    assert grade_answer(AnswerKey("exact", "2\n3\n4"), "```\n2\n3\n4\n```").correct
    assert not grade_answer(RETURN, "`print(width * height)`").correct
