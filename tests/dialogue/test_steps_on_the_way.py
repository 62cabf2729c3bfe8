"""A step that is right so far ("2x = 8" on the way to x = 4) is not a wrong answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import problem
from bot.dialogue.wording import offline_text
from bot.learning.grading import AnswerKey, grade_answer
from tests.dialogue.player import play

DEMO = Path(__file__).resolve().parent.parent / "demo_courses"
X_IS_4 = AnswerKey("expression", "x = 4")  # of 2x + 3 = 11


@pytest.mark.parametrize(
    ("reply", "step"),
    [
        ("2x = 8", "2x = 8"),
        ("8 = 2x", "8 = 2x"),
        ("x + x = 8", "x + x = 8"),
        ("I subtracted 3 from both sides and got 2x = 8", "2x = 8"),
        ("2x = 14", None),  # a step that does not hold for the answer
        ("x = 7", None),  # solved, and wrong
        ("0 = 0", None),  # no unknown left to find
        ("2x = 8 so x = 5", None),  # the last equation is the answer offered
    ],
)
def test_an_equation_the_answer_satisfies_is_a_step_on_the_way(
    reply: str, step: str | None
) -> None:
    grade = grade_answer(X_IS_4, reply)
    assert not grade.correct
    assert grade.step == step


def test_the_answer_itself_is_no_step() -> None:
    grade = grade_answer(X_IS_4, "2x = 8 so x = 4")
    assert grade.correct and grade.step is None


@pytest.fixture(scope="module")
def equation() -> RenderedExercise:
    exercise = load_catalog([DEMO]).courses["demo-equations"].exercises["two-step"]
    return render_exercise(exercise, {})  # type: ignore[arg-type]


def test_the_tutor_says_keep_going_and_counts_no_attempt(equation: RenderedExercise) -> None:
    steps = play(equation, ["I took 3 from both sides: 2x = 8", "x = 4"])
    assert [s.move.kind for s in steps] == ["on_the_way", "praise"]
    said = offline_text(steps[0].move)
    assert "2x = 8" in said and "Keep going" in said
    assert problem.guard(equation, steps[0].state, said) == said  # gives nothing away
    assert steps[0].verdict is None and steps[-1].state.attempts == 1


def test_the_problem_written_back_is_no_step_and_a_wrong_step_is_an_attempt(
    equation: RenderedExercise,
) -> None:
    restated = play(equation, ["2x + 3 = 11"])[0]
    assert restated.move.kind == "smaller_step" and restated.state.attempts == 0
    wrong = play(equation, ["2x = 14"])[0]
    assert wrong.verdict == "wrong" and wrong.state.attempts == 1


def test_a_wrong_step_is_asked_about_as_a_step(equation: RenderedExercise) -> None:
    assert grade_answer(X_IS_4, "x + 3 = 11").candidate == "x + 3 = 11"
    assert grade_answer(X_IS_4, "x = 7").candidate == "7"  # solved: the value is the answer
    step = play(equation, ["2x = 14"])[0]
    said = offline_text(step.move)
    assert "Does 2x = 14 follow from the line before it?" in said
    assert "Put" not in said


@pytest.mark.parametrize(
    ("reply", "rounded"),
    [("0.58", True), ("0.5833", True), ("0,58", True), ("0.59", False), ("0.5", False)],
)
def test_the_right_value_rounded_is_asked_for_exactly(reply: str, rounded: bool) -> None:
    grade = grade_answer(AnswerKey("numeric", "7/12"), reply)
    assert not grade.correct and grade.rounded is rounded


def test_a_rounded_value_gets_a_question_for_the_exact_one_and_no_wrong_attempt() -> None:
    exercise = load_catalog([DEMO]).courses["demo"].exercises["third-plus-quarter"]
    fractions = render_exercise(exercise, {})  # type: ignore[arg-type]
    steps = play(fractions, ["about 0.583", "7/12"])
    assert [s.move.kind for s in steps] == ["rounded", "praise"]
    said = offline_text(steps[0].move)
    assert "exactly, as a fraction" in said
    assert problem.guard(fractions, steps[0].state, said) == said  # no number in it
    assert steps[0].verdict is None and steps[-1].state.attempts == 1
    assert steps[0].state.tried_since_hint  # a real try: the worked step may follow


@pytest.mark.parametrize(
    ("key", "reply", "correct"),
    [
        (X_IS_4, "divide by 4", None),  # the divisor, not an answer that x = 4
        (X_IS_4, "divide both sides by 4", None),
        (X_IS_4, "subtract 4 first", None),
        (X_IS_4, "I divided by 2 and got 4", True),  # the result comes after the step
        (X_IS_4, "4, subtract 3 then divide by 2", True),
        (AnswerKey("numeric", "4"), "take away 2 gives 4", True),
        (AnswerKey("numeric", "4"), "12 divided by 3", True),  # a fraction said in words
    ],
)
def test_the_number_an_operation_is_done_with_is_no_answer(
    key: AnswerKey, reply: str, correct: bool | None
) -> None:
    grade = grade_answer(key, reply)
    if correct is None:
        assert grade.candidate is None and not grade.correct
    else:
        assert grade.correct is correct


def test_a_step_told_in_words_asks_what_it_gives(equation: RenderedExercise) -> None:
    steps = play(equation, ["subtract 3 first", "divide by 4", "x = 4"])
    assert [s.move.kind for s in steps] == ["reply_heard", "reply_heard", "praise"]
    assert [s.verdict for s in steps] == [None, None, "correct"]
    assert steps[-1].state.attempts == 1
