"""The right number in another unit gets "check the unit", once in a row, as an attempt."""

from __future__ import annotations

from pathlib import Path

from bot.dialogue import moves
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: motion
title: Motion
description: Speed.
skills: [{id: speed, title: Speed}]
exercises:
  - id: car
    kind: problem
    skill: speed
    prompt: "A car travels 150 km in 3 hours. What is its average speed in km/h?"
    answer: "50 km/h"
    checker: numeric
    hints:
      nudge: "Speed is distance per unit of time."
      specific: "Divide the distance by the time."
      worked: "150 km ÷ 3 h gives the speed."
    reflection: "Why do we divide distance by time?"
"""


def test_another_unit_is_asked_about_once_then_the_ladder_goes_on(tmp_path: Path) -> None:
    car = inline_exercise(tmp_path, COURSE, "car")
    steps = play(car, ["50 mph", "50 mph", "50 km/h"])
    first = steps[0]
    assert isinstance(first.move, moves.Recheck) and first.move.checker == "unit"
    assert first.verdict == "wrong" and first.state.attempts == 1
    said = offline_text(first.move)
    assert "50 mph" in said and "km/h" not in said
    assert steps[1].move.kind == "hint"  # not asked twice in a row
    assert steps[2].verdict == "correct"
