"""A power typed as a glued digit ("x2") is read, praised with a word on writing powers."""

from __future__ import annotations

from pathlib import Path

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: algebra
title: Algebra
description: Expanding brackets.
skills: [{id: expand, title: Expanding}]
exercises:
  - id: expand
    kind: problem
    skill: expand
    prompt: "Expand (x + 3)(x + 2)."
    answer: "x^2 + 5x + 6"
    checker: expression
    hints:
      nudge: "Multiply each term in the first bracket by each term in the second."
      specific: "Work out x·x, x·2, 3·x and 3·2, then add them up."
      worked: "x² + 2x + 3x + 6, which collects to the answer."
    misconceptions:
      - answer: "x^2 + 6"
        question: "What happened to the x·2 and 3·x terms?"
    reflection: "Why do we need four products?"
"""


def test_a_right_answer_with_a_glued_power_is_praised_with_a_note(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "expand"), ["x2 + 5x + 6"])
    assert step.verdict == "correct"
    assert isinstance(step.move, moves.Praise) and step.move.powers
    assert "write a power with ^" in offline_text(step.move)


def test_a_plain_right_answer_gets_no_note(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "expand"), ["x^2 + 5x + 6"])
    assert isinstance(step.move, moves.Praise) and not step.move.powers
    assert "^" not in offline_text(step.move)


def test_a_known_mistake_with_a_glued_power_gets_its_question(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "expand"), ["x2 + 6"])
    assert step.move == moves.Targeted(
        misconception=None, question="What happened to the x·2 and 3·x terms?"
    )
    assert step.state.attempts == 1
