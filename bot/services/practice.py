"""Run one exercise's dialogue, whatever its kind: a thin switch over the dialogue moves."""

from __future__ import annotations

import random
from collections import OrderedDict
from typing import Any

from bot.content.catalog import Course
from bot.content.models import AnsweredExercise, Exercise, ReflectionExercise
from bot.content.rendering import ORDER, RenderedExercise, choice_order, render_exercise
from bot.content.templates import Variant, pick_variant
from bot.dialogue import placement, problem, reflection
from bot.dialogue.judgements import NO_JUDGE, Judgements
from bot.dialogue.state import DialogueState, Step
from bot.learning.grading import AnswerKey, Grader, grade_answer

RENDER_CACHE_SIZE = 4096


class ExerciseRunner:
    """Render exercise variants (cached) and route each turn to the right dialogue moves."""

    def __init__(self) -> None:
        self._cache: OrderedDict[tuple[str, str, tuple[tuple[str, Any], ...]], RenderedExercise]
        self._cache = OrderedDict()

    def rendered(
        self, course: Course, exercise: Exercise, variant: Variant
    ) -> RenderedExercise | None:
        """Return the rendered variant of an answered exercise, computed once (None otherwise)."""
        if not isinstance(exercise, AnsweredExercise):
            return None
        key = (course.id, exercise.id, tuple(sorted(variant.items())))
        cached = self._cache.get(key)
        if cached is not None:
            self._cache.move_to_end(key)
            return cached
        result = render_exercise(exercise, variant, language=course.language)
        self._cache[key] = result
        if len(self._cache) > RENDER_CACHE_SIZE:
            self._cache.popitem(last=False)
        return result

    def choose_variant(
        self, exercise: Exercise, rng: random.Random, avoid: Variant | None = None
    ) -> Variant:
        """Pick a variant of a parameterised exercise, not the one just used.

        A choice exercise's variant also fixes the order its options are shown in, so the
        right option does not sit in the same place every time.
        """
        if not isinstance(exercise, AnsweredExercise):
            return {}
        variant = (
            pick_variant(exercise.parameters, exercise.where, rng, avoid)
            if exercise.parameters
            else {}
        )
        if exercise.checker == "choice":
            variant = {**variant, ORDER: choice_order(len(exercise.choices), rng)}
        return variant

    def opening(self, course: Course, exercise: Exercise, variant: Variant) -> str:
        """Return the first message of an exercise's dialogue."""
        rendered = self.rendered(course, exercise, variant)
        if rendered is None:
            assert isinstance(exercise, ReflectionExercise)
            return reflection.opening(exercise)
        return problem.opening(rendered)

    def graded_keys(
        self, course: Course, exercise: Exercise, variant: Variant, state: DialogueState, text: str
    ) -> list[AnswerKey]:
        """Return the answer keys a reply to this exercise may be graded against."""
        rendered = self.rendered(course, exercise, variant)
        return [] if rendered is None else problem.graded_keys(rendered, state, text)

    def decide(
        self,
        course: Course,
        exercise: Exercise,
        variant: Variant,
        state: DialogueState,
        text: str,
        *,
        command: str = "",
        purpose: str = "practice",
        grader: Grader = grade_answer,
        judgements: Judgements = NO_JUDGE,
    ) -> Step:
        """Decide the move for one learner message, `hint` or `skip`.

        ``judgements``: what a judge said where the offline reading is unsure; the
        questions it has no answer to yet are noted in it.
        """
        rendered = self.rendered(course, exercise, variant)
        if command == "skip" and purpose == "placement":
            # One question of a quick check: noted as not known, and the check goes on.
            return placement.skipped(state)
        if command == "skip":
            return problem.skip(state, rendered)
        if rendered is None:
            assert isinstance(exercise, ReflectionExercise)
            if command == "hint":
                return reflection.probe(exercise, state, judgements)
            return reflection.respond(exercise, state, text, judgements)
        if purpose == "placement":
            said = "" if command else text
            return placement.placement_answer(rendered, state, said, grader, judgements)
        if command == "hint":
            return problem.hint(rendered, state)
        review = purpose == "review"
        step = problem.respond(rendered, state, text, grader, judgements, judge_working=not review)
        return problem.end_review(rendered, step) if review else step
