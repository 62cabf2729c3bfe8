"""A course's language and an exercise's accent strictness reach the answer key."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from bot.content.models import CourseHeader, ProblemExercise
from bot.content.rendering import render_exercise
from bot.learning.answer_leak import reveals_answer
from bot.learning.grading import grade_answer


def exercise(**fields: Any) -> ProblemExercise:
    base: dict[str, Any] = {
        "id": "verb",
        "kind": "problem",
        "skill": "verbs",
        "prompt": "Conjugate hablar for él, preterite.",
        "answer": "habló",
        "checker": "exact",
        "hints": {"nudge": "n", "specific": "s", "worked": "w"},
        "reflection": "Why?",
        "misconceptions": [{"answer": "hablé", "question": "Who is speaking?"}],
    }
    return ProblemExercise.model_validate(base | fields)


def header(**fields: Any) -> CourseHeader:
    base: dict[str, Any] = {
        "id": "spanish",
        "title": "Spanish",
        "description": "Verbs.",
        "skills": [{"id": "verbs", "title": "Verbs"}],
    }
    return CourseHeader.model_validate(base | fields)


def test_a_course_is_in_english_unless_it_says_otherwise() -> None:
    assert header().language == "en"
    assert header(language="es").language == "es"
    assert header(language="pt-BR").language == "pt-BR"
    with pytest.raises(ValidationError):
        header(language="Spanish please")


def test_the_rendered_key_carries_the_language_and_strictness() -> None:
    rendered = render_exercise(exercise(), {}, language="es")
    assert rendered.key.language == "es" and not rendered.key.strict_accents
    assert grade_answer(rendered.key, "creo que es hablo").accent_only
    assert grade_answer(rendered.key, "hablo o hablé").hedged
    misconception = rendered.misconceptions[0].key
    assert misconception.language == "es"
    assert grade_answer(misconception, "creo que es hable").correct


def test_strict_accents_is_an_exercise_switch() -> None:
    rendered = render_exercise(exercise(strict_accents=True), {}, language="es")
    assert rendered.key.strict_accents and rendered.misconceptions[0].key.strict_accents
    grade = grade_answer(rendered.key, "hablo")
    assert grade.accent_only and not grade.correct


def test_rendering_defaults_to_english() -> None:
    assert render_exercise(exercise(), {}).key.language == "en"


def test_a_percent_answers_tolerance_counts_in_percentage_points() -> None:
    rise = exercise(
        prompt="A ticket went from $40 to $50. By what percent did the price rise?",
        answer="25%",
        checker="numeric",
        tolerance=0.1,
        misconceptions=[{"answer": "20%", "question": "Which price is the change measured from?"}],
    )
    rendered = render_exercise(rise, {})
    for right in ("25%", "25.05%", "24.95 %", "25", "0.25", "it rose by 25.1%"):
        assert grade_answer(rendered.key, right).correct, right
    for wrong in ("20%", "24.8%", "30%", "0.2"):
        assert not grade_answer(rendered.key, wrong).correct, wrong
    assert grade_answer(rendered.misconceptions[0].key, "20%").correct
    assert reveals_answer(rendered.key, "It went up by about 25.05%.")
    assert not reveals_answer(rendered.key, "Is 20% the change from the old price?")


def test_a_plain_answers_tolerance_is_unchanged() -> None:
    pi = exercise(prompt="Give pi to two places.", answer="3.14", checker="numeric", tolerance=0.01)
    key = render_exercise(pi, {}).key
    assert grade_answer(key, "3.15").correct and not grade_answer(key, "3.16").correct
