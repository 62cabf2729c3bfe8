"""A coach's exercise as data: written in a form or pasted as a worksheet, run as reflections.

An exercise is a title and one or more steps ("describe the situation" → "what did you
do" → "what will you do differently, by when"); each step is a prompt and criteria in
plain words. Each step is checked by building the same `ReflectionExercise` the course
files use, so the engine that probes a course's reflection probes a coach's step.

The seam with the tutor: a step is worked in an ordinary dialogue whose course is the
virtual `COACHING_COURSE` and whose variant carries the step (`STEP_KEY`), copied when
the step opens. `exercise_for_dialogue` rebuilds the exercise from that copy, with no
database read, so any process can run the turn and a later edit changes no work given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from bot.content.catalog import Catalog, Course
from bot.content.models import Exercise, ReflectionExercise, Skill
from bot.content.style_checks import question_count
from bot.content.worksheet_import import unnumbered
from bot.services.coach_criteria import (
    CriteriaInputError,
    criteria_from_words,
    suggested_criteria,
)

__all__ = [
    "COACHING_COURSE",
    "COACHING_PURPOSE",
    "STEP_KEY",
    "ExerciseForm",
    "ExerciseInputError",
    "StepForm",
    "build_steps",
    "exercise_for_dialogue",
    "form_from_course",
    "step_exercise",
    "step_variant",
    "style_notes",
    "worksheet_form",
]

# Content ids cannot start with "_": no course file can take this id.
COACHING_COURSE = "_coaching"
COACHING_PURPOSE = "coaching"
COACHING_SKILL = "coaching"
STEP_KEY = "coach_step"
MAX_STEPS = 10
TITLE_CHARS = 100
PROMPT_CHARS = 2000
DEFAULT_CRITERIA = ("at least 12 words",)
_CACHE_SIZE = 2048

_COURSE = Course(
    id=COACHING_COURSE,
    title="Coaching",
    description="Exercises your coach gave you.",
    desired_retention=0.9,
    placement=False,
    skills={COACHING_SKILL: Skill(id=COACHING_SKILL, title="Coaching")},
    exercises={},
    folder=Path(),
)


class ExerciseInputError(ValueError):
    """An exercise form that cannot be used; the message names every problem, by step."""


@dataclass(frozen=True)
class StepForm:
    """One step as the coach wrote it: the prompt and criteria in plain words."""

    prompt: str
    criteria: tuple[str, ...] = ()
    # Criteria already as data (a course's reflection): used as they are, and checked.
    checks: tuple[dict[str, Any], ...] = ()


@dataclass(frozen=True)
class ExerciseForm:
    """An exercise as the coach wrote it (a form, a pasted worksheet, a course exercise)."""

    title: str
    steps: tuple[StepForm, ...]
    source: str = "form"
    notes: tuple[str, ...] = field(default=())  # what was guessed, for the coach to review


def build_steps(form: ExerciseForm) -> list[dict[str, Any]]:
    """Check a form and return its steps as stored data; every problem is named at once."""
    problems: list[str] = []
    if not form.title.strip():
        problems.append("Give the exercise a title.")
    elif len(form.title.strip()) > TITLE_CHARS:
        problems.append(f"Keep the title under {TITLE_CHARS} characters.")
    if not form.steps:
        problems.append("Give at least one step: the question the client answers.")
    if len(form.steps) > MAX_STEPS:
        problems.append(f"Give at most {MAX_STEPS} steps.")
    steps: list[dict[str, Any]] = []
    for number, step in enumerate(form.steps[:MAX_STEPS], 1):
        prompt = step.prompt.strip()
        if not prompt:
            problems.append(f"Step {number}: the prompt is empty.")
            continue
        if len(prompt) > PROMPT_CHARS:
            problems.append(f"Step {number}: keep the prompt under {PROMPT_CHARS} characters.")
            continue
        plain = tuple(c.strip() for c in step.criteria if c.strip())
        if step.checks:
            checks = [dict(c) for c in step.checks]
            plain = plain or tuple(str(c.get("label") or c.get("check")) for c in checks)
        else:
            plain = plain or DEFAULT_CRITERIA
            try:
                criteria = criteria_from_words(plain)
            except CriteriaInputError as exc:
                problems.append(f"Step {number}: {exc}")
                continue
            checks = [c.model_dump(mode="json", exclude_defaults=True) for c in criteria]
        data = {"prompt": prompt, "plain": list(plain), "criteria": checks}
        try:
            step_exercise(data, number)
        except ExerciseInputError as exc:
            problems.append(f"Step {number}: {exc}")
            continue
        steps.append(data)
    if problems:
        raise ExerciseInputError(" ".join(problems))
    return steps


def style_notes(steps: list[dict[str, Any]]) -> list[str]:
    """Warnings that do not stop a save: a step that asks more than one question."""
    notes = []
    for number, step in enumerate(steps, 1):
        count = question_count(str(step.get("prompt", "")))
        if count > 1:
            notes.append(
                f"Step {number} asks {count} questions; one per step lets your client know "
                "what to answer (split it into two steps)."
            )
    return notes


def worksheet_form(text: str, title: str = "") -> ExerciseForm:
    """Turn a pasted worksheet (one question per line) into a form for the coach to review.

    Numbering and bullets are dropped; a first line that is not a question, followed by
    at least two more, is the title. Each step's criteria are guessed from how the
    question is asked ("who" → names a person, "by when" → a date, "list three" → 3 items).
    """
    lines = [unnumbered(raw) for raw in text.splitlines()]
    lines = [line for line in lines if line]
    if not title and len(lines) >= 3 and not lines[0].endswith(("?", ".")):
        title, lines = lines[0], lines[1:]
    if not lines:
        raise ExerciseInputError("Paste the worksheet's questions, one per line.")
    if len(lines) > MAX_STEPS:
        raise ExerciseInputError(
            f"That worksheet has {len(lines)} questions; an exercise takes at most {MAX_STEPS}. "
            "Split it in two."
        )
    steps = tuple(StepForm(line, tuple(suggested_criteria(line))) for line in lines)
    notes = tuple(
        f"Step {n}: I guessed {', '.join(repr(c) for c in s.criteria)}."
        for n, s in enumerate(steps, 1)
    )
    return ExerciseForm(
        (title or lines[0])[:TITLE_CHARS].rstrip(":"), steps, source="worksheet", notes=notes
    )


def form_of_saved(title: str, steps: list[dict[str, Any]], source: str) -> ExerciseForm:
    """A saved exercise as the form it was written in, to edit it."""
    forms = tuple(
        StepForm(
            str(step.get("prompt", "")),
            tuple(str(c) for c in step.get("plain", [])),
            # a course's checks are data: kept as they are unless the coach rewrites them
            tuple(step.get("criteria", [])) if source == "course" else (),
        )
        for step in steps
    )
    return ExerciseForm(title, forms, source=source)


def form_from_course(catalog: Catalog, course_id: str, exercise_id: str) -> ExerciseForm:
    """Take a reflection from an installed course as a coach's exercise (to keep or edit)."""
    course = catalog.get(course_id)
    exercise = course.exercises.get(exercise_id) if course is not None else None
    if exercise is None:
        raise ExerciseInputError(f"There is no exercise {exercise_id!r} in course {course_id!r}.")
    if not isinstance(exercise, ReflectionExercise):
        raise ExerciseInputError(
            "Only reflection exercises can be assigned as they are; this one has an answer "
            "to find: ask your client to take the course instead."
        )
    labels = tuple(c.label for c in exercise.criteria if c.label)
    checks = tuple(
        c.model_dump(mode="json", exclude_defaults=True, exclude_none=True)
        for c in exercise.criteria
    )
    step = StepForm(exercise.prompt, labels, checks)
    return ExerciseForm(exercise.title or exercise.id, (step,), source="course")


