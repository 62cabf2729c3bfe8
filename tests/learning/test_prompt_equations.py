"""A wrong value that still solves the problem's own equation: the problem asks more."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from bot.learning.prompt_equations import solves_the_prompt
from tests.dialogue.player import inline_exercise, play

POSITIVE = "Solve x² = 49 for positive x."


@pytest.mark.parametrize(
    ("prompt", "answer", "candidate", "solves"),
    [
        (POSITIVE, "x = 7", "-7", True),
        (POSITIVE, "x = 7", "x = -7", True),
        (POSITIVE, "7", "-7", True),  # a numeric key: the equation's one letter
        (POSITIVE, "x = 7", "5", False),
        ("Solve 2x + 3 = 11.", "x = 4", "4", True),
        ("What is 3 + 4?", "7", "7", False),  # no equation with an unknown
        ("Find the whole number n with n^2 = 2.", "1", "1", False),
        (POSITIVE, "x = 7", "banana", False),
        ("Solve x = 1/0.", "x = 1", "1", False),
    ],
)
def test_a_value_is_tried_in_the_problems_equation(
    prompt: str, answer: str, candidate: str, solves: bool
) -> None:
    assert solves_the_prompt(prompt, answer, candidate) is solves


COURSE = """
id: roots
title: Roots
description: Square roots.
skills: [{id: roots, title: Roots}]
exercises:
  - id: positive
    kind: problem
    skill: roots
    prompt: "Solve x² = 49 for positive x."
    answer: "x = 7"
    checker: expression
    hints:
      nudge: "Which number times itself gives 49?"
      specific: "Take the square root of both sides."
      worked: "The square root of 49, keeping the positive one."
    reflection: "Why do we only keep one root here?"
"""


def test_the_tutor_asks_about_the_other_condition(tmp_path: Path) -> None:
    steps = play(inline_exercise(tmp_path, COURSE, "positive"), ["x = -7", "5"])
    first = steps[0].move
    assert isinstance(first, moves.Recheck) and first.checker == "conditions"
    assert "does make the equation true" in offline_text(first)
    assert steps[0].state.attempts == 1
    assert steps[1].move.kind == "hint"  # a second miss in a row climbs the ladder


def test_a_value_that_fails_the_equation_is_asked_to_be_put_back(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "positive"), ["5"])
    assert isinstance(step.move, moves.Recheck) and step.move.checker == "expression"
