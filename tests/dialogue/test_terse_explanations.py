"""A terse why-answer that names what the explanation turns on closes; a vague one does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.dialogue.player import inline_exercise, play

COURSE = """
id: cells
title: Cells
description: Organelles.
skills: [{id: organelles, title: Organelles}]
exercises:
  - id: atp
    kind: problem
    skill: organelles
    prompt: "Which organelle makes most of a cell's ATP?"
    answer: "mitochondria"
    checker: exact
    hints:
      nudge: "Think about where cellular respiration happens."
      specific: "It has its own DNA and a folded inner membrane."
      worked: "Cellular respiration's last stages run in the mitochondria."
    reflection: "Why does the folded inner membrane help?"
    explanation_criteria: ["surface area", "more area", "more room", "space", "same ratio"]
"""


@pytest.mark.parametrize("why", ["more surface area", "surface area", "more room", "same ratio"])
def test_a_terse_answer_naming_the_idea_closes(tmp_path: Path, why: str) -> None:
    steps = play(inline_exercise(tmp_path, COURSE, "atp"), ["mitochondria", why])
    assert steps[-1].move.kind == "close", why


@pytest.mark.parametrize("why", ["the same", "same thing", "yes", "mitochondria", "space"])
def test_a_vague_or_one_word_answer_is_asked_again(tmp_path: Path, why: str) -> None:
    steps = play(inline_exercise(tmp_path, COURSE, "atp"), ["mitochondria", why])
    assert steps[-1].move.kind != "close", why