def step_exercise(data: dict[str, Any], number: int) -> ReflectionExercise:
    """Build the reflection a stored step is worked as, with the content files' checks."""
    try:
        return ReflectionExercise.model_validate(
            {
                "id": f"step-{number}",
                "kind": "reflection",
                "skill": COACHING_SKILL,
                "prompt": data["prompt"],
                "criteria": data["criteria"],
            }
        )
    except (ValidationError, KeyError, TypeError) as exc:
        raise ExerciseInputError(_first_error(exc)) from exc


def step_variant(steps: list[dict[str, Any]], index: int, total: int) -> dict[str, Any]:
    """The variant of the dialogue a step is worked in: a copy of the step itself."""
    step = steps[index]
    return {STEP_KEY: {"prompt": step["prompt"], "criteria": step["criteria"]}, "of": total}


def step_opening(steps: list[dict[str, Any]], index: int, title: str) -> str:
    """The first message of a step's dialogue: where the client is, then the prompt."""
    total = len(steps)
    head = f"{title}, step {index + 1} of {total}:" if total > 1 else f"{title}:"
    return f"{head}\n{steps[index]['prompt']}"


def exercise_for_dialogue(
    course_id: str, exercise_id: str, variant: dict[str, Any]
) -> tuple[Course | None, Exercise | None]:
    """Return the virtual course and the step a coaching dialogue works (None, None if not)."""
    step = variant.get(STEP_KEY) if course_id == COACHING_COURSE else None
    if not isinstance(step, dict):
        return None, None
    return _COURSE, _step_of(exercise_id, json.dumps(step, sort_keys=True))


@lru_cache(maxsize=_CACHE_SIZE)
def _step_of(exercise_id: str, step: str) -> ReflectionExercise | None:
    """Build a step's reflection once per process (a turn reads it on every message)."""
    try:
        return step_exercise(json.loads(step), 1).model_copy(update={"id": exercise_id})
    except ExerciseInputError:
        return None


def _first_error(exc: Exception) -> str:
    """One plain sentence for a validation error."""
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error.get("loc", ()))
        return f"{where}: {error.get('msg', 'not valid')}"
    return "the step is incomplete"
