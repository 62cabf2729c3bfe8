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
from tests.dialogue.player import play

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
