"""A reply that only says what a typed answer is not ("definitely not Sydney") is a way in."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: capitals
title: Capitals
description: Capital cities.
skills: [{id: capitals, title: Capitals}]
exercises:
  - id: australia
    kind: recall
    skill: capitals
    prompt: "What is the capital of Australia?"
    answer: "Canberra"
    checker: exact
    hints:
      nudge: "It's not the biggest city."
      specific: "It was built as a compromise between two big cities."
      worked: "The capital is Canberra."
    misconceptions:
      - answer: "Sydney"
        question: "Sydney is the largest city. Is the largest city always the capital?"
"""


@pytest.mark.parametrize(
    "reply", ["definitely not sydney", "it's not Canberra", "it isn't Melbourne", "not perth"]
)
def test_setting_an_answer_aside_is_no_attempt_and_judges_nothing(
    tmp_path: Path, reply: str
) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "australia"), [reply])
    assert step.move == moves.RuledOut(0, 0) and step.state.attempts == 0
    said = offline_text(step.move)
    assert "What do you think it is" in said and "Canberra" not in said


def test_the_answer_after_it_is_graded(tmp_path: Path) -> None:
    steps = play(inline_exercise(tmp_path, COURSE, "australia"), ["not sydney", "Canberra"])
    assert steps[1].verdict == "correct" and steps[1].state.attempts == 1


@pytest.mark.parametrize("reply", ["not sure", "not yet", "no", "not sure, no idea at all really"])
def test_not_sure_and_not_yet_set_nothing_aside(tmp_path: Path, reply: str) -> None:
    (step,) = play(inline_exercise(tmp_path, COURSE, "australia"), [reply])
    assert step.move.kind != "ruled_out"


@pytest.mark.parametrize(
    "reply",
    [
        "not Perth, it's Sydney",
        "Not perth, its sydney",
        "not Perth but Sydney",
        "not Perth; Sydney",
    ],
)
def test_what_follows_a_ruled_out_answer_is_the_claim(tmp_path: Path, reply: str) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "australia")
    (step,) = play(exercise, [reply])
    assert isinstance(step.move, moves.Targeted) and step.state.attempts == 1
    assert "largest city" in offline_text(step.move)


@pytest.mark.parametrize("reply", ["not Perth, not Sydney", "not Perth, and not Sydney"])
def test_ruling_out_two_claims_nothing(tmp_path: Path, reply: str) -> None:
    exercise = inline_exercise(tmp_path, COURSE, "australia")
    (step,) = play(exercise, [reply])
    assert isinstance(step.move, moves.RuledOut) and step.state.attempts == 0
