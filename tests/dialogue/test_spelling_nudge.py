"""A misspelled answer gets "check the spelling" once in a row, never the spelling itself."""

from __future__ import annotations

import pytest

from bot.content.rendering import RenderedExercise
from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

TREATY = """\
id: history
title: Treaties
description: Peace treaties.
placement: false
skills:
  - id: treaties
    title: Treaties
exercises:
  - id: versailles
    kind: problem
    skill: treaties
    prompt: Name the 1919 treaty that ended the First World War with Germany.
    answer: Treaty of Versailles
    accept: ["Versailles"]
    checker: exact
    hints:
      nudge: It is named after a palace near Paris.
      specific: The palace was built by Louis XIV.
      worked: It is the Treaty of Versailles.
    reflection: Why did many Germans resent the treaty?
"""


@pytest.fixture(scope="module")
def treaty(tmp_path_factory: pytest.TempPathFactory) -> RenderedExercise:
    return inline_exercise(tmp_path_factory.mktemp("courses"), TREATY, "versailles")


def test_a_misspelled_answer_is_told_to_check_its_spelling(treaty: RenderedExercise) -> None:
    steps = play(treaty, ["Treaty of Versaille", "versialles", "Treaty of Versailles"])
    kinds = [(s.move.kind, getattr(s.move, "checker", None)) for s in steps]
    assert kinds[0] == ("recheck", "spelling")
    assert kinds[1] == ("hint", None)  # once in a row: then the ladder goes on
    assert kinds[2] == ("praise", None)
    assert [s.verdict for s in steps] == ["wrong", "wrong", "correct"]
    said = offline_text(steps[0].move).lower()
    assert "spelling" in said and "versailles" not in said


def test_another_wrong_answer_gets_the_usual_recheck(treaty: RenderedExercise) -> None:
    step = play(treaty, ["Treaty of Paris"])[0]
    assert step.move.kind == "recheck" and getattr(step.move, "checker", None) == "exact"
