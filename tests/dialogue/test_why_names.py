"""A why-step that asks for a thing ("Which mountain range runs through it?") takes a name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.dialogue.wording import offline_text
from tests.dialogue.player import inline_exercise, play

COURSE = """
id: places
title: Places
description: Where things are.
language: {language}
skills: [{{id: where, title: Where}}]
exercises:
  - id: peru
    kind: problem
    skill: where
    prompt: "On which continent is Peru?"
    answer: "South America"
    checker: exact
    hints:
      nudge: "Think of its neighbours."
      specific: "It borders Brazil."
      worked: "Peru is in South America."
    reflection: "{reflection}"
{criteria}
"""


def exercise(root: Path, reflection: str, criteria: str = "", language: str = "en"):
    text = COURSE.format(reflection=reflection, criteria=criteria, language=language)
    return inline_exercise(root, text, "peru")


@pytest.mark.parametrize(
    "reflection",
    [
        "Which mountain range runs through it?",
        "Who were its first rulers?",
        "Where is its capital?",
        "When did it become independent?",
    ],
)
def test_a_short_name_answers_a_question_that_asks_for_one(tmp_path: Path, reflection: str) -> None:
    steps = play(exercise(tmp_path, reflection), ["South America", "the Andes"])
    assert steps[1].move.kind == "close"


def test_the_course_language_asks_for_a_thing_in_its_own_words(tmp_path: Path) -> None:
    rendered = exercise(tmp_path, "¿Cuál cordillera lo atraviesa?", language="es")
    assert play(rendered, ["South America", "los Andes"])[1].move.kind == "close"


def test_talk_and_not_knowing_are_still_followed_up(tmp_path: Path) -> None:
    rendered = exercise(tmp_path, "Which mountain range runs through it?")
    ok = play(rendered, ["South America", "ok"])[1]
    assert ok.move.kind == "why_follow_up"
    assert offline_text(ok.move).endswith("Which mountain range runs through it?")
    unknown = play(rendered, ["South America", "idk"])[1]
    assert unknown.move.kind == "ask_why_again"


def test_with_criteria_the_name_must_be_one_and_the_follow_up_never_names_them(
    tmp_path: Path,
) -> None:
    criteria = "    explanation_criteria: [andes]"
    rendered = exercise(tmp_path, "Which mountain range runs through it?", criteria)
    assert play(rendered, ["South America", "the Andes"])[1].move.kind == "close"
    wrong = play(rendered, ["South America", "the Alps"])[1]
    assert wrong.move.kind == "why_follow_up"
    assert "andes" not in offline_text(wrong.move).lower()


def test_a_why_question_still_wants_a_reason(tmp_path: Path) -> None:
    rendered = exercise(tmp_path, "Why is it on that continent?")
    assert play(rendered, ["South America", "the Andes"])[1].move.kind == "why_follow_up"
