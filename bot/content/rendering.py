"""Turn an exercise and one variant of its parameters into the texts a dialogue uses."""

from __future__ import annotations

from dataclasses import dataclass

from bot.content.models import AnsweredExercise
from bot.content.templates import Variant, render
from bot.learning.grading import AnswerKey


@dataclass(frozen=True)
class RenderedMisconception:
    """A misconception with its wrong answer (as a key to match) and its question."""

    key: AnswerKey
    question: str
    name: str | None = None
    expects: tuple[str, ...] = ()


@dataclass(frozen=True)
class RenderedExercise:
    """Everything a dialogue needs about one variant of an answered exercise."""

    exercise_id: str
    prompt: str
    key: AnswerKey
    hints: tuple[str, str, str]
    misconceptions: tuple[RenderedMisconception, ...]
    reflection: str | None
    clarification: str | None = None
    explanation: str | None = None
    explanation_criteria: tuple[str, ...] = ()


def render_exercise(exercise: AnsweredExercise, variant: Variant) -> RenderedExercise:
    """Render every template of an answered exercise for one variant."""
    key = AnswerKey(
        checker=exercise.checker,
        answer=render(exercise.answer, variant),
        accept=tuple(render(text, variant) for text in exercise.accept),
        tolerance=exercise.tolerance,
        choices=tuple(render(text, variant) for text in exercise.choices),
        pattern=render(exercise.pattern, variant) if exercise.pattern else None,
    )
    misconceptions = tuple(
        RenderedMisconception(
            key=_misconception_key(key, m.answer, m.pattern, variant),
            question=render(m.question, variant),
            name=m.name,
            expects=tuple(render(text, variant) for text in m.expects),
        )
        for m in exercise.misconceptions
    )
    reflection = getattr(exercise, "reflection", None)
    return RenderedExercise(
        exercise_id=exercise.id,
        prompt=render(exercise.prompt, variant),
        key=key,
        hints=(
            render(exercise.hints.nudge, variant),
            render(exercise.hints.specific, variant),
            render(exercise.hints.worked, variant),
        ),
        misconceptions=misconceptions,
        reflection=render(reflection, variant) if reflection else None,
        clarification=_maybe(exercise.clarification, variant),
        explanation=_maybe(exercise.explanation, variant),
        explanation_criteria=tuple(render(t, variant) for t in exercise.explanation_criteria),
    )


def _maybe(template: str | None, variant: Variant) -> str | None:
    return render(template, variant) if template else None


def _misconception_key(
    key: AnswerKey, answer: str | None, pattern: str | None, variant: Variant
) -> AnswerKey:
    """Build the key that recognises one wrong answer."""
    if pattern is not None:
        return AnswerKey(checker="pattern", answer=pattern, pattern=render(pattern, variant))
    assert answer is not None
    return AnswerKey(
        checker=key.checker,
        answer=render(answer, variant),
        tolerance=key.tolerance,
        choices=key.choices,
    )
