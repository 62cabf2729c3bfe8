"""Every shipped course loads, and every parameterised exercise renders for many variants."""

from __future__ import annotations

import random

import pytest

from bot.content.catalog import Catalog
from bot.content.loader import check_content
from bot.content.models import AnsweredExercise
from bot.content.rendering import render_exercise
from bot.content.templates import sample_variants, variant_count
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import grade_answer
from tests.conftest import CONTENT

SHIPPED = ["fractions-and-equations", "python-basics", "coaching-positioning"]


def test_shipped_content_has_no_problems() -> None:
    _, problems = check_content([CONTENT])
    assert [str(p) for p in problems] == []


@pytest.mark.parametrize("course_id", SHIPPED)
def test_each_starter_course_is_there_and_connected(catalog: Catalog, course_id: str) -> None:
    course = catalog.get(course_id)
    assert course is not None
    assert len(course.skills) >= 3
    order = course.skill_order()
    assert sorted(order) == sorted(course.skills)
    for skill_id in course.skills:
        assert course.exercises_for(skill_id), f"skill {skill_id} has no exercise"
        for prerequisite in course.skills[skill_id].prerequisites:
            assert order.index(prerequisite) < order.index(skill_id)


def _answered(catalog: Catalog) -> list[tuple[str, AnsweredExercise]]:
    return [
        (course.id, exercise)
        for course in catalog.courses.values()
        for exercise in course.exercises.values()
        if isinstance(exercise, AnsweredExercise)
    ]


def test_fractions_course_is_parameterised(catalog: Catalog) -> None:
    course = catalog.get("fractions-and-equations")
    assert course is not None
    parameterised = [
        e for e in course.exercises.values() if isinstance(e, AnsweredExercise) and e.parameters
    ]
    assert len(parameterised) >= 5
    assert all(variant_count(e.parameters, e.where) >= 4 for e in parameterised)


def test_every_variant_renders_grades_and_keeps_its_answer_secret(catalog: Catalog) -> None:
    checked = 0
    for _course_id, exercise in _answered(catalog):
        variants = sample_variants(exercise.parameters, exercise.where, 60, random.Random(1))
        assert variants, exercise.id
        for variant in variants:
            rendered = render_exercise(exercise, variant)
            assert "{" not in rendered.prompt.replace("{}", ""), (exercise.id, rendered.prompt)
            assert grade_answer(rendered.key, rendered.key.answer).correct, (exercise.id, variant)
            for wrong in rendered.misconceptions:
                if exercise.misconceptions[rendered.misconceptions.index(wrong)].answer:
                    assert not grade_answer(rendered.key, wrong.key.answer).correct
            public = (rendered.prompt,)
            for early_hint in rendered.hints[:2]:
                assert not reveals_answer(rendered.key, early_hint, public_texts=public), (
                    exercise.id,
                    variant,
                    early_hint,
                )
            checked += 1
    assert checked >= 200
