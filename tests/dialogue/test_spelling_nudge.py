"""A misspelled answer gets "check the spelling" once in a row, never the spelling itself."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.content.loader import load_catalog
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import problem
from bot.dialogue.state import DialogueState, Step
from bot.dialogue.wording import offline_text

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
    root = tmp_path_factory.mktemp("courses")
    (root / "history").mkdir()
    (root / "history" / "course.yaml").write_text(TREATY, encoding="utf-8")
    exercise = load_catalog([Path(root)]).courses["history"].exercises["versailles"]
    return render_exercise(exercise, {})  # type: ignore[arg-type]


def play(exercise: RenderedExercise, script: list[str]) -> list[Step]:
    state, steps = DialogueState(), []
    for message in script:
        step = problem.respond(exercise, state, message)
        steps.append(step)
        state = step.state
    return steps


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
