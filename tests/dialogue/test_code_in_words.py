"""A change to code told in words ("use return instead of print") is asked for as code."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from bot.content.catalog import Course
from bot.content.loader import load_catalog
from bot.content.models import AnsweredExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

CONTENT = Path(__file__).resolve().parents[2] / "content"


@cache
def _course() -> Course:
    return load_catalog([CONTENT]).courses["python-basics"]


def exercise(exercise_id: str, variant: dict[str, int] | None = None) -> RenderedExercise:
    found = _course().exercises[exercise_id]
    assert isinstance(found, AnsweredExercise)
    return render_exercise(found, variant or {})


@pytest.mark.parametrize(
    "reply", ["use return instead of print", "hand the number back with return", "return the area"]
)
def test_a_fix_told_in_words_is_asked_for_in_code(reply: str) -> None:
    steps = play(exercise("fix-print-to-return"), [reply, "return width * height"])
    assert steps[0].move == moves.SayItInCode(0) and steps[0].state.attempts == 0
    said = offline_text(steps[0].move)
    assert "code" in said and "return" not in said
    assert steps[1].verdict == "correct" and steps[1].state.attempts == 1


def test_the_known_mistake_in_words_still_gets_its_question() -> None:
    (step,) = play(exercise("fix-print-to-return"), ["change it to print the area"])
    assert step.move.kind == "targeted"


def test_words_about_what_a_program_prints_are_not_asked_for_as_code() -> None:
    (step,) = play(exercise("predict-print-vs-return", {"a": 3}), ["it prints the number twice"])
    assert step.move.kind != "say_it_in_code"


INLINE = """
id: js
title: JavaScript
description: Arrays.
skills: [{id: arrays, title: Arrays}]
exercises:
  - id: push
    kind: problem
    skill: arrays
    prompt: "Write one line that adds the number 4 to the end of the array `nums`."
    answer: "nums.push(4);"
    pattern: "^nums\\\\.push\\\\(\\\\s*4\\\\s*\\\\);?$"
    checker: pattern
    hints:
      nudge: "Arrays have a method that appends."
      specific: "Call the appending method on nums with the value."
      worked: "nums.push(4); appends 4."
    reflection: "What does that method give back?"
  - id: solve
    kind: problem
    skill: arrays
    prompt: "Solve `2x = 6`."
    answer: "x = 3"
    pattern: "^x\\\\s*=\\\\s*3$"
    checker: pattern
    hints: {nudge: "Undo the times 2.", specific: "Divide both sides by 2.", worked: "x = 6/2."}
    reflection: "Why divide?"
"""


def test_code_shown_inline_is_asked_for_as_code_too(tmp_path: Path) -> None:
    push = inline_exercise(tmp_path, INLINE, "push")
    steps = play(push, ["push 4 onto the end of nums", "nums.push(4); // at the end"])
    assert steps[0].move == moves.SayItInCode(0)
    assert steps[1].verdict == "correct"


def test_math_in_backticks_is_not_code(tmp_path: Path) -> None:
    (step,) = play(inline_exercise(tmp_path, INLINE, "solve"), ["x equals three I think"])
    assert step.move.kind != "say_it_in_code"
