"""Play a learner's messages through the dialogue engine, on a course written inline."""

from __future__ import annotations

from pathlib import Path

import yaml

from bot.content.loader import load_catalog
from bot.content.models import AnsweredExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.dialogue import problem
from bot.dialogue.state import DialogueState, Step


def play(exercise: RenderedExercise, script: list[str]) -> list[Step]:
    """Each message in turn (`hint` climbs the ladder); the steps the engine took."""
    state, steps = DialogueState(), []
    for message in script:
        if message == "hint":
            step = problem.hint(exercise, state)
        else:
            step = problem.respond(exercise, state, message)
        steps.append(step)
        state = step.state
    return steps


def inline_exercise(root: Path, course_yaml: str, exercise_id: str) -> RenderedExercise:
    """Write a one-file course under ``root``, load it as the bot does, render one exercise."""
    course_id = yaml.safe_load(course_yaml)["id"]
    folder = root / course_id
    folder.mkdir(exist_ok=True)
    (folder / "course.yaml").write_text(course_yaml, encoding="utf-8")
    course = load_catalog([root]).courses[course_id]
    exercise = course.exercises[exercise_id]
    assert isinstance(exercise, AnsweredExercise)
    return render_exercise(exercise, {}, language=course.language)
