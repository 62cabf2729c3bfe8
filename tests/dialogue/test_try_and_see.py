"""Asked whether to take a step ("do I add them?"), the tutor asks the learner to try it."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue import moves
from bot.dialogue.intents import method_question
from bot.dialogue.wording import offline_text
from bot.learning.answer_leak import reveals_answer
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: averages
title: Averages
description: The mean.
skills: [{id: mean, title: Mean}]
exercises:
  - id: mean
    kind: problem
    skill: mean
    prompt: "What is the mean of 4, 8 and 12?"
    answer: "8"
    checker: numeric
    hints:
      nudge: "Add them up first."
      specific: "Divide the total by how many numbers there are."
      worked: "(4 + 8 + 12) / 3."
    reflection: "Why divide by 3?"
"""


@pytest.mark.parametrize(
    ("text", "step"),
    [
        ("do I add them?", "add them"),
        ("should I divide by 3?", "divide by 3"),
        ("So do we multiply the tops?", "multiply the tops"),
        ("do I have to simplify my answer?", "simplify your answer"),
        ("can I use a calculator?", None),  # permission, not a step
        ("do I know this?", None),
        ("what do I do?", None),
        ("do I add them", None),  # no question mark: a statement
        ("should I say 8?", None),  # an answer proposed, graded as one
        ("should I go with b?", None),
        ("is it the total divided by 3?", "work out the total divided by 3"),
        (
            "would it be the sum over how many there are?",
            "work out the sum over how many there are",
        ),
        ("is it 24 divided by 3?", None),  # with numbers: a sum to work out, read as one
        ("is it the mean?", None),
    ],
)
def test_the_step_asked_about_is_said_back_to_the_learner(text: str, step: str | None) -> None:
    assert method_question(text) == step


def test_a_step_question_gets_try_it_and_see_no_attempt_and_no_verdict(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "mean"), ["do I add them?"])
    assert isinstance(step.move, moves.Clarify) and step.move.step == "add them"
    assert step.state.attempts == 0 and step.state.hint_rung == 0
    said = offline_text(step.move)
    assert "add them?" in said and "yes" not in said.lower()


def test_an_answer_put_as_should_i_is_graded(tmp_path: Path) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "mean")
    assert play(exercise, ["should I say 8?"])[0].verdict == "correct"
    assert play(exercise, ["should I put 24?"])[0].verdict == "wrong"


def test_other_questions_restate_the_problem_and_point_at_hint(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "mean"), ["can I use a calculator?"])
    said = offline_text(step.move)
    assert "`hint`" in said and "What is the mean of 4, 8 and 12?" in said


def test_a_step_that_names_the_answer_is_caught_by_the_leak_guard(tmp_path: Path) -> None:
    other = COURSE.replace("4, 8 and 12", "3, 5 and 10").replace('"8"', '"6"')
    exercise = inline_exercise(
        tmp_path, other.replace("(4 + 8 + 12) / 3.", "Add, then share."), "mean"
    )
    (step,) = play(exercise, ["should I divide 18 by 3 to get 6?"])
    said = offline_text(step.move)
    assert "6" in said  # the learner's own step, said back
    assert reveals_answer(exercise.key, said, public_texts=[exercise.prompt, *exercise.hints])


def test_a_way_of_working_proposed_in_words_is_tried_not_judged(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "mean"), ["is it the total divided by 3?"])
    assert isinstance(step.move, moves.Clarify) and step.state.attempts == 0
    said = offline_text(step.move)
    assert "the total divided by 3" in said and "Let's stay" not in said
