"""The engine never adds a second question to a message: every move on shipped courses."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import load_catalog
from bot.content.models import AnsweredExercise
from bot.content.style_checks import question_count
from bot.dialogue import problem
from bot.dialogue.state import DialogueState
from bot.dialogue.wording import offline_text
from bot.services.practice import ExerciseRunner

CONTENT = Path(__file__).resolve().parents[2] / "content"
SCRIPTS = (
    ["idk", "12345", "hint", "what do you mean?", "I'm so confused", "54321", "hint", "hint"],
    ["ok", "thanks", "{answer}", "yes", "no idea"],
    ["{answer}", "because that is how it works out", "next"],
    ["99999", "88888", "77777", "hint", "66666", "55555", "idk"],
)


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog([CONTENT])


def test_no_move_on_a_shipped_course_asks_two_questions(catalog: Catalog) -> None:
    runner, rng = ExerciseRunner(), random.Random(11)
    checked = 0
    for course in catalog.courses.values():
        for exercise in course.exercises.values():
            if not isinstance(exercise, AnsweredExercise):
                continue
            variant = runner.choose_variant(exercise, rng)
            rendered = runner.rendered(course, exercise, variant)
            assert rendered is not None
            for script in SCRIPTS:
                state = DialogueState()
                for message in script:
                    text = message.format(answer=rendered.key.answer)
                    if text == "hint":
                        step = problem.hint(rendered, state)
                    else:
                        step = problem.respond(rendered, state, text)
                    words = offline_text(step.move)
                    assert question_count(words) <= 1, (exercise.id, text, words)
                    checked += 1
                    state = step.state
                    if step.closed:
                        break
    assert checked > 300
