"""Run one exercise's dialogue, whatever its kind: a thin switch over the dialogue moves."""

from __future__ import annotations

import random
from collections import OrderedDict
from typing import Any

from bot.content.catalog import Course
from bot.content.models import AnsweredExercise, Exercise, ReflectionExercise
from bot.content.rendering import RenderedExercise, render_exercise
from bot.content.templates import Variant, pick_variant
from bot.dialogue import problem, reflection
from bot.dialogue.state import DialogueState, Step
from bot.learning.grading import AnswerKey, Grader, grade_answer

RENDER_CACHE_SIZE = 4096


class ExerciseRunner:
    """Render exercise variants (cached) and route each turn to the right dialogue moves."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, str, tuple[tuple[str, Any], ...]], RenderedExercise]
        self._cache = OrderedDict()

    def rendered(
        self, course: Course, exercise: AnsweredExercise, variant: Variant
    ) -> RenderedExercise:
        """Return the rendered variant, computing it once."""
        key = (course.id, exercise.id, tuple(sorted(variant.items())))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        result = render_exercise(exercise, variant)
        self._cache[key] = result
        if len(self._cache) > RENDER_CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def choose_variant(
        self, exercise: Exercise, rng: random.Random, avoid: Variant | None = None
    ) -> Variant:
        """Pick a variant of a parameterised exercise, not the one just used."""
        if isinstance(exercise, AnsweredExercise) and exercise.parameters:
            return pick_variant(exercise.parameters, exercise.where, rng, avoid)
        return {}

    def opening(self, course: Course, exercise: Exercise, variant: Variant) -> str:
        """Return the first message of an exercise's dialogue."""
        if isinstance(exercise, ReflectionExercise):
            return reflection.opening(exercise)
        return problem.opening(self.rendered(course, exercise, variant))

    def respond(
        self,
        course: Course,
        exercise: Exercise,
        variant: Variant,
        state: DialogueState,
        text: str,
        purpose: str = "practice",
        grader: Grader = grade_answer,
    ) -> Step:
        """Answer one learner message, guarded against revealing the answer."""
        if isinstance(exercise, ReflectionExercise):
            return reflection.respond(exercise, state, text)
        rendered = self.rendered(course, exercise, variant)
        if purpose == "placement":
            return problem.placement_answer(rendered, state, text, grader)
        step = problem.respond(rendered, state, text, grader)
        if purpose == "review":
            step = problem.end_review(rendered, step)
        return self._guarded(rendered, step)

    def graded_keys(
        self, course: Course, exercise: Exercise, variant: Variant, state: DialogueState, text: str
    ) -> list[AnswerKey]:
        """Return the answer keys a reply to this exercise may be graded against."""
        if isinstance(exercise, ReflectionExercise):
            return []
        return problem.graded_keys(self.rendered(course, exercise, variant), state, text)

    def hint(
        self,
        course: Course,
        exercise: Exercise,
        variant: Variant,
        state: DialogueState,
        purpose: str = "practice",
    ) -> Step:
        """Climb the hint ladder (a reflection exercise gets its next probe instead)."""
        if isinstance(exercise, ReflectionExercise):
            unmet = reflection.unmet_criteria(exercise, state.answers) or [0]
            return Step(state, exercise.criteria[unmet[0]].probe, reflection.CHOICES_OPEN)
        rendered = self.rendered(course, exercise, variant)
        if purpose == "placement":
            return problem.placement_answer(rendered, state, "")
        return self._guarded(rendered, problem.hint(rendered, state))

    def skip(self, exercise: Exercise, state: DialogueState) -> Step:
        """Close the exercise as skipped."""
        if isinstance(exercise, ReflectionExercise):
            return reflection.skip(state)
        return problem.skip(state)

    @staticmethod
    def _guarded(rendered: RenderedExercise, step: Step) -> Step:
        """Run the one answer-leak check on the reply before it can be sent."""
        safe = problem.guard(rendered, step.state, step.text)
        if safe is step.text:
            return step
        return Step(step.state, safe, step.choices, step.answered, step.closed)
