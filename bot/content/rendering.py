"""Turn an exercise and one variant of its parameters into the texts a dialogue uses."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot.content.models import AnsweredExercise
from bot.content.templates import Variant, render
from bot.learning.gaps import gap_of
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


ORDER = "_order"  # a variant's order of the choice options, e.g. "2,0,1"
_LETTERS = "abcdefghijklmnopqrstuvwxyz"


def render_exercise(
    exercise: AnsweredExercise, variant: Variant, *, language: str = "en"
) -> RenderedExercise:
    """Render every template of an answered exercise for one variant, in its course language."""
    authored = tuple(render(text, variant) for text in exercise.choices)
    choices = _ordered(authored, variant.get(ORDER))
    prompt = render(exercise.prompt, variant)
    key = AnswerKey(
        checker=exercise.checker,
        answer=_option_text(render(exercise.answer, variant), authored),
        accept=tuple(_option_text(render(text, variant), authored) for text in exercise.accept),
        tolerance=exercise.tolerance,
        choices=choices,
        pattern=render(exercise.pattern, variant) if exercise.pattern else None,
        language=language,
        strict_accents=exercise.strict_accents,
        gap=gap_of(prompt),
    )
    misconceptions = tuple(
        RenderedMisconception(
            key=_misconception_key(
                key, m.answer and _option_text(m.answer, authored), m.pattern, variant
            ),
            question=render(m.question, variant),
            name=m.name,
            expects=tuple(render(text, variant) for text in m.expects),
        )
        for m in exercise.misconceptions
    )
    reflection = getattr(exercise, "reflection", None)
    if choices:
        options = "\n".join(f"{_LETTERS[i]}) {text}" for i, text in enumerate(choices))
        prompt = f"{prompt.rstrip()}\n{options}"
    return RenderedExercise(
        exercise_id=exercise.id,
        prompt=prompt,
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


def choice_order(count: int, rng: random.Random) -> str:
    """Draw an order for ``count`` choice options, as a variant stores it."""
    order = list(range(count))
    rng.shuffle(order)
    return ",".join(map(str, order))


def _ordered(options: tuple[str, ...], order: object) -> tuple[str, ...]:
    """Put the options in the variant's order (the authored order if it has none)."""
    if not isinstance(order, str):
        return options
    try:
        indexes = [int(part) for part in order.split(",")]
    except ValueError:
        return options
    if sorted(indexes) != list(range(len(options))):
        return options
    return tuple(options[i] for i in indexes)


def _option_text(answer: str, options: tuple[str, ...]) -> str:
    """Turn an answer naming an option by its authored letter or number into the option."""
    if not options:
        return answer
    ref = answer.strip().strip("()").casefold()
    if len(ref) == 1 and ref in _LETTERS[: len(options)]:
        return options[_LETTERS.index(ref)]
    if (
        ref.isdigit()
        and 1 <= int(ref) <= len(options)
        and not any(o.strip().isdigit() for o in options)
    ):
        return options[int(ref) - 1]
    return answer


def _maybe(template: str | None, variant: Variant) -> str | None:
    return render(template, variant) if template else None


def _misconception_key(
    key: AnswerKey, answer: str | None, pattern: str | None, variant: Variant
) -> AnswerKey:
    """Build the key that recognises one wrong answer."""
    if pattern is not None:
        return AnswerKey(
            checker="pattern",
            answer=pattern,
            pattern=render(pattern, variant),
            language=key.language,
            strict_accents=key.strict_accents,
            gap=key.gap,
        )
    assert answer is not None
    return AnswerKey(
        checker=key.checker,
        answer=render(answer, variant),
        tolerance=key.tolerance,
        choices=key.choices,
        language=key.language,
        strict_accents=key.strict_accents,
        gap=key.gap,
    )
